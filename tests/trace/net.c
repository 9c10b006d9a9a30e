/* net — socket calls made deterministically for tests/t_trace_net.sh,
 * which compares their lines under strace and under runsel's trace.
 *
 *   net PORT SECTION...   sections: unix inet udp inet6 opts netlink packet
 *                         addrs socket iov mmsg optstruct cmsg (all of them when
 *                         none is given) names (every name of the tables: long)
 *
 * Everything that would differ between two runs is fixed: ports are PORT
 * and up (the test picks them), every TCP socket is closed with a zero
 * linger (a reset, so no TIME_WAIT keeps the next run from the same
 * ports), netlink sockets bind a fixed nl_pid, paths are relative. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/if_ether.h>
#include <netinet/ip_icmp.h>
#include <linux/if_packet.h>
#include <linux/netlink.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

static int port;
#define BAD ((void *)1)
#define ICMP_FILTER_ 1         /* linux/icmp.h: it clashes with glibc's headers */

/* a socket closed by a reset, leaving nothing behind in the kernel */
static void hard_close(int fd)
{
    struct linger l = {1, 0};

    setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
    close(fd);
}

static void sec_unix(void)
{
    int sv[2], dg[2];
    char buf[64], cbuf[CMSG_SPACE(2 * sizeof(int))];
    struct sockaddr_un sun;
    socklen_t len;

    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, dg);
    syscall(SYS_socketpair, AF_UNIX, SOCK_STREAM, 0, BAD);
    len = sizeof(sun);
    getsockname(sv[0], (struct sockaddr *)&sun, &len);       /* unnamed */
    len = sizeof(sun);
    getpeername(sv[0], (struct sockaddr *)&sun, &len);

    /* two buffers and two descriptors */
    struct iovec iov[2] = {{"hello", 5}, {" world", 6}};
    int fds[2] = {0, 2};
    struct msghdr m = {.msg_iov = iov, .msg_iovlen = 2, .msg_control = cbuf,
                       .msg_controllen = CMSG_SPACE(sizeof(fds))};
    struct cmsghdr *c = CMSG_FIRSTHDR(&m);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(fds));
    memcpy(CMSG_DATA(c), fds, sizeof(fds));
    sendmsg(sv[0], &m, MSG_NOSIGNAL);

    /* received in two buffers of 4 and 60: the data shown stops at 11 */
    struct iovec riov[2] = {{buf, 4}, {buf + 4, 60}};
    struct msghdr r = {.msg_iov = riov, .msg_iovlen = 2, .msg_control = cbuf,
                       .msg_controllen = sizeof(cbuf)};
    recvmsg(sv[1], &r, MSG_CMSG_CLOEXEC);
    close(3 + 4);                     /* the received descriptors, if they are 7, 8 */
    close(3 + 5);
    /* nothing to read: EAGAIN, strace's {msg_namelen=0} */
    recvmsg(sv[1], &r, MSG_DONTWAIT);
    recvmsg(sv[1], BAD, MSG_DONTWAIT);
    sendmsg(sv[0], BAD, 0);
    sendmsg(sv[0], NULL, 0);

    /* a message with a name (ignored on a connected socket) and no control */
    struct sockaddr_un to = {.sun_family = AF_UNIX, .sun_path = "nowhere"};
    struct iovec one = {"x", 1};
    struct msghdr n = {.msg_name = &to, .msg_namelen = sizeof(to), .msg_iov = &one,
                       .msg_iovlen = 1, .msg_flags = MSG_TRUNC};
    sendmsg(dg[0], &n, 0);                          /* ENOENT: no such name */
    n.msg_name = NULL;
    n.msg_namelen = 0;
    sendmsg(dg[0], &n, 0);
    struct sockaddr_un from;
    struct msghdr rn = {.msg_name = &from, .msg_namelen = sizeof(from), .msg_iov = riov,
                        .msg_iovlen = 2};
    recvmsg(dg[1], &rn, MSG_DONTWAIT);
    /* a control buffer holding a truncated header, and a short one */
    char junk[40];
    memset(junk, 0, sizeof(junk));
    ((struct cmsghdr *)junk)->cmsg_len = 200;
    ((struct cmsghdr *)junk)->cmsg_level = SOL_IP;
    ((struct cmsghdr *)junk)->cmsg_type = 1;
    n.msg_name = NULL;
    n.msg_namelen = 0;
    n.msg_control = junk;
    n.msg_controllen = sizeof(junk);
    sendmsg(dg[0], &n, MSG_DONTWAIT);
    n.msg_controllen = 8;
    sendmsg(dg[0], &n, MSG_DONTWAIT);
    n.msg_control = BAD;
    n.msg_controllen = 16;
    sendmsg(dg[0], &n, MSG_DONTWAIT);
    /* a bad iovec inside the message */
    n.msg_control = NULL;
    n.msg_controllen = 0;
    n.msg_iov = BAD;
    sendmsg(dg[0], &n, MSG_DONTWAIT);
    close(sv[0]);
    close(sv[1]);
    close(dg[0]);
    close(dg[1]);

    /* named sockets: a path, an abstract name, too long a name */
    int s = socket(AF_UNIX, SOCK_DGRAM, 0);
    unlink("net-test.sock");
    memset(&sun, 0, sizeof(sun));
    sun.sun_family = AF_UNIX;
    strcpy(sun.sun_path, "net-test.sock");
    bind(s, (struct sockaddr *)&sun, offsetof(struct sockaddr_un, sun_path) + 14);
    len = sizeof(sun);
    getsockname(s, (struct sockaddr *)&sun, &len);
    int t = socket(AF_UNIX, SOCK_DGRAM, 0);
    sendto(t, "ping", 4, 0, (struct sockaddr *)&sun, sizeof(sun));
    len = sizeof(from);
    recvfrom(s, buf, sizeof(buf), 0, (struct sockaddr *)&from, &len);   /* unnamed sender */
    connect(t, (struct sockaddr *)&sun, sizeof(sun));
    len = sizeof(sun);
    getpeername(t, (struct sockaddr *)&sun, &len);
    unlink("net-test.sock");
    close(s);
    close(t);

    s = socket(AF_UNIX, SOCK_STREAM, 0);
    memset(&sun, 0, sizeof(sun));
    sun.sun_family = AF_UNIX;
    memcpy(sun.sun_path, "\0runsel-net\n-test", 17);
    bind(s, (struct sockaddr *)&sun, offsetof(struct sockaddr_un, sun_path) + 17);
    len = sizeof(sun);
    getsockname(s, (struct sockaddr *)&sun, &len);
    len = 5;                                                 /* shorter than the name */
    getsockname(s, (struct sockaddr *)&sun, &len);
    close(s);
    s = socket(AF_UNIX, SOCK_STREAM, 0);
    bind(s, (struct sockaddr *)&sun, sizeof(sun));           /* abstract, every byte */
    close(s);
    memset(sun.sun_path, 'a', sizeof(sun.sun_path));        /* no NUL at all */
    connect(-1, (struct sockaddr *)&sun, sizeof(sun));
    connect(-1, (struct sockaddr *)&sun, sizeof(sun) + 10);
    memset(&sun, 0, sizeof(sun));
    sun.sun_family = AF_UNIX;
    connect(-1, (struct sockaddr *)&sun, 3);                 /* "@" and nothing */
    connect(-1, (struct sockaddr *)&sun, 2);
    strcpy(sun.sun_path, "no/such/dir/sock");
    s = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
    connect(s, (struct sockaddr *)&sun, sizeof(sun));
    close(s);
}

