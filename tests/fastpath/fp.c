/* fp — programs for tests/t_fastpath.sh (the rewriting fast path, issue
 * #13).  Each mode runs natively as under runsel, checks every result it
 * gets, prints one line that does not depend on timing (except `threads`,
 * whose call total does) and exits 0 when everything was right, 1 when not.
 *
 * The call sites it uses, all of them `mov $NR,%eax; syscall`
 * (b8 NR 00 00 00 0f 05), the shape the fast path rewrites:
 *   - glibc's getppid, getpid and gettid (libc.so, or libc.a in fp-static)
 *   - raw_getppid, raw_getpid, raw_gettid: inline assembly in this program,
 *     each a function of its own with CFI (checked at start, byte for byte),
 *     and raw_getppid_mid, the same after an instruction of its function
 *   - jit_getppid, jit_getpid: the same bytes plus ret, written into an
 *     anonymous mapping (never patched: every call of theirs traps)
 *
 *   mix N          N rounds of libc getppid, raw_getppid, jit_getppid:
 *                  exactly 3N getppid calls, no other getppid
 *   threads T S    T threads call every site (libc, raw, mid: getppid,
 *                  getpid, gettid) for S seconds checking each result, while one
 *                  more calls jit_getpid continuously (traps keep coming);
 *                  prints how many calls of each it made
 *   signals T S    T threads call getppid sites while another thread sends
 *                  them SIGUSR1 (tgkill) as fast as it can; the handler
 *                  makes calls and errno must survive everywhere
 *   fork N         2 threads call sites while the main thread forks N
 *                  children, each calling the sites 300 times
 *   mdwe N         prctl(PR_SET_MDWE, PR_MDWE_REFUSE_EXEC_GAIN), then mix N
 *                  (exit 77 when the kernel has no MDWE)
 *   sigtrap        the program's own SIGTRAP handler gets its raise(SIGTRAP)
 *                  (SI_TKILL) and its own int3 (SI_KERNEL), with getppid
 *                  calls around them
 *   sigmask T S    T threads block every signal around their calls (sites
 *                  and JIT), reading the mask back; SIGTRAP is SIG_IGN
 *   spawn N        2 threads call sites while the main thread posix_spawns
 *                  /bin/true N times
 *   int3           its own int3 with SIGTRAP at SIG_DFL: killed by SIGTRAP
 *   dlreuse N A B [jit]  N times: dlopen A (fpa.so), call its 32 getppid
 *                  sites, dlclose, then the same with B (fpb.so: getpid
 *                  sites in the same places); jit: a thread calls
 *                  jit_getpid meanwhile
 * FP_SITES=1 in the environment: mix and threads also print the raw
 * sites' first bytes on stderr (b8 as built, e9 once rewritten). */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* A raw site: the mov and the syscall in one asm statement, so nothing
 * comes between them, in a function the compiler neither inlines nor
 * clones (the label must exist once).  gcc gives the function an FDE. */
#define RAW_SITE(name, nr)                                                   \
    extern const unsigned char name##_site[];                                \
    __attribute__((noipa)) static long name(void)                            \
    {                                                                        \
        long r;                                                              \
        __asm__ volatile(".globl " #name "_site\n\t"                         \
                         ".hidden " #name "_site\n"                          \
                         #name "_site:\n\t"                                  \
                         "mov $" #nr ", %%eax\n\t"                           \
                         "syscall"                                           \
                         : "=a"(r) : : "rcx", "r11", "memory");              \
        return r;                                                            \
    }
RAW_SITE(raw_getppid, 110)
RAW_SITE(raw_getpid, 39)
RAW_SITE(raw_gettid, 186)

/* The same site inside a function, after an instruction of its own (the
 * increment, which the "memory" clobber keeps before the asm): the site is
 * not where the function's FDE begins. */
