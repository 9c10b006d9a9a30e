/* progcheck.c — where the program is (ABI 1.4: wrapperabi/lib/program.c,
 * entry.c): rs_proc_path, rs_proc_thread_path, rs_getpid, rs_gettid,
 * rs_inprocess, rs_program_fd/_dirfd/_fd_done, rs_program_cwd,
 * rs_thread_cputime_ns, rs_call_clock_ns (ABI 1.7) and the default log (rs_log_open's duplicate of the program's stderr).
 *
 * Three hosts (tests/unit/stubhost.c): in process as initmod answers —
 * everything as before 1.4 ("/proc/self", the numbers themselves, the raw
 * getpid/gettid, getcwd); a 1.3 host, which says nothing of this — the
 * same answers; and the host answering as a supervisor would for a
 * program that is this process ("/proc/PID", descriptors by
 * pidfd_getfd) — other numbers and paths, the same files. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include <runsel/wrapper.h>
#include "rows.h"
#include "stubhost.h"

static int host_pid(void)
{
    return (int)syscall(SYS_getpid);
}

static int host_tid(void)
{
    return (int)syscall(SYS_gettid);
}

static int open_fds(void)
{
    DIR *d = opendir("/proc/self/fd");
    int n = 0;

    if (!d)
        return -1;
    while (readdir(d))
        n++;
    closedir(d);
    return n;
}

static const char *mode_name(int remote, unsigned minor)
{
    return remote ? "the stub host as a supervisor" : minor < 4 ? "a 1.3 host" : "in process";
}

static void set_host(int remote, unsigned minor)
{
    stubhost_minor(minor);
    stubhost_remote(remote);
}

/* ---- rs_proc_path, rs_proc_thread_path ---- */

static const struct {
    const char *fmt;
    int arg;
    const char *tail;   /* after the directory */
} path_rows[] = {
    {"fd/%d", 3, "/fd/3"},
    {"fd/%d", 2147483647, "/fd/2147483647"},
    {"fd/%d", -100, "/fd/-100"},
    {"fdinfo/%d", 12, "/fdinfo/12"},
    {"cwd", 0, "/cwd"},
    {"environ", 0, "/environ"},
    {"comm", 0, "/comm"},
    {"", 0, "/"},
};

static void one_path(int thread, const char *dir, size_t row)
{
    char want[128], buf[128];
    int (*fn)(char *, size_t, const char *, ...) = thread ? rs_proc_thread_path : rs_proc_path;
    const char *name = thread ? "rs_proc_thread_path" : "rs_proc_path";

    snprintf(want, sizeof(want), "%s%s", dir, path_rows[row].tail);
    size_t len = strlen(want);
    memset(buf, 'x', sizeof(buf));
    int r = fn(buf, sizeof(buf), path_rows[row].fmt, path_rows[row].arg);
    rows_check(r == (int)len && !strcmp(buf, want), "%s(%s, %d) -> %d %s, want %zu %s", name,
               rows_q(path_rows[row].fmt, -1), path_rows[row].arg, r, rows_q(buf, r < 0 ? 0 : r),
               len, rows_q(want, -1));
    /* every buffer too small, by one byte or more: refused, never cut short */
    for (size_t size = 0; size <= len; size++) {
        memset(buf, 'x', sizeof(buf));
        r = fn(buf, size, path_rows[row].fmt, path_rows[row].arg);
        rows_check(r == -ENAMETOOLONG && (size == 0 ? buf[0] == 'x' : buf[0] == 0),
                   "%s(%s) into %zu -> %d, buf %s, want -ENAMETOOLONG and an empty buf", name,
                   rows_q(want, -1), size, r, rows_q(buf, size ? (long)strnlen(buf, size) : 0));
    }
    r = fn(buf, len + 1, path_rows[row].fmt, path_rows[row].arg);
    rows_check(r == (int)len && !strcmp(buf, want), "%s(%s) into exactly %zu -> %d", name,
               rows_q(want, -1), len + 1, r);
}

/* The path names the file the in-process one names (this process is the
 * program whatever the host says). */
static void same_link(int fd)
{
    char proc[128], mine[64], a[4096], b[4096];

    snprintf(mine, sizeof(mine), "/proc/self/fd/%d", fd);
    int r = rs_proc_path(proc, sizeof(proc), "fd/%d", fd);
    ssize_t na = readlink(mine, a, sizeof(a) - 1), nb = r < 0 ? -1 : readlink(proc, b, sizeof(b) - 1);
    rows_check(na > 0 && na == nb && !memcmp(a, b, (size_t)na), "readlink %s (%zd) vs %s (%zd)",
               mine, na, proc, nb);
}

