/* time.c — time values and the calls on clocks and timers (strace's
 * time.c, print_timespec.c, print_timeval.c, times.c, print_timex.c,
 * print_time.c).
 *
 * As strace: what the program passes prints on entry, what the kernel
 * writes on exit, and an output structure of a failed call as its
 * address (the kernel wrote nothing).  A sleep's remaining time prints
 * only when a signal cut it short: under runsel the wrapper sees the
 * call fail with EINTR (the handler has run by then), strace sees the
 * kernel's ERESTART_RESTARTBLOCK; both mean the remaining time was
 * written. */
#include "trace.h"
#include "xlat/adjtimex_modes.h"
#include "xlat/adjtimex_state.h"
#include "xlat/adjtimex_status.h"
#include "xlat/clock_flags.h"
#include "xlat/clocks.h"
#include "xlat/itimer_which.h"
#include "xlat/timerfd_flags.h"

#define CLK_TCK_ 100          /* USER_HZ: the unit of clock_t, fixed by the kernel's ABI */

struct ktimespec_ {
    long sec;
    unsigned long nsec;
};
struct ktimeval_ {
    long sec;
    unsigned long usec;
};

/* timespec and timeval have one layout: seconds, then nano- or microseconds */
static void put_sec_frac(struct tcb *t, const struct ktimespec_ *v, int nsec)
{
    tprintf(t, "{tv_sec=%ld, tv_%s=%lu}", v->sec, nsec ? "nsec" : "usec", v->nsec);
}

static void put_timespec(struct tcb *t, const struct ktimespec_ *ts)
{
    put_sec_frac(t, ts, 1);
}

static void put_timeval(struct tcb *t, const struct ktimeval_ *tv)
{
    tprintf(t, "{tv_sec=%ld, tv_usec=%lu}", tv->sec, tv->usec);
}

void print_timespec(struct tcb *t, unsigned long addr)
{
    struct ktimespec_ ts;

    if (fetch_or_printaddr(t, addr, &ts, sizeof(ts)))
        put_timespec(t, &ts);
}

void print_timeval(struct tcb *t, unsigned long addr)
{
    struct ktimeval_ tv;

    if (fetch_or_printaddr(t, addr, &tv, sizeof(tv)))
        put_timeval(t, &tv);
}

/* {it_interval={...}, it_value={...}}: itimerval (frac "usec") and
 * itimerspec ("nsec") have one layout, two {seconds, fraction} pairs. */
static void print_interval_pair(struct tcb *t, unsigned long addr, int nsec)
{
    struct ktimespec_ v[2];

    if (!fetch_or_printaddr(t, addr, v, sizeof(v)))
        return;
    tprints(t, "{it_interval=");
    put_sec_frac(t, &v[0], nsec);
    tprints(t, ", it_value=");
    put_sec_frac(t, &v[1], nsec);
    tprints(t, "}");
}

static void print_itimerval(struct tcb *t, unsigned long addr)
{
    print_interval_pair(t, addr, 0);
}

static void print_itimerspec(struct tcb *t, unsigned long addr)
{
    print_interval_pair(t, addr, 1);
}

static void print_timezone(struct tcb *t, unsigned long addr)
{
    int tz[2];

    if (fetch_or_printaddr(t, addr, tz, sizeof(tz)))
        tprintf(t, "{tz_minuteswest=%d, tz_dsttime=%d}", tz[0], tz[1]);
}

void print_clockid(struct tcb *t, long id)
{
    printxval(t, xlat_clocks, (unsigned)id, "CLOCK_???");
}

/* clock_t: the ticks, and in seconds when there are some (5 / * 0.05 s * /). */
void print_clock_t(struct tcb *t, uint64_t ticks)
{
    tprintf(t, "%llu", (unsigned long long)ticks);
    if (ticks && (t->o->style & RS_XLAT_MASK) != RS_XLAT_RAW)
        tprintf(t, " /* %llu.%02llu s */", (unsigned long long)(ticks / CLK_TCK_),
                (unsigned long long)(ticks % CLK_TCK_));
}

/* A date as strace's sprinttime shows it, in local time (tz.c):
 * 2026-12-01T14:48:05+0900.  Where glibc's localtime would fail (a year
 * past an int, which no clock reaches), the UTC date. */
void print_date(struct rs_buf *o, long long secs)
{
    struct civil c;
    long off;
    char zone[TZ_OFFSET_TEXT];

    if (tz_local_date(secs, &c, &off)) {
        civil_from_seconds(secs, &c);
        off = 0;
    }
    tz_offset_text(zone, off);
    rs_putf(o, "%04lld-%02u-%02uT%02u:%02u:%02u%s", c.year, c.month, c.day, c.hour, c.min, c.sec,
            zone);
}

/* ---- sleeps */
static int interrupted(const struct tcb *t)
{
    long e = -t->ret;

    return e == EINTR || (e >= 512 && e <= 516 && e != 515);   /* ERESTART*, not ENOIOCTLCMD */
}

