/* delivery.c — signals as strace shows them (ABI 1.3's signal hook):
 *
 *     wait4(-1, 0x7ffd3c4a1b2c, 0, NULL) = ? ERESTARTSYS (To be restarted if SA_RESTART is set)
 *     --- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=4242, ...} ---
 *     rt_sigreturn({mask=[]})                 = 61
 *     wait4(-1, [{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0, NULL) = 4242
 *
 * runsel calls the hook when the signal reaches a handler of the
 * program's (or kills the process by its default action), on the thread
 * it is delivered to, before the handler runs.  strace sees the call the
 * signal interrupted end first, with the kernel's own restart code: the
 * hook ends its line — the code, from the call (below), when the kernel
 * gave the program EINTR; ERESTARTSYS when it makes the call again, whose
 * new attempt is shown after the handler's rt_sigreturn (or, if that is
 * not seen, as a whole line when it returns).  A call that had returned
 * shows its result.  The interrupted call is found by its struct rs_call,
 * which runsel names: the calls in flight are kept in a table by it. */
#include "call.h"
#include "filter.h"
#include "output.h"

/* ---- the calls in flight (every thread's), by their rs_call */
#define INFLIGHT 1024
#define PROBES 16

static struct {
    struct rs_call *c;
    struct call *k;
} inflight[INFLIGHT];

static unsigned slot(const struct rs_call *c, int i)
{
    return (unsigned)((((uintptr_t)c >> 4) * 2654435761u + (unsigned)i) & (INFLIGHT - 1));
}

/* Only the thread that made a call looks it up, from its own signal's
 * hook: publishing c before k is enough.  A slot still naming c was left
 * by a call at the same address that never returned (a handler that
 * longjmp'd out of it): it is this thread's, and reused. */
int call_register(struct call *k)
{
    for (int i = 0; i < PROBES; i++) {
        unsigned n = slot(k->c, i);
        struct rs_call *cur = __atomic_load_n(&inflight[n].c, __ATOMIC_ACQUIRE);
        if (cur != k->c && (cur || !__atomic_compare_exchange_n(&inflight[n].c, &cur, k->c, 0,
                                                                 __ATOMIC_ACQ_REL, __ATOMIC_RELAXED)))
            continue;
        inflight[n].k = k;
        return 1;
    }
    return 0;                    /* full: its signals show without ending it */
}

static int find(const struct rs_call *c)
{
    for (int i = 0; i < PROBES; i++) {
        unsigned n = slot(c, i);
        if (__atomic_load_n(&inflight[n].c, __ATOMIC_ACQUIRE) == c)
            return (int)n;
    }
    return -1;
}

void call_unregister(struct call *k)
{
    int n = find(k->c);

    if (n >= 0 && inflight[n].k == k)
        __atomic_store_n(&inflight[n].c, NULL, __ATOMIC_RELEASE);
}

static struct call *call_of(const struct rs_call *c)
{
    int n = c ? find(c) : -1;

    return n < 0 ? NULL : inflight[n].k;
}

/* ---- the kernel's code for an interrupted call (the program sees EINTR
 * for all but ERESTARTSYS with SA_RESTART and ERESTARTNOINTR, which the
 * kernel makes again): by call, as the kernel returns them */
#define ERESTARTSYS_ 512
#define ERESTARTNOINTR_ 513
#define ERESTARTNOHAND_ 514
#define ERESTART_RESTARTBLOCK_ 516
#define EINTR_ 4

static int interrupted_code(long nr, const long *a)
{
    switch (nr) {
    case SYS_pause: case SYS_rt_sigsuspend: case SYS_select: case SYS_pselect6: case SYS_ppoll:
    case SYS_msgrcv: case SYS_msgsnd:
        return ERESTARTNOHAND_;
    case SYS_poll:
        return (int)a[2] < 0 ? ERESTARTNOHAND_ : ERESTART_RESTARTBLOCK_;
    case SYS_nanosleep:
        return ERESTART_RESTARTBLOCK_;
    case SYS_clock_nanosleep:
        return (a[1] & 1) ? ERESTARTNOHAND_ : ERESTART_RESTARTBLOCK_;   /* TIMER_ABSTIME */
    case SYS_futex: {
        long cmd = a[1] & 127;
        return (cmd == 0 || cmd == 9) && a[3] ? ERESTART_RESTARTBLOCK_ : ERESTARTSYS_;  /* timed waits */
    }
    case SYS_epoll_wait: case SYS_epoll_pwait: case SYS_epoll_pwait2: case SYS_rt_sigtimedwait:
    case SYS_semop: case SYS_semtimedop: case SYS_io_getevents: case SYS_io_pgetevents:
        return EINTR_;
    }
    return ERESTARTSYS_;
}

