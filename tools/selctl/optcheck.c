/* optcheck.c — `selctl check`: every option of an entry's wrappers must
 * be one the wrapper's image declares (its RS_OPTIONS note), as initmod
 * will insist when the program runs (the exec fails, 126).  An image that
 * cannot be found here, or declares nothing, is not checked: the loader
 * reports a missing image itself, and old images take any key. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <runsel/abi.h>
#include "loader.h"                 /* imgnote_option_keys() */
#include "optkeys.h"
#include "selconf.h"
#include "selctl.h"

/* The keys of the image the wrapper word names: 1 with them, else 0. */
static int image_keys(const struct sel_str *name, char *keys, size_t size, size_t *len)
{
    char word[256], path[4096];
    int r = 0;

    if (name->n >= sizeof(word))
        return 0;
    snprintf(word, sizeof(word), "%.*s", (int)name->n, name->p);
    select_wrapper_path(word, getenv("RUNSEL_WRAPPER_DIR"), path, sizeof(path));
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (fd >= 0) {
        r = imgnote_option_keys(fd, keys, size, len) == 1;
        close(fd);
    }
    return r;
}

unsigned check_options(const char *where, const struct sel_entry *e)
{
    char keys[RS_OPTIONS_MAX], known[RS_OPTIONS_MAX + 256];
    unsigned bad = 0;
    size_t len;
    struct sel_str key;

    for (int i = 0; i < e->nwrappers; i++) {
        const struct sel_wrapper *w = &e->w[i];
        if (!w->options.n || !image_keys(&w->name, keys, sizeof(keys), &len) ||
            !selconf_unknown_key(w, keys, len, &key))
            continue;
        optkeys_join(keys, len, "", known, sizeof(known));
        printf("%s: %.*s: unknown option %.*s (%s%s)\n", where, (int)w->name.n, w->name.p,
               (int)key.n, key.p, *known ? "known: " : "it takes none", known);
        bad++;
    }
    return bad;
}
