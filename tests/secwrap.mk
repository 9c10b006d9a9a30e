# Helpers for tests/t_security_wrappers.sh.
$(B)/tests/nsprobe: tests/secwrap/nsprobe.c Makefile
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -o $@ $<
test-progs: $(B)/tests/nsprobe
