/* fds — descriptors of every kind strace's -yy names, for
 * tests/t_trace_fds.sh, which compares their lines under strace and
 * under runsel's trace (socket endpoints from NETLINK_SOCK_DIAG, devices,
 * pidfds, the fallbacks when the kernel does not answer).
 *
 *   fds PORT SECTION...   sections: unix inet udp inet6 netlink other dev
 *                         peer pidfd (all of them when none is given),
 *                         threads (4 threads showing socket pairs at once)
 *
 * A descriptor is shown by fcntl(fd, F_GETFD) (the line prints it and
 * nothing else that varies) and by dup(fd), whose result is one too.
 * What would differ between two runs is fixed or normalised by the test:
 * ports are PORT and up (every TCP socket ends in a reset: no TIME_WAIT),
 * netlink sockets bind a fixed nl_pid, paths are relative; inode numbers
 * and ephemeral ports the test renames. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/netlink.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef IPPROTO_UDPLITE
#define IPPROTO_UDPLITE 136
#endif
#ifndef AF_ALG
#define AF_ALG 38
#endif

static int port;

static void show(int fd)
{
    int d;

    syscall(SYS_fcntl, fd, F_GETFD);
    d = (int)syscall(SYS_dup, fd);
    if (d >= 0)
        close(d);
}

/* a socket closed by a reset, leaving nothing behind in the kernel */
static void hard_close(int fd)
{
    struct linger l = {1, 0};

    setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
    close(fd);
}

static struct sockaddr_un un_addr(const char *path, int abstract, socklen_t *len)
{
    struct sockaddr_un sun = {.sun_family = AF_UNIX};
    size_t n = strlen(path);

    memcpy(sun.sun_path + abstract, path, n);
    *len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + abstract + n + !abstract);
    return sun;
}

/* A listening socket at path (abstract: in the abstract namespace), a
 * client connected to it and the accepted end. */
static void unix_server(int type, const char *path, int abstract)
{
    socklen_t len;
    struct sockaddr_un sun = un_addr(path, abstract, &len);
    int l = socket(AF_UNIX, type, 0), c, a;

    if (!abstract)
        unlink(path);
    bind(l, (struct sockaddr *)&sun, len);
    listen(l, 4);
    show(l);
    c = socket(AF_UNIX, type, 0);
    connect(c, (struct sockaddr *)&sun, len);
    a = accept4(l, NULL, NULL, SOCK_CLOEXEC);
    show(c);
    show(a);
    close(a);
    close(c);
    close(l);
    if (!abstract)
        unlink(path);
}

static void sec_unix(void)
{
    int sv[2];
    static const int types[] = {SOCK_STREAM, SOCK_DGRAM, SOCK_SEQPACKET};

    for (unsigned i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
        socketpair(AF_UNIX, types[i], 0, sv);
        show(sv[0]);
        show(sv[1]);
        close(sv[0]);
        close(sv[1]);
    }
    /* unbound, unconnected: the kernel knows nothing more */
    sv[0] = socket(AF_UNIX, SOCK_STREAM, 0);
    show(sv[0]);
    close(sv[0]);
    sv[0] = socket(AF_UNIX, SOCK_DGRAM, 0);
    show(sv[0]);
    close(sv[0]);
    unix_server(SOCK_STREAM, "fds.sock", 0);
    unix_server(SOCK_SEQPACKET, "fds.seq", 0);
    unix_server(SOCK_STREAM, "fds-abstract", 1);
    /* a name with characters strace quotes */
    unix_server(SOCK_STREAM, "fds\"q\\<>\t.sock", 0);
    /* a bound datagram socket, and one sending to it */
    {
        socklen_t len;
        struct sockaddr_un sun = un_addr("fds.dg", 0, &len);
        int s = socket(AF_UNIX, SOCK_DGRAM, 0), c = socket(AF_UNIX, SOCK_DGRAM, 0);
        unlink("fds.dg");
        bind(s, (struct sockaddr *)&sun, len);
        connect(c, (struct sockaddr *)&sun, len);
        show(s);
        show(c);
        close(c);
        close(s);
        unlink("fds.dg");
    }
}

static struct sockaddr_in in4(const char *a, int p)
{
    struct sockaddr_in sin = {.sin_family = AF_INET, .sin_port = htons((unsigned short)p)};

    inet_pton(AF_INET, a, &sin.sin_addr);
    return sin;
}

