/* sockopt.c — setsockopt and getsockopt (strace's net.c, second half):
 * the level, the option's name in that level's set, its value ([1] for
 * the int options, the structures strace decodes, the bytes otherwise)
 * and getsockopt's length in and out ([4], [16 => 4]). */
#include <asm/socket.h>
#include <linux/icmp.h>
#include <linux/if_packet.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/netlink.h>
#include "trace.h"
#include "xlat/icmp_filter_types.h"
#include "xlat/packet_mreq_types.h"
#include "xlat/socket_levels.h"
#include "xlat/sockopt_can_raw.h"
#include "xlat/sockopt_alg.h"
#include "xlat/sockopt_ax25.h"
#include "xlat/sockopt_bluetooth.h"
#include "xlat/sockopt_caif.h"
#include "xlat/sockopt_dccp.h"
#include "xlat/sockopt_ipx.h"
#include "xlat/sockopt_irda.h"
#include "xlat/sockopt_iucv.h"
#include "xlat/sockopt_kcm.h"
#include "xlat/sockopt_llc.h"
#include "xlat/sockopt_nfc.h"
#include "xlat/sockopt_pnpipe.h"
#include "xlat/sockopt_pppol2tp.h"
#include "xlat/sockopt_rds.h"
#include "xlat/sockopt_rxrpc.h"
#include "xlat/sockopt_tipc.h"
#include "xlat/sockopt_ip.h"
#include "xlat/sockopt_ip_get.h"
#include "xlat/sockopt_ip_set.h"
#include "xlat/sockopt_ipv6.h"
#include "xlat/sockopt_ipv6_get.h"
#include "xlat/sockopt_ipv6_set.h"
#include "xlat/sockopt_netlink.h"
#include "xlat/sockopt_packet.h"
#include "xlat/sockopt_raw.h"
#include "xlat/sockopt_sctp.h"
#include "xlat/sockopt_socket.h"
#include "xlat/sockopt_socket_get.h"
#include "xlat/sockopt_socket_set.h"
#include "xlat/sockopt_tcp.h"
#include "xlat/sockopt_tls.h"
#include "xlat/sockopt_udp.h"
#include "xlat/sockopt_vsock.h"
#include "xlat/sockopt_xdp.h"
#include "xlat/txrehash_values.h"

/* levels the uapi headers do not export (the kernel's linux/socket.h) */
#define SOL_IP_ IPPROTO_IP
#define SOL_TCP_ IPPROTO_TCP
#define SOL_UDP_ IPPROTO_UDP
#define SOL_IPV6_ IPPROTO_IPV6
#define SOL_SCTP_ IPPROTO_SCTP
#define AF_VSOCK_ 40            /* vsock takes its family as the level */
#define SOL_CAN_RAW_ 101
#define SOL_RAW_ 255
#define SOL_PACKET_ 263
#define SOL_NETLINK_ 270
#define SOL_TLS_ 282
#define SOL_XDP_ 283
#define MCAST_SIZE_ 136          /* sizeof(struct group_req) */

/* ---- the option's name */
struct level_names {
    unsigned level;
    const struct rs_xlat *names, *set, *get;
    const char *unknown;
};

/* the levels strace names options in (the others: the number); the
 * numbers of the levels without a uapi header are the kernel's
 * include/linux/socket.h */
