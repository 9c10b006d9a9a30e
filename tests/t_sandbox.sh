#!/bin/bash
# The sandbox wrapper: allow-write confines every kind of file-system change
# (plain, "..", dirfd-relative, through symlinks, rename, link, mkdir, chmod,
# bind) to the allowed directories; deny-net refuses network sockets but not
# unix ones; allow-exec governs the programs the wrapped program runs; bad
# options stop the program; real tools (tar, cp) work inside and fail
# outside.  Every denial is checked together with its effect on the disk,
# and where a case could pass for another reason, the same operation is
# first shown to work natively or inside the allowed directory.
. "$SRC/tests/lib/common.sh"
PY=$(python3 -c 'import sys; print(sys.executable)')
chmod 755 "$TMP"
A=$TMP/allowed O=$TMP/outside
mkdir -p "$A" "$O"
sb() { "$RUNSEL" -w sandbox -o allow-write="$A" "$@"; }
# fails CMD...: the command exits non-zero
fails() { ! "$@"; }
absent() { [ ! -e "$1" ] && [ ! -L "$1" ]; }
has() { grep -q -- "$1" <<<"$2"; }   # has PATTERN TEXT
cond() { eval "$1"; }                # check NAME cond 'SHELL CONDITION'

# ---- plain writes
sb -- sh -c "echo in > '$A/f'"; rc=$?
check "a write inside allow-write works" test $rc -eq 0 -a "$(cat "$A/f" 2>/dev/null)" = in
sh -c "echo native > '$O/native'"
check "  (natively, writing to the outside directory works)" test "$(cat "$O/native")" = native
out=$(sb -- sh -c "echo x > '$O/outside'" 2>&1); rc=$?
check "sh -c 'echo x > OUTSIDE' fails with a permission error" \
    cond '[ $rc -ne 0 ] && has "Permission denied" "$out"' 
check "  and the file is not created" absent "$O/outside"
check "  and the sandbox says so in one line" \
    grep -qx "runsel sandbox: denied openat \"$O/outside\" (write outside allow-write)" <<<"$out"
out=$(sb -o quiet=yes -- sh -c "echo x > '$O/quiet'" 2>&1)
check "quiet=yes: still denied, no sandbox line" \
    cond 'absent "$O/quiet" && has "Permission denied" "$out" && ! has "runsel sandbox" "$out"' 
sb -- sh -c "echo x > '$A/../outside/dotdot'" 2>/dev/null
check "'..' out of the allowed directory is denied" absent "$O/dotdot"
sb -- sh -c "cd '$A' && echo x > ../outside/rel; echo y > ./rel" 2>/dev/null
check "a relative name resolved against the cwd: outside denied" absent "$O/rel"
check "  inside allowed" test -f "$A/rel"
check "without allow-write nothing is restricted" \
    bash -c "'$RUNSEL' -w sandbox -- sh -c \"echo x > '$O/free'\" && test -f '$O/free'"
check "/dev/null stays writable" sb -- sh -c 'echo x >/dev/null'
check "/dev/stderr, open for writing already, can be reopened" \
    bash -c "'$RUNSEL' -w sandbox -o allow-write='$A' -- sh -c 'echo via-stderr >/dev/stderr' 2>&1 | grep -qx via-stderr"

# ---- dirfd-relative names (openat with a directory fd)
dirfd_open() {   # DIR NAME: create NAME relative to an fd of DIR; prints ok or the error
    sb -o quiet=yes -- "$PY" -c '
import os, sys
d = os.open(sys.argv[1], os.O_RDONLY | os.O_DIRECTORY)
try:
    os.close(os.open(sys.argv[2], os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=d)); print("ok")
except OSError as e:
    print(type(e).__name__)' "$1" "$2"
}
check "dirfd-relative create inside works" test "$(dirfd_open "$A" dfd)" = ok -a -f "$A/dfd"
check "dirfd-relative create outside: PermissionError" test "$(dirfd_open "$O" dfd)" = PermissionError
check "  and nothing created" absent "$O/dfd"
check "dirfd inside, name '../outside/..': PermissionError" \
    test "$(dirfd_open "$A" ../outside/dfd2)" = PermissionError
