#!/bin/bash
# The wrapper suite and the real programs again, without the fast path
# (runsel --no-fastpath): every other test runs with it, as it is on by
# default, so the two must give the same results — the fast path changes
# how calls reach the wrapper, never what the program or the wrapper sees.
. "$SRC/tests/lib/common.sh"
for t in t_wrap t_trace t_count t_fault t_sandbox t_runtimes t_sysprogs; do
    TEST_FASTPATH=no bash "$SRC/tests/$t.sh" 2>&1 |
        sed -E "s/^(not ok|ok|skip) /\1 [$t, no fast path] /"
    rc=${PIPESTATUS[0]}
    [ "$rc" -eq 0 ] || nok "$t without the fast path: script exited $rc"
done
