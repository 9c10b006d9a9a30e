/* tz.c — local time as glibc's localtime_r computes it.  strace prints its
 * -t stamps and the dates of stat, statx, utimensat and time in its local
 * time (localtime and strftime "%T", "%FT%T%z"): glibc's zone, found from
 * TZ, else /etc/localtime.  A wrapper has no libc, so this is that logic
 * written again, to give the same answer in the same environment
 * (tests/unit/tzcheck.c compares it with glibc's for every zone file, slim
 * ones zic makes, and a table of TZ strings):
 *
 *   - the zone, once (tz_init): TZ unset names /etc/localtime, TZ="" the
 *     file "Universal", a leading ':' is dropped; the name is tried as a
 *     file (relative ones under $TZDIR, else /usr/share/zoneinfo), read
 *     whole into one anonymous mapping that is kept; else it is a POSIX TZ
 *     string ("JST-9", "EST5EDT,M3.2.0,M11.1.0", "<+0330>-3:30",
 *     "IST-2IDT,M3.4.4/26,M10.5.0"), whose DST without rules takes them
 *     from the file "posixrules"; else UTC;
 *   - a TZif file of any version: its 64-bit part after version 1, the TZ
 *     string of its footer after the last transition (which "slim" files
 *     rely on), its leap seconds (right/ zones show 23:59:60);
 *   - glibc's quirks where they change an answer are kept, each said
 *     where: offsets beyond 24 h cut to 24, TZ-string rules before 1970
 *     computed in 1970, the DST offset of a TZ string without rules, ...
 *
 * Every read of the file is bounds-checked.  What glibc refuses is refused
 * the same way (the name is then parsed as a TZ string: "/etc/passwd" is
 * UTC); what glibc would crash or read out of bounds on is refused too.
 * The zone is a process's first, as strace's is: glibc keeps some state
 * from one TZ to the next when a program sets another and calls tzset
 * again, which no answer here depends on.  Two differences, so that init
 * never blocks or reads without end: a FIFO or other non-regular file is
 * no zone (glibc would block on a FIFO), and neither is a file over
 * FILE_MAX. */
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <runsel/wrapper.h>
#include "tz.h"

#define TZDIR_DEFAULT "/usr/share/zoneinfo"
#define TZ_DEFAULT "/etc/localtime"
#define TZ_DEFRULES "posixrules"
#define FILE_MAX (256 * 1024)        /* real TZif files are a few KiB */
#define PATH_LEN 4096
#define DAY 86400LL

/* ---- the calendar */
static long long floor_div(long long a, long long b)
{
    return a / b - (a % b < 0);
}

/* Days since the epoch and the second of that day to a date, proleptic
 * Gregorian.  The days are counted from 0000-03-01, so that a leap day
 * ends its year: a 400 year cycle is 146097 days, of four centuries of
 * 36524 (the last one a day longer), of 4-year groups of 1461 (the last
 * one of a century a day shorter, but for the cycle's last), of years of
 * 365 (the fourth 366). */
static void civil_from_days(long long days, long long secs, struct civil *c)
{
    static const unsigned char from_march[12] = {31, 30, 31, 30, 31, 31, 30, 31, 30, 31, 31, 29};
    long long z = days + 719468;            /* 1970-01-01 is day 719468 */
    long long cycle = floor_div(z, 146097);
    long long d = z - cycle * 146097;
    long long century = d / 36524 < 3 ? d / 36524 : 3;
    d -= century * 36524;
    long long group = d / 1461;
    d -= group * 1461;
    long long year = d / 365 < 3 ? d / 365 : 3;
    d -= year * 365;
    unsigned m = 0;
    while (d >= from_march[m]) {
        d -= from_march[m];
        m++;
    }
    c->year = cycle * 400 + century * 100 + group * 4 + year + (m >= 10);
    c->month = m < 10 ? m + 3 : m - 9;
    c->day = (unsigned)d + 1;
    c->hour = (unsigned)(secs / 3600);
    c->min = (unsigned)(secs / 60 % 60);
    c->sec = (unsigned)(secs % 60);
}

