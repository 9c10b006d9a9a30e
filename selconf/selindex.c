/* selindex.c — read side of the compiled list (see selindex.h); shared by
 * the loader and selctl.  Freestanding. */
#define XXH_INLINE_ALL
#include <xxhash.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include "selconf.h"
#include "selindex.h"
#include "sys.h"

/* XXH3-128 of a file's contents (selindex.h): here, where xxHash
 * is already compiled in, so the loader carries one copy of it. */
int file_xxh128(int fd, unsigned char out[16])
{
    struct stat st;
    XXH128_canonical_t c;
    void *p = NULL;

    if (sys2(SYS_fstat, fd, &st) != 0)
        return -1;
    if (st.st_size) {
        p = sys_mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (rs_is_err((long)p))
            return -1;
    }
    XXH128_canonicalFromHash(&c, XXH3_128bits(p, (size_t)st.st_size));
    memcpy(out, c.digest, 16);
    if (st.st_size)
        sys2(SYS_munmap, p, st.st_size);
    return 0;
}

uint64_t selidx_key(const char *path, size_t len)
{
    return XXH3_64bits(path, len);
}

/* The layouts are the file format: no padding the checks do not cover. */
_Static_assert(sizeof(struct selidx_header) == 152, "index header layout");
_Static_assert(sizeof(struct selidx_dropin) == 336, "index drop-in layout");
_Static_assert(sizeof(struct selidx_slot) == 40, "index slot layout");
_Static_assert(sizeof(struct selidx_pattern) == 56, "index pattern layout");
_Static_assert(sizeof(struct selhc_header) == 32, "hash cache header layout");
_Static_assert(sizeof(struct selhc_slot) == 80, "hash cache slot layout");

/* Bound to the offset: a record that is intact but sits where another
 * belongs (a swapped or duplicated block) fails as surely as a flipped
 * bit.  The offset is mixed in by an odd multiplier (a bijection, so no
 * two offsets give one check) rather than as an XXH3 seed: seeded XXH3
 * would add its own long-input code to the loader, which every exec maps. */
uint64_t selidx_check(const void *rec, size_t n, uint64_t at)
{
    return XXH3_64bits(rec, n) ^ ((at + 1) * 0x9E3779B97F4A7C15ull);
}

/* A record read from offset at whose last 8 bytes are its check. */
static int intact(const void *rec, size_t size, uint64_t at)
{
    uint64_t want;

    memcpy(&want, (const char *)rec + size - 8, 8);
    return selidx_check(rec, size - 8, at) == want;
}

void sel_identity_of(const struct stat *st, struct sel_identity *id)
{
    id->dev = (uint64_t)st->st_dev;
    id->ino = (uint64_t)st->st_ino;
    id->size = (uint64_t)st->st_size;
    id->mtime_sec = st->st_mtim.tv_sec;
    id->mtime_nsec = st->st_mtim.tv_nsec;
    id->ctime_sec = st->st_ctim.tv_sec;
    id->ctime_nsec = st->st_ctim.tv_nsec;
}

int sel_identity_is(const struct sel_identity *id, const struct stat *st)
{
    struct sel_identity now;

    sel_identity_of(st, &now);
    return id->dev == now.dev && id->ino == now.ino && id->size == now.size &&
           id->mtime_sec == now.mtime_sec && id->mtime_nsec == now.mtime_nsec &&
           id->ctime_sec == now.ctime_sec && id->ctime_nsec == now.ctime_nsec;
}

int selidx_fresh(const struct selidx_header *h, const struct stat *st)
{
    return sel_identity_is(&h->list, st);
}

static int within(uint64_t off, uint64_t len, uint64_t size)
{
    return off <= size && len <= size - off;
}

/* Everything is read with pread into small buffers rather than mapped: on
 * a large index a lookup then costs a few system calls and no page faults
 * (a fault is the expensive part of an exec here). */
static int read_at(int fd, void *buf, uint64_t len, uint64_t off)
{
    long n = sys4(SYS_pread64, fd, buf, len, off);

    return !rs_is_err(n) && (uint64_t)n == len ? 0 : -1;
}

/* A record at `at` that must pass its check. */
static int read_rec(int fd, void *rec, uint64_t size, uint64_t at)
{
    return read_at(fd, rec, size, at) == 0 && intact(rec, size, at) ? 0 : -1;
}

