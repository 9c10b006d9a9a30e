/* poll.c — waiting on descriptors (strace's poll.c, desc.c's select and
 * epoll.c): poll, ppoll, select, pselect6 and the epoll calls.  The
 * arguments print on entry (a call that blocks shows "poll([...], 1, "
 * while it waits); what the kernel reports prints on exit: the ready
 * descriptors after the result, " = 1 ([{fd=3, revents=POLLIN}])",
 * "(in [3], left {...})", "(Timeout)", and epoll's events. */
#include "trace.h"
#include "xlat/epoll_ctl_ops.h"
#include "xlat/epoll_events.h"
#include "xlat/epoll_flags.h"
#include "xlat/poll_events.h"

#define EPOLL_CTL_DEL_ 2

/* ---- the text after the result (t->aux) */
/* The aux may use AUX_SAFE bytes and what the arguments left of the line:
 * longer, the line's end (and its newline) would not fit. */
static void aux_start(struct tcb *t, struct rs_buf *o)
{
    size_t spare = t->o->cap > t->o->n + 1 ? t->o->cap - t->o->n - 1 : 0;
    size_t room = AUX_SAFE + spare;

    rs_buf_init(o, t->aux, room < sizeof(t->aux) ? room : sizeof(t->aux), t->o->style);
}

static void aux_done(struct tcb *t, struct rs_buf *o)
{
    if (o->n)
        t->rval |= RVAL_STR;
}

static int timed_out(struct tcb *t)
{
    if (syserror(t) || t->ret != 0)
        return 0;
    rs_strlcpy(t->aux, "Timeout", sizeof(t->aux));
    t->rval |= RVAL_STR;
    return 1;
}

/* What the kernel left in the timeout: "{tv_sec=0, tv_nsec=269}", or its
 * address when unreadable. */
static void put_time_left(struct tcb *t, struct rs_buf *o, unsigned long addr, int usec)
{
    long tv[2];

    if (!umoven(t, addr, tv, sizeof(tv)))
        rs_putf(o, "%#lx", addr);
    else
        rs_putf(o, usec ? "{tv_sec=%ld, tv_usec=%ld}" : "{tv_sec=%ld, tv_nsec=%ld}", tv[0], tv[1]);
}

/* ---- poll, ppoll */
struct pollfd_ {
    int fd;
    short events, revents;
};

static void print_pollfd(struct tcb *t, const void *elem, void *data)
{
    struct pollfd_ p;

    (void)data;
    memcpy(&p, elem, sizeof(p));
    tprints(t, "{fd=");
    printfd(t, p.fd);
    if (p.fd >= 0) {
        tprints(t, ", events=");
        printflags(t, xlat_poll_events, (unsigned short)p.events, "POLL???");
    }
    tprints(t, "}");
}

static void poll_entry(struct tcb *t)
{
    unsigned n = (unsigned)t->arg[1];

    print_array(t, (unsigned long)t->arg[0], n, sizeof(struct pollfd_), print_pollfd, NULL);
    tprintf(t, ", %u, ", n);
}

/* strace builds these results in a buffer of 1024 bytes and stops short of
 * its end with "...": the same room here, so long results are cut where
 * strace cuts them. */
#define OUTSTR 1024

static void put_time_left_str(struct tcb *t, char *buf, size_t size, unsigned long addr, int usec)
{
    struct rs_buf o;

    rs_buf_init(&o, buf, size, 0);
    put_time_left(t, &o, addr, usec);
}

/* The descriptors with events: [{fd=3, revents=POLLIN}], then what is left
 * of ppoll's timeout. */
static void poll_exit(struct tcb *t, unsigned long ts)
{
    unsigned long addr = (unsigned long)t->arg[0];
    unsigned n = (unsigned)t->arg[1];
    unsigned long printed = 0;
    struct rs_buf o;
    char fdstr[64], flagstr[256], left[96];

    if (syserror(t) || timed_out(t) || !addr || !n)
        return;
    aux_start(t, &o);
    for (unsigned i = 0; i < n; i++) {
        struct pollfd_ p;
        struct rs_buf f;
        unsigned long cur = addr + i * sizeof(p);
        if (!umove(t, cur, &p)) {
            rs_puts(&o, o.n ? ", " : "[");
            rs_putf(&o, "%#lx", cur);
            break;
        }
        if (!p.revents)
            continue;
        rs_puts(&o, o.n ? ", " : "[");
        if (!topt.verbose && printed + 1 > (unsigned long)topt.strsize) {
            rs_puts(&o, "...");
            break;
        }
        rs_snprintf(fdstr, sizeof(fdstr), "{fd=%d, revents=", p.fd);
        rs_buf_init(&f, flagstr, sizeof(flagstr), t->o->style);
        rs_put_flags(&f, xlat_poll_events, (unsigned short)p.revents, NULL);
        if (o.n + rs_strlen(fdstr) + f.n + 1 >= OUTSTR - (2 + 2 * sizeof(long) + sizeof(", ], ..."))) {
            rs_puts(&o, "...");
            break;
        }
        rs_putf(&o, "%s%s}", fdstr, flagstr);
        printed++;
    }
    if (o.n)
        rs_putc(&o, ']');
    if (ts) {
        put_time_left_str(t, left, sizeof(left), ts, 0);
        if (o.n + sizeof(", left ") + rs_strlen(left) < OUTSTR)
            rs_putf(&o, "%sleft %s", o.n ? ", " : "", left);
        else
            rs_puts(&o, ", ...");
    }
    aux_done(t, &o);
}

