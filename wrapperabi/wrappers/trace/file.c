/* file.c — open flags and the calls on descriptors whose arguments
 * depend on a command (fcntl): strace's open.c and fcntl.c. */
#include "trace.h"
#include "xlat/fcntl_cmds.h"
#include "xlat/fd_flags.h"
#include "xlat/open_flags.h"

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

enum { F_DUPFD_ = 0, F_GETFD_ = 1, F_SETFD_ = 2, F_GETFL_ = 3, F_SETFL_ = 4, F_SETOWN_ = 8,
       F_GETOWN_ = 9, F_SETSIG_ = 10, F_GETSIG_ = 11, F_GETLEASE_ = 1025,
       F_DUPFD_CLOEXEC_ = 1030, F_SETPIPE_SZ_ = 1031, F_GETPIPE_SZ_ = 1032, F_GET_SEALS_ = 1034 };

/* fcntl's argument, by command; the F_GET* results by name. */
SYS_FUNC(fcntl)
{
    long cmd = t->arg[1], a = t->arg[2];

    if (exiting(t)) {
        if (syserror(t) || !t->ret)
            return 0;
        if (cmd == F_GETFL_ || cmd == F_GETFD_) {
            struct rs_buf o;
            rs_buf_init(&o, t->aux, sizeof(t->aux), t->o->style);
            rs_puts(&o, "flags ");
            if (cmd == F_GETFL_) {
                struct rs_buf *line = t->o;
                t->o = &o;
                print_open_flags(t, (unsigned long)t->ret);
                t->o = line;
            } else {
                rs_put_flags(&o, xlat_fd_flags, (unsigned long)t->ret, NULL);
            }
            t->rval = RVAL_HEX | RVAL_STR;
        }
        return 0;
    }
    printfd(t, t->arg[0]);
    tprints(t, ", ");
    printxval(t, xlat_fcntl_cmds, (unsigned)cmd, "F_???");
    switch (cmd) {
    case F_GETFD_: case F_GETFL_: case F_GETOWN_: case F_GETSIG_: case F_GETLEASE_:
    case F_GETPIPE_SZ_: case F_GET_SEALS_:
        break;
    case F_DUPFD_: case F_DUPFD_CLOEXEC_: case F_SETOWN_: case F_SETSIG_: case F_SETPIPE_SZ_:
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
    default:
        tprints(t, ", ");
        printaddr(t, (unsigned long)a);
    }
    return 0;
}
