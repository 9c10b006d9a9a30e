# initmod.mk — runsel-init, the initialization module the loader maps into
# a selected program: its own sources plus the runtime's helpers (not entry.o:
# initmod is the host, not a wrapper; not log.o, program.o and path.o:
# logs, the program's /proc and descriptors, and path judging are
# wrappers' and need the host's services from entry.o; not optcheck.o: it
# checks a wrapper's options against the wrapper's own RS_OPTIONS).
INITMOD_SRCS := $(wildcard initmod/*.c) $(wildcard initmod/*.S)
# Contracts: the boot block and the host interface (internal/), the
# module's ioctls (kmod/selredir.h), the list's own keys (selconf/selconf.h),
# the wrapper ABI (IMAGE_CFLAGS).
INITMOD_INC := -Iinternal -Ikmod -Iselconf
$(B)/initmod/%.o: initmod/%.c | $(GEN_TABLES)
	@mkdir -p $(@D)
	$(CC) $(IMAGE_CFLAGS) $(INITMOD_INC) $(DEPFLAGS) -c -o $@ $<
$(B)/initmod/%.o: initmod/%.S
	@mkdir -p $(@D)
	$(CC) -Iwrapperabi/include $(INITMOD_INC) $(DEPFLAGS) -c -o $@ $<
INITMOD_OBJS := $(patsubst initmod/%.c,$(B)/initmod/%.o,$(filter %.c,$(INITMOD_SRCS))) \
                $(patsubst initmod/%.S,$(B)/initmod/%.o,$(filter %.S,$(INITMOD_SRCS))) \
                $(filter-out $(B)/wrapperabi/entry.o $(B)/wrapperabi/log.o \
                  $(B)/wrapperabi/program.o $(B)/wrapperabi/path.o \
                  $(B)/wrapperabi/optcheck.o $(B)/wrapperabi/syslog.o,$(WABI_OBJS))
INITMOD_OWN_OBJS := $(filter $(B)/initmod/%,$(INITMOD_OBJS))
$(INITMOD_OWN_OBJS): initmod/initmod.mk Makefile
DEPS += $(INITMOD_OWN_OBJS:.o=.d)
$(BIN)/runsel-init: $(INITMOD_OBJS) tools/check-image
	@mkdir -p $(@D)
	$(CC) $(IMAGE_CFLAGS) $(IMAGE_LDFLAGS) -Wl,-e,_start -o $@.tmp $(INITMOD_OBJS) -lgcc
	tools/check-image initmod $@.tmp
	mv $@.tmp $@
