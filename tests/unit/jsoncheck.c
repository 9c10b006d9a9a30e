/* jsoncheck.c — table tests of the wrapper runtime's JSON pieces
 * (wrapperabi/lib/json.c): the string escaper on every single byte, on
 * UTF-8 well and badly formed (RFC 3629: overlong forms, surrogates, past
 * U+10FFFF, cut short), at every buffer size (never half an escape or half
 * a character, and full said); RFC 3339 times against the host's gmtime_r
 * over leap days, century years and random instants up to 2554 (the end of
 * 64-bit nanoseconds since 1970, what CLOCK_REALTIME gives); errno names. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <runsel/wrapper.h>
#include <runsel/print.h>
#include "rows.h"

static const char *json_of(const void *s, size_t n, char *mem, size_t size, int *full)
{
    struct rs_buf b;

    rs_buf_init(&b, mem, size, 0);
    rs_put_json_str(&b, s, n);
    *full = b.full;
    mem[b.n < size ? b.n : size - 1] = 0;
    return mem;
}

/* ---- one byte: what RFC 8259 allows as itself, the short escapes, else
 * \u00XX; a byte of 0x80 and above alone is not UTF-8 and is escaped. */
static void want_byte(unsigned c, char *out)
{
    const char *sh = c == '"' ? "\\\"" : c == '\\' ? "\\\\" : c == '\n' ? "\\n" : c == '\r' ? "\\r" :
                     c == '\t' ? "\\t" : c == '\b' ? "\\b" : c == '\f' ? "\\f" : NULL;

    if (sh)
        sprintf(out, "\"%s\"", sh);
    else if (c < 0x20 || c >= 0x7f)
        sprintf(out, "\"\\u%04x\"", c);
    else
        sprintf(out, "\"%c\"", c);
}

static void test_bytes(void)
{
    char mem[64], want[16];
    int full;

    rows_begin("json: every single byte");
    for (unsigned c = 0; c < 256; c++) {
        unsigned char s = (unsigned char)c;
        want_byte(c, want);
        json_of(&s, 1, mem, sizeof(mem), &full);
        rows_check(!strcmp(mem, want) && !full, "byte 0x%02x: got %s, want %s", c, mem, want);
    }
    rows_end();
}

static const struct {
    const char *in;
    size_t n;           /* 0: strlen */
    const char *want;
} utf8_rows[] = {
    {"", 0, "\"\""},
    {"plain ascii", 0, "\"plain ascii\""},
    {"\xc3\xa9", 0, "\"\xc3\xa9\""},                          /* é */
    {"\xe2\x82\xac", 0, "\"\xe2\x82\xac\""},                  /* € */
    {"\xf0\x9f\x98\x80", 0, "\"\xf0\x9f\x98\x80\""},          /* U+1F600 */
    {"\xf4\x8f\xbf\xbf", 0, "\"\xf4\x8f\xbf\xbf\""},          /* U+10FFFF, the last */
    {"\xed\x9f\xbf", 0, "\"\xed\x9f\xbf\""},                  /* U+D7FF, before the surrogates */
    {"\xee\x80\x80", 0, "\"\xee\x80\x80\""},                  /* U+E000, after them */
    {"\xc0\x80", 0, "\"\\u00c0\\u0080\""},                    /* overlong NUL */
    {"\xc1\xbf", 0, "\"\\u00c1\\u00bf\""},                    /* overlong */
    {"\xe0\x9f\xbf", 0, "\"\\u00e0\\u009f\\u00bf\""},         /* overlong 3 bytes */
    {"\xf0\x8f\xbf\xbf", 0, "\"\\u00f0\\u008f\\u00bf\\u00bf\""}, /* overlong 4 bytes */
    {"\xed\xa0\x80", 0, "\"\\u00ed\\u00a0\\u0080\""},         /* U+D800, a surrogate */
    {"\xed\xbf\xbf", 0, "\"\\u00ed\\u00bf\\u00bf\""},         /* U+DFFF */
    {"\xf4\x90\x80\x80", 0, "\"\\u00f4\\u0090\\u0080\\u0080\""}, /* past U+10FFFF */
    {"\xf5\x80\x80\x80", 0, "\"\\u00f5\\u0080\\u0080\\u0080\""},
    {"\xe2\x82", 0, "\"\\u00e2\\u0082\""},                    /* cut short */
    {"\xe2\x82x", 0, "\"\\u00e2\\u0082x\""},                  /* interrupted */
    {"\xc3", 0, "\"\\u00c3\""},
    {"a\0b", 3, "\"a\\u0000b\""},                              /* NUL inside */
    {"tab\there \"q\" back\\slash", 0, "\"tab\\there \\\"q\\\" back\\\\slash\""},
    {"\x7f", 0, "\"\\u007f\""},
    {"/", 0, "\"/\""},                                         /* no need to escape / */
};

