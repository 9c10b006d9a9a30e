/* passfds.c — the fds a wrapper passes across an exec (rs_keep_fd_exec:
 * count's run table, trace's default log), named in the exec's
 * environment, and those the new image's wrappers did not take, closed
 * (internal/passfds.h says why and how; the loader closes them all for a
 * program that runs unwrapped). */
#include <fcntl.h>
#include <sys/stat.h>
#include "im.h"
#include "passfds.h"

size_t im_fds_env(char *buf, size_t size)
{
    int fds[RS_PASSFDS_MAX], n = im_fds_passed(fds, RS_PASSFDS_MAX), any = 0;
    size_t len = rs_snprintf(buf, size, RS_PASSFDS_VAR "=");
    struct stat st;

    for (int i = 0; i < n && len < size; i++)
        if (!im_sys(SYS_fstat, fds[i], &st)) {
            len += rs_snprintf(buf + len, size - len, "%s%x:%lx:%lx", any ? "," : "",
                               (unsigned)fds[i], (unsigned long)st.st_dev,
                               (unsigned long)st.st_ino);
            any = 1;
        }
    if (!any || len >= size) {
        buf[0] = 0;
        return 0;
    }
    return len;
}

/* v (FD, DEV, INO) names an fd this exec inherited and no wrapper of
 * this image took (it would be kept, close-on-exec): close it. */
static void close_unclaimed(const unsigned long v[3])
{
    struct stat st;
    long fd = (long)v[0];

    if (v[0] < 3 || v[0] > 0x7fffffff || im_fd_is_kept(fd) || im_sys(SYS_fcntl, fd, F_GETFD) != 0 ||
        im_sys(SYS_fstat, fd, &st) || st.st_dev != v[1] || st.st_ino != v[2])
        return;
    im_sys(SYS_close, fd);
}

void im_fds_sweep(char *const *envp)
{
    static const char var[] = RS_PASSFDS_VAR "=";
    unsigned long v[3];

    for (size_t i = 0; envp && envp[i]; i++) {
        if (rs_strncmp(envp[i], var, sizeof(var) - 1))
            continue;
        const char *p = envp[i] + sizeof(var) - 1;
        for (int k = 0; p && *p && k < RS_PASSFDS_MAX; k++)
            if ((p = rs_passfds_next(p, v)))
                close_unclaimed(v);
        return;
    }
}
