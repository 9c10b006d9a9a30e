/* sandboxcheck.c — table test of the sandbox's path decisions, compiled
 * on the host from the wrapper's own sources: the lexical join and
 * normalisation (wrapperabi/lib/pathlex.c, in the host build of the
 * runtime, tests/unitlib.mk) and the policy that needs no system call
 * (wrapperabi/wrappers/sandbox_policy.h, included here).  Rows of {input,
 * expected}, in rows.h's form: "ok GROUP (N rows)", or "not ok GROUP: row
 * N: why" for each row that failed; exits 1 if any failed. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <runsel/wrapper.h>

#include "rows.h"
#include "sandbox_policy.h"

#define PM 4096

static const char *err_name(int e)
{
    static char buf[32];

    switch (e) {
    case 0: return "0";
    case -EINVAL: return "EINVAL";
    case -ENAMETOOLONG: return "ENAMETOOLONG";
    case -EFAULT: return "EFAULT";
    }
    snprintf(buf, sizeof(buf), "%d", e);
    return buf;
}

/* ---- rs_path_normalize / rs_path_join: {dir, path, size, expected}; an
 * expected result starting with '/' is a path, anything else the error. */
struct join_row {
    const char *dir, *path;
    size_t size;
    const char *want;
};

static char long_dir[PM], long_name[PM], long_want[PM];

static const struct join_row normalize_rows[] = {
    {NULL, "/", PM, "/"},
    {NULL, "//", PM, "/"},
    {NULL, "/a/b/c", PM, "/a/b/c"},
    {NULL, "/a//b///c/", PM, "/a/b/c"},
    {NULL, "/a/./b/.", PM, "/a/b"},
    {NULL, "/a/b/..", PM, "/a"},
    {NULL, "/a/b/../../..", PM, "/"},
    {NULL, "/..", PM, "/"},
    {NULL, "/../etc/passwd", PM, "/etc/passwd"},
    {NULL, "/a/.../b", PM, "/a/.../b"},
    {NULL, "/a/..b/.c", PM, "/a/..b/.c"},
    {NULL, "a/b", PM, "EINVAL"},
    {NULL, "", PM, "EINVAL"},
    {NULL, "/abc", 1, "EINVAL"},
    {NULL, "/abc", 4, "ENAMETOOLONG"},
    {NULL, "/abc", 5, "/abc"},
    {NULL, "/abc/../de", 4, "/de"},
};

static struct join_row join_rows[] = {
    {"/home/u", "f", PM, "/home/u/f"},
    {"/home/u", "./f", PM, "/home/u/f"},
    {"/home/u", "../v/f", PM, "/home/v/f"},
    {"/home/u", "../../../../etc", PM, "/etc"},
    {"/home/u/", "sub/", PM, "/home/u/sub"},
    {"/home/u", "/abs/x", PM, "/abs/x"},
    {"/", "x", PM, "/x"},
    {"/", "..", PM, "/"},
    {"/home/./u/../w", "x", PM, "/home/w/x"},
    {"/home/u", "", PM, "/home/u"},
    {"/home/u", ".", PM, "/home/u"},
    {"relative", "x", PM, "EINVAL"},
    {"relative", "/abs", PM, "/abs"},
    {"/d", "abc", 7, "/d/abc"},
    {"/d", "abcd", 7, "ENAMETOOLONG"},
    /* a component that does not fit, then ".." takes it back */
    {"/d", "abcdefgh/../x", 6, "/d/x"},
    {"/d", "abcdefgh/ijk/../../x", 6, "/d/x"},
    {"/d", "abcdefgh/../../../x", 6, "/x"},
    {"/d", "abcdefgh/..x", 6, "ENAMETOOLONG"},
    /* a deep cwd, a name through a long directory of it and back up */
    {long_dir, long_name, PM, long_want},
};

/* The deep row: a cwd of 20 components of 200 bytes (4020), a name
 * "eee(250)/../" then 19 times "../" then "x": joined, the prefix passes
 * PM at "eee..."; the result is the first component and "x". */
static void make_long_rows(void)
{
    size_t n = 0;

    for (int i = 0; i < 20; i++) {
        long_dir[n++] = '/';
        memset(long_dir + n, 'd', 200);
        n += 200;
    }
    long_dir[n] = 0;
    memset(long_name, 'e', 250);
    n = 250;
    for (int i = 0; i < 20; i++) {
        memcpy(long_name + n, "/..", 3);
        n += 3;
    }
    strcpy(long_name + n, "/x");
    memcpy(long_want, long_dir, 201);
    strcpy(long_want + 201, "/x");
}

