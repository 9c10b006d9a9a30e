/* res.c — known calls of trace's resource, poll, desc, ioctl, sched, uid
 * and prctl decoders (tests/t_trace_res.sh compares trace's lines of them
 * with strace's).  Every call is made through syscall(2), so the same
 * call reaches the kernel under both tracers whatever libc prefers; each
 * group (argv[1]) makes good calls, failing calls and bad pointers (an
 * unmapped address, and a structure running into an unmapped page).
 * Values that change between runs are avoided: RUSAGE_CHILDREN before any
 * child, the CPU pinned before getcpu. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <linux/capability.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/random.h>
#include <linux/close_range.h>
#include <sys/ioctl.h>
#include <asm/ioctls.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/times.h>
#include <linux/sched.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <asm/termbits.h>
#include <time.h>
#include <unistd.h>

#define BAD ((void *)0xdead0000UL)
static char *edge;      /* the last bytes of a page followed by an unmapped one */

static void *at_edge(size_t n)
{
    return edge + 4096 - n + (n > 4 ? 4 : 0);   /* runs over the page by 4 bytes */
}

static void setup_edge(void)
{
    edge = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(edge + 4096, 4096);
}

static void res(void)
{
    struct rlimit r, nr = {.rlim_cur = 100, .rlim_max = RLIM_INFINITY};
    struct rusage ru;
    struct sysinfo si;
    struct utsname u;

    syscall(SYS_prlimit64, 0, RLIMIT_STACK, NULL, &r);
    syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, NULL, &r);
    syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, &r, NULL);
    syscall(SYS_prlimit64, 0, RLIMIT_CORE, &nr, &r);
    r.rlim_cur = 3 * 1024; r.rlim_max = 1025;
    syscall(SYS_prlimit64, 0, RLIMIT_CORE, &r, NULL);     /* EINVAL: cur > max */
    r.rlim_cur = 0; r.rlim_max = RLIM_INFINITY;
    syscall(SYS_prlimit64, 0, RLIMIT_CORE, &r, &r);
    syscall(SYS_prlimit64, 0, 99, NULL, &r);
    syscall(SYS_prlimit64, 0, RLIMIT_CPU, BAD, NULL);
    syscall(SYS_prlimit64, 0, RLIMIT_CPU, NULL, BAD);
    syscall(SYS_prlimit64, 0, RLIMIT_CPU, NULL, at_edge(sizeof(r)));
    syscall(SYS_getrlimit, RLIMIT_NOFILE, &r);
    syscall(SYS_getrlimit, RLIMIT_AS, &r);
    syscall(SYS_getrlimit, RLIMIT_DATA, BAD);
    r.rlim_cur = 1024 * 1024; r.rlim_max = RLIM_INFINITY;
    syscall(SYS_setrlimit, RLIMIT_DATA, &r);
    syscall(SYS_setrlimit, RLIMIT_DATA, BAD);
    syscall(SYS_sysinfo, &si);
    syscall(SYS_sysinfo, BAD);
    syscall(SYS_uname, &u);
    syscall(SYS_uname, BAD);
    syscall(SYS_getrusage, RUSAGE_CHILDREN, &ru);
    syscall(SYS_getrusage, RUSAGE_SELF, &ru);
    syscall(SYS_getrusage, RUSAGE_THREAD, &ru);
    syscall(SYS_getrusage, 7, &ru);
    syscall(SYS_getrusage, RUSAGE_SELF, BAD);
    /* the child is a zombie before wait4 (WNOHANG): no call blocks, so
     * trace's shared log has no unfinished/resumed pair strace -f might not */
    pid_t p = fork();
    if (!p)
        _exit(3);
    struct pollfd pf = {.fd = (int)syscall(SYS_pidfd_open, p, 0), .events = POLLIN};
    syscall(SYS_poll, &pf, 1, -1);
    int st;
    syscall(SYS_wait4, p, &st, WNOHANG, &ru);
    syscall(SYS_wait4, -1, &st, WNOHANG, &ru);
    syscall(SYS_wait4, -1, NULL, WNOHANG, BAD);
    struct tms tm;
    syscall(SYS_times, &tm);
    syscall(SYS_times, NULL);
    syscall(SYS_times, BAD);
    syscall(SYS_getpriority, PRIO_PROCESS, 0);
    syscall(SYS_getpriority, PRIO_PGRP, 0);
    syscall(SYS_getpriority, PRIO_USER, 0);
    syscall(SYS_getpriority, 5, 0);
    syscall(SYS_setpriority, PRIO_PROCESS, 0, 0);
    /* only this process: PRIO_USER would renice every process of the user */
    syscall(SYS_setpriority, PRIO_PROCESS, 0, 1);
    syscall(SYS_setpriority, 9, 0, 0);
    syscall(SYS_setpriority, PRIO_PGRP, 999999, 0);
}

