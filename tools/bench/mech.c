/* mech.c — system call cost under in-process interception mechanisms.
 *
 *   mech MECH WORKLOAD N [THREADS]
 *
 * Prints one line: nanoseconds per operation, the median of 5 batches of N
 * operations (with THREADS > 1 every thread runs the 5 batches; the line is
 * the median of the threads' medians, wall-clock per op per thread).  Exit
 * 0 on success, 2 on usage errors, 3 when MECH cannot be set up, 4 when a
 * self-check fails, 1 on other errors.
 *
 * These are reference points for runsel and strace, so every mechanism is
 * the minimal honest passthrough: the intercepted call is still performed
 * and its real result returned, with no policy work on top.
 *
 *   native         no interception: the bare cost of the call.
 *   seccomp-allow  a seccomp filter that allows every call (one
 *                  instruction, which the kernel's per-call action cache
 *                  skips): the floor of any filter, the kernel's entry
 *                  work for a task with one (placement=kernel's floor;
 *                  installed with SPEC_ALLOW, as runsel's filters are).
 *   seccomp-trap   a seccomp BPF filter returns SECCOMP_RET_TRAP for the
 *                  workload's syscalls only, unless the call comes from the
 *                  gate (below); the SIGSYS handler redoes the call through
 *                  the gate and writes the result into the saved RAX.
 *                  Measures filter + signal delivery + sigreturn.
 *   sud            Syscall User Dispatch: every syscall outside the gate
 *                  traps while the per-thread selector byte says BLOCK;
 *                  same handler.  Measures the SUD check + signal round
 *                  trip.  SUD is per thread, so each worker enables it.
 *   seccomp-notif  fork; the child installs a SECCOMP_RET_USER_NOTIF filter
 *                  for the workload's syscalls and hands the listener fd to
 *                  the parent, which answers every notification with
 *                  SECCOMP_USER_NOTIF_FLAG_CONTINUE (poll, RECV, SEND: the
 *                  usual supervisor loop; one supervisor thread serves all
 *                  workers).  Measures two context switches per call.
 *   seccomp-trace  fork; the parent ptraces the child (PTRACE_O_TRACESECCOMP,
 *                  TRACECLONE, EXITKILL), which installs a SECCOMP_RET_TRACE
 *                  filter for the workload's syscalls: each stops at entry
 *                  (the seccomp stop) and, resumed with PTRACE_SYSCALL, at
 *                  exit — a supervisor's before and after (issue #15's
 *                  placement=process).  Measures four context switches per
 *                  call.
 *   seccomp-trace-enter  the same, resumed with PTRACE_CONT at the seccomp
 *                  stop: an entry hook only (a veto or override decided there).
 *   sud-floor      SUD armed as for sud (selector BLOCK, the exempt range
 *                  the gate only), but the workload makes its calls
 *                  through the gate, from inside the range: none traps.
 *                  The floor of any SUD-armed rewriting tool: with SUD on,
 *                  the kernel takes its slow system call path (the
 *                  dispatch check) for every call of the thread.
 *
 * The gate is a small assembly function holding the only `syscall`
 * instruction the handler uses; [gate_start, gate_end) is the range the
 * seccomp filter and SUD exempt (both look at the address after the
 * syscall instruction).  The handler's rt_sigreturn must not trap under SUD
 * either (glibc's restorer lives in libc, outside the range), so the
 * handler is installed with the raw rt_sigaction and SA_RESTORER pointing
 * at gate_restorer, which jumps to the gate's syscall instruction.  Both
 * trap mechanisms share this installation so that they differ only in
 * the kernel's trap path.
 *
 * WORKLOAD (one operation):
 *   getppid, getpid   getppid() / getpid(): libc's wrappers, the
 *                     `mov $nr,%eax; syscall` sites programs call (not
 *                     syscall(), whose site takes the number from a
 *                     register: a rewriting tool sees another site)
 *   openat            openat($MECH_OPENAT_PATH, else /etc/hostname or
 *                     /etc/passwd) + close: 2 calls
 *   pipe-read         one 4 KiB read from a pipe.  The pipe is enlarged to
 *                     1 MiB (F_SETPIPE_SZ) and refilled through the gate
 *                     whenever it is empty, i.e. every pipe-size/4096 reads;
 *                     the clock is stopped around each refill, so only the
 *                     reads are timed.
 *   devnull-write     write(/dev/null, 4 KiB)
 *
 * Self-checks: every operation's result is compared with the expected one
 * (the real pid/ppid read before interception starts, fd >= 0 and close
 * succeeding, 4096 bytes moved); for seccomp-trap and sud each thread
 * counts its handler runs and must see at least one per intercepted call;
 * for sud-floor the handler must never run for one of the workload's
 * calls; for seccomp-notif the supervisor counts notifications.
 *
 * Time comes from clock_gettime(CLOCK_MONOTONIC) through the vDSO, which no
 * mechanism intercepts. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

#ifndef PR_SET_SYSCALL_USER_DISPATCH
#define PR_SET_SYSCALL_USER_DISPATCH 59
#define PR_SYS_DISPATCH_OFF 0
#define PR_SYS_DISPATCH_ON 1
#define SYSCALL_DISPATCH_FILTER_ALLOW 0
#define SYSCALL_DISPATCH_FILTER_BLOCK 1
#endif
#define SIGSYS_SECCOMP 1          /* si_code values of SIGSYS */
#define SIGSYS_USER_DISPATCH 2
#define KSA_RESTORER 0x04000000UL /* SA_RESTORER, not exported by glibc */