static void check_join(const char *group, const struct join_row *rows, size_t nrows)
{
    static char out[PM], buf[PM];

    rows_begin(group);
    for (size_t i = 0; i < nrows; i++) {
        const struct join_row *r = &rows[i];
        memset(out, 'X', sizeof(out));
        int e = r->dir ? rs_path_join(r->dir, r->path, out, r->size)
                       : rs_path_normalize(r->path, out, r->size);
        const char *got = e ? err_name(e) : out;
        rows_check(!strcmp(got, r->want), "row %zu: got '%.80s', want '%.80s'", i + 1, got, r->want);
        /* in place: out may be the input */
        if (r->dir && r->dir[0] == '/' && strlen(r->dir) < r->size) {
            strcpy(buf, r->dir);
            e = rs_path_join(buf, r->path, buf, r->size);
            got = e ? err_name(e) : buf;
            rows_check(!strcmp(got, r->want), "row %zu: in place: got '%.80s', want '%.80s'", i + 1,
                       got, r->want);
        } else if (!r->dir && strlen(r->path) < r->size) {
            strcpy(buf, r->path);
            e = rs_path_normalize(buf, buf, r->size);
            got = e ? err_name(e) : buf;
            rows_check(!strcmp(got, r->want), "row %zu: in place: got '%.80s', want '%.80s'", i + 1,
                       got, r->want);
        }
    }
    rows_end();
}

/* ---- allow-write: the policy below, {path, kind, expected} for the
 * lexical check (either name of a directory, or an fd reopened) and for
 * the real check (the real paths only). */
static const struct dir policy[] = {
    {"/home/u/proj", "/data/proj", 12, 10},      /* given through a symlink */
    {"/tmp/build", "/tmp/build", 10, 10},
};
static const struct dir root_policy[] = {{"/", "/", 1, 1}};

struct decide_row {
    const char *path;
    int kind;
    int want_lexical, want_real;
};

static const struct decide_row decide_rows[] = {
    {"/home/u/proj/f", ENTRY, 1, 0},             /* the real check knows only /data/proj */
    {"/data/proj/f", ENTRY, 1, 1},
    {"/data/proj/a/b/c", CREATE, 1, 1},
    {"/home/u/proj", ATTR, 1, 0},                /* the directory itself may change ... */
    {"/data/proj", ATTR, 1, 1},
    {"/data/proj", ENTRY, 0, 0},                 /* ... but not be removed or renamed */
    {"/data/proj", CREATE, 0, 0},
    {"/data/projects/f", ENTRY, 0, 0},           /* a prefix is not a parent */
    {"/data/pro", ATTR, 0, 0},
    {"/data", ATTR, 0, 0},
    {"/tmp/build/x", ENTRY, 1, 1},
    {"/tmp/buildx", ENTRY, 0, 0},
    {"/tmp/x", CREATE, 0, 0},
    {"/etc/passwd", ATTR, 0, 0},
    {"/dev/null", ATTR, 1, 1},                   /* devices: always writable ... */
    {"/dev/null", CREATE, 1, 1},
    {"/dev/null", ENTRY, 0, 0},                  /* ... but not removable */
    {"/dev/pts/3", ATTR, 1, 1},
    {"/dev/pts/", ATTR, 0, 0},
    {"/dev/ptmx", CREATE, 1, 1},
    {"/dev/sda", ATTR, 0, 0},
    {"/dev/shm/x", CREATE, 0, 0},
    {"/dev/stdout", ATTR, 1, 0},                 /* fd reopened: lexically let through */
    {"/dev/fd/3", CREATE, 1, 0},
    {"/proc/self/fd/12", ATTR, 1, 0},
    {"/proc/thread-self/fd/0", ATTR, 1, 0},
    {"/dev/fd/3", ENTRY, 0, 0},                  /* unlink of an fd alias: a real name */
    {"/dev/fd/x", ATTR, 0, 0},
    {"/dev/fd/", ATTR, 0, 0},
    {"/proc/self/fd/1/x", ATTR, 0, 0},
    {"/proc/1/fd/3", ATTR, 0, 0},                /* another process's fd: not an alias */
};

static const struct decide_row root_rows[] = {
    {"/anything", ENTRY, 1, 1},
    {"/", ATTR, 1, 1},
    {"/", ENTRY, 0, 0},                          /* "/" itself cannot be removed */
};

static void check_decide(const char *group, const struct dir *dirs, int ndirs,
                         const struct decide_row *rows, size_t nrows)
{
    static const char *const kinds[] = {"ATTR", "ENTRY", "CREATE"};

    rows_begin(group);
    for (size_t i = 0; i < nrows; i++) {
        const struct decide_row *r = &rows[i];
        int lex = lexical_allowed(dirs, ndirs, r->path, r->kind);
        int real = inside_dirs(dirs, ndirs, r->path, r->kind, 1);
        rows_check(lex == r->want_lexical, "row %zu: lexical %s %s: wrong", i + 1, kinds[r->kind],
                   r->path);
        rows_check(real == r->want_real, "row %zu: real %s %s: wrong", i + 1, kinds[r->kind], r->path);
    }
    rows_end();
}

/* ---- /proc/PID/fd directories: {path, expected} with pid 42 as self */
static const struct {
    const char *path;
    int want;
} procfd_rows[] = {
    {"/proc/42/fd", 1},        {"/proc/42/task/43/fd", 1}, {"/proc/7/fd", 2},
    {"/proc/7/task/7/fd", 2},  {"/proc/42/fdinfo", 0},     {"/proc/42/fd/3", 0},
    {"/proc/self/fd", 0},      {"/proc/42/task//fd", 0},   {"/proc//fd", 0},
    {"/proc/42", 0},           {"/prox/42/fd", 0},         {"/proc/420/fd", 2},
};