static const struct level_names levels[] = {
    {SOL_SOCKET, xlat_sockopt_socket, xlat_sockopt_socket_set, xlat_sockopt_socket_get, "SO_???"},
    {SOL_IP_, xlat_sockopt_ip, xlat_sockopt_ip_set, xlat_sockopt_ip_get, "IP_???"},
    {AF_VSOCK_, xlat_sockopt_vsock, NULL, NULL, "SO_VM_???"},
    {SOL_IPV6_, xlat_sockopt_ipv6, xlat_sockopt_ipv6_set, xlat_sockopt_ipv6_get, "IPV6_???"},
    {256, xlat_sockopt_ipx, NULL, NULL, "IPX_???"},
    {257, xlat_sockopt_ax25, NULL, NULL, "AX25_???"},
    {SOL_PACKET_, xlat_sockopt_packet, NULL, NULL, "PACKET_???"},
    {SOL_TCP_, xlat_sockopt_tcp, NULL, NULL, "TCP_???"},
    {SOL_CAN_RAW_, xlat_sockopt_can_raw, NULL, NULL, "CAN_RAW_???"},
    {SOL_SCTP_, xlat_sockopt_sctp, NULL, NULL, "SCTP_???"},
    {SOL_RAW_, xlat_sockopt_raw, NULL, NULL, "RAW_???"},
    {SOL_NETLINK_, xlat_sockopt_netlink, NULL, NULL, "NETLINK_???"},
    {SOL_UDP_, xlat_sockopt_udp, NULL, NULL, "UDP_???"},
    {266, xlat_sockopt_irda, NULL, NULL, "IRLMP_???"},
    {268, xlat_sockopt_llc, NULL, NULL, "LLC_OPT_???"},
    {269, xlat_sockopt_dccp, NULL, NULL, "DCCP_SOCKOPT_???"},
    {271, xlat_sockopt_tipc, NULL, NULL, "TIPC_???"},
    {272, xlat_sockopt_rxrpc, NULL, NULL, "RXRPC_???"},
    {273, xlat_sockopt_pppol2tp, NULL, NULL, "PPPOL2TP_SO_???"},
    {274, xlat_sockopt_bluetooth, NULL, NULL, "BT_???"},
    {275, xlat_sockopt_pnpipe, NULL, NULL, "PNPIPE_???"},
    {276, xlat_sockopt_rds, NULL, NULL, "RDS_???"},
    {277, xlat_sockopt_iucv, NULL, NULL, "SO_???"},
    {278, xlat_sockopt_caif, NULL, NULL, "CAIFSO_???"},
    {279, xlat_sockopt_alg, NULL, NULL, "ALG_???"},
    {280, xlat_sockopt_nfc, NULL, NULL, "NFC_LLCP_???"},
    {281, xlat_sockopt_kcm, NULL, NULL, "KCM_???"},
    {SOL_TLS_, xlat_sockopt_tls, NULL, NULL, "TLS_???"},
    {SOL_XDP_, xlat_sockopt_xdp, NULL, NULL, "XDP_???"},
};

static void print_optname(struct tcb *t, unsigned level, unsigned name, int get)
{
    static const struct rs_xlat none[] = {{0, NULL}};

    for (size_t i = 0; i < sizeof(levels) / sizeof(levels[0]); i++) {
        const struct level_names *l = &levels[i];
        if (l->level != level)
            continue;
        const struct rs_xlat *only = get ? l->get : l->set;
        if (l->names && rs_xlat_name(l->names, name))
            printxval(t, l->names, name, l->unknown);
        else
            printxval(t, only ? only : none, name, l->unknown);
        return;
    }
    tprintf(t, "%u", name);
}

static void print_fd_level_name(struct tcb *t, int get)
{
    unsigned level = (unsigned)t->arg[1];

    printfd(t, t->arg[0]);
    tprints(t, ", ");
    printxval(t, xlat_socket_levels, level, "SOL_??");
    tprints(t, ", ");
    print_optname(t, level, (unsigned)t->arg[2], get);
    tprints(t, ", ");
}

/* ---- values */
static void print_int_ref(struct tcb *t, unsigned long addr)
{
    int v;

    if (umove_or_printaddr(t, addr, &v))
        tprintf(t, "[%d]", v);
}

/* A structure of int-sized fields of which the kernel returned len
 * bytes: the whole fields, the bytes of a cut one (strace's
 * MAYBE_PRINT_FIELD_LEN). */
