/* err.c — error records; the only place messages are formatted. */
#include <stdarg.h>
#include <stdio.h>
#include "loader.h"

int ld_fail(struct ld_err *e, int status, const char *fmt, ...)
{
    va_list ap;

    e->status = status;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
    va_end(ap);
    return -1;
}
