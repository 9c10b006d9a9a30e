/* names.c — system call and errno names, from tables generated from this
 * machine's kernel headers (tools/gen-tables). */
#include <runsel/wrapper.h>
#include "errnames.h"
#include "sysnames.h"

const char *rs_syscall_name(long nr)
{
    return nr >= 0 && nr < RS_NSYSCALLS ? rs_sysnames[nr] : NULL;
}

long rs_syscall_from_name(const char *s, size_t n)
{
    for (long i = 0; i < RS_NSYSCALLS; i++)
        if (rs_sysnames[i] && !rs_strncmp(rs_sysnames[i], s, n) && !rs_sysnames[i][n])
            return i;
    return -1;
}

static int errno_index(long err)
{
    for (size_t i = 0; i < sizeof(rs_errnames) / sizeof(rs_errnames[0]); i++)
        if (rs_errnames[i].n == err)
            return (int)i;
    return -1;
}

const char *rs_errno_name(long err)
{
    int i = errno_index(err);

    return i < 0 ? NULL : rs_errnames[i].name;
}

const char *rs_strerror(long err)
{
    int i = errno_index(err);

    return i < 0 ? "Unknown error" : rs_errnames[i].msg;
}

int rs_errno_from_name(const char *s, size_t n)
{
    for (size_t i = 0; i < sizeof(rs_errnames) / sizeof(rs_errnames[0]); i++)
        if (!rs_strncmp(rs_errnames[i].name, s, n) && !rs_errnames[i].name[n])
            return rs_errnames[i].n;
    return 0;
}
