/* prctl.c — prctl's options and the arguments each takes (strace's
 * prctl.c, for the options x86-64 programs use; the arm64, powerpc and
 * mips ones print as numbers, and PR_SET_SECCOMP's filter program as its
 * address). */
#include "trace.h"
#include "xlat/caps.h"
#include "xlat/pr_cap_ambient.h"
#include "xlat/pr_dumpable.h"
#include "xlat/pr_mce_kill.h"
#include "xlat/pr_mce_kill_policy.h"
#include "xlat/pr_set_mm.h"
#include "xlat/pr_set_vma.h"
#include "xlat/pr_spec_cmds.h"
#include "xlat/pr_spec_get_flags.h"
#include "xlat/pr_spec_set_flags.h"
#include "xlat/pr_tsc.h"
#include "xlat/prctl_options.h"
#include "xlat/seccomp_modes.h"
#include "xlat/secbits.h"

enum {
    PR_SET_PDEATHSIG_ = 1, PR_GET_PDEATHSIG_ = 2, PR_GET_DUMPABLE_ = 3, PR_SET_DUMPABLE_ = 4,
    PR_GET_KEEPCAPS_ = 7, PR_SET_KEEPCAPS_ = 8, PR_GET_FPEMU_ = 9, PR_SET_FPEMU_ = 10,
    PR_GET_FPEXC_ = 11, PR_SET_FPEXC_ = 12, PR_GET_TIMING_ = 13, PR_SET_TIMING_ = 14,
    PR_SET_NAME_ = 15, PR_GET_NAME_ = 16, PR_GET_ENDIAN_ = 19, PR_SET_ENDIAN_ = 20,
    PR_GET_SECCOMP_ = 21, PR_SET_SECCOMP_ = 22, PR_CAPBSET_READ_ = 23, PR_CAPBSET_DROP_ = 24,
    PR_GET_TSC_ = 25, PR_SET_TSC_ = 26, PR_GET_SECUREBITS_ = 27, PR_SET_SECUREBITS_ = 28,
    PR_SET_TIMERSLACK_ = 29, PR_GET_TIMERSLACK_ = 30, PR_TASK_PERF_EVENTS_DISABLE_ = 31,
    PR_TASK_PERF_EVENTS_ENABLE_ = 32, PR_MCE_KILL_ = 33, PR_MCE_KILL_GET_ = 34, PR_SET_MM_ = 35,
    PR_SET_CHILD_SUBREAPER_ = 36, PR_GET_CHILD_SUBREAPER_ = 37, PR_SET_NO_NEW_PRIVS_ = 38,
    PR_GET_TID_ADDRESS_ = 40, PR_SET_THP_DISABLE_ = 41, PR_CAP_AMBIENT_ = 47,
    PR_GET_SPECULATION_CTRL_ = 52, PR_SET_SPECULATION_CTRL_ = 53, PR_SET_IO_FLUSHER_ = 57,
    PR_SET_VMA_ = 0x53564d41, PR_SET_PTRACER_ = 0x59616d61
};
enum { PR_CAP_AMBIENT_IS_SET_ = 1, PR_CAP_AMBIENT_LOWER_ = 3, PR_MCE_KILL_SET_ = 1,
       SECCOMP_MODE_STRICT_ = 1, SECCOMP_MODE_FILTER_ = 2, PR_SPEC_L1D_FLUSH_ = 2 };
#define TASK_COMM_LEN_ 16

/* arguments from..4 in hex, as strace prints the ones it does not know */
static int print_rest(struct tcb *t, int from)
{
    for (int i = from; i < 5; i++)
        tprintf(t, ", %#lx", t->arg[i]);
    return RVAL_DECODED;
}

/* the result's name in " (NAME)" after it */
static void result_name(struct tcb *t, const struct rs_xlat *x)
{
    const char *name = syserror(t) ? NULL : rs_xlat_name(x, (uint64_t)t->ret);

    if (name) {
        rs_strlcpy(t->aux, name, sizeof(t->aux));
        t->rval |= RVAL_STR;
    }
}

/* " = 0x2f (SECBIT_...)": a result of flags in hex, their names after it
 * (not with -X raw) */
static void result_flags(struct tcb *t, const struct rs_xlat *x)
{
    struct rs_buf o;

    if (syserror(t) || !t->ret)
        return;
    t->rval = RVAL_HEX;
    if ((t->o->style & RS_XLAT_MASK) == RS_XLAT_RAW)
        return;
    rs_buf_init(&o, t->aux, sizeof(t->aux), 0);
    rs_put_flags(&o, x, (uint64_t)t->ret, NULL);
    t->rval |= RVAL_STR;
}