SYS_FUNC(poll)
{
    if (exiting(t)) {
        poll_exit(t, 0);
        return 0;
    }
    poll_entry(t);
    tprintf(t, "%d", (int)t->arg[2]);
    return 0;
}

SYS_FUNC(ppoll)
{
    if (exiting(t)) {
        poll_exit(t, (unsigned long)t->arg[2]);
        return 0;
    }
    poll_entry(t);
    print_timespec(t, (unsigned long)t->arg[2]);
    tprints(t, ", ");
    print_sigset(t, (unsigned long)t->arg[3], (unsigned long)t->arg[4]);
    tprintf(t, ", %lu", (unsigned long)t->arg[4]);
    return 0;
}

/* ---- select, pselect6 */
#define FDSET_CHUNK 128          /* bytes of a set read at a time: 1024 descriptors */

/* nfds as the kernel takes it (an int, 0 when negative), bounded as strace
 * bounds it; the sets' size in bytes, whole longs. */
static int select_nfds(struct tcb *t)
{
    int n = (int)t->arg[0];

    return n < 0 ? 0 : n > 1024 * 1024 ? 1024 * 1024 : n;
}

static size_t fdset_size(int nfds)
{
    return (((size_t)nfds + 7) / 8 + 7) & ~(size_t)7;
}

/* The whole set is readable (strace reads it in one piece). */
static int fdset_readable(struct tcb *t, unsigned long addr, size_t size)
{
    unsigned char chunk[FDSET_CHUNK];

    for (size_t off = 0; off < size; off += sizeof(chunk)) {
        size_t n = size - off < sizeof(chunk) ? size - off : sizeof(chunk);
        if (!umoven(t, addr + off, chunk, n))
            return 0;
    }
    return 1;
}

/* The descriptors set in a set, below nfds, each given to put(); stops
 * when put() returns 0. */
typedef int (*fd_fn)(struct tcb *t, int fd, void *data);

static void for_each_fd(struct tcb *t, unsigned long addr, int nfds, fd_fn put, void *data)
{
    unsigned char chunk[FDSET_CHUNK];
    size_t size = fdset_size(nfds);

    for (size_t off = 0; off < size; off += sizeof(chunk)) {
        size_t n = size - off < sizeof(chunk) ? size - off : sizeof(chunk);
        if (!umoven(t, addr + off, chunk, n))
            return;
        for (size_t b = 0; b < n * 8; b++) {
            int fd = (int)(off * 8 + b);
            if (fd >= nfds)
                return;
            if (chunk[b / 8] >> (b % 8) & 1 && !put(t, fd, data))
                return;
        }
    }
}

static int put_entry_fd(struct tcb *t, int fd, void *data)
{
    int *first = data;

    if (!*first)
        tprints(t, " ");
    *first = 0;
    printfd(t, fd);
    return 1;
}

static void select_entry(struct tcb *t)
{
    int nfds = select_nfds(t);
    size_t size = fdset_size(nfds);

    tprintf(t, "%d", (int)t->arg[0]);
    for (int i = 1; i <= 3; i++) {
        unsigned long addr = (unsigned long)t->arg[i];
        int first = 1;
        tprints(t, ", ");
        if (!nfds || !addr || !fdset_readable(t, addr, size)) {
            printaddr(t, addr);
            continue;
        }
        tprints(t, "[");
        for_each_fd(t, addr, nfds, put_entry_fd, &first);
        tprints(t, "]");
    }
    tprints(t, ", ");
}

struct ready {
    struct rs_buf *o;
    const char *name;     /* "in", "out", "except" */
    const char **sep;
    int first;
    long left;            /* descriptors the result counts, not yet shown */
};

static int put_ready_fd(struct tcb *t, int fd, void *data)
{
    struct ready *r = data;

    (void)t;
    /* near the end of strace's buffer the descriptors are counted, not shown */
    if (r->o->n < OUTSTR - (sizeof(", except [") + sizeof(int) * 3 + 2)) {
        if (r->first)
            rs_putf(r->o, "%s%s [%d", *r->sep, r->name, fd);
        else
            rs_putf(r->o, " %d", fd);
        r->first = 0;
        *r->sep = ", ";
    }
    return --r->left > 0;
}

