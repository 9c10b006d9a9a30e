/* misc.c — time and a bounded lock-free arena (the program's pid and tid
 * are the host's to say: entry.c). */
#include <time.h>
#include <runsel/wrapper.h>

uint64_t rs_now_ns(void)
{
    struct timespec ts;

    if (rs_syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &ts))
        return 0;
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

#define ARENA_SIZE (256 * 1024)
static char arena[ARENA_SIZE] __attribute__((aligned(16)));
static size_t arena_used;

/* A request that does not fit takes nothing (the next smaller one may
 * still fit), and a size near SIZE_MAX is refused before it is rounded
 * up (it would wrap to 0). */
void *rs_alloc(size_t size)
{
    size_t old = __atomic_load_n(&arena_used, __ATOMIC_RELAXED);

    if (size > ARENA_SIZE)
        return NULL;
    size = (size + 15) & ~(size_t)15;
    do {
        if (size > ARENA_SIZE - old)
            return NULL;
    } while (!__atomic_compare_exchange_n(&arena_used, &old, old + size, 1, __ATOMIC_RELAXED,
                                          __ATOMIC_RELAXED));
    return arena + old;
}
