/* file.c — open flags and the calls on descriptors whose arguments
 * depend on a command (fcntl): strace's open.c and fcntl.c. */
#include "trace.h"
#include "xlat/dnotify_flags.h"
#include "xlat/fcntl_cmds.h"
#include "xlat/fd_flags.h"
#include "xlat/lock_types.h"
#include "xlat/open_flags.h"
#include "xlat/owner_types.h"
#include "xlat/rename_flags.h"
#include "xlat/seal_flags.h"
#include "xlat/whence.h"

#define O_TMPFILE_ 020200000UL

static void open_flags_abbrev(struct tcb *t, unsigned long f)
{
    static const char *const acc[] = {"O_RDONLY", "O_WRONLY", "O_RDWR", "O_ACCMODE"};
    int tmp = (f & O_TMPFILE_) == O_TMPFILE_;

    f &= 0xffffffffUL;
    tprints(t, acc[f & 3]);
    f &= ~3UL;
    if (tmp)
        f &= ~O_TMPFILE_;
    if (f) {
        tprints(t, "|");
        printflags(t, xlat_open_flags, f, NULL);
    }
    if (tmp)
        tprints(t, "|O_TMPFILE");
}

void print_open_flags(struct tcb *t, unsigned long f)
{
    print_composite(t, f & 0xffffffffUL, open_flags_abbrev);
}

enum { F_DUPFD_ = 0, F_GETFD_ = 1, F_SETFD_ = 2, F_GETFL_ = 3, F_SETFL_ = 4, F_GETLK_ = 5,
       F_SETLK_ = 6, F_SETLKW_ = 7, F_SETOWN_ = 8, F_GETOWN_ = 9, F_SETSIG_ = 10, F_GETSIG_ = 11,
       F_SETOWN_EX_ = 15, F_GETOWN_EX_ = 16, F_OFD_GETLK_ = 36, F_OFD_SETLK_ = 37,
       F_OFD_SETLKW_ = 38, F_SETLEASE_ = 1024, F_GETLEASE_ = 1025, F_NOTIFY_ = 1026,
       F_DUPFD_CLOEXEC_ = 1030, F_SETPIPE_SZ_ = 1031, F_GETPIPE_SZ_ = 1032, F_ADD_SEALS_ = 1033,
       F_GET_SEALS_ = 1034 };

struct kflock_ {              /* struct flock, x86-64 */
    short type, whence;
    long start, len;
    int pid;
};

/* {l_type=F_RDLCK, l_whence=SEEK_SET, l_start=10, l_len=5[, l_pid=N]} */
static void print_flock(struct tcb *t, unsigned long addr, int with_pid)
{
    struct kflock_ l;

    if (!umoven_or_printaddr(t, addr, &l, sizeof(l)))
        return;
    tprints(t, "{l_type=");
    printxval(t, xlat_lock_types, (unsigned short)l.type, "F_???");
    tprints(t, ", l_whence=");
    printxval(t, xlat_whence, (unsigned short)l.whence, "SEEK_???");
    tprintf(t, ", l_start=%ld, l_len=%ld", l.start, l.len);
    if (with_pid)
        tprintf(t, ", l_pid=%d", l.pid);
    tprints(t, "}");
}

static void print_owner_ex(struct tcb *t, unsigned long addr)
{
    struct {
        int type, pid;
    } o;

    if (!umoven_or_printaddr(t, addr, &o, sizeof(o)))
        return;
    tprints(t, "{type=");
    printxval(t, xlat_owner_types, (unsigned)o.type, "F_OWNER_???");
    tprintf(t, ", pid=%d}", o.pid);
}

