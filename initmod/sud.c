/* sud.c — the Syscall User Dispatch backend (Linux ≥ 5.11).
 *
 * Every system call a thread makes outside [rs_gate_start, rs_gate_end)
 * is stopped at syscall entry, not executed, and turned into SIGSYS
 * (si_code SYS_USER_DISPATCH) with the registers of the call in the signal
 * frame.  The handler dispatches it and puts the result in the frame's
 * %rax; rt_sigreturn (issued from the gate) resumes the program after its
 * syscall instruction.  SUD is per thread, not inherited by clone or fork
 * and reset by exec: clone.c and exec.c take care of that.  The selector
 * byte stays BLOCK for good: runsel's own calls are exempt by address.
 *
 * Where the handler runs.  The kernel pushes the SIGSYS frame on the
 * thread's alternate stack (the handler has SA_ONSTACK), never on the
 * program's stack: a goroutine's stack has no room for it (sigstack.c).
 * Which alternate stack that is:
 *   - while the program has none of its own: runsel's (sigstack.c);
 *   - once it has set one (Go does, on every thread): the program's, so
 *     that its own handlers run on it exactly as natively.  A SIGSYS frame
 *     that lands there is copied at once to runsel's stack, the handler
 *     continues there, and the copy is what rt_sigreturn returns from: the
 *     program's stack holds nothing of ours while the wrapper runs, and a
 *     small one (Rust's 8 KiB) needs room for one kernel frame only.
 *   - while a call is being handled, runsel's stack is the thread's
 *     alternate stack (the handler switches to it), so a signal arriving
 *     meanwhile nests below the pending SIGSYS frame instead of
 *     overwriting it at the top of the program's stack; rt_sigreturn puts
 *     the program's back (the frame's uc_stack: see leave() for why that
 *     return is issued from a scratch area).
 * The program reads back its own alternate stack: sigaltstack is answered
 * from the frame (what rt_sigreturn will restore), with runsel's stack
 * shown as "none", and changes are made there. */
#define _GNU_SOURCE
#include <signal.h>
#include <sys/ucontext.h>
#include "im.h"

#define PR_SET_SYSCALL_USER_DISPATCH_ 59
#define PR_SYS_DISPATCH_EXCLUSIVE_ON 1   /* = PR_SYS_DISPATCH_ON */
#define SYSCALL_DISPATCH_FILTER_BLOCK 1
#define SYS_USER_DISPATCH_ 2             /* si_code */
#define AUDIT_ARCH_I386_ 0x40000003u     /* EM_386 | __AUDIT_ARCH_LE */
#define X32_SYSCALL_BIT_ 0x40000000L
#define SS_AUTODISARM_ (1 << 31)         /* linux/signal.h */
#define MINSIGSTKSZ_ 2048                /* what sigaltstack(2) asks for */

static volatile char selector = SYSCALL_DISPATCH_FILTER_BLOCK;

/* What one intercepted call's handling knows about its signal frame. */
struct sud_frame {
    ucontext_t *uc;
    struct im_sigstack stack;       /* runsel's stack of this thread */
    int has_stack;
};

static void handle_call(siginfo_t *si, struct sud_frame *f)
{
    greg_t *g = f->uc->uc_mcontext.gregs;
    struct rs_call c = {
        .nr = g[REG_RAX],
        .arg = {g[REG_RDI], g[REG_RSI], g[REG_RDX], g[REG_R10], g[REG_R8], g[REG_R9]},
        .backend = f,
    };

    /* An int $0x80 call (si_arch i386) has ia32 numbers and arguments;
     * one with bit 30 in its number is x32.  Never run it as another. */
    if (si->si_arch == AUDIT_ARCH_I386_) {
        c.abi = RS_ABI_IA32;
        c.nr = (uint32_t)g[REG_RAX];
        long a[6] = {(uint32_t)g[REG_RBX], (uint32_t)g[REG_RCX], (uint32_t)g[REG_RDX],
                     (uint32_t)g[REG_RSI], (uint32_t)g[REG_RDI], (uint32_t)g[REG_RBP]};
        memcpy(c.arg, a, sizeof(a));
    } else if (c.nr & X32_SYSCALL_BIT_) {
        c.abi = RS_ABI_X32;
    }
    long nr = c.nr;
    uintptr_t after = (uintptr_t)g[REG_RIP];   /* before the dispatch may move it */
    im_dispatch(&c);
    g[REG_RAX] = c.ret;
    if (c.abi == RS_ABI_X86_64)
        im_fast_trap(after, nr);   /* the site may become a direct entry */
}

