/* signal.c — signals by name, signal sets, and the calls that set
 * actions, masks and alternate stacks, send signals and wait for them
 * (strace's signal.c, sigaltstack.c, signalfd.c, print_sigevent.c).  The
 * siginfo structure these calls pass is siginfo.c's.
 *
 * The old action printed is what the program would read natively: runsel
 * gives every handler its own restorer (SUD needs rt_sigreturn to come
 * from its gate), takes SIGSYS and SIGTRAP out of sa_mask and keeps
 * SIGSYS's action virtual, but initmod/signals.c hands the program back
 * its own restorer, mask bits and action before this reads them.  Not so
 * a thread's blocked mask: runsel's signals cannot be blocked under it,
 * so an old set read back lacks them when the program had blocked them. */
#include "trace.h"
#include "xlat/sa_handler_values.h"
#include "xlat/sfd_flags.h"
#include "xlat/sigact_flags.h"
#include "xlat/sigaltstack_flags.h"
#include "xlat/sigev_notify.h"
#include "xlat/signals.h"
#include "xlat/sigprocmask_how.h"

#define SIGRTMIN_KERNEL 32    /* strace names the kernel's 32 SIGRTMIN, then SIGRT_1 ... */
#define NSIG_KERNEL 64
#define NSIG_BYTES 8          /* the kernel's sigset_t */
#define SA_RESTORER_ 0x04000000UL

static unsigned xlat_style(const struct rs_buf *o)
{
    return o->style & RS_XLAT_MASK;
}

/* "SIGUSR1", "SIGRTMIN", "SIGRT_2" into name; 0 when sig has no name. */
static int signal_name(long sig, char name[16])
{
    const char *known = sig > 0 && sig < SIGRTMIN_KERNEL ? rs_xlat_name(xlat_signals, (uint64_t)sig)
                                                          : NULL;

    if (known)
        rs_strlcpy(name, known, 16);
    else if (sig == SIGRTMIN_KERNEL)
        rs_strlcpy(name, "SIGRTMIN", 16);
    else if (sig > SIGRTMIN_KERNEL && sig <= NSIG_KERNEL)
        rs_snprintf(name, 16, "SIGRT_%ld", sig - SIGRTMIN_KERNEL);
    else
        return 0;
    return 1;
}

/* An argument: SIGINT (-X raw: 2, -X verbose: 2 / * SIGINT * /), or its number. */
void print_signal(struct tcb *t, long sig)
{
    char name[16];
    int known = signal_name((int)sig, name);
    unsigned x = xlat_style(t->o);

    if (!known || x == RS_XLAT_RAW)
        tprintf(t, "%d", (int)sig);
    else if (x == RS_XLAT_VERBOSE)
        tprintf(t, "%d /* %s */", (int)sig, name);
    else
        tprints(t, name);
}

/* Inside a set: INT, RTMIN, RT_2 (raw: 2, verbose: 2 / * INT * /). */
void print_signal_bare(struct rs_buf *o, long sig)
{
    char name[16];
    int known = signal_name(sig, name);
    unsigned x = xlat_style(o);

    if (x != RS_XLAT_ABBREV || !known)
        rs_putf(o, "%ld", sig);
    if (known && x == RS_XLAT_VERBOSE)
        rs_putf(o, " /* %s */", name + 3);
    else if (known && x == RS_XLAT_ABBREV)
        rs_puts(o, name + 3);
}

/* [CHLD INT] of a set of bytes bytes (1 to 8), or ~[...] with the unset
 * ones when two thirds or more of its 32-bit words' bits are set. */
void print_sigmask(struct rs_buf *o, uint64_t m, unsigned bytes)
{
    unsigned bits = (bytes + 3) / 4 * 32, first = 1;

    if (bits > NSIG_KERNEL)
        bits = NSIG_KERNEL;
    if (bits < 64)
        m &= (1ULL << bits) - 1;
    if ((unsigned)__builtin_popcountll(m) >= bits * 2 / 3) {
        rs_putc(o, '~');
        m = ~m;
        if (bits < 64)
            m &= (1ULL << bits) - 1;
    }
    rs_putc(o, '[');
    for (unsigned i = 0; i < bits; i++)
        if (m >> i & 1) {
            if (!first)
                rs_putc(o, ' ');
            first = 0;
            print_signal_bare(o, (long)i + 1);
        }
    rs_putc(o, ']');
}

