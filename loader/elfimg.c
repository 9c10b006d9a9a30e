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
#include <sys/utsname.h>
#include "loader.h"
#include "sys.h"

#define OLD_MAX_PHDR_BYTES 4096   /* ELF_MIN_ALIGN: the limit before Linux 6.17 */

static int is_pow2(uint64_t x)
{
    return x && !(x & (x - 1));
}

static int read_exact(int fd, void *buf, size_t len, uint64_t off, struct ld_err *e)
{
    long n = sys4(SYS_pread64, fd, buf, len, off);

    if (rs_is_err(n))
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

/* Is the running kernel at least MAJOR.MINOR?  Asked only for unusual
 * files: uname is one more system call. */
static int kernel_at_least(unsigned want_major, unsigned want_minor)
{
    struct utsname u;
    unsigned major = 0, minor = 0;
    const char *p = u.release;

    if (sys1(SYS_uname, &u) != 0)
        return 0;
    for (; *p >= '0' && *p <= '9'; p++)
        major = major * 10 + (unsigned)(*p - '0');
    for (p += *p == '.'; *p >= '0' && *p <= '9'; p++)
        minor = minor * 10 + (unsigned)(*p - '0');
    return major > want_major || (major == want_major && minor >= want_minor);
}

static int phnum_allowed(size_t phnum)
{
    size_t bytes = phnum * sizeof(Elf64_Phdr);

    if (phnum == 0 || bytes > LD_MAX_PHDR_BYTES)
        return 0;
    /* Linux 6.17 ("binfmt_elf: remove the 4k limitation of program header
     * size") raised the limit from one page to 64 KiB. */
    return bytes <= OLD_MAX_PHDR_BYTES || kernel_at_least(6, 17);
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
    if (!phnum_allowed(eh->e_phnum))
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
    if (p->p_vaddr >= LD_TASK_SIZE || p->p_memsz > LD_TASK_SIZE - p->p_vaddr)
        return ld_fail(e, LD_EXIT_CANNOT, "bad PT_LOAD segment %zu (outside user space)", idx);
    /* Without file contents the kernel never maps the file for it: the
     * offset does not matter. */
    if (!p->p_filesz)
        return 0;
    if ((p->p_offset ^ p->p_vaddr) & (LD_PAGE - 1))
        return ld_fail(e, LD_EXIT_CANNOT,
                       "bad PT_LOAD segment %zu (offset and address not congruent)", idx);
    if (p->p_offset > size || p->p_filesz > size - p->p_offset)
        return ld_fail(e, LD_EXIT_CANNOT,
                       "truncated ELF file (segment %zu extends past end of file)", idx);
    return 0;
}

/* The first PT_INTERP only: load_elf_binary() stops looking there, so a
 * second one is never read, whatever it holds. */
static int read_interp(struct elf_image *im, const Elf64_Phdr *p, struct ld_err *e)
{
    /* Same bounds as load_elf_binary(). */
    if (p->p_filesz < 2 || p->p_filesz > sizeof(im->interp_buf))
        return ld_fail(e, LD_EXIT_CANNOT, "bad PT_INTERP (size %lu)",
                       (unsigned long)p->p_filesz);
    if (p->p_offset > (uint64_t)im->size || p->p_filesz > (uint64_t)im->size - p->p_offset)
        return ld_fail(e, LD_EXIT_CANNOT, "truncated ELF file (PT_INTERP past end of file)");
    if (read_exact(im->fd, im->interp_buf, p->p_filesz, p->p_offset, e))
        return -1;
    /* Only the last byte must be NUL: with an earlier one, the path ends
     * there, as open_exec() reads it. */
    if (im->interp_buf[p->p_filesz - 1] != '\0')
        return ld_fail(e, LD_EXIT_CANNOT, "bad PT_INTERP (not a NUL-terminated path)");
    im->interp = im->interp_buf;
    return 0;
}

/* AT_PHDR as load_elf_binary() computes it (since Linux 5.18): e_phoff
 * translated through the last PT_LOAD whose file range contains it; PT_PHDR
 * is not consulted.  None: 0, so AT_PHDR is the load bias. */
static uintptr_t find_phdr_vaddr(const struct elf_image *im)
{
    uint64_t off = im->eh.e_phoff;
    uintptr_t vaddr = 0;

    for (size_t i = 0; i < im->phnum; i++) {
        const Elf64_Phdr *p = &im->ph[i];
        if (p->p_type == PT_LOAD && p->p_offset <= off && off - p->p_offset < p->p_filesz)
            vaddr = p->p_vaddr + (off - p->p_offset);
    }
    return vaddr;
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
            if (is_pow2(p->p_align) && p->p_align > im->align)   /* maximum_alignment() */
                im->align = p->p_align;
            if (!p->p_memsz)    /* elf_load() maps nothing for it */
                break;
            nload++;
            if (p->p_vaddr < lo)
                lo = p->p_vaddr;
            if (p->p_vaddr + p->p_memsz > hi)
                hi = p->p_vaddr + p->p_memsz;
            break;
        case PT_INTERP:
            if (!im->interp && read_interp(im, p, e))
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

/* Before Linux 6.7 (elf_load(), "binfmt_elf: Support segments with 0
 * filesz and misaligned starts"), load_elf_binary() zeroed the tail of the
 * page at the highest p_vaddr + p_filesz and killed the process (SIGSEGV,
 * past the point of no return) when that page was not writable.  Since,
 * the tail of a read-only page keeps the file's bytes (map.c).  On an older
 * kernel, refuse what it would have killed. */
static int old_kernel_would_kill(const struct elf_image *im, size_t *idx)
{
    uintptr_t bss = 0, brk = 0;

    for (size_t i = 0; i < im->phnum; i++) {
        const Elf64_Phdr *p = &im->ph[i];
        if (p->p_type != PT_LOAD)
            continue;
        if (p->p_vaddr + p->p_filesz > bss)
            bss = p->p_vaddr + p->p_filesz, *idx = i;
        if (p->p_vaddr + p->p_memsz > brk)
            brk = p->p_vaddr + p->p_memsz;
    }
    return bss != brk && (bss & (LD_PAGE - 1)) && !(im->ph[*idx].p_flags & PF_W) &&
           !kernel_at_least(6, 7);
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
    if (rs_is_err(r))
        return ld_fail(e, LD_EXIT_CANNOT, "%s", ld_strerror((int)-r));
    im->size = st.st_size;
    /* One read for the ELF header and, usually, the program headers that
     * follow it; a second only when they are elsewhere. */
    r = sys4(SYS_pread64, fd, im->head, sizeof(im->head), 0);
    if (rs_is_err(r))
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
    size_t ro = 0;
    if (old_kernel_would_kill(im, &ro))
        return ld_fail(e, LD_EXIT_CANNOT,
                       "bad PT_LOAD segment %zu (read-only with p_memsz > p_filesz: "
                       "this kernel, older than 6.7, would kill the program)", ro);
    im->phdr_vaddr = find_phdr_vaddr(im);
    return 0;
}
