#!/bin/bash
# The fault wrapper: inject=CALL:ERRNO[:when=WHEN][:rate=P] makes chosen
# calls fail without being made; when= picks them by count (N, N+, N+S,
# N..M) per process and atomically across threads; rate= with seed= fails
# the same calls on every run and other calls with another seed; bad
# options stop the program with status 126.
. "$SRC/tests/lib/common.sh"
PY=$(python3 -c 'import sys; print(sys.executable)')
chmod 755 "$TMP"
cd "$TMP"
export LC_ALL=C
fault() { "$RUNSEL" -w fault "$@"; }
has() { grep -q -- "$1" <<<"$2"; }
cond() { eval "$1"; }

# pattern N OPTION...: N chdir calls (python makes none at start-up); one
# letter each, T for success, F for failure
pattern() {
    local n=$1; shift
    fault "$@" -- "$PY" -c '
import os, sys
r = ""
for i in range(int(sys.argv[1])):
    try: os.chdir("/"); r += "T"
    except OSError: r += "F"
print(r)' "$n"
}

# ---- the basics, with cat
check "natively, cat /etc/hostname works" cond "cat /etc/hostname >/dev/null"
out=$(fault -o inject=openat:ENOENT -- cat /etc/hostname 2>&1); rc=$?
check "inject=openat:ENOENT: cat fails with 'No such file or directory'" \
    cond '[ $rc -ne 0 ] && has "No such file or directory" "$out"'
check "  (already in the dynamic linker: libc cannot be opened)" has "libc.so.6" "$out"
out=$(fault -o inject=openat:ENOENT:when=3+ -- cat /etc/hostname 2>&1); rc=$?
check "when=3+: the first 2 openat (ld.so.cache, libc) succeed, cat's own open fails" \
    cond '[ $rc -eq 1 ] && has "^cat: /etc/hostname: No such file or directory$" "$out"'
out=$(fault -o inject=openat:ENOENT:when=3+ -o verbose=yes -- cat /etc/hostname 2>&1)
check "verbose=yes: the first injection reported is openat #3" \
    test "$(grep -m1 '^runsel fault:' <<<"$out")" = "runsel fault: openat #3 -> ENOENT"
fault -o inject=openat:ENOENT:when=3+ -o verbose=yes -o "log=$TMP/fault.%p" -- cat /etc/hostname >/dev/null 2>"$TMP/fault.err"
check "verbose=yes log=PATH.%p: the lines go to the process's own file, not to stderr" \
    cond 'grep -qx "runsel fault: openat #3 -> ENOENT" "$TMP"/fault.[0-9]* && ! grep -q "^runsel fault" "$TMP/fault.err"'
ln -s "$TMP/fault-target" "$TMP/fault-link"
out=$(fault -o inject=getppid:EIO -o verbose=yes -o "log=$TMP/fault-link" -- /bin/true 2>&1); rc=$?
check "verbose=yes log=SYMLINK: refused, exit 126, nothing created" \
    cond '[ $rc -eq 126 ] && has "is a symbolic link" "$out" && [ ! -e "$TMP/fault-target" ]'
out=$(fault -o inject=read:EIO:when=2 -- cat /etc/hostname 2>&1); rc=$?
check "inject=read:EIO:when=2: cat's read fails with an I/O error" \
    cond '[ $rc -ne 0 ] && has "Input/output error" "$out"'

# ---- an injected call is not made
echo keep >keep && echo gone >gone
fault -o inject=unlinkat:EPERM -- rm -f keep 2>/dev/null; rc=$?
check "an injected unlinkat fails (rm exits non-zero) and removes nothing" cond '[ $rc -ne 0 ] && [ -f keep ]'
check "  (natively rm removes)" cond 'rm -f gone && [ ! -e gone ]'
fault -o inject=write:ENOSPC:when=1 -- sh -c 'echo data >written' 2>/dev/null
check "an injected write writes nothing" test -f written -a ! -s written

# ---- when=: N, N+, N+S, N..M, several SPECs
check "no injection for another call: all succeed" test "$(pattern 10 -o inject=getppid:EPERM)" = TTTTTTTTTT
check "when=4: only the 4th" test "$(pattern 10 -o inject=chdir:ENOENT:when=4)" = TTTFTTTTTT
check "when=3+: the 3rd and after" test "$(pattern 10 -o inject=chdir:ENOENT:when=3+)" = TTFFFFFFFF
check "when=2+3: the 2nd, 5th, 8th" test "$(pattern 10 -o inject=chdir:ENOENT:when=2+3)" = TFTTFTTFTT
check "when=3..5: the 3rd to the 5th" test "$(pattern 10 -o inject=chdir:ENOENT:when=3..5)" = TTFFFTTTTT
check "when=2..8+3: every 3rd from the 2nd to the 8th (strace's FIRST..LAST+STEP)" \
    test "$(pattern 10 -o inject=chdir:ENOENT:when=2..8+3)" = TFTTFTTFTT
