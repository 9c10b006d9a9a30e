/* signals.c — keep SIGSYS working for runsel while the program sees its
 * own signal world.
 *
 * With SUD every intercepted call is a SIGSYS; if the program blocked it
 * (masks, sa_mask of its handlers, sigsuspend/ppoll/pselect/epoll_pwait
 * masks) the kernel would kill it at the next call, and if it installed a
 * SIGSYS handler, ours would be gone.  So SIGSYS is removed from every mask
 * the program sets, and its SIGSYS action is kept virtual: it reads back
 * what it set, and a SIGSYS that is not runsel's (seccomp RET_TRAP, kill)
 * is delivered to it.  Every handler the program installs returns through
 * runsel's restorer, because SUD needs rt_sigreturn to come from the gate;
 * the program reads back its own restorer, and the SIGSYS and SIGTRAP
 * bits of the sa_mask it gave.  (The mask a thread blocks is not kept:
 * rt_sigprocmask's old set lacks runsel's signals when the program had
 * blocked them.)
 *
 * While a wrapper of the stack watches signals (ABI 1.3 signal hook), the
 * kernel runs runsel's entry (sigentry.S) in place of each handler of the
 * program's, which tells the wrappers and jumps to the handler; a signal
 * whose default action kills gets runsel's catcher, which tells them and
 * dies of it by the default action (the program reads back the actions it
 * set).  The handlers then return through a restorer whose rt_sigreturn
 * the backend stops, so the wrappers see it too.  Only the process that
 * owns the memory keeps those tables: a child sharing it with a signal
 * table of its own (posix_spawn's CLONE_VM|CLONE_VFORK) installs what it
 * asks as it is, and execs next.
 *
 * The program's pointers are read with rs_copy_in and written only where
 * the kernel has just written (so they are writable): a bad one fails
 * with EFAULT, as natively, instead of faulting in runsel.
 *
 * SIGTRAP is kept the same way while the fast path is on (fastpath.c): a
 * thread that reaches the int3 of a site being patched must find runsel's
 * handler, and a SIGTRAP the kernel forces while it is blocked would reset
 * the action to the default and kill the process.  The program's own
 * SIGTRAPs (raise, its own int3) go to the action it set. */
#define _GNU_SOURCE
#include <signal.h>
#include <sys/ucontext.h>
#include "im.h"
#include "sigdefault.h"
#include "fastpath.h"

struct ksigaction {
    unsigned long handler, flags, restorer;
    uint64_t mask;
};
#define KSA_RESTORER 0x04000000UL
#define KSA_SIGINFO  0x00000004UL
#define KSA_ONSTACK  0x08000000UL
#define KSA_NODEFER  0x40000000UL
#define KSA_RESETHAND 0x80000000UL
#define SIGBIT(s)    (1ULL << ((s) - 1))
#define PR_SET_SYSCALL_USER_DISPATCH_ 59
#define KSIG_DFL 0UL
#define KSIG_IGN 1UL

static struct ksigaction prog_virtual[2];   /* the program's SIGSYS and SIGTRAP actions */
/* Watching signals: the action the program set where runsel's entry or
 * catcher stands in for it in the kernel (zero: the default it started
 * with). */
static int watching;                        /* a wrapper has a signal hook */
static int sigreturn_seen;                  /* handlers return through rs_restorer_seen */
static struct ksigaction prog_act[65];
static unsigned long prog_restorer[65];    /* the restorer it gave, per signal */
static uint64_t prog_gave_restorer;        /* bit sig-1: it set SA_RESTORER */
/* Per signal, the bits of runsel's signals in the sa_mask the program gave
 * (taken out of what the kernel holds, given back when it reads it). */
#define KEPT_BITS (SIGBIT(SIGSYS) | SIGBIT(SIGTRAP))
static uint64_t prog_kept_mask[65];

/* Only a backend that delivers calls as SIGSYS needs it kept; SIGTRAP
 * while the fast path is on. */
