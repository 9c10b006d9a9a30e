/* kfile.h — FILE.rules, the kernel placement's compiled filters for the
 * placement=kernel entries of a list FILE: written by `selctl compile`
 * (tools/selctl/compile.c, with kfilter/), opened and trusted as the list
 * by the loader (loader/select.c), read by initmod, which installs the
 * filter whose rules are byte for byte those it built
 * (internal/runrules.h, rs_rules_canon) — so a stale file can only miss,
 * never install another wrapper's filter.  Native byte order.
 *
 *   header                 magic, count
 *   count times: entry     canon_len, ninsns, then canon_len bytes of
 *                          rs_rules_canon padded to 8, then ninsns
 *                          struct sock_filter (8 bytes each) */
#ifndef RUNSEL_KFILE_H
#define RUNSEL_KFILE_H

#include <stdint.h>

#define RS_KFILE_MAGIC "RSKFILT1"
#define RS_KFILE_MAX (64u << 20)       /* larger: refused unread */
#define RS_KFILE_INSNS 4096            /* BPF_MAXINSNS */

struct rs_kfile_header {
    char magic[8];
    uint32_t count, reserved;
};

struct rs_kfile_entry {
    uint32_t canon_len, ninsns;
};

static inline uint32_t rs_kfile_pad(uint32_t n)
{
    return (n + 7) & ~7u;
}

/* The filter of the entry whose canon is c[0..n), in the file's first size
 * bytes holding count entries after the header (the caller checked the
 * magic), with its length in *ninsns; NULL when none is, or when an entry
 * runs past size or is not a filter the kernel takes.  The one walk of the
 * entries: initmod installs what it finds, selctl explain reports it, and
 * kfilter/kfile.c does not write a filter twice. */
static inline const void *rs_kfile_find(const unsigned char *f, uint64_t size, uint32_t count,
                                        const unsigned char *c, uint64_t n, unsigned *ninsns)
{
    uint64_t at = sizeof(struct rs_kfile_header);

    for (uint32_t i = 0; i < count; i++) {
        struct rs_kfile_entry e;
        if (at + sizeof(e) > size)
            return 0;
        __builtin_memcpy(&e, f + at, sizeof(e));
        at += sizeof(e);
        uint64_t body = (uint64_t)rs_kfile_pad(e.canon_len) + (uint64_t)e.ninsns * 8;
        if (e.ninsns == 0 || e.ninsns > RS_KFILE_INSNS || at + body > size)
            return 0;
        if (e.canon_len == n && !__builtin_memcmp(f + at, c, n)) {
            *ninsns = e.ninsns;
            return f + at + rs_kfile_pad(e.canon_len);
        }
        at += body;
    }
    return 0;
}

#endif
