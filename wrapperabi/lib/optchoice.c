/* optchoice.c — an option that takes one of a few words (format=text|json,
 * trace's xlat=, audit=yes|no ...), with one message for a wrong one.  Its
 * own object: opts.c is also linked into runsel and selctl, which have no
 * rs_snprintf. */
#include <runsel/wrapper.h>

int rs_opt_choice(const struct rs_options *o, const char *key, const char *const *words, int *out,
                  char *err, size_t errsize)
{
    const char *v = rs_opt(o, key);

    if (!v)
        return 0;
    for (int i = 0; words[i]; i++)
        if (!rs_strcmp(v, words[i])) {
            *out = i;
            return 0;
        }
    rs_snprintf(err, errsize, "%s=%s: expected %s", key, v, words[0]);
    for (int i = 1; words[i]; i++) {
        size_t n = rs_strlen(err);
        rs_snprintf(err + n, errsize - n, "%s%s", words[i + 1] ? ", " : " or ", words[i]);
    }
    return -1;
}
