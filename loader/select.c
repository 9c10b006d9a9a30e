/* select.c — is this program selected?  Read selected.conf (or, for a
 * non-secure exec, $RUNSEL_CONFIG), refuse it unless it is trusted, and
 * match the program's real path and, only when the list has hash entries,
 * its contents.  Exclusions win; otherwise the first matching entry.
 *
 * A list that is missing, untrusted or unreadable selects nothing; a broken
 * line selects nothing and does not stop the others: the program always
 * runs.  A fresh, trusted compiled index (FILE.idx, selindex.h) answers
 * with one probe; without one the text is parsed — slower, same answer. */
#include <fcntl.h>
#include <string.h>
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
    if (sys_failed(n) || n == 0 || buf[0] != '/')
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
    long fd = sys3(SYS_open, path, O_RDONLY | O_CLOEXEC, 0);
    if (sys_failed(fd))
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
    sel->selected = 1;
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
    if (!sc->sel->selected)
        take_entry(sc->sel, lineno, &e);
    return 0;                            /* keep looking for exclusions */
}

/* Run fn over the lines of the list open on fd (size bytes), mapped. */
static void each_line(int fd, size_t size, selconf_line_fn fn, void *ctx)
{
    const char *text = sys_mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);

    if (mmap_failed(text))
        return;
    selconf_foreach_line(text, size, fn, ctx);
    sys2(SYS_munmap, text, size);
}

static int hash_cb(void *ctx, unsigned char out[16])
{
    struct scan *sc = ctx;

    if (program_hash(sc))
        return -1;
    memcpy(out, sc->hash, 16);
    return 0;
}

/* The compiled index next to the list, if it is trusted and describes the
 * list as it is now.  Returns 0 when it answered. */
static int try_index(const struct stat *list_st, struct scan *sc)
{
    struct selection *sel = sc->sel;
    struct selidx_result r = {.entry = sel->entry, .entry_size = sizeof(sel->entry)};
    struct selidx_header h;
    uint64_t size;
    int fd = open_beside(sc, ".idx", &size), answered = -1;

    if (fd < 0)
        return -1;
    if (selidx_read_header(fd, size, &h) == 0 && selidx_fresh(&h, list_st) &&
        selidx_lookup(fd, &h, sc->prog, sc->prog_len, hash_cb, sc, &r) == 0) {
        sel->excluded_line = r.excluded_line;
        sel->selected = r.line && !r.excluded_line;
        sel->line = r.line;
        sel->via_index = 1;
        answered = 0;
    }
    sys1(SYS_close, fd);
    return answered;
}

