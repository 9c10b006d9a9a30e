/* exec.c — trace across an exec.  A successful exec never returns to the
 * image that made it, so the new image finishes its line: the old one
 * writes the start ("execve(PATH, ARGV, ENVP") before the call, and passes
 * markers in the new program's environment:
 *   RUNSEL_TRACE_SHARED=1        its lines were prefixed ([pid N]): the new
 *                                image's are too (it shares the output);
 *   RUNSEL_TRACE_EXEC=DEV:INO:COL:T0  the start is written (COL bytes long,
 *                                at CLOCK_MONOTONIC T0: -T), in
 *                                the log with this identity: when the new image's log is the
 *                                same, it writes ") = 0" (or strace's
 *                                "<... execve resumed>) = 0"); else the
 *                                whole line, from its own argv and envp;
 *   RUNSEL_TRACE_CHILD=1         the process was forked by a traced one, which
 *                                reaps it and says when a signal killed it;
 *   RUNSEL_TRACE_LOG=FD:DEV:INO  the default log (no log=) is passed on:
 *                                the new image's log is fd FD
 *                                (rs_log_open_run, rs_log_exec_var), so
 *                                every image of the run writes to the
 *                                stderr of the process runsel started,
 *                                whatever a program did with its fd 2
 *                                before it exec'd (strace keeps its own).
 * The markers are visible to the program, like runsel's RUNSEL_RUN; trace
 * never counts or shows RUNSEL_* variables (the environment as the
 * program passed it), and every exec's copy drops stale ones.
 *
 * The copy of envp is an anonymous mapping, unmapped if the exec fails.  A
 * child sharing its parent's memory (posix_spawn's CLONE_VM|CLONE_VFORK)
 * cannot unmap it after a successful exec: the memory is the parent's.
 * It leaves it in the orphans table under its tid; the parent unmaps it
 * when its clone returns (for CLONE_VFORK: after the child's exec). */
#include <fcntl.h>
#include "exec.h"
#include "trace.h"

#define SHARED "RUNSEL_TRACE_SHARED=1"
#define STARTED "RUNSEL_TRACE_EXEC="
#define CHILD "RUNSEL_TRACE_CHILD=1"
#define NORPHANS 16

static struct {
    int tid;
    unsigned long blk;
} orphans[NORPHANS];

static int child_marker;          /* pass RUNSEL_TRACE_CHILD on */

void exec_mark_child(int child)
{
    child_marker = child;
}

/* the started marker, with the log's identity: "RUNSEL_TRACE_EXEC=DEV:INO:COL:T0" */
static char started_var[64];
/* the log passed on, set once in init (a vfork child reads it in our memory) */
static char log_var[80];
static const char shared_var[] = SHARED, child_var[] = CHILD;   /* one address each */

void exec_pass_log(const struct rs_log *log)
{
    rs_log_exec_var(log, log_var, sizeof(log_var));
}

int exec_runsel_var(const char *s, size_t n)
{
    return n >= 7 && !rs_strncmp(s, "RUNSEL_", 7);
}

void exec_free_orphan(int tid)
{
    for (int i = 0; i < NORPHANS; i++)
        if (__atomic_load_n(&orphans[i].tid, __ATOMIC_ACQUIRE) == tid) {
            unsigned long *blk = (unsigned long *)__atomic_load_n(&orphans[i].blk, __ATOMIC_RELAXED);
            if (blk)
                rs_syscall(SYS_munmap, blk, blk[1]);
            __atomic_store_n(&orphans[i].blk, 0, __ATOMIC_RELAXED);
            __atomic_store_n(&orphans[i].tid, 0, __ATOMIC_RELEASE);
        }
}

static int claim_orphan_slot(int tid)
{
    for (int i = 0; i < NORPHANS; i++) {
        int zero = 0;
        if (__atomic_compare_exchange_n(&orphans[i].tid, &zero, tid, 0, __ATOMIC_ACQ_REL,
                                        __ATOMIC_RELAXED))
            return i;
    }
    return -1;
}

static int log_identity(int fd, uint64_t *dev, uint64_t *ino)
{
    struct {
        uint64_t dev, ino;
        char rest[128];
    } st;                          /* struct stat's first two fields (x86-64) */

    if (fd < 0 || rs_syscall(SYS_fstat, fd, &st))
        return -1;
    *dev = st.dev;
    *ino = st.ino;
    return 0;
}

