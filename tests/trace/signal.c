/* signal.c — the calls of trace's signal and time decoders
 * (wrapperabi/wrappers/trace/signal.c, time.c), made deterministically
 * for tests/t_trace_signal.sh, which compares strace's lines with trace's.
 *
 *   signal sig     signal actions, masks, stacks, sending and waiting
 *   signal time    sleeps, clocks, interval timers, POSIX timers, timerfd
 *   signal intr    sleeps and waits interrupted by a handled signal
 *
 * Raw system calls throughout (glibc answers the clocks from the vDSO and
 * rewrites sigaction's restorer), good and bad pointers (BAD: an address
 * that is never mapped, printed the same in both logs), failing calls.
 * The values that differ from run to run (clocks, remaining times, the
 * pid) are normalised by the test, nothing else. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <sys/time.h>
#include <sys/times.h>
#include <sys/timex.h>
#include <time.h>
#include <unistd.h>

#define BAD 0x10L                 /* never mapped: EFAULT, printed as 0x10 */
#define S(...) syscall(__VA_ARGS__)

/* The kernel's struct sigaction on x86-64. */
struct ksa {
    unsigned long handler, flags, restorer;
    uint64_t mask;
};
#define KSA_RESTORER 0x04000000UL

static uint64_t bit(int sig)
{
    return 1ULL << (sig - 1);
}

static void handler(int sig)
{
    (void)sig;
}

/* ---- signal actions */
static void actions(void)
{
    struct ksa act = {0}, old;

    act.handler = (unsigned long)handler;
    act.flags = KSA_RESTORER | SA_ONSTACK | SA_RESTART | SA_NODEFER | SA_RESETHAND | SA_SIGINFO;
    act.restorer = 0x1234;
    act.mask = bit(SIGINT) | bit(SIGTERM);
    S(SYS_rt_sigaction, SIGUSR2, &act, &old, 8);
    S(SYS_rt_sigaction, SIGUSR2, NULL, &old, 8);          /* the action read back */
    act.flags = SA_SIGINFO;                               /* no restorer of its own */
    act.mask = bit(32) | bit(33) | bit(64);
    S(SYS_rt_sigaction, SIGUSR2, &act, NULL, 8);
    S(SYS_rt_sigaction, SIGUSR2, NULL, &old, 8);
    act.handler = (unsigned long)SIG_IGN;
    act.flags = KSA_RESTORER;
    act.mask = ~0ULL;                                     /* the kernel drops KILL and STOP */
    S(SYS_rt_sigaction, SIGUSR2, &act, &old, 8);
    S(SYS_rt_sigaction, SIGUSR2, NULL, &old, 8);
    act.handler = (unsigned long)SIG_ERR;
    act.mask = ~(bit(32) | bit(33));
    act.flags = KSA_RESTORER | 0x100;                     /* a bit with no name */
    S(SYS_rt_sigaction, SIGUSR2, &act, &old, 8);
    act.handler = (unsigned long)SIG_DFL;
    act.flags = SA_NOCLDSTOP | SA_NOCLDWAIT | KSA_RESTORER;
    act.mask = 0;
    S(SYS_rt_sigaction, SIGCHLD, &act, &old, 8);
    act.flags = 0;
    S(SYS_rt_sigaction, SIGCHLD, &act, &old, 8);
    S(SYS_rt_sigaction, SIGUSR2, &act, &old, 8);
    /* real-time signals by name, and numbers past them */
    S(SYS_rt_sigaction, 32, NULL, &old, 8);
    S(SYS_rt_sigaction, 33, NULL, &old, 8);
    S(SYS_rt_sigaction, 64, NULL, &old, 8);
    S(SYS_rt_sigaction, 65, NULL, &old, 8);
    S(SYS_rt_sigaction, 0, NULL, &old, 8);
    /* failures: the new action still shows, the old one as its address */
    S(SYS_rt_sigaction, SIGKILL, &act, &old, 8);
    S(SYS_rt_sigaction, SIGUSR2, &act, &old, 7);
    S(SYS_rt_sigaction, SIGUSR2, BAD, &old, 8);
    S(SYS_rt_sigaction, SIGUSR2, NULL, BAD, 8);
    S(SYS_rt_sigaction, SIGUSR2, NULL, NULL, 8);
}

