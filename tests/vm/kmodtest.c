/* kmodtest — drives /dev/selredir (kmod/selredir.h) directly, without
 * initmod, so the module's own contract is tested: what a registration
 * redirects and what it leaves alone, who inherits it, what it refuses.
 * Used by tests/vm/t_kmod.sh inside vmtest's guest.
 *
 *   kmodtest basic | errors | threads N M | fork | exec | unregistered |
 *            pidreuse | signal | seccomp | fuzz N SEED | bench N
 *
 * Exit 0: as expected; 1: a failure (reason on stderr); 77: not testable
 * here.  The redirect entry (kentry below) counts the calls it receives and
 * returns MARK, so a redirected call is told apart from a native one. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "selredir.h"

#define MARK 0x5e1edL

/* The exempt range holds gate_syscall; out_syscall is the same code
 * outside it.  kentry saves what a syscall preserves, calls on_call(nr)
 * and returns to %rcx like the kernel would. */
long gate_syscall(long nr, long a, long b, long c, long d, long e);
long out_syscall(long nr, long a, long b, long c, long d, long e);
extern const char kgate_start[], kgate_end[], kentry[];
__asm__(".text\n"
        ".globl kgate_start, kgate_end, gate_syscall, out_syscall, kentry\n"
        "kgate_start:\n"
        "gate_syscall:\n"
        "  mov %rdi,%rax; mov %rsi,%rdi; mov %rdx,%rsi; mov %rcx,%rdx\n"
        "  mov %r8,%r10; mov %r9,%r8; syscall; ret\n"
        "kgate_end:\n"
        "  nop\n"
        "out_syscall:\n"
        "  mov %rdi,%rax; mov %rsi,%rdi; mov %rdx,%rsi; mov %rcx,%rdx\n"
        "  mov %r8,%r10; mov %r9,%r8; syscall; ret\n"
        "kentry:\n"
        "  lea -128(%rsp),%rsp\n"
        "  push %rcx; push %r11; push %rdi; push %rsi; push %rdx\n"
        "  push %r8; push %r9; push %r10; push %rbx\n"
        "  mov %rsp,%rbx; and $-16,%rsp\n"
        "  mov %rax,%rdi\n"
        "  call on_call\n"
        "  mov %rbx,%rsp\n"
        "  pop %rbx; pop %r10; pop %r9; pop %r8; pop %rdx\n"
        "  pop %rsi; pop %rdi; pop %r11; pop %rcx\n"
        "  lea 128(%rsp),%rsp\n"
        "  jmp *%rcx\n");

static atomic_long received;              /* calls that reached kentry */
static int signal_mode;                   /* on_call waits for a nested call */
static volatile sig_atomic_t nested_done, signal_sent;
static long nested_result;

long on_call(long nr);
long on_call(long nr)
{
    atomic_fetch_add(&received, 1);
    if (signal_mode && nr == SYS_getppid && !signal_sent) {
        /* A signal arrives while "the wrapper" runs; its handler makes a
         * redirected call, which must come back to the handler, and this
         * call must still come back to its own caller. */
        signal_sent = 1;
        gate_syscall(SYS_tgkill, gate_syscall(SYS_getpid, 0, 0, 0, 0, 0),
                     gate_syscall(SYS_gettid, 0, 0, 0, 0, 0), SIGUSR1, 0, 0);
        while (!nested_done)
            ;
    }
    return MARK;
}

static int failures;
#define expect(cond, ...) \
    do { if (!(cond)) { fprintf(stderr, "kmodtest: " __VA_ARGS__); fputc('\n', stderr); failures++; } } while (0)

static int dev(void)
{
    int fd = open(SELREDIR_DEVICE, O_RDONLY | O_CLOEXEC);

    if (fd < 0) {
        perror(SELREDIR_DEVICE);
        exit(77);
    }
    return fd;
}

/* ioctl through the gate: never redirected, whatever is registered. */
static long ctl(int fd, unsigned long cmd, void *arg)
{
    return gate_syscall(SYS_ioctl, fd, (long)cmd, (long)arg, 0, 0);
}

