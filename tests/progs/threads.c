/* threads.c — 8 threads summing disjoint ranges. */
#include <pthread.h>
#include <stdio.h>

#define N 8

static void *work(void *arg)
{
    long id = (long)arg, sum = 0;

    for (long i = id * 1000000; i < (id + 1) * 1000000; i++)
        sum += i % 7;
    return (void *)sum;
}

int main(void)
{
    pthread_t t[N];
    long total = 0;

    for (long i = 0; i < N; i++)
        if (pthread_create(&t[i], NULL, work, (void *)i))
            return 1;
    for (int i = 0; i < N; i++) {
        void *r;
        pthread_join(t[i], &r);
        total += (long)r;
    }
    printf("total=%ld\n", total);
    return 0;
}
