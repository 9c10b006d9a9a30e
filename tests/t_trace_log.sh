#!/bin/bash
# trace's default log is the run's, as strace's: every process and every
# image writes to the stderr of the process runsel started, whatever the
# programs do with their fd 2 before they exec another (2>/dev/null for a
# child, 2>&-, exec 2>FILE) — the log is passed through each exec
# (rs_log_open_run, RUNSEL_TRACE_LOG).  The execve line still completes
# across the exec; no program gets a descriptor more than before (an exec'd
# image takes the one it inherits, an unwrapped one — inherit=no, a
# set-user-ID program run natively — gets none); log=FILE and follow=no
# are unchanged.  The secure-exec side (the caller's log is never a
# set-user-ID program's) is in t_security_wrappers.sh.
. "$SRC/tests/lib/common.sh"
trace() { timeout 30 "$RUNSEL" -w trace "$@"; }
cd "$TMP" || exit 1
LS='(/usr)?/bin/ls' CAT='(/usr)?/bin/cat'

# pid_of PROG FILE: the pid of the process whose successful execve of PROG
# FILE shows, whole, with its [pid N] prefix.
pid_of() {
    sed -nE "s#^\[pid +([0-9]+)\] execve\(\"$1\", .*\) = 0\$#\1#p" "$2" | head -1
}
# line_of REGEX FILE: the number of the first line matching REGEX.
line_of() { grep -nE "$1" "$2" | head -1 | cut -d: -f1; }

# ---- children whose stderr is /dev/null or closed: their lines on runsel's stderr
cmd='ls / 2>/dev/null; cat /etc/hostname 2>&-'
trace -- sh -c "$cmd" >"$TMP/run.out" 2>"$TMP/run.err"
lsp=$(pid_of "$LS" "$TMP/run.err") catp=$(pid_of "$CAT" "$TMP/run.err")
check "sh -c '$cmd': ls's execve on runsel's stderr, whole, with its pid (pid ${lsp:-none})" \
    test -n "$lsp"
check "  ls's calls there too: getdents64 of /, and its exit" \
    bash -c "grep -qE '^\[pid +$lsp\] getdents64\(3, ' '$TMP/run.err' &&
             grep -qE '^\[pid +$lsp\] \+\+\+ exited with 0 \+\+\+$' '$TMP/run.err'"
check "  cat (stderr closed): its execve whole (pid ${catp:-none})" test -n "$catp"
check "  cat's openat of /etc/hostname (fd 2 is free: = 2, as natively), its write and exit" \
    bash -c "grep -qE '^\[pid +$catp\] openat\(AT_FDCWD, \"/etc/hostname\", O_RDONLY\) += 2$' '$TMP/run.err' &&
             grep -qE '^\[pid +$catp\] \+\+\+ exited with 0 \+\+\+$' '$TMP/run.err'"
l_exit=$(line_of "^\[pid +$lsp\] \+\+\+ exited" "$TMP/run.err")
c_exec=$(line_of "^\[pid +$catp\] execve\(" "$TMP/run.err")
check "  in order: ls's exit (line ${l_exit:-?}) before cat's execve (line ${c_exec:-?})" \
    test -n "$l_exit" -a -n "$c_exec" -a "${l_exit:-0}" -lt "${c_exec:-0}"
check "  three processes in the [pid N] prefixes, as strace -f shows" \
    test "$(grep -oE '^\[pid +[0-9]+\]' "$TMP/run.err" | sort -u | wc -l)" -eq 3
check "  the programs' own output untouched" test "$(tail -1 "$TMP/run.out")" = "$(cat /etc/hostname)"
if command -v strace >/dev/null && strace -f -o /dev/null true 2>/dev/null; then
    # names.py FILE PROG: the calls of the process that exec'd PROG, from its execve on
    cat >"$TMP/names.py" <<'PY'
import re, sys
pid, seq = None, {}
for l in open(sys.argv[1], errors='replace'):
    m = re.match(r'^\[pid +(\d+)\] (.*)', l)
    if not m or m.group(2).startswith(('<...', '+++', '---')):
        continue
    n = re.match(r'([a-z_0-9]+)\(', m.group(2))
    if not n:
        continue
    s = seq.setdefault(m.group(1), [])
    s.append(n.group(1))
    if n.group(1) == 'execve' and re.search(r'execve\("[^"]*/%s"' % sys.argv[2], m.group(2)):
        pid, start = m.group(1), len(s) - 1