#define BATCHES 5
#define OPSIZE 4096
#define MAX_THREADS 1024

/* ---- the gate ---------------------------------------------------------- */

long gate_syscall6(long nr, long a1, long a2, long a3, long a4, long a5,
                   long a6) __attribute__((visibility("hidden")));
void gate_restorer(void) __attribute__((visibility("hidden")));
extern const char gate_start[] __attribute__((visibility("hidden")));
extern const char gate_end[] __attribute__((visibility("hidden")));

__asm__(".text\n"
        ".p2align 4\n"
        ".globl gate_start, gate_end, gate_syscall6, gate_restorer\n"
        ".hidden gate_start, gate_end, gate_syscall6, gate_restorer\n"
        ".type gate_syscall6, @function\n"
        ".type gate_restorer, @function\n"
        "gate_start:\n"
        "gate_syscall6:\n"
        "    movq %rdi, %rax\n"
        "    movq %rsi, %rdi\n"
        "    movq %rdx, %rsi\n"
        "    movq %rcx, %rdx\n"
        "    movq %r8, %r10\n"
        "    movq %r9, %r8\n"
        "    movq 8(%rsp), %r9\n"
        "gate_insn:\n"
        "    syscall\n"
        "    ret\n"
        ".size gate_syscall6, .-gate_syscall6\n"
        "gate_restorer:\n"
        "    movl $15, %eax\n"     /* SYS_rt_sigreturn */
        "    jmp gate_insn\n"
        ".size gate_restorer, .-gate_restorer\n"
        "gate_end:\n");

/* ---- configuration ----------------------------------------------------- */

enum mech { M_NATIVE, M_TRAP, M_SUD, M_NOTIF, M_SUDFLOOR, M_PTRACE, M_PTRACE_ENTER, M_ALLOW };
enum work { W_GETPPID, W_GETPID, W_OPENAT, W_PIPE, W_DEVNULL };

struct worker;
typedef long ops_fn(struct worker *w, long k);   /* returns # bad results */

static struct {
    enum mech mech;
    enum work work;
    const char *mech_name, *work_name;
    long n;
    int threads;
    ops_fn *ops;
    int nrs[2], nnrs;            /* the workload's syscalls */
    const char *path;            /* openat target */
    long ppid, pid;              /* real values, read before interception */
    pthread_barrier_t barrier;
} cfg;

struct worker {
    pthread_t tid;
    int rfd, wfd, nullfd;
    long chunk;                  /* ops between refills */
    long bad;
    unsigned long trapped, trapped_work;
    double median;
    int code;                    /* exit code of a failure, 0 if fine */
    char err[160];
    char buf[OPSIZE] __attribute__((aligned(64)));
};

static __thread volatile unsigned long trapped;  /* handler runs */
static __thread volatile unsigned long trapped_work;  /* ... for a workload call */
static __thread volatile unsigned char sud_sel;  /* SUD selector */

/* ---- helpers ----------------------------------------------------------- */

static long now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000000L + ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof(v[0]), cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void fail(struct worker *w, int code, const char *what)
{
    if (w->code)
        return;
    w->code = code;
    snprintf(w->err, sizeof(w->err), "%s: %s", what, strerror(errno));
}

static void die_mech(const char *why)
{
    fprintf(stderr, "mech: %s: %s: %s\n", cfg.mech_name, why, strerror(errno));
    exit(3);
}

