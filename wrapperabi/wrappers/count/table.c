/* table.c — the summary as strace 6.1's -c prints it (src/count.c there,
 * read for the format): the columns of -U, each as wide as its header or
 * its widest value (seconds and usecs/call at least 11, calls and errors
 * 9, the name 16 or its longest name + 1), headers right-aligned but the
 * name's, a rule above and below the rows, the total line; percentages to
 * the hundredth and seconds to the microsecond rounded as %.2f and %.6f
 * round, usecs/call truncated; an errors cell blank when zero (the
 * total's too); rows sorted by the key of -S, ties in number order (as
 * the stable qsort strace's libc has).  Integers only (no floating point
 * in a wrapper).  Each table is written with one write(2). */
#include "count.h"                  /* first: _GNU_SOURCE */
#include <sys/mman.h>
#include <runsel/print.h>

/* s right-aligned in width columns, or left-aligned (the name). */
static void put_padded(struct rs_buf *t, const char *s, unsigned width, int left)
{
    size_t n = rs_strlen(s), start = t->n;

    if (!left && n < width)
        rs_pad_to(t, start + (width - n));
    rs_puts(t, s);
    if (left)
        rs_pad_to(t, start + width);
}

static const char col_head[][11] = {"", "% time", "seconds", "shortest", "longest", "usecs/call",
                                    "calls", "errors", "syscall"};

static uint64_t min_of(const struct row *r)
{
    return r->min_inv ? ~r->min_inv : 0;
}

static uint64_t avg_us(uint64_t ns, uint64_t calls)
{
    return calls ? ns / calls / 1000 : 0;
}

/* Seconds with 6 decimals, rounded to the microsecond as printf's %.6f. */
static void secs(char *b, size_t size, uint64_t ns)
{
    uint64_t us = (ns + 500) / 1000;

    rs_snprintf(b, size, "%lu.%06lu", (unsigned long)(us / 1000000), (unsigned long)(us % 1000000));
}

static const char *name_of(int nr, char *b, size_t size)
{
    const char *n = rs_syscall_name(nr);

    if (n)
        return n;
    rs_snprintf(b, size, "syscall_%#x", nr);
    return b;
}

/* Hundredths of a percent, rounded. */
static uint64_t pct(uint64_t t, uint64_t total)
{
    while (total > (1ULL << 44))
        t >>= 1, total >>= 1;
    return total ? (t * 20000 / total + 1) / 2 : 0;
}

static uint64_t sort_key(const struct row *r, int col)
{
    switch (col) {
    case C_MIN: return min_of(r);
    case C_MAX: return r->max_ns;
    case C_AVG: return r->calls ? r->ns / r->calls : 0;
    case C_CALLS: return r->calls;
    case C_ERRORS: return r->errors;
    default: return r->ns;
    }
}

/* Stable (ties stay in number order, as strace's qsort leaves them). */
static int ranks_before(const struct row *rs, int a, int b, int col)
{
    char x[32], y[32];

    if (col == C_NONE)
        return 0;
    if (col == C_NAME)
        return rs_strcmp(name_of(a, x, sizeof(x)), name_of(b, y, sizeof(y))) < 0;
    return sort_key(&rs[a], col) > sort_key(&rs[b], col);
}

struct totals {
    struct row sum;                   /* min_inv: of the smallest min */
    uint64_t max_min, max_avg;
    unsigned name_len;
};

static void cell(struct rs_buf *t, int col, const struct row *r, const char *name,
                 const struct totals *tot, unsigned w, int last, int is_total)
{
    char b[48] = "";

    switch (col) {
    case C_PCT: {
        uint64_t p = is_total ? 10000 : pct(r->ns, tot->sum.ns);
        rs_snprintf(b, sizeof(b), "%lu.%02lu", (unsigned long)(p / 100), (unsigned long)(p % 100));
        break;
    }
    case C_TOTAL: secs(b, sizeof(b), r->ns); break;
    case C_MIN: secs(b, sizeof(b), min_of(r)); break;
    case C_MAX: secs(b, sizeof(b), r->max_ns); break;
    case C_AVG: rs_snprintf(b, sizeof(b), "%lu", (unsigned long)avg_us(r->ns, r->calls)); break;
    case C_CALLS: rs_snprintf(b, sizeof(b), "%lu", (unsigned long)r->calls); break;
    case C_ERRORS:
        if (r->errors)                /* blank when none, the total too */
            rs_snprintf(b, sizeof(b), "%lu", (unsigned long)r->errors);
        break;
    case C_NAME:
        put_padded(t, name, last ? 0 : w, 1);
        return;
    }
    put_padded(t, b, w, 0);
}

