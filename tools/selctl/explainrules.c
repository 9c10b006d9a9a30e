/* explainrules.c — `selctl explain`, rule by rule: each wrapper's rules
 * for its entry's options (built here from the image, as runsel and the
 * hosts build them: kfilter/stack.c) and where each one runs in the
 * entry's placement; for placement=kernel, whether FILE.rules holds the
 * filter for exactly those rules. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "kfile.h"
#include "kfilter.h"
#include "runrules.h"
#include "selctl.h"

static void print_cond(const struct rs_cond *k)
{
    unsigned long long a = k->a, b = k->b;

    switch (k->op) {
    case RS_RULE_EQ: printf(" arg%u == %#llx", k->arg, a); break;
    case RS_RULE_NE: printf(" arg%u != %#llx", k->arg, a); break;
    case RS_RULE_MASKED: printf(" arg%u & %#llx == %#llx", k->arg, a, b); break;
    default: printf(" arg%u in %#llx..%#llx", k->arg, a, b); break;
    }
}

static const char *action_text(const struct rs_rule *r, char *buf, size_t size)
{
    const char *e = rs_errno_name(r->err);

    switch (r->action) {
    case RS_RULE_ERRNO: snprintf(buf, size, "fails with %s", e ? e : "?"); break;
    case RS_RULE_KILL: snprintf(buf, size, "kills the process (SIGSYS)"); break;
    case RS_RULE_ALLOW: snprintf(buf, size, "goes on, past the wrapper's code"); break;
    default: snprintf(buf, size, "goes to the wrapper's code"); break;
    }
    return buf;
}

/* Where the rule runs, in the entry's placement. */
static const char *where(const struct rs_rule *r, int kernel, int process)
{
    int k = rs_rule_in_kernel(r);

    if (r->flags & RS_RULE_BACKSTOP)
        return kernel ? "in the kernel, behind the code that decides it first" :
                        "a backstop: the code decides it (with placement=kernel, the kernel too)";
    if (kernel && k)
        return "in the kernel (seccomp filter)";
    return process ? "in runsel's supervisor" : "in process, by runsel";
}

/* Does FILE.rules hold the filter for canon[0..n)? */
static int compiled(const char *file, const unsigned char *canon, size_t n)
{
    char path[PATH_MAX];
    const struct rs_kfile_header *h;
    unsigned char *f = NULL;
    unsigned ninsns;
    struct stat st;
    int fd, found = 0;

    snprintf(path, sizeof(path), "%s.rules", file);
    if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)) < 0)
        return 0;
    if (!fstat(fd, &st) && S_ISREG(st.st_mode) && st.st_size >= (off_t)sizeof(*h) &&
        st.st_size <= RS_KFILE_MAX && (f = malloc((size_t)st.st_size)) &&
        pread(fd, f, (size_t)st.st_size, 0) == st.st_size) {
        h = (const void *)f;
        found = !memcmp(h->magic, RS_KFILE_MAGIC, 8) &&
                rs_kfile_find(f, (uint64_t)st.st_size, h->count, canon, n, &ninsns);
    }
    free(f);
    close(fd);
    return found;
}

int check_kernel_entry(const char *file, const char *where, const char *line, size_t len,
                       unsigned lineno, const struct sel_entry *e)
{
    static struct kf_item ki;
    static unsigned char canon[RS_CANON_MAX];
    char entry[SEL_MAX_LINE + 1], why[512];
    int errors = 0;

    snprintf(entry, sizeof(entry), "%.*s", (int)len, line);
    for (int pos = 0; pos < e->nwrappers; pos++) {
        size_t n;
        if (kf_item_for(entry, lineno, (unsigned)pos, getenv("RUNSEL_WRAPPER_DIR"), &ki, why,
                        sizeof(why))) {
            printf("%s: placement=kernel: %s\n", where, why);
            errors++;
        } else if ((n = kf_item_canon(&ki, canon, sizeof(canon))) && !compiled(file, canon, n)) {
            printf("%s: placement=kernel: wrapper %s: its filter is not compiled for these "
                   "rules (the exec fails, 126, until selctl compile)\n", where, ki.name);
            errors++;
        }
    }
    return errors;
}

void explain_rules(const char *file, const struct sel_item *it)
{
    static struct kf_item ki;
    static unsigned char canon[RS_CANON_MAX];
    struct sel_entry e;
    const char *bad;
    char why[512], act[64];

    if (it->problem || selconf_parse_line(it->entry, strlen(it->entry), it->line, &e, &bad) != 1)
        return;
    if (kf_item_for(it->entry, it->line, it->pos, getenv("RUNSEL_WRAPPER_DIR"), &ki, why, sizeof(why))) {
        printf("    rules: cannot be built: %s\n", why);
        return;
    }
    if (!ki.nrules)
        return;
    printf("    rules (%d)%s:\n", ki.nrules, e.kernel ? ", placement=kernel" : "");
    for (int i = 0; i < ki.nrules; i++) {
        const struct rs_rule *r = &ki.rules[i];
        const char *name = rs_syscall_name(r->nr);
        printf("      %d. %s", i, name ? name : "?");
        for (int c = 0; c < r->nconds; c++)
            print_cond(&r->cond[c]);
        printf(": %s — %s\n", action_text(r, act, sizeof(act)), where(r, e.kernel, e.process));
    }
    size_t n = e.kernel && it->line ? kf_item_canon(&ki, canon, sizeof(canon)) : 0;
    if (n)
        printf("    its filter: %s\n", compiled(file, canon, n) ? "compiled (FILE.rules)" :
               "NOT compiled for these rules: the exec fails (126) until selctl compile");
}