/* s + delta, the sum never formed: s may be any 64-bit value */
static void civil_from_seconds_plus(long long s, long delta, struct civil *c)
{
    long long days = s / DAY, secs = s % DAY;

    if (secs < 0) {
        secs += DAY;
        days--;
    }
    secs += delta;
    days += floor_div(secs, DAY);
    civil_from_days(days, secs - floor_div(secs, DAY) * DAY, c);
}

void civil_from_seconds(long long s, struct civil *c)
{
    civil_from_seconds_plus(s, 0, c);
}

/* glibc's struct tm holds tm_year = year - 1900 in an int */
static int year_fits_tm(long long year)
{
    return year - 1900 >= INT_MIN && year - 1900 <= INT_MAX;
}

static int is_leap(int y)
{
    return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
}

/* glibc's __mon_yday[leap][i], the days before month i + 1, read as the
 * one array of two rows it is: a rule whose month failed its check
 * (M13...) is still computed by glibc, past its row; outside both rows,
 * where glibc reads whatever follows, 0. */
static int mon_yday(int leap, long i)
{
    static const unsigned short days[26] = {
        0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365,
        0, 31, 60, 91, 121, 152, 182, 213, 244, 274, 305, 335, 366};
    long k = leap * 13L + i;

    return k >= 0 && k < 26 ? days[k] : 0;
}

/* ---- POSIX TZ strings, as glibc's tzset.c reads them */
enum { RULE_J0, RULE_J1, RULE_M };   /* glibc's order: a rule never read is J0, day 0 */
struct rule {
    int type;
    unsigned short m, n, d;          /* Mm.n.d; d alone for Jn and n */
    int secs;                        /* the time of day of the change, local */
    int offset;                      /* seconds east of UTC of the time it starts */
};
struct posix {
    struct rule r[2];                /* standard time, DST; all zero: UTC */
};

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_space(char c)
{
    return c == ' ' || (c >= '\t' && c <= '\r');
}

/* strtoul's digits: *over when they pass ULONG_MAX */
static unsigned long read_digits(const char **sp, int *over)
{
    unsigned long v = 0;
    const char *s = *sp;

    *over = 0;
    for (; is_digit(*s); s++) {
        unsigned dig = (unsigned)(*s - '0');
        if (v > (ULONG_MAX - dig) / 10)
            *over = 1;
        else
            v = v * 10 + dig;
    }
    *sp = s;
    return *over ? ULONG_MAX : v;
}

/* One "%hu" of glibc's sscanf: blanks, a sign, digits, the value strtoul
 * makes of them (negated for '-', ULONG_MAX past it) cut to 16 bits.
 * 0 when there is no digit (nothing stored, *sp kept). */
static int scan_hu(const char **sp, unsigned short *v)
{
    const char *s = *sp;
    int neg = 0, over;

    while (is_space(*s))
        s++;
    if (*s == '+' || *s == '-')
        neg = *s++ == '-';
    if (!is_digit(*s))
        return 0;
    unsigned long u = read_digits(&s, &over);
    *v = (unsigned short)(neg && !over ? -u : u);
    *sp = s;
    return 1;
}

/* sscanf(s, "%hu%n:%hu%n:%hu%n") as glibc's parser uses it: up to three
 * numbers, each stored as it is read; how many, *sp after the last. */
static int scan_hms(const char **sp, unsigned short v[3])
{
    const char *s = *sp;
    int k = 0;

    while (k < 3) {
        if (k && *s++ != ':')
            break;
        if (!scan_hu(&s, &v[k]))
            break;
        *sp = s;
        k++;
    }
    return k;
}

/* A zone's name: 3 letters or more, or <3 or more of [A-Za-z0-9+-]>. */
static int parse_name(const char **sp)
{
    const char *p = *sp, *start;

    while (is_alpha(*p))
        p++;
    if (p - *sp >= 3) {
        *sp = p;
        return 1;
    }
    p = *sp;
    if (*p++ != '<')
        return 0;
    start = p;
    while (is_alpha(*p) || is_digit(*p) || *p == '+' || *p == '-')
        p++;
    if (*p != '>' || p - start < 3)
        return 0;
    *sp = p + 1;
    return 1;
}

