/* array.c — arrays in the program's memory, element by element (strace's
 * print_array): poll's pollfds, epoll's events, getgroups' gids ...
 *
 *   NULL            the address is 0
 *   []              no element
 *   0x7ffc...       the first element is unreadable (or the size wraps)
 *   [a, b, ...]     more than strsize elements, without -v
 *   [a, ... /ADDR/] an element past the first is unreadable: its address
 *                   in a comment after the "..."
 * Elements are read one at a time, so a partly mapped array shows the
 * elements it has, as strace does. */
#include "trace.h"

#define ELEM_MAX 64        /* the largest element any decoder reads */

int print_array(struct tcb *t, unsigned long addr, unsigned long n, size_t size,
                print_elem_fn print, void *data)
{
    unsigned char elem[ELEM_MAX];
    unsigned long limit = topt.verbose ? n : (unsigned long)topt.strsize;

    if (!addr) {
        tprints(t, "NULL");
        return 0;
    }
    if (!n) {
        tprints(t, "[]");
        return 0;
    }
    if (size > sizeof(elem) || n > ~0UL / size || addr + n * size < addr) {
        printaddr(t, addr);
        return 0;
    }
    for (unsigned long i = 0; i < n; i++) {
        unsigned long cur = addr + i * size;
        if (i)
            tprints(t, ", ");
        if (!umoven(t, cur, elem, size)) {
            if (!i) {
                printaddr(t, cur);
                return 0;
            }
            tprintf(t, "... /* %#lx */", cur);
            break;
        }
        if (!i)
            tprints(t, "[");
        if (i >= limit) {
            tprints(t, "...");
            break;
        }
        print(t, elem, data);
        if (t->o->full)                   /* the line is cut anyway: read no more */
            break;
    }
    tprints(t, "]");
    return 1;
}

/* strace's printstr_ex(addr, len, QUOTE_0_TERMINATED): at most
 * n = min(len, strsize) bytes shown, "..." after them unless the string
 * ends there — a NUL within the n bytes or, when len allows more than
 * strsize, right after them.  So a 15-byte name read with len 15 shows
 * "...", and with len 16 does not. */
void print_cstr_n(struct tcb *t, unsigned long addr, size_t len)
{
    char tmp[PATH_SHOWN + 2];
    size_t n = len < (size_t)topt.strsize ? len : (size_t)topt.strsize;
    size_t want = len < (size_t)topt.strsize + 1 ? len : (size_t)topt.strsize + 1;

    if (want > PATH_SHOWN + 1)
        want = PATH_SHOWN + 1;
    if (n > want)
        n = want;
    if (!addr) {
        printaddr(t, addr);
        return;
    }
    long got = rs_copy_in_str(tmp, (const char *)addr, want + 1);
    if (got < 0 && got != -ENAMETOOLONG) {
        printaddr(t, addr);
        return;
    }
    size_t k = got < 0 ? want : (size_t)got;      /* bytes before the NUL, of those read */
    rs_put_quoted(t->o, tmp, k < n ? k : n);
    if (k > n || (k == n && want == n && len))
        tprints(t, "...");
}
