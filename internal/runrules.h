/* runrules.h — a wrapper's rules (ABI 1.6, runsel/wrapper.h), written once
 * for every place that evaluates them: initmod, inside the program
 * (initmod/dispatch.c), and the supervisor's worker (supervisor/worker.c);
 * the check that no two of them disagree where both could match is the
 * same everywhere, so a table refused in one placement is refused in all.
 * Freestanding (initmod includes it): no libc. */
#ifndef RUNSEL_RUNRULES_H
#define RUNSEL_RUNRULES_H

#include <runsel/wrapper.h>

static inline int rs_rule_holds(const struct rs_rule *r, const struct rs_call *c)
{
    if (r->nr != c->nr)
        return 0;
    for (int i = 0; i < r->nconds; i++)
        if (!rs_cond_holds(&r->cond[i], (uint64_t)c->arg[r->cond[i].arg]))
            return 0;
    return 1;
}

/* The rules of each call, chained (first[nr], then next[i]; -1 ends),
 * so that matching one call and checking a table look only at the rules
 * of that call. */
struct rs_rules_index {
    short first[RS_NSYS];
    short next[RS_RULES_MAX];
};

static inline void rs_rules_index(const struct rs_rule *r, int n, struct rs_rules_index *x)
{
    for (int k = 0; k < RS_NSYS; k++)
        x->first[k] = -1;
    for (int i = n - 1; i >= 0; i--) {
        x->next[i] = x->first[r[i].nr];
        x->first[r[i].nr] = (short)i;
    }
}

/* The rule of r[0..n) that matches c (they agree where several do), or
 * NULL.  x86-64 calls only; a backstop is the kernel's (the code it
 * restates runs here). */
static inline const struct rs_rule *rs_rules_match(const struct rs_rule *r,
                                                   const struct rs_rules_index *x,
                                                   const struct rs_call *c)
{
    if (c->abi != RS_ABI_X86_64 || c->nr < 0 || c->nr >= RS_NSYS)
        return 0;
    for (int i = x->first[c->nr]; i >= 0; i = x->next[i])
        if (!(r[i].flags & RS_RULE_BACKSTOP) && rs_rule_holds(&r[i], c))
            return &r[i];
    return 0;
}

/* Does a seccomp filter carry the rule: it fails or kills the call? */
static inline int rs_rule_in_kernel(const struct rs_rule *r)
{
    return r->action == RS_RULE_ERRNO || r->action == RS_RULE_KILL;
}

/* The values a condition admits, as the range [lo, hi] that holds them
 * all (exact for EQ and RANGE, a bound for MASKED; NE: everything). */
static inline void rs_cond_span(const struct rs_cond *k, uint64_t *lo, uint64_t *hi)
{
    switch (k->op) {
    case RS_RULE_EQ: *lo = *hi = k->a; return;
    case RS_RULE_RANGE: *lo = k->a; *hi = k->b; return;
    case RS_RULE_MASKED: *lo = k->b; *hi = k->b | ~k->a; return;
    }
    *lo = 0;
    *hi = ~(uint64_t)0;
}

/* Can no value satisfy both conditions (on the same argument)?  Exact for
 * every pair but MASKED against RANGE or NE, where a yes is certain and a
 * no may be wrong (then the rules count as overlapping: refused, never
 * misjudged). */
static inline int rs_conds_disjoint(const struct rs_cond *x, const struct rs_cond *y)
{
    uint64_t xl, xh, yl, yh;

    if (x->op == RS_RULE_NE && y->op == RS_RULE_NE)
        return 0;
    if (x->op == RS_RULE_NE || y->op == RS_RULE_NE) {
        const struct rs_cond *ne = x->op == RS_RULE_NE ? x : y, *o = ne == x ? y : x;
        rs_cond_span(o, &yl, &yh);
        return yl == yh && yl == ne->a && (o->op != RS_RULE_MASKED || o->a == ~(uint64_t)0);
    }
    if (x->op == RS_RULE_MASKED && y->op == RS_RULE_MASKED)
        return ((x->b ^ y->b) & x->a & y->a) != 0;
    if (x->op == RS_RULE_MASKED || y->op == RS_RULE_MASKED) {
        const struct rs_cond *m = x->op == RS_RULE_MASKED ? x : y, *o = m == x ? y : x;
        if (o->op == RS_RULE_EQ)
            return (o->a & m->a) != m->b;
    }
    rs_cond_span(x, &xl, &xh);
    rs_cond_span(y, &yl, &yh);
    return xh < yl || yh < xl;
}

