/* passfds.h — the descriptors a wrapper passes across an exec (shared by
 * initmod/ and loader/).
 *
 * A wrapper keeps an fd for the programs it execs with rs_keep_fd_exec
 * (count's run table, trace's default log): initmod clears its
 * close-on-exec flag for an exec through the loader.  The exec goes to the
 * loader before anybody knows whether the new program will be wrapped, and
 * by what: so initmod names the fds in the exec's environment,
 *
 *     RUNSEL_FDS=FD:DEV:INO[,FD:DEV:INO...]      (hex)
 *
 * and what the new program does not take is closed before it runs: by the
 * loader when the program runs unwrapped (an exclusion, a secure exec the
 * list does not select, inherit=no's programs never get one), by initmod
 * after the wrappers' init when none of them kept it (a stack of other
 * wrappers).  An fd is closed only if this exec inherited it (not
 * close-on-exec: never one the new image keeps already) and it is open on
 * the file the entry names — a stale variable (a program in between that
 * ran unwrapped keeps its environment) names an fd that is gone or is
 * another file; and never 0, 1 or 2. */
#ifndef RUNSEL_PASSFDS_H
#define RUNSEL_PASSFDS_H

#define RS_PASSFDS_VAR "RUNSEL_FDS"
#define RS_PASSFDS_MAX 8                /* entries (initmod keeps at most 8 fds) */

/* One hex number at s into *v: the character after it, or 0 (none, or
 * more than 16 digits). */
static inline const char *rs_passfds_hex(const char *s, unsigned long *v)
{
    const char *p = s;

    for (*v = 0; (*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f'); p++) {
        if (p - s == 16)
            return 0;
        *v = *v * 16 + (unsigned long)(*p <= '9' ? *p - '0' : *p - 'a' + 10);
    }
    return p == s ? 0 : p;
}

/* The entry at s (FD, DEV, INO into v): where the next one starts, or 0
 * at the end of the value or when it is malformed. */
static inline const char *rs_passfds_next(const char *s, unsigned long v[3])
{
    for (int i = 0; i < 3; i++) {
        if (!s || !(s = rs_passfds_hex(s, &v[i])))
            return 0;
        if (i < 2 && *s++ != ':')
            return 0;
    }
    if (*s == ',')
        return s + 1;
    return *s ? 0 : s;
}

#endif
