/* tzcheck.c — trace's local time (wrapperabi/wrappers/trace/tz.c, built
 * here for the host on the stub host) against glibc's localtime_r in the
 * same process: the same TZ (and TZDIR), tzset, then for each instant the
 * offset (tm_gmtoff), the local date and time (tm_sec 60 in a leap
 * second), strftime's %z, and where localtime_r fails.
 *
 * The zones: every TZif file under /usr/share/zoneinfo (posix/ and
 * right/ too), the same zones built slim by zic (their times after 2007
 * come from the footer's TZ string), a table of TZ strings (names with
 * <>, J and n days, negative and 167-hour rule times, offsets glibc cuts
 * at 24 h, DST without rules from posixrules, malformed ones), TZ unset
 * and empty, TZDIR, a file's version byte as 1, 3 and 4, the version 1
 * part alone, every truncation of a file; corrupted files must not crash
 * (glibc itself asserts on some, so they are not compared).  Secure
 * execs' limits are checked by their effect.
 *
 * The instants: a few hundred from 1900 to 2100 with the extremes of 32
 * and 64 bits, and between two of them whose offsets differ, the
 * transition glibc has there (bisected) and a second on each side; in
 * right/ zones every second around each leap second. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "rows.h"
#include "stubhost.h"
#include "tz.h"

#define ZONEINFO "/usr/share/zoneinfo"
#define MAX_SHOWN 12               /* failing rows printed per group */

static const char *tmpdir;
static long long instants[1024];
static int ninstants;
static int shown;

/* ---- one comparison */
struct answer {
    int ok;                        /* localtime_r gave a struct tm */
    long off;
    long long year;
    unsigned mon, mday, hour, min, sec;
    char z[TZ_OFFSET_TEXT];
};

static void glibc_at(long long t, struct answer *a)
{
    time_t tt = (time_t)t;
    struct tm tm;

    memset(a, 0, sizeof(*a));
    if (!localtime_r(&tt, &tm))
        return;
    a->ok = 1;
    a->off = tm.tm_gmtoff;
    a->year = tm.tm_year + 1900LL;
    a->mon = (unsigned)tm.tm_mon + 1;
    a->mday = (unsigned)tm.tm_mday;
    a->hour = (unsigned)tm.tm_hour;
    a->min = (unsigned)tm.tm_min;
    a->sec = (unsigned)tm.tm_sec;
    strftime(a->z, sizeof(a->z), "%z", &tm);
}

static void ours_at(long long t, struct answer *a)
{
    struct civil c;

    memset(a, 0, sizeof(*a));
    if (tz_local_date(t, &c, &a->off))
        return;
    a->ok = 1;
    a->year = c.year;
    a->mon = c.month;
    a->mday = c.day;
    a->hour = c.hour;
    a->min = c.min;
    a->sec = c.sec;
    tz_offset_text(a->z, a->off);
}

static const char *show(const struct answer *a)
{
    static char bufs[2][96];
    static int k;
    char *b = bufs[k++ & 1];

    if (!a->ok)
        return "(fails)";
    snprintf(b, sizeof(bufs[0]), "%04lld-%02u-%02uT%02u:%02u:%02u%s (%ld s)", a->year, a->mon,
             a->mday, a->hour, a->min, a->sec, a->z, a->off);
    return b;
}

static int same(const struct answer *a, const struct answer *b)
{
    if (a->ok != b->ok)
        return 0;
    return !a->ok || (a->off == b->off && a->year == b->year && a->mon == b->mon &&
                      a->mday == b->mday && a->hour == b->hour && a->min == b->min &&
                      a->sec == b->sec && !strcmp(a->z, b->z));
}

