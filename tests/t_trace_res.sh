#!/bin/bash
# trace's decoders of resources, creds, scheduling, prctl, poll/select/
# epoll, descriptor and memory flags, and ioctl (wrapperabi/wrappers/trace/
# resource.c uid.c sched.c prctl.c poll.c desc.c mem.c random.c ioctl.c):
# the lines of tests/trace/res.c's known calls, and of real programs, are
# compared with strace 6.1's, with and without -v, -X raw/verbose, -y and
# -s N; a few exact lines are checked without strace too.
. "$SRC/tests/lib/common.sh"
cd "$TMP" || exit 1
RES=$BUILD/tests/trace/res
PY=/usr/bin/python3
[ -x "$PY" ] || PY=$(command -v python3)

# norm.py FILE...: in place, the numbers that differ between two runs of the
# same program: pids (the process group and session ioctls, wait4), the
# system's counters (sysinfo), CPU times and counts (rusage, times, but
# RUSAGE_CHILDREN's zeros are checked apart below), the time left of a timeout
# (select, ppoll), pipe inodes (-y) and getrandom's bytes; and signal
# numbers in -X raw/verbose (signal.c's part).  Everything else stays as printed.
cat >"$TMP/norm.py" <<'PY'
import re, sys
def norm(l):
    l = re.sub(r'(TIOCGPGRP|TIOCSPGRP|TIOCGSID|0x540f|0x5410|0x5429)(( /\*.*?\*/)?), \[\d+\]', r'\1\2, [PID]', l)
    if re.search(r'\bsysinfo\(\{', l):
        l = re.sub(r'=\d+', '=N', l)
        l = re.sub(r'loads=\[[\d, ]+\]', 'loads=[N]', l)
    if re.search(r'\bwait4\(|\bgetrusage\(', l):
        l = re.sub(r'\b(tv_sec|tv_usec|ru_\w+)=\d+', r'\1=N', l)
    if re.search(r'\btimes\(', l):
        l = re.sub(r'(tms_\w+)=\d+', r'\1=N', l)
        l = re.sub(r' /\* \d+\.\d+ s \*/', '', l)   # printed only for a nonzero tick count
        l = re.sub(r'\) += \d+$', ') = N', l)
    m = re.match(r'^(.*?\bwait4\()\d+(.*\) += )\d+$', l)
    if m:
        l = m.group(1) + 'PID' + m.group(2) + 'PID'
    l = re.sub(r'left \{tv_sec=\d+, tv_(n|u)sec=\d+\}', r'left {tv_sec=N, tv_\1sec=N}', l)
    l = re.sub(r'pipe:\[\d+\]', 'pipe:[N]', l)
    l = re.sub(r'^getrandom\("(\\x[0-9a-f]{2})+"', 'getrandom("BYTES"', l)
    # signals follow -X in strace (15 /* SIGTERM */); trace's signal names are
    # signal.c's, another family's: the name alone on both sides
    l = re.sub(r'\b\d+ /\* ((SIG)?(USR1|TERM)) \*/', r'\1', l)
    return l
for f in sys.argv[1:]:
    lines = [norm(l.rstrip('\n')) for l in open(f, errors='replace')]
    open(f, 'w').write(''.join(x + '\n' for x in lines))
PY

# same_res NAME 'CALL...' 'STRACE-OPTIONS' 'TRACE-OPTIONS' CMD...: the lines of
# CALL... in strace's log and trace's, normalised (norm.py, then
# tests/lib/samelines.py), are the same; and CMD exits the same way under
# both.  Skipped without a working strace.  Sets $d to the run's directory.
same_res() {
    local name=$1 calls=$2 sopts=$3 topts=$4 rs rt
    shift 4
    d=$(mktemp -d "$TMP/same.XXXXXX")
    # shellcheck disable=SC2086
    strace -qq $sopts -o "$d/s" "$@" </dev/null >/dev/null 2>&1
    rs=$?
    if [ ! -s "$d/s" ]; then
        skip "$name (strace cannot trace here)"
        return 2
    fi
    # shellcheck disable=SC2086
    timeout 60 "$RUNSEL" -w trace -o "log=$d/t" $topts -- "$@" </dev/null >/dev/null 2>&1
    rt=$?
    "$PY" "$TMP/norm.py" "$d/s" "$d/t"
    # shellcheck disable=SC2086
    if [ $rs -eq $rt ] && "$PY" "$SRC/tests/lib/samelines.py" "$d/s" "$d/t" $calls >"$d/diff"; then
        ok "$name"
        return 0
    fi
    nok "$name"
    [ $rs -eq $rt ] || echo "  exit status: strace $rs, trace $rt"
    head -n 40 "$d/diff"
    return 1
}

