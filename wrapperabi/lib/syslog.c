/* syslog.c — records for the system's log daemon (log=syslog, sandbox's
 * audit of its denials): RFC 5424 over the /dev/log unix socket.
 *
 *     <PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID - MSG
 *
 * Why it is built the way it is:
 *   - the socket is one of the wrapper's kept descriptors (rs_keep_fd), as
 *     a log file is: the program can neither close nor reuse it, and out
 *     of process it is the supervisor's own;
 *   - it never blocks the program for long: every send is MSG_DONTWAIT;
 *     a daemon with no room (EAGAIN: a unix datagram socket queues only
 *     net.unix.max_dgram_qlen records, 10 by default, so a burst of trace
 *     lines fills it at once) is waited for once, at most
 *     RS_SYSLOG_WAIT_MS, and the record is then dropped and counted
 *     (s->dropped) — and after a drop no record waits again until one
 *     goes through, so a stuck daemon costs one wait, not one per line;
 *     the next record that goes is preceded by one that says how many
 *     were dropped (MSGID "dropped");
 *   - a daemon that restarted leaves our socket connected to nothing: one
 *     reconnect per failed record, onto the same kept descriptor (a new
 *     socket dup3'd over it), then the record goes or is dropped;
 *   - /dev/log is a fixed system path, not one the caller chose, so a
 *     secure exec may write there (docs/wrappers.md);
 *   - SOCK_DGRAM first (rsyslog, journald); a daemon listening on a
 *     stream socket refuses that with EPROTOTYPE, and each record then
 *     ends with a NUL, as glibc's syslog(3) frames it there. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/utsname.h>
#include <runsel/wrapper.h>
#include <runsel/print.h>

/* A new socket connected to /dev/log, or -errno. */
static long connect_devlog(int *type)
{
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    static const int types[] = {SOCK_DGRAM, SOCK_STREAM};
    long r = -EPROTOTYPE;

    rs_strlcpy(a.sun_path, RS_SYSLOG_PATH, sizeof(a.sun_path));
    for (int i = 0; i < 2 && r == -EPROTOTYPE; i++) {
        long fd = rs_syscall(SYS_socket, AF_UNIX, types[i] | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        if (fd < 0)
            return fd;
        r = rs_syscall(SYS_connect, fd, &a, sizeof(a));
        if (!r) {
            *type = types[i];
            return fd;
        }
        rs_syscall(SYS_close, fd);
    }
    return r;
}

/* Connect (again) onto the kept descriptor; 0 or -errno. */
static long reconnect(struct rs_syslog *s)
{
    long fd = connect_devlog(&s->type);

    if (fd < 0)
        return fd;
    long r = rs_syscall(SYS_dup3, fd, s->fd, O_CLOEXEC);
    rs_syscall(SYS_close, fd);
    if (r >= 0)
        s->connected = 1;
    return r < 0 ? r : 0;
}

static void read_hostname(struct rs_syslog *s)
{
    struct utsname u;

    if (rs_syscall(SYS_uname, &u) || !u.nodename[0])
        rs_strlcpy(s->host, "-", sizeof(s->host));
    else
        rs_strlcpy(s->host, u.nodename, sizeof(s->host));
}

int rs_syslog_open(struct rs_syslog *s, int facility, int pid)
{
    const char *w = rs_wrapper_name();

    memset(s, 0, sizeof(*s));
    s->fd = -1;
    s->facility = facility;
    s->pid = pid;
    s->msgid = "-";
    rs_snprintf(s->app, sizeof(s->app), "runsel-%s", w && *w ? w : "wrapper");
    read_hostname(s);
    /* The descriptor is made and kept now, connected or not: a daemon
     * that is not up yet is tried again at the first record, with no
     * new kept descriptor needed in the middle of the program's call. */
    long fd = connect_devlog(&s->type);
    if (fd >= 0) {
        s->connected = 1;
    } else {
        s->type = SOCK_DGRAM;
        fd = rs_syscall(SYS_socket, AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        if (fd < 0)
            return (int)fd;
    }
    int kfd = rs_keep_fd((int)fd);
    if (kfd < 0) {
        rs_syscall(SYS_close, fd);
        return kfd;
    }
    s->fd = kfd;
    return 0;
}

/* The header up to MSG: "<PRI>1 TIMESTAMP HOST APP PROCID MSGID - ". */
static size_t put_header(const struct rs_syslog *s, int severity, const char *msgid, char *mem,
                         size_t size)
{
    struct rs_buf h;

    rs_buf_init(&h, mem, size, 0);
    rs_putf(&h, "<%d>1 ", s->facility * 8 + (severity & 7));
    rs_put_rfc3339(&h, rs_realtime_ns());
    rs_putf(&h, " %s %s %d %s - ", s->host, s->app, s->pid ? s->pid : rs_getpid(),
            msgid && *msgid ? msgid : s->msgid);
    return h.n;
}

static long send_record(const struct rs_syslog *s, const char *head, size_t hn, const char *msg,
                        size_t n)
{
    struct iovec iov[3] = {{(void *)head, hn}, {(void *)msg, n}, {(void *)"", 1}};
    struct msghdr m = {.msg_iov = iov, .msg_iovlen = s->type == SOCK_STREAM ? 3 : 2};

    return rs_syscall(SYS_sendmsg, s->fd, &m, MSG_DONTWAIT | MSG_NOSIGNAL);
}

/* The daemon's queue had no room: wait for it, a bounded time. */
static void wait_room(const struct rs_syslog *s)
{
    struct {
        int fd;
        short events, revents;
    } p = {s->fd, 4 /* POLLOUT */, 0};
    long ts[2] = {0, RS_SYSLOG_WAIT_MS * 1000000L};

    rs_syscall(SYS_ppoll, &p, 1, ts, 0, 0);
}

/* Records dropped and not yet said: one warning record says how many,
 * before the next record that goes (rsyslog's imuxsock reports its own
 * losses the same way).  Claimed with a compare-and-swap, so that threads
 * sending at once say each drop once; given back when the warning itself
 * cannot go.  Drops after the process's last record stay unsaid. */
static void say_dropped(struct rs_syslog *s)
{
    unsigned long said = rs_atomic_load(&s->reported), now = rs_atomic_load(&s->dropped);
    char head[512], msg[160];

    if (now == said || !__atomic_compare_exchange_n(&s->reported, &said, now, 0, __ATOMIC_RELAXED,
                                                    __ATOMIC_RELAXED))
        return;
    size_t hn = put_header(s, RS_SEV_WARNING, "dropped", head, sizeof(head));
    size_t n = rs_snprintf(msg, sizeof(msg), "%s: %lu record%s dropped before this one (the log "
                           "daemon had no room, or was not there)", s->app, now - said,
                           now - said == 1 ? "" : "s");
    if (send_record(s, head, hn, msg, n) < 0)
        __atomic_fetch_sub(&s->reported, now - said, __ATOMIC_RELAXED);
}

long rs_syslog_send(struct rs_syslog *s, int severity, const char *msgid, const char *msg, size_t n)
{
    char head[512];
    long r = -ENOTCONN;

    if (s->fd < 0)
        return -EBADF;
    if (s->connected)
        say_dropped(s);             /* no room yet: fails at once, tried again next time */
    size_t hn = put_header(s, severity, msgid, head, sizeof(head));
    if (n > RS_SYSLOG_MSG_MAX)
        n = RS_SYSLOG_MSG_MAX;          /* daemons cut longer datagrams anyway */
    if (s->connected)
        r = send_record(s, head, hn, msg, n);
    if (r == -EAGAIN && !rs_atomic_load(&s->stalled)) {
        wait_room(s);
        r = send_record(s, head, hn, msg, n);
    }
    if (r < 0 && r != -EAGAIN && r != -ENOBUFS && !reconnect(s))
        r = send_record(s, head, hn, msg, n);
    __atomic_store_n(&s->stalled, r == -EAGAIN, __ATOMIC_RELAXED);
    if (r < 0) {
        if (r != -EAGAIN && r != -ENOBUFS)
            s->connected = 0;         /* try again with the next record */
        rs_atomic_add(&s->dropped, 1);
    }
    return r < 0 ? r : 0;
}

/* Text as records: one per line, the newline left out. */
long rs_syslog_lines(struct rs_syslog *s, int severity, const char *msgid, const char *text,
                     size_t n)
{
    long r = 0;

    while (n) {
        size_t len = 0;
        while (len < n && text[len] != '\n')
            len++;
        long e = len ? rs_syslog_send(s, severity, msgid, text, len) : 0;
        if (e)
            r = e;
        len += len < n;
        text += len;
        n -= len;
    }
    return r;
}
