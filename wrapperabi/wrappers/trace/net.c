/* net.c — the socket calls (strace's net.c): socket and socketpair with
 * their protocols by family, the calls that fill an address and its
 * length ("[112 => 16]" when the kernel changed what the program passed),
 * sendto/recvfrom, shutdown.  Addresses are sockaddr.c's; sendmsg and
 * recvmsg are msghdr.c's, the options sockopt.c's. */
#include "trace.h"
#include "xlat/address_families.h"
#include "xlat/ax25_protocols.h"
#include "xlat/bt_protocols.h"
#include "xlat/caif_protocols.h"
#include "xlat/can_protocols.h"
#include "xlat/ethernet_protocols.h"
#include "xlat/inet_protocols.h"
#include "xlat/isdn_protocols.h"
#include "xlat/kcm_protocols.h"
#include "xlat/msg_flags.h"
#include "xlat/netlink_protocols.h"
#include "xlat/nfc_protocols.h"
#include "xlat/phonet_protocols.h"
#include "xlat/smc_protocols.h"
#include "xlat/shutdown_modes.h"
#include "xlat/sock_type_flags.h"
#include "xlat/socket_types.h"

enum { AF_INET_ = 2, AF_AX25_ = 3, AF_INET6_ = 10, AF_NETLINK_ = 16, AF_PACKET_ = 17,
       AF_IRDA_ = 23, AF_CAN_ = 29, AF_BLUETOOTH_ = 31, AF_RXRPC_ = 33, AF_ISDN_ = 34,
       AF_PHONET_ = 35, AF_CAIF_ = 37, AF_NFC_ = 39, AF_KCM_ = 41, AF_SMC_ = 43 };
#define SOCK_TYPE_MASK_ 0xfUL

/* ---- what a decoder keeps from entry to exit (t->priv, see trace.h) */
struct net_saved *net_saved(struct tcb *t)
{
    _Static_assert(sizeof(struct net_saved) <= sizeof(((struct tcb *)0)->priv), "priv too small");
    return (struct net_saved *)(void *)t->priv;
}

/* ---- socket, socketpair */

/* SOCK_STREAM|SOCK_CLOEXEC: the type by name, then its flags; an
 * unknown type as flags (strace's tprint_sock_type). */
static void print_socket_type(struct tcb *t, unsigned long type)
{
    unsigned v = (unsigned)type;
    const char *name = rs_xlat_name(xlat_socket_types, v & SOCK_TYPE_MASK_);

    if (name) {
        printxval(t, xlat_socket_types, v & SOCK_TYPE_MASK_, "SOCK_???");   /* hex under -X raw */
        v &= ~(unsigned)SOCK_TYPE_MASK_;
        if (!v)
            return;
        tprints(t, "|");
    }
    printflags(t, xlat_sock_type_flags, v, "SOCK_???");
}

static unsigned ntohs_(unsigned long v)
{
    return (unsigned)((v & 0xff) << 8 | (v >> 8 & 0xff));
}

/* A value in strace's -X verbose style whatever the style. */
static void print_xval_verbose(struct tcb *t, const struct rs_xlat *x, unsigned long v,
                               const char *unknown)
{
    unsigned style = t->o->style;

    t->o->style = (style & ~RS_XLAT_MASK) | RS_XLAT_VERBOSE;
    printxval(t, x, v, unknown);
    t->o->style = style;
}

/* The protocol, named in the family's own set. */
static void print_protocol(struct tcb *t, unsigned long family, unsigned long proto)
{
    switch (family) {
    case AF_INET_: case AF_INET6_:
        printxval(t, xlat_inet_protocols, proto, "IPPROTO_???");
        break;
    case AF_AX25_:                 /* as a number, the name in a comment, always */
        print_xval_verbose(t, xlat_ax25_protocols, proto, "AX25_P_???");
        break;
    case AF_NETLINK_:
        printxval(t, xlat_netlink_protocols, proto, "NETLINK_???");
        break;
    case AF_PACKET_:
        tprints(t, "htons(");
        printxval(t, xlat_ethernet_protocols, ntohs_(proto), "ETH_P_???");
        tprints(t, ")");
        break;
    case AF_IRDA_:                 /* strace looks IrDA's up in CAN's names too */
        printxval(t, xlat_can_protocols, proto, "IRDAPROTO_???");
        break;
    case AF_CAN_:
        printxval(t, xlat_can_protocols, proto, "CAN_???");
        break;
    case AF_BLUETOOTH_:
        printxval(t, xlat_bt_protocols, proto, "BTPROTO_???");
        break;
    case AF_RXRPC_:
        printxval(t, xlat_address_families, proto, "AF_???");
        break;
    case AF_ISDN_:
        printxval(t, xlat_isdn_protocols, proto, "ISDN_P_???");
        break;
    case AF_PHONET_:
        printxval(t, xlat_phonet_protocols, proto, "PN_PROTO_???");
        break;
    case AF_CAIF_:
        printxval(t, xlat_caif_protocols, proto, "CAIFPROTO_???");
        break;
    case AF_NFC_:
        printxval(t, xlat_nfc_protocols, proto, "NFC_SOCKPROTO_???");
        break;
    case AF_KCM_:
        printxval(t, xlat_kcm_protocols, proto, "KCMPROTO_???");
        break;
    case AF_SMC_:
        printxval(t, xlat_smc_protocols, proto, "SMCPROTO_???");
        break;
    default:
        tprintf(t, "%lu", proto);
    }
}

static void print_domain_type(struct tcb *t)
{
    printxval(t, xlat_address_families, (unsigned long)t->arg[0], "AF_???");
    tprints(t, ", ");
    print_socket_type(t, (unsigned long)t->arg[1]);
    tprints(t, ", ");
}

