/* deny — fail the calls named with an errno, said entirely as rules
 * (ABI 1.6): no code of deny's runs for any call.  The host evaluates the
 * rules in the program (in process) or in the supervisor's worker
 * (placement=process); the kernel placement (issue #16) is to run the same
 * table as a seccomp filter.
 *
 * Options
 *   calls=LIST   the system calls to fail: names (openat) or numbers,
 *                separated by ','; required
 *   errno=E      the error they fail with: a name (EACCES) or 1..4095;
 *                default EPERM
 *
 * Example: runsel -w deny -o calls=socket,connect -o errno=EACCES -- curl ...
 *
 * It enforces a policy (RS_ENFORCES): a program it cannot follow does
 * not run. */
#include <runsel/wrapper.h>

#define EPERM_ 1

static int parse_errno(const char *v, char *err, size_t errsize)
{
    size_t n = rs_strlen(v);
    long e = 0;
    int digits = n > 0;

    for (size_t i = 0; i < n; i++) {
        if (v[i] < '0' || v[i] > '9') {
            digits = 0;
            break;
        }
        if ((e = e * 10 + (v[i] - '0')) > 4095)
            break;
    }
    if (!digits)
        e = rs_errno_from_name(v, n);
    if (e < 1 || e > 4095) {
        rs_snprintf(err, errsize, "errno=%s: expected an errno name (EACCES) or 1..4095", v);
        return -1;
    }
    return (int)e;
}

static long parse_call(const char *w, size_t len)
{
    long nr = 0;

    if (w[0] < '0' || w[0] > '9')
        return rs_syscall_from_name(w, len);
    for (size_t i = 0; i < len; i++) {
        if (w[i] < '0' || w[i] > '9' || (nr = nr * 10 + (w[i] - '0')) >= RS_NSYS)
            return -1;
    }
    return nr;
}

static int deny_rules(const struct rs_options *o, struct rs_rule *out, int max, char *err,
                      size_t errsize)
{
    const char *calls = rs_opt(o, "calls"), *ev = rs_opt(o, "errno"), *cur, *w;
    int e = EPERM_, n = 0;
    size_t len;

    if (rs_opt_check(o, err, errsize))
        return -1;
    if (!calls || !calls[0]) {
        rs_snprintf(err, errsize, "calls=LIST is required (the system calls to fail)");
        return -1;
    }
    if (ev && (e = parse_errno(ev, err, errsize)) < 0)
        return -1;
    cur = calls;
    while ((w = rs_next_word(&cur, ',', &len))) {
        long nr = parse_call(w, len);
        if (nr < 0 || nr >= RS_NSYS) {
            rs_snprintf(err, errsize, "calls=: unknown system call '%.*s'", (int)len, w);
            return -1;
        }
        if (n == max) {
            rs_snprintf(err, errsize, "calls=: more than %d system calls", max);
            return -1;
        }
        out[n++] = (struct rs_rule){.nr = (int)nr, .action = RS_RULE_ERRNO, .err = (unsigned short)e};
    }
    return n;
}

/* The rules are the whole wrapper: init only checks the options, as the
 * rules hook does, so a bad option is refused in every placement. */
static int deny_init(const struct rs_options *o, char *err, size_t errsize)
{
    struct rs_rule scratch[RS_RULES_MAX];

    if (!rs_host_runs_rules()) {     /* it would deny nothing */
        rs_snprintf(err, errsize, "this runsel is older than ABI 1.6 and runs no rules");
        return -1;
    }
    return deny_rules(o, scratch, RS_RULES_MAX, err, errsize) < 0 ? -1 : 0;
}

static const struct rs_handler handlers[] = {};

RS_OPTIONS("calls", "errno");
RS_WRAPPER("deny", handlers, .summary = "fail the calls named with an errno (rules only: no code runs)",
           .flags = RS_ENFORCES, .init = deny_init, .rules = deny_rules);
