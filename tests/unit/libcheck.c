/* libcheck.c — table tests of the wrapper runtime's pure helpers
 * (wrapperabi/lib): paths (path.c), options (opts.c), words (opts.c),
 * strings and memory (str.c, against the host libc), names (names.c,
 * against the host's headers and strerror) and the arena (misc.c).
 * Host system calls go through tests/unit/stubhost.c. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <runsel/wrapper.h>
#include "rows.h"
#include "stubhost.h"

/* str.c's memory functions, renamed for the host (tests/unitlib.mk). */
void *rsu_memcpy(void *restrict d, const void *restrict s, size_t n);
void *rsu_memmove(void *d, const void *s, size_t n);
void *rsu_memset(void *d, int c, size_t n);
int rsu_memcmp(const void *a, const void *b, size_t n);

static int sign(long v)
{
    return (v > 0) - (v < 0);
}

/* ---- rs_path_normalize ---- */

static const struct {
    const char *in;
    size_t size;        /* 0: a roomy buffer */
    const char *want;   /* NULL: fails with err */
    int err;
} norm_rows[] = {
    {"/", 0, "/", 0},
    {"//", 0, "/", 0},
    {"///", 0, "/", 0},
    {"/a", 0, "/a", 0},
    {"/a/", 0, "/a", 0},
    {"/a//b", 0, "/a/b", 0},
    {"//a///b//", 0, "/a/b", 0},
    {"/a/./b", 0, "/a/b", 0},
    {"/./a/.", 0, "/a", 0},
    {"/.", 0, "/", 0},
    {"/..", 0, "/", 0},
    {"/../..", 0, "/", 0},
    {"/../a", 0, "/a", 0},
    {"/a/..", 0, "/", 0},
    {"/a/../b", 0, "/b", 0},
    {"/a/b/../../c", 0, "/c", 0},
    {"/a/b/../../../c", 0, "/c", 0},
    {"/a/b/c/../..", 0, "/a", 0},
    {"/a/b/..//./c/", 0, "/a/c", 0},
    {"/usr/lib/../bin/./ls", 0, "/usr/bin/ls", 0},
    {"/a/...", 0, "/a/...", 0},
    {"/a/..b/.c/c.", 0, "/a/..b/.c/c.", 0},
    {"/.../..", 0, "/", 0},
    {"/a/b/.././.././../x/y/..", 0, "/x", 0},
    {"/tmp/x\001y", 0, "/tmp/x\001y", 0},
    /* only absolute paths */
    {"", 0, NULL, EINVAL},
    {"a", 0, NULL, EINVAL},
    {"./a", 0, NULL, EINVAL},
    {"../a", 0, NULL, EINVAL},
    /* the buffer: size counts the NUL; only the result must fit, a
     * component that would not is taken back by a later ".." */
    {"/", 2, "/", 0},
    {"/", 1, NULL, EINVAL},
    {"/abc", 5, "/abc", 0},
    {"/abc", 4, NULL, ENAMETOOLONG},
    {"/ab/cd", 7, "/ab/cd", 0},
    {"/ab/cd", 6, NULL, ENAMETOOLONG},
    {"/ab//./cd/", 7, "/ab/cd", 0},
    {"/a/../bcd", 5, "/bcd", 0},
    {"/abcdef/../b", 5, "/b", 0},
    {"/abcdef/../bcdef", 5, NULL, ENAMETOOLONG},
    {"/abc/..", 2, "/", 0},
    {"/..", 2, "/", 0},
    {"/./././.", 2, "/", 0},
};

