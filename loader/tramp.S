/* tramp.S — the last code the loader runs, executed from a private
 * anonymous page (handoff.c copies it there) so that every mapping of the
 * loader itself can be removed first: the kernel refuses to change
 * /proc/self/exe while the old executable is still mapped.
 *
 * void runsel_tramp(const struct ho_op *ops, long nops, uintptr_t sp, uintptr_t entry,
 *                   uintptr_t boot)
 *
 * Runs each op as a raw system call ({nr, a0..a5, flags}, 64 bytes); an op
 * with flag bit 0 runs only if the previous one that ran failed.  Then
 * switches to the program's stack, clears every general register as
 * ELF_PLAT_INIT does (%rdx = 0: no atexit function) and jumps to entry;
 * %rdi = boot (initmod's boot block for a selected program, else 0).
 * Position independent: no data references outside the ops. */
    .text
    .globl runsel_tramp
    .globl runsel_tramp_end
    .type runsel_tramp, @function
runsel_tramp:
    mov  %rdi, %r12
    mov  %rsi, %r13
    mov  %rdx, %r14
    mov  %rcx, %r15
    mov  %r8, %rbp
    xor  %ebx, %ebx            /* result of the last op that ran */
1:  test %r13, %r13
    jz   3f
    testq $1, 56(%r12)
    jz   2f
    cmp  $-4095, %rbx          /* conditional op: skip unless -4095..-1 */
    jb   4f
2:  mov  0(%r12), %rax
    mov  8(%r12), %rdi
    mov  16(%r12), %rsi
    mov  24(%r12), %rdx
    mov  32(%r12), %r10
    mov  40(%r12), %r8
    mov  48(%r12), %r9
    syscall
    mov  %rax, %rbx
4:  add  $64, %r12
    dec  %r13
    jmp  1b
3:  mov  %r14, %rsp
    push %r15                  /* entry, just below the program's sp */
    xor  %eax, %eax
    xor  %ebx, %ebx
    xor  %ecx, %ecx
    xor  %edx, %edx
    xor  %esi, %esi
    mov  %rbp, %rdi
    xor  %ebp, %ebp
    xor  %r8d, %r8d
    xor  %r9d, %r9d
    xor  %r10d, %r10d
    xor  %r11d, %r11d
    xor  %r12d, %r12d
    xor  %r13d, %r13d
    xor  %r14d, %r14d
    xor  %r15d, %r15d
    ret                        /* pops entry: %rsp is the program's sp again */
runsel_tramp_end:
    .size runsel_tramp, .-runsel_tramp
    .section .note.GNU-stack,"",@progbits
