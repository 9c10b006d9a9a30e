/* creds.c — never run a program with other privileges than exec would give.
 *
 * Under binfmt_misc with the C flag the kernel computes credentials from the
 * program itself, so a set-user-ID program arrives here already privileged
 * and with AT_SECURE set.  Without C (a foreign registration) or when the
 * loader is run directly, the kernel applied nothing: running such a program
 * would silently drop privileges it is meant to have, so refuse instead.
 * The kernel would not have granted them either on a nosuid mount or under
 * no_new_privs; then there is nothing to refuse. */
#include <errno.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/xattr.h>
#include <unistd.h>
#include "loader.h"

#define OVERFLOW_ID 65534   /* how an unmapped owner appears in a user namespace */

static int kernel_would_elevate(int fd)
{
    struct statvfs sv;

    if (prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 1)
        return 0;
    if (fstatvfs(fd, &sv) == 0 && (sv.f_flag & ST_NOSUID))
        return 0;
    return 1;
}

int check_privileges(int fd, const struct stat *st, int at_secure, struct ld_err *e)
{
    int suid = (st->st_mode & S_ISUID) && st->st_uid != geteuid() && st->st_uid != OVERFLOW_ID;
    int sgid = (st->st_mode & S_ISGID) && (st->st_mode & S_IXGRP) && st->st_gid != getegid() &&
               st->st_gid != OVERFLOW_ID;
    /* File capabilities: root already holds them all; a gain shows as
     * AT_SECURE when the kernel applied it. */
    int fcaps = !at_secure && geteuid() != 0 &&
                fgetxattr(fd, "security.capability", NULL, 0) > 0;

    if (!(suid || sgid || fcaps) || !kernel_would_elevate(fd))
        return 0;
    return ld_fail(e, LD_EXIT_CANNOT,
                   "%s program would run without its privileges "
                   "(run it through the binfmt_misc entry with the C flag)",
                   suid ? "set-user-ID" : sgid ? "set-group-ID" : "file-capability");
}