RESOURCE="prlimit64 getrlimit setrlimit sysinfo uname getrusage wait4 times getpriority setpriority"
UID_CALLS="getgroups setgroups getresuid getresgid setuid setgid setreuid setregid setresuid setresgid capget capset"
SCHED="sched_getaffinity sched_setaffinity getcpu sched_getparam sched_setparam sched_getscheduler sched_setscheduler sched_get_priority_max sched_get_priority_min sched_rr_get_interval sched_getattr sched_setattr ioprio_get ioprio_set"
POLL="poll ppoll select pselect6 epoll_create epoll_create1 epoll_ctl epoll_wait epoll_pwait epoll_pwait2"
DESC="eventfd eventfd2 memfd_create fadvise64 inotify_init inotify_init1 inotify_add_watch inotify_rm_watch pipe2 dup3 close_range mlock2 munlock mlockall munlockall msync mremap getrandom"
MINE="$RESOURCE $UID_CALLS $SCHED prctl $POLL $DESC ioctl"

# ---- the test program's calls, group by group (bad pointers included)
same_res "rlimits, rusage (also wait4's), sysinfo, uname, priorities" "$RESOURCE" "" "" "$RES" res
same_res "  with -v: uname and rusage in full" "$RESOURCE" "-v" "-o verbose=yes" "$RES" res
same_res "  -X verbose: N*1024 and RLIM64_INFINITY in comments" "$RESOURCE" "-X verbose" "-o xlat=verbose" "$RES" res
same_res "  -X raw" "$RESOURCE" "-X raw" "-o xlat=raw" "$RES" res
same_res "groups, resuid/resgid, capabilities" "$UID_CALLS" "" "" "$RES" uid
same_res "  -X verbose: capability sets" "$UID_CALLS" "-X verbose" "-o xlat=verbose" "$RES" uid
same_res "  -X raw" "$UID_CALLS" "-X raw" "-o xlat=raw" "$RES" uid
same_res "affinity masks, getcpu, policies, params and attributes, I/O priorities" "$SCHED" "" "" "$RES" sched
same_res "  with -v" "$SCHED" "-v" "-o verbose=yes" "$RES" sched
same_res "  -X verbose" "$SCHED" "-X verbose" "-o xlat=verbose" "$RES" sched
same_res "  -X raw" "$SCHED" "-X raw" "-o xlat=raw" "$RES" sched
same_res "prctl's options and their arguments" "prctl" "" "" "$RES" prctl
same_res "  -X verbose" "prctl" "-X verbose" "-o xlat=verbose" "$RES" prctl
same_res "  -s 4: names cut as strace cuts them" "prctl" "-s 4" "-o strsize=4" "$RES" prctl
same_res "  -s 15" "prctl" "-s 15" "-o strsize=15" "$RES" prctl
same_res "poll, ppoll, select, pselect6, epoll (ready descriptors, Timeout, left)" "$POLL" "" "" "$RES" poll
same_res "  with -v" "$POLL" "-v" "-o verbose=yes" "$RES" poll
same_res "  -X verbose: events in comments" "$POLL" "-X verbose" "-o xlat=verbose" "$RES" poll
same_res "  -y: descriptors with their paths, in pollfds, fd sets and results" "$POLL" "-y" "-o decode-fds=path" "$RES" poll
same_res "  -s 2: at most 2 pollfds and events, then ..." "$POLL" "-s 2" "-o strsize=2" "$RES" poll
same_res "300 ready descriptors: poll's and select's results" "poll select" "" "" "$RES" many
same_res "  -s 40: cut where strace's 1024-byte result ends" "poll select" "-s 40" "-o strsize=40" "$RES" many
same_res "descriptor and memory flags by name, getrandom" "$DESC" "" "" "$RES" desc
same_res "  -X verbose: MFD_HUGE_SHIFT and flags in comments" "$DESC" "-X verbose" "-o xlat=verbose" "$RES" desc
same_res "  -X raw" "$DESC" "-X raw" "-o xlat=raw" "$RES" desc
same_res "  -s 4: memfd names" "memfd_create" "-s 4" "-o strsize=4" "$RES" desc
# (memfd_create's descriptor and fadvise64's on it left out: a deleted file's
# path is printfd's (line.c), "</memfd:x (deleted)>" where strace has
# "</memfd:x>(deleted)")
same_res "  -y: the descriptors they return with their paths" "${DESC/memfd_create fadvise64/}" \
    "-y" "-o decode-fds=path" "$RES" desc
