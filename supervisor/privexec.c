/* privexec.c — the execs a traced program must not make under an
 * unprivileged supervisor.
 *
 * Natively a set-user-ID, set-group-ID or file-capability program gains
 * its privileges at exec.  Traced by a tracer without CAP_SYS_PTRACE —
 * runsel's supervisor when runsel is not root, whether it started the
 * program (placement=process, which also sets no_new_privs) or attached
 * to it (-p) — the kernel runs it without them.  runsel never lets a
 * program run with privileges other than the kernel would give it
 * natively, so such an exec fails with EACCES and a line that says why,
 * as an exec that would leave an enforcing wrapper fails in process
 * (initmod/exec.c).  The whole #! chain is looked at: the kernel gives a
 * script's interpreter its set-user-ID bits.  Files on a nosuid mount
 * gain nothing natively either, and run.
 *
 * An execute-only program is the other exec a supervisor cannot follow:
 * the kernel hides its memory from a tracer without CAP_SYS_PTRACE.  As in
 * process, where the loader cannot read it either, it runs unwrapped under
 * an ordinary stack and is refused (EACCES) under an enforcing one. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/xattr.h>
#include <unistd.h>
#include <runsel/shebang.h>
#include "privexec.h"

/* The file the program names, as the host opens it: its root, its cwd or
 * its dirfd (/proc/PID/...). */
static int open_as_program(pid_t pid, int dirfd, const char *path, int empty, int *readable)
{
    char host[4096 + 64];
    int fd;

    if (empty)
        snprintf(host, sizeof(host), "/proc/%d/fd/%d", pid, dirfd);
    else if (path[0] == '/')
        snprintf(host, sizeof(host), "/proc/%d/root%s", pid, path);
    else if (dirfd == AT_FDCWD)
        snprintf(host, sizeof(host), "/proc/%d/cwd/%s", pid, path);
    else
        snprintf(host, sizeof(host), "/proc/%d/fd/%d/%s", pid, dirfd, path);
    *readable = 1;
    if ((fd = open(host, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY)) >= 0)
        return fd;
    *readable = 0;
    return open(host, O_PATH | O_CLOEXEC);
}

static int gains(int fd)
{
    struct stat st;
    struct statvfs vfs;

    if (fstat(fd, &st) || !S_ISREG(st.st_mode))
        return 0;
    if (!fstatvfs(fd, &vfs) && (vfs.f_flag & ST_NOSUID))
        return 0;
    if ((st.st_mode & S_ISUID) || ((st.st_mode & S_ISGID) && (st.st_mode & S_IXGRP)))
        return 1;
    return fgetxattr(fd, "security.capability", NULL, 0) > 0;
}

int sv_exec_unreadable(pid_t pid, int dirfd, const char *path, int empty, char *which, size_t size)
{
    struct stat st;
    int readable, fd = open_as_program(pid, dirfd, path, empty, &readable);

    if (fd < 0)
        return -1;
    if (readable || fstat(fd, &st) || !S_ISREG(st.st_mode)) {
        close(fd);
        return -1;
    }
    snprintf(which, size, "%s", path);
    return fd;
}

int sv_exec_gains_privileges(pid_t pid, int dirfd, const char *path, int empty, char *which,
                             size_t size)
{
    char head[RS_SHEBANG_HEAD], name[4096];

    snprintf(name, sizeof(name), "%s", path);
    for (int depth = 0; depth < RS_SHEBANG_DEPTH; depth++) {
        int readable, fd = open_as_program(pid, dirfd, name, empty && depth == 0, &readable);
        const char *interp, *arg;
        if (fd < 0)
            return 0;                    /* the exec fails by itself */
        if (gains(fd)) {
            snprintf(which, size, "%s", name);
            close(fd);
            return 1;
        }
        ssize_t n = readable ? pread(fd, head, sizeof(head), 0) : 0;
        close(fd);
        if (n <= 0 || rs_shebang(head, (size_t)n, &interp, &arg) != 1 || !interp[0])
            return 0;
        snprintf(name, sizeof(name), "%s", interp);   /* as the kernel opens it */
        dirfd = AT_FDCWD;
    }
    return 0;
}
