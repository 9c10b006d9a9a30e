/* map.c — place and map a program or interpreter as load_elf_binary() would.
 *
 * Placement (fs/binfmt_elf.c): ET_EXEC at its link addresses; a PIE with an
 * interpreter at ELF_ET_DYN_BASE plus mmap randomization, aligned to the
 * largest p_align; an ET_DYN without interpreter (static-pie, ld.so run
 * directly) and the interpreter wherever mmap puts them.  Every fixed
 * mapping uses MAP_FIXED_NOREPLACE so nothing already mapped is replaced.
 * Holes between segments are left unmapped, as the kernel does; the memory
 * past a segment's file contents is what elf_load() makes of it (Linux
 * 6.7+): the tail of the last file page zeroed only in a writable segment,
 * the pages after it read-write. */
#include <sys/mman.h>
#include "loader.h"
#include "sys.h"

static int sys_munmap(uintptr_t addr, size_t len)
{
    return (int)sys2(SYS_munmap, addr, len);
}

static long sys_mprotect(uintptr_t addr, size_t len, int prot)
{
    return sys3(SYS_mprotect, addr, len, prot);
}

static int prot_of(const Elf64_Phdr *p)
{
    return ((p->p_flags & PF_R) ? PROT_READ : 0) | ((p->p_flags & PF_W) ? PROT_WRITE : 0) |
           ((p->p_flags & PF_X) ? PROT_EXEC : 0);
}

/* Reserve [addr, addr+len) exactly, never replacing an existing mapping.
 * (Address 0 is valid here: with CAP_SYS_RAWIO the kernel maps below
 * mmap_min_addr too.) */
static int reserve_at(uintptr_t addr, size_t len, struct ld_err *e)
{
    void *p = sys_mmap((void *)addr, len, PROT_NONE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE, -1, 0);

    if (rs_is_err((long)p))
        return ld_fail(e, LD_EXIT_CANNOT, "cannot map at %#lx (%s)", (unsigned long)addr,
                       ld_strerror((int)-(long)p));
    return 0;
}

/* Reserve len bytes wherever mmap likes, aligned to align: over-allocate,
 * then trim both ends.  Returns the start, 0 on failure (mmap without a
 * hint never returns page 0). */
