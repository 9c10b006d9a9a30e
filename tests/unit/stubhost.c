/* stubhost.c — a host for the wrapper runtime (wrapperabi/lib) compiled
 * into a host program: what initmod gives a wrapper image, done with libc.
 * stubhost_start() hands it to entry.c's rs_image_entry(), as initmod
 * would, so the runtime's services go through the real entry code. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "host.h"
#include "stubhost.h"

static long stub_syscall6(long nr, long a, long b, long c, long d, long e, long f)
{
    long r = syscall(nr, a, b, c, d, e, f);
    return r == -1 ? -(long)errno : r;
}

static long stub_pass(struct rs_call *c)
{
    return c->ret = stub_syscall6(c->nr, c->arg[0], c->arg[1], c->arg[2], c->arg[3], c->arg[4],
                                  c->arg[5]);
}

static int stub_keep_fd(int fd)
{
    return fd;
}

/* ABI 1.4, in process as initmod answers; or, after stubhost_remote(1),
 * as a supervisor would for a program that happens to be this very
 * process: "/proc/PID", and the program's descriptors as new ones
 * (pidfd_getfd) — so the runtime's out-of-process paths run here, and
 * must find what the in-process ones find. */
static int remote;

static int stub_getpid(void)
{
    return (int)syscall(SYS_getpid);
}

static int stub_gettid(void)
{
    return (int)syscall(SYS_gettid);
}

static size_t stub_proc_dir(char *buf, size_t size, int thread)
{
    if (!remote)
        return (size_t)snprintf(buf, size, "%s", thread ? "/proc/thread-self" : "/proc/self");
    if (thread)
        return (size_t)snprintf(buf, size, "/proc/%d/task/%d", stub_getpid(), stub_gettid());
    return (size_t)snprintf(buf, size, "/proc/%d", stub_getpid());
}

static long stub_program_fd(int fd)
{
    long pidfd = stub_syscall6(SYS_pidfd_open, stub_getpid(), 0, 0, 0, 0, 0);

    if (!remote) {
        printf("not ok stub host: program_fd asked in process\n");
        exit(1);
    }
    if (pidfd < 0)
        return pidfd;
    long r = stub_syscall6(SYS_pidfd_getfd, pidfd, fd, 0, 0, 0, 0);
    close((int)pidfd);
    return r;
}

/* ABI 1.7: a host's stamp for rs_call_clock_ns, or none (-1). */
static int clock_stamped;
static uint64_t clock_stamp;

static int stub_call_clock(int clock, uint64_t *ns)
{
    (void)clock;
    if (!clock_stamped)
        return -1;
    *ns = clock_stamp;
    return 0;
}

void stubhost_call_clock(int stamped, uint64_t ns)
{
    clock_stamped = stamped;
    clock_stamp = ns;
}

static char *const stub_argv[] = {"/stub/program", NULL};
static char *const stub_envp[] = {NULL};

static struct rs_host stub_host = {
    .abi_major = RS_ABI_MAJOR, .abi_minor = RS_ABI_MINOR,
    .syscall6 = stub_syscall6, .pass = stub_pass, .keep_fd = stub_keep_fd,
    .program_path = "/stub/program", .wrapper_name = "stub",
    .secure = 0, .argv = stub_argv, .envp = stub_envp,
    .keep_fd_exec = stub_keep_fd, .inherits = 1,
    .inprocess = 1, .proc_dir = stub_proc_dir, .getpid = stub_getpid, .gettid = stub_gettid,
    .program_fd = stub_program_fd, .call_clock = stub_call_clock,
};

void stubhost_remote(int on)
{
    remote = on;
    stub_host.inprocess = !on;
}

void stubhost_minor(unsigned minor)
{
    stub_host.abi_minor = minor;
}

const struct rs_wrapper *rs_image_entry(const struct rs_host *h);

const struct rs_wrapper *stubhost_start(void)
{
    const struct rs_wrapper *w = rs_image_entry(&stub_host);

    if (!w) {
        printf("not ok stub host: rs_image_entry refused it\n");
        exit(1);
    }
    return w;
}

/* A test that is not a wrapper still links entry.c, whose ABI note points
 * at the wrapper's description: this one, unless the test has its own. */
static const struct rs_handler no_handlers[1];
__attribute__((weak)) const struct rs_wrapper rs_wrapper_desc = {
    .abi_major = RS_ABI_MAJOR, .abi_minor = RS_ABI_MINOR, .name = "stub",
    .handlers = no_handlers, .nhandlers = 0,
};
