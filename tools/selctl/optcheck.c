/* optcheck.c — `selctl check`: every option of an entry's wrappers must
 * be one the wrapper's image declares (its RS_OPTIONS note), as initmod
 * will insist when the program runs (the exec fails, 126).  An image that
 * cannot be found here, or declares nothing, is not checked: the loader
 * reports a missing image itself, and old images take any key. */
#include <stdio.h>
#include <stdlib.h>
#include <runsel/abi.h>
#include "loader.h"                 /* imgnote_wrapper_keys() */
#include "optkeys.h"
#include "selconf.h"
#include "selctl.h"

unsigned check_options(const char *where, const struct sel_entry *e)
{
    char keys[RS_OPTIONS_MAX], known[RS_OPTIONS_MAX + 256];
    const char *dir = getenv("RUNSEL_WRAPPER_DIR");
    unsigned bad = 0;
    size_t len;
    struct sel_str key;

    for (int i = 0; i < e->nwrappers; i++) {
        const struct sel_wrapper *w = &e->w[i];
        if (!w->options.n ||
            !imgnote_wrapper_keys(w->name.p, w->name.n, dir, keys, sizeof(keys), &len) ||
            !selconf_unknown_key(w, keys, len, &key))
            continue;
        optkeys_join(keys, len, "", known, sizeof(known));
        printf("%s: %.*s: unknown option %.*s (%s%s)\n", where, (int)w->name.n, w->name.p,
               (int)key.n, key.p, *known ? "known: " : "it takes none", known);
        bad++;
    }
    return bad;
}
