/* args.c — runsel's command line: its own options and strace's spellings,
 * one table for the parser and for --help (so the help cannot list an
 * option the parser does not take, or miss one).
 *
 * Short options bundle as strace's do (-fftt, -s64, -etrace=%file, -ofile);
 * long options take --name=VALUE or --name VALUE.  Where the two command
 * lines collide, the rule is:
 *   -o VALUE  a wrapper option when VALUE is KEY=... with KEY a bare
 *             option key ([a-z][a-z0-9_-]*), else strace's output file
 *             (write ./a=b for a file of that name);
 *   -w        strace's --summary-wall-clock once -c or -C came before it
 *             (-c and -C choose the wrappers: they cannot be combined with
 *             -w WRAPPER), else -w WRAPPER;
 *   -b        runsel's -b BACKEND (strace's -b execve is not supported);
 *   -c        strace's count (runsel's list is --config CONFIG). */
#define _GNU_SOURCE
#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "runsel.h"

enum arg { NO_ARG, ARG, OPT_ARG };

struct opt {
    char letter;                /* short option, or 0 */
    const char *name;           /* long option without --, or NULL */
    enum arg arg;
    const char *argname;        /* for --help */
    void (*set)(struct request *rq, const char *v, const char *as);
    const char *help;           /* --help text (print_opts wraps it) */
};

/* ---- values ---- */

/* Values become words of $RUNSEL_RUN, read as a selected.conf line:
 * control characters would forge lines, blanks split words, # starts a
 * comment, a lone + a new wrapper. */
static void check_arg(const char *what, const char *v)
{
    for (const unsigned char *p = (const unsigned char *)v; *p; p++)
        if (*p < 0x20 || *p == 0x7f)
            die(2, "%s: control character in argument", what);
    if (!strcmp(v, "+"))
        die(2, "%s: '+' is not a wrapper or an option", what);
}

static const char *spec_value(const char *what, const char *v)
{
    check_arg(what, v);
    if (strpbrk(v, " \t#"))
        die(2, "%s %s: blanks and '#' cannot be passed to a wrapper", what, v);
    return v;
}

/* Is v one of the words, each maybe after !, comma-separated? */
static void check_list(const char *what, const char *v, const char *const *words, int neg)
{
    const char *p = v + (neg && *v == '!');

    spec_value(what, v);
    do {
        const char *comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        size_t k = 0;
        while (words[k] && !(strlen(words[k]) == n && !memcmp(words[k], p, n)))
            k++;
        if (!words[k])
            die(2, "%s: invalid value '%.*s'", what, (int)n, p);
        p = comma ? comma + 1 : p + n;
    } while (*p || p[-1] == ',');
}

static void check_number(const char *what, const char *v)
{
    if (!*v || strspn(v, "0123456789") != strlen(v) || strlen(v) > 9)
        die(2, "invalid %s argument: '%s'", what, v);
}

/* A signal as strace takes one: a number 0..255, or a name (any case, SIG
 * optional) of the standard signals, RTMIN or RT_1..RT_32. */
static int signal_ok(const char *s, size_t n)
{
    static const char *const names[] = {
        "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV",
        "USR2", "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN",
        "TTOU", "URG", "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS", "RTMIN",
        NULL};
    char up[16];

    if (n && isdigit((unsigned char)s[0]))
        return n <= 3 && strspn(s, "0123456789") >= n && atoi(s) <= 255;
    if (n >= 3 && !strncasecmp(s, "SIG", 3))
        s += 3, n -= 3;
    if (n == 0 || n >= sizeof(up))
        return 0;
    for (size_t i = 0; i < n; i++)
        up[i] = (char)toupper((unsigned char)s[i]);
    up[n] = 0;
    for (int i = 0; names[i]; i++)
        if (!strcmp(names[i], up))
            return 1;
    if (!strncmp(up, "RT_", 3) && up[3] && strspn(up + 3, "0123456789") == n - 3)
        return atoi(up + 3) >= 1 && atoi(up + 3) <= 32;
    return !strcmp(up, "ALL") || !strcmp(up, "NONE");
}

/* ---- runsel's own options ---- */

static void set_wrapper(struct request *rq, const char *v, const char *as)
{
    check_arg(as, v);
    if (rq->n == SEL_MAX_STACK)
        die(2, "at most %d wrappers (-w)", SEL_MAX_STACK);
    rq->wrapper[rq->n++] = v;
}

