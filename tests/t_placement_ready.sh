#!/bin/bash
# The shipped wrappers and their runtime are ready to run outside the
# program (issue #15, placement=process; ABI 1.4, docs/wrappers.md "Where
# the program is"), and answer as before in process:
#   - no code of wrapperabi/ means the program by "self": every literal
#     /proc/self or /proc/thread-self, every RS_OWN_PROC (the host's own
#     /proc, for a wrapper's own descriptors), every raw getpid, gettid
#     or getcwd call and every CPU clock of "this" thread or process is one
#     of the justified ones listed below — a new one fails here until it is
#     converted (rs_proc_path, rs_program_fd, rs_getpid, rs_program_cwd,
#     rs_thread_cputime_ns) or added with its reason;
#   - through initmod, rs_getpid, rs_gettid, rs_proc_path,
#     rs_proc_thread_path, rs_program_fd, rs_program_dirfd and
#     rs_program_cwd give what the kernel says of the program, in its main
#     thread, another thread and a forked child (tests/placement/).
# The runtime's answers as a supervisor would give them are
# tests/unit/progcheck.c's (t_unit).
. "$SRC/tests/lib/common.sh"
PL=$BUILD/tests/placement

# ---- what the code says, comments left out (gcc -fpreprocessed keeps
# strings and drops comments)
PAT='/proc/(self|thread-self)|RS_OWN_PROC|rs_syscall\(SYS_(getpid|gettid|getcwd)\b|CLOCK_(THREAD|PROCESS)_CPUTIME_ID'
scan() {
    local f
    for f in "$@"; do
        gcc -fpreprocessed -dD -E -P "$f" 2>/dev/null | grep -E "$PAT" |
            sed -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//' -e "s|^|${f#"$SRC"/}: |"
    done
}

# The scanner itself: a literal is found, the same words in a comment are not.
cat >"$TMP/probe.c" <<'EOF'
/* a comment about /proc/self and RS_OWN_PROC and rs_syscall(SYS_getpid) */
static const char *p = "/proc/self/fd/%d";   // and /proc/thread-self here
EOF
got=$(SRC=$TMP scan "$TMP/probe.c")
check "the scan finds a literal and skips comments" \
    test "$got" = 'probe.c: static const char *p = "/proc/self/fd/%d";'

