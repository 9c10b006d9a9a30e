/* calls — time one system call in a loop: "calls getppid N" prints the
 * nanoseconds per call (median of 5 batches of N).  The clock is read
 * through the vDSO, which no backend intercepts. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static long now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000000L + ts.tv_nsec;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    long n = argc > 2 ? atol(argv[2]) : 100000, nr = SYS_getppid;
    double per[5];

    if (argc > 1 && !strcmp(argv[1], "getpid"))
        nr = SYS_getpid;
    for (int b = 0; b < 5; b++) {
        long t0 = now_ns();
        for (long i = 0; i < n; i++)
            syscall(nr);
        per[b] = (double)(now_ns() - t0) / (double)n;
    }
    qsort(per, 5, sizeof(per[0]), cmp);
    printf("%.1f\n", per[2]);
    return 0;
}
