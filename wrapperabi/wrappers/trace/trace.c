/* trace — one strace-style line per system call (strace -f -s 32).
 *
 *     openat(AT_FDCWD, "/etc/hosts", O_RDONLY|O_CLOEXEC) = 3
 *     read(3, "127.0.0.1\tlocalhost\n::1\tlocal"..., 4096) = 158
 *     openat(AT_FDCWD, "/nonexistent", O_RDONLY) = -1 ENOENT (No such file or directory)
 *     exit_group(0)                           = ?
 *     +++ exited with 0 +++
 *
 * This file is the core: options, the handler, the line's start (prefix,
 * time) and end (result), exec and fork.  The arguments are the decoders'
 * (one file per family, trace.h), the calls' table syscallent.h, writing
 * to the log output.c, what is printed filter.c.  The options and what is
 * printed when are documented in docs/trace.md.
 *
 * Re-entrancy: a line is built in a stack buffer of the handler, which
 * spans the call (the handler overrides it and makes it with rs_pass), and
 * written with one write(2); after init, globals change only atomically
 * or in a forked child before it runs program code. */
#include <fcntl.h>
#include "call.h"
#include "exec.h"
#include "filter.h"
#include "output.h"
#include "trace.h"

#define RESULT_ROOM 256           /* the result, -T and the newline always fit */

struct trace_opts topt = {.strsize = 32};

static struct rs_log tlog;       /* where the lines go (rs_log_open_run) */
static int my_pid;
static int prefix_all;           /* shared output: prefix every line */
static int threaded;             /* this process created a thread */
static int follow = -1;          /* follow=yes (strace -f), no (only the process runsel
                                  * started), unset: every process, prefixed once they mix */
static int silent;               /* a process or thread follow=no does not show */
static int quiet;                /* -q: 1, -qq: 2 (no "+++ exited" lines) */
static char time_fmt;            /* 0, 't' (-t), 'u' (-tt), 'e' (-ttt) */
static int relative;             /* -r */
static int syscall_times;        /* -T */
static unsigned style;           /* -x -xx -X */
static uint64_t last_ns;         /* -r: the previous line's time */
static char comm[17];            /* --decode-pids=comm */
static int decode_comm;
static int json;                 /* format=json: one JSON object per call or event */
static int whole_lines;          /* json or log=syslog: every line written whole, at its end */

/* ---- the start of a line: prefix and time */
static int in_vm_child(void);

static int want_prefix(int tid)
{
    if (!follow)
        return 0;                /* one process shown */
    if (tlog.per_pid)            /* (a child in our memory writes its own file: its main thread's lines plain) */
        return (tid != my_pid && !(in_vm_child() && tid == rs_getpid())) || rs_atomic_load(&threaded);
    if (tlog.path[0] && follow == 1)
        return 1;                /* strace -f -o FILE: every line */
    return tid != my_pid || rs_atomic_load(&prefix_all);
}

static void put_time(struct rs_buf *o, uint64_t ns)
{
    uint64_t s = ns / 1000000000u, us = ns / 1000 % 1000000;

    if (time_fmt == 'e') {
        rs_putf(o, "%lu.%06lu ", (unsigned long)s, (unsigned long)us);
        return;
    }
    /* local time, as strace's localtime: the program's zone (tz.c) */
    struct civil c;
    long off;
    if (tz_local_date((long long)s, &c, &off))
        civil_from_seconds((long long)s, &c);
    rs_putf(o, "%02u:%02u:%02u", c.hour, c.min, c.sec);
    if (time_fmt == 'u')
        rs_putf(o, ".%06lu", (unsigned long)us);
    rs_putc(o, ' ');
}

static void put_relative(struct rs_buf *o, uint64_t now)
{
    uint64_t prev = __atomic_exchange_n(&last_ns, now, __ATOMIC_RELAXED);
    uint64_t d = prev && now > prev ? now - prev : 0;

    rs_putf(o, "%6lu.%06lu ", (unsigned long)(d / 1000000000u), (unsigned long)(d / 1000 % 1000000));
}

static void start_line(struct rs_buf *o, char *mem, size_t size, int tid)
{
    rs_buf_init(o, mem, size, style);
    if (json)
        return;                  /* pid, tid and time are the record's fields */
    if (want_prefix(tid)) {
        int plain = tlog.path[0] && !tlog.per_pid && follow == 1;
        if (decode_comm)             /* strace --decode-pids=comm: 1234<ls> */
            rs_putf(o, plain ? "%d<%s> " : "[pid %5d<%s>] ", tid, comm);
        else
            rs_putf(o, plain ? "%-5d " : "[pid %5d] ", tid);
    }
    if (time_fmt || relative) {
        uint64_t now = rs_realtime_ns();
        if (relative)
            put_relative(o, now);
        else
            put_time(o, now);
    }
}

/* ---- the end of a line: the result */
static void put_spent(struct rs_buf *o, uint64_t ns)
{
    rs_putf(o, " <%lu.%06lu>", (unsigned long)(ns / 1000000000u), (unsigned long)(ns / 1000 % 1000000));
}

static const char *const restart_names[] = {"ERESTARTSYS", "ERESTARTNOINTR", "ERESTARTNOHAND",
                                            "ENOIOCTLCMD", "ERESTART_RESTARTBLOCK"};
static const char *const restart_msgs[] = {"To be restarted if SA_RESTART is set",
                                           "To be restarted", "To be restarted if no handler",
                                           "ENOIOCTLCMD", "Interrupted by signal"};

static void put_error(struct rs_buf *o, long e)
{
    const char *name = rs_errno_name(e);

    if (e >= 512 && e <= 516)    /* kernel-internal restart codes */
        rs_putf(o, " = ? %s (%s)", restart_names[e - 512], restart_msgs[e - 512]);
    else if (name)
        rs_putf(o, " = -1 %s (%s)", name, rs_strerror(e));
    else
        rs_putf(o, " = -1 (errno %ld)", e);
}