/* Can no call match both rules? */
static inline int rs_rules_disjoint(const struct rs_rule *p, const struct rs_rule *q)
{
    if (p->nr != q->nr)
        return 1;
    for (int i = 0; i < p->nconds; i++)
        for (int j = 0; j < q->nconds; j++)
            if (p->cond[i].arg == q->cond[j].arg && rs_conds_disjoint(&p->cond[i], &q->cond[j]))
                return 1;
    return 0;
}

enum rs_rules_problem {
    RS_RULES_OK = 0,
    RS_RULES_BAD_NR,        /* *which: the rule */
    RS_RULES_BAD_ACTION,    /* or flags */
    RS_RULES_BAD_ERRNO,
    RS_RULES_BAD_COND,      /* an argument past 5, an unknown op, an empty condition */
    RS_RULES_SAME_ARG,      /* two conditions on one argument */
    RS_RULES_CONFLICT,      /* *which and *other could both match and disagree */
};

/* Is the table well formed, with no two rules that could both match and
 * say different things? */
static inline int rs_rules_check(const struct rs_rule *r, int n, int *which, int *other)
{
    short prev[RS_RULES_MAX], last[RS_NSYS];     /* the earlier rules of each call */

    for (int k = 0; k < RS_NSYS; k++)
        last[k] = -1;
    for (int i = 0; i < n; i++) {
        *which = i;
        if (r[i].nr < 0 || r[i].nr >= RS_NSYS)
            return RS_RULES_BAD_NR;
        if (r[i].action < RS_RULE_ALLOW || r[i].action > RS_RULE_KILL ||
            (r[i].flags & ~RS_RULE_BACKSTOP) ||
            ((r[i].flags & RS_RULE_BACKSTOP) && !rs_rule_in_kernel(&r[i])))
            return RS_RULES_BAD_ACTION;
        if (r[i].action == RS_RULE_ERRNO && (r[i].err < 1 || r[i].err > 4095))
            return RS_RULES_BAD_ERRNO;
        if (r[i].nconds > RS_RULE_CONDS)
            return RS_RULES_BAD_COND;
        for (int k = 0; k < r[i].nconds; k++) {
            const struct rs_cond *c = &r[i].cond[k];
            if (c->arg > 5 || c->op < RS_RULE_EQ || c->op > RS_RULE_RANGE ||
                (c->op == RS_RULE_MASKED && (c->b & ~c->a)) || (c->op == RS_RULE_RANGE && c->a > c->b))
                return RS_RULES_BAD_COND;
            for (int j = 0; j < k; j++)
                if (r[i].cond[j].arg == c->arg)
                    return RS_RULES_SAME_ARG;
        }
        prev[i] = last[r[i].nr];
        last[r[i].nr] = (short)i;
        for (int j = prev[i]; j >= 0; j = prev[j]) {
            int agree = r[j].action == r[i].action &&
                        (r[i].action != RS_RULE_ERRNO || r[j].err == r[i].err);
            if (!agree && !rs_rules_disjoint(&r[j], &r[i])) {
                *other = j;
                return RS_RULES_CONFLICT;
            }
        }
    }
    return RS_RULES_OK;
}

