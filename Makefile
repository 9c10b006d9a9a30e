# runsel — top-level build.  `make` builds everything into $(BUILD)/,
# `make test` runs every test and ends with "N passed, M failed",
# `make check` rebuilds with sanitizers into build-check/ and runs the same tests.
#
# Each part builds from its own .mk (Kbuild's per-directory files are the
# model); this file sets what they share, includes them and names the
# targets a user types:
#   selconf/selconf.mk       the selection list's code (shared by loader and tools)
#   loader/loader.mk         runsel-loader
#   wrapperabi/wrapperabi.mk the wrapper runtime, runsel-cc, the wrappers
#   initmod/initmod.mk       runsel-init
#   tools/tools.mk           selctl, runsel, the benchmark programs
#   tests/*.mk               test programs (prerequisites of test-progs)
# The contracts between parts are headers on the include path (internal/,
# wrapperabi/include/, selconf/, kmod/selredir.h; internal/README.md).

BUILD   ?= build
PREFIX  ?= /usr/local
DESTDIR ?=
LIBEXECDIR ?= $(PREFIX)/lib/runsel
MANDIR  ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions

CC      ?= gcc
WARN    := -Wall -Wextra -Werror
CFLAGS  ?= -O2 -g
CSTD    := -std=gnu11
SAN_HOST ?=
SAN_LOADER ?=
# Flags for host programs only (runsel, selctl, the tests' programs):
# debian/rules passes dpkg-buildflags' hardening here.  The loader, initmod
# and the wrapper images are freestanding and built with their own flags.
HOST_HARDEN ?=
HOST_CFLAGS := $(CSTD) $(WARN) $(CFLAGS) $(SAN_HOST) $(HOST_HARDEN)
# Every compile writes OBJ.d next to its object: the headers it read, each
# with an empty rule (-MP) so a deleted header does not stop the build.
# The parts add their .d files to DEPS; they are included at the end.
DEPFLAGS := -MMD -MP
DEPS :=

.DEFAULT_GOAL := all

B       := $(BUILD)
BIN     := $(B)/bin

# Installation paths compiled into the loader, selctl and runsel.  Written
# at parse time, and only when they change, so `make install PREFIX=/usr`
# after `make` rebuilds what uses them instead of installing stale ones,
# and an unchanged tree stays up to date for `make -q` (no FORCE rule).
CONFIG_H := $(B)/config.h
config_text := \#define RUNSEL_LIBEXECDIR "$(LIBEXECDIR)"
ifneq ($(config_text),$(file <$(CONFIG_H)))
$(shell mkdir -p $(B))
$(file >$(CONFIG_H),$(config_text))
endif

# Host code (tools, unit tests): one object per source under $(B)/host/,
# compiled with the include flags of the part that owns the object (INC,
# set on each object list in that part's .mk).
$(B)/host/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) $(DEPFLAGS) $(INC) -c -o $@ $<

include selconf/selconf.mk
include loader/loader.mk
include wrapperabi/wrapperabi.mk
include initmod/initmod.mk
include kfilter/kfilter.mk
include tools/tools.mk

.PHONY: all programs deps deps-check test check install uninstall clean bench bench-quick demo test-progs vmtest vmbench deb
all: deps-check programs test-progs
# What is installed, and nothing else (the package build: no tests, no
# tools/deps).
programs: $(BIN)/runsel-loader $(RUNSEL_IMAGES) $(TOOLS)
# Each tests/*.mk fragment adds its build products as prerequisites of test-progs.
test-progs: $(BENCH_PROGS)

deps-check:
	@tools/deps --check >/dev/null 2>&1 || tools/deps

deps:
	tools/deps

include $(wildcard tests/*.mk)

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

# Debian packages (debian/) into $(DEB_OUT): dpkg-buildpackage in a copy of
# the tree, then lintian, which must report no error (tools/mkdeb).
DEB_OUT ?= $(B)/deb
deb:
	@tools/deps --check >/dev/null 2>&1 || tools/deps
	tools/mkdeb $(DEB_OUT)

install: programs install-wrapperabi
	install -d $(DESTDIR)$(LIBEXECDIR) $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/runsel
	install -m 0755 $(BIN)/runsel-loader $(DESTDIR)$(LIBEXECDIR)/runsel-loader
	install -m 0755 $(BIN)/selctl $(DESTDIR)$(PREFIX)/bin/selctl
	install -m 0755 $(BIN)/runsel $(DESTDIR)$(PREFIX)/bin/runsel
	# the loader runs runsel from its own directory for placement=process entries
	ln -sf $(PREFIX)/bin/runsel $(DESTDIR)$(LIBEXECDIR)/runsel
	install -m 0644 selected.conf $(DESTDIR)$(PREFIX)/share/runsel/selected.conf.example
	sed 's|@LOADER@|$(LIBEXECDIR)/runsel-loader|' tools/runsel.binfmt.in \
	    > $(DESTDIR)$(PREFIX)/share/runsel/runsel-binfmt.conf
	# the man pages (man/*.SECTION), each into its section's directory
	install -d $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 \
	    $(DESTDIR)$(MANDIR)/man7 $(DESTDIR)$(MANDIR)/man8
	install -m 0644 man/*.1 $(DESTDIR)$(MANDIR)/man1/
	install -m 0644 man/*.5 $(DESTDIR)$(MANDIR)/man5/
	install -m 0644 man/*.7 $(DESTDIR)$(MANDIR)/man7/
	install -m 0644 man/*.8 $(DESTDIR)$(MANDIR)/man8/
	install -d $(DESTDIR)$(BASHCOMPDIR)
	install -m 0644 tools/completion/runsel.bash $(DESTDIR)$(BASHCOMPDIR)/runsel
	install -m 0644 tools/completion/runsel.bash $(DESTDIR)$(BASHCOMPDIR)/selctl

uninstall: uninstall-wrapperabi
	rm -f $(DESTDIR)$(LIBEXECDIR)/runsel-loader $(DESTDIR)$(LIBEXECDIR)/runsel \
	    $(DESTDIR)$(PREFIX)/bin/selctl $(DESTDIR)$(PREFIX)/bin/runsel
	rm -rf $(DESTDIR)$(PREFIX)/share/runsel
	rm -f $(foreach p,$(wildcard man/*.[1578]),$(DESTDIR)$(MANDIR)/man$(subst .,,$(suffix $(p)))/$(notdir $(p)))
	rm -f $(DESTDIR)$(BASHCOMPDIR)/runsel $(DESTDIR)$(BASHCOMPDIR)/selctl

clean:
	rm -rf build build-check

-include $(DEPS)
