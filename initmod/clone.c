/* clone.c — new threads and processes start intercepted.
 *
 * SUD is not inherited: a child made by a plain clone would run its first
 * instructions — and everything after — unintercepted.  So runsel makes
 * the call itself:
 *   - a child with its own stack (threads, posix_spawn): rs_clone_thread()
 *     starts it in the gate, where it arms itself and then resumes the
 *     program with exactly the registers a native clone gives it (its
 *     register block is written just below the top of its new stack, memory
 *     the child owns and has not used yet);
 *   - a child on a copy of the parent's memory (fork): it returns through
 *     runsel's handler like the parent and arms itself on the way;
 *   - vfork (and CLONE_VM|CLONE_VFORK without a stack): the child would run
 *     on the parent's stack, over the parent's pending signal frame, so it
 *     becomes a fork whose parent still waits (CLONE_VFORK without CLONE_VM).
 * With a backend that inherits (the kernel module) the kernel keeps the
 * child intercepted, but the rest holds all the same: a child on a new
 * stack must still resume the program with the program's registers, not
 * return through runsel's frames it does not have, and a vfork child must
 * not run over the parent's pending frames. */
#define _GNU_SOURCE
#include <linux/sched.h>
#include <signal.h>
#include "im.h"
#include "fastpath.h"
#include "host.h"

static long native(const struct rs_call *c, long a0, long a1)
{
    return rs_gate6(c->nr, a0, a1, c->arg[2], c->arg[3], c->arg[4], c->arg[5]);
}

/* In a child that returns through the handler (fork-like).  masked: the
 * forking thread's view of runsel's signals in its mask (sigstack.c),
 * which the child's mask inherits. */
static long after_fork(long r, int shares_vm, uint64_t masked)
{
    if (r != 0)
        return r;
    rs_copyin_atfork();          /* initmod's copy of the runtime reads memory by pid too */
    im_child_arm(NULL);
    if (masked)
        im_sigstack_set_masked(masked);
    if (shares_vm)
        return 0;
    im.owner_pid = im_sys(SYS_getpid);
    im_fast_atfork();
    im_atfork();
    return 0;
}

static void child_arm(const struct im_regs *r);

void im_child_arm(const struct im_regs *r)
{
    child_arm(r);
    if (r && r->masked)
        im_sigstack_set_masked(r->masked);    /* the mask a new thread inherits */
}

static void child_arm(const struct im_regs *r)
{
    long err;

    if (im.backend->inherits) {
        /* A thread or child on its own stack would otherwise find its
         * parent's slot through the %gs it inherits (fastentry.S); a
         * forked child, alone in its copy of memory, may keep it. */
        if (r && fp.on)
            im_sigstack_claim_gs();
        return;
    }
    err = im.backend->arm();
    if (err)
        im_die("cannot intercept a new thread or child (%s)", rs_strerror(-err));
}

static long new_stack_child(struct rs_call *c, long nr, long a0, long a1, uintptr_t sp,
                            unsigned long flags, uint64_t masked)
{
    struct im_regs regs, *slot;
    long r;

    im.backend->call_regs(c, &regs);
    regs.rsp = sp;
    regs.clone_flags = flags;
    regs.masked = masked;
    slot = (struct im_regs *)((sp - 32 - sizeof(regs)) & ~15UL);
    *slot = regs;
    r = rs_clone_thread(nr, a0, a1, c->arg[2], c->arg[3], c->arg[4], slot);
    /* CLONE_VFORK: the child has exec'd or exited by now (posix_spawn). */
    if (r > 0 && (flags & CLONE_VFORK) && im.backend->vfork_done)
        im.backend->vfork_done(r);
    return r;
}

static long clone_call(struct rs_call *c, uint64_t masked)
{
    unsigned long flags = (unsigned long)c->arg[0];
    uintptr_t sp = (uintptr_t)c->arg[1];

    if ((flags & CLONE_VM) && sp)
        return new_stack_child(c, SYS_clone, c->arg[0], c->arg[1], sp, flags, masked);
    if ((flags & CLONE_VM) && (flags & CLONE_VFORK))
        flags &= ~(unsigned long)CLONE_VM;
    return after_fork(native(c, (long)flags, c->arg[1]), (flags & CLONE_VM) != 0, masked);
}

/* clone3: decided on a copy of the program's structure, and made with
 * that copy — never the program's memory, which could be unreadable (the
 * kernel's EFAULT then) or change between runsel's look and the kernel's
 * (a thread runsel did not arm). */
static long clone3_call(struct rs_call *c, uint64_t masked)
{
    union {
        struct clone_args args;
        unsigned char raw[256];   /* room for fields newer than these headers */
    } u;
    size_t size = (size_t)c->arg[1];

    if (!c->arg[0] || size < CLONE_ARGS_SIZE_VER0)
        return native(c, c->arg[0], c->arg[1]);
    if (size > sizeof(u))
        return -E2BIG;
    memset(&u, 0, sizeof(u));
    if (rs_copy_in(&u, (const void *)c->arg[0], size) != (long)size)
        return -EFAULT;
    struct clone_args copy = u.args;
    if ((copy.flags & CLONE_VM) && copy.stack)
        return new_stack_child(c, SYS_clone3, (long)&u, c->arg[1],
                               (uintptr_t)(copy.stack + copy.stack_size), copy.flags, masked);
    if ((copy.flags & CLONE_VM) && (copy.flags & CLONE_VFORK)) {
        u.args.flags &= ~(unsigned long long)CLONE_VM;
        return after_fork(native(c, (long)&u, (long)size), 0, masked);
    }
    return after_fork(native(c, (long)&u, (long)size), (copy.flags & CLONE_VM) != 0, masked);
}

long im_clone(struct rs_call *c)
{
    if (!im.backend)
        return native(c, c->arg[0], c->arg[1]);
    uint64_t masked = im_sigstack_masked();

    switch (c->nr) {
    case SYS_fork:
        return after_fork(native(c, 0, 0), 0, masked);
    case SYS_vfork:
        return after_fork(rs_gate6(SYS_clone, CLONE_VFORK | SIGCHLD, 0, 0, 0, 0, 0), 0, masked);
    case SYS_clone:
        return clone_call(c, masked);
    default:
        return clone3_call(c, masked);
    }
}