static void put_result(struct tcb *t)
{
    struct rs_buf *o = t->o;
    long r = t->ret;

    rs_pad_to(o, 39);            /* strace: " = " at column 40, prefix included */
    if ((t->rval & RVAL_MASK) == RVAL_NONE) {
        rs_puts(o, " = ?");
        return;
    }
    if (rs_is_err(r)) {
        put_error(o, -r);
        return;
    }
    switch (t->rval & RVAL_MASK) {
    case RVAL_HEX: rs_putf(o, " = %#lx", r); break;
    case RVAL_OCT: rs_putf(o, " = %#03lo", r); break;
    case RVAL_UDEC: rs_putf(o, " = %lu", r); break;
    case RVAL_FD:
        rs_puts(o, " = ");
        printfd(t, r);
        break;
    default: rs_putf(o, " = %ld", r); break;
    }
    if (t->rval & RVAL_STR)
        rs_putf(o, " (%s)", t->aux);
}

/* ---- format=json: the same decoding, as one object per call or event
 *
 *     {"time":"2024-05-01T12:34:56.123456Z","pid":42,"tid":42,
 *      "program":"/usr/bin/cat","call":"openat",
 *      "args":"AT_FDCWD, \"/nonexistent\", O_RDONLY","retval":-1,"errno":"ENOENT"}
 *
 * args is the text strace's line has between the parentheses (the
 * decoders are the text format's, so the two never disagree); retval the
 * kernel's result (-1 with errno's name on failure, null for a call that
 * does not return); events ("+++", "---" lines) carry "event" instead of
 * "call".  A record is written whole when the call returns: no
 * "<unfinished ...>" pieces. */
int trace_json(void)
{
    return json;
}

static void put_json_result(struct rs_buf *j, long ret, int returns)
{
    long e = rs_is_err(ret) ? -ret : 0;

    if (!returns)
        rs_puts(j, ",\"retval\":null,\"errno\":null");
    else if (e >= 512 && e <= 516)
        rs_putf(j, ",\"retval\":-1,\"errno\":\"%s\"", restart_names[e - 512]);
    else if (e) {
        rs_puts(j, ",\"retval\":-1,\"errno\":");
        rs_put_json_errno(j, e);
    } else
        rs_putf(j, ",\"retval\":%ld,\"errno\":null", ret);
}

/* The record's head; fields (JSON text, from the comma on) follow. */
static void json_head(struct rs_buf *j, char *mem, size_t size, int pid, int tid)
{
    rs_buf_init(j, mem, size, 0);
    rs_put_json_head(j, rs_realtime_ns(), pid, tid, rs_program_path());
    if (size > 1024)
        j->cap = size - 1 - 256; /* room kept for the fields after args and the end */
}

static void json_end(struct rs_buf *j, size_t size)
{
    j->cap = size - 1;
    rs_puts(j, "}\n");
}

static void emit(int tid, int vmchild, const char *b, size_t n);

/* The pid a line of this process is about (a vfork child runs here too). */
static int line_pid(int vmchild)
{
    return vmchild ? rs_getpid() : my_pid;
}

/* A "killed" event's fields. */
static void killed_fields(struct tcb *t, int sig, int core)
{
    tprints(t, "\"event\":\"killed\",\"signal\":\"");
    print_signal(t, sig);
    tprintf(t, "\",\"core\":%s", core ? "true" : "false");
}

/* One call: name and args are the text line's (decoded as for text). */
static void json_call(int tid, int vmchild, const char *name, size_t nn, const char *args, size_t an,
                      long ret, int returns, int injected, uint64_t spent)
{
    char mem[2 * LINE];
    struct rs_buf j;

    json_head(&j, mem, sizeof(mem), line_pid(vmchild), tid);
    rs_puts(&j, ",\"call\":");
    rs_put_json_str(&j, name, nn);
    rs_puts(&j, ",\"args\":\"");
    rs_put_json_escaped(&j, args, an);
    j.cap = sizeof(mem) - 1;
    rs_putc(&j, '"');
    put_json_result(&j, ret, returns);
    if (injected)
        rs_puts(&j, ",\"injected\":true");
    if (syscall_times && returns)
        rs_putf(&j, ",\"usecs\":%lu", (unsigned long)(spent / 1000));
    json_end(&j, sizeof(mem));
    emit(tid, vmchild, j.b, j.n);
}

/* An event: fields is JSON text ("event":"exited","status":0). */
static void json_event(int tid, int vmchild, int pid, const char *fields, size_t n)
{
    char mem[1024];
    struct rs_buf j;

    json_head(&j, mem, sizeof(mem), pid, tid);
    rs_putc(&j, ',');
    rs_put(&j, fields, n);
    json_end(&j, sizeof(mem));
    if (!j.full)
        emit(tid, vmchild, j.b, j.n);
}

void trace_json_event(int tid, const char *fields, size_t n)
{
    int vm = in_vm_child();

    json_event(tid, vm, line_pid(vm), fields, n);
}

