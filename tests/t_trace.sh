#!/bin/bash
# The trace wrapper: strace-style lines, checked against strace itself —
# the (call, result) sequence of every process, and the exact text of every
# line that prints no address or structure — plus its log options, a log
# that survives the program closing its fds (the default one too: the
# stderr trace started with), and [pid N] prefixes.  The log's security
# rules (secure execs, symlinks, sticky directories) are tested in
# t_security_wrappers.sh.
. "$SRC/tests/lib/common.sh"
trace() { timeout 30 "$RUNSEL" -w trace "$@"; }
cd "$TMP" || exit 1
PY=/usr/bin/python3
[ -x "$PY" ] || PY=$(command -v python3)

# ---- normalisers (python): one "name = result" line per call
cat >"$TMP/seq.py" <<'PY'
# seq.py FILE...: each file is one process (strace -ff, or trace's log.%p);
# prints every process's sequence of "name = result", the processes in
# sorted order (their pids and creation order differ between runs).
#   - the [pid N] / "PID " prefixes go; "+++ exited +++" lines go, and
#     the signals' "--- SIG ---" and rt_sigreturn lines: where a SIGCHLD
#     arrives in a shell varies from run to run (t_trace_delivery.sh
#     compares them where it does not);
#   - results that are addresses (mmap, brk, mremap) become ADDR, results
#     that are pids (getpid, clone, wait4, ...) become PID: ASLR and pid
#     numbers differ between the two runs.
import re, sys
PIDRES = {'getpid', 'getppid', 'gettid', 'set_tid_address', 'clone', 'clone3', 'fork', 'vfork', 'wait4'}
ADDRRES = {'mmap', 'brk', 'mremap'}
call = re.compile(r'^([a-z_0-9]+)\((.*)\)\s+= (.*)$')
blocks = []
for f in sys.argv[1:]:
    seq = []
    for l in open(f, errors='replace'):
        l = re.sub(r'^(\[pid +\d+\] |\d+ +)', '', l.rstrip('\n'))
        if l.startswith(('+++', '---')):
            continue
        m = call.match(l)
        if not m:
            seq.append('UNPARSED ' + l)
            continue
        name, res = m.group(1), m.group(3)
        if name == 'rt_sigreturn':
            continue
        if name in ADDRRES and res.startswith('0x'):
            res = 'ADDR'
        if name in PIDRES and re.fullmatch(r'[1-9]\d*', res):
            res = 'PID'
        seq.append(name + ' = ' + res)
    blocks.append('\n'.join(seq))
for b in sorted(blocks):
    print('=== process')
    print(b)
PY
cat >"$TMP/exact.py" <<'PY'
# exact.py STRACE TRACE MIN: two logs of one single-process run, line by
# line: every line where neither prints an address, a structure, a pid or
# random bytes must be identical, padding included; at least MIN such.
import re, sys
def lines(f):
    out = []
    for l in open(f, errors='replace'):
        l = l.rstrip('\n')
        if not l.startswith(('+++', '---', 'rt_sigreturn(')):
            out.append(l)
    return out
a, b = lines(sys.argv[1]), lines(sys.argv[2])
same = 0
bad = len(a) != len(b)
skip = re.compile(r'0x|\{|/\* \d+ var|^(getpid|getppid|gettid|set_tid_address|wait4|vfork|clone|getrandom)\(')
for x, y in zip(a, b):
    if skip.search(x) or skip.search(y):
        continue
    if x == y:
        same += 1
    else:
        bad = True
        print('  strace: ' + x + '\n  trace:  ' + y)
print(f'  {same} lines identical, {len(a)} vs {len(b)} lines')
sys.exit(1 if bad or same < int(sys.argv[3]) else 0)
PY

# unpad FILE: the lines without strace's padding before " = "
unpad() { sed -E 's/\) +=( |$)/) =\1/' "$1"; }

# ---- 1. basics: the lines go to stderr, the program's own output and
# exit status are untouched
trace -- /bin/true 2>"$TMP/true.err"
rc=$?
check "true under trace exits 0" test $rc -eq 0
check "true: openat line on stderr" \
    grep -qx 'openat(AT_FDCWD, "/etc/ld.so.cache", O_RDONLY|O_CLOEXEC) = 3' "$TMP/true.err"
