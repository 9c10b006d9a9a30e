/* elfcheck.c — cross-check the loader's ELF header parser against libelf.
 *
 *   elfcheck FILE...
 *
 * For every file, run the loader's elf_image_open() (loader/elfimg.c, built
 * here as host code, with sanitizers under `make check`) and libelf's gelf
 * view.  Where the loader accepts a file, libelf must see the same header,
 * the same program headers and the same PT_INTERP; where it refuses one,
 * print its reason.  Prints "ok FILE" / "not ok FILE: why" / "refused FILE:
 * reason" and exits 1 if any "not ok". */
#include <fcntl.h>
#include <gelf.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "loader.h"

static int same_phdr(const GElf_Phdr *g, const Elf64_Phdr *p)
{
    return g->p_type == p->p_type && g->p_flags == p->p_flags && g->p_offset == p->p_offset &&
           g->p_vaddr == p->p_vaddr && g->p_filesz == p->p_filesz &&
           g->p_memsz == p->p_memsz && g->p_align == p->p_align;
}

/* Compare an accepted image with libelf's reading; NULL if they agree. */
static const char *compare(const struct elf_image *im, int fd)
{
    static char why[256];
    GElf_Ehdr eh;
    size_t n;
    Elf *e = elf_begin(fd, ELF_C_READ, NULL);
    const char *bad = NULL;

    if (!e || !gelf_getehdr(e, &eh))
        bad = "libelf cannot read the ELF header";
    else if (eh.e_type != im->eh.e_type || eh.e_entry != im->eh.e_entry ||
             eh.e_phoff != im->eh.e_phoff)
        bad = "ELF header differs";
    else if (elf_getphdrnum(e, &n) || n != im->phnum)
        bad = "program header count differs";
    int seen_interp = 0;
    for (size_t i = 0; !bad && i < n; i++) {
        GElf_Phdr g;
        if (!gelf_getphdr(e, (int)i, &g) || !same_phdr(&g, &im->ph[i])) {
            snprintf(why, sizeof(why), "program header %zu differs", i);
            bad = why;
        }
        /* The first PT_INTERP is the one exec uses. */
        if (!bad && g.p_type == PT_INTERP && !seen_interp++) {
            size_t sz;
            const char *raw = elf_rawfile(e, &sz);
            if (!raw || strcmp(raw + g.p_offset, im->interp ? im->interp : ""))
                bad = "PT_INTERP differs";
        }
    }
    if (e)
        elf_end(e);
    return bad;
}

int main(int argc, char **argv)
{
    int failed = 0;

    elf_version(EV_CURRENT);
    for (int i = 1; i < argc; i++) {
        static struct elf_image im;
        struct ld_err err = {0};
        int fd = open(argv[i], O_RDONLY | O_CLOEXEC);

        if (fd < 0) {
            printf("not ok %s: cannot open\n", argv[i]);
            failed = 1;
            continue;
        }
        if (elf_image_open(&im, fd, &err) != 0) {
            printf("refused %s: %s\n", argv[i], err.msg);
        } else {
            const char *why = compare(&im, fd);
            if (why) {
                printf("not ok %s: %s\n", argv[i], why);
                failed = 1;
            } else {
                printf("ok %s\n", argv[i]);
            }
        }
        close(fd);
    }
    return failed;
}