static void test_normalize(void)
{
    rows_begin("path: rs_path_normalize (out of place, then in place)");
    for (size_t i = 0; i < ROWS_COUNT(norm_rows); i++) {
        const char *in = norm_rows[i].in, *want = norm_rows[i].want;
        size_t size = norm_rows[i].size ? norm_rows[i].size : 4096;
        char *out = malloc(size), inplace[4096];
        int r = rs_path_normalize(in, out, size);
        int good = want ? r == 0 && !strcmp(out, want) : r == -norm_rows[i].err;
        rows_check(good, "%s into %zu -> %d %s, want %d %s", rows_q(in, -1), size, r,
                   r ? "" : rows_q(out, -1), want ? 0 : -norm_rows[i].err, want ? rows_q(want, -1) : "");
        /* the same buffer as input and output (as rs_path_at uses it) */
        if (strlen(in) < size) {
            char *buf = size <= sizeof(inplace) ? inplace : out;
            strcpy(buf, in);
            r = rs_path_normalize(buf, buf, size);
            good = want ? r == 0 && !strcmp(buf, want) : r == -norm_rows[i].err;
            rows_check(good, "%s in place in %zu -> %d %s, want %d %s", rows_q(in, -1), size, r,
                       r ? "" : rows_q(buf, -1), want ? 0 : -norm_rows[i].err, want ? rows_q(want, -1) : "");
        }
        free(out);
    }
    rows_end();
}

/* ---- rs_path_at: against a directory of known real path ---- */

static char tdir[256];   /* the test's directory, its real path */

static const struct {
    int dir;            /* 0 AT_FDCWD (cwd = tdir), 1 fd of tdir, 2 fd of "/", 3 a pipe, 4 closed fd */
    const char *path;
    size_t size;        /* 0: 4096 */
    const char *want;   /* "@" stands for tdir; NULL: fails with err */
    int err;
} at_rows[] = {
    {0, "x", 0, "@/x", 0},
    {0, "./x/../y/", 0, "@/y", 0},
    {0, "", 0, "@", 0},
    {0, ".", 0, "@", 0},
    {0, "..", 0, "@..", 0},         /* @.. : tdir's parent, computed below */
    {1, "x", 0, "@/x", 0},
    {1, "a//b/./c", 0, "@/a/b/c", 0},
    {1, "../../../../../../../../..", 0, "/", 0},
    {2, "etc/passwd", 0, "/etc/passwd", 0},
    {2, "", 0, "/", 0},
    {0, "/abs/../olute", 0, "/olute", 0},
    {3, "/abs", 0, "/abs", 0},      /* an absolute path ignores dirfd */
    {4, "/abs", 0, "/abs", 0},
    {3, "x", 0, NULL, ENOTDIR},     /* a pipe: no directory, as the kernel says */
    {4, "x", 0, NULL, EBADF},       /* not open, as the kernel says */
    /* sizes: the directory as read, then only the result (with its NUL)
     * must fit */
    {1, "x", 1, NULL, ENAMETOOLONG},
    {2, "x", 3, "/x", 0},
    {2, "xy", 3, NULL, ENAMETOOLONG},   /* "/xy" NUL */
    {2, "x", 4, "/x", 0},
    {2, "x/..", 6, "/", 0},
    {2, "x/..", 3, "/", 0},
    {2, "x/..", 7, "/", 0},
    {1, "x", 3, NULL, ENAMETOOLONG},    /* tdir does not fit */
    {0, "x", 3, NULL, ERANGE},          /* getcwd says so */
};

/* remote: the host answers as a supervisor would (/proc/PID, ABI 1.4):
 * the same rows, the same answers. */
