/* sandbox_policy.h — the sandbox's decisions that need no system call:
 * is a path inside allow-write (as a name, and by real path), is it an fd
 * reopened through /dev/fd or /proc, which names an open writes and how,
 * does allow-exec allow a real path, what does a "#!" line run.  The
 * lexical join itself is the runtime's (rs_path_join / rs_path_normalize,
 * wrapperabi/lib/pathlex.c), and so is the glob matcher (rs_glob_match).
 *
 * A header, not a .c, because every wrapperabi/wrappers/NAME.c becomes a
 * wrapper image; included by sandbox.c and, compiled on the host, by
 * tests/unit/sandboxcheck.c (its table test).  Everything here is static,
 * uses only the rs_str* helpers and the O_ / AT_ constants, and reads no
 * global state: the policy is passed in.  Include it with _GNU_SOURCE
 * defined (O_TMPFILE, O_PATH). */
#ifndef RUNSEL_SANDBOX_POLICY_H
#define RUNSEL_SANDBOX_POLICY_H

#include <fcntl.h>
#include <runsel/wrapper.h>

#define ATTR   0    /* the object itself is changed: DIR itself counts */
#define ENTRY  1    /* an entry is added or removed: must be below DIR */
#define CREATE 2    /* O_CREAT: an entry, or an existing object opened (a device) */

/* One allow-write directory. */
struct dir {
    const char *name;           /* normalised, as given */
    const char *real;           /* its real path (== name if it does not exist) */
    size_t nlen, rlen;
};

/* Devices that are always writable (ATTR: the name itself, not entries). */
static const char *const dev_ok[] = {
    "/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom",
    "/dev/tty", "/dev/ptmx",
};

/* Is p (absolute, normalised) inside one of the ndirs allowed directories
 * (by their names as given, or with real, by their real paths), or one of
 * the always-writable devices? */
static int inside_dirs(const struct dir *dirs, int ndirs, const char *p, int kind, int real)
{
    for (int i = 0; i < ndirs; i++) {
        const char *d = real ? dirs[i].real : dirs[i].name;
        size_t n = real ? dirs[i].rlen : dirs[i].nlen;
        if (n == 1) {                             /* "/" */
            if (kind == ATTR || p[1])
                return 1;
            continue;
        }
        if (!rs_strncmp(p, d, n) && (p[n] == '/' || (p[n] == 0 && kind == ATTR)))
            return 1;
    }
    if (kind != ENTRY) {
        for (size_t i = 0; i < sizeof(dev_ok) / sizeof(dev_ok[0]); i++)
            if (!rs_strcmp(p, dev_ok[i]))
                return 1;
        if (!rs_strncmp(p, "/dev/pts/", 9) && p[9])
            return 1;
    }
    return 0;
}

static int is_digits(const char *s, size_t n)
{
    if (!n)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

static long parse_num(const char *s, size_t n)
{
    long v = 0;

    for (size_t i = 0; i < n && v < 100000000; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

/* Names that reopen an fd: the lexical check lets them through, the real
 * check decides (by the fd's mode and the file it refers to).  These are
 * names the program passes, meaning its own /proc (not rs_proc_path: the
 * text of its argument). */
static int fd_alias(const char *p)
{
    static const char *const pre[] = {"/dev/fd/", "/proc/self/fd/", "/proc/thread-self/fd/"};

    if (!rs_strcmp(p, "/dev/stdin") || !rs_strcmp(p, "/dev/stdout") ||
        !rs_strcmp(p, "/dev/stderr"))
        return 1;
    for (size_t i = 0; i < sizeof(pre) / sizeof(pre[0]); i++) {
        size_t n = rs_strlen(pre[i]);
        if (!rs_strncmp(p, pre[i], n) && is_digits(p + n, rs_strlen(p + n)))
            return 1;
    }
    return 0;
}

/* The lexical check of a name made absolute (rs_path_at): inside an
 * allowed directory by either of its names, or an fd reopened (the real
 * check then decides).  An entry added or removed never counts as a
 * reopened fd. */
static int lexical_allowed(const struct dir *dirs, int ndirs, const char *p, int kind)
{
    return inside_dirs(dirs, ndirs, p, kind, 0) || inside_dirs(dirs, ndirs, p, kind, 1) ||
           (kind != ENTRY && fd_alias(p));
}

/* /proc/PID/fd or /proc/PID/task/TID/fd: 1 for this
 * process (pid self), 2 another, 0 not. */
static int proc_fd_dir(const char *p, long self)
{
    const char *s, *e;

    if (rs_strncmp(p, "/proc/", 6))
        return 0;
    s = p + 6;
    for (e = s; *e >= '0' && *e <= '9'; e++)
        ;
    if (e == s)
        return 0;
    long pid = parse_num(s, (size_t)(e - s));
    if (!rs_strncmp(e, "/task/", 6)) {
        const char *t = e + 6;
        for (e = t; *e >= '0' && *e <= '9'; e++)
            ;
        if (e == t)
            return 0;
    }
    if (rs_strcmp(e, "/fd"))
        return 0;
    return pid == self ? 1 : 2;
}

/* ---- which names an open changes, and how */

struct name {
    int dirfd;
    int idx;        /* argument holding the path; -1: the object of dirfd itself */
    int kind;       /* ATTR, ENTRY or CREATE */
    int follow;     /* follows a final symlink */
    int empty;      /* "" (AT_EMPTY_PATH) or NULL (utimensat) names dirfd itself */
    int excl;       /* only creates: fails with EEXIST if the name exists */
};

static int open_writes(long flags)
{
    return (flags & O_ACCMODE) != O_RDONLY ||
           (flags & (O_CREAT | O_TRUNC | O_APPEND)) || (flags & O_TMPFILE) == O_TMPFILE;
}

static struct name open_name(int dirfd, int idx, long flags)
{
    struct name n = {dirfd, idx, ATTR, 1, 0, 0};

    if ((flags & O_TMPFILE) == O_TMPFILE)
        return n;                                /* a file inside the directory named */
    if (flags & O_CREAT)
        n.kind = CREATE;
    if ((flags & O_CREAT) && (flags & O_EXCL))
        n.excl = 1;
    if ((flags & O_NOFOLLOW) || n.excl)
        n.follow = 0;
    return n;
}

/* ---- exec */

/* allow-exec matches the program's real path, in selected.conf's glob
 * language and with its linear-time matcher (rs_glob_match); an entry
 * without wildcards also matches the file it names (resolved at init), so
 * allow-exec=/usr/bin/python3 allows the python3.11 it points to
 * (globs_real[i]: NULL for a glob with wildcards or naming nothing). */
static int exec_allowed(const char *const *globs, const char *const *globs_real, int nglobs,
                        const char *real)
{
    for (int i = 0; i < nglobs; i++)
        if (rs_glob_match(globs[i], real) || (globs_real[i] && !rs_strcmp(globs_real[i], real)))
            return 1;
    return 0;
}

#endif
