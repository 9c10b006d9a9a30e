/* msghdr.c — struct msghdr and its control messages (strace's msghdr.c
 * and mmsghdr.c): sendmsg, recvmsg, sendmmsg, recvmmsg.
 *   {msg_name=..., msg_namelen=16, msg_iov=[...], msg_iovlen=1,
 *    msg_control=[{cmsg_len=20, cmsg_level=SOL_SOCKET, cmsg_type=SCM_RIGHTS,
 *    cmsg_data=[5]}], msg_controllen=24, msg_flags=0} */
#include <fcntl.h>
#include "trace.h"
#include "xlat/ip_cmsg_types.h"
#include "xlat/msg_flags.h"
#include "xlat/scm_types.h"
#include "xlat/socket_levels.h"

struct msghdr_ {
    unsigned long name;
    unsigned namelen, pad;
    unsigned long iov, iovlen, control, controllen;
    int flags;
    unsigned pad2;
};
struct mmsghdr_ {
    struct msghdr_ hdr;
    unsigned len, pad;
};
struct cmsghdr_ {
    unsigned long len;
    int level, type;
};

enum { SOL_IP_ = 0, SOL_SOCKET_ = 1 };
enum { SCM_RIGHTS_ = 1, SCM_CREDENTIALS_ = 2, SCM_SECURITY_ = 3, SO_TIMESTAMP_OLD_ = 29,
       SO_TIMESTAMPNS_OLD_ = 35, SO_TIMESTAMPING_OLD_ = 37, SO_TIMESTAMP_NEW_ = 63,
       SO_TIMESTAMPNS_NEW_ = 64, SO_TIMESTAMPING_NEW_ = 65 };
enum { IP_TOS_ = 1, IP_TTL_ = 2, IP_RECVOPTS_ = 6, IP_RETOPTS_ = 7, IP_PKTINFO_ = 8,
       IP_RECVERR_ = 11, IP_ORIGDSTADDR_ = 20, IP_CHECKSUM_ = 23 };
#define IOV_MAX_ 1024
#define OPTMEM_GUESS (8 * (2 * IOV_MAX_ + 512))   /* strace's when /proc says nothing */
#define PAGE_ 4096UL

/* ---- arrays in a control message, strsize elements at most (unless -v) */
static int elem_cut(struct tcb *t, unsigned long i)
{
    if (topt.verbose || i < (unsigned long)topt.strsize)
        return 0;
    tprints(t, "...");
    return 1;
}

static void print_fd_array(struct tcb *t, unsigned long a, unsigned len)
{
    tprints(t, "[");
    for (unsigned long i = 0; i < len / 4; i++) {
        int fd = 0;
        if (i)
            tprints(t, ", ");
        if (elem_cut(t, i))
            break;
        umove(t, a + 4 * i, &fd);
        printfd(t, fd);
    }
    tprints(t, "]");
}

static void print_uint_array(struct tcb *t, unsigned long a, unsigned len)
{
    tprints(t, "[");
    for (unsigned long i = 0; i < len / 4; i++) {
        unsigned v = 0;
        if (i)
            tprints(t, ", ");
        if (elem_cut(t, i))
            break;
        umove(t, a + 4 * i, &v);
        tprintf(t, "%u", v);
    }
    tprints(t, "]");
}

static void print_byte_array(struct tcb *t, unsigned long a, unsigned len)
{
    tprints(t, "[");
    for (unsigned long i = 0; i < len; i++) {
        unsigned char v = 0;
        if (i)
            tprints(t, ", ");
        if (elem_cut(t, i))
            break;
        umove(t, a + i, &v);
        tprintf(t, "%#x", v);
    }
    tprints(t, "]");
}

static void print_id(struct tcb *t, const char *name, unsigned id)
{
    if (id == ~0u)
        tprintf(t, "%s=-1", name);
    else
        tprintf(t, "%s=%u", name, id);
}

static void print_creds(struct tcb *t, unsigned long a, unsigned len)
{
    int c[3] = {0};

    (void)len;
    umoven(t, a, c, sizeof(c));
    tprintf(t, "{pid=%d, ", c[0]);
    print_id(t, "uid", (unsigned)c[1]);
    tprints(t, ", ");
    print_id(t, "gid", (unsigned)c[2]);
    tprints(t, "}");
}

