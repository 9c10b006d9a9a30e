/* keys.c — every option of the request against the keys its wrapper's
 * image declares (RS_OPTIONS, read from the file): a misspelt key
 * (-o strsiz=2) is a usage error here, before anything runs, rather than
 * an option the wrapper never looks at.  initmod checks the same when the
 * program starts (for selected.conf entries too); an image without the
 * note, or one runsel cannot open (the loader will say why), is not
 * checked here. */
#include <stdio.h>
#include <runsel/abi.h>
#include "loader.h"                 /* imgnote_wrapper_keys() */
#include "optkeys.h"
#include "runsel.h"

void check_keys(const struct sel_entry *e, const char *wrapper_dir)
{
    char keys[RS_OPTIONS_MAX], known[RS_OPTIONS_MAX + 256];
    size_t len;
    struct sel_str key;

    for (int i = 0; i < e->nwrappers; i++) {
        const struct sel_wrapper *w = &e->w[i];
        if (!w->options.n ||
            !imgnote_wrapper_keys(w->name.p, w->name.n, wrapper_dir, keys, sizeof(keys), &len) ||
            !selconf_unknown_key(w, keys, len, &key))
            continue;
        optkeys_join(keys, len, "", known, sizeof(known));
        die(2, "%.*s: unknown option %.*s (%s%s)", (int)w->name.n, w->name.p, (int)key.n, key.p,
            *known ? "known: " : "it takes none", known);
    }
}
