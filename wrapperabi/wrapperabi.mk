# wrapperabi.mk — the wrapper runtime (libwrapperabi.a), the tables it
# shares with initmod, runsel-cc and runsel's wrappers.
#
# A runsel image (initmod or a wrapper) is a -shared, -fPIC, freestanding
# ELF with no dependencies, only R_X86_64_RELATIVE relocations, built
# -mgeneral-regs-only (the kernel-module backend enters wrappers without
# saving vector state) and with no syscall instruction outside initmod's
# gate (tools/check-image).

GEN := $(B)/gen
GEN_TABLES := $(GEN)/sysnames.h $(GEN)/sysnames32.h $(GEN)/errnames.h
IMAGE_CFLAGS := $(CSTD) $(WARN) $(CFLAGS) -fPIC -ffreestanding -fno-stack-protector \
                -fvisibility=hidden -mgeneral-regs-only -fno-asynchronous-unwind-tables \
                -fno-plt -fno-tree-loop-distribute-patterns -Iwrapperabi/include -I$(GEN)
# Where the runtime's objects find the contracts it implements: the host
# interface (internal/host.h) and, for rs_glob_match, the list's glob.
WABI_INC := -Iinternal -Iselconf
IMAGE_LDFLAGS := -shared -nostdlib -Wl,-z,defs -Wl,-z,noexecstack -Wl,-z,relro -Wl,-z,now \
                 -Wl,--hash-style=gnu -Wl,--build-id=none

# gen-tables rewrites a table only when its text changes; the touch makes
# the tables newer than the generator either way, so make (and make -q)
# sees them up to date afterwards.
$(GEN_TABLES) &: tools/gen-tables
	tools/gen-tables $(GEN)
	touch $(GEN_TABLES)

WABI_LIB_SRCS := $(wildcard wrapperabi/lib/*.c)
WABI_HDRS := $(wildcard wrapperabi/include/runsel/*.h)
# The generated tables are order-only: an object is rebuilt when a table
# it includes changes (its .d file says so), not whenever one is made.
$(B)/wrapperabi/%.o: wrapperabi/lib/%.c | $(GEN_TABLES)
	@mkdir -p $(@D)
	$(CC) $(IMAGE_CFLAGS) $(WABI_INC) $(DEPFLAGS) -c -o $@ $<
# The list's glob, so that sandbox's allow-exec and selected.conf match
# with one matcher (wrapperabi/lib/path.c: rs_glob_match).
$(B)/wrapperabi/selconf-glob.o: selconf/glob.c
	@mkdir -p $(@D)
	$(CC) $(IMAGE_CFLAGS) $(DEPFLAGS) -c -o $@ $<
WABI_OBJS := $(patsubst wrapperabi/lib/%.c,$(B)/wrapperabi/%.o,$(WABI_LIB_SRCS)) \
             $(B)/wrapperabi/selconf-glob.o
$(WABI_OBJS): wrapperabi/wrapperabi.mk Makefile
$(B)/wrapperabi/libwrapperabi.a: $(WABI_OBJS)
	rm -f $@ && ar rcs $@ $^
DEPS += $(WABI_OBJS:.o=.d)

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

# ---- wrappers: one image per wrapperabi/wrappers/NAME.c, or per folder
# wrapperabi/wrappers/NAME/ of sources (trace: a file per family of calls,
# as strace's src/), whose xlat/*.in tables tools/gen-xlat makes from the
# kernel headers into $(GEN)/xlat/.
WRAPPERS := $(patsubst wrapperabi/wrappers/%.c,%,$(wildcard wrapperabi/wrappers/*.c))
WRAPPER_DIRS := $(patsubst wrapperabi/wrappers/%/,%,$(sort $(dir $(wildcard wrapperabi/wrappers/*/*.c))))
WRAPPER_IMAGES := $(patsubst %,$(BIN)/wrappers/%.so,$(WRAPPERS) $(WRAPPER_DIRS))
$(patsubst %,$(BIN)/wrappers/%.so,$(WRAPPERS)): $(BIN)/wrappers/%.so: wrapperabi/wrappers/%.c \
        $(BIN)/runsel-cc $(B)/wrapperabi/libwrapperabi.a tools/check-image
	@mkdir -p $(@D) $(B)/wrappers
	$(BIN)/runsel-cc -o $@.tmp.so $< $(DEPFLAGS) -MT $@ -MF $(B)/wrappers/$*.d
	mv $@.tmp.so $@
DEPS += $(patsubst %,$(B)/wrappers/%.d,$(WRAPPERS))

XLAT_INS := $(wildcard wrapperabi/wrappers/*/xlat/*.in)
XLAT_HDRS := $(patsubst %.in,$(GEN)/xlat/%.h,$(notdir $(XLAT_INS)))
$(GEN)/xlat/%.h: tools/gen-xlat
	@mkdir -p $(@D)
	tools/gen-xlat $(filter %/$*.in,$(XLAT_INS)) $@
$(foreach f,$(XLAT_INS),$(eval $(GEN)/xlat/$(notdir $(f:.in=.h)): $(f)))

# A folder's objects, compiled one by one (each with its .d), then linked
# by runsel-cc like any wrapper.
define wrapper_dir
$(1)_OBJS := $$(patsubst wrapperabi/wrappers/$(1)/%.c,$(B)/wrappers/$(1)/%.o,$$(wildcard wrapperabi/wrappers/$(1)/*.c))
$(B)/wrappers/$(1)/%.o: wrapperabi/wrappers/$(1)/%.c wrapperabi/wrapperabi.mk | $(GEN_TABLES) $(XLAT_HDRS)
	@mkdir -p $$(@D)
	$(CC) $(IMAGE_CFLAGS) -I$(GEN) $(DEPFLAGS) -c -o $$@ $$<
$(BIN)/wrappers/$(1).so: $$($(1)_OBJS) $(BIN)/runsel-cc $(B)/wrapperabi/libwrapperabi.a tools/check-image
	@mkdir -p $$(@D)
	$(BIN)/runsel-cc -o $$@.tmp.so $$($(1)_OBJS)
	mv $$@.tmp.so $$@
DEPS += $$($(1)_OBJS:.o=.d)
endef
$(foreach w,$(WRAPPER_DIRS),$(eval $(call wrapper_dir,$(w))))

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
