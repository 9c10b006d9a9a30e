# Malformed-ELF generator for tests/t_badelf.sh (host code: sanitized under make check).
$(B)/tests/mkbadelf: tests/badelf/mkbadelf.c Makefile
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -o $@ $<
# The probe template: a test subject, static, never sanitized.
$(B)/tests/badelf-probe: tests/badelf/probe.c
	@mkdir -p $(@D)
	$(CC) $(CSTD) $(WARN) -O2 -static -o $@ $<
test-progs: $(B)/tests/mkbadelf $(B)/tests/badelf-probe
