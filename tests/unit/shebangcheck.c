/* shebangcheck.c — rs_shebang (wrapperabi/lib/shebang.c), the one reader of
 * "#!" lines, row by row against two oracles: the expected interpreter and
 * argument written in the row, and the running kernel itself — each row is
 * written to a script whose interpreter is this program, exec'd, and the
 * argv the kernel built (or the errno it failed with) compared with what
 * rs_shebang says.
 *
 * In a row, @P stands for the path of this program (the interpreter), @X
 * for 300 'x's (a line longer than the kernel's 256-byte read). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <runsel/shebang.h>
#include "rows.h"

static const struct row {
    const char *head;       /* the file's first bytes (template) */
    size_t len;             /* 0: strlen of the expanded template */
    int want;               /* rs_shebang's result */
    const char *interp;     /* expected, with @P expanded (want == 1) */
    const char *arg;        /* expected argument, NULL for none */
} rows[] = {
    {"#!@P\n", 0, 1, "@P", NULL},
    {"#!@P", 0, 1, "@P", NULL},                        /* no newline, short file */
    {"#! \t @P\n", 0, 1, "@P", NULL},                  /* spaces before the name */
    {"#!@P   \t\n", 0, 1, "@P", NULL},                 /* and after it */
    {"#!@P -x\n", 0, 1, "@P", "-x"},
    {"#!@P  -x -y  z \t\n", 0, 1, "@P", "-x -y  z"},   /* one argument, inner spaces kept */
    {"#!@P\t-x\n", 0, 1, "@P", "-x"},
    {"#!@P -x\r\n", 0, 1, "@P", "-x\r"},               /* CR is not a space to the kernel */
    {"#!@P\0 -x\n", sizeof("#!@P\0 -x\n") - 1, 1, "@P", NULL},     /* NUL ends the name */
    {"#!@P -x\0y\n", sizeof("#!@P -x\0y\n") - 1, 1, "@P", "-x"},   /* and the argument */
    {"#!@P -@X\n", 0, 1, "@P", "-@X"},                 /* a long argument: cut at byte 255 */
    {"#!@P -@X", 0, 1, "@P", "-@X"},                   /* no newline in the read: same */
    {"#!@P\n#!/bin/false\n", 0, 1, "@P", NULL},        /* only the first line */
    {"#!\n", 0, -ENOEXEC, NULL, NULL},                 /* no interpreter */
    {"#!   \t\n", 0, -ENOEXEC, NULL, NULL},
    {"#!", 0, 1, "", NULL},                            /* NUL for a name: the kernel */
    {"#!   ", 0, 1, "", NULL},                         /* tries "" (and fails) */
    {"#!@P \0x", sizeof("#!@P \0x") - 1, 1, "@P", ""}, /* an empty argument */
    {"#!/@X", 0, -ENOEXEC, NULL, NULL},                /* a name the read cuts short */
    {"#! \t   /@X", 0, -ENOEXEC, NULL, NULL},
    {"#!/@X\n", 0, -ENOEXEC, NULL, NULL},              /* newline past the read: still cut */
    {"\x7f" "ELF", 0, 0, NULL, NULL},                  /* not a script */
    {"# !@P\n", 0, 0, NULL, NULL},
    {"#", 0, 0, NULL, NULL},
};

static char self[4096];

/* Expand @P and @X into out (its length; bytes, NULs kept). */
static size_t expand(const char *t, size_t len, char *out, size_t size)
{
    size_t n = 0;

    for (size_t i = 0; i < len && n + 300 < size; i++) {
        if (t[i] == '@' && i + 1 < len && t[i + 1] == 'P') {
            n += (size_t)snprintf(out + n, size - n, "%s", self);
            i++;
        } else if (t[i] == '@' && i + 1 < len && t[i + 1] == 'X') {
            memset(out + n, 'x', 300);
            n += 300;
            i++;
        } else {
            out[n++] = t[i];
        }
    }
    return n;
}

/* The kernel's verdict: exec the script; the interpreter (this program)
 * writes the argv it got into the pipe, NUL-separated.  Returns the bytes
 * read, or -errno when the exec failed. */
static long kernel_argv(const char *script, char *out, size_t size)
{
    int p[2], e[2];

    if (pipe(p) || pipe2(e, O_CLOEXEC))
        return -EMFILE;
    pid_t pid = fork();
    if (pid == 0) {
        char fd[16];
        snprintf(fd, sizeof(fd), "%d", p[1]);
        setenv("SHEBANGCHECK_FD", fd, 1);
        execl(script, script, (char *)NULL);
        int err = errno;
        if (write(e[1], &err, sizeof(err)) < 0)
            _exit(127);
        _exit(127);
    }
    close(p[1]);
    close(e[1]);
    int err = 0;
    long got = 0, r;
    if (read(e[0], &err, sizeof(err)) == (ssize_t)sizeof(err))
        got = -err;
    while (got >= 0 && (r = read(p[0], out + got, size - (size_t)got)) > 0)
        got += r;
    close(p[0]);
    close(e[0]);
    waitpid(pid, NULL, 0);
    return got;
}

