/* idxcheck.c — does FILE.idx say what the list says?  For `selctl check`
 * and `selctl status`.  The loader verifies only the records it reads on
 * an exec (selindex.h); here the whole index is verified: its header
 * check, the checksum of its whole body, the identity and text hash of the
 * list it was compiled from, the names and identities of its drop-ins, and finally that compiling the list as it is
 * now gives exactly the same bytes — so a damaged record the loader would
 * only meet on some exec, or an index from another text, is reported now. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#define XXH_INLINE_ALL
#include <xxhash.h>
#include "selctl.h"
#include "selindex.h"

/* The whole file open on fd, or NULL. */
static char *read_all(int fd, size_t *size)
{
    struct stat st;

    if (fstat(fd, &st) || !S_ISREG(st.st_mode))
        return NULL;
    char *buf = malloc((size_t)st.st_size + 1);
    if (buf && read(fd, buf, (size_t)st.st_size) == st.st_size) {
        *size = (size_t)st.st_size;
        return buf;
    }
    free(buf);
    return NULL;
}

static int same_text_hash(const struct selidx_header *h, const char *text, size_t len)
{
    XXH128_canonical_t c;

    XXH128_canonicalFromHash(&c, XXH3_128bits(text, len));
    return !memcmp(c.digest, h->text_hash, 16);
}

static char stale_msg[2 * PATH_MAX + 512];

/* Why the drop-in table of the index (checked as a whole already) does
 * not describe the drop-ins as read now, or NULL. */
static const char *dropins_stale(const char *img, const struct selidx_header *h,
                                 const struct list_set *s)
{
    uint32_t now = (uint32_t)(s->n - 1);

    for (uint32_t i = 0; i < h->ndropins || i < now; i++) {
        struct selidx_dropin d;
        const struct list_file *f = i < now ? &s->f[1 + i] : NULL;
        if (i < h->ndropins) {
            memcpy(&d, img + h->dropins_off + (uint64_t)i * sizeof(d), sizeof(d));
            d.name[SEL_MAX_DROPIN_NAME] = 0;   /* the byte compare below catches a bad one */
        }
        if (i >= h->ndropins || (f && strcmp(d.name, f->name) > 0)) {
            snprintf(stale_msg, sizeof(stale_msg), "stale: drop-in %s was added since it was "
                     "compiled", f->path);
            return stale_msg;
        }
        if (!f || strcmp(d.name, f->name) < 0) {
            snprintf(stale_msg, sizeof(stale_msg), "stale: drop-in %s/%.*s was removed or "
                     "renamed since it was compiled", s->dir, SEL_MAX_DROPIN_NAME, d.name);
            return stale_msg;
        }
        if (!sel_identity_is(&d.id, &f->st)) {
            XXH128_canonical_t c;
            XXH128_canonicalFromHash(&c, XXH3_128bits(f->text, f->len));
            snprintf(stale_msg, sizeof(stale_msg), "stale: drop-in %s %s since it was compiled",
                     f->path, memcmp(c.digest, d.text_hash, 16) ? "changed"
                                                                : "was touched or replaced (same text)");
            return stale_msg;
        }
    }
    return NULL;
}

/* Why the index image (isize bytes) does not describe the set, or NULL. */
static enum index_verdict diagnose(const char *img, size_t isize, const struct list_set *s,
                                   const char **why)
{
    struct selidx_header h;
    const char *text = s->f[0].text;
    size_t len = s->f[0].len;
    const struct stat *lst = &s->f[0].st;

    if (isize < 8 || memcmp(img, SELIDX_MAGIC, 7))
        return *why = "corrupt: not a compiled index (bad magic)", INDEX_BAD;
    if (memcmp(img, SELIDX_MAGIC, 8))
        return *why = "stale: written in another index format, which the loader ignores",
               INDEX_STALE;
    if (isize < sizeof(h))
        return *why = "corrupt: truncated", INDEX_BAD;
    memcpy(&h, img, sizeof(h));
    if (h.check != selidx_check(&h, offsetof(struct selidx_header, check), 0))
        return *why = "corrupt: its header fails its check", INDEX_BAD;
    if (h.file_size != isize)
        return *why = "corrupt: its size is not the one its header records", INDEX_BAD;
    if (h.body_hash != XXH3_64bits(img + sizeof(h), isize - sizeof(h)))
        return *why = "corrupt: its body does not match its checksum", INDEX_BAD;
    if (h.ndropins > SEL_MAX_DROPINS || h.dropins_off > isize ||
        (isize - h.dropins_off) / sizeof(struct selidx_dropin) < h.ndropins)
        return *why = "corrupt: its drop-in table lies outside it", INDEX_BAD;
    if (!selidx_fresh(&h, lst))
        return *why = same_text_hash(&h, text, len)
                          ? "stale: the list was touched or replaced since it was compiled "
                            "(same text)"
                          : "stale: the list changed since it was compiled",
               INDEX_STALE;
    if ((*why = dropins_stale(img, &h, s)))
        return INDEX_STALE;
    if (!same_text_hash(&h, text, len))
        return *why = "corrupt: it records another text than the list's", INDEX_BAD;
    size_t want_size;
    uint32_t nexact, npat;
    char *want = compile_set(s, &want_size, &nexact, &npat);
    int same = want_size == isize && !memcmp(want, img, isize);
    free(want);
    if (!same)
        return *why = "corrupt: its entries are not the list's (intact checks: written by "
                      "another selctl?)",
               INDEX_BAD;
    return *why = NULL, INDEX_FRESH;
}

enum index_verdict index_verdict(const char *file, const char **why)
{
    char path[PATH_MAX];
    struct list_set s;
    size_t isize;

    snprintf(path, sizeof(path), "%s.idx", file);
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0 && errno == ENOENT)
        return *why = "no compiled index (the loader parses the list; run selctl compile)",
               INDEX_NONE;
    char *img = fd >= 0 ? read_all(fd, &isize) : NULL;
    if (fd >= 0)
        close(fd);
    if (!img)
        return *why = "corrupt: the compiled index cannot be read as a regular file", INDEX_BAD;
    enum index_verdict v = INDEX_BAD;
    *why = "the list cannot be read";
    if (set_read(file, &s) == 0) {
        if (set_usable(&s, NULL))
            v = diagnose(img, isize, &s, why);
        else
            *why = "not checked: a drop-in cannot be read";
        set_free(&s);
    }
    free(img);
    return v;
}

const char *index_state(const char *file)
{
    static char msg[256];
    const char *why;

    switch (index_verdict(file, &why)) {
    case INDEX_FRESH:
        return NULL;
    case INDEX_NONE:
        return why;
    default:
        snprintf(msg, sizeof(msg), "the compiled index is %s; the loader parses the list "
                 "until selctl compile", why);
        return msg;
    }
}
