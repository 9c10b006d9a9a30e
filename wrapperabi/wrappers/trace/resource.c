/* resource.c — limits, usage and the system's identity (strace's
 * resource.c, printrusage.c, sysinfo.c, uname.c): prlimit64, getrlimit,
 * setrlimit, getrusage, sysinfo, uname, getpriority, setpriority (times is
 * time.c's). */
#include <linux/sysinfo.h>
#include <linux/utsname.h>
#include "trace.h"
#include "xlat/priorities.h"
#include "xlat/rlimits.h"
#include "xlat/usage_who.h"

/* A named int argument whose names include negative values (RUSAGE_CHILDREN
 * is -1): matched sign-extended, an unknown one shown as strace does, in
 * 32-bit hex. */
static void print_int_xval(struct tcb *t, const struct rs_xlat *x, long a, const char *dflt)
{
    int v = (int)a;

    if (rs_xlat_name(x, (uint64_t)(int64_t)v))
        printxval(t, x, (uint64_t)(int64_t)v, dflt);
    else
        printxval(t, x, (unsigned)v, dflt);
}

/* 8192*1024 for a multiple of 1024, RLIM64_INFINITY; -X raw the number,
 * -X verbose the number and the name in a comment. */
static void print_rlim(struct tcb *t, uint64_t v)
{
    unsigned x = t->o->style & RS_XLAT_MASK;
    char name[32];

    name[0] = 0;
    if (v == ~(uint64_t)0)
        rs_strlcpy(name, "RLIM64_INFINITY", sizeof(name));
    else if (v > 1024 && v % 1024 == 0)
        rs_snprintf(name, sizeof(name), "%llu*1024", (unsigned long long)(v / 1024));
    if (!name[0] || x != RS_XLAT_ABBREV)
        tprintf(t, "%llu", (unsigned long long)v);
    if (!name[0] || x == RS_XLAT_RAW)
        return;
    if (x == RS_XLAT_VERBOSE)
        tprintf(t, " /* %s */", name);
    else
        tprints(t, name);
}

static void print_rlimit(struct tcb *t, unsigned long addr)
{
    uint64_t r[2];

    if (!umove_out(t, addr, &r))
        return;
    tprints(t, "{rlim_cur=");
    print_rlim(t, r[0]);
    tprints(t, ", rlim_max=");
    print_rlim(t, r[1]);
    tprints(t, "}");
}

static void print_resource(struct tcb *t, long a)
{
    printxval(t, xlat_rlimits, (unsigned)a, "RLIMIT_???");
}

SYS_FUNC(prlimit64)
{
    if (exiting(t)) {
        print_rlimit(t, (unsigned long)t->arg[3]);
        return 0;
    }
    tprintf(t, "%d, ", (int)t->arg[0]);
    print_resource(t, t->arg[1]);
    tprints(t, ", ");
    print_rlimit(t, (unsigned long)t->arg[2]);
    tprints(t, ", ");
    return 0;
}

SYS_FUNC(getrlimit)
{
    if (exiting(t)) {
        print_rlimit(t, (unsigned long)t->arg[1]);
        return 0;
    }
    print_resource(t, t->arg[0]);
    tprints(t, ", ");
    return 0;
}

SYS_FUNC(setrlimit)
{
    print_resource(t, t->arg[0]);
    tprints(t, ", ");
    print_rlimit(t, (unsigned long)t->arg[1]);
    return RVAL_DECODED;
}

/* struct rusage as the kernel writes it on x86-64: two timevals, then
 * fourteen longs. */
struct rusage_ {
    long utime[2], stime[2];
    long maxrss, ixrss, idrss, isrss, minflt, majflt, nswap, inblock, oublock, msgsnd,
        msgrcv, nsignals, nvcsw, nivcsw;
};

static void print_timeval_pair(struct tcb *t, const char *name, const long *tv)
{
    tprintf(t, "%s={tv_sec=%ld, tv_usec=%lu}", name, tv[0], (unsigned long)tv[1]);
}

