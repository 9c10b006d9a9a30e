/* runsel/abi.h — versions and note types of runsel images, and the
 * kernel's error-return convention (also used from assembly: macros only
 * outside __ASSEMBLER__ guards). */
#ifndef RUNSEL_ABI_H
#define RUNSEL_ABI_H

#define RS_ABI_MAJOR 1   /* incompatible changes: images of another major are refused */
#define RS_ABI_MINOR 7   /* compatible additions (1: secure, argv, envp; 2: keep_fd_exec, inherits;
                          * 3: signal, RS_SIGRETURN; 4: where the program is — rs_proc_path,
                          * rs_program_fd, rs_program_cwd, rs_thread_cputime_ns, rs_inprocess,
                          * rs_getpid/rs_gettid by the host; 5: rs_pin_arg; 6: rules;
                          * 7: RS_OBSERVES, rs_call_clock_ns) */

/* ELF note (name "runsel") every runsel image carries: desc = {u32 major,
 * u32 minor}; a wrapper's (ABI >= 1.1) adds {s64 distance from this field
 * to its struct rs_wrapper}.  The note of type RS_NOTE_WRAPPER or
 * RS_NOTE_INITMOD says what the image is; other types say more about it. */
#define RS_NOTE_NAME    "runsel"
#define RS_NOTE_WRAPPER 1   /* a system call wrapper */
#define RS_NOTE_INITMOD 2   /* the initialization module */
/* The option keys a wrapper takes (RS_OPTIONS in runsel/wrapper.h): desc =
 * the keys, each NUL-terminated, at most RS_OPTIONS_MAX bytes.  runsel,
 * selctl check and initmod refuse other keys; an image without the note
 * is not checked. */
#define RS_NOTE_OPTIONS 3
#define RS_OPTIONS_MAX  1024

/* The kernel's convention for a system call's return value: -4095..-1 is
 * -errno, anything else a result (an address from mmap can be "negative").
 * The one test for it, in the loader, initmod and wrappers alike. */
#ifndef __ASSEMBLER__
static inline int rs_is_err(long r)
{
    return (unsigned long)r > -4096UL;
}
#endif

#endif