/* [+-]hh[:mm[:ss]], west positive; glibc cuts each part (hh to 24, mm
 * and ss to 59) and so never takes POSIX 2024's hours past 24.  A DST
 * offset left out is an hour past standard time. */
static int parse_offset(const char **sp, struct posix *z, int which)
{
    const char *s = *sp;
    unsigned short hms[3] = {0, 0, 0};
    int sign = -1;

    if (which == 0 && *s != '+' && *s != '-' && !is_digit(*s))
        return 0;
    if (*s == '+' || *s == '-')
        sign = *s++ == '-' ? 1 : -1;
    *sp = s;
    if (scan_hms(sp, hms) > 0) {
        unsigned hh = hms[0] > 24 ? 24 : hms[0], mm = hms[1] > 59 ? 59 : hms[1],
                 ss = hms[2] > 59 ? 59 : hms[2];
        z->r[which].offset = sign * (int)(hh * 3600 + mm * 60 + ss);
    } else if (which == 0) {
        z->r[0].offset = 0;
        return 0;
    } else {
        z->r[1].offset = z->r[0].offset + 3600;
    }
    return 1;
}

/* sscanf(s, "M%hu.%hu.%hu%n"): how many of m, n, d it stored; *sp after d */
static int scan_mnd(const char **sp, struct rule *r)
{
    unsigned short *field[3] = {&r->m, &r->n, &r->d};
    const char *s = *sp + 1;

    for (int k = 0; k < 3; k++) {
        if (k && *s++ != '.')
            return k;
        if (!scan_hu(&s, field[k]))
            return k;
    }
    *sp = s;
    return 3;
}

/* Jn (1..365, no leap day), n (0..365) or Mm.n.d, then /[-]hh[:mm[:ss]]
 * (negative and past 24 h, as POSIX 2024 and TZif version 3 allow; 2:00
 * when left out).  Nothing at all: the US rules of 2007.  As glibc, the
 * fields are stored as they are read, so a rule that fails half-way is
 * still computed with what it got. */
static int parse_rule_date(const char **sp, struct rule *r, int which)
{
    const char *s = *sp;

    if (*s == 'J' || is_digit(*s)) {
        int over;
        r->type = *s == 'J' ? RULE_J1 : RULE_J0;
        if (r->type == RULE_J1 && !is_digit(*++s))
            return 0;
        unsigned long d = read_digits(&s, &over);
        if (d > 365 || (r->type == RULE_J1 && d == 0))
            return 0;
        r->d = (unsigned short)d;
    } else if (*s == 'M') {
        r->type = RULE_M;
        if (scan_mnd(&s, r) != 3 || r->m < 1 || r->m > 12 || r->n < 1 || r->n > 5 || r->d > 6)
            return 0;
    } else if (!*s) {
        r->type = RULE_M;
        r->m = which ? 11 : 3;
        r->n = which ? 1 : 2;
        r->d = 0;
    } else {
        return 0;
    }
    *sp = s;
    return 1;
}

static int parse_rule(const char **sp, struct rule *r, int which)
{
    const char *s = *sp;

    s += *s == ',';
    if (!parse_rule_date(&s, r, which))
        return 0;
    if (*s && *s != '/' && *s != ',')
        return 0;
    if (*s == '/') {
        unsigned short hms[3] = {2, 0, 0};
        if (!*++s)
            return 0;
        int neg = *s == '-';
        s += neg;
        scan_hms(&s, hms);
        r->secs = (neg ? -1 : 1) * (hms[0] * 3600 + hms[1] * 60 + hms[2]);
    } else {
        r->secs = 2 * 3600;
    }
    *sp = s;
    return 1;
}

enum { POSIX_DONE, POSIX_RULES, POSIX_NO_RULES };

/* The names and offsets (glibc's __tzset_parse_tz up to the rules); what
 * comes next: nothing, the rules at *sp, or a DST without rules. */
static int parse_posix_head(const char **sp, struct posix *z)
{
    *z = (struct posix){0};
    if (!parse_name(sp) || !parse_offset(sp, z, 0))
        return POSIX_DONE;       /* what was read stays: "JST" is UTC */
    if (!**sp) {
        z->r[1].offset = z->r[0].offset;
        return POSIX_DONE;
    }
    if (parse_name(sp)) {
        parse_offset(sp, z, 1);
        if (!**sp || ((*sp)[0] == ',' && !(*sp)[1]))
            return POSIX_NO_RULES;
    }
    /* no DST name ("EST5,M3.2.0,M11.1.0"): glibc still reads the rules,
     * and its DST offset stays 0 */
    return POSIX_RULES;
}

