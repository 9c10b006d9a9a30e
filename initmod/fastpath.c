/* fastpath.c — the rewriting fast path: a system call site that keeps
 * trapping becomes a direct entry (ARCHITECTURE.md, "The fast path").
 *
 * The backend stays armed and exhaustive: SUD still stops every call made
 * outside the exempt range.  A trap tells us where a call came from
 * (the address after its `syscall`); on a site's second trap, if the
 * seven bytes there are `b8 imm32 0f 05` with imm32 the trapped number,
 * the `mov` is proven to be an instruction of its own (siteproof.c) and
 * the site lies in a file-backed r-xp mapping that is not runsel's, the
 * five bytes of the `mov` become `jmp rel32` to a cell of per-site code in
 * the exempt range (gate.S's cell area, cell.c says what a cell holds).
 * The `0f 05` stays: a jump straight to the old `syscall` still traps.
 *
 * Cross-modifying code other threads may be running follows the kernel's
 * text_poke_bp: int3 on byte 0, sync every CPU running this process
 * (membarrier SYNC_CORE), the tail, sync, byte 0, sync.  A thread that
 * reaches the int3 meanwhile takes SIGTRAP; on_sigtrap sends it back to
 * the site, which it runs again once the patch is whole.  Text is written
 * through /proc/self/mem (it works under PR_SET_MDWE and needs no
 * mprotect), else with mprotect; where neither is allowed the fast path
 * turns itself off, never the interception.  Nothing is patched while the
 * process is ptraced (a debugger would see runsel's int3 as its own).
 *
 * The site table and the cells live in this process's memory: a forked
 * child inherits both with the patched text; exec starts fresh. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/ucontext.h>
#include "im.h"
#include "fastpath.h"
#include "handled.h"
#include "insn.h"

#define NSITES 4096                 /* power of two */
#define PROBES 32
#define PATCH_AT 2                  /* the trap that patches: one-shot calls stay as they are */
/* A process's first traps patch nothing.  A patch costs some 30 µs (the
 * proof, two /proc files, five writes, three syncs), a trap 3-4 µs: the
 * dynamic linker's start-up traps 20-30 times, mostly from sites it
 * uses again only then, so patching them makes a short-lived program
 * slower (exec+exit of `true`: +0.2 ms).  Sites that keep trapping after
 * the start-up are patched on their second trap from then on. */
#define WARM_TRAPS 48

enum { SITE_SEEN = 1, SITE_BUSY, SITE_PATCHED, SITE_NEVER };

struct site {
    uintptr_t at;                   /* the mov's address; 0: free */
    int state;
    int traps;
    uint32_t nr;
    int cell;                       /* its cell, once it has one; -1: none */
    int poked;                      /* runsel has written here: an int3 here may be ours */
    uintptr_t target;               /* where its jmp goes, once patched */
    int stuck;                      /* a patch failed half way: the int3 stays */
};

static struct site sites[NSITES];
static int patch_lock;              /* one patcher at a time; others carry on trapping */
static int next_unpatch;            /* stress mode's round robin */

struct im_fast fp;

static unsigned long site_hash(uintptr_t at)
{
    return (unsigned long)(at * 0x9e3779b97f4a7c15ULL >> 40);
}

static struct site *site_find(uintptr_t at)
{
    for (int i = 0; i < PROBES; i++) {
        struct site *s = &sites[(site_hash(at) + (unsigned long)i) & (NSITES - 1)];
        uintptr_t a = __atomic_load_n(&s->at, __ATOMIC_ACQUIRE);
        if (a == at)
            return s;
        if (a == 0)
            return NULL;
    }
    return NULL;
}

static struct site *site_note(uintptr_t at, uint32_t nr)
{
    for (int i = 0; i < PROBES; i++) {
        struct site *s = &sites[(site_hash(at) + (unsigned long)i) & (NSITES - 1)];
        uintptr_t a = __atomic_load_n(&s->at, __ATOMIC_ACQUIRE);
        if (a == 0 && __atomic_compare_exchange_n(&s->at, &a, at, 0, __ATOMIC_ACQ_REL,
                                                  __ATOMIC_ACQUIRE)) {
            s->nr = nr;
            s->cell = -1;
            __atomic_store_n(&s->state, SITE_SEEN, __ATOMIC_RELEASE);
            return s;
        }
        if (a == at)
            return s;
    }
    return NULL;                    /* table full there: the site keeps trapping */
}

