/* log.c — the one place a wrapper's output file is chosen and opened
 * (trace, count, fault's verbose lines).
 *
 * Why this is careful: a selected set-user-ID program runs its wrapper
 * with the program's privileges, while the caller chose the cwd, fd 2 and
 * whatever sits in /tmp.  So for a secure exec (AT_SECURE) only an
 * absolute log= is accepted (never the caller's stderr, never a name
 * resolved in the caller's cwd), and for every exec the file is opened
 * without following a final symlink and refused when it belongs to
 * someone else in a sticky world-writable directory — the planted-file
 * trick fs.protected_regular stops, checked here whatever that sysctl
 * says. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/stat.h>
#include <runsel/wrapper.h>

#define LOG_OPEN_FLAGS (O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK)

static int has_pid_marker(const char *s)
{
    for (; *s; s++)
        if (s[0] == '%' && s[1] == 'p')
            return 1;
    return 0;
}

/* The template with every %p replaced by pid. */
static int expand_pid(const char *tmpl, int pid, char *out, size_t size)
{
    size_t n = 0;

    for (const char *p = tmpl; *p; p++) {
        if (n + 24 >= size)
            return -ENAMETOOLONG;
        if (p[0] == '%' && p[1] == 'p') {
            n += rs_snprintf(out + n, size - n, "%d", pid);
            p++;
        } else {
            out[n++] = *p;
        }
    }
    out[n] = 0;
    return 0;
}

static int fail(char *err, size_t errsize, const char *path, const char *why)
{
    if (err)
        rs_snprintf(err, errsize, "log=%s: %s", path, why);
    return -1;
}

static int fail_errno(char *err, size_t errsize, const char *path, long e)
{
    return fail(err, errsize, path, rs_strerror(-e));
}

/* What an open file must not be: a file of someone else in a world-
 * writable directory (planted for us to append to: what
 * fs.protected_regular stops in sticky ones like /tmp; without the sticky
 * bit anyone could have put it there just as well), or one with other
 * names there (a hard link to a file we must not touch). */
static const char *refusal(const struct stat *dir, const struct stat *f)
{
    int shared_dir = (dir->st_mode & S_IWOTH) != 0;
    int sticky = (dir->st_mode & S_ISVTX) != 0;

    if (!S_ISREG(f->st_mode) && !S_ISCHR(f->st_mode) && !S_ISFIFO(f->st_mode))
        return "not a regular file, character device or FIFO";
    if (shared_dir && f->st_uid != (uid_t)rs_syscall(SYS_geteuid))
        return sticky ? "owned by another user in a sticky world-writable directory "
                        "(refused, as fs.protected_regular would)"
                      : "owned by another user in a world-writable directory (refused)";
    if (shared_dir && S_ISREG(f->st_mode) && f->st_nlink > 1)
        return "has other hard links in a world-writable directory (refused)";
    return NULL;
}

/* Open one expanded, absolute path: the parent directory first, then the
 * name in it, so the directory checked is the one the file is in. */
