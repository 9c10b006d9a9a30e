/* set.c — the list and its drop-ins (LIST.d/NAME.conf, selconf.h) as
 * selctl reads them for check, list, explain, compile and the index check.
 * Every drop-in is read here, trusted or not, so that check can report the
 * lines of each; whether the loader would use them is the loader's own
 * code's to say (select_dropins, loader/select.c).  Names are chosen and
 * ordered as the loader does: selconf_dropin_name, strcmp. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "selconf.h"
#include "selctl.h"

/* The drop-in directory: beside the list's real path, as the loader
 * looks for it (the list may be a symbolic link). */
static void dropin_dir(const char *file, char *dir, size_t size)
{
    char real[PATH_MAX];

    if ((size_t)snprintf(dir, size, "%s.d", realpath(file, real) ? real : file) >= size)
        die("%s: path too long", file);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The drop-in names of dir, sorted; *n of them (0 and NULL: none). */
static char **dropin_names(const char *dir, int *n)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char **names = NULL;
    int cap = 0;

    *n = 0;
    if (!d)
        return NULL;
    while ((e = readdir(d))) {
        if (!selconf_dropin_name(e->d_name, strlen(e->d_name)))
            continue;
        if (*n == cap && !(names = realloc(names, (size_t)(cap = cap * 2 + 16) * sizeof(*names))))
            die("out of memory");
        if (!(names[(*n)++] = strdup(e->d_name)))
            die("out of memory");
    }
    closedir(d);
    qsort(names, (size_t)*n, sizeof(*names), by_name);
    return names;
}

/* Why a drop-in cannot be read (errno from read_list_flags). */
static const char *read_error(int err)
{
    if (err == ELOOP)
        return "it is a symbolic link (a drop-in may not be one)";
    if (err == EINVAL)
        return "it is not a regular file";
    return strerror(err);
}

static int no_line(const char *line, size_t len, unsigned lineno, void *ctx)
{
    (void)line, (void)len, (void)lineno, (void)ctx;
    return 0;
}

/* More lines than the numbering gives a file (selconf.h)? */
static int too_many_lines(const char *text, size_t len)
{
    int too_many;

    selconf_foreach_file_line(text, len, 0, no_line, NULL, &too_many);
    return too_many;
}

static void read_dropin(struct list_file *f)
{
    f->text = read_list_flags(f->path, O_NOFOLLOW, &f->st, &f->len);
    if (!f->text)
        f->err = read_error(errno);
    else if (f->len > SEL_MAX_DROPIN_SIZE) {
        free(f->text);
        f->text = NULL;
        f->err = "it is larger than 16 MiB";
    } else if (too_many_lines(f->text, f->len)) {
        free(f->text);
        f->text = NULL;
        f->err = "it has more than 999999 lines";
    }
}

int set_read(const char *file, struct list_set *s)
{
    char **names;
    int n, total;

    memset(s, 0, sizeof(*s));
    dropin_dir(file, s->dir, sizeof(s->dir));
    names = dropin_names(s->dir, &total);
    n = total;
    s->too_many = n > SEL_MAX_DROPINS;
    if (n > SEL_MAX_DROPINS)
        n = SEL_MAX_DROPINS;   /* the loader reads none of them: check says so */
    s->f = calloc((size_t)n + 1, sizeof(*s->f));
    if (!s->f)
        die("out of memory");
    snprintf(s->f[0].path, sizeof(s->f[0].path), "%s", file);
    s->f[0].text = read_list(file, &s->f[0].st, &s->f[0].len);
    int err = errno;
    for (int i = 0; i < n; i++) {
        struct list_file *f = &s->f[1 + i];
        f->name = f->path + strlen(s->dir) + 1;
        if ((size_t)snprintf(f->path, sizeof(f->path), "%s/%s", s->dir, names[i]) >=
            sizeof(f->path))
            f->err = "its path is too long";
        else
            read_dropin(f);
    }
    for (int i = 0; i < total; i++)
        free(names[i]);
    free(names);
    s->n = n + 1;
    if (!s->f[0].text) {
        set_free(s);
        errno = err;
        return -1;
    }
    s->main_too_long = too_many_lines(s->f[0].text, s->f[0].len);
    return 0;
}

void set_free(struct list_set *s)
{
    for (int i = 0; s->f && i < s->n; i++)
        free(s->f[i].text);
    free(s->f);
    s->f = NULL;
    s->n = 0;
}

/* A file with too many lines gives the lines it may have (the loader
 * ignores the list then: set_usable says so). */
int set_foreach_line(const struct list_set *s, selconf_line_fn fn, void *ctx)
{
    for (int k = 0; k < s->n; k++) {
        int r = s->f[k].text ? selconf_foreach_file_line(s->f[k].text, s->f[k].len, (unsigned)k,
                                                         fn, ctx, NULL)
                             : 0;
        if (r)
            return r;
    }
    return 0;
}

const struct list_file *set_file_of(const struct list_set *s, unsigned line, unsigned *local)
{
    unsigned k = line / SEL_FILE_STRIDE;

    *local = line % SEL_FILE_STRIDE;
    return k < (unsigned)s->n ? &s->f[k] : NULL;
}

const char *set_where(const struct list_set *s, unsigned line, char *buf, size_t size)
{
    unsigned local;
    const struct list_file *f = set_file_of(s, line, &local);

    snprintf(buf, size, "%s:%u", f ? f->path : "?", local);
    return buf;
}

/* One problem of the set, to out: on stderr as selctl's message, else
 * (check's report) as it is. */
__attribute__((format(printf, 2, 3)))
static void problem(FILE *out, const char *fmt, ...)
{
    va_list ap;

    if (!out)
        return;
    if (out == stderr)
        fputs("selctl: ", out);
    va_start(ap, fmt);
    vfprintf(out, fmt, ap);
    va_end(ap);
}

int set_usable(const struct list_set *s, FILE *out)
{
    int bad = 0;

    for (int k = 1; k < s->n; k++)
        if (s->f[k].err) {
            problem(out, "%s: cannot be read: %s\n", s->f[k].path, s->f[k].err);
            bad = 1;
        }
    if (s->main_too_long) {
        problem(out, "%s: more than %u lines: the loader ignores the list\n", s->f[0].path,
                SEL_MAX_FILE_LINES);
        bad = 1;
    }
    if (s->too_many) {
        problem(out, "%s: more than %d drop-ins: the loader ignores the list\n", s->dir,
                SEL_MAX_DROPINS);
        bad = 1;
    }
    return !bad;
}
