/* iovec.c — arrays of struct iovec as strace prints them (its io.c and
 * print_array): [{iov_base="...", iov_len=5}, ...], each buffer cut at
 * strsize and all of them together at the bytes the call moved; and the
 * vector calls readv, writev, preadv, pwritev, preadv2, pwritev2 (desc
 * calls, here because they share the printer with sendmsg/recvmsg). */
#include "trace.h"
#include "xlat/rwf_flags.h"

struct iovec_ {
    unsigned long base, len;
};

static void print_iovec_elem(struct tcb *t, const struct iovec_ *v, unsigned long *left,
                             int bases_as_addr)
{
    unsigned long shown = v->len < *left ? v->len : *left;

    if (*left != ALL_DATA)
        *left -= shown;
    tprints(t, "{iov_base=");
    if (bases_as_addr)
        printaddr(t, v->base);
    else
        printstrn(t, v->base, shown);
    tprintf(t, ", iov_len=%lu}", v->len);
}

/* n iovecs at addr, data_size bytes of data at most (ALL_DATA: no
 * limit); NULL, [], the address when the first is unreadable, "..." past
 * strsize elements (unless -v) and "... (0xADDR in a comment)" where they stop
 * being readable. */
void print_iovec(struct tcb *t, unsigned long addr, unsigned long n, unsigned long data_size,
                 int bases_as_addr)
{
    unsigned long shown_max = n, left = data_size;

    if (!addr) {
        printaddr(t, addr);
        return;
    }
    if (!n) {
        tprints(t, "[]");
        return;
    }
    if (n > ~0UL / sizeof(struct iovec_) || addr + n * sizeof(struct iovec_) <= addr) {
        printaddr(t, addr);
        return;
    }
    if (!topt.verbose && (unsigned long)topt.strsize < n)
        shown_max = (unsigned long)topt.strsize;
    for (unsigned long i = 0; i < n; i++) {
        unsigned long at = addr + i * sizeof(struct iovec_);
        struct iovec_ v;
        if (i)
            tprints(t, ", ");
        if (!umove(t, at, &v)) {
            if (!i) {
                printaddr(t, at);
                return;
            }
            tprintf(t, "... /* %#lx */", at);
            break;
        }
        if (!i)
            tprints(t, "[");
        if (i >= shown_max) {
            tprints(t, "...");
            break;
        }
        print_iovec_elem(t, &v, &left, bases_as_addr);
        if (t->o->full)                   /* the line is cut anyway: read no more */
            break;
    }
    tprints(t, "]");
}

/* readv, preadv, preadv2: the buffers on exit, their addresses when the
 * call failed. */
static int read_vector(struct tcb *t, int with_offset, int flags_arg)
{
    if (entering(t)) {
        printfd(t, t->arg[0]);
        tprints(t, ", ");
        return 0;
    }
    print_iovec(t, (unsigned long)t->arg[1], (unsigned long)t->arg[2],
                syserror(t) ? ALL_DATA : (unsigned long)t->ret, syserror(t));
    tprintf(t, ", %lu", (unsigned long)t->arg[2]);
    if (with_offset)
        tprintf(t, ", %ld", t->arg[3]);
    if (flags_arg) {
        tprints(t, ", ");
        printflags(t, xlat_rwf_flags, (unsigned long)t->arg[flags_arg], "RWF_???");
    }
    return 0;
}

static int write_vector(struct tcb *t, int with_offset, int flags_arg)
{
    printfd(t, t->arg[0]);
    tprints(t, ", ");
    print_iovec(t, (unsigned long)t->arg[1], (unsigned long)t->arg[2], ALL_DATA, 0);
    tprintf(t, ", %lu", (unsigned long)t->arg[2]);
    if (with_offset)
        tprintf(t, ", %ld", t->arg[3]);
    if (flags_arg) {
        tprints(t, ", ");
        printflags(t, xlat_rwf_flags, (unsigned long)t->arg[flags_arg], "RWF_???");
    }
    return RVAL_DECODED;
}

SYS_FUNC(readv)
{
    return read_vector(t, 0, 0);
}

SYS_FUNC(writev)
{
    return write_vector(t, 0, 0);
}

SYS_FUNC(preadv)
{
    return read_vector(t, 1, 0);
}

SYS_FUNC(pwritev)
{
    return write_vector(t, 1, 0);
}

/* x86-64: the offset in one register (arg 3, arg 4 its unused high
 * half), the flags in arg 5 */
SYS_FUNC(preadv2)
{
    return read_vector(t, 1, 5);
}

SYS_FUNC(pwritev2)
{
    return write_vector(t, 1, 5);
}