struct field {
    const char *name;
    char fmt;                  /* d, u, or i (an id: -1 as -1) */
};
static void print_fields(struct tcb *t, unsigned long addr, const struct field *f, unsigned n,
                         unsigned len)
{
    uint32_t v[4];

    if (len > 4 * n)
        len = 4 * n;
    if (!umoven_or_printaddr(t, addr, v, len))
        return;
    tprints(t, "{");
    for (unsigned i = 0; i < n && 4 * i < len; i++) {
        if (i)
            tprints(t, ", ");
        tprintf(t, "%s=", f[i].name);
        if (len < 4 * i + 4)
            printstrn_hex(t, addr + 4 * i, len - 4 * i);
        else if (f[i].fmt == 'd')
            tprintf(t, "%d", (int)v[i]);
        else if (f[i].fmt == 'i' && v[i] == ~0u)
            tprints(t, "-1");
        else
            tprintf(t, "%u", v[i]);
    }
    tprints(t, "}");
}

static const struct field linger_fields[] = {{"l_onoff", 'd'}, {"l_linger", 'd'}};
static const struct field ucred_fields[] = {{"pid", 'd'}, {"uid", 'i'}, {"gid", 'i'}};
static const struct field tpacket_stats_fields[] = {
    {"tp_packets", 'u'}, {"tp_drops", 'u'}, {"tp_freeze_q_cnt", 'u'}};
static const struct field tpacket_req_fields[] = {
    {"tp_block_size", 'u'}, {"tp_block_nr", 'u'}, {"tp_frame_size", 'u'}, {"tp_frame_nr", 'u'}};

/* [ECONNREFUSED]: an errno value, as strace's print_err */
static void print_error_ref(struct tcb *t, unsigned long addr, unsigned len)
{
    int e;

    if (len < sizeof(e)) {
        printstrn_hex(t, addr, len);
        return;
    }
    if (!umove_or_printaddr(t, addr, &e))
        return;
    const char *name = rs_errno_name(e);
    unsigned x = t->o->style & RS_XLAT_MASK;
    tprints(t, "[");
    if (!name || x != RS_XLAT_ABBREV)
        tprintf(t, "%d", e);
    if (name && x == RS_XLAT_ABBREV)
        tprints(t, name);
    else if (name && x == RS_XLAT_VERBOSE)
        tprintf(t, " /* %s */", name);
    tprints(t, "]");
}

/* [SOCK_TXREHASH_ENABLED]; an unknown value in decimal */
static void print_txrehash(struct tcb *t, unsigned long addr, unsigned len)
{
    int v;

    if (len < sizeof(v)) {
        if (entering(t))
            printaddr(t, addr);
        else
            printstrn_hex(t, addr, len);
        return;
    }
    if (!umove_or_printaddr(t, addr, &v))
        return;
    const char *name = rs_xlat_name(xlat_txrehash_values, (unsigned)v);
    unsigned x = t->o->style & RS_XLAT_MASK;
    tprints(t, "[");
    if (!name || x != RS_XLAT_ABBREV)
        tprintf(t, "%d", v);
    if (!name && x != RS_XLAT_RAW)
        tprints(t, " /* SOCK_TXREHASH_??? */");
    else if (name && x == RS_XLAT_ABBREV)
        tprints(t, name);
    else if (name && x == RS_XLAT_VERBOSE)
        tprintf(t, " /* %s */", name);
    tprints(t, "]");
}

/* ICMP_FILTER: the types set, or ~[the ones not set] when most are. */
static void print_icmp_filter(struct tcb *t, unsigned long addr, int len)
{
    uint32_t f = ~0u;

    if (len > (int)sizeof(f))
        len = sizeof(f);
    else if (len <= 0) {
        printaddr(t, addr);
        return;
    }
    if (!umoven_or_printaddr(t, addr, &f, (size_t)len))
        return;
    if (__builtin_popcount(f) > 16) {
        f = ~f;
        tprints(t, "~");
    }
    tprints(t, "[");
    for (int i = 0, first = 1; i < 32; i++)
        if (f >> i & 1) {
            if (!first)
                tprints(t, " ");
            first = 0;
            printxval(t, xlat_icmp_filter_types, (unsigned)i, "ICMP_???");
        }
    tprints(t, "]");
}