/* One instant of a zone: a row, printed when it fails (the first few). */
static int check_at(const char *zone, long long t)
{
    struct answer g, o;

    glibc_at(t, &g);
    ours_at(t, &o);
    int good = same(&g, &o);
    if (!good && shown++ >= MAX_SHOWN) {
        rows_n++, rows_bad++, rows_any_bad = 1;     /* counted, not printed */
        return 0;
    }
    if (!good)
        rows_check(0, "%s at %lld: got %s, want %s", zone, t, show(&o), show(&g));
    else
        rows_check(1, "-");
    if (o.ok && tz_offset(t) != o.off)
        rows_check(0, "%s at %lld: tz_offset %ld, tz_local_date's %ld", zone, t, tz_offset(t), o.off);
    return good;
}

static long glibc_offset(long long t)
{
    time_t tt = (time_t)t;
    struct tm tm;

    return localtime_r(&tt, &tm) ? tm.tm_gmtoff : LONG_MIN;
}

/* glibc's change between a and b (offsets differ): the first second of
 * the new offset, and a second on each side. */
static void check_change(const char *zone, long long a, long long b)
{
    long before = glibc_offset(a);

    while (b - a > 1) {
        long long mid = a + (b - a) / 2;
        if (glibc_offset(mid) == before)
            a = mid;
        else
            b = mid;
    }
    check_at(zone, b - 1);
    check_at(zone, b);
    check_at(zone, b + 1);
}

/* Every instant, and the transitions between them. */
static void check_zone(const char *zone)
{
    long prev = 0;

    for (int i = 0; i < ninstants; i++) {
        long long t = instants[i];
        long off = glibc_offset(t);
        check_at(zone, t);
        if (i && off != prev && off != LONG_MIN && prev != LONG_MIN && t - instants[i - 1] < (1LL << 40))
            check_change(zone, instants[i - 1], t);
        prev = off;
    }
}

/* Around each leap second (June 30 and December 31, 1972 to 2016): the
 * seconds a right/ zone's clock counts there, corrections included. */
static void check_leaps(const char *zone)
{
    for (int y = 1972; y <= 2017; y++)
        for (int half = 0; half < 2; half++) {
            struct tm tm = {.tm_year = y - 1900 + half, .tm_mon = half ? 0 : 6, .tm_mday = 1};
            long long t0 = (long long)timegm(&tm);
            for (long long t = t0 - 2; t <= t0 + 30; t++)
                check_at(zone, t);
        }
}

/* TZ=tz (NULL: unset) and TZDIR=tzdir for glibc and for tz.c. */
static void use_zone(const char *tz, const char *tzdir)
{
    if (tz)
        setenv("TZ", tz, 1);
    else
        unsetenv("TZ");
    if (tzdir)
        setenv("TZDIR", tzdir, 1);
    else
        unsetenv("TZDIR");
    tzset();
    tz_init(tz, tzdir, 0);
}

static void make_instants(void)
{
    static const long long fixed[] = {
        0, -1, 1, INT32_MIN, INT32_MIN + 1LL, INT32_MAX, INT32_MAX + 1LL, -2208988800LL /* 1900 */,
        4102444800LL /* 2100 */, 2147483648LL * 2, 67767976233316800LL, -67768040609740800LL,
        LLONG_MAX, LLONG_MIN, LLONG_MAX - 86400, LLONG_MIN + 86400};
    unsigned long long x = 88172645463325252ULL;
    long long lo = -2208988800LL, hi = 4133980799LL;   /* 1900-01-01 .. 2100-12-31 */
    int n = 400;

    /* the span in steps, each moved a little (xorshift): no two zones'
     * transitions line up with a step by chance every time */
    for (int i = 0; i <= n; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        instants[ninstants++] = lo + (hi - lo) / n * i + (long long)(x % 86400) * 17;
    }
    for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
        instants[ninstants++] = fixed[i];
    instants[ninstants++] = (long long)time(NULL);
}

/* ---- zone files */
static int is_tzif(const char *path)
{
    char m[4];
    int fd = open(path, O_RDONLY | O_CLOEXEC), ok;

    if (fd < 0)
        return 0;
    ok = read(fd, m, 4) == 4 && !memcmp(m, "TZif", 4);
    close(fd);
    return ok;
}

