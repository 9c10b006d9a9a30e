#!/bin/bash
# The wrapper runtime end to end (SUD by default; TEST_BACKEND=kmod in vmtest's guest): programs
# run through runsel with the null, count and test wrappers behave as they
# do natively — threads, fork, vfork, posix_spawn, clone3, exec chains,
# signals, their own SIGSYS handler, static and raw-syscall programs — and
# every intercepted call reaches the wrapper exactly once.  Bad wrapper
# images and missing backends fail clearly.
. "$SRC/tests/lib/common.sh"
W=$BUILD/tests/wrap
chmod 755 "$TMP"
cd "$TMP"

# summaries: how many count summaries were written (one per run).
summaries() { cat "$TMP"/chain.* 2>/dev/null | grep -c ' total$'; }
# calls NAME FILE: the count wrapper's number of NAME calls in FILE.
calls() { awk -v n="$1" '$NF == n && NF >= 5 {print $4}' "$2"; }

# ---- plain behaviour: same output and status as native
for cmd in "ls -la /usr/share/doc/bash" "sh -c 'printf \"b\na\nb\n\" | sort | uniq -c'" \
           "python3 -c 'import json, subprocess; print(json.dumps(subprocess.run([\"echo\", \"hi\"], capture_output=True).stdout.decode()))'" \
           "sh -c 'exit 7'"; do
    native=$(eval "$cmd" 2>&1; echo "exit=$?")
    wrapped=$(eval "'$RUNSEL' -w null -- $cmd" 2>&1; echo "exit=$?")
    check "null: same output and status: $cmd" test "$native" = "$wrapped"
done
rc=$("$RUNSEL" -w null -- sh -c 'kill -TERM $$' 2>/dev/null; echo $?)
check "a program killed by a signal: status 128+signal" test $rc -eq 143
printf '#include <stdio.h>\nint main(void){puts("built");return 0;}\n' >hello.c
"$RUNSEL" -w null -- gcc -O2 -o hello hello.c && out=$(./hello)
check "gcc compiles and links under null" test "$out" = built

# ---- the runtime: every mode natively first (the test must be able to
# fail for the runtime alone), then wrapped, in dynamic, static and
# static-pie builds
for prog in stress stress-static stress-spie; do
    for mode in "fork 10" vfork spawn clone3fork sigsys sigview spawnview signals "rawsys 10" "threads 8 10" "storm 20000"; do
        if [ "${TEST_PLACEMENT:-}" = process ] && [ "$mode" = "storm 20000" ]; then
            skip "$prog $mode: out of process a 50 us timer whose handler makes a wanted call starves the program (each stop costs more: docs/placement.md; strace -f too)"
            continue
        fi
        want=$("$W/$prog" $mode 2>&1)
        got=$(timeout 60 "$RUNSEL" -w null -- "$W/$prog" $mode 2>&1)
        check "$prog $mode: as native under null" test "$got" = "$want"
    done
done

# ---- exactly once: 64 threads x 2000 getppid calls, counted by count
timeout 120 "$RUNSEL" -w count -o log="$TMP/threads.count" -- "$W/stress" threads 64 2000 >/dev/null
check "64 threads: every getppid reached the wrapper exactly once (128000)" \
    test "$(calls getppid "$TMP/threads.count")" = 128000
timeout 60 "$RUNSEL" -w count -o log="$TMP/raw.count" -- "$W/stress-static" rawsys 500 >/dev/null
check "raw syscall instructions in a static program are intercepted (500 + 500 via libc)" \
    test "$(calls getppid "$TMP/raw.count")" = 1000
timeout 60 "$RUNSEL" -w count -o per-process=yes -o log="$TMP/fork.%p" -- "$W/stress" fork 300 >/dev/null
check "a forked child is intercepted from its first call and counts alone (per-process=yes)" \
    bash -c "grep -l ' getppid\$' $TMP/fork.* | xargs awk '\$NF==\"getppid\" {print \$4}' | grep -qx 300"

# ---- recursion: a wrapper making the calls it wraps
out=$("$RUNSEL" -w "$W/recurse.so" -- "$W/stress" rawsys 100 2>&1)
check "a wrapper that makes the calls it wraps terminates and sees each program call once" \
    grep -qx "recurse: getppid=200 getpid=[0-9]*" <<<"$out"