/* The remaining time, written only when the sleep was cut short. */
static void print_remaining(struct tcb *t, unsigned long addr, int significant)
{
    struct ktimespec_ ts;

    if (significant && interrupted(t)) {
        if (umoven_or_printaddr(t, addr, &ts, sizeof(ts)))
            put_timespec(t, &ts);
    } else {
        printaddr(t, addr);
    }
}

SYS_FUNC(nanosleep)
{
    if (entering(t)) {
        print_timespec(t, (unsigned long)t->arg[0]);
        tprints(t, ", ");
        return 0;
    }
    print_remaining(t, (unsigned long)t->arg[1], 1);
    return 0;
}

/* With TIMER_ABSTIME (any flag, for strace) nothing remains to tell. */
SYS_FUNC(clock_nanosleep)
{
    if (entering(t)) {
        print_clockid(t, t->arg[0]);
        tprints(t, ", ");
        printflags(t, xlat_clock_flags, (unsigned)t->arg[1], "TIMER_???");
        tprints(t, ", ");
        print_timespec(t, (unsigned long)t->arg[2]);
        tprints(t, ", ");
        return 0;
    }
    print_remaining(t, (unsigned long)t->arg[3], !t->arg[1]);
    return 0;
}

/* ---- clocks */
static int clock_then_timespec_out(struct tcb *t)
{
    if (entering(t)) {
        print_clockid(t, t->arg[0]);
        tprints(t, ", ");
        return 0;
    }
    print_timespec(t, (unsigned long)t->arg[1]);
    return 0;
}

SYS_FUNC(clock_gettime)
{
    return clock_then_timespec_out(t);
}

SYS_FUNC(clock_getres)
{
    return clock_then_timespec_out(t);
}

SYS_FUNC(clock_settime)
{
    print_clockid(t, t->arg[0]);
    tprints(t, ", ");
    print_timespec(t, (unsigned long)t->arg[1]);
    return RVAL_DECODED;
}

SYS_FUNC(gettimeofday)
{
    if (entering(t))
        return 0;
    print_timeval(t, (unsigned long)t->arg[0]);
    tprints(t, ", ");
    print_timezone(t, (unsigned long)t->arg[1]);
    return 0;
}

SYS_FUNC(settimeofday)
{
    print_timeval(t, (unsigned long)t->arg[0]);
    tprints(t, ", ");
    print_timezone(t, (unsigned long)t->arg[1]);
    return RVAL_DECODED;
}

/* time: the value stored and the result, each with its date. */
SYS_FUNC(time)
{
    long long v;

    if (entering(t))
        return 0;
    if (fetch_or_printaddr(t, (unsigned long)t->arg[0], &v, sizeof(v))) {
        tprintf(t, "[%lld /* ", v);
        print_date(t->o, v);
        tprints(t, " */]");
    }
    if (!syserror(t)) {
        struct rs_buf aux;
        rs_buf_init(&aux, t->aux, sizeof(t->aux), t->o->style);
        print_date(&aux, t->ret);
        t->rval |= RVAL_STR;
    }
    return 0;
}

/* ---- interval timers */
SYS_FUNC(getitimer)
{
    if (entering(t)) {
        printxval(t, xlat_itimer_which, (unsigned)t->arg[0], "ITIMER_???");
        tprints(t, ", ");
        return 0;
    }
    print_itimerval(t, (unsigned long)t->arg[1]);
    return 0;
}

SYS_FUNC(setitimer)
{
    if (entering(t)) {
        printxval(t, xlat_itimer_which, (unsigned)t->arg[0], "ITIMER_???");
        tprints(t, ", ");
        print_itimerval(t, (unsigned long)t->arg[1]);
        tprints(t, ", ");
        return 0;
    }
    print_itimerval(t, (unsigned long)t->arg[2]);
    return 0;
}

SYS_FUNC(alarm)
{
    tprintf(t, "%u", (unsigned)t->arg[0]);
    return RVAL_DECODED;
}

/* ---- POSIX timers */
SYS_FUNC(timer_create)
{
    int id;

    if (entering(t)) {
        print_clockid(t, t->arg[0]);
        tprints(t, ", ");
        print_sigevent(t, (unsigned long)t->arg[1]);
        tprints(t, ", ");
        return 0;
    }
    if (fetch_or_printaddr(t, (unsigned long)t->arg[2], &id, sizeof(id)))
        tprintf(t, "[%d]", id);
    return 0;
}

/* timer_settime and timerfd_settime: (timer or fd, flags, new, old), the
 * old value written by the kernel; the _gettime calls: (timer or fd, out). */
static int print_timer_id(struct tcb *t, int is_fd)
{
    if (is_fd)
        printfd(t, t->arg[0]);
    else
        tprintf(t, "%d", (int)t->arg[0]);
    tprints(t, ", ");
    return 0;
}

