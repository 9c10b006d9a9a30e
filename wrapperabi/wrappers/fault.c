/* fault — make chosen system calls fail, or return a chosen value, like
 * `strace -e inject=...` (runsel -e inject= / -e fault= stacks it under
 * trace with these options).
 *
 * Options:
 *   inject=SPEC,SPEC,...   required.  SPEC is
 *              CALL:RESULT[:when=WHEN][:rate=P][:ARG-CONDITION...]
 *       CALL   a system call name (openat) or number (257), or a group of
 *              calls as strace names them (%file, %desc, %process ...:
 *              runsel/wrapper.h, rs_class_from_name), but for the calls
 *              that cannot fail (below), which a group leaves out;
 *       RESULT ERRNO: an errno name (ENOENT) or number (2), 1..4095: the
 *              call fails with it; or retval=N: the call succeeds and
 *              returns N (a decimal, may be negative: -4095..-1 would read
 *              as an error, as under strace);
 *       WHEN   which calls of CALL, counted from 1 per process:
 *              N      only the Nth            N+     the Nth and every later one
 *              N+S    the Nth, then every Sth (N, N+S, N+2S, ...)
 *              N..M   the Nth to the Mth      N..M+S every Sth from N to M
 *              (default 1+: every call; strace's syntax);
 *       P      the probability that an eligible call fails (default: the
 *              rate= option, else 1);
 *       ARG-CONDITION  only calls whose argument N (0..5) holds, compared
 *              as a 64-bit value (a negative number is its two's
 *              complement: arg0=-100 is AT_FDCWD as glibc passes it):
 *              argN=V, argN!=V, argN&MASK=V, argN=LO..HI; one per
 *              argument, all must hold (when= still counts every call
 *              of CALL).
 *     Several SPECs are separated by commas, in one inject= (options are
 *     words of the runsel command line or a selected.conf line: a second
 *     inject= replaces the first).  SPECs for the same CALL share its count;
 *     the first one that fires decides the errno.
 *     Example: inject=openat:ENOENT:when=3+,read:EIO:when=2..4
 *   rate=P     default probability for every SPEC: a decimal fraction
 *              (0.1, 1, 0) or a percentage (10%, 0.5%), kept as parts
 *              per million (no floating point in a wrapper).
 *   seed=N     (decimal or 0x hex) makes rate= deterministic: whether the
 *              Kth call of CALL fails depends only on the seed, CALL and K,
 *              so the same program with the same seed fails the same calls.
 *              Without it each process seeds itself from getrandom().
 *   verbose=yes   one line per injected failure:
 *              runsel fault: openat #3 -> ENOENT
 *              on the stderr the program started with (kept at init, so
 *              the program's own fd 2 games do not move it), or in
 *   log=PATH   (%p = pid), opened by rs_log_open() with trace's rules:
 *              no symlinks, no other user's file in a world-writable
 *              directory, and for a set-user-ID, set-group-ID or
 *              file-capability program verbose=yes needs an absolute log=.
 *
 * An injected call is not made: it returns -ERRNO (or N) at once (so a
 * failed write writes nothing, a failed unlink removes nothing, and a
 * write "returning" 5 wrote nothing either).  Counting is
 * per process, shared by its threads (atomic); a forked child starts
 * counting from zero, and so does every program exec'd (it gets a fresh
 * wrapper with the same options).  Without seed= a forked child also
 * draws a fresh seed.  Beware that counts include the dynamic linker's
 * calls (ld.so opens libraries with openat): use when= to skip them.
 * exit, exit_group and rt_sigreturn cannot be made to fail.
 * Bad option values stop the program before it runs (runsel exits 126).
 *
 * Rules (ABI 1.6): a SPEC that fails its call every time (no when=, no
 * rate below 1, an errno, no verbose=) and is the only SPEC of its calls
 * is said as a rule — evaluated by the host without fault's code, and
 * with placement=kernel run by the kernel as a seccomp filter; every
 * other call fault injects into is handed to its code by a CODE rule
 * (RS_RULES_COVER: fault's code sees no other call).  A stack of such
 * rules only runs under placement=kernel with nothing of runsel in the
 * program. */
#include <runsel/wrapper.h>
#include <runsel/print.h>

