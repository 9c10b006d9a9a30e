# Host-side unit tools (sanitized under `make check`).
$(B)/tests/elfcheck: tests/unit/elfcheck.c loader/elfimg.c loader/err.c $(LOADER_HDRS) Makefile
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -Iloader -o $@ tests/unit/elfcheck.c loader/elfimg.c loader/err.c -lelf
test-progs: $(B)/tests/elfcheck
