/* sysexpr.c — strace's expressions of system calls, as -e trace= and the
 * SET of -e inject= / -e fault= take them:
 *
 *     [!]ITEM[,ITEM]...     ITEM: [?]NAME | [?]NUMBER | [?]%GROUP | [?]/REGEX
 *                                 | all | none, each maybe with @64
 *
 * checked here as strace checks them (an unknown name or group, or a
 * regex matching nothing, is an error unless ? precedes it; a regex that
 * does not compile always is), so a typo is a usage error before anything
 * runs.  The wrappers have no regex engine: a /REGEX becomes the names it
 * matches (POSIX extended, unanchored, as strace's regcomp/regexec),
 * among every x86-64 call of the generated table the wrappers use
 * (build/gen/sysnames.h).  Numbers become names too.  Groups, all and none
 * stay as they are: trace and fault know strace's groups
 * (rs_class_from_name). */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <runsel/wrapper.h>         /* rs_class_from_name() */
#include "errnames.h"               /* build/gen: rs_errnames[] */
#include "sysnames.h"               /* build/gen: rs_sysnames[] */
#include "runsel.h"

/* Appends "a,b" style: word after a comma unless out is empty. */
static void add_item(char *out, size_t size, const char *word, size_t n)
{
    size_t len = strlen(out);

    if (len + 1 + n + 1 > size)
        die(2, "the expression names too many system calls (at most %zu characters)", size - 1);
    snprintf(out + len, size - len, "%s%.*s", len ? "," : "", (int)n, word);
}

static int cannot_fail(const char *name)
{
    return !strcmp(name, "exit") || !strcmp(name, "exit_group") || !strcmp(name, "rt_sigreturn");
}

/* Names of every x86-64 call the regex (POSIX extended) matches (or,
 * with invert, does not), comma-separated, appended to out — but for the
 * calls that cannot fail when for an injection: the count. */
static int regex_names(const char *re, int inject, int invert, char *out, size_t size)
{
    regex_t rx;
    int n = 0, r = regcomp(&rx, re, REG_EXTENDED | REG_NOSUB);

    if (r) {
        char why[256];
        regerror(r, &rx, why, sizeof(why));
        die(2, "regcomp: %s: %s", re, why);
    }
    for (int nr = 0; nr < RS_NSYSCALLS; nr++)
        if (rs_sysnames[nr] && (regexec(&rx, rs_sysnames[nr], 0, NULL, 0) == 0) != invert &&
            !(inject && cannot_fail(rs_sysnames[nr]))) {
            add_item(out, size, rs_sysnames[nr], strlen(rs_sysnames[nr]));
            n++;
        }
    regfree(&rx);
    return n;
}

/* A call by name or number: its name, or NULL. */
static const char *call_name(const char *s, size_t n)
{
    char *end;

    if (n && isdigit((unsigned char)s[0])) {
        unsigned long nr = strtoul(s, &end, 10);
        return end == s + n && nr < RS_NSYSCALLS ? rs_sysnames[nr] : NULL;
    }
    for (int nr = 0; nr < RS_NSYSCALLS; nr++)
        if (rs_sysnames[nr] && strlen(rs_sysnames[nr]) == n && !memcmp(rs_sysnames[nr], s, n))
            return rs_sysnames[nr];
    return NULL;
}

/* One ITEM (without its ?) into out; 0 if it names nothing (an error
 * unless quiet: the caller decides).  For an injection (inject), a call
 * that cannot fail is refused by name and left out of a regex's matches,
 * as fault leaves it out of a group. */
static int item(const char *s, size_t n, int inject, char *out, size_t size)
{
    static const char *const words[] = {"all", "none"};
    const char *name;
    char re[1024];

    if (n > 3 && !memcmp(s + n - 3, "@64", 3))
        n -= 3;
    else if ((n > 3 && !memcmp(s + n - 3, "@32", 3)) || (n > 4 && !memcmp(s + n - 4, "@x32", 4)))
        die(2, "%.*s: runsel selects x86-64 calls only (@32, @x32: not supported)", (int)n, s);
    for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
        if (strlen(words[i]) == n && !memcmp(words[i], s, n)) {
            add_item(out, size, s, n);
            return 1;
        }
    if (n && s[0] == '%') {
        if (!rs_class_from_name(s, n))
            return 0;
        add_item(out, size, s, n);
        return 1;
    }
    if (n && s[0] == '/') {
        if (n - 1 >= sizeof(re))
            die(2, "%.*s: regular expression too long", (int)n, s);
        snprintf(re, sizeof(re), "%.*s", (int)(n - 1), s + 1);
        if (regex_names(re, inject, 0, out, size) > 0)
            return 1;
        char all[OPTS_MAX * 2] = "";
        if (inject && regex_names(re, 0, 0, all, sizeof(all)) > 0)
            die(2, "%.*s: matches only calls that cannot be made to fail", (int)n, s);
        return 0;
    }
    if (!(name = call_name(s, n)))
        return 0;
    if (inject && cannot_fail(name))
        die(2, "%s cannot be made to fail (-e inject=, -e fault=)", name);
    add_item(out, size, name, strlen(name));
    return 1;
}

