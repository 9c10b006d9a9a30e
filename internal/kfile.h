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

#endif
