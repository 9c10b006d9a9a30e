/* sigentry.S — the signal entries of signals.c, outside the gate.
 *
 * im_sig_tramp is the handler the kernel runs in place of each handler of
 * the program's while a wrapper watches signals: on the frame the kernel
 * pushed, it tells the wrappers (im_signal_enter), then jumps to the
 * program's handler with the kernel's arguments and the frame as they
 * were — the handler returns to the frame's restorer as it would have.
 *
 * rs_restorer_seen is that restorer: its rt_sigreturn is outside the
 * exempt range, so the backend stops it like any call of the program's
 * and the wrappers see it (RS_SIGRETURN); it is re-issued from the gate
 * with the program's registers (sud.c, kmod.c).  tools/check-image allows
 * this one system call instruction outside the gate. */
    .text
    .globl im_sig_tramp, rs_restorer_seen, rs_call_on
    .hidden im_sig_tramp, rs_restorer_seen, rs_call_on, im_signal_enter

/* void im_sig_tramp(int sig, siginfo_t *si, ucontext_t *uc) */
    .type im_sig_tramp, @function
im_sig_tramp:
    push %rdi
    push %rsi
    push %rdx                  /* %rsp is 16-byte aligned for the call */
    call im_signal_enter       /* the program's handler, or 0: none (now ignored) */
    pop  %rdx
    pop  %rsi
    pop  %rdi
    test %rax, %rax
    jz   1f
    mov  %rax, %r11
    xor  %eax, %eax            /* as the kernel enters a handler */
    jmp  *%r11
1:  ret                        /* to the restorer */
    .size im_sig_tramp, .-im_sig_tramp

    .type rs_restorer_seen, @function
rs_restorer_seen:
    .byte 0x48, 0xc7, 0xc0, 0x0f, 0x00, 0x00, 0x00   /* mov $15,%rax: glibc's __restore_rt */
    syscall
    hlt
    .size rs_restorer_seen, .-rs_restorer_seen

/* void rs_call_on(void *sp, void (*fn)(void *), void *arg): fn(arg) on
 * the stack below sp, then back. */
    .type rs_call_on, @function
rs_call_on:
    push %rbp
    mov  %rsp, %rbp
    mov  %rdi, %rsp
    and  $-16, %rsp
    mov  %rdx, %rdi
    call *%rsi
    mov  %rbp, %rsp
    pop  %rbp
    ret
    .size rs_call_on, .-rs_call_on
    .section .note.GNU-stack,"",@progbits
