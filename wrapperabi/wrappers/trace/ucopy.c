/* ucopy.c — the program's memory as the decoders read it, written once
 * (strace's ucopy.c and the string printers of util.c).  Everything goes
 * through the wrapper ABI's accessors, rs_copy_in and rs_copy_in_str: a
 * bad pointer from the program prints as its address, never faults, and
 * the same code will read another process's memory when the wrapper runs
 * outside the program. */
#include "trace.h"

int umoven(struct tcb *t, unsigned long addr, void *obj, size_t len)
{
    (void)t;
    return addr && rs_copy_in(obj, (const void *)addr, len) == (long)len;
}

int umoven_or_printaddr(struct tcb *t, unsigned long addr, void *obj, size_t len)
{
    if (umoven(t, addr, obj, len))
        return 1;
    printaddr(t, addr);
    return 0;
}

/* An output structure: after a failed call, its address (the kernel wrote
 * nothing), as strace's umove_or_printaddr. */
int fetch_or_printaddr(struct tcb *t, unsigned long addr, void *obj, size_t len)
{
    if (exiting(t) && syserror(t)) {
        printaddr(t, addr);
        return 0;
    }
    return umoven_or_printaddr(t, addr, obj, len);
}

/* A buffer of len bytes: at most strsize shown, "..." after the quote
 * when cut; its address when unreadable. */
static void print_buffer(struct tcb *t, unsigned long addr, unsigned long len, unsigned quote)
{
    unsigned char tmp[1024];
    size_t want = len < (unsigned long)topt.strsize ? len : (size_t)topt.strsize;
    unsigned style = t->o->style;

    if (want > sizeof(tmp))
        want = sizeof(tmp);
    /* -s 0 shows no byte, but an unreadable buffer is still its address */
    if (!addr || !umoven(t, addr, tmp, want ? want : (len ? 1 : 0))) {
        printaddr(t, addr);
        return;
    }
    t->o->style |= quote;
    rs_put_quoted(t->o, tmp, want);
    t->o->style = style;
    if (len > want)
        tprints(t, "...");
}

void printstrn(struct tcb *t, unsigned long addr, unsigned long len)
{
    print_buffer(t, addr, len, 0);
}

void printstrn_hex(struct tcb *t, unsigned long addr, unsigned long len)
{
    print_buffer(t, addr, len, RS_QUOTE_HEX);
}

/* A NUL-terminated string, at most max bytes shown: "..." after the quote
 * when it goes on; its address when unreadable before the end shown. */
void printstr_max(struct tcb *t, unsigned long addr, size_t max)
{
    char tmp[PATH_SHOWN + 1];

    if (max > PATH_SHOWN)
        max = PATH_SHOWN;
    if (!addr) {
        printaddr(t, addr);
        return;
    }
    long len = rs_copy_in_str(tmp, (const char *)addr, max + 1);
    if (len < 0 && len != -ENAMETOOLONG) {
        printaddr(t, addr);
        return;
    }
    int whole = len >= 0;
    rs_put_quoted(t->o, tmp, whole ? (size_t)len : max);
    if (!whole)
        tprints(t, "...");
}

void printpath(struct tcb *t, unsigned long addr)
{
    printstr_max(t, addr, PATH_SHOWN);
}

/* Entries of a NULL-ended pointer array, as far as it is readable. */
long count_vec(struct tcb *t, unsigned long addr)
{
    long n = 0, w[32];

    (void)t;
    while (n < 100000) {
        long r = rs_copy_in(w, (const void *)(addr + (unsigned long)n * 8), sizeof(w));
        size_t got = r > 0 ? (size_t)r / 8 : 0;
        for (size_t i = 0; i < got; i++, n++)
            if (!w[i])
                return n;
        if (got < 32)
            return n;
    }
    return n;
}
