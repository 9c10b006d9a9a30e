/* compile.c — `selctl compile`: write FILE.idx, the compiled form of the
 * list (loader/selindex.h), so the loader decides with one probe.  The
 * index records the list's identity (dev, inode, size, mtime, ctime) as it
 * was read; any later change to the list makes the loader ignore the index
 * and parse the text until the next compile. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
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

static uint32_t add_str(struct builder *b, const char *s, size_t n)
{
    if (b->nstr + n > b->capstr) {
        b->capstr = (uint32_t)((b->nstr + n) * 2 + 1024);
        b->str = realloc(b->str, b->capstr);
        if (!b->str)
            die("out of memory");
    }
    memcpy(b->str + b->nstr, s, n);
    b->nstr += (uint32_t)n;
    return b->nstr - (uint32_t)n;
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
        if (s->key == key && s->path_len == e->match.n &&
            !memcmp(b->str + s->path_off, e->match.p, e->match.n)) {
            /* Same path again: an exclusion wins; else the first line. */
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
static char *read_list(const char *file, struct stat *st, size_t *len)
{
    for (int tries = 0; tries < 5; tries++) {
        struct stat after;
        int fd = open(file, O_RDONLY | O_CLOEXEC);
        if (fd < 0 || fstat(fd, st))
            return NULL;
        char *buf = malloc((size_t)st->st_size + 1);
        ssize_t n = buf ? read(fd, buf, (size_t)st->st_size) : -1;
        struct sel_identity before;
        sel_identity_of(st, &before);
        int ok = n == st->st_size && !fstat(fd, &after) && sel_identity_is(&before, &after);
        close(fd);
        if (ok) {
            *len = (size_t)n;
            return buf;
        }
        free(buf);
    }
    errno = EAGAIN;
    return NULL;
}

static int write_index(const char *file, const struct stat *st, struct builder *b)
{
    struct selidx_header h;
    char path[PATH_MAX], tmp[PATH_MAX];
    size_t slots = (size_t)b->nslots * sizeof(*b->slots);
    size_t pats = (size_t)b->npat * sizeof(*b->pat);

    memset(&h, 0, sizeof(h));
    memcpy(h.magic, SELIDX_MAGIC, 8);
    h.nslots = b->nslots;
    h.npatterns = b->npat;
    sel_identity_of(st, &h.list);
    h.slots_off = sizeof(h);
    h.patterns_off = h.slots_off + slots;
    h.strtab_off = h.patterns_off + pats;
    h.file_size = h.strtab_off + b->nstr;
    snprintf(path, sizeof(path), "%s.idx", file);
    snprintf(tmp, sizeof(tmp), "%s.idx.XXXXXX", file);
    int fd = mkstemp(tmp);
    if (fd < 0)
        return -1;
    if (write(fd, &h, sizeof(h)) != sizeof(h) ||
        write(fd, b->slots, slots) != (ssize_t)slots ||
        (pats && write(fd, b->pat, pats) != (ssize_t)pats) ||
        (b->nstr && write(fd, b->str, b->nstr) != (ssize_t)b->nstr) ||
        fchmod(fd, 0644) || (fchown(fd, st->st_uid, st->st_gid) && errno != EPERM) ||
        fsync(fd) || close(fd) || rename(tmp, path)) {
        int err = errno;
        unlink(tmp);
        errno = err;
        return -1;
    }
    return 0;
}