/* Every TZif file under root/rel, named as TZ would name it (rel, or the
 * absolute path); returns how many. */
static int walk(const char *root, const char *rel, int absolute)
{
    char dir[4096], path[8200], name[4096];
    DIR *d;
    struct dirent *e;
    int n = 0;

    snprintf(dir, sizeof(dir), "%s%s%s", root, *rel ? "/" : "", rel);
    if (!(d = opendir(dir)))
        return 0;
    while ((e = readdir(d))) {
        struct stat st;
        if (e->d_name[0] == '.')
            continue;
        if ((size_t)snprintf(name, sizeof(name), "%s%s%s", rel, *rel ? "/" : "", e->d_name) >= sizeof(name) ||
            (size_t)snprintf(path, sizeof(path), "%s/%s", root, name) >= sizeof(path) || lstat(path, &st))
            continue;
        if (S_ISDIR(st.st_mode)) {
            n += walk(root, name, absolute);
        } else if (S_ISREG(st.st_mode) && is_tzif(path)) {
            const char *tz = absolute ? path : name;
            use_zone(tz, NULL);
            check_zone(tz);
            if (!strncmp(name, "right/", 6))
                check_leaps(tz);
            n++;
        }
    }
    closedir(d);
    return n;
}

static void group_zone_files(void)
{
    rows_begin("every zone file under " ZONEINFO " against localtime_r");
    shown = 0;
    int n = walk(ZONEINFO, "", 0);
    rows_check(n > 300, "zone files found: %d", n);
    rows_end();
}

/* zic -b slim: no transitions past the last rule change, the footer's TZ
 * string after it. */
static void group_slim(void)
{
    char dir[4096], cmd[8300];

    rows_begin("slim zone files (zic -b slim) against localtime_r");
    if (access("/usr/sbin/zic", X_OK) || access(ZONEINFO "/tzdata.zi", R_OK)) {
        printf("skip slim zone files: no /usr/sbin/zic or tzdata.zi\n");
        return;
    }
    snprintf(dir, sizeof(dir), "%s/slim", tmpdir);
    snprintf(cmd, sizeof(cmd), "/usr/sbin/zic -b slim -d '%s' " ZONEINFO "/tzdata.zi 2>/dev/null", dir);
    if (system(cmd)) {
        printf("skip slim zone files: zic failed\n");
        return;
    }
    shown = 0;
    int n = walk(dir, "", 1);
    rows_check(n > 300, "slim files found: %d", n);
    /* TZDIR: relative names under it */
    use_zone("America/Sao_Paulo", dir);
    check_zone("America/Sao_Paulo under TZDIR");
    use_zone("Australia/Lord_Howe", dir);
    check_zone("Australia/Lord_Howe under TZDIR");
    rows_end();
}

/* ---- TZ strings */

/* A zone in a process of its own, as a traced program or strace has it:
 * glibc keeps state from one TZ to the next (a DST without rules is moved
 * by the DST offset of the one before), which a new process has not —
 * so this program again (main's --one), whose rows are added here. */
static void check_fresh(const char *tz)
{
    int p[2], counts[3] = {0, 0, 0}, status = 0;
    char fd[16];

    fflush(stdout);
    if (pipe(p)) {
        rows_check(0, "pipe: %s", strerror(errno));
        return;
    }
    snprintf(fd, sizeof(fd), "%d", p[1]);
    pid_t pid = fork();
    if (pid == 0) {
        close(p[0]);
        execl("/proc/self/exe", "tzcheck", "--one", fd, tz ? "set" : "unset", tz ? tz : "", (char *)NULL);
        _exit(127);
    }
    close(p[1]);
    int got = pid > 0 && read(p[0], counts, sizeof(counts)) == sizeof(counts);
    close(p[0]);
    if (pid > 0)
        waitpid(pid, &status, 0);
    if (!rows_check(got && WIFEXITED(status) && !WEXITSTATUS(status), "TZ=%s: the child failed (%#x)",
                    rows_q(tz, -1), status))
        return;
    rows_n += counts[0];
    rows_bad += counts[1];
    rows_any_bad |= counts[1] > 0;
    shown += counts[2];
}