/* KEY=VALUE with KEY a bare option key ([a-z][a-z0-9_-]*: '_' too, so
 * that a misspelt allow_write= is refused as an unknown option, not
 * taken for a file name): a wrapper's option. */
static int is_option_word(const char *v)
{
    const char *p = v;

    if (!(*p >= 'a' && *p <= 'z'))
        return 0;
    while ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-' || *p == '_')
        p++;
    return *p == '=';
}

/* "/cwd/" + rel; rel as it is when already absolute. */
static void absolute(const char *what, const char *rel, char *out, size_t size)
{
    char cwd[PATH_MAX];

    if (rel[0] == '/' || !getcwd(cwd, sizeof(cwd))) {
        if ((size_t)snprintf(out, size, "%s", rel) >= size)
            die(2, "%s %s: path too long", what, rel);
        return;
    }
    if ((size_t)snprintf(out, size, "%s%s%s", cwd, strcmp(cwd, "/") ? "/" : "", rel) >= size)
        die(2, "%s %s: path too long", what, rel);
}

/* strace's -o FILE (and --output=FILE, always a file). */
static void set_output(struct request *rq, const char *v, const char *as)
{
    if (v[0] == '|' || v[0] == '!')
        die(2, "%s %s: piping the output to a command is not supported", as, v);
    if (!*v)
        die(2, "%s: empty file name", as);
    absolute(as, spec_value(as, v), rq->st.output, sizeof(rq->st.output));
}

/* -o KEY=VALUE: an option of the -w before it (before any -w: the
 * first wrapper's); -o FILE: strace's. */
static void set_o(struct request *rq, const char *v, const char *as)
{
    char word[PATH_MAX + 8] = "log=";

    check_arg(as, v);
    if (!is_option_word(v)) {
        rq->st.used = 1;
        set_output(rq, v, as);
        return;
    }
    /* log=REL is made absolute here, once: the wrapper would resolve it
     * in each exec'd program's own directory, and the lines of one
     * process could end up in two files after a cd and an exec.
     * log=syslog is no file: the system log (a file of that name is
     * log=./syslog). */
    if (!strncmp(v, "log=", 4) && v[4] && v[4] != '/' && strcmp(v + 4, "syslog"))
        absolute(as, v + 4, word + 4, sizeof(word) - 4);
    else
        snprintf(word, sizeof(word), "%s", v);
    append(rq->opts[rq->n ? rq->n - 1 : 0], sizeof(rq->opts[0]), word);
}

static void set_backend(struct request *rq, const char *v, const char *as)
{
    check_arg(as, v);
    rq->backend = v;
}

static void set_config(struct request *rq, const char *v, const char *as)
{
    check_arg(as, v);
    rq->config = v;
}

static void set_placement(struct request *rq, const char *v, const char *as)
{
    check_arg(as, v);
    if (strcmp(v, "process") && strcmp(v, "inprocess") && strcmp(v, "kernel"))
        die(2, "%s %s: expected inprocess, process or kernel", as, v);
    rq->process = !strcmp(v, "process");
    rq->kernel = !strcmp(v, "kernel");
}

static void set_exec_file(struct request *rq, const char *v, const char *as)
{
    check_arg(as, v);
    if (v[0] != '/')
        die(2, "%s %s: an absolute path", as, v);
    rq->exec_file = v;
}

static void set_no_fastpath(struct request *rq, const char *v, const char *as)
{
    (void)v, (void)as;
    rq->no_fastpath = 1;
}

static void set_dry_run(struct request *rq, const char *v, const char *as)
{
    (void)v, (void)as;
    rq->dry_run = 1;
}

static void set_list(struct request *rq, const char *v, const char *as)
{
    (void)v, (void)as;
    rq->list = 1;
}

static void set_help(struct request *rq, const char *v, const char *as)
{
    (void)rq, (void)v, (void)as;
    print_help();
    exit(0);
}

/* ---- strace's ---- */

static void set_follow(struct request *rq, const char *v, const char *as)
{
    (void)v, (void)as;
    rq->st.follow++;
}

static void set_append(struct request *rq, const char *v, const char *as)
{
    (void)v, (void)as;
    rq->st.append = 1;
}