static uintptr_t reserve_any(size_t len, uintptr_t align, struct ld_err *e)
{
    size_t extra = align - LD_PAGE;
    void *p = sys_mmap(NULL, len + extra, PROT_NONE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

    if (rs_is_err((long)p)) {
        ld_fail(e, LD_EXIT_CANNOT, "cannot map (%s)", ld_strerror((int)-(long)p));
        return 0;
    }
    uintptr_t raw = (uintptr_t)p, start = (raw + align - 1) & ~(align - 1);
    if (start > raw)
        sys_munmap(raw, start - raw);
    if (raw + len + extra > start + len)
        sys_munmap(start + len, raw + len + extra - (start + len));
    return start;
}

/* Zero the tail of the last file page of a segment whose memsz > filesz.
 * The kernel's padzero() is a clear_user() that fails on a segment without
 * PF_W, and elf_load() ignores that failure: the file's bytes stay in the
 * tail of a read-only page (Linux 6.7 and later; before, see
 * ARCHITECTURE.md).  So only writable segments are zeroed. */
static void zero_partial_page(uintptr_t from, int prot)
{
    if (from != PAGE_DOWN(from) && (prot & PROT_WRITE))
        __builtin_memset((void *)from, 0, PAGE_UP(from) - from);
}

/* The pages past the file's are vm_brk_flags() memory in the kernel:
 * read-write whatever the segment's flags, executable if PF_X. */
static int bss_prot_of(int prot)
{
    return PROT_READ | PROT_WRITE | (prot & PROT_EXEC);
}

static int map_segment(const struct elf_image *im, const Elf64_Phdr *p, uintptr_t bias,
                       struct ld_err *e)
{
    int prot = prot_of(p);
    uintptr_t start = bias + p->p_vaddr;
    uintptr_t pstart = PAGE_DOWN(start);
    uintptr_t fend = start + p->p_filesz, mend = start + p->p_memsz;
    int fixed = MAP_PRIVATE | MAP_FIXED;

    if (p->p_filesz) {
        void *r = sys_mmap((void *)pstart, PAGE_UP(fend) - pstart, prot, fixed, im->fd,
                           (long)(p->p_offset - (start - pstart)));
        if (rs_is_err((long)r))
            return ld_fail(e, LD_EXIT_CANNOT, "cannot map segment at %#lx (%s)",
                           (unsigned long)pstart, ld_strerror((int)-(long)r));
        if (mend > fend)
            zero_partial_page(fend, prot);
    }
    uintptr_t anon = p->p_filesz ? PAGE_UP(fend) : pstart;
    if (PAGE_UP(mend) > anon) {
        void *r = sys_mmap((void *)anon, PAGE_UP(mend) - anon, bss_prot_of(prot),
                           fixed | MAP_ANONYMOUS, -1, 0);
        if (rs_is_err((long)r))
            return ld_fail(e, LD_EXIT_CANNOT, "cannot map bss at %#lx (%s)",
                           (unsigned long)anon, ld_strerror((int)-(long)r));
    }
    return 0;
}

/* Map every PT_LOAD into the reservation at bias+lo, release the holes. */
static int map_segments(const struct elf_image *im, uintptr_t bias, struct mapped *m,
                        struct ld_err *e)
{
    uintptr_t covered = bias + im->lo;

    m->bias = bias;
    m->lo = bias + im->lo;
    m->hi = bias + im->hi;
    m->start_code = ~0UL;
    m->end_code = m->start_data = m->end_data = m->elf_brk = 0;
    for (size_t i = 0; i < im->phnum; i++) {
        const Elf64_Phdr *p = &im->ph[i];
        if (p->p_type != PT_LOAD)
            continue;
        uintptr_t v = bias + p->p_vaddr;
        if (p->p_memsz && PAGE_DOWN(v) > covered)
            sys_munmap(covered, PAGE_DOWN(v) - covered);
        if (p->p_memsz && map_segment(im, p, bias, e))
            return -1;
        if (PAGE_UP(v + p->p_memsz) > covered)
            covered = PAGE_UP(v + p->p_memsz);
        /* mm->start_code & co., computed like load_elf_binary(). */
        if ((p->p_flags & PF_X) && v < m->start_code)
            m->start_code = v;
        if ((p->p_flags & PF_X) && v + p->p_filesz > m->end_code)
            m->end_code = v + p->p_filesz;
        if (v > m->start_data)
            m->start_data = v;
        if (v + p->p_filesz > m->end_data)
            m->end_data = v + p->p_filesz;
        if (v + p->p_memsz > m->elf_brk)
            m->elf_brk = v + p->p_memsz;
    }
    if (m->hi > covered)
        sys_munmap(covered, m->hi - covered);
    if (m->start_code == ~0UL)  /* no PF_X segment: cannot happen after entry check */
        m->start_code = m->end_code = m->lo;
    m->entry = bias + im->eh.e_entry;
    m->phdr = bias + im->phdr_vaddr;
    return 0;
}

static uintptr_t pie_bias(const struct elf_image *im, const struct placement *pl)
{
    uintptr_t base = LD_ELF_ET_DYN_BASE;

    if (pl->randomize)
        base += (pl->rnd & ((1UL << LD_MMAP_RND_BITS) - 1)) * LD_PAGE;
    base &= ~(im->align - 1);
    return PAGE_DOWN(base - im->lo);
}

/* Map at the link address (ET_EXEC), else at *prefer if given and free,
 * else anywhere. */
static int map_image(const struct elf_image *im, const uintptr_t *prefer, struct mapped *m,
                     struct ld_err *e)
{
    size_t span = im->hi - im->lo;
    uintptr_t at = 0;

    if (im->eh.e_type == ET_EXEC) {
        if (reserve_at(im->lo, span, e))
            return -1;
        return map_segments(im, 0, m, e);
    }
    /* Should the preferred PIE range be taken (the stack or vdso landed
     * there), take anywhere rather than fail, as mmap would. */
    if (prefer && reserve_at(*prefer + im->lo, span, e) == 0)
        at = *prefer + im->lo;
    if (!at)
        at = reserve_any(span, im->align, e);
    if (!at)
        return -1;
    return map_segments(im, at - im->lo, m, e);
}

int map_program(const struct elf_image *im, const struct placement *pl, struct mapped *m,
                struct ld_err *e)
{
    uintptr_t bias;

    if (im->eh.e_type == ET_DYN && im->interp) {
        bias = pie_bias(im, pl);
        return map_image(im, &bias, m, e);
    }
    return map_image(im, NULL, m, e);
}

int map_interp(const struct elf_image *im, struct mapped *m, struct ld_err *e)
{
    return map_image(im, NULL, m, e);
}

/* Where the kernel would start the program's heap. */
uintptr_t choose_brk(const struct elf_image *prog, const struct mapped *m,
                     const struct placement *pl, uint64_t rnd)
{
    uintptr_t brk;

    if (prog->eh.e_type == ET_DYN && !prog->interp)
        brk = PAGE_UP(LD_ELF_ET_DYN_BASE);   /* static-pie: out of the mmap area */
    else
        brk = PAGE_UP(m->elf_brk);
    if (pl->randomize)                          /* arch_randomize_brk() */
        brk += (rnd % (pl->brk_range / LD_PAGE)) * LD_PAGE;
    return brk;
}

/* PT_GNU_STACK with PF_X: make the existing [stack] VMA executable, from its
 * top down (PROT_GROWSDOWN extends the change to the start of the VMA). */
int make_stack_executable(uintptr_t stack_top, struct ld_err *e)
{
    uintptr_t page = PAGE_DOWN(stack_top - 1);
    long r = sys_mprotect(page, LD_PAGE, PROT_READ | PROT_WRITE | PROT_EXEC | PROT_GROWSDOWN);

    if (rs_is_err(r))
        return ld_fail(e, LD_EXIT_CANNOT, "cannot make the stack executable (%s)",
                       ld_strerror((int)-r));
    return 0;
}
