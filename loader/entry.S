/* entry.S — the loader's ELF entry point (linked with -e runsel_entry).
 *
 * Runs before glibc's _start, while the stack still is exactly what the
 * kernel built: record it and let early.c move the loader's brk out of the
 * way (see early.c), then continue into glibc's normal start-up. */
    .text
    .globl runsel_entry
    .type runsel_entry, @function
runsel_entry:
    mov  %rsp, %rdi          /* &argc; the kernel leaves it 16-byte aligned */
    call runsel_early        /* leaves %rsp as it found it */
    xor  %edx, %edx          /* no rtld_fini for a static program */
    jmp  _start
    .size runsel_entry, .-runsel_entry
    .section .note.GNU-stack,"",@progbits
