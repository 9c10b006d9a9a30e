/* rulecheck.c — a wrapper's rules (ABI 1.6, internal/runrules.h), table
 * driven: which call a rule matches, which tables the host refuses, and
 * that the overlap test is never wrong where it says "disjoint" — every
 * pair of conditions of a set is tried on every value of a small range
 * (and the values around its edges), by brute force. */
#include <stdint.h>
#include "rows.h"
#include "runrules.h"

#define M64 (~(uint64_t)0)

static struct rs_call call(int nr, long a0, long a1)
{
    struct rs_call c = {.nr = nr, .abi = RS_ABI_X86_64};

    c.arg[0] = a0;
    c.arg[1] = a1;
    return c;
}

#define EQ(arg, v) {(arg), RS_RULE_EQ, (v), 0}

/* ---- matching */
static void matching(void)
{
    static const struct {
        struct rs_cond k;
        uint64_t x;
        int want;
    } rows[] = {
        {{0, RS_RULE_EQ, 5, 0}, 5, 1},
        {{0, RS_RULE_EQ, 5, 0}, 6, 0},
        {{0, RS_RULE_NE, 5, 0}, 5, 0},
        {{0, RS_RULE_NE, 5, 0}, 4, 1},
        {{0, RS_RULE_MASKED, 0xf0, 0x20}, 0x2f, 1},
        {{0, RS_RULE_MASKED, 0xf0, 0x20}, 0x30, 0},
        {{0, RS_RULE_RANGE, 10, 20}, 10, 1},
        {{0, RS_RULE_RANGE, 10, 20}, 20, 1},
        {{0, RS_RULE_RANGE, 10, 20}, 21, 0},
        {{0, RS_RULE_RANGE, 10, 20}, 9, 0},
        {{0, RS_RULE_RANGE, 0, M64}, M64, 1},
        /* arguments compare as unsigned 64-bit: -1 is the largest value */
        {{0, RS_RULE_RANGE, 0, 100}, (uint64_t)-1, 0},
        {{0, 0, 0, 0}, 0, 0},                 /* no op: never holds */
    };

    rows_begin("a condition holds");
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
        rows_check(rs_cond_holds(&rows[i].k, rows[i].x) == rows[i].want,
                   "op %d a %#llx b %#llx on %#llx: got %d", rows[i].k.op,
                   (unsigned long long)rows[i].k.a, (unsigned long long)rows[i].k.b,
                   (unsigned long long)rows[i].x, !rows[i].want);
    rows_end();

    struct rs_rule r[] = {
        {.nr = 41, .action = RS_RULE_ERRNO, .err = 13, .nconds = 1, .cond = {EQ(0, 2)}},
        {.nr = 41, .action = RS_RULE_ALLOW, .nconds = 2, .cond = {EQ(0, 1), EQ(1, 1)}},
        {.nr = 257, .action = RS_RULE_ERRNO, .err = 2},
        {.nr = 257, .action = RS_RULE_ERRNO, .err = 2, .flags = RS_RULE_BACKSTOP},
        {.nr = 39, .action = RS_RULE_KILL, .flags = RS_RULE_BACKSTOP},
    };
    static struct rs_rules_index x;
    struct {
        struct rs_call c;
        int want;                          /* index of r, or -1 */
    } calls[] = {
        {call(41, 2, 0), 0}, {call(41, 2, 9), 0}, {call(41, 1, 1), 1}, {call(41, 1, 2), -1},
        {call(41, 10, 1), -1}, {call(257, 0, 0), 2}, {call(0, 0, 0), -1},
        {call(39, 0, 0), -1},              /* a backstop is the kernel's alone */
    };
    rs_rules_index(r, 5, &x);
    rows_begin("the rule a call matches");
    for (size_t i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
        const struct rs_rule *got = rs_rules_match(r, &x, &calls[i].c);
        int g = got ? (int)(got - r) : -1;
        rows_check(g == calls[i].want, "call %ld(%ld, %ld): got rule %d, want %d", calls[i].c.nr,
                   calls[i].c.arg[0], calls[i].c.arg[1], g, calls[i].want);
    }
    struct rs_call ia32 = call(257, 0, 0);
    ia32.abi = RS_ABI_IA32;
    rows_check(!rs_rules_match(r, &x, &ia32), "an ia32 call matches no rule");
    rows_end();
}