static struct selredir_register req_for(const int *calls, int n)
{
    struct selredir_register r = {
        .version = SELREDIR_VERSION,
        .entry = (uintptr_t)kentry,
        .exempt_lo = (uintptr_t)kgate_start,
        .exempt_hi = (uintptr_t)kgate_end,
    };

    for (int i = 0; i < n; i++)
        r.bitmap[calls[i] / 64] |= 1ULL << (calls[i] % 64);
    return r;
}

static long reg(int fd, const int *calls, int n)
{
    struct selredir_register r = req_for(calls, n);

    return ctl(fd, SELREDIR_IOC_REGISTER, &r);
}

static long query(int fd, int pid, struct selredir_query *q)
{
    memset(q, 0, sizeof(*q));
    q->version = SELREDIR_VERSION;
    q->pid = pid;
    return ctl(fd, SELREDIR_IOC_QUERY, q);
}

static long real_ppid(void) { return gate_syscall(SYS_getppid, 0, 0, 0, 0, 0); }
static long out_ppid(void) { return out_syscall(SYS_getppid, 0, 0, 0, 0, 0); }

static const int PPID[] = {SYS_getppid};

static int t_basic(void)
{
    int fd = dev();
    struct selredir_query q;
    static const int none[] = {SYS_getuid};

    expect(query(fd, 0, &q) == -ESRCH, "query before register: not ESRCH");
    expect(out_ppid() == real_ppid(), "getppid before register is not native");
    expect(reg(fd, PPID, 1) == 0, "register failed");
    expect(out_ppid() == MARK, "getppid in the bitmap, from outside the range: not redirected");
    expect(real_ppid() != MARK, "a call from the exempt range was redirected");
    expect(out_syscall(SYS_getuid, 0, 0, 0, 0, 0) == (long)getuid(), "getuid (not in the bitmap) not native");
    expect(query(fd, 0, &q) == 0, "query after register failed");
    expect(q.entry == (uintptr_t)kentry && q.exempt_lo == (uintptr_t)kgate_start &&
           q.exempt_hi == (uintptr_t)kgate_end, "query: wrong entry or range");
    expect(q.redirected == 1, "query: redirected = %llu, want 1", (unsigned long long)q.redirected);
    expect(received == 1, "entry received %ld calls, want 1", (long)received);
    expect(query(fd, getpid(), &q) == 0, "query by own pid failed");
    expect(reg(fd, none, 1) == 0, "re-register (replace) failed");
    expect(out_ppid() == real_ppid(), "getppid still redirected after the bitmap dropped it");
    expect(out_syscall(SYS_getuid, 0, 0, 0, 0, 0) == MARK, "getuid not redirected after replacing");
    expect(ctl(fd, SELREDIR_IOC_UNREGISTER, NULL) == 0, "unregister failed");
    expect(out_syscall(SYS_getuid, 0, 0, 0, 0, 0) == (long)getuid(), "getuid redirected after unregister");
    expect(query(fd, 0, &q) == -ESRCH, "query after unregister: not ESRCH");
    expect(ctl(fd, SELREDIR_IOC_UNREGISTER, NULL) == 0, "a second unregister is not a no-op");
    return failures != 0;
}