static void test_proc_path(int remote, unsigned minor)
{
    char group[160], dir[64], tdir[96];

    set_host(remote, minor);
    snprintf(group, sizeof(group), "program: rs_proc_path, rs_proc_thread_path (%s)",
             mode_name(remote, minor));
    rows_begin(group);
    if (remote) {
        snprintf(dir, sizeof(dir), "/proc/%d", host_pid());
        snprintf(tdir, sizeof(tdir), "/proc/%d/task/%d", host_pid(), host_tid());
    } else {
        strcpy(dir, "/proc/self");
        strcpy(tdir, "/proc/thread-self");
    }
    for (size_t i = 0; i < ROWS_COUNT(path_rows); i++) {
        one_path(0, dir, i);
        one_path(1, tdir, i);
    }
    same_link(0);
    same_link(2);
    set_host(0, RS_ABI_MINOR);
    rows_end();
}

/* ---- rs_getpid, rs_gettid, rs_inprocess ---- */

struct tid_seen {
    int rs, raw;
};

static void *in_thread(void *arg)
{
    struct tid_seen *t = arg;

    t->rs = rs_gettid();
    t->raw = host_tid();
    return NULL;
}

static void test_identity(int remote, unsigned minor)
{
    char group[160];
    struct tid_seen t = {0, 0};
    pthread_t th;

    set_host(remote, minor);
    snprintf(group, sizeof(group), "program: rs_getpid, rs_gettid, rs_inprocess (%s)",
             mode_name(remote, minor));
    rows_begin(group);
    rows_check(rs_getpid() == host_pid(), "rs_getpid %d, getpid %d", rs_getpid(), host_pid());
    rows_check(rs_gettid() == host_tid(), "rs_gettid %d, gettid %d", rs_gettid(), host_tid());
    rows_check(rs_gettid() == rs_getpid(), "the main thread's tid %d is the pid %d", rs_gettid(),
               rs_getpid());
    if (pthread_create(&th, NULL, in_thread, &t) == 0)
        pthread_join(th, NULL);
    rows_check(t.rs && t.rs == t.raw && t.rs != host_tid(),
               "another thread: rs_gettid %d, its gettid %d (main %d)", t.rs, t.raw, host_tid());
    rows_check(rs_inprocess() == !remote, "rs_inprocess %d, want %d", rs_inprocess(), !remote);
    set_host(0, RS_ABI_MINOR);
    rows_end();
}

/* ---- rs_program_fd, rs_program_dirfd, rs_program_fd_done ---- */

static int same_file(long a, long b)
{
    struct stat x, y;

    return !fstat((int)a, &x) && !fstat((int)b, &y) && x.st_dev == y.st_dev && x.st_ino == y.st_ino;
}

/* In process: the number itself, whatever it is, and done closes nothing. */
static void fd_in_process(const char *what, int fd)
{
    long h = rs_program_fd(fd);
    rows_check(h == fd, "%s: rs_program_fd(%d) -> %ld, want the number itself", what, fd, h);
    rs_program_fd_done(h);
    if (fd >= 0 && strcmp(what, "a closed fd"))
        rows_check(fcntl(fd, F_GETFD) >= 0, "%s: rs_program_fd_done(%d) closed it", what, fd);
    long d = rs_program_dirfd(fd, "rel");
    long a = rs_program_dirfd(fd, "/abs");
    rows_check(d == fd && a == fd, "%s: rs_program_dirfd(%d, rel / abs) -> %ld / %ld, want %d",
               what, fd, d, a, fd);
}

/* From a supervisor: a new descriptor of the host's on the same open file. */
static void fd_remote(const char *what, int fd)
{
    long h = rs_program_fd(fd);
    int fl = fcntl(fd, F_GETFL);

    rows_check(h >= 0 && h != fd && same_file(h, fd) && fcntl((int)h, F_GETFL) == fl &&
                   (fcntl((int)h, F_GETFD) & FD_CLOEXEC),
               "%s: rs_program_fd(%d) -> %ld, want another fd on the same open file, close-on-exec",
               what, fd, h);
    rs_program_fd_done(h);
    rows_check(h < 0 || (fcntl((int)h, F_GETFD) < 0 && errno == EBADF),
               "%s: rs_program_fd_done(%ld) left it open", what, h);
    rows_check(fcntl(fd, F_GETFD) >= 0, "%s: the program's fd %d was closed", what, fd);
    long d = rs_program_dirfd(fd, "rel");
    rows_check(d >= 0 && d != fd && same_file(d, fd), "%s: rs_program_dirfd(%d, rel) -> %ld", what,
               fd, d);
    rs_program_fd_done(d);
    long a = rs_program_dirfd(fd, "/abs");
    rows_check(a == AT_FDCWD, "%s: rs_program_dirfd(%d, /abs) -> %ld, want AT_FDCWD", what, fd, a);
}

