/* process.c — process creation, exec and wait (strace's clone.c,
 * execve.c, wait.c) and futex. */
#include "exec.h"
#include "trace.h"
#include "xlat/clone_flags.h"
#include "xlat/futex_ops.h"

#define CLONE_PIDFD_ 0x1000UL
#define CLONE_SETTLS_ 0x80000UL
#define CLONE_PARENT_SETTID_ 0x100000UL
#define CLONE_CHILD_SETTID_CLEARTID_ 0x1200000UL

static void clone_flags_abbrev(struct tcb *t, unsigned long f)
{
    printflags(t, xlat_clone_flags, f & ~0xffUL, NULL);
    if (f & 0xff) {
        if (f & ~0xffUL)
            tprints(t, "|");
        print_signal(t, (long)(f & 0xff));
    }
}

static void print_clone_flags(struct tcb *t, unsigned long f)
{
    print_composite(t, f, clone_flags_abbrev);
}

SYS_FUNC(clone)
{
    unsigned long f = (unsigned long)t->arg[0];

    if (exiting(t))
        return 0;
    tprints(t, "child_stack=");
    printaddr(t, (unsigned long)t->arg[1]);
    tprints(t, ", flags=");
    if (f)
        print_clone_flags(t, f);
    else
        tprints(t, "0");
    if (f & CLONE_PARENT_SETTID_) {
        tprints(t, ", parent_tid=");
        printaddr(t, (unsigned long)t->arg[2]);
    }
    if (f & CLONE_SETTLS_)
        tprintf(t, ", tls=%#lx", t->arg[4]);
    if (f & CLONE_CHILD_SETTID_CLEARTID_) {
        tprints(t, ", child_tidptr=");
        printaddr(t, (unsigned long)t->arg[3]);
    }
    return RVAL_DECODED;
}

struct clone_args_ {
    uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls;
};

/* clone3: the structure on entry, what the kernel wrote into it on exit
 * ("=> {parent_tid=[N]}"). */
SYS_FUNC(clone3)
{
    struct clone_args_ a;
    unsigned long size = (unsigned long)t->arg[1];

    if (size < sizeof(a) || !umoven(t, (unsigned long)t->arg[0], &a, sizeof(a))) {
        if (entering(t)) {
            printaddr(t, (unsigned long)t->arg[0]);
            tprintf(t, ", %lu", size);
            return RVAL_DECODED;
        }
        return 0;
    }
    if (exiting(t)) {
        if (!syserror(t) && a.flags & CLONE_PARENT_SETTID_) {
            int tid;
            tprints(t, " => {parent_tid=");
            if (umoven(t, a.parent_tid, &tid, sizeof(tid)))
                tprintf(t, "[%d]", tid);
            else
                printaddr(t, a.parent_tid);
            tprints(t, "}");
        }
        tprintf(t, ", %lu", size);
        return 0;
    }
    tprints(t, "{flags=");
    printflags(t, xlat_clone_flags, a.flags, NULL);
    if (a.flags & CLONE_PIDFD_)
        tprintf(t, ", pidfd=%#llx", (unsigned long long)a.pidfd);
    if (a.flags & CLONE_CHILD_SETTID_CLEARTID_)
        tprintf(t, ", child_tid=%#llx", (unsigned long long)a.child_tid);
    if (a.flags & CLONE_PARENT_SETTID_)
        tprintf(t, ", parent_tid=%#llx", (unsigned long long)a.parent_tid);
    tprints(t, ", exit_signal=");
    print_signal(t, (long)a.exit_signal);
    tprintf(t, ", stack=%#llx, stack_size=%#llx", (unsigned long long)a.stack,
            (unsigned long long)a.stack_size);
    if (a.flags & CLONE_SETTLS_)
        tprintf(t, ", tls=%#llx", (unsigned long long)a.tls);
    tprints(t, "}");
    return 0;
}

/* A string of runsel's own environment (RUNSEL_...): as strace would not
 * see it, trace does not count or show it. */
static int runsel_string(struct tcb *t, unsigned long p)
{
    char v[7];

    return umoven(t, p, v, sizeof(v)) && exec_runsel_var(v, sizeof(v));
}

/* ["ls", "-l"]: at most strsize strings (all with -v) of at most strsize
 * bytes, then "..." (strace -s; -s 0 shows [...]); env: skip runsel's
 * variables. */
static void print_strings(struct tcb *t, unsigned long addr, int env)
{
    long shown = 0;

    if (!addr) {
        printaddr(t, addr);
        return;
    }
    tprints(t, "[");
    for (long i = 0;; i++) {
        long p;
        if (t->o->full)
            break;
        if (!umove(t, addr + (unsigned long)i * 8, &p)) {
            if (!i) {
                t->o->n--;              /* the "[" */
                printaddr(t, addr);
                return;
            }
            break;
        }
        if (!p)
            break;
        if (env && runsel_string(t, (unsigned long)p))
            continue;
        if (shown >= topt.strsize && !topt.verbose) {   /* -v: every element */
            tprints(t, shown ? ", ..." : "...");
            break;
        }
        if (shown++)
            tprints(t, ", ");
        printstr_max(t, (unsigned long)p, (size_t)topt.strsize);
    }
    tprints(t, "]");
}

