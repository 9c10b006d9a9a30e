# Helpers for tests/t_binfmt.sh.
$(B)/tests/fexec: tests/binfmt/fexec.c Makefile
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -o $@ $<
test-progs: $(B)/tests/fexec
$(B)/tests/nosetmm: tests/binfmt/nosetmm.c Makefile
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -o $@ $<
test-progs: $(B)/tests/nosetmm
