/* fdscheck.c — initmod/fds.c on the host: where a kept fd goes under an fd
 * limit, and the guard around it.  The claim (fds.c): a kept fd never
 * takes 0-2 and never needs more room than the limit gives — under a low
 * soft limit it goes above it when the hard limit allows, leaving the
 * program all its room; under a low hard limit it takes the highest free
 * slot; with a limit of 512 or more it sits 64 below it, as before.
 * `ulimit -n 100` used to make every wrapper that keeps a log exit 126.
 * Each case runs in a child of its own (limits and the kept list are per
 * process); a child prints its failures and exits 1. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/close_range.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "im.h"
#include "rows.h"

long rs_gate6(long nr, long a, long b, long c, long d, long e, long f)
{
    long r = syscall(nr, a, b, c, d, e, f);

    return r == -1 ? -(long)errno : r;
}

static int bad;

static void expect(int good, const char *what, long got)
{
    if (!good) {
        printf("not ok fds: %s (got %ld)\n", what, got);
        bad = 1;
    }
}

static void set_limit(rlim_t soft, rlim_t hard)
{
    struct rlimit rl = {soft, hard};

    if (setrlimit(RLIMIT_NOFILE, &rl)) {
        printf("not ok fds: setrlimit %lu/%lu: %m\n", (unsigned long)soft, (unsigned long)hard);
        exit(1);
    }
}

/* How many more fds the process can open. */
static int room(void)
{
    int fds[1100], n = 0;

    while (n < 1100 && (fds[n] = open("/dev/null", O_RDONLY)) >= 0)
        n++;
    for (int i = 0; i < n; i++)
        close(fds[i]);
    return n;
}

static int keep_null(void)
{
    return im_keep_fd(open("/dev/null", O_RDONLY));
}

/* A hard limit: the kept fd takes the highest free slot, the program
 * keeps every other one. */
static void hard_limit(int limit)
{
    set_limit(limit, limit);
    int k = keep_null();
    expect(k == limit - 1, "kept fd in the highest slot under the hard limit", k);
    expect(room() == limit - 4, "the program keeps every other slot", room());
}

/* Under a low soft limit with room above it: the kept fd goes above, the
 * limit is set back, the program keeps all its room. */
static void soft_limit(int limit)
{
    struct rlimit rl;

    set_limit(limit, 4096);
    int k = keep_null();
    getrlimit(RLIMIT_NOFILE, &rl);
    expect(k >= limit, "kept fd above the soft limit", k);
    expect(rl.rlim_cur == (rlim_t)limit, "the soft limit set back", (long)rl.rlim_cur);
    expect(room() == limit - 3, "the program keeps all its room", room());
    expect(read(k, &(char){0}, 1) == 0, "an fd above the limit is usable", k);
}

/* Limit 5 (hard): two kept fds fit (4, then 3: the last free slot is the
 * one the fd is in), and none ever takes 0-2; limit 4: one. */
static void tiny_limits(void)
{
    set_limit(5, 5);
    int a = keep_null(), b = keep_null();
    expect(a == 4 && b == 3, "limit 5: kept in 4, then 3", a * 10 + b);
    expect(open("/dev/null", O_RDONLY) == -1 && room() == 0, "limit 5: no room is left", room());
}

static void limit_4(void)
{
    set_limit(4, 4);
    int k = keep_null();
    expect(k == 3, "limit 4: kept in 3", k);
}

static void high_limit(void)
{
    set_limit(1024, 1024);
    int k = keep_null();
    expect(k == 960, "limit 1024: 64 below it, as before", k);
}

/* Only an fd kept with im_keep_fd_exec loses close-on-exec, and only
 * between im_fds_exec(1) and im_fds_exec(0). */
static void across_exec(void)
{
    int plain = keep_null(), passed = im_keep_fd_exec(open("/dev/null", O_RDONLY));

    expect(fcntl(passed, F_GETFD) == FD_CLOEXEC, "kept for exec: close-on-exec until an exec", passed);
    im_fds_exec(1);
    expect(fcntl(passed, F_GETFD) == 0, "passed on: close-on-exec cleared for the exec", passed);
    expect(fcntl(plain, F_GETFD) == FD_CLOEXEC, "a plain kept fd stays close-on-exec", plain);
    im_fds_exec(0);
    expect(fcntl(passed, F_GETFD) == FD_CLOEXEC, "set again after a failed exec", passed);
}

static void guard(void)
{
    int k = keep_null(), other = open("/dev/null", O_RDONLY);
    struct rs_call c = {.nr = SYS_close, .arg = {k}};

    expect(im_fd_guard(&c) && c.ret == 0 && fcntl(k, F_GETFD) >= 0, "close of a kept fd: 0, still open", c.ret);
    c = (struct rs_call){.nr = SYS_dup2, .arg = {other, k}};
    expect(im_fd_guard(&c) && c.ret == -EBADF, "dup2 onto a kept fd: EBADF", c.ret);
    c = (struct rs_call){.nr = SYS_close_range, .arg = {3, ~0U, 0}};
    expect(im_fd_guard(&c) && c.ret == 0 && fcntl(k, F_GETFD) >= 0 && fcntl(other, F_GETFD) < 0,
           "close_range closes around it", c.ret);
}

static void in_child(const char *name, void (*fn)(void))
{
    int st;
    pid_t pid = fork();

    if (pid == 0) {
        syscall(SYS_close_range, 3, ~0U, 0);
        fn();
        fflush(stdout);
        _exit(bad);
    }
    waitpid(pid, &st, 0);
    rows_check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "%s", name);
}

#define HARD(n) static void hard_##n(void) { hard_limit(n); }
#define SOFT(n) static void soft_##n(void) { soft_limit(n); }
HARD(100) HARD(20) HARD(10) HARD(6)
SOFT(100) SOFT(20) SOFT(10) SOFT(5)

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    rows_begin("fds: kept fds under fd limits (initmod/fds.c)");
    in_child("hard limit 100", hard_100);
    in_child("hard limit 20", hard_20);
    in_child("hard limit 10", hard_10);
    in_child("hard limit 6", hard_6);
    in_child("soft limit 100", soft_100);
    in_child("soft limit 20", soft_20);
    in_child("soft limit 10", soft_10);
    in_child("soft limit 5", soft_5);
    in_child("hard limits 5 and 4", tiny_limits);
    in_child("hard limit 4", limit_4);
    in_child("limit 1024", high_limit);
    in_child("across exec", across_exec);
    in_child("guard", guard);
    rows_end();
    return rows_exit();
}
