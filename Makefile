# runsel — top-level build.  `make` builds everything into $(BUILD)/,
# `make test` runs every test and ends with "N passed, M failed",
# `make check` rebuilds with sanitizers into build-check/ and runs the same tests.

BUILD   ?= build
PREFIX  ?= /usr/local
DESTDIR ?=
LIBEXECDIR ?= $(PREFIX)/lib/runsel

CC      ?= gcc
WARN    := -Wall -Wextra -Werror
CFLAGS  ?= -O2 -g
CSTD    := -std=gnu11
SAN_HOST ?=
SAN_LOADER ?=

B       := $(BUILD)
BIN     := $(B)/bin

LOADER_SRCS := $(wildcard loader/*.c) $(wildcard loader/*.S)
LOADER_HDRS := $(wildcard loader/*.h)
# The loader is static-pie: the kernel maps a PT_INTERP-less ET_DYN in the
# mmap region, away from any ET_EXEC link address and from ELF_ET_DYN_BASE,
# and with binfmt_misc's F flag it must not need files from the exec'ing
# process's mount namespace.  runsel_entry runs before glibc's _start.
LOADER_CFLAGS := $(CSTD) $(WARN) $(CFLAGS) -fPIE $(SAN_LOADER)
LOADER_LDFLAGS := -static-pie -Wl,-e,runsel_entry -Wl,-z,noexecstack
LOADER_LIBS := -lelf -lz

TOOLS := $(BIN)/selctl

.PHONY: all deps deps-check test check install uninstall clean bench demo test-progs
all: deps-check $(BIN)/runsel-loader $(TOOLS) test-progs
# Each tests/*.mk fragment adds its build products as prerequisites of test-progs.
test-progs:

deps-check:
	@tools/deps --check >/dev/null 2>&1 || tools/deps

deps:
	tools/deps

$(B)/loader/%.o: loader/%.c $(LOADER_HDRS) Makefile
	@mkdir -p $(@D)
	$(CC) $(LOADER_CFLAGS) -c -o $@ $<

# early.c runs before the loader has relocated itself or set up TLS:
# no stack protector, no sanitizer instrumentation.
$(B)/loader/early.o: loader/early.c $(LOADER_HDRS) Makefile
	@mkdir -p $(@D)
	$(CC) $(CSTD) $(WARN) $(CFLAGS) -fPIE -fno-stack-protector -c -o $@ $<

$(B)/loader/%.o: loader/%.S Makefile
	@mkdir -p $(@D)
	$(CC) -c -o $@ $<

LOADER_OBJS := $(patsubst loader/%.c,$(B)/loader/%.o,$(filter %.c,$(LOADER_SRCS))) \
               $(patsubst loader/%.S,$(B)/loader/%.o,$(filter %.S,$(LOADER_SRCS)))

$(BIN)/runsel-loader: $(LOADER_OBJS) tools/stamp-loader
	@mkdir -p $(@D)
	$(CC) $(LOADER_CFLAGS) $(LOADER_LDFLAGS) -o $@.tmp $(LOADER_OBJS) $(LOADER_LIBS)
	tools/stamp-loader $@.tmp
	mv $@.tmp $@

HOST_CFLAGS := $(CSTD) $(WARN) $(CFLAGS) $(SAN_HOST)

$(BIN)/selctl: $(wildcard tools/selctl/*.c) $(wildcard tools/selctl/*.h) Makefile
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -o $@ $(filter %.c,$^)

include $(wildcard tests/*.mk tests/corpus/*.mk)

test: all
	@tests/run.sh $(B)

check:
	$(MAKE) BUILD=build-check SAN_HOST="-fsanitize=address,undefined -fno-omit-frame-pointer" \
	        SAN_LOADER="-fsanitize=undefined -fsanitize-undefined-trap-on-error" test

bench: all
	tools/bench-exec $(B)

install: $(BIN)/runsel-loader $(TOOLS)
	install -d $(DESTDIR)$(LIBEXECDIR) $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/runsel
	install -m 0755 $(BIN)/runsel-loader $(DESTDIR)$(LIBEXECDIR)/runsel-loader
	install -m 0755 $(BIN)/selctl $(DESTDIR)$(PREFIX)/bin/selctl
	install -m 0644 selected.conf $(DESTDIR)$(PREFIX)/share/runsel/selected.conf.example
	sed 's|@LOADER@|$(LIBEXECDIR)/runsel-loader|' tools/runsel.binfmt.in \
	    > $(DESTDIR)$(PREFIX)/share/runsel/runsel-binfmt.conf

uninstall:
	rm -f $(DESTDIR)$(LIBEXECDIR)/runsel-loader $(DESTDIR)$(PREFIX)/bin/selctl
	rm -rf $(DESTDIR)$(PREFIX)/share/runsel

clean:
	rm -rf build build-check