static struct sockaddr_in in4(int p)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(p)};

    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return a;
}

static void sec_inet(void)
{
    int one = 1;
    char buf[64];
    struct sockaddr_in a = in4(port), b = in4(port + 1), peer;
    socklen_t len;

    int l = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    bind(l, (struct sockaddr *)&a, sizeof(a));
    listen(l, 5);
    len = sizeof(peer);
    getsockname(l, (struct sockaddr *)&peer, &len);

    int c = socket(AF_INET, SOCK_STREAM, 0);
    setsockopt(c, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    bind(c, (struct sockaddr *)&b, sizeof(b));
    connect(c, (struct sockaddr *)&a, sizeof(a));
    len = sizeof(peer) + 100;
    int s = accept(l, (struct sockaddr *)&peer, &len);
    len = sizeof(peer);
    getpeername(s, (struct sockaddr *)&peer, &len);
    len = sizeof(peer);
    getpeername(c, (struct sockaddr *)&peer, &len);
    sendto(c, "hello", 5, MSG_NOSIGNAL, NULL, 0);
    recvfrom(s, buf, sizeof(buf), MSG_PEEK, NULL, NULL);
    len = sizeof(peer);
    recvfrom(s, buf, 2, 0, (struct sockaddr *)&peer, &len);    /* TCP leaves it alone */
    recvfrom(s, buf, sizeof(buf), MSG_DONTWAIT | MSG_WAITALL, NULL, NULL);
    recvfrom(s, buf, sizeof(buf), MSG_DONTWAIT, NULL, NULL);    /* EAGAIN */
    syscall(SYS_recvfrom, s, BAD, sizeof(buf), MSG_DONTWAIT, BAD, BAD);
    send(c, "0123456789abcdefghijklmnopqrstuvwxyzABCDEF", 42, 0);
    recv(s, buf, sizeof(buf), 0);
    shutdown(c, SHUT_WR);
    shutdown(s, SHUT_RD);
    shutdown(s, SHUT_RDWR);
    shutdown(-1, 7);

    /* a second client, taken by accept4 without an address */
    int c2 = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, IPPROTO_IP);
    struct sockaddr_in b2 = in4(port + 2);
    setsockopt(c2, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    bind(c2, (struct sockaddr *)&b2, sizeof(b2));
    connect(c2, (struct sockaddr *)&a, sizeof(a));
    int s2 = accept4(l, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
    fcntl(l, F_SETFL, O_NONBLOCK);
    accept4(l, NULL, NULL, SOCK_NONBLOCK);                     /* EAGAIN */
    len = sizeof(peer);
    accept4(l, (struct sockaddr *)&peer, &len, SOCK_NONBLOCK); /* EAGAIN with [16] */
    accept(l, BAD, BAD);
    hard_close(c);
    hard_close(s);
    hard_close(c2);
    hard_close(s2);
    close(l);
    connect(-1, (struct sockaddr *)&a, sizeof(a) - 1);
}

static void sec_udp(void)
{
    char buf[64];
    struct sockaddr_in a = in4(port + 3), b = in4(port + 4), from;
    socklen_t len;

    int s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    bind(s, (struct sockaddr *)&a, sizeof(a));
    int c = socket(AF_INET, SOCK_DGRAM, 0);
    bind(c, (struct sockaddr *)&b, sizeof(b));
    sendto(c, "datagram", 8, MSG_DONTWAIT, (struct sockaddr *)&a, sizeof(a));
    sendto(c, "\x01\x02\x80\xff", 4, 0, (struct sockaddr *)&a, sizeof(a));
    len = sizeof(from);
    recvfrom(s, buf, sizeof(buf), 0, (struct sockaddr *)&from, &len);
    len = 4;                                    /* too short: the kernel says 16 */
    recvfrom(s, buf, 2, MSG_TRUNC, (struct sockaddr *)&from, &len);
    len = sizeof(from);
    recvfrom(s, buf, sizeof(buf), MSG_DONTWAIT, (struct sockaddr *)&from, &len);
    close(s);
    close(c);
}

static void sec_inet6(void)
{
    int one = 1, zero = 0;
    char buf[64];
    struct sockaddr_in6 a = {.sin6_family = AF_INET6, .sin6_port = htons(port + 5),
                             .sin6_addr = IN6ADDR_LOOPBACK_INIT};
    struct sockaddr_in6 b = a, peer;
    socklen_t len;

    b.sin6_port = htons(port + 6);
    int l = socket(AF_INET6, SOCK_STREAM, 0);
    setsockopt(l, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
    setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    bind(l, (struct sockaddr *)&a, sizeof(a));
    listen(l, 1);
    int c = socket(AF_INET6, SOCK_STREAM, IPPROTO_TCP);
    setsockopt(c, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    bind(c, (struct sockaddr *)&b, sizeof(b));
    connect(c, (struct sockaddr *)&a, sizeof(a));
    len = sizeof(peer);
    int s = accept(l, (struct sockaddr *)&peer, &len);
    len = sizeof(peer);
    getsockname(c, (struct sockaddr *)&peer, &len);
    write(c, "six", 3);
    read(s, buf, sizeof(buf));
    len = sizeof(one);
    getsockopt(l, IPPROTO_IPV6, IPV6_V6ONLY, &zero, &len);
    hard_close(c);
    hard_close(s);
    close(l);

    int u = socket(AF_INET6, SOCK_DGRAM, 0);
    a.sin6_port = htons(port + 7);
    bind(u, (struct sockaddr *)&a, sizeof(a));
    sendto(u, "6", 1, 0, (struct sockaddr *)&a, sizeof(a));
    len = sizeof(peer);
    recvfrom(u, buf, sizeof(buf), 0, (struct sockaddr *)&peer, &len);
    close(u);

    /* addresses of other shapes: mapped v4, link-local with a scope, a flow
     * label, the length without sin6_scope_id, too short */
    struct sockaddr_in6 x = {.sin6_family = AF_INET6, .sin6_port = htons(443)};
    inet_pton(AF_INET6, "::ffff:10.1.2.3", &x.sin6_addr);
    x.sin6_flowinfo = htonl(0x12345);
    connect(-1, (struct sockaddr *)&x, sizeof(x));
    inet_pton(AF_INET6, "fe80::1", &x.sin6_addr);
    x.sin6_scope_id = 1;
    connect(-1, (struct sockaddr *)&x, sizeof(x));
    x.sin6_scope_id = 77;
    connect(-1, (struct sockaddr *)&x, sizeof(x));
    inet_pton(AF_INET6, "ff02::1", &x.sin6_addr);
    connect(-1, (struct sockaddr *)&x, sizeof(x));
    inet_pton(AF_INET6, "2001:db8:0:0:1:0:0:1", &x.sin6_addr);
    x.sin6_scope_id = 5;
    connect(-1, (struct sockaddr *)&x, sizeof(x));
    connect(-1, (struct sockaddr *)&x, 24);
    connect(-1, (struct sockaddr *)&x, 23);
    connect(-1, (struct sockaddr *)&x, 26);
}

static void sec_opts(void)
{
    int one = 1, v = 0, big[4] = {0};
    socklen_t len;
    struct linger lg = {1, 5};
    struct timeval tv = {3, 500};

    int s = socket(AF_INET, SOCK_STREAM, 0);
    setsockopt(s, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof(one));
    setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    setsockopt(s, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
    setsockopt(s, SOL_SOCKET, SO_LINGER, &lg, 4);
    setsockopt(s, SOL_SOCKET, SO_RCVTIMEO_OLD, &tv, sizeof(tv));
    setsockopt(s, SOL_SOCKET, SO_RCVBUF, &one, 2);
    setsockopt(s, SOL_SOCKET, SO_SNDBUF, BAD, 4);
    setsockopt(s, SOL_SOCKET, SO_SNDBUF, NULL, 0);
    setsockopt(s, IPPROTO_IP, IP_TOS, &one, sizeof(one));
    setsockopt(s, SOL_SOCKET, 12345, &one, sizeof(one));
    setsockopt(s, 999, 1, &one, sizeof(one));
    setsockopt(s, IPPROTO_TCP, TCP_CONGESTION, "reno", 4);
    len = sizeof(v);
    getsockopt(s, SOL_SOCKET, SO_TYPE, &v, &len);
    len = sizeof(v);
    getsockopt(s, SOL_SOCKET, SO_KEEPALIVE, &v, &len);
    len = sizeof(big);
    getsockopt(s, SOL_SOCKET, SO_REUSEADDR, big, &len);     /* [16 => 4] */
    len = sizeof(v);
    getsockopt(s, IPPROTO_TCP, TCP_NODELAY, &v, &len);
    len = sizeof(v);
    getsockopt(s, SOL_SOCKET, SO_ERROR, &v, &len);
    len = sizeof(lg);
    getsockopt(s, SOL_SOCKET, SO_LINGER, &lg, &len);
    len = 4;
    getsockopt(s, SOL_SOCKET, SO_LINGER, &lg, &len);
    len = sizeof(tv);
    getsockopt(s, SOL_SOCKET, SO_RCVTIMEO_OLD, &tv, &len);
    len = sizeof(v);
    getsockopt(s, SOL_SOCKET, SO_DOMAIN, &v, &len);
    len = sizeof(v);
    getsockopt(s, SOL_SOCKET, SO_PROTOCOL, &v, &len);
    len = 16;
    getsockopt(s, IPPROTO_TCP, TCP_CONGESTION, big, &len);
    len = sizeof(v);
    getsockopt(s, SOL_SOCKET, SO_ACCEPTCONN, &v, &len);
    syscall(SYS_getsockopt, s, SOL_SOCKET, SO_TYPE, &v, BAD);
    getsockopt(s, SOL_SOCKET, SO_TYPE, &v, NULL);
    len = sizeof(v);
    syscall(SYS_getsockopt, s, SOL_SOCKET, SO_TYPE, BAD, &len);
    len = sizeof(v);
    getsockopt(s, 999, 1, &v, &len);
    len = sizeof(v);
    getsockopt(-1, SOL_SOCKET, SO_TYPE, &v, &len);
    len = sizeof(v);
    getsockopt(s, IPPROTO_IP, IP_TTL, &v, &len);
    len = 0;
    getsockopt(s, SOL_SOCKET, SO_TYPE, &v, &len);
    close(s);

    int u = socket(AF_INET6, SOCK_DGRAM, 0);
    setsockopt(u, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &one, sizeof(one));
    len = sizeof(v);
    getsockopt(u, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &v, &len);
    setsockopt(u, IPPROTO_UDP, 1, &one, sizeof(one));        /* UDP_CORK */
    close(u);
    int un = socket(AF_UNIX, SOCK_STREAM, 0);
    len = sizeof(v);
    getsockopt(un, SOL_SOCKET, SO_PASSCRED, &v, &len);
    close(un);
}

static void sec_netlink(void)
{
    struct sockaddr_nl a = {.nl_family = AF_NETLINK, .nl_pid = 0x7ac0ffee, .nl_groups = 0};
    socklen_t len;

    int s = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
    bind(s, (struct sockaddr *)&a, sizeof(a));
    len = sizeof(a);
    getsockname(s, (struct sockaddr *)&a, &len);
    close(s);
    s = socket(AF_NETLINK, SOCK_DGRAM, NETLINK_GENERIC);
    a.nl_pid = 0x7ac0ffef;
    a.nl_groups = 5;
    bind(s, (struct sockaddr *)&a, sizeof(a));
    close(s);
    socket(AF_NETLINK, SOCK_RAW, NETLINK_AUDIT);
    socket(AF_NETLINK, SOCK_RAW, NETLINK_KOBJECT_UEVENT);
    socket(AF_NETLINK, SOCK_RAW, 99);
}

static void sec_packet(void)
{
    struct sockaddr_ll a = {.sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_IP),
                            .sll_ifindex = 1};
    socklen_t len;

    int s = socket(AF_PACKET, SOCK_DGRAM, htons(ETH_P_IP));
    bind(s, (struct sockaddr *)&a, sizeof(a));
    len = sizeof(a);
    getsockname(s, (struct sockaddr *)&a, &len);
    close(s);
    socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
    socket(AF_PACKET, SOCK_RAW, htons(0x1234));
    struct sockaddr_ll b = {.sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ARP),
                            .sll_ifindex = 1, .sll_hatype = 1, .sll_pkttype = PACKET_BROADCAST,
                            .sll_halen = 6, .sll_addr = {0xde, 0xad, 0xbe, 0xef, 0, 1}};
    bind(-1, (struct sockaddr *)&b, sizeof(b));
    b.sll_ifindex = 9999;
    b.sll_halen = 10;
    bind(-1, (struct sockaddr *)&b, sizeof(b));
    b.sll_halen = 2;
    bind(-1, (struct sockaddr *)&b, sizeof(b) - 1);
}

static void sec_addrs(void)
{
    unsigned char raw[140];

    memset(raw, 0, sizeof(raw));
    for (unsigned i = 2; i < sizeof(raw); i++)
        raw[i] = (unsigned char)i;
    raw[0] = AF_UNSPEC;
    bind(-1, (struct sockaddr *)raw, 16);
    raw[0] = 250;                                          /* no such family */
    bind(-1, (struct sockaddr *)raw, 16);
    raw[0] = AF_APPLETALK;                                 /* not decoded by strace */
    bind(-1, (struct sockaddr *)raw, 16);
    raw[0] = AF_INET;
    bind(-1, (struct sockaddr *)raw, 8);                   /* shorter than sockaddr_in */
    bind(-1, (struct sockaddr *)raw, 20);                  /* longer */
    raw[0] = AF_NETLINK;
    bind(-1, (struct sockaddr *)raw, 12);                  /* nl_pad set */
    bind(-1, (struct sockaddr *)raw, 11);
    raw[0] = AF_UNSPEC;
    bind(-1, (struct sockaddr *)raw, 200);                 /* more than sockaddr_storage */
    bind(-1, (struct sockaddr *)raw, 2);
    bind(-1, (struct sockaddr *)raw, 1);
    bind(-1, (struct sockaddr *)raw, 0);
    bind(-1, NULL, 0);
    bind(-1, NULL, 16);
    bind(-1, BAD, 16);
    bind(-1, (struct sockaddr *)raw, -1);
    raw[0] = AF_INET;
    raw[2] = 0;
    raw[3] = 80;
    raw[4] = 192;
    raw[5] = 168;
    raw[6] = 0;
    raw[7] = 255;
    connect(-1, (struct sockaddr *)raw, 16);
}

static void sec_socket(void)
{
    socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
    socket(AF_INET, SOCK_DGRAM, IPPROTO_UDPLITE);
    socket(AF_INET6, SOCK_RAW, IPPROTO_ICMPV6);
    socket(AF_INET, SOCK_STREAM, 250);
    socket(AF_INET, SOCK_STREAM, IPPROTO_MPTCP);
    socket(AF_INET, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_SCTP);
    socket(AF_INET, 0xf, 0);
    socket(AF_INET, SOCK_STREAM | 0x100, 0);
    socket(AF_UNIX, SOCK_SEQPACKET, 0);
    socket(AF_UNIX, SOCK_STREAM, 5);
    socket(1000, SOCK_STREAM, 7);
    socket(AF_BLUETOOTH, SOCK_RAW, 1);
    socket(AF_CAN, SOCK_RAW, 1);
    socket(AF_VSOCK, SOCK_STREAM, 0);
    socket(AF_ALG, SOCK_SEQPACKET, 0);
    socket(AF_XDP, SOCK_RAW, 0);
    socket(AF_KEY, SOCK_RAW, 2);
    socketpair(AF_INET, SOCK_STREAM, IPPROTO_TCP, (int[2]){0, 0});
    socketpair(AF_UNIX, SOCK_DGRAM, 1, (int[2]){0, 0});
    listen(-1, 0);
    listen(-1, -1);
}

static void sec_iov(void)
{
    char a[8], b[40], c[100];
    int p[2];

    pipe(p);
    struct iovec w[3] = {{"first", 5}, {"0123456789012345678901234567890123456789", 40},
                         {"last\n", 5}};
    writev(p[1], w, 3);
    struct iovec r[3] = {{a, sizeof(a)}, {b, sizeof(b)}, {c, sizeof(c)}};
    readv(p[0], r, 3);
    writev(p[1], w, 1);
    readv(p[0], r, 3);                        /* 5 bytes: "first" then empty buffers */
    writev(p[1], w, 0);
    writev(p[1], NULL, 0);
    syscall(SYS_writev, p[1], NULL, 2);
    syscall(SYS_writev, p[1], BAD, 2);
    readv(-1, r, 3);
    struct iovec holes[2] = {{BAD, 4}, {NULL, 3}};
    writev(p[1], holes, 2);
    struct iovec many[40];
    for (int i = 0; i < 40; i++)
        many[i] = (struct iovec){"ab", 2};
    writev(p[1], many, 40);
    struct iovec big[1] = {{c, sizeof(c)}};
    memset(c, 'z', sizeof(c));
    writev(p[1], big, 1);
    readv(p[0], r, 3);
    /* the last element unreadable: strace shows the array up to it */
    struct iovec *edge = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap((char *)edge + 4096, 4096);
    struct iovec *tail = (struct iovec *)((char *)edge + 4096) - 1;
    *tail = (struct iovec){"end", 3};
    writev(p[1], tail, 2);
    close(p[0]);
    close(p[1]);

    int f = open("net-test.iov", O_RDWR | O_CREAT | O_TRUNC, 0600);
    pwritev(f, w, 3, 0);
    preadv(f, r, 2, 3);
    pwritev2(f, w, 1, 10, RWF_DSYNC);
    preadv2(f, r, 1, 0, RWF_NOWAIT);
    preadv2(f, r, 1, -1, 0);
    preadv(f, r, 1, 1000);
    close(f);
    unlink("net-test.iov");
}

static void sec_mmsg(void)
{
    int sv[2];
    char b1[16], b2[16];

    socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
    struct iovec i1 = {"one", 3}, i2 = {"second", 6};
    struct mmsghdr m[2] = {{.msg_hdr = {.msg_iov = &i1, .msg_iovlen = 1}},
                           {.msg_hdr = {.msg_iov = &i2, .msg_iovlen = 1}}};
    sendmmsg(sv[0], m, 2, MSG_DONTWAIT);
    struct iovec r1 = {b1, sizeof(b1)}, r2 = {b2, 4};
    struct mmsghdr rm[2] = {{.msg_hdr = {.msg_iov = &r1, .msg_iovlen = 1}},
                            {.msg_hdr = {.msg_iov = &r2, .msg_iovlen = 1}}};
    struct timespec ts = {0, 0};                    /* "left {...}": all of it gone */
    recvmmsg(sv[1], rm, 2, MSG_DONTWAIT, &ts);
    recvmmsg(sv[1], rm, 2, MSG_DONTWAIT, NULL);
    recvmmsg(sv[1], rm, 2, MSG_DONTWAIT, NULL);                 /* EAGAIN */
    recvmmsg(sv[1], rm, 2, MSG_DONTWAIT, BAD);
    sendmmsg(sv[0], BAD, 2, 0);
    sendmmsg(sv[0], m, 0, 0);
    close(sv[0]);
    close(sv[1]);

    /* named senders: the names the kernel wrote, shorter than offered */
    struct sockaddr_un a = {.sun_family = AF_UNIX, .sun_path = "net-test.a"};
    struct sockaddr_un b = {.sun_family = AF_UNIX, .sun_path = "net-test.b"};
    struct sockaddr_un from[2];
    int sa = socket(AF_UNIX, SOCK_DGRAM, 0), sb = socket(AF_UNIX, SOCK_DGRAM, 0);
    unlink(a.sun_path);
    unlink(b.sun_path);
    bind(sa, (struct sockaddr *)&a, sizeof(a));
    bind(sb, (struct sockaddr *)&b, sizeof(b));
    m[0].msg_hdr.msg_name = &b;
    m[0].msg_hdr.msg_namelen = sizeof(b);
    m[1].msg_hdr.msg_name = &b;
    m[1].msg_hdr.msg_namelen = sizeof(b);
    sendmmsg(sa, m, 2, 0);
    rm[0].msg_hdr.msg_name = &from[0];
    rm[0].msg_hdr.msg_namelen = sizeof(from[0]);
    rm[1].msg_hdr.msg_name = &from[1];
    rm[1].msg_hdr.msg_namelen = 4;
    recvmmsg(sb, rm, 2, MSG_DONTWAIT, NULL);
    struct msghdr rh = {.msg_name = &from[0], .msg_namelen = sizeof(from[0]), .msg_iov = &r1,
                        .msg_iovlen = 1};
    sendto(sa, "x", 1, 0, (struct sockaddr *)&b, sizeof(b));
    recvmsg(sb, &rh, 0);
    unlink(a.sun_path);
    unlink(b.sun_path);
    close(sa);
    close(sb);
}

/* the structures setsockopt and getsockopt decode (a bad descriptor:
 * strace prints the value on entry all the same) */
static void sec_optstruct(void)
{
    unsigned char mreq[8] = {224, 0, 0, 1, 127, 0, 0, 1};
    unsigned char mreq6[20] = {0xff, 2, [15] = 1, [16] = 1};
    unsigned char group[136] = {1, [8] = AF_INET, [12] = 224, [15] = 9};
    unsigned req[4] = {4096, 1, 2048, 2};
    struct { int ifindex; unsigned short type, alen; unsigned char a[8]; } pm = {
        1, PACKET_MR_PROMISC, 6, {0xde, 0xad, 0xbe, 0xef, 0, 1}};
    unsigned icmp = 1u << ICMP_ECHO | 1u << 2, v = 1;
    socklen_t len;

    setsockopt(-1, IPPROTO_IP, IP_ADD_MEMBERSHIP, mreq, sizeof(mreq));
    setsockopt(-1, IPPROTO_IP, IP_DROP_MEMBERSHIP, mreq, 7);
    setsockopt(-1, IPPROTO_IP, MCAST_JOIN_GROUP, group, sizeof(group));
    setsockopt(-1, IPPROTO_IP, MCAST_LEAVE_GROUP, group, sizeof(group) - 1);
    setsockopt(-1, IPPROTO_IPV6, IPV6_ADD_MEMBERSHIP, mreq6, sizeof(mreq6));
    setsockopt(-1, IPPROTO_IPV6, IPV6_JOIN_ANYCAST, mreq6, 19);
    group[8] = AF_INET6;
    setsockopt(-1, IPPROTO_IPV6, MCAST_JOIN_GROUP, group, sizeof(group));
    setsockopt(-1, SOL_PACKET, PACKET_RX_RING, req, sizeof(req));
    setsockopt(-1, SOL_PACKET, PACKET_TX_RING, req, 12);
    setsockopt(-1, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &pm, sizeof(pm));
    pm.type = 9;
    pm.alen = 12;
    setsockopt(-1, SOL_PACKET, PACKET_DROP_MEMBERSHIP, &pm, sizeof(pm));
    setsockopt(-1, SOL_RAW, ICMP_FILTER_, &icmp, sizeof(icmp));
    icmp = ~icmp;
    setsockopt(-1, SOL_RAW, ICMP_FILTER_, &icmp, sizeof(icmp));
    setsockopt(-1, SOL_RAW, ICMP_FILTER_, &icmp, 2);
    setsockopt(-1, SOL_RAW, ICMP_FILTER_, &icmp, 0);
    setsockopt(-1, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &v, sizeof(v));
    setsockopt(-1, SOL_NETLINK, NETLINK_PKTINFO, &v, 2);
    setsockopt(-1, SOL_SOCKET, SO_TXREHASH, &v, sizeof(v));
    v = 7;
    setsockopt(-1, SOL_SOCKET, SO_TXREHASH, &v, sizeof(v));
    setsockopt(-1, SOL_SOCKET, SO_TXREHASH, &v, 2);
    setsockopt(-1, SOL_SOCKET, SO_ATTACH_FILTER, &v, 3);
    setsockopt(-1, SOL_SOCKET, SO_BINDTODEVICE, "lo", 3);
    setsockopt(-1, SOL_ALG, 1, &v, sizeof(v));
    setsockopt(-1, SOL_TLS, 1, &v, sizeof(v));
    setsockopt(-1, SOL_XDP, 99, &v, sizeof(v));
    setsockopt(-1, 40 /* AF_VSOCK */, 0, &v, sizeof(v));

    /* getsockopt's, from sockets that answer */
    int nl = socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);
    unsigned groups[4];
    v = 1;
    setsockopt(nl, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &v, sizeof(v));
    len = sizeof(groups);
    getsockopt(nl, SOL_NETLINK, NETLINK_LIST_MEMBERSHIPS, groups, &len);
    len = sizeof(v);
    getsockopt(nl, SOL_NETLINK, NETLINK_PKTINFO, &v, &len);
    close(nl);
    int s = socket(AF_INET, SOCK_STREAM, 0);
    len = sizeof(v);
    getsockopt(s, SOL_SOCKET, SO_TXREHASH, &v, &len);
    len = 2;
    getsockopt(s, SOL_SOCKET, SO_TXREHASH, &v, &len);
    len = 2;
    getsockopt(s, SOL_SOCKET, SO_RCVBUF, &v, &len);
    len = 2;
    getsockopt(s, SOL_SOCKET, SO_ERROR, &v, &len);
    struct sockaddr_in nowhere = in4(1);
    fcntl(s, F_SETFL, O_NONBLOCK);
    connect(s, (struct sockaddr *)&nowhere, sizeof(nowhere));   /* refused: SO_ERROR says it */
    struct pollfd pfd = {s, POLLOUT, 0};
    poll(&pfd, 1, 1000);
    len = sizeof(v);
    getsockopt(s, SOL_SOCKET, SO_ERROR, &v, &len);
    len = 6;
    struct linger lg;
    getsockopt(s, SOL_SOCKET, SO_LINGER, &lg, &len);
    close(s);
    int p = socket(AF_PACKET, SOCK_DGRAM, 0);
    unsigned st[3];
    len = sizeof(st);
    getsockopt(p, SOL_PACKET, PACKET_STATISTICS, st, &len);
    close(p);
    int r = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
    icmp = 1u << ICMP_ECHOREPLY;
    setsockopt(r, SOL_RAW, ICMP_FILTER_, &icmp, sizeof(icmp));
    len = sizeof(icmp);
    getsockopt(r, SOL_RAW, ICMP_FILTER_, &icmp, &len);
    close(r);
}

/* control messages of every kind strace decodes (sent to a bad
 * descriptor: decoded on entry, the kernel looks at nothing) */
static void cmsg_one(int level, int type, const void *data, unsigned len)
{
    union { struct cmsghdr h; char b[256]; } u;
    struct msghdr m = {.msg_control = &u, .msg_controllen = CMSG_SPACE(len)};

    memset(&u, 0, sizeof(u));
    u.h.cmsg_len = CMSG_LEN(len);
    u.h.cmsg_level = level;
    u.h.cmsg_type = type;
    memcpy(CMSG_DATA(&u.h), data, len);
    sendmsg(-1, &m, 0);
}

static void sec_cmsg(void)
{
    unsigned char d[128];
    int fds[40], cred[3] = {1234, -1, 5};
    long tv[2] = {5, 600}, ts[6] = {1, 2, 3, 4, 5, 6};
    unsigned char sin[16] = {AF_INET, 0, 0, 80, 127, 0, 0, 1};

    for (int i = 0; i < 128; i++)
        d[i] = (unsigned char)(i + 1);
    for (int i = 0; i < 40; i++)
        fds[i] = i;
    cmsg_one(SOL_SOCKET, SCM_RIGHTS, fds, 6);
    cmsg_one(SOL_SOCKET, SCM_RIGHTS, fds, 160);                /* more than strsize */
    cmsg_one(SOL_SOCKET, SCM_CREDENTIALS, cred, 12);
    cmsg_one(SOL_SOCKET, SCM_CREDENTIALS, cred, 8);
    cmsg_one(SOL_SOCKET, 3 /* SCM_SECURITY */, "label\0x", 7);
    cmsg_one(SOL_SOCKET, SO_TIMESTAMP_OLD, tv, 16);
    cmsg_one(SOL_SOCKET, SO_TIMESTAMP_OLD, tv, 8);
    cmsg_one(SOL_SOCKET, SO_TIMESTAMPNS_OLD, ts, 16);
    cmsg_one(SOL_SOCKET, SO_TIMESTAMPING_OLD, ts, 48);
    cmsg_one(SOL_SOCKET, SO_TIMESTAMPING_OLD, ts, 40);
    cmsg_one(SOL_SOCKET, SO_TIMESTAMP_NEW, tv, 16);
    cmsg_one(SOL_SOCKET, SO_TIMESTAMPNS_NEW, ts, 16);
    cmsg_one(SOL_SOCKET, SO_TIMESTAMPING_NEW, ts, 48);
    cmsg_one(SOL_SOCKET, SO_WIFI_STATUS, d, 4);
    cmsg_one(SOL_SOCKET, 77, d, 4);
    cmsg_one(SOL_IP, IP_PKTINFO, d, 12);
    cmsg_one(SOL_IP, IP_PKTINFO, d, 11);
    cmsg_one(SOL_IP, IP_TTL, d, 9);
    cmsg_one(SOL_IP, IP_TOS, d, 3);
    cmsg_one(SOL_IP, IP_RETOPTS, d, 40);
    cmsg_one(SOL_IP, IP_RECVERR, d, 32);
    cmsg_one(SOL_IP, IP_ORIGDSTADDR, sin, 16);
    cmsg_one(SOL_IP, IP_ORIGDSTADDR, sin, 15);
    cmsg_one(SOL_IP, IP_CHECKSUM, d, 8);
    cmsg_one(SOL_IP, 3, "ctx", 3);                         /* SCM_SECURITY at SOL_IP */
    cmsg_one(SOL_IP, 4, d, 4);
    cmsg_one(SOL_TCP, 1, d, 4);
    cmsg_one(-1, -1, d, 4);
    cmsg_one(SOL_SOCKET, -5, d, 4);
}

/* every name of the tables: each value strace knows by name and the
 * ones around them, on a bad descriptor (decoded on entry all the same) */
static void sec_names(void)
{
    static const int levels[] = {SOL_SOCKET, SOL_IP, SOL_IPV6, SOL_TCP, IPPROTO_UDP, 40, 58, 101,
                                 132, 136, 255, 256, 257, 263, 266, 268, 269, 270, 271, 272,
                                 273, 274, 275, 276, 277, 278, 279, 280, 281, 282, 283};
    static const int families[] = {AF_INET, AF_INET6, AF_AX25, AF_NETLINK, AF_IRDA, AF_CAN,
                                   AF_BLUETOOTH, AF_RXRPC, AF_ISDN, AF_PHONET, AF_CAIF, AF_NFC,
                                   AF_KCM, AF_SMC, AF_UNIX};
    int v = 0;

    for (int l = 0; l < 300; l++)
        setsockopt(-1, l, 0, NULL, 0);
    for (size_t i = 0; i < sizeof(levels) / sizeof(levels[0]); i++)
        for (int n = 0; n < 140; n++) {
            setsockopt(-1, levels[i], n, &v, sizeof(v));
            syscall(SYS_getsockopt, -1, levels[i], n, NULL, NULL);
        }
    for (int f = 0; f < 50; f++)
        socket(f, 0xf, 0);
    for (size_t i = 0; i < sizeof(families) / sizeof(families[0]); i++)
        for (int p = 0; p < 300; p++)
            socket(families[i], 0xf, p);
    for (int p = 0; p < 0x100; p++)
        socket(AF_PACKET, 0xf, htons(p));
    for (int t = 0; t < 16; t++)
        socket(AF_INET, t | (t & 1 ? SOCK_CLOEXEC : 0), 0);
    for (int b = 4; b < 32; b++)
        socket(AF_INET, SOCK_STREAM | (int)(1u << b), 0);
    /* protocols, hardware and packet types of AF_PACKET, all 65536 */
    for (int i = 0; i < 0x10000; i++) {
        struct sockaddr_ll a = {.sll_family = AF_PACKET, .sll_protocol = htons(i),
                                .sll_hatype = (unsigned short)i, .sll_pkttype = (unsigned char)i};
        bind(-1, (struct sockaddr *)&a, sizeof(a));
    }
    for (int b = 0; b < 32; b++) {
        sendto(-1, NULL, 0, (int)(1u << b), NULL, 0);
        syscall(SYS_pwritev2, -1, NULL, 0, 0, 0, 1u << b);
    }
    for (int h = 0; h < 6; h++)
        shutdown(-1, h);
    static const int cmsg_levels[] = {SOL_SOCKET, SOL_IP, SOL_IPV6};
    for (size_t i = 0; i < sizeof(cmsg_levels) / sizeof(cmsg_levels[0]); i++)
        for (int t = 0; t < 100; t++)
            cmsg_one(cmsg_levels[i], t, NULL, 0);
}

static void run(const char *sec)
{
    static const struct {
        const char *name;
        void (*fn)(void);
    } secs[] = {{"unix", sec_unix}, {"inet", sec_inet}, {"udp", sec_udp},
                {"inet6", sec_inet6}, {"opts", sec_opts}, {"netlink", sec_netlink},
                {"packet", sec_packet}, {"addrs", sec_addrs}, {"socket", sec_socket},
                {"iov", sec_iov}, {"mmsg", sec_mmsg}, {"optstruct", sec_optstruct},
                {"cmsg", sec_cmsg}, {"names", sec_names}};

    for (size_t i = 0; i < sizeof(secs) / sizeof(secs[0]); i++)
        if (sec ? !strcmp(sec, secs[i].name) : secs[i].fn != sec_names)
            secs[i].fn();
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: net PORT [SECTION...]\n");
        return 2;
    }
    port = atoi(argv[1]);
    if (argc == 2)
        run(NULL);
    for (int i = 2; i < argc; i++)
        run(argv[i]);
    return 0;
}
