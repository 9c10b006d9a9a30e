/* select.c — is this program selected?  Read selected.conf (or, for a
 * non-secure exec, $RUNSEL_CONFIG), refuse it unless it is trusted, and
 * match the program's real path and, only when the list has hash entries,
 * its contents.  Exclusions win; otherwise the first matching entry.
 *
 * A list that is missing, untrusted or unreadable selects nothing; a broken
 * line selects nothing and does not stop the others: the program always
 * runs.  A fresh, trusted compiled index (FILE.idx, selindex.h) answers
 * with one probe; without one the text is parsed — slower, same answer.
 *
 * The list's drop-ins (LIST.d/NAME.conf, selconf.h) continue it: listed on
 * every exec (one getdents64 pass and one fstatat per drop-in, which also
 * tell the index whether it is still fresh), trusted like the list, read
 * after it in strcmp order of the names.  A drop-in or drop-in directory
 * that is not trusted makes the whole list ignored, as an untrusted list
 * is: a part of the policy is not silently left out. */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <string.h>
#include <runsel/wrapper.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include "loader.h"
#include "selconf.h"
#include "selindex.h"
#include "sys.h"

static int path_of_fd(int fd, char *buf, size_t size)
{
    char proc[32];
    long n;

    ld_fmt(proc, sizeof(proc), "/proc/self/fd/%d", fd);
    n = sys3(SYS_readlink, proc, buf, size - 1);
    if (rs_is_err(n) || n == 0 || buf[0] != '/')
        return -1;
    buf[n] = 0;
    return 0;
}

/* Owned by root (or, for a list named by $RUNSEL_CONFIG, by the user
 * running it) and writable by nobody else; directories may be writable by
 * others only when sticky, as /tmp. */
static const char *untrusted(const struct stat *st, unsigned owner, int is_dir)
{
    if (st->st_uid != 0 && st->st_uid != owner)
        return is_dir ? "a directory above it has another owner" : "it has another owner";
    if ((st->st_mode & 022) && !(is_dir && (st->st_mode & S_ISVTX)))
        return is_dir ? "a directory above it is writable by others"
                      : "it is writable by group or others";
    return NULL;
}

static const char *check_trust(int fd, const char *real, unsigned owner, struct stat *fst)
{
    struct stat st;
    char dir[4096];
    size_t n = strlen(real);
    const char *why;

    if (sys2(SYS_fstat, fd, fst) != 0 || !S_ISREG(fst->st_mode))
        return "it is not a regular file";
    if ((why = untrusted(fst, owner, 0)))
        return why;
    if (n >= sizeof(dir))
        return "its path is too long";
    memcpy(dir, real, n + 1);
    while (n > 1) {
        while (n > 1 && dir[n - 1] != '/')
            n--;
        dir[n > 1 ? n - 1 : 1] = 0;      /* parent directory */
        if (sys2(SYS_stat, dir, &st) != 0)
            return "a directory above it cannot be checked";
        if ((why = untrusted(&st, owner, 1)))
            return why;
        n = n > 1 ? n - 1 : 1;
    }
    return NULL;
}

/* ---- drop-ins ---- */

static struct sel_dropins dropins;  /* large: static, not on the stack */
static char dropin_why[4400];       /* why_not, naming the file */

static const char *dropin_name(const struct sel_dropins *d, int i)
{
    return d->names + d->name_off[i];
}

/* why, about the drop-in directory (name NULL) or one drop-in. */
static const char *dropin_problem(const struct sel_dropins *d, const char *name, const char *why)
{
    ld_fmt(dropin_why, sizeof(dropin_why), "%s%s%s: %s", d->dir, name ? "/" : "", name ? name : "",
           why);
    return dropin_why;
}

/* The drop-in directory decides which files are part of the list: only
 * its owner (root, or the list's owner) may write there, even when it is
 * sticky as /tmp is — there anyone could add a drop-in. */
static const char *untrusted_dir(const struct stat *st, unsigned owner)
{
    if (!S_ISDIR(st->st_mode))
        return "it is not a directory";
    if (st->st_uid != 0 && st->st_uid != owner)
        return "it has another owner";
    if (st->st_mode & 022)
        return "it is writable by group or others (anyone could add a drop-in)";
    return NULL;
}

