/* kmod.c — the kernel-module backend (kmod/selredir.c).
 *
 * Registration is one ioctl: the entry (rs_kmod_entry), the exempt range
 * (the gate: runsel's and the wrapper's own calls run natively) and the
 * calls to redirect, im_wants(): those a wrapper handles plus those
 * runsel must handle itself on this backend (handled.h says which, and
 * why the others are not needed here).  The module keeps threads and
 * forked children registered, so nothing is done per thread; other calls
 * never leave the kernel. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <sys/ioctl.h>
#include "im.h"
#include "selredir.h"

/* The wrapper ABI's table of numbers and the module's bitmap cover the same
 * calls: a call a wrapper can handle is one the module can deliver. */
_Static_assert(RS_NSYS == SELREDIR_NSYS, "runsel/wrapper.h and kmod/selredir.h disagree on the calls covered");

/* gate.S / kmodentry.S */
extern const char rs_kmod_entry[], rs_kmod_entry32[];

/* The frame rs_kmod_entry32 builds for an ia32 call, lowest first. */
struct im_kframe32 {
    unsigned long r15, r14, r13, r12, rbp, rbx;
    unsigned long nr, rcx, rdx, rsi, rdi, r8, r9, r10, r11, rflags;
};

#define KF_SIGRETURN 1u
#define X32_SYSCALL_BIT_ 0x40000000L

long im_kmod_call(struct im_kframe *f)
{
    struct rs_call c = {
        .nr = (long)(uint32_t)f->nr,      /* the upper half: the thread id */
        .arg = {(long)f->rdi, (long)f->rsi, (long)f->rdx, (long)f->r10, (long)f->r8, (long)f->r9},
        .backend = f,
    };

    long nr = c.nr;
    uintptr_t after = f->ret;      /* before a sigreturn moves it */

    if (c.nr & X32_SYSCALL_BIT_)
        c.abi = RS_ABI_X32;       /* sent here only for a wrapper that takes x32 */
    else if (c.nr == SYS_exit)
        im_sigstack_exiting();    /* its stack can serve the next thread */
    im_dispatch(&c);
    if (c.abi == RS_ABI_X86_64)
        im_fast_trap(after, nr);  /* the site may become a direct entry (fastpath.c) */
    return c.ret;
}

long im_kmod_call32(struct im_kframe32 *f)
{
    struct rs_call c = {
        .nr = (long)(uint32_t)f->nr,
        .arg = {(long)(uint32_t)f->rbx, (long)(uint32_t)f->rcx, (long)(uint32_t)f->rdx,
                (long)(uint32_t)f->rsi, (long)(uint32_t)f->rdi, (long)(uint32_t)f->rbp},
        .abi = RS_ABI_IA32,
    };

    im_dispatch(&c);
    return c.ret;
}

/* The stack's names for /proc/selredir ("sandbox > trace"); a module
 * without labels (ENOTTY) shows none. */
static void label(long fd)
{
    struct selredir_label l = {.version = SELREDIR_VERSION};
    size_t n = 0;

    for (int i = 0; i < im.nwrappers && n < sizeof(l.text); i++)
        n += rs_snprintf(l.text + n, sizeof(l.text) - n, "%s%s", i ? " > " : "",
                         im.boot->w[i].name);
    for (size_t i = 0; l.text[i]; i++)
        if (l.text[i] < 0x20 || l.text[i] > 0x7e)
            l.text[i] = '?';
    im_sys(SYS_ioctl, fd, SELREDIR_IOC_LABEL, &l);
}

static int kmod_arm(void)
{
    struct selredir_register req = {
        .version = SELREDIR_VERSION,
        .entry = (uintptr_t)rs_kmod_entry,
        .exempt_lo = (uintptr_t)rs_gate_start,
        .exempt_hi = (uintptr_t)rs_gate_end,
    };
    long fd = im_sys(SYS_openat, AT_FDCWD, SELREDIR_DEVICE, O_RDONLY | O_CLOEXEC);
    long r;

    if (fd < 0)
        return (int)fd;
    for (int nr = 0; nr < SELREDIR_NSYS; nr++)
        if (im_wants(nr))
            req.bitmap[nr / 64] |= 1ULL << (nr % 64);
    if (im_denies_foreign())
        req.flags |= SELREDIR_F_DENY_COMPAT;
    req.flags |= SELREDIR_F_TID;
    r = im_sys(SYS_ioctl, fd, SELREDIR_IOC_REGISTER, &req);
    if (r == -EINVAL) {                  /* a module from before SELREDIR_F_TID */
        req.flags &= ~SELREDIR_F_TID;
        r = im_sys(SYS_ioctl, fd, SELREDIR_IOC_REGISTER, &req);
    }
    if (r == 0)
        label(fd);
    if (r == 0 && im_takes_foreign()) {
        /* A wrapper takes ia32/x32 calls: the module delivers them.  A
         * module without this refuses it: they then run natively, or fail
         * under the deny flag, as registered above. */
        struct selredir_compat cp = {.version = SELREDIR_VERSION,
                                     .entry32 = (uintptr_t)rs_kmod_entry32};
        im_sys(SYS_ioctl, fd, SELREDIR_IOC_COMPAT, &cp);
    }
    im_sys(SYS_close, fd);
    return (int)r;
}

/* The program's registers at its syscall instruction: a new thread
 * resumes with them (clone.c). */
static void kmod_call_regs(const struct rs_call *c, struct im_regs *r)
{
    const struct im_kframe *f = c->backend;

    r->r15 = f->r15;
    r->r14 = f->r14;
    r->r13 = f->r13;
    r->r12 = f->r12;
    r->rbp = f->rbp;
    r->rbx = f->rbx;
    r->r11 = f->rflags;
    r->r10 = f->r10;
    r->r9 = f->r9;
    r->r8 = f->r8;
    r->rdi = f->rdi;
    r->rsi = f->rsi;
    r->rdx = f->rdx;
    r->rip = f->ret;
    r->rcx = f->ret;
    /* The program's %rsp: above the frame and the red zone skipped. */
    r->rsp = (uintptr_t)(f + 1) + 128;
}

/* A program's own rt_sigreturn: resume at the gate's syscall instruction
 * with %rax = 15 and the program's registers and stack. */
static void kmod_sigreturn(struct rs_call *c)
{
    struct im_kframe *f = c->backend;

    f->ret = (uintptr_t)rs_sigreturn_insn;
    c->ret = SYS_rt_sigreturn;
}

/* sigaltstack runs natively (kmodentry.S keeps it on the program's own
 * stack, where the kernel judges "on the alternate stack" as natively);
 * runsel notes the program's alternate stack so that a call made on it
 * stays there (im_sigstack_kmod_top): a signal nested in that call must
 * find the outer handler's frames below it, not overwrite them. */
static long kmod_sigaltstack(struct rs_call *c)
{
    const stack_t *ss = (const stack_t *)c->arg[0];
    long r = im_sys(SYS_sigaltstack, c->arg[0], c->arg[1]);

    if (r == 0 && ss)
        im_sigstack_note_program(ss->ss_flags & SS_DISABLE ? &(stack_t){0} : ss);
    return r;
}

const struct im_backend im_kmod = {
    .name = "kmod",
    .inherits = 1,
    .arm = kmod_arm,
    .call_regs = kmod_call_regs,
    .sigreturn = kmod_sigreturn,
    .sigaltstack = kmod_sigaltstack,
    .vfork_done = im_sigstack_release,   /* the child's stack of runsel's */
};
