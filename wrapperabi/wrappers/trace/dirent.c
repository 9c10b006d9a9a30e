/* dirent.c — getdents64 and getdents, as strace 6.1 prints them (its
 * dirent64.c, dirent.c, xgetdents.c): by default the buffer's address and
 * how many entries the kernel wrote ("0x55... / * 12 entries * /"); with -v
 * the entries, [{d_ino=..., d_off=..., d_reclen=..., d_type=DT_DIR,
 * d_name="."}, ...] (getdents: d_name before d_type, which sits in the
 * record's last byte).  A call that fails prints the address. */
#include "trace.h"
#include "xlat/dirent_types.h"

#define NAME_SHOWN 256          /* strace's D_NAME_LEN_MAX */

/* The two record layouts: linux_dirent64 {u64 d_ino; s64 d_off; u16
 * d_reclen; u8 d_type; char d_name[];} and linux_dirent {ulong d_ino;
 * ulong d_off; u16 d_reclen; char d_name[]; ... u8 d_type;}. */
struct dent {
    unsigned long long ino, off;
    unsigned reclen;
    unsigned char type;          /* getdents64 only */
};
#define HEADER64 19u
#define HEADER 18u

/* The part of the program's buffer being looked at, read a piece at a
 * time rather than a system call per record. */
struct window {
    unsigned long base, end;     /* what is in buf; end: the kernel's bytes' end */
    size_t got;
    unsigned char buf[4096];
};

/* n bytes at addr (all within [.., w->end)), or NULL when unreadable. */
static const unsigned char *window_get(struct window *w, unsigned long addr, size_t n)
{
    if (addr >= w->base && addr - w->base + n <= w->got)
        return w->buf + (addr - w->base);
    if (addr >= w->end)
        return NULL;
    size_t want = w->end - addr < sizeof(w->buf) ? w->end - addr : sizeof(w->buf);
    long r = rs_copy_in(w->buf, (const void *)addr, want);
    w->base = addr;
    w->got = r > 0 ? (size_t)r : 0;
    return n <= w->got ? w->buf : NULL;
}

static void read_header(const unsigned char *p, int is64, struct dent *d)
{
    uint16_t reclen;

    memcpy(&d->ino, p, 8);
    memcpy(&d->off, p + 8, 8);
    memcpy(&reclen, p + 16, 2);
    d->reclen = reclen;
    d->type = is64 ? p[18] : 0;
}

static void print_dent_type(struct tcb *t, unsigned char type)
{
    tprints(t, ", d_type=");
    printxval(t, xlat_dirent_types, type, "DT_???");
}

/* d_name, in the first len bytes of its record (at most NAME_SHOWN): to
 * its NUL; without one there, all but the last byte and "..." (strace's
 * printpathn).  -1 when unreadable. */
static int print_dent_name(struct tcb *t, struct window *w, unsigned long addr, unsigned len)
{
    unsigned n = len < NAME_SHOWN ? len : NAME_SHOWN;
    const unsigned char *p = window_get(w, addr, n);

    tprints(t, ", d_name=");
    if (!p) {
        printaddr(t, addr);
        return -1;
    }
    for (unsigned i = 0; i < n; i++)
        if (!p[i]) {
            rs_put_quoted(t->o, p, i);
            return 0;
        }
    rs_put_quoted(t->o, p, n - 1);
    tprints(t, "...");
    return 0;
}

/* -v: the rest of a record after its header (body: its address, len bytes). */
static int print_dent_tail(struct tcb *t, struct window *w, int is64, const struct dent *d,
                           unsigned long body, unsigned len)
{
    int rc = 0;

    if (is64) {
        print_dent_type(t, d->type);
        if (len)
            rc = print_dent_name(t, w, body, len);
    } else if (len) {
        unsigned char type;
        if (len > 1)
            rc = print_dent_name(t, w, body, len - 1);
        tprints(t, ", d_type=");
        if (umove_or_printaddr(t, body + len - 1, &type))
            printxval(t, xlat_dirent_types, type, "DT_???");
        else
            rc = -1;
    }
    tprints(t, "}");
    return rc;
}

/* Where the record after the one at addr starts (0: none), and what is
 * left from there (*len); a d_reclen the kernel would not write gets
 * strace's note and is taken as what it can be (*reclen). */
static unsigned long next_record(struct tcb *t, unsigned long addr, unsigned header,
                                 unsigned *reclen, unsigned *len)
{
    const char *field = topt.verbose ? "" : "d_reclen ";

    if (*reclen > *len) {
        tprintf(t, " /* %s%u bytes overflow */", field, *reclen - *len);
        *reclen = *len;
        *len = 0;
        return 0;
    }
    if (*reclen < header) {
        tprintf(t, " /* %s%u bytes underflow */", field, header - *reclen);
        *reclen = header;
        *len -= header;
        return 0;
    }
    *len -= *reclen;
    return *len ? addr + *reclen : 0;
}

/* -v, fewer bytes left than a header: none at all opens the (empty)
 * array, a few print in hex. */
static void print_dents_short(struct tcb *t, unsigned long addr, unsigned len, unsigned *count)
{
    if (len) {
        printstrn_hex(t, addr, len);
    } else {
        tprints(t, "[");
        ++*count;
    }
}

/* The len bytes the kernel wrote at addr, record by record (strace's
 * decode_dents): -v each record, else the count of those readable, "+"
 * when bytes are left over. */
static void print_dents(struct tcb *t, unsigned long addr, unsigned len, int is64)
{
    const unsigned header = is64 ? HEADER64 : HEADER;
    struct window w = {.end = addr + len};
    unsigned count = 0;
    int v = topt.verbose;

    if (!v)
        printaddr(t, addr);
    for (;;) {
        if (len < header) {
            if (v)
                print_dents_short(t, addr, len, &count);
            break;
        }
        const unsigned char *p = window_get(&w, addr, header);
        if (!p) {
            if (v && count)
                tprintf(t, "... /* %#lx */", addr);
            else if (v)
                printaddr(t, addr);
            break;
        }
        if (v && !count)
            tprints(t, "[");
        count++;
        struct dent d;
        read_header(p, is64, &d);
        if (v)
            tprintf(t, "{d_ino=%llu, d_off=%llu, d_reclen=%u", d.ino, d.off, d.reclen);
        unsigned reclen = d.reclen;
        unsigned long next = next_record(t, addr, header, &reclen, &len);
        int rc = v ? print_dent_tail(t, &w, is64, &d, addr + header, reclen - header) : 0;
        if (v && next)
            tprints(t, rc < 0 ? ", ..." : ", ");
        if (!next || rc < 0)
            break;
        addr = next;
    }
    if (!v)
        tprintf(t, " /* %u%s entries */", count, len ? "+" : "");
    else if (count)
        tprints(t, "]");
}

/* The descriptor on entry; the buffer and the count on exit. */
static int decode_getdents(struct tcb *t, int is64)
{
    unsigned count = (unsigned)t->arg[2];

    if (entering(t)) {
        printfd(t, t->arg[0]);
        return 0;
    }
    tprints(t, ", ");
    if (syserror(t) || (unsigned long)t->ret > count)
        printaddr(t, (unsigned long)t->arg[1]);
    else
        print_dents(t, (unsigned long)t->arg[1], (unsigned)t->ret, is64);
    tprintf(t, ", %u", count);
    return 0;
}

SYS_FUNC(getdents64)
{
    return decode_getdents(t, 1);
}

SYS_FUNC(getdents)
{
    return decode_getdents(t, 0);
}
