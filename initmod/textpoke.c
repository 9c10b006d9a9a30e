/* textpoke.c — writing program text that other threads may be running.
 *
 * The order is the kernel's text_poke_bp (arch/x86/kernel/alternative.c):
 * int3 on byte 0, every CPU running this process serializes (membarrier
 * PRIVATE_EXPEDITED_SYNC_CORE), the tail, serialize, byte 0, serialize.
 * A CPU may otherwise run a mix of old and new bytes of an instruction
 * changed under it (Intel SDM vol. 3A §8.1.3); a thread that reaches the
 * int3 meanwhile is sent back to the site by fastpath.c's SIGTRAP handler.
 *
 * The writes go through /proc/self/mem: it writes read-only text (FOLL_FORCE
 * makes the page a private copy), works under PR_SET_MDWE and leaves the
 * mapping's permissions alone.  The descriptor is opened for one patch
 * and closed after it: kept open it would name the parent's memory in a
 * forked child, and a program that closed it and reused the number would
 * have its own file written.  It must be procfs (fstatfs), not something
 * mounted over it.  Where /proc/self/mem cannot be opened: mprotect to
 * RWX around the write (refused under MDWE: the fast path turns off). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/mman.h>
#include "im.h"
#include "fastpath.h"

#define PROC_SUPER_MAGIC_ 0x9fa0
#define MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE_ 32
#define MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE_ 64

enum { WRITE_UNKNOWN, WRITE_PROCMEM, WRITE_MPROTECT, WRITE_NONE };
static int write_how;

int im_sync_cores_register(void)
{
    return im_sys(SYS_membarrier, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE_, 0, 0)
               ? -1
               : 0;
}

static int sync_cores(void)
{
    long r = im_sys(SYS_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE_, 0, 0);

    if (r == -EPERM && im_sync_cores_register() == 0)   /* a forked child's new memory */
        r = im_sys(SYS_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE_, 0, 0);
    return r == 0 ? 0 : -1;
}

static long open_mem(void)
{
    struct { long type; long rest[15]; } fs;
    long fd = im_sys(SYS_openat, AT_FDCWD, "/proc/self/mem", O_RDWR | O_CLOEXEC);

    if (fd < 0)
        return fd;
    if (im_sys(SYS_fstatfs, fd, &fs) || fs.type != PROC_SUPER_MAGIC_) {
        im_sys(SYS_close, fd);
        return -EACCES;
    }
    return fd;
}

int im_writer_open(struct im_writer *w)
{
    w->fd = -1;
    if (write_how == WRITE_UNKNOWN || write_how == WRITE_PROCMEM) {
        w->fd = open_mem();
        if (w->fd >= 0) {
            write_how = WRITE_PROCMEM;
            return 0;
        }
        if (write_how == WRITE_PROCMEM)
            return -1;              /* it worked before (out of fds?): not this time */
        write_how = WRITE_MPROTECT;
    }
    return write_how == WRITE_MPROTECT ? 0 : -1;
}

void im_writer_close(struct im_writer *w)
{
    if (w->fd >= 0)
        im_sys(SYS_close, w->fd);
    w->fd = -1;
}

static int write_mprotect(uintptr_t at, const void *buf, size_t n)
{
    uintptr_t lo = at & ~4095UL, hi = (at + n + 4095) & ~4095UL;

    if (im_sys(SYS_mprotect, lo, hi - lo, PROT_READ | PROT_WRITE | PROT_EXEC))
        return -1;
    memcpy((void *)at, buf, n);
    im_sys(SYS_mprotect, lo, hi - lo, PROT_READ | PROT_EXEC);
    return 0;
}

/* The distinct pages written: each became a private copy (the memory the
 * fast path costs: fp.pages, in the stats line). */
#define NPAGES_SEEN 256
static uintptr_t pages_seen[NPAGES_SEEN];

static void note_pages(uintptr_t at, size_t n)
{
    for (uintptr_t pg = at & ~4095UL; pg < at + n; pg += 4096) {
        int i;
        for (i = 0; i < fp.pages && i < NPAGES_SEEN; i++)
            if (pages_seen[i] == pg)
                break;
        if (i == fp.pages) {
            if (i < NPAGES_SEEN)
                pages_seen[i] = pg;
            fp.pages++;
        }
    }
}

int im_text_write(struct im_writer *w, uintptr_t at, const void *buf, size_t n)
{
    note_pages(at, n);
    if (w->fd >= 0)
        return im_sys(SYS_pwrite64, w->fd, buf, n, at) == (long)n ? 0 : -1;
    if (write_how != WRITE_MPROTECT || write_mprotect(at, buf, n)) {
        write_how = WRITE_NONE;     /* PR_SET_MDWE or a policy: no way to write text */
        fp.off = "nowrite";
        return -1;
    }
    return 0;
}

int im_poke5(struct im_writer *w, uintptr_t at, const unsigned char new[5])
{
    static const unsigned char int3 = 0xcc;

    if (im_text_write(w, at, &int3, 1))
        return -1;
    if (sync_cores() || im_text_write(w, at + 1, new + 1, 4) || sync_cores() ||
        im_text_write(w, at, new, 1) || sync_cores())
        return -2;
    return 0;
}
