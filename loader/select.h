/* select.h — the loader's decision for one exec: is the program selected,
 * and with which stack of wrappers (select.c).  Shared with selctl, which
 * links select.c so that what `selctl explain` says is what the loader does;
 * this header is all of the loader selctl needs. */
#ifndef RUNSEL_SELECT_H
#define RUNSEL_SELECT_H

#include <fcntl.h>
#include <stddef.h>
#include "selconf.h"
#include "selindex.h"               /* struct sel_identity */

#define LD_SYSTEM_LIST "/etc/runsel/selected.conf"
/* Where wrapper names resolve: $(LIBEXECDIR)/wrappers, from the build's
 * config.h (the Makefile passes -include $(B)/config.h). */
#ifndef RUNSEL_LIBEXECDIR
#error "RUNSEL_LIBEXECDIR comes from the build's config.h"
#endif
#define LD_WRAPPER_DIR RUNSEL_LIBEXECDIR "/wrappers"
/* Opening a file whose type is not known yet: a FIFO or device must not
 * block the exec (fstat decides afterwards). */
#define LD_OPEN_FLAGS (O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY)

/* One wrapper of the stack, outermost first. */
struct sel_item {
    unsigned line, pos;          /* origin: list line and place in its entry (line 0: runsel's request) */
    int inherited;               /* came from the parent ($RUNSEL_SELECTED) */
    int cond;                    /* kept only if the wrapper enforces a policy (initmod decides) */
    int inherit;                 /* its entry passes it on to the programs it runs */
    int kernel;                  /* its entry says placement=kernel */
    int fd;                      /* the checked image, mapped from this descriptor */
    int enforces;                /* its flags say RS_ENFORCES (or it does not say: assumed) */
    const char *problem;         /* the wrapper cannot be used: why */
    char name[256];              /* as written in the entry */
    char path[4096];             /* resolved */
    char entry[SEL_MAX_LINE + 1]; /* the entry it comes from, as written */
};

/* The list's drop-ins (LIST.d/NAME.conf, selconf.h) as found for this
 * decision: trusted, in reading order, with the identity each had. */
struct sel_dropins {
    int n;
    int fd;                      /* the directory while deciding, else -1 */
    char dir[4100];              /* the list's real path + ".d" */
    unsigned name_off[SEL_MAX_DROPINS];
    struct sel_identity id[SEL_MAX_DROPINS];
    char names[SEL_MAX_DROPINS * (SEL_MAX_DROPIN_NAME + 1)];
};

struct selection {
    int nitems;                  /* selected: the stack is not empty */
    struct sel_item item[SEL_MAX_STACK];
    unsigned line;               /* the program's own selecting entry, or 0 */
    unsigned excluded_line;      /* of the exclusion that matched, or 0 */
    int via_index;               /* decided by the compiled index */
    int hash_cached;             /* the program's hash came from FILE.hcache */
    const char *list;            /* the list consulted */
    const char *why_not;         /* the list was ignored: why */
    const char *problem;         /* selected, but the stack cannot be used: why */
    int problem_item;            /* ... because of this item (-1: the stack itself) */
    char entry[SEL_MAX_LINE + 1]; /* the program's own selecting line, as written */
    /* A placement=kernel item of the list's (not inherited: its filter
     * is to be installed at this exec): FILE.rules, open and trusted as
     * the list — its fd + 1, so that a zeroed selection holds none (0) —
     * or 0 with rules_why. */
    int rules_fd1;
    const char *rules_why;
    const struct sel_dropins *dropins; /* of the list, for select_where() */
};

struct select_request {
    const char *list;            /* NULL: the system list */
    int user_list;               /* $RUNSEL_CONFIG: trusted when owned by root or the real user */
    const char *wrapper_dir;     /* where wrapper names resolve (NULL: the installed directory) */
    const char *inherited;       /* the parent's stack ($RUNSEL_SELECTED), or NULL */
    const char *run;             /* runsel's request ($RUNSEL_RUN), or NULL */
};
/* Decide the stack for the program open on prog_fd; wrapper images of the
 * stack are left open (select_close). */
void select_program(const struct select_request *rq, int prog_fd, struct selection *sel);
void select_close(struct selection *sel);
/* The image a wrapper word names: an absolute path as it is, a name as
 * WRAPPER_DIR/NAME.so (wrapper_dir NULL: the installed directory). */
void select_wrapper_path(const char *name, const char *wrapper_dir, char *path, size_t size);
/* "FILE:LINE" for line (numbered as selconf.h says) of sel's list or
 * one of its drop-ins, into buf; returns buf. */
const char *select_where(const struct selection *sel, unsigned line, char *buf, size_t size);
/* The drop-ins of the list whose real path is real_list, listed and
 * checked as the loader does: NULL and *d, or why the loader would ignore
 * the list because of them (naming the file). */
const char *select_dropins(const char *real_list, int user_list, const struct sel_dropins **d);
/* NULL if the list open on fd may be used, else why not; real gets its path. */
const char *list_trust(int fd, int user_list, char *real, size_t size);

#endif
