/* selctl.h — the runsel administration tool, one file per concern:
 *   main.c    command line, help texts and dispatch
 *   binfmt.c  the binfmt_misc entry: build, check the loader, which
 *             instance is mounted, register, unregister, status
 *   userns.c  private user + mount namespace with its own binfmt_misc
 *   list.c    the selection list: check, list, explain, hash, add, remove
 *   words.c   what an edit may write into the list (no control characters)
 *   privwarn.c warnings for entries that record data of privileged programs
 *   optcheck.c options of an entry's wrappers against their declared keys
 *   lock.c    the editors' lock (FILE.lock)
 *   compile.c the compiled index of the list and the hash cache
 *   idxcheck.c whether the compiled index still says what the list says
 *   set.c     the list with its drop-ins (LIST.d/NAME.conf), read as one
 *   backend.c the redirect backends and the kernel module's table */
#ifndef SELCTL_H
#define SELCTL_H

#include <stddef.h>
#include <stdint.h>

#define BINFMT_DIR  "/proc/sys/fs/binfmt_misc"
#define BINFMT_NAME "runsel"
/* Where register --global makes system-wide use last across reboots. */
#define BINFMT_D      "/etc/binfmt.d"
#define BINFMT_D_FILE BINFMT_D "/" BINFMT_NAME ".conf"

/* Where `make install` puts the loader: RUNSEL_LIBEXECDIR, $(LIBEXECDIR)
 * in the build's config.h.  The last place selctl looks for it. */
#ifndef RUNSEL_LIBEXECDIR
#error "RUNSEL_LIBEXECDIR comes from the build's config.h (Makefile: -include $(B)/config.h)"
#endif

/* Exit statuses: 0 ok, 1 failure, 2 usage. */
#define EXIT_USAGE 2

/* binfmt.c */
enum instance {
    INST_UNMOUNTED,   /* no binfmt_misc at BINFMT_DIR (not in the initial namespace) */
    INST_MACHINE,     /* the initial user namespace's: the machine's own */
    INST_OWN,         /* this user namespace's private instance */
    INST_INHERITED,   /* an ancestor namespace's, possibly the machine's */
    INST_UNKNOWN,     /* cannot tell: treated like INST_INHERITED */
};
int binfmt_entry(const char *loader, char *buf, unsigned long size);
int loader_check(const char *loader);
enum instance binfmt_instance(char *why, unsigned long size);
int binfmt_install(const char *loader);
/* global: the instance may be the machine's; runtime: with global, leave
 * /etc/binfmt.d alone (binfmtd.c) */
int binfmt_register(const char *loader_arg, int global, int runtime);
int binfmt_unregister(int global, int runtime);
int binfmt_status(void);
int in_initial_userns(void);
int write_file(const char *path, const char *text);

/* binfmtd.c — /etc/binfmt.d/runsel.conf, applied by systemd-binfmt */
int binfmtd_write(const char *loader);
int binfmtd_apply(const char *loader);
int binfmtd_remove(void);
void binfmtd_status(void);

/* backend.c */
void backend_status(void);

/* userns.c */
int userns_run(const char *loader, const char *log, int full_range, char **argv);

/* list.c — the selection list */
#include "select.h"                 /* LD_SYSTEM_LIST, select_program() */
#define SYSTEM_LIST LD_SYSTEM_LIST
int cmd_check(const char *file);
int cmd_list(const char *file);
int cmd_explain(const char *file, const char *prog);
int cmd_hash(const char *file, const char *prog);
int cmd_add(const char *file, int argc, char **argv);
int cmd_remove(const char *file, const char *match);
void list_status(const char *file);

/* Which list the commands work on when no -c FILE is given: the one the
 * loader would read for the next exec ($RUNSEL_CONFIG when set and
 * non-empty, else the system list).  main.c sets it. */
extern const char *list_source;   /* "-c", "argument", "RUNSEL_CONFIG" or "system" */
const char *list_source_text(void); /* for messages: where the list came from */

/* lock.c — editors serialize on FILE.lock (exclusive flock) */
struct list_lock {
    int fd;
};
int lock_list(const char *file, struct list_lock *lk);   /* -1: refused, said why */
void unlock_list(struct list_lock *lk);