static volatile long mid_calls;
extern const unsigned char raw_getppid_mid_site[];
__attribute__((noipa)) static long raw_getppid_mid(void)
{
    long r;
    mid_calls++;
    __asm__ volatile(".globl raw_getppid_mid_site\n\t"
                     ".hidden raw_getppid_mid_site\n"
                     "raw_getppid_mid_site:\n\t"
                     "mov $110, %%eax\n\t"
                     "syscall"
                     : "=a"(r) : : "rcx", "r11", "memory");
    return r;
}

static void die(const char *what)
{
    fprintf(stderr, "fp: %s failed: %s\n", what, strerror(errno));
    exit(1);
}

/* The raw sites are what the fast path wants: b8 imm32 0f 05. */
static void check_sites(void)
{
    static const struct { const unsigned char *at; unsigned char nr; const char *name; } s[] = {
        {raw_getppid_site, 110, "raw_getppid"},
        {raw_getpid_site, 39, "raw_getpid"},
        {raw_gettid_site, 186, "raw_gettid"},
        {raw_getppid_mid_site, 110, "raw_getppid_mid"},
    };
    for (unsigned i = 0; i < sizeof(s) / sizeof(s[0]); i++) {
        const unsigned char want[7] = {0xb8, s[i].nr, 0, 0, 0, 0x0f, 0x05};
        if (memcmp(s[i].at, want, sizeof(want))) {
            fprintf(stderr, "fp: %s is not b8 %02x 00 00 00 0f 05\n", s[i].name, s[i].nr);
            exit(1);
        }
    }
}

/* JIT code: anonymous memory holding mov $NR,%eax; syscall; ret. */
static long (*jit_getppid)(void);
static long (*jit_getpid)(void);
static const char *jit_how = "rwx";
static const unsigned char jit_code[2][8] = {
    {0xb8, 110, 0, 0, 0, 0x0f, 0x05, 0xc3},
    {0xb8, 39, 0, 0, 0, 0x0f, 0x05, 0xc3},
};

static void jit_init(void)
{
    const unsigned char (*code)[8] = jit_code;
    long pg = sysconf(_SC_PAGESIZE);
    unsigned char *p = mmap(NULL, pg, PROT_READ | PROT_WRITE | PROT_EXEC,
                            MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p != MAP_FAILED) {
        memcpy(p, code[0], 8);
        memcpy(p + 64, code[1], 8);
    } else {
        /* Under MDWE no mapping is writable and executable and none gains
         * PROT_EXEC: map it r-x from the start and write through
         * /proc/self/mem, which ignores page protections. */
        if (errno != EACCES)
            die("mmap(rwx)");
        p = mmap(NULL, pg, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED)
            die("mmap(r-x)");
        int fd = open("/proc/self/mem", O_RDWR | O_CLOEXEC);
        if (fd < 0)
            die("open /proc/self/mem");
        if (pwrite(fd, code[0], 8, (off_t)(unsigned long)p) != 8 ||
            pwrite(fd, code[1], 8, (off_t)(unsigned long)(p + 64)) != 8)
            die("pwrite /proc/self/mem");
        close(fd);
        jit_how = "proc-mem";
    }
    jit_getppid = (long (*)(void))(void *)p;
    jit_getpid = (long (*)(void))(void *)(p + 64);
}

static pid_t my_pid, my_ppid;
static atomic_int stop;
static atomic_long total_calls, wrong;
static atomic_long n_getppid, n_getpid, n_gettid;   /* threads: calls per kind */

static void bad(const char *what, long got, long want)
{
    /* only the first few: a broken run must not flood the log */
    if (atomic_fetch_add(&wrong, 1) < 5) {
        char b[128];
        int n = snprintf(b, sizeof(b), "fp: wrong result: %s = %ld, want %ld\n", what, got, want);
        if (write(2, b, n) < 0) { /* nothing to do */ }
    }
}
#define WANT(what, got, want)                                                \
    do {                                                                     \
        long g_ = (got), w_ = (want);                                        \
        if (g_ != w_)                                                        \
            bad(what, g_, w_);                                               \
    } while (0)

