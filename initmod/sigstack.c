/* sigstack.c — runsel's own signal stack, one per thread (SUD backend;
 * the kernel module's entry runs the dispatch on the same stacks:
 * im_sigstack_kmod_top).
 *
 * Every intercepted call of a SUD-armed thread is a SIGSYS, and the kernel
 * pushes its frame (about 3.4 KiB with AVX-512 state) where the thread is
 * running, then runsel and the wrapper run below it.  A goroutine's stack
 * starts at 2 KiB and Go assumes no signal frame is ever pushed on it (Go
 * runs its own handlers on a per-thread sigaltstack); a Go thread that is
 * leaving also hands its stack back before its last exit call.  So each
 * thread gets a stack of runsel's own, registered as the thread's
 * alternate stack, and the SIGSYS handler runs with SA_ONSTACK (sud.c says
 * what happens when the program sets an alternate stack of its own).
 *
 * The stacks are found by thread id in a fixed table: no TLS (the program
 * owns %fs), no locks (a slot is claimed with a compare-and-swap on its
 * tid; a slot whose thread is gone — tkill(tid, 0) = ESRCH — may be taken
 * over).  A thread cannot unmap the stack it is running on when it exits,
 * so its exit puts the stack in a pool, from which a new thread takes it
 * once that thread is gone: thread churn reuses a few stacks.  A vfork
 * child's stack is unmapped by its parent as soon as the child has exec'd
 * or exited. */
#define _GNU_SOURCE
#include <signal.h>
#include <sys/mman.h>
#include "im.h"

#define GUARD     4096UL
#define NSLOTS    4096              /* power of two */
#define PROBES    64
#define HDR_MAGIC 0x6b7473676973736eULL   /* "nssigstk" */

struct hdr {                        /* at lo: tells our stacks from the program's */
    uint64_t magic;
    char *self;
};

struct slot {
    int tid;                        /* 0: free */
    char *lo;
    stack_t prog;                   /* the program's own alternate stack; size 0: none */
    uint64_t masked;                /* runsel's signals the program has blocked (they stay
                                     * deliverable: its view, for rt_sigprocmask's old set) */
    int moving;                     /* sud.c: frames copied here, alternate stack not yet switched */
};

static struct slot slots[NSLOTS];
static int programs_set_stacks;     /* some thread set one: prog is worth looking up */

/* Stacks of threads that exited (or are exiting: tid still alive). */
#define NPOOL 4096
enum { POOL_EMPTY, POOL_BUSY, POOL_READY };
struct pooled {
    int state;
    int tid;                        /* reusable once this thread is gone; 0: now */
    char *lo;
};
static struct pooled pool[NPOOL];
static int npooled;

static long my_tid(void)
{
    return im_sys(SYS_gettid);
}

/* The fast path's calls (fastentry.S) must find the thread's slot without
 * a gettid, which would cost as much as the call: each SUD thread's %gs
 * base points at its slot (x86-64 Linux programs leave %gs alone; glibc,
 * Go and Rust use %fs), read back with rdgsbase where the kernel allows
 * it (AT_HWCAP2 FSGSBASE).  Only a base that is exactly a live slot of
 * this table is believed; anything else (a program that set %gs for
 * itself) falls back to gettid. */
#define ARCH_SET_GS_ 0x1001
#define HWCAP2_FSGSBASE_ 2UL
static int gs_usable;

void im_sigstack_use_gs(unsigned long hwcap2)
{
    gs_usable = (hwcap2 & HWCAP2_FSGSBASE_) != 0;
}

static void gs_point_at(struct slot *s)
{
    if (gs_usable)
        im_sys(SYS_arch_prctl, ARCH_SET_GS_, (uintptr_t)s);
}

static struct slot *claim(long tid);

/* On the module backend (no per-thread arming): the calling thread, new,
 * claims its slot for the fast path's entry (fastpath.c, clone.c). */
void im_sigstack_claim_gs(void)
{
    if (gs_usable)
        gs_point_at(claim(my_tid()));
}

static struct slot *gs_slot(void)
{
    uintptr_t b;
    struct slot *s;

