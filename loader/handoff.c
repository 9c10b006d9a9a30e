/* handoff.c — give the process to the program.
 *
 * What is left to do once the loader's own code is gone runs from one
 * anonymous page (tramp.S): unmap the loader's image and scratch memory, set the mm fields the
 * kernel would have set for the program with PR_SET_MM_MAP (brk, code/data/
 * arg/env ranges, the saved auxv behind /proc/self/auxv and, where
 * permitted, /proc/self/exe — the kernel refuses to change exe while the
 * old file is still mapped, hence the order), close the program fd and
 * jump.  That one page (named [anon:runsel-handoff] where the kernel has
 * CONFIG_ANON_VMA_NAME) is all that remains of the loader. */
#include <linux/prctl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include "loader.h"
#include "supervised.h"
#include "sys.h"

#ifndef PR_SET_VMA
#define PR_SET_VMA 0x53564d41
#define PR_SET_VMA_ANON_NAME 0
#endif

struct ho_op {
    long nr;
    long a[6];
    long flags;
};
#define HO_IF_FAILED 1L   /* run only if the previous op that ran failed */

extern const char runsel_tramp[], runsel_tramp_end[];
typedef void (*tramp_fn)(const struct ho_op *, long, uintptr_t, uintptr_t, uintptr_t);

/* Layout of the handoff page.  The new stack block is built in the rest of
 * the page when it fits (it usually does): one page fault fewer per exec. */
struct ho_page {
    char code[256];
    struct ho_op ops[8];
    struct prctl_mm_map map_exe, map_noexe;
    Elf64_auxv_t auxv[64];
    uintptr_t block[];
};
#define HO_BLOCK_ROOM (LD_PAGE - sizeof(struct ho_page))
_Static_assert(sizeof(struct ho_page) < LD_PAGE / 2, "handoff page overflows");

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

    n = add_op(pg, n, 0, SYS_munmap, (long)h->self.lo, (long)(h->self.hi - h->self.lo), 0, 0);
    if (h->block != pg->block)
        n = add_op(pg, n, 0, SYS_munmap, (long)h->block, (long)PAGE_UP(h->block_size), 0, 0);
    /* exe_fd needs CAP_CHECKPOINT_RESTORE or CAP_SYS_ADMIN in the user
     * namespace; without it, set everything else. */
    n = add_op(pg, n, 0, SYS_prctl, PR_SET_MM, PR_SET_MM_MAP, (long)&pg->map_exe,
               sizeof(pg->map_exe));
    n = add_op(pg, n, HO_IF_FAILED, SYS_prctl, PR_SET_MM, PR_SET_MM_MAP, (long)&pg->map_noexe,
               sizeof(pg->map_noexe));
    n = add_op(pg, n, 0, SYS_close, h->exe_fd, 0, 0, 0);
    if (h->held)                /* the program starts now: its supervisor's wrappers first */
        n = add_op(pg, n, 0, SYS_prctl, RS_PRCTL_SUPERVISED, RS_HELD_GO, (long)h->final_sp, 0);
    return n;
}

int handoff_begin(struct handoff *h, size_t block_size, struct ld_err *e)
{
    struct ho_page *pg = sys_mmap(NULL, LD_PAGE, PROT_READ | PROT_WRITE,
                                  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

    if (rs_is_err((long)pg))
        return ld_fail(e, LD_EXIT_CANNOT, "cannot map handoff page (%s)",
                       ld_strerror((int)-(long)pg));
    h->page = pg;
    h->block_size = block_size;
    if (block_size <= HO_BLOCK_ROOM) {
        h->block = pg->block;
        return 0;
    }
    h->block = sys_mmap(NULL, PAGE_UP(block_size), PROT_READ | PROT_WRITE,
                        MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (rs_is_err((long)h->block))
        return ld_fail(e, LD_EXIT_CANNOT, "out of memory");
    return 0;
}

int handoff(const struct handoff *h, struct ld_err *e)
{
    size_t code_len = (size_t)(runsel_tramp_end - runsel_tramp);
    struct ho_page *pg = h->page;
    long nops, r;

    if (code_len > sizeof(pg->code) || h->auxv_len > sizeof(pg->auxv))
        return ld_fail(e, LD_EXIT_CANNOT, "internal error: handoff page too small");
    memcpy(pg->code, runsel_tramp, code_len);
    fill_mm_map(pg, h);
    nops = plan_ops(pg, h);
    r = sys3(SYS_mprotect, pg, LD_PAGE, PROT_READ | PROT_EXEC);
    if (rs_is_err(r))
        return ld_fail(e, LD_EXIT_CANNOT, "cannot protect handoff page (%s)",
                       ld_strerror((int)-r));
    sys5(SYS_prctl, PR_SET_VMA, PR_SET_VMA_ANON_NAME, pg, LD_PAGE, "runsel-handoff");

    /* Point of no return: the block overwrites the loader's view of argv. */
    memmove((void *)h->final_sp, h->block, h->block_size);
    ((tramp_fn)(void *)pg->code)(pg->ops, nops, h->final_sp, h->entry, h->boot);
    __builtin_unreachable();
}