check "true: mmap line (prot/flags decoded, address result)" \
    grep -qE '^mmap\(NULL, [0-9]+, PROT_READ, MAP_PRIVATE\|MAP_DENYWRITE, 3, 0\) = 0x[0-9a-f]+$' "$TMP/true.err"
check "true: exit_group(0) = ? padded as strace, then +++ exited with 0 +++" \
    bash -c "tail -2 '$TMP/true.err' | tr '\n' '|' | grep -qx 'exit_group(0)                           = ?|+++ exited with 0 +++|'"
check "true: first line is its execve" grep -qE '^execve\("/(usr/)?bin/true", \["/bin/true"\], 0x[0-9a-f]+ /\* [0-9]+ vars \*/\) = 0$' \
    <(head -1 "$TMP/true.err")
check "true: no [pid N] prefix for a single process" test "$(grep -c '^\[pid' "$TMP/true.err")" -eq 0
trace -- cat /etc/hostname 2>"$TMP/cat-exit.err" >/dev/null
check "cat closes its stderr at exit: the lines after it still reach that stderr (kept at start)" \
    bash -c "tail -3 '$TMP/cat-exit.err' | sed -E 's/ +=/ =/' | tr '\n' '|' | grep -qx 'close(2) = 0|exit_group(0) = ?|+++ exited with 0 +++|'"
trace -- sh -c 'exit 3' 2>/dev/null
rc=$?
check "exit status of sh -c 'exit 3' is 3" test $rc -eq 3
trace -- sh -c 'exit 0' 2>/dev/null
rc=$?
check "  and of sh -c 'exit 0' is 0" test $rc -eq 0
check "stdout untouched" test "$(trace -- echo hello 2>/dev/null)" = hello
trace -o strsize=x -- /bin/true 2>/dev/null
rc=$?
check "bad option strsize=x: exit 126" test $rc -eq 126

# ---- 2. trace vs strace: per process, the same calls with the same results
if command -v strace >/dev/null && strace -qq -o /dev/null /bin/true 2>/dev/null; then
    n=0
    compare() {
        local name=$1 d=$TMP/cmp$((n += 1))
        shift
        mkdir -p "$d/s" "$d/t"
        strace -f -qq -ff -o "$d/s/log" "$@" </dev/null >/dev/null 2>&1
        trace -o "log=$d/t/log.%p" -- "$@" </dev/null >/dev/null 2>&1
        python3 "$TMP/seq.py" "$d"/s/log.* >"$d/strace.seq"
        python3 "$TMP/seq.py" "$d"/t/log.* >"$d/trace.seq"
        if cmp -s "$d/strace.seq" "$d/trace.seq" && [ "$(wc -l <"$d/trace.seq")" -gt 30 ]; then
            ok "same calls and results as strace: $name ($(ls "$d/t" | wc -l) processes, $(grep -vc === "$d/trace.seq") calls)"
        else
            nok "same calls and results as strace: $name"
            diff "$d/strace.seq" "$d/trace.seq" | head -20
        fi
    }
    compare "cat /etc/hostname" cat /etc/hostname
    compare "ls /" ls /
    compare "sh -c 'echo hi; true'" sh -c 'echo hi; true'
    compare "head -c 10 /etc/passwd" head -c 10 /etc/passwd
    compare "cat /nonexistent (fails)" cat /nonexistent
    compare "sh -c '/bin/true; ls / | wc -l' (4 processes)" sh -c '/bin/true; ls / | wc -l'
    compare "sh -c 'cat /nonexistent; exit 3'" sh -c 'cat /nonexistent; exit 3'

    # The comparison can fail: another file, other read results.
    d=$TMP/neg && mkdir -p "$d/s" "$d/t"
    strace -f -qq -ff -o "$d/s/log" cat /etc/os-release </dev/null >/dev/null 2>&1
    trace -o "log=$d/t/log.%p" -- cat /etc/hostname </dev/null >/dev/null 2>&1
    check "  (the comparison sees a difference: cat of another file)" \
        bash -c "! cmp -s <(python3 '$TMP/seq.py' '$d'/s/log.*) <(python3 '$TMP/seq.py' '$d'/t/log.*)"

    # Line by line: the text itself, for single-process programs.
    exact() {
        local name=$1 min=$2 d=$TMP/ex$((n += 1))
        shift 2
        mkdir -p "$d"
        strace -qq -o "$d/s" "$@" </dev/null >/dev/null 2>&1
        trace -o "log=$d/t" -- "$@" </dev/null >/dev/null 2>&1
        check "same text as strace, line by line: $name" python3 "$TMP/exact.py" "$d/s" "$d/t" "$min"
    }
    exact "cat /etc/hostname" 40 cat /etc/hostname
    exact "ls -la /usr/share/doc/bash" 100 ls -la /usr/share/doc/bash
    exact "sh -c printf (escapes)" 10 sh -c 'printf "a\tb\001\n\\\\ \"q\" \200\377x\0017"'
    exact "head -c 100 /etc/passwd" 40 head -c 100 /etc/passwd
    printf 'line' >"$TMP/short"
    d=$TMP/exneg && mkdir -p "$d"
    strace -qq -o "$d/s" cat /etc/hostname </dev/null >/dev/null 2>&1
    trace -o "log=$d/t" -- cat "$TMP/short" </dev/null >/dev/null 2>&1
    check "  (line by line sees a difference: another file)" \
        bash -c "! python3 '$TMP/exact.py' '$d/s' '$d/t' 1 >/dev/null"