/* May a call with this number go through a cell?  Not those whose
 * handling needs the backend's frame of the call (handled.h: IM_TRAP). */
static int patchable(uint32_t nr)
{
    switch (nr) {
#define FP_ROW(n, handler, backends, fast) \
    case n:                                \
        return (fast) == IM_FAST;
    IM_HANDLED(FP_ROW)
#undef FP_ROW
    }
    return nr < RS_NSYS;
}

static int inside_runsel(uintptr_t a)
{
    if (a >= im.boot->init_lo && a < im.boot->init_hi)
        return 1;
    for (int i = 0; i < im.nwrappers; i++)
        if (a >= im.boot->w[i].lo && a < im.boot->w[i].hi)
            return 1;
    return 0;
}

/* ---- checks before patching ------------------------------------------ */

/* TracerPid in /proc/self/status: 0 unless a debugger or tracer holds us. */
static int read_tracer(void)
{
    static const char key[] = "\nTracerPid:\t";
    char buf[1024];
    long fd = im_sys(SYS_openat, AT_FDCWD, "/proc/self/status", O_RDONLY | O_CLOEXEC), n;

    if (fd < 0)
        return 1;                   /* cannot tell: assume so */
    n = im_sys(SYS_read, fd, buf, sizeof(buf) - 1);
    im_sys(SYS_close, fd);
    if (n <= 0)
        return 1;
    buf[n] = 0;
    for (long i = 0; i + (long)sizeof(key) < n; i++)
        if (!memcmp(buf + i, key, sizeof(key) - 1))
            return buf[i + sizeof(key) - 1] != '0';
    return 1;
}

/* The status file costs some 20 µs to generate, more than the rest of a
 * patch: asked once per process (a forked child is asked again: strace -f
 * and gdb's follow-fork trace children from their start).  A tracer that
 * attaches later finds the jumps already written and no int3 of ours
 * unless it attaches in the middle of a patch. */
static long untraced_pid;

static int ptraced(void)
{
    long pid = im_sys(SYS_getpid);

    if (pid == untraced_pid)
        return 0;
    if (read_tracer())
        return 1;
    untraced_pid = pid;
    return 0;
}

static int read_program(void *dst, uintptr_t src, size_t n)
{
    return rs_copy_in(dst, (const void *)src, n) == (long)n ? 0 : -1;
}

/* The five bytes of a site: `mov $nr,%eax` as built, `jmp rel32` to a
 * cell once patched. */
static void mov_bytes(uint32_t nr, unsigned char out[5])
{
    out[0] = 0xb8;
    memcpy(out + 1, &nr, 4);
}

static void jmp_bytes(uintptr_t at, uintptr_t to, unsigned char out[5])
{
    int32_t rel = (int32_t)(to - (at + 5));

    out[0] = 0xe9;
    memcpy(out + 1, &rel, 4);
}

/* The seven bytes at at are `mov $nr,%eax; syscall`. */
static int is_mov_syscall(uintptr_t at, uint32_t nr)
{
    unsigned char want[7] = {[5] = 0x0f, [6] = 0x05}, b[7];

    mov_bytes(nr, want);
    return read_program(b, at, 7) == 0 && !memcmp(b, want, 7);
}

/* The boundary proof makes dozens of small reads (ELF and program
 * headers, .eh_frame_hdr's table, an FDE and its CIE, the function's
 * bytes), each a system call or two: through a cache of a few whole pages
 * for the one proof, they take a handful.  A page that cannot be read
 * whole is read piece by piece as asked. */
#define RC_PAGES 4
struct read_cache {
    uintptr_t page[RC_PAGES];
    int loaded;
    unsigned char data[RC_PAGES][4096];
};
static struct read_cache *proof_cache;   /* during a proof, under the patch lock */

static const unsigned char *cached_page(uintptr_t page)
{
    struct read_cache *c = proof_cache;
    int i;

    for (i = 0; i < c->loaded; i++)
        if (c->page[i] == page)
            return c->data[i];
    i = c->loaded < RC_PAGES ? c->loaded++ : (int)(page / 4096 % RC_PAGES);
    c->page[i] = 0;
    if (read_program(c->data[i], page, 4096))
        return NULL;
    c->page[i] = page;
    return c->data[i];
}