/* ---- workloads --------------------------------------------------------- */

/* getppid and getpid: libc's wrapper, checked against the value read
 * before interception started. */
static long ops_id(struct worker *w, long k)
{
    long want = cfg.work == W_GETPPID ? cfg.ppid : cfg.pid, bad = 0;

    (void)w;
    if (cfg.work == W_GETPPID)
        for (long i = 0; i < k; i++)
            bad += getppid() != want;
    else
        for (long i = 0; i < k; i++)
            bad += getpid() != want;
    return bad;
}

static long ops_openat(struct worker *w, long k)
{
    long bad = 0;

    (void)w;
    for (long i = 0; i < k; i++) {
        int fd = openat(AT_FDCWD, cfg.path, O_RDONLY | O_CLOEXEC);

        bad += fd < 0 || close(fd) != 0;
    }
    return bad;
}

static long ops_pipe_read(struct worker *w, long k)
{
    long bad = 0;

    for (long i = 0; i < k; i++)
        bad += read(w->rfd, w->buf, OPSIZE) != OPSIZE;
    return bad;
}

static long ops_devnull_write(struct worker *w, long k)
{
    long bad = 0;

    for (long i = 0; i < k; i++)
        bad += write(w->nullfd, w->buf, OPSIZE) != OPSIZE;
    return bad;
}

/* The same operations made through the gate (sud-floor): from inside
 * the exempt range, with the same checks. */
#define GATE(nr, a, b, c) gate_syscall6((nr), (long)(a), (long)(b), (long)(c), 0, 0, 0)

static long gate_id(struct worker *w, long k)
{
    long nr = cfg.nrs[0], want = cfg.work == W_GETPPID ? cfg.ppid : cfg.pid, bad = 0;

    (void)w;
    for (long i = 0; i < k; i++)
        bad += GATE(nr, 0, 0, 0) != want;
    return bad;
}

static long gate_openat(struct worker *w, long k)
{
    long bad = 0;

    (void)w;
    for (long i = 0; i < k; i++) {
        long fd = GATE(SYS_openat, AT_FDCWD, cfg.path, O_RDONLY | O_CLOEXEC);

        bad += fd < 0 || GATE(SYS_close, fd, 0, 0) != 0;
    }
    return bad;
}

static long gate_pipe_read(struct worker *w, long k)
{
    long bad = 0;

    for (long i = 0; i < k; i++)
        bad += GATE(SYS_read, w->rfd, w->buf, OPSIZE) != OPSIZE;
    return bad;
}

static long gate_devnull_write(struct worker *w, long k)
{
    long bad = 0;

    for (long i = 0; i < k; i++)
        bad += GATE(SYS_write, w->nullfd, w->buf, OPSIZE) != OPSIZE;
    return bad;
}

static const struct {
    const char *name;
    ops_fn *ops, *gate_ops;
    int nrs[2], nnrs;
} works[] = {
    [W_GETPPID] = { "getppid", ops_id, gate_id, { SYS_getppid }, 1 },
    [W_GETPID] = { "getpid", ops_id, gate_id, { SYS_getpid }, 1 },
    [W_OPENAT] = { "openat", ops_openat, gate_openat, { SYS_openat, SYS_close }, 2 },
    [W_PIPE] = { "pipe-read", ops_pipe_read, gate_pipe_read, { SYS_read }, 1 },
    [W_DEVNULL] = { "devnull-write", ops_devnull_write, gate_devnull_write, { SYS_write }, 1 },
};

static const char *const mechs[] = {
    [M_NATIVE] = "native", [M_TRAP] = "seccomp-trap",
    [M_SUD] = "sud", [M_NOTIF] = "seccomp-notif", [M_SUDFLOOR] = "sud-floor",
    [M_PTRACE] = "seccomp-trace", [M_PTRACE_ENTER] = "seccomp-trace-enter",
    [M_ALLOW] = "seccomp-allow",
};