/* JIT code is never rewritten: its bytes are what jit_init wrote. */
static int jit_unchanged(void)
{
    return !memcmp((const void *)jit_getppid, jit_code[0], 8) &&
           !memcmp((const void *)jit_getpid, jit_code[1], 8);
}

/* FP_SITES=1: the first byte of each raw site now, on stderr (b8 as
 * built, e9 once the fast path rewrote the mov into a jmp), and whether
 * the JIT code is as written. */
static void show_sites(void)
{
    if (!getenv("FP_SITES"))
        return;
    fprintf(stderr, "fp-sites: raw_getppid=%02x raw_getppid_mid=%02x raw_getpid=%02x raw_gettid=%02x jit=%s\n",
            raw_getppid_site[0], raw_getppid_mid_site[0], raw_getpid_site[0], raw_gettid_site[0],
            jit_unchanged() ? "unchanged" : "changed");
}

static long tid_now(void) { return syscall(SYS_gettid); }   /* not a b8 site */

static void sleep_s(int s)
{
    struct timespec ts = {s, 0};
    while (nanosleep(&ts, &ts) && errno == EINTR) { }
}

/* ---- mix */
static int mix(long n)
{
    long done = 0;
    for (long i = 0; i < n; i++) {
        long a = getppid(), b = raw_getppid(), c = jit_getppid();
        WANT("raw_getppid", b, a);
        WANT("jit_getppid", c, a);
        done += 3;
    }
    WANT("JIT code unchanged", jit_unchanged(), 1);
    show_sites();
    printf("mix %ld: getppid calls=%ld wrong=%ld\n", n, done, atomic_load(&wrong));
    return atomic_load(&wrong) ? 1 : 0;
}

/* ---- threads */
static void *site_loop(void *arg)
{
    long tid = tid_now(), n = 0;
    (void)arg;
    while (!atomic_load_explicit(&stop, memory_order_relaxed)) {
        WANT("getppid", getppid(), my_ppid);
        WANT("raw_getppid", raw_getppid(), my_ppid);
        WANT("raw_getppid_mid", raw_getppid_mid(), my_ppid);
        WANT("getpid", getpid(), my_pid);
        WANT("raw_getpid", raw_getpid(), my_pid);
        WANT("gettid", gettid(), tid);
        WANT("raw_gettid", raw_gettid(), tid);
        n++;
    }
    atomic_fetch_add(&n_getppid, 3 * n);
    atomic_fetch_add(&n_getpid, 2 * n);
    atomic_fetch_add(&n_gettid, 2 * n);
    return NULL;
}

static void *jit_loop(void *arg)
{
    long n = 0;
    (void)arg;
    while (!atomic_load_explicit(&stop, memory_order_relaxed)) {
        WANT("jit_getpid", jit_getpid(), my_pid);
        n++;
    }
    atomic_fetch_add(&n_getpid, n);
    return NULL;
}

static int threads(int t, int secs)
{
    pthread_t th[65];
    if (t < 1 || t > 64)
        return 2;
    for (int i = 0; i < t; i++)
        if (pthread_create(&th[i], NULL, site_loop, NULL))
            die("pthread_create");
    if (pthread_create(&th[t], NULL, jit_loop, NULL))
        die("pthread_create");
    sleep_s(secs);
    atomic_store(&stop, 1);
    for (int i = 0; i <= t; i++)
        pthread_join(th[i], NULL);
    WANT("JIT code unchanged", jit_unchanged(), 1);
    show_sites();
    /* the calls counted here; the program made 1 getppid, 1 getpid and T
     * gettid more (its references, through syscall()) */
    printf("threads %d %d: getppid=%ld getpid=%ld gettid=%ld wrong=%ld\n", t, secs,
           atomic_load(&n_getppid), atomic_load(&n_getpid), atomic_load(&n_gettid),
           atomic_load(&wrong));
    return atomic_load(&wrong) ? 1 : 0;
}

/* ---- signals */
static int devnull = -1;
static atomic_long handled;