static void test_program_fd(int remote, unsigned minor)
{
    char group[160], cwd[4096], link[4096], proc[64];
    int p[2], s[2];
    int before = open_fds();

    set_host(remote, minor);
    snprintf(group, sizeof(group), "program: rs_program_fd, rs_program_dirfd (%s)",
             mode_name(remote, minor));
    rows_begin(group);
    if (pipe(p) || socketpair(AF_UNIX, SOCK_STREAM, 0, s)) {
        rows_check(0, "pipe, socketpair: %s", strerror(errno));
        rows_end();
        return;
    }
    int reg = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
    int opath = open("/", O_PATH | O_DIRECTORY);
    int closed = 900;                            /* not open: above any the test opens */
    while (fcntl(closed, F_GETFD) >= 0)
        closed++;
    fcntl(p[1], F_SETFL, O_NONBLOCK);            /* a status flag the duplicate must share */
    const struct {
        const char *what;
        int fd;
    } fds[] = {{"a pipe", p[1]}, {"a socket", s[0]}, {"a regular file", reg},
               {"an O_PATH directory", opath}, {"stdin", 0}};
    for (size_t i = 0; i < ROWS_COUNT(fds); i++)
        (remote ? fd_remote : fd_in_process)(fds[i].what, fds[i].fd);
    if (!remote) {
        fd_in_process("a closed fd", closed);
        fd_in_process("AT_FDCWD", AT_FDCWD);
        fd_in_process("a negative number", -5);
    } else {
        long r = rs_program_fd(closed), d = rs_program_dirfd(closed, "rel");
        long a = rs_program_dirfd(closed, "/abs"), n = rs_program_fd(-5);
        rows_check(r == -EBADF && d == -EBADF && a == AT_FDCWD && n == -EBADF,
                   "a closed fd: %ld, dirfd rel %ld, abs %ld; -5: %ld; want -EBADF -EBADF "
                   "AT_FDCWD -EBADF", r, d, a, n);
        long c = rs_program_fd(AT_FDCWD);
        snprintf(proc, sizeof(proc), "/proc/self/fd/%ld", c);
        ssize_t n1 = c < 0 ? -1 : readlink(proc, link, sizeof(link) - 1);
        int good = n1 > 0 && getcwd(cwd, sizeof(cwd)) && (size_t)n1 == strlen(cwd) &&
                   !memcmp(link, cwd, (size_t)n1) && (fcntl((int)c, F_GETFL) & O_PATH);
        rows_check(good, "AT_FDCWD -> %ld: an O_PATH fd on the cwd", c);
        rs_program_fd_done(c);
    }
    close(p[0]), close(p[1]), close(s[0]), close(s[1]), close(reg), close(opath);
    int after = open_fds();
    rows_check(before == after, "descriptors open before %d, after %d", before, after);
    set_host(0, RS_ABI_MINOR);
    rows_end();
}

/* ---- rs_program_cwd, and the default log: the program's stderr ---- */

static void test_cwd_and_stderr(int remote, unsigned minor)
{
    char group[160], cwd[4096], buf[4096], err[256];
    struct rs_log log;

    set_host(remote, minor);
    snprintf(group, sizeof(group), "program: rs_program_cwd, rs_log_open's stderr (%s)",
             mode_name(remote, minor));
    rows_begin(group);
    if (!getcwd(cwd, sizeof(cwd))) {
        rows_check(0, "getcwd: %s", strerror(errno));
        rows_end();
        return;
    }
    size_t len = strlen(cwd);
    long n = rs_program_cwd(buf, sizeof(buf));
    rows_check(n == (long)len && !strcmp(buf, cwd), "rs_program_cwd -> %ld %s, want %zu %s", n,
               rows_q(buf, n < 0 ? 0 : n), len, rows_q(cwd, -1));
    n = rs_program_cwd(buf, len + 1);
    rows_check(n == (long)len, "rs_program_cwd into exactly %zu -> %ld", len + 1, n);
    for (size_t size = 0; size <= len; size++) {
        n = rs_program_cwd(buf, size);
        rows_check(n == -ERANGE, "rs_program_cwd into %zu (cwd %zu bytes) -> %ld, want -ERANGE",
                   size, len, n);
    }
    int before = open_fds();
    int r = rs_log_open(&log, NULL, err, sizeof(err));
    rows_check(r == 0 && log.fd > 2 && same_file(log.fd, 2) &&
                   (fcntl(log.fd, F_GETFD) & FD_CLOEXEC) && open_fds() == before + 1,
               "rs_log_open(no log=) -> %d fd %d (%s), want a close-on-exec duplicate of fd 2 "
               "and no other fd (%d before, %d after)", r, log.fd, r ? err : "",
               before, open_fds());
    if (r == 0 && log.fd > 2)
        close(log.fd);
    set_host(0, RS_ABI_MINOR);
    rows_end();
}

