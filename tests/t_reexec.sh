#!/bin/bash
# Issue #18: programs that re-execute themselves through /proc/self/exe
# (and /proc/thread-self/exe, /proc/PID/exe) or their own descriptors
# (/proc/self/fd/N, /dev/fd/N) run the file the kernel would have run,
# with the argv they gave: under runsel (null, trace, an enforcing sandbox
# that must stay), as root and as another user, through binfmt_misc, and
# busybox's applets, which re-exec busybox for each pipeline stage.
. "$SRC/tests/lib/common.sh"
R=$BUILD/tests/sec/reexec
RS=$BUILD/tests/sec/reexec-static
as1000="setpriv --reuid=1000 --regid=1000 --clear-groups"
users="root"
[ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null && users="root other"
chmod 755 "$TMP"
mkdir -p "$TMP/allowed" "$TMP/out"; chmod 777 "$TMP/allowed" "$TMP/out"
as() { if [ "$1" = other ]; then shift; $as1000 "$@"; else shift; "$@"; fi; }
has() { grep -q -- "$1" <<<"$2"; }   # has PATTERN TEXT
cond() { eval "$1"; }
want="child ok argv0=me"

for who in $users; do
    for prog in "$R" "$RS"; do
        kind=$(basename "$prog")
        for how in exe thread-self pid fd devfd; do
            args=("$how"); case $how in fd|devfd) args+=("$prog") ;; esac
            native=$(as $who "$prog" "${args[@]}" 2>&1)
            out=$(as $who "$RUNSEL" -w null -- "$prog" "${args[@]}" 2>&1)
            check "$who, $kind via $how under null: as natively" \
                test "$out" = "$native" -a "$native" = "$want"
        done
    done
    out=$(as $who "$RUNSEL" -w trace -o log="$TMP/out/t.$who.%p" -- "$R" exe 2>&1)
    tr=$(cat "$TMP"/out/t.$who.* 2>/dev/null)
    check "$who: under trace: runs, and the re-executed image is traced too" \
        cond '[ "$out" = "$want" ] && has "^execve(\"/proc/self/exe\", \[\"me\", \"child\"\]" "$tr" &&
              has "^write(1, \"child ok argv0=me" "$tr"'
    for how in exe fd; do
        args=("$how"); [ $how = fd ] && args+=("$R")
        rm -f "$TMP/out/$who.$how"
        out=$(as $who "$RUNSEL" -w sandbox -o allow-write="$TMP/allowed" -o quiet=yes -- \
              "$R" "${args[@]}" "$TMP/out/$who.$how" 2>&1)
        check "$who: under sandbox via $how: the re-executed image is still sandboxed" \
            cond 'has "^$want\$" "$out" && has "^write=Permission denied\$" "$out" && [ ! -e "$TMP/out/$who.$how" ]'
    done
done

# runsel's own PROGRAM given by such a name: what the kernel would run
# for runsel's exec (runsel itself for /proc/self/exe; the open file).
out=$("$RUNSEL" -w null -- /proc/self/exe --list 2>&1)
check "runsel -- /proc/self/exe runs runsel itself, as the kernel would" grep -qx null <<<"$out"
out=$("$RUNSEL" -w null -- /dev/fd/3 child 3<"$R" 2>&1)
check "runsel -- /dev/fd/3 runs the file open on 3" test "$out" = "child ok argv0=/dev/fd/3"

# busybox re-executes itself for the applets of a pipeline.
if command -v busybox >/dev/null; then
    native=$(busybox sh -c 'echo hi | tr a-z A-Z | busybox wc -c')
    for who in $users; do
        out=$(as $who "$RUNSEL" -w null -- busybox sh -c 'echo hi | tr a-z A-Z | busybox wc -c' 2>&1)
        check "$who: busybox applets in a pipeline under runsel" test "$out" = "$native"
    done
else
    skip "busybox applets: no busybox"
fi

# The case the kernel does not let runsel fix: a process whose exe link
# names the loader (unprivileged, loader run directly here; the machine's
# own binfmt_misc entry is the same) re-executes itself unselected.
if [ "$users" = "root other" ]; then
    out=$($as1000 "$LOADER" /bin/sh -c 'exec /proc/self/exe child' 2>&1); rc=$?
    check "unselected, exe link naming the loader: a clear error (126), not the usage text" \
        cond '[ $rc -eq 126 ] && ! has usage "$out" &&
              has "runsel-loader: /proc/self/exe: a program re-executed itself through this name" "$out"'
fi

# Through binfmt_misc (private instances): the kernel resolves the path;
# the loader sets the exe link (root, or the owner of the namespace).
if "$SELCTL" register --userns --loader "$LOADER" -- /bin/true 2>/dev/null; then
    printf '%s null\n' "$R" >"$TMP/list"
    for who in $users; do
        out=$(as $who env RUNSEL_CONFIG="$TMP/list" RUNSEL_WRAPPER_DIR="$BUILD/bin/wrappers" \
              "$SELCTL" register --userns --loader "$LOADER" -- "$R" exe 2>&1)
        check "$who, binfmt_misc, selected: re-exec through /proc/self/exe" test "$out" = "$want"
        out=$(as $who "$SELCTL" register --userns --loader "$LOADER" -- "$R" pid 2>&1)
        check "$who, binfmt_misc, unselected: re-exec through /proc/PID/exe" test "$out" = "$want"
        for how in fd devfd; do
            out=$(as $who env RUNSEL_CONFIG="$TMP/list" RUNSEL_WRAPPER_DIR="$BUILD/bin/wrappers" \
                  "$SELCTL" register --userns --loader "$LOADER" -- "$R" $how "$R" 2>&1)
            check "$who, binfmt_misc, selected: re-exec through a close-on-exec descriptor ($how)" \
                test "$out" = "$want"
        done
        if command -v busybox >/dev/null; then
            out=$(as $who "$SELCTL" register --userns --loader "$LOADER" -- \
                  busybox sh -c 'echo hi | tr a-z A-Z' 2>&1)
            check "$who, binfmt_misc: busybox applets in a pipeline" test "$out" = HI
        fi
    done
else
    skip "re-exec through binfmt_misc: no private instance here"
fi

# ---- fexecve (execveat(fd, "", AT_EMPTY_PATH)) of a memfd: its link names
# no path ("/memfd:t (deleted)"); it runs as /dev/fd/N and stays wrapped
# (found by tests/t_hostile.sh's exec-memfd attack: it failed with ENOENT)
for cloexec in 0 1; do
    rm -f "$TMP/memfd.log"
    timeout 30 "$RUNSEL" -w trace -o log="$TMP/memfd.log" -- /usr/bin/python3 -c '
import os, sys
fd = os.memfd_create("t", os.MFD_CLOEXEC if sys.argv[1] == "1" else 0)
os.write(fd, open("/bin/echo", "rb").read())
os.execve(fd, ["echo", "from-memfd"], dict(os.environ))' "$cloexec" >"$TMP/memfd.out" 2>&1
    rc=$?
    check "fexecve of a memfd (MFD_CLOEXEC=$cloexec): runs (exit $rc, '$(head -c 40 "$TMP/memfd.out")'), and the new image is traced" \
        bash -c "[ $rc -eq 0 ] && grep -qx from-memfd '$TMP/memfd.out' && grep -q '^write(1, \"from-memfd\\\\n\"' '$TMP/memfd.log'"
done
