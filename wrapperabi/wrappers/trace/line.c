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

/* -y: what the descriptor names, as /proc/self/fd/N says. */
static void print_fd_path(struct tcb *t, int fd)
{
    char proc[32], path[PATH_SHOWN];

    rs_snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
    long n = rs_syscall(SYS_readlinkat, AT_FDCWD, proc, path, sizeof(path) - 1);
    if (n <= 0)
        return;
    tprints(t, "<");
    /* strace quotes only what would confuse: control characters and '>' */
    rs_put_escaped(t->o, path, (size_t)n);
    tprints(t, ">");
}

void printfd(struct tcb *t, long fd)
{
    tprintf(t, "%d", (int)fd);
    if (topt.decode_fds && (int)fd >= 0)
        print_fd_path(t, (int)fd);
}

void print_dirfd(struct tcb *t, long fd)
{
    if ((int)fd == AT_FDCWD)
        tprints(t, "AT_FDCWD");
    else
        printfd(t, fd);
}

void printxval(struct tcb *t, const struct rs_xlat *x, uint64_t v, const char *dflt)
{
    rs_put_xval(t->o, x, v, dflt);
}

void printflags(struct tcb *t, const struct rs_xlat *x, uint64_t v, const char *dflt)
{
    rs_put_flags(t->o, x, v, dflt);
}

void print_mode(struct tcb *t, unsigned long mode)
{
    tprintf(t, "%#03lo", mode & 07777);
}
