# Test-only wrapper and programs for tests/t_placement_ready.sh: what ABI
# 1.4's rs_getpid, rs_gettid, rs_proc_path ... answer through initmod.
PL := $(B)/tests/placement
test-progs: $(PL)/where.so $(PL)/whoami
$(PL)/where.so: tests/placement/where.c $(BIN)/runsel-cc $(B)/wrapperabi/libwrapperabi.a
	@mkdir -p $(@D)
	$(BIN)/runsel-cc -o $@ $<
$(PL)/whoami: tests/placement/whoami.c
	@mkdir -p $(@D)
	$(CC) $(CSTD) $(WARN) -O2 -o $@ $< -pthread
# A multithreaded program to attach to (tests/t_attach.sh).
test-progs: $(PL)/busy
$(PL)/busy: tests/placement/busy.c
	@mkdir -p $(@D)
	$(CC) $(CSTD) $(WARN) -O2 -o $@ $< -pthread
# An observing stack does not hold the program (tests/t_placement.sh).
test-progs: $(PL)/goon
$(PL)/goon: tests/placement/goon.c
	@mkdir -p $(@D)
	$(CC) $(CSTD) $(WARN) -O2 -static -o $@ $<
