/* exec.c — a selected program's exec goes back through the loader, which
 * decides about the new program (selection, inheritance) as for any exec.
 *
 * The environment of the exec carries the selection on (boot->env_set:
 * RUNSEL_SELECTED or RUNSEL_RUN when the entry inherits, and the knobs
 * that were in effect), even when the program cleared its environment.
 *
 * Route: when the loader was started by binfmt_misc, a plain exec reaches
 * it again.  Otherwise (runsel without registration) the exec is sent to
 * the loader explicitly, after the checks the kernel would make so that
 * failures still come back as errno: missing file, not executable, not a
 * regular file, unknown format; `#!` scripts are unwrapped as
 * binfmt_script does.  Set-user-ID, set-group-ID and file-capability
 * programs (and, without binfmt_misc, execute-only ones) are exec'd
 * natively: the kernel gives them their privileges and they run unwrapped
 * — never with privileges weakened or forged.  Under a wrapper that
 * enforces a policy (RS_ENFORCES) such an exec fails with EACCES instead:
 * no way out of a sandbox through a setuid or unreadable program. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include "im.h"
#include "passfds.h"


struct vec {
    const char **v;
    size_t n, cap;
    size_t bytes;
};

static int vec_init(struct vec *a, size_t cap)
{
    a->bytes = (cap * sizeof(char *) + 4095) & ~4095UL;
    void *p = (void *)im_sys(SYS_mmap, 0, a->bytes, PROT_READ | PROT_WRITE,
                             MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (rs_is_err((long)p))
        return (int)(long)p;
    a->v = p;
    a->n = 0;
    a->cap = cap;
    return 0;
}

static void vec_free(struct vec *a)
{
    if (a->v)
        im_sys(SYS_munmap, a->v, a->bytes);
}

static void vec_add(struct vec *a, const char *s)
{
    if (a->n + 1 < a->cap)
        a->v[a->n++] = s;
    a->v[a->n] = NULL;
}

static size_t count(const char *const *v)
{
    size_t n = 0;

    while (v && v[n])
        n++;
    return n;
}

static size_t name_len(const char *s)
{
    const char *e = rs_strchr(s, '=');

    return e ? (size_t)(e - s) : rs_strlen(s);
}

/* Is variable s (NAME=...) one runsel sets or drops? */
static int runsel_owned(const char *s)
{
    size_t n = name_len(s);

    if ((n == 15 && !rs_strncmp(s, "RUNSEL_SELECTED", n)) ||
        (n == 10 && !rs_strncmp(s, "RUNSEL_RUN", n)) ||
        (n == sizeof(RS_PASSFDS_VAR) - 1 && !rs_strncmp(s, RS_PASSFDS_VAR, n)))
        return 1;
    for (const char *e = im.boot->env_set; e && *e; e += rs_strlen(e) + 1)
        if (name_len(e) == n && !rs_strncmp(e, s, n))
            return 1;
    return 0;
}

/* The program's environment without runsel's variables, then runsel's:
 * the knobs, the stack passed on, the fds passed (fdvar, or "": none). */
static int build_env(const char *const *envp, const char *fdvar, struct vec *env)
{
    size_t nset = 2;
    int r;

    for (const char *e = im.boot->env_set; e && *e; e += rs_strlen(e) + 1)
        nset++;
    if ((r = vec_init(env, count(envp) + nset + 1)))
        return r;
    for (size_t i = 0; envp && envp[i]; i++)
        if (!runsel_owned(envp[i]))
            vec_add(env, envp[i]);
    for (const char *e = im.boot->env_set; e && *e; e += rs_strlen(e) + 1)
        vec_add(env, e);
    if (im.selected[0])
        vec_add(env, im.selected);
    if (fdvar[0])
        vec_add(env, fdvar);
    return 0;
}

struct target {
    char head[RS_SHEBANG_HEAD];
    long headlen;
    int privileged;     /* set-user-ID, set-group-ID, file capabilities */
    int unreadable;     /* execute-only: only the kernel can open it */
};