static void set_strsize(struct request *rq, const char *v, const char *as)
{
    (void)as;
    check_number("-s", v);
    rq->st.strsize = v;
}

static void set_trace(struct request *rq, const char *v, const char *as)
{
    check_arg(as, v);
    sysexpr_trace(v, rq->st.trace, sizeof(rq->st.trace));
}

static void set_status(struct request *rq, const char *v, const char *as)
{
    static const char *const words[] = {"successful", "failed", "unfinished", "unavailable",
                                        "detached", "all", "none", NULL};
    (void)as;
    check_list("status", v, words, 1);
    rq->st.status = v;
}

static void set_successful(struct request *rq, const char *v, const char *as)
{
    (void)v, (void)as;
    rq->st.status = "successful";
}

static void set_failed(struct request *rq, const char *v, const char *as)
{
    (void)v, (void)as;
    rq->st.status = "failed";
}

static void set_signal(struct request *rq, const char *v, const char *as)
{
    const char *p = v + (*v == '!');

    spec_value(as, v);
    do {
        const char *comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        if (!signal_ok(p, n))
            die(2, "invalid signal '%.*s'", (int)n, p);
        p = comma ? comma + 1 : p + n;
    } while (*p || p[-1] == ',');
    rq->st.signal = v;
}

static void add_inject(struct request *rq, const char *v, const char *as, int is_fault)
{
    spec_value(as, v);
    sysexpr_inject(v, is_fault, rq->st.inject, sizeof(rq->st.inject));
}

static void set_inject(struct request *rq, const char *v, const char *as)
{
    add_inject(rq, v, as, 0);
}

static void set_fault(struct request *rq, const char *v, const char *as)
{
    add_inject(rq, v, as, 1);
}

/* strace's decode-fds SET, read as its qualify_tokens reads one: each
 * leading ! inverts it; then all or none (alone, in lower case), or words
 * of path, socket, dev, pidfd in any case joined by commas (empty ones
 * skipped).  Returned as trace's decode-fds= takes it: none, all, or the
 * words of the set in trace's order. */
static const char *decode_fds_value(const char *v)
{
    static const char *const words[] = {"path", "socket", "dev", "pidfd"};
    static char out[32];
    const char *p = v;
    int invert = 0, bits = 0, any = 0;

    spec_value("decode-fds", v);
    for (; *p == '!'; p++)
        invert = !invert;
    if (!strcmp(p, "all")) {
        bits = 15;
    } else if (strcmp(p, "none")) {
        while (*p) {
            size_t n = strcspn(p, ","), k = 0;
            while (n && k < 4 && !(strlen(words[k]) == n && !strncasecmp(words[k], p, n)))
                k++;
            if (n && k == 4)
                die(2, "invalid decode-fds '%.*s'", (int)n, p);
            if (n) {
                bits |= 1 << k;
                any = 1;
            }
            p += n + (p[n] == ',');
        }
        if (!any)
            die(2, "invalid decode-fds '%s'", v);
    }
    if (invert)
        bits ^= 15;
    *out = 0;
    for (int k = 0; k < 4; k++)
        if (bits & (1 << k))
            snprintf(out + strlen(out), sizeof(out) - strlen(out), "%s%s", *out ? "," : "", words[k]);
    return bits == 15 ? "all" : bits ? out : "none";
}

/* --decode-fds[=SET], -e decode-fds=SET: the last SET wins; -y, -yy
 * count (settled by decode_fds_settle once all options are read). */
static void set_decode_fds(struct request *rq, const char *v, const char *as)
{
    if (as[1] != '-' && !v)                             /* -y */
        rq->st.yflag++;
    else
        rq->st.decode_fds = decode_fds_value(v ? v : "path");
}

/* strace's rule: -y (path), -yy (all), or a SET, not both. */
static void decode_fds_settle(struct strace *st)
{
    if (!st->yflag)
        return;
    if (st->decode_fds)
        die(2, "-y and --decode-fds cannot be provided simultaneously");
    st->decode_fds = st->yflag == 1 ? "path" : "all";
}

