/* fplib — fpa.so and fpb.so for fp's dlreuse mode: the same code but for
 * the call number of their sites (FPLIB_NR: getppid in fpa.so, getpid in
 * fpb.so), so both libraries have one layout and, loaded one after the
 * other, the same site addresses with other bytes in them.  32 sites, so
 * that many are patched at once (stress mode restores one per trap: with
 * few, each is restored before the library goes away). */
#ifndef FPLIB_NR
#error FPLIB_NR must be set
#endif
#define STR_(x) #x
#define STR(x) STR_(x)

#define SITE(i)                                                               \
    static long site##i(void)                                                 \
    {                                                                         \
        long r;                                                               \
        __asm__ volatile("mov $" STR(FPLIB_NR) ", %%eax\n\tsyscall"           \
                         : "=a"(r) : : "rcx", "r11", "memory");               \
        return r;                                                             \
    }
#define SITES4(i) SITE(i##0) SITE(i##1) SITE(i##2) SITE(i##3)
SITES4(0) SITES4(1) SITES4(2) SITES4(3) SITES4(4) SITES4(5) SITES4(6) SITES4(7)

#define REF4(i) site##i##0, site##i##1, site##i##2, site##i##3,
static long (*const sites[32])(void) = {REF4(0) REF4(1) REF4(2) REF4(3) REF4(4) REF4(5) REF4(6) REF4(7)};

/* Site i's function (noinline by being called through the table). */
long (*fplib_site(int i))(void)
{
    return sites[i & 31];
}