    if (!gs_usable)
        return NULL;
    __asm__ volatile("rdgsbase %0" : "=r"(b));
    if (b < (uintptr_t)slots || b >= (uintptr_t)(slots + NSLOTS) ||
        (b - (uintptr_t)slots) % sizeof(struct slot))
        return NULL;
    s = (struct slot *)b;
    return __atomic_load_n(&s->tid, __ATOMIC_ACQUIRE) ? s : NULL;
}

static struct slot *slot_at(long tid, int i)
{
    return &slots[((unsigned long)tid * 2654435761UL + (unsigned long)i) & (NSLOTS - 1)];
}

#define MAP_LEN (GUARD + IM_SIGSTACK_SCRATCH + ((IM_SIGSTACK_SIZE + 4095) & ~4095UL))

/* A fresh stack: a guard page, the scratch area (below the alternate
 * stack, so not "on" it: sud.c issues rt_sigreturn from there when the
 * return must change the thread's alternate stack), then IM_SIGSTACK_SIZE
 * bytes — the alternate stack — whose lowest bytes hold the header. */
static char *map_stack(void)
{
    long p = im_sys(SYS_mmap, 0, MAP_LEN, PROT_READ | PROT_WRITE,
                    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);
    struct hdr *h;

    if (rs_is_err(p))
        return NULL;
    im_sys(SYS_mprotect, p, GUARD, PROT_NONE);
    h = (struct hdr *)(p + GUARD + IM_SIGSTACK_SCRATCH);
    h->magic = HDR_MAGIC;
    h->self = (char *)h;
    return (char *)h;
}

static void unmap_stack(char *lo)
{
    im_sys(SYS_munmap, lo - IM_SIGSTACK_SCRATCH - GUARD, MAP_LEN);
}

static int tid_gone(int tid)
{
    return im_sys(SYS_tkill, tid, 0) == -ESRCH;
}

static void pool_put(int tid, char *lo)
{
    for (int i = 0; i < NPOOL; i++) {
        int e = POOL_EMPTY;
        if (__atomic_compare_exchange_n(&pool[i].state, &e, POOL_BUSY, 0, __ATOMIC_ACQ_REL,
                                        __ATOMIC_RELAXED)) {
            pool[i].tid = tid;
            pool[i].lo = lo;
            __atomic_store_n(&pool[i].state, POOL_READY, __ATOMIC_RELEASE);
            __atomic_add_fetch(&npooled, 1, __ATOMIC_RELAXED);
            return;
        }
    }                               /* pool full: that stack is not reused */
}

static char *pool_take(void)
{
    if (!__atomic_load_n(&npooled, __ATOMIC_RELAXED))
        return NULL;
    for (int i = 0; i < NPOOL; i++) {
        struct pooled *p = &pool[i];
        int r = POOL_READY;
        if (!__atomic_compare_exchange_n(&p->state, &r, POOL_BUSY, 0, __ATOMIC_ACQ_REL,
                                         __ATOMIC_RELAXED))
            continue;
        if (p->tid == 0 || tid_gone(p->tid)) {
            char *lo = p->lo;
            __atomic_sub_fetch(&npooled, 1, __ATOMIC_RELAXED);
            __atomic_store_n(&p->state, POOL_EMPTY, __ATOMIC_RELEASE);
            return lo;
        }
        __atomic_store_n(&p->state, POOL_READY, __ATOMIC_RELEASE);
    }
    return NULL;
}

/* Claim a slot for tid: its own stale one, a free one, or one whose
 * thread is gone. */
static struct slot *claim(long tid)
{
    for (int i = 0; i < PROBES; i++) {
        struct slot *s = slot_at(tid, i);
        int t = __atomic_load_n(&s->tid, __ATOMIC_ACQUIRE);

        if (t == tid || ((t == 0 || tid_gone(t)) &&
                         __atomic_compare_exchange_n(&s->tid, &t, (int)tid, 0, __ATOMIC_ACQ_REL,
                                                     __ATOMIC_ACQUIRE))) {
            s->prog = (stack_t){0};    /* a new thread has no alternate stack */
            s->masked = 0;
            return s;
        }
    }
    return NULL;
}

static void set_range(struct im_sigstack *r, char *lo)
{
    r->lo = lo;
    r->hi = lo + IM_SIGSTACK_SIZE;
    r->moving = NULL;
}

static struct slot *slot_of(long tid);

static struct slot *my_slot(void)
{
    return slot_of(my_tid());
}