else
    skip "trace vs strace: strace missing or cannot trace here"
fi

# ---- 3. decoding, on known input
printf 'line1\n\ttab "q" \\ \001\0020end-of-a-long-line-here-more' >"$TMP/data"
trace -- cat "$TMP/data" 2>"$TMP/cat.err" >/dev/null
check "openat of a known file" grep -qF "openat(AT_FDCWD, \"$TMP/data\", O_RDONLY) = 3" "$TMP/cat.err"
check "read: escaped (\\n \\t \\\" \\\\ \\1 \\0020), cut at 32 with ... after the quote" \
    grep -qE '^read\(3, "line1\\n\\ttab \\"q\\" \\\\ \\1\\0020end-of-a-lon"\.\.\., [0-9]+\) += 48$' "$TMP/cat.err"
check "read at end of file: \"\" = 0" grep -qE '^read\(3, "", [0-9]+\) += 0$' "$TMP/cat.err"
trace -o strsize=4 -- cat "$TMP/data" 2>"$TMP/cat4.err" >/dev/null
check "strsize=4 cuts at 4 bytes" grep -qE '^read\(3, "line"\.\.\., [0-9]+\) += 48$' "$TMP/cat4.err"
trace -- cat /etc/hostname /nonexistent 2>"$TMP/err.err" >/dev/null
check "openat(AT_FDCWD, \"/etc/hostname\", O_RDONLY) = 3" \
    grep -qF 'openat(AT_FDCWD, "/etc/hostname", O_RDONLY) = 3' "$TMP/err.err"
check "error result: = -1 ENOENT (No such file or directory)" \
    grep -qx 'openat(AT_FDCWD, "/nonexistent", O_RDONLY) = -1 ENOENT (No such file or directory)' "$TMP/err.err"
# on a shared stderr the start of a write goes out before the call, as strace does it:
# write(2, "cat: ", 5cat: ) = 5
check "write of a buffer from its argument" grep -qF 'write(2, "cat: ", 5cat: )' "$TMP/err.err"
trace -- sh -c ": >'$TMP/created'; /nonexistent-prog; umask 027; /bin/true" 2>"$TMP/sh.err" >/dev/null
check "O_CREAT: mode in octal" grep -qF "openat(AT_FDCWD, \"$TMP/created\", O_WRONLY|O_CREAT|O_TRUNC, 0666) = 3" "$TMP/sh.err"
check "failed execve printed when it returns" \
    grep -qE '^\[pid +[0-9]+\] execve\("/nonexistent-prog", \["/nonexistent-prog"\], 0x[0-9a-f]+ /\* [0-9]+ vars \*/\) = -1 ENOENT \(No such file or directory\)$' "$TMP/sh.err"
check "successful execve printed by the new program" \
    grep -qE '^\[pid +[0-9]+\] execve\("/bin/true", \["/bin/true"\], 0x[0-9a-f]+ /\* [0-9]+ vars \*/\) = 0$' "$TMP/sh.err"