/* Per-thread workload state; before any interception is active. */
static int work_setup(struct worker *w)
{
    int p[2];

    w->rfd = w->wfd = w->nullfd = -1;
    w->chunk = LONG_MAX;
    memset(w->buf, 0x5a, sizeof(w->buf));
    if (cfg.work == W_DEVNULL) {
        w->nullfd = open("/dev/null", O_WRONLY | O_CLOEXEC);
        if (w->nullfd < 0)
            return fail(w, 1, "/dev/null"), -1;
    }
    if (cfg.work != W_PIPE)
        return 0;
    if (pipe2(p, O_CLOEXEC | O_NONBLOCK) < 0)
        return fail(w, 1, "pipe"), -1;
    w->rfd = p[0];
    w->wfd = p[1];
    fcntl(w->wfd, F_SETPIPE_SZ, 1 << 20);   /* best effort */
    w->chunk = fcntl(w->wfd, F_GETPIPE_SZ) / OPSIZE;
    if (w->chunk < 1)
        return fail(w, 1, "F_GETPIPE_SZ"), -1;
    return 0;
}

static void work_teardown(struct worker *w)
{
    int fds[] = { w->rfd, w->wfd, w->nullfd };

    for (size_t i = 0; i < sizeof(fds) / sizeof(fds[0]); i++)
        if (fds[i] >= 0)
            close(fds[i]);
}

/* Put k blocks into the (empty) pipe, through the gate so that no
 * mechanism intercepts it.  Not timed. */
static int refill(struct worker *w, long k)
{
    for (long i = 0; w->wfd >= 0 && i < k; i++) {
        long r = gate_syscall6(SYS_write, w->wfd, (long)w->buf, OPSIZE,
                               0, 0, 0);

        if (r != OPSIZE) {
            errno = r < 0 ? (int)-r : EAGAIN;
            return -1;
        }
    }
    return 0;
}

/* Time one batch of cfg.n operations, refill time excluded; -1 on error. */
static long time_batch(struct worker *w)
{
    long left = cfg.n, ns = 0;

    while (left > 0) {
        long k = left < w->chunk ? left : w->chunk, t0;

        if (refill(w, k) < 0)
            return -1;
        t0 = now_ns();
        w->bad += cfg.ops(w, k);
        ns += now_ns() - t0;
        left -= k;
    }
    return ns;
}

/* ---- trap handler (seccomp-trap and sud) ------------------------------- */

static void on_sigsys(int sig, siginfo_t *si, void *ctx)
{
    greg_t *r = ((ucontext_t *)ctx)->uc_mcontext.gregs;

    (void)sig;
    if (si->si_code != SIGSYS_SECCOMP && si->si_code != SIGSYS_USER_DISPATCH)
        return;
    r[REG_RAX] = gate_syscall6(si->si_syscall, r[REG_RDI], r[REG_RSI],
                               r[REG_RDX], r[REG_R10], r[REG_R8], r[REG_R9]);
    trapped++;
    for (int i = 0; i < cfg.nnrs; i++)
        trapped_work += si->si_syscall == cfg.nrs[i];
}

/* Raw rt_sigaction: glibc's sigaction() would put its own restorer (in
 * libc, outside the gate) into sa_restorer. */
static int install_sigsys(void)
{
    struct {
        void (*handler)(int, siginfo_t *, void *);
        unsigned long flags;
        void (*restorer)(void);
        unsigned long mask;
    } ksa = { on_sigsys, SA_SIGINFO | KSA_RESTORER, gate_restorer, 0 };

    return (int)syscall(SYS_rt_sigaction, SIGSYS, &ksa, NULL,
                        sizeof(ksa.mask));
}

/* ---- seccomp filters --------------------------------------------------- */

#define LD(off) ((struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, (off)))
#define JMP(op, k, t, f) \
    ((struct sock_filter)BPF_JUMP(BPF_JMP | (op) | BPF_K, (k), (t), (f)))
#define RET(k) ((struct sock_filter)BPF_STMT(BPF_RET | BPF_K, (k)))
#define TO(from, to) ((unsigned char)((to) - (from) - 1))

/* `action` for the workload's syscalls (with ip_check: unless made from the
 * gate), allow for everything else.  Returns the instruction count. */