static int holds(const struct im_sigstack *r, const void *p)
{
    return (const char *)p >= r->lo && (const char *)p < r->hi;
}

#define FP_XSTATE_MAGIC1_ 0x46505853U
#define FRAME_MAX 16000UL       /* larger frames (AMX state) are left where they are */

/* The bytes of the signal frame the kernel wrote for uc: from the
 * return-address slot below the ucontext, past the siginfo, to the end of
 * the FPU/xsave state above them (sw_reserved, at byte 464 of the fxsave
 * area, says how much there is).  0: not a frame we can copy. */
static size_t frame_span(const ucontext_t *uc, char **lo)
{
    char *fp = (char *)uc->uc_mcontext.fpregs;
    const uint32_t *sw;
    size_t fpsize;

    *lo = (char *)uc - 8;
    if (!fp || fp < (char *)uc + 432 || (size_t)(fp - *lo) > FRAME_MAX)
        return 0;
    sw = (const uint32_t *)(fp + 464);
    fpsize = sw[0] == FP_XSTATE_MAGIC1_ ? sw[1] : 512;
    if ((size_t)(fp - *lo) + fpsize > FRAME_MAX)
        return 0;
    return (size_t)(fp - *lo) + fpsize;
}

/* A frame is a few KiB and copied twice per call when the program has its
 * own alternate stack: rep movsb (fast on CPUs with ERMS), not the
 * runtime's byte loop; general registers only, as images must. */
static void copy_bytes(void *dst, const void *src, size_t n)
{
    __asm__ volatile("rep movsb" : "+D"(dst), "+S"(src), "+c"(n) : : "memory");
}

/* Copy uc's frame to just below top, keeping its alignment modulo 64
 * (xrstor wants the FPU state 64-byte aligned); returns the copy's uc. */
static ucontext_t *copy_frame(ucontext_t *uc, char *top, size_t span, char *lo)
{
    char *dst = (char *)(((uintptr_t)top - span - 64) & ~63UL) + ((uintptr_t)lo & 63);
    long delta = dst - lo;
    ucontext_t *copy = (ucontext_t *)((char *)uc + delta);

    copy_bytes(dst, lo, span);
    copy->uc_mcontext.fpregs = (void *)((char *)uc->uc_mcontext.fpregs + delta);
    return copy;
}

/* rt_sigreturn restores the frame's alternate stack (uc_stack) before the
 * registers, checking it against the stack pointer of the rt_sigreturn
 * itself: issued on runsel's stack — the thread's alternate stack while a
 * call is handled — the change is refused (EPERM, silently).  So a return
 * that must change it (back to the program's own alternate stack, or to
 * one the program set during the call) is issued from the scratch area
 * below runsel's stack, with every signal blocked from the copy to the
 * return (one delivered meanwhile would land on the stack being switched
 * to); rt_sigreturn restores the program's mask from the frame. */
static void leave(struct sud_frame *f)
{
    uint64_t all = ~0ULL;
    size_t span;
    char *lo;

    if (!f->has_stack || f->uc->uc_stack.ss_sp == f->stack.lo)
        return;                         /* it stays runsel's: a plain return */
    span = frame_span(f->uc, &lo);
    if (!span || span + 128 > IM_SIGSTACK_SCRATCH)
        return;
    im_sys(SYS_rt_sigprocmask, SIG_SETMASK, &all, 0, sizeof(all));
    rs_sigreturn_at(copy_frame(f->uc, f->stack.lo, span, lo));
}

