/* altstack.c — a program's own alternate signal stack under runsel: what
 * it reads back, the errors the kernel gives, and where its handlers run
 * (a signal interrupting its own code, a fault, a handler without
 * SA_ONSTACK), on the main thread and on a new one.  Each line is a fact
 * the program checks; the output is the same natively. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#define SIZE (64 * 1024)
static char *mine;
static volatile sig_atomic_t where;        /* 1: on mine, 2: elsewhere */
static volatile sig_atomic_t handler_eperm;
static sigjmp_buf back;
static int *volatile nowhere = (int *)8;   /* a fault the compiler cannot see */

static int on_mine(const void *p)
{
    return (const char *)p >= mine && (const char *)p < mine + SIZE;
}

static void note_where(int sig)
{
    char here;
    stack_t st;

    (void)sig;
    where = on_mine(&here) ? 1 : 2;
    sigaltstack(NULL, &st);
    stack_t other = {.ss_sp = mine, .ss_size = SIZE, .ss_flags = 0};
    handler_eperm = where == 1 && (st.ss_flags & SS_ONSTACK) &&
                    sigaltstack(&other, NULL) == -1 && errno == EPERM;
}

static void on_segv(int sig)
{
    note_where(sig);
    siglongjmp(back, 1);
}

static void handle(int sig, void (*fn)(int), int flags)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = fn;
    sa.sa_flags = flags;
    sigaction(sig, &sa, NULL);
}

/* A handler that leaves a blocking call for good: siglongjmp. */
static void jump_out(int sig)
{
    (void)sig;
    siglongjmp(back, 1);
}

static void blocked_call_left_by_longjmp(void)
{
    struct itimerval it = {.it_value = {0, 20000}};

    handle(SIGALRM, jump_out, SA_ONSTACK);
    if (!sigsetjmp(back, 1)) {
        setitimer(ITIMER_REAL, &it, NULL);
        pause();
    }
}

/* A timer signal that arrives while the thread runs its own code. */
static int timer_lands_on_mine(int flags)
{
    struct itimerval it = {.it_value = {0, 20000}};

    handle(SIGALRM, note_where, flags);
    where = 0;
    setitimer(ITIMER_REAL, &it, NULL);
    while (!where)
        ;                                  /* no system calls: runs user code */
    return where == 1;
}

static const char *describe(void)
{
    static char buf[64];
    stack_t st;

    sigaltstack(NULL, &st);
    if (st.ss_flags & SS_DISABLE)
        return "none";
    snprintf(buf, sizeof(buf), "%s, %zu bytes, flags %d", st.ss_sp == mine ? "mine" : "another",
             st.ss_size, st.ss_flags);
    return buf;
}

static void *thread_view(void *arg)
{
    printf("new thread: altstack %s\n", describe());
    return arg;
}

int main(void)
{
    stack_t ss = {.ss_size = 1024}, bad = {.ss_size = SIZE, .ss_flags = 0x10};
    pthread_t t;

    mine = malloc(SIZE);
    printf("at start: %s\n", describe());
    ss.ss_sp = mine;
    printf("1 KiB: %s\n", sigaltstack(&ss, NULL) ? strerror(errno) : "accepted");
    bad.ss_sp = mine;
    printf("bad flags: %s\n", sigaltstack(&bad, NULL) ? strerror(errno) : "accepted");
    ss.ss_size = SIZE;
    printf("64 KiB: %s\n", sigaltstack(&ss, NULL) ? strerror(errno) : "accepted");
    printf("reads back: %s\n", describe());
    int landed = timer_lands_on_mine(SA_ONSTACK);
    printf("SA_ONSTACK timer handler on it: %d, sees SS_ONSTACK and EPERM: %d\n", landed,
           handler_eperm);
    printf("plain timer handler on it: %d\n", timer_lands_on_mine(0));
    handle(SIGSEGV, on_segv, SA_ONSTACK);
    if (!sigsetjmp(back, 1))
        *nowhere = 1;
    printf("SIGSEGV handler on it: %d\n", where == 1);
    blocked_call_left_by_longjmp();
    printf("after a handler left pause() by siglongjmp: %s\n", describe());
    printf("SA_ONSTACK timer handler still on it: %d\n", timer_lands_on_mine(SA_ONSTACK));
    pthread_create(&t, NULL, thread_view, NULL);
    pthread_join(t, NULL);
    ss.ss_flags = SS_DISABLE;
    printf("disable: %s\n", sigaltstack(&ss, NULL) ? strerror(errno) : "accepted");
    printf("reads back: %s\n", describe());
    return 0;
}
