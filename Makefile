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

.DEFAULT_GOAL := all

B       := $(BUILD)
BIN     := $(B)/bin

LOADER_SRCS := $(wildcard loader/*.c) $(wildcard loader/*.S)
LOADER_HDRS := $(wildcard loader/*.h)
# The loader is freestanding and static-pie (ARCHITECTURE.md explains both):
# no libc start-up cost on every exec, no stack protector (there is no TLS),
# and no relocations at all — nothing relocates the loader, so tables of
# pointers (jump tables, switch lookup tables) are disabled and
# tools/check-loader fails the build if any relocation appears.
LOADER_CFLAGS := $(CSTD) $(WARN) $(CFLAGS) -fPIE -ffreestanding -fno-stack-protector \
                 -include $(B)/loader/config.h -Iwrapperabi/include \
                 -fno-jump-tables -fno-tree-switch-conversion -fno-plt \
                 -fno-asynchronous-unwind-tables $(SAN_LOADER)
# noseparate-code: two segments instead of four — fewer VMAs for the kernel
# to map at every exec and for the loader to unmap.
LOADER_LDFLAGS := -nostdlib -static-pie -Wl,-z,noexecstack -Wl,--no-dynamic-linker \
                  -Wl,--build-id=none -Wl,-z,noseparate-code

# Installation paths compiled into the loader.  Rewritten only when they
# change, so `make install PREFIX=/usr` after `make` rebuilds the loader
# with the right wrapper directory instead of installing a stale one.
$(B)/loader/config.h: FORCE
	@mkdir -p $(@D)
	@echo '#define LD_WRAPPER_DIR "$(LIBEXECDIR)/wrappers"' >$@.tmp
	@cmp -s $@.tmp $@ && rm -f $@.tmp || mv $@.tmp $@
.PHONY: FORCE

$(B)/loader/%.o: loader/%.c $(LOADER_HDRS) $(B)/loader/config.h Makefile
	@mkdir -p $(@D)
	$(CC) $(LOADER_CFLAGS) -c -o $@ $<

# mem.c implements memcpy & co.: keep gcc from turning its loops into calls
# to themselves, and keep sanitizer checks out of it.
$(B)/loader/mem.o: loader/mem.c Makefile
	@mkdir -p $(@D)
	$(CC) $(CSTD) $(WARN) $(CFLAGS) -fPIE -ffreestanding -fno-stack-protector \
	    -fno-tree-loop-distribute-patterns -fno-builtin -c -o $@ $<

$(B)/loader/%.o: loader/%.S Makefile
	@mkdir -p $(@D)
	$(CC) -c -o $@ $<

LOADER_OBJS := $(patsubst loader/%.c,$(B)/loader/%.o,$(filter %.c,$(LOADER_SRCS))) \
               $(patsubst loader/%.S,$(B)/loader/%.o,$(filter %.S,$(LOADER_SRCS)))

$(BIN)/runsel-loader: $(LOADER_OBJS) tools/stamp-loader tools/check-loader
	@mkdir -p $(@D)
	$(CC) $(LOADER_CFLAGS) $(LOADER_LDFLAGS) -o $@.tmp $(LOADER_OBJS) -lgcc
	tools/check-loader $@.tmp
	tools/stamp-loader $@.tmp
	mv $@.tmp $@

TOOLS := $(BIN)/selctl $(BIN)/runsel $(BIN)/runsel-cc

include wrapperabi/wrapperabi.mk

# runsel: execs the loader with a request; shares the list parser to check
# the request up front.
$(BIN)/runsel: tools/runsel/runsel.c loader/selconf.c loader/selconf.h Makefile
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -Iloader -DLIBEXECDIR='"$(LIBEXECDIR)"' -o $@ tools/runsel/runsel.c loader/selconf.c

.PHONY: all deps deps-check test check install uninstall clean bench bench-quick demo test-progs vmtest vmbench
all: deps-check $(BIN)/runsel-loader $(RUNSEL_IMAGES) $(TOOLS) test-progs
# Each tests/*.mk fragment adds its build products as prerequisites of test-progs.
test-progs:

deps-check:
	@tools/deps --check >/dev/null 2>&1 || tools/deps

deps:
	tools/deps

HOST_CFLAGS := $(CSTD) $(WARN) $(CFLAGS) $(SAN_HOST)

# selctl shares the loader's list parser and decision code, so what it
# reports is what the loader does.
SELCTL_SHARED := loader/selconf.c loader/select.c loader/selindex.c loader/err.c loader/imgnote.c
$(BIN)/selctl: $(wildcard tools/selctl/*.c) $(wildcard tools/selctl/*.h) $(SELCTL_SHARED) \
               $(LOADER_HDRS) Makefile
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -Iloader -Iwrapperabi/include -o $@ $(filter %.c,$^)

# Exec benchmark: a driver and its subjects (not part of make test).
$(B)/bench/bench-exec: tools/bench/bench-exec.c Makefile
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -o $@ $<
$(B)/bench/true-dyn: tools/bench/true.c
	@mkdir -p $(@D)
	$(CC) -O2 -o $@ $<
$(B)/bench/true-static: tools/bench/true.c
	@mkdir -p $(@D)
	$(CC) -O2 -static -o $@ $<
# Per-call subject with in-process reference mechanisms (seccomp RET_TRAP,
# seccomp user notification, bare SUD) next to native.
$(B)/bench/mech: tools/bench/mech.c
	@mkdir -p $(@D)
	$(CC) $(CSTD) $(WARN) -O2 -o $@ $< -pthread
BENCH_PROGS := $(B)/bench/bench-exec $(B)/bench/true-dyn $(B)/bench/true-static $(B)/bench/mech
test-progs: $(BENCH_PROGS)

include $(wildcard tests/*.mk tests/corpus/*.mk)

test: all
	@tests/run.sh $(B)

# The kernel module: built with kbuild against Debian's headers and tested
# in Debian's own kernel under qemu (tools/vmtest/vmtest), with the wrapper
# suite on the kmod backend and the module's own tests (tests/vm).
vmtest: all
	tools/vmtest/vmtest deps
	tools/vmtest/vmtest run $(B) tests/vm/guest.sh $(B)

# Per-call cost on the kmod backend vs SUD vs native, in the same guest,
# then make bench's per-call table there (it gains the runsel-kmod rows).
vmbench: all
	tools/vmtest/vmtest deps
	tools/vmtest/vmtest run $(B) sh -c 'tools/bench-kmod $(B) && python3 tools/bench/run.py $(B) --quick --only=calls --out=/tmp/bench'


check:
	$(MAKE) BUILD=build-check SAN_HOST="-fsanitize=address,undefined -fno-omit-frame-pointer" \
	        SAN_LOADER="-fsanitize=undefined -fsanitize-undefined-trap-on-error" test fuzz-run

demo: all
	tools/demo $(B)

# runsel against native, strace, seccomp and SUD: table, results.json and
# SVG plots in $(B)/bench (tools/bench/run.py; < 10 min on 2 cores).
bench: all
	python3 tools/bench/run.py $(B)

bench-quick: all
	python3 tools/bench/run.py $(B) --quick

install: $(BIN)/runsel-loader $(TOOLS) install-wrapperabi
	install -d $(DESTDIR)$(LIBEXECDIR) $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/runsel
	install -m 0755 $(BIN)/runsel-loader $(DESTDIR)$(LIBEXECDIR)/runsel-loader
	install -m 0755 $(BIN)/selctl $(DESTDIR)$(PREFIX)/bin/selctl
	install -m 0755 $(BIN)/runsel $(DESTDIR)$(PREFIX)/bin/runsel
	install -m 0644 selected.conf $(DESTDIR)$(PREFIX)/share/runsel/selected.conf.example
	sed 's|@LOADER@|$(LIBEXECDIR)/runsel-loader|' tools/runsel.binfmt.in \
	    > $(DESTDIR)$(PREFIX)/share/runsel/runsel-binfmt.conf

uninstall: uninstall-wrapperabi
	rm -f $(DESTDIR)$(LIBEXECDIR)/runsel-loader $(DESTDIR)$(PREFIX)/bin/selctl $(DESTDIR)$(PREFIX)/bin/runsel
	rm -rf $(DESTDIR)$(PREFIX)/share/runsel

clean:
	rm -rf build build-check