/* A frame moved to runsel's stack is not safe there until the alternate
 * stack is switched to it: a signal arriving in between lands on the
 * program's alternate stack, and a call its handler makes (its
 * rt_sigreturn, when a wrapper watches signals) moves its own frame to
 * runsel's stack — below the first one, not over it.  Per thread, the
 * moves between their copy and their switch; each nested one lies
 * MOVE_GAP lower (the fast path's calls use the lower half: sigstack.c). */
#define MOVE_GAP 32768UL
#define MOVE_DEPTHS 3

static char *move_top(const struct im_sigstack *mine)
{
    int depth = 0;

    if (mine->moving)
        depth = __atomic_fetch_add(mine->moving, 1, __ATOMIC_RELAXED);
    if (depth >= MOVE_DEPTHS)
        depth = MOVE_DEPTHS - 1;    /* a handler that longjmp'd out left its count */
    return mine->hi - (size_t)depth * MOVE_GAP;
}

static void move_done(const struct im_sigstack *mine)
{
    if (mine->moving && __atomic_load_n(mine->moving, __ATOMIC_RELAXED) > 0)
        __atomic_fetch_sub(mine->moving, 1, __ATOMIC_RELAXED);
}

/* The handler, continued on runsel's stack with the copied frame. */
static void handle_moved(void *siv, void *ucv, void *stackv)
{
    struct sud_frame f = {.uc = ucv, .stack = *(struct im_sigstack *)stackv, .has_stack = 1};
    stack_t ss = {.ss_sp = f.stack.lo, .ss_flags = 0, .ss_size = IM_SIGSTACK_SIZE};

    im_sys(SYS_sigaltstack, &ss, 0);   /* signals meanwhile nest here, not over the frame */
    move_done(&f.stack);
    handle_call(siv, &f);
    leave(&f);                         /* back to the program's alternate stack */
}

/* The frame landed on the program's alternate stack (or, inside one of
 * its handlers with SS_AUTODISARM, on whatever stack it was running): copy
 * it to the top of runsel's stack and continue there.  Returns only if it
 * cannot. */
static void move_to_runsel_stack(siginfo_t *si, ucontext_t *uc)
{
    struct im_sigstack mine, *saved;
    ucontext_t *copy;
    size_t span;
    char *lo;

    span = frame_span(uc, &lo);
    if (!span || !im_sigstack_mine(&mine))
        return;
    copy = copy_frame(uc, move_top(&mine), span, lo);
    saved = (struct im_sigstack *)(((uintptr_t)copy - 8 - sizeof(mine)) & ~15UL);
    *saved = mine;
    rs_sigstack_run((void *)(((uintptr_t)saved - 64) & ~15UL), handle_moved,
                    (char *)si + ((char *)copy - (char *)uc), copy, saved);
}

/* The frame landed on runsel's stack, and the program was not running on
 * it (no handler of its own nested in a call): no call is being handled
 * below, so runsel's stack should not have been installed if the program
 * has one of its own.  It was left there by a handler that interrupted a
 * call and siglongjmp'd out: the return that would have put the program's
 * back never ran.  This return does it. */
static void restore_left_altstack(struct sud_frame *f)
{
    const char *sp = (const char *)f->uc->uc_mcontext.gregs[REG_RSP];
    stack_t prog;

    if (!f->has_stack || holds(&f->stack, sp) || (sp >= f->stack.lo - IM_SIGSTACK_SCRATCH && sp < f->stack.lo))
        return;
    if (im_sigstack_program(&prog))
        f->uc->uc_stack = prog;
}