/* -e QUALIFIER=VALUE, or -e NAMES (trace=). */
static void set_expr(struct request *rq, const char *v, const char *as)
{
    static const struct {
        const char *q;
        void (*set)(struct request *, const char *, const char *);
    } quals[] = {
        {"trace", set_trace},   {"t", set_trace},       {"status", set_status},
        {"signal", set_signal}, {"signals", set_signal}, {"s", set_signal},
        {"inject", set_inject}, {"fault", set_fault},   {"decode-fds", set_decode_fds},
        {"decode-fd", set_decode_fds},
    };
    static const char *const unsupported[] = {"abbrev", "a", "verbose", "v", "raw", "x",
                                              "read", "reads", "r", "write", "writes", "w",
                                              "quiet", "silent", "silence", "q", "kvm", NULL};
    const char *eq = strchr(v, '=');
    size_t n = eq ? (size_t)(eq - v) : 0;

    for (size_t i = 0; eq && i < sizeof(quals) / sizeof(quals[0]); i++)
        if (strlen(quals[i].q) == n && !memcmp(quals[i].q, v, n)) {
            quals[i].set(rq, eq + 1, as);
            return;
        }
    for (int i = 0; eq && unsupported[i]; i++)
        if (strlen(unsupported[i]) == n && !memcmp(unsupported[i], v, n))
            die(2, "-e %.*s=: strace's qualifier, not supported by runsel (see runsel --help)",
                (int)n, v);
    set_trace(rq, v, as);
}

static void count_ts(struct request *rq, const char *v, const char *as)
{
    (void)v, (void)as;
    rq->st.ts++;
}

static void set_relative(struct request *rq, const char *v, const char *as)
{
    (void)v, (void)as;
    rq->st.relative = 1;
}

static void set_syscall_times(struct request *rq, const char *v, const char *as)
{
    (void)v, (void)as;
    rq->st.syscall_times = 1;
}

static void set_verbose(struct request *rq, const char *v, const char *as)
{
    (void)v, (void)as;
    rq->st.verbose = 1;
}

static void count_x(struct request *rq, const char *v, const char *as)
{
    (void)v, (void)as;
    rq->st.xstrings++;
}

static void set_xlat(struct request *rq, const char *v, const char *as)
{
    static const char *const words[] = {"raw", "abbrev", "verbose", NULL};

    (void)as;
    check_list("-X", v, words, 0);
    rq->st.xlat = v;
}

static void count_q(struct request *rq, const char *v, const char *as)
{
    (void)v, (void)as;
    rq->st.quiet++;
}

static void set_decode_pids(struct request *rq, const char *v, const char *as)
{
    (void)as;
    if (v && strcmp(v, "comm"))
        die(2, "invalid decode-pids '%s' (runsel decodes comm)", v);
    rq->st.decode_pids = "comm";
}

static void set_count(struct request *rq, const char *v, const char *as)
{
    (void)v;
    rq->st.count = as[1] == '-' ? (!strcmp(as, "--summary") ? 'C' : 'c') : as[1];
}

static void set_sortby(struct request *rq, const char *v, const char *as)
{
    static const char *const words[] = {"time", "min-time", "max-time", "avg-time", "calls",
                                        "errors", "name", "nothing", NULL};

    (void)as;
    check_list("sortby", v, words, 0);
    rq->st.sortby = v;
}

static void set_columns(struct request *rq, const char *v, const char *as)
{
    static const char *const words[] = {"time-percent", "total-time", "min-time", "max-time",
                                        "avg-time", "calls", "errors", "name", NULL};

    (void)as;
    check_list("column", v, words, 0);
    rq->st.columns = v;
}

static void set_latency(struct request *rq, const char *v, const char *as)
{
    (void)v, (void)as;
    rq->st.latency = 1;
}

/* -p PID (strace's, and its comma- or space-separated lists). */
static void add_attach(struct request *rq, const char *v, const char *as)
{
    const char *s = v;

    while (*s) {
        char *end;
        long pid = strtol(s, &end, 10);
        if (end == s || pid <= 0 || pid > 4194304 ||   /* PID_MAX_LIMIT */
            (*end && *end != ',' && *end != ' '))
            die(2, "%s %s: not a process id", as, v);
        if (rq->npids == (int)(sizeof(rq->pids) / sizeof(rq->pids[0])))
            die(2, "%s: at most %d processes", as, (int)(sizeof(rq->pids) / sizeof(rq->pids[0])));
        rq->pids[rq->npids++] = (pid_t)pid;
        s = *end ? end + 1 : end;
    }
}

