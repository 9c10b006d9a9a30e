/* kmodentry.S — where the kernel module sends a redirected call.
 *
 * On entry (kmod/selredir.h): %rax = the call number (the thread id in
 * the upper half: SELREDIR_F_TID), the arguments in
 * %rdi %rsi %rdx %r10 %r8 %r9 as the program set them, %rcx = the address
 * after its syscall instruction, %r11 = its rflags, %rsp = its stack.  No
 * signal frame: every register the program may rely on after a syscall
 * (all but %rax, %rcx, %r11) is restored here, and rflags too.  The
 * program's 128-byte red zone below %rsp is left alone.
 *
 * The frame holds every program register (struct im_kframe in kmod.c),
 * callee-saved ones included: a new thread resumes the program with them.
 * Only the frame goes on the program's stack: the wrapper runs on the
 * thread's stack of runsel's (im_sigstack_kmod_top, sigstack.c), since a
 * goroutine's stack has no room for it.
 * im_kmod_call(frame) dispatches and returns the result; it may rewrite
 * the frame's return address (a program rt_sigreturn is re-issued from the
 * gate, with %rax = 15 and the program's own %rsp). */
#include "frame.inc"

    .text
    .globl rs_kmod_entry
    .hidden rs_kmod_entry, im_kmod_call, im_sigstack_kmod_top
    .type rs_kmod_entry, @function
rs_kmod_entry:
    frameless_entry im_kmod_call, im_sigstack_kmod_top
    .size rs_kmod_entry, .-rs_kmod_entry

/* rs_kmod_entry32 — where the module sends an ia32 (int $0x80) call
 * (SELREDIR_IOC_COMPAT): (%rsp) = the address after the int $0x80, the
 * program's %rsp - 136 (the module skipped the red zone and pushed it);
 * every register as the program left it, %eax = the number, arguments in
 * %ebx %ecx %edx %esi %edi %ebp.  An int $0x80 preserves every register
 * but %rax, and the flags: all are restored. */
    .globl rs_kmod_entry32
    .hidden rs_kmod_entry32, im_kmod_call32
    .type rs_kmod_entry32, @function
rs_kmod_entry32:
    pushfq
    push %r11
    push %r10
    push %r9
    push %r8
    push %rdi
    push %rsi
    push %rdx
    push %rcx
    push_nr_and_callee_saved                  /* struct im_kframe32 starts here */
    on_runsel_stack im_kmod_call32, 186, im_sigstack_kmod_top    /* ia32 sigaltstack */
    pop_callee_saved
    lea  8(%rsp), %rsp         /* nr: %rax is the result */
    pop  %rcx
    pop  %rdx
    pop  %rsi
    pop  %rdi
    pop  %r8
    pop  %r9
    pop  %r10
    pop  %r11
    popfq
    ret  $128                  /* back over the red zone */
    .size rs_kmod_entry32, .-rs_kmod_entry32
    .section .note.GNU-stack,"",@progbits
