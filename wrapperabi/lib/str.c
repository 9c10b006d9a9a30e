/* str.c — string functions for wrappers (the compiler's mem* are mem.c). */
#include <runsel/wrapper.h>

size_t rs_strlen(const char *s)
{
    const char *p = s;

    while (*p)
        p++;
    return (size_t)(p - s);
}

int rs_strncmp(const char *a, const char *b, size_t n)
{
    for (; n; n--, a++, b++) {
        if (*a != *b)
            return (unsigned char)*a - (unsigned char)*b;
        if (!*a)
            return 0;
    }
    return 0;
}

int rs_strcmp(const char *a, const char *b)
{
    return rs_strncmp(a, b, (size_t)-1);
}

char *rs_strchr(const char *s, int c)
{
    for (;; s++) {
        if (*s == (char)c)
            return (char *)s;
        if (!*s)
            return NULL;
    }
}

size_t rs_strlcpy(char *d, const char *s, size_t size)
{
    size_t n = rs_strlen(s);

    if (size) {
        size_t k = n < size - 1 ? n : size - 1;
        memcpy(d, s, k);
        d[k] = 0;
    }
    return n;
}