static void test_path_at(int remote)
{
    int fds[5] = {AT_FDCWD, -1, -1, -1, -1}, p[2];
    char parent[256], want[4096], out[4096];
    const char *t = getenv("TMPDIR");

    stubhost_remote(remote);
    rows_begin(remote ? "path: rs_path_at (dirfd + path, the stub host as a supervisor)"
                      : "path: rs_path_at (dirfd + path, through the stub host)");
    snprintf(tdir, sizeof(tdir), "%s/libcheck.XXXXXX", t && *t ? t : "/tmp");
    if (!mkdtemp(tdir) || !realpath(tdir, want) || chdir(want)) {
        rows_check(0, "a test directory in %s: %s", tdir, strerror(errno));
        rows_end();
        return;
    }
    rmdir(tdir);
    strcpy(tdir, want);    /* the real path (TMPDIR may be a symlink) */
    mkdir(tdir, 0700);
    if (chdir(tdir)) {
        rows_check(0, "chdir %s: %s", tdir, strerror(errno));
        rows_end();
        return;
    }
    strcpy(parent, tdir);
    *strrchr(parent, '/') = 0;
    if (!*parent)
        strcpy(parent, "/");
    fds[1] = open(tdir, O_RDONLY | O_DIRECTORY);
    fds[2] = open("/", O_RDONLY | O_DIRECTORY);
    if (pipe(p))
        p[0] = p[1] = -1;
    fds[3] = p[0];
    fds[4] = dup(0);
    close(fds[4]);
    for (size_t i = 0; i < ROWS_COUNT(at_rows); i++) {
        size_t size = at_rows[i].size ? at_rows[i].size : sizeof(out);
        const char *w = at_rows[i].want;
        if (w && !strcmp(w, "@.."))
            snprintf(want, sizeof(want), "%s", parent);
        else if (w && w[0] == '@')
            snprintf(want, sizeof(want), "%s%s", tdir, w + 1);
        else if (w)
            snprintf(want, sizeof(want), "%s", w);
        memset(out, 0, sizeof(out));
        int r = rs_path_at(fds[at_rows[i].dir], at_rows[i].path, out, size);
        int good = w ? r == 0 && !strcmp(out, want) : r == -at_rows[i].err;
        static const char *const dn[] = {"AT_FDCWD", "tdir", "/", "a pipe", "a closed fd"};
        rows_check(good, "%s, %s into %zu -> %d %s, want %d %s", dn[at_rows[i].dir],
                   rows_q(at_rows[i].path, -1), size, r, r ? "" : rows_q(out, -1),
                   w ? 0 : -at_rows[i].err, w ? rows_q(want, -1) : "");
    }
    int r = rs_path_at(AT_FDCWD, NULL, out, sizeof(out));
    rows_check(r == -EFAULT, "AT_FDCWD, NULL -> %d, want -EFAULT", r);
    if (chdir("/") || rmdir(tdir))
        rows_check(0, "removing %s: %s", tdir, strerror(errno));
    close(fds[1]), close(fds[2]), close(p[0]), close(p[1]);
    stubhost_remote(0);
    rows_end();
}

/* ---- rs_opt, rs_opt_long ---- */

static const struct rs_option opt_list[] = {
    {"a", "1"}, {"b", ""}, {"a", "2"}, {"long", "x"}, {"", "empty key"}, {"c", "3"},
};
static const struct rs_options opts = {opt_list, (int)ROWS_COUNT(opt_list)};

static const struct {
    const char *key, *want;
} opt_rows[] = {
    {"a", "2"},         /* the last occurrence wins (runsel -o over the entry's) */
    {"b", ""},
    {"c", "3"},
    {"long", "x"},
    {"", "empty key"},
    {"d", NULL},
    {"lon", NULL},      /* whole keys only */
    {"longer", NULL},
    {"A", NULL},
};

static const struct {
    const char *value;  /* NULL: the key is absent */
    int ret;
    long want;          /* *out; the default is 77 */
} long_rows[] = {
    {NULL, 0, 77},
    {"0", 0, 0},
    {"1", 0, 1},
    {"-1", 0, -1},
    {"-0", 0, 0},
    {"007", 0, 7},
    {"123456789", 0, 123456789},
    {"-123456789", 0, -123456789},
    {"922337203685477579", 0, 922337203685477579L},
    {"9223372036854775799", 0, 9223372036854775799L},
    {"9223372036854775800", 0, 9223372036854775800L},
    {"9223372036854775807", 0, LONG_MAX},
    {"-9223372036854775807", 0, -LONG_MAX},
    {"-9223372036854775808", 0, LONG_MIN},
    {"9223372036854775808", -1, 77},
    {"09223372036854775807", 0, LONG_MAX},
    {"99999999999999999999", -1, 77},
    {"-9223372036854775809", -1, 77},
    {"", -1, 77},
    {"-", -1, 77},
    {"--1", -1, 77},
    {"+1", -1, 77},
    {" 1", -1, 77},
    {"1 ", -1, 77},
    {"1x", -1, 77},
    {"0x10", -1, 77},
    {"1.5", -1, 77},
    {"1e3", -1, 77},
    {"٣", -1, 77},
};

