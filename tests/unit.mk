# Host-side unit tools (sanitized under `make check`): one object per
# source under $(B)/host/ (the top Makefile's rule), include flags per list.
ELFCHECK_OBJS := $(B)/host/tests/unit/elfcheck.o $(B)/host/loader/elfimg.o
$(ELFCHECK_OBJS): INC := -include $(CONFIG_H) -Iloader -Iinternal -Iselconf -Iwrapperabi/include
$(B)/tests/elfcheck: $(ELFCHECK_OBJS) $(B)/host/loader/err.o
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -o $@ $^ -lelf
test-progs: $(B)/tests/elfcheck

GLOBCHECK_OBJS := $(B)/host/tests/unit/globcheck.o
$(GLOBCHECK_OBJS): INC := -Iselconf
$(B)/tests/globcheck: $(GLOBCHECK_OBJS) $(B)/host/libselconf.a
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -o $@ $^
test-progs: $(B)/tests/globcheck

$(ELFCHECK_OBJS) $(GLOBCHECK_OBJS): tests/unit.mk
DEPS += $(ELFCHECK_OBJS:.o=.d) $(GLOBCHECK_OBJS:.o=.d)