static long open_checked(const char *path, int how, char *err, size_t errsize)
{
    char dir[4096];
    const char *slash = rs_strchr(path, '/'), *base;
    struct stat ds, fs;

    for (const char *p = path; *p; p++)
        if (*p == '/')
            slash = p;
    base = slash + 1;
    if (!*base)
        return fail(err, errsize, path, "names a directory, not a file");
    size_t dlen = slash == path ? 1 : (size_t)(slash - path);
    memcpy(dir, path, dlen);
    dir[dlen] = 0;
    long dfd = rs_syscall(SYS_openat, AT_FDCWD, dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0)
        return fail_errno(err, errsize, path, dfd);
    /* A secure exec's log may hold the privileged program's data:
     * readable by its owner only, whatever umask the caller set. */
    long flags = LOG_OPEN_FLAGS & ~(how & RS_LOG_CREATE ? 0 : O_CREAT);
    if (how & RS_LOG_READ)
        flags = (flags & ~O_WRONLY) | O_RDWR;
    long fd = rs_syscall(SYS_openat, dfd, base, flags, rs_secure_exec() ? 0600 : 0644);
    const char *why = NULL;
    /* A symlink makes the open fail with ELOOP — or with EACCES first
     * when it is another user's in a sticky directory: name the cause. */
    if (fd == -EACCES && !rs_syscall(SYS_newfstatat, dfd, base, &fs, AT_SYMLINK_NOFOLLOW) &&
        S_ISLNK(fs.st_mode))
        fd = -ELOOP;
    if (fd == -ELOOP)
        why = "is a symbolic link (refused: logs are opened with O_NOFOLLOW)";
    else if (fd == -ENXIO)
        why = "is a FIFO nobody reads (refused rather than waiting)";
    else if (fd >= 0 && (rs_syscall(SYS_fstat, dfd, &ds) || rs_syscall(SYS_fstat, fd, &fs)))
        why = "cannot be examined";
    else if (fd >= 0)
        why = refusal(&ds, &fs);
    rs_syscall(SYS_close, dfd);
    if (fd < 0 && !why)
        return fail_errno(err, errsize, path, fd);
    if (why) {
        if (fd >= 0)
            rs_syscall(SYS_close, fd);
        return fail(err, errsize, path, why);
    }
    rs_syscall(SYS_fcntl, fd, F_SETFL, O_APPEND);   /* writes block again, as on any log */
    return fd;
}

/* log= made absolute once, against the cwd the program started in: a
 * child that forks after a chdir puts its %p file next to its parent's. */
static int absolute_template(struct rs_log *log, const char *opt, char *err, size_t errsize)
{
    if (opt[0] == '/') {
        if (rs_strlcpy(log->path, opt, sizeof(log->path)) >= sizeof(log->path))
            return fail(err, errsize, opt, "path too long");
        return 0;
    }
    if (rs_secure_exec())
        return fail(err, errsize, opt,
                    "a relative log path is refused for a set-user-ID, set-group-ID or "
                    "file-capability program (it would be resolved in the caller's directory); "
                    "give an absolute path");
    long r = rs_program_cwd(log->path, sizeof(log->path));   /* the program's, not the host's */
    if (r < 0)
        return fail_errno(err, errsize, opt, r);
    if (log->path[0] != '/')
        return fail(err, errsize, opt, "the current directory is unreachable");
    size_t n = rs_strlen(log->path);
    if (rs_snprintf(log->path + n, sizeof(log->path) - n, "%s%s", n > 1 ? "/" : "", opt) >=
        sizeof(log->path) - n)
        return fail(err, errsize, opt, "path too long");
    return 0;
}

/* No log=: the stderr the program has now, duplicated and kept, so a
 * program that closes or reuses fd 2 never receives our lines (strace) —
 * or the run's log, inherited through the exec (rs_log_open_run).  pass:
 * kept for the programs exec'd through the loader too. */
static int keep_default(struct rs_log *log, int inherited, int pass, char *err, size_t errsize)
{
    if (rs_secure_exec())
        return fail(err, errsize, "(stderr)",
                    "output to the caller's stderr is refused for a set-user-ID, set-group-ID or "
                    "file-capability program (it may carry the program's data); "
                    "give log=/absolute/path");
    long fd = inherited;
    if (fd < 0) {                                 /* the program's fd 2 (in process: 2 itself) */
        long stderr_fd = rs_program_fd(2);
        fd = stderr_fd < 0 ? stderr_fd : rs_syscall(SYS_fcntl, stderr_fd, F_DUPFD_CLOEXEC, 3);
        rs_program_fd_done(stderr_fd);
    }
    if (fd == -EBADF)
        return 0;                                 /* no stderr at start: nowhere to write */
    if (fd >= 0) {
        long kfd = pass ? rs_keep_fd_exec((int)fd) : rs_keep_fd((int)fd);
        if (kfd < 0)
            rs_syscall(SYS_close, fd);            /* not kept: not left to the program */
        fd = kfd;
    }
    if (fd < 0)
        return fail_errno(err, errsize, "(stderr)", fd);
    log->fd = (int)fd;
    log->passed = pass;
    return 0;
}

