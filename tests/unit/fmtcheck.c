/* fmtcheck.c — table test of the wrappers' formatter, rs_vsnprintf /
 * rs_snprintf (wrapperabi/lib/fmt.c).
 *
 * Rows with want == NULL use the formats runsel shares with C: the host
 * libc's vsnprintf, given the same format and arguments, is the oracle.
 * Rows with a want string are where runsel deliberately differs (no
 * floating point, %p of NULL, %s of NULL under a precision, stray '%').
 * Every row is also formatted into buffers of every size from 0 to one
 * past its length: the bytes written, the NUL, the untouched bytes after
 * the buffer and the return value (the full length) must match. */
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <runsel/wrapper.h>
#include "rows.h"

struct farg {
    char t;     /* i int, u unsigned, l long, U unsigned long, q long long,
                   Q unsigned long long, z size_t, s string, p pointer */
    union {
        int i;
        unsigned u;
        long l;
        unsigned long ul;
        long long ll;
        unsigned long long ull;
        size_t z;
        const char *s;
        void *p;
    } v;
};
#define I(x) {'i', {.i = (x)}}
#define U(x) {'u', {.u = (x)}}
#define L(x) {'l', {.l = (x)}}
#define UL(x) {'U', {.ul = (x)}}
#define LL(x) {'q', {.ll = (x)}}
#define ULL(x) {'Q', {.ull = (x)}}
#define Z(x) {'z', {.z = (x)}}
#define S(x) {'s', {.s = (x)}}
#define P(x) {'p', {.p = (void *)(x)}}

struct frow {
    const char *fmt;
    struct farg a[3];   /* any last one; before it int or string (or s, U) */
    const char *want;   /* NULL: what the host's vsnprintf makes */
};