/* A drop-in by its own status (a link not followed): a regular file,
 * trusted as the list is.  Not a link: its trust would then depend on
 * another directory than the one checked. */
static const char *untrusted_dropin(const struct stat *st, unsigned owner)
{
    if (S_ISLNK(st->st_mode))
        return "it is a symbolic link (a drop-in may not be one)";
    if (!S_ISREG(st->st_mode))
        return "it is not a regular file";
    if ((uint64_t)st->st_size > SEL_MAX_DROPIN_SIZE)
        return "it is larger than 16 MiB";
    return untrusted(st, owner, 0);
}

struct ld_dirent64 {
    uint64_t d_ino;
    int64_t d_off;
    unsigned short d_reclen;
    unsigned char d_type;
    char d_name[];
};

/* The drop-in names in the directory open on d->fd, unsorted. */
static const char *read_names(struct sel_dropins *d)
{
    static char buf[4096] __attribute__((aligned(8)));
    size_t used = 0;

    for (;;) {
        long n = sys3(SYS_getdents64, d->fd, buf, sizeof(buf));
        if (rs_is_err(n))
            return "it cannot be read";
        if (n == 0)
            return NULL;
        for (long off = 0; off < n;) {
            const struct ld_dirent64 *e = (const void *)(buf + off);
            size_t len = strlen(e->d_name);
            off += e->d_reclen;
            if (!selconf_dropin_name(e->d_name, len))
                continue;
            if (d->n == SEL_MAX_DROPINS)
                return "it holds more than 128 drop-ins";
            d->name_off[d->n++] = (unsigned)used;
            memcpy(d->names + used, e->d_name, len + 1);
            used += len + 1;
        }
    }
}

/* Reading order: strcmp of the names (insertion sort: a few names). */
static void sort_names(struct sel_dropins *d)
{
    for (int i = 1; i < d->n; i++) {
        unsigned off = d->name_off[i];
        int j = i;
        for (; j > 0 && strcmp(dropin_name(d, j - 1), d->names + off) > 0; j--)
            d->name_off[j] = d->name_off[j - 1];
        d->name_off[j] = off;
    }
}

static void forget_dropin(struct sel_dropins *d, int i)
{
    for (int j = i + 1; j < d->n; j++) {
        d->name_off[j - 1] = d->name_off[j];
        d->id[j - 1] = d->id[j];
    }
    d->n--;
}

/* Each drop-in's status, checked, and its identity (for the index). */
static const char *check_dropins(struct sel_dropins *d, unsigned owner)
{
    struct stat st;

    for (int i = 0; i < d->n; i++) {
        long r = sys4(SYS_newfstatat, d->fd, dropin_name(d, i), &st, AT_SYMLINK_NOFOLLOW);
        if (r == -ENOENT) {              /* removed since listed: as if not there */
            forget_dropin(d, i--);
            continue;
        }
        const char *why = r ? "it cannot be checked" : untrusted_dropin(&st, owner);
        if (why)
            return dropin_problem(d, dropin_name(d, i), why);
        sel_identity_of(&st, &d->id[i]);
    }
    return NULL;
}

/* List and check the drop-ins of the list at real_list (trusted, with
 * its directories: the drop-in directory is beside it).  NULL when they
 * may be used (none is the usual case), else why the list is ignored.
 * d->fd stays open for reading them (close_dropins). */
