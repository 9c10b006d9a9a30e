# Host-side unit tools (sanitized under `make check`).
$(B)/tests/elfcheck: tests/unit/elfcheck.c loader/elfimg.c loader/err.c $(LOADER_HDRS) Makefile
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -Iloader -o $@ tests/unit/elfcheck.c loader/elfimg.c loader/err.c -lelf
test-progs: $(B)/tests/elfcheck
$(B)/tests/globcheck: tests/unit/globcheck.c loader/selconf.c loader/selconf.h Makefile
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -Iloader -o $@ tests/unit/globcheck.c loader/selconf.c
test-progs: $(B)/tests/globcheck