#define MAXINJ 64
#define PPM 1000000u
#define FOREVER UINT64_MAX

struct inject {
    int nr, err;                    /* nr -1: the calls of group cls; err 0: returns retval */
    uint32_t cls;
    long retval;
    uint64_t first, last, step;     /* WHEN */
    uint32_t ppm;                   /* probability, parts per million */
    int has_rate;
    int nconds;
    struct rs_cond cond[RS_RULE_CONDS];   /* ARG-CONDITIONs */
};

/* What the options say: built by init for the handler, and by the rules
 * hook on a copy of its own (it must change nothing). */
struct plan {
    struct inject inj[MAXINJ];
    int ninj;
    unsigned char wanted[RS_NSYS];  /* nr has injections */
    int verbose;
    int json;                    /* format=json: verbose lines as JSON objects */
};

static struct plan live;
static uint64_t counts[RS_NSYS];
static uint64_t seed;
static int seeded;
static struct rs_log flog;      /* verbose lines (rs_log_open) */

/* ---- parsing ---- */

static int parse_u64(const char *s, size_t n, uint64_t *out)
{
    uint64_t v = 0;
    int base = 10;

    if (n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        s += 2;
        n -= 2;
    }
    if (!n)
        return -1;
    for (size_t i = 0; i < n; i++) {
        int d;
        char ch = s[i];
        if (ch >= '0' && ch <= '9')
            d = ch - '0';
        else if (base == 16 && ch >= 'a' && ch <= 'f')
            d = ch - 'a' + 10;
        else if (base == 16 && ch >= 'A' && ch <= 'F')
            d = ch - 'A' + 10;
        else
            return -1;
        if (v > (UINT64_MAX - (uint64_t)d) / (uint64_t)base)
            return -1;
        v = v * (uint64_t)base + (uint64_t)d;
    }
    *out = v;
    return 0;
}

/* A condition's value: decimal or 0x hex, maybe negative (two's
 * complement, as a register holds a negative int passed as a long). */
static int parse_number(const char *s, size_t n, uint64_t *out)
{
    int neg = n > 1 && s[0] == '-';

    if (parse_u64(s + neg, n - (size_t)neg, out))
        return -1;
    if (neg)
        *out = 0 - *out;
    return 0;
}

/* "0.1", "1", "10%", "0.5%" -> parts per million. */
static int parse_rate(const char *s, size_t n, uint32_t *out)
{
    uint64_t ip = 0, frac = 0, scale = 1;   /* value = ip + frac / scale */
    size_t i = 0;
    int pct = n > 0 && s[n - 1] == '%', digits = 0;

    if (pct)
        n--;
    for (; i < n && s[i] >= '0' && s[i] <= '9'; i++, digits++) {
        if (ip > 1000)
            return -1;
        ip = ip * 10 + (uint64_t)(s[i] - '0');
    }
    if (i < n && s[i] == '.') {
        for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++, digits++)
            if (scale < 1000000000000ULL) {      /* 12 decimals are plenty */
                frac = frac * 10 + (uint64_t)(s[i] - '0');
                scale *= 10;
            }
    }
    if (i != n || !digits)
        return -1;
    uint64_t unit = pct ? PPM / 100 : PPM;      /* ppm per 1.0 */
    uint64_t ppm = ip * unit + frac * unit / scale;
    if (ppm > PPM)
        return -1;
    if (ppm == 0 && (ip || frac))
        return -2;                               /* below one in a million */
    *out = (uint32_t)ppm;
    return 0;
}

/* From i: the end of the decimal digits, or up to the next c. */
static size_t digits(const char *s, size_t i, size_t n)
{
    while (i < n && s[i] >= '0' && s[i] <= '9')
        i++;
    return i;
}

static size_t up_to(const char *s, size_t i, size_t n, char c)
{
    while (i < n && s[i] != c)
        i++;
    return i;
}