static const struct frow rows[] = {
    /* plain text and %% */
    {"", {}, NULL},
    {"plain text", {}, NULL},
    {"100%%", {}, NULL},
    {"%%d%%", {}, NULL},
    /* %d %i: flags, width, precision */
    {"%d", {I(0)}, NULL},
    {"%d", {I(42)}, NULL},
    {"%d", {I(-42)}, NULL},
    {"%i", {I(-7)}, NULL},
    {"%d", {I(INT_MAX)}, NULL},
    {"%d", {I(INT_MIN)}, NULL},
    {"%5d|", {I(42)}, NULL},
    {"%-5d|", {I(42)}, NULL},
    {"%05d", {I(42)}, NULL},
    {"%05d", {I(-42)}, NULL},
    {"%-05d|", {I(-42)}, NULL},
    {"%+d", {I(42)}, NULL},
    {"%+d", {I(-42)}, NULL},
    {"%+d", {I(0)}, NULL},
    {"% d", {I(42)}, NULL},
    {"% d", {I(-42)}, NULL},
    {"%+ d", {I(42)}, NULL},
    {"% +d", {I(42)}, NULL},
    {"%+05d", {I(42)}, NULL},
    {"% 05d", {I(42)}, NULL},
    {"%.3d", {I(7)}, NULL},
    {"%.3d", {I(-7)}, NULL},
    {"%.3d", {I(12345)}, NULL},
    {"%8.3d|", {I(-7)}, NULL},
    {"%-8.3d|", {I(-7)}, NULL},
    {"%08.3d", {I(-7)}, NULL},
    {"%.0d|", {I(0)}, NULL},
    {"%5.0d|", {I(0)}, NULL},
    {"%+.0d|", {I(0)}, NULL},
    {"%.0d", {I(3)}, NULL},
    {"%.d|", {I(0)}, NULL},
    {"%1d", {I(12345)}, NULL},
    {"%20d|", {I(INT_MIN)}, NULL},
    {"%020d", {I(INT_MIN)}, NULL},
    /* length modifiers, extremes */
    {"%ld", {L(LONG_MAX)}, NULL},
    {"%ld", {L(LONG_MIN)}, NULL},
    {"%li", {L(-1)}, NULL},
    {"%lld", {LL(LLONG_MAX)}, NULL},
    {"%lld", {LL(LLONG_MIN)}, NULL},
    {"%hd", {I(70000)}, NULL},
    {"%hd", {I(-32768)}, NULL},
    {"%hd", {I(32768)}, NULL},
    {"%hhd", {I(200)}, NULL},
    {"%hhd", {I(-129)}, NULL},
    {"%zd", {L(-5)}, NULL},
    {"%jd", {L(LONG_MIN)}, NULL},
    {"%td", {L(PTRDIFF_MAX)}, NULL},
    {"%u", {U(0)}, NULL},
    {"%u", {U(UINT_MAX)}, NULL},
    {"%lu", {UL(ULONG_MAX)}, NULL},
    {"%llu", {ULL(ULLONG_MAX)}, NULL},
    {"%zu", {Z(SIZE_MAX)}, NULL},
    {"%ju", {UL(UINTMAX_MAX)}, NULL},
    {"%hu", {U(65537)}, NULL},
    {"%hhu", {U(300)}, NULL},
    {"%10lu|", {UL(12345)}, NULL},
    {"%-10lu|", {UL(12345)}, NULL},
    {"%010lu", {UL(12345)}, NULL},
    {"%.7lu", {UL(12345)}, NULL},
    /* %x %X %o and # */
    {"%x", {U(0)}, NULL},
    {"%x", {U(255)}, NULL},
    {"%X", {U(0xabcdef)}, NULL},
    {"%x", {U(UINT_MAX)}, NULL},
    {"%lx", {UL(ULONG_MAX)}, NULL},
    {"%llX", {ULL(0x123456789abcdefULL)}, NULL},
    {"%zx", {Z(SIZE_MAX)}, NULL},
    {"%hx", {U(0x12345)}, NULL},
    {"%hhx", {U(0x1ff)}, NULL},
    {"%#x", {U(0)}, NULL},
    {"%#x", {U(255)}, NULL},
    {"%#X", {U(255)}, NULL},
    {"%#8x|", {U(255)}, NULL},
    {"%#-8x|", {U(255)}, NULL},
    {"%#08x", {U(255)}, NULL},
    {"%08x", {U(0xbeef)}, NULL},
    {"%.6x", {U(0xbeef)}, NULL},
    {"%#.6x", {U(0xbeef)}, NULL},
    {"%#10.6x|", {U(0xbeef)}, NULL},
    {"%.0x|", {U(0)}, NULL},
    {"%#.0x|", {U(0)}, NULL},
    {"%o", {U(0)}, NULL},
    {"%o", {U(8)}, NULL},
    {"%o", {U(UINT_MAX)}, NULL},
    {"%lo", {UL(ULONG_MAX)}, NULL},
    {"%#o", {U(0)}, NULL},
    {"%#o", {U(8)}, NULL},
    {"%#.0o", {U(0)}, NULL},
    {"%#.3o", {U(8)}, NULL},
    {"%#.2o", {U(8)}, NULL},
    {"%#5o|", {U(8)}, NULL},
    {"%#05o", {U(8)}, NULL},
    {"%.0o|", {U(0)}, NULL},
    /* %p */
    {"%p", {P(0x1234)}, NULL},
    {"%p", {P(UINTPTR_MAX)}, NULL},
    {"%20p|", {P(0xdeadbeef)}, NULL},
    {"%-20p|", {P(0xdeadbeef)}, NULL},
    /* %c */
    {"%c", {I('a')}, NULL},
    {"%c%c", {I('o'), I('k')}, NULL},
    {"%3c|", {I('a')}, NULL},
    {"%-3c|", {I('a')}, NULL},
    {"%c", {I(0x141)}, NULL},
    {"[%c]", {I(0)}, NULL},
    {"[%3c]", {I(0)}, NULL},
    {"[%-3c]", {I(0)}, NULL},
    {"[%*c]", {I(-2), I(0)}, NULL},
    /* %s */
    {"%s", {S("")}, NULL},
    {"%s", {S("hello")}, NULL},
    {"%8s|", {S("hello")}, NULL},
    {"%-8s|", {S("hello")}, NULL},
    {"%2s|", {S("hello")}, NULL},
    {"%.3s|", {S("hello")}, NULL},
    {"%.0s|", {S("hello")}, NULL},
    {"%.s|", {S("hello")}, NULL},
    {"%.10s|", {S("hello")}, NULL},
    {"%8.3s|", {S("hello")}, NULL},
    {"%-8.3s|", {S("hello")}, NULL},
    {"%s", {S(NULL)}, NULL},
    {"%8s|", {S(NULL)}, NULL},
    {"%.6s|", {S(NULL)}, NULL},
    {"%s=%s", {S("key"), S("value")}, NULL},
    /* * width and precision */
    {"%*d|", {I(6), I(42)}, NULL},
    {"%*d|", {I(-6), I(42)}, NULL},
    {"%-*d|", {I(6), I(42)}, NULL},
    {"%0*d", {I(6), I(-42)}, NULL},
    {"%.*d", {I(4), I(42)}, NULL},
    {"%.*d", {I(-1), I(42)}, NULL},
    {"%.*s|", {I(3), S("hello")}, NULL},
    {"%.*s|", {I(0), S("hello")}, NULL},
    {"%.*s|", {I(-1), S("hello")}, NULL},
    {"%*s|", {I(7), S("ab")}, NULL},
    {"%*s|", {I(-7), S("ab")}, NULL},
    {"%*.*s|", {I(6), I(2), S("hello")}, NULL},
    {"%*.*d|", {I(-8), I(4), I(-3)}, NULL},
    {"%*c|", {I(3), I('z')}, NULL},
    {"%.*x", {I(5), U(0xab)}, NULL},
    {"%*lu|", {I(25), UL(ULONG_MAX)}, NULL},
    /* several conversions: arguments are taken in order */
    {"%s #%lu -> %s", {S("openat"), UL(3), S("ENOENT")}, NULL},
    {"%d %s", {I(-1), S("x")}, NULL},
    {"%s:%d", {S("file"), I(12)}, NULL},
    {"%d%d%d", {I(1), I(-2), I(3)}, NULL},
    {"%s%s%s", {S("a"), S(""), S("c")}, NULL},
    {"%d-%ld", {I(7), L(-8)}, NULL},
    {"%s %p", {S("at"), P(0x10)}, NULL},
    {"%*d:%s", {I(4), I(9), S("z")}, NULL},
    /* runsel differs: %p of NULL is 0 (glibc: "(nil)") */
    {"%p", {P(0)}, "0"},
    {"%5p|", {P(0)}, "    0|"},
    /* %s of NULL is "(null)" cut to the precision (glibc: nothing) */
    {"%.3s|", {S(NULL)}, "(nu|"},
    {"%.0s|", {S(NULL)}, "|"},
    /* + and space: glibc also puts them in front of %p, runsel does not */
    {"%+p", {P(0x12)}, "0x12"},
    /* what runsel does not support is copied, and takes no argument */
    {"%f|%d", {I(5)}, "%f|5"},
    {"%e %g %a", {}, "%e %g %a"},
    {"%n|", {}, "%n|"},
    {"%y", {}, "%y"},
    {"%Lf", {}, "%Lf"},
    {"%qd", {}, "%qd"},
    /* a '%' at the end of the format is dropped */
    {"abc%", {}, "abc"},
    {"%-5", {}, ""},
    {"%5%|", {}, "%|"},
};