/* ---- rs_thread_cputime_ns ---- */

static uint64_t raw_cputime(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void spin_ms(unsigned ms)
{
    uint64_t end = raw_cputime() + ms * 1000000ull;

    while (raw_cputime() < end)
        ;
}

static void test_cputime(int remote, unsigned minor)
{
    char group[160];

    set_host(remote, minor);
    snprintf(group, sizeof(group), "program: rs_thread_cputime_ns (%s)", mode_name(remote, minor));
    rows_begin(group);
    spin_ms(5);
    uint64_t a = raw_cputime(), r1 = rs_thread_cputime_ns(), b = raw_cputime();
    /* in process the same clock; from a supervisor schedstat, which may
     * lag a running thread's clock by a tick or so */
    uint64_t slack = remote ? 20000000u : 0;
    rows_check(r1 && r1 + slack >= a && r1 <= b, "%llu, the thread's clock %llu .. %llu",
               (unsigned long long)r1, (unsigned long long)a, (unsigned long long)b);
    spin_ms(60);
    uint64_t r2 = rs_thread_cputime_ns();
    rows_check(r2 >= r1 + 30000000u, "after 60 ms of CPU: %llu, was %llu",
               (unsigned long long)r2, (unsigned long long)r1);
    set_host(0, RS_ABI_MINOR);
    rows_end();
}

/* ---- rs_call_clock_ns (ABI 1.7): the host's stamp when it has one
 * (a supervisor's, from the stops), else the clock now; a host older than
 * 1.7 is never asked */
static uint64_t raw_clock(int clock)
{
    struct timespec ts;

    clock_gettime(clock, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void test_call_clock(void)
{
    static const struct {
        unsigned minor;
        int stamped;
        int clock;
        int want_stamp;
    } rows[] = {
        {RS_ABI_MINOR, 1, CLOCK_MONOTONIC, 1},
        {RS_ABI_MINOR, 1, CLOCK_THREAD_CPUTIME_ID, 1},
        {RS_ABI_MINOR, 0, CLOCK_MONOTONIC, 0},
        {RS_ABI_MINOR, 0, CLOCK_THREAD_CPUTIME_ID, 0},
        {6, 1, CLOCK_MONOTONIC, 0},
        {6, 1, CLOCK_THREAD_CPUTIME_ID, 0},
    };

    rows_begin("program: rs_call_clock_ns");
    for (size_t i = 0; i < ROWS_COUNT(rows); i++) {
        stubhost_minor(rows[i].minor);
        stubhost_call_clock(rows[i].stamped, 12345);
        spin_ms(1);
        uint64_t a = raw_clock(rows[i].clock), got = rs_call_clock_ns(rows[i].clock),
                 b = raw_clock(rows[i].clock);
        if (rows[i].want_stamp)
            rows_check(got == 12345, "minor %u, stamped, clock %d: %llu (the stamp 12345)",
                       rows[i].minor, rows[i].clock, (unsigned long long)got);
        else
            rows_check(got >= a && got <= b, "minor %u, %s, clock %d: %llu, now %llu .. %llu",
                       rows[i].minor, rows[i].stamped ? "stamped" : "no stamp", rows[i].clock,
                       (unsigned long long)got, (unsigned long long)a, (unsigned long long)b);
    }
    stubhost_call_clock(0, 0);
    stubhost_minor(RS_ABI_MINOR);
    rows_end();
}

int main(void)
{
    static const struct {
        int remote;
        unsigned minor;
    } hosts[] = {{0, RS_ABI_MINOR}, {0, 3}, {1, RS_ABI_MINOR}};

    stubhost_start();
    for (size_t i = 0; i < ROWS_COUNT(hosts); i++) {
        test_proc_path(hosts[i].remote, hosts[i].minor);
        test_identity(hosts[i].remote, hosts[i].minor);
        test_program_fd(hosts[i].remote, hosts[i].minor);
        test_cwd_and_stderr(hosts[i].remote, hosts[i].minor);
        test_cputime(hosts[i].remote, hosts[i].minor);
    }
    test_call_clock();
    return rows_exit();
}