static int is_ours(int sig)
{
    if (sig == SIGSYS)
        return im.backend && im.backend->uses_sigsys;
    return sig == SIGTRAP && fp.on;
}

static struct ksigaction *virtual_action(int sig)
{
    return &prog_virtual[sig == SIGTRAP];
}

uint64_t im_own_signals(void)
{
    return (is_ours(SIGSYS) ? SIGBIT(SIGSYS) : 0) | (is_ours(SIGTRAP) ? SIGBIT(SIGTRAP) : 0);
}

/* SA_ONSTACK: the frame goes on the thread's alternate stack — runsel's
 * own, or the program's, which sud.c leaves at once (see there) — never on
 * the stack the program was running on, which may be a goroutine's 2 KiB.
 * The program's action until then (inherited from exec: ignored or
 * default) is what it reads back. */
int im_install_signal(int sig, void (*handler)(int, void *, void *))
{
    struct ksigaction ka = {
        .handler = (unsigned long)handler,
        .flags = KSA_SIGINFO | KSA_NODEFER | KSA_RESTORER | KSA_ONSTACK,
        .restorer = (unsigned long)rs_restorer,
    };
    struct ksigaction old;
    uint64_t unblock = SIGBIT(sig);
    long r = im_sys(SYS_rt_sigaction, sig, &ka, &old, sizeof(ka.mask));

    if (r)
        return (int)r;
    if (old.handler == ka.handler)
        return 0;                    /* installed before: SUD arms every thread */
    *virtual_action(sig) = old;
    /* A mask inherited across exec must not hold it back.  Threads made
     * later inherit masks runsel has already taken its signals out of. */
    im_sys(SYS_rt_sigprocmask, SIG_UNBLOCK, &unblock, 0, sizeof(unblock));
    return 0;
}

/* As the kernel: the new action is taken, then the old one written, or
 * EFAULT.  The kernel writes runsel's action to oact first: that checks
 * oact is writable before the program's is put there. */
static long virtual_sigaction(int sig, const struct ksigaction *act, struct ksigaction *oact)
{
    struct ksigaction *v = virtual_action(sig), old = *v;

    /* A child in its parent's memory with a signal table of its own
     * (posix_spawn's CLONE_VM|CLONE_VFORK): its action must not become its
     * parent's.  It execs next, where the kernel resets the action anyway. */
    if (act && im_sys(SYS_getpid) == im.owner_pid) {
        *v = *act;
        v->mask &= ~im_own_signals();
    }
    if (oact) {
        long r = im_sys(SYS_rt_sigaction, sig, 0, oact, sizeof(uint64_t));
        if (r)
            return r;
        *oact = old;
    }
    return 0;
}

static int is_function(unsigned long handler)
{
    return handler != KSIG_DFL && handler != KSIG_IGN;
}

static int is_our_restorer(unsigned long r)
{
    return r == (unsigned long)rs_restorer || r == (unsigned long)rs_restorer_seen;
}

static void fatal_catcher(int sig, void *si, void *uc);

/* Signals whose default action ends the process (signal(7): Term and
 * Core), which a watching wrapper sees through runsel's catcher; not
 * SIGKILL and SIGSTOP (no handler), nor runsel's own. */
static int kills_by_default(int sig)
{
    return sig < 32 && (RS_SIGS_KILL_BY_DEFAULT & SIGBIT(sig)) && !is_ours(sig);
}

/* Does this process keep the watch tables (see the top)? */
static int watches_here(void)
{
    return watching && im_sys(SYS_getpid) == __atomic_load_n(&im.owner_pid, __ATOMIC_RELAXED);
}

/* The action as the kernel stores it, and gives it back: no SIGKILL or
 * SIGSTOP in the mask, flags it does not know cleared (Linux >= 5.11). */