same_res "tty ioctls on a pty: termios, winsize, [N], no third argument" "ioctl" "" "" "$RES" ioctl
same_res "  with -v: c_line and c_cc" "ioctl" "-v" "-o verbose=yes" "$RES" ioctl
same_res "  -X verbose" "ioctl" "-X verbose" "-o xlat=verbose" "$RES" ioctl
same_res "  -X raw" "ioctl" "-X raw" "-o xlat=raw" "$RES" ioctl

# Every request of trace's table by name (all names of one: "X or Y"), and
# unknown ones as _IOC(...); a seccomp filter keeps them from any driver.
codes=$(grep -o '(uint64_t)[0-9]*LL' "$BUILD/gen/xlat/ioctl_requests.h" | grep -o '[0-9]*' | sort -un)
unknown="0x80049912 0xc12cfe01 0x8803 0x5499 0x12345678 0x40086603 0"
# shellcheck disable=SC2086
same_res "ioctl requests by name: the $(echo $codes | wc -w) of trace's table, and unknown ones" \
    ioctl "" "" "$RES" ionames $codes $unknown
# shellcheck disable=SC2086
same_res "  -X verbose" ioctl "-X verbose" "-o xlat=verbose" "$RES" ionames $codes $unknown
# shellcheck disable=SC2086
same_res "  -X raw" ioctl "-X raw" "-o xlat=raw" "$RES" ionames $codes $unknown

# The comparison sees a difference: strace's names against trace's numbers.
d2=$(mktemp -d "$TMP/neg.XXXXXX")
if strace -qq -o "$d2/s" "$RES" uid </dev/null >/dev/null 2>&1 && [ -s "$d2/s" ]; then
    timeout 60 "$RUNSEL" -w trace -o "log=$d2/t" -o xlat=raw -- "$RES" uid </dev/null >/dev/null 2>&1
    check "  (the comparison sees a difference: -X raw against strace's names)" \
        test "$("$PY" "$SRC/tests/lib/samelines.py" "$d2/s" "$d2/t" capget | grep -c '^strace:')" -gt 0
fi

# ---- real programs (one process each: strace runs without -f)
same_res "bash -c 'ulimit ...': prlimit64, sysinfo, uname" "$MINE" "" "" bash -c 'ulimit -n; ulimit -s; ulimit -Sc 0; ulimit -c'
same_res "nproc: sched_getaffinity" "$MINE" "" "" nproc
same_res "uname -a" "$MINE" "" "" uname -a
same_res "  -v" "$MINE" "-v" "-o verbose=yes" uname -a
same_res "id: getgroups" "$MINE" "" "" id
same_res "sleep 0" "$MINE" "" "" sleep 0
same_res "uptime: prctl" "$MINE" "" "" uptime
same_res "cat: fadvise64" "$MINE" "" "" cat /dev/null
same_res "ionice -c3 true: ioprio_set" "$MINE" "" "" ionice -c3 true
same_res "chrt -o 0 true: sched_setattr family" "$MINE" "" "" chrt -o 0 true
same_res "taskset -c 0 true: sched_setaffinity" "$MINE" "" "" taskset -c 0 true
# (epoll_ctl and epoll_wait left out: python sets only data.fd, the rest of
# data.u64 is whatever its stack held)
same_res "python3 poll/select/epoll/eventfd on pipes" "poll select epoll_create1 pipe2 eventfd2" "" "" "$PY" -c '
import os, select
r, w = os.pipe()
os.write(w, b"x")
p = select.poll(); p.register(r, select.POLLIN); p.poll(1000); p.poll(0)
select.select([r], [w], [], 0); select.select([r], [], [], None)
e = select.epoll(); e.register(r, select.EPOLLIN | select.EPOLLET); e.poll(0); e.modify(r, select.EPOLLOUT); e.unregister(r)
os.eventfd(3, os.EFD_CLOEXEC | os.EFD_NONBLOCK)
os.pipe2(os.O_CLOEXEC | os.O_NONBLOCK)'
# tty programs on a pty of their own (res pty CMD: setsid, the pty on 0-2, exec)
same_res "stty -a on a pty: TCGETS, TIOCGWINSZ" "$MINE" "" "" "$RES" pty stty -a
same_res "  stty raw -echo: TCSETSW" "$MINE" "" "" "$RES" pty stty raw -echo
same_res "  stty sane" "$MINE" "" "" "$RES" pty stty sane
same_res "ls --color=auto on a pty" "$MINE" "" "" "$RES" pty ls --color=auto /
same_res "python3 on a pty: isatty, terminal size, tcgetpgrp, select" "$MINE" "" "" "$RES" pty "$PY" -c '
import os, select, shutil
os.isatty(0); shutil.get_terminal_size(); os.get_terminal_size(1); os.tcgetpgrp(0)
select.select([0], [], [], 0); os.ttyname(1)'
same_res "  -v" "$MINE" "-v" "-o verbose=yes" "$RES" pty "$PY" -c 'import os; os.get_terminal_size(1); os.tcgetattr(0)'