/* What the F_GET* commands return, as " (NAMES)" after the number. */
static int fcntl_result(struct tcb *t, long cmd)
{
    struct rs_buf o, *line = t->o;

    if (cmd == F_GETLK_ || cmd == F_OFD_GETLK_ || cmd == F_GETOWN_EX_) {
        if (syserror(t))
            printaddr(t, (unsigned long)t->arg[2]);    /* the kernel wrote nothing */
        else if (cmd == F_GETOWN_EX_)
            print_owner_ex(t, (unsigned long)t->arg[2]);
        else
            print_flock(t, (unsigned long)t->arg[2], 1);
        return 0;
    }
    if (syserror(t) || (!t->ret && cmd != F_GETFL_ && cmd != F_GETLEASE_))
        return 0;          /* F_GETFL's 0 is O_RDONLY, F_GETLEASE's F_RDLCK: named */
    if (cmd != F_GETFL_ && cmd != F_GETFD_ && cmd != F_GETLEASE_ && cmd != F_GET_SEALS_)
        return 0;
    /* strace names these whatever -X says */
    rs_buf_init(&o, t->aux, sizeof(t->aux), line->style & ~RS_XLAT_MASK);
    t->o = &o;
    if (cmd == F_GETFL_) {
        tprints(t, "flags ");
        print_open_flags(t, (unsigned long)t->ret);
    } else if (cmd == F_GETFD_) {
        tprints(t, "flags ");
        o.style = line->style;            /* strace: only this one as -X says */
        printflags(t, xlat_fd_flags, (unsigned long)t->ret, NULL);
    } else if (cmd == F_GETLEASE_) {
        printxval(t, xlat_lock_types, (unsigned long)t->ret, "F_???");
    } else {
        tprints(t, "seals ");
        printflags(t, xlat_seal_flags, (unsigned long)t->ret, "F_SEAL_???");
    }
    t->o = line;
    t->rval = RVAL_HEX | RVAL_STR;
    return 0;
}

/* fcntl's argument, by command; the F_GET* results by name. */
SYS_FUNC(fcntl)
{
    long cmd = t->arg[1], a = t->arg[2];

    if (exiting(t))
        return fcntl_result(t, cmd);
    printfd(t, t->arg[0]);
    tprints(t, ", ");
    printxval(t, xlat_fcntl_cmds, (unsigned)cmd, "F_???");
    switch (cmd) {
    case F_GETFD_: case F_GETFL_: case F_GETOWN_: case F_GETSIG_: case F_GETLEASE_:
    case F_GETPIPE_SZ_: case F_GET_SEALS_:
        break;
    case F_DUPFD_: case F_DUPFD_CLOEXEC_:
        tprintf(t, ", %d", (int)a);
        return RVAL_DECODED | RVAL_FD;
    case F_SETOWN_: case F_SETSIG_: case F_SETPIPE_SZ_:
        tprintf(t, ", %d", (int)a);
        break;
    case F_SETFD_:
        tprints(t, ", ");
        printflags(t, xlat_fd_flags, (unsigned long)a, NULL);
        break;
    case F_SETFL_:
        tprints(t, ", ");
        print_open_flags(t, (unsigned long)a);
        break;
    case F_SETLK_: case F_SETLKW_: case F_OFD_SETLK_: case F_OFD_SETLKW_:
        tprints(t, ", ");
        print_flock(t, (unsigned long)a, 0);
        break;
    case F_GETLK_: case F_OFD_GETLK_: case F_GETOWN_EX_:
        tprints(t, ", ");
        return 0;                         /* the structure the kernel fills, on exit */
    case F_SETOWN_EX_:
        tprints(t, ", ");
        print_owner_ex(t, (unsigned long)a);
        break;
    case F_SETLEASE_:
        tprints(t, ", ");
        printxval(t, xlat_lock_types, (unsigned long)a, "F_???");
        break;
    case F_NOTIFY_:
        tprints(t, ", ");
        printflags(t, xlat_dnotify_flags, (unsigned long)a, "DN_???");
        break;
    case F_ADD_SEALS_:
        tprints(t, ", ");
        printflags(t, xlat_seal_flags, (unsigned long)a, "F_SEAL_???");
        break;
    default:
        tprintf(t, ", %#lx", (unsigned long)a);
    }
    return 0;
}

SYS_FUNC(renameat2)
{
    for (int i = 0; i < 4; i += 2) {
        print_dirfd(t, t->arg[i]);
        tprints(t, ", ");
        printpath(t, (unsigned long)t->arg[i + 1]);
        tprints(t, ", ");
    }
    printflags(t, xlat_rename_flags, (unsigned)t->arg[4], "RENAME_???");
    return RVAL_DECODED;
}
