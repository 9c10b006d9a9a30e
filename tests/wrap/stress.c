/* stress — what a wrapper runtime must survive, one mode per run; prints
 * "ok MODE" and exits 0 when the behaviour was native.
 *
 *   threads N M   N threads (pthread_create: clone3) each make M getppid calls
 *   fork M        a child makes M getppid calls, the parent waits
 *   vfork         vfork + _exit, and vfork + exec of /bin/true
 *   spawn         posix_spawn (CLONE_VM|CLONE_VFORK on its own stack)
 *   clone3fork    raw clone3 without CLONE_VM (fork through clone3)
 *   sigsys        installs its own SIGSYS handler, blocks SIGSYS, reads both back
 *   sigview       blocks every signal and reads the mask back (SIGSYS and
 *                 SIGTRAP included: runsel keeps them deliverable but must
 *                 report them blocked), in a forked child too, then unblocks
 *                 SIGTRAP alone; prints what it read
 *   spawnview     posix_spawn resetting every signal in the child
 *                 (POSIX_SPAWN_SETSIGDEF), then the parent's own actions of
 *                 SIGTRAP and SIGSYS: the child's resets must not become
 *                 the parent's (they share memory, not signal tables)
 *   signals       SA_RESTART and EINTR around a blocking read, sigaltstack,
 *                 a handler that makes system calls while calls are trapped
 *   rawsys M      M getppid calls from inline assembly (no libc wrapper)
 *   storm M       M getppid calls while a 50 us timer signal, whose handler
 *                 makes calls too, keeps interrupting them
 *   exec PATH...  execv(PATH, ...): exec chains */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static void fail(const char *what)
{
    fprintf(stderr, "stress: %s failed: %s\n", what, strerror(errno));
    exit(1);
}

static long calls_per_thread;

static void *getppid_loop(void *arg)
{
    (void)arg;
    for (long i = 0; i < calls_per_thread; i++)
        syscall(SYS_getppid);
    return NULL;
}

static int threads(int n, long m)
{
    pthread_t t[256];

    calls_per_thread = m;
    if (n > 256)
        n = 256;
    for (int i = 0; i < n; i++)
        if (pthread_create(&t[i], NULL, getppid_loop, NULL))
            fail("pthread_create");
    for (int i = 0; i < n; i++)
        pthread_join(t[i], NULL);
    return 0;
}

