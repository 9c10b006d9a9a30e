/* signals — a corpus program of the strace comparison (tests/stracecmp):
 * handlers installed with sigaction (SA_RESTART, SA_SIGINFO, a mask),
 * signals raised and kill()ed to itself, blocked and unblocked, an
 * ignored signal, and children that die of a signal: one killed by its
 * parent (SIGTERM, while it sits in pause()), one that aborts itself
 * (SIGABRT, no core file: RLIMIT_CORE is 0).  The parent waits for each
 * child to be ready (a pipe) before it kills, so every run is the same. */
#include <signal.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t got;

static void on_signal(int sig)
{
    got += sig;
}

static void on_info(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    got += sig + (si->si_code == SI_USER);
}

static int install(void)
{
    struct sigaction sa = { .sa_handler = on_signal, .sa_flags = SA_RESTART };
    struct sigaction si = { .sa_sigaction = on_info, .sa_flags = SA_SIGINFO };

    sigemptyset(&sa.sa_mask);
    sigaddset(&sa.sa_mask, SIGUSR2);
    sigemptyset(&si.sa_mask);
    return sigaction(SIGUSR1, &sa, NULL) || sigaction(SIGUSR2, &si, NULL) ||
           signal(SIGPIPE, SIG_IGN) == SIG_ERR;
}

/* SIGUSR1 blocked, sent, then delivered when it is unblocked. */
static int blocked_then_delivered(void)
{
    sigset_t set, old;

    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    if (sigprocmask(SIG_BLOCK, &set, &old) || kill(getpid(), SIGUSR1))
        return 1;
    return sigprocmask(SIG_SETMASK, &old, NULL);
}

/* A child that says it is ready, then waits in pause() to be killed. */
static int killed_child(void)
{
    int p[2], status;
    char c;

    if (pipe(p))
        return 1;
    pid_t pid = fork();
    if (pid == 0) {
        close(p[0]);
        if (write(p[1], "r", 1) != 1)
            _exit(1);
        for (;;)
            pause();
    }
    close(p[1]);
    /* ready, then 50 ms for the child's own last lines (a wrapper in the
     * child prints a call after it returns) and its way into pause() */
    struct timespec settle = { 0, 50 * 1000 * 1000 };
    if (pid < 0 || read(p[0], &c, 1) != 1 || nanosleep(&settle, NULL) || kill(pid, SIGTERM) ||
        waitpid(pid, &status, 0) != pid)
        return 1;
    close(p[0]);
    return !(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM);
}

static int aborting_child(void)
{
    int status;
    pid_t pid = fork();

    if (pid == 0) {
        struct rlimit none = { 0, 0 };
        setrlimit(RLIMIT_CORE, &none);
        abort();
    }
    if (pid < 0 || waitpid(pid, &status, 0) != pid)
        return 1;
    return !(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT);
}

int main(void)
{
    if (install() || raise(SIGUSR1) || kill(getpid(), SIGUSR2) || blocked_then_delivered() ||
        kill(getpid(), SIGPIPE))
        return 1;
    if (killed_child() || aborting_child())
        return 2;
    return got == 2 * SIGUSR1 + SIGUSR2 + 1 ? 0 : 3;
}
