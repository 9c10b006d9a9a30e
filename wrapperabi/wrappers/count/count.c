/* count — per-call counts, errors and time, like `strace -c -f`: one
 * summary for the whole run, every process and thread of it, written
 * once, when the program and everything it started have ended.
 *
 * Options
 *   log=PATH     where the summary goes (rs_log_open's rules; %p = the
 *                run's first process, or with per-process=yes each
 *                process's own file).  Default: the stderr the run started
 *                with, never a child's.  Opened once, for the whole run:
 *                a relative PATH is resolved in the directory the run
 *                started in, and a `cd` in a child changes nothing.
 *   sort=KEY     strace -S: time (default), min-time, max-time, avg-time,
 *                calls, errors, name, nothing (and strace's aliases).
 *   columns=LIST strace -U: time-percent, total-time, min-time, max-time,
 *                avg-time, calls, errors, name (strace 6.1's names and
 *                aliases; name is added at the end when missing).
 *   latency=yes  strace -w: wall-clock time in the call.  Default, as
 *                strace: the system time the call cost, measured as the
 *                calling thread's CPU time across it (CLOCK_THREAD_CPUTIME_ID;
 *                strace reads the tracee's stime at entry and exit).
 *   per-process=yes  one table per process (its threads and all its
 *                images), each written with one write(2), so tables never
 *                interleave in a shared log.  (A posix_spawn child shares
 *                its parent's memory until it execs: its calls before the
 *                exec count in the parent's table.)
 *
 * The counts are strace's: every call on its way in (a process killed in
 * a call still counts it, and its error: count_signal), execve once per
 * exec (the run's first exec included; a successful one is timed to the
 * new image's start), the child's return from fork not again, exit and
 * exit_group not at all (they never return: strace does not count them).
 * rt_sigreturn is seen (the signal hook implies RS_SIGRETURN) and counted
 * with its error from the frame it restores.  Not seen: ia32/x32 calls
 * (strace gives them tables of their own).
 *
 * The parts: this file (options, the per-call hooks, exec and fork),
 * run.c (the table a run shares: how processes find it, and its
 * collector), table.c (the summary as strace prints it). */
#include "count.h"

struct run *run;
struct row *rows;
int run_fd = -1, my_pid, my_slot = -1, clock_id = CLOCK_THREAD_CPUTIME_ID;
struct settings want = {.sort = C_PCT, .columns = {C_PCT, C_TOTAL, C_AVG, C_CALLS, C_ERRORS, C_NAME}};
const char *log_opt;

/* ---- options (strace 6.1's column names) ---- */

static const struct {
    char name[14];
    unsigned char col;
} col_names[] = {
    {"time", C_PCT}, {"time_percent", C_PCT}, {"time-percent", C_PCT},
    {"time_total", C_TOTAL}, {"time-total", C_TOTAL}, {"total_time", C_TOTAL}, {"total-time", C_TOTAL},
    {"min_time", C_MIN}, {"min-time", C_MIN}, {"shortest", C_MIN}, {"time_min", C_MIN}, {"time-min", C_MIN},
    {"longest", C_MAX}, {"max_time", C_MAX}, {"max-time", C_MAX}, {"time_max", C_MAX}, {"time-max", C_MAX},
    {"avg_time", C_AVG}, {"avg-time", C_AVG}, {"time_avg", C_AVG}, {"time-avg", C_AVG},
    {"calls", C_CALLS}, {"count", C_CALLS}, {"error", C_ERRORS}, {"errors", C_ERRORS},
    {"name", C_NAME}, {"syscall", C_NAME}, {"syscall_name", C_NAME}, {"syscall-name", C_NAME},
    {"none", C_NONE}, {"nothing", C_NONE},
};

static int col_by_name(const char *s, size_t n)
{
    for (size_t i = 0; i < sizeof(col_names) / sizeof(col_names[0]); i++)
        if (rs_strlen(col_names[i].name) == n && !rs_strncmp(col_names[i].name, s, n))
            return col_names[i].col;
    return C_END;
}