static void on_sigsys(int sig, void *siv, void *ucv)
{
    siginfo_t *si = siv;
    ucontext_t *uc = ucv;
    struct sud_frame f = {.uc = uc};

    (void)sig;
    if (si->si_code != SYS_USER_DISPATCH_) {
        im_forward_signal(SIGSYS, siv, ucv);   /* not ours: the program's SIGSYS */
        return;
    }
    if (uc->uc_mcontext.gregs[REG_RAX] == SYS_exit)
        im_sigstack_exiting();            /* its stack can serve the next thread */
    f.has_stack = im_sigstack_is(uc->uc_stack.ss_sp, uc->uc_stack.ss_size, &f.stack) &&
                  !(uc->uc_stack.ss_flags & SS_DISABLE) && holds(&f.stack, uc);
    if (!f.has_stack)
        move_to_runsel_stack(si, uc);
    restore_left_altstack(&f);
    handle_call(si, &f);                  /* on runsel's stack, or where we could */
    leave(&f);
}

static int sud_arm(void)
{
    long r;

    im_sigstack_arm();   /* no stack (out of memory): frames go where the thread runs */
    r = im_install_signal(SIGSYS, on_sigsys);
    if (r)
        return (int)r;
    return (int)im_sys(SYS_prctl, PR_SET_SYSCALL_USER_DISPATCH_, PR_SYS_DISPATCH_EXCLUSIVE_ON,
                       (uintptr_t)rs_gate_start, (uintptr_t)(rs_gate_end - rs_gate_start),
                       &selector);
}

static ucontext_t *frame_uc(const struct rs_call *c)
{
    return ((const struct sud_frame *)c->backend)->uc;
}

static void sud_call_regs(const struct rs_call *c, struct im_regs *r)
{
    const ucontext_t *uc = frame_uc(c);
    const greg_t *g = uc->uc_mcontext.gregs;

    r->r15 = (unsigned long)g[REG_R15];
    r->r14 = (unsigned long)g[REG_R14];
    r->r13 = (unsigned long)g[REG_R13];
    r->r12 = (unsigned long)g[REG_R12];
    r->rbp = (unsigned long)g[REG_RBP];
    r->rbx = (unsigned long)g[REG_RBX];
    r->r11 = (unsigned long)g[REG_EFL];   /* after syscall: %r11 = rflags, */
    r->r10 = (unsigned long)g[REG_R10];
    r->r9 = (unsigned long)g[REG_R9];
    r->r8 = (unsigned long)g[REG_R8];
    r->rdi = (unsigned long)g[REG_RDI];
    r->rsi = (unsigned long)g[REG_RSI];
    r->rdx = (unsigned long)g[REG_RDX];
    r->rip = (unsigned long)g[REG_RIP];
    r->rcx = r->rip;                      /* %rcx = the return address */
    r->rsp = (unsigned long)g[REG_RSP];
}

/* The program issued rt_sigreturn itself (a restorer runsel did not
 * install): run it from the gate with the program's own registers and
 * stack, where its signal frame is. */
static void sud_sigreturn(struct rs_call *c)
{
    ucontext_t *uc = frame_uc(c);

    uc->uc_mcontext.gregs[REG_RIP] = (greg_t)(uintptr_t)rs_sigreturn_insn;
    c->ret = SYS_rt_sigreturn;
}

#define SIGBIT(s) (1ULL << ((s) - 1))

/* The mask the program will run with is the one rt_sigreturn restores
 * from the frame: change it there.  runsel's signals stay deliverable.
 * As the kernel: a set that cannot be read fails (EFAULT) before anything
 * changes; an old set that cannot be written fails after the change (the
 * kernel writes the handler's mask there first: that checks it). */
static long sud_sigprocmask(struct rs_call *c)
{
    ucontext_t *uc = frame_uc(c);
    uint64_t own = im_own_signals();
    uint64_t *mask = (uint64_t *)(void *)&uc->uc_sigmask;
    uint64_t old = *mask | im_sigstack_masked(), next = *mask, set;   /* old: the program's view */
    uint64_t *oset = (uint64_t *)c->arg[2];

    if (c->arg[3] != sizeof(uint64_t))
        return -EINVAL;
    if (c->arg[1]) {
        if (rs_copy_in(&set, (const void *)c->arg[1], sizeof(set)) != (long)sizeof(set))
            return -EFAULT;
        switch (c->arg[0]) {
        case SIG_BLOCK: next = old | set; break;
        case SIG_UNBLOCK: next = old & ~set; break;
        case SIG_SETMASK: next = set; break;
        default: return -EINVAL;
        }
        next &= ~(SIGBIT(SIGKILL) | SIGBIT(SIGSTOP));
        if ((next & own) != (old & own))
            im_sigstack_set_masked(next & own);
        next &= ~own;
    }
    *mask = next;
    if (oset) {
        long r = im_sys(SYS_rt_sigprocmask, SIG_BLOCK, 0, oset, sizeof(old));
        if (r)
            return r;
        *oset = old;
    }
    return 0;
}