/* ---- which calls block: their start is written on entry (output.c) */
static int blocks_surely(long nr, const long *a)
{
    switch (nr) {
    case SYS_wait4:
        return !(a[2] & 1);                            /* without WNOHANG */
    case SYS_waitid:
        return !(a[3] & 1);
    case SYS_nanosleep: case SYS_clock_nanosleep:
    case SYS_pause: case SYS_rt_sigsuspend: case SYS_rt_sigtimedwait: case SYS_poll:
    case SYS_ppoll: case SYS_select: case SYS_pselect6: case SYS_epoll_wait:
    case SYS_epoll_pwait: case SYS_epoll_pwait2: case SYS_accept: case SYS_accept4:
    case SYS_msgrcv: case SYS_semop: case SYS_semtimedop: case SYS_mq_timedreceive:
    case SYS_io_getevents: case SYS_io_pgetevents:
        return 1;
    case SYS_futex: {
        long cmd = a[1] & 127;
        return cmd == 0 || cmd == 6 || cmd == 9 || cmd == 11 || cmd == 13;   /* the waits */
    }
    case SYS_fcntl:
        return a[1] == 7 || a[1] == 38;                /* F_SETLKW, F_OFD_SETLKW */
    case SYS_flock:
        return !(a[1] & 4);                            /* without LOCK_NB */
    }
    return 0;
}

/* Reads and writes of a regular file or a directory never wait: their
 * line needs no start written first (a write(2) saved per call).  What a
 * descriptor is, is asked once (fstat of the program's fd: rs_program_fd,
 * the number itself in process) and kept until the number is released —
 * close, dup2/dup3 onto it, close_range — and a new descriptor can only
 * take a released number.  (Process-wide, like the numbers; a wrong guess
 * only moves when a line's start is written.) */
#define FD_KINDS 1024
#define FD_UNKNOWN 0
#define FD_NEVER_WAITS 1
#define FD_MAY_WAIT 2
static unsigned char fd_kind[FD_KINDS];

static int never_waits(long fd)
{
    struct {
        uint64_t dev, ino, nlink;
        uint32_t mode;
        char rest[128];
    } st;                          /* struct stat's first fields (x86-64) */

    if (fd < 0 || fd >= FD_KINDS)
        return 0;
    unsigned char k = __atomic_load_n(&fd_kind[fd], __ATOMIC_RELAXED);
    if (k == FD_UNKNOWN) {
        long pfd = rs_program_fd((int)fd);
        unsigned type = rs_syscall(SYS_fstat, pfd, &st) ? 0 : st.mode & 0170000;
        rs_program_fd_done(pfd);
        k = type == 0100000 || type == 0040000 ? FD_NEVER_WAITS : FD_MAY_WAIT;   /* S_IFREG, S_IFDIR */
        __atomic_store_n(&fd_kind[fd], k, __ATOMIC_RELAXED);
    }
    return k == FD_NEVER_WAITS;
}

static void forget_fds(unsigned long first, unsigned long last)
{
    for (unsigned long fd = first; fd <= last && fd < FD_KINDS; fd++)
        __atomic_store_n(&fd_kind[fd], FD_UNKNOWN, __ATOMIC_RELAXED);
}

/* After any call: the descriptor numbers it released. */
static void note_released_fds(long nr, const long *a, long ret)
{
    if (rs_is_err(ret))
        return;
    if (nr == SYS_close)
        forget_fds((unsigned long)a[0], (unsigned long)a[0]);
    else if (nr == SYS_dup2 || nr == SYS_dup3)
        forget_fds((unsigned long)a[1], (unsigned long)a[1]);
    else if (nr == SYS_close_range)
        forget_fds((unsigned)a[0], (unsigned)a[1]);
}

static int may_block(long nr, const long *a)
{
    switch (nr) {
    case SYS_read: case SYS_readv: case SYS_pread64: case SYS_preadv: case SYS_preadv2:
    case SYS_write: case SYS_writev:
        /* on the stderr the program shares, its own output comes between
         * the start and the rest, as under strace: always start there */
        return !tlog.path[0] || !never_waits(a[0]);
    /* a signal to itself can end the process before the line is written:
     * its start is there, and the parent reaping it ends it (note_reaped) */
    case SYS_kill: case SYS_tkill: case SYS_tgkill: case SYS_rt_sigqueueinfo:
    case SYS_rt_tgsigqueueinfo: case SYS_pidfd_send_signal:
    case SYS_recvfrom: case SYS_recvmsg: case SYS_recvmmsg:
    case SYS_sendto: case SYS_sendmsg: case SYS_sendmmsg: case SYS_connect: case SYS_msgsnd:
    case SYS_mq_timedsend: case SYS_sendfile: case SYS_splice: case SYS_tee:
    case SYS_vmsplice: case SYS_io_uring_enter:
        return 1;
    }
    return blocks_surely(nr, a);
}

/* ---- one call */
static const char *foreign_spec(const char *name);

static void decode(struct tcb *t, int *done)
{
    if (*done)
        return;
    int r = t->se->func(t);
    if (r & RVAL_MASK)           /* how the result prints, as returned (RVAL_FD ...) */
        t->rval = (t->rval & ~RVAL_MASK) | (r & RVAL_MASK);
    t->rval |= r & RVAL_STR;
    if (entering(t) && (r & RVAL_DECODED))
        *done = 1;
}

/* The status= filter: does a call that does not return (exit_group:
 * strace's "unfinished") print? */
static int unfinished_shown(void)
{
    return (filter_status() & STATUS_UNFINISHED) != 0;
}

/* Does this result print? */
static int status_shown(long ret)
{
    unsigned st = filter_status();

    if (st == STATUS_ALL)
        return 1;
    return rs_is_err(ret) ? (st & STATUS_FAILED) != 0 : (st & STATUS_SUCCESSFUL) != 0;
}

/* ---- children in our memory: posix_spawn's clone3(CLONE_VM|CLONE_VFORK)
 * runs the child on its own stack in the parent's memory, with no
 * .atfork: our state is the parent's, so the child finds out it is one by
 * its pid (asked only while such a clone is in flight), and with %p writes
 * its lines into its own file. */
static int vm_children;

static int in_vm_child(void)
{
    return rs_atomic_load(&vm_children) && rs_getpid() != my_pid;
}

