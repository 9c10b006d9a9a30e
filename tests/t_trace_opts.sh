#!/bin/bash
# trace's strace options (the wrapper's keys; runsel maps strace's
# spellings onto them): each against strace itself where strace has it —
# -X raw/verbose, -x/-xx, -y, -t/-tt/-ttt/-r/-T, -e trace=, -e status= —
# and the calls in progress (a call that blocks shows when it starts; a
# line written meanwhile makes strace's <unfinished ...>/<... resumed>
# pair).  Option errors stop the program (exit 126).
. "$SRC/tests/lib/common.sh"
trace() { timeout 30 "$RUNSEL" -w trace "$@"; }
cd "$TMP" || exit 1
CALLS='openat close read mmap access lseek execve write'

if command -v strace >/dev/null && strace -qq -o /dev/null true 2>/dev/null; then
    same_lines_with "-X raw: numbers only (xlat=raw)" "-X raw" "xlat=raw" "$CALLS futex" cat /etc/hostname
    same_lines_with "-X verbose: numbers with names as comments (xlat=verbose)" "-X verbose" "xlat=verbose" \
        "$CALLS futex" cat /etc/hostname
    same_lines_with "-x: a string with a non-printable byte all in hex (xstrings=non-ascii)" "-x" \
        "xstrings=non-ascii" "$CALLS" cat /etc/hostname
    same_lines_with "-xx: every string in hex (xstrings=all)" "-xx" "xstrings=all" "$CALLS" cat /etc/hostname
    same_lines_with "-y: descriptors with their paths, AT_FDCWD with the cwd (decode-fds=path)" "-y" \
        "decode-fds=path" "$CALLS" cat /etc/hostname
    same_lines_with "-s 8 (strsize=8)" "-s 8" "strsize=8" "$CALLS" cat /etc/hostname
    same_lines_with "-t (time=t)" "-t" "time=t" "$CALLS" cat /etc/hostname
    same_lines_with "-tt (time=tt)" "-tt" "time=tt" "$CALLS" cat /etc/hostname
    same_lines_with "-ttt (time=ttt)" "-ttt" "time=ttt" "$CALLS" cat /etc/hostname
    same_lines_with "-r (relative=yes)" "-r" "relative=yes" "$CALLS" cat /etc/hostname
    # (not the first execve: its time is the exec runsel made, not the program's)
    same_lines_with "-T (syscall-times=yes)" "-T" "syscall-times=yes" "${CALLS% execve write} write" cat /etc/hostname
    SAMELINES_NAMES=1 same_lines_with "-e trace=%file (trace=%file)" "-e trace=%file" "trace=%file" "" cat /etc/hostname /nonexistent
    SAMELINES_NAMES=1 same_lines_with "-e trace=%memory (trace=%memory)" "-e trace=%memory" "trace=%memory" "" cat /etc/hostname
    SAMELINES_NAMES=1 same_lines_with "-e trace=openat,close (trace=openat,close)" "-e trace=openat,close" "trace=openat,close" "" \
        cat /etc/hostname
    SAMELINES_NAMES=1 same_lines_with "-e 'trace=!%desc,%memory' (trace=!%desc,%memory)" "-e trace=!%desc,%memory" \
        "trace=!%desc,%memory" "" cat /etc/hostname
    SAMELINES_NAMES=1 same_lines_with "-Z: failed calls only (status=failed)" "-Z" "status=failed" "" cat /etc/hostname /nonexistent
    same_lines_with "-z: successful calls only (status=successful)" "-z" "status=successful" "$CALLS" \
        cat /etc/hostname /nonexistent
else
    skip "trace options vs strace: strace missing or cannot trace here"
fi

# ---- what strace does not compare here
trace -o "log=$TMP/texec.%p" -o syscall-times=yes -- sh -c 'exec /bin/true'
check "syscall-times=yes: an exec the program made shows its time too" \
    grep -qE '^execve\("/bin/true", \["/bin/true"\], 0x[0-9a-f]+ /\* [0-9]+ vars \*/\) += 0 <0\.[0-9]{6}>$' "$TMP"/texec.*
trace -o "log=$TMP/q" -o quiet=2 -- /bin/true
check "quiet=2 (-qq): no +++ exited line" bash -c "! grep -q '^+++' '$TMP/q' && grep -q '^exit_group(0)' '$TMP/q'"
trace -o "log=$TMP/fno" -o follow=no -o inherit=no -- sh -c '/bin/true; /bin/true'
check "follow=no, inherit=no (strace without -f): only the process runsel started" \
    bash -c "[ \$(grep -c '^execve' '$TMP/fno') -eq 1 ] && ! grep -q '^\[pid' '$TMP/fno' && grep -q '^wait4' '$TMP/fno'"
