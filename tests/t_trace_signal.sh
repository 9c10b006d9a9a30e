#!/bin/bash
# trace's signal and time decoders (wrapperabi/wrappers/trace/signal.c,
# siginfo.c, time.c) against strace 6.1: the lines of tests/trace/signal.c
# (signal actions and masks, alternate stacks, sending and waiting, the
# siginfo of each sender and signal, sleeps, clocks, interval and POSIX
# timers, timerfd, times, adjtimex), good and bad pointers, failing calls,
# -X raw and verbose; and the same calls made by real programs (python,
# sleep, timeout, bash), process by process.
#
# Normalised, besides tests/lib/samelines.py's addresses: the test's pid
# (the number getpid() returns in each log), the values that differ from
# run to run (the clocks, the time left of armed timers; only in the
# arguments the kernel writes), and the result of a call a handled signal
# interrupted: strace sees the kernel's ERESTART* code, a wrapper the
# EINTR the program gets (issue #14, item 8: not these decoders').
. "$SRC/tests/lib/common.sh"
cd "$TMP" || exit 1
PROG=$BUILD/tests/trace/signal
export TZ=UTC                    # strace's dates in local time; trace's are UTC

if ! strace -qq -o "$TMP/probe" true 2>/dev/null; then
    skip "signal and time decoders (strace cannot trace here)"
    exit 0
fi

cat >"$TMP/norm.py" <<'PY'
# norm.py IN OUT [OTHER]: IN with the test's pids (its own and OTHER's), the values that vary between
# runs and the results of interrupted calls normalised (see above).
import re, sys
# the calls whose output argument (by position) holds a time that varies
VARY = {'clock_gettime': [1], 'gettimeofday': [0], 'time': [0], 'times': [0],
        'getitimer': [1], 'setitimer': [2], 'timer_gettime': [1], 'timer_settime': [3],
        'timerfd_gettime': [1], 'timerfd_settime': [3], 'nanosleep': [1],
        'clock_nanosleep': [3], 'adjtimex': [0], 'clock_adjtime': [1]}

VARY_RESULT = {'time', 'times'}
INTR = re.compile(r'= (\? ERESTART\w+ \([^)]*\)|-1 EINTR \(Interrupted system call\))$')
CALL = re.compile(r'^(\[pid +\d+\] |\d+ +)?([a-z_0-9]+)\((.*)\)( += .*)$')

def split_args(s):
    out, depth, cur = [], 0, ''
    for i, ch in enumerate(s):
        if ch in '{[':
            depth += 1
        elif ch in '}]':
            depth -= 1
        if ch == ',' and depth == 0 and s[i + 1:i + 2] == ' ':
            out.append(cur)
            cur = ''
            continue
        cur += ch
    out.append(cur)
    return [a.lstrip(' ') if k else a for k, a in enumerate(out)]

def vary(a):
    a = re.sub(r'\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+\d{4}', 'DATE', a)
    a = re.sub(r' /\* \d+\.\d+ s \*/', '', a)      # printed only for a nonzero tick count
    # zeros too: a CPU time (times) is 0 or a tick more, as the machine's load has it
    return re.sub(r'(?<![\w.])\d+\b', 'N', a)

# The pids of this log and of the one it is compared with (argv[3]) are
# both replaced, in both: a pid that happens to equal a constant of the
# test (ss_size=1024) then reads PID on either side, not on one only.
def pid_of(path):
    for l in open(path, errors='replace'):
        m = re.search(r'\bgetpid\(\) += (\d+)$', l)
        if m:
            return m.group(1)
    return None

lines = open(sys.argv[1], errors='replace').read().split('\n')
pids = {p for p in (pid_of(f) for f in sys.argv[1:2] + sys.argv[3:]) if p}
out = []
for l in lines:
    for pid in pids:
        l = re.sub(r'\b%s\b' % pid, 'PID', l)
    l = INTR.sub('= INTERRUPTED', l)
    m = CALL.match(l)
    if m and m.group(2) in VARY:
        args = split_args(m.group(3))
        for k in VARY[m.group(2)]:
            if k < len(args):
                args[k] = vary(args[k])
        res = m.group(4)
        if m.group(2) in VARY_RESULT:
            res = vary(res)
        l = (m.group(1) or '') + m.group(2) + '(' + ', '.join(args) + ')' + res
    out.append(l)
open(sys.argv[2], 'w').write('\n'.join(out))
PY

# same_calls NAME 'CALL...' CMD...: the lines of CALL... (all when empty)
# as strace and trace print them for CMD, process by process (strace -ff,
# trace log=%p; paired in the order of their pids), normalised.
# STRACE_OPTS / TRACE_OPTS: the matching options of each (-X raw ...).
same_calls() {
    local name=$1 calls=$2 d s t i bad=0 compared=0
    shift 2
    d=$(mktemp -d "$TMP/same.XXXXXX")
    # shellcheck disable=SC2086
    strace -qq -ff ${STRACE_OPTS:-} -o "$d/s" "$@" </dev/null >/dev/null 2>&1
    # shellcheck disable=SC2086
    timeout 60 "$RUNSEL" -w trace -o "log=$d/t.%p" ${TRACE_OPTS:-} -- "$@" </dev/null >/dev/null 2>&1
    mapfile -t s < <(pids_of "$d" s)
    mapfile -t t < <(pids_of "$d" t)
    if [ "${#s[@]}" -eq 0 ] || [ "${#s[@]}" -ne "${#t[@]}" ]; then
        nok "$name: ${#s[@]} processes under strace, ${#t[@]} under trace"
        return
    fi
    for i in "${!s[@]}"; do
        python3 "$TMP/norm.py" "$d/s.${s[$i]}" "$d/s$i.n" "$d/t.${t[$i]}"
        python3 "$TMP/norm.py" "$d/t.${t[$i]}" "$d/t$i.n" "$d/s.${s[$i]}"
        # shellcheck disable=SC2086
        if python3 "$SRC/tests/lib/samelines.py" "$d/s$i.n" "$d/t$i.n" $calls >"$d/diff$i"; then
            compared=$((compared + 1))
        elif [ "$(grep -vc '^no line of' "$d/diff$i")" -ne 0 ]; then
            bad=1                # (a process with none of the calls in either log is fine)
            echo "process $i:"
            head -n 40 "$d/diff$i"
        fi
    done
    if [ $bad = 1 ]; then
        nok "$name"
    elif [ $compared = 0 ]; then
        nok "$name: none of the calls in any process"
    else
        ok "$name"
    fi
}
# pids_of DIR PREFIX: the pids of DIR/PREFIX.PID, in order
pids_of() {
    local f
    for f in "$1/$2".*; do
        [[ $f =~ \.([0-9]+)$ ]] && echo "${BASH_REMATCH[1]}"
    done | sort -n
}