static void print_security(struct tcb *t, unsigned long a, unsigned len)
{
    unsigned char s[1024];
    size_t n = len < sizeof(s) ? len : sizeof(s);

    umoven(t, a, s, n);
    rs_put_quoted(t->o, s, n);
}

static void print_timeval_data(struct tcb *t, unsigned long a, unsigned len)
{
    long tv[2];

    if (len < sizeof(tv) || !umove(t, a, &tv)) {
        tprints(t, "???");
        return;
    }
    tprintf(t, "{tv_sec=%ld, tv_usec=%lu}", tv[0], (unsigned long)tv[1]);
}

static void print_timespec_data(struct tcb *t, unsigned long a, unsigned len)
{
    long ts[2];

    if (len < sizeof(ts) || !umove(t, a, &ts)) {
        tprints(t, "???");
        return;
    }
    tprintf(t, "{tv_sec=%ld, tv_nsec=%ld}", ts[0], ts[1]);
}

static void print_timestamping_data(struct tcb *t, unsigned long a, unsigned len)
{
    if (len < 3 * 16) {
        tprints(t, "???");
        return;
    }
    tprints(t, "[");
    for (int i = 0; i < 3; i++) {
        if (i)
            tprints(t, ", ");
        print_timespec_data(t, a + 16 * (unsigned long)i, 16);
    }
    tprints(t, "]");
}

static void print_pktinfo(struct tcb *t, unsigned long a, unsigned len)
{
    unsigned char p[12] = {0};
    unsigned idx;

    (void)len;
    umoven(t, a, p, sizeof(p));
    memcpy(&idx, p, sizeof(idx));
    tprints(t, "{ipi_ifindex=");
    print_ifindex(t, idx);
    tprints(t, ", ");
    print_inet4_field(t, "ipi_spec_dst", p + 4);
    tprints(t, ", ");
    print_inet4_field(t, "ipi_addr", p + 8);
    tprints(t, "}");
}

static void print_recverr(struct tcb *t, unsigned long a, unsigned len)
{
    struct { uint32_t err; uint8_t origin, type, code, pad; uint32_t info, data; } ee;
    unsigned char sa[129] = {0};

    (void)len;
    umove(t, a, &ee);
    umoven(t, a + sizeof(ee), sa, 16);
    tprintf(t, "{ee_errno=%u, ee_origin=%u, ee_type=%u, ee_code=%u, ee_info=%u, ee_data=%u, "
            "offender=", ee.err, ee.origin, ee.type, ee.code, ee.info, ee.data);
    print_sockaddr_buf(t, sa, 16);
    tprints(t, "}");
}

static void print_origdstaddr(struct tcb *t, unsigned long a, unsigned len)
{
    unsigned char sa[129] = {0};
    int n = len > 128 ? 128 : (int)len;

    umoven(t, a, sa, (size_t)n);
    print_sockaddr_buf(t, sa, n);
}

typedef void (*cmsg_printer)(struct tcb *t, unsigned long a, unsigned len);
struct cmsg_kind {
    int type;
    unsigned min_len;
    cmsg_printer print;
};
static const struct cmsg_kind socket_kinds[] = {
    {SCM_RIGHTS_, 4, print_fd_array},
    {SCM_CREDENTIALS_, 12, print_creds},
    {SCM_SECURITY_, 1, print_security},
    {SO_TIMESTAMP_OLD_, 1, print_timeval_data},
    {SO_TIMESTAMPNS_OLD_, 1, print_timespec_data},
    {SO_TIMESTAMPING_OLD_, 1, print_timestamping_data},
    {SO_TIMESTAMP_NEW_, 1, print_timeval_data},
    {SO_TIMESTAMPNS_NEW_, 1, print_timespec_data},
    {SO_TIMESTAMPING_NEW_, 1, print_timestamping_data},
    {0, 0, NULL},
};
static const struct cmsg_kind ip_kinds[] = {
    {IP_PKTINFO_, 12, print_pktinfo},
    {IP_TTL_, 4, print_uint_array},
    {IP_TOS_, 1, print_byte_array},
    {IP_RECVOPTS_, 1, print_byte_array},
    {IP_RETOPTS_, 1, print_byte_array},
    {IP_RECVERR_, 32, print_recverr},
    {IP_ORIGDSTADDR_, 16, print_origdstaddr},
    {IP_CHECKSUM_, 4, print_uint_array},
    {SCM_SECURITY_, 1, print_security},
    {0, 0, NULL},
};

