#!/bin/bash
# The security review of main (b8e941a), issue #11: each reproducer as it
# was reported, failing before its fix.  This script has the loader and
# initmod items — wrapper stacks and enforcing wrappers across exec (1), a
# set-user-ID #! interpreter under a sandbox (2), FIFOs where files are
# expected (4), wrapper-hash checked on the image that is mapped (11),
# set-user-ID programs under runsel (15).  The others have scripts of
# their own (t_security_*.sh).  Binfmt cases run in private binfmt_misc
# instances only.
. "$SRC/tests/lib/common.sh"
W=$BUILD/bin/wrappers
PY=/usr/bin/python3
has() { grep -q -- "$1" <<<"$2"; }   # has PATTERN TEXT
cond() { eval "$1"; }
absent() { [ ! -e "$1" ]; }

binfmt_ok=1
if ! "$SELCTL" register --userns --loader "$LOADER" -- /bin/true 2>"$TMP/err"; then
    binfmt_ok=0
    binfmt_why=$(head -1 "$TMP/err")
fi
# bf LIST CMD...: CMD with every exec through the loader, LIST as the list.
bf() {
    local list=$1; shift
    RUNSEL_CONFIG=$list RUNSEL_WRAPPER_DIR=$W RUNSEL_LOADER_LOG=$TMP/bf.log \
        "$SELCTL" register --userns --loader "$LOADER" -- "$@"
}

