# The sandbox's path decisions, table-tested on the host (sanitized under
# `make check`): tests/unit/sandboxcheck.c includes the wrapper's policy
# header (wrapperabi/wrappers/sandbox_policy.h) and links the host build of
# the runtime (tests/unitlib.mk: pathlex.c, str.c, rs_glob_match over
# libselconf.a).  Run by tests/t_unit_sandbox.sh.  The libraries are named
# by path: this file may be read before unitlib.mk defines UNITLIB_LIBS.
SANDBOXCHECK_LIBS := $(B)/tests/unitlib/libwabi-host.a $(B)/host/libselconf.a
$(B)/tests/sandboxcheck: tests/unit/sandboxcheck.c $(SANDBOXCHECK_LIBS) tests/sandboxcheck.mk
	@mkdir -p $(@D)
	$(CC) $(UNITLIB_CFLAGS) -Iwrapperabi/wrappers -o $@ $< $(SANDBOXCHECK_LIBS)
test-progs: $(B)/tests/sandboxcheck
DEPS += $(B)/tests/sandboxcheck.d
