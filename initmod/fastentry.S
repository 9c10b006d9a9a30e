/* fastentry.S — where a patched site's cell sends a call a wrapper takes
 * (fastpath.c, cell.c).
 *
 * On entry, as after the module's redirect (kmodentry.S): %eax = the call
 * number (upper half 0), the arguments in %rdi %rsi %rdx %r10 %r8 %r9 as
 * the program set them, %rcx = the address after its syscall instruction
 * (the cell put it there; a native syscall clobbers %rcx and %r11 too),
 * %rsp = its stack, its flags untouched.  The same frame as the module's
 * entry, so the same registers come back: all but %rax, with %rcx and
 * %r11 as a native syscall leaves them.  The 128-byte red zone is stepped
 * over, never written.  im_fast_call(frame) dispatches on the thread's
 * stack of runsel's (im_sigstack_fast_top). */
#include "frame.inc"

    .text
    .globl rs_fast_entry
    .hidden rs_fast_entry, im_fast_call, im_sigstack_fast_top
    .type rs_fast_entry, @function
rs_fast_entry:
    frameless_entry im_fast_call, im_sigstack_fast_top   /* never sigaltstack: not patched */
    .size rs_fast_entry, .-rs_fast_entry
    .section .note.GNU-stack,"",@progbits
