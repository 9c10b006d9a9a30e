#!/bin/bash
# The wrapper suite again, out of process (runsel --placement=process,
# TEST_PLACEMENT=process in tests/lib/common.sh): the same checks must
# give the same results when the wrappers run in a supervisor.  Here:
# sandbox (every policy, every call it governs, its refusals), fault
# (every injection form, its option errors), trace (its lines, logs,
# processes and threads; where the log fd lives differs, and t_trace says
# so; signals and the calls they interrupt, with the kernel's restart
# codes) and count (its totals against strace -c -f, nothing lost, the
# summary written when runsel returns) and the runtime's own (t_wrap: what
# differs out of process is checked as it is there — no dispatch to turn
# off, no kept fd, a root supervisor follows a set-user-ID exec — and the
# 50 µs signal storm is skipped: docs/placement.md).
. "$SRC/tests/lib/common.sh"
if ! "$RUNSEL" --placement=process -w null -- /bin/true 2>"$TMP/probe.err"; then
    skip "placement=process cannot run here: $(head -1 "$TMP/probe.err")"
    exit 0
fi
for t in t_sandbox t_fault t_trace t_trace_delivery t_trace_signal t_count t_wrap; do
    TEST_PLACEMENT=process bash "$SRC/tests/$t.sh" 2>&1 |
        sed -E "s/^(not ok|ok|skip) /\1 [$t, out of process] /"
    rc=${PIPESTATUS[0]}
    [ "$rc" -eq 0 ] || nok "$t out of process: script exited $rc"
done