static void on_usr1(int sig)
{
    int saved = errno;
    (void)sig;
    errno = 4242;
    WANT("getpid in handler", getpid(), my_pid);
    WANT("errno after getpid in handler", errno, 4242);
    WANT("raw_getpid in handler", raw_getpid(), my_pid);
    WANT("write(/dev/null) in handler", write(devnull, "x", 1), 1);
    WANT("errno after write in handler", errno, 4242);
    WANT("close(-1) in handler", close(-1), -1);
    WANT("errno after close(-1) in handler", errno, EBADF);
    atomic_fetch_add_explicit(&handled, 1, memory_order_relaxed);
    errno = saved;
}

static _Atomic long worker_tid[64];

static void *sig_worker(void *arg)
{
    int idx = (int)(long)arg, mine = 1000 + idx;
    long n = 0;
    atomic_store(&worker_tid[idx], tid_now());
    while (!atomic_load_explicit(&stop, memory_order_relaxed)) {
        errno = mine;
        WANT("getppid", getppid(), my_ppid);
        WANT("errno after getppid", errno, mine);
        WANT("raw_getppid", raw_getppid(), my_ppid);
        WANT("errno after raw_getppid", errno, mine);
        n += 2;
    }
    atomic_fetch_add(&total_calls, n);
    return NULL;
}

static int signals(int t, int secs)
{
    pthread_t th[64];
    struct sigaction sa = {0};
    time_t end;
    long sent = 0;

    if (t < 1 || t > 64)
        return 2;
    devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (devnull < 0)
        die("open /dev/null");
    sa.sa_handler = on_usr1;
    sa.sa_flags = SA_RESTART;
    sigaction(SIGUSR1, &sa, NULL);
    for (int i = 0; i < t; i++)
        if (pthread_create(&th[i], NULL, sig_worker, (void *)(long)i))
            die("pthread_create");
    for (int i = 0; i < t; i++)
        while (!atomic_load(&worker_tid[i]))
            sched_yield();
    /* the main thread is the sender (its own calls trap too) */
    end = time(NULL) + secs;
    while (time(NULL) < end)
        for (int k = 0; k < 200; k++)
            for (int i = 0; i < t; i++) {
                if (syscall(SYS_tgkill, my_pid, atomic_load(&worker_tid[i]), SIGUSR1) != 0)
                    die("tgkill");
                sent++;
            }
    atomic_store(&stop, 1);
    for (int i = 0; i < t; i++)
        pthread_join(th[i], NULL);
    if (atomic_load(&handled) == 0) {
        fprintf(stderr, "fp: %ld signals sent, none handled\n", sent);
        atomic_fetch_add(&wrong, 1);
    }
    printf("signals %d %d: sent=%ld handled=%ld wrong=%ld\n", t, secs, sent,
           atomic_load(&handled), atomic_load(&wrong));
    return atomic_load(&wrong) ? 1 : 0;
}

/* ---- fork */
static void *fork_bg(void *arg)
{
    (void)arg;
    while (!atomic_load_explicit(&stop, memory_order_relaxed)) {
        WANT("getppid", getppid(), my_ppid);
        WANT("raw_getppid", raw_getppid(), my_ppid);
        WANT("raw_getpid", raw_getpid(), my_pid);
        WANT("jit_getppid", jit_getppid(), my_ppid);
    }
    return NULL;
}

