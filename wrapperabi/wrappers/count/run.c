/* run.c — the table a run of count shares, and its collector.
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
 * the program's environment.  (Why a lock and not a pipe whose last
 * writer's close the collector reads as EOF: a pipe cannot be mapped, so
 * every process would keep two fds, the table and the pipe; with the lock
 * the table is its own token — which counts under a small fd limit.)  An exec'd image finds the memfd by its name
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
 * uncounted, with a warning.
 *
 * Every descriptor here is count's own — the memfd it created and kept
 * (rs_keep_fd_exec), the collector's — never one of the program's: they
 * are found and reopened through this process's /proc (RS_OWN_PROC), not
 * the program's (rs_proc_path).  In process the two are the same; in a
 * supervisor the run table is the supervisor's to hold. */
#include "count.h"                  /* first: _GNU_SOURCE */
#include <linux/futex.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>

#define WAIT_ALL 0x40000000   /* __WALL: a child with no exit signal */

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

void run_atfork(void)
{
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

/* fd is count's own (the run's memfd). */
static int open_again(int fd)
{
    char proc[32];

    rs_snprintf(proc, sizeof(proc), RS_OWN_PROC "/fd/%d", fd);
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

    rs_snprintf(proc, sizeof(proc), RS_OWN_PROC "/fd/%d", fd);   /* inherited by count's image */
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
 * on) — the host's fds, where rs_keep_fd_exec put it.  -1 if none. */
static int find_run(size_t *size)
{
    char buf[2048];
    long dfd = rs_syscall(SYS_openat, AT_FDCWD, RS_OWN_PROC "/fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC), n;
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
    struct note *n = count_note(my_pid, 0);
    int slot = n ? n->slot : -1;

    if (n) {
        count_add_time(&run->total[n->nr], n->t0, count_now());
        if (slot >= 0 && run->set.per_process)
            count_add_time(&run->slot[slot].row[n->nr], n->t0, count_now());
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
int run_join(void)
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
        collector_fail(RS_OWN_PROC "/fd (count needs /proc)", fd);
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
    count_summary(&clog);
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

int run_create(char *err, size_t errsize)
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
    set_path(m->root_program, rs_program_path());
    clock_id = CLOCK_MONOTONIC;
    m->created = count_now();
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

/* Wait (2 s at most) for the collector to finish: when no other process
 * of the run is alive, it has the run to itself once this one is gone. */
void run_wait_summary(void)
{
    struct timespec ms = {0, 1000000};
    struct flock done;
    int fd;

    if (others_alive(run_fd) || (fd = open_again(run_fd)) < 0)
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

