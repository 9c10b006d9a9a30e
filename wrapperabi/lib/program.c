/* program.c — the program's process as a wrapper reaches it, in either
 * placement (ABI 1.4): its /proc directory, its descriptors, its cwd.
 *
 * In process (initmod, placement=inprocess) the program is this process:
 * "/proc/self", the descriptor numbers the program passed, getcwd — at the
 * cost these had before 1.4 (rs_program_fd and rs_program_dirfd make no
 * call).  A supervisor (placement=process) runs the same image in its own
 * process, where rs_syscall acts on the supervisor's descriptors: there
 * the program is "/proc/PID" (the host says which, for the call at hand)
 * and its descriptors reach the wrapper as new ones of the host's
 * (host->program_fd: the same open file description).
 *
 * Why a descriptor and not stat(2) through /proc/PID/fd/N: the magic link
 * lands on the same inode for every kind (pipes, sockets, deleted files,
 * O_PATH fds of symlinks, nsfs, pidfds: compared one by one), but a closed
 * fd is ENOENT there and EBADF on the number, /proc may be missing (a
 * chroot), and fcntl(F_GETFL) or ioctl need the open file itself. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <time.h>
#include <runsel/wrapper.h>
#include "host.h"

/* The directory, "/", then fmt.  A path cut short would name another
 * file ("fd/12" as "fd/1"): refused, buf emptied. */
static int proc_vpath(char *buf, size_t size, int thread, const char *fmt, va_list ap)
{
    size_t n = rs_proc_dir(buf, size, thread);

    if (n + 1 < size) {
        buf[n++] = '/';
        n += rs_vsnprintf(buf + n, size - n, fmt, ap);
    } else {
        n = size;                            /* not even the directory and its "/" */
    }
    if (n >= size || n > 0x7fffffff) {
        if (size)
            buf[0] = 0;
        return -ENAMETOOLONG;
    }
    return (int)n;
}

int rs_proc_path(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    int r = proc_vpath(buf, size, 0, fmt, ap);
    va_end(ap);
    return r;
}

int rs_proc_thread_path(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    int r = proc_vpath(buf, size, 1, fmt, ap);
    va_end(ap);
    return r;
}

