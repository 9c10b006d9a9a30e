/* table.c — the rows of syscallent.h as a table indexed by number. */
#include "trace.h"

#define S(nr, name, cls, spec)
#define N(nr, name, cls)
#define F(nr, name, cls) SYS_FUNC(name);
#include "syscallent.h"
#undef S
#undef N
#undef F

#define S(nr, name, cls, spec) [nr] = {spec, decode_spec, cls},
#define N(nr, name, cls) [nr] = {"d:xxxxxx", decode_spec, cls},
#define F(nr, name, cls) [nr] = {NULL, sys_##name, cls},
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
