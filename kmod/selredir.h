/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/* selredir.h — the ioctl interface of runsel's kernel redirect module,
 * shared by the module (kmod/selredir.c) and initmod (user space).
 *
 * A process registers ITSELF: from then on, each system call it makes
 * whose number is set in `bitmap` and whose syscall instruction lies
 * outside [exempt_lo, exempt_hi) is not executed; the thread resumes at
 * `entry` with %rax = the call number (and, under SELREDIR_F_TID, the
 * thread id in its upper half), the arguments untouched, %rcx = the
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

/* flags: ia32 (int $0x80) and x32 calls made from outside the exempt
 * range fail with ENOSYS instead of running (they cannot be delivered to
 * the entry, and an enforcing wrapper must not let them through). */
#define SELREDIR_F_DENY_COMPAT 1u
/* flags: a redirected call resumes with the thread's id (as gettid() gives
 * it) in the upper 32 bits of %rax, the number in the lower 32: the entry
 * finds per-thread state without a system call. */
#define SELREDIR_F_TID 2u

struct selredir_register {
    __u32 version;                   /* SELREDIR_VERSION */
    __u32 flags;                     /* SELREDIR_F_* */
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

/* What /proc/selredir shows for the caller's registration (its wrapper
 * stack): printable characters, NUL-terminated. */
#define SELREDIR_LABEL_MAX 128
struct selredir_label {
    __u32 version;                   /* SELREDIR_VERSION */
    __u32 reserved;                  /* 0 */
    char text[SELREDIR_LABEL_MAX];
};

/* Where the caller's ia32 (int $0x80) calls are sent instead of running,
 * from outside its exempt range: they resume at entry32 with the address
 * after their int $0x80 pushed below the 128-byte red zone ((%rsp) = that
 * address, %rsp = the program's - 136) and every register as the program
 * left it (%eax = the number, arguments in %ebx ... %ebp); "ret $128"
 * returns.  Its x32 calls (bit 30 in the number) go to entry like native
 * ones.  entry32 = 0: they run natively (or fail, SELREDIR_F_DENY_COMPAT). */
struct selredir_compat {
    __u32 version;                   /* SELREDIR_VERSION */
    __u32 reserved;                  /* 0 */
    __u64 entry32;
};

#define SELREDIR_IOC_REGISTER   _IOW('r', 1, struct selredir_register)
#define SELREDIR_IOC_UNREGISTER _IO('r', 2)
#define SELREDIR_IOC_QUERY      _IOWR('r', 3, struct selredir_query)
#define SELREDIR_IOC_LABEL      _IOW('r', 4, struct selredir_label)
#define SELREDIR_IOC_COMPAT     _IOW('r', 5, struct selredir_compat)

#endif
