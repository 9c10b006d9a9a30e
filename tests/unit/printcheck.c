/* printcheck.c — table tests of runsel/print.h (wrapperabi/lib/print.c):
 * strace's quoting of bytes in each style, named values and flags in each
 * -X style, and a buffer that never overflows. */
#include <stdio.h>
#include <string.h>
#include <runsel/print.h>
#include <runsel/wrapper.h>
#include "rows.h"
#include "stubhost.h"

static const struct {
    const char *in;
    size_t n;
    unsigned style;
    const char *want;
} quote_rows[] = {
    {"abc", 3, 0, "\"abc\""},
    {"a\"b\\c", 5, 0, "\"a\\\"b\\\\c\""},
    {"\t\n\v\f\r", 5, 0, "\"\\t\\n\\v\\f\\r\""},
    {"\001x", 2, 0, "\"\\1x\""},
    {"\0017", 2, 0, "\"\\0017\""},        /* an octal escape before a digit is three long */
    {"\033[", 2, 0, "\"\\33[\""},
    {"\200\377", 2, 0, "\"\\200\\377\""},
    {"\0", 1, 0, "\"\\0\""},
    {"a\0b", 3, 0, "\"a\\0b\""},
    {"\0" "1", 2, 0, "\"\\0001\""},
    {"ab\200", 3, RS_QUOTE_NONASCII, "\"\\x61\\x62\\x80\""},   /* strace -x: all of it */
    {"a\n", 2, RS_QUOTE_NONASCII, "\"a\\n\""},                     /* C escapes do not count */
    {"a\tb\001", 4, RS_QUOTE_NONASCII, "\"\\x61\\x09\\x62\\x01\""},
    {"ab", 2, RS_QUOTE_HEX, "\"\\x61\\x62\""},
    {"", 0, 0, "\"\""},
};

static const struct rs_xlat xl[] = {{0, "ZERO"}, {1, "ONE"}, {2, "TWO"}, {4, "FOUR"}, {0, NULL}};
/* a multi-bit flag before its parts, as O_SYNC before O_DSYNC */
static const struct rs_xlat fl[] = {{1, "F_A"}, {6, "F_BC"}, {2, "F_B"}, {0, NULL}};

static const struct {
    int flags;          /* 0: rs_put_xval, 1: rs_put_flags */
    unsigned long v;
    const char *dflt;
    unsigned style;
    const char *want;
} xlat_rows[] = {
    {0, 1, NULL, RS_XLAT_ABBREV, "ONE"},
    {0, 9, NULL, RS_XLAT_ABBREV, "9"},
    {0, 9, "X_???", RS_XLAT_ABBREV, "0x9 /* X_??? */"},
    {0, 2, NULL, RS_XLAT_RAW, "2"},
    {0, 2, "X_???", RS_XLAT_RAW, "0x2"},
    {0, 2, NULL, RS_XLAT_VERBOSE, "2 /* TWO */"},
    {1, 1, NULL, RS_XLAT_ABBREV, "F_A"},
    {1, 7, NULL, RS_XLAT_ABBREV, "F_A|F_BC"},       /* table order, a multi-bit flag whole */
    {1, 0x11, NULL, RS_XLAT_ABBREV, "F_A|0x10"},
    {1, 0x10, NULL, RS_XLAT_ABBREV, "0x10"},
    {1, 0x10, "F_???", RS_XLAT_ABBREV, "0x10 /* F_??? */"},
    {1, 0, NULL, RS_XLAT_ABBREV, "0"},
    {1, 3, NULL, RS_XLAT_RAW, "0x3"},
    {1, 3, NULL, RS_XLAT_VERBOSE, "0x3 /* F_A|F_B */"},
};

int main(void)
{
    char mem[256];
    struct rs_buf b;

    stubhost_start();
    rows_begin("print: rs_put_quoted");
    for (size_t i = 0; i < ROWS_COUNT(quote_rows); i++) {
        rs_buf_init(&b, mem, sizeof(mem), quote_rows[i].style);
        rs_put_quoted(&b, quote_rows[i].in, quote_rows[i].n);
        rows_check(!strcmp(b.b, quote_rows[i].want), "%s -> %s, want %s", rows_q(quote_rows[i].in, (int)quote_rows[i].n),
                   b.b, quote_rows[i].want);
    }
    rows_end();

    rows_begin("print: rs_put_xval, rs_put_flags");
    for (size_t i = 0; i < ROWS_COUNT(xlat_rows); i++) {
        rs_buf_init(&b, mem, sizeof(mem), xlat_rows[i].style);
        if (xlat_rows[i].flags)
            rs_put_flags(&b, fl, xlat_rows[i].v, xlat_rows[i].dflt);
        else
            rs_put_xval(&b, xl, xlat_rows[i].v, xlat_rows[i].dflt);
        rows_check(!strcmp(b.b, xlat_rows[i].want), "%d %#lx style %u -> %s, want %s", xlat_rows[i].flags,
                   xlat_rows[i].v, xlat_rows[i].style, b.b, xlat_rows[i].want);
    }
    rows_end();

    rows_begin("print: the buffer never overflows");
    char small[8];
    memset(small, 'Z', sizeof(small));
    rs_buf_init(&b, small, 6, 0);
    rs_puts(&b, "abc");
    rs_putf(&b, "%d", 12345);
    rows_check(b.n == 5 && b.full && !strcmp(small, "abc12") && small[6] == 'Z',
               "6 bytes: \"abc\" + 12345 -> %s (n %zu, full %d)", small, b.n, b.full);
    rs_buf_init(&b, small, 6, 0);
    rs_put_quoted(&b, "abcdefgh", 8);
    rows_check(b.n == 5 && b.full && small[6] == 'Z', "quoted past the end -> n %zu", b.n);
    rs_buf_init(&b, mem, sizeof(mem), 0);
    rs_puts(&b, "ab");
    rs_pad_to(&b, 10);
    rows_check(b.n == 10 && !strcmp(mem, "ab        "), "pad to 10 -> %s", rows_q(mem, -1));
    rs_pad_to(&b, 4);
    rows_check(b.n == 10, "pad to a column already passed: nothing");
    rows_end();
    return rows_exit();
}