#define KSA_NOCLDSTOP 0x1UL
#define KSA_NOCLDWAIT 0x2UL
#define KSA_RESTART 0x10000000UL
#define UAPI_FLAGS (KSA_NOCLDSTOP | KSA_NOCLDWAIT | KSA_SIGINFO | KSA_ONSTACK | KSA_RESTART | \
                    KSA_NODEFER | KSA_RESETHAND | KSA_RESTORER)

static struct ksigaction as_kernel_keeps(const struct ksigaction *act)
{
    struct ksigaction k = *act;

    k.mask &= ~(SIGBIT(SIGKILL) | SIGBIT(SIGSTOP));
    k.flags &= UAPI_FLAGS;
    return k;
}

/* What the kernel is given for the program's action act. */
static struct ksigaction kernel_action(int sig, const struct ksigaction *act, int watch)
{
    struct ksigaction k = *act;

    k.mask &= ~im_own_signals();
    if (is_function(k.handler)) {
        k.flags |= KSA_RESTORER;
        k.restorer = (unsigned long)(sigreturn_seen ? rs_restorer_seen : rs_restorer);
        if (watch) {
            k.handler = (unsigned long)im_sig_tramp;
            k.flags |= KSA_SIGINFO;     /* the frame's siginfo is filled in only then */
        }
    } else if (watch && k.handler == KSIG_DFL && kills_by_default(sig)) {
        k.handler = (unsigned long)fatal_catcher;
        k.flags = KSA_SIGINFO | KSA_RESTORER | KSA_ONSTACK;
        k.restorer = (unsigned long)rs_restorer;
    }
    return k;
}

/* The old action as the program set it, where the kernel holds runsel's
 * entry or catcher for it (view: the program's action before this call). */
static void program_view(struct ksigaction *oact, const struct ksigaction *view)
{
    if (oact->handler == (unsigned long)im_sig_tramp ||
        oact->handler == (unsigned long)fatal_catcher)
        *oact = *view;
    else if (watching && is_our_restorer(oact->restorer) && !(view->flags & KSA_SIGINFO))
        oact->flags &= ~KSA_SIGINFO;    /* SA_RESETHAND left runsel's flags behind */
}

static long real_sigaction(int sig, const struct ksigaction *act, struct ksigaction *oact)
{
    struct ksigaction mine, view = prog_act[sig];
    unsigned long old_restorer;
    int old_gave, watch = watches_here();
    long r;

    if (act) {
        mine = kernel_action(sig, act, watch);
        if (watch)
            prog_act[sig] = as_kernel_keeps(act);   /* before the kernel's: a signal
                                                     * meanwhile finds it */
    }
    old_restorer = prog_restorer[sig];
    old_gave = (prog_gave_restorer >> (sig - 1)) & 1;
    if (act) {
        prog_restorer[sig] = (act->flags & KSA_RESTORER) ? act->restorer : 0;
        if (act->flags & KSA_RESTORER)
            __atomic_or_fetch(&prog_gave_restorer, 1ULL << (sig - 1), __ATOMIC_RELAXED);
        else
            __atomic_and_fetch(&prog_gave_restorer, ~(1ULL << (sig - 1)), __ATOMIC_RELAXED);
    }
    r = im_sys(SYS_rt_sigaction, sig, act ? &mine : NULL, oact, sizeof(uint64_t));
    if (r && act && watch)
        prog_act[sig] = view;
    if (r == 0 && oact) {
        program_view(oact, &view);
        if (is_our_restorer(oact->restorer)) {
            oact->restorer = old_restorer;
            if (!old_gave)
                oact->flags &= ~KSA_RESTORER;
        }
    }
    return r;
}