static void uid(void)
{
    gid_t g[64];
    uid_t a, b, c;
    struct __user_cap_header_struct h = {.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0};
    struct __user_cap_data_struct d[2];

    long n = syscall(SYS_getgroups, 0, NULL);
    n = syscall(SYS_getgroups, 64, g);
    syscall(SYS_getgroups, 64, BAD);
    syscall(SYS_getgroups, -1, g);
    syscall(SYS_setgroups, n, g);
    gid_t three[3] = {0, 4, 24};
    syscall(SYS_setgroups, 3, three);
    syscall(SYS_getgroups, 64, g);
    syscall(SYS_setgroups, 0, NULL);
    syscall(SYS_setgroups, 2, BAD);
    syscall(SYS_setgroups, n, g);
    syscall(SYS_getresuid, &a, &b, &c);
    syscall(SYS_getresgid, &a, &b, &c);
    syscall(SYS_getresuid, BAD, &b, NULL);
    syscall(SYS_capget, &h, d);
    syscall(SYS_capset, &h, d);
    syscall(SYS_capget, &h, NULL);
    syscall(SYS_capget, BAD, d);
    h.version = 0x19980330;
    syscall(SYS_capget, &h, d);
    h.version = 0x12345;
    syscall(SYS_capget, &h, d);
}

static void sched(void)
{
    cpu_set_t m;
    struct sched_param sp = {0};
    unsigned cpu, node;

    syscall(SYS_sched_getaffinity, 0, sizeof(m), &m);
    syscall(SYS_sched_getaffinity, 0, 8, &m);
    syscall(SYS_sched_getaffinity, 0, 3, &m);
    syscall(SYS_sched_getaffinity, 0, sizeof(m), BAD);
    CPU_ZERO(&m);
    CPU_SET(0, &m);
    syscall(SYS_sched_setaffinity, 0, sizeof(m), &m);
    syscall(SYS_sched_setaffinity, 0, sizeof(m), BAD);
    syscall(SYS_sched_getaffinity, 0, sizeof(m), &m);
    syscall(SYS_getcpu, &cpu, &node, NULL);
    syscall(SYS_getcpu, NULL, NULL, NULL);
    syscall(SYS_getcpu, BAD, &node, NULL);
    syscall(SYS_sched_getparam, 0, &sp);
    syscall(SYS_sched_getparam, 0, BAD);
    syscall(SYS_sched_setparam, 0, &sp);
    syscall(SYS_sched_getscheduler, 0);
    syscall(SYS_sched_setscheduler, 0, SCHED_OTHER, &sp);
    syscall(SYS_sched_setscheduler, 0, SCHED_BATCH | SCHED_RESET_ON_FORK, &sp);
    syscall(SYS_sched_getscheduler, 0);
    syscall(SYS_sched_setscheduler, 0, SCHED_OTHER, &sp);
    syscall(SYS_sched_setscheduler, 0, 77, BAD);
    syscall(SYS_sched_get_priority_max, SCHED_FIFO);
    syscall(SYS_sched_get_priority_min, SCHED_RR);
    struct timespec ts;
    syscall(SYS_sched_rr_get_interval, 0, &ts);
    syscall(SYS_sched_yield);
    struct sched_attr_ {
        uint32_t size, policy;
        uint64_t flags;
        int32_t nice;
        uint32_t priority;
        uint64_t runtime, deadline, period;
        uint32_t util_min, util_max;
    } a = {.size = sizeof(a)};
    syscall(SYS_sched_getattr, 0, &a, sizeof(a), 0);
    a.runtime = 0;
    syscall(SYS_sched_setattr, 0, &a, 0);
    a.flags = SCHED_FLAG_KEEP_POLICY;
    a.size = 0;
    syscall(SYS_sched_setattr, 0, &a, 0);
    a.flags = SCHED_FLAG_KEEP_PARAMS | 0x1000;
    a.size = 48;
    syscall(SYS_sched_setattr, 0, &a, 0);
    a.size = 20;
    syscall(SYS_sched_setattr, 0, &a, 0);
    syscall(SYS_sched_setattr, 0, BAD, 0);
    syscall(SYS_sched_getattr, 0, &a, 20, 0);
    syscall(SYS_sched_getattr, 0, &a, 48, 0);
    syscall(SYS_sched_getattr, 0, BAD, sizeof(a), 0);
    syscall(SYS_ioprio_get, 1, 0);
    syscall(SYS_ioprio_set, 1, 0, (2 << 13) | 4);
    syscall(SYS_ioprio_get, 1, 0);
    syscall(SYS_ioprio_set, 1, 0, (6 << 13) | 1);
    syscall(SYS_ioprio_set, 1, 0, 0);
    syscall(SYS_ioprio_get, 9, 0);
}