/* A set of size bytes: strace reads min..8 bytes, else shows the address. */
static void print_sigset_min(struct tcb *t, unsigned long addr, unsigned long size, unsigned long min)
{
    uint64_t m = 0;

    if (size < min || size > NSIG_BYTES) {
        printaddr(t, addr);
        return;
    }
    if (fetch_or_printaddr(t, addr, &m, size))
        print_sigmask(t->o, m, (unsigned)size);
}

void print_sigset(struct tcb *t, unsigned long addr, unsigned long size)
{
    print_sigset_min(t, addr, size, NSIG_BYTES);
}

/* ---- rt_sigaction: the kernel's struct sigaction */
struct ksigaction_ {
    unsigned long handler, flags, restorer;
    uint64_t mask;
};

static void print_sa_handler(struct tcb *t, unsigned long h)
{
    if (rs_xlat_name(xlat_sa_handler_values, h))
        rs_put_xval_hex(t->o, xlat_sa_handler_values, h);
    else
        printaddr(t, h);
}

static void print_sigaction(struct tcb *t, unsigned long addr)
{
    struct ksigaction_ sa;

    if (!fetch_or_printaddr(t, addr, &sa, sizeof(sa)))
        return;
    tprints(t, "{sa_handler=");
    print_sa_handler(t, sa.handler);
    tprints(t, ", sa_mask=");
    print_sigmask(t->o, sa.mask, NSIG_BYTES);
    tprints(t, ", sa_flags=");
    printflags(t, xlat_sigact_flags, sa.flags, "SA_???");
    if (sa.flags & SA_RESTORER_) {
        tprints(t, ", sa_restorer=");
        printaddr(t, sa.restorer);
    }
    tprints(t, "}");
}

/* The new action on entry, the old one on exit. */
SYS_FUNC(rt_sigaction)
{
    if (entering(t)) {
        print_signal(t, t->arg[0]);
        tprints(t, ", ");
        print_sigaction(t, (unsigned long)t->arg[1]);
        tprints(t, ", ");
        return 0;
    }
    print_sigaction(t, (unsigned long)t->arg[2]);
    tprintf(t, ", %lu", (unsigned long)t->arg[3]);
    return 0;
}

/* The new set on entry, the old one on exit (the size is the fourth). */
SYS_FUNC(rt_sigprocmask)
{
    unsigned long size = (unsigned long)t->arg[3];

    if (entering(t)) {
        printxval(t, xlat_sigprocmask_how, (unsigned)t->arg[0], "SIG_???");
        tprints(t, ", ");
        print_sigset(t, (unsigned long)t->arg[1], size);
        tprints(t, ", ");
        return 0;
    }
    print_sigset(t, (unsigned long)t->arg[2], size);
    tprintf(t, ", %lu", size);
    return 0;
}

/* The pending set on exit; the kernel takes any size up to its own. */
SYS_FUNC(rt_sigpending)
{
    if (entering(t))
        return 0;
    print_sigset_min(t, (unsigned long)t->arg[0], (unsigned long)t->arg[1], 1);
    tprintf(t, ", %lu", (unsigned long)t->arg[1]);
    return 0;
}

/* ---- sigaltstack */
struct kstack_ {
    unsigned long sp;
    int flags;
    unsigned long size;
};

static void print_stack(struct tcb *t, unsigned long addr)
{
    struct kstack_ ss;

    if (!fetch_or_printaddr(t, addr, &ss, sizeof(ss)))
        return;
    tprints(t, "{ss_sp=");
    printaddr(t, ss.sp);
    tprints(t, ", ss_flags=");
    printflags(t, xlat_sigaltstack_flags, (unsigned)ss.flags, "SS_???");
    tprintf(t, ", ss_size=%lu}", ss.size);
}

SYS_FUNC(sigaltstack)
{
    if (entering(t)) {
        print_stack(t, (unsigned long)t->arg[0]);
        tprints(t, ", ");
        return 0;
    }
    print_stack(t, (unsigned long)t->arg[1]);
    return 0;
}

/* ---- sending */
SYS_FUNC(rt_sigqueueinfo)
{
    tprintf(t, "%d, ", (int)t->arg[0]);
    print_signal(t, t->arg[1]);
    tprints(t, ", ");
    print_siginfo_at(t, (unsigned long)t->arg[2]);
    return RVAL_DECODED;
}

