/* mem.c — memcpy, memmove, memset and memcmp: the functions a compiler may
 * call from freestanding code.  One copy for every freestanding part: the
 * wrapper runtime (and so initmod and every wrapper) and the loader, which
 * compiles this file with its own flags (loader/loader.mk).  Built with
 * -fno-tree-loop-distribute-patterns (and -fno-builtin for the loader), so
 * these loops are not turned back into calls to themselves. */
#include <stddef.h>

void *memcpy(void *restrict d, const void *restrict s, size_t n)
{
    unsigned char *dp = d;
    const unsigned char *sp = s;

    while (n--)
        *dp++ = *sp++;
    return d;
}

void *memmove(void *d, const void *s, size_t n)
{
    unsigned char *dp = d;
    const unsigned char *sp = s;

    if (dp < sp)
        while (n--)
            *dp++ = *sp++;
    else
        while (n--)
            dp[n] = sp[n];
    return d;
}

void *memset(void *d, int c, size_t n)
{
    unsigned char *dp = d;

    while (n--)
        *dp++ = (unsigned char)c;
    return d;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *x = a, *y = b;

    for (; n; n--, x++, y++)
        if (*x != *y)
            return *x - *y;
    return 0;
}