/* What execve would find at dirfd/path: 0, or the errno it would fail with. */
static long probe(int dirfd, const char *path, int nofollow, struct target *t)
{
    struct stat st;
    long fd = im_sys(SYS_openat, dirfd, path,
                     O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY | (nofollow ? O_NOFOLLOW : 0));
    long r = 0;

    if (fd == -EACCES || fd == -EPERM) {
        t->unreadable = 1;               /* execute-only: let the kernel decide */
        return 0;
    }
    if (fd < 0)
        return fd == -ELOOP && nofollow ? -ELOOP : fd;
    if (im_sys(SYS_fstat, fd, &st) || !S_ISREG(st.st_mode))
        r = -EACCES;
    else if (im_sys(SYS_faccessat2, fd, "", X_OK, AT_EACCESS | AT_EMPTY_PATH))
        r = -EACCES;
    else if ((st.st_mode & (S_ISUID | S_ISGID)) ||
             im_sys(SYS_fgetxattr, fd, "security.capability", 0, 0) > 0)
        t->privileged = 1;
    else if ((t->headlen = im_sys(SYS_pread64, fd, t->head, RS_SHEBANG_HEAD, 0)) < 0)
        r = t->headlen;
    im_sys(SYS_close, fd);
    return r;
}

/* "#!interp [arg]" as binfmt_script reads it: interp and arg in place
 * (rs_shebang); 0, or -ENOEXEC for a line the kernel refuses. */
static int parse_shebang(struct target *t, const char **interp, const char **arg)
{
    return rs_shebang(t->head, (size_t)t->headlen, interp, arg) == 1 ? 0 : -ENOEXEC;
}

/* The kernel must run this program itself, so it will run unwrapped:
 * fine for an ordinary wrapper, refused under a policy. */
static long unwrapped_exec(const char *path)
{
    if (!im.enforcer)
        return 1;
    im_warn("exec of %s refused: it would run without %s (set-user-ID, set-group-ID, "
            "file capabilities or execute-only)", path, im.enforcer);
    return -EACCES;
}

/* With binfmt_misc the loader opens the program itself, so only privileged
 * programs escape the wrappers: under an enforcing one, follow the chain
 * the kernel will run — a #! script's interpreter, its interpreter, up to
 * the kernel's depth — and refuse the exec if any of them is privileged
 * (the kernel gives a script's interpreter its set-user-ID bits). */
static long check_binfmt_exec(int dirfd, const char *path, int nofollow)
{
    struct target tt[2];     /* path may point into the other one's #! line */
    const char *interp, *arg;
    long r;

    if (!im.enforcer)
        return 1;
    for (int depth = 0;; depth++) {
        struct target *t = &tt[depth & 1];
        t->privileged = t->unreadable = 0;
        t->headlen = 0;
        if ((r = probe(depth ? AT_FDCWD : dirfd, path, depth ? 0 : nofollow, t)))
            return depth ? 1 : r;        /* a bad interpreter: the kernel's error */
        if (t->privileged)
            return unwrapped_exec(path);
        if (t->unreadable || t->headlen < 2 || memcmp(t->head, "#!", 2))
            return 1;                    /* the loader sees this one */
        if (depth == RS_SHEBANG_DEPTH || parse_shebang(t, &interp, &arg))
            return 1;                    /* the kernel refuses it (ELOOP, ENOEXEC) */
        path = interp;
    }
}

/* execve(loader, [loader, [-F fd,] -0, argv0, program, mid..., tail...]):
 * with fd >= 0 the loader runs the file open on fd (inherited through the
 * exec), program is only its name. */
static long exec_via_loader(int fd, const char *program, const char *argv0,
                            const char *const *mid, size_t nmid, const char *const *tail,
                            const char *const *envp)
{
    struct vec av = {0};
    char fdnum[16];
    long r;

    if ((r = vec_init(&av, count(tail) + nmid + 10)))
        return r;
    vec_add(&av, im.boot->loader);
    if (fd >= 0) {
        rs_snprintf(fdnum, sizeof(fdnum), "%d", fd);
        vec_add(&av, "-F");
        vec_add(&av, fdnum);
    }
    vec_add(&av, "-0");
    vec_add(&av, argv0);
    vec_add(&av, program);
    for (size_t i = 0; i < nmid; i++)
        vec_add(&av, mid[i]);
    for (size_t i = 0; tail && tail[i]; i++)
        vec_add(&av, tail[i]);
    im_fds_exec(1);
    r = im_sys(SYS_execve, im.boot->loader, av.v, envp);
    im_fds_exec(0);                      /* still here: the exec failed */
    vec_free(&av);
    return r;
}


/* Direct route: probe like the kernel, unwrap scripts, exec the loader.
 * Returns 1 when the kernel should run the program itself (privileges).
 * fd >= 0: the program is already open (as dirfd/path names it), and name
 * is what the program called it (the loader gets the descriptor). */
