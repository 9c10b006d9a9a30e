/* runsel — run one program selected, without editing selected.conf and
 * without root or binfmt_misc registration.
 *
 * It execs the loader directly with the request in $RUNSEL_RUN; the loader
 * maps initmod and the wrapper, and the wrapper runtime passes the request
 * on to every program the selected one execs (unless inherit=no). */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <runsel/shebang.h>
#include "selconf.h"

#ifndef RUNSEL_LIBEXECDIR
#error "RUNSEL_LIBEXECDIR comes from the build's config.h (Makefile: -include $(B)/config.h)"
#endif

static const char usage[] =
    "usage: runsel [-w WRAPPER [-o KEY=VALUE]...]... [-b BACKEND] [--no-fastpath] [-c CONFIG]\n"
    "              [--] PROGRAM [ARGS...]\n"
    "       runsel --list\n"
    "\n"
    "Run PROGRAM with a system call wrapper: its system calls, and those of\n"
    "the programs it runs, reach the wrapper inside the program.\n"
    "\n"
    "  -w WRAPPER    wrapper name (NAME.so in the wrapper directory) or path;\n"
    "                default: PROGRAM's selected.conf entry, else trace.  Several\n"
    "                -w make a stack, outermost first (-w sandbox -w trace: trace\n"
    "                sees what the sandbox lets through)\n"
    "  -o KEY=VALUE  option of the -w before it (repeatable), e.g. -o log=out.%p\n"
    "                runsel options: inherit=no (children run unwrapped),\n"
    "                syscalls=LIST (narrow what the wrapper sees)\n"
    "  -b BACKEND    auto (default), sud or kmod\n"
    "  --no-fastpath every intercepted call takes the backend's path: no\n"
    "                system call site of the program is rewritten (fastpath=no)\n"
    "  -c CONFIG     use CONFIG as the selection list ($RUNSEL_CONFIG)\n"
    "  --list        list the installed wrappers\n"
    "\n"
    "Exit status: PROGRAM's; 127 if it cannot be found, 126 if it cannot\n"
    "be run or wrapped, 2 for a usage error.\n";

static char self_dir[PATH_MAX];   /* loader and wrapper paths have room for it + a name */

static void die(int status, const char *fmt, const char *arg)
{
    fprintf(stderr, "runsel: ");
    fprintf(stderr, fmt, arg);
    fputc('\n', stderr);
    exit(status);
}

/* The loader and wrappers next to runsel (a build tree), else installed. */
static void locate(char *loader, size_t size, char *wdir, size_t wsize)
{
    struct stat st;
    ssize_t n = readlink("/proc/self/exe", self_dir, sizeof(self_dir) - 1);

    if (n > 0) {
        self_dir[n] = 0;
        *strrchr(self_dir, '/') = 0;
        snprintf(loader, size, "%s/runsel-loader", self_dir);
        if (stat(loader, &st) == 0) {
            snprintf(wdir, wsize, "%s/wrappers", self_dir);
            return;
        }
    }
    snprintf(loader, size, "%s/runsel-loader", RUNSEL_LIBEXECDIR);
    snprintf(wdir, wsize, "%s/wrappers", RUNSEL_LIBEXECDIR);
}

static void list_wrappers(const char *wdir)
{
    DIR *d = opendir(wdir);
    struct dirent *de;

    if (!d)
        die(1, "%s", strerror(errno));
    while ((de = readdir(d))) {
        size_t n = strlen(de->d_name);
        if (n > 3 && !strcmp(de->d_name + n - 3, ".so"))
            printf("%.*s\n", (int)(n - 3), de->d_name);
    }
    closedir(d);
    exit(0);
}

/* PROGRAM as execvp would find it. */
static const char *find_program(const char *name, char *buf, size_t size)
{
    const char *path = getenv("PATH");
    int seen_eacces = 0;

    if (strchr(name, '/'))
        return name;
    if (!path)
        path = "/usr/local/bin:/usr/bin:/bin";
    for (const char *p = path;; p++) {
        const char *colon = strchr(p, ':');
        size_t len = colon ? (size_t)(colon - p) : strlen(p);
        snprintf(buf, size, "%.*s%s%s", (int)len, p, len ? "/" : "", name);
        if (access(buf, X_OK) == 0) {
            struct stat st;
            if (stat(buf, &st) == 0 && S_ISREG(st.st_mode))
                return buf;
        } else if (errno == EACCES) {
            seen_eacces = 1;
        }
        if (!colon)
            break;
        p = colon;
    }
    die(seen_eacces ? 126 : 127, seen_eacces ? "%s: permission denied" : "%s: command not found",
        name);
    return NULL;
}