# ---- exec chains
rm -f "$TMP"/chain.*
"$RUNSEL" -w count -o log="$TMP/chain.%p" -- sh -c 'ls / >/dev/null; cat /dev/null' 
check "selected -> selected: sh, ls and cat each wrapped (one summary: 3 execve, ls's getdents64)" \
    test "$(summaries)/$(calls execve "$TMP"/chain.*)/$(calls getdents64 "$TMP"/chain.*)" = 1/3/2
rm -f "$TMP"/chain.*
"$RUNSEL" -w count -o inherit=no -o log="$TMP/chain.%p" -- sh -c 'ls / >/dev/null; cat /dev/null'
check "selected -> inherit=no -> unselected: only sh wrapped (its execs counted, no getdents64)" \
    test "$(summaries)/$(calls execve "$TMP"/chain.*)/$(calls getdents64 "$TMP"/chain.*)" = 1/3/
rm -f "$TMP"/chain.*
env -i "$RUNSEL" -w count -o log="$TMP/chain.%p" -- /bin/sh -c 'env -i /bin/ls / >/dev/null'
check "the selection survives a child with an emptied environment (ls, exec'd by env -i, wrapped)" \
    bash -c "grep -q ' getdents64\$' $TMP/chain.*"
out=$("$RUNSEL" -w null -- python3 -c "import os; os.execv('/bin/cat', ['mycat', '/proc/self/cmdline'])" | tr '\0' ' ')
check "exec keeps the program's argv[0] and /proc/self/cmdline" test "$out" = "mycat /proc/self/cmdline "
out=$("$RUNSEL" -w null -- sh -c '/nonexistent/x; echo rc=$?' 2>&1)
check "exec of a missing program fails with ENOENT (sh: 127)" grep -q "rc=127" <<<"$out"
printf 'data\n' >notexec
out=$("$RUNSEL" -w null -- sh -c './notexec; echo rc=$?' 2>&1)
check "exec of a non-executable file fails with EACCES (sh: 126)" grep -q "rc=126" <<<"$out"
printf '#!/bin/sh\necho "script $0 $1"\n' >script && chmod 755 script
printf '#!%s/script\n' "$TMP" >nested && chmod 755 nested
rm -f "$TMP"/chain.*
out=$("$RUNSEL" -w count -o log="$TMP/chain.%p" -- sh -c "$TMP/script arg")
check "a #! script runs, wrapped, with binfmt_script's argv (one summary, 2 execve)" \
    test "$out/$(summaries)/$(calls execve "$TMP"/chain.*)" = "script $TMP/script arg/1/2"
out=$("$RUNSEL" -w null -- python3 -c "import subprocess; print(subprocess.run(['$TMP/nested', 'x'], capture_output=True, text=True).stdout.strip())")
check "a nested #! script" test "$out" = "script $TMP/script $TMP/nested"
# #! lines as the kernel reads them (one reader, rs_shebang; its rows
# against the kernel are tests/unit/shebangcheck.c): a line longer than the
# kernel's 256-byte read runs when the interpreter's name ends inside it
# (initmod used to refuse it with ENOEXEC), with the argument cut where the
# read ends; a name cut by the read fails with ENOEXEC, natively and here.
{ printf '#!/bin/echo '; printf 'x%.0s' $(seq 300); printf '\n'; } >longline && chmod 755 longline
{ printf '#!/'; printf 'x%.0s' $(seq 300); printf '\n'; } >longname && chmod 755 longname
native=$(sh -c "$TMP/longline; echo rc=\$?" 2>&1)
out=$("$RUNSEL" -w null -- sh -c "$TMP/longline; echo rc=\$?" 2>&1)
check "a #! line longer than the kernel reads runs as natively (exec from the program)" \
    test "$out" = "$native"
