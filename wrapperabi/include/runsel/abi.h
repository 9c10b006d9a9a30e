/* runsel/abi.h — versions and note types of runsel images (also used
 * from assembly: macros only). */
#ifndef RUNSEL_ABI_H
#define RUNSEL_ABI_H

#define RS_ABI_MAJOR 1   /* incompatible changes: images of another major are refused */
#define RS_ABI_MINOR 1   /* compatible additions (1: secure, argv, envp) */

/* ELF note (name "runsel") every runsel image carries: desc = {u32 major,
 * u32 minor}; a wrapper's (ABI >= 1.1) adds {s64 distance from this field
 * to its struct rs_wrapper}. */
#define RS_NOTE_NAME    "runsel"
#define RS_NOTE_WRAPPER 1   /* a system call wrapper */
#define RS_NOTE_INITMOD 2   /* the initialization module */

#endif