static int child_status(pid_t pid)
{
    int st;

    if (waitpid(pid, &st, 0) != pid)
        fail("waitpid");
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static int do_fork(long m)
{
    pid_t pid = fork();

    if (pid < 0)
        fail("fork");
    if (pid == 0) {
        calls_per_thread = m;
        getppid_loop(NULL);
        _exit(7);
    }
    return child_status(pid) == 7 ? 0 : 1;
}

static int do_vfork(void)
{
    pid_t pid = vfork();

    if (pid < 0)
        fail("vfork");
    if (pid == 0)
        _exit(5);
    if (child_status(pid) != 5)
        return 1;
    pid = vfork();
    if (pid == 0) {
        execl("/bin/true", "true", (char *)NULL);
        _exit(99);
    }
    return child_status(pid) == 0 ? 0 : 1;
}

static int do_spawn(void)
{
    pid_t pid;
    char *argv[] = {"sh", "-c", "exit 4", NULL};

    if (posix_spawn(&pid, "/bin/sh", NULL, NULL, argv, environ))
        fail("posix_spawn");
    if (child_status(pid) != 4)
        return 1;
    char *bad[] = {"nosuch", NULL};
    return posix_spawn(&pid, "/nonexistent/prog", NULL, NULL, bad, environ) == ENOENT ? 0 : 1;
}

static int do_clone3fork(void)
{
    struct clone_args a;

    memset(&a, 0, sizeof(a));
    a.exit_signal = SIGCHLD;
    long pid = syscall(SYS_clone3, &a, sizeof(a));
    if (pid < 0)
        fail("clone3");
    if (pid == 0) {
        syscall(SYS_getppid);
        _exit(3);
    }
    return child_status((pid_t)pid) == 3 ? 0 : 1;
}

static volatile sig_atomic_t got;
static volatile int on_altstack;
static void on_sig(int sig)
{
    stack_t cur;

    got = sig;
    syscall(SYS_getppid);            /* a call from inside a signal handler */
    on_altstack = sigaltstack(NULL, &cur) == 0 && (cur.ss_flags & SS_ONSTACK);
}

static int do_sigsys(void)
{
    struct sigaction sa = {0}, old;
    sigset_t set, cur;

    sa.sa_handler = on_sig;
    if (sigaction(SIGSYS, &sa, NULL) || sigaction(SIGSYS, NULL, &old))
        fail("sigaction(SIGSYS)");
    if (old.sa_handler != on_sig)
        return 1;                    /* it must read back its own handler */
    raise(SIGSYS);                   /* a SIGSYS that is the program's: its handler runs */
    if (got != SIGSYS)
        return 2;
    sigemptyset(&set);
    sigaddset(&set, SIGSYS);
    if (sigprocmask(SIG_BLOCK, &set, NULL))
        fail("sigprocmask");
    for (int i = 0; i < 100; i++)    /* still alive with SIGSYS "blocked" */
        syscall(SYS_getppid);
    sigprocmask(SIG_BLOCK, NULL, &cur);
    signal(SIGSYS, SIG_DFL);
    return 0;
}

static void show_own(const char *when)
{
    sigset_t cur;

    sigprocmask(SIG_BLOCK, NULL, &cur);
    printf("%s: SIGSYS %d SIGTRAP %d SIGUSR1 %d\n", when, sigismember(&cur, SIGSYS),
           sigismember(&cur, SIGTRAP), sigismember(&cur, SIGUSR1));
    fflush(stdout);
}

static int do_sigview(void)
{
    sigset_t all, old, trap;
    int status;

    sigfillset(&all);
    sigprocmask(SIG_BLOCK, &all, &old);
    show_own("blocked");
    pid_t pid = fork();
    if (pid == 0) {
        show_own("child");
        _exit(0);
    }
    waitpid(pid, &status, 0);
    sigemptyset(&trap);
    sigaddset(&trap, SIGTRAP);
    sigprocmask(SIG_UNBLOCK, &trap, NULL);
    show_own("trap unblocked");
    sigprocmask(SIG_SETMASK, &old, NULL);
    show_own("restored");
    return 0;
}

static int do_spawnview(void)
{
    posix_spawnattr_t at;
    sigset_t all;
    pid_t pid;
    char *args[] = {"/bin/true", NULL};
    struct sigaction o;

    sigfillset(&all);
    sigprocmask(SIG_BLOCK, &all, NULL);        /* glibc's child then resets those it finds blocked */
    posix_spawnattr_init(&at);
    posix_spawnattr_setsigdefault(&at, &all);
    posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGDEF);
    if (posix_spawn(&pid, "/bin/true", NULL, &at, args, environ))
        fail("posix_spawn");
    waitpid(pid, NULL, 0);
    for (int sig = SIGTRAP; sig; sig = sig == SIGTRAP ? SIGSYS : 0) {
        sigaction(sig, NULL, &o);
        printf("%d: handler %s flags %#x restorer %s\n", sig, o.sa_handler == SIG_DFL ? "SIG_DFL" : "other",
               (unsigned)o.sa_flags, o.sa_restorer ? "set" : "none");
    }
    return 0;
}

/* The restart case's handler: says it ran, through a pipe the child reads. */
static int handled[2];
static void on_restart_sig(int sig)
{
    got = sig;
    if (write(handled[1], "h", 1) != 1)
        _exit(5);
}

/* Until pid is blocked in read(2), as /proc/PID/syscall shows ("0 ..." while
 * in the call); without /proc, a tenth of a second. */
static void wait_blocked_in_read(pid_t pid)
{
    char path[64], buf[64];

    snprintf(path, sizeof(path), "/proc/%d/syscall", (int)pid);
    for (int i = 0; i < 20000; i++) {
        int fd = open(path, O_RDONLY);
        if (fd < 0)
            break;
        ssize_t n = read(fd, buf, sizeof(buf) - 1);
        close(fd);
        if (n > 2 && buf[0] == '0' && buf[1] == ' ')
            return;
        usleep(1000);
    }
    usleep(100000);
}