static void parse_posix_rules(const char *s, struct posix *z)
{
    if (parse_rule(&s, &z->r[0], 0))
        parse_rule(&s, &z->r[1], 1);
}

/* glibc's days from 1970 to January 1st of year, summed in an int: past
 * year 5.8 million they wrap, as its machine code does */
static int days_to_year(int year)
{
    unsigned days = (unsigned)(year - 1970) * 365u + (unsigned)((year - 1) / 4 - 1970 / 4) -
                    (unsigned)((year - 1) / 100 - 1970 / 100) +
                    (unsigned)((year - 1) / 400 - 1970 / 400);

    return (int)days;
}

/* When a rule's change happens in year: glibc's compute_change.  Its
 * January 1st is 1970's for every year before 1970 (the weekday is still
 * the year's own), so TZ strings give pre-1970 dates 1970's changes: a
 * southern zone is in DST all of such a year. */
static long long rule_change(const struct rule *r, int year)
{
    long long t = year > 1970 ? days_to_year(year) * DAY : 0;

    if (r->type == RULE_J1) {
        t += (r->d - 1) * DAY;
        if (r->d >= 60 && is_leap(year))
            t += DAY;
    } else if (r->type == RULE_J0) {
        t += r->d * DAY;
    } else {
        /* the weekday of the month's first day by Zeller's congruence */
        int leap = is_leap(year);
        int m1 = (r->m + 9) % 12 + 1, yy0 = r->m <= 2 ? year - 1 : year;
        int yy1 = yy0 / 100, yy2 = yy0 % 100;
        int dow = ((26 * m1 - 2) / 10 + 1 + yy2 + yy2 / 4 + yy1 / 4 - 2 * yy1) % 7;
        if (dow < 0)
            dow += 7;
        int d = r->d - dow, month_days = mon_yday(leap, r->m) - mon_yday(leap, r->m - 1L);
        if (d < 0)
            d += 7;
        for (unsigned i = 1; i < r->n && d + 7 < month_days; i++)
            d += 7;
        t += (mon_yday(leap, r->m - 1L) + d) * DAY;
    }
    return t - r->offset + r->secs;
}

/* The offset at utc, in the UTC year year (glibc's __tz_compute): DST
 * from the first change to the second, or, when the second comes first
 * in the year (southern zones), outside them. */
static long posix_offset(const struct posix *z, long long utc, int year)
{
    long long start = rule_change(&z->r[0], year), end = rule_change(&z->r[1], year);
    int dst = start > end ? utc < end || utc >= start : utc >= start && utc < end;

    return z->r[dst].offset;
}

/* ---- TZif files (RFC 9636), as glibc's tzfile.c takes them */
struct zone {
    unsigned char *map;              /* the file, or NULL: rules only (UTC when zero) */
    size_t map_len;
    struct posix rules;              /* no file: the TZ string's */
    const unsigned char *trans, *idx, *types, *leaps, *isstd, *isut;
    uint32_t ntrans, ntypes, nleaps, nstd, nut, nchars;
    int w;                           /* bytes of a time: 4 (version 1) or 8 */
    int has_footer;
    struct posix footer;             /* the footer's TZ string: after the last transition */
    /* a TZ string's DST without rules: posixrules' transitions moved to
     * its offsets (glibc's __tzfile_default) */
    int defaulted, stdoff, dstoff, rule_stdoff;
};
static struct zone zone;

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static long long be64(const unsigned char *p)
{
    return (long long)((uint64_t)be32(p) << 32 | be32(p + 4));
}

static long long time_at(const struct zone *z, const unsigned char *p)
{
    return z->w == 8 ? be64(p) : (int32_t)be32(p);
}

static int type_offset(const struct zone *z, unsigned k)
{
    return (int32_t)be32(z->types + 6 * k);
}

