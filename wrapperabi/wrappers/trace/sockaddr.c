/* sockaddr.c — socket addresses as strace prints them (strace's
 * sockaddr.c): {sa_family=AF_INET, sin_port=htons(80), sin_addr=...}.
 * A family prints its fields when the length holds its structure (each
 * family's minimum, as strace's table), else its bytes as sa_data.  With
 * -X raw and -X verbose the network-order fields show their bytes. */
#include <linux/sockios.h>
#include "trace.h"
#include "xlat/address_families.h"
#include "xlat/arp_hardware_types.h"
#include "xlat/ethernet_protocols.h"
#include "xlat/packet_types.h"

enum { AF_UNIX_ = 1, AF_INET_ = 2, AF_INET6_ = 10, AF_NETLINK_ = 16, AF_PACKET_ = 17 };
#define SA_STORAGE 128            /* sizeof(struct sockaddr_storage): what strace reads */
#define SUN_LEN_ 110              /* sizeof(struct sockaddr_un) */
#define SIN_LEN_ 16               /* sizeof(struct sockaddr_in) */
#define SIN6_MIN_ 24              /* sockaddr_in6 up to sin6_scope_id */
#define SNL_LEN_ 12               /* sizeof(struct sockaddr_nl) */
#define SLL_LEN_ 20               /* sizeof(struct sockaddr_ll) */
#define SLL_ADDR_AT 12            /* offsetof(struct sockaddr_ll, sll_addr) */
/* the socket the interface names are asked on (glibc's sys/socket.h
 * values: that header is not freestanding) */
#define AF_UNIX_SOCKET_ 1
#define SOCK_DGRAM_ 2
#define SOCK_CLOEXEC_ 02000000

static unsigned xlat_style(struct tcb *t)
{
    return t->o->style & RS_XLAT_MASK;
}

static void put_hex_string(struct tcb *t, const void *p, size_t n)
{
    unsigned style = t->o->style;

    t->o->style |= RS_QUOTE_HEX;
    rs_put_quoted(t->o, p, n);
    t->o->style = style;
}

/* A field in network order: its bytes under -X raw and -X verbose, then
 * (returns 1) its decoded form, in a comment under -X verbose. */
static int decoded_form_follows(struct tcb *t, const void *p, size_t n)
{
    unsigned x = xlat_style(t);

    if (x != RS_XLAT_ABBREV)
        put_hex_string(t, p, n);
    if (x == RS_XLAT_RAW)
        return 0;
    if (x == RS_XLAT_VERBOSE)
        tprints(t, " /* ");
    return 1;
}

static void decoded_form_ends(struct tcb *t)
{
    if (xlat_style(t) == RS_XLAT_VERBOSE)
        tprints(t, " */");
}

static unsigned be16(const unsigned char *p)
{
    return (unsigned)p[0] << 8 | p[1];
}

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* a field in the program's (host) order */
static uint32_t host32(const unsigned char *p)
{
    uint32_t v;

    memcpy(&v, p, sizeof(v));
    return v;
}

static unsigned host16(const unsigned char *p)
{
    uint16_t v;

    memcpy(&v, p, sizeof(v));
    return v;
}

/* ---- interfaces by index: "if_nametoindex("lo")", as strace shows them */

/* The name of interface idx (SIOCGIFNAME on a socket of our own, as
 * glibc's if_indextoname), or 0. */
static int interface_name(unsigned idx, char name[17])
{
    struct { char name[16]; int index; char pad[20]; } ifr;
    long fd = rs_syscall(SYS_socket, AF_UNIX_SOCKET_, SOCK_DGRAM_ | SOCK_CLOEXEC_, 0);

    if (fd < 0)
        return 0;
    memset(&ifr, 0, sizeof(ifr));
    ifr.index = (int)idx;
    long r = rs_syscall(SYS_ioctl, fd, SIOCGIFNAME, &ifr);
    rs_syscall(SYS_close, fd);
    if (r < 0)
        return 0;
    memcpy(name, ifr.name, 16);
    name[16] = 0;
    return 1;
}

void print_ifindex(struct tcb *t, unsigned idx)
{
    char name[17];
    int known = interface_name(idx, name);
    unsigned x = xlat_style(t);

    if (!known || x != RS_XLAT_ABBREV)
        tprintf(t, "%u", idx);
    if (!known || x == RS_XLAT_RAW)
        return;
    tprints(t, x == RS_XLAT_VERBOSE ? " /* if_nametoindex(" : "if_nametoindex(");
    rs_put_quoted(t->o, name, rs_strlen(name));
    tprints(t, x == RS_XLAT_VERBOSE ? ") */" : ")");
}

