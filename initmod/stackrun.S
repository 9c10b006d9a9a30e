/* stackrun.S — continue a signal handler on another stack.
 *
 * void rs_sigstack_run(void *sp, void (*fn)(void *, void *, void *),
 *                      void *a, void *b, void *c)
 * Switches to sp (16-byte aligned), calls fn(a, b, c), then returns from
 * the signal whose ucontext is b: rt_sigreturn finds its frame at %rsp - 8,
 * i.e. the ucontext at %rsp.  The frame the kernel pushed where the signal
 * arrived is abandoned (sud.c copied it to b).  Never returns (fn may not
 * return either: it may leave through rs_sigreturn_at). */
    .text
    .globl rs_sigstack_run
    .hidden rs_sigstack_run, rs_restorer
    .type rs_sigstack_run, @function
rs_sigstack_run:
    mov  %rdi, %rsp
    mov  %rsi, %rax
    mov  %rdx, %rdi
    mov  %rcx, %rsi
    mov  %r8, %rdx
    mov  %rsi, %rbx            /* the ucontext: callee-saved across fn */
    call *%rax
    mov  %rbx, %rsp
    jmp  rs_restorer           /* rt_sigreturn, from the gate */
    .size rs_sigstack_run, .-rs_sigstack_run

/* void rs_sigreturn_at(void *uc): return from the signal whose frame's
 * ucontext is at uc (a copy sud.c made). */
    .globl rs_sigreturn_at
    .hidden rs_sigreturn_at
    .type rs_sigreturn_at, @function
rs_sigreturn_at:
    mov  %rdi, %rsp
    jmp  rs_restorer
    .size rs_sigreturn_at, .-rs_sigreturn_at
    .section .note.GNU-stack,"",@progbits
