/* line.c — the small printers every decoder uses: addresses, descriptors,
 * named constants, modes (strace's util.c, less its string printers,
 * which are ucopy.c's). */
#include <fcntl.h>
#include "trace.h"

void tprintf(struct tcb *t, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    rs_vputf(t->o, fmt, ap);
    va_end(ap);
}

void printaddr(struct tcb *t, unsigned long addr)
{
    if (addr)
        tprintf(t, "%#lx", addr);
    else
        tprints(t, "NULL");
}

void print_fd_link(struct tcb *t, const char *link, size_t n)
{
    /* strace quotes only what would confuse: control characters and '>' */
    rs_put_escaped(t->o, link, n);
}

/* -y: what the descriptor names, as the program's /proc/PID/fd/N says
 * (rs_proc_path: /proc/self in process); the other kinds of the
 * decode-fds set first (decodefds.c: -yy's sockets, devices, pidfds),
 * which may reuse the link's buffer for their own reading. */
static void print_fd_path(struct tcb *t, int fd)
{
    char proc[64], path[PATH_SHOWN];

    if (rs_proc_path(proc, sizeof(proc), "fd/%d", fd) < 0)
        return;
    long n = rs_syscall(SYS_readlinkat, AT_FDCWD, proc, path, sizeof(path) - 1);
    if (n <= 0)
        return;
    if (print_fd_kind(t, fd, path, (size_t)n, sizeof(path)) || !(topt.decode_fds & DECODE_FD_PATH))
        return;
    tprints(t, "<");
    print_fd_link(t, path, (size_t)n);
    tprints(t, ">");
}

void printfd(struct tcb *t, long fd)
{
    tprintf(t, "%d", (int)fd);
    if (topt.decode_fds && (int)fd >= 0)
        print_fd_path(t, (int)fd);
}

/* -y: AT_FDCWD</cwd>, the program's (its cwd link, as strace reads it) */
static void print_cwd(struct tcb *t)
{
    char proc[64], path[PATH_SHOWN];
    long n = rs_proc_path(proc, sizeof(proc), "cwd") < 0
                 ? -ENAMETOOLONG
                 : rs_syscall(SYS_readlinkat, AT_FDCWD, proc, path, sizeof(path) - 1);

    if (n <= 0)
        return;
    tprints(t, "<");
    rs_put_escaped(t->o, path, (size_t)n);
    tprints(t, ">");
}

static void print_at_fdcwd(struct tcb *t, unsigned long v)
{
    (void)v;
    tprints(t, "AT_FDCWD");
}

void print_dirfd(struct tcb *t, long fd)
{
    if ((int)fd != AT_FDCWD) {
        printfd(t, fd);
        return;
    }
    if ((t->o->style & RS_XLAT_MASK) == RS_XLAT_ABBREV)
        print_at_fdcwd(t, 0);
    else
        print_composite(t, (unsigned long)(long)AT_FDCWD, print_at_fdcwd);
    if (topt.decode_fds & DECODE_FD_PATH)
        print_cwd(t);
}

/* -X raw: the number; -X verbose: the number, then what abbrev shows as a
 * comment (strace prints a value made of parts — access mode and flags,
 * type and flags — as one number). */
void print_composite(struct tcb *t, unsigned long v, void (*abbrev)(struct tcb *, unsigned long))
{
    unsigned style = t->o->style, x = style & RS_XLAT_MASK;

    if (x == RS_XLAT_ABBREV) {
        abbrev(t, v);
        return;
    }
    if ((long)v < 0 && (long)v > -4096)
        tprintf(t, "%ld", (long)v);
    else
        tprintf(t, "%#lx", v);
    if (x == RS_XLAT_VERBOSE) {
        tprints(t, " /* ");
        t->o->style = (style & ~RS_XLAT_MASK) | RS_XLAT_ABBREV;
        abbrev(t, v);
        t->o->style = style;
        tprints(t, " */");
    }
}

void printxval(struct tcb *t, const struct rs_xlat *x, uint64_t v, const char *dflt)
{
    rs_put_xval(t->o, x, v, dflt);
}

void printflags(struct tcb *t, const struct rs_xlat *x, uint64_t v, const char *dflt)
{
    rs_put_flags(t->o, x, v, dflt);
}

/* strace's print_numeric_umode_t: the low 16 bits, file type bits too
 * (chmod(path, 0100600), umask(0177777)). */
void print_mode(struct tcb *t, unsigned long mode)
{
    tprintf(t, "%#03o", (unsigned)(unsigned short)mode);
}
