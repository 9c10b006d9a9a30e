/* kfilter.h — placement=kernel (issue #16, the seed's FIG. 3): the part
 * of a wrapper said as rules (ABI 1.6, runsel/wrapper.h) compiled to a
 * seccomp BPF filter by libseccomp and installed for the selected process
 * and its descendants.  Used by runsel (--placement=kernel: kernel.c in
 * tools/runsel), by selctl (explain, rule by rule) and by the
 * out-of-process placement (its killing rules).
 *
 *   stack.c    a program's stack as the loader would decide it, each
 *              wrapper's rules built in this process from its options
 *   compile.c  one wrapper's rules into a filter: what the kernel can run
 *              (RS_RULE_ERRNO, RS_RULE_KILL), conditions as libseccomp's
 *              comparisons; its installation
 *   kfile.c    filters written in the kfile format (internal/kfile.h) */
#ifndef RUNSEL_KFILTER_H
#define RUNSEL_KFILTER_H

#include <seccomp.h>
#include <stddef.h>
#include <runsel/wrapper.h>
#include "boot.h"
#include "select.h"

struct kf_item {
    char name[256];
    unsigned line, pos;             /* origin, as sel_item's */
    int enforces;                   /* RS_ENFORCES, as its descriptor says */
    int kernel;                     /* its entry says placement=kernel */
    int foreign;                    /* it handles calls of another ABI (abis) */
    int code;                       /* some of it needs its code: handlers a call can reach, a signal hook */
    const struct rs_wrapper *w;
    int nrules;
    struct rs_rule rules[RS_RULES_MAX];
};

struct kf_stack {
    int n;
    struct kf_item item[RS_MAX_STACK];
};

/* The stack rq selects for prog (a path), outermost first, with each
 * wrapper's rules for its entry's options, checked as every host checks
 * them, and only those its syscalls= lets it see; -1 with why (the program cannot run so: status 126). */
int kf_stack_for(const char *prog, const struct select_request *rq, struct kf_stack *st,
                 char *why, size_t whysize);

/* Wrapper pos of a list entry (its text, at line), its image resolved in
 * wrapper_dir (NULL: the installed one) — what `selctl compile` builds a
 * filter from; -1 with why. */
int kf_item_for(const char *entry, unsigned line, unsigned pos, const char *wrapper_dir,
                struct kf_item *it, char *why, size_t whysize);

/* How many of the item's rules a filter carries (ERRNO, KILL, backstops). */
int kf_kernel_rules(const struct kf_item *it);

/* The item's filter: default allow, its failing and killing rules;
 * calls of another ABI refused (ENOSYS) if it enforces a policy and
 * takes none of them, as in process.  NULL with why. */
scmp_filter_ctx kf_filter_build(const struct kf_item *it, char *why, size_t whysize);
/* Its program as BPF (*insns malloc'd, *n instructions): 0, or -1. */
int kf_filter_export(scmp_filter_ctx ctx, void **insns, unsigned *n);
/* The canonical bytes of what it is compiled from (runrules.h), for
 * FILE.rules (internal/kfile.h): their length, 0 for none. */
size_t kf_item_canon(const struct kf_item *it, unsigned char *out, size_t size);
/* kfile.c: filters keyed by their rules' canonical bytes (internal/kfile.h),
 * built in memory: buf[0..len) is the whole file at any time. */
struct kf_file {
    char *buf;
    size_t len, cap;
    uint32_t count;
};
void kf_file_init(struct kf_file *f);
/* The item's filter added (1), nothing to add (0: no rule for the kernel,
 * or the same filter there already), or -1 with why. */
int kf_file_add(struct kf_file *f, const struct kf_item *it, char *why, size_t whysize);

/* The filter keeps the program's speculation state as it is natively
 * (SCMP_FLTATR_CTL_SSB: no SSBD forced on by seccomp); any filter runsel
 * installs in a program sets it. */
void kf_keep_speculation(scmp_filter_ctx ctx);

/* Install it in this process (no_new_privs first unless root), for good:
 * 0 or -errno. */
int kf_filter_load(scmp_filter_ctx ctx);

/* A syscalls= list (names or numbers, as selconf checked it) into
 * allowed[]: 1, or 0 for none given (the wrapper is not narrowed). */
int kf_syscall_list(struct sel_str list, unsigned char *allowed);

/* An entry's option words into opt[] (*n of max), each key=value copied
 * into room (up to end) — every word but runsel's own keys (syscalls=,
 * placement= ...); -1: no room. */
int kf_split_options(const char *words, size_t len, struct rs_option *opt, int max, int *n,
                     char **room, char *end);

#endif