/* An int the kernel wrote: [N], or its address on failure. */
static void print_int_out(struct tcb *t, unsigned long addr, const char *fmt)
{
    int v;

    if (umove_out(t, addr, &v)) {
        tprints(t, "[");
        tprintf(t, fmt, v);
        tprints(t, "]");
    }
}

/* The options that write through arg2, on exit. */
static void print_out_arg(struct tcb *t, unsigned option)
{
    unsigned long a = (unsigned long)t->arg[1];
    int v;

    switch (option) {
    case PR_GET_NAME_:
        if (syserror(t))
            printaddr(t, a);
        else
            print_cstr_n(t, a, TASK_COMM_LEN_);
        break;
    case PR_GET_PDEATHSIG_:
        if (umove_out(t, a, &v)) {
            tprints(t, "[");
            print_signal(t, v);
            tprints(t, "]");
        }
        break;
    case PR_GET_TSC_:
        if (umove_out(t, a, &v)) {
            tprints(t, "[");
            printxval(t, xlat_pr_tsc, (unsigned)v, "PR_TSC_???");
            tprints(t, "]");
        }
        break;
    case PR_GET_TID_ADDRESS_: {
        unsigned long p;
        if (umove_out(t, a, &p))
            tprintf(t, "[%#lx]", p);
        break;
    }
    default:                       /* the GET_CHILD_SUBREAPER family */
        print_int_out(t, a, "%u");
    }
}

static int decode_exit(struct tcb *t, unsigned option)
{
    switch (option) {
    case PR_GET_DUMPABLE_:
        result_name(t, xlat_pr_dumpable);
        break;
    case PR_GET_SECUREBITS_:
        result_flags(t, xlat_secbits);
        break;
    case PR_MCE_KILL_GET_:
        result_name(t, xlat_pr_mce_kill_policy);
        break;
    case PR_GET_SPECULATION_CTRL_:
        if ((unsigned long)t->arg[1] <= PR_SPEC_L1D_FLUSH_)
            result_flags(t, xlat_pr_spec_get_flags);
        break;
    default:
        print_out_arg(t, option);
    }
    return 0;
}

/* The options whose one argument is a number or a name. */
static int decode_value(struct tcb *t, unsigned option)
{
    unsigned long a = (unsigned long)t->arg[1];

    tprints(t, ", ");
    switch (option) {
    case PR_SET_DUMPABLE_:
        printxval(t, xlat_pr_dumpable, a, "SUID_DUMP_???");
        break;
    case PR_CAPBSET_READ_: case PR_CAPBSET_DROP_:
        printxval(t, xlat_caps, a, "CAP_???");
        break;
    case PR_SET_NAME_:
        print_cstr_n(t, a, TASK_COMM_LEN_ - 1);
        break;
    case PR_SET_PDEATHSIG_:
        if (a > 128)
            tprintf(t, "%lu", a);
        else
            print_signal(t, (long)a);
        break;
    case PR_SET_PTRACER_:
        if ((int)a == -1)
            tprints(t, "PR_SET_PTRACER_ANY");
        else
            tprintf(t, "%d", (int)a);
        break;
    case PR_SET_SECUREBITS_:
        printflags(t, xlat_secbits, a, "SECBIT_???");
        break;
    case PR_SET_TIMERSLACK_:
        tprintf(t, "%ld", (long)a);
        break;
    case PR_SET_TSC_:
        printxval(t, xlat_pr_tsc, (unsigned)a, "PR_TSC_???");
        break;
    default:                       /* the SET_KEEPCAPS family */
        tprintf(t, "%lu", a);
    }
    return RVAL_DECODED;
}

