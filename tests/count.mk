# Programs for tests/t_count.sh: known numbers of calls (tests/count/calls.c),
# dynamic and static.
CT := $(B)/tests/count
test-progs: $(CT)/calls $(CT)/calls-static
$(CT)/calls: tests/count/calls.c tests/count.mk
	@mkdir -p $(@D)
	$(CC) $(CSTD) $(WARN) -O2 -o $@ $< -pthread
$(CT)/calls-static: tests/count/calls.c tests/count.mk
	@mkdir -p $(@D)
	$(CC) $(CSTD) $(WARN) -O2 -static -o $@ $< -pthread
