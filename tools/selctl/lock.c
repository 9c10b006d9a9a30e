/* lock.c — one editor at a time.  Every selctl command that rewrites the
 * list, its index or its hash cache holds an exclusive flock on FILE.lock
 * from before it reads the list until after the index is recompiled, so
 * concurrent `selctl add`/`remove` runs are serialized instead of each
 * writing back the list as it was before the others' edits.
 *
 * The lock is a file of its own, not the list: the list is replaced by
 * rename, and a lock on the old inode would not exclude an editor that
 * opened the new one.  The loader never takes it (it reads whole files
 * that are replaced atomically).
 *
 * Who may create it: whoever may edit the list creates it, mode 0600
 * (flock needs only an open descriptor, so a lock file others can read is
 * one they can hold forever).  In a sticky directory such as /tmp another
 * user can create FILE.lock first; a lock owned by anybody other than us,
 * root or the list's owner is refused with a message rather than used, and
 * a symbolic link is never followed (O_NOFOLLOW).  It is opened O_NONBLOCK
 * so a FIFO planted there cannot hang us, and must be a regular file. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include "selctl.h"

/* NULL if the lock file open as fd, with status st, may be used. */
static const char *lock_problem(int fd, const struct stat *st, const char *file)
{
    struct stat lst;
    uid_t me = geteuid();

    if (!S_ISREG(st->st_mode))
        return "not a regular file";
    if (st->st_uid != me && st->st_uid != 0 &&
        (stat(file, &lst) != 0 || st->st_uid != lst.st_uid))
        return "owned by another user (not you, root or the list's owner); remove it";
    if (st->st_uid == me && (st->st_mode & 077) && fchmod(fd, 0600))
        return "readable by others, and its mode cannot be set to 0600";
    return NULL;
}

/* Root editing a user's list: the lock goes to the list's owner, as the
 * rewritten list does, so the owner's own next edit can open it. */
static void give_to_list_owner(int fd, const struct stat *st, const char *file)
{
    struct stat lst;

    if (st->st_uid == 0 && geteuid() == 0 && stat(file, &lst) == 0 && lst.st_uid != 0 &&
        fchown(fd, lst.st_uid, lst.st_gid) != 0)
        warn("note: %s.lock stays owned by root: %s", file, strerror(errno));
}

int lock_list(const char *file, struct list_lock *lk)
{
    char path[PATH_MAX];
    struct stat st;
    const char *why;

    lk->fd = -1;
    if ((size_t)snprintf(path, sizeof(path), "%s.lock", file) >= sizeof(path)) {
        fprintf(stderr, "selctl: %s: path too long\n", file);
        return -1;
    }
    int fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK, 0600);
    if (fd < 0) {
        int err = errno;
        fprintf(stderr, "selctl: cannot lock %s: %s: %s\n", file, path,
                err == ELOOP ? "is a symbolic link (not followed)" : strerror(err));
        errno = err;
        return -1;
    }
    why = fstat(fd, &st) ? strerror(errno) : lock_problem(fd, &st, file);
    if (why) {
        fprintf(stderr, "selctl: cannot lock %s: %s: %s\n", file, path, why);
        close(fd);
        errno = EPERM;
        return -1;
    }
    while (flock(fd, LOCK_EX) != 0) {
        if (errno != EINTR) {
            int err = errno;
            fprintf(stderr, "selctl: cannot lock %s: %s\n", path, strerror(err));
            close(fd);
            errno = err;
            return -1;
        }
    }
    give_to_list_owner(fd, &st, file);
    lk->fd = fd;
    return 0;
}

void unlock_list(struct list_lock *lk)
{
    if (lk->fd >= 0)
        close(lk->fd);   /* releases the flock */
    lk->fd = -1;
}