int cmd_compile(const char *file, int quiet)
{
    struct builder b = {0};
    struct stat st;
    size_t len;
    uint32_t exact = 0;
    char *text = read_list(file, &st, &len);

    if (!text) {
        fprintf(stderr, "selctl: %s: %s\n", file, strerror(errno));
        return 1;
    }
    selconf_foreach_line(text, len, count_line, &exact);
    for (b.nslots = 8; b.nslots < exact * 2; b.nslots *= 2)
        ;
    b.slots = calloc(b.nslots, sizeof(*b.slots));
    if (!b.slots)
        die("out of memory");
    selconf_foreach_line(text, len, build_line, &b);
    int r = write_index(file, &st, &b);
    if (r)
        fprintf(stderr, "selctl: %s.idx: %s\n", file, strerror(errno));
    else if (!quiet)
        printf("%s.idx: %u exact paths, %u patterns\n", file, exact, b.npat);
    free(b.slots);
    free(b.pat);
    free(b.str);
    free(text);
    return r ? 1 : 0;
}

/* For check and explain: is there an index, and does the loader use it? */
const char *index_state(const char *file)
{
    char path[PATH_MAX];
    struct stat lst;
    struct selidx_header h;
    int fd;

    snprintf(path, sizeof(path), "%s.idx", file);
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return "no compiled index (the loader parses the list; run selctl compile)";
    ssize_t n = read(fd, &h, sizeof(h));
    close(fd);
    if (stat(file, &lst) || n != sizeof(h) || memcmp(h.magic, SELIDX_MAGIC, 8))
        return "the compiled index is unreadable (run selctl compile)";
    if (!selidx_fresh(&h, &lst))
        return "the compiled index is stale: the loader parses the list until selctl compile";
    return NULL;
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

/* Add (or refresh) the hash of the file st describes; rewrite the cache
 * atomically, keeping its other entries. */
int hcache_add(const char *file, const struct stat *st, const unsigned char hash[16])
{
    char path[PATH_MAX], tmp[PATH_MAX];
    struct selhc_header h, old = {0};
    struct selhc_slot e, *prev = NULL;
    struct stat lst;
    uint32_t nprev = 0, count = 1;

    snprintf(path, sizeof(path), "%s.hcache", file);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        if (read(fd, &old, sizeof(old)) == sizeof(old) && !memcmp(old.magic, SELHC_MAGIC, 8) &&
            old.nslots && old.nslots <= (1u << 24) && !(old.nslots & (old.nslots - 1))) {
            prev = calloc(old.nslots, sizeof(*prev));
            if (prev && read(fd, prev, old.nslots * sizeof(*prev)) ==
                            (ssize_t)(old.nslots * sizeof(*prev)))
                nprev = old.nslots;
        }
        close(fd);
    }
    for (uint32_t i = 0; i < nprev; i++)
        count += prev[i].id.dev || prev[i].id.ino;
    memset(&h, 0, sizeof(h));
    memcpy(h.magic, SELHC_MAGIC, 8);
    for (h.nslots = 8; h.nslots < count * 2; h.nslots *= 2)
        ;
    h.file_size = sizeof(h) + (uint64_t)h.nslots * sizeof(struct selhc_slot);
    struct selhc_slot *slots = calloc(h.nslots, sizeof(*slots));
    if (!slots)
        die("out of memory");
    for (uint32_t i = 0; i < nprev; i++)
        if (prev[i].id.dev || prev[i].id.ino)
            hc_insert(slots, h.nslots, &prev[i]);
    memset(&e, 0, sizeof(e));
    sel_identity_of(st, &e.id);
    memcpy(e.hash, hash, 16);
    hc_insert(slots, h.nslots, &e);
    snprintf(tmp, sizeof(tmp), "%s.hcache.XXXXXX", file);
    fd = mkstemp(tmp);
    int r = -1;
    if (fd >= 0) {
        size_t n = h.nslots * sizeof(*slots);
        int have = stat(file, &lst) == 0;
        r = write(fd, &h, sizeof(h)) != sizeof(h) || write(fd, slots, n) != (ssize_t)n ||
            fchmod(fd, 0644) || (have && fchown(fd, lst.st_uid, lst.st_gid) && errno != EPERM) ||
            fsync(fd) || close(fd) || rename(tmp, path) ? -1 : 0;
        if (r)
            unlink(tmp);
    }
    free(slots);
    free(prev);
    return r;
}
