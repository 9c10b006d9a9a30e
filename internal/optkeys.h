/* optkeys.h — the option keys a wrapper declares (its RS_NOTE_OPTIONS
 * note: keys, each NUL-terminated), as the four places that check options
 * against them read them: runsel and `selctl check` from the image file,
 * initmod from the mapped image before the wrapper's init, and the
 * wrapper itself (rs_opt_check).  No libc: initmod and the wrappers are
 * freestanding. */
#ifndef RUNSEL_OPTKEYS_H
#define RUNSEL_OPTKEYS_H

#include <stddef.h>

/* Is key[0..klen) one of the declared keys? */
static inline int optkeys_has(const char *keys, size_t len, const char *key, size_t klen)
{
    size_t i = 0;

    while (i < len) {
        size_t j = 0;
        while (i + j < len && keys[i + j] && j < klen && keys[i + j] == key[j])
            j++;
        if (j == klen && (i + j == len || !keys[i + j]))
            return 1;
        while (i < len && keys[i])
            i++;
        i++;                                   /* past the NUL */
    }
    return 0;
}

/* The keys as "a, b, c" (suffix after each, e.g. "=") in out; "" when
 * there are none.  Cut short (but NUL-terminated) when out is too small. */
static inline void optkeys_join(const char *keys, size_t len, const char *suffix, char *out,
                                size_t size)
{
    size_t n = 0;

    if (!size)
        return;
    for (size_t i = 0; i < len; i++) {
        const char *add = keys[i] ? NULL : suffix;
        if (keys[i] && i > 0 && !keys[i - 1] && n + 2 < size) {
            out[n++] = ',';
            out[n++] = ' ';
        }
        if (keys[i] && n + 1 < size)
            out[n++] = keys[i];
        for (; add && *add && n + 1 < size; add++)
            out[n++] = *add;
    }
    out[n] = 0;
}

#endif
