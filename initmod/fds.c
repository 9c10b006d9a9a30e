/* fds.c — file descriptors a wrapper keeps (its log): the program cannot
 * close them or dup onto them, so the log survives a program that closes
 * every fd or redirects over them.  close() of a kept fd reports success
 * and keeps it; dup2/dup3 onto one fail with EBADF, as for an fd beyond
 * the limit; close_range() closes around them. */
#include <fcntl.h>
#include <linux/close_range.h>
#include <sys/resource.h>
#include "im.h"

#define MAX_KEPT 8

static int kept[MAX_KEPT];
static int nkept;

static int is_kept(long fd)
{
    for (int i = 0; i < nkept; i++)
        if (kept[i] == fd)
            return 1;
    return 0;
}

/* High, out of the way of programs that count up from 3 (bash takes 255). */
static long high_fd(void)
{
    struct rlimit rl;

    if (im_sys(SYS_prlimit64, 0, RLIMIT_NOFILE, 0, &rl) || rl.rlim_cur < 512)
        return 100;
    return (long)(rl.rlim_cur > 4096 ? 4096 : rl.rlim_cur) - 64;
}

int im_keep_fd(int fd)
{
    long nfd;

    if (nkept == MAX_KEPT)
        return -EMFILE;
    nfd = im_sys(SYS_fcntl, fd, F_DUPFD_CLOEXEC, high_fd());
    if (nfd < 0)
        return (int)nfd;
    im_sys(SYS_close, fd);
    kept[nkept++] = (int)nfd;
    return (int)nfd;
}

static long close_range_around(unsigned first, unsigned last, unsigned flags)
{
    long r = 0;

    for (unsigned fd = first;; ) {
        unsigned end = last, next_kept = 0;
        int found = 0;
        for (int i = 0; i < nkept; i++)
            if ((unsigned)kept[i] >= fd && (unsigned)kept[i] <= end && (!found || (unsigned)kept[i] < next_kept))
                next_kept = (unsigned)kept[i], found = 1;
        if (!found)
            return im_sys(SYS_close_range, fd, last, flags);
        if (next_kept > fd && (r = im_sys(SYS_close_range, fd, next_kept - 1, flags)))
            return r;
        if (next_kept == last)
            return 0;
        fd = next_kept + 1;
    }
}

int im_fd_guard(struct rs_call *c)
{
    if (!nkept)
        return 0;
    switch (c->nr) {
    case SYS_close:
        if (!is_kept(c->arg[0]))
            return 0;
        c->ret = 0;
        return 1;
    case SYS_dup2:
    case SYS_dup3:
        if (!is_kept(c->arg[1]))
            return 0;
        c->ret = -EBADF;
        return 1;
    case SYS_close_range:
        if ((unsigned long)c->arg[0] > (unsigned long)c->arg[1] || (c->arg[2] & CLOSE_RANGE_CLOEXEC))
            return 0;
        c->ret = close_range_around((unsigned)c->arg[0], (unsigned)c->arg[1], (unsigned)c->arg[2]);
        return 1;
    }
    return 0;
}