/* ---- masks.  Under runsel a thread cannot block SIGSYS and SIGTRAP
 * (runsel's: its calls arrive as SIGSYS, the fast path's patching traps),
 * so an old set read back would lack them: the sets read back here leave
 * them out. */
static uint64_t signals_but_runsels(int n)
{
    uint64_t m = 0;

    for (int sig = 1; n > 0; sig++)
        if (sig != SIGTRAP && sig != SIGSYS) {
            m |= bit(sig);
            n--;
        }
    return m;
}

static void masks(void)
{
    uint64_t set, old, m41 = signals_but_runsels(41), m42 = signals_but_runsels(42);

    set = ~(bit(32) | bit(33));
    S(SYS_rt_sigprocmask, SIG_BLOCK, &set, &old, 8);
    set = 0;
    S(SYS_rt_sigprocmask, SIG_SETMASK, &set, NULL, 8);
    set = ~(bit(SIGTRAP) | bit(SIGSYS) | bit(32) | bit(33));
    S(SYS_rt_sigprocmask, SIG_BLOCK, &set, &old, 8);
    S(SYS_rt_sigprocmask, SIG_SETMASK, NULL, &old, 8);    /* what the program reads back */
    set = 0;
    S(SYS_rt_sigprocmask, SIG_SETMASK, &set, &old, 8);
    S(SYS_rt_sigprocmask, SIG_BLOCK, &m41, NULL, 8);      /* 41 of 64: listed */
    S(SYS_rt_sigprocmask, SIG_BLOCK, &m42, &old, 8);      /* 42: the complement */
    S(SYS_rt_sigprocmask, SIG_UNBLOCK, &m42, &old, 8);
    set = bit(SIGUSR1) | bit(SIGCHLD) | bit(40);
    S(SYS_rt_sigprocmask, SIG_BLOCK, &set, NULL, 8);
    S(SYS_rt_sigprocmask, SIG_UNBLOCK, &set, NULL, 8);
    S(SYS_rt_sigprocmask, 7, &set, &old, 8);
    S(SYS_rt_sigprocmask, SIG_BLOCK, &set, &old, 4);
    S(SYS_rt_sigprocmask, SIG_BLOCK, &set, &old, 16);
    S(SYS_rt_sigprocmask, SIG_BLOCK, BAD, &old, 8);
    S(SYS_rt_sigprocmask, SIG_BLOCK, NULL, BAD, 8);
}

/* ---- alternate stacks */
static void stacks(void)
{
    static char mem[65536];
    stack_t ss = {0}, old;

    S(SYS_sigaltstack, NULL, &old);
    ss.ss_sp = mem;
    ss.ss_size = sizeof(mem);
    S(SYS_sigaltstack, &ss, &old);
    S(SYS_sigaltstack, NULL, &old);
    ss.ss_flags = 1 << 31;                           /* SS_AUTODISARM */
    S(SYS_sigaltstack, &ss, NULL);
    S(SYS_sigaltstack, NULL, &old);
    ss.ss_flags = 0x10;
    S(SYS_sigaltstack, &ss, &old);                        /* EINVAL */
    ss.ss_flags = 0;
    ss.ss_size = 1024;
    S(SYS_sigaltstack, &ss, &old);                        /* ENOMEM */
    ss.ss_flags = SS_DISABLE;
    S(SYS_sigaltstack, &ss, &old);
    S(SYS_sigaltstack, BAD, NULL);
    S(SYS_sigaltstack, NULL, BAD);
}

/* ---- sending, pending, waiting: every signal blocked first */
static void fill_info(siginfo_t *si, int sig)
{
    memset(si, 0, sizeof(*si));
    si->si_signo = sig;
    si->si_code = SI_QUEUE;
    si->si_pid = 1234;                /* to itself, anything goes */
    si->si_uid = 56;
    si->si_value.sival_int = 42;
}