static int spawns_in_our_memory(long nr, const long *a)
{
    unsigned long f = 0;

    if (nr == SYS_vfork)                 /* out of process a real one (in process initmod forks) */
        return 1;
    if (nr == SYS_clone)
        f = (unsigned long)a[0];
    else if (nr != SYS_clone3 || rs_copy_in(&f, (const void *)a[0], sizeof(f)) != sizeof(f))
        return 0;
    return (f & 0x14100) == 0x4100;      /* CLONE_VM|CLONE_VFORK, not CLONE_THREAD */
}

/* A whole line: to the log; from a child in our memory with %p, to its file. */
static void emit(int tid, int vmchild, const char *b, size_t n)
{
    if (vmchild && tlog.per_pid) {
        long fd = rs_log_open_file(&tlog, rs_getpid(), RS_LOG_CREATE, NULL, 0);
        if (fd >= 0) {
            rs_write_all((int)fd, b, n);
            rs_syscall(SYS_close, fd);
        }
        return;
    }
    out_line(tid, b, n);
}

/* "+++ exited with N +++": a process at exit_group, a thread at exit. */
__attribute__((noinline)) static void print_exited(int tid, int vmchild, int status)
{
    char mem[256];
    struct rs_buf o;

    if (quiet >= 2)
        return;
    start_line(&o, mem, sizeof(mem), tid);
    if (json) {
        rs_putf(&o, "\"event\":\"exited\",\"status\":%d", status & 0xff);
        json_event(tid, vmchild, line_pid(vmchild), o.b, o.n);
        return;
    }
    rs_putf(&o, "+++ exited with %d +++\n", status & 0xff);
    emit(tid, vmchild, o.b, o.n);
}

/* ---- a child killed by a signal cannot say so: its parent, reaping it,
 * writes strace's "+++ killed by SIGSEGV (core dumped) +++" for it — in
 * the child's own file with %p (only if it exists: the child was traced),
 * after ending the line of the call the child died in, as strace does
 * ("<unfinished ...>) = ?"); in a shared log, prefixed with the child's pid.
 * wait4 and waitid without WNOWAIT reap; the line comes when the parent
 * reaps, not when the child died. */
#define CLD_KILLED_ 2
#define CLD_DUMPED_ 3

/* The child (pid, signal, core) wait4 or waitid reaped, killed; 0 if none. */
static int reaped_killed(const struct rs_call *c, long nr, long ret, int *sig, int *core)
{
    if (nr == SYS_wait4 && ret > 0 && c->arg[1]) {
        int st;
        if (rs_copy_in(&st, (const void *)c->arg[1], sizeof(st)) != sizeof(st) ||
            (st & 0x7f) == 0 || (st & 0xff) == 0x7f || st == 0xffff)
            return 0;
        *sig = st & 0x7f;
        *core = (st & 0x80) != 0;
        return (int)ret;
    }
    if (nr == SYS_waitid && ret == 0 && c->arg[2] && !(c->arg[3] & 0x1000000)) {   /* WNOWAIT */
        int si[7];             /* si_signo, si_errno, si_code, pad, si_pid, si_uid, si_status */
        if (rs_copy_in(si, (const void *)c->arg[2], sizeof(si)) != sizeof(si) ||
            (si[2] != CLD_KILLED_ && si[2] != CLD_DUMPED_) || si[4] <= 0)
            return 0;
        *sig = si[6];
        *core = si[2] == CLD_DUMPED_;
        return si[4];
    }
    return 0;
}

/* The child's file ends with the start of a call's line: end it as strace. */
static void end_open_call(int fd)
{
    char tail[512];
    long size = rs_syscall(SYS_lseek, fd, 0, 2 /* SEEK_END */);
    long n = size < (long)sizeof(tail) ? size : (long)sizeof(tail);

    if (n <= 0 || rs_syscall(SYS_pread64, fd, tail, n, size - n) != n || tail[n - 1] == '\n')
        return;
    long col = n;
    for (long i = n - 1; i >= 0; i--)
        if (tail[i] == '\n') {
            col = n - 1 - i;
            break;
        }
    if (col == n && size > n)
        col = 4096;            /* a long line: no padding */
    char mem[128];
    struct rs_buf o;
    rs_buf_init(&o, mem, sizeof(mem), 0);
    rs_puts(&o, tail[n - 1] == ' ' ? " <unfinished ...>)" : ")");
    if ((size_t)col + o.n < 39)
        rs_pad_to(&o, 39 - (size_t)col);
    rs_puts(&o, " = ?\n");
    rs_write_all(fd, o.b, o.n);
}

__attribute__((noinline)) static void note_reaped(const struct rs_call *c, long nr, long ret, int tid,
                                                 int vmchild)
{
    int sig = 0, core = 0, pid = reaped_killed(c, nr, ret, &sig, &core);
    char mem[128];
    struct rs_buf o;
    struct tcb t;

    if (!pid || silent || quiet >= 2)
        return;
    memset(&t, 0, sizeof(t));
    t.o = &o;
    if (json) {
        rs_buf_init(&o, mem, sizeof(mem), 0);
        killed_fields(&t, sig, core);
        if (!tlog.per_pid) {
            json_event(0, vmchild, pid, o.b, o.n);
            return;
        }
        char rec[256];
        struct rs_buf j;
        json_head(&j, rec, sizeof(rec), pid, 0);
        rs_putc(&j, ',');
        rs_put(&j, o.b, o.n);
        json_end(&j, sizeof(rec));
        long fd = rs_log_open_file(&tlog, pid, RS_LOG_READ, NULL, 0);
        if (fd >= 0) {
            rs_write_all((int)fd, j.b, j.n);
            rs_syscall(SYS_close, fd);
        }
        return;
    }
    if (tlog.per_pid)
        rs_buf_init(&o, mem, sizeof(mem), style);   /* the child's own file: no prefix */
    else
        start_line(&o, mem, sizeof(mem), pid);
    tprints(&t, "+++ killed by ");
    print_signal(&t, sig);
    tprints(&t, core ? " (core dumped) +++\n" : " +++\n");
    if (!tlog.per_pid) {
        emit(tid, vmchild, o.b, o.n);
        return;
    }
    long fd = rs_log_open_file(&tlog, pid, RS_LOG_READ, NULL, 0);
    if (fd < 0)
        return;                /* not traced: no file */
    end_open_call((int)fd);
    rs_write_all((int)fd, o.b, o.n);
    rs_syscall(SYS_close, fd);
}

