/* tz.h — local time as glibc's localtime_r gives it (tz.c): trace's -t
 * stamps and the dates strace prints in its local time.  No trace types:
 * tests/unit/tzcheck.c compiles tz.c on the host against glibc. */
#ifndef TRACE_TZ_H
#define TRACE_TZ_H

#include <stddef.h>

/* A date, proleptic Gregorian. */
struct civil {
    long long year;
    unsigned month, day, hour, min, sec;
};
/* Seconds since the epoch to the UTC date. */
void civil_from_seconds(long long s, struct civil *c);

/* TZ and TZDIR as the program's environment has them, gathered by
 * tz_env_var over its variables (exec.c reads them).  A value of
 * TZ_VALUE_MAX bytes or more is not kept: the zone is then UTC. */
#define TZ_VALUE_MAX 512
struct tz_env {
    char tz[TZ_VALUE_MAX], tzdir[TZ_VALUE_MAX];
    signed char tz_set, tzdir_set;      /* 0 unset, 1 set, -1 too long */
};
/* One variable "NAME=VALUE" of n bytes (no NUL); cut: it goes on past
 * them.  The first TZ and TZDIR count, as getenv finds them. */
void tz_env_var(struct tz_env *e, const char *var, size_t n, int cut);

/* Once, in init, before any other tz_ call (the state is read-only
 * afterwards, so the calls below are re-entrant): the zone as glibc's
 * tzset finds it, from tz (NULL: TZ unset) and tzdir (NULL: TZDIR unset);
 * secure (AT_SECURE): glibc's limits for set-user-ID programs (no TZDIR,
 * no file outside /usr/share/zoneinfo but /etc/localtime, no "../").  A
 * zone that cannot be read is UTC. */
void tz_init(const char *tz, const char *tzdir, int secure);
void tz_init_env(const struct tz_env *e, int secure);

/* Seconds east of UTC at utc: localtime_r's tm_gmtoff. */
long tz_offset(long long utc);
/* The local date at utc as localtime_r has it (tm_sec 60 in a leap
 * second of a right/ zone) and *offset its tm_gmtoff; -1 where
 * localtime_r fails (a year beyond its int), c and *offset untouched. */
int tz_local_date(long long utc, struct civil *c, long *offset);
/* An offset as strftime's %z writes it: "+0900", "-0330", "-0025" for
 * -00:25:21 (the seconds dropped). */
#define TZ_OFFSET_TEXT 16
void tz_offset_text(char buf[TZ_OFFSET_TEXT], long offset);

#endif