int im_sigstack_mine(struct im_sigstack *r)
{
    struct slot *s = my_slot();

    if (!s || !s->lo)
        return 0;
    set_range(r, s->lo);
    r->moving = &s->moving;
    return 1;
}

/* The program's own alternate stack, as it last set it (sud.c): the one
 * to put back when runsel's was left installed (a handler that interrupted
 * a call and siglongjmp'd out never returned through runsel). */
void im_sigstack_note_program(const stack_t *ss)
{
    long tid = my_tid();
    /* On the module backend a thread has no slot before its first call
     * that moves stacks, and sigaltstack is often its first call. */
    struct slot *s = slot_of(tid);

    if (!s)
        s = claim(tid);
    __atomic_store_n(&programs_set_stacks, 1, __ATOMIC_RELAXED);
    if (s)
        s->prog = *ss;
}

int im_sigstack_program(stack_t *ss)
{
    struct slot *s;

    if (!__atomic_load_n(&programs_set_stacks, __ATOMIC_RELAXED) || !(s = my_slot()) ||
        !s->prog.ss_size)
        return 0;
    *ss = s->prog;
    return 1;
}

/* Which of runsel's own signals (SIGSYS, SIGTRAP) this thread's program
 * code has blocked: the kernel never blocks them (runsel needs them), so
 * rt_sigprocmask's old set would otherwise show them unblocked. */
uint64_t im_sigstack_masked(void)
{
    struct slot *s = my_slot();

    return s ? s->masked : 0;
}

void im_sigstack_set_masked(uint64_t own)
{
    long tid = my_tid();
    struct slot *s = slot_of(tid);

    if (!s && own)
        s = claim(tid);
    if (s)
        s->masked = own;
}

/* Is this alternate stack (as the kernel reports it) one of runsel's?
 * Only a stack of exactly our odd size is looked at. */
int im_sigstack_is(const void *ss_sp, unsigned long ss_size, struct im_sigstack *r)
{
    const struct hdr *h = ss_sp;

    if (ss_size != IM_SIGSTACK_SIZE || !h || h->magic != HDR_MAGIC || h->self != (char *)h)
        return 0;
    set_range(r, (char *)h);
    return 1;
}

static long use_as_altstack(char *lo)
{
    stack_t ss = {.ss_sp = lo, .ss_flags = 0, .ss_size = IM_SIGSTACK_SIZE};

    return im_sys(SYS_sigaltstack, &ss, 0);
}

/* A forked child runs on its copy of the parent thread's stack; the other
 * slots and the pool name the parent's threads, none of which exist here:
 * their stacks (copies) are free to reuse now, and this thread's goes into
 * its own slot. */
static int adopt_after_fork(char *cur)
{
    struct slot *mine;
    stack_t prog = {0};

    for (int i = 0; i < NPOOL; i++)
        pool[i].tid = 0;
    for (int i = 0; i < NSLOTS; i++) {
        if (slots[i].lo == cur)
            prog = slots[i].prog;
        else if (slots[i].lo)
            pool_put(0, slots[i].lo);
        slots[i].lo = NULL;
        slots[i].tid = 0;
    }
    mine = claim(my_tid());
    gs_point_at(mine);
    if (mine) {
        mine->lo = cur;
        mine->prog = prog;          /* fork keeps the alternate stack */
    }
    return 0;
}

/* Give the calling thread its signal stack.  A new thread or a new
 * program gets one (reused or fresh); a forked child, already running on
 * its copy of the parent's, keeps that one. */
int im_sigstack_arm(void)
{
    stack_t k;
    struct im_sigstack r;
    char *sp = __builtin_frame_address(0);
    struct slot *s;
    char *lo;

    if (im_sys(SYS_sigaltstack, 0, &k) == 0 && !(k.ss_flags & SS_DISABLE) &&
        sp >= (char *)k.ss_sp && sp < (char *)k.ss_sp + k.ss_size)
        return im_sigstack_is(k.ss_sp, k.ss_size, &r) ? adopt_after_fork(r.lo) : 0;
    s = claim(my_tid());
    gs_point_at(s);             /* NULL: not the parent thread's slot */
    lo = s ? s->lo : NULL;
    if (!lo && !(lo = pool_take()) && !(lo = map_stack()))
        return -ENOMEM;
    if (s)
        s->lo = lo;                 /* else: works, but never reused */
    return (int)use_as_altstack(lo);
}