static int t_errors(void)
{
    int fd = dev();
    struct selredir_register r;
    struct selredir_query q;
    char stackcode[16];
    long page = sysconf(_SC_PAGESIZE);
    char *two = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    void *straddle;

    r = req_for(PPID, 1), r.version = SELREDIR_VERSION + 1;
    expect(ctl(fd, SELREDIR_IOC_REGISTER, &r) == -EPROTO, "another version: not EPROTO");
    r = req_for(PPID, 1), r.flags = 0x80000000u;
    expect(ctl(fd, SELREDIR_IOC_REGISTER, &r) == -EINVAL, "unknown flags: not EINVAL");
    r = req_for(PPID, 1), r.exempt_hi = r.exempt_lo;
    expect(ctl(fd, SELREDIR_IOC_REGISTER, &r) == -EINVAL, "empty exempt range: not EINVAL");
    r = req_for(PPID, 1), r.entry = (uintptr_t)stackcode;
    expect(ctl(fd, SELREDIR_IOC_REGISTER, &r) == -EINVAL, "entry on the stack: not EINVAL");
    r = req_for(PPID, 1), r.entry = 0x1000;
    expect(ctl(fd, SELREDIR_IOC_REGISTER, &r) == -EINVAL, "unmapped entry: not EINVAL");
    r = req_for(PPID, 1), r.entry = 0xffffffff81000000UL;
    expect(ctl(fd, SELREDIR_IOC_REGISTER, &r) == -EINVAL, "kernel entry: not EINVAL");
    r = req_for(PPID, 1), r.exempt_lo = (uintptr_t)two, r.exempt_hi = (uintptr_t)two + page;
    expect(ctl(fd, SELREDIR_IOC_REGISTER, &r) == -EINVAL, "exempt range in data: not EINVAL");
    r = req_for(PPID, 1), r.exempt_hi = ~0UL;
    expect(ctl(fd, SELREDIR_IOC_REGISTER, &r) == -EINVAL, "exempt range to the end of memory: not EINVAL");
    expect(ctl(fd, SELREDIR_IOC_REGISTER, NULL) == -EFAULT, "NULL: not EFAULT");
    expect(ctl(fd, SELREDIR_IOC_REGISTER, (void *)-4096L) == -EFAULT, "kernel pointer: not EFAULT");
    munmap(two + page, page);
    straddle = two + page - sizeof(r) / 2;
    expect(ctl(fd, SELREDIR_IOC_REGISTER, straddle) == -EFAULT, "half-mapped struct: not EFAULT");
    expect(ctl(fd, SELREDIR_IOC_QUERY, two + page - sizeof(q) / 2) == -EFAULT, "half-mapped query: not EFAULT");
    expect(ctl(fd, _IO('r', 99), NULL) == -ENOTTY, "unknown request: not ENOTTY");
    expect(ctl(fd, _IOW('x', 1, struct selredir_register), &r) == -ENOTTY, "another type: not ENOTTY");
    memset(&q, 0, sizeof(q));
    expect(ctl(fd, SELREDIR_IOC_QUERY, &q) == -EPROTO, "query version 0: not EPROTO");
    expect(query(fd, 1, &q) == -ESRCH, "query of pid 1 (not registered): not ESRCH");
    expect(query(fd, 0x3fffffff, &q) == -ESRCH, "query of a pid that does not exist: not ESRCH");
    expect(query(fd, -5, &q) == -ESRCH || query(fd, -5, &q) == -EINVAL, "negative pid accepted");
    expect(query(fd, 0, &q) == -ESRCH, "a refused registration registered something");
    {   /* a process dispatching its calls itself (SUD) cannot also register */
        static char sel = 0;    /* SYSCALL_DISPATCH_FILTER_ALLOW */
        if (prctl(59 /* PR_SET_SYSCALL_USER_DISPATCH */, 1 /* ON */, (unsigned long)kgate_start,
                  (unsigned long)(kgate_end - kgate_start), &sel) == 0) {
            expect(reg(fd, PPID, 1) == -EBUSY, "registration with Syscall User Dispatch on: not EBUSY");
            prctl(59, 0, 0, 0, 0);
            expect(reg(fd, PPID, 1) == 0, "registration after SUD was turned off failed");
            ctl(fd, SELREDIR_IOC_UNREGISTER, NULL);
        }
    }
    if (getuid() == 0) {
        pid_t c = fork();
        if (c == 0) {
            if (setresuid(65534, 65534, 65534))
                _exit(2);
            _exit(query(fd, 1, &q) == -EPERM ? 0 : 1);
        }
        int st;
        waitpid(c, &st, 0);
        expect(WIFEXITED(st) && WEXITSTATUS(st) == 0, "an unprivileged query of another process: not EPERM");
    }
    return failures != 0;
}