static int parse_columns(const char *list, char *err, size_t errsize)
{
    const char *cur = list, *w;
    size_t len, n = 0;
    unsigned seen = 0;

    while ((w = rs_next_word(&cur, ',', &len))) {
        int c = col_by_name(w, len);
        if (c == C_END || c == C_NONE || (seen & (1u << c))) {
            rs_snprintf(err, errsize, "columns=: %s column '%.*s'", c == C_END || c == C_NONE ?
                        "unknown" : "repeated", (int)len, w);
            return -1;
        }
        seen |= 1u << c;
        want.columns[n++] = (unsigned char)c;
    }
    if (!(seen & (1u << C_NAME)))
        want.columns[n++] = C_NAME;   /* as strace: a table without names means nothing */
    want.columns[n] = C_END;
    return 0;
}

static int yes_no(const struct rs_options *o, const char *key, int *out, char *err, size_t errsize)
{
    const char *v = rs_opt(o, key);

    if (!v)
        return 0;
    if (rs_strcmp(v, "yes") && rs_strcmp(v, "no")) {
        rs_snprintf(err, errsize, "%s=%s: expected yes or no", key, v);
        return -1;
    }
    *out = v[0] == 'y';
    return 0;
}

static int parse_options(const struct rs_options *o, char *err, size_t errsize)
{
    const char *sort = rs_opt(o, "sort"), *cols = rs_opt(o, "columns");

    if (sort && (want.sort = col_by_name(sort, rs_strlen(sort))) == C_END) {
        rs_snprintf(err, errsize, "sort=%s: expected time, min-time, max-time, avg-time, calls, "
                    "errors, name or nothing", sort);
        return -1;
    }
    if (cols && parse_columns(cols, err, errsize))
        return -1;
    log_opt = rs_opt(o, "log");
    return rs_opt_format(o, &want.json, err, errsize) ||
           yes_no(o, "latency", &want.latency, err, errsize) ||
           yes_no(o, "per-process", &want.per_process, err, errsize) ? -1 : 0;
}

/* ---- counting ---- */

/* The thread's CPU time is the program's thread's, wherever count runs,
 * and out of process both clocks are read where the supervisor saw the
 * program (rs_call_clock_ns): count is RS_OBSERVES, the program does not
 * wait for it there. */
uint64_t count_now(void)
{
    return rs_call_clock_ns(clock_id);
}

static void atomic_max(uint64_t *p, uint64_t v)
{
    uint64_t old = __atomic_load_n(p, __ATOMIC_RELAXED);

    while (v > old && !__atomic_compare_exchange_n(p, &old, v, 1, __ATOMIC_RELAXED, __ATOMIC_RELAXED))
        ;
}

void count_add_time(struct row *r, uint64_t t0, uint64_t t1)
{
    uint64_t t = t1 > t0 ? t1 - t0 : 0;

    rs_atomic_add(&r->ns, t);
    atomic_max(&r->max_ns, t);
    atomic_max(&r->min_inv, ~t);
}

static struct row *row_of(long nr)
{
    return rows && nr >= 0 && nr < RS_NSYS ? &rows[nr] : NULL;
}

static int before(struct rs_call *c)
{
    struct row *r = row_of(c->nr);

    if (r) {
        rs_atomic_add(&r->calls, 1);
        c->data = count_now();
    }
    return RS_CONTINUE;
}

/* A forked child returns through the hooks too: strace counts the call
 * once, in the parent. */
static int forked_child(const struct rs_call *c)
{
    return c->ret == 0 && (c->nr == SYS_clone || c->nr == SYS_clone3 || c->nr == SYS_fork ||
                           c->nr == SYS_vfork);
}

static void after(struct rs_call *c)
{
    struct row *r = row_of(c->nr);

    if (!r || forked_child(c))
        return;
    if (rs_is_err(c->ret))
        rs_atomic_add(&r->errors, 1);
    count_add_time(r, c->data, count_now());
}

/* A call a signal interrupted that the kernel makes again: strace counts
 * the interrupted attempt (its ERESTARTSYS an error) and the new one.  A
 * call that returned an error (ERESTARTNOHAND, EINTR) just before a signal
 * that kills the process never reaches after(): strace saw it end, so its
 * error counts here (its time does not: the start is kept in the stack's
 * frame, not here; a call that sleeps costs no system time anyway).  A
 * handler that longjmps out of a call loses that call's error. */
