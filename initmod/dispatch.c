/* dispatch.c — one intercepted call: which of the wrappers' handlers
 * applies at each level of the stack; the wrap/override semantics around
 * the real call are internal/runstack.h's (the supervisor's worker runs the
 * same).
 *
 * The tables are built once at start and only read afterwards, so every
 * thread and signal handler can dispatch without locks. */
#include "im.h"
#include "handled.h"
#include "runrules.h"
#include "runstack.h"


/* One wrapper of the stack: its handler per call, and what syscalls=
 * lets it see. */
struct level {
    const struct rs_handler *table[RS_NSYS];
    const struct rs_handler *any;
    unsigned char allowed[RS_NSYS];
    int narrowed;
    unsigned abis;          /* RS_ABI_BIT()s it handles besides x86-64 */
    int enforces;
    struct rs_rule rules[RS_RULES_MAX];     /* ABI 1.6 (runrules.h) */
    struct rs_rules_index index;
    int nrules;
    unsigned char ruled[RS_NSYS];           /* a rule names the call */
    unsigned char needs[RS_NSYS];           /* ... one the dispatch must run */
    unsigned char coded[RS_NSYS];           /* ... one that hands it to the code */
    int covers;                             /* RS_RULES_COVER */
};
static struct level levels[RS_MAX_STACK];

static int parse_syscalls(struct level *l, const char *list, char *err, size_t errsize)
{
    const char *cur = list, *w;
    size_t len;

    while ((w = rs_next_word(&cur, ',', &len))) {
        long nr = -1;
        if (w[0] >= '0' && w[0] <= '9') {
            nr = 0;
            for (size_t i = 0; i < len && nr < RS_NSYS; i++)
                nr = (w[i] >= '0' && w[i] <= '9') ? nr * 10 + (w[i] - '0') : RS_NSYS;
        } else {
            nr = rs_syscall_from_name(w, len);
        }
        if (nr < 0 || nr >= RS_NSYS) {
            rs_snprintf(err, errsize, "syscalls=: unknown system call '%.*s'", (int)len, w);
            return -1;
        }
        l->allowed[nr] = 1;
    }
    l->narrowed = 1;
    return 0;
}

int im_table_build(int level, const struct rs_wrapper *w, const char *syscalls, char *err,
                   size_t errsize)
{
    struct level *l = &levels[level];

    if (syscalls && parse_syscalls(l, syscalls, err, errsize))
        return -1;
    l->abis = w->abi_minor >= 1 ? w->abis : 0;   /* the field is new in 1.1 */
    l->enforces = (w->flags & RS_ENFORCES) != 0;
    l->covers = w->abi_minor >= 6 && w->rules && (w->flags & RS_RULES_COVER);
    for (int i = 0; i < w->nhandlers; i++) {
        const struct rs_handler *h = &w->handlers[i];
        if ((h->how != RS_WRAP && h->how != RS_OVERRIDE) ||
            (h->how == RS_OVERRIDE && !h->fn)) {
            rs_snprintf(err, errsize, "wrapper %s: handler %d is neither wrap nor override",
                        w->name, i);
            return -1;
        }
        if (h->nr == RS_ANY) {
            l->any = h;
            continue;
        }
        if (h->nr < 0 || h->nr >= RS_NSYS) {
            rs_snprintf(err, errsize, "wrapper %s: handler %d: bad system call number %d",
                        w->name, i, h->nr);
            return -1;
        }
        if (!l->narrowed || l->allowed[h->nr])
            l->table[h->nr] = h;
    }
    return 0;
}

int im_rules_build(int level, const struct rs_wrapper *w, const struct rs_options *opts,
                   int in_kernel, char *err, size_t errsize)
{
    struct level *l = &levels[level];
    int which = 0, other = 0, p;
    int n = rs_rules_build(w, opts, l->rules, err, errsize, &p, &which, &other);

    if (n < 0 && !p) {
        if (!err[0])
            rs_snprintf(err, errsize, "its rules could not be built");
        return -1;
    }
    if (n < 0) {
        rs_snprintf(err, errsize, "rule %d (%s): %s%s%d%s", which,
                    rs_syscall_name(l->rules[which].nr) ? rs_syscall_name(l->rules[which].nr) : "?",
                    rs_rules_problem_text(p), p == RS_RULES_CONFLICT ? " (rule " : "",
                    p == RS_RULES_CONFLICT ? other : 0, p == RS_RULES_CONFLICT ? ")" : "");
        return -1;
    }
    l->nrules = n;
    rs_rules_index(l->rules, n, &l->index);
    for (int i = 0; i < n; i++) {
        const struct rs_rule *r = &l->rules[i];
        if (r->flags & RS_RULE_BACKSTOP)
            continue;                       /* the kernel's: the code does it here */
        l->ruled[r->nr] = 1;
        /* placement=kernel: the filter fails or kills the call wherever it
         * is made; the dispatch still applies the rule to a call it takes
         * for another level, so the stack means the same */
        if (!(in_kernel && rs_rule_in_kernel(r)) && r->action != RS_RULE_ALLOW)
            l->needs[r->nr] = 1;
        if (r->action == RS_RULE_CODE)
            l->coded[r->nr] = 1;
    }
    return 0;
}

size_t im_rules_canon(int level, unsigned char *out, size_t size)
{
    const struct level *l = &levels[level];

    return rs_rules_canon(l->rules, l->nrules, l->narrowed ? l->allowed : NULL,
                          l->enforces && !l->abis, out, size);
}

/* Does a rule of the level name call nr, as syscalls= lets it see it
 * (syscalls= narrows rules as it narrows handlers)? */
