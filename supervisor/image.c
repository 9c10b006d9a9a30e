/* image.c — a wrapper image mapped into a worker, as the loader maps it
 * into a program (loader/rsimage.c): its PT_LOAD segments at one bias,
 * its R_X86_64_RELATIVE relocations applied, its entry point returned.
 * The descriptor is the one the selection checked (loader/select.c: trust,
 * wrapper-hash=), so the file mapped is the file judged.  The loader has
 * refused anything else before a worker sees it; this checks again what
 * mapping needs, with a reason. */
#define _GNU_SOURCE
#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "sv.h"

#define PAGE 4096UL
#define PH_MAX 16

static int prot_of(const Elf64_Phdr *p)
{
    return (p->p_flags & PF_R ? PROT_READ : 0) | (p->p_flags & PF_W ? PROT_WRITE : 0) |
           (p->p_flags & PF_X ? PROT_EXEC : 0);
}

static int map_segment(int fd, const Elf64_Phdr *p, char *base)
{
    uintptr_t start = (uintptr_t)base + (p->p_vaddr & ~(PAGE - 1));
    uintptr_t file_end = (uintptr_t)base + p->p_vaddr + p->p_filesz;
    uintptr_t mem_end = (uintptr_t)base + p->p_vaddr + p->p_memsz;
    uintptr_t file_page_end = (file_end + PAGE - 1) & ~(PAGE - 1);
    int prot = prot_of(p);

    if (p->p_filesz &&
        mmap((void *)start, file_end - start, prot | PROT_WRITE, MAP_PRIVATE | MAP_FIXED, fd,
             (off_t)(p->p_offset & ~(PAGE - 1))) == MAP_FAILED)
        return -errno;
    if (p->p_memsz > p->p_filesz) {   /* bss: the file page's tail, then anonymous pages */
        if (file_page_end > file_end)
            memset((void *)file_end, 0, file_page_end - file_end);
        if (mem_end > file_page_end &&
            mmap((void *)file_page_end, mem_end - file_page_end, prot,
                 MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS, -1, 0) == MAP_FAILED)
            return -errno;
    }
    return 0;
}

static void relocate(char *base, const Elf64_Dyn *dyn)
{
    const Elf64_Rela *rela = NULL;
    size_t size = 0;

    for (; dyn->d_tag != DT_NULL; dyn++) {
        if (dyn->d_tag == DT_RELA)
            rela = (const Elf64_Rela *)(base + dyn->d_un.d_ptr);
        else if (dyn->d_tag == DT_RELASZ)
            size = dyn->d_un.d_val;
    }
    for (size_t i = 0; rela && i < size / sizeof(*rela); i++)
        if (ELF64_R_TYPE(rela[i].r_info) == R_X86_64_RELATIVE)
            *(uint64_t *)(base + rela[i].r_offset) = (uint64_t)(base + rela[i].r_addend);
}

const void *sv_image_map(int fd, char *err, size_t errsize)
{
    Elf64_Ehdr eh;
    Elf64_Phdr ph[PH_MAX];
    uint64_t lo = UINT64_MAX, hi = 0;
    const Elf64_Dyn *dyn = NULL;

    if (pread(fd, &eh, sizeof(eh), 0) != (ssize_t)sizeof(eh) || memcmp(eh.e_ident, ELFMAG, SELFMAG) ||
        eh.e_type != ET_DYN || eh.e_phnum > PH_MAX || eh.e_phentsize != sizeof(Elf64_Phdr) ||
        pread(fd, ph, eh.e_phnum * sizeof(Elf64_Phdr), (off_t)eh.e_phoff) !=
            (ssize_t)(eh.e_phnum * sizeof(Elf64_Phdr))) {
        snprintf(err, errsize, "not a runsel image");
        return NULL;
    }
    for (int i = 0; i < eh.e_phnum; i++)
        if (ph[i].p_type == PT_LOAD) {
            if (ph[i].p_vaddr < lo)
                lo = ph[i].p_vaddr & ~(PAGE - 1);
            if (ph[i].p_vaddr + ph[i].p_memsz > hi)
                hi = ph[i].p_vaddr + ph[i].p_memsz;
        }
    if (lo != 0 || hi <= lo || hi > (1UL << 30)) {
        snprintf(err, errsize, "its segments do not start at 0");
        return NULL;
    }
    char *base = mmap(NULL, (hi + PAGE - 1) & ~(PAGE - 1), PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (base == MAP_FAILED) {
        snprintf(err, errsize, "mmap: %s", strerror(errno));
        return NULL;
    }
    for (int i = 0; i < eh.e_phnum; i++) {
        int r = ph[i].p_type == PT_LOAD ? map_segment(fd, &ph[i], base) : 0;
        if (r) {
            snprintf(err, errsize, "mapping a segment: %s", strerror(-r));
            return NULL;
        }
        if (ph[i].p_type == PT_DYNAMIC)
            dyn = (const Elf64_Dyn *)(base + ph[i].p_vaddr);
    }
    if (dyn)
        relocate(base, dyn);
    for (int i = 0; i < eh.e_phnum; i++)   /* the final protections, text no longer writable */
        if (ph[i].p_type == PT_LOAD && ph[i].p_filesz)
            mprotect(base + (ph[i].p_vaddr & ~(PAGE - 1)),
                     ph[i].p_vaddr + ph[i].p_filesz - (ph[i].p_vaddr & ~(PAGE - 1)), prot_of(&ph[i]));
    return base + eh.e_entry;
}