static void test_opts(void)
{
    rows_begin("opts: rs_opt");
    for (size_t i = 0; i < ROWS_COUNT(opt_rows); i++) {
        const char *got = rs_opt(&opts, opt_rows[i].key), *want = opt_rows[i].want;
        rows_check(want ? got && !strcmp(got, want) : !got, "%s -> %s, want %s",
                   rows_q(opt_rows[i].key, -1), rows_q(got, -1), rows_q(want, -1));
    }
    struct rs_options none = {NULL, 0};
    rows_check(!rs_opt(&none, "a"), "no options, \"a\" -> not NULL");
    rows_end();

    rows_begin("opts: rs_opt_long (default 77)");
    for (size_t i = 0; i < ROWS_COUNT(long_rows); i++) {
        struct rs_option one = {"n", long_rows[i].value};
        struct rs_options o = {&one, long_rows[i].value ? 1 : 0};
        long got = -5;
        int r = rs_opt_long(&o, "n", 77, &got);
        rows_check(r == long_rows[i].ret && got == long_rows[i].want, "n=%s -> %d, %ld, want %d, %ld",
                   rows_q(long_rows[i].value, -1), r, got, long_rows[i].ret, long_rows[i].want);
    }
    rows_end();
}

static const struct {
    const char *value;  /* NULL: the key is absent */
    int ret, want;      /* *out starts at 9 (the default) */
    const char *err;
} choice_rows[] = {
    {NULL, 0, 9, ""},
    {"text", 0, 0, ""},
    {"json", 0, 1, ""},
    {"xml", -1, 9, "format=xml: expected text, json or yaml"},
    {"", -1, 9, "format=: expected text, json or yaml"},
    {"JSON", -1, 9, "format=JSON: expected text, json or yaml"},
    {"json ", -1, 9, "format=json : expected text, json or yaml"},
    {"yaml", 0, 2, ""},
};

static void test_choice(void)
{
    static const char *const words[] = {"text", "json", "yaml", NULL};
    static const char *const two[] = {"yes", "no", NULL};

    rows_begin("opts: rs_opt_choice");
    for (size_t i = 0; i < ROWS_COUNT(choice_rows); i++) {
        struct rs_option one = {"format", choice_rows[i].value};
        struct rs_options o = {&one, choice_rows[i].value ? 1 : 0};
        char err[128] = "";
        int got = 9, r = rs_opt_choice(&o, "format", words, &got, err, sizeof(err));
        rows_check(r == choice_rows[i].ret && got == choice_rows[i].want &&
                       !strcmp(err, choice_rows[i].err),
                   "format=%s -> %d, %d, %s", rows_q(choice_rows[i].value, -1), r, got, rows_q(err, -1));
    }
    struct rs_option one = {"audit", "maybe"};
    struct rs_options o = {&one, 1};
    char err[128] = "";
    int got = 0;
    rows_check(rs_opt_choice(&o, "audit", two, &got, err, sizeof(err)) == -1 &&
                   !strcmp(err, "audit=maybe: expected yes or no"),
               "audit=maybe -> %s", rows_q(err, -1));
    char tiny[8];
    rows_check(rs_opt_choice(&o, "audit", two, &got, tiny, sizeof(tiny)) == -1 &&
                   !strcmp(tiny, "audit=m"),
               "a short err buffer is cut and ended: %s", rows_q(tiny, -1));
    rows_end();
}

/* ---- rs_next_word ---- */

static const struct {
    const char *in;
    char sep;
    const char *want;   /* the words, each followed by '|' */
} word_rows[] = {
    {"", ',', ""},
    {"a", ',', "a|"},
    {"a,b", ',', "a|b|"},
    {"a,b,", ',', "a|b|"},
    {",a", ',', "a|"},
    {",,a,,,b,,", ',', "a|b|"},
    {",,,", ',', ""},
    {"openat:ENOENT,read:EIO:when=2", ',', "openat:ENOENT|read:EIO:when=2|"},
    {"openat:ENOENT", ':', "openat|ENOENT|"},
    {"a b  c", ' ', "a|b|c|"},
    {"a,b c", ' ', "a,b|c|"},
    {"long-word-no-sep", ',', "long-word-no-sep|"},
    {"/usr/lib:/lib", ':', "/usr/lib|/lib|"},
};

