/* list.c — selctl's commands on the selection list: check, list, explain,
 * hash, add, remove.  Parsing and matching are the loader's own code
 * (selconf/selconf.c, loader/select.c), so what selctl says is what the
 * loader does. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "selconf.h"
#include "selindex.h"                /* file_xxh128() */
#include "selctl.h"

/* The whole file in memory (NUL-terminated), or NULL with errno set. */
static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "re");
    char *buf = NULL;
    size_t cap = 0, n = 0, r;

    if (!f)
        return NULL;
    do {
        if (n + 4096 + 1 > cap) {
            char *nb = realloc(buf, cap = cap * 2 + 8192);
            if (!nb) {
                free(buf);
                fclose(f);
                return NULL;
            }
            buf = nb;
        }
        r = fread(buf + n, 1, 4096, f);
        n += r;
    } while (r > 0);
    fclose(f);
    buf[n] = 0;
    *len = n;
    return buf;
}

struct check_ctx {
    const struct list_set *set;
    const char *file;            /* the list: FILE.rules is beside it */
    unsigned entries, errors;
};

/* lineno: numbered over the set (selconf.h); messages name the file it is
 * in, the list or a drop-in, and the line there. */
static int check_line(const char *line, size_t len, unsigned lineno, void *ctx)
{
    struct check_ctx *c = ctx;
    struct sel_entry e;
    const char *why;
    char where[PATH_MAX + 16];
    int r = selconf_parse_line(line, len, lineno, &e, &why);

    set_where(c->set, lineno, where, sizeof(where));
    if (r < 0) {
        printf("%s: %s\n", where, why);
        c->errors++;
    }
    if (r > 0) {
        warn_privileged(where, &e);   /* a warning, not an error */
        c->errors += check_options(where, &e);
        if (e.kernel && !e.exclude)
            c->errors += check_kernel_entry(c->file, where, line, len, lineno, &e);
    }
    c->entries += r > 0;
    return 0;
}

/* Is this the system list (trusted only if root-owned) or another one (as
 * $RUNSEL_CONFIG: the user's own is accepted)?  A list named by
 * $RUNSEL_CONFIG is a user list whatever its name, as in the loader. */
static int is_user_list(const char *file)
{
    return !strcmp(list_source, "RUNSEL_CONFIG") || strcmp(file, SYSTEM_LIST) != 0;
}

/* Why the loader would ignore the list, or NULL: the list itself, then
 * its drop-in directory and drop-ins (the loader's own checks). */
