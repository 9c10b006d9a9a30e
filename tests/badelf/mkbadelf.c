/* mkbadelf.c — write a table of malformed ELF files for tests/t_badelf.sh.
 *
 *   mkbadelf OUTDIR STATIC-TEMPLATE DYNAMIC-TEMPLATE PROBE-TEMPLATE
 *
 * Each case is a copy of a valid program (a static ET_EXEC, a dynamic PIE,
 * or tests/badelf/probe.c, a static ET_EXEC that prints what exec made of
 * its image) with one thing broken or unusual.  Prints a manifest line per
 * case:
 *   NAME <TAB> EXPECTED-EXIT <TAB> EXPECTED-MESSAGE-OR-STDOUT
 * where a case expected to run (exit 3, the templates' status) carries its
 * expected stdout instead of a message, and a case whose expected exit is
 * "native" must give what the running kernel gives: the same exit status
 * and the same output as when exec'd natively. */
#include <elf.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct image {
    unsigned char *b;
    size_t n;
};

static struct image load(const char *path)
{
    struct image im = {0};
    struct stat st;
    int fd = open(path, O_RDONLY);

    if (fd < 0 || fstat(fd, &st) || !(im.b = malloc((size_t)st.st_size)) ||
        read(fd, im.b, (size_t)st.st_size) != st.st_size) {
        perror(path);
        exit(1);
    }
    im.n = (size_t)st.st_size;
    close(fd);
    return im;
}

static Elf64_Ehdr *eh(struct image *im) { return (Elf64_Ehdr *)im->b; }

static Elf64_Phdr *ph(struct image *im, int type, int nth)
{
    Elf64_Phdr *p = (Elf64_Phdr *)(im->b + eh(im)->e_phoff);

    for (int i = 0; i < eh(im)->e_phnum; i++)
        if (p[i].p_type == (Elf64_Word)type && nth-- == 0)
            return &p[i];
    fprintf(stderr, "mkbadelf: template lacks program header type %d\n", type);
    exit(1);
}

static const char *outdir;

/* Where the probe looks (tests/badelf/probe.c: PROBE_LO, PROBE_FILESZ). */
#define PROBE_LO 0x10000000UL
#define PROBE_FILESZ 0x100
#define PAGE 0x1000UL

static void append(struct image *c, const void *data, size_t n)
{
    if (!(c->b = realloc(c->b, c->n + n))) {
        perror("mkbadelf");
        exit(1);
    }
    memcpy(c->b + c->n, data, n);
    c->n += n;
}

/* Pad the file to a page boundary; returns the new end. */
static size_t pad_to_page(struct image *c)
{
    static const unsigned char zero[PAGE];

    if (c->n % PAGE)
        append(c, zero, PAGE - c->n % PAGE);
    return c->n;
}

static void emit(const char *name, const void *data, size_t n, int status, const char *expect)
{
    char path[4096];
    int fd;

    snprintf(path, sizeof(path), "%s/%s", outdir, name);
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0755);
    if (fd < 0 || (n && write(fd, data, n) != (ssize_t)n) || fchmod(fd, 0755) || close(fd)) {
        perror(path);
        exit(1);
    }
    if (status < 0)
        printf("%s\tnative\t%s\n", name, expect);
    else
        printf("%s\t%d\t%s\n", name, status, expect);
}

/* A fresh copy of a template to break. */
static struct image copy(const struct image *t)
{
    struct image c = {malloc(t->n), t->n};

    memcpy(c.b, t->b, t->n);
    return c;
}

#define CASE(name, tmpl, status, expect, ...)                          \
    do {                                                               \
        struct image c = copy(&(tmpl));                                \
        __VA_ARGS__;                                                   \
        emit(name, c.b, c.n, status, expect);                          \
        free(c.b);                                                     \
    } while (0)

static void set_interp(struct image *c, const char *path)
{
    Elf64_Phdr *p = ph(c, PT_INTERP, 0);

    if (strlen(path) + 1 > p->p_filesz) {
        fprintf(stderr, "mkbadelf: interpreter path too long for template\n");
        exit(1);
    }
    memset(c->b + p->p_offset, 0, p->p_filesz);
    strcpy((char *)c->b + p->p_offset, path);
    p->p_filesz = strlen(path) + 1;
}

static void last_load_truncate(struct image *c)
{
    Elf64_Phdr *p = (Elf64_Phdr *)(c->b + eh(c)->e_phoff), *last = NULL;

    for (int i = 0; i < eh(c)->e_phnum; i++)
        if (p[i].p_type == PT_LOAD && p[i].p_filesz)
            last = &p[i];
    c->n = last->p_offset + last->p_filesz / 2;
}

