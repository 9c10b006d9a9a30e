/* path.c — a name relative to a dirfd made absolute, for wrappers that
 * judge paths (sandbox; the arithmetic itself is pathlex.c's), and globs
 * matched with the list's own matcher (selconf/glob.c). */
#include <fcntl.h>
#include <runsel/wrapper.h>
#include "glob.h"

/* dirfd (or AT_FDCWD) + path -> normalized absolute path.  The directory
 * is read into out and the name joined to it in place: no large buffer on
 * the (program's) stack, and no limit but the result's.  The errors are
 * those the kernel would give for the name where it can tell: ENOTDIR for
 * a dirfd that is no directory (a pipe, a socket), EBADF for one that is
 * not open; ENOENT when the cwd has no name from our root (getcwd's
 * "(unreachable)").  dirfd is the program's: its link is read under the
 * program's /proc directory (rs_proc_path), its cwd by rs_program_cwd. */
int rs_path_at(int dirfd, const char *path, char *out, size_t size)
{
    char proc[64];
    long n;

    if (!path)
        return -EFAULT;
    if (path[0] == '/')
        return rs_path_normalize(path, out, size);
    if (size < 2)
        return -ENAMETOOLONG;
    if (dirfd == AT_FDCWD) {
        n = rs_program_cwd(out, size);
        if (n < 0)
            return (int)n;
        if (out[0] != '/')
            return -ENOENT;
    } else {
        if (rs_proc_path(proc, sizeof(proc), "fd/%d", dirfd) < 0)
            return -ENAMETOOLONG;
        n = rs_syscall(SYS_readlink, proc, out, size - 1);
        if (n == -ENOENT)
            return -EBADF;                       /* no such fd */
        if (n < 0)
            return (int)n;
        if ((size_t)n >= size - 1)               /* possibly cut short */
            return -ENAMETOOLONG;
        out[n] = 0;
        if (out[0] != '/')
            return -ENOTDIR;
    }
    return rs_path_join(out, path, out, size);
}

int rs_glob_match(const char *glob, const char *path)
{
    return selconf_glob(glob, rs_strlen(glob), path, rs_strlen(path));
}
