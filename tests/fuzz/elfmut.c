/* elfmut.c — mutational campaign: the loader's verdict against the kernel's.
 *
 *   elfmut [-n MUTANTS] [-s SEED] [-t TIMEOUT_MS] [-a ALLOWLIST] [-k]
 *          LOADER WORKDIR SEED-PROGRAM...
 *
 * Each mutant is a copy of one seed program (round robin) with one to three
 * mutations of its ELF header and program headers: random bytes, and
 * structured field mutations (types, flags, offsets, addresses, sizes,
 * alignments, e_phnum/e_phoff/e_entry/e_type and friends) with values that
 * sit on the checks' edges.  It is written to WORKDIR, run natively
 * (fork+execve) and under the loader (LOADER MUTANT), each with a timeout,
 * and both outcomes are classified: refused (execve's errno, or the loader's
 * "runsel-loader: PATH: reason"), exited N, killed by signal S (with or
 * without output first), timed out.  Prints the table of outcome pairs;
 * a pair that differs is keyed by both outcomes and the loader's reason
 * with numbers blanked, and with -a every such key must be in ALLOWLIST
 * ("KEY<TAB>why" lines; see tests/fuzz/elfmut.allow) or the exit status is
 * 1.  Deterministic for a seed.  -k keeps one mutant of each disagreement
 * in WORKDIR (diff-N.elf).  When run as root, both runs drop to uid/gid
 * 65534: random code runs here. */
#define _GNU_SOURCE
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_SEEDS 8
#define MAX_CLASSES 256
#define OUT_MAX 4096

struct blob {
    unsigned char *b;
    size_t n;
};

enum kind { K_REFUSED, K_EXIT, K_SIGNAL, K_SIGNAL_OUT, K_TIMEOUT };
static const char *const kind_name[] = {"refused", "exit", "signal", "signal-after-output",
                                        "timeout"};

struct outcome {
    enum kind kind;
    int value;                 /* errno, exit status or signal */
    char reason[160];          /* the loader's reason, numbers blanked */
    char out[OUT_MAX];         /* stdout, as much as fits */
    size_t outlen;
};

struct klass {
    char key[256];
    int agree;
    unsigned count;
    char example[96];          /* seed and mutant number of the first one */
};

static struct klass classes[MAX_CLASSES];
static size_t nclasses;
static uint64_t rng_state;
static unsigned timeout_ms = 300;
static int drop_to_nobody;

/* ---- deterministic randomness (xorshift64*) ---- */
static uint64_t rnd(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545f4914f6cdd1dULL;
}

static uint64_t pick(const uint64_t *v, size_t n)
{
    return v[rnd() % n];
}

/* ---- files ---- */
static struct blob load_file(const char *path)
{
    struct blob f = {0};
    struct stat st;
    int fd = open(path, O_RDONLY);

    if (fd < 0 || fstat(fd, &st) || !(f.b = malloc((size_t)st.st_size)) ||
        read(fd, f.b, (size_t)st.st_size) != st.st_size) {
        perror(path);
        exit(2);
    }
    f.n = (size_t)st.st_size;
    close(fd);
    return f;
}

static void write_file(const char *path, const struct blob *f)
{
    int fd;

    unlink(path);   /* never rewrite a file a straggler might still map */
    fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0755);
    if (fd < 0 || write(fd, f->b, f->n) != (ssize_t)f->n || fchmod(fd, 0755) || close(fd)) {
        perror(path);
        exit(2);
    }
}

/* ---- mutations ---- */
static Elf64_Ehdr *ehdr(struct blob *m) { return (Elf64_Ehdr *)m->b; }

/* File offset of the i-th program header, 0 if it is not inside the file.
 * (A mutated e_phoff need not be aligned: headers are copied, never
 * accessed in place.) */
static uint64_t phdr_off(struct blob *m, size_t i)
{
    uint64_t off = ehdr(m)->e_phoff + i * sizeof(Elf64_Phdr);

    if (ehdr(m)->e_phoff > m->n || off < sizeof(Elf64_Ehdr) || off + sizeof(Elf64_Phdr) > m->n)
        return 0;
    return off;
}

