#!/bin/bash
# Table-driven unit tests of the wrapper runtime and fault's parsers, on the
# host (tests/unit/fmtcheck.c, libcheck.c, faultcheck.c, shebangcheck.c,
# memcheck.c (the memory accessors), printcheck.c (runsel/print.h),
# insncheck.c, fdscheck.c (initmod's kept fds under fd limits), progcheck.c
# (where the program is: rs_proc_path, rs_program_fd ..., ABI 1.4),
# tzcheck.c (trace's local time against localtime_r), outcheck.c (trace's
# log writer when a signal hook writes inside a write), rulecheck.c (a
# wrapper's rules: matching, refused tables, the overlap test), jsoncheck.c
# (format=json's escaper and RFC 3339 times against gmtime_r); built by
# tests/unitlib.mk and tests/unit.mk).  insncheck also decodes real
# binaries against objdump and proves boundaries in libc.
# Each prints one ok line per group of rows and one
# not ok line per failing row.
. "$SRC/tests/lib/common.sh"
for t in fmtcheck libcheck faultcheck shebangcheck insncheck memcheck printcheck fdscheck progcheck tzcheck outcheck rulecheck kfiltercheck jsoncheck; do
    if [ ! -x "$BUILD/tests/$t" ]; then
        nok "$t: $BUILD/tests/$t not built"
        continue
    fi
    ( cd "$TMP" && TMPDIR=$TMP "$BUILD/tests/$t" ) || nok "$t: exited $?"
done
