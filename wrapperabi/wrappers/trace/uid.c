/* uid.c — user and group ids, groups and capabilities (strace's uid.c
 * and capability.c): the set*id calls, getresuid/getresgid, getgroups,
 * setgroups, capget, capset. */
#include "trace.h"
#include "xlat/cap_versions.h"
#include "xlat/caps.h"

#define NGROUPS_MAX_ 65536       /* the kernel's limit: longer lists show as an address */

void printuid(struct tcb *t, unsigned uid)
{
    if (uid == ~0u)
        tprints(t, "-1");
    else
        tprintf(t, "%u", uid);
}

/* setuid(0), setresuid(-1, 0, -1), ...: every argument an id. */
static int print_ids(struct tcb *t, int n)
{
    for (int i = 0; i < n; i++) {
        if (i)
            tprints(t, ", ");
        printuid(t, (unsigned)t->arg[i]);
    }
    return RVAL_DECODED;
}

SYS_FUNC(setuid) { return print_ids(t, 1); }
SYS_FUNC(setgid) { return print_ids(t, 1); }
SYS_FUNC(setfsuid) { return print_ids(t, 1); }
SYS_FUNC(setfsgid) { return print_ids(t, 1); }
SYS_FUNC(setreuid) { return print_ids(t, 2); }
SYS_FUNC(setregid) { return print_ids(t, 2); }
SYS_FUNC(setresuid) { return print_ids(t, 3); }
SYS_FUNC(setresgid) { return print_ids(t, 3); }

static void print_id_out(struct tcb *t, unsigned long addr)
{
    unsigned id;

    if (umove_out(t, addr, &id)) {
        tprints(t, "[");
        printuid(t, id);
        tprints(t, "]");
    }
}

/* getresuid([0], [0], [0]): each id the kernel wrote, on exit. */
static int print_res_ids(struct tcb *t)
{
    if (entering(t))
        return 0;
    for (int i = 0; i < 3; i++) {
        if (i)
            tprints(t, ", ");
        print_id_out(t, (unsigned long)t->arg[i]);
    }
    return 0;
}

SYS_FUNC(getresuid) { return print_res_ids(t); }
SYS_FUNC(getresgid) { return print_res_ids(t); }

static void print_gid_elem(struct tcb *t, const void *elem, void *data)
{
    unsigned g;

    (void)data;
    memcpy(&g, elem, sizeof(g));
    printuid(t, g);
}

static void print_groups(struct tcb *t, unsigned long n, unsigned long addr)
{
    if (n > NGROUPS_MAX_)
        printaddr(t, addr);
    else
        print_array(t, addr, n, sizeof(unsigned), print_gid_elem, NULL);
}

SYS_FUNC(setgroups)
{
    tprintf(t, "%d, ", (int)t->arg[0]);
    print_groups(t, (unsigned)t->arg[0], (unsigned long)t->arg[1]);
    return RVAL_DECODED;
}

/* getgroups: as many groups as the result says (an address on failure). */
SYS_FUNC(getgroups)
{
    if (entering(t)) {
        tprintf(t, "%d, ", (int)t->arg[0]);
        return 0;
    }
    print_groups(t, (unsigned)t->ret, (unsigned long)t->arg[1]);
    return 0;
}

/* ---- capabilities */
struct cap_header_ {
    uint32_t version;
    int pid;
};
struct cap_data_ {
    uint32_t effective, permitted, inheritable;
};
#define CAP_V1_ 0x19980330u      /* one 32-bit set; V2 and V3 have two */

static int read_cap_header(struct tcb *t, unsigned long addr, struct cap_header_ *h)
{
    return addr && umove(t, addr, h);
}

static void print_cap_header(struct tcb *t, unsigned long addr, const struct cap_header_ *h)
{
    if (!h) {
        printaddr(t, addr);
        return;
    }
    tprints(t, "{version=");
    printxval(t, xlat_cap_versions, h->version, "_LINUX_CAPABILITY_VERSION_???");
    tprintf(t, ", pid=%d}", h->pid);
}

