/* path.c — lexical path helpers for wrappers that judge paths (sandbox). */
#include <fcntl.h>
#include <runsel/wrapper.h>
#include "glob.h"

/* Collapse "//", "." and ".." of an absolute path; ".." at / stays at /.
 * in and out may be the same buffer: the result is never longer. */
int rs_path_normalize(const char *in, char *out, size_t size)
{
    size_t n = 0;

    if (in[0] != '/' || size < 2)
        return -EINVAL;
    out[n++] = '/';
    for (const char *p = in; *p;) {
        while (*p == '/')
            p++;
        const char *c = p;
        while (*p && *p != '/')
            p++;
        size_t len = (size_t)(p - c);
        if (len == 0 || (len == 1 && c[0] == '.'))
            continue;
        if (len == 2 && c[0] == '.' && c[1] == '.') {
            while (n > 1 && out[n - 1] != '/')
                n--;
            if (n > 1)
                n--;
            continue;
        }
        if (n + (n > 1) + len + 1 > size)
            return -ENAMETOOLONG;
        if (n > 1)
            out[n++] = '/';
        memmove(out + n, c, len);
        n += len;
    }
    out[n] = 0;
    return 0;
}

/* dirfd (or AT_FDCWD) + path -> normalized absolute path.  The directory
 * is read into out and normalized in place: no large buffer on the
 * (program's) stack. */
int rs_path_at(int dirfd, const char *path, char *out, size_t size)
{
    char proc[40];
    long n;

    if (!path)
        return -EFAULT;
    if (path[0] == '/')
        return rs_path_normalize(path, out, size);
    if (size < 2)
        return -ENAMETOOLONG;
    if (dirfd == AT_FDCWD) {
        n = rs_syscall(SYS_getcwd, out, size - 1);
        if (n < 0)
            return (int)n;
        n = (long)rs_strlen(out);
    } else {
        rs_snprintf(proc, sizeof(proc), "/proc/self/fd/%d", dirfd);
        n = rs_syscall(SYS_readlink, proc, out, size - 1);
        if (n < 0)
            return (int)n;
        if (n == 0 || out[0] != '/')
            return -EBADF;
    }
    size_t k = rs_strlen(path);
    if ((size_t)n + 1 + k + 1 > size)
        return -ENAMETOOLONG;
    out[n] = '/';
    memcpy(out + n + 1, path, k + 1);
    return rs_path_normalize(out, out, size);
}

int rs_glob_match(const char *glob, const char *path)
{
    return selconf_glob(glob, rs_strlen(glob), path, rs_strlen(path));
}