static void shift_exec_to_zero(struct image *c)
{
    Elf64_Phdr *p = (Elf64_Phdr *)(c->b + eh(c)->e_phoff);
    Elf64_Addr lo = ph(c, PT_LOAD, 0)->p_vaddr;

    for (int i = 0; i < eh(c)->e_phnum; i++)
        if (p[i].p_vaddr >= lo)
            p[i].p_vaddr -= lo, p[i].p_paddr -= lo;
    eh(c)->e_entry -= lo;
}

/* A new PT_LOAD at PROBE_LO (in place of the first PT_NOTE): PROBE_FILESZ
 * bytes from a page of 0xaa bytes in the file, memsz three pages. */
static void add_bss_segment(struct image *c, Elf64_Word flags)
{
    unsigned char page[PAGE];
    size_t off = pad_to_page(c);

    memset(page, 0xaa, sizeof(page));
    append(c, page, sizeof(page));
    *ph(c, PT_NOTE, 0) = (Elf64_Phdr){
        .p_type = PT_LOAD, .p_flags = flags, .p_offset = off, .p_vaddr = PROBE_LO,
        .p_paddr = PROBE_LO, .p_filesz = PROBE_FILESZ, .p_memsz = 3 * PAGE, .p_align = PAGE,
    };
}

/* A PT_PHDR (in place of PT_GNU_PROPERTY) that names an address where the
 * table is not: the LOAD covering e_phoff says where it is. */
static void add_wrong_pt_phdr(struct image *c)
{
    Elf64_Phdr *p = ph(c, PT_GNU_PROPERTY, 0);

    *p = (Elf64_Phdr){
        .p_type = PT_PHDR, .p_flags = PF_R, .p_offset = eh(c)->e_phoff,
        .p_vaddr = PROBE_LO + 5 * PAGE, .p_paddr = PROBE_LO + 5 * PAGE,
        .p_filesz = eh(c)->e_phnum * sizeof(Elf64_Phdr),
        .p_memsz = eh(c)->e_phnum * sizeof(Elf64_Phdr), .p_align = 8,
    };
}

/* Move the program headers to the end of the file and grow the table to
 * n entries (PT_NULL padding), with one more PT_LOAD mapping the new table
 * at PROBE_LO + 16 pages, so AT_PHDR still points at readable headers. */
static void grow_phdrs(struct image *c, unsigned n)
{
    size_t old = eh(c)->e_phnum, bytes = n * sizeof(Elf64_Phdr);
    size_t off = pad_to_page(c);
    Elf64_Phdr *tab = calloc(n, sizeof(Elf64_Phdr));
    uint64_t vaddr = PROBE_LO + 16 * PAGE;

    memcpy(tab, c->b + eh(c)->e_phoff, old * sizeof(Elf64_Phdr));
    tab[old] = (Elf64_Phdr){
        .p_type = PT_LOAD, .p_flags = PF_R, .p_offset = off, .p_vaddr = vaddr,
        .p_paddr = vaddr, .p_filesz = bytes, .p_memsz = bytes, .p_align = PAGE,
    };
    append(c, tab, bytes);
    free(tab);
    eh(c)->e_phoff = off;
    eh(c)->e_phnum = (Elf64_Half)n;
}

/* Append a NUL-terminated string to the file; returns its offset. */
static size_t append_string(struct image *c, const char *s)
{
    size_t off = c->n;

    append(c, s, strlen(s) + 1);
    return off;
}

/* A second PT_INTERP (in place of the first PT_NOTE) naming path. */
static void add_second_interp(struct image *c, const char *path)
{
    size_t off = append_string(c, path);

    *ph(c, PT_NOTE, 0) = (Elf64_Phdr){.p_type = PT_INTERP, .p_flags = PF_R, .p_offset = off,
                      .p_filesz = strlen(path) + 1, .p_memsz = strlen(path) + 1, .p_align = 1};
}

/* Point the first PT_INTERP at a copy of it followed by "\0junk\0": the
 * kernel only requires the last byte to be NUL, the path ends at the first. */
static void interp_inner_nul(struct image *c)
{
    Elf64_Phdr *p = ph(c, PT_INTERP, 0);
    char path[256];
    size_t len = p->p_filesz, off;

    memcpy(path, c->b + p->p_offset, len);
    off = c->n;
    append(c, path, len);
    append(c, "junk", 5);
    p = ph(c, PT_INTERP, 0);
    p->p_offset = off;
    p->p_filesz = len + 5;
}