static void sending(void)
{
    uint64_t all = ~0ULL, set, pend;
    siginfo_t si, got;
    struct timespec zero = {0, 0}, ms = {0, 1000000};
    pid_t pid = getpid();         /* the test's PID, replaced in both logs */
    long pidfd;

    S(SYS_rt_sigprocmask, SIG_SETMASK, &all, NULL, 8);
    S(SYS_kill, pid, 0);
    S(SYS_kill, pid, SIGUSR1);
    S(SYS_kill, pid, 65);
    S(SYS_rt_sigpending, &pend, 8);
    S(SYS_rt_sigpending, &pend, 4);
    S(SYS_rt_sigpending, &pend, 16);
    S(SYS_rt_sigpending, BAD, 8);
    set = bit(SIGUSR1);
    S(SYS_rt_sigtimedwait, &set, &got, &zero, 8);         /* SIGUSR1, from kill */
    S(SYS_rt_sigtimedwait, &set, &got, &zero, 8);         /* EAGAIN */
    S(SYS_rt_sigtimedwait, &set, NULL, &ms, 8);
    S(SYS_tkill, pid, 32);
    S(SYS_tgkill, pid, pid, 64);
    S(SYS_tgkill, pid, pid, 33);
    set = bit(32) | bit(33) | bit(64);
    S(SYS_rt_sigtimedwait, &set, NULL, NULL, 8);
    S(SYS_rt_sigtimedwait, &set, &got, NULL, 8);
    S(SYS_rt_sigtimedwait, &set, BAD, &zero, 8);
    fill_info(&si, SIGUSR1);
    S(SYS_rt_sigqueueinfo, pid, SIGUSR1, &si);
    set = bit(SIGUSR1);
    S(SYS_rt_sigtimedwait, &set, &got, &zero, 8);
    si.si_code = SI_TKILL;
    S(SYS_rt_tgsigqueueinfo, pid, pid, SIGUSR1, &si);
    S(SYS_rt_sigtimedwait, &set, &got, &zero, 8);
    S(SYS_rt_sigqueueinfo, pid, SIGUSR1, BAD);
    S(SYS_rt_sigtimedwait, BAD, &got, &zero, 8);
    S(SYS_rt_sigtimedwait, &set, &got, BAD, 8);
    pidfd = S(SYS_pidfd_open, pid, 0);
    S(SYS_pidfd_send_signal, pidfd, SIGUSR1, NULL, 0);
    fill_info(&si, SIGUSR1);
    S(SYS_pidfd_send_signal, pidfd, SIGUSR1, &si, 0);
    S(SYS_pidfd_send_signal, pidfd, SIGUSR1, NULL, 1);
    S(SYS_rt_sigtimedwait, &set, &got, &zero, 8);
    S(SYS_rt_sigtimedwait, &set, &got, &zero, 8);
    S(SYS_close, pidfd);
    /* signalfd: the mask and its flags */
    set = bit(SIGUSR1) | bit(SIGUSR2);
    long fd = S(SYS_signalfd4, -1, &set, 8, SFD_CLOEXEC | SFD_NONBLOCK);
    S(SYS_signalfd4, fd, &set, 8, 0);
    S(SYS_signalfd4, -1, &set, 8, 0x10);
    S(SYS_signalfd4, -1, BAD, 8, SFD_CLOEXEC);
    S(SYS_signalfd, fd, &set, 8);
    S(SYS_close, fd);
    set = 0;
    S(SYS_rt_sigprocmask, SIG_SETMASK, &set, NULL, 8);
}

/* ---- siginfo by its signal and code: crafted, queued to itself (the
 * kernel lets a process queue any siginfo to itself) and read back */
static void queue_as(int carrier, int sig, int code, void (*fill)(siginfo_t *))
{
    siginfo_t si, got;
    uint64_t set = bit(carrier);
    struct timespec zero = {0, 0};

    memset(&si, 0, sizeof(si));
    si.si_signo = sig;
    si.si_code = code;
    if (fill)
        fill(&si);
    S(SYS_rt_sigqueueinfo, getpid(), carrier, &si);
    S(SYS_rt_sigtimedwait, &set, &got, &zero, 8);
}

static void queue_and_wait(int sig, int code, void (*fill)(siginfo_t *))
{
    queue_as(sig, sig, code, fill);
}

