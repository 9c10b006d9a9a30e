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

#define RS_BOOT_MAGIC   0x746f6f626c736e72ULL   /* "rnslboot" */
#define RS_BOOT_VERSION 1

#define RS_BOOT_BINFMT 1u    /* the loader was started by binfmt_misc: plain exec reaches it */
#define RS_BOOT_NOINHERIT 2u /* the entry says inherit=no */

struct rs_boot {
    uint64_t magic;
    uint32_t version, flags;
    uint64_t size;               /* bytes mapped for this block */
    uint64_t entry;              /* the program's first instruction (its interpreter's) */
    uint64_t wrapper_entry;      /* the wrapper image's entry, relocated */
    uint64_t wrapper_lo, wrapper_hi;
    uint64_t init_lo, init_hi;
    const char *program;         /* as exec'd */
    const char *wrapper_name;    /* as the entry names it */
    const char *wrapper_path;    /* resolved */
    const char *loader;          /* the loader: execs go back through it */
    const char *options;         /* the entry's words after WRAPPER, as written */
    const char *syscalls;        /* syscalls= value, or NULL: what the wrapper asks */
    const char *backend;         /* backend= value, or NULL: auto */
    /* NAME=VALUE strings (empty-string terminated) set in the environment of
     * every exec, and names removed from it (RUNSEL_SELECTED and RUNSEL_RUN
     * are always removed, then set again from env_set when inherited). */
    const char *env_set;
    char data[];
};

#endif