static void count_signal(const struct rs_signal *s)
{
    struct row *r;

    if (!s->call || s->call->abi != RS_ABI_X86_64 || !(r = row_of(s->call->nr)))
        return;
    if (s->state == RS_SIG_RESTART) {
        rs_atomic_add(&r->calls, 1);
        rs_atomic_add(&r->errors, 1);
    } else if (s->state == RS_SIG_RETURNED && s->fatal && rs_is_err(s->ret)) {
        rs_atomic_add(&r->errors, 1);
    }
}

/* rt_sigreturn returns the %rax of the frame it restores, and strace
 * counts an error when that is one (the EINTR of the call the signal
 * interrupted).  It never returns to its caller — no after() in process —
 * so the frame's %rax is read before it goes (arg[0]: the frame's
 * ucontext, ABI 1.3), in either placement. */

static int before_sigreturn(struct rs_call *c)
{
    struct row *r = row_of(c->nr);
    long rax;

    if (!r)
        return RS_CONTINUE;
    rs_atomic_add(&r->calls, 1);
    if (rs_sigreturn_word(c, RS_UC_RAX, &rax) && rs_is_err(rax))
        rs_atomic_add(&r->errors, 1);
    return RS_CONTINUE;
}

/* exec: counted on the way in (a successful one never returns); the new
 * image adds its time from the note left here. */
struct note *count_note(int pid, int claim)
{
    for (int i = 0; run && i < NOTES; i++) {
        int32_t expect = claim ? 0 : pid, got = __atomic_load_n(&run->note[i].pid, __ATOMIC_ACQUIRE);
        if (got == pid || (claim && got == 0 &&
                           __atomic_compare_exchange_n(&run->note[i].pid, &expect, pid, 0,
                                                       __ATOMIC_ACQ_REL, __ATOMIC_RELAXED)))
            return &run->note[i];
    }
    return NULL;
}

static int before_exec(struct rs_call *c)
{
    int pid = rs_getpid();
    struct note *n;

    before(c);
    if (!rows || !(n = count_note(pid, 1)))
        return RS_CONTINUE;
    n->slot = pid == my_pid ? my_slot : -1;   /* a CLONE_VM child (posix_spawn) has none */
    n->nr = (int32_t)c->nr;
    n->t0 = c->data;
    return RS_CONTINUE;
}

static void after_exec(struct rs_call *c)
{
    struct note *n = count_note(rs_getpid(), 0);

    if (n)
        __atomic_store_n(&n->pid, 0, __ATOMIC_RELEASE);
    after(c);
}

static void count_atfork(void)
{
    if (run)
        run_atfork();
}

/* A refused log fails the exec, as for any wrapper's log; anything else
 * that stops the run from being set up only leaves the program uncounted. */
static int count_init(const struct rs_options *o, char *err, size_t errsize)
{
    int r;

    if (rs_opt_check(o, err, errsize) || parse_options(o, err, errsize))
        return -1;
    if (run_join() || (r = run_create(err, errsize)) == 0)
        return 0;
    run = NULL;
    rows = NULL;
    if (r == -2)
        return -1;
    rs_dprintf(2, "runsel: count: %s: this program is not counted\n", err);
    return 0;
}

/* The root waits for the summary when it is the last of the run: its
 * caller then finds it written, as after strace -c. */
static void count_fini(int status)
{
    (void)status;
    if (run && my_pid == run->root_pid)
        run_wait_summary();
}

static const struct rs_handler handlers[] = {
    RS_WRAP_CALL(SYS_exit_group, NULL, NULL),
    RS_WRAP_CALL(SYS_exit, NULL, NULL),
    RS_WRAP_CALL(SYS_execve, before_exec, after_exec),
    RS_WRAP_CALL(SYS_execveat, before_exec, after_exec),
    RS_WRAP_CALL(SYS_rt_sigreturn, before_sigreturn, NULL),
    RS_WRAP_CALL(RS_ANY, before, after),
};

RS_OPTIONS("log", "sort", "columns", "latency", "per-process", "format");
/* RS_OBSERVES: count reads numbers, results and times only */
RS_WRAPPER("count", handlers, .summary = "count calls, errors and time of the whole run, like strace -c -f",
           .flags = RS_OBSERVES, .init = count_init, .fini = count_fini, .atfork = count_atfork, .signal = count_signal);