# a dirfd that is no directory, or not open: the kernel's error, not a denial
badfd='import errno, os
r, w = os.pipe()
for fd in r, 1000:
    try:
        os.open("x", os.O_WRONLY | os.O_CREAT, dir_fd=fd); print("ok")
    except OSError as e:
        print(errno.errorcode[e.errno])'
check "dirfd a pipe: ENOTDIR, a closed fd: EBADF, as natively" \
    test "$(cd "$A" && "$PY" -c "$badfd")" = $'ENOTDIR\nEBADF' -a \
         "$(cd "$A" && sb -- "$PY" -c "$badfd" 2>&1)" = $'ENOTDIR\nEBADF'
# a deep cwd (3.8 KiB) and a name through a long directory of it and back
# up: the joined name exceeds PATH_MAX on the way, its result does not
deep=$(printf 'd%.0s' {1..200}) e=$(printf 'e%.0s' {1..250})
deep=$deep/$deep/$deep/$deep/$deep/$deep/$deep/$deep/$deep/$deep/$deep/$deep/$deep/$deep/$deep/$deep/$deep/$deep/$deep
(cd "$A" && mkdir -p "$deep" && cd "$deep" && mkdir "$e")
up=$(printf '../%.0s' {1..19})
out=$(cd "$A/$deep" && sb -- sh -c "echo x > $e/../${up}longback; echo y > $e/../${up}../outside/longout" 2>&1)
check "a deep cwd, a name that climbs back into allow-write: allowed" test -f "$A/longback"
check "  climbing out of it: denied" \
    cond 'absent "$O/longout" && has "Permission denied" "$out" && has "denied openat \"$O/longout\"" "$out"'

# ---- symlinks: the kernel's view of the parent and of a final symlink
ln -s "$O/target" "$A/link"              # dangling: O_CREAT would create the target
echo original >"$O/existing"
ln -s "$O/existing" "$A/link2"
ln -s "$O" "$A/dirlink"
sb -- sh -c "echo x > '$A/link'" 2>/dev/null
check "writing through a symlink to a new file outside: denied, not created" absent "$O/target"
sb -- sh -c "echo x > '$A/link2'" 2>/dev/null
check "writing through a symlink to an existing file outside: denied, unchanged" \
    test "$(cat "$O/existing")" = original
sb -- sh -c "echo x > '$A/dirlink/f'" 2>/dev/null
check "a file below a symlinked directory that leads outside: denied" absent "$O/f"
sb -- sh -c "echo x > '$A/link'; rm '$A/link'" 2>/dev/null
check "the symlink itself can be removed (inside)" absent "$A/link"
ln -s "$A/f" "$A/inlink"
check "a symlink that stays inside can be written through" \
    bash -c "'$RUNSEL' -w sandbox -o allow-write='$A' -- sh -c \"echo via-link > '$A/inlink'\" && test \"\$(cat '$A/f')\" = via-link"

# ---- rename, link, mkdir, chmod, unix sockets
echo r >"$A/r"
sb -- mv "$A/r" "$O/r" 2>/dev/null; rc=$?
check "rename of an allowed file to outside: denied, file stays" \
    test $rc -ne 0 -a -f "$A/r" -a ! -e "$O/r"