static const struct opt runsel_opts[] = {
    {'w', NULL, ARG, "WRAPPER", set_wrapper,
     "a wrapper: NAME (NAME.so in the wrapper directory) or a "
     "path; default: PROGRAM's selected.conf entry, else trace. "
     "Several make a stack, outermost first (-w sandbox -w trace: "
     "trace sees what the sandbox lets through).  After -c or -C, "
     "-w is strace's --summary-wall-clock"},
    {'o', NULL, ARG, "KEY=VALUE", set_o,
     "an option of the -w before it, e.g. -o log=out.%p; runsel's: "
     "inherit=no (children run unwrapped), syscalls=LIST (narrow "
     "what the wrapper sees).  -o FILE is strace's output file "
     "(write ./a=b for a file named like an option)"},
    {'b', NULL, ARG, "BACKEND", set_backend, "auto (default), sud or kmod (not strace's -b)"},
    {0, "no-fastpath", NO_ARG, NULL, set_no_fastpath,
     "no system call site of the program is rewritten: every "
     "intercepted call takes the backend's path (fastpath=no)"},
    {0, "config", ARG, "CONFIG", set_config, "CONFIG is the selection list ($RUNSEL_CONFIG)"},
    {0, "placement", ARG, "WHERE", set_placement,
     "inprocess (default): the wrappers run inside the program; process: "
     "in a supervisor process the program cannot reach; kernel: their rules "
     "that fail or kill calls as a seccomp filter, the rest in process "
     "(docs/placement.md)"},
    {0, "exec-file", ARG, "FILE", set_exec_file,
     "run FILE (absolute, exactly that file), PROGRAM being only its "
     "argv[0]: how runsel's loader hands runsel the program of a "
     "placement=process entry"},
    {0, "dry-run", NO_ARG, NULL, set_dry_run,
     "print the request ($RUNSEL_RUN) and the loader's command "
     "line; run nothing"},
    {0, "list", NO_ARG, NULL, set_list, "list the installed wrappers"},
    {'h', "help", NO_ARG, NULL, set_help, "this text"},
};

