/* optcheck.c — a wrapper's options against the keys it declares with
 * RS_OPTIONS (its note's keys, between the two symbols the macro
 * defines).  Its own object: only a wrapper that calls rs_opt_check, and
 * so has RS_OPTIONS, links it. */
#include <runsel/wrapper.h>
#include "optkeys.h"

extern const char rs_option_keys[] __attribute__((visibility("hidden")));
extern const char rs_option_keys_end[] __attribute__((visibility("hidden")));
extern const struct rs_wrapper rs_wrapper_desc __attribute__((visibility("hidden")));

int rs_opt_check(const struct rs_options *o, char *err, size_t errsize)
{
    size_t len = (size_t)(rs_option_keys_end - rs_option_keys);
    char known[RS_OPTIONS_MAX + 256];

    for (int i = 0; i < o->n; i++) {
        const char *k = o->opt[i].key;
        if (optkeys_has(rs_option_keys, len, k, rs_strlen(k)))
            continue;
        optkeys_join(rs_option_keys, len, "=", known, sizeof(known));
        if (*known)
            rs_snprintf(err, errsize, "unknown option '%s' (%s takes %s)", k,
                        rs_wrapper_desc.name, known);
        else
            rs_snprintf(err, errsize, "unknown option '%s' (%s takes none)", k,
                        rs_wrapper_desc.name);
        return -1;
    }
    return 0;
}
