/* runstack.h — what a stack of wrappers does with one call, written once
 * for both places that run a stack: initmod, inside the program
 * (initmod/dispatch.c), and the supervisor's worker, outside it
 * (supervisor/worker.c).
 *
 *   RS_WRAP      before() may change the arguments or veto (RS_RETURN with
 *                c->ret = -errno); then the rest of the stack and the call;
 *                after() sees and may change the result
 *   RS_OVERRIDE  fn()'s return value is the result; fn may rs_pass()
 *
 * Outermost first: before hooks outside-in, the call, after hooks
 * inside-out; a veto or an override ends the descent (the wrappers inside
 * never see the call).  Each wrapper keeps its own c->data from before to
 * after.  A wrapper's rules (ABI 1.6, runrules.h) come before its handler:
 * RS_RULE_ALLOW passes its level by, RS_RULE_ERRNO fails the call there as
 * a veto would, RS_RULE_KILL ends the process (the host's kill).  Freestanding (initmod includes it): no libc. */
#ifndef RUNSEL_RUNSTACK_H
#define RUNSEL_RUNSTACK_H

#include <runsel/wrapper.h>

struct rs_stack {
    int n;                       /* levels */
    /* The handler of level for c, or NULL: none.  *refuse set: the call
     * fails with ENOSYS there (an enforcing wrapper that cannot check it). */
    const struct rs_handler *(*handler)(int level, const struct rs_call *c, int *refuse);
    void (*pass)(struct rs_call *c);     /* the call itself, inside every level */
    /* Levels around the call start (+1) or stop (-1) using its result (an
     * after hook, an override): the worker needs no exit stop without
     * one.  NULL: not asked. */
    void (*uses_result)(int delta);
    /* The rule of level that matches c (runrules.h), or NULL: none, or
     * the level has no rules.  NULL: no level has any. */
    const struct rs_rule *(*rule)(int level, const struct rs_call *c);
    /* RS_RULE_KILL: end the program's process as seccomp's
     * SECCOMP_RET_KILL_PROCESS would (SIGSYS); if it returns, the call
     * fails with ENOSYS. */
    void (*kill)(const struct rs_call *c);
    /* Do level's rules name every x86-64 call its handlers see
     * (RS_RULES_COVER)?  Then a call no rule matches passes it by.  NULL:
     * no level's do. */
    int (*covers)(int level);
};

static inline void rs_stack_from(const struct rs_stack *s, struct rs_call *c, int level);

/* What lies inside the wrapper at level: the rest of the stack, then the call. */
static inline void rs_stack_inside(const struct rs_stack *s, struct rs_call *c, int level)
{
    uint64_t data = c->data;

    c->data = 0;
    rs_stack_from(s, c, level + 1);
    c->data = data;
}

static inline void rs_stack_uses(const struct rs_stack *s, int delta)
{
    if (s->uses_result)
        s->uses_result(delta);
}

static inline void rs_stack_from(const struct rs_stack *s, struct rs_call *c, int level)
{
    for (; level < s->n; level++) {
        int refuse = 0;
        const struct rs_handler *h = s->handler(level, c, &refuse);
        if (refuse) {
            c->ret = -ENOSYS;
            return;
        }
        const struct rs_rule *r = s->rule ? s->rule(level, c) : 0;
        if (!r && c->abi == RS_ABI_X86_64 && s->covers && s->covers(level))
            continue;
        if (r && r->action == RS_RULE_ALLOW)
            continue;
        if (r && r->action == RS_RULE_ERRNO) {
            c->ret = -(long)r->err;
            return;
        }
        if (r && r->action == RS_RULE_KILL) {
            s->kill(c);
            c->ret = -ENOSYS;
            return;
        }
        if (!h)
            continue;
        if (h->how == RS_OVERRIDE) {
            rs_stack_uses(s, 1);
            c->ret = h->fn(c);
            rs_stack_uses(s, -1);
            return;
        }
        if (h->before && h->before(c) == RS_RETURN)
            return;
        if (h->after)
            rs_stack_uses(s, 1);
        rs_stack_inside(s, c, level);
        if (h->after) {
            rs_stack_uses(s, -1);
            h->after(c);
        }
        return;
    }
    s->pass(c);
}

/* rs_pass() of the wrapper at each level (a host gives each wrapper its
 * own): NAME[level](c) runs FN(c, level) — the rest of the stack inside
 * that wrapper, then the call. */
#define RS_PASS_FROM_(name, fn, n) \
    static long name##_##n(struct rs_call *c) { return fn(c, n); }
#define RS_PASS_FROM_TABLE(name, fn)                                                    \
    RS_PASS_FROM_(name, fn, 0) RS_PASS_FROM_(name, fn, 1) RS_PASS_FROM_(name, fn, 2)    \
    RS_PASS_FROM_(name, fn, 3) RS_PASS_FROM_(name, fn, 4) RS_PASS_FROM_(name, fn, 5)    \
    RS_PASS_FROM_(name, fn, 6) RS_PASS_FROM_(name, fn, 7)                               \
    static long (*const name[8])(struct rs_call *) = {                                  \
        name##_0, name##_1, name##_2, name##_3, name##_4, name##_5, name##_6, name##_7, \
    }

#endif