static const struct opt strace_opts[] = {
    {'f', "follow-forks", NO_ARG, NULL, set_follow,
     "follow children (-ff with -o FILE: a FILE.PID each); "
     "without -f, neither children nor exec'd programs"},
    {0, "output", ARG, "FILE", set_output, "-o FILE"},
    {'A', "output-append-mode", NO_ARG, NULL, set_append, "-o FILE is appended to, not truncated"},
    {'s', "string-limit", ARG, "STRSIZE", set_strsize, "at most STRSIZE bytes of each string"},
    {'e', NULL, ARG, "EXPR", set_expr,
     "trace=SET (or SET alone), status=SET, signal=SET, "
     "inject=SET:error=E|retval=N[:when=W], "
     "fault=SET[:error=E][:when=W], decode-fds=SET"},
    {0, "trace", ARG, "SET", set_trace, "-e trace=SET"},
    {0, "status", ARG, "SET", set_status, "-e status=SET"},
    {0, "signal", ARG, "SET", set_signal, "-e signal=SET"},
    {0, "inject", ARG, "SPEC", set_inject, "-e inject=SPEC"},
    {0, "fault", ARG, "SPEC", set_fault, "-e fault=SPEC"},
    {'z', "successful-only", NO_ARG, NULL, set_successful, "-e status=successful"},
    {'Z', "failed-only", NO_ARG, NULL, set_failed, "-e status=failed"},
    {'t', NULL, NO_ARG, NULL, count_ts, "time of day (-tt: with microseconds, -ttt: epoch)"},
    {'r', "relative-timestamps", NO_ARG, NULL, set_relative, "time since the previous call"},
    {'T', "syscall-times", NO_ARG, NULL, set_syscall_times, "time spent in each call"},
    {'y', "decode-fds", OPT_ARG, "SET", set_decode_fds,
     "paths of descriptors (-yy: socket endpoints, devices and pidfds instead; "
     "SET of path, socket, dev, pidfd, all, none, with !)"},
    {'v', "no-abbrev", NO_ARG, NULL, set_verbose, "structures in full"},
    {'x', NULL, NO_ARG, NULL, count_x, "non-ASCII strings in hex (-xx: all strings)"},
    {'X', "const-print-style", ARG, "FORMAT", set_xlat, "constants: raw, abbrev or verbose"},
    {'q', NULL, NO_ARG, NULL, count_q, "fewer messages (-qq: no exit status lines)"},
    {0, "decode-pids", ARG, "comm", set_decode_pids, "the command name of each pid"},
    {'Y', NULL, NO_ARG, NULL, set_decode_pids, "--decode-pids=comm"},
    {'c', "summary-only", NO_ARG, NULL, set_count, "a summary only (the count wrapper)"},
    {'C', "summary", NO_ARG, NULL, set_count, "the trace and the summary"},
    {'S', "summary-sort-by", ARG, "SORTBY", set_sortby,
     "time, min-time, max-time, avg-time, calls, errors, "
     "name or nothing"},
    {'U', "summary-columns", ARG, "COLUMNS", set_columns,
     "of time-percent, total-time, min-time, max-time, "
     "avg-time, calls, errors, name"},
    {0, "summary-wall-clock", NO_ARG, NULL, set_latency,
     "the summary's times are wall-clock (-w after -c, -C)"},
    {'p', "attach", ARG, "PID", add_attach,
     "attach to the running process PID and its threads (again for more; "
     "strace's PID,PID): its calls reach the stack in a supervisor, as with "
     "--placement=process, until it ends or runsel gets SIGINT, SIGTERM or "
     "SIGHUP, which detach and leave it running; no PROGRAM then"},
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
/* strace's options runsel does not take, for a clearer message. */
static const char unsupported_letters[] = "aDdEIiknOPuV";

static const struct opt *find(char letter, const char *name, size_t n, int *strace)
{
    for (int t = 0; t < 2; t++) {
        const struct opt *tab = t ? strace_opts : runsel_opts;
        size_t cnt = t ? COUNT(strace_opts) : COUNT(runsel_opts);
        for (size_t i = 0; i < cnt; i++)
            if ((letter && tab[i].letter == letter) ||
                (name && tab[i].name && strlen(tab[i].name) == n && !memcmp(tab[i].name, name, n))) {
                *strace = t;
                return &tab[i];
            }
    }
    return NULL;
}

static void apply(struct request *rq, const struct opt *o, int strace, const char *v,
                  const char *as)
{
    if (strace)
        rq->st.used = 1;
    o->set(rq, v, as);
}

/* --NAME[=VALUE] at argv[*i]. */
static void long_option(struct request *rq, int argc, char **argv, int *i)
{
    const char *a = argv[*i] + 2, *eq = strchr(a, '=');
    size_t n = eq ? (size_t)(eq - a) : strlen(a);
    int strace;
    const struct opt *o = find(0, a, n, &strace);
    const char *v = eq ? eq + 1 : NULL;
    char as[64];

    if (!o)
        die(2, "unknown option --%.*s (see runsel --help)", (int)n, a);
    snprintf(as, sizeof(as), "--%s", o->name);
    if (o->arg == NO_ARG && v)
        die(2, "option --%s takes no value", o->name);
    if (o->arg == ARG && !v) {
        if (*i + 1 >= argc)
            die(2, "option --%s needs a value", o->name);
        v = argv[++*i];
    }
    apply(rq, o, strace, v, as);
}

/* -abc at argv[*i]: each letter an option; one taking a value takes the
 * rest of the word, or the next argument. */
static void short_options(struct request *rq, int argc, char **argv, int *i)
{
    for (const char *p = argv[*i] + 1; *p; p++) {
        char as[3] = {'-', *p, 0};
        int strace;
        const struct opt *o;
        if (*p == 'w' && rq->st.count) {          /* strace's -w after -c/-C */
            apply(rq, find(0, "summary-wall-clock", 18, &strace), 1, NULL, as);
            continue;
        }
        if (!(o = find(*p, NULL, 0, &strace))) {
            if (strchr(unsupported_letters, *p))
                die(2, "-%c: strace's option, not supported by runsel (see runsel --help)", *p);
            die(2, "unknown option -%c (see runsel --help)", *p);
        }
        if (o->arg != ARG) {                        /* -y: --decode-fds's value is long only */
            apply(rq, o, strace, NULL, as);
            continue;
        }
        const char *v = p[1] ? p + 1 : NULL;
        if (!v && *i + 1 >= argc)
            die(2, "option -%c needs a value", *p);
        apply(rq, o, strace, v ? v : argv[++*i], as);
        return;
    }
}

/* Conflicts between strace's options, as strace reports them. */
static void check_strace(const struct request *rq)
{
    const struct strace *st = &rq->st;

    if (st->count && st->follow >= 2)
        die(2, "(-c/--summary-only or -C/--summary) and -ff/--output-separately are mutually "
            "exclusive");
    if (st->count && rq->n)
        die(2, "-%c chooses the wrappers (count): it cannot be combined with -w WRAPPER "
            "(give -w count, and -S, -U, --summary-wall-clock for it)", st->count);
    if (!st->count && !rq->n && st->columns)
        die(2, "-U/--summary-columns must be given with (-c/--summary-only or -C/--summary)");
    if (!st->count && !rq->n && st->latency)
        die(2, "--summary-wall-clock must be given with (-c/--summary-only or -C/--summary)");
}

int parse_args(int argc, char **argv, struct request *rq)
{
    int i;

    for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        if (!strcmp(argv[i], "--")) {
            i++;
            break;
        }
        if (argv[i][1] == '-')
            long_option(rq, argc, argv, &i);
        else
            short_options(rq, argc, argv, &i);
        if (rq->list)
            return i;
    }
    check_strace(rq);
    decode_fds_settle(&rq->st);
    if (!rq->st.count && !rq->n && rq->st.sortby) {
        fprintf(stderr, "runsel: -S/--summary-sort-by has no effect without (-c/--summary-only "
                "or -C/--summary)\n");
        rq->st.sortby = NULL;
    }
    return i;
}

