# Programs for tests/t_security.sh (the security review's reproducers).
SEC := $(B)/tests/sec
SEC_PROGS := $(SEC)/euid
test-progs: $(SEC_PROGS)

$(SEC)/euid: tests/sec/euid.c
	@mkdir -p $(@D)
	$(CC) $(CSTD) $(WARN) -O2 -static -o $@ $<
