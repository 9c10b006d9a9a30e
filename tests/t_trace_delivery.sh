#!/bin/bash
# Signals as trace shows them (wrapperabi/wrappers/trace/delivery.c, ABI
# 1.3's signal hook in initmod/signals.c), against strace 6.1, line by
# line: "--- SIG {siginfo} ---" when a handler runs or the default action
# kills, rt_sigreturn with the mask and value it restores, the call a
# signal interrupts ended with the kernel's ERESTART* code and, under
# SA_RESTART, made again; "+++ killed by +++" for the process runsel
# started and for a child its parent reaps.  And what stays as natively:
# the program reads back the actions it set (tests/trace/delivery.c exits
# 1 otherwise), its exit status, the signal it dies of.
#
# Each scenario is one run of tests/trace/delivery.c; the lines compared
# are those of its processes that made the marker call (write(-1,
# "begin")), from there on, with pids and addresses normalised.  strace's
# SIGCHLD lines go: the program has no SIGCHLD handler, so the kernel
# discards the signal natively (ptrace shows it to strace).
. "$SRC/tests/lib/common.sh"
cd "$TMP" || exit 1
PROG=$BUILD/tests/trace/delivery

if ! strace -qq -o "$TMP/probe" true 2>/dev/null; then
    skip "signal delivery lines (strace cannot trace here)"
    exit 0
fi

cat >"$TMP/lines.py" <<'PY'
# lines.py DIR PREFIX: the lines after the marker of each PREFIX.* file
# that has one, normalised, the files' blocks sorted.
import os, re, sys
d, pre = sys.argv[1], sys.argv[2]
files = [f for f in os.listdir(d) if f.startswith(pre + '.')]
pids = sorted((f.split('.')[-1] for f in files), key=len, reverse=True)
blocks = []
for f in files:
    out, seen = [], False
    for l in open(os.path.join(d, f), errors='replace'):
        l = l.rstrip('\n')
        if l.startswith('write(-1, "begin", 5)'):
            seen = True
            continue
        if not seen or l.startswith('--- SIGCHLD'):
            continue
        for p in pids:
            l = re.sub(r'\b%s\b' % p, 'PID', l)
        l = re.sub(r'0x[0-9a-f]{6,}', 'ADDR', l)
        l = re.sub(r'\{tv_sec=\d+, tv_nsec=\d+\}\) +=', '{TIME}) =', l)
        l = re.sub(r'\) +=( |$)', r') =\1', l)
        out.append(l)
    if seen:
        blocks.append('\n'.join(out))
print('\n=== process\n'.join(sorted(blocks)))
PY

# scenario NAME WHY [EXPECTED-LINE-REGEX]: strace's and trace's lines equal,
# the exit status the same
scenario() {
    local name=$1 why=$2 want=$3 d=$TMP/$1
    mkdir -p "$d"
    strace -ff -o "$d/s" "$PROG" "$name" </dev/null >/dev/null 2>&1
    local src=$?
    timeout 60 "$RUNSEL" -w trace -o "log=$d/t.%p" -- "$PROG" "$name" </dev/null >/dev/null 2>&1
    local rrc=$?
    python3 "$TMP/lines.py" "$d" s >"$d/s.lines"
    python3 "$TMP/lines.py" "$d" t >"$d/t.lines"
    if cmp -s "$d/s.lines" "$d/t.lines" && grep -q . "$d/s.lines"; then
        ok "$name: $why, as strace"
    else
        nok "$name: $why, as strace"
        diff "$d/s.lines" "$d/t.lines" | head -20
    fi
    check "  $name: exit status $rrc, as natively ($src under strace)" test "$rrc" -eq "$src"
    [ -z "$want" ] || check "  $name: shows $want" grep -qE "$want" "$d/t.lines"
}

scenario self "handled signals sent to itself, one let in by sigprocmask" \
    '^rt_sigreturn\(\{mask=\[\]\}\) = 0$'
scenario restart "a blocked read, SA_RESTART: ERESTARTSYS, the handler, the read made again" \
    '^read\(3, ADDR, 1\) = \? ERESTARTSYS \(To be restarted if SA_RESTART is set\)$'
scenario eintr "a blocked read, no SA_RESTART: ERESTARTSYS, rt_sigreturn's EINTR" \
    '^rt_sigreturn\(\{mask=\[\]\}\) = -1 EINTR \(Interrupted system call\)$'
scenario sleep "an interrupted nanosleep: ERESTART_RESTARTBLOCK and the time left" \
    'ERESTART_RESTARTBLOCK \(Interrupted by signal\)$'
scenario pause "an interrupted pause: ERESTARTNOHAND" \
    '^pause\(\) = \? ERESTARTNOHAND \(To be restarted if no handler\)$'
scenario term "killed by SIGTERM's default action in pause" '^\+\+\+ killed by SIGTERM \+\+\+$'
scenario pipe "a write to a closed pipe: EPIPE, then SIGPIPE kills" \
    '^--- SIGPIPE \{si_signo=SIGPIPE, si_code=SI_USER, si_pid=PID, si_uid=[0-9]+\} ---$'
scenario segv "a fault: SIGSEGV with its address" \
    '^--- SIGSEGV \{si_signo=SIGSEGV, si_code=SEGV_MAPERR, si_addr=0x10\} ---$'
scenario child "a child killed by a signal, reaped by its parent" '^\+\+\+ killed by SIGTERM \+\+\+$'

# the same on the shared log: the lines whole, the signal's after the
# interrupted call's end
timeout 60 "$RUNSEL" -w trace -o "log=$TMP/shared.log" -- "$PROG" restart </dev/null >/dev/null 2>&1
check "restart, one log: the read's end, the signal, the handler's return, the read again (in that order)" \
    bash -c "sed -E 's/^\[pid +[0-9]+\] //' '$TMP/shared.log' | sed -n '/^write(-1, \"begin\"/,\$p' | grep -E '^(read\(3|--- SIGUSR1|rt_sigreturn)' | sed -E 's/\(.*//; s/ .*//' | tr '\n' ' ' | grep -q '^read --- rt_sigreturn read read \$'"

# without a watching wrapper nothing is put in the program's way (the
# kernel module's backend runs this file too: make vmtest)
timeout 60 "$RUNSEL" -w null -- "$PROG" self; rc=$?
check "null: the program reads back its own actions, handlers run (exit $rc)" test $rc -eq 0
timeout 60 "$RUNSEL" -w null -- "$PROG" term; rc=$?
check "null: killed by SIGTERM as natively (status $rc)" test $rc -eq 143
timeout 60 "$RUNSEL" -w trace -o log=/dev/null -- "$PROG" segv; rc=$?
check "trace: a SIGSEGV kills as natively (status $rc, no core: RLIMIT_CORE 0)" test $rc -eq 139