/* ---- --help, from the tables ---- */

/* "  LEFT  help", the help's words wrapped under each other within 80
 * columns; a LEFT too wide for its column gets a line of its own. */
static void print_opts(const struct opt *tab, size_t n)
{
    enum { COL = 24, WIDTH = 80 - COL - 3 };

    for (size_t i = 0; i < n; i++) {
        const struct opt *o = &tab[i];
        char left[64] = "";
        size_t k = 0;
        if (o->letter)
            k += (size_t)snprintf(left + k, sizeof(left) - k, "-%c%s%s", o->letter,
                                  o->arg != NO_ARG && !o->name ? " " : "",
                                  o->arg != NO_ARG && !o->name ? o->argname : "");
        if (o->name)
            k += (size_t)snprintf(left + k, sizeof(left) - k, "%s--%s%s%s%s", o->letter ? ", " : "",
                                  o->name, o->arg == OPT_ARG ? "[=" : o->arg == ARG ? "=" : "",
                                  o->arg != NO_ARG ? o->argname : "", o->arg == OPT_ARG ? "]" : "");
        if (k >= COL)
            printf("  %s\n  %-*s ", left, COL, "");
        else
            printf("  %-*s ", COL, left);
        size_t col = 0;
        for (const char *h = o->help; *h;) {
            size_t w = strcspn(h, " ");
            if (col && col + 1 + w > WIDTH) {
                printf("\n  %-*s ", COL, "");
                col = 0;
            }
            printf("%s%.*s", col ? " " : "", (int)w, h);
            col += (col ? 1 : 0) + w;
            h += w;
            h += strspn(h, " ");
        }
        putchar('\n');
    }
}

void print_help(void)
{
    printf("usage: runsel [-w WRAPPER [-o KEY=VALUE]...]... [-b BACKEND] [--no-fastpath]\n"
           "              [--config CONFIG] [--dry-run] [STRACE OPTIONS]\n"
           "              [--] PROGRAM [ARGS...]\n"
           "       runsel --list\n"
           "\n"
           "Run PROGRAM with a system call wrapper: its system calls, and those of\n"
           "the programs it runs, reach the wrapper inside the program.\n"
           "\n");
    print_opts(runsel_opts, COUNT(runsel_opts));
    printf("\n"
           "strace's options, with strace's meanings (README: the differences).  They\n"
           "imply the wrappers when no -w is given: trace; count for -c; trace and\n"
           "count for -C; fault under them for -e inject=/fault=.  With -w they go to\n"
           "the trace, count or fault wrapper of the stack (an error if there is none).\n"
           "\n");
    print_opts(strace_opts, COUNT(strace_opts));
    printf("\n"
           "Exit status: PROGRAM's; 127 if it cannot be found, 126 if it cannot\n"
           "be run or wrapped, 2 for a usage error.\n");
}
