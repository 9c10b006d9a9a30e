# Programs for tests/t_security.sh (the security review's reproducers).
SEC := $(B)/tests/sec
SEC_PROGS := $(SEC)/euid
test-progs: $(SEC_PROGS)

$(SEC)/euid: tests/sec/euid.c
	@mkdir -p $(@D)
	$(CC) $(CSTD) $(WARN) -O2 -static -o $@ $<
SEC_PROGS += $(SEC)/ia32
test-progs: $(SEC)/ia32
$(SEC)/ia32: tests/sec/ia32.c
	@mkdir -p $(@D)
	$(CC) $(CSTD) $(WARN) -O2 -static -no-pie -fno-pie -o $@ $<
test-progs: $(SEC)/reexec $(SEC)/reexec-static
$(SEC)/reexec: tests/sec/reexec.c
	@mkdir -p $(@D)
	$(CC) $(CSTD) $(WARN) -O2 -o $@ $<
$(SEC)/reexec-static: tests/sec/reexec.c
	@mkdir -p $(@D)
	$(CC) $(CSTD) $(WARN) -O2 -static -o $@ $<
