/* sockets — a corpus program of the strace comparison (tests/stracecmp):
 * AF_UNIX socketpair with sendmsg/recvmsg (two iovecs, an fd passed
 * with SCM_RIGHTS), TCP over 127.0.0.1 (listen on port 0, getsockname,
 * connect, accept, send/recv, shutdown), UDP over ::1 (sendto/recvfrom)
 * and socket options (setsockopt/getsockopt at SOL_SOCKET, IPPROTO_TCP,
 * IPPROTO_IPV6).  One thread, blocking calls in an order that cannot
 * race: the same calls in every run. */
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static int unix_pair(void)
{
    int sv[2], passed = -1;
    char a[] = "hello ", b[] = "unix", in[16] = "";
    struct iovec out_iov[2] = { { a, 6 }, { b, 4 } }, in_iov = { in, sizeof(in) };
    union {
        char buf[CMSG_SPACE(sizeof(int))];
        struct cmsghdr align;
    } ctl;
    struct msghdr m = { .msg_iov = out_iov, .msg_iovlen = 2,
                        .msg_control = ctl.buf, .msg_controllen = sizeof(ctl.buf) };
    struct cmsghdr *c = CMSG_FIRSTHDR(&m);
    int fd = 0;

    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
        return 1;
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(c), &fd, sizeof(fd));
    if (sendmsg(sv[0], &m, 0) != 10)
        return 1;
    struct msghdr r = { .msg_iov = &in_iov, .msg_iovlen = 1,
                        .msg_control = ctl.buf, .msg_controllen = sizeof(ctl.buf) };
    if (recvmsg(sv[1], &r, 0) != 10)
        return 1;
    c = CMSG_FIRSTHDR(&r);
    if (c && c->cmsg_type == SCM_RIGHTS)
        memcpy(&passed, CMSG_DATA(c), sizeof(passed));
    close(passed);
    return close(sv[0]) || close(sv[1]);
}

static int tcp_loopback(void)
{
    struct sockaddr_in addr = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    socklen_t len = sizeof(addr);
    int one = 1, rcvbuf = 0, err = -1;
    socklen_t ilen = sizeof(int);
    char buf[8];
    int l = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);

    if (l < 0 || setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
        bind(l, (struct sockaddr *)&addr, sizeof(addr)) || listen(l, 4) ||
        getsockname(l, (struct sockaddr *)&addr, &len))
        return 1;
    int c = socket(AF_INET, SOCK_STREAM, 0);
    if (c < 0 || setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) ||
        connect(c, (struct sockaddr *)&addr, sizeof(addr)))
        return 1;
    int a = accept(l, NULL, NULL);
    if (a < 0 || getsockopt(c, SOL_SOCKET, SO_RCVBUF, &rcvbuf, &ilen) ||
        getsockopt(c, SOL_SOCKET, SO_ERROR, &err, &ilen) || err)
        return 1;
    if (send(c, "ping", 4, 0) != 4 || recv(a, buf, sizeof(buf), 0) != 4 || shutdown(c, SHUT_WR) ||
        recv(a, buf, sizeof(buf), 0) != 0)
        return 1;
    return close(a) || close(c) || close(l);
}

static int udp6_loopback(void)
{
    struct sockaddr_in6 addr = { .sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT };
    struct sockaddr_in6 from;
    socklen_t len = sizeof(addr), flen = sizeof(from);
    int one = 1;
    char buf[8];
    int s = socket(AF_INET6, SOCK_DGRAM, 0);

    if (s < 0 || setsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one)) ||
        bind(s, (struct sockaddr *)&addr, sizeof(addr)) ||
        getsockname(s, (struct sockaddr *)&addr, &len))
        return 1;
    if (sendto(s, "dgram", 5, 0, (struct sockaddr *)&addr, sizeof(addr)) != 5 ||
        recvfrom(s, buf, sizeof(buf), 0, (struct sockaddr *)&from, &flen) != 5)
        return 1;
    return close(s);
}

int main(void)
{
    return unix_pair() ? 1 : tcp_loopback() ? 2 : udp6_loopback() ? 3 : 0;
}