/* Drop-in records read ahead, eight at a time: valid for the index whose
 * header was read last (selidx_read_header empties it). */
static struct selidx_dropin dchunk[8];
static uint32_t dfirst, dcount;

int selidx_read_header(int fd, uint64_t size, struct selidx_header *h)
{
    const char *m = SELIDX_MAGIC;

    dcount = 0;
    if (size < sizeof(*h) || read_rec(fd, h, sizeof(*h), 0))
        return -1;
    for (int i = 0; i < 8; i++)
        if (h->magic[i] != m[i])
            return -1;
    if (h->file_size != size || !h->nslots || (h->nslots & (h->nslots - 1)) ||
        h->nslots > (1u << 24) || h->npatterns > (1u << 20) ||
        !within(h->slots_off, (uint64_t)h->nslots * sizeof(struct selidx_slot), size) ||
        !within(h->patterns_off, (uint64_t)h->npatterns * sizeof(struct selidx_pattern), size) ||
        h->ndropins > SEL_MAX_DROPINS ||
        !within(h->dropins_off, (uint64_t)h->ndropins * sizeof(struct selidx_dropin), size) ||
        h->strtab_off > size)
        return -1;
    return 0;
}

int selidx_dropin(int fd, const struct selidx_header *h, uint32_t i, struct selidx_dropin *d)
{
    if (i >= h->ndropins)
        return -1;
    if (i < dfirst || i >= dfirst + dcount) {
        dfirst = i - i % 8;
        dcount = 0;
        uint32_t n = h->ndropins - dfirst < 8 ? h->ndropins - dfirst : 8;
        if (read_at(fd, dchunk, n * sizeof(dchunk[0]),
                    h->dropins_off + (uint64_t)dfirst * sizeof(dchunk[0])))
            return -1;
        dcount = n;
    }
    *d = dchunk[i - dfirst];
    if (!intact(d, sizeof(*d), h->dropins_off + (uint64_t)i * sizeof(*d)) ||
        d->name[SEL_MAX_DROPIN_NAME])
        return -1;
    return 0;
}

/* Is the string record (off, len) inside the string table? */
static int str_within(const struct selidx_header *h, uint32_t off, uint32_t len)
{
    return within(off, (uint64_t)len + SELIDX_STR_CHECK, h->file_size - h->strtab_off);
}

/* Read string (off, len) of the string table into buf (len < size), with
 * its check in the same system call, and verify it. */
static int read_str(int fd, const struct selidx_header *h, uint32_t off, uint32_t len, char *buf,
                    size_t size)
{
    uint64_t want, at = h->strtab_off + off;
    struct iovec iov[2] = {{&want, sizeof(want)}, {buf, len}};

    if (len >= size || !str_within(h, off, len))
        return -1;
    long n = sys5(SYS_preadv, fd, iov, 2, at, 0);
    if (rs_is_err(n) || (uint64_t)n != sizeof(want) + len ||
        selidx_check(buf, len, at) != want)
        return -1;
    buf[len] = 0;
    return 0;
}

/* Strings read from the index land here, not on the stack. */
static char strbuf[SELIDX_MAX_STR];

/* Record a match; the entry's text is read only when it becomes the
 * selecting one. */
static int take(int fd, const struct selidx_header *h, struct selidx_result *r, uint32_t line,
                uint32_t flags, uint32_t entry_off, uint32_t entry_len)
{
    if (flags & SELIDX_EXCLUDE) {
        if (!r->excluded_line || line < r->excluded_line)
            r->excluded_line = line;
    } else if (!r->line || line < r->line) {
        if (read_str(fd, h, entry_off, entry_len, r->entry, r->entry_size))
            return -1;
        r->line = line;
        r->entry_len = entry_len;
    }
    return 0;
}

static int same(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (a[i] != b[i])
            return 0;
    return 1;
}

static int probe_exact(int fd, const struct selidx_header *h, const char *path, size_t len,
                       struct selidx_result *r)
{
    uint64_t key = selidx_key(path, len);
    char *buf = strbuf;

