/* entry.S — the loader's ELF entry point.
 *
 * No libc start-up: hand the kernel's initial stack pointer (&argc) to
 * loader_main, which never returns.  The kernel leaves %rsp 16-byte
 * aligned; the call makes it what the C ABI expects on function entry. */
    .text
    .globl _start
    .type _start, @function
_start:
    xor  %ebp, %ebp
    mov  %rsp, %rdi
    call loader_main
    hlt
    .size _start, .-_start
    .section .note.GNU-stack,"",@progbits