static uint64_t near(uint64_t v)
{
    static const int64_t d[] = {-0x1000, -8, -1, 1, 8, 0x1000, 0x10000};

    return v + (uint64_t)d[rnd() % (sizeof(d) / sizeof(d[0]))];
}

/* An edge value for a field currently holding v, in a file of n bytes. */
static uint64_t edge_value(uint64_t v, size_t n)
{
    uint64_t choices[] = {0, 1, 0x1000, n, n - 1, v * 2, v / 2, ~0ULL, 0x7ffffffff000ULL,
                          0x200000, 1ULL << 40, rnd(), near(v), near(v), near(v)};

    return pick(choices, sizeof(choices) / sizeof(choices[0]));
}

/* Flip a bit in the ELF header or in the program header table. */
static void mutate_random_byte(struct blob *m)
{
    size_t table = (size_t)ehdr(m)->e_phnum * sizeof(Elf64_Phdr);
    uint64_t at = rnd() % 3 == 0 || !table ? rnd() % sizeof(Elf64_Ehdr)
                                           : ehdr(m)->e_phoff + rnd() % table;

    if (at < m->n)
        m->b[at] ^= (unsigned char)(1u << (rnd() % 8));
}

static void mutate_ehdr(struct blob *m)
{
    Elf64_Ehdr *e = ehdr(m);
    static const uint64_t types[] = {ET_NONE, ET_REL, ET_EXEC, ET_DYN, ET_CORE, 0xfe00};
    static const uint64_t machines[] = {EM_X86_64, EM_386, EM_AARCH64, 0};
    static const uint64_t phnums[] = {0, 1, 2, 73, 74, 1170, 1171, 0xffff};

    switch (rnd() % 9) {
    case 0: e->e_ident[4 + rnd() % 12] = (unsigned char)rnd(); break;
    case 1: e->e_type = (Elf64_Half)pick(types, 6); break;
    case 2: e->e_machine = (Elf64_Half)pick(machines, 4); break;
    case 3: e->e_version = (Elf64_Word)(rnd() % 3); break;
    case 4: e->e_entry = edge_value(e->e_entry, m->n); break;
    case 5: e->e_phoff = edge_value(e->e_phoff, m->n); break;
    case 6: e->e_phentsize = (Elf64_Half)(rnd() % 2 ? 32 : 64); break;
    case 7: e->e_phnum = (Elf64_Half)(rnd() % 2 ? pick(phnums, 8) : near(e->e_phnum)); break;
    default: e->e_phnum = (Elf64_Half)(e->e_phnum + 1); break;
    }
}

static void mutate_phdr_field(Elf64_Phdr *p, const Elf64_Phdr *other, size_t n)
{
    static const uint64_t types[] = {PT_NULL, PT_LOAD, PT_DYNAMIC, PT_INTERP, PT_NOTE,
                                     PT_PHDR, PT_TLS, PT_GNU_STACK, PT_GNU_RELRO,
                                     PT_GNU_PROPERTY, PT_LOPROC, 0x6474e550};

    switch (rnd() % 9) {
    case 0: p->p_type = (Elf64_Word)pick(types, sizeof(types) / sizeof(types[0])); break;
    case 1: p->p_flags ^= 1u << (rnd() % 3); break;
    case 2: p->p_offset = edge_value(p->p_offset, n); break;
    case 3: p->p_vaddr = edge_value(p->p_vaddr, n); break;
    case 4: p->p_filesz = rnd() % 2 ? p->p_memsz + rnd() % 3 - 1 : edge_value(p->p_filesz, n); break;
    case 5: p->p_memsz = rnd() % 2 ? p->p_filesz + rnd() % 0x3000 : edge_value(p->p_memsz, n); break;
    case 6: p->p_align = edge_value(p->p_align, n); break;
    case 7: *p = *other; break;                       /* a duplicate header */
    default: p->p_vaddr = near(p->p_vaddr), p->p_offset = p->p_vaddr & 0xfff; break;
    }
}