# ==== 1. wrapper stacks: an enforcing wrapper is never shed
T=$TMP/st; mkdir -p "$T/sb"; chmod 755 "$TMP" "$T"
cat >"$T/list" <<EOF
/usr/bin/dash sandbox allow-write=$T/sb deny-net=yes
/usr/bin/env trace log=$T/env.trace
!/usr/bin/python3*
EOF
if [ $binfmt_ok = 1 ]; then
    : >"$TMP/bf.log"
    out=$(bf "$T/list" /usr/bin/dash -c "touch $T/o1; env touch $T/o2; $PY -c 'import socket
try:
    socket.socket(); print(\"socket-made\")
except OSError as e: print(\"socket-refused\")
try:
    open(\"$T/o3\", \"w\"); print(\"o3-made\")
except OSError as e: print(\"o3-refused\")'" 2>&1)
    check "the sandbox refuses the shell's own write" absent "$T/o1"
    check "a child with its own entry (env: trace) stays in the sandbox" absent "$T/o2"
    check "an exclusion (python3) does not remove the sandbox: no file" absent "$T/o3"
    check "  and no AF_INET socket" cond 'has socket-refused "$out" && ! has socket-made "$out"'
    check "the child's own entry is pushed inside the inherited sandbox" \
        grep -qx "exec /usr/bin/env selected sandbox ($T/list:1, inherited) > trace ($T/list:2)" "$TMP/bf.log"
    check "  and its trace saw the touch the sandbox let run" grep -q 'execve("/usr/bin/touch"' "$T/env.trace"
    check "the excluded program keeps only the enforcing wrapper" \
        grep -Eqx "exec /usr/bin/python3[.0-9]* selected sandbox \($T/list:1, inherited\)" "$TMP/bf.log"
    # An observing wrapper still gives way, as before.
    cat >"$T/list2" <<EOF
/usr/bin/dash trace log=/dev/null
/usr/bin/env count log=$T/env.count
!/usr/bin/cat
EOF
    : >"$TMP/bf.log"
    bf "$T/list2" /usr/bin/dash -c 'env true; echo x | cat' >/dev/null 2>&1
    check "an inherited observing wrapper gives way to the child's entry" \
        grep -qx "exec /usr/bin/env selected count ($T/list2:2)" "$TMP/bf.log"
    check "  and to an exclusion" grep -qx "exec /usr/bin/cat" "$TMP/bf.log"
else
    skip "stacks through binfmt_misc: $binfmt_why"
fi

# A list entry with a stack, and what selctl explain says of it.
cat >"$T/list3" <<EOF
/usr/bin/true  sandbox allow-write=$T/sb + count log=$T/true.count
/usr/bin/false count log=$T/x + trace log=$T/y + null + fault + null + trace + null + null + count
/usr/bin/echo  trace +
/usr/bin/ls    trace + + null
EOF
RUNSEL_CONFIG=$T/list3 RUNSEL_WRAPPER_DIR=$W RUNSEL_LOADER_LOG=$TMP/l3.log "$LOADER" /usr/bin/true
check "a list entry can name a stack" grep -qx \
    "exec /usr/bin/true selected sandbox ($T/list3:1) > count ($T/list3:1)" "$TMP/l3.log"
check "  both run (count wrote its summary)" grep -q "total" "$T/true.count"
out=$(RUNSEL_WRAPPER_DIR=$W "$SELCTL" -c "$T/list3" explain /usr/bin/true 2>&1)
check "selctl explain shows the stack, outermost first" cond \
    'has "wrapper sandbox + count" "$out" && has "1. wrapper sandbox (enforces a policy)" "$out" && has "2. wrapper count," "$out"'
out=$("$SELCTL" check "$T/list3" 2>&1)
check "more than 8 wrappers in one entry: the line is refused" has "$T/list3:2: too many wrappers" "$out"
check "a trailing '+': refused" has "$T/list3:3: '+' must be followed by a wrapper" "$out"
check "'+ +': refused" has "$T/list3:4: missing wrapper" "$out"

# runsel -w ... -w ...: options bind to the -w before them.
mkdir -p "$T/a" "$T/b"
"$RUNSEL" -w sandbox -o allow-write="$T/a" -o quiet=yes -w trace -o log="$T/st.trace" -- \
    /bin/sh -c "echo 1 >$T/a/in; echo 2 >$T/b/out" 2>/dev/null
check "runsel -w sandbox -w trace: the sandbox applies" cond '[ -f "$T/a/in" ] && absent "$T/b/out"'
check "  trace (inside) traces what the sandbox allowed" grep -q "openat(AT_FDCWD, \"$T/a/in\"" "$T/st.trace"
check "  and never sees the call the sandbox refused" bash -c "! grep -q '$T/b/out' '$T/st.trace'"
"$RUNSEL" -w trace -o log="$T/st2.trace" -w sandbox -o allow-write="$T/a" -o quiet=yes -- \
    /bin/sh -c "echo 2 >$T/b/out2" 2>/dev/null
check "runsel -w trace -w sandbox: trace (outside) sees the refused call and its EACCES" \
    grep -q "openat(AT_FDCWD, \"$T/b/out2\", .*= -1 EACCES" "$T/st2.trace"
"$RUNSEL" -w trace -o log="$T/inj.trace" -w fault -o inject=getppid:ESRCH -- \
    "$PY" -c 'import os; os.getppid()' 2>/dev/null
check "trace outside fault: the injected error is traced, marked as strace marks it" \
    grep -Eq "^getppid\(\) += -1 ESRCH \(No such process\) \(INJECTED\)$" "$T/inj.trace"
check "  and calls the kernel made are not marked" bash -c "! grep -v '^getppid' '$T/inj.trace' | grep -q INJECTED"
"$RUNSEL" -w fault -o inject=getppid:ESRCH -w trace -o log="$T/inj2.trace" -- \
    "$PY" -c 'import os; os.getppid()' 2>/dev/null
check "fault outside trace: trace never sees the injected call" bash -c "! grep -q '^getppid' '$T/inj2.trace'"
out=$("$RUNSEL" -w null -o x=1 -w 2>&1); rc=$?
check "runsel: -w without a value is a usage error (2)" test $rc -eq 2
out=$("$RUNSEL" -w null -w null -w null -w null -w null -w null -w null -w null -w null -- true 2>&1); rc=$?
check "runsel: more than 8 wrappers is a usage error (2)" test $rc -eq 2
out=$("$RUNSEL" -w null -o $'a=1\n!/usr/bin/**' -- true 2>&1); rc=$?
check "runsel: a control character in an option is a usage error (2)" \
    cond '[ $rc -eq 2 ] && has "control character" "$out"'

# runsel makes a relative log= absolute: after a cd and an exec the lines
# of the same process stay in the same file.
mkdir -p "$T/logs" "$T/elsewhere"
(cd "$T/logs" && "$RUNSEL" -w trace -o log=rel.%p -- /bin/sh -c "cd '$T/elsewhere' && exec /bin/true")
check "runsel: log=REL stays where runsel ran, across cd and exec" \
    bash -c "[ \$(ls '$T/logs' | wc -l) -eq 1 ] && [ -z \"\$(ls '$T/elsewhere')\" ] && grep -q 'execve(\"/bin/true\"' '$T'/logs/rel.*"

# runsel -w cannot shed the list's enforcing wrapper: it is pushed inside.
printf '/usr/bin/dash sandbox allow-write=%s quiet=yes\n' "$T/a" >"$T/list4"
"$RUNSEL" --config "$T/list4" -w trace -o log="$T/l4.trace" -- /usr/bin/dash -c "echo x >$T/b/l4" 2>/dev/null
check "runsel -w trace on a program the list sandboxes: still sandboxed" absent "$T/b/l4"
check "  and traced" test -s "$T/l4.trace"

# ==== 2. a #! script whose interpreter is set-user-ID, under a sandbox
suid_dir=$BUILD/tests/suid-sec
as1000="setpriv --reuid=1000 --regid=1000 --clear-groups"
if [ "$(id -u)" -ne 0 ] || ! command -v setpriv >/dev/null; then
    skip "setuid interpreter: needs root and setpriv"
elif ! mkdir -p "$suid_dir" || ! chmod 755 "$suid_dir" ||
     findmnt -no OPTIONS --target "$suid_dir" | grep -qw nosuid || ! $as1000 test -x "$suid_dir"; then
    skip "setuid interpreter: no usable directory for set-user-ID files"
else
    cp "$BUILD/tests/sec/euid" "$suid_dir/euid-suid"
    chown 0:0 "$suid_dir/euid-suid" && chmod 4755 "$suid_dir/euid-suid"
    printf '#!%s\n' "$suid_dir/euid-suid" >"$suid_dir/script"; chmod 755 "$suid_dir/script"
    printf '#!%s\n' "$suid_dir/script" >"$suid_dir/script2"; chmod 755 "$suid_dir/script2"
    mkdir -p "$suid_dir/sb"; chmod 777 "$suid_dir/sb"
    printf '/usr/bin/dash sandbox allow-write=%s\n' "$suid_dir/sb" >"$suid_dir/list"
    check "  (natively the script runs with euid 0)" grep -q "^euid=0 uid=1000" <($as1000 "$suid_dir/script")
    out=$($as1000 "$RUNSEL" -w sandbox -o allow-write="$suid_dir/sb" -- /bin/sh -c "'$suid_dir/script'; '$suid_dir/script2'" 2>&1)
    check "runsel sandbox: a script with a set-user-ID interpreter is refused" \
        cond '! has "euid=0" "$out" && has "Permission denied" "$out"'
    if [ $binfmt_ok = 1 ] && "$SELCTL" register --userns --full-range --loader "$LOADER" -- /bin/true 2>/dev/null; then
        out=$(RUNSEL_CONFIG=$suid_dir/list RUNSEL_WRAPPER_DIR=$W "$SELCTL" register --userns --full-range \
              --loader "$LOADER" -- $as1000 /usr/bin/dash -c "'$suid_dir/script'; '$suid_dir/script2'; echo done" 2>&1)
        check "binfmt sandbox: a script with a set-user-ID interpreter is refused (EACCES)" \
            cond '! has "euid=0" "$out" && has "Permission denied" "$out" && has done "$out"'
        check "  also one level down (script -> script -> set-user-ID)" \
            test "$(grep -c 'Permission denied' <<<"$out")" -ge 2
        out=$(RUNSEL_CONFIG=$suid_dir/list RUNSEL_WRAPPER_DIR=$W "$SELCTL" register --userns --full-range \
              --loader "$LOADER" -- $as1000 /bin/bash -c "'$suid_dir/script'" 2>&1)
        check "  (unselected, binfmt: the script runs with euid 0 as natively)" has "euid=0 uid=1000" "$out"
    else
        skip "setuid interpreter through binfmt: no private full-range instance"
    fi
fi

# The kernel unwraps five nested #! scripts (the sixth is ELOOP): runsel
# follows exactly as many, so no interpreter of a chain goes unchecked.
C=$TMP/chain; mkdir -p "$C"
printf '#!/bin/echo\n' >"$C/s0"
for i in 1 2 3 4 5; do printf '#!%s/s%d\n' "$C" $((i - 1)) >"$C/s$i"; done
chmod 755 "$C"/s*
for i in 4 5; do
    "$C/s$i" >"$TMP/n$i" 2>&1; nrc=$?
    "$RUNSEL" -w null -- "$C/s$i" >"$TMP/r$i" 2>&1; rc=$?
    check "a chain of $((i + 1)) #! scripts under runsel: status $nrc as natively" test $rc -eq $nrc
done

# ==== 4. FIFOs where files are expected never hang an exec
F=$(mktemp -d /tmp/rsf.XXXX); mkdir -p "$F/wd"; chmod 755 "$F" "$F/wd"
trap 'rm -rf "$TMP" "$F"' EXIT
printf '/usr/bin/true null\n' >"$F/list"
t5() { timeout -k 2 10 "$@"; }
mkfifo "$F/list.idx"
t5 env RUNSEL_CONFIG="$F/list" RUNSEL_WRAPPER_DIR=$W "$LOADER" /usr/bin/true; rc=$?
check "a FIFO as the list's index: ignored, the exec goes on" test $rc -eq 0
rm -f "$F/list.idx"
printf 'xxh128:00000000000000000000000000000001 null\n' >"$F/hlist"
mkfifo "$F/hlist.hcache"
t5 env RUNSEL_CONFIG="$F/hlist" "$LOADER" /usr/bin/true; rc=$?
check "a FIFO as the hash cache: ignored" test $rc -eq 0
mkfifo "$F/flist"
t5 env RUNSEL_CONFIG="$F/flist" "$LOADER" /usr/bin/true; rc=$?
check "a FIFO as the list: ignored" test $rc -eq 0
mkfifo "$F/wd/null.so"
out=$(t5 env RUNSEL_CONFIG="$F/list" RUNSEL_WRAPPER_DIR="$F/wd" "$LOADER" /usr/bin/true 2>&1); rc=$?
check "a FIFO as the wrapper image: refused at once (126)" \
    cond '[ $rc -eq 126 ] && has "not a regular file" "$out"'
mkfifo "$F/prog"; chmod 755 "$F/prog"
out=$(t5 "$LOADER" "$F/prog" 2>&1); rc=$?
check "a FIFO as the program (loader): refused at once (126, EACCES)" \
    cond '[ $rc -eq 126 ] && has "Permission denied" "$out"'
out=$(t5 "$RUNSEL" -w null -- "$F/prog" 2>&1); rc=$?
check "a FIFO as the program (runsel): refused at once (126)" test $rc -eq 126
out=$(t5 "$RUNSEL" -w null -- /bin/sh -c "'$F/prog'; echo rc=\$?" 2>&1); rc=$?
check "a FIFO exec'd by a selected program: EACCES at once, as natively" has "rc=126" "$out"
# An interpreter path as long as the one in /bin/true, naming a FIFO.
interp=$F/$(printf 'i%.0s' $(seq $((27 - ${#F} - 1))))
python3 - "$F/true-fifointerp" "$interp" <<'EOF'
import sys
d = bytearray(open('/bin/true', 'rb').read())
old, new = b'/lib64/ld-linux-x86-64.so.2', sys.argv[2].encode()
i = d.find(old)
if len(new) == len(old) and i > 0:
    d[i:i + len(old)] = new
    open(sys.argv[1], 'wb').write(d)
EOF
if [ -f "$F/true-fifointerp" ]; then
    mkfifo "$interp"; chmod 755 "$F/true-fifointerp"
    t5 "$F/true-fifointerp" 2>/dev/null; nrc=$?
    out=$(t5 "$LOADER" "$F/true-fifointerp" 2>&1); rc=$?
    check "a FIFO as the interpreter: refused at once (126, EACCES as the kernel: $nrc)" \
        cond '[ $rc -eq 126 ] && [ $nrc -eq 126 ] && has "Permission denied" "$out"'
else
    skip "a FIFO as the interpreter: cannot make the test program"
fi
if [ $binfmt_ok = 1 ]; then
    mkfifo "$F/list.idx"
    t5 env RUNSEL_CONFIG="$F/list" RUNSEL_WRAPPER_DIR=$W "$SELCTL" register --userns --loader "$LOADER" -- /bin/sh -c '/bin/true; /usr/bin/true'; rc=$?
    check "binfmt: a FIFO next to the list does not hang execs" test $rc -eq 0
    rm -f "$F/list.idx"
fi

# ==== 5. ia32 (int $0x80) calls never run as the x86-64 call of that number
IA=$BUILD/tests/sec/ia32
native=$("$IA" 2>&1)
if [ "$native" != "$(printf 'ia32 write\nwrite=11 getpid=same')" ]; then
    skip "ia32 calls: this kernel runs no int \$0x80 calls ($native)"
else
    out=$("$RUNSEL" -w null -- "$IA" 2>&1)
    check "ia32 write and getpid under null: run as themselves, as natively" test "$out" = "$native"
    out=$("$RUNSEL" -w count -o log="$TMP/ia32.count" -- "$IA" 2>&1)
    check "  under count (which handles x86-64 calls only): the same" test "$out" = "$native"
    out=$("$RUNSEL" -w sandbox -- "$IA" 2>&1)
    check "under sandbox (enforcing, no ia32 support): they fail with ENOSYS, nothing written" \
        test "$out" = "$(printf 'write=-38 getpid=differs\ngetpid returned -38')"
    out=$("$RUNSEL" -w null -w sandbox -- "$IA" 2>&1)
    check "  also inside a stack" grep -q "^write=-38" <<<"$out"
    out=$("$RUNSEL" -w trace -o log="$TMP/ia32.trace" -- "$IA" 2>&1)
    check "under trace (which handles ia32 calls): they run as natively" test "$out" = "$native"
    check "  and are traced by their ia32 names, as strace shows them" \
        bash -c "grep -Eq '^write\(1, \"ia32 write\\\\n\", 11\) += 11$' '$TMP/ia32.trace' &&
                 grep -Eq '^getpid\(\) += [0-9]+$' '$TMP/ia32.trace'"
    if command -v strace >/dev/null && ! kmod_loaded; then
        strace -o "$TMP/ia32.strace" "$IA" >/dev/null 2>&1
        pick() { grep -E '^(write\(1, "ia32|getpid)' "$1" | head -2 | sed 's/= [0-9]*$//'; }
        check "  the same lines as strace's" test "$(pick "$TMP/ia32.trace")" = "$(pick "$TMP/ia32.strace")"
    fi
    out=$("$RUNSEL" -w trace -o log="$TMP/ia32b.trace" -w sandbox -- "$IA" 2>&1)
    check "trace outside sandbox: trace sees the ia32 calls the sandbox then refuses (ENOSYS)" \
        bash -c "grep -q '^write=-38' <<<'$out' && grep -Eq '^write\(1, .*= -1 ENOSYS' '$TMP/ia32b.trace'"
fi

# ==== 11. wrapper-hash: the image mapped is the image hashed
H=$TMP/pin; mkdir -p "$H"; chmod 755 "$H"
cp "$W/null.so" "$H/a.so"; cp "$W/count.so" "$H/b.so"; cp "$W/null.so" "$H/w.so"
pin=$("$SELCTL" hash "$W/null.so" | cut -d' ' -f1)
printf '/usr/bin/true %s/w.so wrapper-hash=%s log=%s/leak\n' "$H" "$pin" "$H" >"$H/list"
( end=$((SECONDS + 6)); while [ $SECONDS -lt $end ]; do
      cp "$H/a.so" "$H/t1"; mv -f "$H/t1" "$H/w.so"; cp "$H/b.so" "$H/t2"; mv -f "$H/t2" "$H/w.so"
  done ) &
swapper=$!
runs=0; refused=0
while kill -0 $swapper 2>/dev/null; do
    RUNSEL_CONFIG=$H/list "$LOADER" /usr/bin/true 2>/dev/null || refused=$((refused + 1))
    runs=$((runs + 1))
done
wait $swapper
echo "(wrapper-hash race: $runs execs, $refused refused by the pin)"
check "during $runs execs with the image swapped, the unpinned image never ran" absent "$H/leak"

# ==== 15. set-user-ID programs under runsel (as a user the program
# would give other privileges: as root, passwd gains nothing and is wrapped)
if [ "$(id -u)" -ne 0 ] || ! command -v setpriv >/dev/null; then
    skip "set-user-ID programs under runsel: needs root and setpriv"
elif findmnt -no OPTIONS --target /usr/bin/passwd | grep -qw nosuid; then
    skip "set-user-ID programs under runsel: /usr/bin is mounted nosuid here"
else
    native=$($as1000 /usr/bin/passwd -S 2>&1); nrc=$?
    out=$($as1000 "$RUNSEL" -w trace -o log=/dev/null -- /usr/bin/passwd -S 2>"$TMP/err"); rc=$?
    check "runsel -w trace -- passwd -S: runs natively, same output and status" \
        cond '[ "$out" = "$native" ] && [ $rc -eq $nrc ]'
    check "  with a one-line notice that it ran unwrapped" grep -qx \
        "runsel: /usr/bin/passwd: set-user-ID, set-group-ID or file-capability program: run natively and unwrapped" "$TMP/err"
    out=$($as1000 "$RUNSEL" -w sandbox -- /usr/bin/passwd -S 2>&1); rc=$?
    check "runsel -w sandbox -- passwd -S: refused (126), it would escape the sandbox" \
        cond '[ $rc -eq 126 ] && has "would run without sandbox" "$out"'
    out=$($as1000 "$RUNSEL" -w trace -o log=/dev/null -w sandbox -- /usr/bin/passwd -S 2>&1); rc=$?
    check "  also when the sandbox is inside a stack" test $rc -eq 126
    out=$("$RUNSEL" -w trace -o log="$TMP/root.trace" -- /usr/bin/passwd -S 2>&1); rc=$?
    check "as root, passwd gains no privileges: it runs wrapped" \
        cond '[ $rc -eq 0 ] && grep -q "^execve(\"/usr/bin/passwd\"" "$TMP/root.trace"'
fi
