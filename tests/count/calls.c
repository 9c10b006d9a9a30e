/* calls.c — a program that makes known numbers of system calls, for
 * tests/t_count.sh (count against strace -c -f, and count's own claims).
 *   calls N      N getppid, N failing openat, N writes to /dev/null, N failing close
 *   threads T N  T threads, each N getppid
 *   fork K N     K children, each N getppid, waited for
 *   spawn K      posix_spawn of /bin/true K times (CLONE_VM|CLONE_VFORK)
 *   vfork K      vfork + execve of /bin/true K times
 *   exec N       N more images of itself in a chain, each one getppid
 *   execfail N   N failing execve (a missing file)
 *   killed N     a child makes N getppid and is killed by SIGKILL
 *   closeall N   close_range(0, ~0) (closefrom), then N getppid
 *   linger MS    a child outlives the parent by MS milliseconds (N getppid=1)
 *   termed       a child killed by SIGTERM (no handler) while in pause():
 *                strace counts that pause, and its error (ERESTARTNOHAND)
 *   interrupted N  N pause() ended by a SIGUSR1 handler: N pause and N
 *                rt_sigreturn, each an error (EINTR: rt_sigreturn gives back
 *                the interrupted call's result)
 * Calls go through syscall(2) where libc might cache or add calls. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static void getppids(long n)
{
    for (long i = 0; i < n; i++)
        syscall(SYS_getppid);
}

static void *thread_main(void *arg)
{
    getppids((long)arg);
    return NULL;
}

static void calls(long n)
{
    int fd = open("/dev/null", O_WRONLY);

    for (long i = 0; i < n; i++) {
        syscall(SYS_getppid);
        syscall(SYS_openat, AT_FDCWD, "/nonexistent/x", O_RDONLY);
        syscall(SYS_write, fd, "x", 1);
        syscall(SYS_close, -1);
    }
}

static void threads(long t, long n)
{
    pthread_t th[64];

    for (long i = 0; i < t && i < 64; i++)
        pthread_create(&th[i], NULL, thread_main, (void *)n);
    for (long i = 0; i < t && i < 64; i++)
        pthread_join(th[i], NULL);
}

/* SIGCHLD blocked meanwhile: under ptrace an ignored SIGCHLD from an
 * earlier child still interrupts a fork, which the kernel restarts
 * (strace then counts an ERESTARTNOINTR clone more; natively nothing). */
static void forks(long k, long n)
{
    sigset_t chld, old;

    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    sigprocmask(SIG_BLOCK, &chld, &old);
    for (long i = 0; i < k; i++)
        if (fork() == 0) {
            getppids(n);
            _exit(0);
        }
    while (wait(NULL) > 0)
        ;
    sigprocmask(SIG_SETMASK, &old, NULL);
}

static void spawns(long k)
{
    char *argv[] = {"true", NULL};
    pid_t pid;

    for (long i = 0; i < k; i++)
        if (posix_spawn(&pid, "/bin/true", NULL, NULL, argv, environ) == 0)
            waitpid(pid, NULL, 0);
}

static void vfork_once(void)
{
    static char *argv[] = {"true", NULL};
    pid_t pid = vfork();

    if (pid == 0) {
        execve("/bin/true", argv, environ);
        _exit(127);
    }
    waitpid(pid, NULL, 0);
}

static void vforks(long k)
{
    for (long i = 0; i < k; i++)
        vfork_once();
}

static void exec_chain(const char *self, long n)
{
    char num[24], *argv[] = {(char *)self, "exec", num, NULL};

    syscall(SYS_getppid);
    if (n <= 0)
        return;
    snprintf(num, sizeof(num), "%ld", n - 1);
    execve("/proc/self/exe", argv, environ);
    perror("execve");
}

static void killed(long n)
{
    pid_t pid = fork();

    if (pid == 0) {
        getppids(n);
        syscall(SYS_kill, syscall(SYS_getpid), SIGKILL);
        _exit(1);
    }
    waitpid(pid, NULL, 0);
}

/* Until tid is blocked in system call nr (/proc's view: no guessing how
 * long it takes to get there). */
static void wait_in_call(pid_t tid, long nr)
{
    char path[64], buf[64];
    struct timespec tick = {0, 1000000};

    snprintf(path, sizeof(path), "/proc/%d/syscall", (int)tid);
    for (int i = 0; i < 10000; i++) {
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
        if (fd >= 0)
            close(fd);
        if (n > 0) {
            buf[n] = 0;
            if (atol(buf) == nr && buf[0] != '-')
                return;
        }
        nanosleep(&tick, NULL);
    }
}

static void termed(void)
{
    pid_t pid = fork();

    if (pid == 0) {
        for (;;)
            pause();
    }
    wait_in_call(pid, SYS_pause);
    kill(pid, SIGTERM);
    waitpid(pid, NULL, 0);
}

static void on_usr1(int sig)
{
    (void)sig;
}

static void interrupted(long n)
{
    struct sigaction sa = {.sa_handler = on_usr1};   /* no SA_RESTART: pause ends */
    pid_t self = getpid();

    sigaction(SIGUSR1, &sa, NULL);
    for (long i = 0; i < n; i++) {
        pid_t pid = fork();
        if (pid == 0) {
            wait_in_call(self, SYS_pause);
            kill(self, SIGUSR1);
            _exit(0);
        }
        pause();
        waitpid(pid, NULL, 0);
    }
}

static void linger(long ms)
{
    if (fork() == 0) {
        struct timespec ts = {ms / 1000, ms % 1000 * 1000000};
        nanosleep(&ts, NULL);
        syscall(SYS_getppid);
        _exit(0);
    }
}

int main(int argc, char **argv)
{
    long a = argc > 2 ? atol(argv[2]) : 1, b = argc > 3 ? atol(argv[3]) : 1;
    const char *m = argc > 1 ? argv[1] : "";

    if (!strcmp(m, "calls"))
        calls(a);
    else if (!strcmp(m, "threads"))
        threads(a, b);
    else if (!strcmp(m, "fork"))
        forks(a, b);
    else if (!strcmp(m, "spawn"))
        spawns(a);
    else if (!strcmp(m, "vfork"))
        vforks(a);
    else if (!strcmp(m, "exec"))
        exec_chain(argv[0], a);
    else if (!strcmp(m, "execfail"))
        for (long i = 0; i < a; i++)
            execve("/nonexistent/prog", argv, environ);
    else if (!strcmp(m, "killed"))
        killed(a);
    else if (!strcmp(m, "closeall")) {
        syscall(SYS_close_range, 0, ~0U, 0);
        getppids(a);
    } else if (!strcmp(m, "linger"))
        linger(a);
    else if (!strcmp(m, "termed"))
        termed();
    else if (!strcmp(m, "interrupted"))
        interrupted(a);
    else {
        fprintf(stderr, "usage: calls MODE [N [M]]\n");
        return 2;
    }
    return 0;
}