static int decode_settime(struct tcb *t, int is_fd, const struct rs_xlat *flags, const char *dflt)
{
    if (exiting(t)) {
        print_itimerspec(t, (unsigned long)t->arg[3]);
        return 0;
    }
    print_timer_id(t, is_fd);
    printflags(t, flags, (unsigned)t->arg[1], dflt);
    tprints(t, ", ");
    print_itimerspec(t, (unsigned long)t->arg[2]);
    tprints(t, ", ");
    return 0;
}

static int decode_gettime(struct tcb *t, int is_fd)
{
    if (entering(t))
        return print_timer_id(t, is_fd);
    print_itimerspec(t, (unsigned long)t->arg[1]);
    return 0;
}

SYS_FUNC(timer_settime)
{
    return decode_settime(t, 0, xlat_clock_flags, "TIMER_???");
}

SYS_FUNC(timer_gettime)
{
    return decode_gettime(t, 0);
}

/* ---- timerfd: one set of flags for creating and setting, as strace's */
SYS_FUNC(timerfd_create)
{
    print_clockid(t, t->arg[0]);
    tprints(t, ", ");
    printflags(t, xlat_timerfd_flags, (unsigned)t->arg[1], "TFD_???");
    return RVAL_DECODED | RVAL_FD;
}

SYS_FUNC(timerfd_settime)
{
    return decode_settime(t, 1, xlat_timerfd_flags, "TFD_???");
}

SYS_FUNC(timerfd_gettime)
{
    return decode_gettime(t, 1);
}

/* ---- times: struct tms, in clock ticks; the result is ticks since boot */
SYS_FUNC(times)
{
    long tms[4];

    if (entering(t))
        return 0;
    if (fetch_or_printaddr(t, (unsigned long)t->arg[0], tms, sizeof(tms))) {
        static const char *const names[] = {"tms_utime", "tms_stime", "tms_cutime", "tms_cstime"};
        tprints(t, "{");
        for (int i = 0; i < 4; i++) {
            tprintf(t, "%s%s=", i ? ", " : "", names[i]);
            print_clock_t(t, (uint64_t)tms[i]);
        }
        tprints(t, "}");
    }
    if (!syserror(t))
        t->rval = (t->rval & ~RVAL_MASK) | RVAL_UDEC;
    return 0;
}

/* ---- adjtimex, clock_adjtime: the kernel's struct timex, on exit */
struct ktimex_ {
    unsigned modes;
    int pad0_;
    long long offset, freq, maxerror, esterror;
    int status, pad1_;
    long long constant, precision, tolerance;
    struct {
        long long sec;
        unsigned long long usec;
    } time;
    long long tick, ppsfreq, jitter;
    int shift, pad2_;
    long long stabil, jitcnt, calcnt, errcnt, stbcnt;
    int tai;
    int pad3_[11];
};
_Static_assert(sizeof(struct ktimex_) == 208, "the kernel's struct timex is 208 bytes");

static int print_timex(struct tcb *t, unsigned long addr)
{
    struct ktimex_ x;

    if (!fetch_or_printaddr(t, addr, &x, sizeof(x)))
        return 0;
    tprints(t, "{modes=");
    printflags(t, xlat_adjtimex_modes, x.modes, "ADJ_???");
    tprintf(t, ", offset=%lld, freq=%lld, maxerror=%lld, esterror=%lld, status=", x.offset, x.freq,
            x.maxerror, x.esterror);
    printflags(t, xlat_adjtimex_status, (unsigned)x.status, "STA_???");
    tprintf(t, ", constant=%lld, precision=%lld, tolerance=%lld", x.constant, x.precision,
            x.tolerance);
    tprintf(t, ", time={tv_sec=%lld, tv_usec=%llu}", x.time.sec, x.time.usec);
    tprintf(t, ", tick=%lld, ppsfreq=%lld, jitter=%lld, shift=%d", x.tick, x.ppsfreq, x.jitter,
            x.shift);
    tprintf(t, ", stabil=%lld, jitcnt=%lld, calcnt=%lld, errcnt=%lld, stbcnt=%lld, tai=%d}",
            x.stabil, x.jitcnt, x.calcnt, x.errcnt, x.stbcnt, x.tai);
    return 1;
}

/* The result is the clock's state: " = 5 (TIME_ERROR)". */
static void note_clock_state(struct tcb *t)
{
    const char *state = rs_xlat_name(xlat_adjtimex_state, (uint64_t)t->ret);

    if (state) {
        rs_strlcpy(t->aux, state, sizeof(t->aux));
        t->rval |= RVAL_STR;
    }
}

SYS_FUNC(adjtimex)
{
    if (entering(t))
        return 0;
    if (print_timex(t, (unsigned long)t->arg[0]))
        note_clock_state(t);
    return 0;
}

SYS_FUNC(clock_adjtime)
{
    if (entering(t)) {
        print_clockid(t, t->arg[0]);
        tprints(t, ", ");
        return 0;
    }
    if (print_timex(t, (unsigned long)t->arg[1]))
        note_clock_state(t);
    return 0;
}