static unsigned width_of(int col, const struct totals *tot)
{
    char b[48];
    unsigned w = (unsigned)rs_strlen(col_head[col]), v = 0;

    switch (col) {
    case C_PCT: v = 6; break;
    case C_TOTAL: secs(b, sizeof(b), tot->sum.ns); v = (unsigned)rs_strlen(b); w = 11; break;
    case C_MIN: v = (unsigned)rs_snprintf(b, sizeof(b), "%lu.000000", (unsigned long)(tot->max_min / 1000000000)); break;
    case C_MAX: v = (unsigned)rs_snprintf(b, sizeof(b), "%lu.000000", (unsigned long)(tot->sum.max_ns / 1000000000)); break;
    case C_AVG: v = (unsigned)rs_snprintf(b, sizeof(b), "%lu", (unsigned long)tot->max_avg); w = 11; break;
    case C_CALLS: v = (unsigned)rs_snprintf(b, sizeof(b), "%lu", (unsigned long)tot->sum.calls); w = 9; break;
    case C_ERRORS: v = (unsigned)rs_snprintf(b, sizeof(b), "%lu", (unsigned long)tot->sum.errors); w = 9; break;
    case C_NAME: v = tot->name_len + 1; w = 16; break;
    }
    return v > w ? v : w;
}

static void line_of(struct rs_buf *t, const struct settings *s, const unsigned *w, const struct row *r,
                    const char *name, const struct totals *tot, int is_total)
{
    for (int i = 0; s->columns[i]; i++) {
        if (i)
            rs_puts(t, " ");
        cell(t, s->columns[i], r, name, tot, w[i], !s->columns[i + 1], is_total);
    }
    rs_puts(t, "\n");
}

static void rule(struct rs_buf *t, const struct settings *s, const unsigned *w)
{
    for (int i = 0; s->columns[i]; i++) {
        rs_puts(t, i ? " " : "");
        for (unsigned k = 0; k < w[i]; k++)
            rs_puts(t, "-");
    }
    rs_puts(t, "\n");
}

/* The rows with calls, in the order of sort= (into order), and their
 * totals; how many. */
static int sorted_rows(const struct settings *s, const struct row *rs, short *order, struct totals *out)
{
    struct totals tot = {0};
    char nb[32];
    int n = 0;

    for (int nr = 0; nr < RS_NSYS; nr++) {
        const struct row *r = &rs[nr];
        if (!r->calls)
            continue;
        int j = n++;
        for (; j > 0 && ranks_before(rs, nr, order[j - 1], s->sort); j--)
            order[j] = order[j - 1];
        order[j] = (short)nr;
        tot.sum.calls += r->calls;
        tot.sum.errors += r->errors;
        tot.sum.ns += r->ns;
        tot.sum.max_ns = r->max_ns > tot.sum.max_ns ? r->max_ns : tot.sum.max_ns;
        tot.sum.min_inv = r->min_inv > tot.sum.min_inv ? r->min_inv : tot.sum.min_inv;
        tot.max_min = min_of(r) > tot.max_min ? min_of(r) : tot.max_min;
        tot.max_avg = avg_us(r->ns, r->calls) > tot.max_avg ? avg_us(r->ns, r->calls) : tot.max_avg;
        unsigned len = (unsigned)rs_strlen(name_of(nr, nb, sizeof(nb)));
        tot.name_len = len > tot.name_len ? len : tot.name_len;
    }
    *out = tot;
    return n;
}

static void table(struct rs_buf *t, const struct settings *s, const struct row *rs)
{
    static short order[RS_NSYS];
    struct totals tot;
    unsigned w[9];
    char nb[32];
    int n = sorted_rows(s, rs, order, &tot);

    for (int i = 0; s->columns[i]; i++)
        w[i] = width_of(s->columns[i], &tot);
    for (int i = 0; s->columns[i]; i++) {
        rs_puts(t, i ? " " : "");
        int is_name = s->columns[i] == C_NAME;
        put_padded(t, col_head[s->columns[i]], is_name && !s->columns[i + 1] ? 0 : w[i], is_name);
    }
    rs_puts(t, "\n");
    rule(t, s, w);
    for (int k = 0; k < n; k++)
        line_of(t, s, w, &rs[order[k]], name_of(order[k], nb, sizeof(nb)), &tot, 0);
    rule(t, s, w);
    line_of(t, s, w, &tot.sum, "total", &tot, 1);
}

