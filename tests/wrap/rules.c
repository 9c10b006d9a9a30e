/* rules — a test wrapper for tests/t_deny.sh: its rules (ABI 1.6) by the
 * table=NAME option, and a handler that must not run where they decide.
 *   table=allow     getppid ALLOW; getppid's handler vetoes (EPERM) — so a
 *                   getppid that fails means the rule did not decide
 *   table=conds     prctl: ENOENT when arg0 is in 1000..1010; EACCES when
 *                   arg0 is 3 and (arg1 & 0xff) == 0x42; EXDEV when arg0 is
 *                   not 2000 and arg1 is 77 — disjoint from the other two
 *                   only where arg0 differs from theirs: refused as written,
 *                   so arg0 is kept apart by the RANGE below
 *   table=conflict  getppid EPERM for all, ALLOW when arg0 is 0: refused
 *   table=kill      getppid with arg0 = 7 kills the process (SIGSYS) */
#include <runsel/wrapper.h>

#define EPERM_ 1
#define ENOENT_ 2
#define EXDEV_ 18
#define EACCES_ 13

static int veto(struct rs_call *c)
{
    c->ret = -EPERM_;
    return RS_RETURN;
}

static int rules(const struct rs_options *o, struct rs_rule *out, int max, char *err, size_t errsize)
{
    const char *t = rs_opt(o, "table");

    if (max < 3)
        return -1;
    if (t && !rs_strcmp(t, "allow")) {
        out[0] = (struct rs_rule){.nr = SYS_getppid, .action = RS_RULE_ALLOW};
        return 1;
    }
    if (t && !rs_strcmp(t, "conds")) {
        out[0] = (struct rs_rule){.nr = SYS_prctl, .action = RS_RULE_ERRNO, .err = ENOENT_, .nconds = 1,
                                  .cond = {{0, RS_RULE_RANGE, 1000, 1010}}};
        out[1] = (struct rs_rule){.nr = SYS_prctl, .action = RS_RULE_ERRNO, .err = EACCES_, .nconds = 2,
                                  .cond = {{0, RS_RULE_EQ, 3}, {1, RS_RULE_MASKED, 0xff, 0x42}}};
        out[2] = (struct rs_rule){.nr = SYS_prctl, .action = RS_RULE_ERRNO, .err = EXDEV_, .nconds = 2,
                                  .cond = {{0, RS_RULE_RANGE, 4000, 5000}, {1, RS_RULE_EQ, 77}}};
        return 3;
    }
    if (t && !rs_strcmp(t, "conflict")) {
        out[0] = (struct rs_rule){.nr = SYS_getppid, .action = RS_RULE_ERRNO, .err = EPERM_};
        out[1] = (struct rs_rule){.nr = SYS_getppid, .action = RS_RULE_ALLOW, .nconds = 1,
                                  .cond = {{0, RS_RULE_EQ, 0}}};
        return 2;
    }
    if (t && !rs_strcmp(t, "kill")) {
        out[0] = (struct rs_rule){.nr = SYS_getppid, .action = RS_RULE_KILL, .nconds = 1,
                                  .cond = {{0, RS_RULE_EQ, 7}}};
        return 1;
    }
    rs_snprintf(err, errsize, "table=allow, conds, conflict or kill");
    return -1;
}

static const struct rs_handler handlers[] = {
    RS_WRAP_CALL(SYS_getppid, veto, NULL),
};

RS_OPTIONS("table");
RS_WRAPPER("rules", handlers, .rules = rules);
