/* rules.c — FILE.rules (internal/kfile.h): the seccomp filters of the
 * list's placement=kernel entries (its drop-ins' too), compiled here with libseccomp
 * (kfilter/) from each wrapper's rules for the entry's options, found
 * again by initmod through the rules' canonical bytes.  Written with the
 * index by `selctl compile` and every edit; removed when no entry needs
 * it.  An entry whose rules cannot be built is named (FILE:LINE) and
 * makes the compile fail; its programs would not run (126) either. */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "kfilter.h"
#include "selconf.h"
#include "selctl.h"

struct ctx {
    struct kf_file f;
    const struct list_set *set;
    int bad;
};

static int add_line(const char *line, size_t len, unsigned lineno, void *arg)
{
    static struct kf_item it;
    struct ctx *c = arg;
    struct sel_entry e;
    const char *why;
    char entry[SEL_MAX_LINE + 1], msg[512], where[PATH_MAX + 16];

    if (selconf_parse_line(line, len, lineno, &e, &why) != 1 || e.exclude || !e.kernel)
        return 0;
    snprintf(entry, sizeof(entry), "%.*s", (int)len, line);
    for (int pos = 0; pos < e.nwrappers; pos++)
        if (kf_item_for(entry, lineno, (unsigned)pos, getenv("RUNSEL_WRAPPER_DIR"), &it, msg,
                        sizeof(msg)) ||
            kf_file_add(&c->f, &it, msg, sizeof(msg)) < 0) {
            fprintf(stderr, "selctl: %s: placement=kernel: %s\n",
                    set_where(c->set, lineno, where, sizeof(where)), msg);
            c->bad = 1;
        }
    return 0;
}

int compile_rules(const char *file, const struct list_set *s, int quiet)
{
    struct ctx c = {.set = s};
    char path[PATH_MAX];
    const struct stat *st = &s->f[0].st;

    kf_file_init(&c.f);
    set_foreach_line(s, add_line, &c);
    snprintf(path, sizeof(path), "%s.rules", file);
    if (!c.f.count) {                      /* none: no file to trust or go stale */
        if (unlink(path) && errno != ENOENT)
            fprintf(stderr, "selctl: %s: %s\n", path, strerror(errno));
        free(c.f.buf);
        return c.bad;
    }
    int r = write_atomically(path, c.f.buf, c.f.len, st);
    if (r)
        fprintf(stderr, "selctl: %s: %s\n", path, strerror(errno));
    else if (!quiet)
        printf("%s: %u filters for placement=kernel\n", path, c.f.count);
    free(c.f.buf);
    return r || c.bad;
}
