/* runsel/print.h — building a line of text for a wrapper's log
 * (wrapperabi/lib/print.c): a bounded buffer that never overflows, the
 * quoting strace uses for strings, and named constants and flags.
 * trace builds every line with these, count its table: one buffer, one
 * write(2), so lines of several processes never interleave.
 *
 *     char mem[256];
 *     struct rs_buf b;
 *     rs_buf_init(&b, mem, sizeof(mem), 0);
 *     rs_putf(&b, "%s(", name);
 *     rs_put_flags(&b, open_flags, flags, NULL);
 *     rs_write_all(fd, b.b, b.n);
 *
 * Everything past the buffer's room is dropped silently (b.full says so);
 * nothing here makes a system call. */
#ifndef RUNSEL_PRINT_H
#define RUNSEL_PRINT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

struct rs_buf {
    char *b;
    size_t n;           /* bytes in the buffer */
    size_t cap;         /* room for text: the memory's size less one (the NUL) */
    unsigned style;     /* RS_XLAT_* and RS_QUOTE_* below */
    int full;           /* something was dropped */
};

/* How named constants print (strace -X): */
#define RS_XLAT_ABBREV  0u      /* O_RDONLY|O_CLOEXEC (default) */
#define RS_XLAT_RAW     1u      /* 0x80000 */
#define RS_XLAT_VERBOSE 2u      /* 0x80000 / * O_CLOEXEC * / */
#define RS_XLAT_MASK    3u
/* How strings print (strace -x, -xx): */
#define RS_QUOTE_NONASCII 4u    /* a string with a byte that has no printable
                                 * form (an octal escape): all of it as \xNN */
#define RS_QUOTE_HEX      8u    /* every byte as \xNN */

void rs_buf_init(struct rs_buf *o, char *mem, size_t size, unsigned style);
void rs_put(struct rs_buf *o, const void *s, size_t n);
void rs_puts(struct rs_buf *o, const char *s);
void rs_putc(struct rs_buf *o, char c);
void rs_putf(struct rs_buf *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void rs_vputf(struct rs_buf *o, const char *fmt, va_list ap);
/* Spaces up to column col (0-based); at least none. */
void rs_pad_to(struct rs_buf *o, size_t col);

/* n bytes between double quotes, escaped as strace escapes them:
 * \" \\ \t \n \v \f \r, other non-printable bytes in octal (the short
 * form unless a digit follows), or hex per the buffer's RS_QUOTE_* style.
 * rs_put_escaped writes the inside only. */
void rs_put_quoted(struct rs_buf *o, const void *s, size_t n);
void rs_put_escaped(struct rs_buf *o, const void *s, size_t n);

/* A table of named constants, ended by {0, NULL} (the generated tables of
 * trace/xlat/ are of this type). */
struct rs_xlat {
    uint64_t v;
    const char *name;
};
/* The name of v; 0 and no output when v has none. */
const char *rs_xlat_name(const struct rs_xlat *t, uint64_t v);
/* One value of a set: its name (per the style), else the number — in
 * hex with "/ * dflt * /" when dflt is given (strace's "F_???"), else in
 * decimal. */
void rs_put_xval(struct rs_buf *o, const struct rs_xlat *t, uint64_t v, const char *dflt);
/* Like rs_put_xval, unknown values in hex without a comment. */
void rs_put_xval_hex(struct rs_buf *o, const struct rs_xlat *t, uint64_t v);
/* Bits: the names of the flags set, in table order, joined by |, then
 * any unknown bits in hex; 0 prints as the table's entry for 0 if it has
 * one, else "0".  dflt as for rs_put_xval when no bit is known. */
void rs_put_flags(struct rs_buf *o, const struct rs_xlat *t, uint64_t v, const char *dflt);

/* JSON (format=json; wrapperabi/lib/json.c).  rs_put_json_str: n bytes
 * as a JSON string, quotes included — control characters, '"', '\\' and
 * DEL escaped, well-formed UTF-8 as it is, and any other byte as \u00XX
 * (the code point of the byte's value), so the result is valid JSON for
 * any bytes; rs_put_json_escaped the inside only, which stops between
 * two characters when the buffer is full (o->full), never inside one; rs_put_json_cstr a C
 * string, or null for NULL.  rs_put_rfc3339: a CLOCK_REALTIME time as
 * 2024-05-01T12:34:56.123456Z (UTC, microseconds).  rs_put_json_head: a
 * record's opening fields, {"time":"...","pid":N,"tid":N,"program":"..."
 * (no tid when 0), for the caller to go on with ,"key":value and end
 * with }.  rs_put_json_errno: "ENOENT" for 2, null for 0, the number as
 * a string when it has no name.  A record that does not fit leaves
 * o->full set: the caller drops it rather than write broken JSON. */
void rs_put_json_str(struct rs_buf *o, const void *s, size_t n);
void rs_put_json_escaped(struct rs_buf *o, const void *s, size_t n);
void rs_put_json_cstr(struct rs_buf *o, const char *s);
void rs_put_rfc3339(struct rs_buf *o, uint64_t realtime_ns);
void rs_put_json_head(struct rs_buf *o, uint64_t realtime_ns, int pid, int tid, const char *program);
void rs_put_json_errno(struct rs_buf *o, long err);

#endif