static int forks(int n)
{
    pthread_t th[2];
    int badst = 0;

    for (int i = 0; i < 2; i++)
        if (pthread_create(&th[i], NULL, fork_bg, NULL))
            die("pthread_create");
    for (int i = 0; i < n; i++) {
        pid_t c = fork();
        if (c < 0)
            die("fork");
        if (c == 0) {
            long me = syscall(SYS_getpid), w = 0;
            for (int k = 0; k < 300; k++) {
                w += getppid() != my_pid;
                w += raw_getppid() != my_pid;
                w += raw_getppid_mid() != my_pid;
                w += raw_getpid() != me;
                w += getpid() != me;
                w += raw_gettid() != me;
                w += jit_getppid() != my_pid;
            }
            _exit(w ? 1 : 0);
        }
        int st;
        if (waitpid(c, &st, 0) != c)
            die("waitpid");
        if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
            if (badst++ < 5)
                fprintf(stderr, "fp: child %d: %s %d\n", i, WIFEXITED(st) ? "exit" : "signal",
                        WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
        }
    }
    atomic_store(&stop, 1);
    for (int i = 0; i < 2; i++)
        pthread_join(th[i], NULL);
    printf("fork %d: bad children=%d wrong=%ld\n", n, badst, atomic_load(&wrong));
    return badst || atomic_load(&wrong) ? 1 : 0;
}

/* ---- sigmask: threads that block every signal around their calls */
static void *mask_loop(void *arg)
{
    sigset_t all, old, cur;
    (void)arg;
    sigfillset(&all);
    while (!atomic_load_explicit(&stop, memory_order_relaxed)) {
        WANT("pthread_sigmask(SIG_BLOCK, all)", pthread_sigmask(SIG_BLOCK, &all, &old), 0);
        WANT("getppid, all blocked", getppid(), my_ppid);
        WANT("raw_getppid, all blocked", raw_getppid(), my_ppid);
        WANT("raw_getppid_mid, all blocked", raw_getppid_mid(), my_ppid);
        WANT("jit_getpid, all blocked", jit_getpid(), my_pid);
        WANT("pthread_sigmask(read)", pthread_sigmask(SIG_SETMASK, NULL, &cur), 0);
        /* (not SIGSYS: runsel keeps it out of every mask, and says so) */
        WANT("SIGUSR1 reads back blocked", sigismember(&cur, SIGUSR1), 1);
        WANT("pthread_sigmask(SIG_SETMASK, old)", pthread_sigmask(SIG_SETMASK, &old, NULL), 0);
        WANT("getppid, unblocked", getppid(), my_ppid);
        WANT("jit_getpid, unblocked", jit_getpid(), my_pid);
    }
    return NULL;
}

static int masks(int t, int secs)
{
    pthread_t th[64];
    struct sigaction old;

    if (t < 1 || t > 64)
        return 2;
    /* SIGTRAP ignored: the program's raise(SIGTRAP) does nothing */
    signal(SIGTRAP, SIG_IGN);
    raise(SIGTRAP);
    WANT("sigaction(SIGTRAP) reads back", sigaction(SIGTRAP, NULL, &old), 0);
    WANT("SIGTRAP reads back SIG_IGN", old.sa_handler == SIG_IGN, 1);
    for (int i = 0; i < t; i++)
        if (pthread_create(&th[i], NULL, mask_loop, NULL))
            die("pthread_create");
    sleep_s(secs);
    atomic_store(&stop, 1);
    for (int i = 0; i < t; i++)
        pthread_join(th[i], NULL);
    printf("sigmask %d %d: wrong=%ld\n", t, secs, atomic_load(&wrong));
    return atomic_load(&wrong) ? 1 : 0;
}

/* ---- spawn: posix_spawn (a CLONE_VM|CLONE_VFORK child running libc's
 * sites on the parent's memory) while threads call the sites */
extern char **environ;

static int spawns(int n)
{
    pthread_t th[2];
    int badst = 0;
    char *argv[] = {"true", NULL};

    for (int i = 0; i < 2; i++)
        if (pthread_create(&th[i], NULL, fork_bg, NULL))
            die("pthread_create");
    for (int i = 0; i < n; i++) {
        pid_t c;
        int st, e = posix_spawn(&c, "/bin/true", NULL, NULL, argv, environ);
        if (e) {
            errno = e;
            die("posix_spawn");
        }
        if (waitpid(c, &st, 0) != c)
            die("waitpid");
        if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
            badst++;
    }
    atomic_store(&stop, 1);
    for (int i = 0; i < 2; i++)
        pthread_join(th[i], NULL);
    printf("spawn %d: bad children=%d wrong=%ld\n", n, badst, atomic_load(&wrong));
    return badst || atomic_load(&wrong) ? 1 : 0;
}