check "umask: octal argument and result" grep -qE '^umask\(027\) += 022$|^\[pid +[0-9]+\] umask\(027\) += 022$' "$TMP/sh.err"
check "vfork() = PID in the parent, nothing for the child's side" \
    test "$(grep -cE '^(\[pid +[0-9]+\] )?vfork\(\) += [1-9][0-9]*$' "$TMP/sh.err")" -eq 2 -a "$(grep -cE 'vfork\(\) += 0$' "$TMP/sh.err")" -eq 0
check "wait4 status decoded (and, on a shared stderr, as strace's unfinished/resumed pair)" \
    bash -c "grep -qF 'wait4(-1,  <unfinished ...>' '$TMP/sh.err' && grep -qF '<... wait4 resumed>[{WIFEXITED(s) && WEXITSTATUS(s) == 127}], 0, NULL) = ' '$TMP/sh.err'"

# ---- 4. log=PATH: %p gives one file per process; without %p, one file
mkdir "$TMP/pp"
trace -o "log=$TMP/pp/log.%p" -- sh -c '/bin/true; /bin/true'
rc=$?
check "log=%p: exit 0, nothing on stderr" test $rc -eq 0
check "log=%p: three files for sh and two children" test "$(ls "$TMP/pp" | wc -l)" -eq 3
check "log=%p: each file ends with its process's exit" \
    test "$(for f in "$TMP"/pp/*; do tail -1 "$f"; done | grep -c '^+++ exited with 0 +++$')" -eq 3
check "log=%p: each file named after the pid in it" \
    bash -c "for f in '$TMP'/pp/log.*; do grep -q \"set_tid_address(0x[0-9a-f]*) *= \${f##*.}\$\" \"\$f\" || exit 1; done"
check "log=%p: no [pid N] prefixes (one process per file)" test "$(cat "$TMP"/pp/* | grep -c '^\[pid')" -eq 0
check "log=%p: two files have the children's execve" \
    test "$(grep -l '^execve("/bin/true", \["/bin/true"\], .* = 0$' "$TMP"/pp/* | wc -l)" -eq 2
trace -o "log=$TMP/shared.log" -- sh -c '/bin/true; /bin/true'
check "log without %p: one file, lines of 3 pids" \
    test "$(grep -o '^\[pid *[0-9]*\]' "$TMP/shared.log" | sort -u | wc -l)" -eq 3
check "log without %p: every line whole (no interleaving; a call that blocks as strace's unfinished/resumed pair)" \
    test "$(grep -cvE '^(\[pid +[0-9]+\] )?([a-z0-9_]+\(.*\) += .*|[a-z0-9_]+\(.* <unfinished \.\.\.>|<\.\.\. [a-z0-9_]+ resumed>.*\) += .*|\+\+\+ exited with [0-9]+ \+\+\+|--- SIG[A-Z0-9_]+ \{.*\} ---)$' "$TMP/shared.log")" -eq 0
check "log without %p: the first lines (one process so far) have no prefix" \
    grep -q '^execve("/usr/bin/sh"' <(head -1 "$TMP/shared.log")
trace -o "log=$TMP/nodir/x" -- /bin/true 2>/dev/null
rc=$?
check "log in a missing directory: exit 126" test $rc -eq 126

# ---- 5. the log survives the program closing its fds
trace -o "log=$TMP/closed.log" -- sh -c 'exec 2>&-; exec 1>&-; ls /'
check "after exec 2>&- and 1>&-: close(2) and close(1) logged" \
    bash -c "grep -qE '^close\(2\) += 0$' '$TMP/closed.log' && grep -qE '^close\(1\) += 0$' '$TMP/closed.log'"
check "  and ls's calls after them" \
    grep -qE '^\[pid +[0-9]+\] openat\(AT_FDCWD, "/", O_RDONLY\|O_NONBLOCK\|O_CLOEXEC\|O_DIRECTORY\) += [0-9]+$' "$TMP/closed.log"
check "  up to its exit" grep -qE '^\[pid +[0-9]+\] exit_group\(2\) += \?$' "$TMP/closed.log"
if [ -n "$PY" ]; then
    trace -o "log=$TMP/cr.log" -- "$PY" -c 'import os; os.closerange(3, 65536); os.write(1, b"after\n")' >"$TMP/cr.out"
    unpad "$TMP/cr.log" >"$TMP/cr.u"
    check "close_range(3, ~0): logged, and so is the write after it" \
        bash -c "grep -A3 -Fx 'close_range(3, 65535, 0) = 0' '$TMP/cr.u' | grep -qFx 'write(1, \"after\\n\", 6) = 6'"
    check "  the program ran normally" test "$(cat "$TMP/cr.out")" = after
    trace -o "log=$TMP/cr2.log" -- "$PY" -c 'import os