/* The kernel-module backend enters the wrapper on the program's stack
 * (no signal frame, no alternate stack): kmodentry.S moves to this
 * thread's stack of runsel's first.  Returns its top, or NULL to stay
 * where it is: already on it (a program handler's call, nested inside a
 * call being handled), on the program's own alternate stack (a signal
 * nested in the call must stack below the handler's frames there, as
 * natively), or no stack could be had. */
static struct slot *slot_of(long tid)
{
    for (int i = 0; i < PROBES; i++) {
        struct slot *s = slot_at(tid, i);
        if (__atomic_load_n(&s->tid, __ATOMIC_ACQUIRE) == tid)
            return s;
    }
    return NULL;
}

/* Where a call that arrives without a signal frame runs: below top_gap
 * from the top of the thread's stack of runsel's. */
static char *frameless_top(const char *sp, long tid, size_t top_gap)
{
    struct slot *s = tid ? NULL : gs_slot();

    if (!s) {
        if (!tid)
            tid = my_tid();         /* a module without SELREDIR_F_TID; no usable %gs */
        s = slot_of(tid);
    }
    if (s && s->prog.ss_size && sp >= (const char *)s->prog.ss_sp &&
        sp < (const char *)s->prog.ss_sp + s->prog.ss_size)
        return NULL;                /* a handler's call on the program's alternate stack */
    if (!s && !(s = claim(tid)))   /* tid is set whenever s is NULL */
        return NULL;
    if (!s->lo && !(s->lo = pool_take()) && !(s->lo = map_stack()))
        return NULL;
    if (sp >= s->lo - IM_SIGSTACK_SCRATCH && sp < s->lo + IM_SIGSTACK_SIZE)
        return NULL;
    return s->lo + IM_SIGSTACK_SIZE - top_gap;
}

char *im_sigstack_kmod_top(const char *sp, long tid)
{
    return frameless_top(sp, tid, 0);
}

/* The fast path's calls (fastentry.S), on SUD: the lower half.  The top
 * is where sud.c copies a SIGSYS frame that landed on the program's own
 * alternate stack, and such a SIGSYS can come while a fast-path call is
 * being handled (a program handler interrupting it makes a call that
 * traps): the two must not overlap. */
char *im_sigstack_fast_top(const char *sp, long tid)
{
    return frameless_top(sp, tid, IM_SIGSTACK_SIZE / 2);
}

/* A vfork child (tid) has exec'd or exited: nobody runs on its stack any
 * more, and an exec'd child's tid lives on, so its slot would never look
 * free. */
void im_sigstack_release(long tid)
{
    for (int i = 0; i < PROBES; i++) {
        struct slot *s = slot_at(tid, i);
        if (__atomic_load_n(&s->tid, __ATOMIC_ACQUIRE) == tid) {
            if (s->lo)
                unmap_stack(s->lo);
            s->lo = NULL;
            __atomic_store_n(&s->tid, 0, __ATOMIC_RELEASE);
            return;
        }
    }
}

/* The calling thread is about to exit: its stack goes to the pool, to be
 * reused once the thread is gone (if the exit fails, the thread lives on
 * and nobody takes it; the thread just no longer finds it: sud.c then
 * handles its calls where they land). */
void im_sigstack_exiting(void)
{
    struct slot *s = my_slot();

    if (s && s->lo) {
        pool_put(s->tid, s->lo);
        s->lo = NULL;
    }
}

/* The top of the calling thread's scratch area, for a signal's hooks
 * (signals.c), which run with every signal blocked: nothing else uses the
 * area then (sud.c only with every signal blocked too), whatever the
 * thread's stacks are doing — a call being handled on runsel's stack
 * while the signal landed on the program's alternate stack included.
 * NULL: no stack could be had (the hooks run where the signal landed), or
 * sp is in the area already. */
char *im_sigstack_scratch(const char *sp)
{
    long tid = 0;
    struct slot *s = gs_slot();

    if (!s && !(s = slot_of(tid = my_tid())) && !(s = claim(tid)))
        return NULL;
    if (!s->lo && !(s->lo = pool_take()) && !(s->lo = map_stack()))
        return NULL;
    if (sp >= s->lo - IM_SIGSTACK_SCRATCH && sp < s->lo)
        return NULL;
    return s->lo - 64;
}
