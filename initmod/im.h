/* im.h — the initialization module's parts.
 *
 * start.S/main.c   boot: check what the loader handed over, start the
 *                  wrapper, arm the backend, return the program's entry
 * dispatch.c       one intercepted call: the wrapper's hooks around the call
 * pass.c           performing a call for the program: natively through the
 *                  gate, or runsel's own handling of calls that must keep
 *                  interception intact (clone, exec, signals, kept fds)
 * handled.h        the table of those calls, with the reason for each
 * sud.c            the Syscall User Dispatch backend (SIGSYS)
 * kmod.c, kmodentry.S   the kernel-module backend
 * sigstack.c, stackrun.S   runsel's per-thread stacks
 * clone.c, exec.c, signals.c, fds.c   the calls pass.c handles itself
 * fdview.c         the kept fds out of the program's listings and probes
 * gate.S           the only syscall instructions, and the fast path's cells
 * fastpath.c, vma.c, cell.c, textpoke.c, fastentry.S   the rewriting fast
 *                  path (fastpath.h)
 * kfilter.c        placement=kernel: the compiled filters installed */
#ifndef RUNSEL_IM_H
#define RUNSEL_IM_H

#include <signal.h>
#include <runsel/wrapper.h>
#include "boot.h"

/* gate.S */
long rs_gate6(long nr, long a, long b, long c, long d, long e, long f);
long rs_gate_int80(long nr, long a, long b, long c, long d, long e, long f);
/* The program's own call c, made from the one instruction rs_call_insn
 * with c in %rbx: a signal that interrupts it tells (signals.c). */
long rs_gate_call(long nr, long a, long b, long c, long d, long e, long f, const struct rs_call *call);
extern const char rs_gate_start[], rs_gate_end[], rs_restorer[], rs_sigreturn_insn[], rs_call_insn[];

/* sigentry.S (outside the gate): the entry put before the program's
 * handlers while a wrapper watches signals, the restorer whose rt_sigreturn
 * the backends see, and a call on another stack. */
void im_sig_tramp(int sig, void *si, void *uc);
extern const char rs_restorer_seen[];
void rs_call_on(void *sp, void (*fn)(void *), void *arg);

/* Registers a new thread resumes with (gate.S reads them by offset). */
struct im_regs {
    unsigned long r15, r14, r13, r12, rbp, rbx, r11, r10, r9, r8;
    unsigned long rdi, rsi, rdx, rcx, rip, rsp;
    unsigned long clone_flags;
    uint64_t masked;           /* the parent thread's view of runsel's signals (sigstack.c) */
};
_Static_assert(__builtin_offsetof(struct im_regs, rip) == 0x70, "gate.S offsets");
_Static_assert(__builtin_offsetof(struct im_regs, rsp) == 0x78, "gate.S offsets");
long rs_clone_thread(long nr, long a, long b, long c, long d, long e, const struct im_regs *r);

#define im_sys(...) RS_SC_I_(__VA_ARGS__, 0, 0, 0, 0, 0, 0, 0)
#define RS_SC_I_(nr, a, b, c, d, e, f, ...)                                    \
    rs_gate6((long)(nr), (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), (long)(f))

/* The frame kmodentry.S and fastentry.S build on the program's stack,
 * lowest address first (frame.inc). */
struct im_kframe {
    unsigned long r15, r14, r13, r12, rbp, rbx;
    unsigned long nr, rdi, rsi, rdx, r10, r8, r9, rflags, ret;
};

/* A redirect backend. */
struct im_backend {
    const char *name;
    int inherits;                         /* new threads and children stay armed by themselves */
    int uses_sigsys;                      /* intercepted calls arrive as SIGSYS */
    int (*arm)(void);                     /* this thread: 0 or -errno */
    /* The program's registers at the call (for clone children). */
    void (*call_regs)(const struct rs_call *c, struct im_regs *r);
    /* Resume the program by re-issuing its rt_sigreturn from the gate. */
    void (*sigreturn)(struct rs_call *c);
    /* Backends that run the wrapper in a signal handler: the signal mask
     * and alternate stack the program sets must go into the saved context,
     * or rt_sigreturn would undo them.  NULL: the calls run natively. */
    long (*sigprocmask)(struct rs_call *c);
    long (*sigaltstack)(struct rs_call *c);
    /* A child made with CLONE_VFORK on a new stack has exec'd or exited:
     * what the backend gave it in our memory can go.  NULL: nothing. */
    void (*vfork_done)(long child_tid);
};
extern const struct im_backend im_sud, im_kmod;

/* Process-wide state, set once at start. */
struct im_state {
    const struct rs_boot *boot;
    int nwrappers;                            /* the stack, outermost first */
    const struct rs_wrapper *wrapper[RS_MAX_STACK];
    const char *enforcer;                     /* the first wrapper that enforces a policy */
    const struct im_backend *backend;
    long owner_pid;     /* the process whose memory this is (not a CLONE_VM child's) */
    char selected[4200];                      /* RUNSEL_SELECTED=... for the execs it makes */
    int exe_fd;                               /* the program's image, kept; -1: none */
    const char *fast_stats;                   /* RUNSEL_FASTPATH_STATS, or NULL */
};
extern struct im_state im;

/* dispatch.c */
int im_table_build(int level, const struct rs_wrapper *w, const char *syscalls, char *err,
                   size_t errsize);
/* The level's rules (ABI 1.6) for its options: built and checked once,
 * before the backend starts (it asks im_wants); -1 with err.  in_kernel:
 * placement=kernel, a seccomp filter fails and kills what they say, so
 * those calls need not be taken for this level. */
