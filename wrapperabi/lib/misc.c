/* misc.c — time, identity and a bounded lock-free arena. */
#include <time.h>
#include <runsel/wrapper.h>

uint64_t rs_now_ns(void)
{
    struct timespec ts;

    if (rs_syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &ts))
        return 0;
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

int rs_gettid(void)
{
    return (int)rs_syscall(SYS_gettid);
}

int rs_getpid(void)
{
    return (int)rs_syscall(SYS_getpid);
}

#define ARENA_SIZE (256 * 1024)
static char arena[ARENA_SIZE] __attribute__((aligned(16)));
static size_t arena_used;

void *rs_alloc(size_t size)
{
    size = (size + 15) & ~(size_t)15;
    size_t old = __atomic_fetch_add(&arena_used, size, __ATOMIC_RELAXED);
    if (old + size > ARENA_SIZE || old + size < old)
        return NULL;
    return arena + old;
}
