/* err.c — error records and the only formatting the loader does.
 *
 * A small printf subset (%s %d %u %x with l/z and #) is all the messages
 * need; strerror covers the errnos exec and mmap report. */
#include <errno.h>
#include <stdarg.h>
#include "loader.h"

struct out {
    char *p, *end;
};

static void put(struct out *o, char c)
{
    if (o->p < o->end)
        *o->p++ = c;
}

static void put_str(struct out *o, const char *s)
{
    while (*s)
        put(o, *s++);
}

static void put_num(struct out *o, unsigned long v, unsigned base, int alt)
{
    char tmp[24];
    int n = 0;

    if (alt && base == 16)
        put_str(o, "0x");
    do {
        tmp[n++] = "0123456789abcdef"[v % base];
        v /= base;
    } while (v);
    while (n)
        put(o, tmp[--n]);
}

size_t ld_vfmt(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct out o = {buf, buf + size - 1};

    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            put(&o, *fmt);
            continue;
        }
        int alt = 0, lng = 0;
        if (*++fmt == '#')
            alt = 1, fmt++;
        if (*fmt == 'l' || *fmt == 'z')
            lng = 1, fmt++;
        switch (*fmt) {
        case 's': put_str(&o, va_arg(ap, const char *)); break;
        case 'd': {
            long v = lng ? va_arg(ap, long) : va_arg(ap, int);
            if (v < 0)
                put(&o, '-'), v = -v;
            put_num(&o, (unsigned long)v, 10, 0);
            break;
        }
        case 'u': put_num(&o, lng ? va_arg(ap, unsigned long) : va_arg(ap, unsigned), 10, 0); break;
        case 'x': put_num(&o, lng ? va_arg(ap, unsigned long) : va_arg(ap, unsigned), 16, alt); break;
        case '%': put(&o, '%'); break;
        default: put(&o, '?'); break;
        }
    }
    *o.p = 0;
    return (size_t)(o.p - buf);
}

size_t ld_fmt(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    size_t n;

    va_start(ap, fmt);
    n = ld_vfmt(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

const char *ld_strerror(int err)
{
    switch (err) {
    case ENOENT:       return "No such file or directory";
    case ENOTDIR:      return "Not a directory";
    case EACCES:       return "Permission denied";
    case EPERM:        return "Operation not permitted";
    case EISDIR:       return "Is a directory";
    case ENOMEM:       return "Cannot allocate memory";
    case EEXIST:       return "File exists";
    case EINVAL:       return "Invalid argument";
    case ELOOP:        return "Too many levels of symbolic links";
    case ENAMETOOLONG: return "File name too long";
    case ETXTBSY:      return "Text file busy";
    case EIO:          return "Input/output error";
    case ENOEXEC:      return "Exec format error";
    case EMFILE:       return "Too many open files";
    case ENODEV:       return "No such device";
    default:           return "Unknown error";
    }
}

int ld_fail(struct ld_err *e, int status, const char *fmt, ...)
{
    va_list ap;

    e->status = status;
    va_start(ap, fmt);
    ld_vfmt(e->msg, sizeof(e->msg), fmt, ap);
    va_end(ap);
    return -1;
}