static void mutate_phdr(struct blob *m)
{
    size_t phnum = ehdr(m)->e_phnum;
    uint64_t at, from;
    Elf64_Phdr p, o;

    if (!phnum || !(at = phdr_off(m, rnd() % phnum)) || !(from = phdr_off(m, rnd() % phnum)))
        return mutate_random_byte(m);
    memcpy(&p, m->b + at, sizeof(p));
    memcpy(&o, m->b + from, sizeof(o));
    mutate_phdr_field(&p, &o, m->n);
    memcpy(m->b + at, &p, sizeof(p));
}

static void mutate(struct blob *m)
{
    unsigned k = rnd() % 16;

    if (k < 3)
        mutate_random_byte(m);
    else if (k < 6)
        mutate_ehdr(m);
    else if (k < 15)
        mutate_phdr(m);
    else
        m->n = sizeof(Elf64_Ehdr) + rnd() % (m->n - sizeof(Elf64_Ehdr));   /* truncate */
}

/* ---- running one side ---- */
static void child_setup(int out_fd, int err_fd)
{
    struct rlimit no_core = {0, 0};

    dup2(out_fd, 1);
    dup2(err_fd, 2);
    setrlimit(RLIMIT_CORE, &no_core);
    if (drop_to_nobody && (setgroups(0, NULL) || setresgid(65534, 65534, 65534) ||
                           setresuid(65534, 65534, 65534)))
        _exit(125);
}

static int wait_bounded(pid_t pid, int *status)
{
    struct timespec pause = {0, 1000000};

    for (unsigned waited = 0; waited < timeout_ms; waited++) {
        if (waitpid(pid, status, WNOHANG) == pid)
            return 0;
        nanosleep(&pause, NULL);
    }
    kill(pid, SIGKILL);
    waitpid(pid, status, 0);
    return -1;
}

static size_t read_back(int fd, char *buf, size_t size)
{
    ssize_t n = pread(fd, buf, size - 1, 0);

    n = n < 0 ? 0 : n;
    buf[n] = '\0';
    return (size_t)n;
}

/* "runsel-loader: PATH: reason" → reason with every digit run as "N". */
static void blank_reason(const char *err, const char *path, char *out, size_t size)
{
    const char *p = err + strlen("runsel-loader: ") + strlen(path) + 2;
    size_t o = 0;

    while (*p && *p != '\n' && o + 2 < size) {
        if ((*p >= '0' && *p <= '9')) {
            while ((*p >= '0' && *p <= '9') || *p == 'x' || (*p >= 'a' && *p <= 'f'))
                p++;
            out[o++] = 'N';
            continue;
        }
        out[o++] = *p++;
    }
    out[o] = '\0';
}

static void classify(struct outcome *r, int status, int timed_out, const char *err,
                     const char *path)
{
    char prefix[4200];

    snprintf(prefix, sizeof(prefix), "runsel-loader: %s: ", path);
    r->reason[0] = '\0';
    if (timed_out) {
        r->kind = K_TIMEOUT, r->value = 0;
    } else if (WIFSIGNALED(status)) {
        r->kind = r->outlen ? K_SIGNAL_OUT : K_SIGNAL;
        r->value = WTERMSIG(status);
    } else if (!strncmp(err, prefix, strlen(prefix))) {
        r->kind = K_REFUSED, r->value = WEXITSTATUS(status);
        blank_reason(err, path, r->reason, sizeof(r->reason));
    } else {
        r->kind = K_EXIT, r->value = WEXITSTATUS(status);
    }
}

/* Run argv[0] (natively: the mutant; else the loader) and classify. */
static void run_side(char *const argv[], const char *mutant, const char *workdir,
                     struct outcome *r)
{
    char outp[4200], errp[4200], err[512];
    int errpipe[2], out_fd, err_fd, status = 0, exec_errno = 0;
    static char *const envp[] = {"PATH=/usr/bin:/bin", NULL};

