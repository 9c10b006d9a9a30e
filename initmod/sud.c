/* sud.c — the Syscall User Dispatch backend (Linux ≥ 5.11).
 *
 * Every system call a thread makes outside [rs_gate_start, rs_gate_end)
 * is stopped at syscall entry, not executed, and turned into SIGSYS
 * (si_code SYS_USER_DISPATCH) with the registers of the call in the signal
 * frame.  The handler dispatches it and puts the result in the frame's
 * %rax; rt_sigreturn (issued from the gate) resumes the program after its
 * syscall instruction.  SUD is per thread, not inherited by clone or fork
 * and reset by exec: clone.c and exec.c take care of that.  The selector
 * byte stays BLOCK for good: runsel's own calls are exempt by address. */
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

static volatile char selector = SYSCALL_DISPATCH_FILTER_BLOCK;

static void on_sigsys(int sig, void *siv, void *ucv)
{
    siginfo_t *si = siv;
    ucontext_t *uc = ucv;
    greg_t *g = uc->uc_mcontext.gregs;

    (void)sig;
    if (si->si_code != SYS_USER_DISPATCH_) {
        im_forward_sigsys(siv, ucv);      /* not ours: the program's SIGSYS */
        return;
    }
    struct rs_call c = {
        .nr = g[REG_RAX],
        .arg = {g[REG_RDI], g[REG_RSI], g[REG_RDX], g[REG_R10], g[REG_R8], g[REG_R9]},
        .backend = uc,
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
    im_dispatch(&c);
    g[REG_RAX] = c.ret;
}

static int sud_arm(void)
{
    long r = im_install_sigsys(on_sigsys);

    if (r)
        return (int)r;
    return (int)im_sys(SYS_prctl, PR_SET_SYSCALL_USER_DISPATCH_, PR_SYS_DISPATCH_EXCLUSIVE_ON,
                       (uintptr_t)rs_gate_start, (uintptr_t)(rs_gate_end - rs_gate_start),
                       &selector);
}

static void sud_call_regs(const struct rs_call *c, struct im_regs *r)
{
    const ucontext_t *uc = c->backend;
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
    ucontext_t *uc = c->backend;

    uc->uc_mcontext.gregs[REG_RIP] = (greg_t)(uintptr_t)rs_sigreturn_insn;
    c->ret = SYS_rt_sigreturn;
}

#define SIGBIT(s) (1ULL << ((s) - 1))

/* The mask the program will run with is the one rt_sigreturn restores
 * from the frame: change it there.  SIGSYS stays deliverable. */
static long sud_sigprocmask(struct rs_call *c)
{
    ucontext_t *uc = c->backend;
    uint64_t *mask = (uint64_t *)(void *)&uc->uc_sigmask, old = *mask, next = old;
    const uint64_t *set = (const uint64_t *)c->arg[1];
    uint64_t *oset = (uint64_t *)c->arg[2];

    if (c->arg[3] != sizeof(uint64_t))
        return -EINVAL;
    if (set) {
        switch (c->arg[0]) {
        case SIG_BLOCK: next = old | *set; break;
        case SIG_UNBLOCK: next = old & ~*set; break;
        case SIG_SETMASK: next = *set; break;
        default: return -EINVAL;
        }
        next &= ~(SIGBIT(SIGKILL) | SIGBIT(SIGSTOP) | SIGBIT(SIGSYS));
    }
    if (oset)
        *oset = old;
    *mask = next;
    return 0;
}

/* Same for the alternate stack (rt_sigreturn restores uc_stack): let the
 * kernel check and apply the change, then record it in the frame. */
static long sud_sigaltstack(struct rs_call *c)
{
    ucontext_t *uc = c->backend;
    long r = im_sys(SYS_sigaltstack, c->arg[0], c->arg[1]);

    if (r == 0 && c->arg[0])
        im_sys(SYS_sigaltstack, 0, &uc->uc_stack);
    return r;
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
};
