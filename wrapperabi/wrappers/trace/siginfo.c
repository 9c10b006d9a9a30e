/* siginfo.c — the kernel's siginfo as strace shows it (strace's
 * printsiginfo.c): the fields a signal carries depend on who sent it
 * (si_code <= 0: a process, kill/sigqueue/tkill/timers) or, from the
 * kernel, on the signal (SIGCHLD's child, SIGSEGV's address, SIGSYS's
 * call ...).  rt_sigtimedwait, rt_sigqueueinfo, pidfd_send_signal print
 * it; so will the "--- SIGCHLD {...} ---" lines. */
#include "trace.h"
#include "xlat/audit_arch.h"
#include "xlat/sigbus_codes.h"
#include "xlat/sigchld_codes.h"
#include "xlat/sigfpe_codes.h"
#include "xlat/sigill_codes.h"
#include "xlat/siginfo_codes.h"
#include "xlat/sigpoll_codes.h"
#include "xlat/sigsegv_codes.h"
#include "xlat/sigsys_codes.h"
#include "xlat/sigtrap_codes.h"

/* The x86-64 layout: three ints, then the union at offset 16. */
struct ksiginfo_ {
    int signo, errno_, code, pad_;
    union {
        struct {
            int pid;
            unsigned uid;
            unsigned long value;        /* si_int in its low half, si_ptr */
        } rt;                           /* kill, sigqueue, tkill */
        struct {
            int tid, overrun;
            unsigned long value;
        } timer;
        struct {
            int pid;
            unsigned uid;
            int status;
            long utime, stime;
        } chld;
        struct {
            unsigned long addr;
            union {
                short addr_lsb;
                struct {
                    short pad;
                    unsigned long lower, upper;
                } bnd;
                struct {
                    short pad;
                    unsigned pkey;
                } pkey;
            } u;
        } fault;
        struct {
            long band;
            int fd;
        } poll;
        struct {
            unsigned long call_addr;
            int nr;
            unsigned arch;
        } sys;
        char pad[112];
    } u;
};
_Static_assert(sizeof(struct ksiginfo_) == 128, "the kernel's siginfo is 128 bytes");

enum { SI_USER_ = 0, SI_TIMER_ = -2, SI_SIGIO_ = -5, SI_TKILL_ = -6 };
enum { SIGILL_ = 4, SIGTRAP_ = 5, SIGBUS_ = 7, SIGFPE_ = 8, SIGSEGV_ = 11, SIGCHLD_ = 17,
       SIGIO_ = 29, SIGSYS_ = 31 };
enum { CLD_EXITED_ = 1, SEGV_BNDERR_ = 3,
       SEGV_PKUERR_ = 4, BUS_MCEERR_AR_ = 4, BUS_MCEERR_AO_ = 5 };
#define AUDIT_ARCH_X86_64_ 0xc000003eu
#define AUDIT_ARCH_I386_ 0x40000003u
#define X32_BIT_ 0x40000000

/* The codes of one signal; the general ones (SI_*) come first. */
static const struct rs_xlat *signal_codes(int sig)
{
    switch (sig) {
    case SIGTRAP_: return xlat_sigtrap_codes;
    case SIGCHLD_: return xlat_sigchld_codes;
    case SIGIO_: return xlat_sigpoll_codes;
    case SIGILL_: return xlat_sigill_codes;
    case SIGFPE_: return xlat_sigfpe_codes;
    case SIGSEGV_: return xlat_sigsegv_codes;
    case SIGBUS_: return xlat_sigbus_codes;
    case SIGSYS_: return xlat_sigsys_codes;
    }
    return NULL;
}

/* A value whose unknown form is hex: the name, or 0x...; raw: hex;
 * verbose: hex and the name in a comment. */
static void put_hex_named(struct tcb *t, unsigned v, const char *name)
{
    unsigned x = t->o->style & RS_XLAT_MASK;

    if (name && x == RS_XLAT_ABBREV) {
        tprints(t, name);
        return;
    }
    tprintf(t, "%#x", v);
    if (name && x == RS_XLAT_VERBOSE)
        tprintf(t, " /* %s */", name);
}

static void print_si_code(struct tcb *t, int code, int sig)
{
    uint64_t v = (uint64_t)(int64_t)code;
    const struct rs_xlat *own = signal_codes(sig);
    const char *name = rs_xlat_name(xlat_siginfo_codes, v);

    if (!name && own)
        name = rs_xlat_name(own, v);
    put_hex_named(t, (unsigned)code, name);
}

static void print_uid(struct tcb *t, unsigned uid)
{
    if (uid == ~0u)
        tprints(t, "-1");
    else
        tprintf(t, "%u", uid);
}

static void print_source(struct tcb *t, const struct ksiginfo_ *si)
{
    tprintf(t, ", si_pid=%d, si_uid=", si->u.rt.pid);
    print_uid(t, si->u.rt.uid);
}

static void print_value(struct tcb *t, unsigned long value)
{
    tprintf(t, ", si_int=%d, si_ptr=", (int)value);
    printaddr(t, value);
}

static void print_errno_field(struct tcb *t, int e)
{
    const char *name = rs_errno_name(e);
    unsigned x = t->o->style & RS_XLAT_MASK;

    tprints(t, ", si_errno=");
    if (name && x == RS_XLAT_ABBREV)
        tprints(t, name);
    else if (name && x == RS_XLAT_VERBOSE)
        tprintf(t, "%u /* %s */", (unsigned)e, name);
    else
        tprintf(t, "%u", (unsigned)e);
}

