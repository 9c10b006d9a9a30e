#!/bin/bash
# runsel -p PID (issue #15, supervisor/attach.c): a wrapper stack attached
# to a running process and all its threads, as strace -p; a signal to
# runsel detaches and the program finishes unharmed — its own output and
# exit status, every call it made made — and the wrappers saw its calls
# from every thread while attached.  Errors: no such process, one traced
# already, an enforcing wrapper, -p with a PROGRAM.
. "$SRC/tests/lib/common.sh"
cd "$TMP" || exit 1
BUSY=$BUILD/tests/placement/busy

if ! "$RUNSEL" --placement=process -w null -- /bin/true 2>"$TMP/probe.err"; then
    skip "attaching needs what placement=process needs: $(head -1 "$TMP/probe.err")"
    exit 0
fi

# start_busy THREADS ROUNDS: the program in the background ($BPID), its
# output in $TMP/busy.out.
start_busy() { "$BUSY" "$1" "$2" >"$TMP/busy.out" 2>&1 & BPID=$!; sleep 0.3; }

# ---- trace -f: every thread, then a detach by SIGINT (Ctrl-C)
start_busy 4 150
timeout -s INT 1.5 "$RUNSEL" -p "$BPID" -f -o "$TMP/t.log" 2>"$TMP/t.err"
wait "$BPID"; rc=$?
check "trace: the program ends as natively (status 3, every call made)" \
    test "$rc/$(cat "$TMP/busy.out")" = "3/getppid 600"
check "trace: runsel says attached, with its threads, and detached" \
    bash -c "grep -q 'Process $BPID attached (with its threads)' '$TMP/t.err' && grep -q 'Process $BPID detached' '$TMP/t.err'"
check "trace: lines from all 4 threads (PID prefixes, as strace -f -p)" \
    test "$(awk '$2 ~ /^getppid\(\)/ {print $1}' "$TMP/t.log" | sort -u | wc -l)" = 4
check "trace: getppid's result is the program's parent" \
    test -z "$(awk -v pp=$$ '$2 ~ /^getppid\(\)/ && $NF != pp' "$TMP/t.log")"
check "trace: no execve line (no exec started it) and no +++ line at the detach" \
    bash -c "! grep -q 'execve(\|+++' '$TMP/t.log'"

# ---- count, detached by SIGTERM
start_busy 2 150
timeout -s TERM 1.2 "$RUNSEL" -p "$BPID" -w count -o log="$TMP/c.log" 2>"$TMP/c.err"
wait "$BPID"; rc=$?
check "count: the program ends as natively (status 3)" test "$rc/$(cat "$TMP/busy.out")" = "3/getppid 300"
check "count: the summary at the detach, getppid counted" \
    bash -c "grep -q ' total\$' '$TMP/c.log' && awk '\$NF == \"getppid\" && \$4 > 0 {f=1} END {exit !f}' '$TMP/c.log'"

# ---- the program ends while attached: runsel ends with it, the summary written
start_busy 1 20
timeout 30 "$RUNSEL" -p "$BPID" -w count -o log="$TMP/e.log" 2>/dev/null
rrc=$?
wait "$BPID"; rc=$?
check "a program that ends while attached: runsel ends too (0), the summary written" \
    bash -c "[ $rrc -eq 0 ] && [ $rc -eq 3 ] && grep -q ' total\$' '$TMP/e.log'"

# ---- a call in progress at the attach and the detach: it goes on natively
sleep 2 & SP=$!
sleep 0.3
t0=$(date +%s%N)
timeout -s INT 0.5 "$RUNSEL" -p "$SP" -f -o "$TMP/s.log" 2>/dev/null
wait "$SP"; src=$?
t1=$(date +%s%N)
check "sleep 2 attached to mid-sleep and detached: exit 0, after its time" \
    bash -c "[ $src -eq 0 ] && [ $(( (t1 - t0) / 1000000 )) -ge 1500 ]"

# ---- errors
"$RUNSEL" -p 999999999 -w trace 2>"$TMP/err1"; rc=$?
check "-p of a number that is no pid: a usage error (2)" test $rc -eq 2
sleep 3 & SP=$!
( sleep 1.5; kill "$SP" 2>/dev/null ) &
"$RUNSEL" -p "$SP" -w sandbox -o allow-write="$TMP" 2>"$TMP/err2"; rc=$?
check "an enforcing wrapper (sandbox) is refused (2), with the reason" \
    bash -c "[ $rc -eq 2 ] && grep -q 'enforces a policy' '$TMP/err2'"
"$RUNSEL" -p "$SP" -w trace -- /bin/true 2>"$TMP/err3"; rc=$?
check "-p with a PROGRAM: a usage error (2)" test $rc -eq 2
kill "$SP" 2>/dev/null; wait "$SP" 2>/dev/null
(sleep 60 & echo $! >"$TMP/gone.pid"; wait) & sleep 0.2
gone=$(cat "$TMP/gone.pid"); kill "$gone"; wait 2>/dev/null
"$RUNSEL" -p "$gone" -w trace 2>"$TMP/err4"; rc=$?
check "a pid with no process: exit 1, the reason" \
    bash -c "[ $rc -eq 1 ] && grep -q 'attach $gone' '$TMP/err4'"
if strace -qq -o /dev/null true 2>/dev/null; then
    strace -qq -o /dev/null sleep 3 & ST=$!
    sleep 0.5
    SP=$(pgrep -P "$ST" -x sleep | head -1)
    timeout 10 "$RUNSEL" -p "$SP" -w trace 2>"$TMP/err5"; rc=$?
    check "a process traced already (by strace): exit 1 with the reason, no hang" \
        bash -c "[ $rc -eq 1 ] && grep -q 'traced already' '$TMP/err5'"
    kill "$ST" 2>/dev/null; wait "$ST" 2>/dev/null
else
    skip "a process traced already: strace cannot trace here"
fi

# ---- selctl status lists runsel -p as a supervisor, and whom it serves
start_busy 1 100
timeout -s INT 1.5 "$RUNSEL" -p "$BPID" -w null 2>/dev/null &
RP=$!                               # timeout's: runsel is its child
sleep 0.8
"$SELCTL" status >"$TMP/status" 2>&1
wait "$RP"; wait "$BPID"
check "selctl status: runsel -p listed, serving the program" \
    bash -c "grep -A1 -E '^  [0-9]+: .*runsel -p $BPID -w null\$' '$TMP/status' | grep -qE '^    serves: $BPID \\(busy\\)'"