/* --one FD set|unset TZ: one zone's rows, their counts written to FD */
static int check_one(char **argv)
{
    const char *tz = strcmp(argv[3], "set") ? NULL : argv[4];
    int counts[3];

    rows_group = "TZ strings (and names) against localtime_r";
    use_zone(tz, NULL);
    check_zone(tz ? tz : "(TZ unset: /etc/localtime)");
    counts[0] = rows_n, counts[1] = rows_bad, counts[2] = shown;
    fflush(stdout);
    return write(atoi(argv[2]), counts, sizeof(counts)) != sizeof(counts);
}

static void group_tz_strings(void)
{
    static const char *const rows[] = {
        /* plain, <>, signs, minutes and seconds */
        "JST-9", "UTC0", "GMT+3", "<+0330>-3:30", "<-0230>2:30", "<+05>-5", "XXX-5:45:30", "XXX+0",
        "EST5EDT,M3.2.0,M11.1.0", "EST+5EDT+4,M3.2.0/2:00:00,M11.1.0/2:00:00",
        "CET-1CEST,M3.5.0,M10.5.0/3", "<-03>3<-02>,M3.5.0/-2,M10.5.0/-1",
        /* southern: DST across the new year (and glibc's pre-1970 quirk) */
        "AEST-10AEDT,M10.1.0,M4.1.0/3", "NZST-12NZDT,M9.5.0,M4.1.0/3",
        "<+1245>-12:45<+1345>,M9.5.0/2:45,M4.1.0/3:45", "<-04>4<-03>,M9.1.6/24,M4.1.6/24",
        /* TZif v3: rule times past 24 h and negative */
        "IST-2IDT,M3.4.4/26,M10.5.0", "<-02>2<-01>,M3.5.0/-1,M10.5.0/0",
        "XST5XDT,M3.2.0/167,M11.1.0/-167", "XST5XDT,M1.1.0/-167,M12.5.6/167",
        /* J and n days, leap years */
        "XST3XDT,J60/2,J300/2", "XST3XDT,59,299", "XST3XDT,J1,J365", "XST3XDT,0/0,365/25",
        "XST3XDT,J59/23,J60/1", "XST3XDT4,M2.5.4,M2.5.5",
        /* offsets glibc cuts: hours to 24, minutes and seconds to 59 */
        "XXX-24:59:59", "XXX-25", "XXX99:99:99", "XXX-167", "XST5XDT-30,M3.2.0,M11.1.0",
        /* DST without rules: posixrules' (America/New_York), moved */
        "XST5XDT", "XST5XDT4", "XST5XDT,", "XST3XDT", "XST-9XDT", "<+03>-3<+04>",
        /* no DST name: DST offset 0 */
        "EST5,M3.2.0,M11.1.0", "EST5,M3.2.0",
        /* default rules and partial ones */
        "EST5EDT,M3.2.0", "EST5EDT,M3.2.0,", "EST5EDT,M3.2.0/", "EST5EDT,M3.2.0/x,M11.1.0",
        /* what scanf takes: blanks, signs, big numbers */
        "XST5XDT 4,M3.2.0,M11.1.0", "XST5XDT,M+3.2.0,M11.1.0", "XST5: 30XDT", "XST5:-30",
        "XST99999999999999999999", "XST5XDT,M3.2.0/-99999,M11.1.0", "XST5XDT,M3.2.0/--2,M11.1.0",
        "XST5XDT,M 3.2.0,M11.1.0", "XST5XDT,J 60,J300",
        /* malformed: what glibc read before it stopped stays */
        "JST", "A", "AB5", "abc", "<AB>5", "<ABC5", "EST5EDT,M13.1.0,M11.1.0", "EST5EDT,M0.1.0,M11.1.0",
        "EST5EDT,M3.6.0,M11.1.0", "EST5EDT,M3.0.0,M11.1.0", "EST5EDT,M3.2.7,M11.1.0",
        "EST5EDT,J0,J300", "EST5EDT,366,300", "EST5EDT,M3.2.0;M11.1.0", "EST5EDTx", "EST5EDT4x",
        "EST5EDT,M3.2", "EST5EDT,M3", "EST5EDT,,M3.2.0", "-5", "5", "ÄÖÜ5",
        /* names that are files, or not */
        ":Asia/Tokyo", "Asia/Tokyo", ":", ":JST-9", ZONEINFO "/Europe/Dublin", "Nonexistent/Zone",
        "/etc/passwd", "/nonexistent", "/etc/localtime", "Universal", "posixrules", "EST5EDT",
        "../zoneinfo/Asia/Kolkata", "right/Asia/Tokyo", "posix/Europe/Paris"};

    rows_begin("TZ strings (and names) against localtime_r");
    shown = 0;
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
        check_fresh(rows[i]);
    check_fresh(NULL);
    check_fresh("");
    rows_end();
}

