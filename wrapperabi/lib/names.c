/* names.c — system call and errno names, from tables generated from this
 * machine's kernel headers (tools/gen-tables). */
#include <runsel/wrapper.h>
#include "errnames.h"
#include "sysnames.h"
#include "sysnames32.h"

#define X32_BIT 0x40000000L

const char *rs_syscall_name(long nr)
{
    return nr >= 0 && nr < RS_NSYSCALLS ? rs_sysnames[nr] : NULL;
}

/* x32 shares the x86-64 names (with its own numbers above 512 for the
 * calls whose structures differ, which the headers do not name here). */
const char *rs_call_name(const struct rs_call *c)
{
    switch (c->abi) {
    case RS_ABI_IA32:
        return c->nr >= 0 && c->nr < RS_NSYSCALLS32 ? rs_sysnames32[c->nr] : NULL;
    case RS_ABI_X32:
        return rs_syscall_name(c->nr & ~X32_BIT);
    default:
        return rs_syscall_name(c->nr);
    }
}

/* name is exactly the n characters at s.  Its length first: comparing n
 * characters would read past a shorter name when s has a NUL within n. */
static int is_name(const char *name, const char *s, size_t n)
{
    return rs_strlen(name) == n && !rs_strncmp(name, s, n);
}

long rs_syscall_from_name(const char *s, size_t n)
{
    for (long i = 0; i < RS_NSYSCALLS; i++)
        if (rs_sysnames[i] && is_name(rs_sysnames[i], s, n))
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
        if (is_name(rs_errnames[i].name, s, n))
            return rs_errnames[i].n;
    return 0;
}
