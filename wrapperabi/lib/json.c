/* json.c — the pieces of a JSON line (format=json of trace, count, fault
 * and sandbox): a string value that is always valid JSON whatever bytes
 * the program handed us, an RFC 3339 time, and the fields every record
 * starts with.  Built into an rs_buf like any line (runsel/print.h), so a
 * record is one write(2) as a text line is. */
#include <runsel/wrapper.h>
#include <runsel/print.h>

/* The length of the well-formed UTF-8 sequence at s (at most n bytes), or
 * 0 when the bytes there are not one: overlong forms, surrogates and
 * code points past U+10FFFF count as malformed, as RFC 3629 says. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
    unsigned c = s[0];
    size_t len;
    unsigned min, cp;

    if (c < 0x80)
        return 1;
    if (c >= 0xc2 && c <= 0xdf)
        len = 2, min = 0x80, cp = c & 0x1f;
    else if (c >= 0xe0 && c <= 0xef)
        len = 3, min = 0x800, cp = c & 0x0f;
    else if (c >= 0xf0 && c <= 0xf4)
        len = 4, min = 0x10000, cp = c & 0x07;
    else
        return 0;
    if (len > n)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        cp = cp << 6 | (s[i] & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return len;
}

/* One byte that cannot stand as itself: the short escapes JSON has, else
 * \u00XX.  A byte outside well-formed UTF-8 is written as the code point
 * of the same number (Latin-1's reading of it), so the line stays valid
 * and the byte's value can still be read back. */
static void put_escape(struct rs_buf *o, unsigned char c)
{
    static const char hex[] = "0123456789abcdef";
    char e[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};

    switch (c) {
    case '"': rs_puts(o, "\\\""); return;
    case '\\': rs_puts(o, "\\\\"); return;
    case '\n': rs_puts(o, "\\n"); return;
    case '\r': rs_puts(o, "\\r"); return;
    case '\t': rs_puts(o, "\\t"); return;
    case '\b': rs_puts(o, "\\b"); return;
    case '\f': rs_puts(o, "\\f"); return;
    }
    rs_put(o, e, sizeof(e));
}

void rs_put_json_escaped(struct rs_buf *o, const void *s, size_t n)
{
    const unsigned char *p = s;

    for (size_t i = 0; i < n;) {
        size_t len = utf8_len(p + i, n - i);
        if (o->n + 6 > o->cap) {       /* stop between units: never half an escape */
            o->full = 1;
            return;
        }
        if (len == 1 && p[i] >= 0x20 && p[i] != '"' && p[i] != '\\' && p[i] != 0x7f) {
            rs_putc(o, (char)p[i]);
        } else if (len > 1) {
            rs_put(o, p + i, len);
        } else {
            put_escape(o, p[i]);
            len = 1;
        }
        i += len;
    }
}

/* A string that lost its end to a full buffer would leave the record
 * unterminated: the caller checks o->full and drops or shortens it. */
void rs_put_json_str(struct rs_buf *o, const void *s, size_t n)
{
    rs_putc(o, '"');
    rs_put_json_escaped(o, s, n);
    rs_putc(o, '"');
}

void rs_put_json_cstr(struct rs_buf *o, const char *s)
{
    if (s)
        rs_put_json_str(o, s, rs_strlen(s));
    else
        rs_puts(o, "null");
}

/* Days since 1970-01-01 to a proleptic Gregorian date: eras of 400 years
 * (146097 days) counted from 0000-03-01, so the leap day ends a year. */
static void civil_date(int64_t days, unsigned *y, unsigned *m, unsigned *d)
{
    int64_t z = days + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;

    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (unsigned)(yoe + era * 400 + (*m <= 2));
}

void rs_put_rfc3339(struct rs_buf *o, uint64_t realtime_ns)
{
    uint64_t s = realtime_ns / 1000000000u;
    unsigned y, mo, d, sod = (unsigned)(s % 86400);

    civil_date((int64_t)(s / 86400), &y, &mo, &d);
    rs_putf(o, "%04u-%02u-%02uT%02u:%02u:%02u.%06luZ", y, mo, d, sod / 3600, sod / 60 % 60,
            sod % 60, (unsigned long)(realtime_ns / 1000 % 1000000));
}

uint64_t rs_realtime_ns(void)
{
    long ts[2];

    if (rs_syscall(SYS_clock_gettime, 0 /* CLOCK_REALTIME */, ts))
        return 0;
    return (uint64_t)ts[0] * 1000000000u + (uint64_t)ts[1];
}

void rs_put_json_head(struct rs_buf *o, uint64_t realtime_ns, int pid, int tid, const char *program)
{
    rs_puts(o, "{\"time\":\"");
    rs_put_rfc3339(o, realtime_ns);
    rs_putf(o, "\",\"pid\":%d,", pid);
    if (tid)
        rs_putf(o, "\"tid\":%d,", tid);
    rs_puts(o, "\"program\":");
    rs_put_json_cstr(o, program);
}

void rs_put_json_errno(struct rs_buf *o, long err)
{
    const char *name = err ? rs_errno_name(err) : NULL;

    if (!err)
        rs_puts(o, "null");
    else if (name)
        rs_put_json_cstr(o, name);
    else
        rs_putf(o, "\"%ld\"", err);
}
