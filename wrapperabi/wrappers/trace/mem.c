/* mem.c — the memory calls whose flags have names (strace's mem.c):
 * mlock2, mlockall, msync, mremap.  mmap, mprotect, madvise print by
 * letter (args.c). */
#include "trace.h"
#include "xlat/mlock2_flags.h"
#include "xlat/mlockall_flags.h"
#include "xlat/mremap_flags.h"
#include "xlat/msync_flags.h"

#define MREMAP_MAYMOVE_ 1UL
#define MREMAP_FIXED_ 2UL

static void print_addr_len(struct tcb *t)
{
    printaddr(t, (unsigned long)t->arg[0]);
    tprintf(t, ", %lu, ", (unsigned long)t->arg[1]);
}

SYS_FUNC(mlock2)
{
    print_addr_len(t);
    printflags(t, xlat_mlock2_flags, (unsigned)t->arg[2], "MLOCK_???");
    return RVAL_DECODED;
}

SYS_FUNC(mlockall)
{
    printflags(t, xlat_mlockall_flags, (unsigned)t->arg[0], "MCL_???");
    return RVAL_DECODED;
}

SYS_FUNC(msync)
{
    print_addr_len(t);
    printflags(t, xlat_msync_flags, (unsigned)t->arg[2], "MS_???");
    return RVAL_DECODED;
}

/* mremap: the new address only when the flags make the kernel use it. */
SYS_FUNC(mremap)
{
    unsigned long f = (unsigned long)t->arg[3];

    print_addr_len(t);
    tprintf(t, "%lu, ", (unsigned long)t->arg[2]);
    printflags(t, xlat_mremap_flags, f, "MREMAP_???");
    if ((f & (MREMAP_MAYMOVE_ | MREMAP_FIXED_)) == (MREMAP_MAYMOVE_ | MREMAP_FIXED_)) {
        tprints(t, ", ");
        printaddr(t, (unsigned long)t->arg[4]);
    }
    t->rval = RVAL_HEX;
    return RVAL_DECODED;
}