static int cached_read(void *dst, uintptr_t src, size_t n)
{
    unsigned char *d = dst;

    while (n) {
        uintptr_t page = src & ~4095UL;
        size_t off = src - page, k = 4096 - off < n ? 4096 - off : n;
        const unsigned char *p = page ? cached_page(page) : NULL;
        if (p)
            memcpy(d, p + off, k);
        else if (read_program(d, src, k))
            return -1;
        d += k;
        src += k;
        n -= k;
    }
    return 0;
}

static int site_provable(uintptr_t at, uint32_t nr)
{
    struct read_cache cache;
    uintptr_t base;
    int r;

    if (inside_runsel(at) || !is_mov_syscall(at, nr))
        return 0;
    base = im_vma_object_base(at);
    if (!base)
        return 0;
    cache.loaded = 0;
    proof_cache = &cache;
    r = im_insn_boundary(base, at, cached_read);
    proof_cache = NULL;
    return r;
}

/* ---- patching ---------------------------------------------------------- */

static void refuse(struct site *s)
{
    __atomic_store_n(&s->state, SITE_NEVER, __ATOMIC_RELEASE);
    __atomic_add_fetch(&fp.refused, 1, __ATOMIC_RELAXED);
}

/* Where the site's jmp goes: its cell, or a near page's jump to it. */
static uintptr_t jump_target(struct im_writer *w, struct site *s)
{
    uintptr_t cell;

    if (s->cell < 0)
        s->cell = im_cell_make(w, s->at, s->nr, im_takes(s->nr));
    if (s->cell < 0)
        return 0;
    cell = im_cell_addr(s->cell);
    return im_fits_rel32(s->at, cell) ? cell : im_cell_near(w, s->at, cell);
}

/* The site's five bytes become new (textpoke.c's protocol; w is closed
 * after) and the record done, counted in *count; a write that failed
 * leaves the site refused (stuck, if its int3 stayed: on_sigtrap then
 * does the mov). */
static void rewrite(struct site *s, struct im_writer *w, const unsigned char new[5], int done,
                    long *count)
{
    int r;

    s->poked = 1;
    __atomic_store_n(&s->state, SITE_BUSY, __ATOMIC_RELEASE);
    r = im_poke5(w, s->at, new);
    im_writer_close(w);
    if (r == 0) {
        __atomic_store_n(&s->state, done, __ATOMIC_RELEASE);
        __atomic_add_fetch(count, 1, __ATOMIC_RELAXED);
        return;
    }
    s->stuck = r == -2;
    refuse(s);
}

static void patch(struct site *s)
{
    struct im_writer w;
    unsigned char j[5];
    uintptr_t target;

    if (ptraced()) {
        fp.off = "ptraced";         /* for good: a debugger would take our int3 for its own */
        return;
    }
    if (!site_provable(s->at, s->nr))
        return refuse(s);
    if (im_writer_open(&w))
        return;                     /* perhaps next time */
    target = jump_target(&w, s);
    if (!target) {
        im_writer_close(&w);
        return refuse(s);
    }
    s->target = target;
    jmp_bytes(s->at, target, j);
    rewrite(s, &w, j, SITE_PATCHED, &fp.patched);
}

/* A record that no longer describes what is at its address: its object
 * was unmapped and another (or the same) mapped there again (dlclose,
 * dlopen) — a patched site trapping with a mov in place of our jump, or
 * any site trapping with a mov of another number. */
static int stale(const struct site *s, uint32_t nr)
{
    int st = __atomic_load_n(&s->state, __ATOMIC_ACQUIRE);

    if (st == SITE_BUSY || (st != SITE_PATCHED && s->nr == nr))
        return 0;
    return is_mov_syscall(s->at, nr);
}

/* Learn it again, as a new site of call nr (under the patch lock: stress
 * mode may be restoring this very record). */
static void forget(struct site *s, uint32_t nr)
{
    if (__atomic_exchange_n(&patch_lock, 1, __ATOMIC_ACQUIRE))
        return;
    if (stale(s, nr)) {
        if (s->nr != nr)
            s->cell = -1;           /* its cell makes the old call */
        s->nr = nr;
        s->traps = 0;
        s->poked = 0;
        s->stuck = 0;
        __atomic_store_n(&s->state, SITE_SEEN, __ATOMIC_RELEASE);
    }
    __atomic_store_n(&patch_lock, 0, __ATOMIC_RELEASE);
}

