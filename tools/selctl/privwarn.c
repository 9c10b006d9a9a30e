/* privwarn.c — `selctl check` and `selctl add` warn when an entry selects
 * a set-user-ID, set-group-ID or file-capability program with a wrapper
 * that records data (trace, count, or any entry with log=): such a
 * program runs with privileges its caller does not have, and what it reads
 * and writes would go to a log.  The wrappers themselves refuse logs a
 * caller could choose for secure execs; this is the administrator's
 * warning when the entry is written, not a refusal (exit status unchanged).
 *
 * Which programs are looked at: an exact path is stat'ed; a glob is
 * matched against the files under its literal leading directory (when that
 * has at least two components, e.g. /opt/tools for a glob under it; at most
 * MAX_WALK files) or else against the files directly in the usual program
 * directories (BIN_DIRS); xxh128: entries are not checked (that would mean
 * hashing every program). */
#define _GNU_SOURCE
#include <ftw.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include "selconf.h"
#include "selctl.h"

#define MAX_WALK 20000
#define MAX_NAMED 5
static const char *const BIN_DIRS[] = {"/usr/bin", "/usr/sbin", "/usr/local/bin",
                                       "/usr/local/sbin", "/usr/libexec"};

/* Does the wrapper word name a recording wrapper?  Compared by the name
 * part (a path's file name without .so), each of a list of names
 * separated by anything that cannot be in a name. */
static int records_word(const char *w, size_t n)
{
    size_t i = 0;

    while (i < n) {
        size_t j = i;
        while (j < n && w[j] != ',' && w[j] != '+' && w[j] != '|' && w[j] != ':')
            j++;
        const char *name = w + i;
        size_t len = j - i;
        const char *slash = memrchr(name, '/', len);
        if (slash) {
            len -= (size_t)(slash + 1 - name);
            name = slash + 1;
        }
        if (len > 3 && !memcmp(name + len - 3, ".so", 3))
            len -= 3;
        if ((len == 5 && !memcmp(name, "trace", 5)) || (len == 5 && !memcmp(name, "count", 5)))
            return 1;
        i = j + 1;
    }
    return 0;
}

/* The recording part of the entry ("trace", "log=..."), or NULL.  Read
 * from the entry's words, so it holds whatever form the wrapper words take. */
static const char *recorder(const struct sel_entry *e, char *buf, size_t size)
{
    const char *p = e->text.p, *end = e->text.p + e->text.n;
    int word = 0;

    while (p < end) {
        while (p < end && (*p == ' ' || *p == '\t'))
            p++;
        const char *w = p;
        while (p < end && *p != ' ' && *p != '\t')
            p++;
        size_t n = (size_t)(p - w);
        if (!n || word++ == 0)
            continue;            /* MATCH */
        const char *eq = memchr(w, '=', n);
        if ((eq && eq - w == 3 && !memcmp(w, "log", 3)) || (!eq && records_word(w, n))) {
            snprintf(buf, size, "%.*s", (int)n, w);
            return buf;
        }
    }
    return NULL;
}

/* "set-user-ID", ... if running path gives privileges, else NULL. */
static const char *privilege_of(const char *path, const struct stat *st)
{
    if (!S_ISREG(st->st_mode) || !(st->st_mode & 0111))
        return NULL;
    if (st->st_mode & S_ISUID)
        return "set-user-ID";
    if ((st->st_mode & S_ISGID) && (st->st_mode & S_IXGRP))
        return "set-group-ID";
    if (getxattr(path, "security.capability", NULL, 0) > 0)
        return "file-capability";
    return NULL;
}

static struct {
    const struct sel_entry *e;
    const char *where, *rec;
    char match[SEL_MAX_LINE + 1];
    unsigned found, walked;
} W;

static void found(const char *path, const char *priv)
{
    if (W.found++ < MAX_NAMED)
        fprintf(stderr, "selctl: warning: %s: %s is %s, and the entry records data (%s): "
                "the privileged program's data would go to its log\n",
                W.where, path, priv, W.rec);
}

static void consider(const char *path, const struct stat *st)
{
    const char *priv = privilege_of(path, st);

    if (priv && selconf_glob(W.match, strlen(W.match), path, strlen(path)))
        found(path, priv);
}

static int walk_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)ftw;
    if (type == FTW_F)
        consider(path, st);
    return ++W.walked >= MAX_WALK;
}

/* The directory before the first wildcard, if it has >= 2 components. */
static int literal_dir(const char *glob, char *dir, size_t size)
{
    size_t n = strcspn(glob, "*?[");
    while (n > 0 && glob[n - 1] != '/')
        n--;
    while (n > 1 && glob[n - 1] == '/')
        n--;
    if (n >= size || memchr(glob + 1, '/', n > 0 ? n - 1 : 0) == NULL)
        return -1;
    memcpy(dir, glob, n);
    dir[n] = 0;
    return 0;
}

static void check_glob(void)
{
    char dir[SEL_MAX_LINE + 1];

    if (literal_dir(W.match, dir, sizeof(dir)) == 0) {
        nftw(dir, walk_one, 16, FTW_PHYS);
        return;
    }
    for (size_t i = 0; i < sizeof(BIN_DIRS) / sizeof(BIN_DIRS[0]); i++) {
        W.walked = 0;
        nftw(BIN_DIRS[i], walk_one, 4, FTW_PHYS);   /* bounded by MAX_WALK */
    }
}

unsigned warn_privileged(const char *where, const struct sel_entry *e)
{
    char rec[256];
    struct stat st;

    if (e->exclude || e->kind == SEL_HASH || e->match.n > SEL_MAX_LINE)
        return 0;
    memset(&W, 0, sizeof(W));
    W.e = e;
    W.where = where;
    if (!(W.rec = recorder(e, rec, sizeof(rec))))
        return 0;
    memcpy(W.match, e->match.p, e->match.n);
    W.match[e->match.n] = 0;
    if (e->kind == SEL_PATH) {
        const char *priv = stat(W.match, &st) == 0 ? privilege_of(W.match, &st) : NULL;
        if (priv)
            found(W.match, priv);
    } else {
        check_glob();
    }
    if (W.found > MAX_NAMED)
        fprintf(stderr, "selctl: warning: %s: and %u more such programs\n", where,
                W.found - MAX_NAMED);
    return W.found;
}