static int build_filter(struct sock_filter *f, unsigned int action,
                        int ip_check)
{
    const int m = cfg.nnrs, allow = 3 + m, match = allow + 1;
    const int act = ip_check ? match + 6 : match;
    const unsigned long lo = (unsigned long)gate_start;
    const unsigned long hi = (unsigned long)gate_end;
    const int ip = offsetof(struct seccomp_data, instruction_pointer);

    f[0] = LD(offsetof(struct seccomp_data, arch));
    f[1] = JMP(BPF_JEQ, AUDIT_ARCH_X86_64, 0, TO(1, allow));
    f[2] = LD(offsetof(struct seccomp_data, nr));
    for (int n = 3; n < allow; n++)
        f[n] = JMP(BPF_JEQ, (unsigned int)cfg.nrs[n - 3], TO(n, match), 0);
    f[allow] = RET(SECCOMP_RET_ALLOW);
    if (ip_check) {              /* little endian: low half first */
        f[match] = LD(ip + 4);
        f[match + 1] = JMP(BPF_JEQ, (unsigned int)(lo >> 32), 0,
                           TO(match + 1, act));
        f[match + 2] = LD(ip);
        f[match + 3] = JMP(BPF_JGE, (unsigned int)lo, 0, TO(match + 3, act));
        f[match + 4] = JMP(BPF_JGE, (unsigned int)hi, TO(match + 4, act), 0);
        f[match + 5] = RET(SECCOMP_RET_ALLOW);
    }
    f[act] = RET(action);
    return act + 1;
}

static long install_filter(unsigned int action, int ip_check,
                           unsigned int flags)
{
    struct sock_filter f[16];
    struct sock_fprog prog;

    prog.len = (unsigned short)build_filter(f, action, ip_check);
    prog.filter = f;
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
        return -1;
    return syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &prog);
}

static void setup_allow(void)
{
    struct sock_filter f[] = {BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW)};
    struct sock_fprog prog = {1, f};

    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ||
        (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_SPEC_ALLOW, &prog) &&
         (errno != EINVAL || syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog))))
        die_mech("seccomp filter");
}

static void setup_trap(void)
{
    unsigned long lo = (unsigned long)gate_start, hi = (unsigned long)gate_end;

    if (lo >> 32 != hi >> 32) {
        errno = ERANGE;
        die_mech("gate straddles a 4 GiB boundary");
    }
    if (install_sigsys() < 0)
        die_mech("rt_sigaction");
    if (install_filter(SECCOMP_RET_TRAP, 1, 0) < 0)
        die_mech("seccomp filter");
}

/* ---- syscall user dispatch --------------------------------------------- */

static int sud_enable(int on)
{
    unsigned long start = (unsigned long)gate_start;
    unsigned long len = (unsigned long)(gate_end - gate_start);

    sud_sel = SYSCALL_DISPATCH_FILTER_ALLOW;
    if (!on)
        return prctl(PR_SET_SYSCALL_USER_DISPATCH, PR_SYS_DISPATCH_OFF,
                     0, 0, 0);
    return prctl(PR_SET_SYSCALL_USER_DISPATCH, PR_SYS_DISPATCH_ON, start,
                 len, &sud_sel);
}

static void setup_sud(void)
{
    if (install_sigsys() < 0)
        die_mech("rt_sigaction");
    if (sud_enable(1) < 0)       /* probe: workers enable it themselves */
        die_mech("PR_SET_SYSCALL_USER_DISPATCH");
    sud_enable(0);
}

/* ---- seccomp user notification ----------------------------------------- */

static int send_fd(int sock, int fd)
{
    char byte = 0, ctl[CMSG_SPACE(sizeof(int))] = { 0 };
    struct iovec iov = { &byte, 1 };
    struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
                          .msg_control = ctl, .msg_controllen = sizeof(ctl) };
    struct cmsghdr *c = CMSG_FIRSTHDR(&msg);

    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(c), &fd, sizeof(int));
    return sendmsg(sock, &msg, 0) == 1 ? 0 : -1;
}

static int recv_fd(int sock)
{
    char byte, ctl[CMSG_SPACE(sizeof(int))];
    struct iovec iov = { &byte, 1 };
    struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
                          .msg_control = ctl, .msg_controllen = sizeof(ctl) };
    struct cmsghdr *c;
    int fd;

    if (recvmsg(sock, &msg, MSG_CMSG_CLOEXEC) != 1)
        return -1;
    c = CMSG_FIRSTHDR(&msg);
    if (!c || c->cmsg_type != SCM_RIGHTS)
        return -1;
    memcpy(&fd, CMSG_DATA(c), sizeof(int));
    return fd;
}

/* Wait for one notification and let the call proceed.  1 when one was
 * handled, 0 when there was nothing to do, -1 when the filter is gone or
 * the child exited.  The child's pidfd is watched too: older kernels (6.1)
 * report POLLHUP on the listener only once the child is reaped, which the
 * supervisor does after this loop. */
static int serve_one(int fd, int pidfd, struct seccomp_notif *req, size_t reqsz,
                     struct seccomp_notif_resp *resp, size_t respsz)
{
    struct pollfd p[2] = { { .fd = fd, .events = POLLIN }, { .fd = pidfd, .events = POLLIN } };