/* The names of w's bits as 1<<CAP_NAME (capabilities base..base+31),
 * unknown bits in hex after them; returns how many names. */
static int put_cap_names(struct tcb *t, uint32_t w, int base)
{
    int n = 0;
    uint32_t rest = 0;

    for (int b = 0; b < 32; b++) {
        if (!(w >> b & 1))
            continue;
        const char *name = rs_xlat_name(xlat_caps, (uint64_t)(base + b));
        if (!name) {
            rest |= 1u << b;
            continue;
        }
        tprintf(t, "%s1<<%s", n++ ? "|" : "", name);
    }
    if (rest && n)
        tprintf(t, "|%#x", rest);
    return n;
}

static int knows_cap(uint32_t w, int base)
{
    for (int b = 0; b < 32; b++)
        if (w >> b & 1 && rs_xlat_name(xlat_caps, (uint64_t)(base + b)))
            return 1;
    return 0;
}

/* One 32-bit word of a set, in the -X style (strace's printflags). */
static void print_cap_word(struct tcb *t, uint32_t w, int base)
{
    unsigned x = t->o->style & RS_XLAT_MASK;

    if (!w) {
        tprints(t, "0");
    } else if (!knows_cap(w, base)) {
        tprintf(t, "%#x", w);
        if (x != RS_XLAT_RAW)
            tprints(t, " /* CAP_??? */");
    } else if (x == RS_XLAT_ABBREV) {
        put_cap_names(t, w, base);
    } else {
        tprintf(t, "%#x", w);
        if (x == RS_XLAT_VERBOSE) {
            tprints(t, " /* ");
            put_cap_names(t, w, base);
            tprints(t, " */");
        }
    }
}

/* lo: capabilities 0-31, hi: 32-63; 0 when both are empty. */
static void print_cap_set(struct tcb *t, uint32_t lo, uint32_t hi)
{
    if (lo || !hi)
        print_cap_word(t, lo, 0);
    if (hi) {
        if (lo)
            tprints(t, "|");
        print_cap_word(t, hi, 32);
    }
}

static void print_cap_data(struct tcb *t, unsigned long addr, const struct cap_header_ *h)
{
    struct cap_data_ d[2];
    size_t n = h && h->version == CAP_V1_ ? 1 : 2;

    if (!addr || !h) {
        printaddr(t, addr);
        return;
    }
    memset(d, 0, sizeof(d));
    if (!umoven_or_printaddr(t, addr, d, n * sizeof(d[0])))
        return;
    tprints(t, "{effective=");
    print_cap_set(t, d[0].effective, d[1].effective);
    tprints(t, ", permitted=");
    print_cap_set(t, d[0].permitted, d[1].permitted);
    tprints(t, ", inheritable=");
    print_cap_set(t, d[0].inheritable, d[1].inheritable);
    tprints(t, "}");
}

/* capget: the header on entry, the sets on exit (read with the header as
 * the kernel left it; an address when the call failed). */
SYS_FUNC(capget)
{
    struct cap_header_ h;
    unsigned long ha = (unsigned long)t->arg[0];
    int ok = read_cap_header(t, ha, &h);

    if (entering(t)) {
        print_cap_header(t, ha, ok ? &h : NULL);
        tprints(t, ", ");
        return 0;
    }
    print_cap_data(t, (unsigned long)t->arg[1], ok && !syserror(t) ? &h : NULL);
    return 0;
}

SYS_FUNC(capset)
{
    struct cap_header_ h;
    unsigned long ha = (unsigned long)t->arg[0];
    int ok = read_cap_header(t, ha, &h);

    print_cap_header(t, ha, ok ? &h : NULL);
    tprints(t, ", ");
    print_cap_data(t, (unsigned long)t->arg[1], ok ? &h : NULL);
    return RVAL_DECODED;
}