static int type_isdst(const struct zone *z, unsigned k)
{
    return z->types[6 * k + 4];
}

struct counts {
    uint64_t ut, std, leap, time, type, chars;
};

/* The header at off; -1 when glibc would not take it.  A count with its
 * top bit set is glibc's negative int made a huge size_t: no file this
 * small holds it. */
static int read_header(const unsigned char *b, size_t size, uint64_t off, struct counts *c)
{
    uint32_t v[6];

    if (off > size || size - off < 44 || b[off] != 'T' || b[off + 1] != 'Z' ||
        b[off + 2] != 'i' || b[off + 3] != 'f')
        return -1;
    for (int i = 0; i < 6; i++) {
        v[i] = be32(b + off + 20 + 4 * i);
        if (v[i] >> 31)
            return -1;
    }
    *c = (struct counts){v[0], v[1], v[2], v[3], v[4], v[5]};
    return c->std > c->type || c->ut > c->type ? -1 : 0;
}

static uint64_t data_size(const struct counts *c, int w)
{
    return c->time * (uint64_t)(w + 1) + c->type * 6 + c->chars + c->leap * (uint64_t)(w + 4) +
           c->std + c->ut;
}

static void take_parts(struct zone *z, const unsigned char *p, const struct counts *c)
{
    z->ntrans = (uint32_t)c->time;
    z->ntypes = (uint32_t)c->type;
    z->nchars = (uint32_t)c->chars;
    z->nleaps = (uint32_t)c->leap;
    z->nstd = (uint32_t)c->std;
    z->nut = (uint32_t)c->ut;
    z->trans = p;
    z->idx = z->trans + z->ntrans * (size_t)z->w;
    z->types = z->idx + z->ntrans;
    z->leaps = z->types + 6 * (size_t)z->ntypes + z->nchars;
    z->isstd = z->leaps + z->nleaps * (size_t)(z->w + 4);
    z->isut = z->isstd + z->nstd;
}

/* glibc's checks of the indexes it follows */
static int parts_valid(const struct zone *z)
{
    if (!z->ntypes)                  /* glibc would read a type that is not there */
        return 0;
    for (uint32_t i = 0; i < z->ntrans; i++)
        if (z->idx[i] >= z->ntypes)
            return 0;
    for (uint32_t k = 0; k < z->ntypes; k++)
        if (z->types[6 * k + 4] > 1 || z->types[6 * k + 5] > z->nchars)
            return 0;
    return 1;
}

/* The footer: "\nTZ-STRING\n".  glibc takes what lies between the first
 * byte and the file's last one (which it makes the string's end). */
static void take_footer(struct zone *z, unsigned char *b, size_t size)
{
    const unsigned char *f = z->isut + z->nut;
    struct posix *p = &z->footer;

    if (*f != '\n')
        return;
    b[size - 1] = 0;
    const char *s = (const char *)f + 1;
    if (!*s)
        return;
    z->has_footer = 1;
    /* A footer's DST without rules would make glibc load posixrules over
     * this file; zic never writes one: the US rules, as without posixrules. */
    if (parse_posix_head(&s, p) != POSIX_DONE)
        parse_posix_rules(s, p);
}

/* The file's parts into z (pointers into b), or -1 as glibc's "lose". */
static int parse_tzif(struct zone *z, unsigned char *b, size_t size)
{
    struct counts c;
    uint64_t data = 44;

    if (read_header(b, size, 0, &c))
        return -1;
    z->w = 4;
    if (b[4]) {                      /* version 2 on: the 64-bit part after the 32-bit one */
        uint64_t skip = data_size(&c, 4);
        if (skip > size || read_header(b, size, 44 + skip, &c))
            return -1;
        z->w = 8;
        data = 88 + skip;
    }
    uint64_t need = data_size(&c, z->w);
    if (need > size - data)
        return -1;
    if (z->w == 8 && size - data - need < 2)
        return -1;                   /* glibc wants room for the footer's two newlines */
    take_parts(z, b + data, &c);
    if (!parts_valid(z))
        return -1;
    if (z->w == 8)
        take_footer(z, b, size);
    return 0;
}

/* ---- reading a file */
static int str_eq(const char *a, const char *b)
{
    while (*a && *a == *b)
        a++, b++;
    return *a == *b;
}