/* The int options of SOL_SOCKET (strace's list). */
static int is_int_option(unsigned name)
{
    switch (name) {
    case SO_DEBUG: case SO_REUSEADDR: case SO_DONTROUTE: case SO_BROADCAST: case SO_SNDBUF:
    case SO_RCVBUF: case SO_KEEPALIVE: case SO_OOBINLINE: case SO_NO_CHECK: case SO_PRIORITY:
    case SO_BSDCOMPAT: case SO_REUSEPORT: case SO_PASSCRED: case SO_RCVLOWAT: case SO_SNDLOWAT:
    case SO_DETACH_FILTER: case SO_TIMESTAMP_OLD: case SO_ACCEPTCONN: case SO_SNDBUFFORCE:
    case SO_RCVBUFFORCE: case SO_PASSSEC: case SO_TIMESTAMPNS_OLD: case SO_MARK:
    case SO_TIMESTAMPING_OLD: case SO_RXQ_OVFL: case SO_WIFI_STATUS: case SO_PEEK_OFF:
    case SO_NOFCS: case SO_LOCK_FILTER: case SO_SELECT_ERR_QUEUE: case SO_BUSY_POLL:
    case SO_INCOMING_CPU: case SO_CNX_ADVICE: case SO_INCOMING_NAPI_ID: case SO_ZEROCOPY:
    case SO_TIMESTAMP_NEW: case SO_TIMESTAMPNS_NEW: case SO_TIMESTAMPING_NEW:
    case SO_DETACH_REUSEPORT_BPF: case SO_PREFER_BUSY_POLL: case SO_BUSY_POLL_BUDGET:
    case SO_RESERVE_MEM: case SO_RCVMARK:
        return 1;
    }
    return 0;
}

/* [1, 0]: NETLINK_LIST_MEMBERSHIPS's groups */
static void print_u32_array(struct tcb *t, unsigned long addr, unsigned long n)
{
    if (!addr || !n) {
        tprints(t, addr ? "[]" : "NULL");
        return;
    }
    for (unsigned long i = 0; i < n; i++) {
        uint32_t v;
        if (i)
            tprints(t, ", ");
        if (!umove(t, addr + 4 * i, &v)) {
            if (!i) {
                printaddr(t, addr);
                return;
            }
            tprintf(t, "... /* %#lx */", addr + 4 * i);
            break;
        }
        if (!i)
            tprints(t, "[");
        if (!topt.verbose && i >= (unsigned long)topt.strsize) {
            tprints(t, "...");
            break;
        }
        tprintf(t, "%u", v);
    }
    tprints(t, "]");
}

/* The default: an int as [N], anything else as bytes. */
static void print_value_default(struct tcb *t, unsigned long addr, int len)
{
    if (len == (int)sizeof(int))
        print_int_ref(t, addr);
    else
        printstrn(t, addr, (unsigned long)(unsigned)len);
}

static void print_getsockopt(struct tcb *t, unsigned level, unsigned name, unsigned long addr,
                             int ulen, int rlen)
{
    if (ulen <= 0 || rlen <= 0 || !addr) {
        if (ulen <= 0 || rlen <= 0)
            printaddr(t, addr);
        else
            print_value_default(t, addr, rlen);
        return;
    }
    if (level == SOL_SOCKET) {
        if (name == SO_LINGER)
            print_fields(t, addr, linger_fields, 2, (unsigned)rlen);
        else if (name == SO_PEERCRED)
            print_fields(t, addr, ucred_fields, 3, (unsigned)rlen);
        else if (name == SO_ERROR)
            print_error_ref(t, addr, (unsigned)rlen);
        else if (name == SO_TXREHASH)
            print_txrehash(t, addr, (unsigned)rlen);
        else if (is_int_option(name) && rlen >= (int)sizeof(int))
            print_int_ref(t, addr);
        else if (is_int_option(name))
            printstrn_hex(t, addr, (unsigned long)rlen);
        else
            print_value_default(t, addr, rlen);
    } else if (level == SOL_PACKET_ && name == PACKET_STATISTICS) {
        print_fields(t, addr, tpacket_stats_fields, 3, (unsigned)rlen);
    } else if (level == SOL_RAW_ && name == ICMP_FILTER) {
        print_icmp_filter(t, addr, rlen);
    } else if (level == SOL_NETLINK_ && name == NETLINK_LIST_MEMBERSHIPS) {
        print_u32_array(t, addr, (unsigned long)(ulen < rlen ? ulen : rlen) / 4);
    } else if (level == SOL_NETLINK_) {
        print_int_ref(t, addr);
    } else {
        print_value_default(t, addr, rlen);
    }
}

