/* kfile.c — the kfile format (internal/kfile.h) written: filters keyed
 * by the canonical bytes of the rules they were compiled from.  selctl
 * writes one beside a list (FILE.rules); runsel hands one to the loader
 * in a memfd for its own request's wrappers, so that initmod installs the
 * filter last, after the loader's and the wrappers' own start (their
 * opens and maps), not before them. */
#define _GNU_SOURCE
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kfile.h"
#include "kfilter.h"
#include "runrules.h"

static void put(struct kf_file *o, const void *p, size_t n)
{
    size_t padded = (n + 7) & ~(size_t)7;

    if (o->len + padded > o->cap) {
        o->cap = (o->len + padded) * 2 + 4096;
        if (!(o->buf = realloc(o->buf, o->cap)))
            abort();
    }
    memcpy(o->buf + o->len, p, n);
    memset(o->buf + o->len + n, 0, padded - n);    /* entries stay 8-aligned */
    o->len += padded;
}

void kf_file_init(struct kf_file *o)
{
    struct rs_kfile_header h = {.magic = RS_KFILE_MAGIC};

    memset(o, 0, sizeof(*o));
    put(o, &h, sizeof(h));
}

/* Is a filter for these canonical bytes in the file already? */
static int have(const struct kf_file *o, const unsigned char *c, size_t n)
{
    unsigned ninsns;

    return rs_kfile_find((const unsigned char *)o->buf, o->len, o->count, c, n, &ninsns) != NULL;
}

int kf_file_add(struct kf_file *o, const struct kf_item *it, char *why, size_t whysize)
{
    static unsigned char canon[RS_CANON_MAX];
    void *insns;
    unsigned n;
    size_t cn = kf_item_canon(it, canon, sizeof(canon));

    if (!cn || have(o, canon, cn))
        return 0;                          /* nothing for the kernel, or the same filter */
    scmp_filter_ctx ctx = kf_filter_build(it, why, whysize);
    if (!ctx)
        return -1;
    int r = kf_filter_export(ctx, &insns, &n);
    seccomp_release(ctx);
    if (r) {
        snprintf(why, whysize, "libseccomp could not export its filter");
        return -1;
    }
    struct rs_kfile_entry e = {(uint32_t)cn, n};
    put(o, &e, sizeof(e));
    put(o, canon, cn);
    put(o, insns, (size_t)n * 8);
    free(insns);
    o->count++;
    memcpy(o->buf + offsetof(struct rs_kfile_header, count), &o->count, sizeof(o->count));
    return 1;
}
