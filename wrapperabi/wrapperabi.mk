# wrapperabi.mk — the wrapper runtime, runsel's wrappers, initmod and the
# tables they share.  Included by the top-level Makefile.
#
# A runsel image (initmod or a wrapper) is a -shared, -fPIC, freestanding
# ELF with no dependencies, only R_X86_64_RELATIVE relocations, built
# -mgeneral-regs-only (the kernel-module backend enters wrappers without
# saving vector state) and with no syscall instruction outside initmod's
# gate (tools/check-image).

GEN := $(B)/gen
IMAGE_CFLAGS := $(CSTD) $(WARN) $(CFLAGS) -fPIC -ffreestanding -fno-stack-protector \
                -fvisibility=hidden -mgeneral-regs-only -fno-asynchronous-unwind-tables \
                -fno-plt -fno-tree-loop-distribute-patterns -Iwrapperabi/include -I$(GEN)
IMAGE_LDFLAGS := -shared -nostdlib -Wl,-z,defs -Wl,-z,noexecstack -Wl,-z,relro -Wl,-z,now \
                 -Wl,--hash-style=gnu -Wl,--build-id=none

$(GEN)/sysnames.h $(GEN)/sysnames32.h $(GEN)/errnames.h &: tools/gen-tables
	tools/gen-tables $(GEN)

WABI_LIB_SRCS := $(wildcard wrapperabi/lib/*.c)
WABI_HDRS := $(wildcard wrapperabi/include/runsel/*.h) wrapperabi/lib/host.h
$(B)/wrapperabi/%.o: wrapperabi/lib/%.c $(WABI_HDRS) $(GEN)/sysnames.h $(GEN)/sysnames32.h $(GEN)/errnames.h Makefile wrapperabi/wrapperabi.mk
	@mkdir -p $(@D)
	$(CC) $(IMAGE_CFLAGS) -c -o $@ $<
WABI_OBJS := $(patsubst wrapperabi/lib/%.c,$(B)/wrapperabi/%.o,$(WABI_LIB_SRCS))
$(B)/wrapperabi/libwrapperabi.a: $(WABI_OBJS)
	rm -f $@ && ar rcs $@ $^

# ---- initmod: its own sources plus the runtime's helpers (not entry.o:
# initmod is the host, not a wrapper; not log.o: logs are wrappers' and
# need the host's services from entry.o).
INITMOD_SRCS := $(wildcard initmod/*.c) $(wildcard initmod/*.S)
INITMOD_HDRS := $(wildcard initmod/*.h)
$(B)/initmod/%.o: initmod/%.c $(INITMOD_HDRS) $(WABI_HDRS) $(GEN)/sysnames.h Makefile wrapperabi/wrapperabi.mk
	@mkdir -p $(@D)
	$(CC) $(IMAGE_CFLAGS) -c -o $@ $<
$(B)/initmod/%.o: initmod/%.S Makefile
	@mkdir -p $(@D)
	$(CC) -Iwrapperabi/include -c -o $@ $<
INITMOD_OBJS := $(patsubst initmod/%.c,$(B)/initmod/%.o,$(filter %.c,$(INITMOD_SRCS))) \
                $(patsubst initmod/%.S,$(B)/initmod/%.o,$(filter %.S,$(INITMOD_SRCS))) \
                $(filter-out $(B)/wrapperabi/entry.o $(B)/wrapperabi/log.o,$(WABI_OBJS))
$(BIN)/runsel-init: $(INITMOD_OBJS) tools/check-image
	@mkdir -p $(@D)
	$(CC) $(IMAGE_CFLAGS) $(IMAGE_LDFLAGS) -Wl,-e,_start -o $@.tmp $(INITMOD_OBJS) -lgcc
	tools/check-image initmod $@.tmp
	mv $@.tmp $@

# ---- runsel-cc: how anyone builds a wrapper, runsel's own included.  The
# build tree's copy points into the tree; `make install` writes one that
# points into the installation.
define runsel_cc_subst
sed -e 's|@CFLAGS@|$(filter-out -I%,$(IMAGE_CFLAGS))|' -e 's|@LDFLAGS@|$(IMAGE_LDFLAGS)|' \
    -e 's|@INCLUDE@|$(1)|' -e 's|@LIB@|$(2)|' -e 's|@CHECK@|$(3)|' -e 's|@WRAPPERDIR@|$(4)|' \
    tools/runsel-cc.in
endef
$(BIN)/runsel-cc: tools/runsel-cc.in wrapperabi/wrapperabi.mk Makefile
	@mkdir -p $(@D)
	$(call runsel_cc_subst,$(abspath wrapperabi/include),$(abspath $(B)/wrapperabi),$(abspath tools/check-image),$(abspath $(BIN)/wrappers)) >$@.tmp
	chmod 755 $@.tmp && mv $@.tmp $@

# ---- wrappers: one image per wrapperabi/wrappers/NAME.c
WRAPPERS := $(patsubst wrapperabi/wrappers/%.c,%,$(wildcard wrapperabi/wrappers/*.c))
WRAPPER_IMAGES := $(patsubst %,$(BIN)/wrappers/%.so,$(WRAPPERS))
$(BIN)/wrappers/%.so: wrapperabi/wrappers/%.c $(wildcard wrapperabi/wrappers/*.h) $(BIN)/runsel-cc \
                      $(B)/wrapperabi/libwrapperabi.a $(WABI_HDRS) tools/check-image
	@mkdir -p $(@D)
	$(BIN)/runsel-cc -o $@.tmp.so $<
	mv $@.tmp.so $@

RUNSEL_IMAGES := $(BIN)/runsel-init $(WRAPPER_IMAGES)
.PHONY: install-wrapperabi

install-wrapperabi: $(RUNSEL_IMAGES) $(B)/wrapperabi/libwrapperabi.a
	install -d $(DESTDIR)$(LIBEXECDIR)/wrappers $(DESTDIR)$(PREFIX)/include/runsel \
	    $(DESTDIR)$(PREFIX)/lib/runsel/sdk $(DESTDIR)$(PREFIX)/bin
	install -m 0755 $(BIN)/runsel-init $(DESTDIR)$(LIBEXECDIR)/runsel-init
	install -m 0644 $(WRAPPER_IMAGES) $(DESTDIR)$(LIBEXECDIR)/wrappers/
	install -m 0644 wrapperabi/include/runsel/*.h $(DESTDIR)$(PREFIX)/include/runsel/
	install -m 0644 $(B)/wrapperabi/libwrapperabi.a $(DESTDIR)$(PREFIX)/lib/runsel/sdk/
	install -m 0755 tools/check-image $(DESTDIR)$(PREFIX)/lib/runsel/sdk/check-image
	$(call runsel_cc_subst,$(PREFIX)/include,$(PREFIX)/lib/runsel/sdk,$(PREFIX)/lib/runsel/sdk/check-image,$(LIBEXECDIR)/wrappers) \
	    >$(DESTDIR)$(PREFIX)/bin/runsel-cc
	chmod 755 $(DESTDIR)$(PREFIX)/bin/runsel-cc

uninstall-wrapperabi:
	rm -rf $(DESTDIR)$(LIBEXECDIR)/runsel-init $(DESTDIR)$(LIBEXECDIR)/wrappers \
	    $(DESTDIR)$(PREFIX)/include/runsel $(DESTDIR)$(PREFIX)/lib/runsel/sdk $(DESTDIR)$(PREFIX)/bin/runsel-cc
.PHONY: uninstall-wrapperabi
