/* fdview.c — the program does not find the fds a wrapper keeps (fds.c)
 * where programs look for their descriptors, so that it does what it would
 * do without runsel:
 *   - a listing of its own /proc/PID/fd or fdinfo (also task/TID/...):
 *     getdents and getdents64 leave their entries out (xargs, closefrom()
 *     implementations and daemons walk this listing, and xargs then polls
 *     and fcntl()s every fd up to the highest one it found);
 *   - the size of that directory, which Linux 6.2 and later report as the
 *     number of open fds (stat, fstat, lstat, newfstatat, statx): less the
 *     kept ones;
 *   - fcntl() on a kept fd fails with EBADF, as on a closed one (F_GETFD is
 *     how programs probe a number blindly).
 * What still finds them, documented in docs/wrappers.md: a call that names
 * a kept fd's number for anything else (read, poll, fstat, ...; the
 * number is only found by probing), and /proc/self/fd/N opened by path.
 *
 * Cost.  The listing is scanned in place for entries whose name is a kept
 * fd's number (the kernel has just written those bytes, so they are
 * mapped and writable); only on such a match is the directory's identity
 * read (one readlink).  A stat result is looked at only when it is a
 * directory on procfs with a size: a newfstatat of /proc/self/fd (and
 * /proc/thread-self/fd) then, to compare inodes. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include "im.h"

/* ---- which directory ---------------------------------------------------- */

static int parse_uint(const char *s, size_t n, unsigned long *v)
{
    unsigned long x = 0;

    if (!n || n > 10 || (n > 1 && s[0] == '0'))
        return -1;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        x = x * 10 + (unsigned long)(s[i] - '0');
    }
    *v = x;
    return 0;
}

/* The last component of path[0..*n) (cut off it), or NULL. */
static const char *last_component(const char *path, size_t *n, size_t *len)
{
    size_t end = *n, start;

    if (!end)
        return NULL;
    start = end;
    while (start && path[start - 1] != '/')
        start--;
    if (!start)
        return NULL;
    *len = end - start;
    *n = start - 1;
    return path + start;
}

static int is_word(const char *s, size_t n, const char *w)
{
    size_t k = rs_strlen(w);

    return n == k && !memcmp(s, w, k);
}

/* Is the path ".../PID/fd", ".../PID/fdinfo", ".../PID/task/TID/fd" or
 * ".../PID/task/TID/fdinfo", with PID this process? */
static int names_own_fd_dir(const char *path, size_t n)
{
    const char *c;
    size_t len;
    unsigned long pid;

    if (!(c = last_component(path, &n, &len)) ||
        !(is_word(c, len, "fd") || is_word(c, len, "fdinfo")))
        return 0;
    if (!(c = last_component(path, &n, &len)) || parse_uint(c, len, &pid))
        return 0;
    size_t keep_n = n;
    size_t tlen;
    const char *t = last_component(path, &keep_n, &tlen);
    if (t && is_word(t, tlen, "task")) {
        if (!(c = last_component(path, &keep_n, &len)) || parse_uint(c, len, &pid))
            return 0;
    }
    return pid == (unsigned long)im_sys(SYS_getpid);
}

/* Is fd open on one of this process's own fd listings? */
static int is_own_fd_dir(long fd)
{
    char link[32], target[256];
    long n;

    rs_snprintf(link, sizeof(link), "/proc/self/fd/%ld", fd);
    n = im_sys(SYS_readlinkat, AT_FDCWD, link, target, sizeof(target));
    return n > 0 && n < (long)sizeof(target) && names_own_fd_dir(target, (size_t)n);
}

/* ---- listings ----------------------------------------------------------- */

static int names_kept_fd(const char *name, size_t max)
{
    size_t n = 0;
    unsigned long v;

    while (n < max && name[n])
        n++;
    return n < max && !parse_uint(name, n, &v) && im_fd_is_kept((long)v);
}

/* Where a record's name starts and its length, for getdents (the old
 * struct linux_dirent: ino, off, reclen, name; d_type in its last byte)
 * and getdents64 (ino, off, reclen, type, name). */
#define OLD_NAME 18
#define NEW_NAME 19
#define RECLEN_AT 16

static unsigned short reclen_of(const char *rec)
{
    unsigned short r;

    memcpy(&r, rec + RECLEN_AT, sizeof(r));
    return r;
}

static int any_kept_name(const char *buf, long n, size_t name_at)
{
    for (long off = 0; off + (long)name_at < n;) {
        unsigned short r = reclen_of(buf + off);
        if (r <= name_at || off + r > n)
            return 0;                        /* not a listing we understand: leave it */
        if (names_kept_fd(buf + off + name_at, r - name_at))
            return 1;
        off += r;
    }
    return 0;
}

