/* attach.c — `runsel -p PID [-p PID...]`: the request's wrapper stack on
 * processes already running, as `strace -p` (docs/placement.md).
 *
 * A running process cannot be given a seccomp filter from outside, and
 * one could never be taken off again (after a detach its traced calls
 * would fail with ENOSYS).  So runsel itself becomes the master of
 * master.c with no filter: it seizes every thread (PTRACE_SEIZE, without
 * EXITKILL: if runsel dies the kernel lets the program go on), every call
 * stops at its entry and exit (PTRACE_SYSCALL), and those the stack does
 * not want go on at once.  A worker runs the stack's init at the attach
 * (rs_attached: trace prints no exec line) and its fini at the detach.
 * SIGINT, SIGTERM or SIGHUP to runsel detach: every thread goes on
 * untraced at its first stop with no call of a wrapper's in flight.  With
 * inherit (runsel -f, or -w without strace's options) the children the
 * program makes from then on are traced too.
 *
 * A wrapper that enforces a policy is refused: a detach, or runsel's
 * death, would let the program go on without it. */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include "svlaunch.h"
#include "svwork.h"

int sv_attach(const pid_t *pids, int npids, const struct sv_request *rq)
{
    static unsigned char wants[RS_NSYS];
    char exe[64], why[512];
    int any = 0, enforcing = 0, inherit = 1;

    snprintf(exe, sizeof(exe), "/proc/%d/exe", pids[0]);
    if (sv_stack_wants(exe, rq, wants, &any, &enforcing, &inherit, why, sizeof(why))) {
        fprintf(stderr, "runsel: attach %d: %s\n", pids[0], why);
        return 1;
    }
    if (enforcing) {
        fprintf(stderr, "runsel: attach %d: the stack enforces a policy, which an attach cannot "
                "hold a program to (a detach, or runsel's death, would let it go on without it): "
                "start the program under runsel --placement=process\n", pids[0]);
        return 2;
    }
    return sv_master_attach(pids, npids, rq->run, rq->config, rq->wrapper_dir, wants, any, inherit);
}
