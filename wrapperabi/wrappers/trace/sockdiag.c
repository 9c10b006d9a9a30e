/* sockdiag.c — a socket descriptor as strace 6.1's -yy shows it
 * (strace's socketutils.c): its protocol and endpoints, asked of the
 * kernel over NETLINK_SOCK_DIAG —
 *   UNIX-STREAM:[INODE->PEER,"PATH"]   UNIX:[INODE,@"ABSTRACT"]
 *   TCP:[127.0.0.1:42000->127.0.0.1:8080]   TCPv6:[[::1]:8080]
 *   NETLINK:[ROUTE:PORTID]
 * else NAME:[INODE] for a protocol strace knows when the kernel's tables
 * do not hold the socket (not bound, not connected; a unix socket with
 * neither a name nor a peer), else the link itself, socket:[INODE].
 *
 * The protocol is the kernel's name for it (the system.sockprotoname
 * attribute of the program's /proc/PID/fd/N: rs_proc_path); it chooses the query (xlat/sock_protos.in,
 * in strace's order; a name strace does not know is looked for under each
 * in turn).  A unix socket is asked for by inode; inet and netlink
 * sockets are found in a dump of their family and protocol.
 *
 * What is found is kept by inode, as strace keeps it (a direct-mapped
 * cache of 1024): a socket seen connected still shows its peer after the
 * peer closed, a UDP socket seen bound shows no peer after its connect.
 * strace has one cache for every process it traces; here each process
 * has its own (a child starts with its parent's).  The cache is lock-free
 * (a sequence count per slot): another thread, or a signal handler of the
 * program on this one, may print a socket at any time.
 *
 * The NETLINK_SOCK_DIAG socket is trace's own, in the network namespace
 * of the process trace runs in (in process the program's; from a
 * supervisor the supervisor's, as strace's is strace's: a program in
 * another namespace shows its sockets' inodes only).  Each lookup opens
 * one (close-on-exec) and closes it, as strace does, rather than keeping one with
 * rs_keep_fd: a kept socket would be shared by every thread (and, after
 * fork, by the child: its answers would go to whichever process reads
 * first), so it would need a lock held across the queries, which a signal
 * handler of the program nested in a query would wait on forever; and a
 * dump abandoned once the socket is found would still be running on it
 * (the next dump on a socket with one in progress fails).  The price: the
 * socket takes the program's lowest free descriptor for the few system
 * calls of a lookup (a thread of the program opening a file at that very
 * moment gets the next number), and a program at its descriptor limit
 * sees socket:[INODE] (NAME:[INODE]) as if the kernel had not answered.
 *
 * The receive buffer is the caller's (the link's, 4 KiB: line.c), so the
 * frame stays small — the handler may run on a goroutine's signal stack.
 * A dump's messages fit: the kernel fills a dump's buffers up to the size
 * the reader last asked for, the first one up to a page less its
 * overhead. */
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/netlink_diag.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>
#include <fcntl.h>
#include "trace.h"
#include "xlat/address_families.h"
#include "xlat/msg_flags.h"
#include "xlat/netlink_protocols.h"
#include "xlat/sock_protos.h"
#include "xlat/socket_types.h"

#define UNIX_PATH_MAX_ 108        /* sizeof(sockaddr_un.sun_path) */

/* ---- what a socket is, as found (and kept) */
enum sock_kind { SK_UNIX = 1, SK_INET, SK_NETLINK };
struct sock_info {
    uint64_t inode;
    unsigned char kind;
    unsigned char proto;          /* its entry of xlat_sock_protos: the name printed */
    union {
        struct {
            uint32_t peer;        /* the peer's inode, 0: none */
            unsigned char len;    /* the name's bytes (UNIX_DIAG_NAME), 0: unnamed */
            char path[UNIX_PATH_MAX_];
        } un;
        struct {
            unsigned char v6;
            uint16_t sport, dport;
            unsigned char src[16], dst[16];
        } in;
        struct {
            uint32_t protocol, portid;
        } nl;
    } u;
};