static void test_utf8(void)
{
    char mem[256];
    int full;

    rows_begin("json: UTF-8, well and badly formed");
    for (size_t i = 0; i < sizeof(utf8_rows) / sizeof(utf8_rows[0]); i++) {
        size_t n = utf8_rows[i].n ? utf8_rows[i].n : strlen(utf8_rows[i].in);
        json_of(utf8_rows[i].in, n, mem, sizeof(mem), &full);
        rows_check(!strcmp(mem, utf8_rows[i].want) && !full, "row %zu: got %s, want %s", i, mem,
                   utf8_rows[i].want);
    }
    rows_end();
}

/* Where the units of a JSON string's inside start: an escape (\\X, or
 * \\uXXXX), an ASCII character, or a UTF-8 sequence by its lead byte. */
static int unit_starts(const char *t, size_t len, unsigned char *start)
{
    size_t i = 0;

    memset(start, 0, len + 1);
    while (i < len) {
        unsigned char c = (unsigned char)t[i];
        size_t u = c == '\\' ? (t[i + 1] == 'u' ? 6 : 2) : c < 0x80 ? 1 : c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
        start[i] = 1;
        i += u;
    }
    start[len] = 1;
    return i == len;
}

/* At every size the text is a prefix of the roomy one that ends between two
 * units (never half an escape or half a character), and full says whether
 * it is all of it. */
static void test_sizes(void)
{
    static const char in[] = "a\xc3\xa9\"\x01\xe2\x82\xac\\\xff\xf0\x9f\x98\x80z";
    char all[256], mem[256];
    unsigned char start[256];
    int full;

    json_of(in, sizeof(in) - 1, all, sizeof(all), &full);
    size_t inner = strlen(all) - 2;                /* without the quotes */
    rows_begin("json: the escaper at every buffer size");
    rows_check(unit_starts(all + 1, inner, start), "the roomy text parses: %s", all);
    for (size_t size = 1; size <= strlen(all) + 1; size++) {
        struct rs_buf b;
        rs_buf_init(&b, mem, size, 0);
        rs_put_json_escaped(&b, in, sizeof(in) - 1);
        size_t n = b.n < size ? b.n : size;
        rows_check(n <= inner && !memcmp(mem, all + 1, n) && start[n] && (b.full || n == inner),
                   "size %zu: %zu bytes (%.*s), full %d", size, n, (int)n, mem, b.full);
    }
    rows_end();
}

/* ---- RFC 3339 against gmtime_r */

static void want_time(int64_t sec, unsigned usec, char *out, size_t size)
{
    time_t t = (time_t)sec;
    struct tm tm;

    gmtime_r(&t, &tm);
    snprintf(out, size, "%04d-%02d-%02dT%02d:%02d:%02d.%06uZ", tm.tm_year + 1900, tm.tm_mon + 1,
             tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, usec);
}

static void test_times(void)
{
    static const int64_t fixed[] = {
        0, 59, 86399, 86400, 951782400 /* 2000-02-29 */, 951868800 /* 2000-03-01 */,
        4107542400 /* 2100-02-28 */, 4107628800 /* 2100-03-01 */, 1709164800 /* 2024-02-29 */,
        1735689599 /* 2024-12-31 23:59:59 */, 18446744072 /* 2554-07-21, the last second
                                                          * nanoseconds since 1970 hold in 64 bits */
    };
    char mem[64], want[64];

    rows_begin("json: RFC 3339 times, against gmtime_r");
    srand(1);
    for (int i = 0; i < 20000; i++) {
        int64_t sec = i < (int)(sizeof(fixed) / sizeof(fixed[0])) ? fixed[i]
                                                                   : ((int64_t)rand() << 16 ^ rand()) % 18446744073;
        unsigned usec = (unsigned)(rand() % 1000000);
        struct rs_buf b;
        rs_buf_init(&b, mem, sizeof(mem), 0);
        rs_put_rfc3339(&b, (uint64_t)sec * 1000000000u + usec * 1000u + (unsigned)(rand() % 1000));
        mem[b.n] = 0;
        want_time(sec, usec, want, sizeof(want));
        rows_check(!strcmp(mem, want), "%lld.%06u: got %s, want %s", (long long)sec, usec, mem, want);
    }
    rows_end();
}

static void test_errno(void)
{
    static const struct {
        long err;
        const char *want;
    } rows[] = {{0, "null"}, {2, "\"ENOENT\""}, {13, "\"EACCES\""}, {4095, "\"4095\""}};
    char mem[64];

    rows_begin("json: errno values");
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        struct rs_buf b;
        rs_buf_init(&b, mem, sizeof(mem), 0);
        rs_put_json_errno(&b, rows[i].err);
        mem[b.n] = 0;
        rows_check(!strcmp(mem, rows[i].want), "%ld: got %s, want %s", rows[i].err, mem, rows[i].want);
    }
    rows_end();
}

int main(void)
{
    test_bytes();
    test_utf8();
    test_sizes();
    test_times();
    test_errno();
    return rows_exit();
}