trace -o "log=$TMP/fyes" -o follow=yes -- sh -c '/bin/true'
check "follow=yes with one log (strace -f -o): every line starts with the pid" \
    bash -c "! grep -qvE '^[0-9]+ +' '$TMP/fyes' && [ \$(awk '{print \$1}' '$TMP/fyes' | sort -u | wc -l) -eq 2 ]"
trace -o "log=$TMP/fcomm" -o follow=yes -o decode-pids=comm -- sh -c '/bin/true'
check "decode-pids=comm: the prefix names the command (sh, then true)" \
    bash -c "grep -qE '^[0-9]+<sh> ' '$TMP/fcomm' && grep -qE '^[0-9]+<true> ' '$TMP/fcomm'"
trace -o "log=$TMP/qm" -o 'trace=?nosuchcall,close' -- /bin/true
check "trace=?NAME: an unknown name with ? is ignored" \
    bash -c "grep -q '^close(' '$TMP/qm' && ! grep -q '^openat(' '$TMP/qm'"
for bad in "trace=nosuchcall" "trace=/open" "status=sometimes" "signal=SIGNOPE" "time=tttt" \
           "xlat=short" "decode-fds=maybe" "follow=perhaps" "strsize=-1"; do
    trace -o "$bad" -- /bin/true 2>"$TMP/bad.err"; rc=$?
    check "bad option $bad: exit 126 with the reason" \
        bash -c "[ $rc -eq 126 ] && grep -q '${bad%%=*}' '$TMP/bad.err'"
done
check "  trace=/REGEX says runsel expands it" grep -q 'expanded by runsel' <(trace -o trace=/open -- /bin/true 2>&1)

# ---- calls in progress
# signal_in_sleep SIG LOG: sleep 50 under trace, sent SIG once its log shows
# the clock_nanosleep call started (a fixed delay was too short in vmtest).
signal_in_sleep() {
    "$RUNSEL" -w trace -o "log=$2" -- sleep 50 & local pid=$!   # runsel execs sleep: $pid is sleep's
    wait_for_line "$2" '^clock_nanosleep\(' 30
    sleep 0.1   # the write is just before the call: let it block
    kill -s "$1" "$pid" 2>/dev/null
    wait "$pid"
}
signal_in_sleep KILL "$TMP/sleep"
check "killed (SIGKILL) in clock_nanosleep: the log's last line shows it" \
    grep -qE '^clock_nanosleep\(CLOCK_REALTIME, 0, \{tv_sec=50, tv_nsec=0\}, $' <(tail -n 1 "$TMP/sleep"; echo)
signal_in_sleep TERM "$TMP/sleep-term"
check "killed (SIGTERM) in clock_nanosleep: the call's end, the signal, the death, as strace's" \
    bash -c "tail -n 3 '$TMP/sleep-term' | sed -E 's/tv_nsec=[0-9]+\\}\\)/tv_nsec=N})/; s/si_pid=[0-9]+/si_pid=P/' | tr '\\n' '|' | grep -qxE 'clock_nanosleep\\(CLOCK_REALTIME, 0, \\{tv_sec=50, tv_nsec=0\\}, \\{tv_sec=[1-4]?[0-9], tv_nsec=N\\}\\) = \\? ERESTART_RESTARTBLOCK \\(Interrupted by signal\\)\\|--- SIGTERM \\{si_signo=SIGTERM, si_code=SI_USER, si_pid=P, si_uid=0\\} ---\\|\\+\\+\\+ killed by SIGTERM \\+\\+\\+\\|'"
PY=/usr/bin/python3
[ -x "$PY" ] || PY=$(command -v python3)
cat >"$TMP/blocked.py" <<'PYEOF'
import os, threading, time
r, w = os.pipe()
t = threading.Thread(target=lambda: os.read(r, 10))
t.start()
def blocked_in_read(tid):       # the thread's call, as the kernel sees it: 0 is read
    with open(f"/proc/self/task/{tid}/syscall") as f:
        return f.read().split()[0] == "0"
for _ in range(600):            # wait for the read itself, not a time
    if t.native_id and blocked_in_read(t.native_id):
        break
    time.sleep(0.05)
