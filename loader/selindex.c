/* selindex.c — read side of the compiled list (see selindex.h); shared by
 * the loader and selctl.  Freestanding. */
#define XXH_INLINE_ALL
#include <xxhash.h>
#include "selconf.h"
#include "selindex.h"

uint64_t selidx_key(const char *path, size_t len)
{
    return XXH3_64bits(path, len);
}

int selidx_fresh(const struct selidx_header *h, const struct stat *st)
{
    return h->dev == (uint64_t)st->st_dev && h->ino == (uint64_t)st->st_ino &&
           h->size == (uint64_t)st->st_size && h->mtime_sec == st->st_mtim.tv_sec &&
           h->mtime_nsec == st->st_mtim.tv_nsec && h->ctime_sec == st->st_ctim.tv_sec &&
           h->ctime_nsec == st->st_ctim.tv_nsec;
}

static int within(uint64_t off, uint64_t len, uint64_t size)
{
    return off <= size && len <= size - off;
}

/* Header-level checks only: touching every slot would make each exec cost
 * O(list size) again.  The lookup checks what it follows. */
const struct selidx_header *selidx_view(const void *map, uint64_t size)
{
    const struct selidx_header *h = map;
    const char *m = SELIDX_MAGIC;

    if (size < sizeof(*h))
        return 0;
    for (int i = 0; i < 8; i++)
        if (h->magic[i] != m[i])
            return 0;
    if (h->file_size != size || !h->nslots || (h->nslots & (h->nslots - 1)) ||
        h->nslots > (1u << 24) || h->npatterns > (1u << 20) ||
        !within(h->slots_off, (uint64_t)h->nslots * sizeof(struct selidx_slot), size) ||
        !within(h->patterns_off, (uint64_t)h->npatterns * sizeof(struct selidx_pattern), size) ||
        h->strtab_off > size || (h->slots_off | h->patterns_off) % 8)
        return 0;
    return h;
}

static const char *str_at(const struct selidx_header *h, uint32_t off, uint32_t len)
{
    if (!within(off, len, h->file_size - h->strtab_off))
        return 0;
    return (const char *)h + h->strtab_off + off;
}

static int same(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (a[i] != b[i])
            return 0;
    return 1;
}

static void take(struct selidx_result *r, uint32_t line, uint32_t flags, const char *w,
                 uint32_t wlen)
{
    if (flags & SELIDX_EXCLUDE) {
        if (!r->excluded_line || line < r->excluded_line)
            r->excluded_line = line;
    } else if (!r->line || line < r->line) {
        r->line = line;
        r->wrapper = w;
        r->wrapper_len = wlen;
    }
}

int selidx_lookup(const struct selidx_header *h, const char *path, size_t len,
                  selidx_hash_fn hash_of, void *ctx, struct selidx_result *r)
{
    const struct selidx_slot *slots = (const void *)((const char *)h + h->slots_off);
    const struct selidx_pattern *pat = (const void *)((const char *)h + h->patterns_off);
    uint64_t key = selidx_key(path, len);
    unsigned char hash[16];
    int have_hash = 0;

    r->line = r->excluded_line = 0;
    r->wrapper = 0;
    r->wrapper_len = 0;
    for (uint32_t i = 0, n = 0; n < h->nslots; n++, i = (i + 1) & (h->nslots - 1)) {
        const struct selidx_slot *s = &slots[(key + i) & (h->nslots - 1)];
        if (!s->line)
            break;
        /* Check every slot probed, not only hits: a damaged index must be
         * refused, not half-believed. */
        const char *sp = str_at(h, s->path_off, s->path_len);
        const char *w = str_at(h, s->wrapper_off, s->wrapper_len);
        if (!sp || !w)
            return -1;
        if (s->key == key && s->path_len == len && same(sp, path, len)) {
            take(r, s->line, s->flags, w, s->wrapper_len);
            break;
        }
    }
    for (uint32_t i = 0; i < h->npatterns; i++) {
        const struct selidx_pattern *p = &pat[i];
        const char *m = str_at(h, p->match_off, p->match_len);
        const char *w = str_at(h, p->wrapper_off, p->wrapper_len);
        int hit;
        if (!m || !w)
            return -1;
        if (p->kind == SEL_HASH) {
            if (!have_hash)
                have_hash = hash_of(ctx, hash) == 0 ? 1 : -1;
            hit = have_hash > 0 && same((const char *)hash, (const char *)p->hash, 16);
        } else {
            hit = selconf_glob(m, p->match_len, path, len);
        }
        if (hit)
            take(r, p->line, p->flags, w, p->wrapper_len);
    }
    return 0;
}

uint64_t selhc_key(uint64_t dev, uint64_t ino)
{
    uint64_t k[2] = {dev, ino};

    return XXH3_64bits(k, sizeof(k));
}

int selhc_lookup(const void *map, uint64_t size, const struct stat *st, unsigned char out[16])
{
    const struct selhc_header *h = map;
    const char *m = SELHC_MAGIC;

    if (size < sizeof(*h) || h->file_size != size || !h->nslots ||
        (h->nslots & (h->nslots - 1)) ||
        (size - sizeof(*h)) / sizeof(struct selhc_slot) < h->nslots)
        return -1;
    for (int i = 0; i < 8; i++)
        if (h->magic[i] != m[i])
            return -1;
    const struct selhc_slot *slots = (const void *)(h + 1);
    uint64_t key = selhc_key((uint64_t)st->st_dev, (uint64_t)st->st_ino);
    for (uint32_t i = 0; i < h->nslots; i++) {
        const struct selhc_slot *e = &slots[(key + i) & (h->nslots - 1)];
        if (!e->dev && !e->ino)
            return -1;
        if (e->dev == (uint64_t)st->st_dev && e->ino == (uint64_t)st->st_ino) {
            if (e->size != (uint64_t)st->st_size || e->mtime_sec != st->st_mtim.tv_sec ||
                e->mtime_nsec != st->st_mtim.tv_nsec || e->ctime_sec != st->st_ctim.tv_sec ||
                e->ctime_nsec != st->st_ctim.tv_nsec)
                return -1;      /* the program changed since it was hashed */
            for (int j = 0; j < 16; j++)
                out[j] = e->hash[j];
            return 0;
        }
    }
    return -1;
}