static void prctls(void)
{
    char name[16];
    int sig;

    syscall(SYS_prctl, PR_SET_NAME, "resname", 0, 0, 0);
    syscall(SYS_prctl, PR_GET_NAME, name, 0, 0, 0);
    syscall(SYS_prctl, PR_SET_NAME, BAD, 0, 0, 0);
    syscall(SYS_prctl, PR_SET_PDEATHSIG, SIGTERM, 0, 0, 0);
    syscall(SYS_prctl, PR_GET_PDEATHSIG, &sig, 0, 0, 0);
    syscall(SYS_prctl, PR_SET_PDEATHSIG, 0, 0, 0, 0);
    syscall(SYS_prctl, PR_GET_DUMPABLE, 0, 0, 0, 0);
    syscall(SYS_prctl, PR_SET_DUMPABLE, 1, 0, 0, 0);
    syscall(SYS_prctl, PR_GET_KEEPCAPS, 0, 0, 0, 0);
    syscall(SYS_prctl, PR_SET_KEEPCAPS, 0, 0, 0, 0);
    syscall(SYS_prctl, PR_CAPBSET_READ, CAP_SYS_ADMIN, 0, 0, 0);
    syscall(SYS_prctl, PR_GET_CHILD_SUBREAPER, &sig, 0, 0, 0);
    syscall(SYS_prctl, PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0);
    syscall(SYS_prctl, PR_GET_TIMERSLACK, 0, 0, 0, 0);
    syscall(SYS_prctl, PR_SET_TIMERSLACK, 50000, 0, 0, 0);
    syscall(SYS_prctl, PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0);
    syscall(SYS_prctl, PR_GET_SECCOMP, 0, 0, 0, 0);
    syscall(SYS_prctl, PR_GET_THP_DISABLE, 0, 0, 0, 0);
    syscall(SYS_prctl, PR_SET_THP_DISABLE, 0, 0, 0, 0);
    syscall(SYS_prctl, PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, CAP_CHOWN, 0, 0);
    syscall(SYS_prctl, PR_SET_VMA, PR_SET_VMA_ANON_NAME, edge, 4096, "res");
    syscall(SYS_prctl, 0x7777, 1, 2, 3, 4);
    syscall(SYS_prctl, PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
    syscall(SYS_prctl, PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0);
}

/* many: 300 ready descriptors (copies of a pipe's write end): results longer
 * than strace's 1024-byte buffer for them, cut where it cuts them (with -s
 * 40; else after strsize entries). */
static void many_ready(void)
{
    static struct pollfd f[300];
    int p[2];
    fd_set wr;
    struct timeval tv = {0, 0};

    FD_ZERO(&wr);
    syscall(SYS_pipe2, p, O_NONBLOCK);
    for (int i = 0; i < 300; i++) {
        dup2(p[1], 100 + i);
        f[i] = (struct pollfd){.fd = 100 + i, .events = POLLOUT};
        FD_SET(100 + i, &wr);
    }
    syscall(SYS_poll, f, 300, 0);
    syscall(SYS_select, 400, NULL, &wr, NULL, &tv);
    for (int i = 0; i < 300; i++)
        close(100 + i);
}

static void polls(void)
{
    int p[2], q[2];
    struct pollfd f[3];
    sigset_t mask;
    struct timespec ts = {0, 1000};
    struct timeval tv = {0, 100};
    fd_set rd, wr, ex;

    syscall(SYS_pipe2, p, 0);
    syscall(SYS_pipe2, q, O_NONBLOCK);
    syscall(SYS_write, p[1], "x", 1);
    f[0] = (struct pollfd){.fd = p[0], .events = POLLIN};
    f[1] = (struct pollfd){.fd = q[0], .events = POLLIN | POLLPRI};
    f[2] = (struct pollfd){.fd = q[1], .events = POLLOUT | POLLRDHUP | 0x8000};
    syscall(SYS_poll, f, 1, 1000);
    syscall(SYS_poll, f + 1, 1, 0);
    syscall(SYS_poll, f, 3, 0);
    f[1].fd = -1;
    syscall(SYS_poll, f, 3, 0);
    syscall(SYS_poll, f, 0, 0);
    syscall(SYS_poll, BAD, 2, 0);
    syscall(SYS_poll, at_edge(sizeof(f[0]) * 2), 2, 0);
    syscall(SYS_poll, NULL, 0, 1);
    f[1].fd = 99;
    syscall(SYS_poll, f, 2, 0);
    sigemptyset(&mask);
    sigaddset(&mask, SIGUSR1);
    syscall(SYS_ppoll, f + 1, 1, &ts, &mask, 8);      /* ready at once: left 1000 - a little */
    syscall(SYS_ppoll, f, 1, NULL, NULL, 8);
    ts.tv_nsec = 0;
    syscall(SYS_ppoll, f + 1, 1, &ts, &mask, 8);      /* ready, left {0, 0} */
    syscall(SYS_ppoll, f, 1, &ts, &mask, 4);
    syscall(SYS_ppoll, f, 2, BAD, NULL, 8);
    FD_ZERO(&rd); FD_ZERO(&wr); FD_ZERO(&ex);
    FD_SET(p[0], &rd); FD_SET(q[0], &rd); FD_SET(q[1], &wr);
    syscall(SYS_select, q[1] + 1, &rd, &wr, &ex, &tv);
    FD_ZERO(&rd); FD_SET(q[0], &rd);
    tv.tv_usec = 0;
    syscall(SYS_select, q[0] + 1, &rd, NULL, NULL, &tv);
    FD_ZERO(&rd); FD_SET(p[0], &rd);
    tv.tv_sec = 1;
    syscall(SYS_select, p[0] + 1, &rd, NULL, NULL, &tv);
    tv.tv_sec = 0; tv.tv_usec = 0;
    syscall(SYS_select, 0, NULL, NULL, NULL, &tv);
    FD_ZERO(&rd); FD_SET(p[0], &rd);
    syscall(SYS_select, p[0] + 1, &rd, NULL, NULL, NULL);
    syscall(SYS_select, 1, BAD, NULL, NULL, &tv);
    syscall(SYS_select, -1, &rd, NULL, NULL, &tv);
    fd_set big[2];                                    /* 1100 descriptors need 2 fd_sets */
    memset(big, 0, sizeof(big));
    FD_SET(p[0], &big[0]); FD_SET(q[0], &big[0]);
    syscall(SYS_select, 1100, big, NULL, NULL, &tv);
    struct { const sigset_t *ss; size_t n; } sm = {&mask, 8};
    FD_ZERO(&rd); FD_SET(p[0], &rd); FD_SET(q[0], &rd);
    ts.tv_nsec = 0;
    syscall(SYS_pselect6, q[0] + 1, &rd, NULL, NULL, &ts, &sm);
    FD_ZERO(&rd); FD_SET(q[0], &rd);
    ts.tv_nsec = 500;
    syscall(SYS_pselect6, q[0] + 1, &rd, NULL, NULL, &ts, NULL);
    sm.ss = NULL;
    syscall(SYS_pselect6, q[0] + 1, &rd, NULL, NULL, &ts, &sm);
    syscall(SYS_pselect6, q[0] + 1, &rd, NULL, NULL, &ts, BAD);
    sm.ss = BAD;
    syscall(SYS_pselect6, q[0] + 1, &rd, NULL, NULL, &ts, &sm);
    syscall(SYS_ppoll, f, 1, &ts, BAD, 8);

    int ep = syscall(SYS_epoll_create1, EPOLL_CLOEXEC);
    int ep2 = syscall(SYS_epoll_create1, 0);
    syscall(SYS_epoll_create1, 0x10);
    syscall(SYS_epoll_create, 5);
    struct epoll_event ev = {.events = EPOLLIN | EPOLLET, .data.u64 = 0x1234567890abcdefULL};
    syscall(SYS_epoll_ctl, ep, EPOLL_CTL_ADD, p[0], &ev);
    ev.events = EPOLLOUT | EPOLLEXCLUSIVE; ev.data.fd = q[1];
    syscall(SYS_epoll_ctl, ep, EPOLL_CTL_ADD, q[1], &ev);
    ev.events = EPOLLIN | EPOLLPRI | EPOLLRDHUP | EPOLLONESHOT | EPOLLWAKEUP | 0x1000;
    syscall(SYS_epoll_ctl, ep, EPOLL_CTL_ADD, q[0], &ev);
    syscall(SYS_epoll_ctl, ep, EPOLL_CTL_MOD, q[0], &ev);
    syscall(SYS_epoll_ctl, ep, EPOLL_CTL_DEL, q[0], NULL);
    syscall(SYS_epoll_ctl, ep, EPOLL_CTL_ADD, q[0], BAD);
    syscall(SYS_epoll_ctl, ep, 9, q[0], &ev);
    struct epoll_event out[4];
    syscall(SYS_epoll_wait, ep, out, 4, 0);
    syscall(SYS_epoll_wait, ep2, out, 4, 0);
    syscall(SYS_epoll_wait, ep, BAD, 4, 0);
    syscall(SYS_epoll_wait, ep, out, 0, 0);
    syscall(SYS_epoll_wait, ep, out, 1, 0);
    syscall(SYS_epoll_pwait, ep, out, 4, 0, &mask, 8L);
    syscall(SYS_epoll_pwait, ep2, out, 4, 1, NULL, 8L);
    syscall(SYS_epoll_pwait2, ep, out, 4, &ts, &mask, 8L);
    syscall(SYS_epoll_pwait2, ep2, out, 4, &ts, NULL, 8L);
    syscall(SYS_epoll_pwait2, ep, out, 4, NULL, NULL, 8L);
    syscall(SYS_epoll_pwait2, ep, out, 4, BAD, NULL, 8L);
    syscall(SYS_epoll_pwait, ep, out, 4, 0, BAD, 8L);
    syscall(SYS_epoll_pwait2, ep, out, 4, &ts, BAD, 8L);
}

static void descs(void)
{
    char buf[16];
    int p[2];

    syscall(SYS_eventfd2, 0, EFD_CLOEXEC | EFD_NONBLOCK | EFD_SEMAPHORE);
    syscall(SYS_eventfd2, 5, 0);
    syscall(SYS_eventfd2, 0, 0x10);
    syscall(SYS_eventfd, 3);
    int m = syscall(SYS_memfd_create, "resmem", MFD_CLOEXEC | MFD_ALLOW_SEALING);
    syscall(SYS_memfd_create, "huge", MFD_HUGETLB | (21 << 26));
    syscall(SYS_memfd_create, "x", 0x0008U | 0x0010U);    /* MFD_NOEXEC_SEAL|MFD_EXEC: EINVAL */
    syscall(SYS_memfd_create, "y", 0);
    syscall(SYS_memfd_create, "z", 0x4000);
    syscall(SYS_memfd_create, BAD, 0);
    syscall(SYS_fadvise64, m, 0, 100, POSIX_FADV_NORMAL);
    syscall(SYS_fadvise64, m, 10, 0, POSIX_FADV_RANDOM);
    syscall(SYS_fadvise64, m, 0, 0, POSIX_FADV_SEQUENTIAL);
    syscall(SYS_fadvise64, m, 0, 0, POSIX_FADV_WILLNEED);
    syscall(SYS_fadvise64, m, 0, 0, POSIX_FADV_DONTNEED);
    syscall(SYS_fadvise64, m, 0, 0, POSIX_FADV_NOREUSE);
    syscall(SYS_fadvise64, m, 0, 0, 9);
    syscall(SYS_fadvise64, -1, -1, 5, 0);
    int in = syscall(SYS_inotify_init1, IN_CLOEXEC | IN_NONBLOCK);
    syscall(SYS_inotify_init1, 0);
    syscall(SYS_inotify_init1, 0x1);
    syscall(SYS_inotify_init);
    int w = syscall(SYS_inotify_add_watch, in, "/tmp", IN_CREATE | IN_DELETE | IN_MODIFY | IN_ONLYDIR);
    syscall(SYS_inotify_add_watch, in, "/tmp", IN_ALL_EVENTS | IN_MASK_ADD | IN_EXCL_UNLINK);
    syscall(SYS_inotify_add_watch, in, "/nonexistent", IN_ACCESS);
    syscall(SYS_inotify_add_watch, in, "/tmp", 0);
    syscall(SYS_inotify_add_watch, in, BAD, IN_OPEN);
    syscall(SYS_inotify_rm_watch, in, w);
    syscall(SYS_inotify_rm_watch, in, 999);
    syscall(SYS_pipe2, p, O_CLOEXEC | O_NONBLOCK | O_DIRECT);
    syscall(SYS_dup3, p[0], 20, O_CLOEXEC);
    syscall(SYS_dup3, p[0], 21, 0);
    syscall(SYS_dup3, p[0], 22, O_NONBLOCK);
    syscall(SYS_close_range, 20, 21, CLOSE_RANGE_CLOEXEC);
    syscall(SYS_close_range, 20, 22, 0);
    syscall(SYS_close_range, 30, ~0U, CLOSE_RANGE_UNSHARE);
    syscall(SYS_close_range, 30, 40, 0x8);
    syscall(SYS_close_range, 30, 40, CLOSE_RANGE_UNSHARE | CLOSE_RANGE_CLOEXEC);
    char *a = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    syscall(SYS_mlock2, a, 4096, 0);
    syscall(SYS_mlock2, a, 4096, MLOCK_ONFAULT);
    syscall(SYS_mlock2, a, 4096, 0x8);
    syscall(SYS_munlock, a, 4096);
    syscall(SYS_mlockall, MCL_CURRENT | MCL_ONFAULT);
    syscall(SYS_mlockall, MCL_FUTURE);
    syscall(SYS_mlockall, 0);
    syscall(SYS_munlockall);
    syscall(SYS_msync, a, 4096, MS_SYNC);
    syscall(SYS_msync, a, 4096, MS_ASYNC | MS_INVALIDATE);
    syscall(SYS_msync, a, 4096, 0x10);
    syscall(SYS_msync, a + 1, 4096, MS_SYNC);
    char *b = (char *)syscall(SYS_mremap, a, 4096, 8192, MREMAP_MAYMOVE);
    syscall(SYS_mremap, b, 8192, 4096, 0);
    syscall(SYS_mremap, b, 4096, 4096, MREMAP_MAYMOVE | MREMAP_FIXED, a + 8192);
    syscall(SYS_mremap, a + 8192, 4096, 4096, MREMAP_MAYMOVE | MREMAP_DONTUNMAP, 0);
    syscall(SYS_mremap, a, 4096, 4096, 0x10);
    syscall(SYS_getrandom, buf, 0, 0);
    syscall(SYS_getrandom, buf, 4, GRND_NONBLOCK);
    syscall(SYS_getrandom, buf, 4, GRND_RANDOM | GRND_INSECURE);
    syscall(SYS_getrandom, buf, 4, GRND_INSECURE);
    syscall(SYS_getrandom, buf, 4, 0x8);
    syscall(SYS_getrandom, BAD, 4, 0);
}

/* Settings no terminal has: every field's rarer names and unknown bits
 * (a pty takes them), then the saved ones back. */
static void odd_termios(int tty)
{
    struct termios saved, o;
    struct termios2 t2;
    struct termio ti;
    int m = TIOCM_DTR | TIOCM_RTS | 0x800 | 0x10000;

    syscall(SYS_ioctl, tty, TCGETS, &saved);
    o = saved;
    o.c_iflag = 0xffff;
    o.c_oflag = 0;
    o.c_cflag = B9600 | (B4800 << IBSHIFT) | CS7 | PARENB | CSTOPB | CMSPAR | 0x1000000;
    o.c_lflag = 0;
    o.c_line = 3;
    syscall(SYS_ioctl, tty, TCSETS, &o);
    syscall(SYS_ioctl, tty, TCGETS, &o);
    o.c_oflag = OPOST | NL1 | CR3 | TAB3 | BS1 | VT1 | FF1 | OFDEL;
    o.c_cflag = BOTHER | CS5 | CRTSCTS;
    o.c_line = 77;
    syscall(SYS_ioctl, tty, TCSETSW, &o);
    syscall(SYS_ioctl, tty, TCGETS2, &t2);
    syscall(SYS_ioctl, tty, TCSETS2, &t2);
    syscall(SYS_ioctl, tty, TCSETSF2, BAD);
    syscall(SYS_ioctl, tty, TCGETA, &ti);
    syscall(SYS_ioctl, tty, TCSETAW, &ti);
    syscall(SYS_ioctl, tty, TCSETAF, at_edge(sizeof(ti)));
    syscall(SYS_ioctl, tty, TIOCMSET, &m);
    m = 0;
    syscall(SYS_ioctl, tty, TIOCMBIC, &m);
    syscall(SYS_ioctl, tty, TCXONC, 7);
    syscall(SYS_ioctl, tty, TCFLSH, TCIOFLUSH);
    syscall(SYS_ioctl, tty, TCSBRKP, -1);
    syscall(SYS_ioctl, tty, TCSETS, &saved);
}

static void ioctls(void)
{
    int pt = posix_openpt(O_RDWR | O_NOCTTY);
    int n, one = 1;
    struct termios tio;
    struct winsize ws = {.ws_row = 24, .ws_col = 80};
    pid_t pg;

    grantpt(pt);
    unlockpt(pt);
    int tty = open(ptsname(pt), O_RDWR | O_NOCTTY);
    syscall(SYS_ioctl, tty, TCGETS, &tio);
    syscall(SYS_ioctl, tty, TCSETS, &tio);
    syscall(SYS_ioctl, tty, TCSETSW, &tio);
    syscall(SYS_ioctl, tty, TCSETSF, &tio);
    tio.c_lflag &= ~(ICANON | ECHO);
    tio.c_cc[VMIN] = 1;
    syscall(SYS_ioctl, tty, TCSETS, &tio);
    syscall(SYS_ioctl, tty, TCGETS, &tio);
    syscall(SYS_ioctl, tty, TCGETS, BAD);
    syscall(SYS_ioctl, 1, TCGETS, &tio);
    syscall(SYS_ioctl, tty, TIOCSWINSZ, &ws);
    syscall(SYS_ioctl, tty, TIOCGWINSZ, &ws);
    syscall(SYS_ioctl, tty, TIOCGWINSZ, BAD);
    syscall(SYS_ioctl, 1, TIOCGWINSZ, &ws);
    syscall(SYS_ioctl, tty, FIONREAD, &n);
    syscall(SYS_write, pt, "abc\n", 4);
    struct pollfd pf = {.fd = tty, .events = POLLIN};
    syscall(SYS_poll, &pf, 1, -1);                    /* the line has reached the slave */
    syscall(SYS_ioctl, tty, FIONREAD, &n);
    syscall(SYS_ioctl, tty, FIONREAD, BAD);
    syscall(SYS_ioctl, tty, FIONBIO, &one);
    one = 0;
    syscall(SYS_ioctl, tty, FIONBIO, &one);
    syscall(SYS_ioctl, tty, FIOCLEX);
    syscall(SYS_ioctl, tty, FIONCLEX);
    syscall(SYS_ioctl, tty, TIOCGPGRP, &pg);
    syscall(SYS_ioctl, pt, TIOCGPTN, &n);
    syscall(SYS_ioctl, pt, TIOCSPTLCK, &one);
    syscall(SYS_ioctl, pt, TIOCGPTLCK, &n);
    syscall(SYS_ioctl, tty, TIOCGSID, &pg);
    syscall(SYS_setsid);
    syscall(SYS_ioctl, tty, TIOCSCTTY, 0);
    syscall(SYS_ioctl, tty, TIOCGPGRP, &pg);
    syscall(SYS_ioctl, tty, TIOCSPGRP, &pg);
    syscall(SYS_ioctl, tty, TIOCGSID, &pg);
    syscall(SYS_ioctl, tty, TIOCOUTQ, &n);
    syscall(SYS_ioctl, tty, TCFLSH, TCIFLUSH);
    syscall(SYS_ioctl, tty, TCXONC, TCOON);
    syscall(SYS_ioctl, tty, TCSBRK, 1);
    syscall(SYS_ioctl, tty, TIOCGETD, &n);
    syscall(SYS_ioctl, tty, TIOCEXCL);
    syscall(SYS_ioctl, tty, TIOCGEXCL, &n);
    syscall(SYS_ioctl, tty, TIOCNXCL);
    syscall(SYS_ioctl, tty, TCGETA, &tio);
    syscall(SYS_ioctl, tty, TIOCMGET, &n);
    syscall(SYS_ioctl, tty, _IOR(0x99, 0x12, int), &n);
    syscall(SYS_ioctl, tty, _IOW('x', 0x34, long), 1);
    syscall(SYS_ioctl, tty, _IOWR(0xfe, 0x1, char[300]), BAD);
    syscall(SYS_ioctl, tty, _IO(0x88, 0x3), 5);
    syscall(SYS_ioctl, tty, 0x5499, 0);
    syscall(SYS_ioctl, -1, FIOCLEX);
    syscall(SYS_ioctl, tty, FIOASYNC, &one);
    syscall(SYS_ioctl, tty, FIOQSIZE, &n);
    syscall(SYS_ioctl, tty, TIOCSTI, "q");
    syscall(SYS_ioctl, tty, TCSETA, &tio);
    syscall(SYS_ioctl, tty, TIOCSETD, &n);
    syscall(SYS_ioctl, tty, TIOCMBIS, &n);
    syscall(SYS_ioctl, tty, TIOCPKT, &one);
    syscall(SYS_ioctl, tty, TIOCGPTN, &n);
    syscall(SYS_ioctl, tty, TIOCSWINSZ, at_edge(sizeof(ws)));
    odd_termios(tty);
    signal(SIGHUP, SIG_IGN);
    syscall(SYS_ioctl, tty, TIOCNOTTY);
}

/* ionames CODE...: each request once, on a descriptor, with a seccomp
 * filter failing every ioctl with ENOTTY first — so any request, even one
 * that would freeze a file system, reaches no driver, and the line shows
 * how the request is named (the test gives every request of trace's
 * table, and some unknown ones). */
static void ionames(int argc, char **argv)
{
    struct sock_filter f[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_ioctl, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOTTY),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    };
    struct sock_fprog prog = {sizeof(f) / sizeof(f[0]), f};

    if (syscall(SYS_prctl, PR_SET_NO_NEW_PRIVS, 1L, 0L, 0L, 0L) ||
        syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog)) {
        perror("seccomp");
        exit(1);
    }
    for (int i = 2; i < argc; i++)
        syscall(SYS_ioctl, 5, strtoul(argv[i], NULL, 0), 0x1234L);
}

