/* busy — a program to attach to (tests/t_attach.sh): THREADS threads
 * (the main one included) each make a getppid and a 20 ms nanosleep
 * ROUNDS times; then it prints how many getppid calls were made and
 * exits with status 3.  Started first, attached to while it runs.
 *
 *   busy THREADS ROUNDS */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static long rounds, made;

static void *work(void *arg)
{
    struct timespec d = {0, 20 * 1000 * 1000};

    (void)arg;
    for (long i = 0; i < rounds; i++) {
        syscall(SYS_getppid);
        __atomic_add_fetch(&made, 1, __ATOMIC_RELAXED);
        nanosleep(&d, NULL);
    }
    return NULL;
}

int main(int argc, char **argv)
{
    int n = argc == 3 ? atoi(argv[1]) : 0;
    pthread_t t[64];

    if (n < 1 || n > 64 || (rounds = atol(argv[2])) < 1) {
        fprintf(stderr, "usage: busy THREADS ROUNDS\n");
        return 2;
    }
    for (int i = 1; i < n; i++)
        if (pthread_create(&t[i], NULL, work, NULL))
            return 1;
    work(NULL);
    for (int i = 1; i < n; i++)
        pthread_join(t[i], NULL);
    printf("getppid %ld\n", made);
    return 3;
}
