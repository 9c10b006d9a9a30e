/* filter.c — the seccomp filter of placement=process, built with
 * libseccomp: SECCOMP_RET_TRACE for the calls the wrapper stack wants
 * (the master's ptrace stop), SECCOMP_RET_ALLOW for the others, which
 * never leave the kernel.  Calls of another ABI (ia32's int $0x80, x32's
 * numbers: libseccomp's "bad arch" for an x86-64 filter): traced like the wanted ones when a wrapper wants every call,
 * refused with ENOSYS when the stack enforces a policy (it could not
 * check them: as in process), else allowed.
 *
 * The filter lasts the process's life and its children's: it is what
 * keeps them in the supervisor's hands (a traced call with no tracer
 * fails with ENOSYS, and the master's PTRACE_O_EXITKILL kills them if it
 * dies).  An unprivileged caller needs no_new_privs to install it.  It
 * also stops the memory calls that could touch the pinned argument area
 * (pin.c), whatever the stack wants. */
#define _GNU_SOURCE
#include <errno.h>
#include <seccomp.h>
#include <unistd.h>
#include "pin.h"
#include "supervised.h"
#include "svwork.h"
#include "kfilter.h"

int sv_filter_install(const unsigned char *wants, int any, int enforcing)
{
    scmp_filter_ctx ctx = seccomp_init(any ? SCMP_ACT_TRACE(0) : SCMP_ACT_ALLOW);
    uint32_t foreign = enforcing ? SCMP_ACT_ERRNO(ENOSYS) : any ? SCMP_ACT_TRACE(0) : SCMP_ACT_ALLOW;
    int r = 0;

    if (!ctx)
        return -ENOMEM;
    for (int nr = 0; nr < RS_NSYS && !any && !r; nr++)
        if (wants[nr])
            r = seccomp_rule_add(ctx, SCMP_ACT_TRACE(0), nr, 0);
    if (!r)
        r = sv_pin_rules(ctx, wants, any);   /* the pinned area's guard (pin.c) */
    if (!r && !any && !wants[SYS_prctl])     /* runsel's loader asks (supervised.h) */
        r = seccomp_rule_add(ctx, SCMP_ACT_TRACE(0), SYS_prctl, 1,
                             SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)RS_PRCTL_SUPERVISED));
    /* no_new_privs only where the kernel requires it: root keeps set-user-ID
     * execs as they are natively */
    if (!r)
        r = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, foreign);
    if (!r)
        r = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, geteuid() != 0);
    kf_keep_speculation(ctx);
    if (!r)
        r = seccomp_load(ctx);
    seccomp_release(ctx);
    return r;
}

/* A syscalls= list into allowed[] (kfilter/stack.c: one reading of it
 * for the filter, the worker and the kernel placement). */
int sv_syscall_list(struct sel_str list, unsigned char *allowed)
{
    return kf_syscall_list(list, allowed);
}
