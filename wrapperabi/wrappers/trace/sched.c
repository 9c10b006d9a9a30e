/* sched.c — scheduling: policies, parameters, attributes, CPU affinity,
 * getcpu, I/O priorities (strace's sched.c, affinity.c, getcpu.c,
 * ioprio.c). */
#include "trace.h"
#include "xlat/ioprio_class.h"
#include "xlat/ioprio_who.h"
#include "xlat/sched_flags.h"
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

/* ---- sched_setattr, sched_getattr */
struct sched_attr_ {
    uint32_t size, policy;
    uint64_t flags;
    int32_t nice;
    uint32_t priority;
    uint64_t runtime, deadline, period;
    uint32_t util_min, util_max;
};
#define SCHED_ATTR_VER0_ 48u
#define SCHED_ATTR_VER1_ 56u
#define SCHED_FLAG_KEEP_POLICY_ 0x08u
#define SCHED_FLAG_KEEP_PARAMS_ 0x10u

/* The fields the size holds; on sched_setattr, policy and parameters only
 * when the flags do not say the kernel keeps them (strace's rules). */
static void put_sched_attr(struct tcb *t, const struct sched_attr_ *a, unsigned size, int set)
{
    tprintf(t, "{size=%u", a->size);
    if (size >= SCHED_ATTR_VER0_) {
        if (!set || (int)a->policy < 0 ||
            !(a->flags & (SCHED_FLAG_KEEP_POLICY_ | SCHED_FLAG_KEEP_PARAMS_))) {
            tprints(t, ", sched_policy=");
            print_policy(t, a->policy);
        }
        tprints(t, ", sched_flags=");
        printflags(t, xlat_sched_flags, a->flags, "SCHED_FLAG_???");
        if (!set || !(a->flags & SCHED_FLAG_KEEP_PARAMS_))
            tprintf(t, ", sched_nice=%d, sched_priority=%u, sched_runtime=%llu, "
                       "sched_deadline=%llu, sched_period=%llu", a->nice, a->priority,
                    (unsigned long long)a->runtime, (unsigned long long)a->deadline,
                    (unsigned long long)a->period);
        if (size >= SCHED_ATTR_VER1_)
            tprintf(t, ", sched_util_min=%u, sched_util_max=%u", a->util_min, a->util_max);
    }
}

static void print_sched_attr_in(struct tcb *t, unsigned long addr)
{
    struct sched_attr_ a;
    uint32_t usize;

    memset(&a, 0, sizeof(a));
    if (!umove_or_printaddr(t, addr, &usize))
        return;
    unsigned want = usize ? usize : SCHED_ATTR_VER0_;
    unsigned size = want < sizeof(a) ? want : (unsigned)sizeof(a);
    if (size >= SCHED_ATTR_VER0_ && !umoven_or_printaddr(t, addr, &a, size))
        return;
    a.size = usize;
    put_sched_attr(t, &a, size, 1);
    tprints(t, want > size ? ", ...}" : "}");
}

/* sched_setattr: on E2BIG the kernel writes the size it wants back into
 * the structure: " => {size=56}" on exit. */
SYS_FUNC(sched_setattr)
{
    uint32_t size;

    if (entering(t)) {
        tprintf(t, "%d, ", (int)t->arg[0]);
        print_sched_attr_in(t, (unsigned long)t->arg[1]);
        return 0;
    }
    if (t->ret == -E2BIG && umove(t, (unsigned long)t->arg[1], &size))
        tprintf(t, " => {size=%u}", size);
    tprintf(t, ", %u", (unsigned)t->arg[2]);
    return 0;
}

/* sched_getattr: as much of the structure as the kernel says it wrote. */
SYS_FUNC(sched_getattr)
{
    struct sched_attr_ a;
    unsigned long addr = (unsigned long)t->arg[1];
    unsigned usize = (unsigned)t->arg[2];

    if (entering(t)) {
        tprintf(t, "%d, ", (int)t->arg[0]);
        return 0;
    }
    memset(&a, 0, sizeof(a));
    unsigned size = usize < sizeof(a) ? usize : (unsigned)sizeof(a);
    if (!usize)
        printaddr(t, addr);
    else if (fetch_or_printaddr(t, addr, &a, size)) {
        put_sched_attr(t, &a, a.size, 0);      /* the fields of the size the kernel wrote */
        tprints(t, "}");
    }
    tprintf(t, ", %u, %u", usize, (unsigned)t->arg[3]);
    return 0;
}

/* ---- ioprio_get, ioprio_set */
#define IOPRIO_CLASS_SHIFT_ 13

/* IOPRIO_PRIO_VALUE(IOPRIO_CLASS_BE, 4); the class in the line's -X
 * style, as strace does (a comment inside the comment with -X verbose) */
static void put_ioprio(struct rs_buf *o, unsigned style, unsigned v)
{
    unsigned saved = o->style;

    rs_puts(o, "IOPRIO_PRIO_VALUE(");
    o->style = style;
    rs_put_xval(o, xlat_ioprio_class, v >> IOPRIO_CLASS_SHIFT_, "IOPRIO_CLASS_???");
    o->style = saved;
    rs_putf(o, ", %d)", (int)(v & ((1u << IOPRIO_CLASS_SHIFT_) - 1)));
}

static void print_ioprio_who(struct tcb *t)
{
    printxval(t, xlat_ioprio_who, (unsigned)t->arg[0], "IOPRIO_WHO_???");
    tprintf(t, ", %d", (int)t->arg[1]);
}

SYS_FUNC(ioprio_get)
{
    struct rs_buf o;

    if (entering(t)) {
        print_ioprio_who(t);
        return 0;
    }
    if (syserror(t) || (t->o->style & RS_XLAT_MASK) == RS_XLAT_RAW)
        return 0;
    rs_buf_init(&o, t->aux, sizeof(t->aux), 0);
    put_ioprio(&o, t->o->style, (unsigned)t->ret);
    t->rval |= RVAL_STR;
    return 0;
}

SYS_FUNC(ioprio_set)
{
    unsigned x = t->o->style & RS_XLAT_MASK;
    unsigned v = (unsigned)t->arg[2];

    print_ioprio_who(t);
    tprints(t, ", ");
    if (x != RS_XLAT_ABBREV)
        tprintf(t, "%d", (int)v);
    if (x == RS_XLAT_RAW)
        return RVAL_DECODED;
    if (x == RS_XLAT_VERBOSE)
        tprints(t, " /* ");
    put_ioprio(t->o, t->o->style, v);
    if (x == RS_XLAT_VERBOSE)
        tprints(t, " */");
    return RVAL_DECODED;
}