/* ---- int3: the program's own int3 with SIGTRAP at its default action
 * kills it with SIGTRAP, sites patched or not */
static int int3(void)
{
    for (int i = 0; i < 1000; i++) {
        WANT("getppid", getppid(), my_ppid);
        WANT("raw_getppid", raw_getppid(), my_ppid);
    }
    fflush(stdout);
    __asm__ volatile("int3" ::: "memory");
    printf("int3: survived\n");
    return 1;
}

#ifndef FP_STATIC                /* fp-static: no dlopen (ld warns about it) */
/* ---- dlreuse: a library unloaded and another loaded in its place, with
 * the same site addresses holding another call (fpa.so: getppid, fpb.so:
 * getpid).  What the fast path knew of the first must not touch the
 * second (in stress mode each trap restores a site: one the fast path
 * patched in A, if it still thinks it is there, would be written into B). */
static int dlreuse(int n, const char *a, const char *b, int jit)
{
    pthread_t th;
    int same = 0;
    uintptr_t first = 0;
    int rewritten[2] = {0, 0};

    if (jit && pthread_create(&th, NULL, jit_loop, NULL))
        die("pthread_create");
    for (int i = 0; i < n; i++)
        for (int k = 0; k < 2; k++) {
            void *h = dlopen(k ? b : a, RTLD_NOW | RTLD_LOCAL);
            if (!h) {
                fprintf(stderr, "fp: dlopen: %s\n", dlerror());
                exit(1);
            }
            long (*(*site)(int))(void) = (long (*(*)(int))(void))dlsym(h, "fplib_site");
            if (!site)
                die("dlsym");
            if (!first)
                first = (uintptr_t)site(0);
            same += (uintptr_t)site(0) == first;
            for (int j = 0; j < 20; j++)
                for (int q = 0; q < 32; q++)
                    WANT(k ? "fpb.so's getpid site" : "fpa.so's getppid site", site(q)(), k ? my_pid : my_ppid);
            for (int q = 0; q < 32; q++)
                rewritten[k] += *(const volatile unsigned char *)(void *)site(q) == 0xe9;
            dlclose(h);
        }
    atomic_store(&stop, 1);
    if (jit)
        pthread_join(th, NULL);
    /* how often the two shared an address, how many sites were rewritten
     * after their calls: to stderr, they are the loader's and runsel's */
    if (getenv("FP_SITES"))
        fprintf(stderr, "fp-dlreuse: %d of %d loads at the first address; sites rewritten: a=%d b=%d\n",
                same, 2 * n, rewritten[0], rewritten[1]);
    printf("dlreuse %d: wrong=%ld\n", n, atomic_load(&wrong));
    return atomic_load(&wrong) ? 1 : 0;
}
#endif

/* ---- sigtrap */
static volatile sig_atomic_t traps;
static volatile int trap_code[4];
static volatile pid_t trap_pid[4];

static void on_trap(int sig, siginfo_t *si, void *uc)
{
    (void)sig;
    (void)uc;
    if (traps < 4) {
        trap_code[traps] = si->si_code;
        trap_pid[traps] = si->si_pid;
    }
    traps++;
    WANT("getppid in SIGTRAP handler", getppid(), my_ppid);
}

static const char *code_name(int c)
{
    return c == SI_TKILL ? "SI_TKILL" : c == SI_USER ? "SI_USER" : c == SI_KERNEL ? "SI_KERNEL" : "other";
}