    snprintf(outp, sizeof(outp), "%s/stdout", workdir);
    snprintf(errp, sizeof(errp), "%s/stderr", workdir);
    out_fd = open(outp, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    err_fd = open(errp, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (out_fd < 0 || err_fd < 0 || pipe2(errpipe, O_CLOEXEC)) {
        perror(workdir);
        exit(2);
    }
    /* vfork: the child only sets up descriptors and limits and execs, and a
     * sanitized campaign's fork would copy its huge shadow mappings. */
    pid_t pid = vfork();
    if (pid == 0) {
        child_setup(out_fd, err_fd);
        execve(argv[0], argv, envp);
        int e = errno;
        if (write(errpipe[1], &e, sizeof(e)) < 0)
            _exit(126);
        _exit(127);
    }
    close(errpipe[1]);
    int timed_out = wait_bounded(pid, &status) != 0;
    int got_errno = read(errpipe[0], &exec_errno, sizeof(exec_errno)) == sizeof(exec_errno);
    close(errpipe[0]);
    r->outlen = read_back(out_fd, r->out, sizeof(r->out));
    read_back(err_fd, err, sizeof(err));
    close(out_fd);
    close(err_fd);
    if (got_errno) {
        r->kind = K_REFUSED, r->value = exec_errno, r->reason[0] = '\0';
        return;
    }
    classify(r, status, timed_out, err, mutant);
}

/* ---- the table ---- */
static int same_outcome(const struct outcome *n, const struct outcome *l)
{
    if (n->kind != l->kind)
        return 0;
    if (n->kind == K_REFUSED || n->kind == K_TIMEOUT)
        return 1;
    return n->value == l->value && n->outlen == l->outlen && !memcmp(n->out, l->out, n->outlen);
}

/* Outcomes of the same kind that differ (status, signal or output) name
 * the seed too: such differences come from where an image is placed, which
 * depends on the kind of program. */
static void pair_key(const struct outcome *n, const struct outcome *l, const char *seed,
                     char *key, size_t size)
{
    if (same_outcome(n, l))
        snprintf(key, size, "%s = %s", kind_name[n->kind], kind_name[l->kind]);
    else if (n->kind == l->kind)
        snprintf(key, size, "%s / %s, differently (%s)%s%s", kind_name[n->kind],
                 kind_name[l->kind], seed, l->reason[0] ? ": " : "", l->reason);
    else
        snprintf(key, size, "%s / %s%s%s", kind_name[n->kind], kind_name[l->kind],
                 l->reason[0] ? ": " : "", l->reason);
}

static struct klass *count_class(const char *key, int agree, const char *example)
{
    for (size_t i = 0; i < nclasses; i++)
        if (!strcmp(classes[i].key, key)) {
            classes[i].count++;
            return NULL;
        }
    if (nclasses == MAX_CLASSES)
        return NULL;
    struct klass *c = &classes[nclasses++];
    snprintf(c->key, sizeof(c->key), "%s", key);
    snprintf(c->example, sizeof(c->example), "%s", example);
    c->agree = agree;
    c->count = 1;
    return c;
}

/* Is key listed (first field of a line) in the allow-list text? */
static int allowed(const char *list, const char *key)
{
    size_t n = strlen(key);

    for (const char *p = list; p && *p;) {
        if (!strncmp(p, key, n) && (p[n] == '\t' || p[n] == '\n' || p[n] == '\0'))
            return 1;
        p = strchr(p, '\n');
        p = p ? p + 1 : NULL;
    }
    return 0;
}

static int print_table(unsigned mutants, const char *allow_text, double secs)
{
    int bad = 0;
    unsigned agree = 0;

    for (size_t i = 0; i < nclasses; i++)
        agree += classes[i].agree ? classes[i].count : 0;
    printf("elfmut: %u mutants, %u agree, %u differ (%.1f s)\n", mutants, agree,
           mutants - agree, secs);
    printf("  %-12s %6s  kernel / loader\n", "verdict", "count");
    for (size_t i = 0; i < nclasses; i++) {
        const struct klass *c = &classes[i];
        const char *v = c->agree ? "agree" : !allow_text ? "differ"
                        : allowed(allow_text, c->key) ? "allowed" : "NOT ALLOWED";
        bad |= !c->agree && allow_text && !allowed(allow_text, c->key);
        printf("  %-12s %6u  %s%s%s\n", v, c->count, c->key, c->agree ? "" : "   e.g. ",
               c->agree ? "" : c->example);
    }
    return bad;
}

static char *read_text(const char *path)
{
    struct blob f = load_file(path);
    char *t = realloc(f.b, f.n + 1);

    t[f.n] = '\0';
    return t;
}

/* The unmodified seeds must run, alike, on both sides: else every mutant
 * would be refused for a reason that has nothing to do with it (a work
 * directory nobody may enter, a loader it may not execute). */
static void check_seeds(const struct blob *seeds, int nseeds, char *loader, const char *workdir)
{
    static struct outcome nat, lod;
    char path[4200];

    for (int s = 0; s < nseeds; s++) {
        snprintf(path, sizeof(path), "%s/mutant", workdir);
        write_file(path, &seeds[s]);
        char *nargv[] = {path, NULL}, *largv[] = {loader, path, NULL};
        run_side(nargv, path, workdir, &nat);
        run_side(largv, path, workdir, &lod);
        if (nat.kind != K_EXIT || !same_outcome(&nat, &lod)) {
            fprintf(stderr, "elfmut: seed %d does not run alike natively (%s %d) and under the "
                            "loader (%s %d)\n", s, kind_name[nat.kind], nat.value,
                    kind_name[lod.kind], lod.value);
            exit(2);
        }
    }
}

static void usage(void)
{
    fprintf(stderr, "usage: elfmut [-n MUTANTS] [-s SEED] [-t TIMEOUT_MS] [-a ALLOWLIST] [-k] "
                    "LOADER WORKDIR SEED-PROGRAM...\n");
    exit(2);
}

int main(int argc, char **argv)
{
    unsigned mutants = 2000, keep = 0;
    unsigned long long seed = 1;
    const char *allow = NULL;
    int opt;

    while ((opt = getopt(argc, argv, "n:s:t:a:k")) != -1) {
        switch (opt) {
        case 'n': mutants = (unsigned)strtoul(optarg, NULL, 0); break;
        case 's': seed = strtoull(optarg, NULL, 0); break;
        case 't': timeout_ms = (unsigned)strtoul(optarg, NULL, 0); break;
        case 'a': allow = optarg; break;
        case 'k': keep = 1; break;
        default: usage();
        }
    }
    if (argc - optind < 3 || argc - optind - 2 > MAX_SEEDS)
        usage();
    char *loader = argv[optind], *workdir = argv[optind + 1];
    struct blob seeds[MAX_SEEDS];
    int nseeds = argc - optind - 2;
    for (int i = 0; i < nseeds; i++)
        seeds[i] = load_file(argv[optind + 2 + i]);
    char *allow_text = allow ? read_text(allow) : NULL;
    rng_state = seed * 0x9e3779b97f4a7c15ULL + 1;
    drop_to_nobody = geteuid() == 0;
    mkdir(workdir, 0755);
    chmod(workdir, 0777);

    check_seeds(seeds, nseeds, loader, workdir);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    static struct outcome nat, lod;
    char path[4200], key[256], example[48];
    for (unsigned i = 0; i < mutants; i++) {
        int s = (int)(i % (unsigned)nseeds);
        struct blob m = {malloc(seeds[s].n), seeds[s].n};
        memcpy(m.b, seeds[s].b, m.n);
        for (unsigned k = 1 + rnd() % 3; k; k--)
            mutate(&m);
        snprintf(path, sizeof(path), "%s/mutant", workdir);
        write_file(path, &m);
        char *nargv[] = {path, NULL}, *largv[] = {loader, path, NULL};
        run_side(nargv, path, workdir, &nat);
        run_side(largv, path, workdir, &lod);
        const char *seed_name = strrchr(argv[optind + 2 + s], '/');
        seed_name = seed_name ? seed_name + 1 : argv[optind + 2 + s];
        pair_key(&nat, &lod, seed_name, key, sizeof(key));
        snprintf(example, sizeof(example), "%s #%u", seed_name, i);
        struct klass *c = count_class(key, same_outcome(&nat, &lod), example);
        if (c && !c->agree && keep) {
            snprintf(path, sizeof(path), "%s/diff-%zu.elf", workdir, nclasses - 1);
            write_file(path, &m);
            snprintf(c->example, sizeof(c->example), "diff-%zu.elf (%s)", nclasses - 1, example);
        }
        free(m.b);
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    int bad = print_table(mutants, allow_text, secs);
    for (int i = 0; i < nseeds; i++)
        free(seeds[i].b);
    free(allow_text);
    return bad;
}
