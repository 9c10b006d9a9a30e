/* compile.c — `selctl compile`: write FILE.idx, the compiled form of the
 * list (selconf/selindex.h), so the loader decides with one probe.  The
 * index records the list's identity (dev, inode, size, mtime, ctime) as it
 * was read, and the name and identity of each drop-in (LIST.d/NAME.conf);
 * any later change to the list or its drop-ins makes the loader ignore the
 * index and parse the text until the next compile. */
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
#include "selconf.h"
#include "selctl.h"
#include "selindex.h"

struct builder {
    struct selidx_slot *slots;
    uint32_t nslots;
    struct selidx_pattern *pat;
    uint32_t npat, cappat;
    char *str;
    uint32_t nstr, capstr;
};

/* A string record: room for its check (filled in by seal()), then the bytes. */
static uint32_t add_str(struct builder *b, const char *s, size_t n)
{
    size_t need = SELIDX_STR_CHECK + n;

    if (b->nstr + need > b->capstr) {
        b->capstr = (uint32_t)((b->nstr + need) * 2 + 1024);
        b->str = realloc(b->str, b->capstr);
        if (!b->str)
            die("out of memory");
    }
    memset(b->str + b->nstr, 0, SELIDX_STR_CHECK);
    memcpy(b->str + b->nstr + SELIDX_STR_CHECK, s, n);
    b->nstr += (uint32_t)need;
    return b->nstr - (uint32_t)need;
}

static int same_str(const struct builder *b, uint32_t off, uint32_t len, const char *s, size_t n)
{
    return len == n && !memcmp(b->str + off + SELIDX_STR_CHECK, s, n);
}

static void add_exact(struct builder *b, const struct sel_entry *e)
{
    uint64_t key = selidx_key(e->match.p, e->match.n);
    uint32_t mask = b->nslots - 1, flags = e->exclude ? SELIDX_EXCLUDE : 0;

    for (uint32_t i = 0;; i++) {
        struct selidx_slot *s = &b->slots[(key + i) & mask];
        if (!s->line) {
            s->key = key;
            s->line = e->line;
            s->flags = flags;
            s->path_off = add_str(b, e->match.p, e->match.n);
            s->path_len = (uint32_t)e->match.n;
            s->entry_off = add_str(b, e->text.p, e->text.n);
            s->entry_len = (uint32_t)e->text.n;
            return;
        }
        if (s->key == key && same_str(b, s->path_off, s->path_len, e->match.p, e->match.n)) {
            /* Same path again: an exclusion wins; else the first line.  The
             * replaced entry's string stays in the table, named by no
             * record: nothing reads it, and the body checksum covers it. */
            if (flags && !(s->flags & SELIDX_EXCLUDE)) {
                s->flags = flags;
                s->line = e->line;
                s->entry_off = add_str(b, e->text.p, e->text.n);
                s->entry_len = (uint32_t)e->text.n;
            }
            return;
        }
    }
}

static void add_pattern(struct builder *b, const struct sel_entry *e)
{
    if (b->npat == b->cappat) {
        b->cappat = b->cappat * 2 + 16;
        b->pat = realloc(b->pat, b->cappat * sizeof(*b->pat));
        if (!b->pat)
            die("out of memory");
    }
    struct selidx_pattern *p = &b->pat[b->npat++];
    memset(p, 0, sizeof(*p));
    p->line = e->line;
    p->flags = e->exclude ? SELIDX_EXCLUDE : 0;
    p->kind = (uint32_t)e->kind;
    p->match_off = add_str(b, e->match.p, e->match.n);
    p->match_len = (uint32_t)e->match.n;
    p->entry_off = add_str(b, e->text.p, e->text.n);
    p->entry_len = (uint32_t)e->text.n;
    memcpy(p->hash, e->hash, 16);
}

static int count_line(const char *line, size_t len, unsigned lineno, void *ctx)
{
    struct sel_entry e;
    const char *why;

    if (selconf_parse_line(line, len, lineno, &e, &why) == 1 && e.kind == SEL_PATH)
        (*(uint32_t *)ctx)++;
    return 0;
}

