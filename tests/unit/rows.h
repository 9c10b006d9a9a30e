/* rows.h — a tiny harness for table-driven unit tests (the *check.c files here).
 *
 * A test is groups of rows: input and expected output.  rows_begin(GROUP)
 * opens a group; every row that fails prints
 *     not ok GROUP: ROW-TEXT: got GOT, want WANT
 * and rows_end() prints `ok GROUP (N rows)` when none failed.  main returns
 * rows_exit(): non-zero if any row failed.  The lines are those
 * tests/run.sh counts (ok / not ok). */
#ifndef RUNSEL_TESTS_ROWS_H
#define RUNSEL_TESTS_ROWS_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const char *rows_group;
static int rows_n, rows_bad, rows_any_bad;

static inline void rows_begin(const char *group)
{
    rows_group = group;
    rows_n = rows_bad = 0;
}

/* One row counted; a failure printed with the row's text. */
__attribute__((format(printf, 2, 3)))
static inline int rows_check(int good, const char *fmt, ...)
{
    va_list ap;

    rows_n++;
    if (good)
        return 1;
    rows_bad++;
    rows_any_bad = 1;
    printf("not ok %s: ", rows_group);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    putchar('\n');
    return 0;
}

static inline void rows_end(void)
{
    if (!rows_bad)
        printf("ok %s (%d rows)\n", rows_group, rows_n);
    else
        printf("# %s: %d of %d rows failed\n", rows_group, rows_bad, rows_n);
    fflush(stdout);
}

static inline int rows_exit(void)
{
    return rows_any_bad;
}

/* s (n bytes; n < 0: up to its NUL) as a C literal, in one of four
 * rotating static buffers (so a message can quote a few at once). */
static inline const char *rows_q(const char *s, long n)
{
    static char bufs[4][1024];
    static int k;
    char *b = bufs[k++ & 3], *p = b, *end = b + sizeof(bufs[0]) - 8;

    if (!s)
        return "NULL";
    if (n < 0)
        n = (long)strlen(s);
    *p++ = '"';
    for (long i = 0; i < n && p < end; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\')
            p += sprintf(p, "\\%c", c);
        else if (c < 32 || c > 126)
            p += sprintf(p, "\\x%02x", c);
        else
            *p++ = (char)c;
    }
    if (p >= end)
        p += sprintf(p, "...");
    *p++ = '"';
    *p = 0;
    return b;
}

#define ROWS_COUNT(t) (sizeof(t) / sizeof((t)[0]))

#endif
