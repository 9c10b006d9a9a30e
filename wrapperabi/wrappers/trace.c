/* trace — one strace-style line per system call (strace -f -s 32).
 *
 *     openat(AT_FDCWD, "/etc/hosts", O_RDONLY|O_CLOEXEC) = 3
 *     read(3, "127.0.0.1\tlocalhost\n::1\tlocal"..., 4096) = 158
 *     openat(AT_FDCWD, "/nonexistent", O_RDONLY) = -1 ENOENT (No such file or directory)
 *     exit_group(0)                           = ?
 *
 * Options (runsel -o KEY=VALUE or selected.conf):
 *   log=PATH    write the lines to PATH.  With %p in PATH (replaced by the
 *               pid) every process writes its own file (a forked child
 *               opens its own in .atfork); without, all processes append
 *               to the same file (O_APPEND, one write per line, so lines
 *               never interleave).  A relative PATH is made absolute at
 *               init, against the directory the program started in, so a
 *               child forked after a chdir writes next to its parent.
 *               The file is opened by rs_log_open() (wrapperabi/lib/log.c):
 *               never through a final symlink, never another user's file
 *               in a world-writable directory.  The log fd is kept
 *               (rs_keep_fd): the program cannot close it or dup2 over it.
 *               Default: the stderr the program started with, duplicated
 *               to a kept fd at init (as strace -o does with its own
 *               stderr): a program that closes fd 2 and opens a data file
 *               there does not get trace lines in its data.
 *               For a set-user-ID, set-group-ID or file-capability
 *               program (a secure exec) only an absolute log= is accepted:
 *               its calls and buffers must not reach the caller's stderr
 *               or a name in the caller's cwd — without one the exec
 *               fails (status 126) with the reason.
 *   strsize=N   show at most N bytes of data buffers (strace -s; default 32).
 *
 * What is printed, and when:
 *   - a call is printed once it completes, with its result; calls that do
 *     not return (exit, exit_group) are printed on the way in with "= ?",
 *     and exit_group is followed by "+++ exited with N +++" (from .fini);
 *     a process killed by a signal gets no "+++ killed by" line;
 *   - execve/execveat: a failed exec is printed when it returns (= -1
 *     ENOENT ...).  A successful one cannot be printed by the old image
 *     (it is gone, and printing it before the call would be wrong when it
 *     fails), so the new image prints "execve(PATH, [ARGV], ENVP / * N vars
 *     * /) = 0" as its first line, from its own init: PATH is the path runsel
 *     exec'd (for a #! script: the interpreter), ARGV and the variables are
 *     the new program's (the count includes the RUNSEL_* variables runsel
 *     adds, so it is 2 or 3 more than strace's).  The program runsel
 *     starts gets that line too, as under strace;
 *   - the child's side of fork/vfork/clone (result 0) is not printed: a
 *     child's first line is its next call, as in strace -f;
 *   - not seen, so not printed: signals (strace's "--- SIGCHLD ... ---")
 *     and rt_sigreturn (runsel gives every handler its own restorer);
 *     the calls of the runsel loader and of this wrapper itself.
 *
 * Arguments: about 200 calls have a description (below: flags by name,
 * strings quoted and escaped as strace does, data buffers cut at strsize
 * with "..." after the quote, paths in full up to 1 KiB); structures are
 * shown as their address, except small ones worth seeing (timespec, pipe
 * fds, wait status, signal masks, clone/clone3 arguments, AF_UNIX/AF_INET
 * addresses) — strace decodes more (stat, sigaction, ...).  Other calls
 * print 6 arguments in hex.  Memory is read with process_vm_readv, so a
 * bad pointer prints as an address instead of crashing the program.
 *
 * "[pid N] " prefix (N = the thread id), a simplification of strace -f:
 *   - shared output (stderr, or log=PATH without %p): a line is prefixed
 *     when it comes from a thread other than the main one, or from a
 *     process that has created a thread or child (from then on), or from
 *     a process started by such a process: forked (.atfork) or exec'd by
 *     one — the exec then carries RUNSEL_TRACE_SHARED=1 in the new
 *     program's environment, added to the exec's envp by this wrapper
 *     (only for processes whose lines are prefixed; the program can see
 *     it).  So a process that never forks prints no prefix, and once lines
 *     of several processes or threads can mix, all of them are prefixed.
 *     Unlike strace, the prefix stays after the children have exited.
 *   - per-process files (%p): a line is prefixed once the process has
 *     created a thread, or when it comes from a thread other than the main
 *     one.
 *
 * Re-entrancy: every line is built in a 4 KiB stack buffer and written
 * with one rs_write_all(); after init, globals change only by atomic
 * stores (the prefix flags, the orphans table) or in a forked child's
 * .atfork before it runs program code (log fd, pid). */
#include <fcntl.h>
#include <runsel/wrapper.h>

#define LINE 4096
#define ARGS_ROOM (LINE - 192)    /* the result and newline always fit */
#define PATH_READ 1024            /* longest path shown in full */
#define MARKER "RUNSEL_TRACE_SHARED=1"

/* ---- state */
static struct rs_log tlog;       /* where the lines go (rs_log_open) */
static int my_pid;
static int prefix_all;           /* shared output: prefix every line */
static int threaded;             /* this process created a thread */
static long strsize = 32;

/* ---- line buffer */
struct lb {
    char *b;
    size_t n, cap;
};

static void put(struct lb *l, const char *s, size_t n)
{
    if (n > l->cap - l->n)
        n = l->cap - l->n;
    memcpy(l->b + l->n, s, n);
    l->n += n;
}

static void puts_(struct lb *l, const char *s)
{
    put(l, s, rs_strlen(s));
}