int main(int argc, char **argv)
{
    if (argc != 5) {
        fprintf(stderr, "usage: mkbadelf OUTDIR STATIC-TEMPLATE DYNAMIC-TEMPLATE PROBE-TEMPLATE\n");
        return 2;
    }
    outdir = argv[1];
    struct image st = load(argv[2]), dy = load(argv[3]), pr = load(argv[4]);
    if (eh(&st)->e_type != ET_EXEC || eh(&dy)->e_type != ET_DYN || eh(&pr)->e_type != ET_EXEC) {
        fprintf(stderr, "mkbadelf: templates must be ET_EXEC static and ET_DYN dynamic\n");
        return 2;
    }

    emit("empty", "", 0, 126, "truncated ELF file");
    emit("short-magic", "\177EL", 3, 126, "truncated ELF file");
    emit("text", "just some text\n", 15, 126, "not an ELF file");
    {
        /* Random bytes (a fixed xorshift sequence), neither ELF nor #!. */
        unsigned char rnd[512];
        unsigned long long x = 0x9e3779b97f4a7c15ULL;
        for (size_t i = 0; i < sizeof(rnd); i++) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            rnd[i] = (unsigned char)(x >> 56);
        }
        rnd[0] = 0xa5, rnd[1] = 0;   /* a NUL: the shell will not run it as a script */
        emit("random", rnd, sizeof(rnd), 126, "not an ELF file");
    }
    CASE("ident-only", st, 126, "truncated ELF file", c.n = EI_NIDENT);
    CASE("half-header", st, 126, "truncated ELF file", c.n = 40);
    CASE("class32", st, 126, "not a 64-bit ELF file", c.b[EI_CLASS] = ELFCLASS32);
    CASE("big-endian", st, 126, "not a little-endian ELF file", c.b[EI_DATA] = ELFDATA2MSB);
    CASE("ident-version", st, 126, "bad ELF version", c.b[EI_VERSION] = 0);
    CASE("e-version", st, 126, "bad ELF version", eh(&c)->e_version = 0);
    CASE("aarch64", st, 126, "wrong architecture", eh(&c)->e_machine = EM_AARCH64);
    CASE("type-rel", st, 126, "not an executable", eh(&c)->e_type = ET_REL);
    CASE("type-core", st, 126, "not an executable", eh(&c)->e_type = ET_CORE);
    CASE("phentsize", st, 126, "bad program headers", eh(&c)->e_phentsize = 32);
    CASE("phnum-zero", st, 126, "bad program headers", eh(&c)->e_phnum = 0);
    CASE("phnum-huge", st, 126, "bad program headers", eh(&c)->e_phnum = 0xffff);
    CASE("phoff-past-eof", st, 126, "bad program headers", eh(&c)->e_phoff = c.n + 100);
    CASE("phdrs-truncated", st, 126, "bad program headers", c.n = eh(&c)->e_phoff + 20);
    CASE("no-load", st, 126, "no loadable segments", {
        Elf64_Phdr *p = (Elf64_Phdr *)(c.b + eh(&c)->e_phoff);
        for (int i = 0; i < eh(&c)->e_phnum; i++)
            if (p[i].p_type == PT_LOAD)
                p[i].p_type = PT_NULL;
    });
    CASE("filesz-gt-memsz", st, 126, "bad PT_LOAD segment",
         ph(&c, PT_LOAD, 0)->p_filesz = ph(&c, PT_LOAD, 0)->p_memsz + 1);
    CASE("segment-truncated", st, 126, "truncated ELF file", last_load_truncate(&c));
    CASE("incongruent", st, 126, "bad PT_LOAD segment", ph(&c, PT_LOAD, 1)->p_offset += 1);
    CASE("align-not-pow2", st, 126, "bad PT_LOAD segment", ph(&c, PT_LOAD, 0)->p_align = 0x3000);
    CASE("vaddr-overflow", st, 126, "bad PT_LOAD segment",
         ph(&c, PT_LOAD, 0)->p_vaddr = 0xfffffffffffff000ULL);
    CASE("entry-outside", st, 126, "entry point outside executable segments",
         eh(&c)->e_entry = 0x10);
    CASE("exec-at-zero", st, 126, "cannot map", shift_exec_to_zero(&c));
    /* The kernel uses the first PT_INTERP and never reads another. */
    CASE("two-interp", dy, 3, "hello", add_second_interp(&c, "/nonexistent/ld.so"));
    CASE("two-interp-second-bad", dy, 3, "hello", {
        add_second_interp(&c, "x");
        ph(&c, PT_INTERP, 1)->p_filesz = 5000;
    });
    CASE("two-interp-first-missing", dy, 126,
         "interpreter /nonexistent/ld.so: No such file or directory", {
             add_second_interp(&c, "/lib64/ld-linux-x86-64.so.2");
             set_interp(&c, "/nonexistent/ld.so");
         });
    CASE("interp-inner-nul", dy, 3, "hello", interp_inner_nul(&c));
    CASE("interp-unterminated", dy, 126, "bad PT_INTERP", ph(&c, PT_INTERP, 0)->p_filesz -= 1);
    CASE("interp-empty", dy, 126, "bad PT_INTERP", ph(&c, PT_INTERP, 0)->p_filesz = 1);
    CASE("interp-too-long", dy, 126, "bad PT_INTERP", ph(&c, PT_INTERP, 0)->p_filesz = 5000);
    CASE("interp-missing", dy, 126,
         "interpreter /nonexistent/ld.so: No such file or directory",
         set_interp(&c, "/nonexistent/ld.so"));
    CASE("interp-not-elf", dy, 126, "interpreter /etc/passwd: not an ELF file",
         set_interp(&c, "/etc/passwd"));
    /* A relative PT_INTERP resolves against the cwd, as in the kernel; the
     * test runs from OUTDIR, where class32 is a 32-bit file. */
    CASE("interp-32bit", dy, 126, "interpreter class32: not a 64-bit ELF file",
         set_interp(&c, "class32"));
    /* The kernel never reads section headers: garbage there must not matter. */
    CASE("shdr-garbage", st, 3, "hello", {
        eh(&c)->e_shoff = (Elf64_Off)c.n * 2;
        eh(&c)->e_shnum = 0xffff;
        eh(&c)->e_shstrndx = 0xfffe;
    });
    CASE("osabi-gnu", st, 3, "hello", c.b[EI_OSABI] = ELFOSABI_GNU);
    /* Nor does it look at e_ident padding, e_flags, e_ehsize or e_shentsize,
     * and it skips program header types it does not know. */
    CASE("ident-padding", st, 3, "hello", memcpy(c.b + EI_PAD, "garbage", EI_NIDENT - EI_PAD));
    CASE("e-flags", st, 3, "hello", eh(&c)->e_flags = 0xdeadbeef);
    CASE("e-ehsize", st, 3, "hello", eh(&c)->e_ehsize = 7);
    CASE("e-shentsize", st, 3, "hello", eh(&c)->e_shentsize = 3);
    CASE("unknown-phdr-type", st, 3, "hello", ph(&c, PT_NOTE, 0)->p_type = PT_LOOS + 0x1234);
    CASE("osabi-gnu-pie", dy, 3, "hello", c.b[EI_OSABI] = ELFOSABI_GNU);

    /* What exec makes of unusual but valid images: the probe prints it, and
     * the loader must print the same as the running kernel's exec. */
    CASE("probe", pr, -1, "-", (void)0);
    /* p_filesz < p_memsz in a read-only segment: the file's bytes stay in
     * the tail of the page, the pages after it are read-write (6.7+). */
    CASE("ro-bss-tail", pr, -1, "-", add_bss_segment(&c, PF_R));
    CASE("x-bss-tail", pr, -1, "-", add_bss_segment(&c, PF_X));
    CASE("noperm-bss-tail", pr, -1, "-", add_bss_segment(&c, 0));
    CASE("rw-bss-tail", pr, -1, "-", add_bss_segment(&c, PF_R | PF_W));
    /* AT_PHDR comes from the PT_LOAD covering e_phoff, not from PT_PHDR. */
    CASE("phdr-disagrees", pr, -1, "-", add_wrong_pt_phdr(&c));
    /* Up to 64 KiB of program headers (Linux 6.17+; one page before). */
    CASE("phnum-large", pr, -1, "-", grow_phdrs(&c, 200));
    CASE("phnum-64k", pr, -1, "-", grow_phdrs(&c, 65536 / sizeof(Elf64_Phdr)));
    CASE("phnum-over-64k", pr, 126, "bad program headers",
         grow_phdrs(&c, 65536 / sizeof(Elf64_Phdr) + 1));
    free(pr.b);
    free(st.b);
    free(dy.b);
    return 0;
}
