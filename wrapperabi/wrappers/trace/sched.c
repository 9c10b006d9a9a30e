/* sched.c — scheduling: policies, parameters, CPU affinity, getcpu
 * (strace's sched.c, affinity.c, getcpu.c). */
#include "trace.h"
#include "xlat/schedulers.h"

static void print_policy(struct tcb *t, long p)
{
    printxval(t, xlat_schedulers, (unsigned)p, "SCHED_???");
}

/* [N]: an int in the program's memory (an address when unreadable, or on
 * exit from a failed call). */
static void print_int_out(struct tcb *t, unsigned long addr)
{
    int v;

    if (umove_out(t, addr, &v))
        tprintf(t, "[%d]", v);
}

SYS_FUNC(sched_getscheduler)
{
    if (entering(t)) {
        tprintf(t, "%d", (int)t->arg[0]);
        return 0;
    }
    const char *name = syserror(t) ? NULL : rs_xlat_name(xlat_schedulers, (uint64_t)t->ret);
    if (name) {
        rs_strlcpy(t->aux, name, sizeof(t->aux));
        t->rval |= RVAL_STR;
    }
    return 0;
}

SYS_FUNC(sched_setscheduler)
{
    tprintf(t, "%d, ", (int)t->arg[0]);
    print_policy(t, t->arg[1]);
    tprints(t, ", ");
    print_int_out(t, (unsigned long)t->arg[2]);
    return RVAL_DECODED;
}

SYS_FUNC(sched_getparam)
{
    if (entering(t)) {
        tprintf(t, "%d, ", (int)t->arg[0]);
        return 0;
    }
    print_int_out(t, (unsigned long)t->arg[1]);
    return 0;
}

SYS_FUNC(sched_setparam)
{
    tprintf(t, "%d, ", (int)t->arg[0]);
    print_int_out(t, (unsigned long)t->arg[1]);
    return RVAL_DECODED;
}

SYS_FUNC(sched_get_priority_max)
{
    print_policy(t, t->arg[0]);
    return RVAL_DECODED;
}

SYS_FUNC(sched_get_priority_min)
{
    print_policy(t, t->arg[0]);
    return RVAL_DECODED;
}

SYS_FUNC(sched_rr_get_interval)
{
    if (entering(t)) {
        tprintf(t, "%d, ", (int)t->arg[0]);
        return 0;
    }
    if (syserror(t))
        printaddr(t, (unsigned long)t->arg[1]);
    else
        print_timespec(t, (unsigned long)t->arg[1]);
    return 0;
}

/* A CPU mask of len bytes: [0 1] (the numbers of the set bits); "..."
 * after them when the mask is longer than the kernel's (strace reads at
 * most the kernel's size, found by asking for it). */
static unsigned kernel_cpuset_size(void)
{
    static unsigned size;

    if (!size) {
        unsigned s = 128;
        /* the kernel refuses a too small size with EINVAL before it
         * looks at the pointer: EFAULT means s is enough */
        while (s && rs_syscall(SYS_sched_getaffinity, 0, s, NULL) == -EINVAL)
            s <<= 1;
        size = s ? s : 128;
    }
    return size;
}

static void print_cpu_mask(struct tcb *t, unsigned long addr, unsigned long len)
{
    unsigned char m[1024];
    unsigned max = kernel_cpuset_size();
    size_t want = len < max ? (size_t)len : max;
    size_t size = (want + 7) & ~(size_t)7;
    int first = 1;

    if ((exiting(t) && syserror(t)) || !addr) {
        printaddr(t, addr);
        return;
    }
    if (!len) {
        tprints(t, "[]");
        return;
    }
    if (size > sizeof(m))
        size = want = sizeof(m);
    memset(m, 0, size);
    if (!umoven_or_printaddr(t, addr, m, want))
        return;
    tprints(t, "[");
    for (size_t i = 0; i < size * 8; i++)
        if (m[i / 8] >> (i % 8) & 1) {
            tprintf(t, first ? "%zu" : " %zu", i);
            first = 0;
        }
    if (size < len)
        tprints(t, first ? "..." : " ...");
    tprints(t, "]");
}

SYS_FUNC(sched_setaffinity)
{
    tprintf(t, "%d, %u, ", (int)t->arg[0], (unsigned)t->arg[1]);
    print_cpu_mask(t, (unsigned long)t->arg[2], (unsigned)t->arg[1]);
    return RVAL_DECODED;
}

/* sched_getaffinity: the mask on exit, as many bytes as the result says. */
SYS_FUNC(sched_getaffinity)
{
    if (entering(t)) {
        tprintf(t, "%d, %u, ", (int)t->arg[0], (unsigned)t->arg[1]);
        return 0;
    }
    print_cpu_mask(t, (unsigned long)t->arg[2], (unsigned long)t->ret);
    return 0;
}

static void print_unsigned_out(struct tcb *t, unsigned long addr)
{
    unsigned v;

    if (umove_out(t, addr, &v))
        tprintf(t, "[%u]", v);
}

/* getcpu([0], [0], NULL): the cpu and the node on exit; the cache
 * argument is unused by the kernel: its address. */
SYS_FUNC(getcpu)
{
    if (entering(t))
        return 0;
    print_unsigned_out(t, (unsigned long)t->arg[0]);
    tprints(t, ", ");
    print_unsigned_out(t, (unsigned long)t->arg[1]);
    tprints(t, ", ");
    printaddr(t, (unsigned long)t->arg[2]);
    return 0;
}
