#!/bin/bash
# trace's stat family (trace/stat.c, dirent.c, statfs.c): struct stat,
# struct statx, getdents/getdents64, struct statfs, mknod, utimensat, and
# the letters' readlink/access/chmod/umask lines, the same text as strace
# 6.1's — for tests/trace/stat.c's known calls (good and bad pointers,
# failing calls, each flag) in every form (-v, -X raw/verbose, -x, -y, -s),
# for structures no kernel writes (a seccomp listener answers in its
# place), and for real programs (ls -la, stat, find, python3's listdir,
# df, du).
#
# Times: strace prints them in the local time zone, trace in UTC (a
# wrapper has no time zone data): strace runs with TZ=UTC here.
. "$SRC/tests/lib/common.sh"
PROG=$BUILD/tests/trace/stat
PY=/usr/bin/python3
[ -x "$PY" ] || PY=$(command -v python3)
cd "$TMP" || exit 1
CALLS='stat fstat lstat newfstatat statx getdents getdents64 statfs fstatfs readlink readlinkat
       access faccessat faccessat2 utimensat chmod fchmod fchmodat mknod mknodat umask'

# The files stat.c looks at, with known modes and times.
D=$TMP/fx
mkdir -p "$D/sub" "$D/few/c"
printf hello >"$D/f"
touch -a -d '2023-11-14 22:13:20.123456789 UTC' "$D/f"
touch -m -d '2023-11-14 22:13:20 UTC' "$D/f"
: >"$D/suid"; chmod 07755 "$D/suid"
: >"$D/old"; touch -d '1960-02-29 12:34:56.000000001 UTC' "$D/old"
: >"$D/future"; touch -d '2100-03-01 00:00:00.5 UTC' "$D/future"
: >"$D/t"
mkfifo "$D/fifo"; ln -s f "$D/l"
python3 -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$D/sock"
[ "$(id -u)" = 0 ] && mknod "$D/blk" b 7 0
: >"$D/few/a"; : >"$D/few/bb"; : >"$D/few/$(printf 'q"x\n\001')"
: >"$D/few/$(printf '%0200d' 0)"; ln -s a "$D/few/s"; mkfifo "$D/few/p"
# Once before the comparisons: the directories' and the links' access
# times move at their first read (relatime), then stay.
"$PROG" "$D" >/dev/null 2>&1
ls -la "$D/few" >/dev/null 2>&1

# same_lines_with NAME 'STRACE OPTS' 'TRACE OPTS' 'CALLS' CMD...: same_lines
# (tests/lib/common.sh) with options on both sides; $FILTER (sed), when
# set, goes over both logs first (for values that move between two runs).
same_lines_with() {
    local name=$1 sopts=$2 topts=$3 calls=$4 d
    shift 4
    d=$(mktemp -d "$TMP/same.XXXXXX")
    # shellcheck disable=SC2086
    if ! TZ=UTC strace -qq $sopts -o "$d/s" "$@" </dev/null >/dev/null 2>&1 && [ ! -s "$d/s" ]; then
        skip "$name (strace cannot trace here)"
        return
    fi
    # shellcheck disable=SC2086
    timeout 60 "$RUNSEL" -w trace -o "log=$d/t" $topts -- "$@" </dev/null >/dev/null 2>&1
    if [ -n "${FILTER:-}" ]; then
        sed -E -i "$FILTER" "$d/s" "$d/t"
    fi
    # shellcheck disable=SC2086
    if python3 "$SRC/tests/lib/samelines.py" "$d/s" "$d/t" $calls >"$d/diff"; then
        ok "$name"
    else
        nok "$name"
        head -n 40 "$d/diff"
    fi
}

# ---- 1. the known calls, without strace: a few lines by their text
timeout 60 "$RUNSEL" -w trace -o "log=$TMP/plain" -- "$PROG" "$D" >/dev/null 2>&1
rc=$?
check "stat.c runs to its end under trace (bad pointers print, never fault)" test $rc -eq 0
timeout 60 "$RUNSEL" -w trace -o "log=$TMP/verbose" -o verbose=yes -- "$PROG" "$D" >/dev/null 2>&1
has() { grep -qF -- "$2" "$TMP/$1"; }
check "set-id and sticky bits by name" has plain \
    "stat(\"$D/suid\", {st_mode=S_IFREG|S_ISUID|S_ISGID|S_ISVTX|0755, st_size=0, ...}) = 0"
check "a device: st_rdev instead of st_size" has plain \
    'stat("/dev/null", {st_mode=S_IFCHR|0666, st_rdev=makedev(0x1, 0x3), ...}) = 0'
check "a failed stat: the structure's address" \
    grep -qE "^stat\(\"$D/missing\", 0x[0-9a-f]+\) += -1 ENOENT" "$TMP/plain"
check "getdents64: the buffer's address and the entries' count" \
    grep -qE '^getdents64\([0-9]+, 0x[0-9a-f]+ /\* 9 entries \*/, 32768\) += 424$' "$TMP/plain"
check "statx: sync type, flags, mask by name" has plain \
    'AT_STATX_SYNC_AS_STAT|AT_SYMLINK_NOFOLLOW|AT_NO_AUTOMOUNT, STATX_TYPE|STATX_INO, {stx_mask='