    if (poll(p, pidfd >= 0 ? 2 : 1, -1) < 0)
        return errno == EINTR ? 0 : -1;
    if (!(p[0].revents & POLLIN))
        return -1;               /* POLLHUP, or only the child's exit */
    memset(req, 0, reqsz);
    if (ioctl(fd, SECCOMP_IOCTL_NOTIF_RECV, req) < 0)
        return errno == EINTR || errno == ENOENT ? 0 : -1;
    memset(resp, 0, respsz);
    resp->id = req->id;
    resp->flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
    if (ioctl(fd, SECCOMP_IOCTL_NOTIF_SEND, resp) < 0 && errno != ENOENT)
        return -1;
    return 1;
}

static long supervise(int fd, int pidfd, const struct seccomp_notif_sizes *sz)
{
    size_t reqsz = sz->seccomp_notif, respsz = sz->seccomp_notif_resp;
    struct seccomp_notif *req;
    struct seccomp_notif_resp *resp;
    long count = 0;
    int r;

    reqsz = reqsz > sizeof(*req) ? reqsz : sizeof(*req);
    respsz = respsz > sizeof(*resp) ? respsz : sizeof(*resp);
    req = calloc(1, reqsz);
    resp = calloc(1, respsz);
    if (!req || !resp)
        return -1;
    while ((r = serve_one(fd, pidfd, req, reqsz, resp, respsz)) >= 0)
        count += r;
    free(req);
    free(resp);
    return count;
}

/* Parent: supervise until the child is gone, then exit with its status. */
static void notif_parent(pid_t child, int sock,
                         const struct seccomp_notif_sizes *sz)
{
    long want = cfg.n * BATCHES * cfg.threads * cfg.nnrs, count = -1;
    int fd = recv_fd(sock), st;
    int pidfd = (int)syscall(SYS_pidfd_open, child, 0);   /* -1: rely on POLLHUP */

    close(sock);
    if (fd >= 0)
        count = supervise(fd, pidfd, sz);
    if (fd >= 0 && count < 0)
        perror("mech: seccomp-notif: supervisor");
    if (waitpid(child, &st, 0) < 0)
        die_mech("waitpid");
    if (WIFSIGNALED(st)) {
        fprintf(stderr, "mech: child killed by signal %d\n", WTERMSIG(st));
        exit(128 + WTERMSIG(st));
    }
    if (WEXITSTATUS(st) == 0 && count < want) {
        fprintf(stderr, "mech: seccomp-notif: %ld notifications, want "
                        ">= %ld\n", count, want);
        exit(4);
    }
    exit(WEXITSTATUS(st));
}

/* Returns in the child, with the filter installed; the parent never does. */
static void setup_notif(void)
{
    struct seccomp_notif_sizes sz;
    int sv[2];
    long fd;
    pid_t pid;

    if (syscall(SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &sz) < 0)
        die_mech("SECCOMP_GET_NOTIF_SIZES");
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
        die_mech("socketpair");
    fflush(NULL);
    pid = fork();
    if (pid < 0)
        die_mech("fork");
    if (pid > 0) {
        close(sv[1]);
        notif_parent(pid, sv[0], &sz);
    }
    close(sv[0]);
    cfg.ppid = getppid();
    cfg.pid = getpid();
    fd = install_filter(SECCOMP_RET_USER_NOTIF, 0,
                        SECCOMP_FILTER_FLAG_NEW_LISTENER);
    if (fd < 0)
        die_mech("seccomp filter with listener");
    if (send_fd(sv[1], (int)fd) < 0)
        die_mech("sending the listener");
    close((int)fd);
    close(sv[1]);
}

/* ---- seccomp RET_TRACE under a ptrace supervisor ---------------------- */

/* Parent: every seccomp stop resumed to its exit stop (or straight on,
 * entry-only), every other stop passed on; the child's status is ours. */
