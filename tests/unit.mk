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

# initmod's instruction-length decoder and boundary proofs (initmod/insn.c,
# siteproof.c), compiled for the host; the oracle is binutils' objdump.
INSNCHECK_OBJS := $(B)/host/tests/unit/insncheck.o $(B)/host/initmod/insn.o $(B)/host/initmod/siteproof.o
$(INSNCHECK_OBJS): INC := -Iinitmod -Itests/unit
$(B)/tests/insncheck: $(INSNCHECK_OBJS)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -o $@ $^
test-progs: $(B)/tests/insncheck
$(INSNCHECK_OBJS): tests/unit.mk
DEPS += $(INSNCHECK_OBJS:.o=.d)

# initmod's kept fds (initmod/fds.c), compiled for the host: where they go
# under fd limits, across exec, and the guard around them.
FDSCHECK_OBJS := $(B)/host/tests/unit/fdscheck.o $(B)/host/initmod/fds.o
$(FDSCHECK_OBJS): INC := -Iinitmod -Iinternal -Iselconf -Iwrapperabi/include -Itests/unit
$(B)/tests/fdscheck: $(FDSCHECK_OBJS)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -o $@ $^
test-progs: $(B)/tests/fdscheck
$(FDSCHECK_OBJS): tests/unit.mk
DEPS += $(FDSCHECK_OBJS:.o=.d)

# A wrapper's rules as the kernel runs them (kfilter/compile.c): each
# table row installed in a child and answered by the kernel.
KFILTERCHECK_OBJS := $(B)/host/tests/unit/kfiltercheck.o $(B)/host/kfilter/compile.o
$(B)/host/tests/unit/kfiltercheck.o: INC := -include $(CONFIG_H) -Ikfilter -Iloader -Iselconf \
                                            -Iinternal -Iwrapperabi/include -Itests/unit
$(B)/tests/kfiltercheck: $(KFILTERCHECK_OBJS)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -o $@ $^ -lseccomp
test-progs: $(B)/tests/kfiltercheck
$(KFILTERCHECK_OBJS): tests/unit.mk
DEPS += $(KFILTERCHECK_OBJS:.o=.d)