static struct sockaddr_in6 in6(const char *a, int p)
{
    struct sockaddr_in6 sin6 = {.sin6_family = AF_INET6, .sin6_port = htons((unsigned short)p)};

    inet_pton(AF_INET6, a, &sin6.sin6_addr);
    return sin6;
}

/* listen on sa, connect to it, accept; every descriptor shown, then the
 * client's peer gone (the accepted end's view) */
static void tcp_trio(int family, const void *sa, socklen_t len)
{
    int one = 1, l = socket(family, SOCK_STREAM, 0), c, a;

    show(l);                                   /* not bound: the kernel's tables lack it */
    setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    bind(l, sa, len);
    show(l);                                   /* bound, not listening */
    listen(l, 4);
    show(l);
    c = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    connect(c, sa, len);
    a = accept4(l, NULL, NULL, SOCK_CLOEXEC);
    show(c);
    show(a);
    hard_close(c);
    show(a);
    hard_close(a);
    hard_close(l);
}

static void sec_inet(void)
{
    struct sockaddr_in sin = in4("127.0.0.1", port);
    struct sockaddr_in any = in4("0.0.0.0", port + 1);
    int s;

    tcp_trio(AF_INET, &sin, sizeof(sin));
    tcp_trio(AF_INET, &any, sizeof(any));
    /* a connect refused: the socket is closed again */
    s = socket(AF_INET, SOCK_STREAM, 0);
    sin = in4("127.0.0.1", port + 2);
    connect(s, (struct sockaddr *)&sin, sizeof(sin));
    show(s);
    close(s);
}

static void udp_pair(int family, const void *sa, const void *sb, socklen_t len)
{
    int a = socket(family, SOCK_DGRAM, 0), b = socket(family, SOCK_DGRAM, IPPROTO_UDP);

    show(a);
    bind(a, sa, len);
    show(a);
    bind(b, sb, len);
    connect(b, sa, len);
    show(b);
    connect(a, sb, len);
    show(a);                                   /* strace keeps what it saw first */
    close(a);
    close(b);
}

static void sec_udp(void)
{
    struct sockaddr_in a = in4("127.0.0.1", port + 3), b = in4("127.0.0.1", port + 4);
    int s;

    udp_pair(AF_INET, &a, &b, sizeof(a));
    /* connected without bind: the kernel picks the local port */
    s = socket(AF_INET, SOCK_DGRAM, 0);
    connect(s, (struct sockaddr *)&a, sizeof(a));
    show(s);
    close(s);
}

static void sec_inet6(void)
{
    struct sockaddr_in6 lo = in6("::1", port + 5), any = in6("::", port + 6);
    struct sockaddr_in6 ua = in6("::1", port + 7), ub = in6("::1", port + 8);
    struct sockaddr_in v4 = in4("127.0.0.1", port + 6);
    int s;

    tcp_trio(AF_INET6, &lo, sizeof(lo));
    tcp_trio(AF_INET6, &any, sizeof(any));
    /* a v4 client of the dual-stack listener: ::ffff:127.0.0.1 */
    {
        int one = 1, l = socket(AF_INET6, SOCK_STREAM, 0), c, a;
        setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
        bind(l, (struct sockaddr *)&any, sizeof(any));
        listen(l, 4);
        c = socket(AF_INET, SOCK_STREAM, 0);
        connect(c, (struct sockaddr *)&v4, sizeof(v4));
        a = accept4(l, NULL, NULL, 0);
        show(a);
        hard_close(c);
        hard_close(a);
        hard_close(l);
    }
    udp_pair(AF_INET6, &ua, &ub, sizeof(ua));
    s = socket(AF_INET6, SOCK_DGRAM, 0);
    connect(s, (struct sockaddr *)&ua, sizeof(ua));
    show(s);
    close(s);
}

static void sec_netlink(void)
{
    struct sockaddr_nl nl = {.nl_family = AF_NETLINK, .nl_pid = 0x7e57 + (unsigned)port};
    static const int protos[] = {NETLINK_ROUTE, NETLINK_SOCK_DIAG, NETLINK_KOBJECT_UEVENT,
                                 NETLINK_GENERIC, NETLINK_AUDIT};

    for (unsigned i = 0; i < sizeof(protos) / sizeof(protos[0]); i++) {
        int s = socket(AF_NETLINK, SOCK_RAW, protos[i]);
        if (s < 0)
            continue;
        show(s);                               /* not bound yet: no port id */
        bind(s, (struct sockaddr *)&nl, sizeof(nl));
        show(s);
        close(s);
    }
}