static void putf(struct lb *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void putf(struct lb *l, const char *fmt, ...)
{
    va_list ap;
    size_t room = l->cap - l->n;

    if (!room)
        return;
    va_start(ap, fmt);
    /* the buffer has one byte beyond cap, for the NUL */
    size_t k = rs_vsnprintf(l->b + l->n, room + 1, fmt, ap);
    va_end(ap);
    l->n += k < room ? k : room;
}

static void put_ptr(struct lb *l, unsigned long p)
{
    if (p)
        putf(l, "%#lx", p);
    else
        puts_(l, "NULL");
}

/* ---- the program's memory: only through rs_copy_in (wrapperabi/lib/
 * copyin.c), so a bad pointer prints as an address instead of crashing */
static int readable(unsigned long addr, void *buf, size_t len)
{
    return rs_copy_in(buf, (const void *)addr, len) == (long)len;
}

static int peek_long(unsigned long addr, long *v)
{
    return readable(addr, v, sizeof(*v));
}

/* ---- strings, quoted as strace quotes them */
static void put_escaped(struct lb *l, const unsigned char *s, size_t n, int hex)
{
    static const char xd[] = "0123456789abcdef";

    for (size_t i = 0; i < n; i++) {
        unsigned c = s[i];
        char t[4];
        size_t k = 0;

        if (hex) {
            t[0] = '\\', t[1] = 'x', t[2] = xd[c >> 4], t[3] = xd[c & 15], k = 4;
        } else if (c == '"' || c == '\\') {
            t[0] = '\\', t[1] = (char)c, k = 2;
        } else if (c == '\f' || c == '\n' || c == '\r' || c == '\t' || c == '\v') {
            t[0] = '\\', k = 2;
            t[1] = c == '\f' ? 'f' : c == '\n' ? 'n' : c == '\r' ? 'r' : c == '\t' ? 't' : 'v';
        } else if (c >= ' ' && c < 0x7f) {
            t[0] = (char)c, k = 1;
        } else {
            /* \ooo before an octal digit, else the shortest octal */
            t[k++] = '\\';
            if (i + 1 < n && s[i + 1] >= '0' && s[i + 1] <= '7') {
                t[k++] = (char)('0' + (c >> 6));
                t[k++] = (char)('0' + ((c >> 3) & 7));
            } else if (c >> 3) {
                if (c >> 6)
                    t[k++] = (char)('0' + (c >> 6));
                t[k++] = (char)('0' + ((c >> 3) & 7));
            }
            t[k++] = (char)('0' + (c & 7));
        }
        put(l, t, k);
    }
}

/* A data buffer of len bytes: at most strsize shown, "..." when cut. */
__attribute__((noinline)) static void put_buf(struct lb *l, unsigned long addr, unsigned long len, int hex)
{
    unsigned char tmp[1024];
    size_t want = len < (unsigned long)strsize ? len : (size_t)strsize;

    if (want > sizeof(tmp))
        want = sizeof(tmp);
    if (!addr) {
        puts_(l, "NULL");
        return;
    }
    if (want && !readable(addr, tmp, want)) {
        put_ptr(l, addr);
        return;
    }
    puts_(l, "\"");
    put_escaped(l, tmp, want, hex);
    puts_(l, len > want ? "\"..." : "\"");
}

/* A NUL-terminated string of at most max bytes (paths: PATH_READ;
 * argv strings: strsize, as strace -s). */
__attribute__((noinline)) static void put_str(struct lb *l, unsigned long addr, size_t max)
{
    unsigned char tmp[PATH_READ + 1];

    if (!addr) {
        puts_(l, "NULL");
        return;
    }
    if (max > PATH_READ)
        max = PATH_READ;
    long len = rs_copy_in_str((char *)tmp, (const char *)addr, max + 1);
    if (len < 0 && len != -ENAMETOOLONG) {   /* unreadable before its end */
        put_ptr(l, addr);
        return;
    }
    int nul = len >= 0;
    if (!nul)
        len = (long)max;                         /* the first max bytes, then "..." */
    puts_(l, "\"");
    put_escaped(l, tmp, (size_t)len, 0);
    puts_(l, nul ? "\"" : "\"...");
}

/* ---- flag and constant tables */
struct flag {
    unsigned long v;
    const char *name;
};
#define END {0, NULL}

/* Flags in table order, unknown bits in hex; zero prints as zero_name. */
static void put_flags(struct lb *l, const struct flag *t, unsigned long v, const char *zero_name)
{
    int any = 0;

    if (!v) {
        puts_(l, zero_name ? zero_name : "0");
        return;
    }
    for (; t->name; t++)
        if (t->v && (v & t->v) == t->v) {
            if (any++)
                puts_(l, "|");
            puts_(l, t->name);
            v &= ~t->v;
        }
    if (v)
        putf(l, "%s%#lx", any ? "|" : "", v);
}

/* One of a set of values, else the number. */
static void put_enum(struct lb *l, const struct flag *t, long v, int hex)
{
    for (; t->name; t++)
        if (t->v == (unsigned long)v) {
            puts_(l, t->name);
            return;
        }
    if (hex)
        putf(l, "%#lx", v);
    else
        putf(l, "%ld", v);
}

static const struct flag open_flags[] = {
    {0100, "O_CREAT"}, {0200, "O_EXCL"}, {0400, "O_NOCTTY"}, {01000, "O_TRUNC"},
    {02000, "O_APPEND"}, {04000, "O_NONBLOCK"}, {04010000, "O_SYNC"}, {010000, "O_DSYNC"},
    {040000, "O_DIRECT"}, {0100000, "O_LARGEFILE"}, {0400000, "O_NOFOLLOW"},
    {01000000, "O_NOATIME"}, {02000000, "O_CLOEXEC"}, {0200000, "O_DIRECTORY"},
    {020000, "FASYNC"}, {010000000, "O_PATH"}, END,
};
#define O_TMPFILE_ 020200000UL

static void put_open_flags(struct lb *l, unsigned long f)
{
    static const char *const acc[] = {"O_RDONLY", "O_WRONLY", "O_RDWR", "O_ACCMODE"};
    int tmp = (f & O_TMPFILE_) == O_TMPFILE_;

    f &= 0xffffffffUL;
    puts_(l, acc[f & 3]);
    f &= ~3UL;
    if (tmp)
        f &= ~O_TMPFILE_;
    if (f) {
        puts_(l, "|");
        put_flags(l, open_flags, f, NULL);
    }
    if (tmp)
        puts_(l, "|O_TMPFILE");
}

static const struct flag prot_flags[] = {
    {1, "PROT_READ"}, {2, "PROT_WRITE"}, {4, "PROT_EXEC"}, {8, "PROT_SEM"},
    {0x1000000, "PROT_GROWSDOWN"}, {0x2000000, "PROT_GROWSUP"}, END,
};
static const struct flag map_flags[] = {
    {0x10, "MAP_FIXED"}, {0x20, "MAP_ANONYMOUS"}, {0x40, "MAP_32BIT"}, {0x4000, "MAP_NORESERVE"},
    {0x8000, "MAP_POPULATE"}, {0x10000, "MAP_NONBLOCK"}, {0x100, "MAP_GROWSDOWN"},
    {0x800, "MAP_DENYWRITE"}, {0x1000, "MAP_EXECUTABLE"}, {0x2000, "MAP_LOCKED"},
    {0x20000, "MAP_STACK"}, {0x40000, "MAP_HUGETLB"}, {0x80000, "MAP_SYNC"},
    {0x100000, "MAP_FIXED_NOREPLACE"}, {0x4000000, "MAP_UNINITIALIZED"}, END,
};

static void put_map_flags(struct lb *l, unsigned long f)
{
    static const char *const type[] = {"0", "MAP_SHARED", "MAP_PRIVATE", "MAP_SHARED_VALIDATE"};

    f &= 0xffffffffUL;
    puts_(l, type[f & 3]);
    f &= ~3UL;
    if (f) {
        puts_(l, "|");
        put_flags(l, map_flags, f, NULL);
    }
}

static const struct flag access_flags[] = {{4, "R_OK"}, {2, "W_OK"}, {1, "X_OK"}, END};
static const struct flag at_flags[] = {
    {0x100, "AT_SYMLINK_NOFOLLOW"}, {0x200, "AT_REMOVEDIR"}, {0x400, "AT_SYMLINK_FOLLOW"},
    {0x800, "AT_NO_AUTOMOUNT"}, {0x1000, "AT_EMPTY_PATH"}, {0x2000, "AT_STATX_FORCE_SYNC"},
    {0x4000, "AT_STATX_DONT_SYNC"}, {0x8000, "AT_RECURSIVE"}, END,
};
static const struct flag faccess_at_flags[] = {
    {0x100, "AT_SYMLINK_NOFOLLOW"}, {0x200, "AT_EACCESS"}, {0x1000, "AT_EMPTY_PATH"}, END,
};
static const struct flag whence[] = {
    {0, "SEEK_SET"}, {1, "SEEK_CUR"}, {2, "SEEK_END"}, {3, "SEEK_DATA"}, {4, "SEEK_HOLE"}, END,
};
static const struct flag fcntl_cmds[] = {
    {0, "F_DUPFD"}, {1, "F_GETFD"}, {2, "F_SETFD"}, {3, "F_GETFL"}, {4, "F_SETFL"},
    {5, "F_GETLK"}, {6, "F_SETLK"}, {7, "F_SETLKW"}, {8, "F_SETOWN"}, {9, "F_GETOWN"},
    {10, "F_SETSIG"}, {11, "F_GETSIG"}, {15, "F_SETOWN_EX"}, {16, "F_GETOWN_EX"},
    {36, "F_OFD_GETLK"}, {37, "F_OFD_SETLK"}, {38, "F_OFD_SETLKW"},
    {1024, "F_SETLEASE"}, {1025, "F_GETLEASE"}, {1026, "F_NOTIFY"}, {1030, "F_DUPFD_CLOEXEC"},
    {1031, "F_SETPIPE_SZ"}, {1032, "F_GETPIPE_SZ"}, {1033, "F_ADD_SEALS"}, {1034, "F_GET_SEALS"},
    END,
};
static const struct flag fd_flags[] = {{1, "FD_CLOEXEC"}, END};
static const struct flag sigprocmask_how[] = {
    {0, "SIG_BLOCK"}, {1, "SIG_UNBLOCK"}, {2, "SIG_SETMASK"}, END,
};
static const struct flag clone_flags[] = {
    {0x100, "CLONE_VM"}, {0x200, "CLONE_FS"}, {0x400, "CLONE_FILES"}, {0x800, "CLONE_SIGHAND"},
    {0x1000, "CLONE_PIDFD"}, {0x2000, "CLONE_PTRACE"}, {0x4000, "CLONE_VFORK"},
    {0x8000, "CLONE_PARENT"}, {0x10000, "CLONE_THREAD"}, {0x20000, "CLONE_NEWNS"},
    {0x40000, "CLONE_SYSVSEM"}, {0x80000, "CLONE_SETTLS"}, {0x100000, "CLONE_PARENT_SETTID"},
    {0x200000, "CLONE_CHILD_CLEARTID"}, {0x400000, "CLONE_DETACHED"},
    {0x800000, "CLONE_UNTRACED"}, {0x1000000, "CLONE_CHILD_SETTID"},
    {0x2000000, "CLONE_NEWCGROUP"}, {0x4000000, "CLONE_NEWUTS"}, {0x8000000, "CLONE_NEWIPC"},
    {0x10000000, "CLONE_NEWUSER"}, {0x20000000, "CLONE_NEWPID"}, {0x40000000, "CLONE_NEWNET"},
    {0x80000000UL, "CLONE_IO"}, {0x100000000UL, "CLONE_CLEAR_SIGHAND"},
    {0x200000000UL, "CLONE_INTO_CGROUP"}, END,
};
static const struct flag arch_prctl_codes[] = {
    {0x1001, "ARCH_SET_GS"}, {0x1002, "ARCH_SET_FS"}, {0x1003, "ARCH_GET_FS"},
    {0x1004, "ARCH_GET_GS"}, {0x1011, "ARCH_GET_CPUID"}, {0x1012, "ARCH_SET_CPUID"},
    {0x1021, "ARCH_GET_XCOMP_SUPP"}, {0x1022, "ARCH_GET_XCOMP_PERM"},
    {0x1023, "ARCH_REQ_XCOMP_PERM"}, {0x1024, "ARCH_GET_XCOMP_GUEST_PERM"},
    {0x1025, "ARCH_REQ_XCOMP_GUEST_PERM"}, {0x5001, "ARCH_SHSTK_ENABLE"},
    {0x5002, "ARCH_SHSTK_DISABLE"}, {0x5003, "ARCH_SHSTK_LOCK"}, {0x5005, "ARCH_SHSTK_STATUS"},
    END,
};
static const struct flag rlimits[] = {
    {0, "RLIMIT_CPU"}, {1, "RLIMIT_FSIZE"}, {2, "RLIMIT_DATA"}, {3, "RLIMIT_STACK"},
    {4, "RLIMIT_CORE"}, {5, "RLIMIT_RSS"}, {6, "RLIMIT_NPROC"}, {7, "RLIMIT_NOFILE"},
    {8, "RLIMIT_MEMLOCK"}, {9, "RLIMIT_AS"}, {10, "RLIMIT_LOCKS"}, {11, "RLIMIT_SIGPENDING"},
    {12, "RLIMIT_MSGQUEUE"}, {13, "RLIMIT_NICE"}, {14, "RLIMIT_RTPRIO"}, {15, "RLIMIT_RTTIME"},
    END,
};
static const struct flag madvise_advice[] = {
    {0, "MADV_NORMAL"}, {1, "MADV_RANDOM"}, {2, "MADV_SEQUENTIAL"}, {3, "MADV_WILLNEED"},
    {4, "MADV_DONTNEED"}, {8, "MADV_FREE"}, {9, "MADV_REMOVE"}, {10, "MADV_DONTFORK"},
    {11, "MADV_DOFORK"}, {12, "MADV_MERGEABLE"}, {13, "MADV_UNMERGEABLE"},
    {14, "MADV_HUGEPAGE"}, {15, "MADV_NOHUGEPAGE"}, {16, "MADV_DONTDUMP"}, {17, "MADV_DODUMP"},
    {18, "MADV_WIPEONFORK"}, {19, "MADV_KEEPONFORK"}, {20, "MADV_COLD"}, {21, "MADV_PAGEOUT"},
    {22, "MADV_POPULATE_READ"}, {23, "MADV_POPULATE_WRITE"}, {24, "MADV_DONTNEED_LOCKED"},
    {25, "MADV_COLLAPSE"}, {100, "MADV_HWPOISON"}, END,
};
static const struct flag wait_flags[] = {
    {1, "WNOHANG"}, {2, "WSTOPPED"}, {4, "WEXITED"}, {8, "WCONTINUED"}, {0x1000000, "WNOWAIT"},
    {0x20000000, "__WNOTHREAD"}, {0x40000000, "__WALL"}, {0x80000000UL, "__WCLONE"}, END,
};
static const struct flag grnd_flags[] = {
    {1, "GRND_NONBLOCK"}, {2, "GRND_RANDOM"}, {4, "GRND_INSECURE"}, END,
};
static const struct flag o_cloexec_flags[] = {{02000000, "O_CLOEXEC"}, {04000, "O_NONBLOCK"}, END};
static const struct flag sock_flags[] = {{02000000, "SOCK_CLOEXEC"}, {04000, "SOCK_NONBLOCK"}, END};
static const struct flag families[] = {
    {0, "AF_UNSPEC"}, {1, "AF_UNIX"}, {2, "AF_INET"}, {10, "AF_INET6"}, {16, "AF_NETLINK"},
    {17, "AF_PACKET"}, {38, "AF_ALG"}, {40, "AF_VSOCK"}, END,
};
static const struct flag sock_types[] = {
    {1, "SOCK_STREAM"}, {2, "SOCK_DGRAM"}, {3, "SOCK_RAW"}, {4, "SOCK_RDM"},
    {5, "SOCK_SEQPACKET"}, {10, "SOCK_PACKET"}, END,
};
static const struct flag epoll_ops[] = {
    {1, "EPOLL_CTL_ADD"}, {2, "EPOLL_CTL_DEL"}, {3, "EPOLL_CTL_MOD"}, END,
};
static const struct flag clocks[] = {
    {0, "CLOCK_REALTIME"}, {1, "CLOCK_MONOTONIC"}, {2, "CLOCK_PROCESS_CPUTIME_ID"},
    {3, "CLOCK_THREAD_CPUTIME_ID"}, {4, "CLOCK_MONOTONIC_RAW"}, {5, "CLOCK_REALTIME_COARSE"},
    {6, "CLOCK_MONOTONIC_COARSE"}, {7, "CLOCK_BOOTTIME"}, {8, "CLOCK_REALTIME_ALARM"},
    {9, "CLOCK_BOOTTIME_ALARM"}, {11, "CLOCK_TAI"}, END,
};
static const struct flag ioctls[] = {
    {0x5401, "TCGETS"}, {0x5402, "TCSETS"}, {0x5403, "TCSETSW"}, {0x5404, "TCSETSF"},
    {0x540b, "TCFLSH"}, {0x540e, "TIOCSCTTY"}, {0x540f, "TIOCGPGRP"}, {0x5410, "TIOCSPGRP"},
    {0x5413, "TIOCGWINSZ"}, {0x5414, "TIOCSWINSZ"}, {0x541b, "FIONREAD"}, {0x5421, "FIONBIO"},
    {0x5450, "FIONCLEX"}, {0x5451, "FIOCLEX"}, {0x5452, "FIOASYNC"}, END,
};
static const struct flag futex_ops[] = {
    {0, "FUTEX_WAIT"}, {1, "FUTEX_WAKE"}, {2, "FUTEX_FD"}, {3, "FUTEX_REQUEUE"},
    {4, "FUTEX_CMP_REQUEUE"}, {5, "FUTEX_WAKE_OP"}, {6, "FUTEX_LOCK_PI"},
    {7, "FUTEX_UNLOCK_PI"}, {8, "FUTEX_TRYLOCK_PI"}, {9, "FUTEX_WAIT_BITSET"},
    {10, "FUTEX_WAKE_BITSET"}, {11, "FUTEX_WAIT_REQUEUE_PI"}, {12, "FUTEX_CMP_REQUEUE_PI"},
    {13, "FUTEX_LOCK_PI2"}, END,
};

static const char *const signames[] = {
    "0", "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE",
    "SIGKILL", "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT",
    "SIGCHLD", "SIGCONT", "SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU",
    "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS",
};

/* strace's names: SIGRTMIN is the kernel's 32, then SIGRT_1 ... */
static void put_signal(struct lb *l, long s, int bare)
{
    const char *skip = bare ? "SIG" : "";
    size_t k = rs_strlen(skip);

    if (s > 0 && s < 32)
        puts_(l, signames[s] + k);
    else if (s == 32)
        putf(l, "%sRTMIN", skip);
    else if (s > 32 && s <= 64)
        putf(l, "%sRT_%ld", skip, s - 32);
    else
        putf(l, "%ld", s);
}

/* A sigset_t of the kernel's 8 bytes: [CHLD INT], or ~[...] when most are set. */
static void put_sigset(struct lb *l, unsigned long addr)
{
    unsigned long m;
    int n = 0, first = 1;

    if (!addr) {
        puts_(l, "NULL");
        return;
    }
    if (!peek_long(addr, (long *)&m)) {
        put_ptr(l, addr);
        return;
    }
    for (int i = 0; i < 64; i++)
        n += (int)((m >> i) & 1);
    if (n >= 32) {
        puts_(l, "~");
        m = ~m;
    }
    puts_(l, "[");
    for (int i = 0; i < 64; i++)
        if (m >> i & 1) {
            if (!first)
                puts_(l, " ");
            first = 0;
            put_signal(l, i + 1, 1);
        }
    puts_(l, "]");
}

static void put_timespec(struct lb *l, unsigned long addr)
{
    long ts[2];

    if (!addr)
        puts_(l, "NULL");
    else if (!readable(addr, ts, sizeof(ts)))
        put_ptr(l, addr);
    else
        putf(l, "{tv_sec=%ld, tv_nsec=%ld}", ts[0], ts[1]);
}

static void put_mode(struct lb *l, unsigned long m)
{
    putf(l, "%#03lo", m & 07777);
}

static void put_wait_status(struct lb *l, unsigned long addr)
{
    int s;

    if (!addr) {
        puts_(l, "NULL");
        return;
    }
    if (!readable(addr, &s, sizeof(s))) {
        put_ptr(l, addr);
        return;
    }
    puts_(l, "[{");
    if ((s & 0x7f) == 0) {
        putf(l, "WIFEXITED(s) && WEXITSTATUS(s) == %d", (s >> 8) & 0xff);
    } else if ((s & 0xff) == 0x7f) {
        puts_(l, "WIFSTOPPED(s) && WSTOPSIG(s) == ");
        put_signal(l, (s >> 8) & 0xff, 0);
    } else if (s == 0xffff) {
        puts_(l, "WIFCONTINUED(s)");
    } else {
        puts_(l, "WIFSIGNALED(s) && WTERMSIG(s) == ");
        put_signal(l, s & 0x7f, 0);
        if (s & 0x80)
            puts_(l, " && WCOREDUMP(s)");
    }
    puts_(l, "}]");
}

static void put_sockaddr(struct lb *l, unsigned long addr, unsigned long len)
{
    unsigned char sa[112];
    size_t n = len < sizeof(sa) ? len : sizeof(sa);

    if (!addr) {
        puts_(l, "NULL");
        return;
    }
    if (n < 2 || !readable(addr, sa, n)) {
        put_ptr(l, addr);
        return;
    }
    unsigned fam = sa[0] | sa[1] << 8;
    puts_(l, "{sa_family=");
    put_enum(l, families, fam, 0);
    if (fam == 1) {               /* AF_UNIX */
        size_t plen = 0;
        while (2 + plen < n && sa[2 + plen])
            plen++;
        if (n > 2 && !sa[2] && n > 3) {
            puts_(l, ", sun_path=@\"");
            put_escaped(l, sa + 3, n - 3, 0);
        } else {
            puts_(l, ", sun_path=\"");
            put_escaped(l, sa + 2, plen, 0);
        }
        puts_(l, "\"");
    } else if (fam == 2 && n >= 8) {   /* AF_INET */
        putf(l, ", sin_port=htons(%u), sin_addr=inet_addr(\"%u.%u.%u.%u\")",
             (unsigned)(sa[2] << 8 | sa[3]), sa[4], sa[5], sa[6], sa[7]);
    }
    puts_(l, "}");
}

/* ---- per-call argument descriptions
 *
 * One character per argument:
 *   d int   l long   u unsigned long   x hex (0 as 0)   p pointer (NULL)
 *   f fd    D dirfd (AT_FDCWD)   s path   b data in, length = next argument
 *   B data out, length = result   G like B, in hex (getrandom)
 *   r string out, length = result (readlink)   c path out (getcwd)
 *   o open flags (+ mode when O_CREAT/O_TMPFILE)   M mode (octal)
 *   P prot   F mmap flags   a access mode   t AT_* flags   E faccessat2 flags
 *   w whence   k signal   h sigprocmask how   q sigset   T timespec
 *   I int[2] out (pipe)   Z O_CLOEXEC|O_NONBLOCK   Y SOCK_CLOEXEC|SOCK_NONBLOCK
 *   N address family   S socket type   Q sockaddr, length = next argument
 *   A arch_prctl code   R rlimit resource   n madvise advice   W wait options
 *   g getrandom flags   e epoll_ctl op   L clock   i ioctl request
 *   C fcntl command and its argument   z futex op and its arguments
 *   X wait status (int *)   v argv   V envp
 * The first character is the result: d decimal, x hex, o octal, F fcntl,
 * ? does not return. */
static const char *const specs[] = {
    [SYS_read] = "d:fBu",
    [SYS_write] = "d:fbu",
    [SYS_open] = "d:so",
    [SYS_close] = "d:f",
    [SYS_stat] = "d:sp",
    [SYS_fstat] = "d:fp",
    [SYS_lstat] = "d:sp",
    [SYS_poll] = "d:pud",
    [SYS_lseek] = "d:flw",
    [SYS_mmap] = "x:puPFdx",
    [SYS_mprotect] = "d:puP",
    [SYS_munmap] = "d:pu",
    [SYS_brk] = "x:p",
    [SYS_rt_sigaction] = "d:kppu",
    [SYS_rt_sigprocmask] = "d:hqqu",
    [SYS_rt_sigreturn] = "d:",
    [SYS_ioctl] = "d:fix",
    [SYS_pread64] = "d:fBul",
    [SYS_pwrite64] = "d:fbul",
    [SYS_readv] = "d:fpd",
    [SYS_writev] = "d:fpd",
    [SYS_access] = "d:sa",
    [SYS_pipe] = "d:I",
    [SYS_select] = "d:dpppp",
    [SYS_sched_yield] = "d:",
    [SYS_mremap] = "x:puuxp",
    [SYS_msync] = "d:pux",
    [SYS_mincore] = "d:pup",
    [SYS_madvise] = "d:pun",
    [SYS_dup] = "d:f",
    [SYS_dup2] = "d:ff",
    [SYS_pause] = "d:",
    [SYS_nanosleep] = "d:Tp",
    [SYS_alarm] = "d:u",
    [SYS_getpid] = "d:",
    [SYS_sendfile] = "d:ffpu",
    [SYS_socket] = "d:NSd",
    [SYS_connect] = "d:fQd",
    [SYS_accept] = "d:fpp",
    [SYS_sendto] = "d:fbuxQd",
    [SYS_recvfrom] = "d:fBuxpp",
    [SYS_sendmsg] = "d:fpx",
    [SYS_recvmsg] = "d:fpx",
    [SYS_shutdown] = "d:fd",
    [SYS_bind] = "d:fQd",
    [SYS_listen] = "d:fd",
    [SYS_getsockname] = "d:fpp",
    [SYS_getpeername] = "d:fpp",
    [SYS_socketpair] = "d:NSdI",
    [SYS_setsockopt] = "d:fddpd",
    [SYS_getsockopt] = "d:fddpp",
    [SYS_fork] = "d:",
    [SYS_vfork] = "d:",
    [SYS_execve] = "d:svV",
    [SYS_exit] = "?:d",
    [SYS_wait4] = "d:dXWp",
    [SYS_kill] = "d:dk",
    [SYS_uname] = "d:p",
    [SYS_fcntl] = "F:fC",
    [SYS_flock] = "d:fd",
    [SYS_fsync] = "d:f",
    [SYS_fdatasync] = "d:f",
    [SYS_truncate] = "d:sl",
    [SYS_ftruncate] = "d:fl",
    [SYS_getdents] = "d:fpu",
    [SYS_getcwd] = "d:cu",
    [SYS_chdir] = "d:s",
    [SYS_fchdir] = "d:f",
    [SYS_rename] = "d:ss",
    [SYS_mkdir] = "d:sM",
    [SYS_rmdir] = "d:s",
    [SYS_creat] = "d:sM",
    [SYS_link] = "d:ss",
    [SYS_unlink] = "d:s",
    [SYS_symlink] = "d:ss",
    [SYS_readlink] = "d:sru",
    [SYS_chmod] = "d:sM",
    [SYS_fchmod] = "d:fM",
    [SYS_chown] = "d:sdd",
    [SYS_fchown] = "d:fdd",
    [SYS_lchown] = "d:sdd",
    [SYS_umask] = "o:M",
    [SYS_gettimeofday] = "d:pp",
    [SYS_getrlimit] = "d:Rp",
    [SYS_getrusage] = "d:dp",
    [SYS_sysinfo] = "d:p",
    [SYS_times] = "d:p",
    [SYS_getuid] = "d:",
    [SYS_getgid] = "d:",
    [SYS_setuid] = "d:d",
    [SYS_setgid] = "d:d",
    [SYS_geteuid] = "d:",
    [SYS_getegid] = "d:",
    [SYS_setpgid] = "d:dd",
    [SYS_getppid] = "d:",
    [SYS_getpgrp] = "d:",
    [SYS_setsid] = "d:",
    [SYS_setreuid] = "d:dd",
    [SYS_setregid] = "d:dd",
    [SYS_getgroups] = "d:dp",
    [SYS_setgroups] = "d:dp",
    [SYS_setresuid] = "d:ddd",
    [SYS_getresuid] = "d:ppp",
    [SYS_setresgid] = "d:ddd",
    [SYS_getresgid] = "d:ppp",
    [SYS_getpgid] = "d:d",
    [SYS_getsid] = "d:d",
    [SYS_rt_sigpending] = "d:pu",
    [SYS_rt_sigsuspend] = "d:qu",
    [SYS_sigaltstack] = "d:pp",
    [SYS_statfs] = "d:sp",
    [SYS_fstatfs] = "d:fp",
    [SYS_getpriority] = "d:dd",
    [SYS_setpriority] = "d:ddd",
    [SYS_prctl] = "d:dxxxx",
    [SYS_arch_prctl] = "d:Ax",
    [SYS_sync] = "d:",
    [SYS_gettid] = "d:",
    [SYS_tkill] = "d:dk",
    [SYS_futex] = "d:pz",
    [SYS_sched_setaffinity] = "d:dup",
    [SYS_sched_getaffinity] = "d:dup",
    [SYS_getdents64] = "d:fpu",
    [SYS_set_tid_address] = "d:p",
    [SYS_fadvise64] = "d:fllx",
    [SYS_clock_gettime] = "d:Lp",
    [SYS_clock_getres] = "d:Lp",
    [SYS_clock_nanosleep] = "d:LdTp",
    [SYS_exit_group] = "?:d",
    [SYS_epoll_wait] = "d:fpdd",
    [SYS_epoll_ctl] = "d:fefp",
    [SYS_tgkill] = "d:ddk",
    [SYS_openat] = "d:Dso",
    [SYS_mkdirat] = "d:DsM",
    [SYS_fchownat] = "d:Dsddt",
    [SYS_newfstatat] = "d:Dspt",
    [SYS_unlinkat] = "d:Dst",
    [SYS_renameat] = "d:DsDs",
    [SYS_linkat] = "d:DsDst",
    [SYS_symlinkat] = "d:sDs",
    [SYS_readlinkat] = "d:Dsru",
    [SYS_fchmodat] = "d:DsM",
    [SYS_faccessat] = "d:Dsa",
    [SYS_pselect6] = "d:dppppp",
    [SYS_ppoll] = "d:pdpqu",
    [SYS_set_robust_list] = "d:pu",
    [SYS_get_robust_list] = "d:dpp",
    [SYS_utimensat] = "d:Dspt",
    [SYS_epoll_pwait] = "d:fpddqu",
    [SYS_eventfd2] = "d:uZ",
    [SYS_epoll_create] = "d:d",
    [SYS_epoll_create1] = "d:Z",
    [SYS_dup3] = "d:ffZ",
    [SYS_pipe2] = "d:IZ",
    [SYS_accept4] = "d:fppY",
    [SYS_prlimit64] = "d:dRpp",
    [SYS_renameat2] = "d:DsDsx",
    [SYS_getrandom] = "d:Gug",
    [SYS_memfd_create] = "d:sx",
    [SYS_execveat] = "d:DsvVt",
    [SYS_statx] = "d:Dstxp",
    [SYS_rseq] = "d:pxdx",
    [SYS_close_range] = "d:ddx",
    [SYS_openat2] = "d:Dspu",
    [SYS_faccessat2] = "d:DsaE",
    [SYS_pidfd_open] = "d:dx",
    [SYS_clone3] = "d:pu",
    [SYS_membarrier] = "d:xxd",
    [SYS_sched_getparam] = "d:dp",
    [SYS_sched_getscheduler] = "d:d",
    [SYS_setitimer] = "d:dpp",
    [SYS_getitimer] = "d:dp",
    [SYS_time] = "d:p",
    [SYS_chroot] = "d:s",
    [SYS_mount] = "d:ssxxp",
    [SYS_umount2] = "d:sx",
    [SYS_getxattr] = "d:ssBu",
    [SYS_lgetxattr] = "d:ssBu",
    [SYS_fgetxattr] = "d:fsBu",
    [SYS_inotify_init1] = "d:Z",
    [SYS_inotify_add_watch] = "d:fsx",
    [SYS_timerfd_create] = "d:Lx",
    [SYS_signalfd4] = "d:fpuZ",
    [SYS_copy_file_range] = "d:fpfpux",
    [SYS_splice] = "d:fpfpux",
    [SYS_tee] = "d:ffux",
    [SYS_sync_file_range] = "d:fllx",
    [SYS_fallocate] = "d:fxll",
    [SYS_mlock] = "d:pu",
    [SYS_munlock] = "d:pu",
    [SYS_personality] = "x:x",
    [SYS_capget] = "d:pp",
    [SYS_capset] = "d:pp",
    [SYS_sched_setscheduler] = "d:ddp",
    [SYS_io_uring_setup] = "d:up",
    [SYS_waitid] = "d:ddpWp",
    [SYS_restart_syscall] = "d:",
    [SYS_getcpu] = "d:ppp",
    [SYS_pkey_mprotect] = "d:puPd",
};
#define NSPECS ((long)(sizeof(specs) / sizeof(specs[0])))

static void put_fd(struct lb *l, long v, int dirfd)
{
    if (dirfd && (int)v == -100)
        puts_(l, "AT_FDCWD");
    else
        putf(l, "%d", (int)v);
}

/* fcntl's command and, depending on it, its argument. */
static void put_fcntl(struct lb *l, const struct rs_call *c)
{
    long cmd = c->arg[1], a = c->arg[2];

    put_enum(l, fcntl_cmds, cmd, 0);
    switch (cmd) {
    case 1: case 3: case 9: case 11: case 1025: case 1032: case 1034:   /* F_GET* */
        return;
    case 0: case 1030: case 8: case 10: case 1031:
        putf(l, ", %d", (int)a);
        return;
    case 2:
        puts_(l, ", ");
        put_flags(l, fd_flags, (unsigned long)a, "0");
        return;
    case 4:
        puts_(l, ", ");
        put_open_flags(l, (unsigned long)a);
        return;
    default:
        puts_(l, ", ");
        put_ptr(l, (unsigned long)a);
    }
}

/* futex: op name and the arguments that op uses. */
static void put_futex(struct lb *l, const struct rs_call *c)
{
    long op = c->arg[1], cmd = op & 127;

    put_enum(l, futex_ops, cmd, 0);
    if (op & 128)
        puts_(l, "_PRIVATE");
    if (op & 256)
        puts_(l, "|FUTEX_CLOCK_REALTIME");
    putf(l, ", %d", (int)c->arg[2]);
    switch (cmd) {
    case 1: case 7:                 /* WAKE, UNLOCK_PI */
        return;
    case 0: case 6: case 8: case 13:   /* WAIT, LOCK_PI: a timeout */
        puts_(l, ", ");
        put_timespec(l, (unsigned long)c->arg[3]);
        return;
    case 9: case 11:                /* WAIT_BITSET */
        puts_(l, ", ");
        put_timespec(l, (unsigned long)c->arg[3]);
        if ((unsigned)c->arg[5] == 0xffffffffu)
            puts_(l, ", FUTEX_BITSET_MATCH_ANY");
        else
            putf(l, ", %#x", (unsigned)c->arg[5]);
        return;
    case 10:
        if ((unsigned)c->arg[5] == 0xffffffffu)
            puts_(l, ", FUTEX_BITSET_MATCH_ANY");
        else
            putf(l, ", %#x", (unsigned)c->arg[5]);
        return;
    default:
        putf(l, ", %#lx, %#lx, %#lx", c->arg[3], c->arg[4], c->arg[5]);
    }
}

/* argv: ["ls", "-l"], strsize strings at most, then "...". */
static void put_argv(struct lb *l, unsigned long addr)
{
    if (!addr) {
        puts_(l, "NULL");
        return;
    }
    puts_(l, "[");
    for (long i = 0;; i++) {
        long p;
        if (l->n > ARGS_ROOM - 64) {
            puts_(l, ", ...");
            break;
        }
        if (!peek_long(addr + (unsigned long)i * 8, &p)) {
            if (!i) {
                l->n--;
                put_ptr(l, addr);
                return;
            }
            break;
        }
        if (!p)
            break;
        if (i >= strsize) {
            puts_(l, ", ...");
            break;
        }
        if (i)
            puts_(l, ", ");
        put_str(l, (unsigned long)p, (size_t)strsize);
    }
    puts_(l, "]");
}

/* Entries of a NULL-ended pointer array (as far as it is readable). */
static long count_vec(unsigned long addr)
{
    long n = 0, w[32];

    while (n < 100000) {
        long r = rs_copy_in(w, (const void *)(addr + (unsigned long)n * 8), sizeof(w));
        size_t got = r > 0 ? (size_t)r / 8 : 0;
        for (size_t i = 0; i < got; i++, n++)
            if (!w[i])
                return n;
        if (got < 32)
            return n;
    }
    return n;
}

static void put_envp(struct lb *l, unsigned long addr)
{
    if (!addr) {
        puts_(l, "NULL");
        return;
    }
    long n = count_vec(addr);
    putf(l, "%#lx /* %ld var%s */", addr, n, n == 1 ? "" : "s");
}

static void put_clone(struct lb *l, const struct rs_call *c)
{
    unsigned long f = (unsigned long)c->arg[0];

    puts_(l, "child_stack=");
    put_ptr(l, (unsigned long)c->arg[1]);
    puts_(l, ", flags=");
    put_flags(l, clone_flags, f & ~0xffUL, NULL);
    if (f & 0xff) {
        if (f & ~0xffUL)
            puts_(l, "|");
        put_signal(l, (long)(f & 0xff), 0);
    }
    if (f & 0x100000) {
        puts_(l, ", parent_tid=");
        put_ptr(l, (unsigned long)c->arg[2]);
    }
    if (f & 0x80000)
        putf(l, ", tls=%#lx", c->arg[4]);
    if (f & 0x1200000) {
        puts_(l, ", child_tidptr=");
        put_ptr(l, (unsigned long)c->arg[3]);
    }
}

static void put_clone3(struct lb *l, const struct rs_call *c)
{
    unsigned long a[8];    /* flags pidfd child_tid parent_tid exit_signal stack stack_size tls */

    if ((unsigned long)c->arg[1] < 64 || !readable((unsigned long)c->arg[0], a, 64)) {
        put_ptr(l, (unsigned long)c->arg[0]);
    } else {
        puts_(l, "{flags=");
        put_flags(l, clone_flags, a[0], "0");
        if (a[0] & 0x1000)
            putf(l, ", pidfd=%#lx", a[1]);
        if (a[0] & 0x1200000)
            putf(l, ", child_tid=%#lx", a[2]);
        if (a[0] & 0x100000)
            putf(l, ", parent_tid=%#lx", a[3]);
        puts_(l, ", exit_signal=");
        put_signal(l, (long)a[4], 0);
        putf(l, ", stack=%#lx, stack_size=%#lx", a[5], a[6]);
        if (a[0] & 0x80000)
            putf(l, ", tls=%#lx", a[7]);
        puts_(l, "}");
    }
    putf(l, ", %lu", (unsigned long)c->arg[1]);
}

static int failed(long ret)
{
    return rs_is_err(ret);
}

/* The arguments of c, after the call (ret known) or before (done = 0). */
static void put_args(struct lb *l, const struct rs_call *c, const char *spec, int done)
{
    long ret = c->ret;
    int ok = done && !failed(ret);

    if (c->abi == RS_ABI_X86_64 && c->nr == SYS_clone) {
        put_clone(l, c);
        return;
    }
    if (c->abi == RS_ABI_X86_64 && c->nr == SYS_clone3) {
        put_clone3(l, c);
        return;
    }
    for (int i = 0; spec[i] && i < 6 && l->n < ARGS_ROOM; i++) {
        unsigned long a = (unsigned long)c->arg[i];
        if (i)
            puts_(l, ", ");
        switch (spec[i]) {
        case 'd': putf(l, "%d", (int)a); break;
        case 'l': putf(l, "%ld", (long)a); break;
        case 'u': putf(l, "%lu", a); break;
        case 'x': putf(l, "%#lx", a); break;
        case 'p': put_ptr(l, a); break;
        case 'f': put_fd(l, (long)a, 0); break;
        case 'D': put_fd(l, (long)a, 1); break;
        case 's': put_str(l, a, PATH_READ); break;
        case 'b': put_buf(l, a, (unsigned long)c->arg[i + 1], 0); break;
        case 'B':
        case 'G':
        case 'r':
            if (ok)
                put_buf(l, a, (unsigned long)ret, spec[i] == 'G');
            else
                put_ptr(l, a);
            break;
        case 'c':
            if (ok && ret > 0)
                put_str(l, a, PATH_READ);
            else
                put_ptr(l, a);
            break;
        case 'o':
            put_open_flags(l, a);
            if ((a & 0100) || (a & O_TMPFILE_) == O_TMPFILE_) {
                puts_(l, ", ");
                put_mode(l, (unsigned long)c->arg[i + 1]);
            }
            return;
        case 'M': put_mode(l, a); break;
        case 'P': put_flags(l, prot_flags, a & 0xffffffffUL, "PROT_NONE"); break;
        case 'F': put_map_flags(l, a); break;
        case 'a': put_flags(l, access_flags, a & 0xffffffffUL, "F_OK"); break;
        case 't': put_flags(l, at_flags, a & 0xffffffffUL, "0"); break;
        case 'E': put_flags(l, faccess_at_flags, a & 0xffffffffUL, "0"); break;
        case 'w': put_enum(l, whence, (int)a, 0); break;
        case 'k': put_signal(l, (int)a, 0); break;
        case 'h': put_enum(l, sigprocmask_how, (int)a, 0); break;
        case 'q':
            /* rt_sigprocmask's old set is written by the call */
            if (c->nr == SYS_rt_sigprocmask && i == 2 && !ok)
                put_ptr(l, a);
            else
                put_sigset(l, a);
            break;
        case 'T': put_timespec(l, a); break;
        case 'I': {
            int fds[2];
            if (ok && readable(a, fds, sizeof(fds)))
                putf(l, "[%d, %d]", fds[0], fds[1]);
            else
                put_ptr(l, a);
            break;
        }
        case 'X':
            if (ok && ret > 0)
                put_wait_status(l, a);
            else
                put_ptr(l, a);
            break;
        case 'Z': put_flags(l, o_cloexec_flags, a & 0xffffffffUL, "0"); break;
        case 'Y': put_flags(l, sock_flags, a & 0xffffffffUL, "0"); break;
        case 'N': put_enum(l, families, (int)a, 0); break;
        case 'S':
            put_enum(l, sock_types, (long)(a & 0xf), 0);
            if (a & ~0xfUL) {
                puts_(l, "|");
                put_flags(l, sock_flags, a & ~0xfUL & 0xffffffffUL, "0");
            }
            break;
        case 'Q': put_sockaddr(l, a, (unsigned long)(unsigned)c->arg[i + 1]); break;
        case 'A': put_enum(l, arch_prctl_codes, (int)a, 1); break;
        case 'R': put_enum(l, rlimits, (int)a, 0); break;
        case 'n': put_enum(l, madvise_advice, (int)a, 0); break;
        case 'W': put_flags(l, wait_flags, a & 0xffffffffUL, "0"); break;
        case 'g': put_flags(l, grnd_flags, a & 0xffffffffUL, "0"); break;
        case 'e': put_enum(l, epoll_ops, (int)a, 0); break;
        case 'L': put_enum(l, clocks, (int)a, 0); break;
        case 'i': put_enum(l, ioctls, (long)(unsigned)a, 1); break;
        case 'C': put_fcntl(l, c); return;
        case 'z': put_futex(l, c); return;
        case 'v': put_argv(l, a); break;
        case 'V': put_envp(l, a); break;
        default: putf(l, "%#lx", a); break;
        }
    }
}

static void put_result(struct lb *l, const struct rs_call *c, char how)
{
    long r = c->ret;

    if (l->n < 39)                 /* strace: " = " at column 40, prefix included */
        put(l, "                                        ", 39 - l->n);
    if (how == '?') {
        puts_(l, " = ?");
        return;
    }
    if (failed(r)) {
        long e = -r;
        const char *name = rs_errno_name(e), *msg = rs_strerror(e);
        if (e >= 512 && e <= 516) {   /* kernel-internal restart codes */
            static const char *const rn[] = {"ERESTARTSYS", "ERESTARTNOINTR", "ERESTARTNOHAND",
                                             "ENOIOCTLCMD", "ERESTART_RESTARTBLOCK"};
            static const char *const rm[] = {"To be restarted if SA_RESTART is set",
                                             "To be restarted", "To be restarted if no handler",
                                             "ENOIOCTLCMD", "Interrupted by signal"};
            putf(l, " = ? %s (%s)", rn[e - 512], rm[e - 512]);
        } else if (name) {
            putf(l, " = -1 %s (%s)", name, msg);
        } else {
            putf(l, " = -1 (errno %ld)", e);
        }
        return;
    }
    switch (how) {
    case 'x':
        putf(l, " = %#lx", r);
        return;
    case 'o':
        putf(l, " = %#03lo", r);
        return;
    case 'F':
        if (c->arg[1] == 3 && r) {          /* F_GETFL */
            putf(l, " = %#lx (flags ", r);
            put_open_flags(l, (unsigned long)r);
            puts_(l, ")");
            return;
        }
        if (c->arg[1] == 1 && r) {          /* F_GETFD */
            putf(l, " = %#lx (flags ", r);
            put_flags(l, fd_flags, (unsigned long)r, "0");
            puts_(l, ")");
            return;
        }
        break;
    }
    putf(l, " = %ld", r);
}

/* ---- output */
static int want_prefix(int tid)
{
    if (tid != my_pid)
        return 1;
    if (tlog.per_pid)
        return rs_atomic_load(&threaded);
    return rs_atomic_load(&prefix_all);
}

static void emit(char *buf, size_t n)
{
    if (tlog.fd >= 0)
        rs_write_all(tlog.fd, buf, n);
}

/* cap: the room in buf, less one byte for the NUL putf writes. */
static void start_line(struct lb *l, char *buf, size_t cap)
{
    int tid = rs_gettid();

    l->b = buf;
    l->n = 0;
    l->cap = cap;
    if (want_prefix(tid))
        putf(l, "[pid %d] ", tid);
}

/* Print c; done: the call has completed (c->ret is its result). */
/* An ia32 or x32 call: decoded with the x86-64 call of the same name
 * when its arguments are plain numbers, descriptors, strings or buffers
 * (the same on every ABI); else its raw arguments. */
static const char *foreign_spec(const char *name)
{
    long nr = name ? rs_syscall_from_name(name, rs_strlen(name)) : -1;
    const char *spec = nr >= 0 && nr < NSPECS ? specs[nr] : NULL;

    if (!spec || (spec[0] != 'd' && spec[0] != 'x'))
        return NULL;
    for (const char *p = spec + 2; *p; p++)
        if (!rs_strchr("dluxpfDsbBc", *p))
            return NULL;
    return spec;
}

static void print_call(const struct rs_call *c, int done)
{
    char buf[LINE];
    struct lb l;
    int native = c->abi == RS_ABI_X86_64;
    const char *name = rs_call_name(c);
    const char *spec = native ? (c->nr >= 0 && c->nr < NSPECS ? specs[c->nr] : NULL)
                              : foreign_spec(name);

    start_line(&l, buf, ARGS_ROOM);
    if (name)
        puts_(&l, name);
    else
        putf(&l, "syscall_%#lx", c->nr);
    puts_(&l, "(");
    put_args(&l, c, spec ? spec + 2 : "xxxxxx", done);
    puts_(&l, ")");
    l.cap = LINE - 1;
    put_result(&l, c, spec ? spec[0] : 'd');
    if (done && !rs_call_made(c))
        puts_(&l, " (INJECTED)");     /* a wrapper inside this one answered */
    buf[l.n++] = '\n';
    emit(buf, l.n);
}

/* ---- the handler */

/* A child sharing its parent's memory (posix_spawn's CLONE_VM|CLONE_VFORK)
 * cannot unmap the envp copy of a successful exec: the memory is the
 * parent's.  It leaves it here under its tid; the parent unmaps it when
 * its clone returns (for CLONE_VFORK: after the child's exec). */
#define NORPHANS 16
static struct {
    int tid;
    unsigned long blk;
} orphans[NORPHANS];

static void free_orphan(int tid)
{
    for (int i = 0; i < NORPHANS; i++)
        if (__atomic_load_n(&orphans[i].tid, __ATOMIC_ACQUIRE) == tid) {
            unsigned long *blk = (unsigned long *)__atomic_load_n(&orphans[i].blk, __ATOMIC_RELAXED);
            if (blk)
                rs_syscall(SYS_munmap, blk, blk[1]);
            __atomic_store_n(&orphans[i].blk, 0, __ATOMIC_RELAXED);
            __atomic_store_n(&orphans[i].tid, 0, __ATOMIC_RELEASE);
        }
}

/* execve of a process whose lines are prefixed: pass MARKER in the new
 * program's environment so that its lines are prefixed too (see the top
 * of the file).  The new envp is an anonymous mapping, unmapped if the
 * exec fails; c->data keeps it. */
static void add_marker(struct rs_call *c)
{
    int ai = c->nr == SYS_execve ? 2 : 3;
    unsigned long env = (unsigned long)c->arg[ai];
    long n = env ? count_vec(env) : 0;
    size_t bytes = ((size_t)(n + 4) * 8 + 4095) & ~4095UL;
    int slot = -1, tid = rs_gettid();

    for (long i = 0; i < n; i++) {        /* already there: nothing to do */
        long p;
        char v[sizeof(MARKER)];
        if (peek_long(env + (unsigned long)i * 8, &p) && readable((unsigned long)p, v, sizeof(v)) &&
            !memcmp(v, MARKER, sizeof(v)))
            return;
    }
    if (rs_getpid() != my_pid) {          /* memory shared with the parent */
        for (int i = 0; i < NORPHANS && slot < 0; i++) {
            int zero = 0;
            if (__atomic_compare_exchange_n(&orphans[i].tid, &zero, tid, 0, __ATOMIC_ACQ_REL, __ATOMIC_RELAXED))
                slot = i;
        }
        if (slot < 0)
            return;                       /* no room: no marker, no leak */
    }
    long m = rs_syscall(SYS_mmap, 0, bytes, 3, 0x22, -1, 0);   /* RW, private anonymous */
    unsigned long *blk = (unsigned long *)m;
    if (rs_is_err(m) || (n && !readable(env, blk + 2, (size_t)n * 8))) {
        if (!rs_is_err(m))
            rs_syscall(SYS_munmap, m, bytes);
        if (slot >= 0)
            __atomic_store_n(&orphans[slot].tid, 0, __ATOMIC_RELEASE);
        return;                           /* leave the call as it is */
    }
    blk[0] = env;
    blk[1] = bytes;
    blk[2 + n] = (unsigned long)MARKER;
    blk[3 + n] = 0;
    if (slot >= 0)
        __atomic_store_n(&orphans[slot].blk, (unsigned long)blk, __ATOMIC_RELEASE);
    c->arg[ai] = (long)(blk + 2);
    c->data = (uint64_t)m;
}

static int before(struct rs_call *c)
{
    long nr = c->abi == RS_ABI_X86_64 ? c->nr : -1;   /* the special cases are x86-64's */

    c->data = 0;
    if (nr == SYS_exit || nr == SYS_exit_group)
        print_call(c, 0);
    else if ((nr == SYS_execve || nr == SYS_execveat) && !tlog.per_pid &&
             (rs_atomic_load(&prefix_all) || rs_gettid() != my_pid))
        add_marker(c);
    return RS_CONTINUE;
}

static void after(struct rs_call *c)
{
    long nr = c->abi == RS_ABI_X86_64 ? c->nr : -1;

    if (c->data && (nr == SYS_execve || nr == SYS_execveat)) {   /* the exec failed */
        unsigned long *blk = (unsigned long *)c->data;
        c->arg[nr == SYS_execve ? 2 : 3] = (long)blk[0];
        if (rs_getpid() != my_pid)
            free_orphan(rs_gettid());
        else
            rs_syscall(SYS_munmap, blk, blk[1]);
        c->data = 0;
    }
    if (nr == SYS_clone || nr == SYS_clone3 || nr == SYS_fork || nr == SYS_vfork) {
        if (c->ret == 0)
            return;       /* the child's side: not shown, as strace -f */
        if (c->ret > 0) {
            unsigned long f = 0;
            if (nr == SYS_clone)
                f = (unsigned long)c->arg[0];
            else if (nr == SYS_clone3 && !peek_long((unsigned long)c->arg[0], (long *)&f))
                f = 0;
            if (f & 0x10000)                              /* CLONE_THREAD */
                __atomic_store_n(&threaded, 1, __ATOMIC_RELAXED);
            else if ((f & 0x4100) == 0x4100)              /* CLONE_VM|CLONE_VFORK: */
                free_orphan((int)c->ret);                 /* the child has exec'd or exited */
            __atomic_store_n(&prefix_all, 1, __ATOMIC_RELAXED);
        }
    }
    print_call(c, 1);
}

/* Our own environment says whether the process that exec'd us shares
 * our output and prefixes its lines. */
static int env_has_marker(void)
{
    char buf[2048];
    long fd = rs_syscall(SYS_openat, AT_FDCWD, "/proc/self/environ", O_RDONLY | O_CLOEXEC);
    size_t keep = 0;
    int found = 0;
    const size_t ml = sizeof(MARKER);   /* with its NUL */

    if (fd < 0)
        return 0;
    for (;;) {
        long r = rs_syscall(SYS_read, fd, buf + keep, sizeof(buf) - keep);
        if (r <= 0)
            break;
        size_t n = keep + (size_t)r, i = 0;
        while (i < n) {
            size_t j = i;
            while (j < n && buf[j])
                j++;
            if (j == n)
                break;            /* incomplete: keep for the next read */
            if (j - i + 1 == ml && !memcmp(buf + i, MARKER, ml))
                found = 1;
            i = j + 1;
        }
        if (i == 0 && n == sizeof(buf))
            i = n;                /* a variable longer than the buffer: not ours */
        keep = n - i;
        memmove(buf, buf + i, keep);
    }
    rs_syscall(SYS_close, fd);
    return found;
}

/* The successful exec that started this image, as strace shows it: the
 * path runsel exec'd, and argv and envp where the program's initial stack
 * holds them (the host's rs_program_argv()/envp(): the arrays the program
 * starts with, printed from its memory like any exec's arguments).  A
 * host older than ABI 1.1 does not say: "[?], ?". */
static void print_exec_line(void)
{
    char buf[LINE];
    struct lb l;
    char *const *argv = rs_program_argv(), *const *envp = rs_program_envp();

    start_line(&l, buf, ARGS_ROOM);
    puts_(&l, "execve(");
    const char *path = rs_program_path();
    put_str(&l, (unsigned long)(path ? path : ""), PATH_READ);
    puts_(&l, ", ");
    if (argv && envp) {
        put_argv(&l, (unsigned long)argv);
        puts_(&l, ", ");
        put_envp(&l, (unsigned long)envp);
    } else {
        puts_(&l, "[?], ?");
    }
    puts_(&l, ")");
    l.cap = LINE - 1;
    struct rs_call ok = {.nr = SYS_execve};
    put_result(&l, &ok, 'd');
    buf[l.n++] = '\n';
    emit(buf, l.n);
}

static int trace_init(const struct rs_options *o, char *err, size_t errsize)
{
    const char *s = rs_opt(o, "strsize");

    my_pid = rs_getpid();
    if (s && (rs_opt_long(o, "strsize", 32, &strsize) || strsize < 0 || strsize > 1024)) {
        rs_snprintf(err, errsize, "strsize=%s: expected a number from 0 to 1024", s);
        return -1;
    }
    if (rs_log_open(&tlog, rs_opt(o, "log"), err, errsize))
        return -1;
    if (!tlog.per_pid && env_has_marker())
        prefix_all = 1;
    print_exec_line();
    return 0;
}

static void trace_fini(int status)
{
    char buf[256];
    struct lb l;

    start_line(&l, buf, sizeof(buf) - 1);
    putf(&l, "+++ exited with %d +++\n", status & 0xff);
    emit(buf, l.n);
}

/* A forked child (before it runs program code): its own pid, its own
 * file with %p; in shared output its lines are prefixed. */
static void trace_atfork(void)
{
    char err[256];

    my_pid = rs_getpid();
    threaded = 0;
    if (tlog.per_pid) {
        if (rs_log_reopen(&tlog, err, sizeof(err)))
            rs_dprintf(2, "runsel trace: %s\n", err);
    } else {
        prefix_all = 1;
    }
}

static const struct rs_handler handlers[] = {
    RS_WRAP_CALL(RS_ANY, before, after),
};

RS_WRAPPER("trace", handlers, .abis = RS_ABI_BIT(RS_ABI_IA32) | RS_ABI_BIT(RS_ABI_X32),
           .summary = "print every system call like strace -f (log=PATH, %p: per pid; strsize=N)",
           .init = trace_init, .fini = trace_fini, .atfork = trace_atfork);