static void print_cmsg_data(struct tcb *t, const struct cmsg_kind *k, int type, unsigned long a,
                            unsigned len)
{
    for (; k->print; k++)
        if (k->type == type && len >= k->min_len) {
            tprints(t, ", cmsg_data=");
            k->print(t, a, len);
            return;
        }
}

static void print_cmsg_type_data(struct tcb *t, const struct cmsghdr_ *c, unsigned long data,
                                 unsigned len)
{
    switch (c->level) {
    case SOL_SOCKET_:
        printxval(t, xlat_scm_types, (unsigned)c->type, "SCM_???");
        print_cmsg_data(t, socket_kinds, c->type, data, len);
        break;
    case SOL_IP_:
        printxval(t, xlat_ip_cmsg_types, (unsigned)c->type, "IP_???");
        print_cmsg_data(t, ip_kinds, c->type, data, len);
        break;
    default:
        tprintf(t, "%#x", (unsigned)c->type);
    }
}

/* strace reads at most net.core.optmem_max bytes of control data */
static unsigned long optmem_max(void)
{
    static unsigned long max;
    char text[24];

    if (max)
        return max;
    max = OPTMEM_GUESS;
    long fd = rs_syscall(SYS_openat, AT_FDCWD, "/proc/sys/net/core/optmem_max",
                         O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return max;
    long n = rs_syscall(SYS_read, fd, text, sizeof(text) - 1);
    rs_syscall(SYS_close, fd);
    long v = 0;
    for (long i = 0; i < n && text[i] >= '0' && text[i] <= '9'; i++)
        v = v * 10 + (text[i] - '0');
    if (v > 0)
        max = ((unsigned long)v + 7) & ~7UL;
    return max;
}

/* All of [a, a+len) readable: a byte of every page it touches. */
static int readable(struct tcb *t, unsigned long a, unsigned long len)
{
    unsigned char b;

    for (unsigned long p = a; p < a + len; p = (p | (PAGE_ - 1)) + 1)
        if (!umove(t, p, &b))
            return 0;
    return umove(t, a + len - 1, &b);
}

/* msg_control=[{cmsg_len=..., cmsg_level=..., cmsg_type=..., cmsg_data=...}, ...] */
static void decode_msg_control(struct tcb *t, unsigned long addr, unsigned long in_len)
{
    const unsigned long hdr = sizeof(struct cmsghdr_);

    if (!in_len)
        return;
    tprints(t, ", msg_control=");
    unsigned long control_len = in_len;
    if (control_len > OPTMEM_GUESS && control_len > optmem_max())
        control_len = optmem_max();
    unsigned long left = control_len, off = 0;
    if (left < hdr || !readable(t, addr, control_len)) {
        printaddr(t, addr);
        return;
    }
    tprints(t, "[");
    while (left >= hdr && !t->o->full) {
        struct cmsghdr_ c;
        umove(t, addr + off, &c);
        if (off)
            tprints(t, ", ");
        tprintf(t, "{cmsg_len=%lu, cmsg_level=", c.len);
        printxval(t, xlat_socket_levels, (unsigned)c.level, "SOL_???");
        tprints(t, ", cmsg_type=");
        unsigned long len = c.len > left ? left : c.len;
        print_cmsg_type_data(t, &c, addr + off + hdr, len > hdr ? (unsigned)(len - hdr) : 0);
        tprints(t, "}");
        if (len < hdr) {
            left -= hdr;
            break;
        }
        len = (c.len + 7) & ~7UL;
        if (len >= left) {
            left = 0;
            break;
        }
        off += len;
        left -= len;
    }
    if (left)
        tprintf(t, ", ... /* %#lx */", addr + (control_len - left));
    else if (control_len < in_len)
        tprints(t, ", ...");
    tprints(t, "]");
}

/* ---- the header: user_namelen is what the program offered (recvmsg),
 * data_size how many bytes the call moved (ALL_DATA: sendmsg). */
static void print_struct_msghdr(struct tcb *t, const struct msghdr_ *m, const int *user_namelen,
                                unsigned long data_size)
{
    int kernel_namelen = (int)m->namelen;
    int namelen = user_namelen && kernel_namelen > *user_namelen ? *user_namelen : kernel_namelen;

    tprints(t, "{msg_name=");
    decode_sockaddr(t, m->name, namelen);
    tprints(t, ", msg_namelen=");
    if (user_namelen && *user_namelen != kernel_namelen)
        tprintf(t, "%d => ", *user_namelen);
    tprintf(t, "%d, msg_iov=", kernel_namelen);
    print_iovec(t, m->iov, m->iovlen, data_size, 0);
    tprintf(t, ", msg_iovlen=%lu", m->iovlen);
    decode_msg_control(t, m->control, m->controllen);
    tprintf(t, ", msg_controllen=%lu, msg_flags=", m->controllen);
    printflags(t, xlat_msg_flags, (unsigned)m->flags, "MSG_???");
    tprints(t, "}");
}

static void decode_msghdr(struct tcb *t, const int *user_namelen, unsigned long addr,
                          unsigned long data_size)
{
    struct msghdr_ m;

    if (addr && umove(t, addr, &m))
        print_struct_msghdr(t, &m, user_namelen, data_size);
    else
        printaddr(t, addr);
}

SYS_FUNC(sendmsg)
{
    printfd(t, t->arg[0]);
    tprints(t, ", ");
    decode_msghdr(t, NULL, (unsigned long)t->arg[1], ALL_DATA);
    tprints(t, ", ");
    print_msg_flags(t, (unsigned long)t->arg[2]);
    return RVAL_DECODED;
}

/* recvmsg: the header as the kernel left it, on exit; what the program
 * offered for the name is kept from entry. */
SYS_FUNC(recvmsg)
{
    unsigned long addr = (unsigned long)t->arg[1];
    struct net_saved *s = net_saved(t);

    if (entering(t)) {
        struct msghdr_ m;
        printfd(t, t->arg[0]);
        tprints(t, ", ");
        if (addr && umove(t, addr, &m)) {
            s->len = (int)m.namelen;
            return 0;
        }
        printaddr(t, addr);
    } else if (syserror(t)) {
        tprintf(t, "{msg_namelen=%d}", s->len);
    } else {
        decode_msghdr(t, &s->len, addr, (unsigned long)t->ret);
    }
    tprints(t, ", ");
    print_msg_flags(t, (unsigned long)t->arg[2]);
    return RVAL_DECODED;
}

/* ---- vectors of messages */
struct mmsg_print {
    const int *namelen;      /* what the program offered, per message (recvmmsg) */
    int namelens;            /* how many of them are known */
    unsigned msg_len_left;   /* how many messages show msg_len */
    unsigned count;          /* how many messages show at all */
    int use_msg_len;         /* each message's data cut at its msg_len */
};

static void print_mmsghdr(struct tcb *t, const struct mmsghdr_ *m, struct mmsg_print *p,
                          unsigned long i)
{
    const int *user = p->namelen && i < (unsigned long)p->namelens ? &p->namelen[i] : NULL;

    tprints(t, "{msg_hdr=");
    print_struct_msghdr(t, &m->hdr, user, p->use_msg_len ? m->len : ALL_DATA);
    if (p->msg_len_left) {
        tprintf(t, ", msg_len=%u", m->len);
        p->msg_len_left--;
    }
    tprints(t, "}");
}

/* strace's print_array over the headers: fetch_ok says whether they may
 * be read (not after a failed recvmmsg). */
static void decode_mmsgvec(struct tcb *t, unsigned long addr, unsigned vlen, struct mmsg_print *p,
                           int fetch_ok)
{
    const unsigned long size = sizeof(struct mmsghdr_);
    unsigned long shown_max = vlen;

    if (!addr) {
        printaddr(t, addr);
        return;
    }
    if (!vlen) {
        tprints(t, "[]");
        return;
    }
    if (addr + vlen * size <= addr) {
        printaddr(t, addr);
        return;
    }
    if (!topt.verbose && (unsigned long)topt.strsize < vlen)
        shown_max = (unsigned long)topt.strsize;
    for (unsigned long i = 0; i < vlen; i++) {
        struct mmsghdr_ m;
        unsigned long at = addr + i * size;
        if (i)
            tprints(t, ", ");
        if (!fetch_ok || !umove(t, at, &m)) {
            if (!i) {
                printaddr(t, at);
                return;
            }
            tprintf(t, "... /* %#lx */", at);
            break;
        }
        if (!i)
            tprints(t, "[");
        if (i >= shown_max || !p->count) {
            tprints(t, "...");
            break;
        }
        p->count--;
        print_mmsghdr(t, &m, p, i);
        if (t->o->full)
            break;
    }
    tprints(t, "]");
}

/* sendmmsg: everything on exit, the messages with the msg_len the kernel
 * wrote for the ones sent. */
SYS_FUNC(sendmmsg)
{
    if (entering(t)) {
        printfd(t, t->arg[0]);
        tprints(t, ", ");
        return 0;
    }
    struct mmsg_print p = {.msg_len_left = syserror(t) ? 0 : (unsigned)t->ret,
                           .count = IOV_MAX_};
    decode_mmsgvec(t, (unsigned long)t->arg[1], (unsigned)t->arg[2], &p, 1);
    tprintf(t, ", %u, ", (unsigned)t->arg[2]);
    print_msg_flags(t, (unsigned long)t->arg[3]);
    return 0;
}

static void sprint_timespec(struct tcb *t, unsigned long addr, char *mem, size_t size)
{
    struct rs_buf b, *line = t->o;

    rs_buf_init(&b, mem, size, line->style);
    t->o = &b;
    print_timespec(t, addr);
    t->o = line;
}

/* recvmmsg: the names offered and the timeout kept from entry; on exit
 * the messages received, and "(left {...})" or "(Timeout)" after the
 * result. */
SYS_FUNC(recvmmsg)
{
    struct net_saved *s = net_saved(t);
    unsigned long addr = (unsigned long)t->arg[1];
    unsigned vlen = (unsigned)t->arg[2];

    if (entering(t)) {
        struct mmsghdr_ m;
        printfd(t, t->arg[0]);
        tprints(t, ", ");
        s->count = 0;
        for (unsigned i = 0; i < vlen && i < IOV_MAX_; i++) {
            if (!umove(t, addr + i * sizeof(m), &m))
                break;
            if (i < NET_SAVED_NAMELENS)
                s->namelen[i] = (int)m.hdr.namelen;
            s->count++;
        }
        sprint_timespec(t, (unsigned long)t->arg[4], s->timeout, sizeof(s->timeout));
        return 0;
    }
    struct mmsg_print p = {.namelen = s->namelen,
                           .namelens = s->count < NET_SAVED_NAMELENS ? s->count : NET_SAVED_NAMELENS,
                           .msg_len_left = (unsigned)t->ret, .count = (unsigned)s->count,
                           .use_msg_len = 1};
    decode_mmsgvec(t, addr, (unsigned)t->ret, &p, !syserror(t));
    tprintf(t, ", %u, ", vlen);
    print_msg_flags(t, (unsigned long)t->arg[3]);
    tprintf(t, ", %s", s->timeout);
    if (syserror(t))
        return 0;
    if (t->ret == 0) {
        rs_snprintf(t->aux, sizeof(t->aux), "Timeout");
        t->rval |= RVAL_STR;
    } else if (t->arg[4]) {
        char left[sizeof(t->aux) - 5];
        sprint_timespec(t, (unsigned long)t->arg[4], left, sizeof(left));
        rs_snprintf(t->aux, sizeof(t->aux), "left %s", left);
        t->rval |= RVAL_STR;
    }
    return 0;
}
