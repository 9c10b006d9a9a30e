/* gate.S — the only system call instructions of initmod and, through
 * rs_host.syscall6, of every wrapper.  The redirect backends exempt exactly
 * [rs_gate_start, rs_gate_end): a call made from here always runs natively,
 * which is the seed design's "execution flag" done by address — no
 * per-thread state, no recursion into the wrapper.  tools/check-image
 * fails the build if a syscall instruction appears anywhere else.
 *
 * The range ends with the fast path's cell area (fastpath.c, cell.c):
 * int3 in the image, per-site code written there at run time.  A cell's
 * own syscall is the program's call, made from inside the range so that
 * it runs natively. */
    .section .text.rsgate,"ax",@progbits
    .globl rs_gate_start, rs_gate_end, rs_gate6, rs_restorer, rs_sigreturn_insn
    .globl rs_clone_thread, rs_gate_int80, rs_cells, rs_cells_end
    .hidden rs_gate_start, rs_gate_end, rs_gate6, rs_restorer, rs_sigreturn_insn
    .hidden rs_clone_thread, rs_gate_int80, rs_cells, rs_cells_end
    .globl rs_gate_call, rs_call_insn
    .hidden rs_gate_call, rs_call_insn
rs_gate_start:

/* long rs_gate6(long nr, long a, long b, long c, long d, long e, long f) */
    .type rs_gate6, @function
rs_gate6:
    mov  %rdi, %rax
    mov  %rsi, %rdi
    mov  %rdx, %rsi
    mov  %rcx, %rdx
    mov  %r8, %r10
    mov  %r9, %r8
    mov  8(%rsp), %r9
    syscall
    ret
    .size rs_gate6, .-rs_gate6

/* long rs_gate_call(long nr, long a, long b, long c, long d, long e, long f,
 *                   const struct rs_call *call)
 * The program's own call (pass.c), from one known instruction, with the
 * call in %rbx and %rcx zero until the syscall puts its return address
 * there: a signal delivered to a handler of the program's while this
 * call runs sees in its frame whether the call was interrupted and will
 * be made again (%rip = rs_call_insn, %rcx = the address after it: the
 * kernel rewound it), or had returned (%rip after it, %rax its result),
 * and which call it was (signals.c). */
    .type rs_gate_call, @function
rs_gate_call:
    push %rbx
    mov  24(%rsp), %rbx        /* call: above the push, the return address and f */
    mov  %rdi, %rax
    mov  %rsi, %rdi
    mov  %rdx, %rsi
    mov  %rcx, %rdx
    mov  %r8, %r10
    mov  %r9, %r8
    mov  16(%rsp), %r9
    xor  %ecx, %ecx
rs_call_insn:
    syscall
    pop  %rbx
    ret
    .size rs_gate_call, .-rs_gate_call

/* long rs_gate_int80(long nr, long a, long b, long c, long d, long e, long f)
 * An ia32 call made as the program made it, with int $0x80: its own
 * numbers and arguments (%ebx, %ecx, %edx, %esi, %edi, %ebp), never
 * another call under an x86-64 number. */
    .type rs_gate_int80, @function
rs_gate_int80:
    push %rbx
    push %rbp
    mov  %rdi, %rax
    mov  %rsi, %rbx
    mov  %rcx, %r10            /* c, before %rcx takes b */
    mov  %rdx, %rcx
    mov  %r10, %rdx
    mov  %r8, %rsi
    mov  %r9, %rdi
    mov  24(%rsp), %rbp        /* f: above the return address and two pushes */
    int  $0x80
    movslq %eax, %rax          /* the 32-bit result, sign-extended */
    pop  %rbp
    pop  %rbx
    ret
    .size rs_gate_int80, .-rs_gate_int80

/* Signal return for every handler installed through runsel (ours and the
 * program's): rt_sigreturn must come from the exempt range. */
    .type rs_restorer, @function
rs_restorer:
    /* the bytes of glibc's __restore_rt (mov $15,%rax): unwinders know a
     * signal frame by them, so backtraces go through the handler's frame */
    .byte 0x48, 0xc7, 0xc0, 0x0f, 0x00, 0x00, 0x00
rs_sigreturn_insn:             /* a trapped rt_sigreturn is re-issued here */
    syscall
    hlt
    .size rs_restorer, .-rs_restorer

/* long rs_clone_thread(long nr, long a, long b, long c, long d, long e,
 *                      const struct im_regs *regs)
 * clone/clone3 for a child with its own stack.  The parent returns the
 * result.  The child starts here on the new stack: it arms interception
 * (im_child_arm), then resumes the program exactly where a native clone
 * would have: every register as the parent had it at its syscall, %rax = 0,
 * %rsp = the new stack.  regs points into the new stack, below its top. */
    .type rs_clone_thread, @function
rs_clone_thread:
    push %r12                  /* callee-saved: the parent restores it */
    mov  16(%rsp), %r12        /* regs; the child inherits %r12 */
    mov  %rdi, %rax
    mov  %rsi, %rdi
    mov  %rdx, %rsi
    mov  %rcx, %rdx
    mov  %r8, %r10
    mov  %r9, %r8
    xor  %r9d, %r9d
    syscall
    test %rax, %rax
    jz   1f
    pop  %r12                  /* parent, or the call failed */
    ret
1:  /* child: %r12 = regs (registers survive clone), %rsp = new stack */
    mov  %r12, %rsp            /* regs sit at the top of the new stack; */
    and  $-16, %rsp            /* work below them */
    sub  $64, %rsp
    mov  %r12, %rdi
    call im_child_arm
    mov  %r12, %rax
    mov  0x70(%rax), %rcx      /* rip */
    mov  0x78(%rax), %rsp      /* the program's new stack pointer */
    push %rcx                  /* just below it: consumed by ret */
    mov  0x00(%rax), %r15
    mov  0x08(%rax), %r14
    mov  0x10(%rax), %r13
    mov  0x18(%rax), %r12
    mov  0x20(%rax), %rbp
    mov  0x28(%rax), %rbx
    mov  0x30(%rax), %r11
    mov  0x38(%rax), %r10
    mov  0x40(%rax), %r9
    mov  0x48(%rax), %r8
    mov  0x50(%rax), %rdi
    mov  0x58(%rax), %rsi
    mov  0x60(%rax), %rdx
    mov  0x68(%rax), %rcx
    xor  %eax, %eax
    ret
    .size rs_clone_thread, .-rs_clone_thread

/* The cells: IM_CELLS of IM_CELL bytes (fastpath.h). */
    .balign 64
rs_cells:
    .fill 1024 * 32, 1, 0xcc
rs_cells_end:
rs_gate_end:
    .section .note.GNU-stack,"",@progbits