/* One of the markers this image adds (its strings are ours, not the program's). */
static int is_ours(unsigned long p)
{
    return p == (unsigned long)shared_var || p == (unsigned long)started_var ||
           p == (unsigned long)child_var || p == (unsigned long)log_var;
}

/* A stale marker of ours: dropped from every exec's copy. */
static int is_marker(unsigned long p)
{
    char v[sizeof("RUNSEL_TRACE_")];

    return rs_copy_in(v, (const void *)p, sizeof(v) - 1) == (long)sizeof(v) - 1 &&
           !memcmp(v, "RUNSEL_TRACE_", sizeof(v) - 1);
}

/* A copy of n entries at env without our stale markers, with the ones that
 * apply; NULL when no memory or env unreadable. */
static unsigned long *env_copy(unsigned long env, long n, int shared, int started)
{
    size_t bytes = ((size_t)(n + 7) * 8 + 4095) & ~4095UL;
    long m = rs_syscall(SYS_mmap, 0, bytes, 3, 0x22, -1, 0);   /* RW, private anonymous */
    unsigned long *blk = (unsigned long *)m;
    long k = 0;

    if (rs_is_err(m))
        return NULL;
    if (n && rs_copy_in(blk + 2, (const void *)env, (size_t)n * 8) != n * 8) {
        rs_syscall(SYS_munmap, m, bytes);
        return NULL;
    }
    for (long i = 0; i < n; i++)
        if (!is_marker(blk[2 + i]))
            blk[2 + k++] = blk[2 + i];
    if (shared)
        blk[2 + k++] = (unsigned long)shared_var;
    if (started)
        blk[2 + k++] = (unsigned long)started_var;
    if (child_marker)
        blk[2 + k++] = (unsigned long)child_var;
    if (log_var[0])
        blk[2 + k++] = (unsigned long)log_var;
    blk[2 + k] = 0;
    blk[0] = env;
    blk[1] = bytes;
    return blk;
}

/* Out of process the copy must be the program's: the array and our
 * markers' strings are written into the call's scratch room below its
 * stack (rs_call_scratch), the array pointing at them.  0: done. */
static int env_to_program(struct rs_call *c, int ai, const unsigned long *blk)
{
    size_t n = 0, strs = 0;

    while (blk[2 + n])
        n++;
    for (size_t i = 0; i < n; i++)
        if (is_ours(blk[2 + i]))
            strs += rs_strlen((const char *)blk[2 + i]) + 1;
    size_t size = (n + 1) * 8 + strs;
    char *room = rs_call_scratch(c, size);
    if (!room)
        return -1;
    char *at = room + (n + 1) * 8;
    unsigned long v;
    for (size_t i = 0; i <= n; i++) {
        v = blk[2 + i];
        if (v && is_ours(v)) {
            size_t len = rs_strlen((const char *)v) + 1;
            if (rs_copy_out(at, (const void *)v, len) != (long)len)
                return -1;
            v = (unsigned long)at;
            at += len;
        }
        if (rs_copy_out(room + i * 8, &v, 8) != 8)
            return -1;
    }
    c->arg[ai] = (long)room;
    return 0;
}

void exec_before(struct rs_call *c, long nr, int shared, int started, int log_fd, int my_pid,
                 size_t col)
{
    int ai = nr == SYS_execve ? 2 : 3;
    unsigned long env = (unsigned long)c->arg[ai];
    struct tcb t;
    uint64_t dev, ino;
    int slot = -1;

    c->data = 0;
    if (nr != SYS_execve && nr != SYS_execveat)
        return;
    if (started && !log_identity(log_fd, &dev, &ino))
        rs_snprintf(started_var, sizeof(started_var), STARTED "%lx:%lx:%lx:%lx", (unsigned long)dev,
                    (unsigned long)ino, (unsigned long)col, (unsigned long)rs_now_ns());
    else
        started = 0;
    /* a vfork child in its parent's memory: the parent frees the copy */
    if (rs_getpid() != my_pid && (slot = claim_orphan_slot(rs_gettid())) < 0)
        return;                               /* no room: no markers, no leak */
    memset(&t, 0, sizeof(t));
    unsigned long *blk = env_copy(env, env ? count_vec(&t, env) : 0, shared, started);
    if (!blk) {
        if (slot >= 0)
            __atomic_store_n(&orphans[slot].tid, 0, __ATOMIC_RELEASE);
        return;                               /* leave the call as it is */
    }
    if (!rs_inprocess()) {
        if (env_to_program(c, ai, blk))
            c->arg[ai] = (long)env;               /* no room: the call as it is */
        rs_syscall(SYS_munmap, blk, blk[1]);
        return;
    }
    if (slot >= 0)
        __atomic_store_n(&orphans[slot].blk, (unsigned long)blk, __ATOMIC_RELEASE);
    c->arg[ai] = (long)(blk + 2);
    c->data = (uint64_t)(unsigned long)blk;
}