/* The site's bytes are still the jump runsel wrote to target. */
static int holds_our_jump(const struct site *s)
{
    unsigned char want[5], b[5];

    jmp_bytes(s->at, s->target, want);
    return read_program(b, s->at, 5) == 0 && !memcmp(b, want, 5);
}

/* Stress mode: put the original bytes of the next patched site back. */
static void unpatch_one(void)
{
    struct im_writer w;

    for (int k = 0; k < NSITES; k++) {
        struct site *s = &sites[(next_unpatch + k) & (NSITES - 1)];
        if (__atomic_load_n(&s->state, __ATOMIC_ACQUIRE) != SITE_PATCHED)
            continue;
        next_unpatch = (next_unpatch + k + 1) & (NSITES - 1);
        if (!holds_our_jump(s)) {   /* its object is gone: never write there */
            s->poked = 0;
            refuse(s);
            return;
        }
        unsigned char orig[5];
        mov_bytes(s->nr, orig);
        if (im_writer_open(&w))
            return;
        s->traps = 0;               /* learnt again from its next traps */
        rewrite(s, &w, orig, SITE_SEEN, &fp.unpatched);
        return;
    }
}

/* Patching needs some 30 KiB of stack (the proof's page cache): only on
 * runsel's own stack, never where a SIGSYS had to be handled on the
 * program's (a small alternate stack: Rust's is 8 KiB). */
static int room_to_patch(void)
{
    struct im_sigstack r;
    const char *sp = __builtin_frame_address(0);

    return im_sigstack_mine(&r) && sp > r.lo + 65536 && sp <= r.hi;
}

/* A call trapped; after is the address after its syscall instruction. */
void im_fast_trap(uintptr_t after, long nr)
{
    uintptr_t at = after - 7;
    uint64_t all = ~0ULL, old;
    struct site *s;
    int due;

    long traps = __atomic_add_fetch(&fp.traps, 1, __ATOMIC_RELAXED);
    if (!fp.on || fp.off || nr < 0 || nr >= RS_NSYS || !patchable((uint32_t)nr) || after < 7)
        return;
    if (!(s = site_find(at)) && !(s = site_note(at, (uint32_t)nr)))
        return;
    if (stale(s, (uint32_t)nr))
        forget(s, (uint32_t)nr);    /* unmapped and mapped again: a new site */
    due = s->nr == (uint32_t)nr && __atomic_add_fetch(&s->traps, 1, __ATOMIC_RELAXED) >= PATCH_AT &&
          traps > WARM_TRAPS && __atomic_load_n(&s->state, __ATOMIC_ACQUIRE) == SITE_SEEN;
    if ((!due && !fp.stress) || !room_to_patch() ||
        __atomic_exchange_n(&patch_lock, 1, __ATOMIC_ACQUIRE))
        return;                     /* nothing to do, or another thread patches: carry on */
    /* No signal handler of the program may run in this thread while a
     * site is half written: one that reached the site would wait for the
     * patch forever (its int3 sends it back until the patcher, which it
     * interrupted, finishes). */
    im_sys(SYS_rt_sigprocmask, SIG_SETMASK, &all, &old, sizeof(all));
    if (fp.stress)
        unpatch_one();
    if (due && __atomic_load_n(&s->state, __ATOMIC_ACQUIRE) == SITE_SEEN && !fp.off)
        patch(s);
    __atomic_store_n(&patch_lock, 0, __ATOMIC_RELEASE);
    im_sys(SYS_rt_sigprocmask, SIG_SETMASK, &old, 0, sizeof(old));
}

/* In a forked child: the thread that was patching is not here.  A site
 * it left half written keeps the int3 it may hold (stuck: on_sigtrap
 * performs the mov), and the lock is free again. */
void im_fast_atfork(void)
{
    if (!__atomic_load_n(&patch_lock, __ATOMIC_ACQUIRE))
        return;
    for (int i = 0; i < NSITES; i++)
        if (sites[i].at && sites[i].state == SITE_BUSY) {
            sites[i].stuck = 1;
            sites[i].state = SITE_NEVER;
        }
    __atomic_store_n(&patch_lock, 0, __ATOMIC_RELEASE);
}

/* ---- SIGTRAP ------------------------------------------------------------ */

#define SI_KERNEL_ 0x80