/* The two times, then "..." unless -v. */
void print_rusage(struct tcb *t, unsigned long addr)
{
    struct rusage_ r;

    if (!umove_out(t, addr, &r))
        return;
    tprints(t, "{");
    print_timeval_pair(t, "ru_utime", r.utime);
    print_timeval_pair(t, ", ru_stime", r.stime);
    if (!topt.verbose) {
        tprints(t, ", ...}");
        return;
    }
    tprintf(t, ", ru_maxrss=%lu, ru_ixrss=%lu, ru_idrss=%lu, ru_isrss=%lu, ru_minflt=%lu",
            r.maxrss, r.ixrss, r.idrss, r.isrss, r.minflt);
    tprintf(t, ", ru_majflt=%lu, ru_nswap=%lu, ru_inblock=%lu, ru_oublock=%lu", r.majflt,
            r.nswap, r.inblock, r.oublock);
    tprintf(t, ", ru_msgsnd=%lu, ru_msgrcv=%lu, ru_nsignals=%lu, ru_nvcsw=%lu, ru_nivcsw=%lu}",
            r.msgsnd, r.msgrcv, r.nsignals, r.nvcsw, r.nivcsw);
}

SYS_FUNC(getrusage)
{
    if (exiting(t)) {
        print_rusage(t, (unsigned long)t->arg[1]);
        return 0;
    }
    print_int_xval(t, xlat_usage_who, t->arg[0], "RUSAGE_???");
    tprints(t, ", ");
    return 0;
}

/* sysinfo: every field, -v or not. */
SYS_FUNC(sysinfo)
{
    struct sysinfo s;

    if (entering(t))
        return 0;
    if (!umove_out(t, (unsigned long)t->arg[0], &s))
        return 0;
    tprintf(t, "{uptime=%lu, loads=[%lu, %lu, %lu]", (unsigned long)s.uptime,
            (unsigned long)s.loads[0], (unsigned long)s.loads[1], (unsigned long)s.loads[2]);
    tprintf(t, ", totalram=%lu, freeram=%lu, sharedram=%lu, bufferram=%lu",
            (unsigned long)s.totalram, (unsigned long)s.freeram, (unsigned long)s.sharedram,
            (unsigned long)s.bufferram);
    tprintf(t, ", totalswap=%lu, freeswap=%lu, procs=%u, totalhigh=%lu, freehigh=%lu",
            (unsigned long)s.totalswap, (unsigned long)s.freeswap, (unsigned)s.procs,
            (unsigned long)s.totalhigh, (unsigned long)s.freehigh);
    tprintf(t, ", mem_unit=%u}", (unsigned)s.mem_unit);
    return 0;
}

/* A fixed-size field holding a C string: quoted up to its NUL, "..."
 * after the quote when it fills the field without one. */
static void print_cstring_field(struct tcb *t, const char *name, const char *f, size_t size)
{
    size_t n = 0;

    while (n < size && f[n])
        n++;
    tprintf(t, "%s=", name);
    rs_put_quoted(t->o, f, n);
    if (n == size)
        tprints(t, "...");
}

/* uname: sysname and nodename, then "..." unless -v. */
SYS_FUNC(uname)
{
    struct new_utsname u;
    const size_t n = sizeof(u.sysname);

    if (entering(t))
        return 0;
    if (!umove_out(t, (unsigned long)t->arg[0], &u))
        return 0;
    tprints(t, "{");
    print_cstring_field(t, "sysname", u.sysname, n);
    print_cstring_field(t, ", nodename", u.nodename, n);
    if (!topt.verbose) {
        tprints(t, ", ...}");
        return 0;
    }
    print_cstring_field(t, ", release", u.release, n);
    print_cstring_field(t, ", version", u.version, n);
    print_cstring_field(t, ", machine", u.machine, n);
    print_cstring_field(t, ", domainname", u.domainname, n);
    tprints(t, "}");
    return 0;
}

static void print_which_who(struct tcb *t)
{
    printxval(t, xlat_priorities, (unsigned)t->arg[0], "PRIO_???");
    tprintf(t, ", %d", (int)t->arg[1]);
}

SYS_FUNC(getpriority)
{
    print_which_who(t);
    return RVAL_DECODED;
}

SYS_FUNC(setpriority)
{
    print_which_who(t);
    tprintf(t, ", %d", (int)t->arg[2]);
    return RVAL_DECODED;
}
