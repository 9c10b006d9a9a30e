/* pin.c — the pinned argument area of placement=process (rs_pin_arg).
 *
 * A wrapper that judges a copy of a path must hand the kernel the bytes it
 * judged.  In process it passes a pointer to its copy; from a supervisor
 * the copy must be in the program's memory, and any page the program can
 * write, another of its threads can rewrite between the check and the
 * kernel's read (the TOCTOU seccomp(2) warns of).  So every image a worker
 * serves gets, before its first instruction, an area no thread of the
 * program can change:
 *
 *   - mapped read-only, private and anonymous at sv_pin_base, the same
 *     address in every process of the run (chosen at random per run, in a
 *     4 GiB-aligned slot far from where the kernel puts mappings), by a
 *     call the master makes the new image's thread run at its exec (from a
 *     syscall instruction of the vDSO) before the program runs;
 *   - written by the master alone, through /proc/PID/mem (the tracer's
 *     forced write: the page stays read-only to the program), one slot of
 *     SV_PIN_SLOT bytes per thread, reused at its next call;
 *   - kept out of the program's reach by the filter: mmap, mprotect,
 *     pkey_mprotect, munmap, mremap, madvise, mseal, remap_file_pages and
 *     shmat stop at the master when their range could touch the slot
 *     (the 4 GiB around it, or a length of 4 GiB or more: a cheap test in
 *     BPF, exact here), and those that touch the area fail with EPERM;
 *     userfaultfd stops too and fails (a fault handler of the program's
 *     could stall the master's write).  A fork copies the area, read-only;
 *     /proc/self/mem is a path the sandbox judges; process_vm_writev
 *     respects the protection.
 * Calls the program makes anywhere else never stop for this. */
#define _GNU_SOURCE
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/shm.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "auxv.h"
#include "pin.h"

#ifndef SYS_mseal
#define SYS_mseal 462
#endif
#ifndef MREMAP_FIXED
#define MREMAP_FIXED 2
#endif
#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif
#define HI_MASK 0xffffffff00000000ULL

uint64_t sv_pin_base;

/* A 4 GiB-aligned slot between 16 TiB and 80 TiB: below the kernel's
 * mmap base (near 128 TiB), above any PIE or brk. */
void sv_pin_choose(void)
{
    uint32_t r = 0;

    if (getrandom(&r, sizeof(r), 0) != (ssize_t)sizeof(r))
        r = (uint32_t)getpid() * 2654435761u;
    sv_pin_base = (uint64_t)(0x1000 + r % 0x4000) << 32;
}

/* ---- the filter's part: the calls whose range may touch the slot */
struct mm_call {
    int nr, addr, len;          /* argument indexes; len -1: none */
    int addr2, len2;            /* mremap's new range */
};

static const struct mm_call mm_calls[] = {
    {SYS_mmap, 0, 1, -1, -1},          {SYS_munmap, 0, 1, -1, -1},
    {SYS_mprotect, 0, 1, -1, -1},      {SYS_pkey_mprotect, 0, 1, -1, -1},
    {SYS_madvise, 0, 1, -1, -1},       {SYS_mremap, 0, 1, 4, 2},
    {SYS_remap_file_pages, 0, 1, -1, -1}, {SYS_mseal, 0, 1, -1, -1},
    {SYS_shmat, 1, -1, -1, -1},
};

static int rule_near(scmp_filter_ctx ctx, int nr, int arg)
{
    uint64_t hi = sv_pin_base & HI_MASK;
    int r = seccomp_rule_add(ctx, SCMP_ACT_TRACE(0), nr, 1,
                             SCMP_CMP((unsigned)arg, SCMP_CMP_MASKED_EQ, HI_MASK, hi));
    if (!r)
        r = seccomp_rule_add(ctx, SCMP_ACT_TRACE(0), nr, 1,
                             SCMP_CMP((unsigned)arg, SCMP_CMP_MASKED_EQ, HI_MASK, hi - (1ULL << 32)));
    return r;
}

static int rule_long(scmp_filter_ctx ctx, int nr, int arg)
{
    return seccomp_rule_add(ctx, SCMP_ACT_TRACE(0), nr, 1,
                            SCMP_CMP((unsigned)arg, SCMP_CMP_GT, 0xffffffffULL));
}