/* A named constant from the tables the headers made (no number typed
 * here twice). */
static unsigned long named(const struct rs_xlat *x, const char *name)
{
    for (; x->name; x++)
        if (!rs_strcmp(x->name, name))
            return (unsigned long)x->v;
    return ~0UL;
}

static unsigned proto_family(unsigned i)
{
    return (unsigned)(xlat_sock_protos[i].v >> 8);
}

/* ---- the cache: strace's, 1024 slots by the inode's low bits */
#define CACHE_SIZE 1024
static struct slot {
    uint32_t seq;                 /* odd while being written */
    struct sock_info si;
} cache[CACHE_SIZE];

static int cache_get(uint64_t inode, struct sock_info *si)
{
    struct slot *s = &cache[inode & (CACHE_SIZE - 1)];
    uint32_t seq = __atomic_load_n(&s->seq, __ATOMIC_ACQUIRE);

    if (!seq || (seq & 1))
        return 0;
    memcpy(si, &s->si, sizeof(*si));
    __atomic_thread_fence(__ATOMIC_ACQUIRE);
    return __atomic_load_n(&s->seq, __ATOMIC_RELAXED) == seq && si->inode == inode;
}

/* A slot another writer holds stays its (this answer is not kept). */
static void cache_put(const struct sock_info *si)
{
    struct slot *s = &cache[si->inode & (CACHE_SIZE - 1)];
    uint32_t seq = __atomic_load_n(&s->seq, __ATOMIC_RELAXED);

    if ((seq & 1) ||
        !__atomic_compare_exchange_n(&s->seq, &seq, seq + 1, 0, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
        return;
    __atomic_thread_fence(__ATOMIC_RELEASE);
    memcpy(&s->si, si, sizeof(*si));
    __atomic_store_n(&s->seq, seq + 2, __ATOMIC_RELEASE);
}

/* ---- the netlink exchange */

/* One netlink message at off of the n bytes received (strace's
 * is_nlmsg_ok), its header copied to h. */
static int msg_at(const char *buf, size_t n, size_t off, struct nlmsghdr *h)
{
    if (off > n || n - off < sizeof(*h))
        return 0;
    memcpy(h, buf + off, sizeof(*h));
    return h->nlmsg_len >= sizeof(*h) && h->nlmsg_len <= n - off;
}

/* A parser: >0 the socket was found (si filled), 0 another socket's
 * message, <0 an answer that ends the search.  len is the message's
 * length with its header (strace's parsers get that). */
typedef int (*parse_fn)(const unsigned char *data, size_t len, struct sock_info *si);

static int send_query(int nl, const void *req, size_t len)
{
    struct sockaddr_nl sa = {.nl_family = (unsigned short)named(xlat_address_families, "AF_NETLINK")};
    long r;

    do
        r = rs_syscall(SYS_sendto, nl, req, len, 0, &sa, sizeof(sa));
    while (r == -EINTR);
    return r >= 0;
}

/* The answers to the query sent, until the socket is found or they end
 * (NLMSG_DONE, NLMSG_ERROR: another type). */
static int receive(int nl, char *buf, size_t size, parse_fn parse, struct sock_info *si)
{
    unsigned long trunc = named(xlat_msg_flags, "MSG_TRUNC");
    unsigned long flags = 0;
    struct nlmsghdr h;

    for (;;) {
        long n = rs_syscall(SYS_recvfrom, nl, buf, size, flags | trunc, 0, 0);
        if (n == -EINTR)
            continue;
        if (n < 0 || !msg_at(buf, (size_t)n > size ? size : (size_t)n, 0, &h))
            return 0;
        if ((size_t)n > size)     /* cut (not expected, see above): the messages that fit */
            n = (long)size;
        for (size_t off = 0; msg_at(buf, (size_t)n, off, &h); off += NLMSG_ALIGN(h.nlmsg_len)) {
            if (h.nlmsg_type != SOCK_DIAG_BY_FAMILY)
                return 0;
            int rc = parse((const unsigned char *)buf + off + NLMSG_HDRLEN, h.nlmsg_len, si);
            if (rc)
                return rc > 0;
        }
        flags = named(xlat_msg_flags, "MSG_DONTWAIT");
    }
}

/* ---- unix sockets: asked for by inode */
static int parse_unix(const unsigned char *d, size_t len, struct sock_info *si)
{
    struct unix_diag_msg m;
    struct nlattr a;

    if (len < NLMSG_LENGTH(sizeof(m)))
        return -1;
    memcpy(&m, d, sizeof(m));
    if (m.udiag_ino != si->inode)
        return 0;
    if (m.udiag_family != named(xlat_address_families, "AF_UNIX"))
        return -1;
    si->u.un.peer = 0;
    si->u.un.len = 0;
    len -= NLMSG_LENGTH(sizeof(m));
    d += sizeof(m);
    while (len >= sizeof(a)) {         /* the attributes (strace's RTA_OK, RTA_NEXT) */
        memcpy(&a, d, sizeof(a));
        if (a.nla_len < sizeof(a) || a.nla_len > len)
            break;
        size_t payload = a.nla_len - NLA_HDRLEN, step = NLA_ALIGN(a.nla_len);
        if (a.nla_type == UNIX_DIAG_NAME && !si->u.un.len) {
            si->u.un.len = (unsigned char)(payload > UNIX_PATH_MAX_ ? UNIX_PATH_MAX_ : payload);
            memcpy(si->u.un.path, d + NLA_HDRLEN, si->u.un.len);
        } else if (a.nla_type == UNIX_DIAG_PEER && payload >= 4) {
            memcpy(&si->u.un.peer, d + NLA_HDRLEN, 4);
        }
        if (step >= len)
            break;
        d += step;
        len -= step;
    }
    if (!si->u.un.peer && !si->u.un.len)
        return -1;
    si->kind = SK_UNIX;
    return 1;
}

static int ask_unix(int nl, unsigned family, char *buf, size_t size, struct sock_info *si)
{
    struct {
        struct nlmsghdr h;
        struct unix_diag_req r;
    } q = {
        .h = {.nlmsg_len = sizeof(q), .nlmsg_type = SOCK_DIAG_BY_FAMILY, .nlmsg_flags = NLM_F_REQUEST},
        .r = {.sdiag_family = (unsigned char)family, .udiag_states = ~0U,
              .udiag_ino = (uint32_t)si->inode, .udiag_show = UDIAG_SHOW_NAME | UDIAG_SHOW_PEER,
              .udiag_cookie = {~0U, ~0U}},
    };

    return send_query(nl, &q, sizeof(q)) && receive(nl, buf, size, parse_unix, si);
}

/* ---- inet sockets: a dump of the family's sockets of the protocol */
static int parse_inet(const unsigned char *d, size_t len, struct sock_info *si)
{
    struct inet_diag_msg m;
    size_t n;

    if (len < NLMSG_LENGTH(sizeof(m)))
        return -1;
    memcpy(&m, d, sizeof(m));
    if (m.idiag_inode != si->inode)
        return 0;
    if (m.idiag_family == named(xlat_address_families, "AF_INET"))
        n = 4;
    else if (m.idiag_family == named(xlat_address_families, "AF_INET6"))
        n = 16;
    else
        return -1;
    si->kind = SK_INET;
    si->u.in.v6 = n == 16;
    si->u.in.sport = (uint16_t)(m.id.idiag_sport >> 8 | (m.id.idiag_sport & 0xff) << 8);
    si->u.in.dport = (uint16_t)(m.id.idiag_dport >> 8 | (m.id.idiag_dport & 0xff) << 8);
    memset(si->u.in.src, 0, sizeof(si->u.in.src));
    memset(si->u.in.dst, 0, sizeof(si->u.in.dst));
    memcpy(si->u.in.src, m.id.idiag_src, n);
    memcpy(si->u.in.dst, m.id.idiag_dst, n);
    return 1;
}

static int ask_inet(int nl, unsigned family, unsigned protocol, char *buf, size_t size,
                    struct sock_info *si)
{
    struct {
        struct nlmsghdr h;
        struct inet_diag_req_v2 r;
    } q = {
        .h = {.nlmsg_len = sizeof(q), .nlmsg_type = SOCK_DIAG_BY_FAMILY,
              .nlmsg_flags = NLM_F_DUMP | NLM_F_REQUEST},
        .r = {.sdiag_family = (unsigned char)family, .sdiag_protocol = (unsigned char)protocol,
              .idiag_states = ~0U},
    };

    return send_query(nl, &q, sizeof(q)) && receive(nl, buf, size, parse_inet, si);
}

/* ---- netlink sockets: a dump of every protocol's */
static int parse_netlink(const unsigned char *d, size_t len, struct sock_info *si)
{
    struct netlink_diag_msg m;

    if (len < NLMSG_LENGTH(sizeof(m)))
        return -1;
    memcpy(&m, d, sizeof(m));
    if (m.ndiag_ino != si->inode)
        return 0;
    if (m.ndiag_family != named(xlat_address_families, "AF_NETLINK"))
        return -1;
    si->kind = SK_NETLINK;
    si->u.nl.protocol = m.ndiag_protocol;
    si->u.nl.portid = m.ndiag_portid;
    return 1;
}

static int ask_netlink(int nl, unsigned family, char *buf, size_t size, struct sock_info *si)
{
    struct {
        struct nlmsghdr h;
        struct netlink_diag_req r;
    } q = {
        .h = {.nlmsg_len = sizeof(q), .nlmsg_type = SOCK_DIAG_BY_FAMILY,
              .nlmsg_flags = NLM_F_DUMP | NLM_F_REQUEST},
        .r = {.sdiag_family = (unsigned char)family, .sdiag_protocol = NDIAG_PROTO_ALL},
    };

    return send_query(nl, &q, sizeof(q)) && receive(nl, buf, size, parse_netlink, si);
}

/* ---- one lookup */

/* The query of entry i of xlat_sock_protos. */
static int ask(int nl, unsigned i, char *buf, size_t size, struct sock_info *si)
{
    unsigned family = proto_family(i);

    si->proto = (unsigned char)i;
    if (family == named(xlat_address_families, "AF_UNIX"))
        return ask_unix(nl, family, buf, size, si);
    if (family == named(xlat_address_families, "AF_NETLINK"))
        return ask_netlink(nl, family, buf, size, si);
    return ask_inet(nl, family, (unsigned)(xlat_sock_protos[i].v & 0xff), buf, size, si);
}

/* The entry of xlat_sock_protos the kernel's name of fd's protocol is,
 * or -1. */
static int sock_proto(int fd)
{
    char proc[64], name[64];
    long n;

    if (rs_proc_path(proc, sizeof(proc), "fd/%d", fd) < 0)   /* the program's fd */
        return -1;
    n = rs_syscall(SYS_getxattr, proc, "system.sockprotoname", name, sizeof(name) - 1);
    if (n <= 0)
        return -1;
    name[n] = 0;
    for (int i = 0; xlat_sock_protos[i].name; i++)
        if (!rs_strcmp(name, xlat_sock_protos[i].name))
            return i;
    return -1;
}

static int lookup(int proto, char *buf, size_t size, struct sock_info *si)
{
    long nl = rs_syscall(SYS_socket, named(xlat_address_families, "AF_NETLINK"),
                         named(xlat_socket_types, "SOCK_RAW") | O_CLOEXEC, NETLINK_SOCK_DIAG);
    int found = 0;

    if (nl < 0)
        return 0;
    if (proto >= 0)
        found = ask((int)nl, (unsigned)proto, buf, size, si);
    for (unsigned i = 0; proto < 0 && !found && xlat_sock_protos[i].name; i++)
        found = ask((int)nl, i, buf, size, si);
    rs_syscall(SYS_close, nl);
    return found;
}

/* ---- printing */

/* A unix socket's name as strace quotes it: up to its first NUL; an
 * abstract one (a NUL first) after '@'. */
static void print_unix_name(struct tcb *t, const char *p, size_t len)
{
    size_t n = 0;

    if (len && !p[0]) {
        tprints(t, "@");
        p++, len--;
    }
    while (n < len && p[n])
        n++;
    rs_put_quoted(t->o, p, n);
}

static void print_inet_end(struct tcb *t, int v6, const unsigned char *a, unsigned port)
{
    if (v6) {
        tprints(t, "[");
        put_inet6(t->o, a);
        tprints(t, "]");
    } else {
        put_inet4(t->o, a);
    }
    tprintf(t, ":%u", port);
}

static void print_sock_info(struct tcb *t, const struct sock_info *si)
{
    static const unsigned char zero[16];

    tprintf(t, "<%s:[", xlat_sock_protos[si->proto].name);
    if (si->kind == SK_UNIX) {
        tprintf(t, "%llu", (unsigned long long)si->inode);
        if (si->u.un.peer)
            tprintf(t, "->%u", si->u.un.peer);
        if (si->u.un.len) {
            tprints(t, ",");
            print_unix_name(t, si->u.un.path, si->u.un.len);
        }
    } else if (si->kind == SK_INET) {
        print_inet_end(t, si->u.in.v6, si->u.in.src, si->u.in.sport);
        if (si->u.in.dport || memcmp(si->u.in.dst, zero, si->u.in.v6 ? 16 : 4)) {
            tprints(t, "->");
            print_inet_end(t, si->u.in.v6, si->u.in.dst, si->u.in.dport);
        }
    } else {
        const char *name = rs_xlat_name(xlat_netlink_protocols, si->u.nl.protocol);
        if (name)
            tprintf(t, "%s:%u", name + (rs_strncmp(name, "NETLINK_", 8) ? 0 : 8), si->u.nl.portid);
        else
            tprintf(t, "%u", si->u.nl.protocol);
    }
    tprints(t, "]>");
}

/* "socket:[INODE]": the inode, else 0 (strace's get_inode_of_socket_path). */
static uint64_t socket_inode(const char *link, size_t n)
{
    static const char pfx[] = "socket:[";
    uint64_t inode = 0;
    size_t i = sizeof(pfx) - 1;

    if (n <= i + 1 || rs_strncmp(link, pfx, i) || link[n - 1] != ']')
        return 0;
    for (; i < n - 1; i++) {
        if (link[i] < '0' || link[i] > '9')
            return 0;
        inode = inode * 10 + (uint64_t)(link[i] - '0');
    }
    return inode;
}

int print_socket_fd(struct tcb *t, int fd, char *link, size_t n, size_t size)
{
    uint64_t inode = socket_inode(link, n);
    struct sock_info si;
    int proto;

    if (!inode)
        return 0;
    if (cache_get(inode, &si)) {
        print_sock_info(t, &si);
        return 1;
    }
    proto = sock_proto(fd);
    si.inode = inode;
    if (lookup(proto, link, size, &si)) {
        cache_put(&si);
        print_sock_info(t, &si);
    } else if (proto >= 0) {
        tprintf(t, "<%s:[%llu]>", xlat_sock_protos[proto].name, (unsigned long long)inode);
    } else {
        tprintf(t, "<socket:[%llu]>", (unsigned long long)inode);
    }
    return 1;
}