static const char *find_dropins(const char *real_list, unsigned owner, struct sel_dropins *d)
{
    struct stat st;
    size_t n = strlen(real_list);
    const char *why;

    d->n = 0;
    d->fd = -1;
    if (n + 3 > sizeof(d->dir))
        return "its path is too long";
    memcpy(d->dir, real_list, n);
    memcpy(d->dir + n, ".d", 3);
    long fd = sys3(SYS_open, d->dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK, 0);
    if (fd == -ENOENT)
        return NULL;
    if (rs_is_err(fd)) {
        int link = sys4(SYS_newfstatat, AT_FDCWD, d->dir, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
                   S_ISLNK(st.st_mode);
        return dropin_problem(d, NULL, link ? "it is a symbolic link (the drop-in directory may "
                                              "not be one)"
                                       : fd == -ENOTDIR ? "it is not a directory"
                                                        : ld_strerror((int)-fd));
    }
    d->fd = (int)fd;
    why = sys2(SYS_fstat, fd, &st) ? "it cannot be checked" : untrusted_dir(&st, owner);
    if (!why)
        why = read_names(d);
    if (why)
        return dropin_problem(d, NULL, why);
    sort_names(d);
    return check_dropins(d, owner);
}

static void close_dropins(struct sel_dropins *d)
{
    if (d->fd >= 0)
        sys1(SYS_close, d->fd);
    d->fd = -1;
}

/* The list and its drop-ins (the static `dropins`: a pointer to it here
 * would be built from a constant the compiler may keep in memory, a
 * relocation the loader may not have), as one text (selconf.h's
 * numbering). */
struct set {
    int fd;                      /* the list */
    const struct stat *lst;
    unsigned owner;
    const char *why;             /* set when a file turned out unusable */
};

static int each_line(int fd, size_t size, unsigned k, selconf_line_fn fn, void *ctx,
                     int *too_many);

/* Drop-in k (1-based) opened anew, not following a link, and checked
 * again (it may have been replaced since it was listed): its fd, or -1
 * (s->why set, or 0 when it was removed meanwhile). */
static int open_dropin(struct set *s, int k, struct stat *st)
{
    const char *name = dropin_name(&dropins, k - 1), *why;
    long fd = sys4(SYS_openat, dropins.fd, name, LD_OPEN_FLAGS | O_NOFOLLOW, 0);

    if (fd == -ENOENT)
        return -1;
    if (rs_is_err(fd)) {
        s->why = dropin_problem(&dropins, name, fd == -ELOOP ? "it is a symbolic link (a drop-in may "
                                                           "not be one)"
                                                         : ld_strerror((int)-fd));
        return -1;
    }
    why = sys2(SYS_fstat, fd, st) ? "it cannot be checked" : untrusted_dropin(st, s->owner);
    if (why) {
        sys1(SYS_close, fd);
        s->why = dropin_problem(&dropins, name, why);
        return -1;
    }
    return (int)fd;
}

/* Run fn over the lines of file k of the set (0: the list), numbered;
 * fn's non-zero result, or -1 with s->why when the file is unusable. */
static int each_file_line(struct set *s, int k, selconf_line_fn fn, void *ctx)
{
    struct stat st = *s->lst;
    int fd = k ? open_dropin(s, k, &st) : s->fd, r, too_many = 0;

    if (fd < 0)
        return s->why ? -1 : 0;
    r = st.st_size ? each_line(fd, (size_t)st.st_size, (unsigned)k, fn, ctx, &too_many) : 0;
    if (k)
        sys1(SYS_close, fd);
    if (too_many) {
        s->why = k ? dropin_problem(&dropins, dropin_name(&dropins, k - 1),
                                    "it has more than 999999 lines")
                   : "it has more than 999999 lines (the drop-ins' lines are numbered after)";
        return -1;
    }
    return r;
}

static int each_set_line(struct set *s, selconf_line_fn fn, void *ctx)
{
    for (int k = 0; k <= dropins.n; k++) {
        int r = each_file_line(s, k, fn, ctx);
        if (r)
            return r;
    }
    return 0;
}

const char *select_where(const struct selection *sel, unsigned line, char *buf, size_t size)
{
    unsigned k = line / SEL_FILE_STRIDE;
    const struct sel_dropins *d = sel->dropins;

    if (k && d && k <= (unsigned)d->n)
        ld_fmt(buf, size, "%s/%s:%u", d->dir, dropin_name(d, (int)k - 1), line % SEL_FILE_STRIDE);
    else
        ld_fmt(buf, size, "%s:%u", sel->list, line);
    return buf;
}

const char *select_dropins(const char *real_list, int user_list, const struct sel_dropins **d)
{
    const char *why = find_dropins(real_list, user_list ? (unsigned)sys0(SYS_getuid) : 0, &dropins);

    close_dropins(&dropins);
    *d = &dropins;
    return why;
}

struct scan {
    struct selection *sel;
    const char *real_list;       /* for FILE.idx and FILE.hcache */
    unsigned owner;
    const char *prog;            /* real path */
    size_t prog_len;
    int prog_fd;
    int have_hash;
    unsigned char hash[16];
};

/* Open real_list + suffix if it is a trusted, non-empty regular file;
 * -1 otherwise.  *size gets its size. */
static int open_beside(const struct scan *sc, const char *suffix, uint64_t *size)
{
    char path[4100];
    struct stat st;
    size_t n = strlen(sc->real_list), k = strlen(suffix);

    if (n + k + 1 > sizeof(path))
        return -1;
    memcpy(path, sc->real_list, n);
    memcpy(path + n, suffix, k + 1);
    long fd = sys3(SYS_open, path, LD_OPEN_FLAGS, 0);
    if (rs_is_err(fd))
        return -1;
    if (sys2(SYS_fstat, fd, &st) == 0 && S_ISREG(st.st_mode) && !untrusted(&st, sc->owner, 0) &&
        st.st_size > 0) {
        *size = (uint64_t)st.st_size;
        return (int)fd;
    }
    sys1(SYS_close, fd);
    return -1;
}

/* The program's hash, only if a hash entry needs it, once: from the cache
 * when it holds a current value, else by reading the program. */
static int program_hash(struct scan *sc)
{
    struct stat st;
    uint64_t size;

    if (sc->have_hash)
        return sc->have_hash > 0 ? 0 : -1;
    int cache = open_beside(sc, ".hcache", &size);
    if (cache >= 0) {
        int hit = sys2(SYS_fstat, sc->prog_fd, &st) == 0 &&
                  selhc_lookup(cache, size, &st, sc->hash) == 0;
        sys1(SYS_close, cache);
        if (hit) {
            sc->have_hash = 1;
            sc->sel->hash_cached = 1;
            return 0;
        }
    }
    sc->have_hash = file_xxh128(sc->prog_fd, sc->hash) == 0 ? 1 : -1;
    return sc->have_hash > 0 ? 0 : -1;
}

/* Line lineno selects: remember it and its text (at most SEL_MAX_LINE). */
static void take_entry(struct selection *sel, unsigned lineno, const struct sel_entry *e)
{
    sel->line = lineno;
    memcpy(sel->entry, e->text.p, e->text.n);
    sel->entry[e->text.n] = 0;
}

static int entry_matches(struct scan *sc, const struct sel_entry *e)
{
    if (e->kind != SEL_HASH)
        return selconf_path_matches(e, sc->prog, sc->prog_len);
    return program_hash(sc) == 0 && !memcmp(sc->hash, e->hash, 16);
}

static int scan_line(const char *line, size_t len, unsigned lineno, void *ctx)
{
    struct scan *sc = ctx;
    struct sel_entry e;
    const char *why;

    if (selconf_parse_line(line, len, lineno, &e, &why) <= 0 || !entry_matches(sc, &e))
        return 0;                        /* broken lines are skipped */
    if (e.exclude) {
        sc->sel->excluded_line = lineno;
        return 1;                        /* an exclusion wins: stop */
    }
    if (!sc->sel->line)
        take_entry(sc->sel, lineno, &e);
    return 0;                            /* keep looking for exclusions */
}

/* Run fn over the lines of the file open on fd (size bytes), mapped, as
 * file k of the set (selconf_foreach_file_line); fn's non-zero result, or 0. */
static int each_line(int fd, size_t size, unsigned k, selconf_line_fn fn, void *ctx,
                     int *too_many)
{
    const char *text = sys_mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);

    if (rs_is_err((long)text))
        return 0;
    int r = selconf_foreach_file_line(text, size, k, fn, ctx, too_many);
    sys2(SYS_munmap, text, size);
    return r;
}