long rs_program_fd(int fd)
{
    char cwd[64];

    if (rs_inprocess())
        return fd;
    if (fd == AT_FDCWD)
        return rs_proc_path(cwd, sizeof(cwd), "cwd") < 0
                   ? -ENAMETOOLONG
                   : rs_syscall(SYS_openat, AT_FDCWD, cwd, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return -EBADF;
    long r = rs_program_fd_host(fd);
    return r == AT_FDCWD ? -EBADF : r;           /* an error never reads as the cwd */
}

/* An absolute name ignores its dirfd, even one that is not open: asking
 * the program for it would fail where the call does not. */
long rs_program_dirfd(int dirfd, const char *path)
{
    if (rs_inprocess())
        return dirfd;
    if (path && path[0] == '/')
        return AT_FDCWD;
    return rs_program_fd(dirfd);
}

void rs_program_fd_done(long hostfd)
{
    if (!rs_inprocess() && hostfd >= 0)
        rs_syscall(SYS_close, hostfd);
}

/* A small file of the program's /proc (path as rs_proc_path made it),
 * NUL-terminated in buf: its length, 0 for none or empty. */
static long read_small(const char *path, char *buf, size_t size)
{
    long fd = rs_syscall(SYS_openat, AT_FDCWD, path, O_RDONLY | O_CLOEXEC);
    long n = fd < 0 ? 0 : rs_syscall(SYS_read, fd, buf, size - 1);

    if (fd >= 0)
        rs_syscall(SYS_close, fd);
    if (n < 0)
        n = 0;
    buf[n] = 0;
    return n;
}

long rs_program_pidfd_pid(int fd, char *buf, size_t size)
{
    char path[64];

    if (rs_proc_path(path, sizeof(path), "fdinfo/%d", fd) < 0 || read_small(path, buf, size) <= 0)
        return -1;
    for (const char *q = buf; *q; q++)
        if ((q == buf || q[-1] == '\n') && !rs_strncmp(q, "Pid:", 4)) {
            long pid = 0;
            for (q += 4; *q == ' ' || *q == '\t'; q++)
                ;
            if (*q < '0' || *q > '9')
                return -1;                    /* -1: the process is gone */
            for (; *q >= '0' && *q <= '9'; q++)
                if ((pid = pid * 10 + (*q - '0')) > 0x7fffffff)
                    return -1;
            return *q == '\n' || !*q ? pid : -1;
        }
    return -1;
}

/* Out of process count reads a thread's schedstat at every call's entry
 * and exit: opened by path each time that is three calls and a walk of
 * /proc.  So each program thread's file stays open in the worker, read
 * again with pread at 0 (a seq_file is made anew at offset 0).  A slot is
 * claimed for a tid by the worker thread that serves that program thread
 * (the only one asking for it); a descriptor whose task has ended (the
 * tid may be another thread's by now) reads ESRCH and is opened again.
 * With every slot taken, the file is opened each time, as before. */
#define CPUTIME_SLOTS 256
static struct {
    int tid, fd;                  /* fd + 1: 0 is none */
} cputime_fd[CPUTIME_SLOTS];

static int cputime_slot(int tid)
{
    for (unsigned i = 0, h = (unsigned)tid * 2654435761u >> 24; i < CPUTIME_SLOTS; i++) {
        int k = (int)((h + i) % CPUTIME_SLOTS), free = 0;
        int cur = __atomic_load_n(&cputime_fd[k].tid, __ATOMIC_ACQUIRE);
        if (cur == tid)
            return k;
        if (!cur && __atomic_compare_exchange_n(&cputime_fd[k].tid, &free, tid, 0, __ATOMIC_ACQ_REL,
                                                __ATOMIC_ACQUIRE))
            return k;
        if (free == tid)
            return k;
    }
    return -1;
}

static long read_schedstat(char *buf, size_t size)
{
    char path[96];
    int k = cputime_slot((int)rs_gettid());

    if (rs_proc_thread_path(path, sizeof(path), "schedstat") < 0)
        return 0;
    if (k < 0)
        return read_small(path, buf, size);
    for (int tries = 0; tries < 2; tries++) {
        if (!cputime_fd[k].fd) {
            long fd = rs_syscall(SYS_openat, AT_FDCWD, path, O_RDONLY | O_CLOEXEC);
            if (fd < 0)
                break;
            cputime_fd[k].fd = (int)fd + 1;
        }
        long n = rs_syscall(SYS_pread64, cputime_fd[k].fd - 1, buf, size - 1, 0);
        if (n >= 0) {
            buf[n] = 0;
            return n;
        }
        rs_syscall(SYS_close, cputime_fd[k].fd - 1);   /* its task ended: the tid's new one */
        cputime_fd[k].fd = 0;
    }
    buf[0] = 0;
    return 0;
}

/* In process the thread's own CPU clock (one call, as before 1.4).
 * Another process's thread clocks are not readable by clock_gettime
 * (posix-cpu-timers: same thread group only): from a supervisor, the
 * first field of the thread's schedstat, its sum_exec_runtime in ns —
 * exact for a thread stopped at a call, as the program is there. */
uint64_t rs_thread_cputime_ns(void)
{
    struct timespec ts;
    char buf[96];
    uint64_t v = 0;

    if (rs_inprocess())
        return rs_syscall(SYS_clock_gettime, CLOCK_THREAD_CPUTIME_ID, &ts)
                   ? 0
                   : (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
    long n = read_schedstat(buf, sizeof(buf));
    for (long i = 0; i < n && buf[i] >= '0' && buf[i] <= '9'; i++)
        v = v * 10 + (uint64_t)(buf[i] - '0');
    return v;
}

/* getcwd in process, as before: its errors (ERANGE), and a cwd outside
 * the root is "(unreachable)...".  From another process, the cwd link
 * (a removed directory reads "... (deleted)" there, where getcwd says
 * ENOENT). */
long rs_program_cwd(char *buf, size_t size)
{
    char link[64];
    long n;

    if (!size)
        return -ERANGE;
    if (rs_inprocess()) {
        n = rs_syscall(SYS_getcwd, buf, size);
        return n <= 0 ? (n ? n : -ERANGE) : n - 1;
    }
    if (rs_proc_path(link, sizeof(link), "cwd") < 0)
        return -ENAMETOOLONG;
    n = rs_syscall(SYS_readlink, link, buf, size);
    if (n < 0)
        return n;
    if ((size_t)n >= size)                   /* no room for the NUL, or cut short */
        return -ERANGE;
    buf[n] = 0;
    return n;
}