print(' '.join(seq[pid][start:]) if pid else '')
PY
    strace -f sh -c "$cmd" >"$TMP/s.out" 2>"$TMP/s.err"
    for p in ls cat; do
        a=$(python3 "$TMP/names.py" "$TMP/run.err" $p) b=$(python3 "$TMP/names.py" "$TMP/s.err" $p)
        check "  $p's calls are strace -f's, in order ($(wc -w <<<"$a") calls; strace: $(wc -w <<<"$b"))" \
            test -n "$a" -a "$a" = "$b"
    done
else
    skip "ls's and cat's calls against strace -f: strace missing or cannot trace here"
fi

# ---- one process that changes its fd 2, then execs
trace -- sh -c 'exec 2>&-; exec cat /etc/hostname' >/dev/null 2>"$TMP/closed.err"
check "exec 2>&-, then exec cat: the execve line completes (= 0), started by sh, ended by cat" \
    grep -qE "^execve\(\"$CAT\", \[\"cat\", \"/etc/hostname\"\], 0x[0-9a-f]+ /\* [0-9]+ vars \*/\) += 0$" "$TMP/closed.err"
check "  cat's calls follow, to its exit" \
    bash -c "grep -qE '^openat\(AT_FDCWD, \"/etc/hostname\", O_RDONLY\) += 2$' '$TMP/closed.err' &&
             tail -1 '$TMP/closed.err' | grep -qx '+++ exited with 0 +++'"
trace -- sh -c "exec 2>'$TMP/data'; exec cat /etc/hostname" >/dev/null 2>"$TMP/dup.err"
check "exec 2>FILE, then exec cat: none of cat's lines in the program's file (empty: $(wc -c <"$TMP/data") bytes)" \
    test ! -s "$TMP/data"
check "  they are on runsel's stderr" \
    grep -qE '^openat\(AT_FDCWD, "/etc/hostname", O_RDONLY\) += 3$' "$TMP/dup.err"
trace -- sh -c 'exec 2>/dev/null; exec sh -c "exec 2>&-; exec cat /etc/hostname"' >/dev/null 2>"$TMP/chain.err"
check "three images, each changing fd 2: all three execve lines complete, in one log" \
    test "$(grep -cE '^execve\(.*\) += 0$' "$TMP/chain.err")" -eq 3
check "  and the last image's calls are there" \
    grep -qE '^openat\(AT_FDCWD, "/etc/hostname", O_RDONLY\) += 2$' "$TMP/chain.err"

# ---- no program gets a descriptor more
root=$(trace -- ls /proc/self/fd 2>/dev/null | wc -l)
child=$(trace -- sh -c 'ls /proc/self/fd 2>/dev/null; true' 2>/dev/null | wc -l)
check "an exec'd image holds as many fds as the first one ($child, $root): it took the log it inherited" \
    test "$child" -eq "$root"
native=$(sh -c 'ls /proc/self/fd; true' | sort -n | tr '\n' ' ')
out=$(trace -o inherit=no -- sh -c 'ls /proc/self/fd; true' 2>/dev/null | sort -n | tr '\n' ' ')
check "inherit=no: the program exec'd unwrapped gets no descriptor of runsel's ($out; natively: $native)" \
    test "$out" = "$native"
out=$(trace -o follow=no -o inherit=no -- sh -c 'ls /proc/self/fd; true' 2>/dev/null | sort -n | tr '\n' ' ')
check "follow=no, inherit=no (strace without -f): the same ($out)" test "$out" = "$native"
if [ "$(id -u)" -eq 0 ] && cp /bin/ls "$TMP/ls-suid" && chmod 4755 "$TMP/ls-suid" &&
   ! findmnt -no OPTIONS --target "$TMP" | grep -qw nosuid; then
    out=$(trace -- sh -c "'$TMP/ls-suid' /proc/self/fd; true" 2>"$TMP/suid.err" | sort -n | tr '\n' ' ')
    check "a set-user-ID program (run natively) gets no descriptor of runsel's ($out; natively: $native)" \
        test "$out" = "$native"
    check "  sh's lines are on runsel's stderr (its wait4), none of the program's" \
        bash -c "grep -qE '^\[pid +[0-9]+\] <\.\.\. wait4 resumed>' '$TMP/suid.err' && ! grep -qE 'getdents64\(3, ' '$TMP/suid.err'"