static int hash_cb(void *ctx, unsigned char out[16])
{
    struct scan *sc = ctx;

    if (program_hash(sc))
        return -1;
    memcpy(out, sc->hash, 16);
    return 0;
}

/* Does the index record exactly the drop-ins found now: the same names in
 * the same order, each with the same identity? */
static int dropins_fresh(int fd, const struct selidx_header *h, const struct sel_dropins *d)
{
    static struct selidx_dropin rec;

    if (h->ndropins != (uint32_t)d->n)
        return 0;
    for (int i = 0; i < d->n; i++)
        if (selidx_dropin(fd, h, (uint32_t)i, &rec) || strcmp(rec.name, dropin_name(d, i)) ||
            memcmp(&rec.id, &d->id[i], sizeof(rec.id)))
            return 0;
    return 1;
}

/* The compiled index next to the list, if it is trusted and describes the
 * list and its drop-ins as they are now.  Returns 0 when it answered. */
static int try_index(const struct stat *list_st, const struct sel_dropins *d, struct scan *sc)
{
    struct selection *sel = sc->sel;
    struct selidx_result r = {.entry = sel->entry, .entry_size = sizeof(sel->entry)};
    struct selidx_header h;
    uint64_t size;
    int fd = open_beside(sc, ".idx", &size), answered = -1;

    if (fd < 0)
        return -1;
    if (selidx_read_header(fd, size, &h) == 0 && selidx_fresh(&h, list_st) &&
        dropins_fresh(fd, &h, d) && selidx_lookup(fd, &h, sc->prog, sc->prog_len, hash_cb, sc, &r) == 0) {
        sel->excluded_line = r.excluded_line;
        sel->line = r.excluded_line ? 0 : r.line;
        sel->via_index = 1;
        answered = 0;
    }
    sys1(SYS_close, fd);
    return answered;
}

