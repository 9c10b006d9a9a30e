# Helpers for tests/t_binfmt.sh.
$(B)/tests/fexec: tests/binfmt/fexec.c Makefile
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -o $@ $<
test-progs: $(B)/tests/fexec
$(B)/tests/nosetmm: tests/binfmt/nosetmm.c Makefile
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -o $@ $<
test-progs: $(B)/tests/nosetmm
# A stand-in interpreter that reports what binfmt_misc hands it: static
# (no sanitizers) and stamped like the loader.
$(B)/tests/binfmt-probe: tests/binfmt/probe.c tools/stamp-loader Makefile
	@mkdir -p $(@D)
	$(CC) $(CSTD) $(WARN) $(CFLAGS) -static -o $@.tmp $<
	tools/stamp-loader $@.tmp
	mv $@.tmp $@
test-progs: $(B)/tests/binfmt-probe