static void fill_child(siginfo_t *si)
{
    si->si_pid = 77;
    si->si_uid = 8;
    si->si_status = si->si_code == CLD_EXITED ? 3 : SIGKILL;
    si->si_utime = 5;
    si->si_stime = 6;
}

static void fill_fault(siginfo_t *si)
{
    si->si_addr = (void *)0xdead;
}

static void fill_poll(siginfo_t *si)
{
    si->si_band = 65;
    si->si_fd = 7;
}

static void fill_sys(siginfo_t *si)
{
    si->si_call_addr = (void *)0x1000;
    si->si_syscall = SYS_getppid;
    si->si_arch = 0xc000003e;             /* AUDIT_ARCH_X86_64 */
}

static void fill_timer(siginfo_t *si)
{
    si->si_timerid = 3;
    si->si_overrun = 2;
    si->si_value.sival_ptr = (void *)0x20;
}

static void fill_errno(siginfo_t *si)
{
    si->si_errno = 2;
    si->si_pid = 9;
}

static void fill_value(siginfo_t *si)
{
    si->si_pid = 9;
    si->si_value.sival_int = -1;
}

static void infos(void)
{
    uint64_t all = ~0ULL, none = 0;

    S(SYS_rt_sigprocmask, SIG_SETMASK, &all, NULL, 8);
    queue_and_wait(SIGCHLD, CLD_EXITED, fill_child);
    queue_and_wait(SIGCHLD, CLD_KILLED, fill_child);
    queue_and_wait(SIGCHLD, CLD_STOPPED, fill_child);
    queue_and_wait(SIGSEGV, SEGV_MAPERR, fill_fault);
    queue_and_wait(SIGSEGV, SEGV_ACCERR, fill_fault);
    queue_and_wait(SIGBUS, BUS_ADRERR, fill_fault);
    queue_and_wait(SIGILL, ILL_ILLOPN, fill_fault);
    queue_and_wait(SIGFPE, FPE_INTDIV, fill_fault);
    /* SIGTRAP and SIGSYS are runsel's (the program cannot block them
     * there): their siginfo rides on SIGUSR2, which the kernel allows */
    queue_as(SIGUSR2, SIGTRAP, TRAP_BRKPT, fill_fault);
    queue_and_wait(SIGIO, POLL_IN, fill_poll);
    queue_and_wait(SIGIO, POLL_HUP, fill_poll);
    queue_as(SIGUSR2, SIGSYS, 1 /* SYS_SECCOMP */, fill_sys);
    queue_and_wait(SIGALRM, SI_TIMER, fill_timer);
    queue_and_wait(SIGUSR1, SI_SIGIO, fill_poll);
    queue_and_wait(SIGUSR1, SI_MESGQ, fill_value);
    queue_and_wait(SIGUSR1, SI_ASYNCIO, fill_errno);
    queue_and_wait(SIGUSR1, SI_KERNEL, NULL);
    queue_and_wait(SIGUSR1, SI_KERNEL, fill_value);
    queue_and_wait(SIGUSR1, 77, NULL);
    queue_and_wait(SIGUSR1, -77, NULL);
    queue_and_wait(SIGPROF, 1, NULL);
    queue_and_wait(40, SI_QUEUE, fill_value);
    S(SYS_rt_sigprocmask, SIG_SETMASK, &none, NULL, 8);
}

static void sig(void)
{
    actions();
    masks();
    stacks();
    sending();
    infos();
}

/* ---- sleeps, clocks, timers */
static void sleeps(void)
{
    struct timespec ts = {0, 1000}, rem, abs = {1, 0}, bad = {0, 1000000000};

    S(SYS_nanosleep, &ts, NULL);
    S(SYS_nanosleep, &ts, &rem);                          /* rem untouched: its address */
    S(SYS_nanosleep, &bad, &rem);
    S(SYS_nanosleep, BAD, NULL);
    S(SYS_clock_nanosleep, CLOCK_REALTIME, TIMER_ABSTIME, &abs, NULL);
    S(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, &ts, &rem);
    S(SYS_clock_nanosleep, CLOCK_MONOTONIC, 2, &ts, NULL);
    S(SYS_clock_nanosleep, CLOCK_BOOTTIME, TIMER_ABSTIME, &bad, &rem);
    S(SYS_clock_nanosleep, 99, 0, &ts, &rem);
}