/* The loader runs ELF programs; a #! script is unwrapped here as
 * binfmt_script would (rs_shebang: the kernel's reading of the line):
 * "-0 INTERP INTERP [ARG] SCRIPT", recursively.  Returns the new argument
 * count. */
static int add_program(char **v, int n, const char *argv0, const char *path, int depth)
{
    char head[RS_SHEBANG_HEAD];
    const char *interp, *arg;
    struct stat st;
    /* Never block on a FIFO or a device named as the program. */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    ssize_t len = 0;

    if (fd >= 0) {
        if (fstat(fd, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode))
            die(126, "%s: not a regular file", path);
        len = read(fd, head, sizeof(head));
        close(fd);
    }
    int r = rs_shebang(head, len > 0 ? (size_t)len : 0, &interp, &arg);
    if (r == 0) {
        v[n++] = (char *)argv0;
        v[n++] = (char *)path;
        return n;
    }
    if (depth == RS_SHEBANG_DEPTH)
        die(126, "%s: too many levels of #! interpreters", path);
    if (r < 0)
        die(126, "%s: bad #! line (no interpreter, or one longer than the kernel reads)", path);
    /* [INTERP, ARG?, SCRIPT] where INTERP may itself be a script; head is
     * this frame's, so the strings are copied for the new argv. */
    char *interp_copy = strdup(interp), *arg_copy = arg ? strdup(arg) : NULL;
    if (!interp_copy || (arg && !arg_copy))
        die(126, "%s", "out of memory");
    n = add_program(v, n, interp_copy, interp_copy, depth + 1);
    if (arg_copy)
        v[n++] = arg_copy;
    v[n++] = (char *)path;
    return n;
}

static void append(char *spec, size_t size, const char *word)
{
    size_t n = strlen(spec);

    if (n + 1 + strlen(word) + 1 > size)
        die(2, "%s", "too many options");
    snprintf(spec + n, size - n, "%s%s", n ? " " : "", word);
}

/* Arguments become an environment variable and selected.conf words:
 * control characters would let one argument forge lines or options. */
static void check_arg(const char *what, const char *v)
{
    for (const unsigned char *p = (const unsigned char *)v; *p; p++)
        if (*p < 0x20 || *p == 0x7f)
            die(2, "%s: control character in argument", what);
    if (!strcmp(v, "+"))
        die(2, "%s: '+' is not a wrapper or an option", what);
}

/* log=REL is made absolute here, once: the wrapper would resolve it in
 * each exec'd program's own directory, and the lines of one process could
 * end up in two files after a cd and an exec. */
static const char *absolute_log(const char *opt, char *buf, size_t size)
{
    char cwd[PATH_MAX];

    if (strncmp(opt, "log=", 4) || !opt[4] || opt[4] == '/' || !getcwd(cwd, sizeof(cwd)))
        return opt;
    if ((size_t)snprintf(buf, size, "log=%s/%s", cwd, opt + 4) >= size)
        die(2, "%s: path too long", opt);
    return buf;
}

/* /proc/self/exe, /proc/self/fd/N, /dev/fd/N ...: names of this process's
 * own image or descriptors, which the loader, exec'd in runsel's place,
 * would not find (it is a new image; close-on-exec descriptors are gone). */
static int names_own(const char *path)
{
    static const char *const pfx[] = {"/proc/self/", "/proc/thread-self/", "/dev/fd/"};
    char own[32];

    for (size_t i = 0; i < sizeof(pfx) / sizeof(pfx[0]); i++)
        if (!strncmp(path, pfx[i], strlen(pfx[i])))
            return 1;
    snprintf(own, sizeof(own), "/proc/%d/", (int)getpid());
    return !strncmp(path, own, strlen(own));
}

/* For such a name, an open descriptor the loader inherits (-F), as exec on
 * a descriptor; -1 for anything else (the loader opens it by name). */
static int inherited_fd(const char *path)
{
    char head[4];
    int fd;

    if (!names_own(path) || (fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY)) < 0)
        return -1;
    if (pread(fd, head, 4, 0) != 4 || memcmp(head, "\177ELF", 4)) {
        close(fd);              /* a script: its interpreter reads it by name */
        return -1;
    }
    return fd;
}

struct request {
    const char *wrapper[SEL_MAX_STACK];
    char opts[SEL_MAX_STACK][SEL_MAX_LINE / 2];
    int n;
};