/* The items of list [s, s+n) into out; what strace calls the SET. */
static void set(const char *s, size_t n, int inject, char *out, size_t size)
{
    const char *end = s + n, *neg = n && *s == '!' ? "!" : "";
    char items[OPTS_MAX] = "";

    s += *neg != 0;
    if (s == end)
        die(2, "invalid system call ''");
    do {
        const char *comma = memchr(s, ',', (size_t)(end - s));
        const char *e = comma ? comma : end;
        int quiet = s < e && *s == '?';
        const char *w = s + quiet;
        if (!item(w, (size_t)(e - w), inject, items, sizeof(items)) && !quiet)
            die(2, "invalid system call '%.*s'", (int)(e - w), w);
        s = comma ? comma + 1 : end;
        if (comma && s == end)
            die(2, "invalid system call ''");
    } while (s < end);
    if (!*items)                    /* every item was ?UNKNOWN: nothing */
        snprintf(items, sizeof(items), "none");
    if ((size_t)snprintf(out, size, "%s%s", neg, items) >= size)
        die(2, "the expression names too many system calls");
}

/* [!]/REGEX alone matching most calls: written as the calls it does not
 * match, negated (-e trace=/. is "all" rather than 470 names).  1 if so. */
static int regex_complement(const char *expr, char *out, size_t size)
{
    int neg = *expr == '!', n;
    const char *re = expr + neg;
    char names[OPTS_MAX * 2] = "";

    if (*re != '/' || strchr(re, ','))
        return 0;
    if ((n = regex_names(re + 1, 0, 0, names, sizeof(names))) <= RS_NSYSCALLS / 2)
        return 0;
    names[0] = 0;
    if (!regex_names(re + 1, 0, 1, names, sizeof(names)))
        snprintf(out, size, "%s", neg ? "none" : "all");
    else if ((size_t)snprintf(out, size, "%s%s", neg ? "" : "!", names) >= size)
        die(2, "the expression names too many system calls");
    return 1;
}

void sysexpr_trace(const char *expr, char *out, size_t size)
{
    if (!*expr)
        die(2, "invalid system call ''");
    if (!regex_complement(expr, out, size))
        set(expr, strlen(expr), 0, out, size);
}

/* error=E: strace takes errno names in any case, and numbers 1..4095. */
static void put_errno(const char *v, size_t n, char *out, size_t size)
{
    char up[32], *end;

    if (n && isdigit((unsigned char)v[0])) {
        unsigned long e = strtoul(v, &end, 10);
        if (end != v + n || e < 1 || e > 4095)
            die(2, "invalid inject error '%.*s' (an errno name or 1..4095)", (int)n, v);
        snprintf(out, size, "%lu", e);
        return;
    }
    for (size_t i = 0; i < n && i + 1 < sizeof(up); i++)
        up[i] = (char)toupper((unsigned char)v[i]);
    up[n < sizeof(up) ? n : sizeof(up) - 1] = 0;
    for (size_t i = 0; i < sizeof(rs_errnames) / sizeof(rs_errnames[0]); i++)
        if (strlen(up) == n && !strcmp(rs_errnames[i].name, up)) {
            snprintf(out, size, "%s", up);
            return;
        }
    die(2, "invalid inject error '%.*s' (an errno name or 1..4095)", (int)n, v);
}

/* The negation of a set, as names (fault has no "all but"). */
static void complement(const char *names, char *out, size_t size)
{
    char tmp[OPTS_MAX] = "";
    const char *p = names;

    while (*p) {
        const char *comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        if (n == 3 && !memcmp(p, "all", 3))
            return;                                 /* !all: nothing */
        if (!(n == 4 && !memcmp(p, "none", 4)))
            add_item(tmp, sizeof(tmp), p, n);
        p = comma ? comma + 1 : p + n;
    }
    for (int nr = 0; nr < RS_NSYSCALLS && nr < RS_NSYS; nr++) {
        const char *nm = rs_sysnames[nr];
        int in = 0;
        if (!nm || nr == SYS_exit || nr == SYS_exit_group || nr == SYS_rt_sigreturn)
            continue;
        for (const char *q = tmp; *q && !in;) {
            const char *comma = strchr(q, ',');
            size_t n = comma ? (size_t)(comma - q) : strlen(q);
            in = (strlen(nm) == n && !memcmp(nm, q, n)) ||
                 (q[0] == '%' && (rs_syscall_classes(nr) & rs_class_from_name(q, n)));
            q = comma ? comma + 1 : q + n;
        }
        if (!in)
            add_item(out, size, nm, strlen(nm));
    }
}