struct thr { long n, bad; };

static void *thread_main(void *p)
{
    struct thr *t = p;

    /* its first system call is already redirected */
    for (long i = 0; i < t->n; i++)
        if (out_ppid() != MARK)
            t->bad++;
    return NULL;
}

static int t_threads(int n, long m)
{
    int fd = dev();
    pthread_t th[256];
    struct thr t[256];
    struct selredir_query q;

    if (n > 256)
        n = 256;
    expect(reg(fd, PPID, 1) == 0, "register failed");
    for (int i = 0; i < n; i++) {
        t[i] = (struct thr){.n = m};
        expect(pthread_create(&th[i], NULL, thread_main, &t[i]) == 0, "pthread_create");
    }
    for (int i = 0; i < n; i++) {
        pthread_join(th[i], NULL);
        expect(t[i].bad == 0, "thread %d: %ld calls not redirected", i, t[i].bad);
    }
    expect(received == n * m, "entry received %ld calls, want %ld", (long)received, n * m);
    expect(query(fd, 0, &q) == 0 && q.redirected == (unsigned long long)(n * m),
           "query: redirected = %llu, want %ld", (unsigned long long)q.redirected, n * m);
    return failures != 0;
}

static int in_proc_table(pid_t pid)
{
    FILE *f = fopen("/proc/selredir", "r");
    char line[256];
    int found = 0;

    if (!f)
        return -1;
    while (fgets(line, sizeof(line), f))
        if (atoi(line) == pid)
            found = 1;
    fclose(f);
    return found;
}

static int t_fork(void)
{
    int fd = dev(), st;
    struct selredir_query q;
    pid_t c;

    expect(reg(fd, PPID, 1) == 0, "register failed");
    c = fork();     /* glibc's fork: the child's first instructions are libc's */
    if (c == 0) {
        long before = received;
        int ok = out_ppid() == MARK && received == before + 1 && query(fd, 0, &q) == 0 &&
                 q.entry == (uintptr_t)kentry && q.redirected == 1;
        _exit(ok ? 0 : 1);
    }
    waitpid(c, &st, 0);
    expect(WIFEXITED(st) && WEXITSTATUS(st) == 0, "forked child: not registered with the parent's entry and its own count");
    expect(query(fd, 0, &q) == 0 && q.redirected == 0, "the child's calls counted for the parent");
    expect(in_proc_table(c) == 0, "the exited child is still in /proc/selredir");
    expect(in_proc_table(getpid()) != 0, "this process is missing from /proc/selredir");
    /* a process registers only itself: a child registering leaves the parent alone */
    expect(ctl(fd, SELREDIR_IOC_UNREGISTER, NULL) == 0, "unregister");
    c = fork();
    if (c == 0)
        _exit(reg(fd, PPID, 1) == 0 && out_ppid() == MARK ? 0 : 1);
    waitpid(c, &st, 0);
    expect(WIFEXITED(st) && WEXITSTATUS(st) == 0, "a child could not register itself");
    expect(query(fd, 0, &q) == -ESRCH && out_ppid() != MARK, "a child's registration applied to its parent");
    return failures != 0;
}

static int t_exec(void)
{
    const char *self = "/proc/self/exe";
    int fd = dev(), st;
    pid_t c;

    expect(reg(fd, PPID, 1) == 0, "register failed");
    expect(execl("/nonexistent/x", "x", (char *)NULL) == -1, "exec of nothing succeeded");
    expect(out_ppid() == MARK, "a failed exec dropped the registration");
    c = fork();
    if (c == 0) {
        execl(self, self, "unregistered", (char *)NULL);
        _exit(3);
    }
    waitpid(c, &st, 0);
    expect(WIFEXITED(st) && WEXITSTATUS(st) == 0, "after exec the new image is still registered");
    return failures != 0;
}

static int t_unregistered(void)
{
    struct selredir_query q;
    int fd = dev();

    return !(query(fd, 0, &q) == -ESRCH && out_ppid() == real_ppid());
}