/* ---- format=json: an object per row, then the total, in the table's
 * order; numbers as the table prints them (seconds to the microsecond,
 * percent to the hundredth), but as JSON numbers.
 *     {"time":"...","pid":42,"program":"/bin/sh","call":"openat",
 *      "calls":5,"errors":2,"seconds":0.000123,"usecs_per_call":24,"percent":12.50}
 *     {"time":"...","pid":42,"program":"/bin/sh","total":true,"calls":...} */
static void json_row(struct rs_buf *t, uint64_t now, int pid, const char *program, const char *name,
                     const struct row *r, uint64_t total_ns)
{
    char sec[48];
    uint64_t p = name ? pct(r->ns, total_ns) : 10000;

    secs(sec, sizeof(sec), r->ns);
    rs_put_json_head(t, now, pid, 0, program);
    if (name) {
        rs_puts(t, ",\"call\":");
        rs_put_json_cstr(t, name);
    } else {
        rs_puts(t, ",\"total\":true");
    }
    rs_putf(t, ",\"calls\":%lu,\"errors\":%lu,\"seconds\":%s,\"usecs_per_call\":%lu,"
               "\"percent\":%lu.%02lu}\n",
            (unsigned long)r->calls, (unsigned long)r->errors, sec,
            (unsigned long)avg_us(r->ns, r->calls), (unsigned long)(p / 100), (unsigned long)(p % 100));
}

static void json_table(struct rs_buf *t, const struct settings *s, const struct row *rs, int pid,
                       const char *program)
{
    static short order[RS_NSYS];
    struct totals tot;
    char nb[32];
    uint64_t now = rs_realtime_ns();
    int n = sorted_rows(s, rs, order, &tot);

    for (int k = 0; k < n; k++)
        json_row(t, now, pid, program, name_of(order[k], nb, sizeof(nb)), &rs[order[k]], tot.sum.ns);
    json_row(t, now, pid, program, NULL, &tot.sum, tot.sum.ns);
}

static void write_text(struct rs_buf *t, struct rs_log *log)
{
    if (log->fd >= 0 && t->n)
        rs_log_write(log, t->b, t->n);   /* one write: a table stays whole in a shared log */
    t->n = 0;
}

static void slot_heading(struct rs_buf *t, const struct slot *s, int i)
{
    if (i == SLOTS)
        rs_putf(t, "processes beyond the first %d\n", SLOTS);
    else if (s->images > 1)
        rs_putf(t, "pid %d: %s, then %s\n", s->pid, s->first, s->last);
    else
        rs_putf(t, "pid %d: %s\n", s->pid, s->first);
}

void count_summary(struct rs_log *log)
{
    size_t cap = 256 * 1024;
    char *mem = (char *)rs_syscall(SYS_mmap, 0, cap, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    uint32_t n = run->nslots > SLOTS ? SLOTS + 1 : run->nslots;
    struct rs_buf t;
    int written = 0;

    if (rs_is_err((long)mem))
        return;
    rs_buf_init(&t, mem, cap, 0);
    if (!run->set.per_process) {
        if (run->set.json)
            json_table(&t, &run->set, run->total, run->root_pid, run->root_program);
        else
            table(&t, &run->set, run->total);
        write_text(&t, log);
        return;
    }
    for (uint32_t i = 0; i < n; i++) {
        const struct slot *s = &run->slot[i];
        if (log->per_pid && rs_log_reopen_pid(log, s->pid > 0 ? s->pid : run->root_pid, 0, 0))
            continue;
        if (run->set.json) {          /* the record says whose: no heading */
            json_table(&t, &run->set, s->row, s->pid, s->images > 1 ? s->last : s->first);
            write_text(&t, log);
            continue;
        }
        if (written++ && !log->per_pid)
            rs_puts(&t, "\n");
        slot_heading(&t, s, (int)i);
        table(&t, &run->set, s->row);
        write_text(&t, log);
    }
}
