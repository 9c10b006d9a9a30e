/* compile.c — one wrapper's rules as a seccomp filter, built by
 * libseccomp (what the kernel can say: fail with an errno, kill the
 * process; allow is the default, and what needs the wrapper's code runs
 * where its code runs).
 *
 * libseccomp takes one comparison per argument in a rule, so a RANGE
 * becomes LE or GE where one end is open, else the aligned power-of-two
 * blocks that tile it, each a masked comparison (at most 128 for 64-bit
 * values); conditions on several arguments multiply.  The host's check
 * (runrules.h) has already refused two overlapping rules that say
 * different things, so libseccomp's own precedence between overlapping
 * rules never decides. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <string.h>
#include <unistd.h>
#include "kfilter.h"
#include "runrules.h"

#define MAX_EXPANDED 4096     /* libseccomp rules one wrapper rule may become */

struct build {
    scmp_filter_ctx ctx;
    uint32_t action;
    int nr, added;
    const char *why;
};

static int add_now(struct build *b, const struct scmp_arg_cmp *acc, unsigned n)
{
    if (++b->added > MAX_EXPANDED) {
        b->why = "its ranges need too many comparisons";
        return -E2BIG;
    }
    return seccomp_rule_add_array(b->ctx, b->action, b->nr, n, acc);
}

/* Rules for conditions c[0..nc) ANDed with the comparisons in acc. */
static int add_conds(struct build *b, const struct rs_cond *c, int nc, struct scmp_arg_cmp *acc,
                     unsigned nacc)
{
    if (!nc)
        return add_now(b, acc, nacc);
    unsigned arg = c->arg;
    uint64_t a = c->a, hi = c->b;
    switch (c->op) {
    case RS_RULE_EQ: acc[nacc] = SCMP_CMP(arg, SCMP_CMP_EQ, a); break;
    case RS_RULE_NE: acc[nacc] = SCMP_CMP(arg, SCMP_CMP_NE, a); break;
    case RS_RULE_MASKED: acc[nacc] = SCMP_CMP(arg, SCMP_CMP_MASKED_EQ, a, hi); break;
    default:
        if (a == hi)
            acc[nacc] = SCMP_CMP(arg, SCMP_CMP_EQ, a);
        else if (a == 0)
            acc[nacc] = SCMP_CMP(arg, SCMP_CMP_LE, hi);
        else if (hi == UINT64_MAX)
            acc[nacc] = SCMP_CMP(arg, SCMP_CMP_GE, a);
        else {
            for (uint64_t lo = a;;) {
                uint64_t size = lo & -lo;          /* the largest block aligned at lo ... */
                while (size > 1 && lo + (size - 1) > hi)
                    size >>= 1;                    /* ... that stays inside */
                acc[nacc] = SCMP_CMP(arg, SCMP_CMP_MASKED_EQ, ~(size - 1), lo);
                int r = add_conds(b, c + 1, nc - 1, acc, nacc + 1);
                if (r || lo + (size - 1) >= hi)
                    return r;
                lo += size;
            }
        }
    }
    return add_conds(b, c + 1, nc - 1, acc, nacc + 1);
}

scmp_filter_ctx kf_filter_build(const struct kf_item *it, char *why, size_t whysize)
{
    scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
    int r = 0, i;

    if (!ctx) {
        snprintf(why, whysize, "libseccomp: out of memory");
        return NULL;
    }
    /* ia32's int $0x80 and x32's numbers reach the filter as another
     * architecture: an enforcing wrapper that takes none of them refuses
     * them, as it does in process */
    r = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH,
                         it->enforces && !it->foreign ? SCMP_ACT_ERRNO(ENOSYS) : SCMP_ACT_ALLOW);
    for (i = 0; i < it->nrules && !r; i++) {
        const struct rs_rule *rule = &it->rules[i];
        struct scmp_arg_cmp acc[RS_RULE_CONDS];
        struct build b = {ctx, 0, rule->nr, 0, NULL};
        if (!rs_rule_in_kernel(rule))
            continue;
        b.action = rule->action == RS_RULE_KILL ? SCMP_ACT_KILL_PROCESS : SCMP_ACT_ERRNO(rule->err);
        if ((r = add_conds(&b, rule->cond, rule->nconds, acc, 0)) && b.why) {
            snprintf(why, whysize, "rule %d: %s", i, b.why);
            seccomp_release(ctx);
            return NULL;
        }
    }
    if (r) {
        snprintf(why, whysize, "libseccomp refused rule %d: %s", i - 1, strerror(-r));
        seccomp_release(ctx);
        return NULL;
    }
    return ctx;
}

int kf_filter_export(scmp_filter_ctx ctx, void **insns, unsigned *n)
{
    int fd = memfd_create("runsel-kfilter", MFD_CLOEXEC);
    off_t size;

    *insns = NULL;
    if (fd < 0)
        return -1;
    if (seccomp_export_bpf(ctx, fd) || (size = lseek(fd, 0, SEEK_END)) <= 0 || size % 8 ||
        size / 8 > 4096 || !(*insns = malloc((size_t)size)) ||
        pread(fd, *insns, (size_t)size, 0) != size) {
        free(*insns);
        *insns = NULL;
        close(fd);
        return -1;
    }
    close(fd);
    *n = (unsigned)(size / 8);
    return 0;
}

int kf_kernel_rules(const struct kf_item *it)
{
    int n = 0;

    for (int i = 0; i < it->nrules; i++)
        n += rs_rule_in_kernel(&it->rules[i]);
    return n;
}

size_t kf_item_canon(const struct kf_item *it, unsigned char *out, size_t size)
{
    return rs_rules_canon(it->rules, it->nrules, NULL, it->enforces && !it->foreign, out, size);
}

void kf_keep_speculation(scmp_filter_ctx ctx)
{
    /* Where the kernel's Speculative Store Bypass mitigation is
     * "prctl,seccomp" (the default), a task that installs a filter without
     * SECCOMP_FILTER_FLAG_SPEC_ALLOW is forced into SSBD: all of its code
     * then runs slower, and it differs from the program natively.  Without
     * the flag (kernel or libseccomp too old) the task gets the default. */
    (void)seccomp_attr_set(ctx, SCMP_FLTATR_CTL_SSB, 1);
}

int kf_filter_load(scmp_filter_ctx ctx)
{
    /* no_new_privs only where the kernel requires it (without
     * CAP_SYS_ADMIN): root's set-user-ID execs stay as they are natively */
    int r = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, geteuid() != 0);

    kf_keep_speculation(ctx);
    return r ? r : seccomp_load(ctx);
}