/* ---- made files: versions, truncations, corruption */
static unsigned char *slurp(const char *path, size_t *n)
{
    static unsigned char buf[1 << 18];
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    ssize_t r = fd < 0 ? -1 : read(fd, buf, sizeof(buf));

    if (fd >= 0)
        close(fd);
    *n = r > 0 ? (size_t)r : 0;
    return buf;
}

static void spill(const char *path, const void *b, size_t n)
{
    FILE *f = fopen(path, "w");

    if (!f || fwrite(b, 1, n, f) != n || fclose(f))
        printf("not ok tzcheck: cannot write %s\n", path);
}

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* The file's length up to the end of its version 1 data. */
static size_t v1_length(const unsigned char *b)
{
    uint32_t ut = be32(b + 20), std = be32(b + 24), leap = be32(b + 28), time = be32(b + 32),
             type = be32(b + 36), chars = be32(b + 40);

    return 44 + time * 5 + type * 6 + chars + leap * 8 + std + ut;
}

static void check_file(const char *label, const void *b, size_t n)
{
    char path[4096];

    snprintf(path, sizeof(path), "%s/made.tzif", tmpdir);
    spill(path, b, n);
    /* glibc keeps a file while TZ and the file's inode and mtime stay:
     * a TZ string in between makes it read the file again */
    use_zone("XXX0", NULL);
    use_zone(path, NULL);
    check_zone(label);
}

static void group_versions(void)
{
    static const char *const zones[] = {"America/New_York", "Europe/Dublin", "Asia/Jerusalem",
                                        "right/Europe/London", "Australia/Lord_Howe"};
    static const char versions[3] = {0, '3', '4'};
    unsigned char copy[1 << 18];
    char label[256], path[4096];

    rows_begin("TZif versions 1 (the 32-bit part alone), 3 and 4 against localtime_r");
    shown = 0;
    for (size_t i = 0; i < sizeof(zones) / sizeof(zones[0]); i++) {
        size_t n;
        snprintf(path, sizeof(path), ZONEINFO "/%s", zones[i]);
        const unsigned char *b = slurp(path, &n);
        if (n < 44)
            continue;
        memcpy(copy, b, n);
        for (int v = 0; v < 3; v++) {
            copy[4] = (unsigned char)versions[v];
            snprintf(label, sizeof(label), "%s as version %c", zones[i], v ? versions[v] : '1');
            /* version 1: the first part only, as a version 1 file is */
            check_file(label, copy, v ? n : v1_length(copy));
        }
        snprintf(label, sizeof(label), "%s, version 2 without its footer", zones[i]);
        copy[4] = '2';
        check_file(label, copy, v1_length(copy));   /* glibc: no 64-bit header, a "lose" */
    }
    rows_end();
}