static void check_procfd(void)
{
    rows_begin("proc-fd-dir");
    for (size_t i = 0; i < sizeof(procfd_rows) / sizeof(procfd_rows[0]); i++) {
        int got = proc_fd_dir(procfd_rows[i].path, 42);
        rows_check(got == procfd_rows[i].want, "row %zu: %s -> %d", i + 1, procfd_rows[i].path, got);
    }
    rows_end();
}

/* ---- open flags: {flags, writes?, kind, follow, excl} */
static const struct {
    long flags;
    int writes, kind, follow, excl;
} open_rows[] = {
    {O_RDONLY, 0, ATTR, 1, 0},
    {O_RDONLY | O_CLOEXEC | O_NOFOLLOW, 0, ATTR, 0, 0},
    {O_WRONLY, 1, ATTR, 1, 0},
    {O_RDWR, 1, ATTR, 1, 0},
    {O_RDONLY | O_TRUNC, 1, ATTR, 1, 0},
    {O_RDONLY | O_APPEND, 1, ATTR, 1, 0},
    {O_WRONLY | O_CREAT, 1, CREATE, 1, 0},
    {O_WRONLY | O_CREAT | O_NOFOLLOW, 1, CREATE, 0, 0},
    {O_WRONLY | O_CREAT | O_EXCL, 1, CREATE, 0, 1},
    {O_RDONLY | O_CREAT, 1, CREATE, 1, 0},
    {O_WRONLY | O_TMPFILE, 1, ATTR, 1, 0},       /* a file inside the directory named */
    {O_RDONLY | O_DIRECTORY, 0, ATTR, 1, 0},     /* O_TMPFILE's bits without O_TMPFILE */
    {O_PATH, 0, ATTR, 1, 0},
};

static void check_open(void)
{
    char what[64];

    rows_begin("open-flags");
    for (size_t i = 0; i < sizeof(open_rows) / sizeof(open_rows[0]); i++) {
        struct name n = open_name(AT_FDCWD, 1, open_rows[i].flags);
        snprintf(what, sizeof(what), "flags %#lo", (unsigned long)open_rows[i].flags);
        rows_check(open_writes(open_rows[i].flags) == open_rows[i].writes, "row %zu: %s: writes? wrong",
                   i + 1, what);
        rows_check(n.kind == open_rows[i].kind && n.follow == open_rows[i].follow &&
                       n.excl == open_rows[i].excl && n.dirfd == AT_FDCWD && n.idx == 1,
                   "row %zu: %s: wrong kind/follow/excl", i + 1, what);
    }
    rows_end();
}

/* ---- allow-exec: globs (and the real path of the literal one) against
 * real paths */
static const char *const exec_globs[] = {"/usr/bin/*", "/opt/**", "/usr/local/bin/tool?",
                                         "/usr/bin/python3"};
static const char *const exec_real[] = {NULL, NULL, NULL, "/usr/bin/python3.11"};
static const struct {
    const char *real;
    int want;
} exec_rows[] = {
    {"/usr/bin/ls", 1},           {"/usr/bin/x/ls", 0},         {"/usr/bin/", 1},
    {"/usr/sbin/ls", 0},          {"/opt/a/b/c", 1},            {"/opt", 0},
    {"/usr/local/bin/tool1", 1},  {"/usr/local/bin/tool", 0},   {"/usr/local/bin/tool/", 0},
    {"/usr/local/bin/tool12", 0}, {"/usr/bin/python3.11", 1},   {"/usr/lib/python3.11", 0},
    {"/bin/sh", 0},
};
/* and with no globs at all (allow-exec= empty) nothing is allowed */
static void check_exec(void)
{
    rows_begin("allow-exec");
    for (size_t i = 0; i < sizeof(exec_rows) / sizeof(exec_rows[0]); i++)
        rows_check(exec_allowed(exec_globs, exec_real, 4, exec_rows[i].real) == exec_rows[i].want,
                   "row %zu: %s: %s", i + 1, exec_rows[i].real,
                   exec_rows[i].want ? "refused" : "allowed");
    rows_check(!exec_allowed(exec_globs, exec_real, 0, "/usr/bin/ls"), "no globs: allowed");
    rows_end();
}

int main(void)
{
    make_long_rows();
    check_join("normalize", normalize_rows, sizeof(normalize_rows) / sizeof(normalize_rows[0]));
    check_join("join", join_rows, sizeof(join_rows) / sizeof(join_rows[0]));
    check_decide("allow-write", policy, 2, decide_rows, sizeof(decide_rows) / sizeof(decide_rows[0]));
    check_decide("allow-write=/", root_policy, 1, root_rows, sizeof(root_rows) / sizeof(root_rows[0]));
    check_procfd();
    check_open();
    check_exec();
    return rows_exit();
}