/* ---- the overlap test, by brute force on small values */
static const struct rs_cond conds[] = {
    {0, RS_RULE_EQ, 3, 0}, {0, RS_RULE_EQ, 8, 0}, {0, RS_RULE_NE, 3, 0}, {0, RS_RULE_NE, 8, 0},
    {0, RS_RULE_MASKED, 0x3, 0x3}, {0, RS_RULE_MASKED, 0x3, 0x0}, {0, RS_RULE_MASKED, 0xc, 0x8},
    {0, RS_RULE_MASKED, M64, 3}, {0, RS_RULE_MASKED, 0, 0}, {0, RS_RULE_RANGE, 0, 3},
    {0, RS_RULE_RANGE, 4, 7}, {0, RS_RULE_RANGE, 3, 3}, {0, RS_RULE_RANGE, 8, 15},
    {0, RS_RULE_RANGE, 9, M64}, {0, RS_RULE_MASKED, 0xf0, 0x10}, {0, RS_RULE_EQ, 17, 0},
};

static int both_hold_somewhere(const struct rs_cond *x, const struct rs_cond *y)
{
    static const uint64_t edges[] = {M64, M64 - 1, 1ull << 63, (1ull << 63) - 1};

    for (uint64_t v = 0; v < 64; v++)
        if (rs_cond_holds(x, v) && rs_cond_holds(y, v))
            return 1;
    for (size_t i = 0; i < sizeof(edges) / sizeof(edges[0]); i++)
        if (rs_cond_holds(x, edges[i]) && rs_cond_holds(y, edges[i]))
            return 1;
    return 0;
}

static void overlap(void)
{
    int n = (int)(sizeof(conds) / sizeof(conds[0])), exact = 0;

    rows_begin("disjoint is never said of conditions that overlap");
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) {
            int said = rs_conds_disjoint(&conds[i], &conds[j]);
            int overlaps = both_hold_somewhere(&conds[i], &conds[j]);
            rows_check(!(said && overlaps), "conditions %d and %d: said disjoint, both hold", i, j);
            rows_check(said == rs_conds_disjoint(&conds[j], &conds[i]),
                       "conditions %d and %d: the answer depends on their order", i, j);
            exact += said == !overlaps;
        }
    /* Exact but for MASKED against RANGE/NE (a conservative "overlap");
     * the small values and edges tried cover every set here. */
    rows_check(exact >= n * n - 24, "the test is exact on most pairs: %d of %d", exact, n * n);
    rows_end();
}