/* A new process that gets a registered process's old pid is not
 * registered (entries are keyed by the process, not the number). */
static int t_pidreuse(void)
{
    int fd = dev(), st, pipefd[2];
    pid_t a, b;
    FILE *f;

    a = fork();
    if (a == 0)
        _exit(reg(fd, PPID, 1) == 0 && out_ppid() == MARK ? 0 : 1);
    waitpid(a, &st, 0);
    expect(WIFEXITED(st) && WEXITSTATUS(st) == 0, "child A could not register");
    f = fopen("/proc/sys/kernel/ns_last_pid", "w");
    if (!f || fprintf(f, "%d", a - 1) < 0 || fclose(f) != 0) {
        fprintf(stderr, "kmodtest: cannot set ns_last_pid\n");
        return 77;
    }
    if (pipe(pipefd))
        return 1;
    b = fork();
    if (b == 0) {
        struct selredir_query q;
        _exit(query(fd, 0, &q) == -ESRCH && out_ppid() == real_ppid() ? 0 : 1);
    }
    waitpid(b, &st, 0);
    if (b != a) {
        fprintf(stderr, "kmodtest: pid %d not reused (got %d)\n", a, b);
        return 77;
    }
    expect(WIFEXITED(st) && WEXITSTATUS(st) == 0, "pid %d reused: the new process inherited the old registration", a);
    return failures != 0;
}

static void on_usr1(int sig)
{
    (void)sig;
    nested_result = out_ppid();
    nested_done = 1;
}

static int t_signal(void)
{
    int fd = dev();
    long outer;

    signal(SIGUSR1, on_usr1);
    signal_mode = 1;
    expect(reg(fd, PPID, 1) == 0, "register failed");
    outer = out_ppid();
    expect(nested_done, "the signal handler did not run");
    expect(nested_result == MARK, "the handler's call (made while the entry ran) not redirected back to it");
    expect(outer == MARK, "the interrupted call did not return to its caller");
    expect(received == 2, "entry received %ld calls, want 2", (long)received);
    return failures != 0;
}

/* The redirect comes first (as Syscall User Dispatch does): a call sent to
 * the entry never reaches seccomp; the calls actually made — the
 * wrapper's, from the exempt range — are filtered as usual. */
static int t_seccomp(void)
{
    int fd = dev();
    static const int calls[] = {SYS_getppid, SYS_getuid};
    struct sock_filter f[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_getuid, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    };
    struct sock_fprog prog = {.len = sizeof(f) / sizeof(f[0]), .filter = f};

    expect(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0, "no_new_privs");
    expect(prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) == 0, "seccomp filter");
    expect(reg(fd, calls, 2) == 0, "register under a seccomp filter failed");
    expect(out_syscall(SYS_getuid, 0, 0, 0, 0, 0) == MARK, "a call in the bitmap not redirected under seccomp");
    expect(received == 1, "entry received %ld calls, want 1", (long)received);
    expect(gate_syscall(SYS_getuid, 0, 0, 0, 0, 0) == -EPERM, "the real call (from the gate) escaped seccomp");
    expect(out_ppid() == MARK, "an allowed call not redirected under seccomp");
    return failures != 0;
}

/* Random requests and arguments: the module must answer every one with a
 * result or an error, never an oops.  Runs in a child: a registration the
 * dice make valid could redirect the child's own calls. */