/* words.c — 0 if every argument may be written into the list, else
 * prints why (naming the argument) and returns EXIT_USAGE. */
int check_words(const char *cmd, int argc, char **argv);

/* privwarn.c — warn on stderr when the entry in line (as parsed) selects a
 * set-user-ID, set-group-ID or file-capability program with a wrapper that
 * records data.  where: "FILE:LINE" for messages.  Returns the number of
 * warnings. */
struct sel_entry;
unsigned warn_privileged(const char *where, const struct sel_entry *e);

/* optcheck.c — print "WHERE: WRAPPER: unknown option KEY (known: ...)"
 * for each wrapper of the entry given an option its image does not
 * declare; returns how many. */
unsigned check_options(const char *where, const struct sel_entry *e);

/* set.c — the list and its drop-ins, read as one text: file 0 the list,
 * then the drop-ins in reading order; lines numbered as selconf.h says. */
#include <stdio.h>
#include <sys/stat.h>
#include <limits.h>
struct list_file {
    char path[PATH_MAX];     /* for messages: the list as named, or DIR/NAME */
    const char *name;        /* a drop-in's name (in path); NULL: the list */
    char *text;              /* NULL: it cannot be read, err says why */
    size_t len;
    struct stat st;          /* its identity as it was read */
    const char *err;
};
struct list_set {
    int n;                   /* files, the list included */
    struct list_file *f;
    char dir[PATH_MAX];      /* the drop-in directory */
    int too_many;            /* more drop-ins than the loader reads */
    int main_too_long;       /* the list has more lines than it may */
};
int set_read(const char *file, struct list_set *s); /* -1, errno: the list cannot be read */
void set_free(struct list_set *s);
int set_foreach_line(const struct list_set *s, selconf_line_fn fn, void *ctx);
const struct list_file *set_file_of(const struct list_set *s, unsigned line, unsigned *local);
const char *set_where(const struct list_set *s, unsigned line, char *buf, size_t size);
/* 1 if every drop-in could be read; else prints which cannot to out
 * (unless NULL). */
int set_usable(const struct list_set *s, FILE *out);

/* compile.c — the compiled index, the hash cache */
int cmd_compile(const char *file, int quiet);            /* takes the lock */
int compile_locked(const char *file, int quiet);         /* caller holds it */
char *read_list(const char *file, struct stat *st, size_t *len);
/* ... opened with extra open(2) flags (O_NOFOLLOW for a drop-in). */
char *read_list_flags(const char *file, int flags, struct stat *st, size_t *len);
/* compile.c: data to path atomically, owned like owner when we may. */
int write_atomically(const char *path, const char *data, size_t size, const struct stat *owner);
/* explainrules.c: the item's rules, and where each runs (explain). */
struct sel_item;
void explain_rules(const char *file, const struct sel_item *it);
/* ... and for check: a placement=kernel entry's rules can be built and
 * FILE.rules holds their filters; the errors found, each printed. */
struct sel_entry;
int check_kernel_entry(const char *file, const char *where, const char *line, size_t len,
                       unsigned lineno, const struct sel_entry *e);
/* rules.c: FILE.rules for the placement=kernel entries of the list and
 * its drop-ins (as read): 0, or 1 after saying why. */
int compile_rules(const char *file, const struct list_set *s, int quiet);
/* The index image of the set as read (the same set always gives the same
 * bytes: selctl check relies on it). */
char *compile_set(const struct list_set *s, size_t *size, uint32_t *nexact, uint32_t *npat);
int hcache_add(const char *file, const struct stat *st, const unsigned char hash[16]);

/* idxcheck.c — the index against the list, verified in full */
enum index_verdict { INDEX_FRESH, INDEX_NONE, INDEX_STALE, INDEX_BAD };
enum index_verdict index_verdict(const char *file, const char **why);
const char *index_state(const char *file);   /* NULL: fresh and intact */

/* main.c */
void die(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
void warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
const char *default_loader(void);
const char *resolve_loader(const char *arg);

/* supervisors.c: selctl status's placement=process part */
void supervisors_status(void);

#endif