/* Protocols strace has no entry for: it asks every family, then prints
 * the kernel's path */
static void sec_other(void)
{
    struct sockaddr_in a = in4("127.0.0.1", port + 9);
    int s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDPLITE);

    if (s >= 0) {
        show(s);
        bind(s, (struct sockaddr *)&a, sizeof(a));
        show(s);
        close(s);
    }
    s = socket(AF_ALG, SOCK_SEQPACKET, 0);
    if (s >= 0) {
        show(s);
        close(s);
    }
    s = socket(AF_PACKET, SOCK_DGRAM, 0);          /* root only */
    if (s >= 0) {
        show(s);
        close(s);
    }
}

static void sec_dev(void)
{
    static const char *const devs[] = {"/dev/null", "/dev/zero", "/dev/full", "/dev/loop0",
                                       "/dev/shm", "/etc/hostname", NULL};

    for (int i = 0; devs[i]; i++) {
        int fd = open(devs[i], O_RDONLY);
        if (fd < 0)
            continue;
        show(fd);
        close(fd);
    }
}

static void sec_pidfd(void)
{
    int fd = (int)syscall(SYS_pidfd_open, getpid(), 0);
    pid_t child;

    if (fd < 0)
        return;
    show(fd);
    close(fd);
    child = fork();
    if (child == 0)
        _exit(0);
    fd = (int)syscall(SYS_pidfd_open, child, 0);
    show(fd);                                  /* a live or zombie child */
    waitpid(child, NULL, 0);
    show(fd);                                  /* reaped: no pid any more */
    close(fd);
}

/* A socket whose peer closed, seen before (strace keeps what it saw) and
 * not seen before (the kernel's answer now) */
static void sec_peer(void)
{
    int sv[2];

    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    show(sv[0]);
    close(sv[1]);
    show(sv[0]);
    close(sv[0]);
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    close(sv[1]);
    show(sv[0]);
    close(sv[0]);
    socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
    close(sv[1]);
    show(sv[0]);
    close(sv[0]);
    {
        struct sockaddr_in sin = in4("127.0.0.1", port + 10);
        int one = 1, l = socket(AF_INET, SOCK_STREAM, 0), c, a;
        setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
        bind(l, (struct sockaddr *)&sin, sizeof(sin));
        listen(l, 4);
        c = socket(AF_INET, SOCK_STREAM, 0);
        connect(c, (struct sockaddr *)&sin, sizeof(sin));
        a = accept4(l, NULL, NULL, 0);
        close(c);                              /* a FIN: the accepted end in CLOSE_WAIT */
        show(a);
        hard_close(a);
        hard_close(l);
    }
}

static void *pairs(void *arg)
{
    int sv[2];

    (void)arg;
    for (int i = 0; i < 50; i++) {
        if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
            continue;
        syscall(SYS_fcntl, sv[0], F_GETFD);
        syscall(SYS_fcntl, sv[1], F_GETFD);
        close(sv[0]);
        close(sv[1]);
    }
    return NULL;
}

/* Not compared with strace (the threads' order varies): every line must
 * show its pair, whichever thread looks up what at the same time. */
static void sec_threads(void)
{
    pthread_t th[4];

    for (int i = 0; i < 4; i++)
        pthread_create(&th[i], NULL, pairs, NULL);
    for (int i = 0; i < 4; i++)
        pthread_join(th[i], NULL);
}

static void run(const char *sec)
{
    static const struct {
        const char *name;
        void (*fn)(void);
    } secs[] = {
        {"unix", sec_unix},   {"inet", sec_inet},   {"udp", sec_udp},     {"inet6", sec_inet6},
        {"netlink", sec_netlink}, {"other", sec_other}, {"dev", sec_dev}, {"peer", sec_peer},
        {"pidfd", sec_pidfd},     /* last: after its fork trace splits blocking calls' lines */
        {"threads", sec_threads},
    };

    for (unsigned i = 0; i < sizeof(secs) / sizeof(secs[0]); i++)
        if (sec ? !strcmp(sec, secs[i].name) : secs[i].fn != sec_threads)
            secs[i].fn();
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: fds PORT [SECTION...]\n");
        return 2;
    }
    port = atoi(argv[1]);
    if (argc == 2)
        run(NULL);
    for (int i = 2; i < argc; i++)
        run(argv[i]);
    return 0;
}