int im_rules_build(int level, const struct rs_wrapper *w, const struct rs_options *opts,
                   int in_kernel, char *err, size_t errsize);
void im_dispatch(struct rs_call *c);
/* The canonical bytes (runrules.h, rs_rules_canon) of what the kernel
 * placement compiles of level's rules; 0: nothing. */
size_t im_rules_canon(int level, unsigned char *out, size_t size);

/* kfilter.c: placement=kernel: the filters of the list's entries
 * (FILE.rules) and of runsel's request (-K) installed, innermost first,
 * or the exec ends (126). */
void im_kfilters_install(void);
long im_pass_from(struct rs_call *c, int level);   /* rs_pass() of the wrapper at level */
int im_wants(long nr);      /* must the backend deliver this call? */
int im_denies_foreign(void);   /* must ia32/x32 calls fail (ENOSYS)? */
int im_takes_foreign(void);    /* does a wrapper take them? */
int im_takes(long nr);      /* does the call need the dispatch (a wrapper's, or runsel's)? */

/* pass.c */
long im_pass(struct rs_call *c);

/* main.c: the stack's hooks that are not per call */
void im_atfork(void);       /* in a forked child, outermost first */
void im_fini(int status);   /* at exit_group, innermost first */

/* clone.c */
long im_clone(struct rs_call *c);
void im_child_arm(const struct im_regs *r);

/* exec.c */
long im_exec(struct rs_call *c);

/* signals.c */
long im_sigcall(struct rs_call *c);
uint64_t im_own_signals(void);      /* the signals runsel keeps deliverable (SIGSYS, SIGTRAP) */
/* runsel's handler for SIGSYS or SIGTRAP (0 or -errno); a signal of those
 * runsel did not cause goes to the program's action (1: handled) */
int im_install_signal(int sig, void (*handler)(int, void *, void *));
int im_forward_signal(int sig, void *siginfo, void *ucontext);
void im_kill_process(void);         /* RS_RULE_KILL: by SIGSYS, as seccomp kills */
void im_signals_start(void);        /* after the wrappers' init: watch signals if one asks */
int im_sigreturn_seen(void);        /* the program's rt_sigreturn reaches the wrappers */

/* sigstack.c: runsel's per-thread signal stack (SUD; the module's entry uses it too) */
#define IM_SIGSTACK_SIZE 256000UL   /* an odd size: tells it from a program's */
#define IM_SIGSTACK_SCRATCH 16384UL /* [lo - this, lo): not on the alternate stack */
struct im_sigstack {
    char *lo, *hi;                  /* the alternate stack */
    int *moving;                    /* sud.c's frame moves in progress on it (im_sigstack_mine) */
};
int im_sigstack_arm(void);
int im_sigstack_mine(struct im_sigstack *r);
int im_sigstack_is(const void *ss_sp, unsigned long ss_size, struct im_sigstack *r);
void im_sigstack_release(long tid);
void im_sigstack_exiting(void);
char *im_sigstack_kmod_top(const char *sp, long tid);
void im_sigstack_note_program(const stack_t *ss);
int im_sigstack_program(stack_t *ss);
uint64_t im_sigstack_masked(void);            /* runsel's signals the program blocked */
void im_sigstack_set_masked(uint64_t own);
char *im_sigstack_scratch(const char *sp);    /* where a signal's hooks run (signals.c) */
/* stackrun.S: run fn(a, b, c) on sp, then rt_sigreturn from ucontext b;
 * rt_sigreturn from the frame whose ucontext is at uc */
__attribute__((noreturn)) void rs_sigstack_run(void *sp, void (*fn)(void *, void *, void *),
                                               void *a, void *b, void *c);
__attribute__((noreturn)) void rs_sigreturn_at(void *uc);

/* fastpath.c: the rewriting fast path (fastpath.h has its parts) */
void im_fast_start(const char *mode);     /* after the backend is armed; mode: fastpath= */
void im_fast_trap(uintptr_t after, long nr);   /* a call trapped (SUD) */
long im_fast_call(struct im_kframe *f);
void im_fast_atfork(void);                /* in a forked child */
int im_fast_may(void);                    /* fastpath= is not no */
void im_sigstack_claim_gs(void);          /* sigstack.c: this thread's slot, named by %gs */
void im_fast_report(void);
char *im_sigstack_fast_top(const char *sp, long tid);
void im_sigstack_use_gs(unsigned long hwcap2);     /* sigstack.c: AT_HWCAP2 */

/* fds.c */
int im_keep_fd(int fd);
int im_keep_fd_exec(int fd);           /* kept, and passed to execs through the loader */
void im_fds_exec(int passing);         /* 1: an exec through the loader follows; 0: it failed */
int im_fd_guard(struct rs_call *c);    /* 1: handled, c->ret set */
int im_fds_passed(int *fds, int n);    /* the fds kept for execs, n at most */
int im_fd_is_kept(long fd);
int im_fds_kept(void);                 /* how many */
/* fdview.c: the call, with the kept fds out of the program's sight */
long im_fd_view(struct rs_call *c, long (*native)(struct rs_call *));
/* passfds.c */
size_t im_fds_env(char *buf, size_t size);   /* "RUNSEL_FDS=..." for an exec's environment, or 0 */
void im_fds_sweep(char *const *envp);  /* after init: close the passed fds no wrapper took */

__attribute__((noreturn)) void im_die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void im_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