static void test_words(void)
{
    rows_begin("str: rs_next_word");
    for (size_t i = 0; i < ROWS_COUNT(word_rows); i++) {
        const char *cur = word_rows[i].in, *w;
        char got[256] = "";
        size_t len = 999, k = 0, end = strlen(word_rows[i].in);
        while ((w = rs_next_word(&cur, word_rows[i].sep, &len)) && k + len + 2 < sizeof(got)) {
            memcpy(got + k, w, len);
            k += len;
            got[k++] = '|';
            got[k] = 0;
        }
        /* the end is sticky: the cursor stays on the NUL */
        int sticky = cur == word_rows[i].in + end && !rs_next_word(&cur, word_rows[i].sep, &len);
        rows_check(!strcmp(got, word_rows[i].want) && sticky, "%s by '%c' -> %s%s, want %s",
                   rows_q(word_rows[i].in, -1), word_rows[i].sep, rows_q(got, -1),
                   sticky ? "" : " (cursor not left at the end)", rows_q(word_rows[i].want, -1));
    }
    const char *cur = NULL;
    size_t len = 5;
    rows_check(!rs_next_word(&cur, ',', &len) && len == 5, "a NULL cursor -> a word");
    rows_end();
}

/* ---- str.c against the host libc ---- */

static const char *const str_pairs[][2] = {
    {"", ""}, {"a", ""}, {"", "a"}, {"abc", "abc"}, {"abc", "abd"}, {"abd", "abc"},
    {"ab", "abc"}, {"abc", "ab"}, {"\x80", "\x7f"}, {"\x7f", "\x80"}, {"a\xff", "a\x01"},
    {"Hello", "hello"}, {"same prefix, then 1", "same prefix, then 2"},
};