static void scan_list(struct set *set, const char *real_list, int prog_fd, struct selection *sel)
{
    struct scan sc = {.sel = sel, .real_list = real_list, .owner = set->owner, .prog_fd = prog_fd};
    char prog[4096];

    if (set->lst->st_size == 0 && !dropins.n)
        return;
    if (path_of_fd(prog_fd, prog, sizeof(prog))) {
        sel->why_not = "cannot resolve the program's path (is /proc mounted?)";
        return;
    }
    sc.prog = prog;
    sc.prog_len = strlen(prog);
    if (try_index(set->lst, &dropins, &sc) == 0)
        return;
    each_set_line(set, scan_line, &sc);
    if (sel->excluded_line)
        sel->line = 0;
}

static unsigned list_owner(int user_list)
{
    return user_list ? (unsigned)sys0(SYS_getuid) : 0;
}

/* Resolve the file open on fd to its real path and check it is trusted. */
static const char *trust_file(int fd, unsigned owner, char *real, size_t size, struct stat *st)
{
    if (path_of_fd(fd, real, size))
        return "cannot resolve its path (is /proc mounted?)";
    return check_trust(fd, real, owner, st);
}

const char *list_trust(int fd, int user_list, char *real, size_t size)
{
    struct stat st;

    return trust_file(fd, list_owner(user_list), real, size, &st);
}

/* ---- the wrapper stack ----
 *
 * A selected program runs a stack of wrappers, outermost first, from
 * three sources: the parent's stack ($RUNSEL_SELECTED, items of this same
 * list), the program's own entry in the list (or an exclusion), and
 * runsel's request ($RUNSEL_RUN: forced, or "?..." only when nothing else
 * selects).  An enforcing wrapper (RS_ENFORCES, read from its image:
 * imgnote.c) is never shed; the others give way:
 *   - inherited items give way to the child's own entry, an exclusion or
 *     a forced request; the child's entry is pushed inside the enforcing
 *     ones, which stay outermost;
 *   - the list's entry gives way to a forced request (runsel -w cannot
 *     shed the administrator's sandbox, only add to it).
 * Items that give way unless they enforce are marked `cond` until their
 * images have been checked. */

/* Add wrapper pos of an entry's text (a list line, or runsel's request
 * behind a match-all pattern) to the stack; NULL when it is full. */
