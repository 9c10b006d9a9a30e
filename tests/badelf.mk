# Malformed-ELF generator for tests/t_badelf.sh (host code: sanitized under make check).
$(B)/tests/mkbadelf: tests/badelf/mkbadelf.c Makefile
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -o $@ $<
test-progs: $(B)/tests/mkbadelf
