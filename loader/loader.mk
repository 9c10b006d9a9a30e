# loader.mk — runsel-loader, the program binfmt_misc runs for every exec:
# loader/*.c and *.S, plus the selection list's code (selconf/) compiled
# with the same flags.
#
# The loader is freestanding and static-pie (ARCHITECTURE.md explains both):
# no libc start-up cost on every exec, no stack protector (there is no TLS),
# and no relocations at all — nothing relocates the loader, so tables of
# pointers (jump tables, switch lookup tables) are disabled and
# tools/check-loader fails the build if any relocation appears.
LOADER_CFLAGS := $(CSTD) $(WARN) $(CFLAGS) -fPIE -ffreestanding -fno-stack-protector \
                 -include $(CONFIG_H) -Iinternal -Iselconf -Iwrapperabi/include \
                 -fno-jump-tables -fno-tree-switch-conversion -fno-plt \
                 -fno-asynchronous-unwind-tables $(SAN_LOADER)
# noseparate-code: two segments instead of four — fewer VMAs for the kernel
# to map at every exec and for the loader to unmap.
LOADER_LDFLAGS := -nostdlib -static-pie -Wl,-z,noexecstack -Wl,--no-dynamic-linker \
                  -Wl,--build-id=none -Wl,-z,noseparate-code

LOADER_C := $(wildcard loader/*.c)
LOADER_OBJS := $(patsubst loader/%.c,$(B)/loader/%.o,$(LOADER_C)) \
               $(patsubst loader/%.S,$(B)/loader/%.o,$(wildcard loader/*.S)) \
               $(patsubst selconf/%.c,$(B)/loader/selconf/%.o,$(SELCONF_SRCS)) \
               $(B)/loader/wabi-mem.o

$(B)/loader/%.o: loader/%.c
	@mkdir -p $(@D)
	$(CC) $(LOADER_CFLAGS) $(DEPFLAGS) -c -o $@ $<
$(B)/loader/selconf/%.o: selconf/%.c
	@mkdir -p $(@D)
	$(CC) $(LOADER_CFLAGS) $(DEPFLAGS) -c -o $@ $<
$(B)/loader/%.o: loader/%.S
	@mkdir -p $(@D)
	$(CC) $(DEPFLAGS) -c -o $@ $<

# mem.c (strlen & co.) and the runtime's mem.c (memcpy & co., the one copy
# every freestanding part links): keep gcc from turning their loops into
# calls to themselves, and keep sanitizer checks out of them.
LOADER_MEM_CFLAGS := $(CSTD) $(WARN) $(CFLAGS) -fPIE -ffreestanding -fno-stack-protector \
                     -fno-tree-loop-distribute-patterns -fno-builtin
$(B)/loader/mem.o: loader/mem.c
	@mkdir -p $(@D)
	$(CC) $(LOADER_MEM_CFLAGS) $(DEPFLAGS) -c -o $@ $<
$(B)/loader/wabi-mem.o: wrapperabi/lib/mem.c
	@mkdir -p $(@D)
	$(CC) $(LOADER_MEM_CFLAGS) $(DEPFLAGS) -c -o $@ $<

$(LOADER_OBJS): loader/loader.mk Makefile

$(BIN)/runsel-loader: $(LOADER_OBJS) tools/stamp-loader tools/check-loader
	@mkdir -p $(@D)
	$(CC) $(LOADER_CFLAGS) $(LOADER_LDFLAGS) -o $@.tmp $(LOADER_OBJS) -lgcc
	tools/check-loader $@.tmp
	tools/stamp-loader $@.tmp
	mv $@.tmp $@

# The loader's selection decision as host objects: selctl links them, so
# what it explains is what the loader decides (loader/select.h).
LOADER_HOST_OBJS := $(patsubst %,$(B)/host/loader/%.o,select err imgnote rsimage elfimg map)
$(LOADER_HOST_OBJS): INC := -include $(CONFIG_H) -Iloader -Iinternal -Iselconf -Iwrapperabi/include
$(LOADER_HOST_OBJS): loader/loader.mk Makefile

DEPS += $(LOADER_OBJS:.o=.d) $(LOADER_HOST_OBJS:.o=.d)