static long exec_direct(int dirfd, const char *path, int nofollow, int fd, const char *name,
                        const char *const *argv, const char *const *envp)
{
    struct target t[RS_SHEBANG_DEPTH + 1];
    const char *interp[RS_SHEBANG_DEPTH], *iarg[RS_SHEBANG_DEPTH];
    const char *const *tail = argv && argv[0] ? argv + 1 : NULL;
    int depth = 0;
    long r;

    for (const char *cur = path;; depth++) {
        t[depth].privileged = t[depth].unreadable = 0;
        t[depth].headlen = 0;
        if ((r = probe(depth ? AT_FDCWD : dirfd, cur, depth ? 0 : nofollow, &t[depth])))
            return r;
        if (t[depth].privileged || t[depth].unreadable)
            return unwrapped_exec(depth ? cur : name);
        if (t[depth].headlen >= 4 && !memcmp(t[depth].head, "\177ELF", 4))
            break;
        if (t[depth].headlen < 2 || memcmp(t[depth].head, "#!", 2))
            return -ENOEXEC;
        if (depth == RS_SHEBANG_DEPTH)
            return -ELOOP;
        if ((r = parse_shebang(&t[depth], &interp[depth], &iarg[depth])))
            return r;
        cur = interp[depth];
    }
    if (depth == 0)
        return exec_via_loader(fd, name, argv && argv[0] ? argv[0] : name, NULL, 0, tail, envp);
    /* binfmt_script, once per level: [interp, arg?, file, args...]. */
    const char *mid[2 * RS_SHEBANG_DEPTH];
    size_t nmid = 0;
    for (int k = depth - 1; k >= 0; k--) {
        if (iarg[k])
            mid[nmid++] = iarg[k];
        mid[nmid++] = k ? interp[k - 1] : path;
    }
    return exec_via_loader(-1, interp[depth - 1], interp[depth - 1], mid, nmid, tail, envp);
}

/* ---- exec of the caller's own image or descriptors
 *
 * /proc/self/exe (and /proc/thread-self/exe, /proc/PID/exe) and
 * /proc/self/fd/N, /dev/fd/N name things of the calling process: the
 * loader, exec'd in its place, would find itself (its exe link, where the
 * kernel did not let it set the program's) or lose the descriptor
 * (close-on-exec).  So runsel opens them here, in the caller — the image
 * from the descriptor the loader left open (boot->exe_fd) — and hands the
 * loader that descriptor, as exec on a descriptor (fexecve) does. */

static int digits(const char **p, long *v)
{
    const char *q = *p;

    *v = 0;
    while (*q >= '0' && *q <= '9' && *v < 100000000)
        *v = *v * 10 + (*q++ - '0');
    if (q == *p)
        return 0;
    *p = q;
    return 1;
}

enum self_ref { NOT_SELF, SELF_EXE, SELF_FD };

/* "/proc/(self|thread-self|PID|TID)/exe", ".../fd/N", "/dev/fd/N". */
static enum self_ref self_reference(const char *path)
{
    const char *p = path;
    long v;

    if (!rs_strncmp(p, "/dev/fd/", 8)) {
        p += 8;
        return digits(&p, &v) && !*p ? SELF_FD : NOT_SELF;
    }
    if (rs_strncmp(p, "/proc/", 6))
        return NOT_SELF;
    p += 6;
    if (!rs_strncmp(p, "self/", 5))
        p += 5;
    else if (!rs_strncmp(p, "thread-self/", 12))
        p += 12;
    else if (digits(&p, &v) && *p == '/' && (v == im_sys(SYS_getpid) || v == im_sys(SYS_gettid)))
        p++;
    else
        return NOT_SELF;
    if (!rs_strcmp(p, "exe"))
        return SELF_EXE;
    if (!rs_strncmp(p, "fd/", 3)) {
        p += 3;
        return digits(&p, &v) && !*p ? SELF_FD : NOT_SELF;
    }
    return NOT_SELF;
}

/* Does the kernel's /proc/self/exe name the program (or the loader)? */
static int exe_link_is_loader(void)
{
    char buf[4096];
    long n = im_sys(SYS_readlink, "/proc/self/exe", buf, sizeof(buf) - 1);

    if (n <= 0)
        return 0;
    buf[n] = 0;
    return !rs_strcmp(buf, im.boot->loader);
}

/* A descriptor for what path names, open in the caller and inherited by
 * the exec (not close-on-exec); -errno. */
static long open_self(const char *path, enum self_ref kind)
{
    if (kind == SELF_EXE)
        return im.exe_fd >= 0 ? im_sys(SYS_fcntl, im.exe_fd, F_DUPFD, 3) : -ENOENT;
    return im_sys(SYS_openat, AT_FDCWD, path, O_RDONLY | O_NONBLOCK | O_NOCTTY);
}

