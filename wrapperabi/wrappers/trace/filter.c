/* filter.c — which calls are printed: strace's -e trace=, -e status=,
 * -e signal= (filter_qualify.c), as trace's options trace=, status=,
 * signal=.
 *
 * trace=SET: a comma-separated list of call names or numbers, classes
 * (%file %process %network/%net %signal %ipc %desc %memory %creds %clock
 * %stat %lstat %fstat %%stat %statfs %fstatfs %%statfs %pure, also
 * without the %), all, none; a name with ? is ignored when unknown; a
 * leading ! prints every call but those.  strace's /REGEX has no engine
 * in a wrapper: runsel expands it into names before the wrapper starts.
 * status=SET: successful failed unfinished unavailable detached, all,
 * none, a leading ! as above.  signal=SET: signal names (with or without
 * SIG) or numbers, all, none, !: checked, and kept for the signal lines. */
#include "filter.h"
#include "trace.h"

static unsigned char traced[RS_NSYS];
static int trace_unknown = 1;          /* numbers beyond the table */
static unsigned status_mask = STATUS_ALL;
static uint64_t signal_mask = ~0ULL;

static int word_is(const char *w, size_t n, const char *s)
{
    return rs_strlen(s) == n && !rs_strncmp(w, s, n);
}

static long number(const char *w, size_t n)
{
    long v = 0;

    if (!n || n > 6)
        return -1;
    for (size_t i = 0; i < n; i++) {
        if (w[i] < '0' || w[i] > '9')
            return -1;
        v = v * 10 + (w[i] - '0');
    }
    return v;
}

/* %file, also written without the % (strace's older spelling): the
 * runtime's groups (wrapperabi/lib/sysclass.c), strace's. */
static int class_of(const char *w, size_t n, unsigned *cls)
{
    char name[16] = "%";

    if (n && w[0] == '%')
        w++, n--;
    if (!n || n >= sizeof(name) - 1)
        return 0;
    memcpy(name + 1, w, n);
    *cls = rs_class_from_name(name, n + 1);
    return *cls != 0;
}

static void mark_class(unsigned cls, unsigned char *set)
{
    for (long nr = 0; nr < RS_NSYS; nr++)
        if (rs_syscall_classes(nr) & cls)
            set[nr] = 1;
}

static int fail(char *err, size_t errsize, const char *what, const char *w, size_t n)
{
    rs_snprintf(err, errsize, "%s: unknown %.*s", what, (int)n, w);
    return -1;
}

static int parse_trace(const char *v, char *err, size_t errsize)
{
    unsigned char set[RS_NSYS] = {0};
    int neg = v[0] == '!', all = 0;
    const char *cur = v + neg;
    size_t n;
    const char *w;

    while ((w = rs_next_word(&cur, ',', &n))) {
        int optional = n && w[0] == '?';
        unsigned cls;
        long nr;
        if (optional)
            w++, n--;
        if (word_is(w, n, "all")) {
            all = 1;
            memset(set, 1, sizeof(set));
        } else if (word_is(w, n, "none")) {
            continue;
        } else if (n && w[0] == '/') {
            rs_snprintf(err, errsize, "trace=%.*s: a regular expression is expanded by runsel "
                        "(runsel -e trace=/REGEX), not here", (int)n, w);
            return -1;
        } else if (class_of(w, n, &cls)) {
            mark_class(cls, set);
        } else if ((nr = rs_syscall_from_name(w, n)) >= 0 || (nr = number(w, n)) >= 0) {
            if (nr < RS_NSYS)
                set[nr] = 1;
        } else if (!optional) {
            return fail(err, errsize, "trace= call or class", w, n);
        }
    }
    for (int i = 0; i < RS_NSYS; i++)
        traced[i] = (unsigned char)(set[i] ^ neg);
    trace_unknown = all ^ neg;
    return 0;
}

static int parse_status(const char *v, char *err, size_t errsize)
{
    static const struct {
        char name[12];
        unsigned bit;
    } st[] = {
        {"successful", STATUS_SUCCESSFUL}, {"failed", STATUS_FAILED},
        {"unfinished", STATUS_UNFINISHED}, {"unavailable", STATUS_UNAVAILABLE},
        {"detached", STATUS_DETACHED}, {"all", STATUS_ALL}, {"none", 0},
    };
    int neg = v[0] == '!';
    const char *cur = v + neg, *w;
    size_t n;
    unsigned mask = 0;

    while ((w = rs_next_word(&cur, ',', &n))) {
        size_t i;
        for (i = 0; i < sizeof(st) / sizeof(st[0]); i++)
            if (word_is(w, n, st[i].name))
                break;
        if (i == sizeof(st) / sizeof(st[0]))
            return fail(err, errsize, "status=", w, n);
        mask |= st[i].bit;
    }
    status_mask = neg ? STATUS_ALL & ~mask : mask;
    return 0;
}

static int signal_number(const char *w, size_t n)
{
    static const char names[][8] = {
        "", "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV",
        "USR2", "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU",
        "URG", "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS",
    };
    long nr = number(w, n);

    if (nr > 0 && nr <= 64)
        return (int)nr;
    if (n > 3 && !rs_strncmp(w, "SIG", 3))
        w += 3, n -= 3;
    for (int i = 1; i < 32; i++)
        if (word_is(w, n, names[i]))
            return i;
    if (word_is(w, n, "RTMIN"))
        return 32;
    if (n > 3 && !rs_strncmp(w, "RT_", 3) && (nr = number(w + 3, n - 3)) >= 0 && nr <= 32)
        return (int)(32 + nr);
    return 0;
}

static int parse_signal(const char *v, char *err, size_t errsize)
{
    int neg = v[0] == '!';
    const char *cur = v + neg, *w;
    size_t n;
    uint64_t mask = 0;

    while ((w = rs_next_word(&cur, ',', &n))) {
        int s;
        if (word_is(w, n, "all"))
            mask = ~0ULL;
        else if (word_is(w, n, "none"))
            continue;
        else if ((s = signal_number(w, n)))
            mask |= 1ULL << (s - 1);
        else
            return fail(err, errsize, "signal=", w, n);
    }
    signal_mask = neg ? ~mask : mask;
    return 0;
}

int filter_init(const struct rs_options *o, char *err, size_t errsize)
{
    const char *v;

    memset(traced, 1, sizeof(traced));
    if ((v = rs_opt(o, "trace")) && parse_trace(v, err, errsize))
        return -1;
    if ((v = rs_opt(o, "status")) && parse_status(v, err, errsize))
        return -1;
    if ((v = rs_opt(o, "signal")) && parse_signal(v, err, errsize))
        return -1;
    return 0;
}

int filter_call(long nr, int native)
{
    if (!native)
        return trace_unknown || traced[RS_NSYS - 1];
    return nr >= 0 && nr < RS_NSYS ? traced[nr] : trace_unknown;
}

unsigned filter_status(void)
{
    return status_mask;
}

int filter_signal(int sig)
{
    return sig > 0 && sig <= 64 && (signal_mask >> (sig - 1) & 1);
}