/* The canonical bytes of what a wrapper's filter is compiled from under
 * placement=kernel: whether it refuses other ABIs' calls, then its
 * failing and killing rules in table order (those allowed[] lets it see,
 * allowed NULL: all), each field at a fixed place and nothing else — so
 * initmod finds, by equal bytes, the filter `selctl compile` built for
 * exactly these rules (internal/kfile.h).  The length, or 0: none of
 * them is for the kernel, or out is too small. */
#define RS_CANON_MAX (8 + RS_RULES_MAX * (16 + RS_RULE_CONDS * 24))
static inline size_t rs_rules_canon(const struct rs_rule *r, int n, const unsigned char *allowed,
                                    int refuse_foreign, unsigned char *out, size_t size)
{
    size_t k = 0;
    int any = 0;

#define RS_CANON_PUT(v, bytes)                                    \
    do {                                                          \
        uint64_t v_ = (uint64_t)(v);                              \
        if (k + (bytes) > size)                                   \
            return 0;                                             \
        for (int b_ = 0; b_ < (bytes); b_++)                      \
            out[k++] = (unsigned char)(v_ >> (8 * b_));           \
    } while (0)
    RS_CANON_PUT(0x31464b52, 4);         /* "RKF1" */
    RS_CANON_PUT(refuse_foreign != 0, 4);
    for (int i = 0; i < n; i++) {
        if (!rs_rule_in_kernel(&r[i]) || (allowed && !allowed[r[i].nr]))
            continue;
        any = 1;
        RS_CANON_PUT((uint32_t)r[i].nr, 4);
        RS_CANON_PUT(r[i].action, 1);
        RS_CANON_PUT(r[i].nconds, 1);
        RS_CANON_PUT(r[i].action == RS_RULE_ERRNO ? r[i].err : 0, 2);
        RS_CANON_PUT(r[i].flags, 4);
        RS_CANON_PUT(0, 4);
        for (int c = 0; c < r[i].nconds; c++) {
            RS_CANON_PUT(r[i].cond[c].arg, 4);
            RS_CANON_PUT(r[i].cond[c].op, 4);
            RS_CANON_PUT(r[i].cond[c].a, 8);
            RS_CANON_PUT(r[i].cond[c].op == RS_RULE_EQ || r[i].cond[c].op == RS_RULE_NE ? 0 : r[i].cond[c].b, 8);
        }
    }
#undef RS_CANON_PUT
    return any ? k : 0;
}

/* What rs_rules_check's answer means, for a message. */
static inline const char *rs_rules_problem_text(int p)
{
    switch (p) {
    case RS_RULES_BAD_NR: return "a system call number out of range";
    case RS_RULES_BAD_ACTION: return "an unknown action or flag (a backstop must fail or kill)";
    case RS_RULES_BAD_ERRNO: return "an errno outside 1..4095";
    case RS_RULES_BAD_COND: return "a malformed condition";
    case RS_RULES_SAME_ARG: return "two conditions on one argument";
    case RS_RULES_CONFLICT: return "it could match the same call as an earlier rule that says otherwise";
    }
    return "no problem";
}

/* The wrapper's rules for its options, into out (RS_RULES_MAX of room),
 * checked: how many (0: it gives none, or runs under an older ABI), or -1:
 * then *problem is RS_RULES_OK when its hook failed (err: its message, or
 * empty), else rs_rules_check's answer for rule *which (and *other).  The
 * one way initmod, the worker and runsel's launcher build them; each says
 * the failure in its own words (initmod has no libc). */
static inline int rs_rules_build(const struct rs_wrapper *w, const struct rs_options *o,
                                 struct rs_rule *out, char *err, size_t errsize, int *problem,
                                 int *which, int *other)
{
    int n;

    *problem = RS_RULES_OK;
    if (w->abi_minor < 6 || !w->rules)
        return 0;
    err[0] = 0;
    n = w->rules(o, out, RS_RULES_MAX, err, errsize);
    if (n < 0 || n > RS_RULES_MAX) {
        if (n >= 0)
            err[0] = 0;
        return -1;
    }
    return (*problem = rs_rules_check(out, n, which, other)) ? -1 : n;
}

#endif
