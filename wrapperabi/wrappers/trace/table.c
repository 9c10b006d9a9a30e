/* table.c — the rows of syscallent.h as a table indexed by number. */
#include "trace.h"

#define S(nr, name, spec)
#define N(nr, name)
#define F(nr, name) SYS_FUNC(name);
#include "syscallent.h"
#undef S
#undef N
#undef F

#define S(nr, name, spec) [nr] = {spec, decode_spec},
#define N(nr, name) [nr] = {"d:xxxxxx", decode_spec},
#define F(nr, name) [nr] = {NULL, sys_##name},
static const struct sysent sysent[] = {
#include "syscallent.h"
};
#undef S
#undef N
#undef F

const struct sysent *trace_sysent(long nr)
{
    if (nr < 0 || nr >= (long)(sizeof(sysent) / sizeof(sysent[0])) || !sysent[nr].func)
        return NULL;
    return &sysent[nr];
}
