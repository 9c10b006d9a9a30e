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

$(GEN)/sysnames.h $(GEN)/errnames.h: tools/gen-tables
	tools/gen-tables $(GEN)

WABI_LIB_SRCS := $(wildcard wrapperabi/lib/*.c)
WABI_HDRS := $(wildcard wrapperabi/include/runsel/*.h) wrapperabi/lib/host.h
$(B)/wrapperabi/%.o: wrapperabi/lib/%.c $(WABI_HDRS) $(GEN)/sysnames.h $(GEN)/errnames.h Makefile wrapperabi/wrapperabi.mk
	@mkdir -p $(@D)
	$(CC) $(IMAGE_CFLAGS) -c -o $@ $<
WABI_OBJS := $(patsubst wrapperabi/lib/%.c,$(B)/wrapperabi/%.o,$(WABI_LIB_SRCS))
$(B)/wrapperabi/libwrapperabi.a: $(WABI_OBJS)
	rm -f $@ && ar rcs $@ $^

# ---- initmod: its own sources plus the runtime's helpers (not entry.o:
# initmod is the host, not a wrapper).
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
                $(filter-out $(B)/wrapperabi/entry.o,$(WABI_OBJS))
$(BIN)/runsel-init: $(INITMOD_OBJS) tools/check-image
	@mkdir -p $(@D)
	$(CC) $(IMAGE_CFLAGS) $(IMAGE_LDFLAGS) -Wl,-e,_start -o $@.tmp $(INITMOD_OBJS) -lgcc
	tools/check-image initmod $@.tmp
	mv $@.tmp $@

# ---- wrappers: one image per wrapperabi/wrappers/NAME.c
WRAPPERS := $(patsubst wrapperabi/wrappers/%.c,%,$(wildcard wrapperabi/wrappers/*.c))
WRAPPER_IMAGES := $(patsubst %,$(BIN)/wrappers/%.so,$(WRAPPERS))
$(BIN)/wrappers/%.so: wrapperabi/wrappers/%.c $(B)/wrapperabi/libwrapperabi.a $(WABI_HDRS) tools/check-image
	@mkdir -p $(@D)
	$(CC) $(IMAGE_CFLAGS) $(IMAGE_LDFLAGS) -Wl,-e,rs_image_entry -o $@.tmp $< \
	    $(B)/wrapperabi/libwrapperabi.a -lgcc
	tools/check-image wrapper $@.tmp
	mv $@.tmp $@

RUNSEL_IMAGES := $(BIN)/runsel-init $(WRAPPER_IMAGES)