/* "in [3], out [6], left {tv_sec=0, tv_usec=98}" (usec: select's timeval) */
static void select_exit(struct tcb *t, int usec)
{
    static const char *const names[] = {"in", "out", "except"};
    int nfds = select_nfds(t);
    const char *sep = "";
    struct rs_buf o;
    struct ready r = {.o = &o, .sep = &sep, .left = t->ret};

    if (syserror(t) || timed_out(t))
        return;
    aux_start(t, &o);
    for (int i = 0; i < 3 && r.left > 0; i++) {
        unsigned long addr = (unsigned long)t->arg[i + 1];
        if (!addr || !nfds || !fdset_readable(t, addr, fdset_size(nfds)))
            continue;
        r.name = names[i];
        r.first = 1;
        for_each_fd(t, addr, nfds, put_ready_fd, &r);
        if (o.n)
            rs_putc(&o, ']');
    }
    if (t->arg[4]) {
        char left[96];
        put_time_left_str(t, left, sizeof(left), (unsigned long)t->arg[4], usec);
        if (o.n + sizeof("left ") + rs_strlen(sep) + rs_strlen(left) < OUTSTR)
            rs_putf(&o, "%sleft %s", sep, left);
    }
    t->rval |= RVAL_STR;        /* strace shows " ()" when nothing is left to say */
}

SYS_FUNC(select)
{
    if (exiting(t)) {
        select_exit(t, 1);
        return 0;
    }
    select_entry(t);
    print_timeval(t, (unsigned long)t->arg[4]);
    return 0;
}

/* pselect6's sixth argument: {sigmask=[...], sigsetsize=8}. */
static void print_sigmask_arg(struct tcb *t, unsigned long addr)
{
    unsigned long a[2];

    if (!umoven_or_printaddr(t, addr, a, sizeof(a)))
        return;
    tprints(t, "{sigmask=");
    print_sigset(t, a[0], a[1]);
    tprintf(t, ", sigsetsize=%lu}", a[1]);
}

SYS_FUNC(pselect6)
{
    if (exiting(t)) {
        select_exit(t, 0);
        return 0;
    }
    select_entry(t);
    print_timespec(t, (unsigned long)t->arg[4]);
    tprints(t, ", ");
    print_sigmask_arg(t, (unsigned long)t->arg[5]);
    return 0;
}

/* ---- epoll */
struct epoll_event_ {
    uint32_t events;
    uint64_t data;
} __attribute__((packed));

static void print_epoll_event(struct tcb *t, const void *elem, void *data)
{
    struct epoll_event_ e;

    (void)data;
    memcpy(&e, elem, sizeof(e));
    tprints(t, "{events=");
    printflags(t, xlat_epoll_events, e.events, "EPOLL???");
    tprintf(t, ", data={u32=%u, u64=%llu}}", (unsigned)e.data, (unsigned long long)e.data);
}

SYS_FUNC(epoll_create1)
{
    printflags(t, xlat_epoll_flags, (unsigned)t->arg[0], "EPOLL_???");
    return RVAL_DECODED | RVAL_FD;
}

SYS_FUNC(epoll_ctl)
{
    struct epoll_event_ e;
    unsigned op = (unsigned)t->arg[1];
    unsigned long addr = (unsigned long)t->arg[3];

    printfd(t, t->arg[0]);
    tprints(t, ", ");
    printxval(t, xlat_epoll_ctl_ops, op, "EPOLL_CTL_???");
    tprints(t, ", ");
    printfd(t, t->arg[2]);
    tprints(t, ", ");
    if (op == EPOLL_CTL_DEL_)
        printaddr(t, addr);
    else if (umove_or_printaddr(t, addr, &e))
        print_epoll_event(t, &e, NULL);
    return RVAL_DECODED;
}

/* epoll_wait's family: the descriptor on entry; the events the kernel
 * wrote (as many as the result says) and the rest on exit. */
static int epoll_wait_exit(struct tcb *t)
{
    unsigned long addr = (unsigned long)t->arg[1];

    if (syserror(t))
        printaddr(t, addr);
    else
        print_array(t, addr, (unsigned long)t->ret, sizeof(struct epoll_event_),
                    print_epoll_event, NULL);
    tprintf(t, ", %d, ", (int)t->arg[2]);
    return 0;
}

static void print_sigmask_pair(struct tcb *t)
{
    tprints(t, ", ");
    print_sigset(t, (unsigned long)t->arg[4], (unsigned long)t->arg[5]);
    tprintf(t, ", %lu", (unsigned long)t->arg[5]);
}

SYS_FUNC(epoll_wait)
{
    if (entering(t)) {
        printfd(t, t->arg[0]);
        tprints(t, ", ");
        return 0;
    }
    epoll_wait_exit(t);
    tprintf(t, "%d", (int)t->arg[3]);
    return 0;
}

SYS_FUNC(epoll_pwait)
{
    if (entering(t))
        return sys_epoll_wait(t);
    sys_epoll_wait(t);
    print_sigmask_pair(t);
    return 0;
}

SYS_FUNC(epoll_pwait2)
{
    if (entering(t))
        return sys_epoll_wait(t);
    epoll_wait_exit(t);
    if (syserror(t))             /* printed on exit: an address when the call failed */
        printaddr(t, (unsigned long)t->arg[3]);
    else
        print_timespec(t, (unsigned long)t->arg[3]);
    print_sigmask_pair(t);
    return 0;
}