static void test_str(void)
{
    rows_begin("str: rs_strlen, rs_strcmp, rs_strncmp (sign) vs the host's");
    for (size_t i = 0; i < ROWS_COUNT(str_pairs); i++) {
        const char *a = str_pairs[i][0], *b = str_pairs[i][1];
        rows_check(rs_strlen(a) == strlen(a), "rs_strlen(%s) = %zu", rows_q(a, -1), rs_strlen(a));
        rows_check(sign(rs_strcmp(a, b)) == sign(strcmp(a, b)), "rs_strcmp(%s, %s) = %d, host %d",
                   rows_q(a, -1), rows_q(b, -1), rs_strcmp(a, b), strcmp(a, b));
        for (size_t n = 0; n <= 4; n++)
            rows_check(sign(rs_strncmp(a, b, n)) == sign(strncmp(a, b, n)),
                       "rs_strncmp(%s, %s, %zu) = %d, host %d", rows_q(a, -1), rows_q(b, -1), n,
                       rs_strncmp(a, b, n), strncmp(a, b, n));
        size_t la = strlen(a) + 1, lb = strlen(b) + 1, n = la < lb ? la : lb;
        rows_check(sign(rsu_memcmp(a, b, n)) == sign(memcmp(a, b, n)), "memcmp(%s, %s, %zu) = %d, host %d",
                   rows_q(a, -1), rows_q(b, -1), n, rsu_memcmp(a, b, n), memcmp(a, b, n));
    }
    rows_check(rs_strncmp("abc", "abd", SIZE_MAX) < 0, "rs_strncmp(\"abc\", \"abd\", SIZE_MAX) >= 0");
    rows_end();

    static const struct {
        const char *s;
        int c;
    } chr_rows[] = {
        {"hello", 'l'}, {"hello", 'h'}, {"hello", 'o'}, {"hello", 'z'}, {"hello", 0},
        {"", 0}, {"", 'a'}, {"a\xe9", 0xe9}, {"a\xe9", (char)0xe9}, {"abc", 'b' + 256},
    };
    rows_begin("str: rs_strchr vs the host's strchr");
    for (size_t i = 0; i < ROWS_COUNT(chr_rows); i++) {
        const char *s = chr_rows[i].s, *got = rs_strchr(s, chr_rows[i].c), *want = strchr(s, chr_rows[i].c);
        rows_check(got == want, "rs_strchr(%s, %#x) -> offset %ld, host %ld", rows_q(s, -1), chr_rows[i].c,
                   got ? (long)(got - s) : -1L, want ? (long)(want - s) : -1L);
    }
    rows_end();

    static const struct {
        const char *s;
        size_t size;
        const char *want;
    } lcpy_rows[] = {
        {"hello", 10, "hello"}, {"hello", 6, "hello"}, {"hello", 5, "hell"}, {"hello", 2, "h"},
        {"hello", 1, ""}, {"hello", 0, NULL}, {"", 1, ""}, {"", 0, NULL},
    };
    rows_begin("str: rs_strlcpy (returns strlen(s); size 0 writes nothing)");
    for (size_t i = 0; i < ROWS_COUNT(lcpy_rows); i++) {
        char d[16];
        memset(d, 'Z', sizeof(d));
        size_t n = rs_strlcpy(d, lcpy_rows[i].s, lcpy_rows[i].size);
        const char *want = lcpy_rows[i].want;
        int good = n == strlen(lcpy_rows[i].s) &&
                   (want ? !strcmp(d, want) : d[0] == 'Z') && d[lcpy_rows[i].size] == 'Z';
        rows_check(good, "rs_strlcpy(d, %s, %zu) -> %zu %s, want %zu %s", rows_q(lcpy_rows[i].s, -1),
                   lcpy_rows[i].size, n, rows_q(d, (long)sizeof(d)), strlen(lcpy_rows[i].s), rows_q(want, -1));
    }
    rows_end();

    /* memcpy, memmove (both overlaps), memset: the result in a 32-byte
     * buffer compared with the host's doing the same. */
    static const struct {
        char op;        /* c memcpy, m memmove, s memset */
        int dst, src;   /* offsets into the buffer; for s, src is the byte */
        size_t n;
    } mem_rows[] = {
        {'c', 0, 16, 8}, {'c', 3, 20, 0}, {'c', 5, 17, 11}, {'c', 31, 0, 1},
        {'m', 0, 4, 16}, {'m', 4, 0, 16}, {'m', 1, 0, 31}, {'m', 0, 1, 31},
        {'m', 7, 7, 10}, {'m', 2, 9, 0}, {'m', 10, 3, 8},
        {'s', 0, 0, 32}, {'s', 3, 0xab, 5}, {'s', 7, 0x1ff, 4}, {'s', 9, -1, 3}, {'s', 4, 'x', 0},
    };
    rows_begin("str: memcpy, memmove, memset vs the host's");
    for (size_t i = 0; i < ROWS_COUNT(mem_rows); i++) {
        unsigned char got[32], want[32];
        for (int k = 0; k < 32; k++)
            got[k] = want[k] = (unsigned char)(k * 7 + 1);
        int d = mem_rows[i].dst, s = mem_rows[i].src;
        size_t n = mem_rows[i].n;
        void *r = NULL, *base = got + d;
        switch (mem_rows[i].op) {
        case 'c': r = rsu_memcpy(got + d, got + s, n); memcpy(want + d, want + s, n); break;
        case 'm': r = rsu_memmove(got + d, got + s, n); memmove(want + d, want + s, n); break;
        case 's': r = rsu_memset(got + d, s, n); memset(want + d, s, n); break;
        }
        rows_check(r == base && !memcmp(got, want, 32), "%s(buf+%d, %s%d, %zu) differs from the host's",
                   mem_rows[i].op == 'c' ? "memcpy" : mem_rows[i].op == 'm' ? "memmove" : "memset", d,
                   mem_rows[i].op == 's' ? "" : "buf+", s, n);
    }
    rows_end();
}

/* ---- names.c ---- */