/* ---- which tables are refused */
static void tables(void)
{
    static const struct {
        const char *what;
        struct rs_rule r[4];
        int n, want, which;
    } rows[] = {
        {"one rule", {{.nr = 41, .action = RS_RULE_ERRNO, .err = 13}}, 1, RS_RULES_OK, 0},
        {"a set: equal values, one errno each",
         {{.nr = 41, .action = RS_RULE_ERRNO, .err = 97, .nconds = 1, .cond = {EQ(0, 2)}},
          {.nr = 41, .action = RS_RULE_ERRNO, .err = 13, .nconds = 1, .cond = {EQ(0, 10)}}},
         2, RS_RULES_OK, 0},
        {"overlapping rules that agree",
         {{.nr = 41, .action = RS_RULE_ERRNO, .err = 13},
          {.nr = 41, .action = RS_RULE_ERRNO, .err = 13, .nconds = 1, .cond = {EQ(0, 2)}}},
         2, RS_RULES_OK, 0},
        {"a rule for every call of a number, and one for some of them, that disagree",
         {{.nr = 41, .action = RS_RULE_ERRNO, .err = 13},
          {.nr = 41, .action = RS_RULE_ALLOW, .nconds = 1, .cond = {EQ(0, 2)}}},
         2, RS_RULES_CONFLICT, 1},
        {"two errnos where both could match (conditions on other arguments)",
         {{.nr = 41, .action = RS_RULE_ERRNO, .err = 1, .nconds = 1, .cond = {EQ(0, 2)}},
          {.nr = 41, .action = RS_RULE_ERRNO, .err = 2, .nconds = 1, .cond = {EQ(1, 1)}}},
         2, RS_RULES_CONFLICT, 1},
        {"disagreeing rules for different calls",
         {{.nr = 41, .action = RS_RULE_ERRNO, .err = 1}, {.nr = 42, .action = RS_RULE_ALLOW}},
         2, RS_RULES_OK, 0},
        {"ranges that touch",
         {{.nr = 9, .action = RS_RULE_ERRNO, .err = 1, .nconds = 1, .cond = {{2, RS_RULE_RANGE, 0, 7}}},
          {.nr = 9, .action = RS_RULE_CODE, .nconds = 1, .cond = {{2, RS_RULE_RANGE, 7, 9}}}},
         2, RS_RULES_CONFLICT, 1},
        {"ranges that do not",
         {{.nr = 9, .action = RS_RULE_ERRNO, .err = 1, .nconds = 1, .cond = {{2, RS_RULE_RANGE, 0, 6}}},
          {.nr = 9, .action = RS_RULE_CODE, .nconds = 1, .cond = {{2, RS_RULE_RANGE, 7, 9}}}},
         2, RS_RULES_OK, 0},
        {"a number out of range", {{.nr = RS_NSYS, .action = RS_RULE_ALLOW}}, 1, RS_RULES_BAD_NR, 0},
        {"an unknown action", {{.nr = 1, .action = 9}}, 1, RS_RULES_BAD_ACTION, 0},
        {"errno 0", {{.nr = 1, .action = RS_RULE_ERRNO}}, 1, RS_RULES_BAD_ERRNO, 0},
        {"errno 4096", {{.nr = 1, .action = RS_RULE_ERRNO, .err = 4096}}, 1, RS_RULES_BAD_ERRNO, 0},
        {"argument 6", {{.nr = 1, .action = RS_RULE_ALLOW, .nconds = 1, .cond = {EQ(6, 0)}}}, 1,
         RS_RULES_BAD_COND, 0},
        {"a mask that can never match",
         {{.nr = 1, .action = RS_RULE_ALLOW, .nconds = 1, .cond = {{0, RS_RULE_MASKED, 0xf, 0x10}}}},
         1, RS_RULES_BAD_COND, 0},
        {"an empty range",
         {{.nr = 1, .action = RS_RULE_ALLOW, .nconds = 1, .cond = {{0, RS_RULE_RANGE, 5, 4}}}},
         1, RS_RULES_BAD_COND, 0},
        {"two conditions on one argument",
         {{.nr = 1, .action = RS_RULE_ALLOW, .nconds = 2, .cond = {EQ(0, 1), EQ(0, 2)}}}, 1,
         RS_RULES_SAME_ARG, 0},
        {"a backstop that allows", {{.nr = 1, .action = RS_RULE_ALLOW, .flags = RS_RULE_BACKSTOP}}, 1,
         RS_RULES_BAD_ACTION, 0},
        {"an unknown flag", {{.nr = 1, .action = RS_RULE_KILL, .flags = 2}}, 1, RS_RULES_BAD_ACTION, 0},
        {"kill and errno where both match",
         {{.nr = 1, .action = RS_RULE_KILL}, {.nr = 1, .action = RS_RULE_ERRNO, .err = 1,
                                              .nconds = 1, .cond = {EQ(0, 1)}}},
         2, RS_RULES_CONFLICT, 1},
        {"a disagreeing rule of the call two rules back",
         {{.nr = 41, .action = RS_RULE_ERRNO, .err = 1}, {.nr = 42, .action = RS_RULE_ALLOW},
          {.nr = 43, .action = RS_RULE_KILL}, {.nr = 41, .action = RS_RULE_ALLOW}},
         4, RS_RULES_CONFLICT, 3},
        {"a backstop and a rule that agree",
         {{.nr = 41, .action = RS_RULE_ERRNO, .err = 1, .flags = RS_RULE_BACKSTOP},
          {.nr = 41, .action = RS_RULE_ERRNO, .err = 1}},
         2, RS_RULES_OK, 0},
        {"seven conditions", {{.nr = 1, .action = RS_RULE_ALLOW, .nconds = 7}}, 1, RS_RULES_BAD_COND, 0},
    };

    rows_begin("tables the host refuses, and the rule it names");
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        int which = -1, other = -1;
        int got = rs_rules_check(rows[i].r, rows[i].n, &which, &other);
        rows_check(got == rows[i].want && (got == RS_RULES_OK || which == rows[i].which),
                   "%s: got %d (%s) at rule %d, want %d at rule %d", rows[i].what, got,
                   rs_rules_problem_text(got), which, rows[i].want, rows[i].which);
    }
    rows_end();
}

int main(void)
{
    matching();
    overlap();
    tables();
    return rows_exit();
}