/* The options with a sub-command in arg2. */
static int decode_sub(struct tcb *t, unsigned option)
{
    unsigned long a2 = (unsigned long)t->arg[1], a3 = (unsigned long)t->arg[2];

    tprints(t, ", ");
    switch (option) {
    case PR_CAP_AMBIENT_:
        printxval(t, xlat_pr_cap_ambient, a2, "PR_CAP_AMBIENT_???");
        if (a2 < PR_CAP_AMBIENT_IS_SET_ || a2 > PR_CAP_AMBIENT_LOWER_)
            return print_rest(t, 2);
        tprints(t, ", ");
        printxval(t, xlat_caps, a3, "CAP_???");
        return print_rest(t, 3);
    case PR_MCE_KILL_:
        printxval(t, xlat_pr_mce_kill, a2, "PR_MCE_KILL_???");
        tprints(t, ", ");
        if (a2 == PR_MCE_KILL_SET_)
            printxval(t, xlat_pr_mce_kill_policy, a3, "PR_MCE_KILL_???");
        else
            tprintf(t, "%#lx", a3);
        return print_rest(t, 3);
    case PR_SET_MM_:
        printxval(t, xlat_pr_set_mm, (unsigned)a2, "PR_SET_MM_???");
        return print_rest(t, 2);
    case PR_SET_SECCOMP_:
        printxval(t, xlat_seccomp_modes, a2, "SECCOMP_MODE_???");
        if (a2 == SECCOMP_MODE_STRICT_)
            return RVAL_DECODED;
        if (a2 != SECCOMP_MODE_FILTER_)
            return print_rest(t, 2);
        tprints(t, ", ");
        printaddr(t, a3);
        return RVAL_DECODED;
    case PR_SET_SPECULATION_CTRL_:
        printxval(t, xlat_pr_spec_cmds, a2, "PR_SPEC_???");
        tprints(t, ", ");
        if (a2 <= PR_SPEC_L1D_FLUSH_)
            printxval(t, xlat_pr_spec_set_flags, a3, "PR_SPEC_???");
        else
            tprintf(t, "%#lx", a3);
        return RVAL_DECODED;
    default:                       /* PR_SET_VMA */
        printxval(t, xlat_pr_set_vma, a2, "PR_SET_VMA_???");
        if (a2)
            return print_rest(t, 2);
        tprints(t, ", ");
        printaddr(t, a3);
        tprintf(t, ", %lu, ", (unsigned long)t->arg[3]);
        print_cstr_n(t, (unsigned long)t->arg[4], ~(size_t)0);
        return RVAL_DECODED;
    }
}

static int decode_entry(struct tcb *t, unsigned option)
{
    printxval(t, xlat_prctl_options, option, "PR_???");
    switch (option) {
    case PR_GET_KEEPCAPS_: case PR_GET_SECCOMP_: case PR_GET_TIMERSLACK_: case PR_GET_TIMING_:
    case PR_TASK_PERF_EVENTS_DISABLE_: case PR_TASK_PERF_EVENTS_ENABLE_:
        return RVAL_DECODED;
    case PR_GET_DUMPABLE_: case PR_GET_SECUREBITS_:
        return 0;
    case PR_GET_CHILD_SUBREAPER_: case PR_GET_ENDIAN_: case PR_GET_FPEMU_: case PR_GET_FPEXC_:
    case PR_GET_NAME_: case PR_GET_PDEATHSIG_: case PR_GET_TID_ADDRESS_: case PR_GET_TSC_:
        tprints(t, ", ");
        return 0;
    case PR_GET_SPECULATION_CTRL_:
        tprints(t, ", ");
        printxval(t, xlat_pr_spec_cmds, (unsigned long)t->arg[1], "PR_SPEC_???");
        return 0;
    case PR_MCE_KILL_GET_:
        print_rest(t, 1);
        return 0;
    case PR_SET_CHILD_SUBREAPER_: case PR_SET_ENDIAN_: case PR_SET_FPEMU_: case PR_SET_FPEXC_:
    case PR_SET_KEEPCAPS_: case PR_SET_TIMING_: case PR_SET_DUMPABLE_: case PR_CAPBSET_READ_:
    case PR_CAPBSET_DROP_: case PR_SET_NAME_: case PR_SET_PDEATHSIG_: case PR_SET_PTRACER_:
    case PR_SET_SECUREBITS_: case PR_SET_TIMERSLACK_: case PR_SET_TSC_:
        return decode_value(t, option);
    case PR_CAP_AMBIENT_: case PR_MCE_KILL_: case PR_SET_MM_: case PR_SET_SECCOMP_:
    case PR_SET_SPECULATION_CTRL_: case PR_SET_VMA_:
        return decode_sub(t, option);
    case PR_SET_NO_NEW_PRIVS_: case PR_SET_THP_DISABLE_: case PR_SET_IO_FLUSHER_:
        tprintf(t, ", %lu", (unsigned long)t->arg[1]);
        return print_rest(t, 2);
    default:                       /* PR_GET_NO_NEW_PRIVS and the unknown */
        return print_rest(t, 1);
    }
}

SYS_FUNC(prctl)
{
    unsigned option = (unsigned)t->arg[0];

    return entering(t) ? decode_entry(t, option) : decode_exit(t, option);
}
