/* early.c — runs before glibc has relocated the loader or set up TLS.
 *
 * Why: the kernel gives a static-pie program (like this loader) a brk area
 * at ELF_ET_DYN_BASE (Linux 5.2+; unconditionally since 6.15), and glibc
 * puts its TLS block and first malloc arena there.  That is exactly where a
 * PIE program must be mapped when address randomization is off (gdb,
 * `setarch -R`), and near where it goes otherwise.  So before glibc touches
 * brk, move the loader's brk to just after the loader's own image with
 * PR_SET_MM_MAP (no privilege needed on current kernels).  handoff.c later
 * unmaps that heap and gives the program the brk the kernel would have.
 *
 * Constraints: no relocations have been applied, no TLS exists, IFUNCs are
 * unresolved.  Only PC-relative data access and raw system calls here; the
 * file is built without stack protector or sanitizers, and without
 * aggregate initialisers that the compiler could turn into memset calls. */
#include <elf.h>
#include <linux/prctl.h>
#include <sys/syscall.h>
#include "loader.h"

struct early_state ld_early;

extern const Elf64_Ehdr __ehdr_start __attribute__((visibility("hidden")));

static long early_syscall5(long nr, long a, long b, long c, long d, long e)
{
    register long r10 __asm__("r10") = d;
    register long r8 __asm__("r8") = e;
    long ret;
    __asm__ volatile("syscall"
                     : "=a"(ret)
                     : "a"(nr), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8)
                     : "rcx", "r11", "memory");
    return ret;
}

static uintptr_t str_end(const char *s)
{
    while (*s)
        s++;
    return (uintptr_t)s + 1;
}

/* The loader's code/data extents, as the kernel computes them for mm. */
static void image_extent(struct prctl_mm_map *m)
{
    uintptr_t bias = (uintptr_t)&__ehdr_start;
    const Elf64_Phdr *ph = (const Elf64_Phdr *)(bias + __ehdr_start.e_phoff);
    uintptr_t lo = ~0UL, hi = 0;

    m->start_code = ~0UL;
    m->end_code = 0;
    m->start_data = 0;
    m->end_data = 0;
    for (int i = 0; i < __ehdr_start.e_phnum; i++) {
        if (ph[i].p_type != PT_LOAD)
            continue;
        uintptr_t v = bias + ph[i].p_vaddr;
        if (v < lo)
            lo = v;
        if (v + ph[i].p_memsz > hi)
            hi = v + ph[i].p_memsz;
        if ((ph[i].p_flags & PF_X) && v < m->start_code)
            m->start_code = v;
        if ((ph[i].p_flags & PF_X) && v + ph[i].p_filesz > m->end_code)
            m->end_code = v + ph[i].p_filesz;
        if (v > m->start_data)
            m->start_data = v;
        if (v + ph[i].p_filesz > m->end_data)
            m->end_data = v + ph[i].p_filesz;
    }
    ld_early.image_lo = PAGE_DOWN(lo);
    ld_early.image_hi = PAGE_UP(hi);
}

void runsel_early(uintptr_t *sp)
{
    struct prctl_mm_map m;
    long argc = (long)sp[0];
    char **argv = (char **)(sp + 1);
    char **envp = argv + argc + 1;
    char **ep = envp;

    while (*ep)
        ep++;

    ld_early.sp = sp;
    if (argc < 1)           /* the kernel inserts "" for an empty argv; be safe */
        return;
    /* At exec, brk == start_brk: this is where the loader's heap begins
     * if the move below is refused. */
    ld_early.start_brk = (uintptr_t)early_syscall5(SYS_brk, 0, 0, 0, 0, 0);

    image_extent(&m);
    m.start_brk = ld_early.image_hi;
    m.brk = ld_early.image_hi;
    m.start_stack = (uintptr_t)sp;
    m.arg_start = (uintptr_t)argv[0];
    m.arg_end = str_end(argv[argc - 1]);
    m.env_start = envp[0] ? (uintptr_t)envp[0] : m.arg_end;
    m.env_end = ep > envp ? str_end(ep[-1]) : m.arg_end;
    m.auxv = 0;
    m.auxv_size = 0;
    m.exe_fd = (__u32)-1;
    if (early_syscall5(SYS_prctl, PR_SET_MM, PR_SET_MM_MAP, (long)&m, sizeof(m), 0) == 0) {
        ld_early.brk_moved = 1;
        ld_early.start_brk = ld_early.image_hi;
    }
}
