/* selconf.c — parse and match selected.conf lines.  Freestanding: no
 * allocation, no libc beyond the mem* functions, so the loader can use it
 * on every exec; selctl links the same file. */
#include "glob.h"
#include "selconf.h"
#include "optkeys.h"               /* internal/: a wrapper's declared keys */

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

static int eq(struct sel_str s, const char *lit)
{
    size_t i = 0;

    for (; i < s.n && lit[i]; i++)
        if (s.p[i] != lit[i])
            return 0;
    return i == s.n && !lit[i];
}

/* Next whitespace-separated word of [*p, end), or an empty word at end. */
static struct sel_str next_word(const char **p, const char *end)
{
    struct sel_str w;

    while (*p < end && is_space(**p))
        (*p)++;
    w.p = *p;
    while (*p < end && !is_space(**p))
        (*p)++;
    w.n = (size_t)(*p - w.p);
    return w;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int selconf_hex16(const char *hex, size_t n, unsigned char out[16])
{
    if (n != 32)
        return -1;
    for (int i = 0; i < 16; i++) {
        int hi = hexval(hex[2 * i]), lo = hexval(hex[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return -1;
        out[i] = (unsigned char)(hi << 4 | lo);
    }
    return 0;
}

static int parse_hash(struct sel_str w, unsigned char out[16])
{
    static const char pfx[] = "xxh128:";

    if (w.n < sizeof(pfx) - 1)
        return -1;
    for (size_t i = 0; i < sizeof(pfx) - 1; i++)
        if (w.p[i] != pfx[i])
            return -1;
    return selconf_hex16(w.p + sizeof(pfx) - 1, w.n - (sizeof(pfx) - 1), out);
}

static int has_glob_chars(struct sel_str w)
{
    for (size_t i = 0; i < w.n; i++)
        if (w.p[i] == '*' || w.p[i] == '?')
            return 1;
    return 0;
}

/* The program's path is canonical (resolved from the opened file), so a
 * path with empty, "." or ".." components could never match. */
static int canonical(struct sel_str w)
{
    if (w.n == 0 || w.p[0] != '/')
        return 0;
    for (size_t i = 0; i < w.n; i++) {
        if (w.p[i] != '/')
            continue;
        size_t j = i + 1, k = j;
        while (k < w.n && w.p[k] != '/')
            k++;
        if (k == w.n && j == w.n && w.n > 1)
            return 0;                        /* trailing slash */
        if (k == j && j < w.n)
            return 0;                        /* "//" */
        if ((k - j == 1 && w.p[j] == '.') || (k - j == 2 && w.p[j] == '.' && w.p[j + 1] == '.'))
            return 0;
    }
    return 1;
}

static int parse_match(struct sel_str w, struct sel_entry *e, const char **why)
{
    if (w.n && w.p[0] == '!') {
        e->exclude = 1;
        w.p++, w.n--;
    }
    e->match = w;
    if (w.n >= 7 && w.p[0] == 'x' && w.p[1] == 'x' && w.p[2] == 'h') {
        e->kind = SEL_HASH;
        e->match.p = w.p + 7, e->match.n = w.n - 7;
        if (parse_hash(w, e->hash))
            return *why = "bad hash: expected xxh128: and 32 hex digits", -1;
        return 0;
    }
    if (!w.n || w.p[0] != '/')
        return *why = "MATCH must be an absolute path, a glob or xxh128:HEX", -1;
    if (!canonical(w))
        return *why = "path is not canonical (no //, /./, /../ or trailing /)", -1;
    e->kind = has_glob_chars(w) ? SEL_GLOB : SEL_PATH;
    return 0;
}

/* A wrapper is a name or a canonical absolute path; ':' and ';' are
 * refused in paths because they separate the items of RUNSEL_SELECTED. */
static int valid_wrapper(struct sel_str w)
{
    if (w.n && w.p[0] == '/') {
        for (size_t i = 0; i < w.n; i++)
            if (w.p[i] == ':' || w.p[i] == ';')
                return 0;
        return canonical(w);
    }
    for (size_t i = 0; i < w.n; i++) {
        char c = w.p[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-'))
            return 0;
    }
    return w.n > 0 && w.p[0] != '.';
}

static int valid_syscalls(struct sel_str v)
{
    int need_item = 1;

    for (size_t i = 0; i < v.n; i++) {
        char c = v.p[i];
        if (c == ',') {
            if (need_item)
                return 0;
            need_item = 1;
        } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_') {
            need_item = 0;
        } else {
            return 0;
        }
    }
    return !need_item;
}

/* One key=value word.  The loader's own keys (selconf_key) are parsed
 * here: inherit=, backend=, fastpath= and placement= configure the whole entry (once per line),
 * syscalls= and wrapper-hash= the wrapper before them (once per wrapper);
 * any other key is the wrapper's option. */
static int parse_option(struct sel_str w, struct sel_entry *e, struct sel_wrapper *wr,
                        unsigned *seen, const char **why)
{
    size_t eqpos = 0;

    while (eqpos < w.n && w.p[eqpos] != '=')
        eqpos++;
    if (eqpos == 0 || eqpos == w.n)
        return *why = "bad option: expected key=value", -1;
    struct sel_str k = {w.p, eqpos}, v = {w.p + eqpos + 1, w.n - eqpos - 1};
    unsigned bit = selconf_key(k.p, k.n);
    if (!bit)
        return 0;                            /* the wrapper's own option */
    if (*seen & bit)
        return *why = "option given twice", -1;
    *seen |= bit;
    if (bit == SEL_KEY_INHERIT) {
        if (!eq(v, "yes") && !eq(v, "no"))
            return *why = "inherit must be yes or no", -1;
        e->inherit = eq(v, "yes");
    } else if (bit == SEL_KEY_SYSCALLS) {
        if (!valid_syscalls(v))
            return *why = "syscalls must be a comma-separated list of system call names or numbers", -1;
        wr->syscalls = v;
    } else if (bit == SEL_KEY_BACKEND) {
        if (!eq(v, "auto") && !eq(v, "kmod") && !eq(v, "sud"))
            return *why = "backend must be auto, kmod or sud", -1;
        e->backend = v;
    } else if (bit == SEL_KEY_FASTPATH) {
        /* stress: a test mode (tests/t_fastpath.sh), patching and
         * restoring sites over and over while the program runs them. */
        if (!eq(v, "yes") && !eq(v, "no") && !eq(v, "stress"))
            return *why = "fastpath must be yes, no or stress", -1;
        e->fastpath = v;
    } else if (bit == SEL_KEY_PLACEMENT) {
        if (!eq(v, "inprocess") && !eq(v, "process") && !eq(v, "kernel"))
            return *why = "placement must be inprocess, process or kernel", -1;
        e->process = eq(v, "process");
        e->kernel = eq(v, "kernel");
    } else {
        if (parse_hash(v, wr->hash))
            return *why = "wrapper-hash must be xxh128: and 32 hex digits", -1;
        wr->has_hash = 1;
    }
    return 0;
}

static void reset(struct sel_entry *e, unsigned lineno)
{
    struct sel_str none = {0, 0};

    e->line = lineno;
    e->exclude = 0;
    e->kind = SEL_PATH;
    e->match = e->wrapper = e->backend = e->fastpath = e->options = e->text = none;
    e->inherit = 1;
    e->process = 0;
    e->kernel = 0;
    e->nwrappers = 0;
}

static int is_plus(struct sel_str w)
{
    return w.n == 1 && w.p[0] == '+';
}

/* "WRAPPER [key=value ...]" up to the next lone `+` or end: one more
 * wrapper on e's stack.  *p is left at the `+` (or end). */
static int parse_wrapper(const char **p, const char *end, struct sel_entry *e,
                         unsigned *entry_seen, const char **why)
{
    struct sel_wrapper *wr;
    struct sel_str none = {0, 0}, o;
    unsigned seen = *entry_seen & (SEL_KEY_INHERIT | SEL_KEY_BACKEND | SEL_KEY_FASTPATH | SEL_KEY_PLACEMENT);
    const char *q;

    if (e->nwrappers == SEL_MAX_STACK)
        return *why = "too many wrappers in one entry (at most 8)", -1;
    wr = &e->w[e->nwrappers++];
    wr->name = next_word(p, end);
    wr->options = wr->syscalls = none;
    wr->has_hash = 0;
    if (!wr->name.n || is_plus(wr->name))
        return *why = "missing wrapper", -1;
    if (!valid_wrapper(wr->name))
        return *why = "bad wrapper: a name of letters, digits, '.', '_', '-', or an absolute "
                      "path without ':' or ';'", -1;
    while (*p < end && is_space(**p))
        (*p)++;
    wr->options.p = *p;
    for (q = *p; (o = next_word(&q, end)).n && !is_plus(o); *p = q)
        if (parse_option(o, e, wr, &seen, why))
            return -1;
    wr->options.n = (size_t)(*p - wr->options.p);
    while (wr->options.n && is_space(wr->options.p[wr->options.n - 1]))
        wr->options.n--;
    *entry_seen |= seen & (SEL_KEY_INHERIT | SEL_KEY_BACKEND | SEL_KEY_FASTPATH | SEL_KEY_PLACEMENT);
    return 0;
}

/* The stack after MATCH: WRAPPER [opts] [+ WRAPPER [opts]]... */
static int parse_stack(const char *p, const char *end, struct sel_entry *e, const char **why)
{
    unsigned seen = 0;

    for (;;) {
        if (parse_wrapper(&p, end, e, &seen, why))
            return -1;
        if (!next_word(&p, end).n)       /* the end, or the '+' parse_wrapper stopped at */
            break;
        if (!next_word(&(const char *){p}, end).n)
            return *why = "'+' must be followed by a wrapper", -1;
    }
    e->wrapper = e->w[0].name;
    return 0;
}

int selconf_parse_line(const char *line, size_t len, unsigned lineno, struct sel_entry *e,
                       const char **why)
{
    const char *p = line, *end = line + len;

    reset(e, lineno);
    if (len > SEL_MAX_LINE)
        return *why = "line too long", -1;
    for (const char *q = line; q < end; q++) {
        if (*q == '#') {                     /* comment to end of line */
            end = q;
            break;
        }
        if (*q == 0)
            return *why = "NUL byte in line", -1;
        if (((unsigned char)*q < 0x20 && *q != '\t' && *q != '\r') || *q == 0x7f)
            return *why = "control character in line", -1;
    }
    struct sel_str w = next_word(&p, end);
    if (!w.n)
        return 0;
    e->text.p = w.p;
    while (end > w.p && is_space(end[-1]))
        end--;
    e->text.n = (size_t)(end - w.p);
    if (parse_match(w, e, why))
        return -1;
    while (p < end && is_space(*p))
        p++;
    if (e->exclude) {
        if (p < end)
            return *why = "an exclusion takes no wrapper or options", -1;
        return 1;
    }
    if (p == end)
        return *why = "missing wrapper", -1;
    if (parse_stack(p, end, e, why))
        return -1;
    if (e->kernel && !e->inherit)
        return *why = "placement=kernel with inherit=no: the kernel keeps a seccomp filter for "
                      "every descendant, across fork and exec", -1;
    e->options.p = e->wrapper.p + e->wrapper.n;
    while (e->options.p < end && is_space(*e->options.p))
        e->options.p++;
    e->options.n = (size_t)(end - e->options.p);
    return 1;
}

int selconf_foreach_line(const char *buf, size_t len, selconf_line_fn fn, void *ctx)
{
    unsigned lineno = 0;
    size_t start = 0;

    while (start < len) {
        size_t nl = start;
        while (nl < len && buf[nl] != '\n')
            nl++;
        int r = fn(buf + start, nl - start, ++lineno, ctx);
        if (r)
            return r;
        start = nl + 1;
    }
    return 0;
}

struct numbered {
    selconf_line_fn fn;
    void *ctx;
    unsigned base;
    int too_many;
};

static int number_line(const char *line, size_t len, unsigned lineno, void *ctx)
{
    struct numbered *nb = ctx;

    if (lineno > SEL_MAX_FILE_LINES) {
        nb->too_many = 1;
        return -1;
    }
    return nb->fn(line, len, nb->base + lineno, nb->ctx);
}

int selconf_foreach_file_line(const char *buf, size_t len, unsigned k, selconf_line_fn fn,
                              void *ctx, int *too_many)
{
    struct numbered nb = {fn, ctx, k * SEL_FILE_STRIDE, 0};
    int r = selconf_foreach_line(buf, len, number_line, &nb);

    if (too_many)
        *too_many = nb.too_many;
    return nb.too_many ? 0 : r;
}

int selconf_path_matches(const struct sel_entry *e, const char *path, size_t len)
{
    if (e->kind == SEL_GLOB)
        return selconf_glob(e->match.p, e->match.n, path, len);
    if (e->kind != SEL_PATH || e->match.n != len)
        return 0;
    for (size_t i = 0; i < len; i++)
        if (e->match.p[i] != path[i])
            return 0;
    return 1;
}

int selconf_unknown_key(const struct sel_wrapper *w, const char *keys, size_t len,
                        struct sel_str *key)
{
    const char *p = w->options.p, *end = w->options.p + w->options.n;
    struct sel_str o;

    while ((o = next_word(&p, end)).n) {
        size_t k = 0;
        while (k < o.n && o.p[k] != '=')
            k++;
        if (selconf_key(o.p, k) || optkeys_has(keys, len, o.p, k))
            continue;
        key->p = o.p;
        key->n = k;
        return 1;
    }
    return 0;
}

int selconf_dropin_name(const char *name, size_t len)
{
    static const char sfx[] = ".conf";
    size_t k = sizeof(sfx) - 1;

    if (len <= k || len > SEL_MAX_DROPIN_NAME || name[0] == '.')
        return 0;
    for (size_t i = 0; i < k; i++)
        if (name[len - k + i] != sfx[i])
            return 0;
    return 1;
}
