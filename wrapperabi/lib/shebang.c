/* shebang.c — the one reader of "#!" lines (runsel/shebang.h): initmod's
 * exec of a script and its check of a chain under an enforcing wrapper,
 * sandbox's judgement of the chain and runsel's start-up all follow the
 * same rules, the kernel's (fs/binfmt_script.c, Linux 5.0 on). */
#include <errno.h>
#include <runsel/shebang.h>

static int spacetab(char c)
{
    return c == ' ' || c == '\t';
}

/* The first character of [first, last] that is not a space or tab. */
static char *non_spacetab(char *first, char *last)
{
    for (; first <= last; first++)
        if (!spacetab(*first))
            return first;
    return 0;
}

/* The first space, tab or NUL of [first, last]. */
static char *terminator(char *first, char *last)
{
    for (; first <= last; first++)
        if (spacetab(*first) || !*first)
            return first;
    return 0;
}

int rs_shebang(char *buf, size_t n, const char **interp, const char **arg)
{
    char *last = buf + RS_SHEBANG_HEAD - 1, *end = 0, *name, *sep;

    if (n > RS_SHEBANG_HEAD)
        n = RS_SHEBANG_HEAD;
    if (n < 2 || buf[0] != '#' || buf[1] != '!')
        return 0;
    for (size_t i = n; i < RS_SHEBANG_HEAD; i++)
        buf[i] = 0;                      /* the kernel reads into a zeroed buffer */
    for (char *p = buf; p <= last && *p; p++)   /* strnchr: a NUL ends the search */
        if (*p == '\n') {
            end = p;
            break;
        }
    if (!end) {
        /* No newline in the read: the line is what was read, provided the
         * name ends inside it (else the name may have been cut short). */
        char *q = non_spacetab(buf + 2, last);
        if (!q || !terminator(q, last))
            return -ENOEXEC;
        end = last;
    }
    while (spacetab(end[-1]))
        end--;
    name = non_spacetab(buf + 2, end);
    if (!name || name == end)
        return -ENOEXEC;                 /* no interpreter name */
    /* A NUL right after "#!" and its spaces gives an empty name: the
     * kernel goes on and fails to open it; so does the caller. */
    sep = terminator(name, end);
    *arg = sep && *sep ? non_spacetab(sep, end) : 0;
    *end = 0;
    if (*arg)
        *sep = 0;
    *interp = name;
    return 1;
}
