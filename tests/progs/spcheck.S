/* spcheck.S — no libc: exit 0 if the stack pointer is 16-byte aligned at
 * the ELF entry point (the x86-64 psABI requires it), 1 otherwise.  glibc's
 * _start realigns, so only a program like this can see a wrong value. */
    .globl _start
_start:
    mov  %rsp, %rdi
    and  $15, %edi
    setnz %dil
    movzbl %dil, %edi
    mov  $60, %eax
    syscall
    .section .note.GNU-stack,"",@progbits
