/* ia32 — a 64-bit static program that makes ia32 system calls with
 * int $0x80 (write = 4, getpid = 20, and x86-64's getpid = 39 for
 * comparison): under interception each must run as itself, never as the
 * x86-64 call with the same number (4 = stat, 20 = writev). */
#include <stdio.h>
#include <unistd.h>

static long int80(long nr, long a, long b, long c)
{
    long r;

    __asm__ volatile("int $0x80" : "=a"(r) : "a"(nr), "b"(a), "c"(b), "d"(c) : "memory");
    return r;
}

int main(void)
{
    static const char msg[] = "ia32 write\n";   /* below 4 GiB: not a PIE */
    long w = int80(4, 1, (long)msg, sizeof(msg) - 1);
    long p = int80(20, 0, 0, 0);

    printf("write=%ld getpid=%s\n", w, p == (long)getpid() ? "same" : "differs");
    if (p != (long)getpid())
        printf("getpid returned %ld\n", p);
    return 0;
}