static void test_names(void)
{
    static const struct {
        const char *name;
        long nr;
    } sys_rows[] = {
        {"read", SYS_read}, {"write", SYS_write}, {"openat", SYS_openat}, {"open", SYS_open},
        {"execve", SYS_execve}, {"exit_group", SYS_exit_group}, {"rt_sigreturn", SYS_rt_sigreturn},
        {"clone3", SYS_clone3}, {"close_range", SYS_close_range}, {"getrandom", SYS_getrandom},
        {"openat2", SYS_openat2},
    };
    rows_begin("names: system calls vs the host's <sys/syscall.h>");
    for (size_t i = 0; i < ROWS_COUNT(sys_rows); i++) {
        const char *nm = sys_rows[i].name, *got = rs_syscall_name(sys_rows[i].nr);
        long nr = rs_syscall_from_name(nm, strlen(nm));
        rows_check(got && !strcmp(got, nm) && nr == sys_rows[i].nr, "%s (%ld) -> name %s, number %ld", nm,
                   sys_rows[i].nr, rows_q(got, -1), nr);
    }
    static const struct {
        const char *s;
        size_t n;
        long want;
    } from_rows[] = {
        {"openat", 4, SYS_open},        /* the first n characters only */
        {"open", 3, -1},
        {"", 0, -1},
        {"OPENAT", 6, -1},
        {"openatx", 7, -1},
        {"read\0x", 5, -1},           /* a NUL inside the n: not a name */
        {"close\0\0\0", 8, -1},
    };
    for (size_t i = 0; i < ROWS_COUNT(from_rows); i++) {
        long got = rs_syscall_from_name(from_rows[i].s, from_rows[i].n);
        rows_check(got == from_rows[i].want, "rs_syscall_from_name(%s, %zu) -> %ld, want %ld",
                   rows_q(from_rows[i].s, (long)from_rows[i].n), from_rows[i].n, got, from_rows[i].want);
    }
    static const long bad_nrs[] = {-1, -4096, 100000, LONG_MAX, LONG_MIN};
    for (size_t i = 0; i < ROWS_COUNT(bad_nrs); i++)
        rows_check(!rs_syscall_name(bad_nrs[i]), "rs_syscall_name(%ld) -> %s, want NULL", bad_nrs[i],
                   rows_q(rs_syscall_name(bad_nrs[i]), -1));
    /* every name the table has maps back to its number */
    int unnamed = 0;
    for (long nr = 0; nr < 1024; nr++) {
        const char *nm = rs_syscall_name(nr);
        if (!nm) {
            unnamed++;
            continue;
        }
        rows_check(rs_syscall_from_name(nm, strlen(nm)) == nr, "round trip of %ld (%s) -> %ld", nr, nm,
                   rs_syscall_from_name(nm, strlen(nm)));
    }
    rows_end();

    static const struct {
        unsigned abi;
        long nr;
        const char *want;
    } call_rows[] = {
        {RS_ABI_X86_64, SYS_openat, "openat"},
        {RS_ABI_IA32, 5, "open"},
        {RS_ABI_IA32, 1, "exit"},
        {RS_ABI_IA32, 11, "execve"},
        {RS_ABI_IA32, 252, "exit_group"},
        {RS_ABI_IA32, 295, "openat"},
        {RS_ABI_IA32, -1, NULL},
        {RS_ABI_IA32, 100000, NULL},
        {RS_ABI_X32, 0x40000000L | SYS_write, "write"},
        {RS_ABI_X32, 0x40000000L | SYS_openat, "openat"},
        {RS_ABI_X32, 0x40000000L | 100000, NULL},
    };
    rows_begin("names: rs_call_name by ABI");
    for (size_t i = 0; i < ROWS_COUNT(call_rows); i++) {
        struct rs_call c = {.nr = call_rows[i].nr, .abi = call_rows[i].abi};
        const char *got = rs_call_name(&c), *want = call_rows[i].want;
        rows_check(want ? got && !strcmp(got, want) : !got, "abi %u, nr %#lx -> %s, want %s", c.abi,
                   (unsigned long)c.nr, rows_q(got, -1), rows_q(want, -1));
    }
    rows_end();

    static const struct {
        const char *name;
        int n;
    } err_rows[] = {
        {"EPERM", EPERM}, {"ENOENT", ENOENT}, {"EINTR", EINTR}, {"EIO", EIO}, {"EAGAIN", EAGAIN},
        {"EACCES", EACCES}, {"ENAMETOOLONG", ENAMETOOLONG}, {"ENOSYS", ENOSYS}, {"ELOOP", ELOOP},
        {"EDEADLK", EDEADLK}, {"EHWPOISON", EHWPOISON}, {"ERANGE", ERANGE},
    };
    rows_begin("names: errno names and messages vs the host's <errno.h> and strerror");
    for (size_t i = 0; i < ROWS_COUNT(err_rows); i++) {
        const char *nm = err_rows[i].name, *got = rs_errno_name(err_rows[i].n);
        int e = rs_errno_from_name(nm, strlen(nm));
        rows_check(got && !strcmp(got, nm) && e == err_rows[i].n, "%s (%d) -> name %s, number %d", nm,
                   err_rows[i].n, rows_q(got, -1), e);
    }
    /* one name per number (tools/gen-tables keeps strace's): the aliases
     * EWOULDBLOCK, EDEADLOCK, ENOTSUP are not names here */
    static const struct {
        const char *s;
        size_t n;
    } noerr_rows[] = {{"ENOENTX", 7}, {"ENOEN", 5}, {"enoent", 6}, {"", 0}, {"2", 1},
                      {"EWOULDBLOCK", 11}, {"EDEADLOCK", 9}, {"ENOTSUP", 7},
                      {"EIO\0x", 5}, {"EPERM\0\0", 7}};
    for (size_t i = 0; i < ROWS_COUNT(noerr_rows); i++) {
        int e = rs_errno_from_name(noerr_rows[i].s, noerr_rows[i].n);
        rows_check(e == 0, "rs_errno_from_name(%s) -> %d, want 0", rows_q(noerr_rows[i].s, -1), e);
    }
    static const long noerr_nrs[] = {0, -1, 4096, 100000};
    for (size_t i = 0; i < ROWS_COUNT(noerr_nrs); i++) {
        const char *msg = rs_strerror(noerr_nrs[i]);
        rows_check(!rs_errno_name(noerr_nrs[i]) && !strcmp(msg, "Unknown error"),
                   "%ld -> name %s, message %s", noerr_nrs[i], rows_q(rs_errno_name(noerr_nrs[i]), -1),
                   rows_q(msg, -1));
    }
    /* every errno the host's libc names: same message */
    for (int e = 1; e < 134; e++)
        if (rs_errno_name(e))
            rows_check(!strcmp(rs_strerror(e), strerror(e)), "rs_strerror(%d) = %s, host %s", e,
                       rows_q(rs_strerror(e), -1), rows_q(strerror(e), -1));
    rows_end();
}