static void trace_parent(pid_t child, int enter_only)
{
    long want = cfg.n * BATCHES * cfg.threads * cfg.nnrs, stops = 0;
    int st, code = -1;

    for (;;) {
        pid_t t = waitpid(-1, &st, __WALL);
        if (t < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        if (WIFEXITED(st) || WIFSIGNALED(st)) {
            if (t == child)
                code = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
            continue;
        }
        int sig = WSTOPSIG(st), event = st >> 16;
        long req = PTRACE_CONT, data = 0;
        if (sig == SIGTRAP && event == PTRACE_EVENT_SECCOMP) {
            stops++;
            req = enter_only ? PTRACE_CONT : PTRACE_SYSCALL;
        } else if (sig == (SIGTRAP | 0x80) || (sig == SIGTRAP && event) ||
                   (event == PTRACE_EVENT_STOP)) {
            data = 0;                 /* syscall exit, clone event, a new thread's stop */
        } else {
            data = sig;               /* a signal: delivered */
        }
        ptrace(req, t, 0, data);
    }
    if (code == 0 && stops < want) {
        fprintf(stderr, "mech: seccomp-trace: %ld stops, want >= %ld\n", stops, want);
        exit(4);
    }
    exit(code < 0 ? 1 : code);
}

/* Returns in the child, traced, with the filter installed. */
static void setup_ptrace(int enter_only)
{
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0)
        die_mech("fork");
    if (pid > 0) {
        int st;
        if (waitpid(pid, &st, 0) != pid || !WIFSTOPPED(st) ||
            ptrace(PTRACE_SETOPTIONS, pid, 0, PTRACE_O_TRACESECCOMP | PTRACE_O_TRACESYSGOOD |
                   PTRACE_O_TRACECLONE | PTRACE_O_EXITKILL) < 0 || ptrace(PTRACE_CONT, pid, 0, 0) < 0)
            die_mech("ptrace");
        trace_parent(pid, enter_only);
    }
    if (ptrace(PTRACE_TRACEME, 0, 0, 0) < 0)
        die_mech("PTRACE_TRACEME");
    raise(SIGSTOP);
    cfg.ppid = getppid();
    cfg.pid = getpid();
    if (install_filter(SECCOMP_RET_TRACE, 1, 0) < 0)
        die_mech("seccomp filter (RET_TRACE)");
}

/* ---- workers ----------------------------------------------------------- */

static void run_batches(struct worker *w)
{
    double per[BATCHES];
    unsigned long t0 = trapped, tw0 = trapped_work;

    if (cfg.mech == M_SUD || cfg.mech == M_SUDFLOOR)
        sud_sel = SYSCALL_DISPATCH_FILTER_BLOCK;
    for (int b = 0; b < BATCHES; b++) {
        long ns = time_batch(w);

        if (ns < 0) {
            sud_sel = SYSCALL_DISPATCH_FILTER_ALLOW;
            fail(w, 1, "pipe refill");
            return;
        }
        per[b] = (double)ns / (double)cfg.n;
    }
    sud_sel = SYSCALL_DISPATCH_FILTER_ALLOW;
    w->trapped = trapped - t0;
    w->trapped_work = trapped_work - tw0;
    w->median = median(per, BATCHES);
}

static void check(struct worker *w)
{
    unsigned long want = (unsigned long)(cfg.n * BATCHES * cfg.nnrs);

    if (w->code)
        return;
    if (w->bad) {
        w->code = 4;
        snprintf(w->err, sizeof(w->err), "%ld of %ld operations returned "
                 "a wrong result", w->bad, cfg.n * BATCHES);
    } else if ((cfg.mech == M_TRAP || cfg.mech == M_SUD) && w->trapped < want) {
        w->code = 4;
        snprintf(w->err, sizeof(w->err), "handler ran %lu times, want "
                 ">= %lu", w->trapped, want);
    } else if (cfg.mech == M_SUDFLOOR && w->trapped_work) {
        w->code = 4;
        snprintf(w->err, sizeof(w->err), "%lu of the workload's calls trapped, "
                 "want none", w->trapped_work);
    }
}

static void *worker_main(void *arg)
{
    struct worker *w = arg;

    work_setup(w);
    if (!w->code && (cfg.mech == M_SUD || cfg.mech == M_SUDFLOOR) && sud_enable(1) < 0)
        fail(w, 3, "PR_SET_SYSCALL_USER_DISPATCH");
    if (cfg.threads > 1)
        pthread_barrier_wait(&cfg.barrier);
    if (!w->code)
        run_batches(w);
    if (cfg.mech == M_SUD || cfg.mech == M_SUDFLOOR)
        sud_enable(0);
    check(w);
    work_teardown(w);
    return NULL;
}

