/* cell.c — the per-site code a patched site jumps to, in gate.S's cell
 * area (inside the backends' exempt range, so a call made from a cell
 * runs natively).  A cell, for the site at A of call nr:
 *
 *   no wrapper takes nr (native):     a wrapper takes nr (dispatch):
 *     mov  $nr, %eax                    movabs $A+7, %rcx
 *     syscall                           mov  $nr, %eax
 *     jmp  *0(%rip); .quad A+7          jmp  *0(%rip); .quad rs_fast_entry
 *
 * Neither touches the stack or the flags; the native one leaves every
 * register as the program's own syscall would, the dispatching one hands
 * fastentry.S what a native syscall would have left (%rcx = A+7).  Both
 * jump absolutely (the cell area may be far from the site), so a cell's
 * bytes do not depend on where it is: one with the same bytes is reused.
 * A site more than 2 GiB away from its cell (a non-PIE program at
 * 0x400000, runsel near the top) jumps through a near page: a page mapped
 * within reach of the site holding `jmp *0(%rip); .quad CELL` entries.
 * Cells and near pages are never freed: a thread may still be in one
 * after its site was restored (stress mode). */
#define _GNU_SOURCE
#include <sys/mman.h>
#include "im.h"
#include "fastpath.h"

extern const char rs_cells[], rs_cells_end[], rs_fast_entry[];

_Static_assert(IM_CELL * IM_CELLS == 32768, "gate.S reserves 1024 * 32 bytes");

uintptr_t im_cell_addr(int cell)
{
    return (uintptr_t)rs_cells + (uintptr_t)cell * IM_CELL;
}

int im_fits_rel32(uintptr_t from, uintptr_t to)
{
    long d = (long)(to - (from + 5));

    return d == (long)(int32_t)d;
}

static unsigned char *put(unsigned char *p, const void *v, size_t n)
{
    memcpy(p, v, n);
    return p + n;
}

/* jmp *0(%rip) followed by the absolute target. */
static unsigned char *put_abs_jmp(unsigned char *p, uint64_t to)
{
    static const unsigned char jmp[6] = {0xff, 0x25, 0, 0, 0, 0};

    return put(put(p, jmp, 6), &to, 8);
}

int im_cell_make(struct im_writer *w, uintptr_t at, uint32_t nr, int dispatch)
{
    unsigned char code[IM_CELL], *p = code;
    uint64_t back = at + 7;
    uintptr_t cell;

    cell = im_cell_addr(fp.cells);
    memset(code, 0xcc, sizeof(code));
    if (dispatch) {
        static const unsigned char movabs_rcx[2] = {0x48, 0xb9};
        p = put(put(p, movabs_rcx, 2), &back, 8);
        *p++ = 0xb8;
        p = put(p, &nr, 4);
        p = put_abs_jmp(p, (uintptr_t)rs_fast_entry);
    } else {
        static const unsigned char syscall_insn[2] = {0x0f, 0x05};
        *p++ = 0xb8;
        p = put(p, &nr, 4);
        p = put(p, syscall_insn, 2);
        p = put_abs_jmp(p, back);
    }
    /* A site seen again with the same call (its library unloaded and
     * loaded at the same address, or one that alternates between two
     * libraries) reuses its cell: the code depends on nothing else. */
    for (int i = 0; i < fp.cells; i++)
        if (!memcmp((const void *)im_cell_addr(i), code, sizeof(code)))
            return i;
    if (fp.cells == IM_CELLS || im_text_write(w, cell, code, sizeof(code)))
        return -1;
    return fp.cells++;
}

/* ---- near pages ---- */

#define NEAR_PAGES 32
#define NEAR_SLOT 16
#define MAP_FIXED_NOREPLACE_ 0x100000
#define USER_TOP ((1UL << 47) - 4096)   /* 4-level paging: what mmap hands out without a hint above */

static struct {
    uintptr_t page;
    int used;
} nears[NEAR_PAGES];
static int nnears;

static uintptr_t map_near(uintptr_t at)
{
    uintptr_t page = at & ~4095UL;

    /* Outwards from the site in 64 MiB steps, below first. */
    for (long k = 1; k < 30; k++) {
        for (int side = -1; side <= 1; side += 2) {
            uintptr_t hint = page + (uintptr_t)(side * k * (64L << 20));
            if (hint < (1UL << 20) || hint >= USER_TOP)
                continue;
            long r = im_sys(SYS_mmap, hint, 4096, PROT_READ | PROT_EXEC,
                            MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE_, -1, 0);
            if (rs_is_err(r))
                continue;
            if ((uintptr_t)r == hint)
                return hint;
            im_sys(SYS_munmap, r, 4096);   /* a kernel that took the flag for a hint */
        }
    }
    return 0;
}

uintptr_t im_cell_near(struct im_writer *w, uintptr_t at, uintptr_t target)
{
    unsigned char code[NEAR_SLOT];
    int i;

    for (i = 0; i < nnears; i++)
        if (nears[i].used < 4096 / NEAR_SLOT &&
            im_fits_rel32(at, nears[i].page + (uintptr_t)nears[i].used * NEAR_SLOT))
            break;
    if (i == nnears) {
        if (nnears == NEAR_PAGES || !(nears[i].page = map_near(at)))
            return 0;
        nears[i].used = 0;
        nnears++;
    }
    uintptr_t slot = nears[i].page + (uintptr_t)nears[i].used * NEAR_SLOT;
    memset(code, 0xcc, sizeof(code));
    put_abs_jmp(code, target);
    if (!im_fits_rel32(at, slot) || im_text_write(w, slot, code, sizeof(code)))
        return 0;
    nears[i].used++;
    return slot;
}