static int rule_names(const struct level *l, long nr)
{
    return nr >= 0 && nr < RS_NSYS && l->ruled[nr] && (!l->narrowed || l->allowed[nr]);
}

/* The level's rule for c. */
static const struct rs_rule *level_rule(int level, const struct rs_call *c)
{
    const struct level *l = &levels[level];

    if (c->abi != RS_ABI_X86_64 || !rule_names(l, c->nr))
        return NULL;
    return rs_rules_match(l->rules, &l->index, c);
}

static const struct rs_handler *handler_for_nr(const struct level *l, long nr)
{
    if (l->table[nr])
        return l->table[nr];
    return !l->narrowed || l->allowed[nr] ? l->any : NULL;
}

/* An ia32 or x32 call goes to the RS_ANY handler of a wrapper that
 * declares its ABI; the others never see it under a number of another
 * ABI. */
static const struct rs_handler *foreign_handler(const struct level *l, unsigned abi)
{
    return (l->abis & RS_ABI_BIT(abi)) && !l->narrowed ? l->any : NULL;
}

static const struct rs_handler *handler_for(int level, long nr)
{
    const struct level *l = &levels[level];

    if (nr < 0 || nr >= RS_NSYS)
        return l->narrowed || l->covers ? NULL : l->any;
    if (l->covers && !l->coded[nr])     /* only what a CODE rule hands it */
        return NULL;
    return handler_for_nr(l, nr);
}

/* The stack's handler for c at level: an ia32 or x32 call only to a
 * wrapper that takes its ABI, or refused by one that enforces. */
static const struct rs_handler *level_handler(int level, const struct rs_call *c, int *refuse)
{
    const struct rs_handler *h;

    if (c->abi == RS_ABI_X86_64)
        return handler_for(level, c->nr);
    if (!(h = foreign_handler(&levels[level], c->abi)) && levels[level].enforces)
        *refuse = 1;                    /* a policy that cannot check it refuses it */
    return h;
}

static void pass_call(struct rs_call *c)
{
    im_pass(c);
}

static void kill_process(const struct rs_call *c)
{
    (void)c;
    im_kill_process();
}

static int level_covers(int level)
{
    return levels[level].covers;
}

static const struct rs_stack *stack(void)
{
    static struct rs_stack s = {.handler = level_handler, .pass = pass_call, .rule = level_rule,
                                .kill = kill_process, .covers = level_covers};

    s.n = im.nwrappers;             /* set once at start; every thread reads the same */
    return &s;
}

/* rt_sigreturn has no arguments: the kernel reads the frame at the stack
 * pointer.  A wrapper that sees it (RS_SIGRETURN) gets that address. */
static void sigreturn_frame(struct rs_call *c)
{
    struct im_regs r;

    if (c->nr == SYS_rt_sigreturn && c->abi == RS_ABI_X86_64 && c->backend && im.backend &&
        im.backend->call_regs && im_sigreturn_seen()) {
        im.backend->call_regs(c, &r);
        c->arg[0] = (long)r.rsp;
    }
}

void im_dispatch(struct rs_call *c)
{
    c->flags = 0;
    sigreturn_frame(c);
    rs_stack_from(stack(), c, 0);
}

long im_pass_from(struct rs_call *c, int level)
{
    rs_stack_inside(stack(), c, level);
    return c->ret;
}

/* Must calls of another ABI fail?  An enforcing wrapper that does not
 * handle them all would refuse them; the kernel module, which cannot
 * deliver them to the wrapper, then fails them itself. */
int im_denies_foreign(void)
{
    for (int i = 0; i < im.nwrappers; i++)
        if (levels[i].enforces && levels[i].abis != (RS_ABI_BIT(RS_ABI_IA32) | RS_ABI_BIT(RS_ABI_X32)))
            return 1;
    return 0;
}

/* Does a wrapper of the stack take calls of another ABI (the kernel
 * module then delivers them: SELREDIR_IOC_COMPAT)? */
int im_takes_foreign(void)
{
    for (int i = 0; i < im.nwrappers; i++)
        if (levels[i].abis)
            return 1;
    return 0;
}

/* Does a wrapper of the stack handle the call (after syscalls=), by a
 * handler or a rule? */
static int stack_handles(long nr)
{
    for (int i = 0; i < im.nwrappers; i++)
        if (handler_for(i, nr) || (nr >= 0 && nr < RS_NSYS && levels[i].needs[nr] &&
                                    (!levels[i].narrowed || levels[i].allowed[nr])))
            return 1;
    return 0;
}

/* The calls a filtering backend — the kernel module, the only one —
 * must deliver: those a wrapper handles, and those runsel must handle
 * itself on that backend (handled.h's IM_KMOD rows, and IM_KFAST ones
 * while the fast path may be on).  Asked once per
 * number when the module's bitmap is built (kmod.c). */
int im_wants(long nr)
{
    int kfast = im_fast_may();

    switch (nr) {
#define IM_WANTS_ROW(nr, handler, backends, fast) \
    case nr:                                \
        if ((backends) & IM_KMOD)           \
            return 1;                       \
        if (((backends) & IM_KFAST) && kfast) \
            return 1;                       \
        break;
    IM_HANDLED(IM_WANTS_ROW)
#undef IM_WANTS_ROW
    }
    return stack_handles(nr);
}

/* Does a call need the dispatch — a wrapper of the stack handles it, or
 * runsel must handle it itself on any backend (handled.h)?  The fast path
 * gives such a call a dispatching cell, any other a native one. */
int im_takes(long nr)
{
    switch (nr) {
#define IM_TAKES_ROW(nr, handler, backends, fast) \
    case nr:                                      \
        return 1;
    IM_HANDLED(IM_TAKES_ROW)
#undef IM_TAKES_ROW
    }
    return stack_handles(nr);
}
