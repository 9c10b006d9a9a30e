/* print.c — the line buffer, strace's quoting and named constants
 * (runsel/print.h).  No system calls: a line is built here and written
 * by its owner in one write(2). */
#include <runsel/print.h>
#include <runsel/wrapper.h>

void rs_buf_init(struct rs_buf *o, char *mem, size_t size, unsigned style)
{
    o->b = mem;
    o->n = 0;
    o->cap = size ? size - 1 : 0;
    o->style = style;
    o->full = 0;
    if (size)
        mem[0] = 0;
}

void rs_put(struct rs_buf *o, const void *s, size_t n)
{
    if (n > o->cap - o->n) {
        n = o->cap - o->n;
        o->full = 1;
    }
    memcpy(o->b + o->n, s, n);
    o->n += n;
    o->b[o->n] = 0;
}

void rs_puts(struct rs_buf *o, const char *s)
{
    rs_put(o, s, rs_strlen(s));
}

void rs_putc(struct rs_buf *o, char c)
{
    rs_put(o, &c, 1);
}

void rs_vputf(struct rs_buf *o, const char *fmt, va_list ap)
{
    size_t room = o->cap - o->n;
    /* the memory has one byte beyond cap, for the NUL */
    size_t k = rs_vsnprintf(o->b + o->n, room + 1, fmt, ap);

    if (k > room) {
        k = room;
        o->full = 1;
    }
    o->n += k;
}

void rs_putf(struct rs_buf *o, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    rs_vputf(o, fmt, ap);
    va_end(ap);
}

void rs_pad_to(struct rs_buf *o, size_t col)
{
    static const char sp[] = "                                        ";

    while (o->n < col && !o->full) {
        size_t k = col - o->n < sizeof(sp) - 1 ? col - o->n : sizeof(sp) - 1;
        rs_put(o, sp, k);
    }
}

static const char hexd[] = "0123456789abcdef";

/* One byte as strace writes it inside quotes; next: the byte after it
 * (-1 at the end), since "\1" before a digit must be written "\001". */
static size_t escape_byte(unsigned c, int next, unsigned style, char *t)
{
    size_t k = 0;

    if (style & RS_QUOTE_HEX) {
        t[0] = '\\', t[1] = 'x', t[2] = hexd[c >> 4], t[3] = hexd[c & 15];
        return 4;
    }
    if (c == '"' || c == '\\') {
        t[0] = '\\', t[1] = (char)c;
        return 2;
    }
    if (c == '\f' || c == '\n' || c == '\r' || c == '\t' || c == '\v') {
        t[0] = '\\';
        t[1] = c == '\f' ? 'f' : c == '\n' ? 'n' : c == '\r' ? 'r' : c == '\t' ? 't' : 'v';
        return 2;
    }
    if (c >= ' ' && c < 0x7f) {
        t[0] = (char)c;
        return 1;
    }
    t[k++] = '\\';
    if (next >= '0' && next <= '7') {
        t[k++] = (char)('0' + (c >> 6));
        t[k++] = (char)('0' + ((c >> 3) & 7));
    } else if (c >> 3) {
        if (c >> 6)
            t[k++] = (char)('0' + (c >> 6));
        t[k++] = (char)('0' + ((c >> 3) & 7));
    }
    t[k++] = (char)('0' + (c & 7));
    return k;
}

/* A byte with no printable form of its own: octal by default. */
static int needs_octal(unsigned c)
{
    return (c < ' ' && !(c >= '\t' && c <= '\r')) || c >= 0x7f;
}

void rs_put_escaped(struct rs_buf *o, const void *s, size_t n)
{
    const unsigned char *p = s;
    unsigned style = o->style;
    char t[4];

    /* strace -x: a string with any such byte is shown all in hex */
    if (style & RS_QUOTE_NONASCII) {
        style &= ~RS_QUOTE_NONASCII;
        for (size_t i = 0; i < n; i++)
            if (needs_octal(p[i])) {
                style |= RS_QUOTE_HEX;
                break;
            }
    }
    for (size_t i = 0; i < n && !o->full; i++)
        rs_put(o, t, escape_byte(p[i], i + 1 < n ? p[i + 1] : -1, style, t));
}

void rs_put_quoted(struct rs_buf *o, const void *s, size_t n)
{
    rs_putc(o, '"');
    rs_put_escaped(o, s, n);
    rs_putc(o, '"');
}

const char *rs_xlat_name(const struct rs_xlat *t, uint64_t v)
{
    for (; t->name; t++)
        if (t->v == v)
            return t->name;
    return NULL;
}

static void put_number(struct rs_buf *o, uint64_t v, int hex)
{
    if (hex)
        rs_putf(o, "%#llx", (unsigned long long)v);
    else
        rs_putf(o, "%lld", (long long)v);
}

static void put_xval_as(struct rs_buf *o, const struct rs_xlat *t, uint64_t v, const char *dflt,
                        int hex)
{
    const char *name = rs_xlat_name(t, v);
    unsigned x = o->style & RS_XLAT_MASK;

    if (x == RS_XLAT_RAW || (x == RS_XLAT_VERBOSE && name)) {
        put_number(o, v, hex || dflt);
        if (x == RS_XLAT_VERBOSE)
            rs_putf(o, " /* %s */", name);
    } else if (name) {
        rs_puts(o, name);
    } else {
        put_number(o, v, hex || dflt);
        if (dflt)
            rs_putf(o, " /* %s */", dflt);
    }
}

void rs_put_xval(struct rs_buf *o, const struct rs_xlat *t, uint64_t v, const char *dflt)
{
    put_xval_as(o, t, v, dflt, 0);
}

void rs_put_xval_hex(struct rs_buf *o, const struct rs_xlat *t, uint64_t v)
{
    put_xval_as(o, t, v, NULL, 1);
}

/* The names of v's bits, and the rest in hex: what abbrev shows and the
 * verbose comment holds.  Returns how many names were printed. */
static int put_flag_names(struct rs_buf *o, const struct rs_xlat *t, uint64_t v)
{
    int any = 0;

    for (; t->name; t++)
        if (t->v && (v & t->v) == t->v) {
            if (any++)
                rs_putc(o, '|');
            rs_puts(o, t->name);
            v &= ~t->v;
        }
    if (v && any)
        rs_putf(o, "|%#llx", (unsigned long long)v);
    return any;
}

static int knows_any(const struct rs_xlat *t, uint64_t v)
{
    for (; t->name; t++)
        if (t->v && (v & t->v) == t->v)
            return 1;
    return 0;
}

void rs_put_flags(struct rs_buf *o, const struct rs_xlat *t, uint64_t v, const char *dflt)
{
    unsigned x = o->style & RS_XLAT_MASK;

    if (!v) {
        const char *zero = rs_xlat_name(t, 0);
        if (zero && x == RS_XLAT_ABBREV)
            rs_puts(o, zero);
        else if (zero && x == RS_XLAT_VERBOSE)
            rs_putf(o, "0 /* %s */", zero);
        else
            rs_putc(o, '0');
        return;
    }
    if (x == RS_XLAT_RAW || (x == RS_XLAT_VERBOSE && knows_any(t, v))) {
        rs_putf(o, "%#llx", (unsigned long long)v);
        if (x == RS_XLAT_VERBOSE) {
            rs_puts(o, " /* ");
            put_flag_names(o, t, v);
            rs_puts(o, " */");
        }
        return;
    }
    if (!put_flag_names(o, t, v)) {
        rs_putf(o, "%#llx", (unsigned long long)v);
        if (dflt)
            rs_putf(o, " /* %s */", dflt);
    }
}
