#!/bin/bash
# The sandbox's path decisions, table-driven (tests/unit/sandboxcheck.c):
# lexical join and normalisation (wrapperabi/lib/pathlex.c), allow-write
# by name and by real path, fd aliases, /proc/PID/fd, open flags,
# allow-exec globs and "#!" lines (wrapperabi/wrappers/sandbox_policy.h).
# One line per group of rows.
. "$SRC/tests/lib/common.sh"
"$BUILD/tests/sandboxcheck"