/* pty CMD...: CMD on a new terminal of its own (a pty, its controlling
 * tty, 24x80), in this process: strace follows the exec without -f. */
static void on_pty(char **cmd)
{
    struct winsize ws = {.ws_row = 24, .ws_col = 80};
    int pt = posix_openpt(O_RDWR | O_NOCTTY);

    if (pt < 0 || grantpt(pt) || unlockpt(pt) || setsid() < 0) {
        perror("pty");
        exit(1);
    }
    int tty = open(ptsname(pt), O_RDWR);     /* after setsid: the controlling tty */
    if (tty < 0 || ioctl(tty, TIOCSWINSZ, &ws)) {
        perror("pty");
        exit(1);
    }
    for (int fd = 0; fd < 3; fd++)
        dup2(tty, fd);
    close(tty);
    execvp(cmd[0], cmd);
    perror(cmd[0]);
    exit(127);
}

int main(int argc, char **argv)
{
    const char *g = argc > 1 ? argv[1] : "all";
    int all = !strcmp(g, "all");

    if (!strcmp(g, "pty") && argc > 2)
        on_pty(argv + 2);
    if (!strcmp(g, "ionames")) {
        ionames(argc, argv);
        return 0;
    }
    setup_edge();
    if (all || !strcmp(g, "res"))
        res();
    if (all || !strcmp(g, "uid"))
        uid();
    if (all || !strcmp(g, "sched"))
        sched();
    if (all || !strcmp(g, "prctl"))
        prctls();
    if (all || !strcmp(g, "poll"))
        polls();
    if (all || !strcmp(g, "many"))
        many_ready();
    if (all || !strcmp(g, "desc"))
        descs();
    if (all || !strcmp(g, "ioctl"))
        ioctls();
    return 0;
}
