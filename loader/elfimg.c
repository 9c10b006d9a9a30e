/* elfimg.c — read and validate the ELF headers of a program or interpreter.
 *
 * Like load_elf_binary(), read the ELF header and the program headers with
 * pread and never look at sections.  The checks are the kernel's, plus the
 * ones whose absence would turn a malformed file into a crash after the
 * exec instead of a clear error (segment contents past end of file, entry
 * point outside the code).  tests/unit/elfcheck.c cross-checks this parser
 * against libelf on every test program and malformed file. */
#include <errno.h>
#include <sys/stat.h>
#include "loader.h"
#include "sys.h"

#define KERNEL_MAX_PHNUM (4096 / sizeof(Elf64_Phdr))   /* ELF_MIN_ALIGN bytes */

static int is_pow2(uint64_t x)
{
    return x && !(x & (x - 1));
}

static int read_exact(int fd, void *buf, size_t len, uint64_t off, struct ld_err *e)
{
    long n = sys4(SYS_pread64, fd, buf, len, off);

    if (sys_failed(n))
        return ld_fail(e, LD_EXIT_CANNOT, "%s", ld_strerror((int)-n));
    if ((size_t)n != len)
        return ld_fail(e, LD_EXIT_CANNOT, "truncated ELF file");
    return 0;
}

static int check_ident(const unsigned char *id, size_t n, struct ld_err *e)
{
    static const unsigned char mag[SELFMAG] = {ELFMAG0, ELFMAG1, ELFMAG2, ELFMAG3};

    for (size_t i = 0; i < SELFMAG; i++)
        if (i >= n || id[i] != mag[i])
            return i >= n ? ld_fail(e, LD_EXIT_CANNOT, "truncated ELF file")
                          : ld_fail(e, LD_EXIT_CANNOT, "not an ELF file");
    if (n < EI_NIDENT)
        return ld_fail(e, LD_EXIT_CANNOT, "truncated ELF file");
    if (id[EI_CLASS] != ELFCLASS64)
        return ld_fail(e, LD_EXIT_CANNOT, "not a 64-bit ELF file");
    if (id[EI_DATA] != ELFDATA2LSB)
        return ld_fail(e, LD_EXIT_CANNOT, "not a little-endian ELF file");
    if (id[EI_VERSION] != EV_CURRENT)
        return ld_fail(e, LD_EXIT_CANNOT, "bad ELF version");
    if (n < sizeof(Elf64_Ehdr))
        return ld_fail(e, LD_EXIT_CANNOT, "truncated ELF file");
    return 0;
}

static int check_ehdr(const Elf64_Ehdr *eh, uint64_t size, struct ld_err *e)
{
    if (eh->e_version != EV_CURRENT)
        return ld_fail(e, LD_EXIT_CANNOT, "bad ELF version");
    if (eh->e_machine != EM_X86_64)
        return ld_fail(e, LD_EXIT_CANNOT,
                       "wrong architecture (e_machine %u, expected x86-64)", eh->e_machine);
    if (eh->e_type != ET_EXEC && eh->e_type != ET_DYN)
        return ld_fail(e, LD_EXIT_CANNOT, "not an executable (e_type %u)", eh->e_type);
    if (eh->e_phentsize != sizeof(Elf64_Phdr))
        return ld_fail(e, LD_EXIT_CANNOT, "bad program headers (e_phentsize %u)",
                       eh->e_phentsize);
    if (eh->e_phnum == 0 || eh->e_phnum > KERNEL_MAX_PHNUM)
        return ld_fail(e, LD_EXIT_CANNOT, "bad program headers (e_phnum %u)", eh->e_phnum);
    if (eh->e_phoff > size || size - eh->e_phoff < eh->e_phnum * sizeof(Elf64_Phdr))
        return ld_fail(e, LD_EXIT_CANNOT, "bad program headers (past end of file)");
    return 0;
}

static int check_load(const Elf64_Phdr *p, size_t idx, uint64_t size, struct ld_err *e)
{
    if (p->p_filesz > p->p_memsz)
        return ld_fail(e, LD_EXIT_CANNOT, "bad PT_LOAD segment %zu (p_filesz > p_memsz)", idx);
    if (p->p_align > 1 && !is_pow2(p->p_align))
        return ld_fail(e, LD_EXIT_CANNOT, "bad PT_LOAD segment %zu (p_align %#lx)", idx,
                       (unsigned long)p->p_align);
    if ((p->p_offset ^ p->p_vaddr) & (LD_PAGE - 1))
        return ld_fail(e, LD_EXIT_CANNOT,
                       "bad PT_LOAD segment %zu (offset and address not congruent)", idx);
    if (p->p_vaddr >= LD_TASK_SIZE || p->p_memsz > LD_TASK_SIZE - p->p_vaddr)
        return ld_fail(e, LD_EXIT_CANNOT, "bad PT_LOAD segment %zu (outside user space)", idx);
    if (p->p_offset > size || p->p_filesz > size - p->p_offset)
        return ld_fail(e, LD_EXIT_CANNOT,
                       "truncated ELF file (segment %zu extends past end of file)", idx);
    return 0;
}

