/* creds.c — never run a program with other privileges than exec would give.
 *
 * Under binfmt_misc with the C flag the kernel computes credentials from the
 * program itself, so a set-user-ID program arrives here already privileged
 * and with AT_SECURE set.  Without C (a foreign registration) or when the
 * loader is run directly, the kernel applied nothing: running such a program
 * would silently drop privileges it is meant to have, so refuse instead.
 * The kernel would not have granted them either on a nosuid mount or under
 * no_new_privs; then there is nothing to refuse. */
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include "loader.h"
#include "sys.h"

#define OVERFLOW_ID 65534   /* how an unmapped owner appears in a user namespace */
#define MNT_NOSUID_FLAG 2   /* ST_NOSUID in statfs.f_flags */

static int kernel_would_elevate(int fd)
{
    struct statfs sf;

    if (sys5(SYS_prctl, PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 1)
        return 0;
    if (sys2(SYS_fstatfs, fd, &sf) == 0 && (sf.f_flags & MNT_NOSUID_FLAG))
        return 0;
    return 1;
}

int check_privileges(int fd, const struct stat *st, int at_secure, struct ld_err *e)
{
    unsigned euid = (unsigned)sys0(SYS_geteuid), egid = (unsigned)sys0(SYS_getegid);
    int suid = (st->st_mode & S_ISUID) && st->st_uid != euid && st->st_uid != OVERFLOW_ID;
    int sgid = (st->st_mode & S_ISGID) && (st->st_mode & S_IXGRP) && st->st_gid != egid &&
               st->st_gid != OVERFLOW_ID;
    /* File capabilities: root already holds them all; a gain shows as
     * AT_SECURE when the kernel applied it. */
    int fcaps = !at_secure && euid != 0 &&
                sys4(SYS_fgetxattr, fd, "security.capability", 0, 0) > 0;

    if (!(suid || sgid || fcaps) || !kernel_would_elevate(fd))
        return 0;
    return ld_fail(e, LD_EXIT_CANNOT,
                   "%s program would run without its privileges "
                   "(run it through the binfmt_misc entry with the C flag)",
                   suid ? "set-user-ID" : sgid ? "set-group-ID" : "file-capability");
}