out=$("$RUNSEL" -w null -- "$TMP/longline" 2>&1; echo "rc=$?")
check "... and as runsel's own program" test "$out" = "$native"
native=$(python3 -c "
import os
try: os.execv('$TMP/longname', ['x'])
except OSError as e: print(e.errno)" 2>&1)
out=$("$RUNSEL" -w null -- python3 -c "
import os
try: os.execv('$TMP/longname', ['x'])
except OSError as e: print(e.errno)" 2>&1)
check "a #! name cut by the kernel's read fails with ENOEXEC ($native), as natively ($out)" \
    test "$out" = "$native" -a "$native" = 8
out=$("$RUNSEL" -w null -- python3 -c "
import os
fd = os.open('/usr/bin', os.O_PATH)
pid = os.fork()
if pid == 0:
    os.execve('true', ['true'], os.environ, dir_fd=fd) if hasattr(os, 'execveat') else os.execv('/usr/bin/true', ['true'])
print(os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))")
check "execveat / fd-relative exec" test "$out" = 0

# ---- through binfmt_misc in a private instance: the list selects, exec
# inherits through RUNSEL_SELECTED, inherit=no stops it
if "$BUILD/bin/selctl" register --userns --loader "$LOADER" -- /bin/true 2>/dev/null; then
    mkdir -m 755 "$TMP/etc" "$TMP/wr"
    install -m 644 "$BUILD/bin/wrappers/count.so" "$TMP/wr/count.so"
    echo "/usr/bin/dash count log=$TMP/bf.%p" >"$TMP/etc/sel.conf"
    rm -f "$TMP"/bf.*
    RUNSEL_CONFIG=$TMP/etc/sel.conf RUNSEL_WRAPPER_DIR=$TMP/wr "$BUILD/bin/selctl" register --userns \
        --loader "$LOADER" -- /bin/sh -c 'ls / >/dev/null'
    check "binfmt: a listed program is wrapped and its child inherits (one summary with ls's getdents64)" \
        bash -c "test \$(cat $TMP/bf.* | grep -c ' total\$') -eq 1 && grep -q ' getdents64\$' $TMP/bf.*"
    echo "/usr/bin/dash count inherit=no log=$TMP/bf.%p" >"$TMP/etc/sel.conf"
    rm -f "$TMP"/bf.*
    RUNSEL_CONFIG=$TMP/etc/sel.conf RUNSEL_WRAPPER_DIR=$TMP/wr "$BUILD/bin/selctl" register --userns \
        --loader "$LOADER" -- /bin/sh -c 'ls / >/dev/null'
    check "binfmt: inherit=no leaves the child unwrapped (no getdents64)" \
        bash -c "test \$(cat $TMP/bf.* | grep -c ' total\$') -eq 1 && ! grep -q ' getdents64\$' $TMP/bf.*"
else
    skip "binfmt inheritance: no private binfmt_misc instance"
fi

# ---- bad wrapper images: a clear error, status 126, the program never runs
badimg() {
    local name=$1 img=$2 want=$3 out rc
    out=$("$RUNSEL" -w "$img" -- /bin/echo RAN 2>&1); rc=$?
    check "$name: refused with '$want'" bash -c "test $rc -eq 126 && ! grep -q RAN <<<'$out' && grep -qF -- '$want' <<<'$out'"
}
badimg "wrong ABI major" "$W/badabi.so" "built for runsel ABI 99."
badimg "missing symbols" "$W/undef.so" "missing symbols (missing_function"
badimg "not PIC" "$W/notpic.so" "not position-independent"
badimg "no ABI note" "$W/noabi.so" "no runsel ABI note"
badimg "the initialization module as wrapper" "$BUILD/bin/runsel-init" "is a runsel initialization module, not a wrapper"
badimg "a missing wrapper" "$TMP/nosuch.so" "No such file or directory"
badimg "not an ELF file" "$TMP/script" "not an ELF file"
cp "$BUILD/bin/wrappers/null.so" "$TMP/other.so" && chown nobody "$TMP/other.so"
badimg "a wrapper owned by another user" "$TMP/other.so" "it has another owner"
rm -f "$TMP/other.so"

# ---- no backend: a warning and an unwrapped run, unless the wrapper enforces
# (-b kmod without the module; in vmtest's guest the module is loaded)
E=$W/enforce.so
if kmod_loaded; then
    skip "no usable backend: the kernel module is loaded here"
    skip "enforcing wrapper, no backend: the kernel module is loaded here"
else
    out=$("$BUILD/bin/runsel" -b kmod -w null -- /bin/echo RAN 2>&1); rc=$?
    check "no usable backend: one warning, the program runs unwrapped" \
        bash -c "test $rc -eq 0 && grep -qx RAN <<<'$out' && test \$(grep -c 'warning: cannot intercept' <<<'$out') -eq 1"
    # a wrapper that enforces a policy is never switched off silently
    out=$("$BUILD/bin/runsel" -b kmod -w "$E" -- /bin/echo RAN 2>&1); rc=$?
    check "enforcing wrapper, no backend: 126 and the program does not run" \
        bash -c "test $rc -eq 126 && ! grep -q RAN <<<'$out' && grep -q 'enforces a policy, so the program does not run' <<<'$out'"
fi
for opt in inherit=no syscalls=read; do
    out=$("$RUNSEL" -w "$E" -o $opt -- /bin/echo RAN 2>&1); rc=$?
    check "enforcing wrapper with $opt: refused (126)" \
        bash -c "test $rc -eq 126 && ! grep -q RAN <<<'$out' && grep -q 'enforces a policy' <<<'$out'"
done
cp /usr/bin/true "$TMP/suid-true" && chmod 4755 "$TMP/suid-true"
out=$("$RUNSEL" -w null -- sh -c "'$TMP/suid-true'; echo rc=\$?" 2>&1)
check "a set-user-ID program exec'd under an ordinary wrapper runs (unwrapped)" grep -qx "rc=0" <<<"$out"
out=$("$RUNSEL" -w "$E" -- sh -c "'$TMP/suid-true'; echo rc=\$?" 2>&1)
if [ "${TEST_PLACEMENT:-}" = process ] && [ "$(id -u)" -eq 0 ]; then
    # a root supervisor follows it: the kernel gives its privileges to a
    # program traced with CAP_SYS_PTRACE, and its wrappers stay
    check "  under an enforcing wrapper, out of process as root: it runs, wrapped" \
        bash -c "grep -qx 'rc=0' <<<'$out' && ! grep -q 'refused' <<<'$out'"
else
    check "  under an enforcing wrapper the exec fails (EACCES, sh: 126)" \
        bash -c "grep -qx 'rc=126' <<<'$out' && grep -q 'refused: it would run without' <<<'$out'"
fi
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null; then
    mkdir -m 755 "$TMP/xo" && cp /usr/bin/true "$TMP/xo/xonly" && chmod 711 "$TMP/xo/xonly"
    as65534="setpriv --reuid=65534 --regid=65534 --clear-groups"
    out=$(cd / && $as65534 "$RUNSEL" -w null -- sh -c "'$TMP/xo/xonly'; echo rc=\$?" 2>&1)
    check "an execute-only program exec'd under an ordinary wrapper runs (unwrapped)" grep -qx "rc=0" <<<"$out"
    out=$(cd / && $as65534 "$RUNSEL" -w "$E" -- sh -c "'$TMP/xo/xonly'; echo rc=\$?" 2>&1)
    check "  under an enforcing wrapper the exec fails (sh: 126)" grep -qx "rc=126" <<<"$out"
else
    skip "execute-only exec under an enforcing wrapper: needs root and setpriv"
fi

# ---- runsel's own errors
"$RUNSEL" -w null -- nosuchprogram-xyz 2>/dev/null; rc=$?
check "runsel: a missing program exits 127" test $rc -eq 127
"$RUNSEL" -w null -- "$TMP/notexec" 2>/dev/null; rc=$?
check "runsel: a non-executable program exits 126" test $rc -eq 126
"$RUNSEL" -w null -o 'nokey' -- /bin/true 2>/dev/null; rc=$?
check "runsel: a bad option is a usage error (2)" test $rc -eq 2
check "runsel --help" bash -c "'$RUNSEL' --help | grep -q '^usage: runsel'"
check "runsel --list shows the installed wrappers" bash -c "'$RUNSEL' --list | grep -qx count"

# ---- the documented way to build a wrapper: runsel-cc, via the examples
rm -rf "$TMP/ex" && cp -r "$SRC/wrapperabi/examples" "$TMP/ex"
make -s -C "$TMP/ex" RUNSEL_CC="$BUILD/bin/runsel-cc" >/dev/null 2>&1
check "make -C wrapperabi/examples builds nounlink.so with runsel-cc" test -f "$TMP/ex/nounlink.so"
touch victim
out=$("$RUNSEL" -w "$TMP/ex/nounlink.so" -- rm victim 2>&1); rc=$?
check "the example wrapper vetoes unlink with EPERM" \
    bash -c "test $rc -ne 0 && test -e victim && grep -q 'Operation not permitted' <<<'$out'"
check "the example wrapper names the file it refused (copied from the program)" \
    grep -q '^nounlink: refused unlinkat("victim")$' <<<"$out"
printf '#include <runsel/wrapper.h>\nvoid f(void){__asm__ volatile("syscall");}\n' >raw.c
check "runsel-cc refuses a wrapper with its own syscall instruction" \
    bash -c "! '$BUILD/bin/runsel-cc' -o raw.so raw.c 2>/dev/null"

# ---- what the runtime protects
rm -f "$TMP/sud.log"
out=$("$RUNSEL" -w count -o log="$TMP/sud.log" -- /usr/bin/python3 -c "
import ctypes, ctypes.util, os
libc = ctypes.CDLL(None, use_errno=True)
r = libc.prctl(59, 0, 0, 0, 0)
print(r, ctypes.get_errno())
for i in range(7): os.getppid()")
if [ "${TEST_PLACEMENT:-}" = process ]; then
    # no dispatch in the program to turn off: its prctl is the kernel's
    # (0, as natively), and its calls go on reaching the wrappers (a
    # seccomp filter cannot be removed)
    check "out of process the program's prctl(PR_SET_SYSCALL_USER_DISPATCH) is native, its calls still wrapped" \
        test "$out/$(calls getppid "$TMP/sud.log")" = "0 0/7"
else
    check "the program cannot turn Syscall User Dispatch off (EBUSY), its calls still wrapped" \
        test "$out/$(calls getppid "$TMP/sud.log")" = "-1 16/7"
fi
listfds='import os; print(sorted(int(f) for f in os.listdir("/proc/self/fd")), sorted(int(f) for f in os.listdir("/proc/self/fdinfo")), os.stat("/proc/self/fd").st_size, os.stat("/proc/thread-self/fd").st_size)'
want=$(python3 -c "$listfds")
got=$("$RUNSEL" -w count -o log="$TMP/kept.log" -- python3 -c "$listfds")
if [ "${TEST_PLACEMENT:-}" = process ]; then
    # the log is the supervisor's: the program holds none of runsel's fds
    check "out of process no kept fd: the program's fds are its own (native: $want)" test "$got" = "$want"
    check "  and the summary reaches the log" grep -q ' total$' "$TMP/kept.log"
else
# in process the kept fds are out of the program's sight where it looks
# (initmod/fdview.c): its /proc/self/fd and fdinfo listings, their size
check "kept fds out of the program's /proc/self/fd, fdinfo and their size (native: $want)" \
    test "$got" = "$want"
check "  and ls -l /proc/self/fd as natively" \
    test "$("$RUNSEL" -w count -o log="$TMP/kept.log" -- ls /proc/self/fd | sort -n)" = "$(ls /proc/self/fd | sort -n)"
# a buffer that holds one record (the old getdents' too): a read that
# returns only a kept fd's record is read on, the listing goes on
for how in "24" "24 old" "4096" "4096 old"; do
    case $how in *old) call=getdents ;; *) call=getdents64 ;; esac
    check "  and a /proc/self/fd listing by $call in ${how%% *}-byte reads as natively" \
        test "$("$RUNSEL" -w count -o log="$TMP/kept.log" -- "$BUILD/tests/wrap/fdlist" /proc/self/fd $how | sort -n)" = \
             "$("$BUILD/tests/wrap/fdlist" /proc/self/fd $how | sort -n)"
done
# the kept fd's number, from a child's listing of the parent's directory
# (only a process's own listing leaves it out)
out=$("$RUNSEL" -w count -o log="$TMP/kept.log" -- python3 -c "
import os, errno, fcntl, subprocess
mine = set(os.listdir('/proc/self/fd'))
seen = subprocess.run(['/bin/ls', '/proc/%d/fd' % os.getpid()], stdout=subprocess.PIPE).stdout.split()
kept = max(int(f) for f in seen if f.decode() not in mine)
try:
    fcntl.fcntl(kept, fcntl.F_GETFD); print('fcntl allowed')
except OSError as e:
    print('fcntl', errno.errorcode[e.errno])
os.close(kept)                       # reports success, the fd stays
try:
    os.dup2(0, kept); print('dup2 allowed')
except OSError as e:
    print('dup2', errno.errorcode[e.errno])
os.closerange(3, 65536)
print('still open' if os.path.exists('/proc/self/fd/%d' % kept) else 'closed')")
check "a kept log fd: fcntl on it fails EBADF, close reports success, dup2 onto it fails EBADF, close_range spares it" \
    test "$out" = "$(printf 'fcntl EBADF\ndup2 EBADF\nstill open')"
check "  and the summary still reaches the log" grep -q ' total$' "$TMP/kept.log"
fi

# ---- runsel without -w: the list's entry decides, else trace
mkdir -p -m 755 "$TMP/rc"
echo "/usr/bin/ls count log=$TMP/rc/ls.count" >"$TMP/rc/sel.conf"
"$RUNSEL" --config "$TMP/rc/sel.conf" -- ls / >/dev/null 2>"$TMP/rc/ls.err"
check "runsel --config LIST PROG: PROG's entry decides (count)" \
    bash -c "grep -q ' total\$' '$TMP/rc/ls.count' && ! grep -q 'openat(' '$TMP/rc/ls.err'"
if [ -e "$BUILD/bin/wrappers/trace.so" ]; then
    "$RUNSEL" --config "$TMP/rc/sel.conf" -- cat /dev/null 2>"$TMP/rc/cat.err"
    check "runsel --config LIST PROG: not listed, so trace" grep -q '^openat(.*"/dev/null"' "$TMP/rc/cat.err"
fi
"$RUNSEL" --config "$TMP/rc/nosuch.conf" -- true 2>/dev/null; rc=$?
check "runsel --config with a missing list: usage error" test $rc -eq 2

# ---- a posix_spawn child (sharing the parent's memory) that _exits after a
# failed exec must not run the parent's fini: the summary comes at the end
out=$("$RUNSEL" -w count -- /usr/bin/python3 -c '
import os, sys
try: os.posix_spawn("/nonexistent", ["x"], {})
except OSError: pass
sys.stderr.write("parent exits\n")' 2>&1)
check "fini runs once, in the parent, after a failed posix_spawn" \
    bash -c "test \$(grep -c ' total\$' <<<'$out') -eq 1 && tail -1 <<<'$out' | grep -q ' total\$'"

# ---- every shipped wrapper on real programs: same output and status as
# native (trace/count write to a log; fault's injection never fires;
# sandbox allows writes where these programs write)
mkdir -p -m 755 "$TMP/real"
declare -A wopts=(
    [trace]="-o log=$TMP/real/trace.log"
    [count]="-o log=$TMP/real/count.log"
    [fault]="-o inject=getpid:EPERM:when=1000000"
    [sandbox]="-o allow-write=$TMP/real -o deny-net=yes"
)
cmds=("gcc -O2 -o $TMP/real/hello $TMP/hello.c && $TMP/real/hello"
      "sh -c 'printf \"b\na\nb\n\" | sort | uniq -c'"
      "/usr/bin/python3 -c 'import json, subprocess; print(json.dumps(subprocess.run([\"ls\", \"/usr\"], capture_output=True, text=True).stdout.split()))'"
      "ls -la /usr/share/doc/bash")
# (gcc writes its temporary files to $TMPDIR: inside the sandbox's allowed dir)
for i in "${!cmds[@]}"; do printf 'export TMPDIR=%s\n%s\n' "$TMP/real" "${cmds[$i]}" >"$TMP/real/cmd$i.sh"; done
for w in trace count fault sandbox; do
    for i in "${!cmds[@]}"; do
        native=$(cd "$TMP/real" && sh "cmd$i.sh" 2>&1; echo "exit=$?")
        rm -f "$TMP/real/hello"
        wrapped=$(cd "$TMP/real" && "$RUNSEL" -w $w ${wopts[$w]} -- sh "cmd$i.sh" 2>&1; echo "exit=$?")
        check "$w: same output and status as native: ${cmds[$i]:0:40}..." test "$native" = "$wrapped"
    done
done
check "  trace saw gcc's child processes (cc1, as, collect2/ld)" grep -q 'execve(".*cc1"' "$TMP/real/trace.log"