/* ---- misc.c: the arena, a sequence of requests ---- */

static void test_alloc(void)
{
    static const struct {
        size_t size;
        long want;  /* offset from the first block; -1: NULL */
    } alloc_rows[] = {
        {1, 0},             /* 16-byte granules */
        {16, 16},
        {17, 32},
        {0, 64},            /* size 0: a pointer, no room taken */
        {32, 64},
        {SIZE_MAX, -1},     /* sizes that round up past SIZE_MAX (to 0) */
        {SIZE_MAX - 14, -1},
        {256 * 1024, -1},   /* more than is left: NULL... */
        {8, 96},            /* ...and nothing is lost */
        {256 * 1024 + 1, -1},
        {SIZE_MAX - 15, -1},
        {SIZE_MAX - 100, -1},
        {8, 112},
        {256 * 1024 - 128, 128},   /* exactly the rest */
        {1, -1},
        {0, 256 * 1024},    /* size 0 still answers, at the end */
    };
    char *first = NULL;

    rows_begin("misc: rs_alloc, in sequence (a 256 KiB arena)");
    for (size_t i = 0; i < ROWS_COUNT(alloc_rows); i++) {
        char *p = rs_alloc(alloc_rows[i].size);
        if (!first && p)
            first = p;
        long got = p ? (long)(p - first) : -1;
        rows_check(got == alloc_rows[i].want && ((uintptr_t)p & 15) == 0,
                   "row %zu: rs_alloc(%zu) -> offset %ld, want %ld", i, alloc_rows[i].size, got,
                   alloc_rows[i].want);
        if (p && alloc_rows[i].size && alloc_rows[i].size < 1024 * 1024)
            memset(p, 0xee, alloc_rows[i].size);    /* ASan: the block is really there */
    }
    rows_end();
}

int main(void)
{
    stubhost_start();
    test_normalize();
    test_path_at(0);
    test_path_at(1);
    test_opts();
    test_choice();
    test_words();
    test_str();
    test_names();
    test_alloc();
    return rows_exit();
}
