# kfilter.mk — placement=kernel: a wrapper's rules as a seccomp filter
# (libseccomp), linked into runsel and selctl.
KFILTER_OBJS := $(patsubst %.c,$(B)/host/%.o,$(wildcard kfilter/*.c))
$(KFILTER_OBJS): INC := -include $(CONFIG_H) -Ikfilter -Iloader -Iselconf -Iinternal \
                        -Iwrapperabi/include
$(KFILTER_OBJS): kfilter/kfilter.mk Makefile
DEPS += $(KFILTER_OBJS:.o=.d)