SIGCALLS="rt_sigaction rt_sigprocmask sigaltstack kill tkill tgkill rt_sigpending rt_sigtimedwait
          rt_sigqueueinfo rt_tgsigqueueinfo pidfd_open pidfd_send_signal signalfd4 signalfd getpid"
TIMECALLS="nanosleep clock_nanosleep clock_getres clock_gettime clock_settime gettimeofday
           settimeofday time getitimer setitimer alarm timer_create timer_settime timer_gettime
           timer_getoverrun timer_delete timerfd_create timerfd_settime timerfd_gettime times
           adjtimex clock_adjtime getpid"
INTRCALLS="rt_sigaction setitimer nanosleep clock_nanosleep rt_sigsuspend pause rt_sigprocmask
           rt_sigtimedwait"

# ---- the test program, line by line
same_calls "signal actions, masks, stacks, sending, waiting, siginfo: as strace" "$SIGCALLS" "$PROG" sig
same_calls "sleeps, clocks, itimers, POSIX timers, timerfd, times: as strace" "$TIMECALLS" "$PROG" time
same_calls "interrupted sleeps and waits: the time left, as strace" "$INTRCALLS" "$PROG" intr
STRACE_OPTS="-X raw" TRACE_OPTS="-o xlat=raw" \
    same_calls "  with -X raw (xlat=raw): numbers" "$SIGCALLS" "$PROG" sig
STRACE_OPTS="-X raw" TRACE_OPTS="-o xlat=raw" \
    same_calls "  with -X raw: time calls" "$TIMECALLS" "$PROG" time
# (strace 6.1 -X verbose gives up on sets of 40 signals: the time calls only)
STRACE_OPTS="-X verbose" TRACE_OPTS="-o xlat=verbose" \
    same_calls "  with -X verbose (xlat=verbose): time calls" "$TIMECALLS" "$PROG" time
STRACE_OPTS="-X verbose" TRACE_OPTS="-o xlat=verbose" \
    same_calls "  with -X verbose: interrupted calls" "$INTRCALLS" "$PROG" intr

# ---- runsel itself: bad pointers to rt_sigaction, rt_sigprocmask and
# sigaltstack fail with EFAULT as natively (initmod reads them with
# rs_copy_in), they do not kill the program
timeout 30 "$RUNSEL" -w null -- "$PROG" sig >/dev/null 2>&1
check "bad pointers to the signal calls: EFAULT under runsel, no crash (exit 0)" test $? -eq 0

# ---- the comparison itself can fail
echo 'rt_sigaction(SIGUSR1, NULL, {sa_handler=SIG_DFL, sa_mask=[], sa_flags=0}, 8) = 0' >"$TMP/a"
echo 'rt_sigaction(SIGUSR1, NULL, {sa_handler=SIG_IGN, sa_mask=[], sa_flags=0}, 8) = 0' >"$TMP/b"
check "  (the comparison sees a difference: another handler)" \
    test "$(python3 "$SRC/tests/lib/samelines.py" "$TMP/a" "$TMP/b" >/dev/null; echo $?)" = 1

# ---- real programs: what they call, as strace prints it
PY=/usr/bin/python3
[ -x "$PY" ] || PY=$(command -v python3)
REAL="${SIGCALLS/getpid/} ${TIMECALLS/getpid/} rt_sigsuspend pause"
# it dies of its SIGALRM (no handler) in the sleep: strace ends the sleep's
# line with "= ?", trace prints its start only (item 8, not these decoders')
same_calls "python: a handler, an itimer, a sleep" "${REAL/clock_nanosleep/}" \
    "$PY" -c 'import signal,time; signal.signal(signal.SIGUSR1, lambda *a: None); signal.setitimer(signal.ITIMER_REAL, 0.01); time.sleep(0.05)'
same_calls "python: signals, masks, sigtimedwait, an itimer read back" "$REAL" \
    "$PY" -c 'import signal,os
signal.signal(signal.SIGALRM, lambda *a: None)
signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR1, signal.SIGRTMIN, signal.SIGRTMIN+1})
os.kill(os.getpid(), signal.SIGUSR1)
signal.sigtimedwait({signal.SIGUSR1}, 0.5)
signal.setitimer(signal.ITIMER_REAL, 100); signal.getitimer(signal.ITIMER_REAL); signal.setitimer(signal.ITIMER_REAL, 0)
signal.pthread_sigmask(signal.SIG_SETMASK, set())'
same_calls "sleep 0.1" "$REAL" sleep 0.1
same_calls "timeout 1 sleep 0.1" "$REAL" timeout 1 sleep 0.1
same_calls "bash: trap : USR1; kill -USR1 \$\$" "$REAL" bash -c 'trap : USR1; kill -USR1 $$'
