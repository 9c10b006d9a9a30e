#!/bin/bash
# The sandbox's path decisions, table-driven (tests/unit/sandboxcheck.c):
# lexical join and normalisation (wrapperabi/lib/pathlex.c), allow-write
# by name and by real path, fd aliases, /proc/PID/fd, open flags,
# allow-exec globs (wrapperabi/wrappers/sandbox_policy.h); "#!" lines are
# rs_shebang's, tested against the kernel in tests/unit/shebangcheck.c.
# One line per group of rows.
. "$SRC/tests/lib/common.sh"
"$BUILD/tests/sandboxcheck"