static int read_interp(struct elf_image *im, const Elf64_Phdr *p, struct ld_err *e)
{
    if (im->interp)
        return ld_fail(e, LD_EXIT_CANNOT, "more than one PT_INTERP");
    /* Same bounds as load_elf_binary(). */
    if (p->p_filesz < 2 || p->p_filesz > sizeof(im->interp_buf))
        return ld_fail(e, LD_EXIT_CANNOT, "bad PT_INTERP (size %lu)",
                       (unsigned long)p->p_filesz);
    if (p->p_offset > (uint64_t)im->size || p->p_filesz > (uint64_t)im->size - p->p_offset)
        return ld_fail(e, LD_EXIT_CANNOT, "truncated ELF file (PT_INTERP past end of file)");
    if (read_exact(im->fd, im->interp_buf, p->p_filesz, p->p_offset, e))
        return -1;
    if (im->interp_buf[p->p_filesz - 1] != '\0' ||
        __builtin_strlen(im->interp_buf) != p->p_filesz - 1)
        return ld_fail(e, LD_EXIT_CANNOT, "bad PT_INTERP (not a NUL-terminated path)");
    im->interp = im->interp_buf;
    return 0;
}

/* Where the program headers are in memory: PT_PHDR, else inside a PT_LOAD
 * that covers them in the file (as the kernel computes AT_PHDR). */
static uintptr_t find_phdr_vaddr(const struct elf_image *im)
{
    uint64_t off = im->eh.e_phoff, len = im->eh.e_phnum * sizeof(Elf64_Phdr);

    for (size_t i = 0; i < im->phnum; i++)
        if (im->ph[i].p_type == PT_PHDR)
            return im->ph[i].p_vaddr;
    for (size_t i = 0; i < im->phnum; i++) {
        const Elf64_Phdr *p = &im->ph[i];
        if (p->p_type == PT_LOAD && p->p_offset <= off &&
            off + len <= p->p_offset + p->p_filesz)
            return p->p_vaddr + (off - p->p_offset);
    }
    return 0;
}

static int entry_in_code(const struct elf_image *im)
{
    for (size_t i = 0; i < im->phnum; i++) {
        const Elf64_Phdr *p = &im->ph[i];
        if (p->p_type == PT_LOAD && (p->p_flags & PF_X) && im->eh.e_entry >= p->p_vaddr &&
            im->eh.e_entry - p->p_vaddr < p->p_memsz)
            return 1;
    }
    return 0;
}

static int scan_phdrs(struct elf_image *im, struct ld_err *e)
{
    uintptr_t lo = UINTPTR_MAX, hi = 0;
    size_t nload = 0;

    im->align = LD_PAGE;
    for (size_t i = 0; i < im->phnum; i++) {
        const Elf64_Phdr *p = &im->ph[i];
        switch (p->p_type) {
        case PT_LOAD:
            if (check_load(p, i, (uint64_t)im->size, e))
                return -1;
            nload++;
            if (p->p_vaddr < lo)
                lo = p->p_vaddr;
            if (p->p_vaddr + p->p_memsz > hi)
                hi = p->p_vaddr + p->p_memsz;
            if (is_pow2(p->p_align) && p->p_align > im->align)
                im->align = p->p_align;
            break;
        case PT_INTERP:
            if (read_interp(im, p, e))
                return -1;
            break;
        case PT_GNU_STACK:
            im->exec_stack = !!(p->p_flags & PF_X);
            break;
        }
    }
    if (!nload)
        return ld_fail(e, LD_EXIT_CANNOT, "no loadable segments");
    im->lo = PAGE_DOWN(lo);
    im->hi = PAGE_UP(hi);
    return 0;
}

int elf_image_open(struct elf_image *im, int fd, struct ld_err *e)
{
    struct stat st;
    long r;

    /* Field by field, not memset: the buffers are large and every page the
     * loader touches costs a page fault on every exec. */
    im->fd = fd;
    im->interp = NULL;
    im->exec_stack = 0;
    im->phdr_vaddr = 0;
    r = sys2(SYS_fstat, fd, &st);
    if (sys_failed(r))
        return ld_fail(e, LD_EXIT_CANNOT, "%s", ld_strerror((int)-r));
    im->size = st.st_size;
    /* One read for the ELF header and, usually, the program headers that
     * follow it; a second only when they are elsewhere. */
    r = sys4(SYS_pread64, fd, im->head, sizeof(im->head), 0);
    if (sys_failed(r))
        return ld_fail(e, LD_EXIT_CANNOT, "%s", ld_strerror((int)-r));
    if (check_ident(im->head, (size_t)r, e))
        return -1;
    __builtin_memcpy(&im->eh, im->head, sizeof(im->eh));
    if (check_ehdr(&im->eh, (uint64_t)im->size, e))
        return -1;
    im->phnum = im->eh.e_phnum;
    size_t phsize = im->phnum * sizeof(Elf64_Phdr);
    if (im->eh.e_phoff + phsize <= (uint64_t)r)
        __builtin_memcpy(im->ph, im->head + im->eh.e_phoff, phsize);
    else if (read_exact(fd, im->ph, phsize, im->eh.e_phoff, e))
        return -1;
    if (scan_phdrs(im, e))
        return -1;
    if (!entry_in_code(im))
        return ld_fail(e, LD_EXIT_CANNOT, "entry point outside executable segments");
    im->phdr_vaddr = find_phdr_vaddr(im);
    return 0;
}
