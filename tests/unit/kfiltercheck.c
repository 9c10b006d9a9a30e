/* kfiltercheck.c — a wrapper's rules as the kernel runs them
 * (kfilter/compile.c, libseccomp), table driven: each row's rules are
 * installed in a forked child, which makes one call and reports what the
 * kernel answered — so a range split into masked blocks, a NE, a kill,
 * the refusal of another ABI's calls are checked against the kernel
 * itself, at the edges of every range.  The call is getppid, whose
 * arguments the kernel ignores: a rule's conditions alone decide. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "kfilter.h"
#include "rows.h"

#define GETPPID 110
#define DIED (-1000)                      /* the child was killed by SIGSYS */

/* What getppid(a0, a1) returns under the item's filter: 0 for success,
 * -errno, or DIED. */
static long answer(const struct kf_item *it, uint64_t a0, uint64_t a1, int ia32)
{
    char why[256];
    int st;
    pid_t p = fork();

    if (p == 0) {
        scmp_filter_ctx ctx = kf_filter_build(it, why, sizeof(why));
        if (!ctx || kf_filter_load(ctx))
            _exit(250);
        long r;
        if (ia32) {                        /* getppid is 64 in the ia32 table */
            __asm__ volatile("int $0x80" : "=a"(r) : "a"(64L) : "memory");
            r = r < 0 ? r : 0;
        } else {
            r = syscall(GETPPID, a0, a1);
            r = r < 0 ? -errno : 0;
        }
        _exit(r == 0 ? 0 : r < 0 && r > -200 ? (int)-r : 251);
    }
    if (p < 0 || waitpid(p, &st, 0) != p)
        return 252;
    if (WIFSIGNALED(st) && WTERMSIG(st) == SIGSYS)
        return DIED;
    return WIFEXITED(st) ? -WEXITSTATUS(st) : 253;
}

#define R(act, e, ...) {.nr = GETPPID, .action = (act), .err = (e), __VA_ARGS__}
#define C1(arg, op, a, b) .nconds = 1, .cond = {{(arg), (op), (a), (b)}}

int main(void)
{
    static const struct {
        const char *what;
        struct rs_rule rule;
        int enforces;
        struct {
            uint64_t a0, a1;
            long want;
        } calls[6];
    } rows[] = {
        {"errno, no condition", R(RS_RULE_ERRNO, EACCES), 0,
         {{0, 0, -EACCES}, {7, 9, -EACCES}}},
        {"EQ", R(RS_RULE_ERRNO, ENOENT, C1(0, RS_RULE_EQ, 5, 0)), 0,
         {{5, 0, -ENOENT}, {4, 0, 0}, {5 | (1ull << 32), 0, 0}}},
        {"NE", R(RS_RULE_ERRNO, EPERM, C1(1, RS_RULE_NE, 3, 0)), 0,
         {{0, 3, 0}, {0, 2, -EPERM}, {0, ~0ull, -EPERM}}},
        {"MASKED", R(RS_RULE_ERRNO, EIO, C1(0, RS_RULE_MASKED, 0xf0, 0x30)), 0,
         {{0x30, 0, -EIO}, {0x3f, 0, -EIO}, {0x130, 0, -EIO}, {0x20, 0, 0}}},
        {"a range split into blocks", R(RS_RULE_ERRNO, EBUSY, C1(0, RS_RULE_RANGE, 5, 1000)), 0,
         {{4, 0, 0}, {5, 0, -EBUSY}, {6, 0, -EBUSY}, {700, 0, -EBUSY}, {1000, 0, -EBUSY},
          {1001, 0, 0}}},
        {"a range from 0", R(RS_RULE_ERRNO, EBUSY, C1(0, RS_RULE_RANGE, 0, 9)), 0,
         {{0, 0, -EBUSY}, {9, 0, -EBUSY}, {10, 0, 0}}},
        {"a range to the top", R(RS_RULE_ERRNO, EBUSY, C1(0, RS_RULE_RANGE, 17, ~0ull)), 0,
         {{16, 0, 0}, {17, 0, -EBUSY}, {~0ull, 0, -EBUSY}}},
        {"a range of 64-bit values", R(RS_RULE_ERRNO, EBUSY,
                                       C1(1, RS_RULE_RANGE, (1ull << 32) - 1, (1ull << 33) + 1)), 0,
         {{0, (1ull << 32) - 2, 0}, {0, (1ull << 32) - 1, -EBUSY}, {0, 1ull << 32, -EBUSY},
          {0, (1ull << 33) + 1, -EBUSY}, {0, (1ull << 33) + 2, 0}}},
        {"two conditions", R(RS_RULE_ERRNO, EINVAL, .nconds = 2,
                             .cond = {{0, RS_RULE_EQ, 1, 0}, {1, RS_RULE_RANGE, 2, 3}}), 0,
         {{1, 2, -EINVAL}, {1, 3, -EINVAL}, {1, 4, 0}, {0, 2, 0}}},
        {"kill", R(RS_RULE_KILL, 0, C1(0, RS_RULE_EQ, 9, 0)), 0, {{9, 0, DIED}, {8, 0, 0}}},
        {"a backstop is the kernel's too", R(RS_RULE_ERRNO, EACCES, .flags = RS_RULE_BACKSTOP), 0,
         {{0, 0, -EACCES}}},
        {"allow and code rules stay out", R(RS_RULE_CODE, 0), 0, {{0, 0, 0}}},
    };
    static struct kf_item it;

    rows_begin("calls under a wrapper's filter, answered by the kernel");
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        it.rules[0] = rows[i].rule;
        it.nrules = 1;
        it.enforces = rows[i].enforces;
        for (int k = 0; k < 6 && (k == 0 || rows[i].calls[k].want || rows[i].calls[k].a0 ||
                                  rows[i].calls[k].a1); k++) {
            long got = answer(&it, rows[i].calls[k].a0, rows[i].calls[k].a1, 0);
            rows_check(got == rows[i].calls[k].want, "%s: getppid(%#llx, %#llx): got %ld, want %ld",
                       rows[i].what, (unsigned long long)rows[i].calls[k].a0,
                       (unsigned long long)rows[i].calls[k].a1, got, rows[i].calls[k].want);
        }
    }
    rows_end();

    rows_begin("calls of another ABI");
    it.rules[0] = (struct rs_rule)R(RS_RULE_ERRNO, EACCES, C1(0, RS_RULE_EQ, 12345, 0));
    it.nrules = 1;
    it.enforces = 1;
    rows_check(answer(&it, 0, 0, 1) == -ENOSYS, "an enforcing wrapper's filter refuses ia32 calls");
    it.foreign = 1;
    rows_check(answer(&it, 0, 0, 1) == 0, "... unless its code takes them");
    it.foreign = 0;
    it.enforces = 0;
    rows_check(answer(&it, 0, 0, 1) == 0, "an observing wrapper's filter lets them by");
    rows_end();
    return rows_exit();
}