static int sigtrap(void)
{
    struct sigaction sa = {0}, old;
    long calls = 0;

    sa.sa_sigaction = on_trap;
    sa.sa_flags = SA_SIGINFO;
    if (sigaction(SIGTRAP, &sa, &old))
        die("sigaction(SIGTRAP)");
    WANT("SIGTRAP's action was SIG_DFL", old.sa_handler == SIG_DFL, 1);
    if (sigaction(SIGTRAP, NULL, &old))
        die("sigaction(SIGTRAP)");
    WANT("SIGTRAP's action reads back", old.sa_sigaction == on_trap, 1);
    for (int round = 0; round < 3; round++) {
        for (int i = 0; i < 1000; i++) {
            WANT("getppid", getppid(), my_ppid);
            WANT("raw_getppid", raw_getppid(), my_ppid);
            calls += 2;
        }
        if (round == 0)
            raise(SIGTRAP);
        else if (round == 1)
            __asm__ volatile("int3" ::: "memory");
    }
    calls += traps;                  /* the handler's getppid */
    int okc = traps == 2 && (trap_code[0] == SI_TKILL || trap_code[0] == SI_USER) &&
              trap_pid[0] == my_pid && trap_code[1] == SI_KERNEL;
    printf("sigtrap: handler ran %d times (%s, %s), getppid calls=%ld wrong=%ld\n", (int)traps,
           code_name(trap_code[0]), code_name(trap_code[1]), calls, atomic_load(&wrong));
    return okc && !atomic_load(&wrong) ? 0 : 1;
}

/* ---- mdwe */
static int mdwe(long n)
{
    if (prctl(65 /* PR_SET_MDWE */, 1 /* PR_MDWE_REFUSE_EXEC_GAIN */, 0L, 0L, 0L)) {
        if (errno == EINVAL) {
            fprintf(stderr, "fp: skipped: this kernel has no PR_SET_MDWE (EINVAL)\n");
            exit(77);
        }
        die("prctl(PR_SET_MDWE)");
    }
    if (prctl(66 /* PR_GET_MDWE */, 0L, 0L, 0L, 0L) != 1)
        die("prctl(PR_GET_MDWE) reads back");
    jit_init();
    printf("mdwe: on, jit code written via %s\n", jit_how);
    return mix(n);
}

int main(int argc, char **argv)
{
    const char *m = argc > 1 ? argv[1] : "";
    int r = 2;

    check_sites();
    /* References through syscall(), whose instruction is not a b8 site.
     * mix and mdwe make no getppid call but their 3N: they compare
     * against libc's result. */
    my_pid = (pid_t)syscall(SYS_getpid);
    if (strcmp(m, "mix") && strcmp(m, "mdwe"))
        my_ppid = (pid_t)syscall(SYS_getppid);
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (strcmp(m, "mdwe"))
        jit_init();
    if (!strcmp(m, "mix") && argc == 3)
        r = mix(atol(argv[2]));
    else if (!strcmp(m, "threads") && argc == 4)
        r = threads(atoi(argv[2]), atoi(argv[3]));
    else if (!strcmp(m, "signals") && argc == 4)
        r = signals(atoi(argv[2]), atoi(argv[3]));
    else if (!strcmp(m, "fork") && argc == 3)
        r = forks(atoi(argv[2]));
    else if (!strcmp(m, "mdwe") && argc == 3)
        r = mdwe(atol(argv[2]));
    else if (!strcmp(m, "sigtrap") && argc == 2)
        r = sigtrap();
    else if (!strcmp(m, "sigmask") && argc == 4)
        r = masks(atoi(argv[2]), atoi(argv[3]));
    else if (!strcmp(m, "spawn") && argc == 3)
        r = spawns(atoi(argv[2]));
    else if (!strcmp(m, "int3") && argc == 2)
        r = int3();
#ifndef FP_STATIC
    else if (!strcmp(m, "dlreuse") && (argc == 5 || (argc == 6 && !strcmp(argv[5], "jit"))))
        r = dlreuse(atoi(argv[2]), argv[3], argv[4], argc == 6);
#endif
    else
        fprintf(stderr, "usage: fp mix N | threads T SECS | signals T SECS | fork N | mdwe N | sigtrap"
                        " | sigmask T SECS | spawn N | int3 | dlreuse N LIBA LIBB [jit]\n");
    return r;
}