static int is_fork_like(long nr)
{
    return nr == SYS_clone || nr == SYS_clone3 || nr == SYS_fork || nr == SYS_vfork;
}

static void note_child(struct rs_call *c, long nr);

static int is_exec(long nr)
{
    return nr == SYS_execve || nr == SYS_execveat;
}

/* The new program shares this output with others: it prefixes its lines. */
static int exec_shares(int tid)
{
    return !tlog.per_pid && (rs_atomic_load(&prefix_all) || tid != my_pid);
}

static size_t put_before(char *mem, size_t size, size_t from, size_t to, const char *head, size_t hn);

/* ---- one call's line: its start, written early when it may block, and
 * its end — after the call, or from a signal's hook that found the call
 * interrupted (delivery.c) */
void call_begin(struct call *k)
{
    struct rs_buf *o = &k->o;

    k->t.o = o;
    k->t.exiting = 0;
    k->t.rval = 0;
    k->t.spec_pos = 0;
    k->done = 0;
    start_line(o, k->mem, sizeof(k->mem) - RESULT_ROOM, k->tid);
    if (k->name)
        rs_puts(o, k->name);
    else
        rs_putf(o, "syscall_%#lx", k->c->nr);
    rs_putc(o, '(');
    k->args_at = o->n;
    decode(&k->t, &k->done);
    k->entry_end = o->n;
}

/* The token of an exec's start written into a child-in-our-memory's own
 * file (out_start's tokens are other values, ~0UL the shared log's). */
#define VM_STARTED (~1UL)

void call_write_start(struct call *k)
{
    long nr = k->nr;

    k->token = 0;
    if (whole_lines)
        return;                          /* json, syslog: no line is written in pieces */
    if (k->vmchild && tlog.per_pid && is_exec(nr) && filter_status() == STATUS_ALL) {
        emit(k->tid, 1, k->o.b, k->o.n); /* its own file: the new image ends the line there */
        k->token = VM_STARTED;
        return;
    }
    if (filter_status() != STATUS_ALL || k->vmchild ||
        !(k->shared ? blocks_surely(nr, k->t.arg) : may_block(nr, k->t.arg) || is_exec(nr)))
        return;
    if (k->shared) {
        struct rs_buf e = k->o;          /* the line's start stays as it is in mem */
        rs_puts(&e, " <unfinished ...>\n");
        emit(k->tid, k->vmchild, e.b, e.n);
        k->token = ~0UL;
    } else {
        /* withdrawable until out_pass: not an exec's (the new image ends
         * its line) nor a restarted call's (the kernel makes it) */
        k->token = out_start(k->tid, k->o.b, k->o.n, !is_exec(nr) && !k->again);
    }
}

void call_finish(struct call *k, long ret, uint64_t spent)
{
    struct rs_buf *o = &k->o;
    struct tcb *t = &k->t;
    size_t entry_end = k->entry_end;
    int mine = 0;

    if (!status_shown(ret))
        return;
    t->ret = ret;
    o->n = entry_end;
    o->cap = sizeof(k->mem) - RESULT_ROOM;
    o->full = 0;
    t->exiting = 1;
    decode(t, &k->done);
    if (json) {
        json_call(k->tid, k->vmchild, o->b, k->args_at - 1, o->b + k->args_at, o->n - k->args_at,
                  ret, 1, k->passed && !rs_call_made(k->c), spent);
        return;
    }
    rs_putc(o, ')');
    o->cap = sizeof(k->mem) - 1;
    put_result(t);
    if (k->passed && !rs_call_made(k->c))
        rs_puts(o, " (INJECTED)");   /* a wrapper inside this one answered */
    if (syscall_times)
        put_spent(o, spent);
    rs_putc(o, '\n');
    if (!k->token) {
        emit(k->tid, k->vmchild, o->b, o->n);
    } else if (k->token == VM_STARTED) {   /* a failed exec's end, after its start */
        emit(k->tid, 1, o->b + entry_end, o->n - entry_end);
    } else if (k->token != ~0UL && (mine = out_finish(k->tid, k->token, o->b + entry_end,
                                                      o->n - entry_end)) < 0) {
        emit(k->tid, k->vmchild, o->b, o->n);   /* its start was taken back (output.c) */
    } else if (!mine) {
        /* something came between: strace's "<... NAME resumed>" */
        char head[192];
        struct rs_buf r;
        start_line(&r, head, sizeof(head), k->tid);
        if (k->name)
            rs_putf(&r, "<... %s resumed>", k->name);
        else
            rs_putf(&r, "<... syscall_%#lx resumed>", k->c->nr);
        emit(k->tid, k->vmchild, k->mem, put_before(k->mem, sizeof(k->mem), entry_end, o->n, head, r.n));
    }
    k->token = 0;
}