# ---- exact lines, without strace
timeout 60 "$RUNSEL" -w trace -o "log=$TMP/x" -- "$RES" ioctl </dev/null >/dev/null 2>&1
check "trace: ioctl(N, FIOCLEX) has no third argument" grep -qE '^ioctl\([0-9]+, FIOCLEX\) += 0$' "$TMP/x"
check "trace: TCGETS on /dev/null fails and shows the address" \
    grep -qE '^ioctl\(1, TCGETS, 0x[0-9a-f]+\) += -1 ENOTTY \(Inappropriate ioctl for device\)$' "$TMP/x"
check "trace: a pty's termios" grep -qF 'TCGETS, {c_iflag=ICRNL|IXON, c_oflag=NL0|CR0|TAB0|BS0|VT0|FF0|OPOST|ONLCR, c_cflag=B38400|CS8|CREAD, c_lflag=ISIG|ICANON|ECHO|ECHOE|ECHOK|IEXTEN|ECHOCTL|ECHOKE, ...}) = 0' "$TMP/x"
check "trace: SNDCTL_TMR_START or TCSETS" grep -qF ', SNDCTL_TMR_START or TCSETS, {' "$TMP/x"
check "trace: winsize" grep -qF 'TIOCGWINSZ, {ws_row=24, ws_col=80, ws_xpixel=0, ws_ypixel=0}) = 0' "$TMP/x"
timeout 60 "$RUNSEL" -w trace -o "log=$TMP/y" -- "$RES" poll </dev/null >/dev/null 2>&1
check "trace: poll's ready descriptors after the result" \
    grep -qE '^poll\(\[\{fd=3, events=POLLIN\}\], 1, 1000\) += 1 \(\[\{fd=3, revents=POLLIN\}\]\)$' "$TMP/y"
check "trace: poll (Timeout)" grep -qE '^poll\(\[\{fd=5, events=POLLIN\|POLLPRI\}\], 1, 0\) += 0 \(Timeout\)$' "$TMP/y"
check "trace: a pollfd array running into an unmapped page" \
    grep -qE '^poll\(\[\{fd=0, events=0\}, \.\.\. /\* 0x[0-9a-f]+ \*/\], 2, 0\) += -1 EFAULT' "$TMP/y"
check "trace: select's sets in and out" \
    grep -qE '^select\(4, \[3\], NULL, NULL, NULL\) += 1 \(in \[3\]\)$' "$TMP/y"
timeout 60 "$RUNSEL" -w trace -o "log=$TMP/z" -- "$RES" res </dev/null >/dev/null 2>&1
check "trace: prlimit64 with 8192*1024 and RLIM64_INFINITY" \
    grep -qE '^prlimit64\(0, RLIMIT_CORE, \{rlim_cur=100, rlim_max=RLIM64_INFINITY\}, \{rlim_cur=0, rlim_max=RLIM64_INFINITY\}\) += 0$' "$TMP/z"
check "trace: an unreadable rlimit prints as its address" \
    grep -qE '^prlimit64\(0, RLIMIT_CPU, NULL, 0x[0-9a-f]+\) += -1 EFAULT' "$TMP/z"
check "trace: getrusage(RUSAGE_CHILDREN, {...}) abbreviated" \
    grep -qF 'getrusage(RUSAGE_CHILDREN, {ru_utime={tv_sec=0, tv_usec=0}, ru_stime={tv_sec=0, tv_usec=0}, ...}) = 0' "$TMP/z"
