/* count — per-call counts, errors and time, printed at exit like
 * `strace -c`.
 *
 * Options: log=PATH (%p = pid; default stderr), sort=calls|time|name
 * (default time, as strace).  The log is rs_log_open()'s (as trace's):
 * without log=, the stderr the program started with, duplicated and kept
 * at init, so a program that closed or reused fd 2 meanwhile does not
 * get the summary in its data; a relative PATH is made absolute at init;
 * no symlinks, no other user's file in a world-writable
 * directory; for a set-user-ID, set-group-ID or file-capability program
 * only an absolute log= (else the exec fails, 126).  Each process prints
 * its own summary when it calls exit_group (a forked child starts from
 * zero).  Time is wall-clock time inside the call, measured around it in
 * the program's thread. */
#include <runsel/wrapper.h>

#define OTHER (RS_NSYS - 1)   /* numbers beyond the table */

struct stat_slot {
    uint64_t calls, errors, ns;
};
static struct stat_slot stats[RS_NSYS], snap[RS_NSYS];
static struct rs_log clog;      /* where the summary goes (rs_log_open) */
static int reopen;              /* a forked child: open its own %p file at exit */
static char sort_by = 't';

static int count_init(const struct rs_options *o, char *err, size_t errsize)
{
    const char *sort = rs_opt(o, "sort");

    if (sort && rs_strcmp(sort, "calls") && rs_strcmp(sort, "time") && rs_strcmp(sort, "name")) {
        rs_snprintf(err, errsize, "sort=%s: expected calls, time or name", sort);
        return -1;
    }
    sort_by = sort ? sort[0] : 't';
    return rs_log_open(&clog, rs_opt(o, "log"), err, errsize);
}

static int before(struct rs_call *c)
{
    c->data = rs_now_ns();
    return RS_CONTINUE;
}

static void after(struct rs_call *c)
{
    struct stat_slot *s = &stats[c->nr >= 0 && c->nr < OTHER ? c->nr : OTHER];

    rs_atomic_add(&s->calls, 1);
    rs_atomic_add(&s->ns, rs_now_ns() - c->data);
    if (rs_is_err(c->ret))
        rs_atomic_add(&s->errors, 1);
}

/* exit_group and exit never return: count them on the way in. */
static int before_exit(struct rs_call *c)
{
    rs_atomic_add(&stats[c->nr].calls, 1);
    return RS_CONTINUE;
}

/* Other threads keep counting until exit_group ends them: the summary is
 * printed from one copy, so that its lines add up to its total. */
static void take_snapshot(void)
{
    for (int i = 0; i < RS_NSYS; i++) {
        snap[i].calls = __atomic_load_n(&stats[i].calls, __ATOMIC_RELAXED);
        snap[i].errors = __atomic_load_n(&stats[i].errors, __ATOMIC_RELAXED);
        snap[i].ns = __atomic_load_n(&stats[i].ns, __ATOMIC_RELAXED);
    }
}

static int ranks_before(int a, int b)
{
    const struct stat_slot *x = &snap[a], *y = &snap[b];

    if (sort_by == 'c' && x->calls != y->calls)
        return x->calls > y->calls;
    if (sort_by == 't' && x->ns != y->ns)
        return x->ns > y->ns;
    const char *na = rs_syscall_name(a), *nb = rs_syscall_name(b);
    return rs_strcmp(na ? na : "~", nb ? nb : "~") < 0;
}

static void line(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void line(const char *fmt, ...)
{
    char buf[256];
    va_list ap;

    va_start(ap, fmt);
    size_t n = rs_vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    if (clog.fd >= 0)
        rs_write_all(clog.fd, buf, n < sizeof(buf) ? n : sizeof(buf) - 1);
}

static void count_fini(int status)
{
    static short order[RS_NSYS];
    uint64_t total_ns = 0, total_calls = 0, total_errors = 0;
    int n = 0;
    static const char rule[] = "------ ----------- ----------- --------- --------- ----------------\n";

    (void)status;
    if (reopen && rs_log_reopen(&clog, NULL, 0))
        return;
    take_snapshot();
    for (int i = 0; i < RS_NSYS; i++) {
        if (!snap[i].calls)
            continue;
        int j = n++;
        while (j > 0 && ranks_before(i, order[j - 1])) {   /* insertion sort */
            order[j] = order[j - 1];
            j--;
        }
        order[j] = (short)i;
        total_ns += snap[i].ns;
        total_calls += snap[i].calls;
        total_errors += snap[i].errors;
    }
    line("%% time     seconds  usecs/call     calls    errors syscall\n%s", rule);
    for (int k = 0; k < n; k++) {
        const struct stat_slot *s = &snap[order[k]];
        uint64_t pct = total_ns ? s->ns * 10000 / total_ns : 0;   /* hundredths */
        const char *name = order[k] == OTHER ? "(other)" : rs_syscall_name(order[k]);
        char errs[24] = "";
        if (s->errors)
            rs_snprintf(errs, sizeof(errs), "%lu", (unsigned long)s->errors);
        line("%3lu.%02lu %4lu.%06lu %11lu %9lu %9s %s\n", (unsigned long)(pct / 100),
             (unsigned long)(pct % 100), (unsigned long)(s->ns / 1000000000),
             (unsigned long)(s->ns / 1000 % 1000000), (unsigned long)(s->ns / 1000 / s->calls),
             (unsigned long)s->calls, errs, name ? name : "?");
    }
    line("%s100.00 %4lu.%06lu %11lu %9lu %9lu total\n", rule,
         (unsigned long)(total_ns / 1000000000), (unsigned long)(total_ns / 1000 % 1000000),
         (unsigned long)(total_calls ? total_ns / 1000 / total_calls : 0),
         (unsigned long)total_calls, (unsigned long)total_errors);
}

/* A forked child counts its own calls and writes its own summary — into
 * its own file with %p, opened at exit so a child that only execs leaves
 * no empty file behind. */
static void count_atfork(void)
{
    memset(stats, 0, sizeof(stats));
    reopen = clog.per_pid;
}

static const struct rs_handler handlers[] = {
    RS_WRAP_CALL(SYS_exit_group, before_exit, NULL),
    RS_WRAP_CALL(SYS_exit, before_exit, NULL),
    RS_WRAP_CALL(RS_ANY, before, after),
};

RS_OPTIONS("log", "sort", "columns", "latency", "per-process");
RS_WRAPPER("count", handlers, .summary = "count calls, errors and time; summary at exit",
           .init = count_init, .fini = count_fini, .atfork = count_atfork);
