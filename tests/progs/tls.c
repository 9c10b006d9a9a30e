/* tls.c — many thread-local variables, initialized and zero, a 64 KiB
 * thread-local array, checked in main and in 4 threads. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

static __thread int counter = 7;
static __thread char name[32] = "tls-init";
static __thread long zero[16];
static __thread char big[64 << 10];

static void *check(void *arg)
{
    long id = (long)arg, bad = 0;

    bad |= counter != 7 || strcmp(name, "tls-init") != 0;
    for (int i = 0; i < 16; i++)
        bad |= zero[i] != 0;
    for (size_t i = 0; i < sizeof(big); i++)
        bad |= big[i] != 0;
    memset(big, (int)id, sizeof(big));
    counter += (int)id;
    return (void *)bad;
}

int main(void)
{
    pthread_t t[4];
    long bad = (long)check((void *)0);

    for (long i = 0; i < 4; i++)
        pthread_create(&t[i], NULL, check, (void *)(i + 1));
    for (int i = 0; i < 4; i++) {
        void *r;
        pthread_join(t[i], &r);
        bad |= (long)r;
    }
    printf("tls=%s counter=%d\n", bad ? "BROKEN" : "ok", counter);
    return (int)bad;
}