static int do_signals(void)
{
    int p[2];
    char c;
    struct sigaction sa = {0};
    stack_t ss = {.ss_sp = malloc(65536), .ss_size = 65536};
    pid_t parent = getpid();

    if (pipe(p))
        fail("pipe");
    /* Without SA_RESTART a blocked read fails with EINTR (the signal comes
     * from a child once the read blocks: a timer could fire before it). */
    sa.sa_handler = on_sig;
    sigaction(SIGALRM, &sa, NULL);
    if (fork() == 0) {
        wait_blocked_in_read(parent);
        kill(parent, SIGALRM);
        _exit(0);
    }
    if (read(p[0], &c, 1) != -1 || errno != EINTR || got != SIGALRM)
        return 1;
    wait(NULL);
    /* With SA_RESTART it is restarted, and completes when data comes.  The
     * child signals the parent once the parent is blocked in the read and
     * writes once the handler ran (a timer and a sleeping child raced in a
     * slow VM: the data could come first). */
    got = 0;
    sa.sa_handler = on_restart_sig;
    sa.sa_flags = SA_RESTART;
    sigaction(SIGALRM, &sa, NULL);
    if (pipe(handled))
        fail("pipe");
    if (fork() == 0) {
        wait_blocked_in_read(parent);
        kill(parent, SIGALRM);
        if (read(handled[0], &c, 1) != 1 || write(p[1], "x", 1) != 1)
            _exit(1);
        _exit(0);
    }
    if (read(p[0], &c, 1) != 1 || c != 'x' || got != SIGALRM)
        return 2;
    wait(NULL);
    sa.sa_handler = on_sig;
    /* A handler on an alternate stack that makes calls. */
    if (sigaltstack(&ss, NULL))
        fail("sigaltstack");
    sa.sa_flags = SA_ONSTACK;
    got = 0;
    sigaction(SIGUSR1, &sa, NULL);
    raise(SIGUSR1);
    if (got != SIGUSR1 || !on_altstack)
        return 3;
    /* The mask reads back as set. */
    sigset_t set, cur;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR2);
    sigprocmask(SIG_BLOCK, &set, NULL);
    sigprocmask(SIG_BLOCK, NULL, &cur);
    return sigismember(&cur, SIGUSR2) ? 0 : 4;
}

static int do_rawsys(long m)
{
    for (long i = 0; i < m; i++) {
        long r;
        __asm__ volatile("syscall" : "=a"(r) : "a"((long)SYS_getppid) : "rcx", "r11", "memory");
        if (r != getppid())
            return 1;
    }
    return 0;
}

static volatile long storm_hits;
static void on_storm(int sig)
{
    (void)sig;
    syscall(SYS_getpid);
    storm_hits++;
}

static int do_storm(long m)
{
    struct sigaction sa = {0};
    struct itimerval it = {{0, 50}, {0, 50}};
    pid_t parent = getppid();

    sa.sa_handler = on_storm;
    sa.sa_flags = SA_RESTART;
    sigaction(SIGALRM, &sa, NULL);
    setitimer(ITIMER_REAL, &it, NULL);
    for (long i = 0; i < m; i++)
        if (syscall(SYS_getppid) != parent)
            return 1;
    memset(&it, 0, sizeof(it));
    setitimer(ITIMER_REAL, &it, NULL);
    return storm_hits > 0 ? 0 : 2;
}

int main(int argc, char **argv)
{
    int r = 2;

    if (argc < 2)
        return 2;
    const char *m = argv[1];
    if (!strcmp(m, "threads") && argc == 4)
        r = threads(atoi(argv[2]), atol(argv[3]));
    else if (!strcmp(m, "fork") && argc == 3)
        r = do_fork(atol(argv[2]));
    else if (!strcmp(m, "vfork"))
        r = do_vfork();
    else if (!strcmp(m, "spawn"))
        r = do_spawn();
    else if (!strcmp(m, "clone3fork"))
        r = do_clone3fork();
    else if (!strcmp(m, "sigsys"))
        r = do_sigsys();
    else if (!strcmp(m, "signals"))
        r = do_signals();
    else if (!strcmp(m, "sigview"))
        r = do_sigview();
    else if (!strcmp(m, "spawnview"))
        r = do_spawnview();
    else if (!strcmp(m, "storm") && argc == 3)
        r = do_storm(atol(argv[2]));
    else if (!strcmp(m, "rawsys") && argc == 3)
        r = do_rawsys(atol(argv[2]));
    else if (!strcmp(m, "exec") && argc >= 3) {
        execv(argv[2], argv + 2);
        fail("execv");
    }
    if (r == 0)
        printf("ok %s\n", m);
    else
        printf("FAILED %s (%d)\n", m, r);
    return r;
}