SYS_FUNC(socket)
{
    print_domain_type(t);
    print_protocol(t, (unsigned long)t->arg[0], (unsigned long)t->arg[2]);
    return RVAL_DECODED | RVAL_FD;
}

/* [3, 4]: two descriptors the kernel wrote, or their address. */
static void print_fd_pair(struct tcb *t, unsigned long addr)
{
    int fds[2];

    if (syserror(t) || !umoven(t, addr, fds, sizeof(fds))) {
        printaddr(t, addr);
        return;
    }
    tprints(t, "[");
    printfd(t, fds[0]);
    tprints(t, ", ");
    printfd(t, fds[1]);
    tprints(t, "]");
}

SYS_FUNC(socketpair)
{
    if (entering(t)) {
        print_domain_type(t);
        tprintf(t, "%lu, ", (unsigned long)t->arg[2]);
        return 0;
    }
    print_fd_pair(t, (unsigned long)t->arg[3]);
    return 0;
}

/* ---- an address and its length the kernel fills */

/* Entry: the length the program offers, when the address and the
 * length can be read (strace's fetch_socklen). */
static int fetch_socklen(struct tcb *t, unsigned long addr, unsigned long lenp, int *len)
{
    return addr && lenp && umoven(t, lenp, len, sizeof(*len));
}

/* [16], or [112 => 16] when the kernel changed it. */
void print_len_changed(struct tcb *t, int before, int after)
{
    tprints(t, "[");
    if (before != after)
        tprintf(t, "%d => ", before);
    tprintf(t, "%d]", after);
}

/* Exit: the address as long as both lengths allow, then the lengths;
 * only the address and what was offered when the call failed. */
static void print_filled_sockaddr(struct tcb *t, unsigned long addr, unsigned long lenp)
{
    int ulen = net_saved(t)->len, rlen;

    if (syserror(t) || !umoven(t, lenp, &rlen, sizeof(rlen))) {
        printaddr(t, addr);
        tprintf(t, ", [%d]", ulen);
        return;
    }
    decode_sockaddr(t, addr, ulen > rlen ? rlen : ulen);
    tprints(t, ", ");
    print_len_changed(t, ulen, rlen);
}

/* accept, accept4, getsockname, getpeername (strace's decode_sockname):
 * returns 1 when the call is fully printed on entry. */
static int decode_sockname(struct tcb *t)
{
    unsigned long addr = (unsigned long)t->arg[1], lenp = (unsigned long)t->arg[2];

    if (entering(t)) {
        printfd(t, t->arg[0]);
        tprints(t, ", ");
        if (fetch_socklen(t, addr, lenp, &net_saved(t)->len))
            return 0;
        printaddr(t, addr);
        tprints(t, ", ");
        printaddr(t, lenp);
        return 1;
    }
    print_filled_sockaddr(t, addr, lenp);
    return 0;
}

SYS_FUNC(accept)
{
    return (decode_sockname(t) ? RVAL_DECODED : 0) | RVAL_FD;
}

SYS_FUNC(accept4)
{
    int whole = decode_sockname(t);

    if (whole || exiting(t)) {
        tprints(t, ", ");
        printflags(t, xlat_sock_type_flags, (unsigned long)t->arg[3], "SOCK_???");
    }
    return (whole ? RVAL_DECODED : 0) | RVAL_FD;
}

SYS_FUNC(getsockname)
{
    return decode_sockname(t) ? RVAL_DECODED : 0;
}

SYS_FUNC(getpeername)
{
    return decode_sockname(t) ? RVAL_DECODED : 0;
}

/* ---- data with an address */
void print_msg_flags(struct tcb *t, unsigned long flags)
{
    printflags(t, xlat_msg_flags, flags, "MSG_???");
}

SYS_FUNC(sendto)
{
    int len = (int)t->arg[5];

    printfd(t, t->arg[0]);
    tprints(t, ", ");
    printstrn(t, (unsigned long)t->arg[1], (unsigned long)t->arg[2]);
    tprintf(t, ", %lu, ", (unsigned long)t->arg[2]);
    print_msg_flags(t, (unsigned long)t->arg[3]);
    tprints(t, ", ");
    decode_sockaddr(t, (unsigned long)t->arg[4], len);
    tprintf(t, ", %d", len);
    return RVAL_DECODED;
}

/* recvfrom: the data and the sender's address on exit. */
SYS_FUNC(recvfrom)
{
    unsigned long buf = (unsigned long)t->arg[1], size = (unsigned long)t->arg[2];
    unsigned long addr = (unsigned long)t->arg[4], lenp = (unsigned long)t->arg[5];
    int rlen;

    if (entering(t)) {
        printfd(t, t->arg[0]);
        tprints(t, ", ");
        if (!fetch_socklen(t, addr, lenp, &net_saved(t)->len))
            net_saved(t)->len = 0;
        return 0;
    }
    if (syserror(t))
        printaddr(t, buf);
    else
        printstrn(t, buf, (unsigned long)t->ret < size ? (unsigned long)t->ret : size);
    tprintf(t, ", %lu, ", size);
    print_msg_flags(t, (unsigned long)t->arg[3]);
    tprints(t, ", ");
    if (!fetch_socklen(t, addr, lenp, &rlen)) {
        printaddr(t, addr);
        tprints(t, ", ");
        printaddr(t, lenp);
        return 0;
    }
    print_filled_sockaddr(t, addr, lenp);
    return 0;
}

SYS_FUNC(shutdown)
{
    printfd(t, t->arg[0]);
    tprints(t, ", ");
    printxval(t, xlat_shutdown_modes, (unsigned long)t->arg[1], "SHUT_???");
    return RVAL_DECODED;
}