for fd in range(3, 4096):
    try: os.dup2(1, fd)
    except OSError: pass
os.write(1, b"ok\n")' >/dev/null
    unpad "$TMP/cr2.log" >"$TMP/cr2.u"
    if [ "${TEST_PLACEMENT:-}" = process ]; then   # the log fd is the supervisor's: none to guard
        check "dup2 over every fd: every one made, the log goes on (out of process)" \
            bash -c "! grep -qE '^dup2\(1, [0-9]+\) = -1 EBADF' '$TMP/cr2.u' && grep -qFx 'write(1, \"ok\\n\", 3) = 3' '$TMP/cr2.u'"
    else
        check "dup2 over every fd: the log fd refuses (EBADF), the log goes on" \
            bash -c "grep -qE '^dup2\(1, [0-9]+\) = -1 EBADF' '$TMP/cr2.u' && grep -qFx 'write(1, \"ok\\n\", 3) = 3' '$TMP/cr2.u'"
    fi
fi

# ---- 6. threads: [pid N] lines from several threads
if [ -x "$CORPUS/threads" ]; then
    thr=("$CORPUS/threads")
else
    thr=("$PY" -c 'import threading; t=[threading.Thread(target=lambda: open("/dev/null").close()) for i in range(4)]; [x.start() for x in t]; [x.join() for x in t]')
fi
trace -- "${thr[@]}" 2>"$TMP/thr.err" >/dev/null
check "threads: [pid N] lines from more than one thread" \
    test "$(grep -o '^\[pid *[0-9]*\]' "$TMP/thr.err" | sort -u | wc -l)" -gt 1
check "threads: a thread's exit(0) = ?" grep -qE '^\[pid +[0-9]+\] exit\(0\) += \?$' "$TMP/thr.err"
check "threads: clone3 decoded with CLONE_THREAD" grep -qE '^(\[pid +[0-9]+\] )?clone3\(\{flags=CLONE_VM\|.*CLONE_THREAD' "$TMP/thr.err"
check "threads: lines before the first thread have no prefix" grep -q '^execve(' <(head -1 "$TMP/thr.err")
mkdir "$TMP/thp"
trace -o "log=$TMP/thp/log.%p" -- "${thr[@]}" >/dev/null
check "threads with log=%p: one file, prefixed lines from several threads" \
    test "$(ls "$TMP/thp" | wc -l)" -eq 1 -a "$(cat "$TMP"/thp/* | grep -o '^\[pid *[0-9]*\]' | sort -u | wc -l)" -gt 1

# ---- the program's memory, read with rs_copy_in (wrapperabi/lib/copyin.c):
# a name that ends on the last readable byte is shown whole, one that runs
# into an unmapped page, an unmapped and a PROT_NONE pointer as addresses —
# also where seccomp refuses process_vm_readv and the pipe fallback reads.
mkdir -p "$TMP/mp/allowed" "$TMP/mp/outside"
for mode in none eperm enosys; do
    trace -o "log=$TMP/mp.$mode" -- "$PY" "$SRC/tests/lib/memprobe.py" $mode "$TMP/mp" >/dev/null 2>&1; rc=$?
    check "memory ($mode): exit 0" test $rc -eq 0
    check "  ($mode) a name ending on the last readable byte, whole" \
        grep -q "^openat(AT_FDCWD, \"$TMP/mp/allowed/edge\", O_WRONLY|O_CREAT, 0644) = 3$" "$TMP/mp.$mode"
    check "  ($mode) one across a page boundary, whole" \
        grep -q "^openat(AT_FDCWD, \"$TMP/mp/allowed/across-x\{40\}\", O_WRONLY|O_CREAT, 0644) = 3$" "$TMP/mp.$mode"
    check "  ($mode) unreadable names as addresses: cut, unmapped, PROT_NONE" \
        test "$(grep -c '^openat(AT_FDCWD, 0x[0-9a-f]*, O_WRONLY|O_CREAT, 0644) = -1 EFAULT (Bad address)$' "$TMP/mp.$mode")" -eq 3