/* 1: not a self reference (or nothing to fix): the usual route. */
static long try_exec_self(const char *path, const char *const *argv, const char *const *envp)
{
    enum self_ref kind = self_reference(path);
    char proc[40];
    long fd, r;

    if (kind == NOT_SELF)
        return 1;
    /* Through binfmt_misc the kernel resolves these in the caller and the
     * loader opens what it resolved; only an exe link that names the loader
     * (set where the kernel refused to) needs rerouting. */
    if ((im.boot->flags & RS_BOOT_BINFMT) && (kind != SELF_EXE || !exe_link_is_loader()))
        return 1;
    if ((fd = open_self(path, kind)) < 0)
        return 1;                        /* unreadable or gone: the kernel decides */
    /* As the kernel would run the open file; a #! script's interpreter
     * finds it by its /proc/self/fd name. */
    rs_snprintf(proc, sizeof(proc), "/proc/self/fd/%d", (int)fd);
    r = exec_direct(AT_FDCWD, proc, 0, (int)fd, path, argv, envp);
    im_sys(SYS_close, fd);
    return r;
}

/* The path execveat names, for the loader (which opens it again). */
static long resolve_at(int dirfd, const char *path, int flags, char *buf, size_t size,
                       const char **out)
{
    char proc[40];
    long n;

    if (path[0] == '/' || (dirfd == AT_FDCWD && path[0])) {
        *out = path;
        return 0;
    }
    rs_snprintf(proc, sizeof(proc), "/proc/self/fd/%d", dirfd);
    n = im_sys(SYS_readlink, proc, buf, size - 1);
    if (n < 0)
        return n == -ENOENT ? -EBADF : n;
    if (n == 0 || buf[0] != '/')
        return -ENOEXEC;      /* not a file (pipe, socket...) */
    buf[n] = 0;
    if (!path[0]) {
        if (!(flags & AT_EMPTY_PATH))
            return -ENOENT;
    } else {
        size_t k = rs_strlen(path);
        if ((size_t)n + 1 + k + 1 > size)
            return -ENAMETOOLONG;
        buf[n] = '/';
        memcpy(buf + n + 1, path, k + 1);
    }
    *out = buf;
    return 0;
}

long im_exec(struct rs_call *c)
{
    int at = c->nr == SYS_execveat;
    int dirfd = at ? (int)c->arg[0] : AT_FDCWD;
    const char *path = (const char *)c->arg[at];
    const char *const *argv = (const char *const *)c->arg[at + 1];
    const char *const *envp = (const char *const *)c->arg[at + 2];
    int flags = at ? (int)c->arg[4] : 0;
    struct vec env = {0};
    char buf[4096], fdvar[400];
    const char *target;
    long r;

    if (!path)
        return -EFAULT;
    im_fds_env(fdvar, sizeof(fdvar));
    if ((r = build_env(envp, fdvar, &env)))
        return r;
    /* fexecve (execveat(fd, "", AT_EMPTY_PATH)) of a memfd or a deleted
     * file: its link names no path, so run it as /dev/fd/N, the name the
     * kernel gives it, through the descriptor (try_exec_self) */
    char fdpath[32];
    if (at && !path[0] && (flags & AT_EMPTY_PATH) && dirfd >= 0) {
        rs_snprintf(fdpath, sizeof(fdpath), "/dev/fd/%d", dirfd);
        path = fdpath;
        at = 0;
    }
    if ((!at || path[0] == '/') && (r = try_exec_self(path, argv, env.v)) != 1) {
        vec_free(&env);
        return r;
    }
    if (!(im.boot->flags & RS_BOOT_BINFMT) &&
        (r = resolve_at(dirfd, path, flags, buf, sizeof(buf), &target)) == 0)
        r = exec_direct(at && target != path ? AT_FDCWD : dirfd, target,
                        (flags & AT_SYMLINK_NOFOLLOW) != 0, -1, target, argv, env.v);
    else if (im.boot->flags & RS_BOOT_BINFMT)
        r = check_binfmt_exec(dirfd, path, (flags & AT_SYMLINK_NOFOLLOW) != 0);
    if (r == 1) { /* through binfmt_misc, or privileged: the kernel's exec */
        int via_loader = (im.boot->flags & RS_BOOT_BINFMT) != 0;
        if (via_loader)
            im_fds_exec(1);
        r = at ? im_sys(SYS_execveat, dirfd, path, argv, env.v, flags)
               : im_sys(SYS_execve, path, argv, env.v);
        if (via_loader)
            im_fds_exec(0);
    }
    vec_free(&env);
    return r;
}