/* N, N+, N+S, N..M, N..M+, N..M+S (strace's FIRST[..LAST][+[STEP]]) */
static int parse_when(const char *s, size_t n, struct inject *j)
{
    size_t i = digits(s, 0, n);

    if (parse_u64(s, i, &j->first) || j->first == 0)
        return -1;
    j->last = j->first;
    j->step = 1;
    if (n - i > 2 && s[i] == '.' && s[i + 1] == '.') {
        size_t e = up_to(s, i + 2, n, '+');
        if (parse_u64(s + i + 2, e - i - 2, &j->last) || j->last < j->first)
            return -1;
        i = e;
        if (i == n)
            return 0;
        if (s[i] != '+')
            return -1;
    } else if (i < n && s[i] == '+') {
        j->last = FOREVER;
    }
    if (i == n)
        return 0;
    if (s[i] != '+')
        return -1;
    if (i + 1 == n)
        return 0;
    return parse_u64(s + i + 1, n - i - 1, &j->step) || j->step == 0 ? -1 : 0;
}

/* retval=N: a number as parse_u64 reads it, maybe negative, that fits
 * in a long. */
static int parse_retval(const char *s, size_t n, long *out)
{
    int neg = n > 0 && s[0] == '-';
    uint64_t v, max = neg ? (uint64_t)1 << 63 : ((uint64_t)1 << 63) - 1;

    if (parse_u64(s + neg, n - (size_t)neg, &v) || v > max)
        return -1;
    *out = neg ? (long)(0 - v) : (long)v;
    return 0;
}

static int cannot_fail(long nr)
{
    return nr == SYS_exit || nr == SYS_exit_group || nr == SYS_rt_sigreturn;
}

/* Is call nr one that injection j applies to? */
static int injects(const struct inject *j, long nr)
{
    if (j->nr >= 0)
        return j->nr == nr;
    return (rs_syscall_classes(nr) & j->cls) && !cannot_fail(nr);
}

/* The CALL field: a name, a number or a %group. */
static int parse_call(const char *f, size_t n, struct inject *j, char *err, size_t errsize)
{
    uint64_t v;

    j->cls = 0;
    j->nr = -1;
    if (f[0] == '%') {
        if (!(j->cls = rs_class_from_name(f, n))) {
            rs_snprintf(err, errsize, "inject: unknown group of calls '%.*s'", (int)n, f);
            return -1;
        }
        return 0;
    }
    long nr = parse_u64(f, n, &v) ? rs_syscall_from_name(f, n) : (v < RS_NSYS ? (long)v : -1);
    if (nr < 0 || nr >= RS_NSYS) {
        rs_snprintf(err, errsize, "inject: unknown system call '%.*s'", (int)n, f);
        return -1;
    }
    if (cannot_fail(nr)) {
        rs_snprintf(err, errsize, "inject: %s cannot fail", rs_syscall_name(nr));
        return -1;
    }
    j->nr = (int)nr;
    return 0;
}

/* The RESULT field: an errno, or retval=N. */
static int parse_result(const char *f, size_t n, struct inject *j, char *err, size_t errsize)
{
    uint64_t v;

    if (n > 7 && !rs_strncmp(f, "retval=", 7)) {
        if (parse_retval(f + 7, n - 7, &j->retval)) {
            rs_snprintf(err, errsize, "inject: bad retval '%.*s' (a number)", (int)(n - 7), f + 7);
            return -1;
        }
        j->err = 0;
        return 0;
    }
    j->err = parse_u64(f, n, &v) ? rs_errno_from_name(f, n) : (v >= 1 && v <= 4095 ? (int)v : 0);
    if (j->err <= 0) {
        rs_snprintf(err, errsize, "inject: unknown errno '%.*s' (a name like ENOENT or 1..4095, "
                    "or retval=N)", (int)n, f);
        return -1;
    }
    return 0;
}