static void check_row(const struct row *r, const char *dir)
{
    char head[1024], buf[RS_SHEBANG_HEAD], want_i[4096] = "", want_a[1024] = "";
    char kern[8192], script[4200];
    const char *interp = NULL, *arg = NULL;
    size_t n = expand(r->head, r->len ? r->len : strlen(r->head), head, sizeof(head));
    const char *q = rows_q(head, (long)(n < 60 ? n : 60));

    memcpy(buf, head, n < sizeof(buf) ? n : sizeof(buf));
    int got = rs_shebang(buf, n < sizeof(buf) ? n : sizeof(buf), &interp, &arg);
    if (r->interp)
        expand(r->interp, strlen(r->interp) + 1, want_i, sizeof(want_i));
    if (r->arg)
        expand(r->arg, strlen(r->arg) + 1, want_a, sizeof(want_a));
    /* the expected argument is cut where the kernel's read ends */
    if (r->arg && want_a[0] && strstr(r->arg, "@X")) {
        size_t keep = RS_SHEBANG_HEAD - 1 - (strlen(self) + 3);
        want_a[keep] = 0;
    }
    if (!rows_check(got == r->want, "%s: returned %d, want %d", q, got, r->want))
        return;
    if (got == 1) {
        rows_check(!strcmp(interp, want_i), "%s: interpreter %s, want %s", q, rows_q(interp, -1),
                   rows_q(want_i, -1));
        rows_check(r->arg ? arg && !strcmp(arg, want_a) : !arg, "%s: argument %s, want %s", q,
                   rows_q(arg, -1), r->arg ? rows_q(want_a, -1) : "none");
    }

    /* The kernel: not a script is not for this oracle (it would run the
     * bytes as something else). */
    if (r->want == 0)
        return;
    snprintf(script, sizeof(script), "%s/s", dir);
    int fd = open(script, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
    if (fd < 0 || write(fd, head, n) != (ssize_t)n || close(fd)) {
        rows_check(0, "%s: cannot write the script", q);
        return;
    }
    long k = kernel_argv(script, kern, sizeof(kern));
    if (got == 1 && !*interp) {
        rows_check(k < 0 && k != -ENOEXEC, "%s: the kernel says %ld, rs_shebang an empty name", q, k);
        return;
    }
    if (got < 0) {
        rows_check(k == -ENOEXEC, "%s: the kernel says %ld, rs_shebang ENOEXEC", q, k);
        return;
    }
    /* argv: interp, [arg], script */
    const char *ka = kern, *kb = k > 0 ? kern + strlen(kern) + 1 : NULL;
    int kargs = 0;
    for (long i = 0; i < k; i++)
        kargs += !kern[i];
    if (!rows_check(k > 0, "%s: the kernel did not run it (%ld)", q, k))
        return;
    rows_check(!strcmp(ka, interp), "%s: the kernel's interpreter %s, rs_shebang's %s", q,
               rows_q(ka, -1), rows_q(interp, -1));
    rows_check(arg ? kargs == 3 && !strcmp(kb, arg) : kargs == 2,
               "%s: the kernel's argument %s, rs_shebang's %s", q,
               kargs == 3 ? rows_q(kb, -1) : "none", rows_q(arg, -1));
}

int main(int argc, char **argv)
{
    const char *fd = getenv("SHEBANGCHECK_FD");
    if (fd) {                            /* run as the interpreter: report argv */
        int out = atoi(fd);
        for (int i = 0; i < argc; i++)
            if (write(out, argv[i], strlen(argv[i]) + 1) < 0)
                return 1;
        return 0;
    }
    ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
    if (n <= 0)
        return 2;
    self[n] = 0;
    const char *tmp = getenv("TMPDIR");
    char dir[4096], script[4200];
    snprintf(dir, sizeof(dir), "%s/shebangcheck.XXXXXX", tmp ? tmp : "/tmp");
    if (!mkdtemp(dir))
        return 2;
    rows_begin("rs_shebang: rows and the kernel's own reading of each");
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
        check_row(&rows[i], dir);
    rows_end();
    snprintf(script, sizeof(script), "%s/s", dir);
    unlink(script);
    rmdir(dir);
    return rows_exit();
}
