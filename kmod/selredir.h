/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/* selredir.h — the ioctl interface of runsel's kernel redirect module,
 * shared by the module (kmod/selredir.c) and initmod (user space).
 *
 * A process registers ITSELF: from then on, each system call it makes
 * whose number is set in `bitmap` and whose syscall instruction lies
 * outside [exempt_lo, exempt_hi) is not executed; the thread resumes at
 * `entry` with %rax = the call number, the arguments untouched, %rcx = the
 * address after its syscall instruction and %r11 = its rflags — the state a
 * native call would leave, plus the number.  Threads, forked children
 * (sharing or copying the address space) inherit the registration; exec
 * and exit drop it. */
#ifndef SELREDIR_H
#define SELREDIR_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define SELREDIR_VERSION 1
#define SELREDIR_NSYS 512            /* x86-64 system call numbers covered */
#define SELREDIR_DEVICE "/dev/selredir"

struct selredir_register {
    __u32 version;                   /* SELREDIR_VERSION */
    __u32 flags;                     /* 0 */
    __u64 entry;                     /* where redirected calls resume */
    __u64 exempt_lo, exempt_hi;      /* calls from here always run natively */
    __u64 bitmap[SELREDIR_NSYS / 64];
};

struct selredir_query {
    __u32 version;                   /* in: SELREDIR_VERSION */
    __s32 pid;                       /* in: a process id, 0 = the caller */
    __u64 entry, exempt_lo, exempt_hi;   /* out */
    __u64 redirected;                /* out: calls sent to entry so far */
};

#define SELREDIR_IOC_REGISTER   _IOW('r', 1, struct selredir_register)
#define SELREDIR_IOC_UNREGISTER _IO('r', 2)
#define SELREDIR_IOC_QUERY      _IOWR('r', 3, struct selredir_query)

#endif
