/* mkbadelf.c — write a table of malformed ELF files for tests/t_badelf.sh.
 *
 *   mkbadelf OUTDIR STATIC-TEMPLATE DYNAMIC-TEMPLATE
 *
 * Each case is a copy of a valid program (a static ET_EXEC or a dynamic
 * PIE) with one thing broken.  Prints a manifest line per case:
 *   NAME <TAB> EXPECTED-EXIT <TAB> EXPECTED-MESSAGE-OR-STDOUT
 * where a case expected to run (exit 3, the templates' status) carries its
 * expected stdout instead of a message. */
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

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: mkbadelf OUTDIR STATIC-TEMPLATE DYNAMIC-TEMPLATE\n");
        return 2;
    }
    outdir = argv[1];
    struct image st = load(argv[2]), dy = load(argv[3]);
    if (eh(&st)->e_type != ET_EXEC || eh(&dy)->e_type != ET_DYN) {
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
    CASE("two-interp", dy, 126, "more than one PT_INTERP", ph(&c, PT_NOTE, 0)->p_type = PT_INTERP;
         *ph(&c, PT_INTERP, 1) = *ph(&c, PT_INTERP, 0));
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
    free(st.b);
    free(dy.b);
    return 0;
}