enum { RS, LIBC };

static size_t via(int who, char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    size_t n;

    va_start(ap, fmt);
    if (who == RS) {
        n = rs_vsnprintf(buf, size, fmt, ap);
    } else {
        int r = vsnprintf(buf, size, fmt, ap);
        n = r < 0 ? (size_t)-1 : (size_t)r;
    }
    va_end(ap);
    return n;
}

/* The last argument, whatever its type, after the ones in front (P: "" or
 * "x, y,"). */
#define LAST(...)                                                                            \
    switch (a[n - 1].t) {                                                                    \
    case 'i': return via(who, buf, size, r->fmt, __VA_ARGS__ a[n - 1].v.i);                 \
    case 'u': return via(who, buf, size, r->fmt, __VA_ARGS__ a[n - 1].v.u);                 \
    case 'l': return via(who, buf, size, r->fmt, __VA_ARGS__ a[n - 1].v.l);                 \
    case 'U': return via(who, buf, size, r->fmt, __VA_ARGS__ a[n - 1].v.ul);                \
    case 'q': return via(who, buf, size, r->fmt, __VA_ARGS__ a[n - 1].v.ll);                \
    case 'Q': return via(who, buf, size, r->fmt, __VA_ARGS__ a[n - 1].v.ull);               \
    case 'z': return via(who, buf, size, r->fmt, __VA_ARGS__ a[n - 1].v.z);                 \
    case 's': return via(who, buf, size, r->fmt, __VA_ARGS__ a[n - 1].v.s);                 \
    case 'p': return via(who, buf, size, r->fmt, __VA_ARGS__ a[n - 1].v.p);                 \
    }                                                                                        \
    break