static long sigaction_call(struct rs_call *c)
{
    int sig = (int)c->arg[0];
    struct ksigaction act, *oact = (void *)c->arg[2];
    const void *uact = (const void *)c->arg[1];
    uint64_t kept;
    long r;

    if (c->arg[3] != sizeof(uint64_t) || sig < 1 || sig > 64)
        return rs_gate_call(c->nr, c->arg[0], c->arg[1], c->arg[2], c->arg[3], 0, 0, c);
    if (uact && rs_copy_in(&act, uact, sizeof(act)) != (long)sizeof(act))
        return -EFAULT;
    kept = __atomic_load_n(&prog_kept_mask[sig], __ATOMIC_RELAXED);
    if (is_ours(sig))
        r = virtual_sigaction(sig, uact ? &act : NULL, oact);
    else
        r = real_sigaction(sig, uact ? &act : NULL, oact);
    if (r == 0 && oact)
        oact->mask |= kept;
    /* taken, also when only the old action could not be written */
    if (uact && (r == 0 || r == -EFAULT))
        __atomic_store_n(&prog_kept_mask[sig], act.mask & KEPT_BITS, __ATOMIC_RELAXED);
    return r;
}

/* Run the call with runsel's signals taken out of the mask argument at
 * index i (a pointer to a 64-bit mask), copying it so the program's memory
 * is not changed. */
static long without_own_signals(struct rs_call *c, int i)
{
    uint64_t mask, own = im_own_signals();
    long a[6];

    for (int k = 0; k < 6; k++)
        a[k] = c->arg[k];
    /* unreadable: the kernel's own EFAULT */
    if (own && a[i] && rs_copy_in(&mask, (const void *)a[i], sizeof(mask)) == (long)sizeof(mask) &&
        (mask & own)) {
        mask &= ~own;
        a[i] = (long)&mask;
    }
    return rs_gate_call(c->nr, a[0], a[1], a[2], a[3], a[4], a[5], c);
}

/* rt_sigprocmask where the backend has no way of its own (the module):
 * the kernel's call with runsel's signals out of the new set, and the
 * program's view of them kept (im_sigstack_masked) and put back into the
 * old set it reads. */
static long sigprocmask_call(struct rs_call *c)
{
    uint64_t own = im_own_signals(), view = own ? im_sigstack_masked() : 0, set = 0, mask, old;
    int has_set = c->arg[1] && rs_copy_in(&set, (const void *)c->arg[1], sizeof(set)) == (long)sizeof(set);
    long a1 = c->arg[1];

    if (has_set && (set & own) && c->arg[0] != SIG_UNBLOCK) {
        mask = set & ~own;
        a1 = (long)&mask;
    }
    long r = rs_gate_call(SYS_rt_sigprocmask, c->arg[0], a1, c->arg[2], c->arg[3], 0, 0, c);
    if (r || !own)
        return r;
    if (c->arg[2] && view && rs_copy_in(&old, (const void *)c->arg[2], sizeof(old)) == (long)sizeof(old)) {
        old |= view;
        rs_copy_out((void *)c->arg[2], &old, sizeof(old));
    }
    if (has_set) {
        uint64_t next = c->arg[0] == SIG_BLOCK ? view | (set & own)
                      : c->arg[0] == SIG_UNBLOCK ? view & ~set : set & own;
        if (next != view)
            im_sigstack_set_masked(next);
    }
    return r;
}

/* pselect6's sixth argument: {const sigset_t *ss; size_t ss_len}.  What
 * cannot be read goes to the kernel as it is (its EFAULT). */
static long pselect_call(struct rs_call *c)
{
    uint64_t own = im_own_signals(), mask;
    long data[2];

    int readable = own && c->arg[5] &&
                   rs_copy_in(data, (const void *)c->arg[5], sizeof(data)) == (long)sizeof(data) &&
                   data[0] && rs_copy_in(&mask, (const void *)data[0], sizeof(mask)) == (long)sizeof(mask);

    if (!readable || !(mask & own))
        return rs_gate_call(c->nr, c->arg[0], c->arg[1], c->arg[2], c->arg[3], c->arg[4], c->arg[5], c);
    mask &= ~own;
    data[0] = (long)&mask;
    return rs_gate_call(c->nr, c->arg[0], c->arg[1], c->arg[2], c->arg[3], c->arg[4], (long)data, c);
}

