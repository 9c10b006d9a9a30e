/* count — per-call counts, errors and time, like `strace -c -f`: one
 * summary for the whole run, every process and thread of it, written
 * once, when the program and everything it started have ended.
 *
 * Options
 *   log=PATH     where the summary goes (rs_log_open's rules; %p = the
 *                run's first process, or with per-process=yes each
 *                process's own file).  Default: the stderr the run started
 *                with, never a child's.  Opened once, for the whole run:
 *                a relative PATH is resolved in the directory the run
 *                started in, and a `cd` in a child changes nothing.
 *   sort=KEY     strace -S: time (default), min-time, max-time, avg-time,
 *                calls, errors, name, nothing (and strace's aliases).
 *   columns=LIST strace -U: time-percent, total-time, min-time, max-time,
 *                avg-time, calls, errors, name (strace 6.1's names and
 *                aliases; name is added at the end when missing).
 *   latency=yes  strace -w: wall-clock time in the call.  Default, as
 *                strace: the system time the call cost, measured as the
 *                calling thread's CPU time across it (CLOCK_THREAD_CPUTIME_ID;
 *                strace reads the tracee's stime at entry and exit).
 *   per-process=yes  one table per process (its threads and all its
 *                images), each written with one write(2), so tables never
 *                interleave in a shared log.
 *
 * The counts are strace's: every call on its way in (a process killed in
 * a call still counts it; its error and time are lost), execve once per
 * exec (the run's first exec included; a successful one is timed to the
 * new image's start), the child's return from fork not again, exit and
 * exit_group not at all (they never return: strace does not count them).
 * Not seen: rt_sigreturn (runsel's restorer issues it, no wrapper sees
 * it) and ia32/x32 calls (strace gives them tables of their own).
 *
 * How a run shares one table.  The first counted process (its init finds
 * no run) creates a memfd, "runsel-count": a header and the counters,
 * mapped MAP_SHARED, so every forked child adds into the same table with
 * atomic adds — a process killed by a signal has already counted.  The
 * memfd's fd is kept (rs_keep_fd_exec: guarded against close/dup2, passed
 * to execs through the loader only) and is the run's token: every process
 * of the run holds it, through fork and exec.  The root puts an OFD lock
 * on byte 0 through it; all holders share that one open file description,
 * so the lock goes when the last of them is gone, however it ended.  The
 * collector, a double-forked process (raw clone: never the program's
 * child, its wait() results stay native; the root reaps the middle one),
 * opens the memfd again (/proc/self/fd: a description of its own), keeps
 * only that and the log, and waits for byte 0 (F_OFD_SETLKW); then it
 * prints and exits.  One fd per process, none of the program's pipes or
 * terminals held (`runsel -w count prog | head` does not hang), nothing in
 * the program's environment.  An exec'd image finds the memfd by its name
 * in /proc/self/fd and joins; a set-user-ID image never joins (its calls
 * would go to the caller's log): it starts a run of its own, which needs
 * an absolute log= (else the exec fails, 126, as for any wrapper log).
 *
 * Before the caller continues.  strace prints before it exits; here the
 * root, at exit_group, waits (up to 2 s) for the collector to finish when
 * no other process of the run is alive — each process holds a POSIX read
 * lock on byte 2+pid, which the kernel drops when it dies, so F_GETLK
 * tells.  With processes left (a daemon), the summary comes when they end.
 *
 * Without /proc, or with no fd left for the memfd, the program runs
 * uncounted, with a warning. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/futex.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <time.h>
#include <runsel/wrapper.h>

#define MEMFD_NAME "runsel-count"
#define RUN_MAGIC 0x3274756f63737221ULL
#define NOTES 256           /* execs in flight, run-wide */
#define SLOTS 4096          /* per-process tables; later processes share one more */
#define PATHLEN 112
#define WAIT_ALL 0x40000000   /* __WALL: a child with no exit signal */

/* ---- the shared table ---- */

struct row {
    uint64_t calls, errors, ns, max_ns, min_inv;   /* min_inv = ~min: 0 until timed */
};

struct note {                /* an exec on its way: its new image finishes it */
    int32_t pid, slot;
    int32_t nr, pad;
    uint64_t t0;
};

struct slot {
    int32_t pid, images;
    char first[PATHLEN], last[PATHLEN];
    struct row row[RS_NSYS];
};

enum col { C_END, C_PCT, C_TOTAL, C_MIN, C_MAX, C_AVG, C_CALLS, C_ERRORS, C_NAME, C_NONE };

struct settings {
    int latency, per_process;
    int sort;                         /* enum col; C_NONE: number order */
    unsigned char columns[9];         /* C_END-terminated */
};