/* ---- internet addresses, written as inet_ntop writes them */
void put_inet4(struct rs_buf *o, const unsigned char *a)
{
    rs_putf(o, "%u.%u.%u.%u", a[0], a[1], a[2], a[3]);
}

/* RFC 4291 text as glibc's inet_ntop: the first longest run of two or
 * more zero words as "::", and the last 32 bits dotted after ::ffff: or
 * after 96 zero bits (but not for ::1 and ::). */
void put_inet6(struct rs_buf *o, const unsigned char *a)
{
    unsigned w[8];
    int best = -1, bestlen = 0;

    for (int i = 0; i < 8; i++)
        w[i] = be16(a + 2 * i);
    for (int i = 0; i < 8;) {
        int j = i;
        while (j < 8 && !w[j])
            j++;
        if (j - i > bestlen) {
            best = i;
            bestlen = j - i;
        }
        i = j > i ? j : i + 1;
    }
    if (bestlen < 2)
        best = -1;
    for (int i = 0; i < 8; i++) {
        if (best >= 0 && i >= best && i < best + bestlen) {
            if (i == best)
                rs_putc(o, ':');
            continue;
        }
        if (i)
            rs_putc(o, ':');
        if (i == 6 && best == 0 && (bestlen == 6 || (bestlen == 5 && w[5] == 0xffff))) {
            put_inet4(o, a + 12);
            return;
        }
        rs_putf(o, "%x", w[i]);
    }
    if (best >= 0 && best + bestlen == 8)
        rs_putc(o, ':');
}

/* NAME=inet_addr("1.2.3.4") */
void print_inet4_field(struct tcb *t, const char *name, const unsigned char *a)
{
    char text[16];
    struct rs_buf b;

    tprintf(t, "%s=", name);
    if (!decoded_form_follows(t, a, 4))
        return;
    rs_buf_init(&b, text, sizeof(text), 0);
    put_inet4(&b, a);
    tprints(t, "inet_addr(");
    rs_put_quoted(t->o, b.b, b.n);
    tprints(t, ")");
    decoded_form_ends(t);
}

/* inet_pton(AF_INET6, "::1", &NAME); NAME="\x00..." under -X raw */
void print_inet6_field(struct tcb *t, const char *name, const unsigned char *a)
{
    char text[48];
    struct rs_buf b;
    unsigned x = xlat_style(t);

    if (x != RS_XLAT_ABBREV)
        tprintf(t, "%s=", name);
    if (!decoded_form_follows(t, a, 16))
        return;
    rs_buf_init(&b, text, sizeof(text), 0);
    put_inet6(&b, a);
    tprints(t, "inet_pton(AF_INET6, ");
    rs_put_quoted(t->o, b.b, b.n);
    if (x == RS_XLAT_ABBREV)
        tprintf(t, ", &%s", name);
    tprints(t, ")");
    decoded_form_ends(t);
}

/* NAME=htons(80) */
static void print_port(struct tcb *t, const char *name, const unsigned char *p)
{
    tprintf(t, "%s=", name);
    if (decoded_form_follows(t, p, 2)) {
        tprintf(t, "htons(%u)", be16(p));
        decoded_form_ends(t);
    }
}

/* 01:02:03:04:05:06 (its bytes under -X raw) */
void print_mac(struct tcb *t, const unsigned char *a, size_t n)
{
    if (!decoded_form_follows(t, a, n))
        return;
    for (size_t i = 0; i < n; i++)
        tprintf(t, i ? ":%02x" : "%02x", a[i]);
    decoded_form_ends(t);
}

/* ---- the families */
static void print_sa_data(struct tcb *t, const unsigned char *sa, int len)
{
    tprints(t, "sa_data=");
    rs_put_quoted(t->o, sa + 2, (size_t)len - 2);
}

/* A path up to its NUL, an abstract name (a NUL first) as @"..." with
 * every byte of the length. */
static void print_sun(struct tcb *t, const unsigned char *sa, int len)
{
    int path_len = (len > SUN_LEN_ ? SUN_LEN_ : len) - 2;
    const unsigned char *path = sa + 2;

    tprints(t, "sun_path=");
    if (path[0]) {
        int n = 0;
        while (n < path_len && path[n])
            n++;
        rs_put_quoted(t->o, path, (size_t)n);
    } else {
        tprints(t, "@");
        rs_put_quoted(t->o, path + 1, (size_t)path_len - 1);
    }
}

static void print_sin(struct tcb *t, const unsigned char *sa, int len)
{
    (void)len;
    print_port(t, "sin_port", sa + 2);
    tprints(t, ", ");
    print_inet4_field(t, "sin_addr", sa + 4);
}

static int is_link_local6(const unsigned char *a)
{
    return (a[0] == 0xfe && (a[1] & 0xc0) == 0x80) ||     /* fe80::/10 */
           (a[0] == 0xff && (a[1] & 0x0f) == 0x02);        /* link-local multicast */
}

