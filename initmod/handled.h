/* handled.h — the calls runsel handles itself: one table, read by
 * im_pass() (pass.c: what runs instead of the call once the stack has
 * passed it on) and im_wants() (dispatch.c: which calls the kernel module
 * must deliver even when no wrapper handles them).
 *
 * IM_HANDLED(X) expands X(NR, HANDLER, BACKENDS, FAST) once per row:
 *   NR        the x86-64 call (ia32 and x32 calls never get runsel's
 *             handling: their numbers mean other calls; pass.c)
 *   HANDLER   long HANDLER(struct rs_call *), the call's result; named
 *             where pass.c expands the table
 *   BACKENDS  the backends that must deliver the call for runsel's own
 *             sake: IM_SUD, IM_KMOD or IM_BOTH.  SUD delivers every call
 *             made outside the gate whatever this says (it cannot filter),
 *             so only IM_KMOD has an effect: the call goes into the
 *             module's bitmap (kmod.c).  A row without it still gets its
 *             handler on the module whenever a wrapper handles the call
 *             and it is therefore delivered.  IM_KFAST: the module
 *             delivers it too while the fast path may be on (fastpath.c):
 *             a thread made by clone gets its slot named by %gs, and SIGTRAP
 *             is taken out of the masks the program sets.
 *   FAST      IM_FAST: the handler works for a call that arrives from the
 *             fast path's cells (fastentry.S: no signal frame); IM_TRAP: it
 *             needs the backend's frame of the call (the SUD signal frame's
 *             registers, mask or alternate stack), so sites of the call are
 *             never patched and keep trapping (fastpath.c).
 * Each row's comment says why it is there and why on those backends.
 * Both readers expand the table into a switch: the compiler makes the
 * same code it made of the hand-written lists it replaces. */
#ifndef RUNSEL_HANDLED_H
#define RUNSEL_HANDLED_H

#define IM_SUD  1u
#define IM_KMOD 2u
#define IM_BOTH (IM_SUD | IM_KMOD)
#define IM_KFAST 4u      /* the module delivers it while the fast path may be on */
#define IM_FAST 1
#define IM_TRAP 0