long im_sigcall(struct rs_call *c)
{
    switch (c->nr) {
    case SYS_rt_sigaction:
        return sigaction_call(c);
    case SYS_rt_sigprocmask:
        if (c->backend && im.backend && im.backend->sigprocmask)
            return im.backend->sigprocmask(c);
        return sigprocmask_call(c);
    case SYS_sigaltstack:
        if (c->backend && im.backend && im.backend->sigaltstack)
            return im.backend->sigaltstack(c);
        break;
    case SYS_rt_sigsuspend:
        return without_own_signals(c, 0);
    case SYS_ppoll:
        return without_own_signals(c, 3);
    case SYS_epoll_pwait:
    case SYS_epoll_pwait2:
        return without_own_signals(c, 4);
    case SYS_pselect6:
        return pselect_call(c);
    case SYS_rt_sigreturn:
        if (c->backend && im.backend && im.backend->sigreturn) {
            im.backend->sigreturn(c);
            return c->ret;
        }
        break;
    case SYS_prctl:
        if (c->arg[0] == PR_SET_SYSCALL_USER_DISPATCH_)
            return -EBUSY;               /* runsel's: the program may not turn it off */
        break;
    }
    return rs_gate_call(c->nr, c->arg[0], c->arg[1], c->arg[2], c->arg[3], c->arg[4], c->arg[5], c);
}

static void tell_wrappers(int sig, void *si, void *uc, int fatal);

/* A SIGSYS or SIGTRAP runsel did not cause: what the program's action
 * says (its default: die with a core, as natively). */
int im_forward_signal(int sig, void *si, void *uc)
{
    struct ksigaction *v = virtual_action(sig), act = *v;

    if (act.handler == KSIG_IGN)
        return 1;
    if (watching)
        tell_wrappers(sig, si, uc, act.handler == KSIG_DFL);
    if (act.handler == KSIG_DFL) {
        struct ksigaction dfl = {0};
        im_sys(SYS_rt_sigaction, sig, &dfl, 0, sizeof(uint64_t));
        im_sys(SYS_tgkill, im_sys(SYS_getpid), im_sys(SYS_gettid), sig);
        return 1;                        /* dies on the way out: core, as natively */
    }
    if (act.flags & KSA_RESETHAND)
        v->handler = KSIG_DFL;
    ((void (*)(int, void *, void *))act.handler)(sig, si, uc);
    return 1;
}

/* ---- watching signals (ABI 1.3): telling the wrappers */

/* What the signal found, from the frame the kernel pushed: the program's
 * call this thread was making through rs_gate_call, rewound to be made
 * again or returned, or none. */
static void interrupted_call(const ucontext_t *uc, struct rs_signal *s)
{
    const greg_t *g = uc->uc_mcontext.gregs;
    uintptr_t rip = (uintptr_t)g[REG_RIP], insn = (uintptr_t)rs_call_insn;

    if (rip == insn && (uintptr_t)g[REG_RCX] == insn + 2) {
        s->state = RS_SIG_RESTART;
        s->call = (struct rs_call *)g[REG_RBX];
    } else if (rip == insn + 2) {
        s->state = RS_SIG_RETURNED;
        s->ret = g[REG_RAX];
        s->call = (struct rs_call *)g[REG_RBX];
    }
}

static void run_signal_hooks(void *sv)
{
    const struct rs_signal *s = sv;

    for (int i = 0; i < im.nwrappers; i++) {
        const struct rs_wrapper *w = im.wrapper[i];
        if (w->abi_minor >= 3 && w->signal)
            w->signal(s);
    }
}

/* The hooks run with every signal blocked (one arriving meanwhile would
 * nest its frame over ours on a stack we left), in the thread's scratch
 * area: the signal may have landed on a small stack of the program's. */
