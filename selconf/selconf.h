/* selconf.h — the selected.conf format, shared by the loader (which must
 * decide on every exec, without libc or heap) and selctl (which checks,
 * explains and edits the list).  One entry per line:
 *
 *     MATCH  WRAPPER  [key=value ...] [+ WRAPPER [key=value ...]]...   # comment
 *     !MATCH                                                           # exclusion
 *
 * MATCH: an absolute path, a glob (`*` within a component, `**` across,
 * `?` one character), or xxh128:HEX (XXH3-128 of the program's contents).
 * Precedence: an exclusion that matches wins; otherwise the first matching
 * entry selects.  Several wrappers joined by `+` form a stack, outermost
 * first.  See docs/selected.conf.md. */
#ifndef RUNSEL_SELCONF_H
#define RUNSEL_SELCONF_H

#include <stddef.h>
#include "glob.h"                   /* selconf_glob() */

#define SEL_MAX_LINE 4096
#define SEL_MAX_STACK 8          /* wrappers in one stack (entry, inherited, runsel's) */

/* Drop-ins: LIST.d/NAME.conf, read after the list in strcmp order of
 * NAME, continue it as if appended.  One numbering of lines covers the
 * whole set: line n of file k (0: the list, 1..: the drop-ins in order) is
 * k * SEL_FILE_STRIDE + n wherever a line number is kept (the index,
 * $RUNSEL_SELECTED, the stack's items), so "the first line" is the first
 * in reading order, and the list's own lines keep their numbers.  Messages
 * map a number back to FILE:LINE. */
#define SEL_FILE_STRIDE 1000000u
#define SEL_MAX_FILE_LINES (SEL_FILE_STRIDE - 1)
#define SEL_MAX_DROPINS 128
#define SEL_MAX_DROPIN_NAME 255  /* NAME_MAX */
#define SEL_MAX_DROPIN_SIZE (16u << 20)

enum sel_kind { SEL_PATH, SEL_GLOB, SEL_HASH };

struct sel_str {
    const char *p;
    size_t n;
};

/* One wrapper of an entry's stack, with the options that follow it. */
struct sel_wrapper {
    struct sel_str name;
    struct sel_str options;     /* its words up to the next `+`, as written */
    struct sel_str syscalls;    /* syscalls=LIST, empty: all the wrapper asks for */
    int has_hash;               /* wrapper-hash= pins the image */
    unsigned char hash[16];
};

struct sel_entry {
    unsigned line;              /* 1-based */
    int exclude;
    enum sel_kind kind;
    struct sel_str match;       /* path or glob, or the hex digits */
    unsigned char hash[16];     /* SEL_HASH: canonical XXH3-128 */
    int nwrappers;              /* the stack, outermost first */
    struct sel_wrapper w[SEL_MAX_STACK];
    int inherit;                /* inherit=yes (default) / no: the whole entry */
    struct sel_str backend;     /* backend=..., empty: auto: the whole entry */
    struct sel_str fastpath;    /* fastpath=yes|no|stress, empty: yes: the whole entry */
    int process;                /* placement=process (default inprocess): the whole entry */
    int kernel;                 /* placement=kernel: rules in a seccomp filter, the rest in process */
    struct sel_str wrapper;     /* the first wrapper's name (= w[0].name) */
    struct sel_str options;     /* everything after the first wrapper, as written */
    struct sel_str text;        /* the whole line without comment, trimmed */
};

/* Parse one line (without its newline).  Returns 1 for an entry, 0 for a
 * blank or comment line, -1 for an error with *why set to a message. */
int selconf_parse_line(const char *line, size_t len, unsigned lineno, struct sel_entry *e,
                       const char **why);

/* Call fn for every line of buf; stops early if fn returns non-zero and
 * returns that value. */
typedef int (*selconf_line_fn)(const char *line, size_t len, unsigned lineno, void *ctx);
int selconf_foreach_line(const char *buf, size_t len, selconf_line_fn fn, void *ctx);
/* ... for file k of the list's set (0: the list, then its drop-ins): fn
 * gets the set's numbering, k * SEL_FILE_STRIDE + n.  A line past
 * SEL_MAX_FILE_LINES is not passed on: it stops the walk, sets *too_many
 * (when not NULL) and gives 0; otherwise *too_many is 0 and fn's result
 * is returned, as above. */
int selconf_foreach_file_line(const char *buf, size_t len, unsigned k, selconf_line_fn fn,
                              void *ctx, int *too_many);

/* Does path (a canonical absolute path) match the entry's path or glob? */
int selconf_path_matches(const struct sel_entry *e, const char *path, size_t len);

/* The keys the loader understands, not the wrapper: the parser acts on
 * them (selconf.c) and initmod does not hand them to the wrapper.  One
 * list for both, so inline (initmod does not link the parser); an array of
 * arrays, not of pointers, so the loader stays free of relocations. */
#define SEL_KEY_INHERIT 1u
#define SEL_KEY_BACKEND 2u
#define SEL_KEY_SYSCALLS 4u
#define SEL_KEY_HASH 8u
#define SEL_KEY_FASTPATH 16u
#define SEL_KEY_PLACEMENT 32u
/* The key's SEL_KEY_ bit, or 0 for an option of the wrapper's. */
static inline unsigned selconf_key(const char *key, size_t len)
{
    static const char keys[][13] = {"inherit", "backend", "syscalls", "wrapper-hash",
                                     "fastpath", "placement"};

    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
        size_t j = 0;
        while (j < len && keys[i][j] && keys[i][j] == key[j])
            j++;
        if (j == len && !keys[i][j])
            return 1u << i;
    }
    return 0;
}

/* Is a directory entry named name (len bytes) a drop-in: NAME.conf, not
 * hidden?  Anything else there (an editor's backup, a package manager's
 * x.conf.dpkg-old) is not read. */
int selconf_dropin_name(const char *name, size_t len);

int selconf_hex16(const char *hex, size_t n, unsigned char out[16]);

/* The first option of w whose key is not among keys (a wrapper image's
 * declared keys, each NUL-terminated: internal/optkeys.h) and not one of
 * the loader's own (selconf_key): 1 with it in *key, or 0. */
int selconf_unknown_key(const struct sel_wrapper *w, const char *keys, size_t len,
                        struct sel_str *key);

#endif