/* argN=V, argN!=V, argN&MASK=V, argN=LO..HI */
static int parse_cond(const char *f, size_t n, struct inject *j)
{
    size_t i = 4, e;
    uint64_t v;
    struct rs_cond k = {.op = RS_RULE_EQ};

    if (n < 6 || rs_strncmp(f, "arg", 3) || f[3] < '0' || f[3] > '5')
        return -1;
    k.arg = (unsigned char)(f[3] - '0');
    if (f[i] == '!') {
        k.op = RS_RULE_NE;
        i++;
    } else if (f[i] == '&') {
        e = up_to(f, i + 1, n, '=');
        if (e == n || parse_number(f + i + 1, e - i - 1, &k.a))
            return -1;
        k.op = RS_RULE_MASKED;
        i = e;
    }
    if (i >= n || f[i] != '=')
        return -1;
    i++;
    e = i;
    while (e + 1 < n && !(f[e] == '.' && f[e + 1] == '.'))
        e++;
    if (e + 1 < n) {                                  /* LO..HI */
        if (k.op != RS_RULE_EQ || parse_number(f + i, e - i, &k.a) ||
            parse_number(f + e + 2, n - e - 2, &k.b) || k.a > k.b)
            return -1;
        k.op = RS_RULE_RANGE;
    } else if (parse_number(f + i, n - i, &v)) {
        return -1;
    } else if (k.op == RS_RULE_MASKED) {
        if (v & ~k.a)
            return -1;                                /* could never hold */
        k.b = v;
    } else {
        k.a = v;
    }
    for (int c = 0; c < j->nconds; c++)
        if (j->cond[c].arg == k.arg)
            return -1;
    j->cond[j->nconds++] = k;
    return 0;
}

static int conds_hold(const struct inject *j, const struct rs_call *c)
{
    for (int i = 0; i < j->nconds; i++)
        if (!rs_cond_holds(&j->cond[i], (uint64_t)c->arg[j->cond[i].arg]))
            return 0;
    return 1;
}

static int parse_spec(struct plan *pl, const char *w, size_t len, char *err, size_t errsize)
{
    const char *cur = w, *end = w + len, *f[8];
    size_t fl[8];
    int nf = 0;

    /* split on ':' (rs_next_word works on NUL-ended text; this is a slice) */
    for (const char *p = w; p <= end; p++)
        if (p == end || *p == ':') {
            if (nf == 8)
                goto bad;
            f[nf] = cur;
            fl[nf++] = (size_t)(p - cur);
            cur = p + 1;
        }
    if (nf < 2 || !fl[0] || !fl[1])
        goto bad;
    if (pl->ninj == MAXINJ) {
        rs_snprintf(err, errsize, "inject: more than %d injections", MAXINJ);
        return -1;
    }
    struct inject *j = &pl->inj[pl->ninj];
    j->nconds = 0;
    if (parse_call(f[0], fl[0], j, err, errsize) || parse_result(f[1], fl[1], j, err, errsize))
        return -1;
    j->first = 1;
    j->last = FOREVER;
    j->step = 1;
    j->ppm = PPM;
    for (int k = 2; k < nf; k++) {
        if (fl[k] > 5 && !rs_strncmp(f[k], "when=", 5)) {
            if (parse_when(f[k] + 5, fl[k] - 5, j)) {
                rs_snprintf(err, errsize, "inject: bad when '%.*s' (N, N+, N+S, N..M or N..M+S, from 1)",
                            (int)(fl[k] - 5), f[k] + 5);
                return -1;
            }
        } else if (fl[k] > 5 && !rs_strncmp(f[k], "rate=", 5)) {
            if (parse_rate(f[k] + 5, fl[k] - 5, &j->ppm)) {
                rs_snprintf(err, errsize, "inject: bad rate '%.*s' (0..1 or 0%%..100%%, "
                            "at least 0.000001)", (int)(fl[k] - 5), f[k] + 5);
                return -1;
            }
            j->has_rate = 1;
        } else if (fl[k] > 3 && !rs_strncmp(f[k], "arg", 3)) {
            if (parse_cond(f[k], fl[k], j)) {
                rs_snprintf(err, errsize, "inject: bad condition '%.*s' (argN=V, argN!=V, "
                            "argN&MASK=V or argN=LO..HI; N 0..5, once each)", (int)fl[k], f[k]);
                return -1;
            }
        } else {
            rs_snprintf(err, errsize, "inject: '%.*s': expected when=WHEN, rate=P or an "
                        "argument condition (argN=V ...)", (int)fl[k], f[k]);
            return -1;
        }
    }
    for (int nr = 0; nr < RS_NSYS; nr++)
        pl->wanted[nr] |= injects(j, nr);
    pl->ninj++;
    return 0;
bad:
    rs_snprintf(err, errsize, "inject: '%.*s': expected CALL:ERRNO[:when=WHEN][:rate=P] "
                "or CALL:retval=N[...]", (int)len, w);
    return -1;
}

static void fresh_seed(void)
{
    if (rs_syscall(SYS_getrandom, &seed, sizeof(seed), 0) != sizeof(seed))
        seed = rs_now_ns() ^ ((uint64_t)rs_getpid() << 32);
}