static int build_line(const char *line, size_t len, unsigned lineno, void *ctx)
{
    struct sel_entry e;
    const char *why;

    if (selconf_parse_line(line, len, lineno, &e, &why) != 1)
        return 0;   /* broken lines select nothing, here as in the loader */
    if (e.kind == SEL_PATH)
        add_exact(ctx, &e);
    else
        add_pattern(ctx, &e);
    return 0;
}

/* Read the list and the identity it had while being read. */
char *read_list(const char *file, struct stat *st, size_t *len)
{
    return read_list_flags(file, 0, st, len);
}

char *read_list_flags(const char *file, int flags, struct stat *st, size_t *len)
{
    for (int tries = 0; tries < 5; tries++) {
        struct stat after;
        int fd = open(file, O_RDONLY | O_CLOEXEC | O_NONBLOCK | flags);
        if (fd < 0)
            return NULL;
        if (fstat(fd, st) || !S_ISREG(st->st_mode)) {
            close(fd);
            errno = EINVAL;
            return NULL;
        }
        char *buf = malloc((size_t)st->st_size + 1);
        ssize_t n = buf ? read(fd, buf, (size_t)st->st_size) : -1;
        struct sel_identity before;
        sel_identity_of(st, &before);
        int ok = n == st->st_size && !fstat(fd, &after) && sel_identity_is(&before, &after);
        close(fd);
        if (ok) {
            buf[n] = 0;
            *len = (size_t)n;
            return buf;
        }
        free(buf);
    }
    errno = EAGAIN;
    return NULL;
}

/* Fill in the check of the string record at string-table offset off. */
static void seal_str(char *strtab, uint64_t strtab_off, uint32_t off, uint32_t len)
{
    uint64_t c = selidx_check(strtab + off + SELIDX_STR_CHECK, len, strtab_off + off);

    memcpy(strtab + off, &c, sizeof(c));
}

/* Every record's check, now that the offsets are known: strings first (the
 * records naming them do not cover their checks, only their places). */
static void seal(struct selidx_header *h, struct selidx_slot *slots,
                 struct selidx_pattern *pat, char *strtab)
{
    for (uint32_t i = 0; i < h->nslots; i++) {
        struct selidx_slot *s = &slots[i];
        if (s->line) {
            seal_str(strtab, h->strtab_off, s->path_off, s->path_len);
            seal_str(strtab, h->strtab_off, s->entry_off, s->entry_len);
        }
        s->check = selidx_check(s, offsetof(struct selidx_slot, check),
                                h->slots_off + (uint64_t)i * sizeof(*s));
    }
    for (uint32_t i = 0; i < h->npatterns; i++) {
        struct selidx_pattern *p = &pat[i];
        seal_str(strtab, h->strtab_off, p->match_off, p->match_len);
        seal_str(strtab, h->strtab_off, p->entry_off, p->entry_len);
        p->check = selidx_check(p, offsetof(struct selidx_pattern, check),
                                h->patterns_off + (uint64_t)i * sizeof(*p));
    }
}

static void text_hash(const char *text, size_t len, unsigned char out[16])
{
    XXH128_canonical_t th;

    XXH128_canonicalFromHash(&th, XXH3_128bits(text, len));
    memcpy(out, th.digest, 16);
}

/* The drop-in table: each drop-in's name and identity, in reading order. */
static void seal_dropins(const struct selidx_header *h, const struct list_set *s, char *img)
{
    for (uint32_t i = 0; i < h->ndropins; i++) {
        const struct list_file *f = &s->f[1 + i];
        struct selidx_dropin d;
        uint64_t at = h->dropins_off + (uint64_t)i * sizeof(d);
        memset(&d, 0, sizeof(d));
        sel_identity_of(&f->st, &d.id);
        text_hash(f->text, f->len, d.text_hash);
        snprintf(d.name, sizeof(d.name), "%s", f->name);
        d.check = selidx_check(&d, offsetof(struct selidx_dropin, check), at);
        memcpy(img + at, &d, sizeof(d));
    }
}

/* The whole index file for this set, in memory: the same texts and
 * identities always give the same bytes (selctl check relies on it). */
