/* fmt.c — snprintf for wrappers: the common conversions, no floating
 * point, no allocation, re-entrant. */
#include <runsel/wrapper.h>

struct out {
    char *p;
    size_t left;      /* room for characters, excluding the final NUL */
    size_t total;     /* characters the full result has */
};

static void put(struct out *o, char c)
{
    if (o->left) {
        *o->p++ = c;
        o->left--;
    }
    o->total++;
}

static void pad(struct out *o, char c, int n)
{
    while (n-- > 0)
        put(o, c);
}

struct spec {
    int left, zero, alt, plus, space;
    int width, prec;  /* -1: none */
    int size;         /* 0 int, 1 long, 2 long long, -1 short, -2 char, 3 size_t */
};

static void put_num(struct out *o, const struct spec *sp, unsigned long v, unsigned base,
                    int neg, int upper)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char tmp[24];
    int n = 0, len, zeros = 0;
    const char *prefix = neg ? "-" : sp->plus ? "+" : sp->space ? " " : "";

    if (v || sp->prec != 0)
        do {
            tmp[n++] = digits[v % base];
            v /= base;
        } while (v);
    if (sp->alt && base == 16 && n && !(n == 1 && tmp[0] == '0'))
        prefix = upper ? "0X" : "0x";
    if (sp->alt && base == 8 && (n == 0 || tmp[n - 1] != '0'))
        tmp[n++] = '0';
    if (sp->prec > n)
        zeros = sp->prec - n;
    len = n + zeros + (int)rs_strlen(prefix);
    if (sp->zero && !sp->left && sp->prec < 0 && sp->width > len) {
        zeros += sp->width - len;
        len = sp->width;
    }
    if (!sp->left)
        pad(o, ' ', sp->width - len);
    while (*prefix)
        put(o, *prefix++);
    pad(o, '0', zeros);
    while (n)
        put(o, tmp[--n]);
    if (sp->left)
        pad(o, ' ', sp->width - len);
}

static void put_str(struct out *o, const struct spec *sp, const char *s)
{
    int n = 0;

    if (!s)
        s = "(null)";
    while ((sp->prec < 0 || n < sp->prec) && s[n])
        n++;
    if (!sp->left)
        pad(o, ' ', sp->width - n);
    for (int i = 0; i < n; i++)
        put(o, s[i]);
    if (sp->left)
        pad(o, ' ', sp->width - n);
}

static const char *parse_spec(const char *f, struct spec *sp, va_list *ap)
{
    *sp = (struct spec){.width = -1, .prec = -1};
    for (;; f++) {
        if (*f == '-') sp->left = 1;
        else if (*f == '0') sp->zero = 1;
        else if (*f == '#') sp->alt = 1;
        else if (*f == '+') sp->plus = 1;
        else if (*f == ' ') sp->space = 1;
        else break;
    }
    if (*f == '*') {
        sp->width = va_arg(*ap, int);
        if (sp->width < 0)
            sp->left = 1, sp->width = -sp->width;
        f++;
    } else {
        for (; *f >= '0' && *f <= '9'; f++)
            sp->width = (sp->width < 0 ? 0 : sp->width * 10) + (*f - '0');
    }
    if (*f == '.') {
        f++;
        sp->prec = 0;
        if (*f == '*') {
            sp->prec = va_arg(*ap, int);
            f++;
        } else {
            for (; *f >= '0' && *f <= '9'; f++)
                sp->prec = sp->prec * 10 + (*f - '0');
        }
    }
    for (;; f++) {
        if (*f == 'l') sp->size = sp->size == 1 ? 2 : 1;
        else if (*f == 'h') sp->size = sp->size == -1 ? -2 : -1;
        else if (*f == 'z' || *f == 'j' || *f == 't') sp->size = 3;
        else break;
    }
    return f;
}

static unsigned long get_unsigned(const struct spec *sp, va_list *ap)
{
    switch (sp->size) {
    case 0: return va_arg(*ap, unsigned);
    case -1: return (unsigned short)va_arg(*ap, unsigned);
    case -2: return (unsigned char)va_arg(*ap, unsigned);
    default: return va_arg(*ap, unsigned long);
    }
}

static long get_signed(const struct spec *sp, va_list *ap)
{
    switch (sp->size) {
    case 0: return va_arg(*ap, int);
    case -1: return (short)va_arg(*ap, int);
    case -2: return (signed char)va_arg(*ap, int);
    default: return va_arg(*ap, long);
    }
}

size_t rs_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap0)
{
    struct out o = {buf, size ? size - 1 : 0, 0};
    struct spec sp;
    va_list ap;

    va_copy(ap, ap0);
    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            put(&o, *fmt);
            continue;
        }
        fmt = parse_spec(fmt + 1, &sp, &ap);
        switch (*fmt) {
        case 'd': case 'i': {
            long v = get_signed(&sp, &ap);
            put_num(&o, &sp, v < 0 ? -(unsigned long)v : (unsigned long)v, 10, v < 0, 0);
            break;
        }
        case 'u': put_num(&o, &sp, get_unsigned(&sp, &ap), 10, 0, 0); break;
        case 'x': put_num(&o, &sp, get_unsigned(&sp, &ap), 16, 0, 0); break;
        case 'X': put_num(&o, &sp, get_unsigned(&sp, &ap), 16, 0, 1); break;
        case 'o': put_num(&o, &sp, get_unsigned(&sp, &ap), 8, 0, 0); break;
        case 'p':
            sp.alt = 1;
            put_num(&o, &sp, (unsigned long)va_arg(ap, void *), 16, 0, 0);
            break;
        case 'c': {        /* a NUL character too: counted and padded */
            char c = (char)va_arg(ap, int);
            if (!sp.left)
                pad(&o, ' ', sp.width - 1);
            put(&o, c);
            if (sp.left)
                pad(&o, ' ', sp.width - 1);
            break;
        }
        case 's': put_str(&o, &sp, va_arg(ap, const char *)); break;
        case '%': put(&o, '%'); break;
        case 0: fmt--; break;
        default: put(&o, '%'); put(&o, *fmt); break;
        }
    }
    va_end(ap);
    if (size)
        *o.p = 0;
    return o.total;
}

size_t rs_snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    size_t n;

    va_start(ap, fmt);
    n = rs_vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

long rs_write_all(int fd, const void *buf, size_t len)
{
    const char *p = buf;
    size_t done = 0;

    while (done < len) {
        long r = rs_syscall(SYS_write, fd, p + done, len - done);
        if (r == -EINTR)
            continue;
        if (r <= 0)
            return r < 0 ? r : -EIO;
        done += (size_t)r;
    }
    return (long)done;
}

long rs_dprintf(int fd, const char *fmt, ...)
{
    char buf[2048];
    va_list ap;
    size_t n;

    va_start(ap, fmt);
    n = rs_vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    return rs_write_all(fd, buf, n < sizeof(buf) ? n : sizeof(buf) - 1);
}