static void clocks(void)
{
    struct timespec ts;
    struct timeval tv = {0, -1};
    struct timezone tz;
    time_t t;

    S(SYS_clock_getres, CLOCK_MONOTONIC, &ts);
    S(SYS_clock_getres, CLOCK_MONOTONIC, NULL);
    S(SYS_clock_getres, CLOCK_REALTIME_COARSE, &ts);
    S(SYS_clock_getres, 99, &ts);
    S(SYS_clock_gettime, CLOCK_MONOTONIC, &ts);           /* the time: normalised */
    S(SYS_clock_gettime, CLOCK_BOOTTIME, BAD);
    S(SYS_clock_gettime, 99, &ts);
    S(SYS_clock_gettime, -2, &ts);                        /* the thread's CPU clock */
    ts.tv_sec = 0;
    ts.tv_nsec = 0;
    S(SYS_clock_settime, CLOCK_MONOTONIC, &ts);           /* EINVAL: not settable */
    S(SYS_clock_settime, CLOCK_MONOTONIC, BAD);
    S(SYS_gettimeofday, &tv, &tz);
    S(SYS_gettimeofday, NULL, NULL);
    S(SYS_gettimeofday, BAD, NULL);
    tv.tv_sec = 0;
    tv.tv_usec = -1;
    S(SYS_settimeofday, &tv, NULL);                       /* EINVAL (or EPERM): sets nothing */
    S(SYS_settimeofday, BAD, BAD);
    S(SYS_time, &t);
    S(SYS_time, NULL);
    S(SYS_time, BAD);
}

static void itimers(void)
{
    struct itimerval v = {{0, 0}, {100, 0}}, old, zero = {{0, 0}, {0, 0}},
                     badv = {{0, 0}, {0, 1000001}};

    S(SYS_getitimer, ITIMER_REAL, &old);
    S(SYS_getitimer, ITIMER_VIRTUAL, &old);
    S(SYS_getitimer, ITIMER_PROF, &old);
    S(SYS_getitimer, 5, &old);
    S(SYS_getitimer, ITIMER_REAL, BAD);
    S(SYS_setitimer, ITIMER_PROF, &v, NULL);
    S(SYS_setitimer, ITIMER_PROF, &zero, &old);           /* the time left: normalised */
    S(SYS_setitimer, ITIMER_REAL, &badv, &old);
    S(SYS_setitimer, ITIMER_REAL, NULL, &old);
    S(SYS_setitimer, 5, &zero, &old);
    S(SYS_alarm, 100);
    S(SYS_alarm, 0);
}

static void posix_timers(void)
{
    struct sigevent ev;
    int id = -1, id2 = -1, id3 = -1;
    struct itimerspec v = {{0, 0}, {100, 0}}, zero = {{0, 0}, {0, 0}}, old;

    memset(&ev, 0, sizeof(ev));
    ev.sigev_notify = SIGEV_SIGNAL;
    ev.sigev_signo = SIGUSR1;
    ev.sigev_value.sival_int = 42;
    S(SYS_timer_create, CLOCK_MONOTONIC, &ev, &id);
    S(SYS_timer_create, CLOCK_REALTIME, NULL, &id2);
    ev.sigev_notify = SIGEV_NONE;
    S(SYS_timer_create, CLOCK_BOOTTIME, &ev, &id3);
    ev.sigev_notify = SIGEV_THREAD_ID;
    ev.sigev_signo = 33;
    ev._sigev_un._tid = getpid();
    S(SYS_timer_create, CLOCK_MONOTONIC, &ev, &id3);      /* replaces nothing: a 4th id */
    ev.sigev_notify = 7;
    S(SYS_timer_create, CLOCK_MONOTONIC, &ev, &id3);      /* EINVAL */
    S(SYS_timer_create, CLOCK_MONOTONIC, BAD, &id3);
    S(SYS_timer_settime, id, 0, &v, NULL);
    S(SYS_timer_gettime, id, &old);                       /* normalised */
    S(SYS_timer_settime, id, TIMER_ABSTIME, &zero, &old); /* normalised */
    S(SYS_timer_gettime, id, &old);
    S(SYS_timer_settime, id, 0, BAD, &old);
    S(SYS_timer_gettime, 99, &old);
    S(SYS_timer_getoverrun, id);
    S(SYS_timer_delete, id);
    S(SYS_timer_delete, id2);
    S(SYS_timer_delete, 99);
}