# (syscalls=chdir: the program's other %file calls, its libraries' opens, stay unseen)
check "a group as CALL: %file has chdir" \
    test "$(pattern 4 -o inject=%file:ENOENT:when=2+ -o syscalls=chdir)" = TFFF
check "  %desc has not" test "$(pattern 4 -o inject=%desc:ENOENT -o syscalls=chdir)" = TTTT
check "no when: every call" test "$(pattern 5 -o inject=chdir:ENOENT)" = FFFFF
check "numbers for call and errno (80 = chdir, 2 = ENOENT)" test "$(pattern 5 -o inject=80:2:when=2)" = TFTTT
out=$(fault -o inject=chdir:ENOENT:when=1,chdir:EACCES:when=2,getcwd:EACCES -- "$PY" -c '
import errno, os
for i in range(3):
    try: os.chdir("/"); print("ok")
    except OSError as e: print(errno.errorcode[e.errno])
try: os.getcwd()
except OSError as e: print(errno.errorcode[e.errno])' | tr '\n' ' ')
check "several SPECs: each call gets its own errno, in order" test "$out" = "ENOENT EACCES ok EACCES "

# ---- retval=N: the call is not made and returns N
out=$(fault -o inject=getppid:retval=4242:when=2 -- "$PY" -c '
import os
print(os.getppid() != 4242, os.getppid())' 2>&1)
check "retval=4242:when=2: the 2nd getppid returns 4242" test "$out" = "True 4242"
echo data >kept
fault -o inject=unlinkat:retval=0 -- rm kept; rc=$?
check "retval=0 on unlinkat: rm reports success and the file is still there" cond '[ $rc -eq 0 ] && [ -f kept ]'
if [ -e "$BUILD/bin/wrappers/trace.so" ]; then
    "$RUNSEL" -w trace -o log="$TMP/rv.trace" -w fault -o inject=getppid:retval=7 -- \
        "$PY" -c 'import os; os.getppid()' 2>/dev/null
    check "trace outside fault shows the injected value, marked (INJECTED)" \
        grep -Eq '^getppid\(\) += 7 \(INJECTED\)$' "$TMP/rv.trace"
fi
# ---- counting: process-wide across threads, per process across fork
out=$(fault -o inject=chdir:EIO:when=1+10 -- "$PY" -c '
import os, threading
fails = []
def work():
    n = 0
    for i in range(100):
        try: os.chdir("/")
        except OSError: n += 1
    fails.append(n)
ts = [threading.Thread(target=work) for _ in range(8)]
[t.start() for t in ts]; [t.join() for t in ts]
print(sum(fails))')
check "8 threads x 100 calls, when=1+10: exactly 80 fail (atomic count)" test "$out" = 80
out=$(fault -o inject=chdir:EIO:when=2 -- "$PY" -c '
import os, sys
def go():
    try: os.chdir("/"); return "T"
    except OSError: return "F"
first = go()
pid = os.fork()
if pid == 0:
    print("child", go() + go(), flush=True); os._exit(0)
os.waitpid(pid, 0)
print("parent", first + go())')
check "a forked child counts its own calls from 1" test "$(tr '\n' ' ' <<<"$out")" = "child TF parent TF "

# ---- rate= and seed=
r1=$(pattern 1000 -o inject=chdir:EIO -o rate=0.1 -o seed=1)
r2=$(pattern 1000 -o inject=chdir:EIO -o rate=0.1 -o seed=1)
r3=$(pattern 1000 -o inject=chdir:EIO -o rate=0.1 -o seed=1)
nf=$(tr -cd F <<<"$r1" | wc -c)
check "rate=0.1 seed=1: the same calls fail in 3 runs" \
    cond '[[ $r1 == *F*T* ]] && [ "$r1" = "$r2" ] && [ "$r1" = "$r3" ]' 
check "rate=0.1: a plausible share of 1000 calls fails (got $nf)" test "$nf" -ge 60 -a "$nf" -le 140
r4=$(pattern 1000 -o inject=chdir:EIO -o rate=0.1 -o seed=2)
check "seed=2: other calls fail" test -n "$r4" -a "$r4" != "$r1"
check "rate=10% is rate=0.1" test "$(pattern 1000 -o inject=chdir:EIO -o rate=10% -o seed=1)" = "$r1"
check "a per-SPEC rate overrides rate=" \
    test "$(pattern 1000 -o inject=chdir:EIO:rate=0.1 -o rate=0.9 -o seed=1)" = "$r1"
check "seed=0x1 is seed=1" test "$(pattern 1000 -o inject=chdir:EIO -o rate=0.1 -o seed=0x1)" = "$r1"
r5=$(pattern 1000 -o inject=chdir:EIO -o rate=0.1)
r6=$(pattern 1000 -o inject=chdir:EIO -o rate=0.1)
check "without seed= two runs differ" test -n "$r5" -a "$r5" != "$r6"
check "rate=0: nothing fails" test "$(pattern 50 -o inject=chdir:EIO -o rate=0 -o seed=1 | tr -d T)" = ""
check "rate=1: everything fails" test "$(pattern 50 -o inject=chdir:EIO -o rate=1 -o seed=1 | tr -d F)" = ""
n50=$(pattern 2000 -o inject=chdir:EIO:when=1001+ -o rate=50% -o seed=7)
check "when= and rate= combine: none of the first 1000, about half of the rest" \
    cond '[ "${n50:0:1000}" = "$(printf "T%.0s" $(seq 1000))" ] && f=$(tr -cd F <<<"${n50:1000}" | wc -c) && [ $f -ge 400 ] && [ $f -le 600 ]'

# ---- bad options: the program does not run, runsel exits 126
badopt() {   # WANT-MESSAGE OPTION...
    local want=$1; shift
    local out rc
    out=$("$RUNSEL" -w fault "$@" -- sh -c "touch '$TMP/ran'" 2>&1); rc=$?
    [ $rc -eq 126 ] && grep -qF -- "$want" <<<"$out" && [ ! -e "$TMP/ran" ]
}
check "inject=nosuchcall:ENOENT: exit 126, message" badopt "unknown system call 'nosuchcall'" -o inject=nosuchcall:ENOENT
check "inject=openat:ENOTANERRNO: exit 126, message" badopt "unknown errno 'ENOTANERRNO'" -o inject=openat:ENOTANERRNO
check "inject=openat (no errno): exit 126" badopt "expected CALL:ERRNO" -o inject=openat
check "retval=x: exit 126" badopt "bad retval 'x'" -o inject=getppid:retval=x
check "%nosuch as CALL: exit 126" badopt "unknown group of calls '%nosuch'" -o inject=%nosuch:EIO
check "when=0: exit 126" badopt "bad when '0'" -o inject=openat:EIO:when=0
check "when=5..3: exit 126" badopt "bad when '5..3'" -o inject=openat:EIO:when=5..3
check "when=2+0: exit 126" badopt "bad when '2+0'" -o inject=openat:EIO:when=2+0
check "an unknown SPEC field: exit 126" badopt "'after=3': expected when=WHEN, rate=P or an argument condition" -o inject=openat:EIO:after=3
check "rate=1.5: exit 126" badopt "rate=1.5: expected 0..1" -o inject=openat:EIO -o rate=1.5
check "rate=abc: exit 126" badopt "rate=abc" -o inject=openat:EIO -o rate=abc
check "rate=0.0000001 (below a millionth): exit 126" badopt "rate=0.0000001" -o inject=openat:EIO -o rate=0.0000001
check "seed=x: exit 126" badopt "seed=x: expected a number" -o inject=openat:EIO -o seed=x
check "inject=exit_group:EIO: exit 126" badopt "exit_group cannot fail" -o inject=exit_group:EIO
check "no inject=: exit 126" badopt "nothing to inject" -o rate=0.5
out=$("$RUNSEL" -w fault -o injct=openat:EIO -- sh -c "touch '$TMP/ran'" 2>&1); rc=$?
check "a misspelt option: a usage error (2) naming it, before anything runs" \
    cond '[ $rc -eq 2 ] && grep -q "unknown option injct (known: " <<<"$out" && [ ! -e "$TMP/ran" ]'
check "  (a good option set runs the program)" \
    bash -c "'$RUNSEL' -w fault -o inject=getppid:EIO -- sh -c \"touch '$TMP/ran'\" && test -e '$TMP/ran'"
