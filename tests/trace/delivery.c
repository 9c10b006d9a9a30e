/* delivery — the program of tests/t_trace_delivery.sh: signals delivered
 * while it runs, blocks in a call, or dies, one scenario per run
 * (argv[1]), each made deterministic: a signal meant to interrupt a call
 * is sent by a child once /proc shows the parent blocked in that call.
 * The lines to compare start after its marker call, write(-1, "begin").
 * It checks what it reads back of its own signal actions (exit 1 if
 * runsel's stand-ins ever show). */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define SA_RESTORER_ 0x04000000   /* the kernel's, which glibc sets and does not name */

static volatile sig_atomic_t got;
static int handled_fd = -1;          /* the handler says it ran (restart) */

static void on_signal(int sig)
{
    got += sig;
    if (handled_fd >= 0 && write(handled_fd, "h", 1) != 1)
        _exit(5);
}

static void on_info(int sig, siginfo_t *si, void *uc)
{
    (void)si;
    (void)uc;
    got += sig;
}

static int handle(int sig, int flags)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof(sa));
    if (flags & SA_SIGINFO)
        sa.sa_sigaction = on_info;
    else
        sa.sa_handler = on_signal;
    sa.sa_flags = flags;
    sigemptyset(&sa.sa_mask);
    sigaddset(&sa.sa_mask, SIGINT);
    return sigaction(sig, &sa, NULL);
}

/* What the program reads back is what it set: handler, flags, mask. */
static int reads_back(int sig, void *handler, int flags)
{
    struct sigaction old;

    if (sigaction(sig, NULL, &old))
        return 0;
    if ((void *)old.sa_handler != handler)
        return 0;
    if (handler == (void *)SIG_DFL)
        return 1;
    return (old.sa_flags & ~SA_RESTORER_) == flags && sigismember(&old.sa_mask, SIGINT) &&
           !sigismember(&old.sa_mask, SIGTERM);
}

static int handled[2];

/* In the child: wait until the parent blocks in call nr, then signal it
 * (and then, with fd >= 0, once its handler has run, give it the byte its
 * restarted read gets: sooner, the read would find it and not be
 * interrupted). */
static void signal_when_blocked(pid_t parent, long nr, int sig, int fd)
{
    char path[64], buf[64];
    FILE *f;

    snprintf(path, sizeof(path), "/proc/%d/syscall", (int)parent);
    for (int i = 0; i < 20000; i++) {
        long cur = -2;
        if ((f = fopen(path, "r"))) {
            if (fgets(buf, sizeof(buf), f))
                sscanf(buf, "%ld", &cur);
            fclose(f);
        }
        if (cur == nr) {
            usleep(20000);   /* inside the kernel's wait, not on its way there */
            kill(parent, sig);
            char h;
            if (fd >= 0 && (read(handled[0], &h, 1) != 1 || write(fd, "x", 1) != 1))
                _exit(1);
            return;
        }
        usleep(1000);
    }
}

static pid_t signaller(long nr, int sig, int fd)
{
    pid_t parent = getpid(), pid = fork();

    if (pid == 0) {
        signal_when_blocked(parent, nr, sig, fd);
        _exit(0);
    }
    return pid;
}

static void marker(void)
{
    syscall(SYS_write, -1, "begin", 5);
}

int main(int argc, char **argv)
{
    const char *what = argc > 1 ? argv[1] : "";
    int p[2];
    char c;

    struct rlimit nocore = {0, 0};
    setrlimit(RLIMIT_CORE, &nocore);
    if (handle(SIGUSR1, SA_RESTART) || handle(SIGUSR2, 0) || handle(SIGALRM, SA_SIGINFO) ||
        pipe(p))
        return 2;
    if (!reads_back(SIGUSR1, (void *)on_signal, SA_RESTART) || !reads_back(SIGUSR2, (void *)on_signal, 0) ||
        !reads_back(SIGALRM, (void *)on_info, SA_SIGINFO) || !reads_back(SIGTERM, (void *)SIG_DFL, 0))
        return 1;
    marker();
    if (!strcmp(what, "self")) {            /* to itself: handled, then blocked and let in */
        sigset_t set, old;
        kill(getpid(), SIGUSR1);
        raise(SIGALRM);
        sigemptyset(&set);
        sigaddset(&set, SIGUSR2);
        sigprocmask(SIG_BLOCK, &set, &old);
        kill(getpid(), SIGUSR2);
        sigprocmask(SIG_SETMASK, &old, NULL);
    } else if (!strcmp(what, "restart")) {  /* SA_RESTART: read made again */
        if (pipe(handled))
            return 2;
        handled_fd = handled[1];
        pid_t pid = signaller(SYS_read, SIGUSR1, p[1]);
        if (read(p[0], &c, 1) != 1)
            return 3;
        waitpid(pid, NULL, 0);
        close(p[1]);
        if (read(p[0], &c, 1) != 0)
            return 3;
    } else if (!strcmp(what, "eintr")) {    /* no SA_RESTART: EINTR */
        pid_t pid = signaller(SYS_read, SIGUSR2, -1);
        if (read(p[0], &c, 1) != -1)
            return 3;
        waitpid(pid, NULL, 0);
    } else if (!strcmp(what, "sleep")) {    /* ERESTART_RESTARTBLOCK */
        struct timespec ts = {30, 0};
        pid_t pid = signaller(SYS_clock_nanosleep, SIGUSR2, -1);
        if (nanosleep(&ts, &ts) != -1)
            return 3;
        waitpid(pid, NULL, 0);
    } else if (!strcmp(what, "pause")) {    /* ERESTARTNOHAND */
        pid_t pid = signaller(SYS_pause, SIGALRM, -1);
        pause();
        waitpid(pid, NULL, 0);
    } else if (!strcmp(what, "term")) {     /* killed in pause, by its default action */
        signaller(SYS_pause, SIGTERM, -1);
        pause();
    } else if (!strcmp(what, "pipe")) {     /* EPIPE, then SIGPIPE's default */
        close(p[0]);
        write(p[1], "x", 1);
    } else if (!strcmp(what, "segv")) {     /* a fault: the address */
        volatile int *volatile bad = (int *)16;
        *bad = 1;
    } else if (!strcmp(what, "child")) {    /* a child killed; the parent reaps it */
        pid_t pid = fork();
        if (pid == 0) {
            marker();
            raise(SIGTERM);
            _exit(0);
        }
        int st;
        waitpid(pid, &st, 0);
        return !(WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM);
    }
    return got == 0 ? 4 : 0;
}