static const char *trust_of(const char *file)
{
    char real[PATH_MAX];
    const struct sel_dropins *d;
    int fd = open(file, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    const char *why;

    if (fd < 0)
        return strerror(errno);
    why = list_trust(fd, is_user_list(file), real, sizeof(real));
    close(fd);
    if (!why)
        why = select_dropins(real, is_user_list(file), &d);
    return why;
}

int cmd_check(const char *file)
{
    struct list_set set;
    const char *why;

    if (set_read(file, &set)) {
        printf("%s: %s\n", file, strerror(errno));
        return 1;
    }
    struct check_ctx c = {&set, file, 0, 0};
    set_foreach_line(&set, check_line, &c);
    if (!set_usable(&set, stdout))
        c.errors++;
    int ndropins = set.n - 1;
    set_free(&set);
    if ((why = trust_of(file))) {
        printf("%s: ignored by the loader: %s\n", file, why);
        c.errors++;
    }
    /* A stale or damaged index is an error here although the loader copes
     * (it parses the text): the administrator meant the index to be used. */
    switch (index_verdict(file, &why)) {
    case INDEX_FRESH:
        break;
    case INDEX_NONE:
        printf("%s: note: %s\n", file, why);
        break;
    default:
        printf("%s: the compiled index is %s; the loader parses the list until "
               "selctl compile\n", file, why);
        c.errors++;
    }
    if (c.errors)
        return 1;
    printf("%s: ok, %u entr%s", file, c.entries, c.entries == 1 ? "y" : "ies");
    if (ndropins)
        printf(" (the list and %d drop-in%s)", ndropins, ndropins == 1 ? "" : "s");
    printf("\n");
    return 0;
}

static int list_line(const char *line, size_t len, unsigned lineno, void *ctx)
{
    struct sel_entry e;
    const char *why;
    char where[PATH_MAX + 16];

    if (selconf_parse_line(line, len, lineno, &e, &why) <= 0)
        return 0;
    if (lineno < SEL_FILE_STRIDE)   /* the list's own lines: the number alone */
        snprintf(where, sizeof(where), "%u", lineno);
    else
        set_where(ctx, lineno, where, sizeof(where));
    printf("%s\t%s%s%.*s\t%.*s\t%.*s\n", where, e.exclude ? "!" : "",
           e.kind == SEL_HASH ? "xxh128:" : "", (int)e.match.n, e.match.p,
           (int)e.wrapper.n, e.wrapper.p, (int)e.options.n, e.options.p);
    return 0;
}

int cmd_list(const char *file)
{
    struct list_set set;

    if (set_read(file, &set)) {
        fprintf(stderr, "selctl: %s: %s\n", file, strerror(errno));
        return 1;
    }
    printf("line\tmatch\twrapper\toptions\n");
    set_foreach_line(&set, list_line, &set);
    int ok = set_usable(&set, stderr);
    set_free(&set);
    return ok ? 0 : 1;
}

/* "line N" of the list, "line N of DROPIN" of a drop-in. */
static const char *line_name(const struct list_set *set, unsigned line, char *buf, size_t size)
{
    unsigned local;
    const struct list_file *f = set_file_of(set, line, &local);

    if (!f || !f->name)
        snprintf(buf, size, "line %u", line);
    else
        snprintf(buf, size, "line %u of %s", local, f->path);
    return buf;
}

/* The text of line n of the set, for messages: "    FILE:LINE: text". */
static void print_line(const struct list_set *set, unsigned n)
{
    unsigned local;
    const struct list_file *f = set_file_of(set, n, &local);
    size_t start = 0;

    for (unsigned i = 1; f && f->text && start < f->len; i++) {
        size_t end = start;
        while (end < f->len && f->text[end] != '\n')
            end++;
        if (i == local) {
            printf("    %s:%u: %.*s\n", f->path, local, (int)(end - start), f->text + start);
            break;
        }
        start = end + 1;
    }
}

/* A program name as the shell would find it. */
static int open_program(const char *prog, char *found, size_t size)
{
    if (strchr(prog, '/')) {
        /* Not snprintf "%s": gcc 12 with -fsanitize=undefined then warns
         * that prog may be NULL (-Wformat-truncation), breaking make check. */
        size_t n = strnlen(prog, size - 1);
        memcpy(found, prog, n);
        found[n] = 0;
        return open(prog, O_RDONLY | O_CLOEXEC);
    }
    const char *path = getenv("PATH");
    for (const char *p = path ? path : "/usr/bin:/bin"; *p;) {
        const char *colon = strchrnul(p, ':');
        snprintf(found, size, "%.*s/%s", (int)(colon - p), p, prog);
        int fd = open(found, O_RDONLY | O_CLOEXEC);
        if (fd >= 0)
            return fd;
        p = *colon ? colon + 1 : colon;
    }
    errno = ENOENT;
    return -1;
}

/* The stack, outermost first: where each wrapper comes from, its image. */
static void explain_stack(const char *file, const struct list_set *set, const struct selection *sel)
{
    char ln[PATH_MAX + 32];

    if (sel->line)
        printf("selected by %s", line_name(set, sel->line, ln, sizeof(ln)));
    else
        printf("selected");
    if (sel->excluded_line)
        printf(" (excluded by %s, which cannot shed an enforcing wrapper)",
               line_name(set, sel->excluded_line, ln, sizeof(ln)));
    printf(", wrapper ");
    for (int i = 0; i < sel->nitems; i++)
        printf("%s%s", i ? " + " : "", sel->item[i].name);
    printf("\n");
    if (sel->line)
        print_line(set, sel->line);
    for (int i = 0; i < sel->nitems; i++) {
        const struct sel_item *it = &sel->item[i];
        unsigned local;
        const struct list_file *f = set_file_of(set, it->line, &local);
        if (sel->nitems > 1 || it->inherited || it->enforces)
            printf("    %d. wrapper %s%s%s, from %s line %u\n", i + 1, it->name,
                   it->enforces ? " (enforces a policy)" : "",
                   it->inherited ? " (inherited from the parent: $RUNSEL_SELECTED)" : "",
                   !it->line ? "runsel's request" : f ? f->path : file, local);
        printf("    wrapper image %s: %s\n", it->path, it->problem ? it->problem : "usable");
        explain_rules(file, it);
    }
    if (sel->problem && sel->problem_item < 0)
        printf("    the stack cannot be used: %s\n", sel->problem);
}

int cmd_explain(const char *file, const char *prog)
{
    char found[PATH_MAX], real[PATH_MAX], proc[64], ln[PATH_MAX + 32];
    static struct selection sel;   /* large */
    struct list_set set = {0};
    int fd = open_program(prog, found, sizeof(found));

    if (fd < 0) {
        fprintf(stderr, "selctl: %s: %s\n", prog, strerror(errno));
        return 1;
    }
    snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
    ssize_t n = readlink(proc, real, sizeof(real) - 1);
    real[n > 0 ? n : 0] = 0;
    struct select_request rq = {
        .list = file, .user_list = is_user_list(file),
        .wrapper_dir = getenv("RUNSEL_WRAPPER_DIR"), .inherited = getenv("RUNSEL_SELECTED"),
    };
    select_program(&rq, fd, &sel);
    select_close(&sel);
    close(fd);
    set_read(file, &set);          /* for the lines' text; may fail: then none */
    printf("%s (real path %s): ", found, real);
    if (access(file, F_OK) != 0)
        printf("not selected: %s does not exist\n", file);
    else if (sel.why_not)
        printf("not selected: %s is ignored: %s\n", file, sel.why_not);
    else if (sel.excluded_line && !sel.nitems) {
        printf("not selected: excluded by %s\n", line_name(&set, sel.excluded_line, ln, sizeof(ln)));
        print_line(&set, sel.excluded_line);
    } else if (sel.nitems || sel.problem) {
        explain_stack(file, &set, &sel);
    } else {
        printf("not selected: no entry of %s matches\n", file);
    }
    if (!sel.why_not && access(file, F_OK) == 0)
        printf("    (decided by %s%s)\n", sel.via_index ? "the compiled index" : "parsing the list",
               sel.hash_cached ? "; program hash from the cache" : "");
    printf("    (list %s: %s)\n", file, list_source_text());
    set_free(&set);
    return 0;
}

/* Print the value that selects prog by content, and remember it in the
 * list's hash cache when we may write there, so the loader need not read
 * the whole program on each exec. */
int cmd_hash(const char *file, const char *prog)
{
    unsigned char h[16];
    struct stat st;
    int fd = open(prog, O_RDONLY | O_CLOEXEC);

    if (fd < 0 || fstat(fd, &st) || file_xxh128(fd, h)) {
        fprintf(stderr, "selctl: %s: %s\n", prog, strerror(errno));
        return 1;
    }
    close(fd);
    printf("xxh128:");
    for (int i = 0; i < 16; i++)
        printf("%02x", h[i]);
    printf("  %s\n", prog);
    if (access(file, W_OK) == 0 && hcache_add(file, &st, h))
        fprintf(stderr, "selctl: note: %s.hcache not updated: %s\n", file, strerror(errno));
    return 0;
}

/* Replace file's contents atomically: temp file in the same directory,
 * fsync, rename.  A reader (the loader) sees the old or the new list,
 * never a torn one.  Owner and mode of an existing list are kept. */
static int replace_file(const char *file, const char *text, size_t len)
{
    char tmp[PATH_MAX];
    struct stat st;
    int have = stat(file, &st) == 0;
    int fd;

    snprintf(tmp, sizeof(tmp), "%s.XXXXXX", file);
    fd = mkstemp(tmp);
    if (fd < 0)
        return -1;
    if (write(fd, text, len) != (ssize_t)len || fchmod(fd, have ? st.st_mode & 07777 : 0644) ||
        (have && fchown(fd, st.st_uid, st.st_gid) && errno != EPERM) || fsync(fd) ||
        close(fd) || rename(tmp, file)) {
        int err = errno;
        unlink(tmp);
        errno = err;
        return -1;
    }
    return 0;
}

struct find_ctx {
    const char *match;
    unsigned found;
    const char *line;            /* the entry found: its text, to the comment */
    size_t len;
};

static int same_match(const char *line, size_t len, const char *match)
{
    size_t i = 0, n = strlen(match);

    while (i < len && (line[i] == ' ' || line[i] == '\t'))
        i++;
    return len - i >= n && !memcmp(line + i, match, n) &&
           (i + n == len || line[i + n] == ' ' || line[i + n] == '\t' || line[i + n] == '#');
}

static int find_line(const char *line, size_t len, unsigned lineno, void *ctx)
{
    struct find_ctx *f = ctx;

    if (same_match(line, len, f->match)) {
        f->found = lineno;
        f->line = line;
        f->len = len;
        return 1;
    }
    return 0;
}

/* Do two entries say the same: the same words, however spaced, a comment
 * aside? */
static int same_words(const char *a, size_t an, const char *b, size_t bn)
{
    size_t i = 0, j = 0;

    for (;;) {
        while (i < an && (a[i] == ' ' || a[i] == '\t'))
            i++;
        while (j < bn && (b[j] == ' ' || b[j] == '\t'))
            j++;
        int ea = i == an || a[i] == '#', eb = j == bn || b[j] == '#';
        if (ea || eb)
            return ea && eb;
        while (i < an && j < bn && a[i] == b[j] && a[i] != ' ' && a[i] != '\t' && a[i] != '#')
            i++, j++;
        int wa = i == an || a[i] == ' ' || a[i] == '\t' || a[i] == '#';
        int wb = j == bn || b[j] == ' ' || b[j] == '\t' || b[j] == '#';
        if (!wa || !wb)
            return 0;
    }
}

/* The list's text, or NULL with *len 0 when it does not exist yet. */
static int read_for_edit(const char *file, char **text, size_t *len)
{
    *len = 0;
    *text = slurp(file, len);
    if (!*text && errno != ENOENT) {
        fprintf(stderr, "selctl: %s: %s\n", file, strerror(errno));
        return -1;
    }
    return 0;
}

/* The first drop-in line for f->match, in *f (its file in *where); 0 if none.
 * Edits write the list only: a drop-in is the file of whoever dropped it
 * in (a package, configuration management), which selctl leaves alone. */
static int find_in_dropins(const char *file, struct find_ctx *f,
                           char *where, size_t size, char **keep)
{
    struct list_set set;

    *keep = NULL;
    if (set_read(file, &set))
        return 0;
    for (int k = 1; k < set.n; k++) {
        f->found = 0;
        if (set.f[k].text && selconf_foreach_line(set.f[k].text, set.f[k].len, find_line, f)) {
            snprintf(where, size, "%s:%u", set.f[k].path, f->found);
            *keep = set.f[k].text;    /* f->line points into it */
            set.f[k].text = NULL;
            set_free(&set);
            return 1;
        }
    }
    set_free(&set);
    return 0;
}

/* Append line to the list unless its MATCH is listed; caller holds the
 * lock.  Idempotent, as configuration management runs it again and
 * again: the same entry listed already is success, and nothing changes;
 * another entry for the same MATCH is an error (which one is meant is the
 * administrator's to say). */
static int add_locked(const char *file, const char *match, const char *line, size_t n)
{
    struct find_ctx f = {match, 0, NULL, 0};
    size_t len, o = 0;
    char *text;

    if (read_for_edit(file, &text, &len))
        return 1;
    if (text && selconf_foreach_line(text, len, find_line, &f)) {
        int same = same_words(f.line, f.len, line, n);
        if (same)
            fprintf(stderr, "selctl: %s:%u lists this entry already: nothing to change\n", file,
                    f.found);
        else
            fprintf(stderr, "selctl: %s is listed at %s:%u with another entry (%.*s): remove it "
                    "first\n", match, file, f.found, (int)f.len, f.line);
        free(text);
        return same ? 0 : 1;
    }
    /* Listed in a drop-in: the same entry is there already; another one
     * would be shadowed by (or shadow) the one added here, so it is the
     * administrator's to change in that file. */
    char where[PATH_MAX + 16], *keep;
    if (text && find_in_dropins(file, &f, where, sizeof(where), &keep)) {
        int same = same_words(f.line, f.len, line, n);
        if (same)
            fprintf(stderr, "selctl: %s lists this entry already: nothing to change\n", where);
        else
            fprintf(stderr, "selctl: %s is listed at %s with another entry (%.*s): change that "
                    "drop-in (selctl edits only %s)\n", match, where, (int)f.len, f.line, file);
        free(keep);
        free(text);
        return same ? 0 : 1;
    }
    char *out = malloc(len + n + 3);
    if (!out)
        die("out of memory");
    if (text) {
        memcpy(out, text, len);
        o = len;
        if (o && out[o - 1] != '\n')
            out[o++] = '\n';
    }
    memcpy(out + o, line, n);
    o += n;
    out[o++] = '\n';
    int r = replace_file(file, out, o);
    if (r)
        fprintf(stderr, "selctl: %s: %s\n", file, strerror(errno));
    free(out);
    free(text);
    return r ? 1 : compile_locked(file, 1);
}

/* Edits hold the list's lock from reading it to recompiling its index
 * (lock.c), so concurrent edits are applied one after the other. */
int cmd_add(const char *file, int argc, char **argv)
{
    char line[SEL_MAX_LINE + 2], where[PATH_MAX + 16];
    size_t n = 0;
    struct sel_entry e;
    const char *why;
    struct list_lock lk;

    if (check_words("add", argc, argv))
        return EXIT_USAGE;
    for (int i = 0; i < argc && n < sizeof(line) - 1; i++)
        n += (size_t)snprintf(line + n, sizeof(line) - n, "%s%s", i ? " " : "", argv[i]);
    if (n >= sizeof(line) - 1 || selconf_parse_line(line, n, 1, &e, &why) != 1) {
        fprintf(stderr, "selctl: add: %s\n", n >= sizeof(line) - 1 ? "line too long" : why);
        return EXIT_USAGE;
    }
    if (lock_list(file, &lk))
        return 1;
    int r = add_locked(file, argv[0], line, n);
    unlock_list(&lk);
    snprintf(where, sizeof(where), "%s (entry for %s)", file, argv[0]);
    if (!r)
        warn_privileged(where, &e);   /* the entry stays: a warning */
    return r;
}

/* Drop every line for match; caller holds the lock. */
static int remove_locked(const char *file, const char *match)
{
    size_t len, o = 0, start = 0;
    unsigned removed = 0;
    char *text = slurp(file, &len);

    if (!text && errno == ENOENT) {   /* idempotent: nothing listed, nothing to remove */
        fprintf(stderr, "selctl: %s does not exist: no entry for %s to remove\n", file, match);
        return 0;
    }
    if (!text) {
        fprintf(stderr, "selctl: %s: %s\n", file, strerror(errno));
        return 1;
    }
    char *out = malloc(len + 1);
    if (!out)
        die("out of memory");
    while (start < len) {
        size_t end = start;
        while (end < len && text[end] != '\n')
            end++;
        size_t next = end < len ? end + 1 : end;
        if (same_match(text + start, end - start, match))
            removed++;
        else {
            memcpy(out + o, text + start, next - start);
            o += next - start;
        }
        start = next;
    }
    if (!removed) {                   /* idempotent: absent already */
        fprintf(stderr, "selctl: %s: no entry for %s: nothing to change\n", file, match);
        free(out);
        free(text);
        return 0;
    }
    int r = replace_file(file, out, o);
    if (r)
        fprintf(stderr, "selctl: %s: %s\n", file, strerror(errno));
    free(out);
    free(text);
    return r ? 1 : compile_locked(file, 1);
}

/* After remove: an entry for match left in a drop-in still selects, and
 * selctl does not edit drop-ins: say so and fail, so that configuration
 * management does not take the program for unlisted. */
static int still_in_dropins(const char *file, const char *match)
{
    struct find_ctx f = {match, 0, NULL, 0};
    char where[PATH_MAX + 16], *keep;

    if (!find_in_dropins(file, &f, where, sizeof(where), &keep))
        return 0;
    fprintf(stderr, "selctl: %s is still listed at %s (%.*s): remove it from that drop-in "
            "(selctl edits only %s)\n", match, where, (int)f.len, f.line, file);
    free(keep);
    return 1;
}

int cmd_remove(const char *file, const char *match)
{
    struct list_lock lk;
    char *words[] = {(char *)match};

    if (check_words("remove", 1, words))
        return EXIT_USAGE;
    if (lock_list(file, &lk))
        return 1;
    int r = remove_locked(file, match);
    if (!r)
        r = still_in_dropins(file, match);
    unlock_list(&lk);
    return r;
}

/* "drop-ins: DIR: N" when the list has a drop-in directory. */
static void print_dropins(const char *file)
{
    struct list_set set;
    struct stat st;

    if (set_read(file, &set))
        return;
    if (stat(set.dir, &st) == 0)
        printf("drop-ins: %s: %d\n", set.dir, set.n - 1);
    set_free(&set);
}

void list_status(const char *file)
{
    const char *why;

    if (access(file, F_OK) != 0) {
        printf("selection list: %s: missing (nothing is selected)\n", file);
    } else {
        why = trust_of(file);
        printf("selection list: %s: %s%s\n", file, why ? "IGNORED: " : "trusted",
               why ? why : "");
        print_dropins(file);
        why = index_state(file);
        printf("compiled index: %s\n", why ? why : "fresh (one probe per exec)");
    }
}
