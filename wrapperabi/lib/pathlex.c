/* pathlex.c — lexical path arithmetic: normalising "//", "." and "..",
 * and joining a name to a directory.  No system calls and no other
 * runtime function (only memmove): tests/unit/sandboxcheck.c compiles
 * this file on the host as it is. */
#include <runsel/wrapper.h>

/* Append the components of p to the normalised absolute path out[0..*n),
 * resolving "." and ".." as it goes.  A component that does not fit is
 * not written but counted in *over (as are those after it), and a ".."
 * takes one of those back first: the answer is the same as with an
 * unbounded buffer, and only a result that does not fit fails. */
static void append(char *out, size_t *n, size_t size, const char *p, size_t *over)
{
    while (*p) {
        while (*p == '/')
            p++;
        const char *c = p;
        while (*p && *p != '/')
            p++;
        size_t len = (size_t)(p - c);
        if (len == 0 || (len == 1 && c[0] == '.'))
            continue;
        if (len == 2 && c[0] == '.' && c[1] == '.') {
            if (*over) {
                --*over;
                continue;
            }
            while (*n > 1 && out[*n - 1] != '/')
                --*n;
            if (*n > 1)
                --*n;
            continue;
        }
        if (*over || *n + (*n > 1) + len + 1 > size) {
            ++*over;
            continue;
        }
        if (*n > 1)
            out[(*n)++] = '/';
        memmove(out + *n, c, len);
        *n += len;
    }
}

/* Collapse "//", "." and ".." of an absolute path; ".." at / stays at /.
 * in and out may be the same buffer: the result is never longer. */
int rs_path_normalize(const char *in, char *out, size_t size)
{
    if (!in)
        return -EFAULT;
    if (in[0] != '/' || size < 2)
        return -EINVAL;
    return rs_path_join("/", in, out, size);
}

int rs_path_join(const char *dir, const char *path, char *out, size_t size)
{
    size_t n = 1, over = 0;

    if (!path || !dir)
        return -EFAULT;
    if (dir[0] != '/' && path[0] != '/')
        return -EINVAL;
    if (size < 2)
        return -ENAMETOOLONG;
    /* out may be dir: writing never overtakes reading ("/" first, then at
     * most one byte per byte of dir consumed) */
    out[0] = '/';
    if (path[0] != '/')
        append(out, &n, size, dir, &over);
    append(out, &n, size, path, &over);
    if (over)
        return -ENAMETOOLONG;
    out[n] = 0;
    return 0;
}