/* getsockopt: the length offered is read on entry, the value and the
 * length returned on exit. */
SYS_FUNC(getsockopt)
{
    unsigned long val = (unsigned long)t->arg[3], lenp = (unsigned long)t->arg[4];
    int ulen, rlen;

    if (entering(t)) {
        print_fd_level_name(t, 1);
        if (lenp && umove(t, lenp, &net_saved(t)->len))
            return 0;
        printaddr(t, val);
        tprints(t, ", ");
        printaddr(t, lenp);
        return RVAL_DECODED;
    }
    ulen = net_saved(t)->len;
    if (!umove(t, lenp, &rlen)) {
        printaddr(t, val);
        tprintf(t, ", [%d]", ulen);
        return 0;
    }
    if (syserror(t))
        printaddr(t, val);
    else
        print_getsockopt(t, (unsigned)t->arg[1], (unsigned)t->arg[2], val, ulen, rlen);
    tprints(t, ", ");
    print_len_changed(t, ulen, rlen);
    return 0;
}

/* ---- setsockopt's structures */
static void print_mreq(struct tcb *t, unsigned long addr, int len)
{
    unsigned char m[8];

    if (len < (int)sizeof(m) || !umove_or_printaddr(t, addr, &m)) {
        if (len < (int)sizeof(m))
            printaddr(t, addr);
        return;
    }
    tprints(t, "{");
    print_inet4_field(t, "imr_multiaddr", m);
    tprints(t, ", ");
    print_inet4_field(t, "imr_interface", m + 4);
    tprints(t, "}");
}

static void print_mreq6(struct tcb *t, unsigned long addr, int len)
{
    unsigned char m[20];
    unsigned ifindex;

    if (len < (int)sizeof(m) || !umove_or_printaddr(t, addr, &m)) {
        if (len < (int)sizeof(m))
            printaddr(t, addr);
        return;
    }
    memcpy(&ifindex, m + 16, sizeof(ifindex));
    tprints(t, "{");
    print_inet6_field(t, "ipv6mr_multiaddr", m);
    tprints(t, ", ipv6mr_interface=");
    print_ifindex(t, ifindex);
    tprints(t, "}");
}

/* MCAST_JOIN_GROUP and friends: {gr_interface=..., gr_group={...}} */
static void print_group_req(struct tcb *t, unsigned long addr, int len)
{
    unsigned char g[MCAST_SIZE_ + 1];
    unsigned ifindex;

    if (len != MCAST_SIZE_) {
        printaddr(t, addr);
        return;
    }
    memset(g, 0, sizeof(g));
    if (!umoven_or_printaddr(t, addr, g, MCAST_SIZE_))
        return;
    memcpy(&ifindex, g, sizeof(ifindex));
    tprints(t, "{gr_interface=");
    print_ifindex(t, ifindex);
    tprints(t, ", gr_group=");
    print_sockaddr_buf(t, g + 8, MCAST_SIZE_ - 8);
    tprints(t, "}");
}

