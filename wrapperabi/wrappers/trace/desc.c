/* desc.c — calls that make or tune descriptors, by their flags (strace's
 * eventfd.c, memfd_create.c, fadvise.c, inotify.c, close_range.c and
 * pipe2/dup3 of pipe.c and dup.c). */
#include "trace.h"
#include "xlat/close_range_flags.h"
#include "xlat/efd_flags.h"
#include "xlat/fadvise_advice.h"
#include "xlat/inotify_init_flags.h"
#include "xlat/inotify_masks.h"
#include "xlat/mfd_flags.h"
#include "xlat/open_flags.h"

#define MFD_HUGE_SHIFT_ 26
#define MFD_HUGE_MASK_ 0x3fu
#define MFD_NAME_MAX_ (255 - 6)   /* the kernel's 255 less "memfd:" */

SYS_FUNC(eventfd2)
{
    tprintf(t, "%u, ", (unsigned)t->arg[0]);
    printflags(t, xlat_efd_flags, (unsigned)t->arg[1], "EFD_???");
    return RVAL_DECODED | RVAL_FD;
}

SYS_FUNC(eventfd)
{
    tprintf(t, "%u", (unsigned)t->arg[0]);
    return RVAL_DECODED | RVAL_FD;
}

/* MFD_HUGETLB|21<<MFD_HUGE_SHIFT: the page size's bits apart; -X raw the
 * number, -X verbose the number and the names in a comment. */
static void print_mfd_flags(struct tcb *t, unsigned f)
{
    unsigned x = t->o->style & RS_XLAT_MASK;
    unsigned huge = f & MFD_HUGE_MASK_ << MFD_HUGE_SHIFT_, rest = f & ~huge;
    struct rs_buf o;

    if (!f || x != RS_XLAT_ABBREV)
        tprintf(t, "%#x", f);
    if (!f || x == RS_XLAT_RAW)
        return;
    if (x == RS_XLAT_VERBOSE)
        tprints(t, " /* ");
    if (rest || !huge) {
        /* the names as -X abbrev prints them, even inside the comment */
        char mem[128];
        rs_buf_init(&o, mem, sizeof(mem), (t->o->style & ~RS_XLAT_MASK) | RS_XLAT_ABBREV);
        rs_put_flags(&o, xlat_mfd_flags, rest, "MFD_???");
        rs_put(t->o, o.b, o.n);
    }
    if (huge)
        tprintf(t, "%s%u<<MFD_HUGE_SHIFT", rest ? "|" : "", huge >> MFD_HUGE_SHIFT_);
    if (x == RS_XLAT_VERBOSE)
        tprints(t, " */");
}

SYS_FUNC(memfd_create)
{
    print_cstr_n(t, (unsigned long)t->arg[0], MFD_NAME_MAX_ + 1);
    tprints(t, ", ");
    print_mfd_flags(t, (unsigned)t->arg[1]);
    return RVAL_DECODED | RVAL_FD;
}

SYS_FUNC(fadvise64)
{
    printfd(t, t->arg[0]);
    tprintf(t, ", %ld, %ld, ", t->arg[1], t->arg[2]);
    printxval(t, xlat_fadvise_advice, (unsigned)t->arg[3], "POSIX_FADV_???");
    return RVAL_DECODED;
}

SYS_FUNC(inotify_init1)
{
    printflags(t, xlat_inotify_init_flags, (unsigned)t->arg[0], "IN_???");
    return RVAL_DECODED | RVAL_FD;
}

SYS_FUNC(inotify_add_watch)
{
    printfd(t, t->arg[0]);
    tprints(t, ", ");
    printpath(t, (unsigned long)t->arg[1]);
    tprints(t, ", ");
    printflags(t, xlat_inotify_masks, (unsigned)t->arg[2], "IN_???");
    return RVAL_DECODED;
}

SYS_FUNC(inotify_rm_watch)
{
    printfd(t, t->arg[0]);
    tprintf(t, ", %d", (int)t->arg[1]);
    return RVAL_DECODED;
}

/* close_range(3, 4294967295, CLOSE_RANGE_CLOEXEC): strace 6.1 shows the
 * bounds as unsigned numbers. */
SYS_FUNC(close_range)
{
    tprintf(t, "%u, %u, ", (unsigned)t->arg[0], (unsigned)t->arg[1]);
    printflags(t, xlat_close_range_flags, (unsigned)t->arg[2], "CLOSE_RANGE_???");
    return RVAL_DECODED;
}

/* pipe2's and dup3's flags: open flags without the access mode. */
static void print_fd_flags(struct tcb *t, long f)
{
    printflags(t, xlat_open_flags, (unsigned)f, "O_???");
}

SYS_FUNC(dup3)
{
    printfd(t, t->arg[0]);
    tprints(t, ", ");
    printfd(t, t->arg[1]);
    tprints(t, ", ");
    print_fd_flags(t, t->arg[2]);
    return RVAL_DECODED | RVAL_FD;
}

/* pipe2: the two descriptors the kernel wrote, on exit. */
SYS_FUNC(pipe2)
{
    int fds[2];

    if (entering(t))
        return 0;
    if (umove_out(t, (unsigned long)t->arg[0], &fds)) {
        tprints(t, "[");
        printfd(t, fds[0]);
        tprints(t, ", ");
        printfd(t, fds[1]);
        tprints(t, "]");
    }
    tprints(t, ", ");
    print_fd_flags(t, t->arg[1]);
    return 0;
}