#define IM_HANDLED(X)                                                               \
    /* New threads and children (clone.c).  SUD is per thread and not               \
     * inherited: runsel makes the call itself so the child is armed before         \
     * it runs a program instruction, and a vfork child, which would run on         \
     * top of the parent's pending SIGSYS frame, becomes a fork whose parent        \
     * waits.  Not kmod: the module registers new threads and children itself,      \
     * and a call it did not redirect leaves no frames of runsel's for a vfork      \
     * child to overwrite.  Delivered there for a wrapper, im_clone starts a        \
     * thread on its new stack with the registers kmodentry.S saved (it cannot      \
     * return through kmodentry.S's frame) and still turns vfork into a             \
     * waiting fork. */                                                             \
    X(SYS_clone, im_clone, IM_SUD | IM_KFAST, IM_TRAP)                              \
    X(SYS_clone3, im_clone, IM_SUD | IM_KFAST, IM_TRAP)                             \
    X(SYS_fork, im_clone, IM_SUD, IM_TRAP)                                          \
    X(SYS_vfork, im_clone, IM_SUD, IM_TRAP)                                         \
    /* exec goes back through the loader with the selection (exec.c), and a         \
     * re-exec through /proc/self/exe or /dev/fd/N is rerouted with the             \
     * program's image.  Both: the module forgets a process at exec. */             \
    X(SYS_execve, im_exec, IM_BOTH, IM_FAST)                                        \
    X(SYS_execveat, im_exec, IM_BOTH, IM_FAST)                                      \
    /* Signal actions (signals.c).  SUD: SIGSYS stays runsel's (the program's       \
     * SIGSYS action is virtual, SIGSYS leaves every sa_mask) and every handler     \
     * returns through runsel's restorer, since SUD needs rt_sigreturn to come      \
     * from the gate.  kmod: only the restorer part applies, and it is kept         \
     * there too, so a handler's rt_sigreturn is runsel's on both backends — a      \
     * wrapper never sees it (tests/t_trace.sh drops it from strace's side). */     \
    X(SYS_rt_sigaction, im_sigcall, IM_BOTH, IM_FAST)                               \
    /* SUD: the program's mask lives in the SIGSYS frame, which rt_sigreturn        \
     * restores: the change is made there (sud.c), SIGSYS kept out of it.           \
     * Not kmod: no frame, no SIGSYS; the call runs natively either way. */         \
    X(SYS_rt_sigprocmask, im_sigcall, IM_SUD | IM_KFAST, IM_TRAP)                   \
    /* The alternate stack.  SUD: like the mask, it is the frame's (sud.c).         \
     * kmod: it runs natively, and runsel notes the program's alternate stack       \
     * so that a call made on it is handled there (kmod.c, sigstack.c: a            \
     * signal nested in the call must find the handler's frames below it). */       \
    X(SYS_sigaltstack, im_sigcall, IM_BOTH, IM_TRAP)                                \
    /* SUD: SIGSYS out of the mask the call waits with, or the program's next       \
     * intercepted call would kill it.  Not kmod: nothing to keep. */               \
    X(SYS_rt_sigsuspend, im_sigcall, IM_SUD | IM_KFAST, IM_FAST)                    \
    X(SYS_ppoll, im_sigcall, IM_SUD | IM_KFAST, IM_FAST)                            \
    X(SYS_pselect6, im_sigcall, IM_SUD | IM_KFAST, IM_FAST)                         \
    X(SYS_epoll_pwait, im_sigcall, IM_SUD | IM_KFAST, IM_FAST)                      \
    X(SYS_epoll_pwait2, im_sigcall, IM_SUD | IM_KFAST, IM_FAST)                     \
    /* A rt_sigreturn the program issues itself (not through runsel's               \
     * restorer) is re-issued from the gate with the program's registers:           \
     * SUD needs it to come from there.  Not kmod: native is right; delivered       \
     * for a wrapper, it is re-issued from the gate there too (kmod.c). */          \
    X(SYS_rt_sigreturn, im_sigcall, IM_SUD, IM_TRAP)                                \
    /* SUD: the program may not turn runsel's dispatch off                          \
     * (PR_SET_SYSCALL_USER_DISPATCH fails with EBUSY).  Not kmod: runsel's         \
     * interception is not SUD there. */                                            \
    X(SYS_prctl, im_sigcall, IM_SUD, IM_FAST)                                       \
    /* Kept fds (fds.c): a wrapper's log and the program's image survive a          \
     * program that closes every fd or dups over them.  Both: on the module a       \
     * call outside the bitmap never reaches runsel. */                             \
    X(SYS_close, fd_call, IM_BOTH, IM_FAST)                                         \
    X(SYS_dup2, fd_call, IM_BOTH, IM_FAST)                                          \
    X(SYS_dup3, fd_call, IM_BOTH, IM_FAST)                                          \
    X(SYS_close_range, fd_call, IM_BOTH, IM_FAST)                                   \
    /* ... and out of the program's sight where it looks for its fds                \
     * (fdview.c): its /proc fd listings, their size, fcntl.  SUD only: on          \
     * the module they are hidden where a wrapper takes the call (trace and         \
     * count take every call), not worth a delivery of every stat. */              \
    X(SYS_fcntl, fd_view, IM_SUD, IM_FAST)                                          \
    X(SYS_getdents, fd_view, IM_SUD, IM_FAST)                                       \
    X(SYS_getdents64, fd_view, IM_SUD, IM_FAST)                                     \
    X(SYS_stat, fd_view, IM_SUD, IM_FAST)                                           \
    X(SYS_fstat, fd_view, IM_SUD, IM_FAST)                                          \
    X(SYS_lstat, fd_view, IM_SUD, IM_FAST)                                          \
    X(SYS_newfstatat, fd_view, IM_SUD, IM_FAST)                                     \
    X(SYS_statx, fd_view, IM_SUD, IM_FAST)                                          \
    /* The stack's fini runs once, in the process that owns the memory (count's     \
     * summary), before the process exits (pass.c).  Both. */                       \
    X(SYS_exit_group, exit_group, IM_BOTH, IM_FAST)

#endif