static int restart_code(long nr)
{
    return nr == SYS_clone || nr == SYS_clone3 || nr == SYS_fork || nr == SYS_vfork ? ERESTARTNOINTR_
                                                                                     : ERESTARTSYS_;
}

/* The call the signal came during ends its line now, as strace's does
 * before the signal's. */
static void end_interrupted(const struct rs_signal *s)
{
    struct call *k = call_of(s->call);
    long ret;

    if (!k || k->ended || k->passed)
        return;
    if (s->state == RS_SIG_RESTART)
        ret = -(long)restart_code(k->nr);
    else
        ret = s->ret == -EINTR_ ? -(long)interrupted_code(k->nr, k->t.arg) : s->ret;
    call_finish(k, ret, rs_now_ns() - k->t0);
    k->ended = 1;
    k->again = s->state == RS_SIG_RESTART;
}

static void print_delivery(const struct rs_signal *s, int tid)
{
    char mem[640];
    struct rs_buf o;
    struct tcb t;

    memset(&t, 0, sizeof(t));
    t.o = &o;
    trace_line_start(&o, mem, sizeof(mem), tid);
    if (trace_json()) {          /* the siginfo as the text line decodes it */
        char info[512];
        struct rs_buf i;
        rs_buf_init(&i, info, sizeof(info), o.style);
        t.o = &i;
        print_siginfo(&t, s->siginfo);
        t.o = &o;
        tprints(&t, "\"event\":\"signal\",\"signal\":\"");
        print_signal(&t, s->sig);
        tprints(&t, "\",\"siginfo\":");
        rs_put_json_str(&o, i.b, i.n);
        if (!o.full)
            trace_json_event(tid, o.b, o.n);
        return;
    }
    tprints(&t, "--- ");
    print_signal(&t, s->sig);
    tprints(&t, " ");
    print_siginfo(&t, s->siginfo);
    tprints(&t, " ---\n");
    trace_emit(tid, o.b, o.n);
}

void trace_signal(const struct rs_signal *s)
{
    int tid = rs_gettid();

    if (!trace_shown(tid))
        return;
    if (s->call && s->state != RS_SIG_NO_CALL)
        end_interrupted(s);
    else if (!s->call && (s->fatal || filter_signal(s->sig)))
        out_withdraw(tid);      /* landed in trace's code before a call: it comes first */
    if (filter_signal(s->sig))
        print_delivery(s, tid);
    if (s->fatal)
        trace_killed_top(s->sig);
}

/* ---- rt_sigreturn: runsel gives the frame's ucontext as arg[0]
 * (rs_sigreturn_word reads it) */

/* The call the frame goes back to (its %rbx names it, rs_gate_call's
 * convention) is made again: its start, anew, as strace shows it. */
void restarted_call(const struct rs_call *c)
{
    long rbx;
    struct call *k;

    if (!rs_sigreturn_word(c, RS_UC_RBX, &rbx) || !(k = call_of((const struct rs_call *)rbx)) ||
        !k->again || k->passed)
        return;
    call_begin(k);
    call_write_start(k);
    k->ended = k->again = 0;
}

SYS_FUNC(rt_sigreturn)
{
    long mask;

    if (rs_sigreturn_word(t->c, RS_UC_SIGMASK, &mask)) {
        tprints(t, "{mask=");
        print_sigmask(t->o, (uint64_t)mask, 8);
        tprints(t, "}");
    } else {
        printaddr(t, (unsigned long)t->c->arg[0]);
    }
    return RVAL_DECODED;
}