static struct sel_item *add_item(struct selection *sel, const char *text, unsigned line,
                                 unsigned pos, int cond)
{
    struct sel_item *it;
    struct sel_entry e;
    const char *why;
    size_t n = strlen(text);

    if (sel->nitems == SEL_MAX_STACK) {
        sel->problem = "more than 8 wrappers in the stack";
        return NULL;
    }
    if (selconf_parse_line(text, n, line, &e, &why) != 1 || pos >= (unsigned)e.nwrappers) {
        sel->problem = "the entry changed while being read";
        return NULL;
    }
    it = &sel->item[sel->nitems++];
    memset(it, 0, offsetof(struct sel_item, entry));
    it->line = line;
    it->pos = pos;
    it->cond = cond;
    it->inherit = e.inherit;
    it->kernel = e.kernel;
    it->fd = -1;
    memcpy(it->entry, text, n + 1);
    n = e.w[pos].name.n < sizeof(it->name) - 1 ? e.w[pos].name.n : sizeof(it->name) - 1;
    memcpy(it->name, e.w[pos].name.p, n);
    it->name[n] = 0;
    return it;
}

static void add_entry(struct selection *sel, const char *text, unsigned line, int cond)
{
    struct sel_entry e;
    const char *why;

    if (selconf_parse_line(text, strlen(text), line, &e, &why) != 1) {
        sel->problem = why;
        return;
    }
    for (int i = 0; i < e.nwrappers; i++)
        if (!add_item(sel, text, line, (unsigned)i, cond))
            return;
}

/* One item of $RUNSEL_SELECTED: "LINE.POS=NAME". */
struct inherited {
    unsigned line, pos;
    const char *name;
    size_t name_len;
    int ok;                      /* the list still says so */
    char entry[SEL_MAX_LINE + 1];
};

struct inherit_scan {
    struct inherited *in;
    int n;
};

static int inherit_line(const char *line, size_t len, unsigned lineno, void *ctx)
{
    struct inherit_scan *is = ctx;
    struct sel_entry e;
    const char *why;

    for (int i = 0; i < is->n; i++) {
        struct inherited *in = &is->in[i];
        if (in->line != lineno || selconf_parse_line(line, len, lineno, &e, &why) != 1 ||
            e.exclude || !e.inherit || in->pos >= (unsigned)e.nwrappers ||
            e.w[in->pos].name.n != in->name_len ||
            memcmp(e.w[in->pos].name.p, in->name, in->name_len))
            continue;
        memcpy(in->entry, e.text.p, e.text.n);
        in->entry[e.text.n] = 0;
        in->ok = 1;
    }
    return 0;
}

static unsigned parse_uint(const char **p)
{
    unsigned v = 0;

    while (**p >= '0' && **p <= '9' && v < 100000000)
        v = v * 10 + (unsigned)(*(*p)++ - '0');
    return v;
}

/* "ITEM[;ITEM...]:LIST" -> items (0 on a malformed value or another list). */
static int parse_inherited(const char *from, const char *list, const char *real,
                           struct inherited *in)
{
    const char *p = from;
    int n = 0;

    for (;;) {
        if (n == SEL_MAX_STACK)
            return 0;
        in[n].line = parse_uint(&p);
        if (!in[n].line || *p++ != '.')
            return 0;
        in[n].pos = parse_uint(&p);
        if (*p++ != '=')
            return 0;
        in[n].name = p;
        while (*p && *p != ';' && *p != ':')
            p++;
        in[n].name_len = (size_t)(p - in[n].name);
        in[n].ok = 0;
        n++;
        if (*p == ':')
            break;
        if (*p++ != ';')
            return 0;
    }
    p++;
    return !strcmp(p, list) || !strcmp(p, real) ? n : 0;
}

/* The parent's items that line LINE of this list still names: only the
 * files those lines are in are read. */
static int read_inherited(struct set *s, const char *real, const char *from, const char *list,
                          struct inherited *in)
{
    struct inherit_scan is = {in, parse_inherited(from, list, real, in)};

    for (int k = 0; is.n && k <= dropins.n && !s->why; k++) {
        int used = 0;
        for (int i = 0; i < is.n; i++)
            used |= in[i].line / SEL_FILE_STRIDE == (unsigned)k;
        if (used)
            each_file_line(s, k, inherit_line, &is);
    }
    return s->why ? 0 : is.n;
}

