# The hostile program of tests/t_hostile.sh (issue #15): attacks on the
# sandbox from inside the program.  Dynamic (PIE, the attacks' subject)
# and static (what the exec attacks run, and a second subject).
HOSTILE_SRC := tests/sec/hostile.c
test-progs: $(B)/tests/sec/hostile $(B)/tests/sec/hostile-static
$(B)/tests/sec/hostile: $(HOSTILE_SRC)
	@mkdir -p $(@D)
	$(CC) $(CSTD) $(WARN) -O2 -pthread -o $@ $<
$(B)/tests/sec/hostile-static: $(HOSTILE_SRC)
	@mkdir -p $(@D)
	$(CC) $(CSTD) $(WARN) -O2 -pthread -static -o $@ $<
