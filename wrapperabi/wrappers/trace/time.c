/* time.c — time values (strace's time.c). */
#include "trace.h"

void print_timespec(struct tcb *t, unsigned long addr)
{
    long ts[2];

    if (umoven_or_printaddr(t, addr, ts, sizeof(ts)))
        tprintf(t, "{tv_sec=%ld, tv_nsec=%ld}", ts[0], ts[1]);
}