static int has_origin(const struct selection *sel, unsigned line, unsigned pos)
{
    for (int i = 0; i < sel->nitems; i++)
        if (sel->item[i].line == line && sel->item[i].pos == pos)
            return 1;
    return 0;
}

static char spec_entry[SEL_MAX_LINE + 1];

/* runsel's request "WRAPPER [k=v...] [+ ...]" as the tail of an entry
 * that matches everything. */
static void add_request(struct selection *sel, const char *spec)
{
    size_t n = strlen(spec);

    if (n + 4 > SEL_MAX_LINE) {
        sel->problem = "RUNSEL_RUN is too long";
        return;
    }
    memcpy(spec_entry, "/** ", 4);
    memcpy(spec_entry + 4, spec, n + 1);
    add_entry(sel, spec_entry, 0, 0);
}

/* Put the stack together from the three sources (see above). */
static void compose(struct selection *sel, struct inherited *in, int nin, const char *run)
{
    int forced = run && run[0] != '?';
    int own = sel->line != 0, giveway = own || sel->excluded_line || forced;

    for (int i = 0; i < nin && !sel->problem; i++) {
        if (!in[i].ok || (own && in[i].line == sel->line))
            continue;                      /* the child's own entry adds it again */
        if (has_origin(sel, in[i].line, in[i].pos))
            continue;
        struct sel_item *it = add_item(sel, in[i].entry, in[i].line, in[i].pos, giveway);
        if (it)
            it->inherited = 1;
    }
    if (own && !sel->problem)
        add_entry(sel, sel->entry, sel->line, forced);
    if (forced && !sel->problem)
        add_request(sel, run);
    else if (run && run[1] && !own && !sel->problem) {
        int firm = 0;
        for (int i = 0; i < sel->nitems; i++)
            firm |= !sel->item[i].cond;
        if (!firm)
            add_request(sel, run + 1);
    }
}

void select_wrapper_path(const char *name, const char *wrapper_dir, char *path, size_t size)
{
    if (name[0] == '/')
        ld_fmt(path, size, "%s", name);
    else
        ld_fmt(path, size, "%s/%s.so", wrapper_dir ? wrapper_dir : LD_WRAPPER_DIR, name);
}

/* Resolve an item's wrapper (a name is looked up in wrapper_dir as
 * NAME.so) and accept it only if trusted like the list and, when the entry
 * pins it with wrapper-hash=, only with that content.  The descriptor that
 * was checked and hashed stays open: the image is mapped from it, so a
 * file swapped in between cannot be mapped instead. */
static const char *check_wrapper(struct sel_item *it, const char *wrapper_dir, unsigned owner)
{
    struct sel_entry e;
    const char *why;
    char real[4096];
    unsigned char h[16];
    struct stat st;

    if (selconf_parse_line(it->entry, strlen(it->entry), it->line, &e, &why) != 1)
        return "the entry changed while being read";
    select_wrapper_path(it->name, wrapper_dir, it->path, sizeof(it->path));
    long fd = sys3(SYS_open, it->path, LD_OPEN_FLAGS, 0);
    if (rs_is_err(fd))
        return ld_strerror((int)-fd);
    it->fd = (int)fd;
    if ((why = trust_file((int)fd, owner, real, sizeof(real), &st)))
        return why;
    if (e.w[it->pos].has_hash &&
        (file_xxh128((int)fd, h) || memcmp(h, e.w[it->pos].hash, 16)))
        return "its contents do not match wrapper-hash";
    unsigned flags;
    /* An image that does not say (built for ABI 1.0) may enforce: kept. */
    it->enforces = imgnote_wrapper_flags((int)fd, &flags) || (flags & RS_ENFORCES);
    return NULL;
}

/* Drop the items that give way and do not enforce. */
static void prune(struct selection *sel)
{
    int n = 0;

    for (int i = 0; i < sel->nitems; i++) {
        struct sel_item *it = &sel->item[i];
        if (it->cond && !it->enforces) {
            if (it->fd >= 0)
                sys1(SYS_close, it->fd);
            continue;
        }
        if (n != i)
            sel->item[n] = *it;
        n++;
    }
    sel->nitems = n;
}