static void tell_wrappers(int sig, void *si, void *uc, int fatal)
{
    uint64_t all = ~0ULL, old;
    struct rs_signal s = {.sig = sig, .siginfo = si, .fatal = fatal};
    char *sp;

    im_sys(SYS_rt_sigprocmask, SIG_SETMASK, &all, &old, sizeof(all));
    interrupted_call(uc, &s);
    sp = im_sigstack_scratch((const char *)&s);
    if (sp)
        rs_call_on(sp, run_signal_hooks, &s);
    else
        run_signal_hooks(&s);
    im_sys(SYS_rt_sigprocmask, SIG_SETMASK, &old, 0, sizeof(old));
}

/* Die of sig by its default action, as natively: the default put back,
 * the signal queued again to this thread with its own siginfo (allowed to
 * oneself), delivered the moment the return from this handler unblocks
 * it — before any program instruction runs, so a core dump shows the
 * program where the signal found it. */
static void die_of(int sig, void *si)
{
    struct ksigaction dfl = {0};
    long pid = im_sys(SYS_getpid), tid = im_sys(SYS_gettid);

    im_sys(SYS_rt_sigaction, sig, &dfl, 0, sizeof(uint64_t));
    if (im_sys(SYS_rt_tgsigqueueinfo, pid, tid, sig, si))
        im_sys(SYS_tgkill, pid, tid, sig);
}

/* A rule's RS_RULE_KILL: the process dies as seccomp's
 * SECCOMP_RET_KILL_PROCESS kills it — by SIGSYS, with a core — now, even
 * inside the SIGSYS handler that dispatches the call (the signal is
 * unblocked last, with its default action back). */
void im_kill_process(void)
{
    struct ksigaction dfl = {0};
    uint64_t set = 1ull << (SIGSYS - 1);

    im_sys(SYS_rt_sigaction, SIGSYS, &dfl, 0, sizeof(uint64_t));
    im_sys(SYS_tgkill, im_sys(SYS_getpid), im_sys(SYS_gettid), SIGSYS);
    im_sys(SYS_rt_sigprocmask, SIG_UNBLOCK, &set, 0, sizeof(set));
}

static void fatal_catcher(int sig, void *si, void *uc)
{
    tell_wrappers(sig, si, uc, 1);
    die_of(sig, si);
}

/* sigentry.S's im_sig_tramp: the wrappers are told, then the program's
 * handler runs (its address returned).  An action changed meanwhile
 * decides, as the kernel's would have a moment later. */
uintptr_t im_signal_enter(int sig, void *si, void *uc);
uintptr_t im_signal_enter(int sig, void *si, void *uc)
{
    struct ksigaction a = prog_act[sig & 127];

    if (sig < 1 || sig > 64 || a.handler == KSIG_IGN)
        return 0;
    if (a.handler == KSIG_DFL) {
        if (kills_by_default(sig))
            fatal_catcher(sig, si, uc);
        return 0;
    }
    tell_wrappers(sig, si, uc, 0);
    return a.handler;
}

int im_sigreturn_seen(void)
{
    return sigreturn_seen;
}

/* After the wrappers' init: if one watches signals, the signals the
 * program starts with at their default (not those ignored across exec)
 * get the catcher when that default kills. */
void im_signals_start(void)
{
    for (int i = 0; i < im.nwrappers; i++) {
        const struct rs_wrapper *w = im.wrapper[i];
        if (w->abi_minor < 3)
            continue;
        if (w->signal)
            watching = 1;
        if (w->signal || (w->flags & RS_SIGRETURN))
            sigreturn_seen = 1;
    }
    if (!watching)
        return;
    for (int sig = 1; sig < 32; sig++) {
        struct ksigaction cur, k;
        if (!kills_by_default(sig) || im_sys(SYS_rt_sigaction, sig, 0, &cur, sizeof(uint64_t)) ||
            cur.handler != KSIG_DFL)
            continue;
        k = kernel_action(sig, &cur, 1);
        im_sys(SYS_rt_sigaction, sig, &k, 0, sizeof(uint64_t));
    }
}