done
# The first exec line's argv and envp are the program's initial ones, as
# the host hands them over (rs_program_argv/envp): every argument, and as
# many variables as the program finds in its environment.
trace -o "log=$TMP/envx.log" -- env -i A=1 'B=two words' /usr/bin/env x >/dev/null 2>&1
trace -o "log=$TMP/env.log" -- env -i A=1 'B=two words' /usr/bin/env >"$TMP/env.out" 2>/dev/null
check "first exec line: argv as the program got it" \
    grep -q '^execve("/usr/bin/env", \["/usr/bin/env", "x"\], 0x[0-9a-f]* /\* [0-9]* vars \*/) = 0$' "$TMP/envx.log"
check "  its envp: as many variables as the program passed (runsel's RUNSEL_* ones not counted)" \
    grep -q "^execve(\"/usr/bin/env\", \[\"/usr/bin/env\"\], 0x[0-9a-f]* /\* $(grep -vc '^RUNSEL_' "$TMP/env.out") vars \*/) = 0$" "$TMP/env.log"
check "  (which is 2 here: A and B; the program sees runsel's too)" \
    bash -c "grep -q '/\* 2 vars \*/) = 0$' '$TMP/env.log' && grep -q '^RUNSEL_' '$TMP/env.out'"
trace -o "log=$TMP/envv.log" -o verbose=yes -- env -i A=1 'B=two words' /usr/bin/env >/dev/null 2>&1
check "verbose=yes (strace -v): the environment's strings, runsel's left out" \
    grep -q '^execve("/usr/bin/env", \["/usr/bin/env"\], \["A=1", "B=two words"\]) = 0$' "$TMP/envv.log"
trace -o "log=$TMP/s0.log" -o strsize=0 -- /bin/true a b
check "strsize=0: argv as strace -s 0 shows it, [...]" \
    grep -q '^execve("/bin/true", \[\.\.\.\], 0x[0-9a-f]* /\* [0-9]* vars \*/) = 0$' "$TMP/s0.log"
printf '#!/bin/sh\ntrue\n' >"$TMP/scr.sh" && chmod 755 "$TMP/scr.sh"
trace -o "log=$TMP/scr.%p" -- sh -c "'$TMP/scr.sh' a; exit 0"
check "a #! script's execve shown as the program made it (not the interpreter's)" \
    grep -qh "^execve(\"$TMP/scr.sh\", \[\"$TMP/scr.sh\", \"a\"\], 0x[0-9a-f]* /\* [0-9]* vars \*/) = 0$" "$TMP"/scr.*

# ---- relative log= from the list (runsel -o would make it absolute before
# the wrapper sees it): rs_log_open resolves it once, at init, so after a
# cd and a fork the child's own file (%p) lands next to its parent's — for
# trace (opened in .atfork), count per-process=yes (its collector writes
# every process's file at the end; plain count writes one summary:
# t_count.sh) and fault verbose=yes alike.
PYR=$(readlink -f "$PY")
mkdir -p "$TMP/rl" && chmod 755 "$TMP" "$TMP/rl"
forker='import os
os.chdir("sub")
pid = os.fork()
if pid == 0:
    os.getppid()
    os._exit(0)
os.waitpid(pid, 0)
os.getppid()'
for w in trace "count per-process=yes" "fault verbose=yes inject=getppid:EPERM"; do
    name=${w%% *}
    rm -rf "$TMP/rl/$name" && mkdir -p "$TMP/rl/$name/sub"
    printf '%s %s log=rel.%%p\n' "$PYR" "$w" >"$TMP/rl/$name.conf" && chmod 644 "$TMP/rl/$name.conf"
    (cd "$TMP/rl/$name" && timeout 30 "$RUNSEL" --config "$TMP/rl/$name.conf" -- "$PYR" -c "$forker" >/dev/null 2>&1)
    check "relative log= of the list, $name: parent's and child's files where it started" \
        test "$(ls "$TMP/rl/$name" | grep -c '^rel\.[0-9]*$')" -eq 2
    check "  ($name) none in the directory the child forked in" test -z "$(ls "$TMP/rl/$name/sub")"
done
