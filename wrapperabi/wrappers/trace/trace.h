/* trace.h — the contract between trace's core (trace.c, the line and its
 * result: line.c) and its decoders, one file per family of calls as in
 * strace's src/: file.c, desc.c, mem.c, signal.c, process.c, net.c,
 * time.c, ... .  The table of calls is syscallent.h (one row per call).
 *
 * A decoder prints the arguments of one call into the call's line, in two
 * steps as strace's do: on entry (entering(t)) what the program passes in,
 * on exit (exiting(t)) what the kernel wrote — so a call that blocks shows
 * on entry as "read(3, " and, when another line comes first, strace's
 * "<unfinished ...>" / "<... read resumed>" pair is used.  It returns 0, or
 * RVAL_DECODED on entry when nothing is left for the exit, or-ed with how
 * the result prints (RVAL_HEX, RVAL_FD ..., else t->rval as set).  It reads the
 * program's memory only through ucopy.c (rs_copy_in underneath), never by
 * dereferencing a pointer: the same decoders will run outside the program.
 */
#ifndef TRACE_H
#define TRACE_H

#include <runsel/print.h>
#include <runsel/wrapper.h>
#include "tz.h"

/* ---- one call being traced */
struct tcb {
    struct rs_call *c;
    long arg[6];          /* the arguments as the program made the call */
    long ret;             /* the result (on exit) */
    struct rs_buf *o;     /* the line */
    int exiting;
    int rval;             /* RVAL_* how the result prints (a decoder may set it) */
    char aux[1024];       /* RVAL_STR: " (TEXT)" after the result (strace: 1024 for poll's) */
    uint64_t priv[24];    /* a decoder's own state from its entry to its exit */
    const struct sysent *se;
    int spec_pos;         /* the spec decoder's place between entry and exit */
};
#define entering(t) (!(t)->exiting)
#define exiting(t) ((t)->exiting)
#define syserror(t) (rs_is_err((t)->ret))

/* How the result prints (t->rval, low bits) */
#define RVAL_DEC   0
#define RVAL_HEX   1      /* mmap, brk */
#define RVAL_OCT   2      /* umask */
#define RVAL_UDEC  3
#define RVAL_NONE  4      /* does not return: "= ?" */
#define RVAL_FD    5      /* a descriptor: "= 3</path>" with -y */
#define RVAL_MASK  7
#define RVAL_STR   0x10   /* t->aux after the result: " = 0x1 (flags FD_CLOEXEC)" */
#define RVAL_DECODED 0x100  /* from a decoder on entry: no exit step */
/* The longest aux that always fits after the result (trace.c keeps room
 * for it at the end of the line); a longer one fits only in the room the
 * arguments left (aux_room, poll.c). */
#define AUX_SAFE 160

/* ---- the table (syscallent.h) */
typedef int (*sys_func)(struct tcb *t);
struct sysent {
    const char *spec;     /* arguments by letter (args.c), or NULL: func */
    sys_func func;
};
const struct sysent *trace_sysent(long nr);   /* NULL: not in the table */

/* ---- options (trace.c) */
struct trace_opts {
    long strsize;         /* -s */
    int verbose;          /* -v: structures in full */
    int decode_fds;       /* DECODE_FD_* (decode-fds=SET: -y path, -yy all) */
};
extern struct trace_opts topt;