/* Every item's image must be usable — an unusable one might be the
 * enforcing wrapper — then the stack is pruned. */
static void check_wrappers(struct selection *sel, const char *wrapper_dir, unsigned owner)
{
    for (int i = 0; i < sel->nitems && !sel->problem; i++) {
        struct sel_item *it = &sel->item[i];
        /* runsel's request is the user's: trusted like $RUNSEL_CONFIG. */
        it->problem = check_wrapper(it, wrapper_dir, it->line ? owner : list_owner(1));
        if (it->problem) {
            sel->problem = it->problem;
            sel->problem_item = i;
        }
    }
    if (!sel->problem)
        prune(sel);
}

/* The list's compiled filters (internal/kfile.h), when an item of the
 * list's own asks for placement=kernel: trusted as the list is, since
 * what initmod installs from it becomes the program's policy. */
static void open_rules(struct selection *sel, unsigned owner)
{
    char path[4096 + 8], real[4096];
    struct stat st;
    int need = 0;

    for (int i = 0; i < sel->nitems; i++)
        need |= sel->item[i].line && !sel->item[i].inherited && sel->item[i].kernel;
    if (!need)
        return;
    ld_fmt(path, sizeof(path), "%s.rules", sel->list);
    long fd = sys3(SYS_open, path, LD_OPEN_FLAGS, 0);
    if (rs_is_err(fd)) {
        sel->rules_why = fd == -ENOENT ? "not compiled (selctl compile writes it)" : ld_strerror((int)-fd);
        return;
    }
    if ((sel->rules_why = trust_file((int)fd, owner, real, sizeof(real), &st))) {
        sys1(SYS_close, fd);
        return;
    }
    sel->rules_fd1 = (int)fd + 1;
}

void select_close(struct selection *sel)
{
    if (sel->rules_fd1 > 0)
        sys1(SYS_close, sel->rules_fd1 - 1);
    sel->rules_fd1 = 0;
    for (int i = 0; i < sel->nitems; i++)
        if (sel->item[i].fd >= 0) {
            sys1(SYS_close, sel->item[i].fd);
            sel->item[i].fd = -1;
        }
}

static void reset_selection(struct selection *sel, const char *list)
{
    sel->nitems = 0;
    sel->line = sel->excluded_line = 0;
    sel->via_index = sel->hash_cached = 0;
    sel->why_not = sel->problem = NULL;
    sel->problem_item = -1;
    sel->entry[0] = 0;
    sel->list = list;
    sel->rules_fd1 = 0;
    sel->rules_why = NULL;
    sel->dropins = NULL;
}

void select_program(const struct select_request *rq, int prog_fd, struct selection *sel)
{
    static struct inherited in[SEL_MAX_STACK];
    char real[4096];
    struct stat lst;
    unsigned owner = list_owner(rq->user_list);
    int nin = 0;
    long fd;

    reset_selection(sel, rq->list ? rq->list : LD_SYSTEM_LIST);
    fd = sys3(SYS_open, sel->list, LD_OPEN_FLAGS, 0);
    if (!rs_is_err(fd)) {               /* no list: nothing is selected by it */
        struct set set = {(int)fd, &lst, owner, NULL};
        dropins.n = 0;
        dropins.fd = -1;
        sel->why_not = trust_file((int)fd, owner, real, sizeof(real), &lst);
        if (!sel->why_not) {
            sel->why_not = find_dropins(real, owner, &dropins);
            sel->dropins = &dropins;
        }
        if (!sel->why_not)
            scan_list(&set, real, prog_fd, sel);
        if (!sel->why_not && rq->inherited)
            nin = read_inherited(&set, real, rq->inherited, sel->list, in);
        if (!sel->why_not && set.why) {  /* a drop-in changed under us: ignored, as listed */
            sel->why_not = set.why;
            sel->line = sel->excluded_line = 0;
            nin = 0;
        }
        close_dropins(&dropins);
        sys1(SYS_close, fd);
    }
    compose(sel, in, nin, rq->run);
    check_wrappers(sel, rq->wrapper_dir, owner);
    open_rules(sel, owner);
}