static int nargs(const struct frow *r)
{
    int n = 0;

    while (n < 3 && r->a[n].t)
        n++;
    return n;
}

static size_t format(int who, const struct frow *r, char *buf, size_t size)
{
    const struct farg *a = r->a;
    int n = nargs(r);
    char lead[3] = "";

    for (int k = 0; k + 1 < n; k++)
        lead[k] = a[k].t;
    switch (n) {
    case 0:
        return via(who, buf, size, r->fmt);
    case 1:
        LAST();
    case 2:
        if (!strcmp(lead, "i")) { LAST(a[0].v.i,); }
        if (!strcmp(lead, "s")) { LAST(a[0].v.s,); }
        break;
    case 3:
        if (!strcmp(lead, "ii")) { LAST(a[0].v.i, a[1].v.i,); }
        if (!strcmp(lead, "is")) { LAST(a[0].v.i, a[1].v.s,); }
        if (!strcmp(lead, "si")) { LAST(a[0].v.s, a[1].v.i,); }
        if (!strcmp(lead, "ss")) { LAST(a[0].v.s, a[1].v.s,); }
        if (!strcmp(lead, "sU")) { LAST(a[0].v.s, a[1].v.ul,); }
        break;
    }
    printf("not ok fmt: the table's row \"%s\" has arguments format() cannot pass\n", r->fmt);
    rows_any_bad = 1;
    return 0;
}

/* The row as text: its format and arguments. */
static const char *row_text(const struct frow *r)
{
    static char b[512];
    int k = snprintf(b, sizeof(b), "%s", rows_q(r->fmt, -1));

    for (int i = 0; i < nargs(r); i++) {
        const struct farg *a = &r->a[i];
        switch (a->t) {
        case 'i': k += snprintf(b + k, sizeof(b) - k, ", %d", a->v.i); break;
        case 'u': k += snprintf(b + k, sizeof(b) - k, ", %uu", a->v.u); break;
        case 'l': k += snprintf(b + k, sizeof(b) - k, ", %ldL", a->v.l); break;
        case 'U': k += snprintf(b + k, sizeof(b) - k, ", %luUL", a->v.ul); break;
        case 'q': k += snprintf(b + k, sizeof(b) - k, ", %lldLL", a->v.ll); break;
        case 'Q': k += snprintf(b + k, sizeof(b) - k, ", %lluULL", a->v.ull); break;
        case 'z': k += snprintf(b + k, sizeof(b) - k, ", (size_t)%zu", a->v.z); break;
        case 's': k += snprintf(b + k, sizeof(b) - k, ", %s", rows_q(a->v.s, -1)); break;
        case 'p': k += snprintf(b + k, sizeof(b) - k, ", (void *)%#lx", (unsigned long)a->v.p); break;
        }
    }
    return b;
}