SYS_FUNC(rt_tgsigqueueinfo)
{
    tprintf(t, "%d, %d, ", (int)t->arg[0], (int)t->arg[1]);
    print_signal(t, t->arg[2]);
    tprints(t, ", ");
    print_siginfo_at(t, (unsigned long)t->arg[3]);
    return RVAL_DECODED;
}

SYS_FUNC(pidfd_send_signal)
{
    printfd(t, t->arg[0]);
    tprints(t, ", ");
    print_signal(t, t->arg[1]);
    tprints(t, ", ");
    print_siginfo_at(t, (unsigned long)t->arg[2]);
    tprintf(t, ", %#x", (unsigned)t->arg[3]);
    return RVAL_DECODED;
}

/* ---- waiting: rt_sigtimedwait's siginfo is written by the kernel, so
 * everything after the set prints on exit, with the timeout as it was
 * on entry (kept in t->aux in between, as strace keeps it). */
static void keep_timeout(struct tcb *t, unsigned long addr)
{
    struct rs_buf keep, *line = t->o;

    rs_buf_init(&keep, t->aux, sizeof(t->aux), line->style);
    t->o = &keep;
    print_timespec(t, addr);
    t->o = line;
}

SYS_FUNC(rt_sigtimedwait)
{
    unsigned long info = (unsigned long)t->arg[1];
    char name[16];

    if (entering(t)) {
        print_sigset(t, (unsigned long)t->arg[0], (unsigned long)t->arg[3]);
        tprints(t, ", ");
        if (info) {
            keep_timeout(t, (unsigned long)t->arg[2]);
            return 0;
        }
        printaddr(t, info);
        tprints(t, ", ");
        print_timespec(t, (unsigned long)t->arg[2]);
        tprintf(t, ", %lu", (unsigned long)t->arg[3]);
        return 0;
    }
    if (info) {
        print_siginfo_at(t, info);
        tprintf(t, ", %s, %lu", t->aux, (unsigned long)t->arg[3]);
    }
    if (!syserror(t) && t->ret && signal_name(t->ret, name)) {
        rs_strlcpy(t->aux, name, sizeof(t->aux));
        t->rval |= RVAL_STR;
    }
    return 0;
}

/* ---- signalfd */
SYS_FUNC(signalfd4)
{
    printfd(t, t->arg[0]);
    tprints(t, ", ");
    print_sigset(t, (unsigned long)t->arg[1], (unsigned long)t->arg[2]);
    tprintf(t, ", %lu, ", (unsigned long)t->arg[2]);
    printflags(t, xlat_sfd_flags, (unsigned)t->arg[3], "SFD_???");
    return RVAL_DECODED | RVAL_FD;
}

/* ---- struct sigevent (timer_create, mq_notify) */
struct ksigevent_ {
    unsigned long value;          /* sival_int in its low half */
    int signo, notify;
    union {
        int tid;
        struct {
            unsigned long function, attributes;
        } thread;
        char pad[48];
    } un;
};
enum { SIGEV_SIGNAL_ = 0, SIGEV_THREAD_ = 2, SIGEV_THREAD_ID_ = 4 };

void print_sigevent(struct tcb *t, unsigned long addr)
{
    struct ksigevent_ ev;

    if (!fetch_or_printaddr(t, addr, &ev, sizeof(ev)))
        return;
    tprints(t, "{");
    if (ev.value)
        tprintf(t, "sigev_value={sival_int=%d, sival_ptr=%#lx}, ", (int)ev.value, ev.value);
    tprints(t, "sigev_signo=");
    if (ev.notify == SIGEV_SIGNAL_ || ev.notify == SIGEV_THREAD_ || ev.notify == SIGEV_THREAD_ID_)
        print_signal(t, ev.signo);
    else
        tprintf(t, "%u", (unsigned)ev.signo);
    tprints(t, ", sigev_notify=");
    printxval(t, xlat_sigev_notify, (unsigned)ev.notify, "SIGEV_???");
    if (ev.notify == SIGEV_THREAD_ID_) {
        tprintf(t, ", sigev_notify_thread_id=%d", ev.un.tid);
    } else if (ev.notify == SIGEV_THREAD_) {
        tprints(t, ", sigev_notify_function=");
        printaddr(t, ev.un.thread.function);
        tprints(t, ", sigev_notify_attributes=");
        printaddr(t, ev.un.thread.attributes);
    }
    tprints(t, "}");
}