/* exit, exit_group: the line before the call, which does not return. */
static long trace_no_return(struct call *k)
{
    struct rs_buf *o = &k->o;

    if (!unfinished_shown())
        return rs_pass(k->c);
    if (json) {
        json_call(k->tid, k->vmchild, o->b, k->args_at - 1, o->b + k->args_at, o->n - k->args_at,
                  0, 0, 0, 0);
        if (k->nr == SYS_exit && quiet < 2) {
            char f[64];
            size_t n = rs_snprintf(f, sizeof(f), "\"event\":\"exited\",\"status\":%d",
                                   (int)k->t.arg[0] & 0xff);
            json_event(k->tid, k->vmchild, line_pid(k->vmchild), f, n);
        }
        return rs_pass(k->c);
    }
    rs_putc(o, ')');
    put_result(&k->t);
    rs_putc(o, '\n');
    if (k->nr == SYS_exit && quiet < 2) {   /* a thread's end, in the same write (exit_group's: .fini) */
        struct rs_buf e;
        start_line(&e, o->b + o->n, sizeof(k->mem) - o->n, k->tid);
        rs_putf(&e, "+++ exited with %d +++\n", (int)k->t.arg[0] & 0xff);
        o->n += e.n;
    }
    emit(k->tid, k->vmchild, o->b, o->n);
    return rs_pass(k->c);
}

/* rt_sigreturn: the mask it restores and the %rax it returns to, read
 * from the frame (delivery.c), before it goes; then a call the signal
 * interrupted and the kernel makes again shows its new attempt. */
static long trace_sigreturn(struct call *k)
{
    long rax;

    if (rs_sigreturn_word(k->c, RS_UC_RAX, &rax)) {
        k->t.ret = rax;
        call_finish(k, rax, 0);
        restarted_call(k->c);
    }
    return rs_pass(k->c);
}

static long trace_call(struct rs_call *c)
{
    int native = c->abi == RS_ABI_X86_64;
    long nr = native ? c->nr : -1;
    struct call k;

    int traced = !silent && filter_call(c->nr, native);
    int tid = traced || is_exec(nr) || !follow ? rs_gettid() : 0;   /* one gettid a call */

    if (!traced || (!follow && tid != my_pid)) {
        exec_before(c, nr, exec_shares(tid), 0, tlog.fd, my_pid, 0);
        long r = rs_pass(c);
        exec_after(c, nr, my_pid);
        note_released_fds(nr, c->arg, r);
        return r;
    }
    memset(&k.t, 0, sizeof(k.t));
    k.c = k.t.c = c;
    k.nr = nr;
    k.tid = tid;
    k.vmchild = in_vm_child();
    k.name = rs_call_name(c);
    k.ended = k.again = k.passed = 0;
    memcpy(k.t.arg, c->arg, sizeof(k.t.arg));
    k.t.se = native ? trace_sysent(nr) : NULL;
    if (!k.t.se) {
        const char *spec = native ? NULL : foreign_spec(k.name);
        k.foreign = (struct sysent){spec ? spec : "d:xxxxxx", decode_spec};
        k.t.se = &k.foreign;
    }
    call_begin(&k);
    if ((k.t.rval & RVAL_MASK) == RVAL_NONE)       /* exit, exit_group */
        return trace_no_return(&k);
    k.shared = follow && !tlog.per_pid && rs_atomic_load(&prefix_all);   /* follow=no: only ours */
    k.token = 0;
    if (nr == SYS_rt_sigreturn)
        return trace_sigreturn(&k);
    /* the start of a call that may block goes out now (output.c); an
     * execve's start too, in a log of our own: the new image ends the
     * line (exec.c); in a shared log it writes the whole line */
    call_write_start(&k);
    /* a child in our memory writes its own %p file (emit): the new image
     * ends the line there, so the marker names that file */
    int efd = tlog.fd, own = -1;
    if (k.vmchild && tlog.per_pid && is_exec(nr))
        efd = own = (int)rs_log_open_file(&tlog, rs_getpid(), RS_LOG_CREATE, NULL, 0);
    exec_before(c, nr, exec_shares(tid), k.token && !k.shared, efd, my_pid, k.entry_end);
    if (own >= 0)
        rs_syscall(SYS_close, own);
    uint64_t t0 = k.t0 = syscall_times ? rs_now_ns() : 0;
    int spawning = spawns_in_our_memory(nr, k.t.arg);
    if (spawning)
        rs_atomic_add(&vm_children, 1);
    int known = call_register(&k);      /* for a signal that interrupts it */
    if (k.token)
        out_pass(k.token);              /* its start stays now (output.c) */
    long ret = rs_pass(c);
    k.passed = 1;
    if (known)
        call_unregister(&k);
    if (spawning)
        rs_atomic_add(&vm_children, -1);   /* the child has exec'd or exited */
    uint64_t spent = syscall_times ? rs_now_ns() - t0 : 0;
    exec_after(c, nr, my_pid);
    note_released_fds(nr, k.t.arg, ret);
    note_reaped(c, nr, ret, tid, k.vmchild);
    if (is_fork_like(nr)) {
        if (ret == 0)
            return 0;            /* the child's side: not shown, as strace -f */
        note_child(c, nr);
    }
    if (k.ended && !k.again)
        return ret;              /* a signal's hook ended its line */
    if (k.again) {               /* made again, its new start not seen: the whole line */
        call_begin(&k);
        k.token = 0;
    }
    call_finish(&k, ret, spent);
    return ret;
}

/* The rest of a line, mem[from, to), moved to follow head: the resumed
 * line, built in the same buffer (the handler's frame stays small: it may
 * run on a goroutine's signal stack).  Returns the new length. */
static size_t put_before(char *mem, size_t size, size_t from, size_t to, const char *head, size_t hn)
{
    size_t rest = to - from;

    if (hn + rest > size)
        rest = size - hn;
    memmove(mem + hn, mem + from, rest);
    memcpy(mem, head, hn);
    return hn + rest;
}

/* An ia32 or x32 call: decoded with the x86-64 call of the same name when
 * its arguments are plain numbers, descriptors, strings or buffers (the
 * same on every ABI); else its raw arguments. */
