/* boot.h — what the loader hands the initialization module (shared by
 * loader/ and initmod/; both are built from the same tree, so the version
 * only guards against a stale installed image).
 *
 * The loader maps one anonymous block, fills it, and jumps to initmod's
 * entry with %rdi = the block and %rsp = the program's initial stack.
 * Strings live inside the block; pointers are absolute. */
#ifndef RUNSEL_BOOT_H
#define RUNSEL_BOOT_H

#include <stdint.h>
#include "selconf.h"                /* SEL_MAX_STACK */

#define RS_BOOT_MAGIC   0x746f6f626c736e72ULL   /* "rnslboot" */
#define RS_BOOT_VERSION 5

#define RS_BOOT_BINFMT 1u     /* the loader was started by binfmt_misc: plain exec reaches it */

/* Wrappers in one stack: the list's bound (selconf.h), which the loader
 * composes within. */
#define RS_MAX_STACK SEL_MAX_STACK

/* Per wrapper of the stack (outermost first). */
#define RS_WRAP_ENFORCES 1u   /* its image's flags say RS_ENFORCES (as the loader read them) */
#define RS_WRAP_INHERIT 2u    /* its entry passes it on to the programs it runs */
#define RS_WRAP_INHERITED 4u  /* it came from the parent */
#define RS_WRAP_KERNEL 8u     /* placement=kernel: its failing and killing rules are a seccomp filter too */

struct rs_boot_wrapper {
    uint64_t entry;              /* the image's entry, relocated */
    uint64_t lo, hi;             /* where it is mapped */
    uint32_t flags;              /* RS_WRAP_* */
    uint32_t line, pos;          /* origin: list line and place in its entry; line 0: runsel's request */
    uint32_t keys_len;           /* bytes at keys */
    const char *name;            /* as the entry names it */
    const char *path;            /* resolved */
    const char *options;         /* its words after the name, as written */
    const char *syscalls;        /* syscalls= value, or NULL: what the wrapper asks */
    /* The option keys the image declares (its RS_NOTE_OPTIONS note, in
     * the mapped image: keys NUL-terminated), or NULL: it does not say,
     * any key goes.  initmod refuses options outside them. */
    const char *keys;
};

struct rs_boot {
    uint64_t magic;
    uint32_t version, flags;
    uint64_t size;               /* bytes mapped for this block */
    uint64_t entry;              /* the program's first instruction (its interpreter's) */
    uint64_t init_lo, init_hi;
    uint32_t nwrappers;
    int32_t exe_fd;              /* the program, open (close-on-exec): its re-execs need it */
    int32_t rules_fd;            /* the list's FILE.rules (kfile.h) for its placement=kernel items, or -1 */
    const char *rules_why;       /* ... why not, or NULL */
    int32_t run_rules_fd;        /* runsel's request's filters (loader -K), or -1: installed already */
    struct rs_boot_wrapper w[RS_MAX_STACK];
    const char *program;         /* as exec'd */
    const char *loader;          /* the loader: execs go back through it */
    const char *list;            /* the list the stack's line numbers refer to */
    const char *backend;         /* backend= value, or NULL: auto */
    const char *fastpath;        /* fastpath= value (no wins over the others), or NULL: yes */
    /* NAME=VALUE strings (empty-string terminated) set in the environment of
     * every exec, and names removed from it (RUNSEL_SELECTED and RUNSEL_RUN
     * are always removed; initmod sets RUNSEL_SELECTED from the stack it
     * keeps, env_set has RUNSEL_RUN when runsel's request is inherited). */
    const char *env_set;
    char data[];
};

#endif
