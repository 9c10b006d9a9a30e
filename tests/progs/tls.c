/* tls: initialized and zero __thread variables, an over-aligned one and a
 * 64 KiB __thread array, checked in main and in 4 threads; each thread then
 * writes its own values and checks nobody else's changed.  The static build
 * exercises glibc finding PT_TLS through AT_PHDR.  Given a path to
 * libprogtls.so as argv[1] (dynamic build only), it also dlopens it and
 * checks its dynamic TLS in every thread. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#ifndef PROGS_STATIC
#include <dlfcn.h>
#endif

__thread int t_int = 42;
__thread long t_zero;
__thread double t_double = 2.5;
__thread char t_str[32] = "thread-local init";
__thread char t_big[64 << 10];
__thread int t_aligned __attribute__((aligned(64))) = 7;

static int (*lib_check)(int); /* from libprogtls.so, if loaded */

/* 1 when this thread's TLS has its initial image, then make it ours. */
static int check_and_claim(int id)
{
    int ok = t_int == 42 && t_zero == 0 && t_double == 2.5 &&
             strcmp(t_str, "thread-local init") == 0 && t_aligned == 7 &&
             ((unsigned long)&t_aligned % 64) == 0;
    for (size_t i = 0; i < sizeof t_big; i++)
        ok &= t_big[i] == 0;
    t_int = id;
    t_zero = id * 10L;
    memset(t_big, id, sizeof t_big);
    snprintf(t_str, sizeof t_str, "thread %d", id);
    if (lib_check)
        ok &= lib_check(id);
    return ok;
}

/* 1 when the values check_and_claim(id) wrote are still there. */
static int still_mine(int id)
{
    char want[32];
    int ok = t_int == id && t_zero == id * 10L;
    snprintf(want, sizeof want, "thread %d", id);
    ok &= strcmp(t_str, want) == 0;
    for (size_t i = 0; i < sizeof t_big; i += 4096)
        ok &= t_big[i] == (char)id;
    return ok;
}

static pthread_barrier_t all_claimed;

static void *thread_main(void *arg)
{
    int id = (int)(long)arg;
    int ok = check_and_claim(id);
    pthread_barrier_wait(&all_claimed); /* everyone has written theirs */
    ok &= still_mine(id);
    return (void *)(long)ok;
}

int main(int argc, char **argv)
{
#ifndef PROGS_STATIC
    if (argc > 1) {
        void *h = dlopen(argv[1], RTLD_NOW);
        *(void **)&lib_check = h ? dlsym(h, "progs_tls_check") : NULL;
        printf("dynamic tls library: %s\n", lib_check ? "loaded" : dlerror());
    }
#else
    (void)argc;
    (void)argv;
#endif
    int all = 1;
    int ok = check_and_claim(100);
    printf("tls main=%s\n", ok ? "ok" : "BAD");
    all &= ok;
    pthread_t t[4];
    pthread_barrier_init(&all_claimed, NULL, 4);
    for (long i = 0; i < 4; i++)
        pthread_create(&t[i], NULL, thread_main, (void *)(i + 1));
    for (int i = 0; i < 4; i++) {
        void *r;
        pthread_join(t[i], &r);
        printf("tls thread %d=%s\n", i + 1, r ? "ok" : "BAD");
        all &= r != NULL;
    }
    ok = still_mine(100);
    printf("tls main after threads=%s\n", ok ? "ok" : "BAD");
    all &= ok;
    printf("tls=%s\n", all ? "ok" : "BAD");
    return all ? 0 : 1;
}