void print_argv(struct tcb *t, unsigned long addr)
{
    print_strings(t, addr, 0);
}

/* Entries of a NULL-ended envp, runsel's own left out. */
static long count_env(struct tcb *t, unsigned long addr)
{
    long n = count_vec(t, addr), mine = 0;

    for (long i = 0; i < n; i++) {
        long p;
        if (umove(t, addr + (unsigned long)i * 8, &p) && runsel_string(t, (unsigned long)p))
            mine++;
    }
    return n - mine;
}

/* 0x7ffc... / * 12 vars * /, or with -v the strings. */
void print_envp(struct tcb *t, unsigned long addr)
{
    if (!addr) {
        printaddr(t, addr);
        return;
    }
    if (topt.verbose) {
        print_strings(t, addr, 1);
        return;
    }
    long n = count_env(t, addr);
    tprintf(t, "%#lx /* %ld var%s */", addr, n, n == 1 ? "" : "s");
}

void print_wait_status(struct tcb *t, int s)
{
    tprints(t, "{");
    if ((s & 0x7f) == 0) {
        tprintf(t, "WIFEXITED(s) && WEXITSTATUS(s) == %d", (s >> 8) & 0xff);
    } else if ((s & 0xff) == 0x7f) {
        tprints(t, "WIFSTOPPED(s) && WSTOPSIG(s) == ");
        print_signal(t, (s >> 8) & 0xff);
    } else if (s == 0xffff) {
        tprints(t, "WIFCONTINUED(s)");
    } else {
        tprints(t, "WIFSIGNALED(s) && WTERMSIG(s) == ");
        print_signal(t, s & 0x7f);
        if (s & 0x80)
            tprints(t, " && WCOREDUMP(s)");
    }
    tprints(t, "}");
}

enum { FUTEX_WAIT_ = 0, FUTEX_WAKE_ = 1, FUTEX_LOCK_PI_ = 6, FUTEX_UNLOCK_PI_ = 7,
       FUTEX_TRYLOCK_PI_ = 8, FUTEX_WAIT_BITSET_ = 9, FUTEX_WAKE_BITSET_ = 10,
       FUTEX_WAIT_REQUEUE_PI_ = 11, FUTEX_LOCK_PI2_ = 13 };
#define FUTEX_PRIVATE_ 128
#define FUTEX_CLOCK_REALTIME_ 256

static void print_bitset(struct tcb *t, unsigned v)
{
    if (v == 0xffffffffu)
        tprints(t, ", FUTEX_BITSET_MATCH_ANY");
    else
        tprintf(t, ", %#x", v);
}

/* FUTEX_WAIT_PRIVATE|FUTEX_CLOCK_REALTIME */
static void futex_op_abbrev(struct tcb *t, unsigned long op)
{
    printxval(t, xlat_futex_ops, op & 127, "FUTEX_???");
    if (op & FUTEX_PRIVATE_)
        tprints(t, "_PRIVATE");
    if (op & FUTEX_CLOCK_REALTIME_)
        tprints(t, "|FUTEX_CLOCK_REALTIME");
}

/* futex: the op, and the arguments that op uses. */
SYS_FUNC(futex)
{
    long op = t->arg[1], cmd = op & 127;

    if (exiting(t))
        return 0;
    printaddr(t, (unsigned long)t->arg[0]);
    tprints(t, ", ");
    print_composite(t, (unsigned long)(unsigned)op, futex_op_abbrev);
    tprintf(t, ", %d", (int)t->arg[2]);
    switch (cmd) {
    case FUTEX_WAKE_: case FUTEX_UNLOCK_PI_:
        break;
    case FUTEX_WAIT_: case FUTEX_LOCK_PI_: case FUTEX_TRYLOCK_PI_: case FUTEX_LOCK_PI2_:
        tprints(t, ", ");
        print_timespec(t, (unsigned long)t->arg[3]);
        break;
    case FUTEX_WAIT_BITSET_: case FUTEX_WAIT_REQUEUE_PI_:
        tprints(t, ", ");
        print_timespec(t, (unsigned long)t->arg[3]);
        print_bitset(t, (unsigned)t->arg[5]);
        break;
    case FUTEX_WAKE_BITSET_:
        print_bitset(t, (unsigned)t->arg[5]);
        break;
    default:
        tprintf(t, ", %#lx, %#lx, %#lx", t->arg[3], t->arg[4], t->arg[5]);
    }
    return RVAL_DECODED;
}
