/* statfs.c — statfs and fstatfs, as strace 6.1 prints them (its statfs.c,
 * fstatfs.c, print_statfs.c): struct statfs in full, -v or not, the file
 * system's magic by name (f_type=EXT2_SUPER_MAGIC), f_flags only when the
 * kernel says they are filled in (ST_VALID).  A call that fails prints
 * the structure's address. */
#include <asm/statfs.h>
#include "trace.h"
#include "xlat/fs_magics.h"
#include "xlat/statfs_flags.h"

#define ST_VALID_ 0x0020UL       /* the kernel's, not in <sys/statvfs.h> */

static void print_struct_statfs(struct tcb *t, const struct statfs *b)
{
    tprints(t, "{f_type=");
    rs_put_xval_hex(t->o, xlat_fs_magics, (unsigned long)b->f_type);
    tprintf(t, ", f_bsize=%lu, f_blocks=%lu, f_bfree=%lu, f_bavail=%lu, f_files=%lu, f_ffree=%lu",
            (unsigned long)b->f_bsize, (unsigned long)b->f_blocks, (unsigned long)b->f_bfree,
            (unsigned long)b->f_bavail, (unsigned long)b->f_files, (unsigned long)b->f_ffree);
    tprintf(t, ", f_fsid={val=[%#x, %#x]}", (unsigned)b->f_fsid.val[0], (unsigned)b->f_fsid.val[1]);
    tprintf(t, ", f_namelen=%lu, f_frsize=%lu", (unsigned long)b->f_namelen,
            (unsigned long)b->f_frsize);
    if ((unsigned long)b->f_flags & ST_VALID_) {
        tprints(t, ", f_flags=");
        printflags(t, xlat_statfs_flags, (unsigned long)b->f_flags, "ST_???");
    }
    tprints(t, "}");
}

/* On exit: the structure, or its address. */
static void print_statfs_out(struct tcb *t, unsigned long addr)
{
    struct statfs b;

    if (syserror(t) || !umoven(t, addr, &b, sizeof(b)))
        printaddr(t, addr);
    else
        print_struct_statfs(t, &b);
}

SYS_FUNC(statfs)
{
    if (entering(t)) {
        printpath(t, (unsigned long)t->arg[0]);
        tprints(t, ", ");
        return 0;
    }
    print_statfs_out(t, (unsigned long)t->arg[1]);
    return 0;
}

SYS_FUNC(fstatfs)
{
    if (entering(t)) {
        printfd(t, t->arg[0]);
        tprints(t, ", ");
        return 0;
    }
    print_statfs_out(t, (unsigned long)t->arg[1]);
    return 0;
}