os.getppid()              # a line from the main thread while the other waits in read
os.write(w, b"x")
t.join()
PYEOF
trace -o "log=$TMP/blocked.%p" -- "$PY" "$TMP/blocked.py"
f=$(ls "$TMP"/blocked.* | grep -v '\.py$' | head -1)
check "a line while another thread waits: read(... <unfinished ...> then <... read resumed>" \
    bash -c "grep -qE '^\[pid +[0-9]+\] read\([0-9]+,  <unfinished \.\.\.>$' '$f' && grep -qE '^\[pid +[0-9]+\] <\.\.\. read resumed>\"x\", 10\) += 1$' '$f'"
check "  and a call no other line interrupts stays one line" \
    grep -qE '^(\[pid +[0-9]+\] )?getppid\(\) += [0-9]+$' "$f"

# ---- a thread's end, as strace: exit(0) = ? then +++ exited with 0 +++
cat >"$TMP/thr.py" <<'PYEOF'
import os, threading, time
t = threading.Thread(target=lambda: None)
t.start()
t.join()
# join returns before the thread's own exit(0), and its lines come before
# the thread goes: wait until it has gone
for _ in range(600):
    if not os.path.exists(f"/proc/self/task/{t.native_id}"):
        break
    time.sleep(0.05)
PYEOF
trace -o "log=$TMP/thr.%p" -- "$PY" "$TMP/thr.py"
f=$(ls "$TMP"/thr.* | grep -v '\.py$' | head -1)
check "a thread that ends: exit(0) = ? then its +++ exited with 0 +++ line" \
    bash -c "grep -A1 -E '^\[pid +[0-9]+\] exit\(0\) += \?$' '$f' | grep -qE '^\[pid +[0-9]+\] \+\+\+ exited with 0 \+\+\+$'"

# ---- a child killed by a signal: its parent, reaping it, writes strace's
# "+++ killed by" line, in the child's file, after ending the line of the
# call it died in
mkdir -p "$TMP/kill"
# the child is killed once its file shows the call started
trace -o "log=$TMP/kill/r.%p" -- sh -c 'sleep 5 & i=0
    while ! grep -q "^clock_nanosleep(" kill/r.$! 2>/dev/null && [ $i -lt 600 ]; do sleep 0.05; i=$((i + 1)); done
    sleep 0.1; kill -9 $!; wait; sh -c "kill -SEGV \$\$"; exit 0' 2>/dev/null
check "killed in clock_nanosleep: the line ends as strace's, then +++ killed by SIGKILL +++" \
    bash -c "grep -h -B1 '^+++ killed by SIGKILL +++$' '$TMP'/kill/r.* | head -1 | grep -qE '^clock_nanosleep\(CLOCK_REALTIME, 0, \{tv_sec=5, tv_nsec=0\},  <unfinished \.\.\.>\) = \?$'"
check "killed by its own kill(2): the kill line, the signal, then +++ killed by SIGSEGV +++" \
    bash -c "grep -h -B2 '^+++ killed by SIGSEGV +++$' '$TMP'/kill/r.* | head -2 | tr '\\n' '|' | grep -qE '^kill\\(([0-9]+), SIGSEGV\\) += 0\\|--- SIGSEGV \\{si_signo=SIGSEGV, si_code=SI_USER, si_pid=\\1, si_uid=0\\} ---\\|$'"
check "  every file ends with its process's end" \
    bash -c "for f in '$TMP'/kill/r.*; do tail -n 1 \"\$f\" | grep -qE '^\+\+\+ (exited with|killed by) ' || exit 1; done"
trace -o "log=$TMP/kill.shared" -- sh -c 'yes | head -1' >/dev/null
check "a shared log: [pid N] +++ killed by SIGPIPE +++ for yes" grep -qE '^\[pid +[0-9]+\] \+\+\+ killed by SIGPIPE \+\+\+$' "$TMP/kill.shared"

# ---- strsize=0 (strace -s 0): no byte shown, but a bad buffer is its address
printf '#include <unistd.h>\nint main(void){ char *p = (char *)8; write(1, p, 5); write(1, "abc", 3); return 0; }\n' >"$TMP/w0.c"
if cc -w -o "$TMP/w0" "$TMP/w0.c" 2>/dev/null && command -v strace >/dev/null; then
    same_lines_with "-s 0: an unreadable buffer as its address, a readable one as \"\"..." "-s 0" "strsize=0" write "$TMP/w0"
fi