/* si_syscall: __NR_getppid for the process's own ABI, 20 / * getpid * /
 * for the other (ia32 or x32), the number for an unknown one. */
static void print_syscall_nr(struct tcb *t, int nr, unsigned arch)
{
    struct rs_call c = {.nr = nr, .abi = RS_ABI_X86_64};
    const char *name = NULL;
    int native = 0;
    unsigned x = t->o->style & RS_XLAT_MASK;

    if (arch == AUDIT_ARCH_I386_) {
        c.abi = RS_ABI_IA32;
        name = rs_call_name(&c);
    } else if (arch == AUDIT_ARCH_X86_64_ && (nr & X32_BIT_)) {
        c.abi = RS_ABI_X32;
        name = rs_call_name(&c);
    } else if (arch == AUDIT_ARCH_X86_64_) {
        name = rs_call_name(&c);
        native = 1;
    }
    if (!name || !native || x != RS_XLAT_ABBREV)
        tprintf(t, "%u", (unsigned)nr);
    if (!name || x == RS_XLAT_RAW)
        return;
    if (native && x == RS_XLAT_ABBREV)
        tprintf(t, "__NR_%s", name);
    else
        tprintf(t, " /* %s%s */", native ? "__NR_" : "", name);
}

/* Sent by a process (si_code <= 0). */
static void print_from_process(struct tcb *t, const struct ksiginfo_ *si)
{
    switch (si->code) {
    case SI_USER_: case SI_TKILL_:
        print_source(t, si);
        break;
    case SI_TIMER_:
        tprintf(t, ", si_timerid=%#x, si_overrun=%d", (unsigned)si->u.timer.tid, si->u.timer.overrun);
        print_value(t, si->u.timer.value);
        break;
    case SI_SIGIO_:
        tprintf(t, ", si_band=%ld, si_fd=", si->u.poll.band);
        printfd(t, si->u.poll.fd);
        break;
    default:
        print_source(t, si);
        if (si->u.rt.value)
            print_value(t, si->u.rt.value);
    }
}

static void print_child(struct tcb *t, const struct ksiginfo_ *si)
{
    print_source(t, si);
    tprints(t, ", si_status=");
    if (si->code == CLD_EXITED_)
        tprintf(t, "%d", si->u.chld.status);
    else
        print_signal(t, si->u.chld.status);
    tprints(t, ", si_utime=");
    print_clock_t(t, (uint64_t)si->u.chld.utime);
    tprints(t, ", si_stime=");
    print_clock_t(t, (uint64_t)si->u.chld.stime);
}

static void print_fault(struct tcb *t, const struct ksiginfo_ *si)
{
    tprints(t, ", si_addr=");
    printaddr(t, si->u.fault.addr);
    if (si->signo == SIGBUS_ && (si->code == BUS_MCEERR_AR_ || si->code == BUS_MCEERR_AO_)) {
        tprintf(t, ", si_addr_lsb=%#x", (unsigned short)si->u.fault.u.addr_lsb);
    } else if (si->signo == SIGSEGV_ && si->code == SEGV_BNDERR_) {
        tprints(t, ", si_lower=");
        printaddr(t, si->u.fault.u.bnd.lower);
        tprints(t, ", si_upper=");
        printaddr(t, si->u.fault.u.bnd.upper);
    } else if (si->signo == SIGSEGV_ && si->code == SEGV_PKUERR_) {
        tprintf(t, ", si_pkey=%u", si->u.fault.u.pkey.pkey);
    }
}

/* Sent by the kernel: the fields depend on the signal. */
static void print_from_kernel(struct tcb *t, const struct ksiginfo_ *si)
{
    switch (si->signo) {
    case SIGCHLD_:
        print_child(t, si);
        break;
    case SIGILL_: case SIGFPE_: case SIGBUS_: case SIGSEGV_: case SIGTRAP_:
        print_fault(t, si);
        break;
    case SIGIO_:
        if (rs_xlat_name(xlat_sigpoll_codes, (uint64_t)si->code)) {   /* strace 6.1: any POLL_* */
            tprintf(t, ", si_band=%ld, si_fd=", si->u.poll.band);
            printfd(t, si->u.poll.fd);
        }
        break;
    case SIGSYS_:
        tprints(t, ", si_call_addr=");
        printaddr(t, si->u.sys.call_addr);
        tprints(t, ", si_syscall=");
        print_syscall_nr(t, si->u.sys.nr, si->u.sys.arch);
        tprints(t, ", si_arch=");
        printxval(t, xlat_audit_arch, si->u.sys.arch, "AUDIT_ARCH_???");
        break;
    default:
        if (si->u.rt.pid || si->u.rt.uid)
            print_source(t, si);
        if (si->u.rt.value)
            print_value(t, si->u.rt.value);
    }
}

void print_siginfo(struct tcb *t, const void *info)
{
    const struct ksiginfo_ *si = info;

    tprints(t, "{");
    if (si->signo) {
        tprints(t, "si_signo=");
        print_signal(t, si->signo);
        tprints(t, ", si_code=");
        print_si_code(t, si->code, si->signo);
        if (si->errno_)
            print_errno_field(t, si->errno_);
        if (si->code <= 0)
            print_from_process(t, si);
        else
            print_from_kernel(t, si);
    }
    tprints(t, "}");
}

void print_siginfo_at(struct tcb *t, unsigned long addr)
{
    struct ksiginfo_ si;

    if (fetch_or_printaddr(t, addr, &si, sizeof(si)))
        print_siginfo(t, &si);
}