check "statfs: the magic by name, f_flags" \
    grep -qE '^statfs\("/proc", \{f_type=PROC_SUPER_MAGIC, .*f_fsid=\{val=\[0x[0-9a-f]+, 0\]\}, f_namelen=255, f_frsize=4096, f_flags=ST_VALID' "$TMP/plain"
check "utimensat: UTIME_NOW, UTIME_OMIT" has plain '[UTIME_NOW, UTIME_OMIT], AT_SYMLINK_NOFOLLOW) = 0'
check "mknod: type and device" has plain \
    "mknod(\"$D/n3\", S_IFBLK|S_ISUID|0600, makedev(0x103, 0x11170))"
check "-v: a time and its comment (UTC)" has verbose \
    'st_atime=1700000000 /* 2023-11-14T22:13:20.123456789+0000 */, st_atime_nsec=123456789'
check "-v: a time before 1970" has verbose 'st_mtime=-310476304 /* 1960-02-29T12:34:56.000000001+0000 */'
check "-v: getdents64's entries" has verbose 'd_reclen=32, d_type=DT_REG, d_name="q\"x\n\1"}'

# ---- 2. the known calls against strace, in each form
same_lines "stat.c: abbreviated" "$CALLS" "$PROG" "$D"
same_lines_with "stat.c: -v" -v "-o verbose=yes" "$CALLS" "$PROG" "$D"
same_lines_with "stat.c: -X raw" "-X raw" "-o xlat=raw" "$CALLS" "$PROG" "$D"
same_lines_with "stat.c: -X verbose" "-X verbose" "-o xlat=verbose" "$CALLS" "$PROG" "$D"
same_lines_with "stat.c: -v -X raw" "-v -X raw" "-o verbose=yes -o xlat=raw" "$CALLS" "$PROG" "$D"
same_lines_with "stat.c: -v -X verbose" "-v -X verbose" "-o verbose=yes -o xlat=verbose" \
    "$CALLS" "$PROG" "$D"
same_lines_with "stat.c: -v -xx (d_name in hex)" "-v -xx" "-o verbose=yes -o xstrings=all" \
    "$CALLS" "$PROG" "$D"
same_lines_with "stat.c: -v -s 4 (paths and d_name are not cut)" "-v -s 4" \
    "-o verbose=yes -o strsize=4" "$CALLS" "$PROG" "$D"
same_lines_with "stat.c: -y (descriptors and AT_FDCWD with their paths)" -y "-o decode-fds=path" \
    "$CALLS" "$PROG" "$D"

# ---- 3. what no kernel writes (stat.c's fake_calls: a seccomp listener
# answers for the kernel): records past the end or shorter than their
# header, names without a NUL, unknown types and magics, statx masks that
# leave fields out.  trace with follow=no: strace without -f does not show
# the answering thread either.
timeout 60 "$RUNSEL" -w trace -o "log=$TMP/fake" -o follow=no -- "$PROG" "$D" fake >/dev/null 2>&1
rc=$?
if grep -qE '^(\[pid +[0-9]+\] )?getdents64\(1000, 0x[0-9a-f]+ /\* 2\+ entries \*/, 4096\) += 53$' "$TMP/fake"; then
    check "crafted records: runs to its end under trace" test $rc -eq 0
    same_lines_with "crafted records and structures" "" "-o follow=no" "$CALLS" "$PROG" "$D" fake
    same_lines_with "crafted records and structures: -v" -v "-o verbose=yes -o follow=no" \
        "$CALLS" "$PROG" "$D" fake
    same_lines_with "crafted records and structures: -v -X verbose" "-v -X verbose" \
        "-o verbose=yes -o xlat=verbose -o follow=no" "$CALLS" "$PROG" "$D" fake
else
    skip "crafted records and structures (no seccomp listener here)"
fi

# ---- 4. real programs.  Free blocks and inodes of a disk file system move
# between the two runs; python3's heap sits below the 8 hex digits
# samelines.py takes for an address.
FREE='s/f_bfree=[0-9]+, f_bavail=[0-9]+, f_files=([0-9]+), f_ffree=[0-9]+/f_bfree=N, f_bavail=N, f_files=\1, f_ffree=N/'
same_lines "ls -la /etc /dev" "$CALLS" ls -la /etc /dev
same_lines_with "ls -la (-v, a small directory)" -v "-o verbose=yes" "$CALLS" ls -la "$D/few"
same_lines "stat /etc/passwd /dev/null /tmp" "$CALLS" stat /etc/passwd /dev/null /tmp
same_lines_with "stat /etc/passwd /dev/null /tmp (-v)" -v "-o verbose=yes" "$CALLS" \
    stat /etc/passwd /dev/null /tmp
FILTER=$FREE same_lines_with "find /usr/share/doc -maxdepth 2" "" "" "$CALLS" \
    find /usr/share/doc -maxdepth 2
FILTER='s/0x[0-9a-f]{6,}/ADDR/g' same_lines_with "python3: os.listdir(\"/\")" "" "" "$CALLS" \
    "$PY" -c 'import os; os.listdir("/")'
FILTER=$FREE same_lines_with "df / /proc" "" "" "$CALLS" df / /proc
FILTER=$FREE same_lines_with "du -s /usr/share/doc" "" "" "$CALLS" du -s /usr/share/doc
FILTER=$FREE same_lines_with "stat -f / /proc /sys (-v)" -v "-o verbose=yes" "$CALLS" \
    stat -f / /proc /sys