/* when=FIRST[..LAST][+[STEP]], as strace takes it: FIRST 1..65535, LAST
 * not below FIRST, STEP from 1 (fault reads the same syntax). */
static void check_when(const char *s, size_t n, const char *arg)
{
    char buf[64], *p = buf, *end;
    unsigned long first, last, step = 1;

    if (n >= sizeof(buf) || !n || !isdigit((unsigned char)*s))
        goto bad;
    snprintf(buf, sizeof(buf), "%.*s", (int)n, s);
    first = last = strtoul(p, &end, 10);
    if (end[0] == '.' && end[1] == '.' && isdigit((unsigned char)end[2]))
        last = strtoul(end + 2, &end, 10);
    if (*end == '+' && isdigit((unsigned char)end[1]))
        step = strtoul(end + 1, &end, 10);
    else if (*end == '+')
        end++;
    if (*end || first < 1 || first > 65535 || last < first || last > 65535 || step < 1 ||
        step > 65535)
        goto bad;
    return;
bad:
    die(2, "invalid inject argument '%s' (when=%.*s: FIRST[..LAST][+[STEP]], from 1 to 65535)",
        arg, (int)n, s);
}

/* SET:key=value:... -> fault's SPECs CALL:RESULT[:when=W], one per item
 * of the SET ("all" is every call that can fail). */
void sysexpr_inject(const char *arg, int is_fault, char *out, size_t size)
{
    const char *colon = strchr(arg, ':');
    char what[OPTS_MAX], calls[OPTS_MAX] = "", result[64] = "", when[64] = "";
    const char *p = colon;

    set(arg, colon ? (size_t)(colon - arg) : strlen(arg), 1, what, sizeof(what));
    if (what[0] == '!')
        complement(what + 1, calls, sizeof(calls));
    else if (!strcmp(what, "all"))
        complement("none", calls, sizeof(calls));
    else if (strcmp(what, "none"))
        snprintf(calls, sizeof(calls), "%s", what);
    while (p && *p) {
        const char *f = p + 1, *next = strchr(f, ':');
        size_t n = next ? (size_t)(next - f) : strlen(f);
        int is_error = n > 6 && !strncmp(f, "error=", 6), is_retval = n > 7 && !strncmp(f, "retval=", 7);
        if ((is_error || is_retval) && *result)
            die(2, "invalid %s argument '%s' (one error= or retval=)", is_fault ? "fault" : "inject",
                arg);
        if (is_error) {
            put_errno(f + 6, n - 6, result, sizeof(result));
        } else if (is_retval) {
            char *end;
            errno = 0;
            (void)strtoll(f + 7, &end, 0);
            if (end != f + n || errno)
                die(2, "invalid %s argument '%s' (retval=%.*s)", is_fault ? "fault" : "inject", arg,
                    (int)(n - 7), f + 7);
            snprintf(result, sizeof(result), "retval=%.*s", (int)(n - 7), f + 7);
        } else if (n > 5 && !strncmp(f, "when=", 5)) {
            check_when(f + 5, n - 5, arg);
            snprintf(when, sizeof(when), ":when=%.*s", (int)(n - 5), f + 5);
        } else if (n > 0 && (memchr(f, '=', n) || !strncmp(f, "error", n))) {
            die(2, "-e %s=...:%.*s: not supported by runsel (error=, retval= and when= are)",
                is_fault ? "fault" : "inject", (int)n, f);
        } else {
            die(2, "invalid %s argument '%s'", is_fault ? "fault" : "inject", arg);
        }
        p = next;
    }
    if (!*calls)
        die(2, "-e %s=%s: names no call runsel can make fail", is_fault ? "fault" : "inject", arg);
    if (!*result && is_fault)
        snprintf(result, sizeof(result), "ENOSYS");      /* fault's default, as strace's */
    if (!*result)
        die(2, "invalid inject argument '%s' (give error=ERRNO or retval=N)", arg);
    if (is_fault && !strncmp(result, "retval=", 7))
        die(2, "invalid fault argument '%s' (-e fault= takes error=, not retval=)", arg);
    for (const char *c = calls; *c;) {
        const char *comma = strchr(c, ',');
        size_t n = comma ? (size_t)(comma - c) : strlen(c);
        char spec[256];
        snprintf(spec, sizeof(spec), "%.*s:%s%s", (int)n, c, result, when);
        add_item(out, size, spec, strlen(spec));
        c = comma ? comma + 1 : c + n;
    }
}