# Each justified use, with its reason.
expected() {
    cat <<'EOF'
wrapperabi/include/runsel/wrapper.h: #define RS_OWN_PROC "/proc/self"
wrapperabi/lib/entry.c: return host->abi_minor >= 4 ? host->getpid() : (int)rs_syscall(SYS_getpid);
wrapperabi/lib/entry.c: return host->abi_minor >= 4 ? host->gettid() : (int)rs_syscall(SYS_gettid);
wrapperabi/lib/entry.c: if (clock == CLOCK_THREAD_CPUTIME_ID)
wrapperabi/lib/entry.c: return rs_snprintf(buf, size, "%s", thread ? "/proc/thread-self" : "/proc/self");
wrapperabi/lib/program.c: n = rs_syscall(SYS_getcwd, buf, size);
wrapperabi/lib/program.c: return rs_syscall(SYS_clock_gettime, CLOCK_THREAD_CPUTIME_ID, &ts)
wrapperabi/wrappers/count/count.c: int run_fd = -1, my_pid, my_slot = -1, clock_id = CLOCK_THREAD_CPUTIME_ID;
wrapperabi/wrappers/count/run.c: clock_id = r->set.latency ? CLOCK_MONOTONIC : CLOCK_THREAD_CPUTIME_ID;
wrapperabi/wrappers/count/run.c: collector_fail(RS_OWN_PROC "/fd (count needs /proc)", fd);
wrapperabi/wrappers/count/run.c: long dfd = rs_syscall(SYS_openat, AT_FDCWD, RS_OWN_PROC "/fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC), n;
wrapperabi/wrappers/count/run.c: rs_snprintf(proc, sizeof(proc), RS_OWN_PROC "/fd/%d", fd);
wrapperabi/wrappers/count/run.c: rs_snprintf(proc, sizeof(proc), RS_OWN_PROC "/fd/%d", fd);
wrapperabi/wrappers/sandbox.c: rs_snprintf(proc, sizeof(proc), RS_OWN_PROC "/fd/%d", (int)fd);
wrapperabi/wrappers/sandbox.c: rs_snprintf(proc, sizeof(proc), RS_OWN_PROC "/fd/%d", fd);
wrapperabi/wrappers/sandbox_policy.h: static const char *const pre[] = {"/dev/fd/", "/proc/self/fd/", "/proc/thread-self/fd/"};
EOF
}
# Why each is there:
#   wrapper.h        RS_OWN_PROC's definition.
#   entry.c          a host older than ABI 1.4 is initmod in the program's
#                    own process: its answers are this process's; and
#                    rs_call_clock_ns's CPU clock is rs_thread_cputime_ns.
#   program.c        in process: rs_program_cwd is getcwd and
#                    rs_thread_cputime_ns the thread's own clock, as before.
#   count/count.c,   the clock count measures a call with: the name of the
#   count/run.c      thread's CPU clock, read by rs_call_clock_ns.
#   count/run.c      the run table's memfd and the collector's fds are
#                    count's own (the host's), found and reopened there.
#   sandbox.c        the O_PATH fds the sandbox opens itself (fd_path,
#                    judge_program's reopening of open_program's fd).
#   sandbox_policy.h names the program passes (open("/proc/self/fd/3")):
#                    the text of its argument, meaning its own /proc.
files=$(ls "$SRC"/wrapperabi/include/runsel/*.h "$SRC"/wrapperabi/lib/*.c \
           "$SRC"/wrapperabi/examples/*.c; find "$SRC/wrapperabi/wrappers" -name '*.[ch]' | sort)
# shellcheck disable=SC2086
found=$(scan $files | LC_ALL=C sort)
want=$(expected | LC_ALL=C sort)
if [ "$found" = "$want" ]; then
    ok "wrapperabi/: every /proc/self, RS_OWN_PROC, raw getpid/gettid/getcwd is a justified one"
else
    nok "wrapperabi/: uses of the host's own /proc or identity that are not listed (>) or gone (<)"
    diff <(echo "$want") <(echo "$found") | grep '^[<>]' | head -n 20
fi
n=$(echo "$found" | grep -c .)
check "the scan looked at the runtime and every shipped wrapper ($n uses found)" \
    test "$(echo "$files" | grep -c .)" -gt 20 -a "$n" -ge 16

# ---- through initmod, in process: as the kernel says
if [ ! -x "$PL/whoami" ] || [ ! -f "$PL/where.so" ]; then
    nok "tests/placement not built"
    exit 0
fi
cd "$TMP" || exit 1
out=$("$RUNSEL" -w "$PL/where.so" -- "$PL/whoami" 2>&1 | cat)
check "whoami under where: exit 0, three reports" test "$(echo "$out" | grep -c '^where ')" -eq 3
names=("the main thread" "a second thread" "a forked child")
i=0
while IFS= read -r self && IFS= read -r where; do
    # self pid=P tid=T fd1=L cwd=C  /  where pid=P tid=T inprocess=1 proc=.. thread=.. fd1=L cwd=C same=1
    # shellcheck disable=SC2086
    set -- $self
    want="where $2 $3 inprocess=1 proc=/proc/self/fd/1 thread=/proc/thread-self/fd/1 $4 $5 same=1"
    check "${names[i]:-report $i}: rs_getpid, rs_gettid, rs_proc_path, rs_program_cwd, rs_program_fd as the kernel says" \
        test "$where" = "$want"
    [ "$where" = "$want" ] || printf '  got:  %s\n  want: %s\n' "$where" "$want"
    i=$((i + 1))
done < <(echo "$out" | grep -E '^(self|where) ')
check "the three pairs were compared" test $i -eq 3
pid=$(echo "$out" | awk '/^self/ {print $2; exit}')
tid2=$(echo "$out" | awk '/^self/ {n++; if (n == 2) print $3}')
check "the second thread's tid is not the pid (the test can tell them apart)" \
    test "${tid2#tid=}" != "${pid#pid=}"