#define CANARY 0x5a
#define ROOM 512

int main(void)
{
    char want[ROOM], got[ROOM];
    size_t wn, gn;

    rows_begin("fmt: rs_vsnprintf, rows against the host's vsnprintf or runsel's own text");
    for (size_t i = 0; i < ROWS_COUNT(rows); i++) {
        const struct frow *r = &rows[i];
        if (r->want) {
            wn = strlen(r->want);
            memcpy(want, r->want, wn + 1);
        } else {
            wn = format(LIBC, r, want, sizeof(want));
        }
        memset(got, CANARY, sizeof(got));
        gn = format(RS, r, got, sizeof(got));
        rows_check(gn == wn && wn < ROOM && !memcmp(got, want, wn + 1), "%s -> %s (%zu), want %s (%zu)%s",
                   row_text(r), rows_q(got, gn < ROOM ? (long)gn : 0), gn, rows_q(want, (long)wn), wn,
                   r->want ? "" : " as the host's");
    }
    rows_end();

    /* Truncation: each row into buffers of size 0 .. its length + 1; what
     * lands in the buffer is the full text cut to size - 1, then a NUL,
     * and nothing is written past it.  Size 0 gets a NULL buffer. */
    rows_begin("fmt: every row at every buffer size 0..length+1 (0: NULL buffer)");
    for (size_t i = 0; i < ROWS_COUNT(rows); i++) {
        const struct frow *r = &rows[i];
        char full[ROOM];
        size_t fn = r->want ? strlen(r->want) : format(LIBC, r, full, sizeof(full));
        if (r->want)
            memcpy(full, r->want, fn + 1);
        for (size_t size = 0; size <= fn + 1 && size < ROOM; size++) {
            memset(got, CANARY, sizeof(got));
            gn = format(RS, r, size ? got : NULL, size);
            int good = gn == fn;
            if (size) {
                size_t k = size - 1 < fn ? size - 1 : fn;
                good &= !memcmp(got, full, k) && got[k] == 0;
                for (size_t j = size; j < ROOM; j++)
                    good &= got[j] == CANARY;
            }
            if (!rows_check(good, "%s into %zu bytes -> %s (%zu), want %s cut there (%zu)", row_text(r), size,
                            rows_q(got, size ? (long)size : 0), gn, rows_q(full, (long)fn), fn))
                break;
        }
    }
    rows_end();

    /* rs_snprintf is rs_vsnprintf with the arguments at hand. */
    rows_begin("fmt: rs_snprintf");
    {
        char b[16];
        size_t n = rs_snprintf(b, sizeof(b), "%s-%d-%c", "ab", -12, 'z');
        rows_check(n == 8 && !strcmp(b, "ab--12-z"), "\"%%s-%%d-%%c\", \"ab\", -12, 'z' -> %s (%zu), want \"ab--12-z\" (8)", rows_q(b, -1), n);
        n = rs_snprintf(b, 4, "%lu", 123456UL);
        rows_check(n == 6 && !strcmp(b, "123"), "\"%%lu\", 123456 into 4 -> %s (%zu), want \"123\" (6)", rows_q(b, -1), n);
        n = rs_snprintf(NULL, 0, "%.*s", 3, "abcdef");
        rows_check(n == 3, "NULL, 0, \"%%.*s\", 3, \"abcdef\" -> %zu, want 3", n);
    }
    rows_end();
    return rows_exit();
}