/* An int3 of ours: byte 0 of a site being patched or restored, or one
 * just finished (the thread took the trap before the last write).  As
 * the kernel's text_poke_bp handler does, the instruction the site holds
 * now is emulated rather than run again: the thread moves on even where
 * the CPU (or an emulator) keeps executing the stale int3 for a while.
 *   `mov $imm32,%eax` (the original, or restored): %rax = imm32, on to
 *                     the syscall after it, which was never touched;
 *   `jmp rel32` (patched): on to its target;
 *   int3 (the patch is being written): wait a little and try again;
 *   int3 left by a patch that failed half way (stuck): do the mov. */
static int own_int3(const siginfo_t *si, ucontext_t *uc)
{
    greg_t *g = uc->uc_mcontext.gregs;
    uintptr_t at = (uintptr_t)g[REG_RIP] - 1;
    unsigned char b[5];
    uint32_t imm;
    struct site *s;

    if (si->si_code != SI_KERNEL_ || !(s = site_find(at)) || !s->poked)
        return 0;
    if (read_program(b, at, 5) == 0 && (b[0] == 0xb8 || b[0] == 0xe9)) {
        memcpy(&imm, b + 1, 4);
        if (b[0] == 0xb8) {
            g[REG_RAX] = (greg_t)imm;   /* mov to %eax zero-extends; flags untouched */
            g[REG_RIP] = (greg_t)(at + 5);
        } else {
            g[REG_RIP] = (greg_t)(at + 5 + (uintptr_t)(intptr_t)(int32_t)imm);
        }
        return 1;
    }
    if (s->stuck) {
        g[REG_RAX] = (greg_t)s->nr;
        g[REG_RIP] = (greg_t)(at + 5);
        return 1;
    }
    im_sys(SYS_sched_yield);        /* the patcher is between two writes */
    g[REG_RIP] = (greg_t)at;
    return 1;
}

static void on_sigtrap(int sig, void *siv, void *ucv)
{
    (void)sig;
    if (!own_int3(siv, ucv))
        im_forward_signal(SIGTRAP, siv, ucv);
}

/* ---- start and report ---------------------------------------------------- */

void im_fast_start(const char *mode)
{
    if (mode && !rs_strcmp(mode, "no")) {
        fp.off = "option";
        return;
    }
    if (!im.backend) {
        fp.off = "backend";         /* running unwrapped */
        return;
    }
    if (im_sync_cores_register()) {
        fp.off = "membarrier";
        return;
    }
    if (im_install_signal(SIGTRAP, on_sigtrap)) {
        fp.off = "sigtrap";
        return;
    }
    fp.stress = mode && !rs_strcmp(mode, "stress");
    fp.on = 1;
    if (im.backend->inherits)
        im_sigstack_claim_gs();     /* the module's threads are not armed one by one */
}

/* May the fast path be on (before the backend is armed: the module's
 * bitmap then includes handled.h's IM_KFAST calls)? */
int im_fast_may(void)
{
    return !im.boot->fastpath || rs_strcmp(im.boot->fastpath, "no");
}

/* A call from a dispatching cell (fastentry.S's frame, the module's
 * layout).  No signal frame: c.backend stays NULL, and only calls whose
 * handling needs none are ever patched (handled.h). */
long im_fast_call(struct im_kframe *f)
{
    struct rs_call c = {
        .nr = (long)(uint32_t)f->nr,
        .arg = {(long)f->rdi, (long)f->rsi, (long)f->rdx, (long)f->r10, (long)f->r8, (long)f->r9},
    };

    if (c.nr == SYS_exit)
        im_sigstack_exiting();      /* its stack can serve the next thread */
    im_dispatch(&c);
    return c.ret;
}

/* RUNSEL_FASTPATH_STATS=FILE: one line per process at its exit_group
 * (tests and make bench read it).  Not for a set-user-ID program. */
void im_fast_report(void)
{
    const char *path = im.fast_stats;
    long fd;

    if (!path)
        return;
    fd = im_sys(SYS_openat, AT_FDCWD, path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW,
                0600);
    if (fd < 0)
        return;
    rs_dprintf((int)fd, "runsel-fastpath pid=%ld traps=%ld patched=%ld unpatched=%ld refused=%ld "
                        "cells=%d pages=%d off=%s\n",
               im_sys(SYS_getpid), fp.traps, fp.patched, fp.unpatched, fp.refused, fp.cells, fp.pages,
               fp.off ? fp.off : (fp.on ? "-" : "?"));
    im_sys(SYS_close, fd);
}