/* "W1 opts + W2 opts ...", or "trace opts" when no -w was given. */
static void compose_spec(const struct request *rq, const char *backend, int no_fastpath,
                         char *spec, size_t size)
{
    int n = rq->n ? rq->n : 1;

    for (int k = 0; k < n; k++) {
        if (k)
            append(spec, size, "+");
        append(spec, size, rq->n ? rq->wrapper[k] : "trace");
        if (*rq->opts[k])
            append(spec, size, rq->opts[k]);
        if (k == 0 && backend) {
            char b[64];
            snprintf(b, sizeof(b), "backend=%s", backend);
            append(spec, size, b);
        }
        if (k == 0 && no_fastpath)
            append(spec, size, "fastpath=no");
    }
}

int main(int argc, char **argv)
{
    char loader[PATH_MAX + 32], wdir[PATH_MAX + 32], found[PATH_MAX], spec[SEL_MAX_LINE - 8] = "";
    char line[SEL_MAX_LINE];
    static struct request rq;
    const char *backend = NULL, *config = NULL;
    int i, no_fastpath = 0;

    locate(loader, sizeof(loader), wdir, sizeof(wdir));
    for (i = 1; i < argc && argv[i][0] == '-'; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--")) {
            i++;
            break;
        }
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(usage, stdout);
            return 0;
        }
        if (!strcmp(a, "--list"))
            list_wrappers(getenv("RUNSEL_WRAPPER_DIR") ? getenv("RUNSEL_WRAPPER_DIR") : wdir);
        if (!strcmp(a, "--no-fastpath")) {
            no_fastpath = 1;
            continue;
        }
        if (strlen(a) != 2 || !strchr("wobc", a[1]))
            die(2, "unknown option %s (see runsel --help)", a);
        if (i + 1 >= argc)
            die(2, "option %s needs a value", a);
        const char *v = argv[++i];
        check_arg(a, v);
        switch (a[1]) {
        case 'w':
            if (rq.n == SEL_MAX_STACK) {
                char why[40];
                snprintf(why, sizeof(why), "at most %d wrappers (-w)", SEL_MAX_STACK);
                die(2, "%s", why);
            }
            rq.wrapper[rq.n++] = v;
            break;
        case 'o': { /* binds to the -w before it (before any -w: the first) */
            char abs[PATH_MAX + 8];
            append(rq.opts[rq.n ? rq.n - 1 : 0], sizeof(rq.opts[0]),
                   absolute_log(v, abs, sizeof(abs)));
            break;
        }
        case 'b': backend = v; break;
        case 'c': config = v; break;
        }
    }
    if (i >= argc) {
        fputs(usage, stderr);
        return 2;
    }
    compose_spec(&rq, backend, no_fastpath, spec, sizeof(spec));
    /* The loader reads the request as the tail of a selected.conf entry:
     * check it here, with the same parser, to fail early and clearly. */
    struct sel_entry e;
    const char *why;
    snprintf(line, sizeof(line), "/** %s", spec);
    if (selconf_parse_line(line, strlen(line), 1, &e, &why) != 1)
        die(2, "%s", why);
    if (config) {
        char real[PATH_MAX];
        if (!realpath(config, real))
            die(2, "-c: %s", strerror(errno));
        setenv("RUNSEL_CONFIG", real, 1);
    }
    if (!getenv("RUNSEL_WRAPPER_DIR") && strcmp(wdir, RUNSEL_LIBEXECDIR "/wrappers"))
        setenv("RUNSEL_WRAPPER_DIR", wdir, 1);
    /* "?SPEC": only where the list selects nothing (no -w given). */
    snprintf(line, sizeof(line), "%s%s", rq.n ? "" : "?", spec);
    setenv("RUNSEL_RUN", line, 1);

    const char *prog = find_program(argv[i], found, sizeof(found));
    char **nargv = calloc((size_t)(argc - i) + 6 + 2 * RS_SHEBANG_DEPTH, sizeof(char *));
    int n = 0;
    if (!nargv)
        die(126, "%s", "out of memory");
    char fdarg[16];
    int pfd = inherited_fd(prog);
    nargv[n++] = loader;
    if (pfd >= 0) {
        snprintf(fdarg, sizeof(fdarg), "%d", pfd);
        nargv[n++] = "-F";
        nargv[n++] = fdarg;
    }
    nargv[n++] = "-0";
    n = add_program(nargv, n, argv[i], prog, 0);
    for (int k = i + 1; k < argc; k++)
        nargv[n++] = argv[k];
    execv(loader, nargv);
    die(126, "cannot run the loader: %s", strerror(errno));
}
