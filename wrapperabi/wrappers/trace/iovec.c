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

/* What one element needs from the array: the data still to show, and
 * whether the bases print as addresses. */
struct iovec_left {
    unsigned long left;
    int bases_as_addr;
};

static void print_iovec_elem(struct tcb *t, const void *elem, void *data)
{
    const struct iovec_ *v = elem;
    struct iovec_left *l = data;
    unsigned long shown = v->len < l->left ? v->len : l->left;

    if (l->left != ALL_DATA)
        l->left -= shown;
    tprints(t, "{iov_base=");
    if (l->bases_as_addr)
        printaddr(t, v->base);
    else
        printstrn(t, v->base, shown);
    tprintf(t, ", iov_len=%lu}", v->len);
}

/* n iovecs at addr, data_size bytes of data at most (ALL_DATA: no
 * limit), as strace's print_array shows any array (array.c). */
void print_iovec(struct tcb *t, unsigned long addr, unsigned long n, unsigned long data_size,
                 int bases_as_addr)
{
    struct iovec_left l = {data_size, bases_as_addr};

    print_array(t, addr, n, sizeof(struct iovec_), print_iovec_elem, &l);
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
