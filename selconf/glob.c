/* glob.c — the glob language of selected.conf, also sandbox's allow-exec
 * (through rs_glob_match): `*` within a path component, `**` across
 * components, `?` one character other than `/`.  Freestanding: it runs in
 * the loader on every exec, in wrapper images and in the host tools. */
#include "glob.h"

/* Dynamic programming over the path, one pattern token at a time:
 * live[j] says the pattern so far matches the first j characters.
 * O(pattern x path) whatever the pattern — a backtracking matcher is
 * exponential on patterns like a*a*a*a*b (found by the fuzzer). */
int selconf_glob(const char *pat, size_t plen, const char *s, size_t slen)
{
    unsigned char live[SEL_GLOB_MAX + 1];

    if (slen > SEL_GLOB_MAX)
        return 0;
    live[0] = 1;
    for (size_t j = 1; j <= slen; j++)
        live[j] = 0;
    for (size_t pi = 0; pi < plen; pi++) {
        char c = pat[pi];
        if (c == '*') {
            int across = pi + 1 < plen && pat[pi + 1] == '*';
            pi += across;
            for (size_t j = 1; j <= slen; j++)   /* extend over more characters */
                if (!live[j] && live[j - 1] && (across || s[j - 1] != '/'))
                    live[j] = 1;
            continue;
        }
        for (size_t j = slen; j > 0; j--)        /* consume exactly one */
            live[j] = live[j - 1] && (c == '?' ? s[j - 1] != '/' : s[j - 1] == c);
        live[0] = 0;
    }
    return live[slen];
}
