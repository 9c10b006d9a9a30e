/* random.c — getrandom (strace's getrandom.c): the bytes the kernel gave,
 * in hex, on exit. */
#include "trace.h"
#include "xlat/getrandom_flags.h"

SYS_FUNC(getrandom)
{
    unsigned long buf = (unsigned long)t->arg[0];

    if (entering(t))
        return 0;
    if (syserror(t))
        printaddr(t, buf);
    else
        printstrn_hex(t, buf, (unsigned long)t->ret);
    tprintf(t, ", %lu, ", (unsigned long)t->arg[1]);
    printflags(t, xlat_getrandom_flags, (unsigned)t->arg[2], "GRND_???");
    return 0;
}