sb -- mv "$O/existing" "$A/stolen" 2>/dev/null
check "rename of an outside file into the allowed dir: denied" test -f "$O/existing" -a ! -e "$A/stolen"
check "rename within the allowed dir works" bash -c "'$RUNSEL' -w sandbox -o allow-write='$A' -- mv '$A/r' '$A/r2' && test -f '$A/r2'"
echo h >"$A/h" && echo h >"$O/h"
# calls newer than some build machines' headers: named from the generated
# table (tools/gen-tables adds them by number), as any other (python -u:
# its lines interleave in order with the sandbox's, whatever the
# environment's PYTHONUNBUFFERED says)
out=$(sb -- "$PY" -u -c "import ctypes, os; c = ctypes.CDLL(None, use_errno=True)
for nr in 452, 463:   # fchmodat2(AT_FDCWD, path, 0600, 0), setxattrat(AT_FDCWD, path, 0, ...)
    print(c.syscall(nr, -100, b'$O/h', 0o600 if nr == 452 else 0, 0, 0, 0), os.strerror(ctypes.get_errno()))" 2>&1)
check "fchmodat2 and setxattrat outside: denied, named in the sandbox's line" \
    test "$out" = "runsel sandbox: denied fchmodat2 \"$O/h\" (write outside allow-write)
-1 Permission denied
runsel sandbox: denied setxattrat \"$O/h\" (write outside allow-write)
-1 Permission denied"
sb -- ln "$A/h" "$O/hard" 2>/dev/null
check "hard link into a denied place: denied" cond 'absent "$O/hard" && [ -f "$A/h" ]'
sb -- ln "$O/h" "$A/hard" 2>/dev/null
check "hard link of an outside file into the allowed dir: denied (same file)" \
    cond 'absent "$A/hard" && [ -f "$O/h" ]'
check "hard link within the allowed dir works" \
    bash -c "'$RUNSEL' -w sandbox -o allow-write='$A' -- ln '$A/h' '$A/hard2' && test -f '$A/hard2'"
sb -- mkdir "$O/newdir" 2>/dev/null
check "mkdir outside: denied" absent "$O/newdir"
check "mkdir -p inside (through existing ancestors) works" \
    bash -c "'$RUNSEL' -w sandbox -o allow-write='$A' -- mkdir -p '$A/x/y/z' && test -d '$A/x/y/z'"
chmod 644 "$O/existing"
sb -- chmod 600 "$O/existing" 2>/dev/null
check "chmod outside: denied, mode unchanged" test "$(stat -c %a "$O/existing")" = 644
sb -- rm -f "$O/existing" 2>/dev/null
check "unlink outside: denied" test -f "$O/existing"
mkdir "$TMP/empty"
"$RUNSEL" -w sandbox -o allow-write="$TMP/empty" -o quiet=yes -- rmdir "$TMP/empty" 2>/dev/null
check "the (empty) allowed directory itself cannot be removed" test -d "$TMP/empty"
check "  but its attributes can change" \
    bash -c "'$RUNSEL' -w sandbox -o allow-write='$TMP/empty' -- chmod 700 '$TMP/empty' && test \$(stat -c %a '$TMP/empty') = 700"
sb -o quiet=yes -- "$PY" -c '
import socket, sys
socket.socket(socket.AF_UNIX).bind(sys.argv[1] + "/in.sock")
try: socket.socket(socket.AF_UNIX).bind(sys.argv[2] + "/out.sock")
except PermissionError: pass' "$A" "$O"
check "bind of a unix socket: inside works, outside denied" test -S "$A/in.sock" -a ! -e "$O/out.sock"

# ---- names the program's memory cannot give: the sandbox reads them with
# rs_copy_in_str (wrapperabi/lib/copyin.c) — EFAULT, as natively, never a
# crash — also where a seccomp filter refuses process_vm_readv (EPERM as
# container profiles, ENOSYS as gVisor) and the reader falls back to a pipe.
mkdir -p "$TMP/mpn/allowed" "$TMP/mpn/outside"
want_native=$'inside ok\noutside ok\nedge ok\nacross ok\ncut EFAULT\nunmapped EFAULT\nprotnone EFAULT'
want_sb=$'inside ok\noutside EACCES\nedge ok\nacross ok\ncut EFAULT\nunmapped EFAULT\nprotnone EFAULT'
check "memory probe natively: only the unreadable names fail (EFAULT)" \
    test "$("$PY" "$SRC/tests/lib/memprobe.py" none "$TMP/mpn" 2>&1)" = "$want_native"
for mode in none eperm enosys; do
    rm -f "$A/plain" "$A/edge" "$A"/across-*
    out=$(sb -o quiet=yes -- "$PY" "$SRC/tests/lib/memprobe.py" $mode "$TMP" 2>&1); rc=$?
    check "memory probe ($mode): exit 0, each name judged or EFAULT as natively" \
        cond '[ $rc -eq 0 ] && [ "$out" = "$want_sb" ]'
    check "  ($mode) the names that were read were read whole" \
        cond 'test -f "$A/plain" -a -f "$A/edge" && ls "$A"/across-x* >/dev/null && absent "$O/plain"'
done
if command -v strace >/dev/null; then
    strace -f -qq -e trace=pipe2 -o "$TMP/mp.strace" "$RUNSEL" -w sandbox -o allow-write="$A" \
        -o quiet=yes -- "$PY" "$SRC/tests/lib/memprobe.py" eperm "$TMP" >/dev/null 2>&1
    check "  (eperm) the pipe fallback is what read them" grep -q '^[0-9]* *pipe2(' "$TMP/mp.strace"
else
    skip "  (eperm) the pipe fallback is what read them: no strace"
fi

# ---- deny-net
net() {   # FAMILY: create a socket of it; prints ok or the exception's name
    "$RUNSEL" -w sandbox -o deny-net="$DN" -o quiet=yes -- "$PY" -c '
import socket, sys
try: socket.socket(getattr(socket, sys.argv[1])).close(); print("ok")
except OSError as e: print(type(e).__name__)' "$1"
}
DN=no
check "without deny-net, AF_INET sockets work" test "$(net AF_INET)" = ok
DN=yes
check "deny-net=yes: socket() fails with PermissionError" test "$(net AF_INET)" = PermissionError
check "deny-net=yes: AF_INET6 too" test "$(net AF_INET6)" = PermissionError
check "deny-net=yes: AF_UNIX still works" test "$(net AF_UNIX)" = ok
out=$("$RUNSEL" -w sandbox -o deny-net=yes -- "$PY" -c 'import socket; socket.socket()' 2>&1)
check "  the denial is reported" grep -q 'runsel sandbox: denied socket "AF_INET" (deny-net)' <<<"$out"

# ---- allow-exec: the first program (sh) is started by runsel, before the
# wrapper exists; the policy governs what sh runs.
out=$("$RUNSEL" -w sandbox -o allow-exec=/usr/bin/ls -- sh -c "ls -d '$TMP'" 2>&1)
check "allow-exec=/usr/bin/ls: sh -c ls runs ls" test "$out" = "$TMP"
"$RUNSEL" -w sandbox -o allow-exec=/usr/bin/ls -o quiet=yes -- sh -c /usr/bin/id >/dev/null 2>&1; rc=$?
check "allow-exec=/usr/bin/ls: sh -c /usr/bin/id exits 126" test $rc -eq 126
check "  (natively sh -c /usr/bin/id works)" sh -c '/usr/bin/id >/dev/null'
check "allow-exec globs: /usr/bin/i? allows id" \
    bash -c "'$RUNSEL' -w sandbox -o 'allow-exec=/usr/bin/i?' -- sh -c /usr/bin/id >/dev/null"
check "allow-exec globs: '*' does not cross '/'" \
    bash -c "! '$RUNSEL' -w sandbox -o 'allow-exec=/usr/*' -o quiet=yes -- sh -c /usr/bin/id 2>/dev/null"
check "allow-exec globs: '**' does" \
    bash -c "'$RUNSEL' -w sandbox -o 'allow-exec=/usr/**' -- sh -c /usr/bin/id >/dev/null"
ln -s /usr/bin/id "$A/id-link"
check "allow-exec judges the real path, not a symlink's name" \
    bash -c "! '$RUNSEL' -w sandbox -o 'allow-exec=$A/*' -o quiet=yes -- sh -c '$A/id-link' >/dev/null 2>&1"
cp /bin/true "$A/suid" && chmod 4755 "$A/suid"
"$RUNSEL" -w sandbox -o allow-write="$A" -o quiet=yes -- sh -c "'$A/suid'" 2>/dev/null; rc=$?
check "a set-user-ID program (it would run unwrapped) is refused" test $rc -eq 126

# ---- bad options: the program does not run, runsel exits 126
badopt() {   # WANT-MESSAGE OPTION...
    local want=$1; shift
    local out rc
    out=$("$RUNSEL" -w sandbox "$@" -- sh -c "touch '$TMP/ran'" 2>&1); rc=$?
    [ $rc -eq 126 ] && grep -q "$want" <<<"$out" && [ ! -e "$TMP/ran" ]
}
check "allow-write=relative/path: exit 126 with a message" \
    badopt "allow-write: 'relative/path' is not an absolute path" -o allow-write=relative/path
check "allow-write naming a file: exit 126" badopt "is not a directory" -o allow-write=/etc/passwd
check "deny-net=maybe: exit 126" badopt "deny-net=maybe: expected yes or no" -o deny-net=maybe
out=$("$RUNSEL" -w sandbox -o allow_write=/tmp -- sh -c "touch '$TMP/ran'" 2>&1); rc=$?
check "a misspelt option: a usage error (2) naming it, before anything runs" \
    cond '[ $rc -eq 2 ] && grep -q "unknown option allow_write (known: " <<<"$out" && [ ! -e "$TMP/ran" ]'
check "allow-exec=relative: exit 126" badopt "allow-exec: 'bin/ls' is not" -o allow-exec=bin/ls
check "allow-mount=maybe: exit 126" badopt "allow-mount=maybe: expected yes or no" -o allow-mount=maybe
check "allow-ptrace=1: exit 126" badopt "allow-ptrace=1: expected yes or no" -o allow-ptrace=1

# ---- real programs
mkdir -p "$TMP/src/sub" && echo a >"$TMP/src/a" && echo b >"$TMP/src/sub/b" && ln -s a "$TMP/src/l"
tar -cf "$TMP/t.tar" -C "$TMP/src" .
mkdir "$A/untar"
check "tar extracts into an allowed dir" \
    bash -c "'$RUNSEL' -w sandbox -o allow-write='$A' -- tar -xf '$TMP/t.tar' -C '$A/untar' && diff -r '$TMP/src' '$A/untar'"
sb -o quiet=yes -- tar -xf "$TMP/t.tar" -C "$O" 2>/dev/null; rc=$?
check "tar extracting outside fails and creates nothing" test $rc -ne 0 -a ! -e "$O/a" -a ! -e "$O/sub"
out=$(sb -- cp "$TMP/src/a" "$O/copy" 2>&1); rc=$?
check "cp to an outside dir fails: permission denied, nothing created" \
    cond '[ $rc -ne 0 ] && absent "$O/copy" && has "cp: cannot create regular file .$O/copy.: Permission denied" "$out"' 
check "cp -a into the allowed dir works" \
    bash -c "'$RUNSEL' -w sandbox -o allow-write='$A' -- cp -a '$TMP/src' '$A/cpa' && diff -r '$TMP/src' '$A/cpa'"
out=$(sb -o quiet=yes -- sh -c "cd '$A' && sh -c 'echo nested > n1' && sh -c 'echo nested > ../outside/n2'" 2>&1)
check "programs run by the program stay sandboxed" test -f "$A/n1" -a ! -e "$O/n2"
