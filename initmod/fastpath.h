/* fastpath.h — the fast path's parts (fastpath.c: which sites, when, the
 * SIGTRAP side; textpoke.c: writing text others may be running; cell.c:
 * the per-site code).  The entry a cell jumps to is fastentry.S. */
#ifndef RUNSEL_FASTPATH_H
#define RUNSEL_FASTPATH_H

#include <stdint.h>

#define IM_CELL 32                  /* bytes per cell; gate.S reserves IM_CELLS of them */
#define IM_CELLS 1024

/* The process's fast path: on, or why not; what it did (the stats line). */
struct im_fast {
    int on, stress;
    const char *off;                /* why it is off, NULL: it is not */
    long traps, patched, unpatched, refused;
    int cells;                      /* cells used */
    int pages;                      /* pages written (each now a private copy) */
};
extern struct im_fast fp;

/* textpoke.c: one patch's writes (a descriptor of /proc/self/mem, opened
 * for the patch and closed after it; -1: mprotect). */
struct im_writer {
    long fd;
};
int im_writer_open(struct im_writer *w);
void im_writer_close(struct im_writer *w);
int im_text_write(struct im_writer *w, uintptr_t at, const void *buf, size_t n);
/* The five bytes at at become new, in text_poke_bp's order: 0 done; -1
 * nothing changed; -2 an int3 was left at byte 0 (its tail may be new). */
int im_poke5(struct im_writer *w, uintptr_t at, const unsigned char new[5]);
int im_sync_cores_register(void);

/* cell.c: a cell for the site at (the mov's address) of call nr; with
 * dispatch, the call goes to the wrapper stack (fastentry.S), else it
 * runs natively from the cell.  The cell's index, or -1 (area full).
 * im_cell_near: an absolute jump to target placed within rel32 reach of
 * at (a page of such jumps mapped near it); its address, or 0. */
int im_cell_make(struct im_writer *w, uintptr_t at, uint32_t nr, int dispatch);
uintptr_t im_cell_addr(int cell);
uintptr_t im_cell_near(struct im_writer *w, uintptr_t at, uintptr_t target);
int im_fits_rel32(uintptr_t from, uintptr_t to);   /* a 5-byte jmp at from reaches to */

/* vma.c: the start of the ELF object holding at (its mapping of file
 * offset 0), if at lies in a private r-x mapping of a file; else 0. */
uintptr_t im_vma_object_base(uintptr_t at);

#endif
