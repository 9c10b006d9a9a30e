# selconf.mk — the selection list's code: the selected.conf parser, its
# glob, the compiled index and the hash cache.  Freestanding C, compiled
# three ways: into the loader with its flags (loader/loader.mk), into the
# host tools as libselconf.a (here), and the glob into the wrapper runtime
# for sandbox's allow-exec (wrapperabi/wrapperabi.mk).
SELCONF_SRCS := $(wildcard selconf/*.c)
SELCONF_HOST_OBJS := $(patsubst %.c,$(B)/host/%.o,$(SELCONF_SRCS))
$(SELCONF_HOST_OBJS): INC := -Iselconf -Iinternal -Iwrapperabi/include
$(SELCONF_HOST_OBJS): selconf/selconf.mk

$(B)/host/libselconf.a: $(SELCONF_HOST_OBJS)
	rm -f $@ && ar rcs $@ $^

DEPS += $(SELCONF_HOST_OBJS:.o=.d)