static void group_truncations(void)
{
    static const char *const zones[] = {"Asia/Tokyo", "America/Sao_Paulo", "right/UTC"};
    char label[256], path[4096];
    int saved = ninstants;

    rows_begin("every truncation of a file against localtime_r");
    shown = 0;
    ninstants = 60;                  /* fewer instants: a file per length */
    for (size_t i = 0; i < sizeof(zones) / sizeof(zones[0]); i++) {
        size_t n;
        snprintf(path, sizeof(path), ZONEINFO "/%s", zones[i]);
        unsigned char *b = slurp(path, &n);
        for (size_t len = 1; len <= n; len++) {
            snprintf(label, sizeof(label), "%s cut to %zu bytes", zones[i], len);
            check_file(label, b, len);
        }
    }
    ninstants = saved;
    rows_end();
}

/* Corrupted bytes: tz.c takes or refuses each file without a fault, and
 * its offsets stay those of some type (or a TZ string's). */
static void group_corruption(void)
{
    static const char *const zones[] = {"America/New_York", "right/Asia/Tokyo", "Pacific/Chatham"};
    unsigned char copy[1 << 18];
    char path[4096], made[4096];
    unsigned long long x = 0x9e3779b97f4a7c15ULL;
    int files = 0;

    rows_begin("corrupted files: no fault, offsets in range");
    snprintf(made, sizeof(made), "%s/bad.tzif", tmpdir);
    for (size_t i = 0; i < sizeof(zones) / sizeof(zones[0]); i++) {
        size_t n;
        snprintf(path, sizeof(path), ZONEINFO "/%s", zones[i]);
        const unsigned char *b = slurp(path, &n);
        for (int round = 0; round < 2000 && n > 0; round++, files++) {
            memcpy(copy, b, n);
            for (int k = 0; k < 1 + round % 8; k++) {
                x ^= x << 13, x ^= x >> 7, x ^= x << 17;
                size_t at = round % 3 == 0 ? (size_t)(x % 64) : (size_t)(x % n);   /* the header often */
                copy[at] = round % 5 == 0 ? 0xff : (unsigned char)(x >> 32);
            }
            spill(made, copy, n);
            tz_init(made, NULL, 0);
            for (int j = 0; j < ninstants; j += 7) {
                struct civil c;
                long off;
                long o = tz_offset(instants[j]);
                int r = tz_local_date(instants[j], &c, &off);
                if (!rows_check(o >= INT32_MIN && o <= INT32_MAX && (r || (c.month >= 1 && c.month <= 12)),
                                "%s, round %d, at %lld: offset %ld", zones[i], round, instants[j], o))
                    break;
            }
        }
    }
    rows_check(files > 0, "files made: %d", files);
    rows_end();
}

/* ---- glibc's limits for a secure exec, by their effect: a zone whose
 * name glibc would not follow is the TZ string of that name. */
static void group_secure(void)
{
    char fake[4096], cmd[8300];

    rows_begin("a secure exec: no TZDIR, nothing outside " ZONEINFO " but /etc/localtime, no ../");
    snprintf(fake, sizeof(fake), "%s/fakezi", tmpdir);
    snprintf(cmd, sizeof(cmd), "mkdir -p '%s/Asia' && cp " ZONEINFO "/America/New_York '%s/Asia/Tokyo'",
             fake, fake);
    if (system(cmd)) {
        rows_check(0, "cannot make %s", fake);
        rows_end();
        return;
    }
    long long july = 1719835200;     /* 2024-07-01T12:00Z */
    tz_init("Asia/Tokyo", fake, 0);
    rows_check(tz_offset(july) == -4 * 3600, "TZDIR followed: %ld", tz_offset(july));
    tz_init("Asia/Tokyo", fake, 1);
    rows_check(tz_offset(july) == 9 * 3600, "secure: TZDIR ignored: %ld", tz_offset(july));
    tz_init(ZONEINFO "/Asia/Tokyo", NULL, 1);
    rows_check(tz_offset(july) == 9 * 3600, "secure: under " ZONEINFO ": %ld", tz_offset(july));
    strcat(fake, "/Asia/Tokyo");
    tz_init(fake, NULL, 0);
    rows_check(tz_offset(july) == -4 * 3600, "an absolute path: %ld", tz_offset(july));
    tz_init(fake, NULL, 1);
    rows_check(tz_offset(july) == 0, "secure: elsewhere refused: %ld", tz_offset(july));
    tz_init("../zoneinfo/Asia/Tokyo", NULL, 0);
    rows_check(tz_offset(july) == 9 * 3600, "../ followed: %ld", tz_offset(july));
    tz_init("../zoneinfo/Asia/Tokyo", NULL, 1);
    rows_check(tz_offset(july) == 0, "secure: ../ refused: %ld", tz_offset(july));
    use_zone("/etc/localtime", NULL);
    tz_init("/etc/localtime", NULL, 1);
    rows_check(tz_offset(july) == glibc_offset(july), "secure: /etc/localtime: %ld", tz_offset(july));
    rows_end();
}