static void scan_list(int fd, const struct stat *lst, const char *real_list, unsigned owner,
                      int prog_fd, struct selection *sel)
{
    struct scan sc = {.sel = sel, .real_list = real_list, .owner = owner, .prog_fd = prog_fd};
    char prog[4096];

    if (lst->st_size == 0)
        return;
    if (path_of_fd(prog_fd, prog, sizeof(prog))) {
        sel->why_not = "cannot resolve the program's path (is /proc mounted?)";
        return;
    }
    sc.prog = prog;
    sc.prog_len = strlen(prog);
    if (try_index(lst, &sc) == 0)
        return;
    each_line(fd, (size_t)lst->st_size, scan_line, &sc);
    if (sel->excluded_line)
        sel->selected = 0;
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

/* The selecting entry names a wrapper: resolve it (a name is looked up in
 * wrapper_dir as NAME.so), and accept it only if trusted like the list and,
 * when the entry pins it with wrapper-hash=, only with that content. */
static void check_wrapper(struct selection *sel, const char *wrapper_dir, unsigned owner)
{
    struct sel_entry e;
    const char *why;
    char real[4096];
    unsigned char h[16];
    struct stat st;

    if (selconf_parse_line(sel->entry, strlen(sel->entry), sel->line, &e, &why) != 1) {
        sel->wrapper_problem = "the entry changed while being read";
        return;
    }
    size_t n = e.wrapper.n < sizeof(sel->wrapper) - 1 ? e.wrapper.n : sizeof(sel->wrapper) - 1;
    memcpy(sel->wrapper, e.wrapper.p, n);
    sel->wrapper[n] = 0;
    if (sel->wrapper[0] == '/')
        ld_fmt(sel->wrapper_path, sizeof(sel->wrapper_path), "%s", sel->wrapper);
    else
        ld_fmt(sel->wrapper_path, sizeof(sel->wrapper_path), "%s/%s.so",
               wrapper_dir ? wrapper_dir : LD_WRAPPER_DIR, sel->wrapper);
    long fd = sys3(SYS_open, sel->wrapper_path, O_RDONLY | O_CLOEXEC, 0);
    if (sys_failed(fd)) {
        sel->wrapper_problem = ld_strerror((int)-fd);
        return;
    }
    sel->wrapper_problem = trust_file((int)fd, owner, real, sizeof(real), &st);
    if (!sel->wrapper_problem && e.has_wrapper_hash &&
        (file_xxh128((int)fd, h) || memcmp(h, e.wrapper_hash, 16)))
        sel->wrapper_problem = "its contents do not match wrapper-hash";
    sys1(SYS_close, fd);
}

struct inherit_scan {
    unsigned line;
    struct selection *sel;
    const char *wrapper;
    size_t wrapper_len;
};

static int inherit_line(const char *line, size_t len, unsigned lineno, void *ctx)
{
    struct inherit_scan *is = ctx;
    struct sel_entry e;
    const char *why;

    if (lineno != is->line)
        return 0;
    if (selconf_parse_line(line, len, lineno, &e, &why) == 1 && !e.exclude && e.inherit &&
        e.wrapper.n == is->wrapper_len && !memcmp(e.wrapper.p, is->wrapper, e.wrapper.n)) {
        take_entry(is->sel, lineno, &e);
        is->sel->inherited = 1;
    }
    return 1;
}

/* Inheritance: the parent was selected by line LINE of this same list with
 * WRAPPER ("LINE:WRAPPER:LIST", set by the wrapper runtime on the exec it
 * passes on).  The child stays selected with that entry unless the list
 * decided about the child itself, the entry says inherit=no, or the entry
 * is no longer what the parent had (the list changed). */
static void inherit(int fd, const struct stat *lst, const char *real, const char *from,
                    struct selection *sel)
{
    struct inherit_scan is = {0, sel, NULL, 0};
    const char *p = from;

    while (*p >= '0' && *p <= '9')
        is.line = is.line * 10 + (unsigned)(*p++ - '0');
    if (!is.line || *p++ != ':')
        return;
    is.wrapper = p;
    while (*p && *p != ':')
        p++;
    is.wrapper_len = (size_t)(p - is.wrapper);
    if (*p++ != ':' || (strcmp(p, sel->list) && strcmp(p, real)))
        return;
    if (lst->st_size > 0)
        each_line(fd, (size_t)lst->st_size, inherit_line, &is);
}

static void reset_selection(struct selection *sel, const char *list)
{
    sel->selected = sel->inherited = 0;
    sel->line = sel->excluded_line = 0;
    sel->via_index = sel->hash_cached = 0;
    sel->why_not = sel->wrapper_problem = NULL;
    sel->wrapper[0] = sel->wrapper_path[0] = sel->entry[0] = 0;
    sel->list = list;
}

/* runsel's request ($RUNSEL_RUN: "WRAPPER [key=value ...]"), as if an
 * entry matching every program, with these words after MATCH, selected it. */
void select_spec(const char *spec, const char *wrapper_dir, struct selection *sel)
{
    struct sel_entry e;
    const char *why;
    size_t n = strlen(spec);

    reset_selection(sel, "RUNSEL_RUN");
    sel->selected = 1;
    if (n + 4 >= sizeof(sel->entry)) {
        sel->wrapper_problem = "RUNSEL_RUN is too long";
        return;
    }
    memcpy(sel->entry, "/** ", 4);
    memcpy(sel->entry + 4, spec, n + 1);
    if (selconf_parse_line(sel->entry, n + 4, 0, &e, &why) != 1) {
        ld_fmt(sel->wrapper, sizeof(sel->wrapper), "%s", spec);
        sel->wrapper_problem = why;
        return;
    }
    check_wrapper(sel, wrapper_dir, list_owner(1));
}

void select_program(const char *list, int user_list, const char *wrapper_dir,
                    const char *inherited, int prog_fd, struct selection *sel)
{
    char real[4096];
    struct stat lst;
    unsigned owner;
    long fd;

    reset_selection(sel, list ? list : LD_SYSTEM_LIST);
    fd = sys3(SYS_open, sel->list, O_RDONLY | O_CLOEXEC, 0);
    if (sys_failed(fd))
        return;                          /* no list: nothing is selected */
    owner = list_owner(user_list);
    sel->why_not = trust_file((int)fd, owner, real, sizeof(real), &lst);
    if (!sel->why_not)
        scan_list((int)fd, &lst, real, owner, prog_fd, sel);
    if (!sel->why_not && !sel->selected && !sel->excluded_line && inherited)
        inherit((int)fd, &lst, real, inherited, sel);
    sys1(SYS_close, fd);
    if (sel->selected)
        check_wrapper(sel, wrapper_dir, owner);
}