/* The kept fds' records taken out, the rest moved up: the new length. */
static long drop_kept(char *buf, long n, size_t name_at)
{
    long in = 0, out = 0;

    while (in < n) {
        unsigned short r = reclen_of(buf + in);
        if (r <= name_at || in + r > n) {     /* changed under us: the rest as it is */
            memmove(buf + out, buf + in, (size_t)(n - in));
            return out + (n - in);
        }
        if (!names_kept_fd(buf + in + name_at, r - name_at)) {
            if (out != in)
                memmove(buf + out, buf + in, r);
            out += r;
        }
        in += r;
    }
    return out;
}

/* A listing whose records were all kept fds' is read on, so that an
 * empty result still means the end. */
static long listing(struct rs_call *c, long (*native)(struct rs_call *), size_t name_at)
{
    int own = -1;

    for (;;) {
        long n = native(c);
        char *buf = (char *)c->arg[1];
        if (n <= 0 || !any_kept_name(buf, n, name_at))
            return n;
        if (own < 0)
            own = is_own_fd_dir(c->arg[0]);
        if (!own)
            return n;
        if ((n = drop_kept(buf, n, name_at)) > 0)
            return n;
    }
}

/* ---- the directory's size ----------------------------------------------- */

struct dir_id {
    unsigned long dev, ino;
};

static int fd_dir_id(const char *path, struct dir_id *id)
{
    struct stat st;

    if (im_sys(SYS_newfstatat, AT_FDCWD, path, &st, 0))
        return -1;
    id->dev = st.st_dev;
    id->ino = st.st_ino;
    return 0;
}

/* procfs's device, once known (0: not yet): only a directory there can be
 * a listing of fds. */
static unsigned long proc_dev;

static int on_procfs(unsigned long dev)
{
    struct dir_id own;

    if (!proc_dev && !fd_dir_id("/proc/self/fd", &own))
        __atomic_store_n(&proc_dev, own.dev, __ATOMIC_RELAXED);
    return proc_dev && dev == __atomic_load_n(&proc_dev, __ATOMIC_RELAXED);
}

static int is_dir(const char *path, unsigned long dev, unsigned long ino)
{
    struct dir_id id;

    return !fd_dir_id(path, &id) && id.dev == dev && id.ino == ino;
}

/* The size to report for a directory of dev/ino whose size is size: the
 * process's and the calling thread's fd listing (another thread's
 * task/TID/fd is left as it is: rare, and its inode is not at hand). */
static unsigned long long seen_size(unsigned long dev, unsigned long ino, unsigned long long size)
{
    int n = im_fds_kept();

    if (!size || size < (unsigned long long)n || !on_procfs(dev) ||
        !(is_dir("/proc/self/fd", dev, ino) || is_dir("/proc/thread-self/fd", dev, ino)))
        return size;
    return size - (unsigned long long)n;
}

static void fix_stat(struct stat *st)
{
    if (S_ISDIR(st->st_mode))
        st->st_size = (off_t)seen_size(st->st_dev, st->st_ino, (unsigned long long)st->st_size);
}

static void fix_statx(struct statx *stx)
{
    if ((stx->stx_mask & (STATX_TYPE | STATX_SIZE | STATX_INO)) ==
            (STATX_TYPE | STATX_SIZE | STATX_INO) && S_ISDIR(stx->stx_mode))
        stx->stx_size = seen_size(makedev(stx->stx_dev_major, stx->stx_dev_minor), stx->stx_ino,
                                  stx->stx_size);
}

static long stat_call(struct rs_call *c, long (*native)(struct rs_call *))
{
    long r = native(c);

    if (r)
        return r;
    switch (c->nr) {
    case SYS_stat:
    case SYS_fstat:
    case SYS_lstat:
        fix_stat((struct stat *)c->arg[1]);
        break;
    case SYS_newfstatat:
        fix_stat((struct stat *)c->arg[2]);
        break;
    case SYS_statx:
        fix_statx((struct statx *)c->arg[4]);
        break;
    }
    return r;
}

long im_fd_view(struct rs_call *c, long (*native)(struct rs_call *))
{
    if (!im_fds_kept())
        return native(c);
    switch (c->nr) {
    case SYS_fcntl:
        return im_fd_is_kept(c->arg[0]) ? -EBADF : native(c);
    case SYS_getdents:
        return listing(c, native, OLD_NAME);
    case SYS_getdents64:
        return listing(c, native, NEW_NAME);
    case SYS_stat:
    case SYS_fstat:
    case SYS_lstat:
    case SYS_newfstatat:
    case SYS_statx:
        return stat_call(c, native);
    }
    return native(c);
}