static void print_sin6(struct tcb *t, const unsigned char *sa, int len)
{
    print_port(t, "sin6_port", sa + 2);
    tprints(t, ", sin6_flowinfo=");
    if (decoded_form_follows(t, sa + 4, 4)) {
        tprintf(t, "htonl(%u)", (unsigned)be32(sa + 4));
        decoded_form_ends(t);
    }
    tprints(t, ", ");
    print_inet6_field(t, "sin6_addr", sa + 8);
    if (len <= SIN6_MIN_)
        return;
    tprints(t, ", sin6_scope_id=");
    if (is_link_local6(sa + 8))
        print_ifindex(t, host32(sa + 24));
    else
        tprintf(t, "%u", (unsigned)host32(sa + 24));
}

static void print_snl(struct tcb *t, const unsigned char *sa, int len)
{
    unsigned pad = host16(sa + 2);

    (void)len;
    if (pad)
        tprintf(t, "nl_pad=%#x, ", pad);
    tprintf(t, "nl_pid=%d, nl_groups=%#08x", (int)host32(sa + 4), (unsigned)host32(sa + 8));
}

/* The protocol names print in strace's abbreviated style even under -X
 * verbose (inside the comment). */
static void print_ethernet_protocol_abbrev(struct tcb *t, unsigned proto)
{
    unsigned style = t->o->style;

    t->o->style &= ~RS_XLAT_MASK;
    printxval(t, xlat_ethernet_protocols, proto, "ETH_P_???");
    t->o->style = style;
}

static void print_sll(struct tcb *t, const unsigned char *sa, int len)
{
    unsigned halen = sa[11], room = (unsigned)len - SLL_ADDR_AT;

    tprints(t, "sll_protocol=");
    if (decoded_form_follows(t, sa + 2, 2)) {
        tprints(t, "htons(");
        print_ethernet_protocol_abbrev(t, be16(sa + 2));
        tprints(t, ")");
        decoded_form_ends(t);
    }
    tprints(t, ", sll_ifindex=");
    print_ifindex(t, host32(sa + 4));
    tprints(t, ", sll_hatype=");
    printxval(t, xlat_arp_hardware_types, host16(sa + 8), "ARPHRD_???");
    tprints(t, ", sll_pkttype=");
    printxval(t, xlat_packet_types, sa[10], "PACKET_???");
    tprintf(t, ", sll_halen=%u", halen);
    if (!halen)
        return;
    tprints(t, ", sll_addr=[");
    for (unsigned i = 0; i < halen; i++) {
        if (i)
            tprints(t, ", ");
        if (i >= room) {
            tprints(t, "...");
            break;
        }
        tprintf(t, "%#02x", sa[SLL_ADDR_AT + i]);
    }
    tprints(t, "]");
}

struct family_printer {
    unsigned family;
    int min_len;
    void (*print)(struct tcb *t, const unsigned char *sa, int len);
};

static const struct family_printer printers[] = {
    {AF_UNIX_, 3, print_sun},
    {AF_INET_, SIN_LEN_, print_sin},
    {AF_INET6_, SIN6_MIN_, print_sin6},
    {AF_NETLINK_, SNL_LEN_, print_snl},
    {AF_PACKET_, SLL_LEN_, print_sll},
};

/* An address already read: sa holds len (at most 128) bytes and zeros
 * after them, up to 129. */
void print_sockaddr_buf(struct tcb *t, const unsigned char *sa, int len)
{
    unsigned fam = host16(sa);

    tprints(t, "{sa_family=");
    printxval(t, xlat_address_families, fam, "AF_???");
    if (len > 2) {
        const struct family_printer *p = NULL;
        tprints(t, ", ");
        for (size_t i = 0; i < sizeof(printers) / sizeof(printers[0]); i++)
            if (printers[i].family == fam && len >= printers[i].min_len)
                p = &printers[i];
        if (p)
            p->print(t, sa, len);
        else
            print_sa_data(t, sa, len);
    }
    tprints(t, "}");
}

int decode_sockaddr(struct tcb *t, unsigned long addr, int len)
{
    unsigned char sa[SA_STORAGE + 1];

    if (len < 2) {
        printaddr(t, addr);
        return -1;
    }
    if (len > SA_STORAGE)
        len = SA_STORAGE;
    memset(sa, 0, sizeof(sa));
    if (!umoven_or_printaddr(t, addr, sa, (size_t)len))
        return -1;
    print_sockaddr_buf(t, sa, len);
    return (int)host16(sa);
}

void print_sockaddr(struct tcb *t, unsigned long addr, unsigned long len)
{
    decode_sockaddr(t, addr, (int)len);
}
