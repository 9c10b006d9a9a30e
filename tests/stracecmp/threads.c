/* threads — a corpus program of the strace comparison (tests/stracecmp):
 * three threads, started and joined one after the other so that every
 * run makes the same calls in the same order (no lock contention, no
 * race between the threads' writes), each writing one line to a file.
 * The main thread sleeps 50 ms before each join: the thread has exited
 * by then, so the join never waits in futex (whether it would is a race
 * otherwise, and the two runs compared would differ by that call). */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int out_fd;

static void *worker(void *arg)
{
    char line[32];
    int n = snprintf(line, sizeof(line), "thread %ld\n", (long)arg);

    if (write(out_fd, line, (size_t)n) != n)
        return (void *)1;
    return NULL;
}

int main(void)
{
    out_fd = open("threads.out", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (out_fd < 0)
        return 1;
    for (long i = 0; i < 3; i++) {
        struct timespec settle = { 0, 50 * 1000 * 1000 };
        pthread_t t;
        void *res;

        if (pthread_create(&t, NULL, worker, (void *)i) || nanosleep(&settle, NULL) ||
            pthread_join(t, &res) || res)
            return 1;
    }
    return close(out_fd) ? 1 : 0;
}