struct run {
    uint64_t magic, created, size;
    int32_t root_pid, collector_pid;
    int32_t status;                   /* 0 starting, 1 collector ready, -1 failed: why */
    int32_t refused;                  /* the log was refused (the exec then fails) */
    uint32_t nslots;
    struct settings set;
    char why[256];
    struct note note[NOTES];
    struct row total[RS_NSYS];
    struct slot slot[];               /* per-process=yes: SLOTS + 1 */
};

static struct run *run;               /* NULL: this process does not count */
static struct row *rows;              /* run->total, or this process's slot */
static int run_fd = -1, my_pid, my_slot = -1, clock_id = CLOCK_THREAD_CPUTIME_ID;
static struct settings want = {.sort = C_PCT, .columns = {C_PCT, C_TOTAL, C_AVG, C_CALLS, C_ERRORS, C_NAME}};
static const char *log_opt;

/* ---- options (strace 6.1's column names) ---- */

static const struct {
    char name[14];
    unsigned char col;
} col_names[] = {
    {"time", C_PCT}, {"time_percent", C_PCT}, {"time-percent", C_PCT},
    {"time_total", C_TOTAL}, {"time-total", C_TOTAL}, {"total_time", C_TOTAL}, {"total-time", C_TOTAL},
    {"min_time", C_MIN}, {"min-time", C_MIN}, {"shortest", C_MIN}, {"time_min", C_MIN}, {"time-min", C_MIN},
    {"longest", C_MAX}, {"max_time", C_MAX}, {"max-time", C_MAX}, {"time_max", C_MAX}, {"time-max", C_MAX},
    {"avg_time", C_AVG}, {"avg-time", C_AVG}, {"time_avg", C_AVG}, {"time-avg", C_AVG},
    {"calls", C_CALLS}, {"count", C_CALLS}, {"error", C_ERRORS}, {"errors", C_ERRORS},
    {"name", C_NAME}, {"syscall", C_NAME}, {"syscall_name", C_NAME}, {"syscall-name", C_NAME},
    {"none", C_NONE}, {"nothing", C_NONE},
};

static int col_by_name(const char *s, size_t n)
{
    for (size_t i = 0; i < sizeof(col_names) / sizeof(col_names[0]); i++)
        if (rs_strlen(col_names[i].name) == n && !rs_strncmp(col_names[i].name, s, n))
            return col_names[i].col;
    return C_END;
}

static int parse_columns(const char *list, char *err, size_t errsize)
{
    const char *cur = list, *w;
    size_t len, n = 0;
    unsigned seen = 0;

    while ((w = rs_next_word(&cur, ',', &len))) {
        int c = col_by_name(w, len);
        if (c == C_END || c == C_NONE || (seen & (1u << c))) {
            rs_snprintf(err, errsize, "columns=: %s column '%.*s'", c == C_END || c == C_NONE ?
                        "unknown" : "repeated", (int)len, w);
            return -1;
        }
        seen |= 1u << c;
        want.columns[n++] = (unsigned char)c;
    }
    if (!(seen & (1u << C_NAME)))
        want.columns[n++] = C_NAME;   /* as strace: a table without names means nothing */
    want.columns[n] = C_END;
    return 0;
}

static int yes_no(const struct rs_options *o, const char *key, int *out, char *err, size_t errsize)
{
    const char *v = rs_opt(o, key);

    if (!v)
        return 0;
    if (rs_strcmp(v, "yes") && rs_strcmp(v, "no")) {
        rs_snprintf(err, errsize, "%s=%s: expected yes or no", key, v);
        return -1;
    }
    *out = v[0] == 'y';
    return 0;
}

static int parse_options(const struct rs_options *o, char *err, size_t errsize)
{
    const char *sort = rs_opt(o, "sort"), *cols = rs_opt(o, "columns");

    if (sort && (want.sort = col_by_name(sort, rs_strlen(sort))) == C_END) {
        rs_snprintf(err, errsize, "sort=%s: expected time, min-time, max-time, avg-time, calls, "
                    "errors, name or nothing", sort);
        return -1;
    }
    if (cols && parse_columns(cols, err, errsize))
        return -1;
    log_opt = rs_opt(o, "log");
    return yes_no(o, "latency", &want.latency, err, errsize) ||
           yes_no(o, "per-process", &want.per_process, err, errsize) ? -1 : 0;
}

/* ---- counting ---- */