/* The options into pl (seeding aside): 0, or -1 with err. */
static int parse_options(const struct rs_options *o, struct plan *pl, char *err, size_t errsize)
{
    const char *spec = rs_opt(o, "inject"), *rate = rs_opt(o, "rate"), *sd = rs_opt(o, "seed");
    const char *vb = rs_opt(o, "verbose");
    uint32_t dflt = PPM;
    uint64_t scratch;

    if (rs_opt_check(o, err, errsize))
        return -1;
    if (!spec || !*spec) {
        rs_snprintf(err, errsize, "nothing to inject: give inject=CALL:ERRNO[:when=WHEN][:rate=P]");
        return -1;
    }
    if (rate && parse_rate(rate, rs_strlen(rate), &dflt)) {
        rs_snprintf(err, errsize, "rate=%s: expected 0..1 or 0%%..100%% (at least 0.000001)", rate);
        return -1;
    }
    if (sd && parse_u64(sd, rs_strlen(sd), &scratch)) {
        rs_snprintf(err, errsize, "seed=%s: expected a number (decimal or 0x hex)", sd);
        return -1;
    }
    if (vb && rs_strcmp(vb, "yes") && rs_strcmp(vb, "no")) {
        rs_snprintf(err, errsize, "verbose=%s: expected yes or no", vb);
        return -1;
    }
    pl->verbose = vb && !rs_strcmp(vb, "yes");
    if (rs_opt_format(o, &pl->json, err, errsize))
        return -1;
    const char *cur = spec, *w;
    size_t len;
    while ((w = rs_next_word(&cur, ',', &len)))
        if (parse_spec(pl, w, len, err, errsize))
            return -1;
    if (!pl->ninj) {        /* inject=, : words, but none a SPEC */
        rs_snprintf(err, errsize, "nothing to inject: give inject=CALL:ERRNO[:when=WHEN][:rate=P]");
        return -1;
    }
    for (int i = 0; i < pl->ninj; i++)
        if (!pl->inj[i].has_rate)
            pl->inj[i].ppm = dflt;
    return 0;
}

static int fault_init(const struct rs_options *o, char *err, size_t errsize)
{
    const char *sd = rs_opt(o, "seed");

    if (parse_options(o, &live, err, errsize))
        return -1;
    if (sd) {
        parse_u64(sd, rs_strlen(sd), &seed);
        seeded = 1;
    } else {
        fresh_seed();
    }
    if (live.verbose && rs_log_open(&flog, rs_opt(o, "log"), err, errsize))
        return -1;
    return 0;
}

/* Does j fail every call it applies to, the same way, with no report? */
static int deterministic(const struct plan *pl, const struct inject *j)
{
    return j->err && j->first == 1 && j->last == FOREVER && j->step == 1 && j->ppm >= PPM &&
           !pl->verbose;
}

/* ABI 1.6: per call, the one deterministic SPEC of it as an ERRNO rule
 * with its conditions, or a CODE rule handing the call to before(). */
static int fault_rules(const struct rs_options *o, struct rs_rule *out, int max, char *err,
                       size_t errsize)
{
    static struct plan pl;          /* not live: this hook changes nothing */
    int n = 0;

    memset(&pl, 0, sizeof(pl));
    if (parse_options(o, &pl, err, errsize))
        return -1;
    for (int nr = 0; nr < RS_NSYS; nr++) {
        const struct inject *only = NULL;
        int specs = 0;
        for (int i = 0; i < pl.ninj; i++)
            if (injects(&pl.inj[i], nr) && specs++ == 0)
                only = &pl.inj[i];
        if (!specs)
            continue;
        if (n == max) {
            rs_snprintf(err, errsize, "more than %d rules", max);
            return -1;
        }
        struct rs_rule *r = &out[n++];
        memset(r, 0, sizeof(*r));
        r->nr = nr;
        r->action = RS_RULE_CODE;
        if (specs == 1 && deterministic(&pl, only)) {
            r->action = RS_RULE_ERRNO;
            r->err = (unsigned short)only->err;
            r->nconds = (unsigned char)only->nconds;
            memcpy(r->cond, only->cond, sizeof(r->cond));
        }
    }
    return n;
}

