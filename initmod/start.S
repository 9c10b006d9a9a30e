/* start.S — initmod's entry.  The loader jumps here instead of to the
 * program, with %rdi = the boot block and %rsp = the program's initial
 * stack (argc at 0(%rsp)).  im_start() returns the program's entry; then
 * the registers are cleared as the kernel leaves them (ELF_PLAT_INIT;
 * %rdx = 0: no atexit function) and the program starts with its stack
 * exactly as the loader built it. */
    .text
    .globl _start
    .hidden im_start
    .type _start, @function
_start:
    mov  %rsp, %rbx            /* the program's sp: callee-saved */
    and  $-16, %rsp
    mov  %rbx, %rsi
    call im_start
    mov  %rbx, %rsp
    push %rax                  /* entry, just below the program's sp */
    xor  %eax, %eax
    xor  %ebx, %ebx
    xor  %ecx, %ecx
    xor  %edx, %edx
    xor  %esi, %esi
    xor  %edi, %edi
    xor  %ebp, %ebp
    xor  %r8d, %r8d
    xor  %r9d, %r9d
    xor  %r10d, %r10d
    xor  %r11d, %r11d
    xor  %r12d, %r12d
    xor  %r13d, %r13d
    xor  %r14d, %r14d
    xor  %r15d, %r15d
    ret
    .size _start, .-_start

/* The image's ABI note: the loader refuses anything else as initmod. */
#include <runsel/abi.h>
    .section .note.runsel,"a",@note
    .balign 4
    .long 7, 8, RS_NOTE_INITMOD
    .asciz RS_NOTE_NAME
    .balign 4
    .long RS_ABI_MAJOR, RS_ABI_MINOR
    .section .note.GNU-stack,"",@progbits