static uint64_t now(void)
{
    struct timespec ts;

    if (rs_syscall(SYS_clock_gettime, clock_id, &ts))
        return 0;
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void atomic_max(uint64_t *p, uint64_t v)
{
    uint64_t old = __atomic_load_n(p, __ATOMIC_RELAXED);

    while (v > old && !__atomic_compare_exchange_n(p, &old, v, 1, __ATOMIC_RELAXED, __ATOMIC_RELAXED))
        ;
}

static void add_time(struct row *r, uint64_t t0, uint64_t t1)
{
    uint64_t t = t1 > t0 ? t1 - t0 : 0;

    rs_atomic_add(&r->ns, t);
    atomic_max(&r->max_ns, t);
    atomic_max(&r->min_inv, ~t);
}

static struct row *row_of(long nr)
{
    return rows && nr >= 0 && nr < RS_NSYS ? &rows[nr] : NULL;
}

static int before(struct rs_call *c)
{
    struct row *r = row_of(c->nr);

    if (r) {
        rs_atomic_add(&r->calls, 1);
        c->data = now();
    }
    return RS_CONTINUE;
}

/* A forked child returns through the hooks too: strace counts the call
 * once, in the parent. */
static int forked_child(const struct rs_call *c)
{
    return c->ret == 0 && (c->nr == SYS_clone || c->nr == SYS_clone3 || c->nr == SYS_fork ||
                           c->nr == SYS_vfork);
}

static void after(struct rs_call *c)
{
    struct row *r = row_of(c->nr);

    if (!r || forked_child(c))
        return;
    if (rs_is_err(c->ret))
        rs_atomic_add(&r->errors, 1);
    add_time(r, c->data, now());
}

/* exec: counted on the way in (a successful one never returns); the new
 * image adds its time from the note left here. */
static struct note *note_of(int pid, int claim)
{
    for (int i = 0; run && i < NOTES; i++) {
        int32_t expect = claim ? 0 : pid, got = __atomic_load_n(&run->note[i].pid, __ATOMIC_ACQUIRE);
        if (got == pid || (claim && got == 0 &&
                           __atomic_compare_exchange_n(&run->note[i].pid, &expect, pid, 0,
                                                       __ATOMIC_ACQ_REL, __ATOMIC_RELAXED)))
            return &run->note[i];
    }
    return NULL;
}

static int before_exec(struct rs_call *c)
{
    int pid = rs_getpid();
    struct note *n;

    before(c);
    if (!rows || !(n = note_of(pid, 1)))
        return RS_CONTINUE;
    n->slot = pid == my_pid ? my_slot : -1;   /* a vfork child has no slot of its own */
    n->nr = (int32_t)c->nr;
    n->t0 = c->data;
    return RS_CONTINUE;
}

static void after_exec(struct rs_call *c)
{
    struct note *n = note_of(rs_getpid(), 0);

    if (n)
        __atomic_store_n(&n->pid, 0, __ATOMIC_RELEASE);
    after(c);
}

/* ---- processes of the run ---- */

static struct flock lock_at(short type, long start, long len)
{
    struct flock fl = {.l_type = type, .l_whence = SEEK_SET, .l_start = start, .l_len = len};

    return fl;
}

/* A POSIX lock per process (byte 2+pid): the kernel drops it when the
 * process dies, however it dies. */
static void register_alive(void)
{
    struct flock fl = lock_at(F_RDLCK, 2 + (long)my_pid, 1);

    rs_syscall(SYS_fcntl, run_fd, F_SETLK, &fl);
}

static int others_alive(int fd)
{
    struct flock fl = lock_at(F_WRLCK, 2, 0);

    return !rs_syscall(SYS_fcntl, fd, F_GETLK, &fl) && fl.l_type != F_UNLCK;
}

static void set_path(char *dst, const char *path)
{
    rs_strlcpy(dst, path ? path : "?", PATHLEN);
}

static void use_slot(int i, const char *first)
{
    struct slot *s = &run->slot[i];

    my_slot = i;
    rows = s->row;
    if (i == SLOTS) {                 /* the processes beyond SLOTS share it */
        s->pid = -1;
        return;
    }
    s->pid = my_pid;
    s->images = 1;
    set_path(s->first, first);
    set_path(s->last, rs_program_path());
}

static void new_slot(const char *first)
{
    uint32_t i = rs_atomic_add(&run->nslots, 1) - 1;

    use_slot(i < SLOTS ? (int)i : SLOTS, first);
}

static void count_atfork(void)
{
    if (!run)
        return;
    my_pid = rs_getpid();
    register_alive();
    if (run->set.per_process)
        new_slot(my_slot >= 0 && my_slot < SLOTS ? run->slot[my_slot].last : rs_program_path());
}

/* ---- creating, finding and joining a run ---- */

static int fail(char *err, size_t errsize, const char *what, long e)
{
    rs_snprintf(err, errsize, "%s: %s", what, rs_strerror(-e));
    return -1;
}

static struct run *map_run(int fd, size_t size)
{
    void *p = (void *)rs_syscall(SYS_mmap, 0, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);

    return rs_is_err((long)p) ? NULL : p;
}

static int open_again(int fd)
{
    char proc[32];

    rs_snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
    return (int)rs_syscall(SYS_openat, AT_FDCWD, proc, O_RDWR | O_CLOEXEC);
}

static void start_counting(int fd, struct run *r)
{
    run = r;
    run_fd = fd;
    my_pid = rs_getpid();
    clock_id = r->set.latency ? CLOCK_MONOTONIC : CLOCK_THREAD_CPUTIME_ID;
    rows = r->total;
    register_alive();
}

static int keep(int fd)
{
    return rs_inherits() ? rs_keep_fd_exec(fd) : rs_keep_fd(fd);
}

/* Is fd a run's memfd?  Its size and creation time, or 0. */
static size_t run_size(int fd, uint64_t *created)
{
    char proc[32], link[64];
    static const char want_link[] = "/memfd:" MEMFD_NAME " (deleted)";
    struct stat st;
    struct run *r;
    size_t size;
    long n;

    rs_snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
    n = rs_syscall(SYS_readlink, proc, link, sizeof(link));
    if (n != (long)sizeof(want_link) - 1 || memcmp(link, want_link, (size_t)n) ||
        rs_syscall(SYS_fstat, fd, &st) || (size_t)st.st_size < sizeof(struct run) ||
        !(r = map_run(fd, sizeof(struct run))))
        return 0;
    size = r->magic == RUN_MAGIC && r->size == (size_t)st.st_size ? r->size : 0;
    *created = r->created;
    rs_syscall(SYS_munmap, r, sizeof(struct run));
    return size;
}

struct dirent64_ {
    uint64_t ino;
    int64_t off;
    unsigned short reclen;
    unsigned char type;
    char name[];
};

/* The run this image inherited: the newest "runsel-count" memfd among
 * its fds (there is one, unless a process left out of a run passed it
 * on).  -1 if none. */
static int find_run(size_t *size)
{
    char buf[2048];
    long dfd = rs_syscall(SYS_openat, AT_FDCWD, "/proc/self/fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC), n;
    uint64_t best_created = 0, created;
    int best = -1;

    if (dfd < 0)
        return -1;
    while ((n = rs_syscall(SYS_getdents64, dfd, buf, sizeof(buf))) > 0)
        for (long off = 0; off < n; off += ((struct dirent64_ *)(buf + off))->reclen) {
            const char *name = ((struct dirent64_ *)(buf + off))->name;
            int fd = 0;
            size_t sz;
            if (*name < '0' || *name > '9')
                continue;
            for (; *name >= '0' && *name <= '9'; name++)
                fd = fd * 10 + (*name - '0');
            if (fd != dfd && (sz = run_size(fd, &created)) && (best < 0 || created > best_created))
                best = fd, best_created = created, *size = sz;
        }
    rs_syscall(SYS_close, dfd);
    return best;
}

/* The exec that brought this image: its time, and with per-process
 * tables its process's slot. */
static void finish_exec(void)
{
    struct note *n = note_of(my_pid, 0);
    int slot = n ? n->slot : -1;

    if (n) {
        add_time(&run->total[n->nr], n->t0, now());
        if (slot >= 0 && run->set.per_process)
            add_time(&run->slot[slot].row[n->nr], n->t0, now());
        __atomic_store_n(&n->pid, 0, __ATOMIC_RELEASE);
    }
    if (!run->set.per_process)
        return;
    if (slot < 0) {
        new_slot(rs_program_path());
        return;
    }
    my_slot = slot;
    rows = run->slot[slot].row;
    if (slot < SLOTS) {
        run->slot[slot].images++;
        set_path(run->slot[slot].last, rs_program_path());
    }
}

/* 1: joined; 0: no run to join. */
static int join_run(void)
{
    size_t size = 0;
    int fd = find_run(&size), kfd;
    struct run *r;

    if (fd < 0)
        return 0;
    if (rs_secure_exec()) {               /* never into the caller's run */
        rs_syscall(SYS_close, fd);
        return 0;
    }
    if (!(r = map_run(fd, size)) || (kfd = keep(fd)) < 0) {
        rs_dprintf(2, "runsel: count: cannot join the run (%s): this program is not counted\n",
                   r ? "no fd left" : "cannot map its table");
        return 1;
    }
    start_counting(kfd, r);
    finish_exec();
    return 1;
}

/* ---- the collector ---- */

static void summary(void);

static void ignore_signals(void)
{
    static const int sigs[] = {SIGHUP, SIGINT, SIGQUIT, SIGPIPE, SIGTERM, SIGTSTP, SIGTTIN, SIGTTOU};
    unsigned long act[4] = {(unsigned long)SIG_IGN, 0, 0, 0}, none = 0;

    for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
        rs_syscall(SYS_rt_sigaction, sigs[i], act, 0, 8);
    rs_syscall(SYS_rt_sigprocmask, SIG_SETMASK, &none, 0, 8);
}

/* Every fd from first on but a and b (b may be -1). */
static void close_all_but(int first, int a, int b)
{
    int lo = b < 0 || a < b ? a : b, hi = b < 0 || a > b ? a : b;

    if (lo > first)
        rs_syscall(SYS_close_range, first, lo - 1, 0);
    if (hi > lo + 1 && hi > first)
        rs_syscall(SYS_close_range, lo + 1 > first ? lo + 1 : first, hi - 1, 0);
    rs_syscall(SYS_close_range, hi + 1 > first ? hi + 1 : first, ~0U, 0);
}

static void collector_fail(const char *what, long e)
{
    fail(run->why, sizeof(run->why), what, e);
    __atomic_store_n(&run->status, -1, __ATOMIC_RELEASE);
    rs_syscall(SYS_futex, &run->status, FUTEX_WAKE, 1, 0, 0, 0);
    rs_syscall(SYS_exit_group, 0);
}

static struct rs_log clog;            /* the collector's */

__attribute__((noreturn)) static void collector(void)
{
    int fd = open_again(run_fd);
    struct run *inherited = run;
    struct flock done = lock_at(F_WRLCK, 1, 1), all = lock_at(F_WRLCK, 0, 1);
    long r;

    ignore_signals();
    rs_syscall(SYS_prctl, PR_SET_NAME, "runsel-count", 0, 0, 0);
    if (fd < 0)
        collector_fail("/proc/self/fd (count needs /proc)", fd);
    close_all_but(3, fd, -1);         /* room for the log under a low fd limit */
    if (rs_log_open_pid(&clog, log_opt, run->root_pid, run->why, sizeof(run->why))) {
        run->refused = 1;
        __atomic_store_n(&run->status, -1, __ATOMIC_RELEASE);
        rs_syscall(SYS_futex, &run->status, FUTEX_WAKE, 1, 0, 0, 0);
        rs_syscall(SYS_exit_group, 0);
    }
    /* Nothing of the run's own description may stay here: not its fd, not
     * the mapping made through it — or the run would never end. */
    if (!(run = map_run(fd, inherited->size)))
        collector_fail("mmap", -ENOMEM);
    rs_syscall(SYS_munmap, inherited, run->size);
    close_all_but(0, fd, clog.fd);
    rs_syscall(SYS_chdir, "/");
    if ((r = rs_syscall(SYS_fcntl, fd, F_OFD_SETLK, &done)))
        collector_fail("lock", r);
    __atomic_store_n(&run->status, 1, __ATOMIC_RELEASE);
    rs_syscall(SYS_futex, &run->status, FUTEX_WAKE, 1, 0, 0, 0);
    while (rs_syscall(SYS_fcntl, fd, F_OFD_SETLKW, &all) == -EINTR)
        ;
    summary();
    for (;;)
        rs_syscall(SYS_exit_group, 0);
}

/* Until the collector says it is ready or failed (10 s at most; sooner
 * if it is gone). */
static void wait_ready(long cpid)
{
    struct timespec tick = {0, 20000000};

    for (int i = 0; i < 500 && !__atomic_load_n(&run->status, __ATOMIC_ACQUIRE); i++) {
        rs_syscall(SYS_futex, &run->status, FUTEX_WAIT, 0, &tick, 0, 0);
        if (!__atomic_load_n(&run->status, __ATOMIC_ACQUIRE) && rs_syscall(SYS_kill, cpid, 0))
            return;
    }
}

/* Double fork: the middle process (no exit signal: the program sees no
 * SIGCHLD) starts the collector and exits at once; the collector is
 * reparented away from the program's tree. */
static int start_collector(char *err, size_t errsize)
{
    long mid = rs_syscall(SYS_clone, 0, 0, 0, 0, 0), st;

    if (mid < 0)
        return fail(err, errsize, "fork", mid);
    if (mid == 0) {
        long c = rs_syscall(SYS_clone, SIGCHLD, 0, 0, 0, 0);
        if (c == 0)
            collector();
        if (c < 0)
            collector_fail("fork", c);
        run->collector_pid = (int32_t)c;
        for (;;)
            rs_syscall(SYS_exit_group, 0);
    }
    rs_syscall(SYS_wait4, mid, &st, WAIT_ALL, 0);
    if (!__atomic_load_n(&run->status, __ATOMIC_ACQUIRE))
        wait_ready(run->collector_pid);
    if (run->status == 1)
        return 0;
    rs_strlcpy(err, run->status ? run->why : "the collector did not start", errsize);
    return -1;
}

static int create_run(char *err, size_t errsize)
{
    size_t size = sizeof(struct run) + (want.per_process ? (SLOTS + 1) * sizeof(struct slot) : 0);
    long fd = rs_syscall(SYS_memfd_create, MEMFD_NAME, MFD_CLOEXEC), r;
    struct flock held = lock_at(F_RDLCK, 0, 1);
    struct run *m;
    int kfd;

    if (fd < 0)
        return fail(err, errsize, "memfd_create", fd);
    if ((r = rs_syscall(SYS_ftruncate, fd, size)) || !(m = map_run((int)fd, size)) ||
        (r = rs_syscall(SYS_fcntl, fd, F_OFD_SETLK, &held)) || (r = kfd = keep((int)fd)) < 0) {
        rs_syscall(SYS_close, fd);
        return fail(err, errsize, "the run's table", r ? r : -ENOMEM);
    }
    m->magic = RUN_MAGIC;
    m->size = size;
    m->set = want;
    m->root_pid = rs_getpid();
    clock_id = CLOCK_MONOTONIC;
    m->created = now();
    start_counting(kfd, m);
    if (start_collector(err, errsize)) {
        m->magic = 0;                     /* no run: the programs it execs must not join it */
        return m->refused ? -2 : -1;
    }
    if (want.per_process)
        new_slot(rs_program_path());
    rs_atomic_add(&rows[SYS_execve].calls, 1);   /* the exec that started the run */
    return 0;
}

/* A refused log fails the exec, as for any wrapper's log; anything else
 * that stops the run from being set up only leaves the program uncounted. */
static int count_init(const struct rs_options *o, char *err, size_t errsize)
{
    int r;

    if (parse_options(o, err, errsize))
        return -1;
    if (join_run() || (r = create_run(err, errsize)) == 0)
        return 0;
    run = NULL;
    rows = NULL;
    if (r == -2)
        return -1;
    rs_dprintf(2, "runsel: count: %s: this program is not counted\n", err);
    return 0;
}

/* The root waits for the summary when it is the last of the run: its
 * caller then finds it written, as after strace -c. */
static void count_fini(int status)
{
    struct timespec ms = {0, 1000000};
    struct flock done;
    int fd;

    (void)status;
    if (!run || my_pid != run->root_pid || others_alive(run_fd) || (fd = open_again(run_fd)) < 0)
        return;
    /* Leave the run: its mapping (other threads' last calls go to
     * anonymous memory) and its fd. */
    rs_syscall(SYS_mmap, run, run->size, PROT_READ | PROT_WRITE, MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    rs_syscall(SYS_close, run_fd);
    for (int i = 0; i < 2000; i++) {
        done = lock_at(F_WRLCK, 1, 1);   /* l_pid must be 0 again for an OFD query */
        if (rs_syscall(SYS_fcntl, fd, F_OFD_GETLK, &done) || done.l_type == F_UNLCK || others_alive(fd))
            break;
        rs_syscall(SYS_nanosleep, &ms, 0);
    }
    rs_syscall(SYS_close, fd);
}

/* ---- the table, as strace 6.1 prints it ---- */

struct text {
    char *p;
    size_t n, cap;
};

static void put(struct text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct text *t, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    size_t n = rs_vsnprintf(t->p + t->n, t->cap - t->n, fmt, ap);
    va_end(ap);
    t->n = n < t->cap - t->n ? t->n + n : t->cap - 1;
}

static void put_padded(struct text *t, const char *s, unsigned width, int left)
{
    unsigned n = (unsigned)rs_strlen(s);

    if (!left)
        for (; n < width; n++)
            put(t, " ");
    put(t, "%s", s);
    if (left)
        for (; n < width; n++)
            put(t, " ");
}

static const char col_head[][11] = {"", "% time", "seconds", "shortest", "longest", "usecs/call",
                                    "calls", "errors", "syscall"};

static uint64_t min_of(const struct row *r)
{
    return r->min_inv ? ~r->min_inv : 0;
}

static uint64_t avg_us(uint64_t ns, uint64_t calls)
{
    return calls ? ns / calls / 1000 : 0;
}

/* Seconds with 6 decimals, rounded to the microsecond as printf's %.6f. */
static void secs(char *b, size_t size, uint64_t ns)
{
    uint64_t us = (ns + 500) / 1000;

    rs_snprintf(b, size, "%lu.%06lu", (unsigned long)(us / 1000000), (unsigned long)(us % 1000000));
}

static const char *name_of(int nr, char *b, size_t size)
{
    const char *n = rs_syscall_name(nr);

    if (n)
        return n;
    rs_snprintf(b, size, "syscall_%#x", nr);
    return b;
}

/* Hundredths of a percent, rounded. */
static uint64_t pct(uint64_t t, uint64_t total)
{
    while (total > (1ULL << 44))
        t >>= 1, total >>= 1;
    return total ? (t * 20000 / total + 1) / 2 : 0;
}

static uint64_t sort_key(const struct row *r, int col)
{
    switch (col) {
    case C_MIN: return min_of(r);
    case C_MAX: return r->max_ns;
    case C_AVG: return r->calls ? r->ns / r->calls : 0;
    case C_CALLS: return r->calls;
    case C_ERRORS: return r->errors;
    default: return r->ns;
    }
}

/* Stable (ties stay in number order, as strace's qsort leaves them). */
static int ranks_before(const struct row *rs, int a, int b, int col)
{
    char x[32], y[32];

    if (col == C_NONE)
        return 0;
    if (col == C_NAME)
        return rs_strcmp(name_of(a, x, sizeof(x)), name_of(b, y, sizeof(y))) < 0;
    return sort_key(&rs[a], col) > sort_key(&rs[b], col);
}

struct totals {
    struct row sum;                   /* min_inv: of the smallest min */
    uint64_t max_min, max_avg;
    unsigned name_len;
};

static void cell(struct text *t, int col, const struct row *r, const char *name,
                 const struct totals *tot, unsigned w, int last, int is_total)
{
    char b[48] = "";

    switch (col) {
    case C_PCT: {
        uint64_t p = is_total ? 10000 : pct(r->ns, tot->sum.ns);
        rs_snprintf(b, sizeof(b), "%lu.%02lu", (unsigned long)(p / 100), (unsigned long)(p % 100));
        break;
    }
    case C_TOTAL: secs(b, sizeof(b), r->ns); break;
    case C_MIN: secs(b, sizeof(b), min_of(r)); break;
    case C_MAX: secs(b, sizeof(b), r->max_ns); break;
    case C_AVG: rs_snprintf(b, sizeof(b), "%lu", (unsigned long)avg_us(r->ns, r->calls)); break;
    case C_CALLS: rs_snprintf(b, sizeof(b), "%lu", (unsigned long)r->calls); break;
    case C_ERRORS:
        if (r->errors)                /* blank when none, the total too */
            rs_snprintf(b, sizeof(b), "%lu", (unsigned long)r->errors);
        break;
    case C_NAME:
        put_padded(t, name, last ? 0 : w, 1);
        return;
    }
    put_padded(t, b, w, 0);
}

static unsigned width_of(int col, const struct totals *tot)
{
    char b[48];
    unsigned w = (unsigned)rs_strlen(col_head[col]), v = 0;

    switch (col) {
    case C_PCT: v = 6; break;
    case C_TOTAL: secs(b, sizeof(b), tot->sum.ns); v = (unsigned)rs_strlen(b); w = 11; break;
    case C_MIN: v = (unsigned)rs_snprintf(b, sizeof(b), "%lu.000000", (unsigned long)(tot->max_min / 1000000000)); break;
    case C_MAX: v = (unsigned)rs_snprintf(b, sizeof(b), "%lu.000000", (unsigned long)(tot->sum.max_ns / 1000000000)); break;
    case C_AVG: v = (unsigned)rs_snprintf(b, sizeof(b), "%lu", (unsigned long)tot->max_avg); w = 11; break;
    case C_CALLS: v = (unsigned)rs_snprintf(b, sizeof(b), "%lu", (unsigned long)tot->sum.calls); w = 9; break;
    case C_ERRORS: v = (unsigned)rs_snprintf(b, sizeof(b), "%lu", (unsigned long)tot->sum.errors); w = 9; break;
    case C_NAME: v = tot->name_len + 1; w = 16; break;
    }
    return v > w ? v : w;
}

static void line_of(struct text *t, const struct settings *s, const unsigned *w, const struct row *r,
                    const char *name, const struct totals *tot, int is_total)
{
    for (int i = 0; s->columns[i]; i++) {
        if (i)
            put(t, " ");
        cell(t, s->columns[i], r, name, tot, w[i], !s->columns[i + 1], is_total);
    }
    put(t, "\n");
}

static void rule(struct text *t, const struct settings *s, const unsigned *w)
{
    for (int i = 0; s->columns[i]; i++) {
        put(t, "%s", i ? " " : "");
        for (unsigned k = 0; k < w[i]; k++)
            put(t, "-");
    }
    put(t, "\n");
}

static void table(struct text *t, const struct settings *s, const struct row *rs)
{
    static short order[RS_NSYS];
    struct totals tot = {0};
    unsigned w[9];
    char nb[32];
    int n = 0;

    for (int nr = 0; nr < RS_NSYS; nr++) {
        const struct row *r = &rs[nr];
        if (!r->calls)
            continue;
        int j = n++;
        for (; j > 0 && ranks_before(rs, nr, order[j - 1], s->sort); j--)
            order[j] = order[j - 1];
        order[j] = (short)nr;
        tot.sum.calls += r->calls;
        tot.sum.errors += r->errors;
        tot.sum.ns += r->ns;
        tot.sum.max_ns = r->max_ns > tot.sum.max_ns ? r->max_ns : tot.sum.max_ns;
        tot.sum.min_inv = r->min_inv > tot.sum.min_inv ? r->min_inv : tot.sum.min_inv;
        tot.max_min = min_of(r) > tot.max_min ? min_of(r) : tot.max_min;
        tot.max_avg = avg_us(r->ns, r->calls) > tot.max_avg ? avg_us(r->ns, r->calls) : tot.max_avg;
        unsigned len = (unsigned)rs_strlen(name_of(nr, nb, sizeof(nb)));
        tot.name_len = len > tot.name_len ? len : tot.name_len;
    }
    for (int i = 0; s->columns[i]; i++)
        w[i] = width_of(s->columns[i], &tot);
    for (int i = 0; s->columns[i]; i++) {
        put(t, "%s", i ? " " : "");
        int is_name = s->columns[i] == C_NAME;
        put_padded(t, col_head[s->columns[i]], is_name && !s->columns[i + 1] ? 0 : w[i], is_name);
    }
    put(t, "\n");
    rule(t, s, w);
    for (int k = 0; k < n; k++)
        line_of(t, s, w, &rs[order[k]], name_of(order[k], nb, sizeof(nb)), &tot, 0);
    rule(t, s, w);
    line_of(t, s, w, &tot.sum, "total", &tot, 1);
}

static void write_text(struct text *t, int fd)
{
    if (fd >= 0 && t->n)
        rs_write_all(fd, t->p, t->n);   /* one write: a table stays whole in a shared log */
    t->n = 0;
}

static void slot_heading(struct text *t, const struct slot *s, int i)
{
    if (i == SLOTS)
        put(t, "processes beyond the first %d\n", SLOTS);
    else if (s->images > 1)
        put(t, "pid %d: %s, then %s\n", s->pid, s->first, s->last);
    else
        put(t, "pid %d: %s\n", s->pid, s->first);
}

static void summary(void)
{
    size_t cap = 256 * 1024;
    struct text t = {(char *)rs_syscall(SYS_mmap, 0, cap, PROT_READ | PROT_WRITE,
                                        MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), 0, cap};
    uint32_t n = run->nslots > SLOTS ? SLOTS + 1 : run->nslots;
    int written = 0;

    if (rs_is_err((long)t.p))
        return;
    if (!run->set.per_process) {
        table(&t, &run->set, run->total);
        write_text(&t, clog.fd);
        return;
    }
    for (uint32_t i = 0; i < n; i++) {
        const struct slot *s = &run->slot[i];
        if (clog.per_pid && rs_log_reopen_pid(&clog, s->pid > 0 ? s->pid : run->root_pid, 0, 0))
            continue;
        if (written++ && !clog.per_pid)
            put(&t, "\n");
        slot_heading(&t, s, (int)i);
        table(&t, &run->set, s->row);
        write_text(&t, clog.fd);
    }
}

static const struct rs_handler handlers[] = {
    RS_WRAP_CALL(SYS_exit_group, NULL, NULL),
    RS_WRAP_CALL(SYS_exit, NULL, NULL),
    RS_WRAP_CALL(SYS_execve, before_exec, after_exec),
    RS_WRAP_CALL(SYS_execveat, before_exec, after_exec),
    RS_WRAP_CALL(RS_ANY, before, after),
};

RS_WRAPPER("count", handlers, .summary = "count calls, errors and time of the whole run, like strace -c -f",
           .init = count_init, .fini = count_fini, .atfork = count_atfork);