static int run_workers(struct worker *ws)
{
    int n = cfg.threads;

    if (n == 1) {
        worker_main(&ws[0]);
        return 0;
    }
    if ((errno = pthread_barrier_init(&cfg.barrier, NULL, (unsigned)n)))
        return perror("mech: pthread_barrier_init"), -1;
    for (int i = 0; i < n; i++)
        if ((errno = pthread_create(&ws[i].tid, NULL, worker_main, &ws[i]))) {
            perror("mech: pthread_create");
            exit(1);             /* started threads wait at the barrier */
        }
    for (int i = 0; i < n; i++)
        pthread_join(ws[i].tid, NULL);
    pthread_barrier_destroy(&cfg.barrier);
    return 0;
}

/* Print the result, or the first failure; returns the exit code. */
static int report(struct worker *ws)
{
    double *meds = calloc((size_t)cfg.threads, sizeof(double));

    if (!meds)
        return perror("mech"), 1;
    for (int i = 0; i < cfg.threads; i++) {
        if (ws[i].code) {
            fprintf(stderr, "mech: %s: %s: %s\n", cfg.mech_name,
                    cfg.work_name, ws[i].err);
            free(meds);
            return ws[i].code;
        }
        meds[i] = ws[i].median;
    }
    printf("%.1f\n", median(meds, cfg.threads));
    free(meds);
    return fflush(stdout) ? 1 : 0;
}

/* ---- main -------------------------------------------------------------- */

static int lookup(const char *s, const char *const *names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (names[i] && !strcmp(s, names[i]))
            return (int)i;
    return -1;
}

static long parse_num(const char *s, long max)
{
    char *end;
    long v;

    errno = 0;
    v = strtol(s, &end, 10);
    return errno || *end || end == s || v < 1 || v > max ? -1 : v;
}

static void usage(const char *why)
{
    fprintf(stderr, "mech: %s\nusage: mech native|seccomp-allow|seccomp-trap|sud|"
            "sud-floor|seccomp-notif getppid|getpid|openat|pipe-read|devnull-write "
            "N [THREADS]\n", why);
    exit(2);
}

static void parse_args(int argc, char **argv)
{
    const char *wnames[sizeof(works) / sizeof(works[0])];
    int m, w;

    for (size_t i = 0; i < sizeof(works) / sizeof(works[0]); i++)
        wnames[i] = works[i].name;
    if (argc < 4 || argc > 5)
        usage("wrong number of arguments");
    if ((m = lookup(argv[1], mechs, sizeof(mechs) / sizeof(mechs[0]))) < 0)
        usage("unknown MECH");
    if ((w = lookup(argv[2], wnames, sizeof(wnames) / sizeof(wnames[0]))) < 0)
        usage("unknown WORKLOAD");
    cfg.mech = (enum mech)m;
    cfg.work = (enum work)w;
    cfg.mech_name = argv[1];
    cfg.work_name = argv[2];
    if ((cfg.n = parse_num(argv[3], LONG_MAX / 64)) < 0)
        usage("N must be a positive integer");
    cfg.threads = argc > 4 ? (int)parse_num(argv[4], MAX_THREADS) : 1;
    if (cfg.threads < 0)
        usage("THREADS must be 1..1024");
    cfg.ops = cfg.mech == M_SUDFLOOR ? works[w].gate_ops : works[w].ops;
    cfg.nnrs = works[w].nnrs;
    memcpy(cfg.nrs, works[w].nrs, sizeof(cfg.nrs));
}

int main(int argc, char **argv)
{
    struct worker *ws;
    int rc;

    parse_args(argc, argv);
    cfg.path = getenv("MECH_OPENAT_PATH");   /* make bench: a file of its own */
    if (!cfg.path || !*cfg.path)
        cfg.path = access("/etc/hostname", R_OK) == 0 ? "/etc/hostname" : "/etc/passwd";
    cfg.ppid = getppid();
    cfg.pid = getpid();
    ws = calloc((size_t)cfg.threads, sizeof(*ws));
    if (!ws)
        return perror("mech"), 1;
    if (cfg.mech == M_TRAP)
        setup_trap();
    else if (cfg.mech == M_ALLOW)
        setup_allow();
    else if (cfg.mech == M_SUD || cfg.mech == M_SUDFLOOR)
        setup_sud();
    else if (cfg.mech == M_NOTIF)
        setup_notif();
    else if (cfg.mech == M_PTRACE || cfg.mech == M_PTRACE_ENTER)
        setup_ptrace(cfg.mech == M_PTRACE_ENTER);
    rc = run_workers(ws) < 0 ? 1 : report(ws);
    free(ws);
    return rc;
}
