/* rules.c — FILE.rules (internal/kfile.h): the seccomp filters of the
 * list's placement=kernel entries, compiled here with libseccomp
 * (kfilter/) from each wrapper's rules for the entry's options, found
 * again by initmod through the rules' canonical bytes.  Written with the
 * index by `selctl compile` and every edit; removed when no entry needs
 * it.  An entry whose rules cannot be built is named (FILE:LINE) and
 * makes the compile fail; its programs would not run (126) either. */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "kfile.h"
#include "kfilter.h"
#include "runrules.h"
#include "selconf.h"
#include "selctl.h"

struct out {
    char *buf;
    size_t len, cap;
    uint32_t count;
    const char *file;
    int bad;
};

static void put(struct out *o, const void *p, size_t n)
{
    if (o->len + n + 8 > o->cap) {
        o->cap = (o->len + n + 8) * 2;
        if (!(o->buf = realloc(o->buf, o->cap)))
            die("out of memory");
    }
    memcpy(o->buf + o->len, p, n);
    o->len += n;
    while (o->len % 8 && n)                /* entries stay 8-aligned */
        o->buf[o->len++] = 0, n = o->len % 8 ? n : 0;
}

/* Is a filter for these canonical bytes in the file already? */
static int have(const struct out *o, const unsigned char *c, size_t n)
{
    size_t at = sizeof(struct rs_kfile_header);

    for (uint32_t i = 0; i < o->count; i++) {
        struct rs_kfile_entry e;
        memcpy(&e, o->buf + at, sizeof(e));
        if (e.canon_len == n && !memcmp(o->buf + at + sizeof(e), c, n))
            return 1;
        at += sizeof(e) + rs_kfile_pad(e.canon_len) + (size_t)e.ninsns * 8;
    }
    return 0;
}

static void add_wrapper(struct out *o, const char *line, size_t len, unsigned lineno, unsigned pos)
{
    static struct kf_item it;
    static unsigned char canon[RS_CANON_MAX];
    char entry[SEL_MAX_LINE + 1], why[512];
    void *insns;
    unsigned n;

    snprintf(entry, sizeof(entry), "%.*s", (int)len, line);
    if (kf_item_for(entry, lineno, pos, getenv("RUNSEL_WRAPPER_DIR"), &it, why, sizeof(why))) {
        fprintf(stderr, "selctl: %s:%u: placement=kernel: %s\n", o->file, lineno, why);
        o->bad = 1;
        return;
    }
    size_t cn = kf_item_canon(&it, canon, sizeof(canon));
    if (!cn || have(o, canon, cn))
        return;                            /* nothing for the kernel, or the same filter */
    scmp_filter_ctx ctx = kf_filter_build(&it, why, sizeof(why));
    if (!ctx || kf_filter_export(ctx, &insns, &n)) {
        fprintf(stderr, "selctl: %s:%u: placement=kernel: wrapper %s: %s\n", o->file, lineno,
                it.name, ctx ? "libseccomp could not export its filter" : why);
        if (ctx)
            seccomp_release(ctx);
        o->bad = 1;
        return;
    }
    seccomp_release(ctx);
    struct rs_kfile_entry e = {(uint32_t)cn, n};
    put(o, &e, sizeof(e));
    put(o, canon, cn);
    put(o, insns, (size_t)n * 8);
    free(insns);
    o->count++;
}

static int add_line(const char *line, size_t len, unsigned lineno, void *ctx)
{
    struct sel_entry e;
    const char *why;

    if (selconf_parse_line(line, len, lineno, &e, &why) == 1 && !e.exclude && e.kernel)
        for (int pos = 0; pos < e.nwrappers; pos++)
            add_wrapper(ctx, line, len, lineno, (unsigned)pos);
    return 0;
}

int compile_rules(const char *file, const char *text, size_t len, const struct stat *st, int quiet)
{
    struct out o = {.file = file};
    struct rs_kfile_header h = {.magic = RS_KFILE_MAGIC};
    char path[PATH_MAX];

    put(&o, &h, sizeof(h));
    selconf_foreach_line(text, len, add_line, &o);
    snprintf(path, sizeof(path), "%s.rules", file);
    if (!o.count) {                        /* none: no file to trust or go stale */
        if (unlink(path) && errno != ENOENT)
            fprintf(stderr, "selctl: %s: %s\n", path, strerror(errno));
        free(o.buf);
        return o.bad;
    }
    memcpy(&((struct rs_kfile_header *)o.buf)->count, &o.count, sizeof(o.count));
    int r = write_atomically(path, o.buf, o.len, st);
    if (r)
        fprintf(stderr, "selctl: %s: %s\n", path, strerror(errno));
    else if (!quiet)
        printf("%s: %u filters for placement=kernel\n", path, o.count);
    free(o.buf);
    return r || o.bad;
}
