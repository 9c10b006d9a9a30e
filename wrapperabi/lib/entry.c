/* entry.c — the wrapper image's side of the host interface: the image's
 * entry point, and the services that need the host (native system calls,
 * the program's call, guarded fds). */
#include <time.h>
#include <runsel/wrapper.h>
#include "host.h"

/* The ABI note the loader checks before mapping the image further (here,
 * so every wrapper that links the runtime carries it).  Since ABI 1.1 it
 * also says where the wrapper's description is (its distance from the
 * field, resolved at link time: no relocation), so the loader can read
 * the wrapper's flags — does it enforce a policy? — from the file before
 * it decides the stack. */
#define RS_STR_(x) #x
#define RS_STR(x) RS_STR_(x)
__asm__(".hidden rs_wrapper_desc\n"
        ".pushsection .note.runsel,\"a\",@note\n"
        ".balign 4\n"
        ".long 7, 16, " RS_STR(RS_NOTE_WRAPPER) "\n"
        ".asciz \"" RS_NOTE_NAME "\"\n"
        ".balign 4\n"
        ".long " RS_STR(RS_ABI_MAJOR) ", " RS_STR(RS_ABI_MINOR) "\n"
        ".quad rs_wrapper_desc - .\n"
        ".popsection");

extern const struct rs_wrapper rs_wrapper_desc;   /* RS_WRAPPER() in the wrapper */

static const struct rs_host *host;

/* The host is handed a copy of the wrapper's description whose .atfork
 * runs the runtime's own first (a forked child's per-process state:
 * copyin.c's pid), then the wrapper's. */
static struct rs_wrapper desc;

static void runtime_atfork(void)
{
    rs_copyin_atfork();
    if (rs_wrapper_desc.atfork)
        rs_wrapper_desc.atfork();
}

const struct rs_wrapper *rs_image_entry(const struct rs_host *h)
{
    if (h->abi_major != RS_ABI_MAJOR)
        return NULL;
    host = h;
    desc = rs_wrapper_desc;
    desc.atfork = runtime_atfork;
    return &desc;
}

long rs_syscall6(long nr, long a, long b, long c, long d, long e, long f)
{
    return host->syscall6(nr, a, b, c, d, e, f);
}

long rs_pass(struct rs_call *c)
{
    return host->pass(c);
}

int rs_keep_fd(int fd)
{
    return host->keep_fd(fd);
}

/* A 1.1 host cannot pass an fd on: it is kept close-on-exec, and the
 * programs exec'd do not find it (as if they were not wrapped). */
int rs_keep_fd_exec(int fd)
{
    return host->abi_minor >= 2 ? host->keep_fd_exec(fd) : host->keep_fd(fd);
}

int rs_inherits(void)
{
    return host->abi_minor >= 2 ? host->inherits : 0;
}

/* A host older than 1.6 ignores a wrapper's rules. */
int rs_host_runs_rules(void)
{
    return host->abi_minor >= 6;
}

const char *rs_program_path(void)
{
    return host->program_path;
}

const char *rs_wrapper_name(void)
{
    return host->wrapper_name;
}

/* Hosts older than ABI 1.1 do not say: assume the worst (secure). */
int rs_secure_exec(void)
{
    return host->abi_minor >= 1 ? host->secure : 1;
}

char *const *rs_program_argv(void)
{
    return host->abi_minor >= 1 ? host->argv : NULL;
}

char *const *rs_program_envp(void)
{
    return host->abi_minor >= 1 ? host->envp : NULL;
}

int rs_call_made(const struct rs_call *c)
{
    return host->abi_minor < 1 || (c->flags & RS_CALL_MADE) != 0;
}

/* ---- ABI 1.4: where the program is (program.c builds on these) ----
 * A host older than 1.4 is initmod in the program's own process: the
 * answers it would give are those of this process. */

void *rs_call_scratch(const struct rs_call *c, size_t size)
{
    return host->abi_minor >= 4 && host->call_scratch ? host->call_scratch(c, size) : NULL;
}

long rs_pin_arg(struct rs_call *c, int idx, const void *data, size_t size)
{
    if (idx < 0 || idx > 5)
        return -EINVAL;
    if (host->abi_minor >= 5 && host->pin_arg)
        return host->pin_arg(c, idx, data, size);
    c->arg[idx] = (long)data;
    return 0;
}

uint64_t rs_call_clock_ns(int clock)
{
    struct timespec ts;
    uint64_t ns;

    if (host->abi_minor >= 7 && host->call_clock && host->call_clock(clock, &ns) == 0)
        return ns;
    if (clock == CLOCK_THREAD_CPUTIME_ID)
        return rs_thread_cputime_ns();
    if (rs_syscall(SYS_clock_gettime, clock, &ts))
        return 0;
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

int rs_attached(void)
{
    return host->abi_minor >= 5 && host->attached;
}

int rs_inprocess(void)
{
    return host->abi_minor >= 4 ? host->inprocess : 1;
}

int rs_getpid(void)
{
    return host->abi_minor >= 4 ? host->getpid() : (int)rs_syscall(SYS_getpid);
}

int rs_gettid(void)
{
    return host->abi_minor >= 4 ? host->gettid() : (int)rs_syscall(SYS_gettid);
}

size_t rs_proc_dir(char *buf, size_t size, int thread)
{
    if (host->abi_minor >= 4)
        return host->proc_dir(buf, size, thread);
    return rs_snprintf(buf, size, "%s", thread ? "/proc/thread-self" : "/proc/self");
}

long rs_program_fd_host(int fd)
{
    return host->program_fd(fd);
}