/* ---- injecting ---- */

static uint64_t mix(uint64_t x)                 /* splitmix64's finaliser */
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

/* Does injection j (the idx-th) fire on the n-th call nr? */
static int chosen(const struct inject *j, int idx, long nr, uint64_t n)
{
    if (n < j->first || n > j->last || (n - j->first) % j->step)
        return 0;
    if (j->ppm >= PPM)
        return 1;
    uint64_t r = mix(seed ^ mix(((uint64_t)nr << 40) ^ ((uint64_t)idx << 56) ^ n));
    return r % PPM < j->ppm;
}

/* format=json: {"time":...,"pid":..,"tid":..,"program":..,"call":"openat",
 * "count":3,"errno":"ENOENT","retval":-1} — or the made-up result,
 * "errno":null,"retval":5 */
static void report_json(const struct rs_call *c, uint64_t n, const struct inject *j)
{
    char mem[768];
    struct rs_buf b;

    rs_buf_init(&b, mem, sizeof(mem), 0);
    rs_put_json_head(&b, rs_realtime_ns(), rs_getpid(), rs_gettid(), rs_program_path());
    rs_puts(&b, ",\"call\":");
    rs_put_json_cstr(&b, rs_syscall_name(c->nr));
    rs_putf(&b, ",\"count\":%lu,\"errno\":", (unsigned long)n);
    rs_put_json_errno(&b, j->err);
    rs_putf(&b, ",\"retval\":%ld}\n", j->err ? -1L : j->retval);
    if (!b.full)
        rs_log_write(&flog, b.b, b.n);
}

static void report(const struct rs_call *c, uint64_t n, const struct inject *j)
{
    const char *e = rs_errno_name(j->err);
    char mem[256];

    if (live.json) {
        report_json(c, n, j);
        return;
    }
    if (flog.to_syslog) {            /* the same line, as a record */
        size_t len = j->err ? rs_snprintf(mem, sizeof(mem), "runsel fault: %s #%lu -> %s",
                                          rs_syscall_name(c->nr), (unsigned long)n, e ? e : "?")
                            : rs_snprintf(mem, sizeof(mem), "runsel fault: %s #%lu -> retval %ld",
                                          rs_syscall_name(c->nr), (unsigned long)n, j->retval);
        rs_log_write(&flog, mem, len < sizeof(mem) ? len : sizeof(mem) - 1);
        return;
    }
    if (j->err)
        rs_dprintf(flog.fd, "runsel fault: %s #%lu -> %s\n", rs_syscall_name(c->nr),
                   (unsigned long)n, e ? e : "?");
    else
        rs_dprintf(flog.fd, "runsel fault: %s #%lu -> retval %ld\n", rs_syscall_name(c->nr),
                   (unsigned long)n, j->retval);
}

static int before(struct rs_call *c)
{
    if (c->nr < 0 || c->nr >= RS_NSYS || !live.wanted[c->nr])
        return RS_CONTINUE;
    uint64_t n = rs_atomic_add(&counts[c->nr], 1);
    for (int i = 0; i < live.ninj; i++) {
        if (!injects(&live.inj[i], c->nr) || !conds_hold(&live.inj[i], c) || !chosen(&live.inj[i], i, c->nr, n))
            continue;
        if (live.verbose)
            report(c, n, &live.inj[i]);
        if (!live.inj[i].err) {
            c->ret = live.inj[i].retval;
            return RS_RETURN;
        }
        return rs_veto(c, live.inj[i].err);
    }
    return RS_CONTINUE;
}

static void fault_atfork(void)
{
    char err[256];

    memset(counts, 0, sizeof(counts));
    if (!seeded)
        fresh_seed();
    if (live.verbose && rs_log_reopen(&flog, err, sizeof(err)))
        rs_dprintf(2, "runsel fault: %s\n", err);
}

static const struct rs_handler handlers[] = {
    RS_WRAP_CALL(RS_ANY, before, NULL),
};

RS_OPTIONS("inject", "rate", "seed", "verbose", "log", "format");
RS_WRAPPER("fault", handlers, .summary = "make chosen system calls fail (strace -e inject)",
           .flags = RS_RULES_COVER, .init = fault_init, .atfork = fault_atfork,
           .rules = fault_rules);