int rs_log_open(struct rs_log *log, const char *opt, char *err, size_t errsize)
{
    int r = rs_log_open_pid(log, opt, rs_getpid(), err, errsize);

    if (!r && log->to_syslog)
        log->sys.pid = 0;             /* each record the pid of the process writing it */
    return r;
}

int rs_log_is_syslog(const char *opt)
{
    return opt && !rs_strcmp(opt, "syslog");
}

/* log=syslog: the system's log, whoever runs (a secure exec too: nothing
 * of the caller's choosing is involved).  A daemon that is not listening
 * never stops the program: its records are dropped and counted. */
static int open_syslog(struct rs_log *log, int pid, char *err, size_t errsize)
{
    int r = rs_syslog_open(&log->sys, RS_FAC_USER, pid);

    if (r < 0)
        return fail_errno(err, errsize, "syslog", r);
    log->to_syslog = 1;
    log->fd = log->sys.fd;
    return 0;
}

long rs_log_write(struct rs_log *log, const void *buf, size_t n)
{
    if (log->to_syslog)
        return rs_syslog_lines(&log->sys, RS_SEV_INFO, NULL, buf, n);
    if (log->fd < 0)
        return -EBADF;
    return rs_write_all(log->fd, buf, n);
}

int rs_log_open_pid(struct rs_log *log, const char *opt, int pid, char *err, size_t errsize)
{
    char path[4096];

    log->fd = -1;
    log->per_pid = 0;
    log->path[0] = 0;
    log->var = NULL;
    log->passed = 0;
    log->to_syslog = 0;
    if (!opt)
        return keep_default(log, -1, 0, err, errsize);
    if (rs_log_is_syslog(opt))
        return open_syslog(log, pid, err, errsize);
    if (!*opt)
        return fail(err, errsize, opt, "empty path");
    if (absolute_template(log, opt, err, errsize))
        return -1;
    log->per_pid = has_pid_marker(log->path);
    if (expand_pid(log->path, pid, path, sizeof(path)))
        return fail(err, errsize, opt, "path too long");
    long fd = open_checked(path, RS_LOG_CREATE, err, errsize);
    if (fd < 0)
        return -1;
    int kfd = rs_keep_fd((int)fd);
    if (kfd < 0) {
        rs_syscall(SYS_close, fd);
        return fail_errno(err, errsize, path, kfd);
    }
    log->fd = kfd;
    return 0;
}

/* ---- the run's default log, across exec (rs_log_open_run)
 *
 * The image that execs passes its kept log (rs_keep_fd_exec: runsel
 * clears its close-on-exec flag for an exec through the loader only) and
 * says which fd it is in the exec's environment: VAR=FD:DEV:INO, in hex.
 * The new image believes the variable only for an fd that this exec
 * inherited — not close-on-exec, so never one a wrapper of this image
 * keeps already — and that is open on that very file: a stale variable
 * (a program in between that was not wrapped, or an exec that could not
 * carry the variable) names an fd that is gone or is another file. */