static int starts_with(const char *s, const char *prefix)
{
    while (*prefix && *s == *prefix)
        s++, prefix++;
    return !*prefix;
}

static int has_dotdot_slash(const char *s)
{
    for (; *s; s++)
        if (s[0] == '.' && s[1] == '.' && s[2] == '/')
            return 1;
    return 0;
}

/* glibc's path of a zone's name (its __tzfile_read): relative names under
 * TZDIR.  For a secure exec: only /etc/localtime and what is under
 * /usr/share/zoneinfo, never through "../"; the loader has dropped TZDIR. */
static int zone_path(char *path, const char *name, const char *tzdir, int secure)
{
    size_t n = 0;

    if (!*name)
        return -1;
    if (secure && ((name[0] == '/' && !str_eq(name, TZ_DEFAULT) && !starts_with(name, TZDIR_DEFAULT)) ||
                   has_dotdot_slash(name)))
        return -1;
    if (name[0] != '/') {
        const char *dir = !secure && tzdir && *tzdir ? tzdir : TZDIR_DEFAULT;
        while (*dir && n < PATH_LEN)
            path[n++] = *dir++;
        if (n < PATH_LEN)
            path[n++] = '/';
    }
    while (*name && n < PATH_LEN)
        path[n++] = *name++;
    if (n >= PATH_LEN)
        return -1;                   /* longer than the kernel takes: ENAMETOOLONG */
    path[n] = 0;
    return 0;
}

static int is_err(long r)
{
    return (unsigned long)r > -4096UL;
}

/* The whole of a regular file of at most FILE_MAX bytes, in a fresh
 * private mapping (O_NONBLOCK: a FIFO's open must not wait). */