else
    skip "a set-user-ID program run natively: needs root and a mount without nosuid"
fi
env_of() { trace "$@" -- sh -c 'env; true' 2>/dev/null | grep -c '^RUNSEL_TRACE_LOG='; }
check "the exec'd programs' environment names the passed log (RUNSEL_TRACE_LOG)" test "$(env_of)" = 1
check "  not with log=FILE (each image opens the file by its name)" test "$(env_of -o log="$TMP/f")" = 0
check "  not with inherit=no (nothing is passed)" test "$(env_of -o inherit=no)" = 0

# ---- log=FILE and follow=no as before
trace -o log="$TMP/file.log" -- sh -c "$cmd" >/dev/null 2>"$TMP/file.err"
check "log=FILE: ls's and cat's lines in the file, nothing on stderr" \
    test -n "$(pid_of "$LS" "$TMP/file.log")" -a -n "$(pid_of "$CAT" "$TMP/file.log")" -a ! -s "$TMP/file.err"
trace -o follow=no -o inherit=no -- sh -c "$cmd" >/dev/null 2>"$TMP/fno.err"
check "follow=no, inherit=no: only sh's lines (no ls or cat, no prefix)" \
    bash -c "! grep -qE 'getdents64|/etc/hostname|^\[pid' '$TMP/fno.err' && grep -q '^wait4(' '$TMP/fno.err'"

# ---- through binfmt_misc (a private instance): the programs exec'd that the
# list leaves unwrapped, or wraps otherwise, get none of the descriptors
# passed (trace's log, count's table: RUNSEL_FDS, closed by the loader or
# after the wrappers' init)
if ! "$SELCTL" register --userns --loader "$LOADER" -- /bin/true 2>"$TMP/err"; then
    skip "binfmt_misc cases: $(head -1 "$TMP/err")"
    exit 0
fi
chmod 755 "$TMP" && mkdir -m 755 "$TMP/etc"
DASH=$(readlink -f /bin/sh) LSR=$(readlink -f /bin/ls)
binfmt() {   # binfmt 'LIST LINES' CMD...: CMD with the list, under a private binfmt_misc
    printf '%s\n' "$1" >"$TMP/etc/sel.conf" && chmod 644 "$TMP/etc/sel.conf"; shift
    timeout 60 "$SELCTL" register --userns --loader "$LOADER" -- env RUNSEL_CONFIG="$TMP/etc/sel.conf" \
        RUNSEL_WRAPPER_DIR="$BUILD/bin/wrappers" "$@"
}
native=$("$DASH" -c 'ls /proc/self/fd; true' | sort -n | tr '\n' ' ')
for w in trace count; do
    out=$(binfmt "$DASH $w
!$LSR" "$DASH" -c 'ls /proc/self/fd; true' 2>/dev/null | sort -n | tr '\n' ' ')
    check "binfmt: sh selected with $w, ls excluded: ls gets no descriptor of runsel's ($out; natively: $native)" \
        test "$out" = "$native"
done
# A program's own listing leaves runsel's fds out (initmod/fdview.c), so
# timeout, with an entry of its own, has its fds listed by its child
TIMEOUTR=$(readlink -f /usr/bin/timeout)
for own in "count log=/dev/null:memfd:runsel-count" "trace log=$TMP/ls.log:$TMP/ls.log"; do
    binfmt "$DASH trace
$TIMEOUTR ${own%%:*}" "$DASH" -c 'timeout 20 "$0" -c "ls -l /proc/\$PPID/fd" 2>/dev/null; true' \
        >"$TMP/own.out" 2>"$TMP/own.err"
    check "binfmt: timeout with an entry of its own (${own%%:*}): sh's log is not among its fds, its own is" \
        bash -c "grep -qF '${own#*:}' '$TMP/own.out' && ! grep -qF '$TMP/own.err' '$TMP/own.out'"
done
binfmt "$DASH trace" "$DASH" -c "$cmd" >/dev/null 2>"$TMP/bm.err"
check "binfmt: sh -c '$cmd' with sh selected (ls and cat inherit): their lines on sh's stderr" \
    test -n "$(pid_of "$LS" "$TMP/bm.err")" -a -n "$(pid_of "$CAT" "$TMP/bm.err")"