static const char *foreign_spec(const char *name)
{
    long nr = name ? rs_syscall_from_name(name, rs_strlen(name)) : -1;
    const struct sysent *se = trace_sysent(nr);

    if (!se || !se->spec || !rs_strchr("dxf", se->spec[0]))
        return NULL;
    for (const char *p = se->spec + 2; *p; p++)
        if (!rs_strchr("dluxpfDsbBc", *p))
            return NULL;
    return se->spec;
}

/* ---- fork and threads: from then on, lines of several can mix */
static void note_child(struct rs_call *c, long nr)
{
    unsigned long f = 0;

    if (c->ret <= 0)
        return;
    if (nr == SYS_clone)
        f = (unsigned long)c->arg[0];
    else if (nr == SYS_clone3 && rs_copy_in(&f, (const void *)c->arg[0], sizeof(f)) != sizeof(f))
        f = 0;
    if (f & 0x10000)                              /* CLONE_THREAD */
        __atomic_store_n(&threaded, 1, __ATOMIC_RELAXED);
    else if ((f & 0x4100) == 0x4100)              /* CLONE_VM|CLONE_VFORK: */
        exec_free_orphan((int)c->ret);            /* the child has exec'd or exited */
    __atomic_store_n(&prefix_all, 1, __ATOMIC_RELAXED);
}

/* The successful exec that started this image, as strace shows it: the
 * path runsel exec'd, and argv and envp where the program's initial stack
 * holds them.  A host older than ABI 1.1 does not say: "[?], ?". */
static void print_exec_line(const struct exec_env *e)
{
    char mem[LINE];
    struct rs_buf o;
    struct tcb t;
    char *const *argv = rs_program_argv(), *const *envp = rs_program_envp();
    const char *path = rs_program_path();
    struct rs_call ok = {.nr = SYS_execve};

    int tid = rs_gettid();

    if (!filter_call(SYS_execve, 1) || !status_shown(0) || rs_attached())
        return;                 /* attached (runsel -p): no exec started it, as strace -p */
    memset(&t, 0, sizeof(t));
    t.o = &o;
    t.c = &ok;
    if (e->started) {            /* the old image wrote "execve(...": go on */
        rs_buf_init(&o, mem, sizeof(mem), style);
        rs_putc(&o, ')');
        if (e->col + 1 < 39)
            rs_pad_to(&o, 39 - e->col);
        rs_puts(&o, " = 0");
        if (syscall_times && e->t0)
            put_spent(&o, rs_now_ns() - e->t0);
        rs_putc(&o, '\n');
        out_line(tid, o.b, o.n);
        return;
    }
    start_line(&o, mem, sizeof(mem) - RESULT_ROOM, tid);
    rs_puts(&o, "execve(");
    size_t args_at = o.n;
    /* the host's string (in process initmod's, else the supervisor's) */
    rs_put_quoted(&o, path ? path : "", path ? rs_strlen(path) : 0);
    rs_puts(&o, ", ");
    if (argv && envp) {
        print_argv(&t, (unsigned long)argv);
        rs_puts(&o, ", ");
        print_envp(&t, (unsigned long)envp);
    } else {
        rs_puts(&o, "[?], ?");
    }
    if (json) {
        json_call(tid, 0, "execve", 6, o.b + args_at, o.n - args_at, 0, 1, 0,
                  syscall_times && e->t0 ? rs_now_ns() - e->t0 : 0);
        return;
    }
    rs_putc(&o, ')');
    o.cap = sizeof(mem) - 1;
    put_result(&t);
    rs_putc(&o, '\n');
    out_line(tid, o.b, o.n);
}

/* ---- what delivery.c needs of the core */
static int top;                  /* no traced process reaps this one (the one runsel started) */

int trace_shown(int tid)
{
    return !silent && (follow || tid == my_pid);
}

void trace_line_start(struct rs_buf *o, char *mem, size_t size, int tid)
{
    start_line(o, mem, size, tid);
}

void trace_emit(int tid, const char *b, size_t n)
{
    emit(tid, in_vm_child(), b, n);
}

/* The process runsel started dies of a signal: nobody traced reaps it, so
 * it says so itself.  Whether a core is dumped is known only to its
 * parent: a signal whose default dumps one is said to while RLIMIT_CORE
 * allows one (docs/trace.md). */
#define SIGBIT_(n) (1UL << ((n) - 1))
/* signal(7)'s "Core": QUIT ILL TRAP ABRT BUS FPE SEGV XCPU XFSZ SYS */
#define CORE_SIGNALS (SIGBIT_(3) | SIGBIT_(4) | SIGBIT_(5) | SIGBIT_(6) | SIGBIT_(7) | SIGBIT_(8) | \
                      SIGBIT_(11) | SIGBIT_(24) | SIGBIT_(25) | SIGBIT_(31))

static int dumps_core(int sig)
{
    unsigned long lim[2];

    return sig < 32 && (CORE_SIGNALS >> (sig - 1) & 1) &&
           !rs_syscall(SYS_prlimit64, 0, 4 /* RLIMIT_CORE */, 0, lim) && lim[0] != 0;
}

void trace_killed_top(int sig)
{
    char mem[128];
    struct rs_buf o;
    struct tcb t;
    int pid = rs_getpid();

    if (!top || in_vm_child() || silent || quiet >= 2)
        return;
    memset(&t, 0, sizeof(t));
    t.o = &o;
    start_line(&o, mem, sizeof(mem), pid);
    if (json) {
        killed_fields(&t, sig, dumps_core(sig));
        json_event(pid, 0, pid, o.b, o.n);
        return;
    }
    tprints(&t, "+++ killed by ");
    print_signal(&t, sig);
    tprints(&t, dumps_core(sig) ? " (core dumped) +++\n" : " +++\n");
    emit(pid, 0, o.b, o.n);
}