static long map_file(const char *path, unsigned char **out, size_t *len)
{
    long fd = rs_syscall(SYS_openat, AT_FDCWD, path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    struct stat st;
    long m = -1, got = 0;

    if (fd < 0)
        return -1;
    if (!rs_syscall(SYS_fstat, fd, &st) && S_ISREG(st.st_mode) && st.st_size > 0 &&
        st.st_size <= FILE_MAX) {
        *len = ((size_t)st.st_size + 4095) & ~(size_t)4095;
        m = rs_syscall(SYS_mmap, 0, *len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    }
    while (!is_err(m) && got < st.st_size) {
        long r = rs_syscall(SYS_read, fd, (char *)m + got, (size_t)(st.st_size - got));
        if (r == -EINTR)
            continue;
        if (r <= 0)
            break;
        got += r;
    }
    rs_syscall(SYS_close, fd);
    if (is_err(m))
        return -1;
    if (got != st.st_size) {         /* the file shrank meanwhile */
        rs_syscall(SYS_munmap, m, *len);
        return -1;
    }
    *out = (unsigned char *)m;
    return got;
}

static void zone_release(struct zone *z)
{
    if (z->map)
        rs_syscall(SYS_munmap, z->map, z->map_len);
    *z = (struct zone){0};
}

/* The zone file name names, into z; -1 (z as it was): no such zone. */
static int load_file(struct zone *z, const char *name, const char *tzdir, int secure)
{
    char path[PATH_LEN + 1];
    struct zone f = {0};

    if (zone_path(path, name, tzdir, secure))
        return -1;
    long size = map_file(path, &f.map, &f.map_len);
    if (size < 0)
        return -1;
    if (parse_tzif(&f, f.map, (size_t)size)) {
        zone_release(&f);
        return -1;
    }
    zone_release(z);
    *z = f;
    return 0;
}

/* ---- TZ strings without DST rules: posixrules' (glibc's __tzfile_default) */

/* glibc's rule_stdoff: the offset of the last transition to standard time */
static int last_std_offset(const struct zone *z)
{
    if (!z->ntrans)
        return type_offset(z, 0);
    for (uint32_t i = z->ntrans; i-- > 0;)
        if (!type_isdst(z, z->idx[i]))
            return type_offset(z, z->idx[i]);
    return 0;
}

static int load_default_rules(struct zone *z, const struct posix *p, const char *tzdir, int secure)
{
    if (load_file(z, TZ_DEFRULES, tzdir, secure))
        return -1;
    if (z->ntypes < 2) {
        zone_release(z);
        return -1;
    }
    z->defaulted = 1;
    z->stdoff = p->r[0].offset;
    z->dstoff = p->r[1].offset;
    z->rule_stdoff = last_std_offset(z);
    return 0;
}

static int flag_of(const unsigned char *flags, uint32_t n, unsigned k)
{
    return k < n && flags[k];
}

/* A defaulted file's transition i moves by the difference between the
 * user's offset and the file's, standard or DST as the wall clock was
 * before it (a time in UTC does not move).  glibc takes the file's DST
 * offset as 0 here (its rule_dstoff is no longer set from the file): so
 * the ends of DST move by the whole DST offset, and so do they here. */
static long long transition_time(const struct zone *z, uint32_t i)
{
    long long t = time_at(z, z->trans + (size_t)i * z->w);
    unsigned k = z->idx[i];

    long long moved, by;

    if (!z->defaulted || flag_of(z->isut, z->nut, k))
        return t;
    if (i > 0 && type_isdst(z, z->idx[i - 1]) && !flag_of(z->isstd, z->nstd, k))
        by = z->dstoff;
    else
        by = (long long)z->stdoff - z->rule_stdoff;
    if (__builtin_add_overflow(t, by, &moved))      /* a file's time at the very end */
        return t;
    return moved;
}

static long transition_offset(const struct zone *z, uint32_t i)
{
    unsigned k = z->idx[i];

    if (z->defaulted)
        return type_isdst(z, k) ? z->dstoff : z->stdoff;
    return type_offset(z, k);
}

/* Before the first transition: the first standard-time type (the first
 * type when all are DST); a defaulted file's type 0 is the user's. */
static long first_offset(const struct zone *z)
{
    unsigned k = 0;

    if (z->defaulted)
        return z->stdoff;
    while (k < z->ntypes && type_isdst(z, k))
        k++;
    return type_offset(z, k == z->ntypes ? 0 : k);
}

/* ---- the answer */
struct local {
    long offset;                     /* tm_gmtoff */
    long correction;                 /* leap seconds counted in utc */
    int hit;                         /* utc is a leap second: seconds past :59 */
};

/* The last transition at or before utc, given the first one is and the
 * last one is not. */
static uint32_t transition_before(const struct zone *z, long long utc)
{
    uint32_t lo = 0, hi = z->ntrans - 1;

    while (lo + 1 < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (utc < transition_time(z, mid))
            hi = mid;
        else
            lo = mid;
    }
    return lo;
}

static long file_offset(const struct zone *z, long long utc)
{
    struct civil c;

    if (!z->ntrans || utc < transition_time(z, 0))
        return first_offset(z);
    if (utc < transition_time(z, z->ntrans - 1))
        return transition_offset(z, transition_before(z, utc));
    civil_from_seconds(utc, &c);
    if (z->has_footer && year_fits_tm(c.year))
        return posix_offset(&z->footer, utc, (int)c.year);
    return transition_offset(z, z->ntrans - 1);
}

/* a == b + 1, for any b */
static int next_after(long long a, long long b)
{
    return b < LLONG_MAX && a == b + 1;
}

/* glibc's leap second step: the correction of the last leap at or before
 * utc; at a leap itself, how many seconds past :59 (a run of them, one a
 * second, makes :60, :61 ...). */
static void leap_seconds(const struct zone *z, long long utc, struct local *l)
{
    size_t rec = (size_t)z->w + 4;
    uint32_t i = z->nleaps;

    while (i > 0 && utc < time_at(z, z->leaps + (size_t)(i - 1) * rec))
        i--;
    if (!i)
        return;
    const unsigned char *p = z->leaps + (size_t)--i * rec;
    long change = (int32_t)be32(p + z->w), prev = i ? (int32_t)be32(p - rec + z->w) : 0;
    l->correction = change;
    if (utc != time_at(z, p) || change <= prev)
        return;
    l->hit = 1;
    while (i > 0 && next_after(time_at(z, p), time_at(z, p - rec)) &&
           next_after((int32_t)be32(p + z->w), (int32_t)be32(p - rec + z->w))) {
        l->hit++;
        i--;
        p -= rec;
    }
}

/* 0, or -1 where glibc's localtime fails before it has an offset (a TZ
 * string in a UTC year beyond struct tm). */
static int local_at(long long utc, struct local *l)
{
    *l = (struct local){0};
    if (zone.map) {
        l->offset = file_offset(&zone, utc);
        leap_seconds(&zone, utc, l);
        return 0;
    }
    struct civil c;
    civil_from_seconds(utc, &c);
    if (!year_fits_tm(c.year))
        return -1;
    l->offset = posix_offset(&zone.rules, utc, (int)c.year);
    return 0;
}

long tz_offset(long long utc)
{
    struct local l;

    return local_at(utc, &l) ? 0 : l.offset;
}

int tz_local_date(long long utc, struct civil *c, long *offset)
{
    struct local l;
    struct civil lc;

    if (local_at(utc, &l))
        return -1;
    civil_from_seconds_plus(utc, l.offset - l.correction, &lc);
    if (!year_fits_tm(lc.year))
        return -1;
    lc.sec += (unsigned)l.hit;
    *c = lc;
    *offset = l.offset;
    return 0;
}

void tz_offset_text(char buf[TZ_OFFSET_TEXT], long offset)
{
    long long a = offset < 0 ? -(long long)offset : offset;
    char digits[24];
    int n = 0, k = 0;

    a /= 60;
    a = a / 60 * 100 + a % 60;       /* hhmm, as many hours as it takes */
    do {
        digits[n++] = (char)('0' + a % 10);
        a /= 10;
    } while (a);
    while (n < 4)
        digits[n++] = '0';
    buf[k++] = offset < 0 ? '-' : '+';
    while (n > 0 && k < TZ_OFFSET_TEXT - 1)
        buf[k++] = digits[--n];
    buf[k] = 0;
}

/* ---- finding the zone */

/* Not a file: a TZ string, whose DST without rules takes posixrules'. */
static void take_tz_string(const char *s, const char *tzdir, int secure)
{
    struct posix p;
    int next = parse_posix_head(&s, &p);

    if (next == POSIX_NO_RULES && !load_default_rules(&zone, &p, tzdir, secure))
        return;
    if (next != POSIX_DONE)
        parse_posix_rules(s, &p);    /* no posixrules: the US rules of 2007 */
    zone.rules = p;
}

void tz_init(const char *tz, const char *tzdir, int secure)
{
    zone_release(&zone);
    if (tz && !*tz)
        tz = "Universal";            /* glibc's name for an empty TZ */
    if (tz && *tz == ':')
        tz++;
    const char *name = tz ? tz : TZ_DEFAULT;
    if (!load_file(&zone, name, tzdir, secure))
        return;
    if (!*name || str_eq(name, TZ_DEFAULT))
        return;                      /* UTC */
    take_tz_string(name, tzdir, secure);
}

void tz_init_env(const struct tz_env *e, int secure)
{
    if (e->tz_set < 0 || e->tzdir_set < 0) {
        zone_release(&zone);         /* a value too long to keep: UTC */
        return;
    }
    tz_init(e->tz_set ? e->tz : NULL, e->tzdir_set ? e->tzdir : NULL, secure);
}

static void keep_value(char *dst, signed char *set, const char *v, size_t n, int cut)
{
    if (*set)
        return;                      /* getenv finds the first */
    if (cut || n >= TZ_VALUE_MAX) {
        *set = -1;
        return;
    }
    for (size_t i = 0; i < n; i++)
        dst[i] = v[i];
    dst[n] = 0;
    *set = 1;
}

void tz_env_var(struct tz_env *e, const char *var, size_t n, int cut)
{
    if (n >= 3 && var[0] == 'T' && var[1] == 'Z' && var[2] == '=')
        keep_value(e->tz, &e->tz_set, var + 3, n - 3, cut);
    else if (n >= 6 && var[0] == 'T' && var[1] == 'Z' && var[2] == 'D' && var[3] == 'I' &&
             var[4] == 'R' && var[5] == '=')
        keep_value(e->tzdir, &e->tzdir_set, var + 6, n - 6, cut);
}