void exec_after(struct rs_call *c, long nr, int my_pid)
{
    if (!c->data || (nr != SYS_execve && nr != SYS_execveat))
        return;
    unsigned long *blk = (unsigned long *)c->data;
    c->arg[nr == SYS_execve ? 2 : 3] = (long)blk[0];
    if (rs_getpid() != my_pid)
        exec_free_orphan(rs_gettid());
    else
        rs_syscall(SYS_munmap, blk, blk[1]);
    c->data = 0;
}

static unsigned long hex(const char *s, size_t n, size_t *used)
{
    unsigned long v = 0;
    size_t i = 0;

    for (; i < n; i++) {
        char ch = s[i];
        int d = ch >= '0' && ch <= '9' ? ch - '0' : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : -1;
        if (d < 0)
            break;
        v = v * 16 + (unsigned long)d;
    }
    *used = i;
    return v;
}

static void read_var(struct exec_env *e, const char *s, size_t n, int log_fd)
{
    size_t ml = sizeof(STARTED) - 1, u1, u2;

    tz_env_var(&e->tz, s, n, 0);
    if (n == sizeof(SHARED) - 1 && !memcmp(s, SHARED, n))
        e->shared = 1;
    if (n == sizeof(CHILD) - 1 && !memcmp(s, CHILD, n))
        e->child = 1;
    if (n > ml && !memcmp(s, STARTED, ml)) {
        const char *p = s + ml, *end = s + n;
        uint64_t dev = hex(p, (size_t)(end - p), &u1), ino, mdev, mino;
        p += u1;
        if (p < end && *p == ':') {
            p++;
            ino = hex(p, (size_t)(end - p), &u2);
            p += u2;
            if (p < end && *p == ':') {
                p++;
                e->col = hex(p, (size_t)(end - p), &u1);
                p += u1;
                if (p < end && *p == ':')
                    e->t0 = hex(p + 1, (size_t)(end - p - 1), &u1);
            }
            e->started = !log_identity(log_fd, &mdev, &mino) && mdev == dev && mino == ino;
        }
    }
}

/* The program's environment as the kernel has it (its /proc/PID/environ:
 * the program's pointers may be anywhere by now — this runs in init,
 * before it).  A variable longer than the buffer is none of ours: its
 * start is shown to tz_env_var as cut, the rest skipped to its end. */
void exec_read_env(struct exec_env *e, int log_fd)
{
    char buf[2048], proc[64];
    long fd = rs_proc_path(proc, sizeof(proc), "environ") < 0
                  ? -ENAMETOOLONG
                  : rs_syscall(SYS_openat, AT_FDCWD, proc, O_RDONLY | O_CLOEXEC);
    size_t keep = 0;
    int skipping = 0;             /* in the rest of a variable longer than buf */

    memset(e, 0, sizeof(*e));
    if (fd < 0)
        return;
    for (;;) {
        long r = rs_syscall(SYS_read, fd, buf + keep, sizeof(buf) - keep);
        if (r <= 0)
            break;
        size_t n = keep + (size_t)r, i = 0;
        while (i < n) {
            size_t j = i;
            while (j < n && buf[j])
                j++;
            if (j == n)
                break;            /* incomplete: keep for the next read */
            if (!skipping)
                read_var(e, buf + i, j - i, log_fd);
            skipping = 0;
            i = j + 1;
        }
        if (i == 0 && n == sizeof(buf)) {
            if (!skipping)
                tz_env_var(&e->tz, buf, n, 1);
            skipping = 1;
            i = n;
        }
        keep = n - i;
        memmove(buf, buf + i, keep);
    }
    rs_syscall(SYS_close, fd);
}