int sv_pin_rules(scmp_filter_ctx ctx, const unsigned char *wants, int any)
{
    int r = 0;

    if (any)
        return 0;                   /* every call stops already */
    for (size_t i = 0; i < sizeof(mm_calls) / sizeof(mm_calls[0]) && !r; i++) {
        const struct mm_call *m = &mm_calls[i];
        if (wants[m->nr])
            continue;
        r = rule_near(ctx, m->nr, m->addr);
        if (!r && m->len >= 0)
            r = rule_long(ctx, m->nr, m->len);
        if (!r && m->addr2 >= 0)
            r = rule_near(ctx, m->nr, m->addr2);
        if (!r && m->len2 >= 0)
            r = rule_long(ctx, m->nr, m->len2);
    }
    if (!r && !wants[SYS_userfaultfd])
        r = seccomp_rule_add(ctx, SCMP_ACT_TRACE(0), SYS_userfaultfd, 0);
    return r;
}

/* ---- the master's exact test */
static int overlaps(uint64_t addr, uint64_t len)
{
    uint64_t end = addr + ((len + 4095) & ~4095ULL);

    if (!len)
        return 0;
    return end < addr || (addr < sv_pin_base + SV_PIN_SIZE && end > sv_pin_base);
}

int sv_pin_touches(long nr, const int64_t *a)
{
    const uint64_t *u = (const uint64_t *)a;

    if (!sv_pin_base)
        return 0;
    switch (nr) {
    case SYS_mmap:
        return (u[3] & MAP_FIXED) && overlaps(u[0], u[1]);
    case SYS_munmap: case SYS_mprotect: case SYS_pkey_mprotect: case SYS_madvise:
    case SYS_remap_file_pages: case SYS_mseal:
        return overlaps(u[0], u[1]);
    case SYS_mremap:
        return overlaps(u[0], u[1]) || ((u[3] & MREMAP_FIXED) && overlaps(u[4], u[2]));
    case SYS_shmat:      /* the segment's size is not in the call: 4 GiB either side */
        return (u[2] & SHM_REMAP) && u[1] < sv_pin_base + SV_PIN_SIZE + (1ULL << 32) &&
               u[1] + (1ULL << 32) > sv_pin_base;
    case SYS_userfaultfd:
        return 1;
    }
    return 0;
}

/* ---- making the area in a new image */

/* The address of two bytes 0f 05 (syscall) in pid's vDSO: the kernel's own
 * code, mapped in every image; the thread runs that one instruction and
 * stops at its exit.  The offset is the same in every process (one vDSO
 * per kernel): found once.  0 if none. */
uint64_t sv_pin_gadget(int memfd, pid_t pid)
{
    static long offset = -1;
    uint64_t base = 0;
    unsigned char text[16384];

    if (!sv_auxv(pid, AT_SYSINFO_EHDR, &base) || !base)
        return 0;
    if (offset < 0) {
        ssize_t n = pread(memfd, text, sizeof(text), (off_t)base);
        if (n <= 0)
            n = pread(memfd, text, 8192, (off_t)base);
        for (ssize_t i = 0; i + 1 < n; i++)
            if (text[i] == 0x0f && text[i + 1] == 0x05) {
                offset = i;
                break;
            }
        if (offset < 0)
            return 0;
    }
    return base + (uint64_t)offset;
}

/* The injected call's arguments: mmap(sv_pin_base, SV_PIN_SIZE, PROT_READ,
 * MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE, -1, 0) — never over a
 * mapping of the program's. */
void sv_pin_mmap_args(long a[6])
{
    a[0] = (long)sv_pin_base;
    a[1] = (long)SV_PIN_SIZE;
    a[2] = PROT_READ;
    a[3] = MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE;
    a[4] = -1;
    a[5] = 0;
}

/* The slot of thread slot, at offset off: n bytes written through the
 * process's /proc/PID/mem (memfd, the master's, as its tracer).  The
 * address, or 0. */
uint64_t sv_pin_write(int memfd, int slot, size_t off, const void *data, size_t n)
{
    uint64_t at = sv_pin_base + (uint64_t)slot * SV_PIN_SLOT + off;

    if (slot < 0 || slot >= SV_PIN_SLOTS || off + n > SV_PIN_SLOT)
        return 0;
    return pwrite(memfd, data, n, (off_t)at) == (ssize_t)n ? at : 0;
}
