/* fds.c — file descriptors a wrapper keeps (its log, count's run table):
 * the program cannot close them or dup onto them, so they survive a
 * program that closes every fd or redirects over them.  close() of a kept
 * fd reports success and keeps it; dup2/dup3 onto one fail with EBADF, as
 * for an fd beyond the limit; close_range() closes around them.
 *
 * Where a kept fd goes.  High, out of the way of programs that count up
 * from 3 (bash takes 255): 64 below the limit (at most 4096) when the limit
 * is 512 or more, as before.  Below that the room is the program's, and a
 * kept fd must not take the slots it needs: when the hard limit allows, the
 * fd goes just above the soft limit (the soft limit is raised for the one
 * F_DUPFD and set back at once; an fd above the limit stays usable, and the
 * program's own fds still have all the room its limit gives), else into
 * the highest free slot under the limit — never 0-2, never beyond the
 * limit (F_DUPFD there is EINVAL: `ulimit -n 100` used to make every
 * wrapper that keeps a log exit 126).
 *
 * Across exec.  A kept fd is close-on-exec, except one kept with
 * im_keep_fd_exec(): that one is handed to the programs the process execs
 * through the loader (they are wrapped again and their wrapper finds it:
 * count's run table), and only to those — im_fds_exec() clears its
 * close-on-exec flag just before such an exec and sets it again when the
 * exec failed, so a set-user-ID program the kernel runs natively never
 * gets it.  The exec's environment names them, and what the new program
 * does not take is closed (passfds.c). */
#include <fcntl.h>
#include <linux/close_range.h>
#include <sys/resource.h>
#include "im.h"

#define MAX_KEPT 8
#define LOW_LIMIT 512        /* below this, the room is the program's */

struct kept {
    int fd;
    int across_exec;
};
static struct kept kept[MAX_KEPT];
static int nkept;

static int is_kept(long fd)
{
    for (int i = 0; i < nkept; i++)
        if (kept[i].fd == fd)
            return 1;
    return 0;
}

static long dup_at_least(int fd, long min)
{
    return im_sys(SYS_fcntl, fd, F_DUPFD_CLOEXEC, min);
}

/* Just above the soft limit, when the hard limit leaves room there. */
static long dup_above_limit(int fd, const struct rlimit *rl)
{
    struct rlimit raised = *rl;
    long nfd;

    if (rl->rlim_max <= rl->rlim_cur)
        return -EMFILE;
    raised.rlim_cur = rl->rlim_max - rl->rlim_cur > 64 ? rl->rlim_cur + 64 : rl->rlim_max;
    if (im_sys(SYS_prlimit64, 0, RLIMIT_NOFILE, &raised, 0))
        return -EMFILE;
    nfd = dup_at_least(fd, (long)rl->rlim_cur);
    im_sys(SYS_prlimit64, 0, RLIMIT_NOFILE, rl, 0);
    return nfd;
}

/* The highest free slot below the limit, 3 or above: F_DUPFD gives the
 * lowest free one at or above its minimum, so walk the minimum down. */
static long dup_highest_free(int fd, long limit)
{
    for (long min = limit - 1; min >= 3; min--) {
        long nfd = dup_at_least(fd, min);
        if (nfd != -EMFILE)
            return nfd;
    }
    return -EMFILE;
}

static long dup_high(int fd)
{
    struct rlimit rl;
    long nfd;

    if (im_sys(SYS_prlimit64, 0, RLIMIT_NOFILE, 0, &rl))
        return dup_at_least(fd, 3);
    if (rl.rlim_cur >= LOW_LIMIT) {
        nfd = dup_at_least(fd, (long)(rl.rlim_cur > 4096 ? 4096 : rl.rlim_cur) - 64);
        return nfd == -EMFILE ? dup_highest_free(fd, (long)rl.rlim_cur) : nfd;
    }
    nfd = dup_above_limit(fd, &rl);
    return nfd >= 0 ? nfd : dup_highest_free(fd, (long)rl.rlim_cur);
}

static int keep(int fd, int across_exec)
{
    long nfd;

    if (nkept == MAX_KEPT)
        return -EMFILE;
    nfd = dup_high(fd);
    if (nfd == -EMFILE && fd >= 3 && im_sys(SYS_fcntl, fd, F_SETFD, FD_CLOEXEC) == 0)
        nfd = fd;                        /* no other room: the slot it is in is the one left */
    if (nfd < 0)
        return (int)nfd;
    if (nfd != fd)
        im_sys(SYS_close, fd);
    kept[nkept].fd = (int)nfd;
    kept[nkept].across_exec = across_exec;
    nkept++;
    return (int)nfd;
}

int im_keep_fd(int fd)
{
    return keep(fd, 0);
}

int im_keep_fd_exec(int fd)
{
    return keep(fd, 1);
}

void im_fds_exec(int passing)
{
    for (int i = 0; i < nkept; i++)
        if (kept[i].across_exec)
            im_sys(SYS_fcntl, kept[i].fd, F_SETFD, passing ? 0 : FD_CLOEXEC);
}

/* The fds kept for execs (n at most), for their names in an exec's
 * environment (passfds.c). */
int im_fds_passed(int *fds, int n)
{
    int k = 0;

    for (int i = 0; i < nkept && k < n; i++)
        if (kept[i].across_exec)
            fds[k++] = kept[i].fd;
    return k;
}

int im_fd_is_kept(long fd)
{
    return is_kept(fd);
}

int im_fds_kept(void)
{
    return nkept;
}

static long close_range_around(unsigned first, unsigned last, unsigned flags)
{
    long r = 0;

    for (unsigned fd = first;; ) {
        unsigned end = last, next_kept = 0;
        int found = 0;
        for (int i = 0; i < nkept; i++) {
            unsigned k = (unsigned)kept[i].fd;
            if (k >= fd && k <= end && (!found || k < next_kept))
                next_kept = k, found = 1;
        }
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