/* PACKET_ADD_MEMBERSHIP: {mr_ifindex=..., mr_type=..., mr_alen=6, mr_address=01:02:...} */
static void print_packet_mreq(struct tcb *t, unsigned long addr, int len)
{
    struct { int ifindex; uint16_t type, alen; unsigned char address[8]; } m;

    if (len != (int)sizeof(m) || !umove(t, addr, &m)) {
        printaddr(t, addr);
        return;
    }
    tprints(t, "{mr_ifindex=");
    print_ifindex(t, (unsigned)m.ifindex);
    tprints(t, ", mr_type=");
    printxval(t, xlat_packet_mreq_types, m.type, "PACKET_MR_???");
    tprintf(t, ", mr_alen=%u, mr_address=", m.alen);
    print_mac(t, m.address, m.alen < sizeof(m.address) ? m.alen : sizeof(m.address));
    tprints(t, "}");
}

static void print_tpacket_req(struct tcb *t, unsigned long addr, int len)
{
    uint32_t r[4];

    if (len != (int)sizeof(r) || !umove(t, addr, &r)) {
        printaddr(t, addr);
        return;
    }
    print_fields(t, addr, tpacket_req_fields, 4, sizeof(r));
}

static void print_setsockopt(struct tcb *t, unsigned level, unsigned name, unsigned long addr,
                             int len)
{
    if (!addr) {
        print_value_default(t, addr, len);
        return;
    }
    switch (level) {
    case SOL_SOCKET:
        if (name == SO_LINGER && len < 8)
            printaddr(t, addr);
        else if (name == SO_LINGER)
            print_fields(t, addr, linger_fields, 2, 8);
        else if (name == SO_ATTACH_FILTER || name == SO_ATTACH_REUSEPORT_CBPF)
            printaddr(t, addr);              /* strace's BPF decoder: not here */
        else if (name == SO_TXREHASH)
            print_txrehash(t, addr, (unsigned)len);
        else if (is_int_option(name) && len < (int)sizeof(int))
            printaddr(t, addr);
        else if (is_int_option(name))
            print_int_ref(t, addr);
        else
            print_value_default(t, addr, len);
        return;
    case SOL_IP_:
        if (name == IP_ADD_MEMBERSHIP || name == IP_DROP_MEMBERSHIP)
            print_mreq(t, addr, len);
        else if (name == MCAST_JOIN_GROUP || name == MCAST_LEAVE_GROUP)
            print_group_req(t, addr, len);
        else
            print_value_default(t, addr, len);
        return;
    case SOL_IPV6_:
        if (name == IPV6_ADD_MEMBERSHIP || name == IPV6_DROP_MEMBERSHIP ||
            name == IPV6_JOIN_ANYCAST || name == IPV6_LEAVE_ANYCAST)
            print_mreq6(t, addr, len);
        else if (name == MCAST_JOIN_GROUP || name == MCAST_LEAVE_GROUP)
            print_group_req(t, addr, len);
        else
            print_value_default(t, addr, len);
        return;
    case SOL_PACKET_:
        if (name == PACKET_RX_RING || name == PACKET_TX_RING)
            print_tpacket_req(t, addr, len);
        else if (name == PACKET_ADD_MEMBERSHIP || name == PACKET_DROP_MEMBERSHIP)
            print_packet_mreq(t, addr, len);
        else
            print_value_default(t, addr, len);
        return;
    case SOL_RAW_:
        if (name == ICMP_FILTER)
            print_icmp_filter(t, addr, len);
        else
            print_value_default(t, addr, len);
        return;
    case SOL_NETLINK_:
        if (len < (int)sizeof(int))
            printaddr(t, addr);
        else
            print_int_ref(t, addr);
        return;
    }
    print_value_default(t, addr, len);
}

SYS_FUNC(setsockopt)
{
    int len = (int)t->arg[4];

    print_fd_level_name(t, 0);
    print_setsockopt(t, (unsigned)t->arg[1], (unsigned)t->arg[2], (unsigned long)t->arg[3], len);
    tprintf(t, ", %d", len);
    return RVAL_DECODED;
}
