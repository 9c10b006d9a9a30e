/* handoff.c — give the process to the program.
 *
 * Everything the loader still has to do after its own code is gone runs
 * from one anonymous page (tramp.S): unmap the loader's image and heap, set
 * the mm fields the kernel would have set for the program with
 * PR_SET_MM_MAP (brk, code/data/arg/env ranges, the saved auxv behind
 * /proc/self/auxv and, where permitted, /proc/self/exe), close the program
 * fd, drop the loader's TLS pointer and robust list, and jump.  That one
 * page (named [anon:runsel-handoff] where the kernel supports VMA names) is
 * all that remains of the loader in the program's address space. */
#include <errno.h>
#include <linux/prctl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/rseq.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <asm/prctl.h>
#include "loader.h"

#ifndef PR_SET_VMA
#define PR_SET_VMA 0x53564d41
#define PR_SET_VMA_ANON_NAME 0
#endif

struct ho_op {
    long nr;
    long a[6];
    long flags;
};
#define HO_IF_FAILED 1L

extern const char runsel_tramp[], runsel_tramp_end[];
typedef void (*tramp_fn)(const struct ho_op *, long, uintptr_t, uintptr_t);

/* Layout of the handoff page. */
struct ho_page {
    char code[512];
    struct ho_op ops[12];
    struct prctl_mm_map map_exe, map_noexe;
    Elf64_auxv_t auxv[64];
};
_Static_assert(sizeof(struct ho_page) <= LD_PAGE, "handoff page overflows");

static long add_op(struct ho_page *pg, long n, long flags, long nr, long a0, long a1, long a2,
                   long a3)
{
    struct ho_op *op = &pg->ops[n];

    op->nr = nr;
    op->a[0] = a0;
    op->a[1] = a1;
    op->a[2] = a2;
    op->a[3] = a3;
    op->a[4] = op->a[5] = 0;
    op->flags = flags;
    return n + 1;
}

static void fill_mm_map(struct ho_page *pg, const struct handoff *h)
{
    struct prctl_mm_map *m = &pg->map_noexe;

    memset(m, 0, sizeof(*m));
    m->start_code = h->start_code;
    m->end_code = h->end_code;
    m->start_data = h->start_data;
    m->end_data = h->end_data;
    m->start_brk = h->start_brk;
    m->brk = h->start_brk;
    m->start_stack = h->final_sp;
    m->arg_start = h->arg_start;
    m->arg_end = h->arg_end;
    m->env_start = h->env_start;
    m->env_end = h->env_end;
    memcpy(pg->auxv, (char *)h->block + h->auxv_off, h->auxv_len);
    m->auxv = (__u64 *)pg->auxv;
    m->auxv_size = (__u32)h->auxv_len;
    m->exe_fd = (__u32)-1;
    pg->map_exe = *m;
    pg->map_exe.exe_fd = (__u32)h->exe_fd;
}

static long plan_ops(struct ho_page *pg, const struct handoff *h)
{
    long n = 0;
    uintptr_t cur_brk = (uintptr_t)syscall(SYS_brk, 0);

    n = add_op(pg, n, 0, SYS_munmap, (long)ld_early.image_lo,
               (long)(ld_early.image_hi - ld_early.image_lo), 0, 0);
    if (PAGE_UP(cur_brk) > ld_early.start_brk)
        n = add_op(pg, n, 0, SYS_munmap, (long)ld_early.start_brk,
                   (long)(PAGE_UP(cur_brk) - ld_early.start_brk), 0, 0);
    /* exe_fd needs CAP_CHECKPOINT_RESTORE or CAP_SYS_ADMIN in the user
     * namespace; without it, set everything else. */
    n = add_op(pg, n, 0, SYS_prctl, PR_SET_MM, PR_SET_MM_MAP, (long)&pg->map_exe,
               sizeof(pg->map_exe));
    n = add_op(pg, n, HO_IF_FAILED, SYS_prctl, PR_SET_MM, PR_SET_MM_MAP, (long)&pg->map_noexe,
               sizeof(pg->map_noexe));
    n = add_op(pg, n, 0, SYS_close, h->exe_fd, 0, 0, 0);
    n = add_op(pg, n, 0, SYS_set_robust_list, 0, 3 * sizeof(long), 0, 0);
    n = add_op(pg, n, 0, SYS_arch_prctl, ARCH_SET_FS, 0, 0, 0);
    return n;
}

/* glibc registered an rseq area inside the loader's TLS; the kernel would
 * write to it after it is unmapped.  Unregister it (the program's libc
 * registers its own). */
static void drop_rseq(void)
{
    if (__rseq_size == 0)
        return;
    void *area = (char *)__builtin_thread_pointer() + __rseq_offset;
    if (syscall(SYS_rseq, area, __rseq_size, RSEQ_FLAG_UNREGISTER, RSEQ_SIG) != 0)
        syscall(SYS_rseq, area, 32, RSEQ_FLAG_UNREGISTER, RSEQ_SIG);
}

int handoff(const struct handoff *h, struct ld_err *e)
{
    size_t code_len = (size_t)(runsel_tramp_end - runsel_tramp);
    struct ho_page *pg = mmap(NULL, LD_PAGE, PROT_READ | PROT_WRITE,
                              MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    long nops;

    if (pg == MAP_FAILED)
        return ld_fail(e, LD_EXIT_CANNOT, "cannot map handoff page (%s)", strerror(errno));
    if (code_len > sizeof(pg->code) || h->auxv_len > sizeof(pg->auxv))
        return ld_fail(e, LD_EXIT_CANNOT, "internal error: handoff page too small");
    memcpy(pg->code, runsel_tramp, code_len);
    fill_mm_map(pg, h);
    nops = plan_ops(pg, h);
    if (mprotect(pg, LD_PAGE, PROT_READ | PROT_EXEC) < 0)
        return ld_fail(e, LD_EXIT_CANNOT, "cannot protect handoff page (%s)", strerror(errno));
    prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME, (unsigned long)pg, LD_PAGE,
          (unsigned long)"runsel-handoff");

    /* Point of no return: from here on the loader's stack view is gone. */
    drop_rseq();
    memcpy((void *)h->final_sp, h->block, h->block_size);
    ((tramp_fn)(void *)pg->code)(pg->ops, nops, h->final_sp, h->entry);
    __builtin_unreachable();
}
