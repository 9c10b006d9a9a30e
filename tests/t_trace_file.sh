#!/bin/bash
# trace's file and descriptor decoders (wrapperabi/wrappers/trace/file.c)
# against strace 6.1: fcntl's commands — locks (struct flock in, and out
# with l_pid), owners, leases, notifications, seals, flags, and the
# results F_GET* name — with good and bad pointers (tests/trace/fcntl.c);
# open's flags in strace's order; the same through -y and -X.
. "$SRC/tests/lib/common.sh"
cd "$TMP" || exit 1
PROG=$BUILD/tests/trace/fcntl
if ! command -v strace >/dev/null || ! strace -qq -o /dev/null true 2>/dev/null; then
    skip "file decoders (strace cannot trace here)"
    exit 0
fi
# l_pid names the test process: the same in both logs once it is the only number
sed_pid() { sed -E 's/l_pid=[0-9]+/l_pid=PID/'; }
run_both() {    # run_both NAME STRACE-OPTS TRACE-OPTS
    rm -f "$TMP/f.$1"
    strace -qq $2 -e trace=fcntl -o "$TMP/s.$1" "$PROG" "$TMP/f.$1"
    rm -f "$TMP/f.$1"
    "$RUNSEL" -w trace -o "log=$TMP/t.$1" -o trace=fcntl $3 -- "$PROG" "$TMP/f.$1"
    sed_pid <"$TMP/s.$1" >"$TMP/s.$1.n"
    sed_pid <"$TMP/t.$1" >"$TMP/t.$1.n"
    if python3 "$SRC/tests/lib/samelines.py" "$TMP/s.$1.n" "$TMP/t.$1.n" fcntl >"$TMP/d.$1"; then
        ok "fcntl's commands as strace prints them ($1)"
    else
        nok "fcntl's commands as strace prints them ($1)"
        head -n 20 "$TMP/d.$1"
    fi
}
run_both abbrev "" ""
run_both raw "-X raw" "-o xlat=raw"
run_both verbose "-X verbose" "-o xlat=verbose"
run_both fds "-y" "-o decode-fds=path"
check "  (the comparison sees a difference: another lock type)" \
    bash -c "! python3 '$SRC/tests/lib/samelines.py' <(sed 's/F_RDLCK/F_WRLCK/' '$TMP/s.abbrev.n') '$TMP/t.abbrev.n' fcntl >/dev/null"

cat >"$TMP/of.c" <<'CEOF'
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>
int main(void)
{
    syscall(SYS_openat, AT_FDCWD, "/nonexistent-dir-of-t_trace_file/x", 0x7fffffff & ~3 & ~020000000, 0);
    syscall(SYS_openat, AT_FDCWD, "/nonexistent-dir-of-t_trace_file/x", O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    syscall(SYS_openat, AT_FDCWD, "/nonexistent-dir-of-t_trace_file/x", O_WRONLY | O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC |
            O_APPEND | O_NONBLOCK | O_DSYNC | FASYNC | O_DIRECT | O_NOATIME, 0600);
    syscall(SYS_openat, AT_FDCWD, "/nonexistent-dir-of-t_trace_file/x", O_RDWR | __O_TMPFILE | O_DIRECTORY, 0600);
    return 0;
}
CEOF
if cc -o "$TMP/of" "$TMP/of.c" 2>/dev/null; then
    same_lines "open flags in strace's order, unknown bits in hex" openat "$TMP/of"
    same_lines_with "  the same, -X verbose" "-X verbose" "xlat=verbose" openat "$TMP/of"
else
    skip "open flags (no compiler)"
fi

# ---- renameat2's flags by name (mv -n: RENAME_NOREPLACE)
same_lines "mv -n: renameat2's RENAME_NOREPLACE by name" renameat2 \
    sh -c "rm -f '$TMP/ren.b'; touch '$TMP/ren.a'; exec mv -n '$TMP/ren.a' '$TMP/ren.b'"