static const char *hex_field(const char *s, unsigned long *v)
{
    const char *p = s;

    for (*v = 0; (*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f'); p++) {
        if (p - s == 16)
            return NULL;
        *v = *v * 16 + (unsigned long)(*p <= '9' ? *p - '0' : *p - 'a' + 10);
    }
    return p == s ? NULL : p;
}

/* FD, DEV and INO from "FD:DEV:INO"; 0, or -1 when malformed. */
static int parse_marker(const char *s, unsigned long v[3])
{
    for (int i = 0; i < 3; i++) {
        if (!(s = hex_field(s, &v[i])) || *s != (i < 2 ? ':' : 0))
            return -1;
        s++;
    }
    return 0;
}

/* var's value in the program's initial environment, parsed; -1 if none. */
static int find_marker(const char *var, unsigned long v[3])
{
    char *const *envp = rs_program_envp();
    size_t vn = rs_strlen(var);
    char s[96];

    if (!envp)
        return -1;
    for (size_t i = 0; i < 1 << 20; i++) {
        unsigned long p;
        if (rs_copy_in(&p, &envp[i], sizeof(p)) != (long)sizeof(p) || !p)
            return -1;
        long n = rs_copy_in_str(s, (const char *)p, sizeof(s));
        if (n > (long)vn && !memcmp(s, var, vn) && s[vn] == '=')
            return parse_marker(s + vn + 1, v);
    }
    return -1;
}

/* The log the image that exec'd this one passed, or -1.  The fd is the
 * host's own — the one rs_keep_fd_exec kept (in process it lives in the
 * program's table, which the exec carried over) — so it is asked by its
 * number, not through rs_program_fd. */
static int inherited_log(const char *var)
{
    unsigned long v[3];
    struct stat st;

    if (!var || find_marker(var, v) || v[0] < 3 || v[0] > 0x7fffffff)
        return -1;
    long fl = rs_syscall(SYS_fcntl, (int)v[0], F_GETFD);
    if (fl < 0 || (fl & FD_CLOEXEC) || rs_syscall(SYS_fstat, (int)v[0], &st) ||
        st.st_dev != v[1] || st.st_ino != v[2])
        return -1;
    return (int)v[0];
}

int rs_log_open_run(struct rs_log *log, const char *opt, const char *var, char *err,
                    size_t errsize)
{
    int fd = inherited_log(var);

    /* A secure exec never writes where its caller's log is: the fd goes
     * at once.  One left unused here (a log= of this wrapper's own) may
     * be another wrapper's of the stack: initmod closes it after the
     * wrappers' init if none took it. */
    if (fd >= 0 && rs_secure_exec()) {
        rs_syscall(SYS_close, fd);
        fd = -1;
    }
    if (opt)
        return rs_log_open(log, opt, err, errsize);
    log->to_syslog = 0;
    log->fd = -1;
    log->per_pid = 0;
    log->path[0] = 0;
    log->var = var;
    log->passed = 0;
    return keep_default(log, fd, var && rs_inherits(), err, errsize);
}

size_t rs_log_exec_var(const struct rs_log *log, char *buf, size_t size)
{
    struct stat st;
    size_t n;

    if (!log->passed || !log->var || log->fd < 0 || rs_syscall(SYS_fstat, log->fd, &st))
        return 0;
    n = rs_snprintf(buf, size, "%s=%x:%lx:%lx", log->var, (unsigned)log->fd,
                    (unsigned long)st.st_dev, (unsigned long)st.st_ino);
    if (n >= size) {
        if (size)
            buf[0] = 0;
        return 0;
    }
    return n;
}

int rs_log_reopen(struct rs_log *log, char *err, size_t errsize)
{
    return rs_log_reopen_pid(log, rs_getpid(), err, errsize);
}

int rs_log_reopen_pid(struct rs_log *log, int pid, char *err, size_t errsize)
{
    char path[4096];

    if (!log->per_pid || log->fd < 0)
        return 0;
    if (expand_pid(log->path, pid, path, sizeof(path)))
        return fail(err, errsize, log->path, "path too long");
    long fd = open_checked(path, RS_LOG_CREATE, err, errsize);
    if (fd < 0)
        return -1;
    /* the kept descriptor stays kept: it now names this process's file */
    long r = rs_syscall(SYS_dup3, fd, log->fd, O_CLOEXEC);
    rs_syscall(SYS_close, fd);
    return r < 0 ? fail_errno(err, errsize, path, r) : 0;
}

long rs_log_open_file(const struct rs_log *log, int pid, int how, char *err, size_t errsize)
{
    char path[4096];

    if (!log->per_pid || log->fd < 0)
        return -EINVAL;
    if (expand_pid(log->path, pid, path, sizeof(path)))
        return fail(err, errsize, log->path, "path too long"), -ENAMETOOLONG;
    long fd = open_checked(path, how, err, errsize);
    return fd < 0 ? -EACCES : fd;
}