static void timerfds(void)
{
    struct itimerspec v = {{1, 0}, {100, 0}}, zero = {{0, 0}, {0, 0}}, old;
    long fd = S(SYS_timerfd_create, CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
    long fd2 = S(SYS_timerfd_create, CLOCK_REALTIME, 0);

    S(SYS_timerfd_create, CLOCK_MONOTONIC, 1);            /* EINVAL */
    S(SYS_timerfd_settime, fd, 1 /* TFD_TIMER_ABSTIME */, &zero, NULL);
    S(SYS_timerfd_settime, fd, 0, &v, &old);
    S(SYS_timerfd_gettime, fd, &old);                     /* normalised */
    S(SYS_timerfd_settime, fd, 0, &zero, &old);           /* normalised */
    S(SYS_timerfd_gettime, fd, &old);
    S(SYS_timerfd_settime, fd2, 3 /* |TFD_TIMER_CANCEL_ON_SET */, &zero, NULL);
    S(SYS_timerfd_settime, fd, 0, BAD, NULL);
    S(SYS_timerfd_gettime, fd, BAD);
    S(SYS_timerfd_gettime, 99, &old);
    S(SYS_close, fd);
    S(SYS_close, fd2);
}

/* adjtimex and clock_adjtime only read here (modes 0, ADJ_OFFSET_SS_READ);
 * ADJ_ADJTIME without ADJ_OFFSET_SINGLESHOT fails before changing anything. */
static void tms_and_timex(void)
{
    struct tms t;
    struct timex x;

    S(SYS_times, &t);                                     /* normalised */
    S(SYS_times, NULL);
    S(SYS_times, BAD);
    memset(&x, 0, sizeof(x));
    S(SYS_adjtimex, &x);                                  /* the clock's values: normalised */
    x.modes = ADJ_OFFSET_SS_READ;
    S(SYS_adjtimex, &x);
    x.modes = 0x8000;                                     /* EINVAL */
    S(SYS_adjtimex, &x);
    S(SYS_adjtimex, BAD);
    x.modes = 0;
    S(SYS_clock_adjtime, CLOCK_REALTIME, &x);
    S(SYS_clock_adjtime, 99, &x);
}

static void timecalls(void)
{
    sleeps();
    clocks();
    itimers();
    posix_timers();
    timerfds();
    tms_and_timex();
}

/* ---- interrupted: a SIGALRM handler without SA_RESTART */
static void on_alarm(void)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = handler;
    sigaction(SIGALRM, &sa, NULL);
}

static void arm(void)
{
    struct itimerval v = {{0, 0}, {0, 20000}};

    S(SYS_setitimer, ITIMER_REAL, &v, NULL);
}

static void intr(void)
{
    struct timespec ts = {5, 0}, rem;
    uint64_t none = 0, alrm = bit(SIGALRM);

    on_alarm();
    arm();
    S(SYS_nanosleep, &ts, &rem);                          /* the time left shows */
    arm();
    S(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, &ts, &rem);
    arm();
    S(SYS_rt_sigsuspend, &none, 8);
    arm();
    S(SYS_pause);
    S(SYS_rt_sigprocmask, SIG_BLOCK, &alrm, NULL, 8);
    arm();
    S(SYS_rt_sigtimedwait, &alrm, NULL, &ts, 8);
}

int main(int argc, char **argv)
{
    const char *what = argc > 1 ? argv[1] : "";

    if (!strcmp(what, "sig"))
        sig();
    else if (!strcmp(what, "time"))
        timecalls();
    else if (!strcmp(what, "intr"))
        intr();
    else {
        fprintf(stderr, "usage: signal sig|time|intr\n");
        return 2;
    }
    return 0;
}