/* ---- printing (print helpers: line.c) */
static inline void tprints(struct tcb *t, const char *s) { rs_puts(t->o, s); }
void tprintf(struct tcb *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void printaddr(struct tcb *t, unsigned long addr);   /* NULL or 0x... */
void printfd(struct tcb *t, long fd);                 /* 3, or 3</path> with -y */
void print_dirfd(struct tcb *t, long fd);             /* AT_FDCWD or printfd */
void printxval(struct tcb *t, const struct rs_xlat *x, uint64_t v, const char *dflt);
void printflags(struct tcb *t, const struct rs_xlat *x, uint64_t v, const char *dflt);
void print_mode(struct tcb *t, unsigned long mode);   /* 0644 */
/* A value abbrev prints in parts (O_RDONLY|O_CLOEXEC): one number with
 * -X raw, the number and the parts as a comment with -X verbose. */
void print_composite(struct tcb *t, unsigned long v, void (*abbrev)(struct tcb *, unsigned long));

/* ---- the program's memory (ucopy.c) */
/* 1 when all len bytes at addr were read into obj. */
int umoven(struct tcb *t, unsigned long addr, void *obj, size_t len);
#define umove(t, addr, objp) umoven((t), (addr), (objp), sizeof(*(objp)))
/* Read, or print the address (NULL for 0) and return 0: for structures. */
int umoven_or_printaddr(struct tcb *t, unsigned long addr, void *obj, size_t len);
#define umove_or_printaddr(t, addr, objp) umoven_or_printaddr((t), (addr), (objp), sizeof(*(objp)))
/* The same for what the kernel writes: after a failed call, the address
 * (the kernel wrote nothing), as strace's umove_or_printaddr. */
int fetch_or_printaddr(struct tcb *t, unsigned long addr, void *obj, size_t len);
/* A data buffer of len bytes, at most strsize shown, "..." when cut. */
void printstrn(struct tcb *t, unsigned long addr, unsigned long len);
void printstrn_hex(struct tcb *t, unsigned long addr, unsigned long len);
/* A NUL-terminated string of at most max bytes ("..." when longer). */
void printstr_max(struct tcb *t, unsigned long addr, size_t max);
void printpath(struct tcb *t, unsigned long addr);     /* up to PATH_MAX */
#define PATH_SHOWN 4096

/* ---- shared decoders other families print with */
void print_signal(struct tcb *t, long sig);            /* SIGINT, SIGRT_2, 40 */
void print_signal_bare(struct rs_buf *o, long sig);    /* INT, RT_2 (in sets) */
void print_sigset(struct tcb *t, unsigned long addr, unsigned long size);
void print_timespec(struct tcb *t, unsigned long addr);
void print_open_flags(struct tcb *t, unsigned long flags);
void print_sockaddr(struct tcb *t, unsigned long addr, unsigned long len);
void print_argv(struct tcb *t, unsigned long addr);
void print_envp(struct tcb *t, unsigned long addr);
void print_wait_status(struct tcb *t, int status);
long count_vec(struct tcb *t, unsigned long addr);    /* entries before NULL */

/* the stat family (stat.c, dirent.c, statfs.c) */
void print_symbolic_mode(struct tcb *t, unsigned mode);    /* S_IFREG|S_ISUID|0755 */
void print_dev(struct tcb *t, unsigned long long dev);      /* makedev(0x1, 0x3) */
/* " / * 2023-11-14T22:13:20.123456789+0000 * /" (local time), or nothing, as strace */
void print_time_comment(struct tcb *t, long long sec, unsigned long long nsec);

/* signals (signal.c, siginfo.c) */
void print_sigmask(struct rs_buf *o, uint64_t m, unsigned bytes);   /* [INT], ~[KILL] */
void print_siginfo(struct tcb *t, const void *info);   /* a 128-byte kernel siginfo */
void print_siginfo_at(struct tcb *t, unsigned long addr);
void print_sigevent(struct tcb *t, unsigned long addr);

/* time (time.c) */
void print_timeval(struct tcb *t, unsigned long addr);
void print_clockid(struct tcb *t, long id);            /* CLOCK_MONOTONIC */
void print_clock_t(struct tcb *t, uint64_t ticks);     /* 5 / * 0.05 s * / */
void print_date(struct rs_buf *o, long long secs);    /* 2026-12-01T14:48:05+0900, local */

/* ---- shared decoders: net (sockaddr.c, net.c, msghdr.c, sockopt.c, iovec.c) */
/* An address of len bytes (strace's decode_sockaddr): {sa_family=...},
 * or its address; returns the family, or -1 when it was not read. */
int decode_sockaddr(struct tcb *t, unsigned long addr, int len);
/* The same, already read: sa holds len bytes (at most 128), zeros to 129. */
void print_sockaddr_buf(struct tcb *t, const unsigned char *sa, int len);
void print_ifindex(struct tcb *t, unsigned idx);       /* if_nametoindex("lo"), 7 */
/* NAME=inet_addr("1.2.3.4"); inet_pton(AF_INET6, "::1", &NAME) (per -X) */
void print_inet4_field(struct tcb *t, const char *name, const unsigned char *a);
void print_inet6_field(struct tcb *t, const char *name, const unsigned char *a);
void print_mac(struct tcb *t, const unsigned char *a, size_t n);   /* 01:02:...:06 */
/* An address as inet_ntop writes it: 127.0.0.1, ::ffff:127.0.0.1 */
void put_inet4(struct rs_buf *o, const unsigned char *a);
void put_inet6(struct rs_buf *o, const unsigned char *a);
/* n struct iovec at addr, data_size bytes of data in all (ALL_DATA: no
 * limit), iov_base as addresses when bases_as_addr. */
#define ALL_DATA (~0UL)
void print_iovec(struct tcb *t, unsigned long addr, unsigned long n, unsigned long data_size,
                 int bases_as_addr);
void print_msg_flags(struct tcb *t, unsigned long flags);   /* MSG_DONTWAIT|... */
void print_len_changed(struct tcb *t, int before, int after);   /* [16], [112 => 16] */
/* What a net decoder reads on entry and prints on exit (strace's tcb
 * private data): kept in t->priv. */
#define NET_SAVED_NAMELENS 16
struct net_saved {
    int len;                         /* the length the program offered */
    int count;                       /* recvmmsg: the headers readable on entry */
    int namelen[NET_SAVED_NAMELENS]; /* recvmmsg: their msg_namelen */
    char timeout[72];                /* recvmmsg: the timeout as it was on entry */
};
struct net_saved *net_saved(struct tcb *t);

/* ---- resources, poll/select/epoll, descriptors, ioctl, sched, creds
 * (array.c resource.c poll.c desc.c mem.c random.c ioctl.c sched.c uid.c prctl.c) */
/* A structure the kernel writes: read it, or print its address (NULL for
 * 0) and return 0 — also on exit from a failed call, as strace does. */
#define umove_out(t, addr, objp) fetch_or_printaddr((t), (addr), (objp), sizeof(*(objp)))
/* An array of n elements of size bytes (at most 64), strace's print_array:
 * NULL, [], the address when the first is unreadable, strsize elements at
 * most without -v.  1 when at least one element was read. */
typedef void (*print_elem_fn)(struct tcb *t, const void *elem, void *data);
int print_array(struct tcb *t, unsigned long addr, unsigned long n, size_t size,
                print_elem_fn print, void *data);
/* A C string of at most len bytes, strace's printstr_ex(QUOTE_0_TERMINATED). */
void print_cstr_n(struct tcb *t, unsigned long addr, size_t len);
void print_rusage(struct tcb *t, unsigned long addr);  /* struct rusage (wait4) */
void printuid(struct tcb *t, unsigned uid);            /* 0, or -1 for (uid_t)-1 */

/* ---- what a descriptor is, beyond its path: strace's decode-fds SET
 * (decodefds.c, sockdiag.c; the path is line.c's printfd) */
#define DECODE_FD_PATH   1
#define DECODE_FD_SOCKET 2         /* UNIX-STREAM:[1->2], TCP:[1.2.3.4:5->...] */
#define DECODE_FD_DEV    4         /* /dev/null<char 1:3> */
#define DECODE_FD_PIDFD  8         /* pid:1234 */
#define DECODE_FD_ALL    15
/* decode-fds=: none, all, or path,socket,dev,pidfd (some); -1 if not */
int decode_fds_parse(const char *v);
/* fd's link in the program's /proc/PID/fd (n bytes at link, in a buffer of size bytes
 * the printers may reuse) as the set's socket, device or pidfd text:
 * <...> printed and 1, or 0 when fd is none of the kinds asked for. */
int print_fd_kind(struct tcb *t, int fd, char *link, size_t n, size_t size);
int print_socket_fd(struct tcb *t, int fd, char *link, size_t n, size_t size);
/* A link's text as -y prints a path (line.c): escaped, without the <>. */
void print_fd_link(struct tcb *t, const char *link, size_t n);

/* The spec decoder (args.c): the row's letters, entry and exit. */
int decode_spec(struct tcb *t);

/* The decoders by name: sys_NAME for every row with a func (syscallent.h). */
#define SYS_FUNC(name) int sys_##name(struct tcb *t)

#endif