/* ---- options */
/* The program's command name (its /proc/PID/comm). */
static void read_comm(void)
{
    char proc[64];
    long fd = rs_proc_path(proc, sizeof(proc), "comm") < 0
                  ? -ENAMETOOLONG
                  : rs_syscall(SYS_openat, AT_FDCWD, proc, O_RDONLY | O_CLOEXEC);
    long n = fd < 0 ? 0 : rs_syscall(SYS_read, fd, comm, sizeof(comm) - 1);

    if (fd >= 0)
        rs_syscall(SYS_close, fd);
    comm[n > 0 ? n - (comm[n - 1] == '\n') : 0] = 0;
}

static int parse_options(const struct rs_options *o, char *err, size_t errsize)
{
    static const char *const yes_no[] = {"no", "yes", NULL};
    static const char *const times[] = {"none", "t", "tt", "ttt", NULL};
    static const char *const xs[] = {"none", "non-ascii", "all", NULL};
    static const char *const xlats[] = {"abbrev", "raw", "verbose", NULL};
    static const char *const quiets[] = {"0", "1", "2", NULL};
    static const char *const pids[] = {"none", "comm", NULL};
    const char *s = rs_opt(o, "strsize");
    int tm = 0, x = 0, xl = 0, pid = 0;

    if (s && (rs_opt_long(o, "strsize", 32, &topt.strsize) || topt.strsize < 0 ||
              topt.strsize > PATH_SHOWN)) {
        rs_snprintf(err, errsize, "strsize=%s: expected a number from 0 to %d", s, PATH_SHOWN);
        return -1;
    }
    if (rs_opt_choice(o, "follow", yes_no, &follow, err, errsize) ||
        rs_opt_choice(o, "time", times, &tm, err, errsize) ||
        rs_opt_choice(o, "relative", yes_no, &relative, err, errsize) ||
        rs_opt_choice(o, "syscall-times", yes_no, &syscall_times, err, errsize) ||
        rs_opt_choice(o, "verbose", yes_no, &topt.verbose, err, errsize) ||
        rs_opt_choice(o, "xstrings", xs, &x, err, errsize) ||
        rs_opt_choice(o, "xlat", xlats, &xl, err, errsize) ||
        rs_opt_choice(o, "quiet", quiets, &quiet, err, errsize) ||
        rs_opt_choice(o, "decode-pids", pids, &pid, err, errsize) ||
        rs_opt_format(o, &json, err, errsize))
        return -1;
    if ((s = rs_opt(o, "decode-fds")) && (topt.decode_fds = decode_fds_parse(s)) < 0) {
        rs_snprintf(err, errsize, "decode-fds=%s: expected none, all or some of path,socket,dev,pidfd", s);
        return -1;
    }
    time_fmt = "\0tue"[tm];
    style = (unsigned)xl | (x == 1 ? RS_QUOTE_NONASCII : x == 2 ? RS_QUOTE_HEX : 0);
    decode_comm = pid;
    return filter_init(o, err, errsize);
}

/* ---- the wrapper */
static int trace_init(const struct rs_options *o, char *err, size_t errsize)
{
    my_pid = rs_getpid();
    /* without log=, the run's log: the image that exec'd this one passes
     * its own (exec.c), so every image writes where the first one did */
    if (rs_opt_check(o, err, errsize) || parse_options(o, err, errsize) ||
        rs_log_open_run(&tlog, rs_opt(o, "log"), "RUNSEL_TRACE_LOG", err, errsize))
        return -1;
    out_init(tlog.fd);
    out_exclusive(tlog.per_pid);
    if (tlog.to_syslog)
        out_syslog(&tlog);
    whole_lines = json || tlog.to_syslog;
    exec_pass_log(&tlog);
    struct exec_env e;
    exec_read_env(&e, tlog.fd);
    /* the program's zone, as glibc finds it, for -t and the dates */
    tz_init_env(&e.tz, rs_secure_exec());
    if (!tlog.per_pid && e.shared)
        prefix_all = 1;
    top = !e.child;
    exec_mark_child(!top);
    if (decode_comm)
        read_comm();
    print_exec_line(&e);
    return 0;
}

static void trace_fini(int status)
{
    if (!silent && status != RS_DETACHED)    /* a detach: the program goes on, as strace -p */
        print_exited(rs_gettid(), in_vm_child(), status);
}

/* A forked child (before it runs program code): its own pid, its own
 * file with %p; in shared output its lines are prefixed. */
static void trace_atfork(void)
{
    char err[256];

    my_pid = rs_getpid();
    threaded = 0;
    top = 0;
    exec_mark_child(1);
    if (!follow)
        silent = 1;
    if (tlog.per_pid) {
        if (rs_log_reopen(&tlog, err, sizeof(err)))
            rs_dprintf(2, "runsel trace: %s\n", err);
    } else {
        prefix_all = 1;
    }
    out_atfork(tlog.fd);
    out_exclusive(tlog.per_pid);
}

static const struct rs_handler handlers[] = {
    RS_OVERRIDE_CALL(RS_ANY, trace_call),
};

RS_OPTIONS("log", "strsize", "follow", "trace", "status", "signal", "time", "relative",
           "syscall-times", "decode-fds", "verbose", "xstrings", "xlat", "quiet", "decode-pids",
           "format");
RS_WRAPPER("trace", handlers, .abis = RS_ABI_BIT(RS_ABI_IA32) | RS_ABI_BIT(RS_ABI_X32),
           .summary = "print every system call like strace -f (log=PATH, %p: per pid; strsize=N ...)",
           .init = trace_init, .fini = trace_fini, .atfork = trace_atfork,
           .signal = trace_signal);