/* The alternate stack as the program would read it back at its call. */
static void program_altstack(const struct sud_frame *f, stack_t *out)
{
    const ucontext_t *uc = f->uc;
    const char *sp = (const char *)uc->uc_mcontext.gregs[REG_RSP];
    struct im_sigstack r;

    if (f->has_stack && holds(&f->stack, sp)) {
        /* A handler of the program's that interrupted a call runs on
         * runsel's stack: say so, as Go's handlers need to find the stack
         * they run on (adjustSignalStack). */
        *out = (stack_t){.ss_sp = f->stack.lo, .ss_flags = SS_ONSTACK, .ss_size = IM_SIGSTACK_SIZE};
        return;
    }
    *out = uc->uc_stack;
    if (im_sigstack_is(out->ss_sp, out->ss_size, &r) || out->ss_size == 0) {
        *out = (stack_t){.ss_sp = 0, .ss_flags = SS_DISABLE, .ss_size = 0};
        return;
    }
    out->ss_flags = (out->ss_flags & SS_AUTODISARM_) |
                    (sp >= (char *)out->ss_sp && sp < (char *)out->ss_sp + out->ss_size ? SS_ONSTACK
                                                                                          : 0);
}

/* sigaltstack: the stack the program will run on after this call is the
 * one rt_sigreturn restores from the frame (uc_stack), so the answer and
 * the change are made there, with the kernel's checks.  "No stack" is
 * runsel's stack underneath. */
static long sud_sigaltstack(struct rs_call *c)
{
    const struct sud_frame *f = c->backend;
    const stack_t *ss = (const stack_t *)c->arg[0];
    stack_t *oss = (stack_t *)c->arg[1], cur, next;
    int mode = 0;

    program_altstack(f, &cur);
    if (ss) {
        if (rs_copy_in(&next, ss, sizeof(next)) != (long)sizeof(next))
            return -EFAULT;
        if (cur.ss_flags & SS_ONSTACK)
            return -EPERM;
        mode = next.ss_flags & ~SS_AUTODISARM_;
        if (mode != 0 && mode != SS_ONSTACK && mode != SS_DISABLE)
            return -EINVAL;
        if (mode != SS_DISABLE && next.ss_size < MINSIGSTKSZ_)
            return -ENOMEM;
    }
    if (ss) {
        im_sigstack_note_program(mode == SS_DISABLE ? &(stack_t){0} : &next);
        if (mode == SS_DISABLE && f->has_stack)
            next = (stack_t){.ss_sp = f->stack.lo, .ss_flags = 0, .ss_size = IM_SIGSTACK_SIZE};
        else if (mode == SS_DISABLE)
            next = (stack_t){.ss_sp = 0, .ss_flags = next.ss_flags, .ss_size = 0};
        f->uc->uc_stack = next;
    }
    /* as the kernel: the old stack after the change; where it cannot be
     * written, EFAULT (the kernel writes the handler's stack there first) */
    if (oss) {
        long r = im_sys(SYS_sigaltstack, 0, oss);
        if (r)
            return r;
        *oss = cur;
    }
    return 0;
}

const struct im_backend im_sud = {
    .name = "sud",
    .inherits = 0,
    .uses_sigsys = 1,
    .arm = sud_arm,
    .call_regs = sud_call_regs,
    .sigreturn = sud_sigreturn,
    .sigprocmask = sud_sigprocmask,
    .sigaltstack = sud_sigaltstack,
    .vfork_done = im_sigstack_release,
};
