/* mem.c — the string functions the loader calls by their libc names (its
 * steps are compiled for the host tools too, against libc).  memcpy and the
 * other functions the compiler may call are the runtime's one copy,
 * wrapperabi/lib/mem.c, compiled in with the same flags as this file.
 *
 * Built with -fno-tree-loop-distribute-patterns so these loops are not
 * turned back into calls to themselves.  Not linked into host tests, which
 * have libc's. */
#include <stddef.h>

size_t strlen(const char *s)
{
    const char *p = s;

    while (*p)
        p++;
    return (size_t)(p - s);
}

int strcmp(const char *a, const char *b)
{
    while (*a && *a == *b)
        a++, b++;
    return (unsigned char)*a - (unsigned char)*b;
}

char *strrchr(const char *s, int c)
{
    const char *last = NULL;

    do
        if (*s == (char)c)
            last = s;
    while (*s++);
    return (char *)last;
}