    for (uint32_t i = 0; i < h->nslots; i++) {
        struct selidx_slot s;
        uint64_t at = h->slots_off + ((key + i) & (h->nslots - 1)) * sizeof(s);
        /* Check every slot probed, empty ones and misses too: a damaged
         * index is refused (the text decides), not half-believed. */
        if (read_rec(fd, &s, sizeof(s), at))
            return -1;
        if (!s.line)
            return 0;
        if (!str_within(h, s.path_off, s.path_len) || !str_within(h, s.entry_off, s.entry_len))
            return -1;
        if (s.key != key || s.path_len != len)
            continue;
        if (read_str(fd, h, s.path_off, s.path_len, buf, sizeof(strbuf)))
            return -1;
        if (!same(buf, path, len))
            continue;
        return take(fd, h, r, s.line, s.flags, s.entry_off, s.entry_len);
    }
    return 0;
}

static int scan_patterns(int fd, const struct selidx_header *h, const char *path, size_t len,
                         selidx_hash_fn hash_of, void *ctx, struct selidx_result *r)
{
    struct selidx_pattern chunk[16];
    unsigned char hash[16];
    char *buf = strbuf;
    int have_hash = 0;

    for (uint32_t i = 0; i < h->npatterns; i += 16) {
        uint32_t n = h->npatterns - i < 16 ? h->npatterns - i : 16;
        if (read_at(fd, chunk, n * sizeof(chunk[0]), h->patterns_off + i * sizeof(chunk[0])))
            return -1;
        for (uint32_t j = 0; j < n; j++) {
            const struct selidx_pattern *p = &chunk[j];
            int hit;
            if (!intact(p, sizeof(*p), h->patterns_off + (uint64_t)(i + j) * sizeof(*p)))
                return -1;
            if (p->kind == SEL_HASH) {
                if (!have_hash)
                    have_hash = hash_of(ctx, hash) == 0 ? 1 : -1;
                hit = have_hash > 0 && same((const char *)hash, (const char *)p->hash, 16);
            } else if (p->kind == SEL_GLOB) {
                if (read_str(fd, h, p->match_off, p->match_len, buf, sizeof(strbuf)))
                    return -1;
                hit = selconf_glob(buf, p->match_len, path, len);
            } else {
                return -1;
            }
            if (hit && take(fd, h, r, p->line, p->flags, p->entry_off, p->entry_len))
                return -1;
        }
    }
    return 0;
}

int selidx_lookup(int fd, const struct selidx_header *h, const char *path, size_t len,
                  selidx_hash_fn hash_of, void *ctx, struct selidx_result *r)
{
    r->line = r->excluded_line = 0;
    r->entry_len = 0;
    if (r->entry_size < SELIDX_MAX_STR)
        return -1;
    r->entry[0] = 0;
    if (probe_exact(fd, h, path, len, r) || scan_patterns(fd, h, path, len, hash_of, ctx, r))
        return -1;
    return 0;
}

uint64_t selhc_key(uint64_t dev, uint64_t ino)
{
    uint64_t k[2] = {dev, ino};

    return XXH3_64bits(k, sizeof(k));
}

int selhc_lookup(int fd, uint64_t size, const struct stat *st, unsigned char out[16])
{
    struct selhc_header h;
    const char *m = SELHC_MAGIC;

    if (size < sizeof(h) || read_rec(fd, &h, sizeof(h), 0) || h.file_size != size ||
        !h.nslots || (h.nslots & (h.nslots - 1)) ||
        (size - sizeof(h)) / sizeof(struct selhc_slot) < h.nslots)
        return -1;
    for (int i = 0; i < 8; i++)
        if (h.magic[i] != m[i])
            return -1;
    uint64_t key = selhc_key((uint64_t)st->st_dev, (uint64_t)st->st_ino);
    for (uint32_t i = 0; i < h.nslots; i++) {
        struct selhc_slot e;
        if (read_rec(fd, &e, sizeof(e), sizeof(h) + ((key + i) & (h.nslots - 1)) * sizeof(e)))
            return -1;
        if (!e.id.dev && !e.id.ino)
            return -1;
        if (e.id.dev == (uint64_t)st->st_dev && e.id.ino == (uint64_t)st->st_ino) {
            if (!sel_identity_is(&e.id, st))
                return -1;      /* the program changed since it was hashed */
            for (int j = 0; j < 16; j++)
                out[j] = e.hash[j];
            return 0;
        }
    }
    return -1;
}
