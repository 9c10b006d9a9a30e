/* opts.c — the wrapper's options (key=value from selected.conf / runsel -o). */
#include <runsel/wrapper.h>

const char *rs_opt(const struct rs_options *o, const char *key)
{
    /* The last occurrence wins: runsel -o overrides an entry's option. */
    for (int i = o->n - 1; i >= 0; i--)
        if (!rs_strcmp(o->opt[i].key, key))
            return o->opt[i].value;
    return NULL;
}

int rs_opt_long(const struct rs_options *o, const char *key, long dflt, long *out)
{
    const char *v = rs_opt(o, key);
    unsigned long n = 0, max = 0x7fffffffffffffffUL;
    int neg = 0;

    *out = dflt;
    if (!v)
        return 0;
    if (*v == '-')
        neg = 1, v++, max++;        /* down to LONG_MIN */
    if (!*v)
        return -1;
    for (; *v; v++) {
        unsigned d = (unsigned)(*v - '0');
        if (*v < '0' || *v > '9' || n > (max - d) / 10)
            return -1;
        n = n * 10 + d;
    }
    *out = neg ? (long)(0 - n) : (long)n;
    return 0;
}

const char *rs_next_word(const char **cursor, char sep, size_t *len)
{
    const char *p = *cursor, *w;

    if (!p)
        return NULL;
    while (*p == sep)
        p++;
    if (!*p) {
        *cursor = p;
        return NULL;
    }
    w = p;
    while (*p && *p != sep)
        p++;
    *len = (size_t)(p - w);
    *cursor = p;
    return w;
}