static int t_fuzz(long n, unsigned seed)
{
    int fd = dev(), st;
    pid_t c = fork();

    if (c == 0) {
        char *buf = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        long ok = 0;

        srand(seed);
        for (long i = 0; i < n; i++) {
            unsigned long cmd;
            void *arg;
            switch (rand() % 4) {
            case 0: cmd = SELREDIR_IOC_REGISTER; break;
            case 1: cmd = SELREDIR_IOC_QUERY; break;
            case 2: cmd = _IOC(rand() % 4, 'r', rand() % 8, rand() % 512); break;
            default: cmd = (unsigned long)rand() * 65599u + (unsigned)rand(); break;
            }
            for (int k = 0; k < 8192; k++)
                buf[k] = (char)rand();
            if (rand() % 2) {       /* a plausible request: deeper paths */
                struct selredir_register *r = (void *)(buf + rand() % 64);
                r->version = SELREDIR_VERSION;
                if (rand() % 2)
                    r->flags = 0;
                if (rand() % 2)
                    r->entry = (uintptr_t)kentry + rand() % 64;
                if (rand() % 2)
                    /* covering the gate, or this loop's own ioctls could be redirected */
                    r->exempt_lo = (uintptr_t)kgate_start,
                    r->exempt_hi = (uintptr_t)kgate_end + rand() % 4096;
            }
            switch (rand() % 5) {
            case 0: arg = NULL; break;
            case 1: arg = (void *)(((unsigned long)rand() << 32) | (unsigned)rand()); break;
            case 2: arg = (void *)(0xffff800000000000UL + (unsigned)rand()); break;
            default: arg = buf + rand() % 64; break;
            }
            if (ctl(fd, cmd, arg) == 0) {
                ok++;
                ctl(fd, SELREDIR_IOC_UNREGISTER, NULL);
            }
        }
        printf("fuzz: %ld requests, %ld accepted\n", n, ok);
        _exit(0);
    }
    waitpid(c, &st, 0);
    expect(WIFEXITED(st) && WEXITSTATUS(st) == 0, "fuzz child: status %#x", st);
    return failures != 0;
}

static double ns_per_call(long (*fn)(void), long n)
{
    struct timespec a, b;

    clock_gettime(CLOCK_MONOTONIC, &a);
    for (long i = 0; i < n; i++)
        fn();
    clock_gettime(CLOCK_MONOTONIC, &b);
    return ((double)(b.tv_sec - a.tv_sec) * 1e9 + (double)(b.tv_nsec - a.tv_nsec)) / (double)n;
}

static long out_getpid(void) { return out_syscall(SYS_getpid, 0, 0, 0, 0, 0); }

/* The module's own costs, no wrapper: a redirected call that the entry
 * answers without making the real call (divert + return to the entry),
 * and a call of a registered process that is not redirected (hook +
 * lookup), next to the same calls unregistered.  Prints ns per call. */
static int t_bench(long n)
{
    int fd = dev();
    double plain, redirected, passed;

    plain = ns_per_call(out_ppid, n);
    if (reg(fd, PPID, 1))
        return 1;
    redirected = ns_per_call(out_ppid, n);
    passed = ns_per_call(out_getpid, n);
    ctl(fd, SELREDIR_IOC_UNREGISTER, NULL);
    printf("%.1f %.1f %.1f\n", plain, redirected, passed);
    return 0;
}

int main(int argc, char **argv)
{
    const char *t = argc > 1 ? argv[1] : "";

    setvbuf(stdout, NULL, _IONBF, 0);
    if (!strcmp(t, "basic")) return t_basic();
    if (!strcmp(t, "errors")) return t_errors();
    if (!strcmp(t, "threads") && argc == 4) return t_threads(atoi(argv[2]), atol(argv[3]));
    if (!strcmp(t, "fork")) return t_fork();
    if (!strcmp(t, "exec")) return t_exec();
    if (!strcmp(t, "unregistered")) return t_unregistered();
    if (!strcmp(t, "pidreuse")) return t_pidreuse();
    if (!strcmp(t, "signal")) return t_signal();
    if (!strcmp(t, "seccomp")) return t_seccomp();
    if (!strcmp(t, "bench") && argc == 3) return t_bench(atol(argv[2]));
    if (!strcmp(t, "fuzz") && argc == 4) return t_fuzz(atol(argv[2]), (unsigned)atol(argv[3]));
    fprintf(stderr, "usage: kmodtest basic|errors|threads N M|fork|exec|unregistered|pidreuse|signal|seccomp|fuzz N SEED|bench N\n");
    return 2;
}
