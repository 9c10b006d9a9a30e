/* sys.h — raw Linux system calls for freestanding code: the loader and
 * the selection-list code it shares with the tools (selconf/).
 *
 * The loader links no libc: glibc's start-up alone costs ~30 page faults
 * per exec (ARCHITECTURE.md, loader/ › Decisions, "Freestanding, not glibc +
 * libelf").  These wrappers return the kernel's result: a value, or -errno. */
#ifndef RUNSEL_SYS_H
#define RUNSEL_SYS_H

#include <stddef.h>
#include <sys/syscall.h>
#include <runsel/abi.h>            /* rs_is_err() */

static inline long sys6(long nr, long a, long b, long c, long d, long e, long f)
{
    register long r10 __asm__("r10") = d;
    register long r8 __asm__("r8") = e;
    register long r9 __asm__("r9") = f;
    long ret;

    __asm__ volatile("syscall"
                     : "=a"(ret)
                     : "a"(nr), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
                     : "rcx", "r11", "memory");
    return ret;
}

#define sys0(n)             sys6(n, 0, 0, 0, 0, 0, 0)
#define sys1(n, a)          sys6(n, (long)(a), 0, 0, 0, 0, 0)
#define sys2(n, a, b)       sys6(n, (long)(a), (long)(b), 0, 0, 0, 0)
#define sys3(n, a, b, c)    sys6(n, (long)(a), (long)(b), (long)(c), 0, 0, 0)
#define sys4(n, a, b, c, d) sys6(n, (long)(a), (long)(b), (long)(c), (long)(d), 0, 0)
#define sys5(n, a, b, c, d, e) sys6(n, (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), 0)

static inline void *sys_mmap(void *addr, size_t len, int prot, int flags, int fd, long off)
{
    return (void *)sys6(SYS_mmap, (long)addr, (long)len, prot, flags, fd, off);
}

__attribute__((noreturn)) static inline void sys_exit_group(int status)
{
    for (;;)
        sys1(SYS_exit_group, status);
}

#endif