static char *index_image(const struct builder *b, const struct list_set *s, size_t *size)
{
    struct selidx_header h;
    size_t slots = (size_t)b->nslots * sizeof(*b->slots);
    size_t pats = (size_t)b->npat * sizeof(*b->pat);

    memset(&h, 0, sizeof(h));
    memcpy(h.magic, SELIDX_MAGIC, 8);
    h.nslots = b->nslots;
    h.npatterns = b->npat;
    sel_identity_of(&s->f[0].st, &h.list);
    h.slots_off = sizeof(h);
    h.patterns_off = h.slots_off + slots;
    h.strtab_off = h.patterns_off + pats;
    h.ndropins = (uint32_t)(s->n - 1);
    h.dropins_off = h.strtab_off + b->nstr;
    h.file_size = h.dropins_off + (uint64_t)h.ndropins * sizeof(struct selidx_dropin);
    text_hash(s->f[0].text, s->f[0].len, h.text_hash);
    char *img = calloc(1, h.file_size);
    if (!img)
        die("out of memory");
    memcpy(img + h.slots_off, b->slots, slots);
    if (pats)
        memcpy(img + h.patterns_off, b->pat, pats);
    if (b->nstr)
        memcpy(img + h.strtab_off, b->str, b->nstr);
    seal(&h, (struct selidx_slot *)(img + h.slots_off),
         (struct selidx_pattern *)(img + h.patterns_off), img + h.strtab_off);
    seal_dropins(&h, s, img);
    h.body_hash = XXH3_64bits(img + sizeof(h), h.file_size - sizeof(h));
    h.check = selidx_check(&h, offsetof(struct selidx_header, check), 0);
    memcpy(img, &h, sizeof(h));
    *size = h.file_size;
    return img;
}

/* Compile the set (every file read: set_usable) into an index image. */
char *compile_set(const struct list_set *s, size_t *size, uint32_t *nexact, uint32_t *npat)
{
    struct builder b = {0};
    uint32_t exact = 0;

    set_foreach_line(s, count_line, &exact);
    for (b.nslots = 8; b.nslots < exact * 2; b.nslots *= 2)
        ;
    b.slots = calloc(b.nslots, sizeof(*b.slots));
    if (!b.slots)
        die("out of memory");
    set_foreach_line(s, build_line, &b);
    char *img = index_image(&b, s, size);
    *nexact = exact;
    *npat = b.npat;
    free(b.slots);
    free(b.pat);
    free(b.str);
    return img;
}

/* Write data to path atomically (temp file, fsync, rename), mode 0644,
 * owned like the list when we may. */
int write_atomically(const char *path, const char *data, size_t size,
                            const struct stat *owner)
{
    char tmp[PATH_MAX];

    snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd < 0)
        return -1;
    if (write(fd, data, size) != (ssize_t)size || fchmod(fd, 0644) ||
        (owner && fchown(fd, owner->st_uid, owner->st_gid) && errno != EPERM) || fsync(fd) ||
        close(fd) || rename(tmp, path)) {
        int err = errno;
        unlink(tmp);
        errno = err;
        return -1;
    }
    return 0;
}

/* Compile the list and its drop-ins; the caller holds the list's lock
 * (lock.c).  A drop-in that cannot be read is an error: the loader would
 * ignore the whole list. */
int compile_locked(const char *file, int quiet)
{
    struct list_set s;
    size_t size;
    uint32_t exact, npat;
    char path[PATH_MAX];

    if (set_read(file, &s)) {
        fprintf(stderr, "selctl: %s: %s\n", file, strerror(errno));
        return 1;
    }
    if (!set_usable(&s, stderr)) {
        fprintf(stderr, "selctl: %s: not compiled\n", file);
        set_free(&s);
        return 1;
    }
    char *img = compile_set(&s, &size, &exact, &npat);
    snprintf(path, sizeof(path), "%s.idx", file);
    int r = write_atomically(path, img, size, &s.f[0].st);
    if (r)
        fprintf(stderr, "selctl: %s: %s\n", path, strerror(errno));
    else if (!quiet)
        printf("%s: %u exact paths, %u patterns, %d drop-in%s\n", path, exact, npat, s.n - 1,
               s.n == 2 ? "" : "s");
    free(img);
    if (!r)
        r = compile_rules(file, &s, quiet);
    set_free(&s);
    return r ? 1 : 0;
}

int cmd_compile(const char *file, int quiet)
{
    struct list_lock lk;

    if (lock_list(file, &lk))
        return 1;
    int r = compile_locked(file, quiet);
    unlock_list(&lk);
    return r;
}

