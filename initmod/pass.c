/* pass.c — perform a call for the program.  Most calls simply run from the
 * gate.  A few would break interception if run as they are, so runsel
 * performs them itself: the table of them, each with its reason, is
 * handled.h (threads and children, exec, signals, kept fds and the
 * program's view of them, exit_group). */
#include "im.h"
#include "handled.h"

/* The wrapper finishes once, in the process that owns the memory: a
 * posix_spawn child (CLONE_VM) that _exits after a failed exec shares the
 * parent's memory and must not run — or use up — the parent's fini. */
static long exit_group(struct rs_call *c)
{
    static int done;

    if (im_sys(SYS_getpid) == __atomic_load_n(&im.owner_pid, __ATOMIC_RELAXED) &&
        !__atomic_exchange_n(&done, 1, __ATOMIC_ACQ_REL)) {
        im_fini((int)c->arg[0]);
        im_fast_report();
    }
    return im_sys(SYS_exit_group, c->arg[0]);
}

static long native(struct rs_call *c)
{
    return rs_gate_call(c->nr, c->arg[0], c->arg[1], c->arg[2], c->arg[3], c->arg[4], c->arg[5], c);
}

/* Another ABI's call runs as the program made it: its own instruction and
 * numbers (none of runsel's handling below applies to them: their numbers
 * mean other calls). */
#define IA32_VFORK 190
#define IA32_CLONE 120

static long foreign(struct rs_call *c)
{
    if (c->abi == RS_ABI_IA32) {
        /* A child made here would start in the gate, on a stack that is
         * not its own (and, with SUD, not intercepted): refused. */
        if (c->nr == IA32_CLONE || c->nr == IA32_VFORK)
            return -ENOSYS;
        return rs_gate_int80(c->nr, c->arg[0], c->arg[1], c->arg[2], c->arg[3], c->arg[4],
                             c->arg[5]);
    }
    return native(c);                    /* x32: the number carries bit 30 */
}

/* close, dup2, dup3, close_range: around the fds a wrapper keeps. */
static long fd_call(struct rs_call *c)
{
    return im_fd_guard(c) ? c->ret : native(c);
}

/* fcntl, the fd listings and the stat family: the kept fds unseen. */
static long fd_view(struct rs_call *c)
{
    return im_fd_view(c, native);
}

long im_pass(struct rs_call *c)
{
    c->flags |= RS_CALL_MADE;
    if (c->abi != RS_ABI_X86_64)
        return c->ret = foreign(c);
    switch (c->nr) {
#define IM_PASS_ROW(nr, handler, backends, fast) \
    case nr:                               \
        c->ret = handler(c);               \
        break;
    IM_HANDLED(IM_PASS_ROW)
#undef IM_PASS_ROW
    default:
        c->ret = native(c);
        break;
    }
    return c->ret;
}