/* ---- the environment's variables */
static void group_env(void)
{
    struct tz_env e = {0};
    static char big[TZ_VALUE_MAX + 8];
    long long july = 1719835200;

    rows_begin("TZ and TZDIR from the environment (tz_env_var, tz_init_env)");
    tz_env_var(&e, "TZX=1", 5, 0);
    tz_env_var(&e, "TZ", 2, 0);
    rows_check(!e.tz_set, "TZX= and TZ without = are not TZ");
    tz_env_var(&e, "TZ=Asia/Tokyo", 13, 0);
    tz_env_var(&e, "TZ=UTC", 6, 0);
    rows_check(e.tz_set == 1 && !strcmp(e.tz, "Asia/Tokyo"), "the first TZ counts: %s", rows_q(e.tz, -1));
    tz_env_var(&e, "TZDIR=/nonexistent", 18, 0);
    rows_check(e.tzdir_set == 1 && !strcmp(e.tzdir, "/nonexistent"), "TZDIR: %s", rows_q(e.tzdir, -1));
    tz_init_env(&e, 0);
    rows_check(tz_offset(july) == 0, "Asia/Tokyo under a TZDIR without it: a TZ string, UTC: %ld",
               tz_offset(july));
    e = (struct tz_env){0};
    tz_env_var(&e, "TZ=Asia/Tokyo", 13, 0);
    tz_init_env(&e, 0);
    rows_check(tz_offset(july) == 9 * 3600, "Asia/Tokyo: %ld", tz_offset(july));
    e = (struct tz_env){0};
    tz_env_var(&e, "TZ=", 3, 0);
    tz_init_env(&e, 0);
    rows_check(e.tz_set == 1 && tz_offset(july) == 0, "TZ= (empty): UTC");
    e = (struct tz_env){0};
    memset(big, 'A', sizeof(big));
    memcpy(big, "TZ=", 3);
    tz_env_var(&e, big, sizeof(big), 0);
    rows_check(e.tz_set == -1, "a value of TZ_VALUE_MAX bytes: not kept");
    tz_init("Asia/Tokyo", NULL, 0);
    tz_init_env(&e, 0);
    rows_check(tz_offset(july) == 0, "a TZ too long: UTC: %ld", tz_offset(july));
    e = (struct tz_env){0};
    tz_env_var(&e, "TZ=Asia/Tok", 11, 1);
    rows_check(e.tz_set == -1, "a TZ cut by the reader: not kept");
    rows_end();
}

int main(int argc, char **argv)
{
    stubhost_start();
    tmpdir = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    make_instants();
    if (argc == 5 && !strcmp(argv[1], "--one"))
        return check_one(argv);
    group_zone_files();
    group_slim();
    group_tz_strings();
    group_versions();
    group_truncations();
    group_corruption();
    group_secure();
    group_env();
    return rows_exit();
}