/* ---- the content-hash cache (FILE.hcache) ---- */

static void hc_insert(struct selhc_slot *slots, uint32_t n, const struct selhc_slot *e)
{
    uint64_t key = selhc_key(e->id.dev, e->id.ino);

    for (uint32_t i = 0; i < n; i++) {
        struct selhc_slot *s = &slots[(key + i) & (n - 1)];
        if ((!s->id.dev && !s->id.ino) || (s->id.dev == e->id.dev && s->id.ino == e->id.ino)) {
            *s = *e;
            return;
        }
    }
}

/* The entries of the current cache whose checks pass (damaged ones are
 * dropped: the loader would not use them either); *n gets the slot count. */
static struct selhc_slot *hc_read(const char *path, uint32_t *n)
{
    struct selhc_header old;
    struct selhc_slot *prev = NULL;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);

    *n = 0;
    if (fd < 0)
        return NULL;
    if (read(fd, &old, sizeof(old)) == sizeof(old) && !memcmp(old.magic, SELHC_MAGIC, 8) &&
        old.check == selidx_check(&old, offsetof(struct selhc_header, check), 0) &&
        old.nslots && old.nslots <= (1u << 24) && !(old.nslots & (old.nslots - 1))) {
        prev = calloc(old.nslots, sizeof(*prev));
        if (prev && read(fd, prev, old.nslots * sizeof(*prev)) ==
                        (ssize_t)(old.nslots * sizeof(*prev)))
            *n = old.nslots;
    }
    close(fd);
    for (uint32_t i = 0; i < *n; i++)
        if (prev[i].check != selidx_check(&prev[i], offsetof(struct selhc_slot, check),
                                          sizeof(old) + (uint64_t)i * sizeof(prev[i])))
            memset(&prev[i], 0, sizeof(prev[i]));
    return prev;
}

/* Add (or refresh) the hash of the file st describes; rewrite the cache
 * atomically, keeping its other entries, under the list's lock so two
 * `selctl hash` runs do not drop each other's entry. */
static int hcache_add_locked(const char *file, const struct stat *st, const unsigned char hash[16])
{
    char path[PATH_MAX];
    struct selhc_header h;
    struct selhc_slot e;
    struct stat lst;
    uint32_t nprev, count = 1;

    snprintf(path, sizeof(path), "%s.hcache", file);
    struct selhc_slot *prev = hc_read(path, &nprev);
    for (uint32_t i = 0; i < nprev; i++)
        count += prev[i].id.dev || prev[i].id.ino;
    memset(&h, 0, sizeof(h));
    memcpy(h.magic, SELHC_MAGIC, 8);
    for (h.nslots = 8; h.nslots < count * 2; h.nslots *= 2)
        ;
    h.file_size = sizeof(h) + (uint64_t)h.nslots * sizeof(struct selhc_slot);
    h.check = selidx_check(&h, offsetof(struct selhc_header, check), 0);
    char *img = calloc(1, h.file_size);
    if (!img)
        die("out of memory");
    struct selhc_slot *slots = (struct selhc_slot *)(img + sizeof(h));
    for (uint32_t i = 0; i < nprev; i++)
        if (prev[i].id.dev || prev[i].id.ino)
            hc_insert(slots, h.nslots, &prev[i]);
    memset(&e, 0, sizeof(e));
    sel_identity_of(st, &e.id);
    memcpy(e.hash, hash, 16);
    hc_insert(slots, h.nslots, &e);
    for (uint32_t i = 0; i < h.nslots; i++)
        slots[i].check = selidx_check(&slots[i], offsetof(struct selhc_slot, check),
                                      sizeof(h) + (uint64_t)i * sizeof(slots[i]));
    memcpy(img, &h, sizeof(h));
    int have = stat(file, &lst) == 0;
    int r = write_atomically(path, img, h.file_size, have ? &lst : NULL);
    free(img);
    free(prev);
    return r;
}

int hcache_add(const char *file, const struct stat *st, const unsigned char hash[16])
{
    struct list_lock lk;

    if (lock_list(file, &lk))
        return -1;
    int r = hcache_add_locked(file, st, hash);
    int err = errno;
    unlock_list(&lk);
    errno = err;
    return r;
}
