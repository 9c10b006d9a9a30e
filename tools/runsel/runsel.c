/* runsel — run one program selected, without editing selected.conf and
 * without root or binfmt_misc registration.
 *
 * It execs the loader directly with the request in $RUNSEL_RUN; the loader
 * maps initmod and the wrapper, and the wrapper runtime passes the request
 * on to every program the selected one execs (unless inherit=no).  The
 * request is a selected.conf entry's tail, "W1 opts + W2 opts ...": the
 * wrappers of -w with their -o options, or the stack strace's options
 * imply with theirs (straceopt.c).  --dry-run prints it instead. */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <runsel/shebang.h>
#include "runsel.h"
#include "svlaunch.h"

#ifndef RUNSEL_LIBEXECDIR
#error "RUNSEL_LIBEXECDIR comes from the build's config.h (Makefile: -include $(B)/config.h)"
#endif

void die(int status, const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "runsel: ");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(status);
}

void append(char *words, size_t size, const char *word)
{
    size_t n = strlen(words);

    if (n + 1 + strlen(word) + 1 > size)
        die(2, "%s", "too many options");
    snprintf(words + n, size - n, "%s%s", n ? " " : "", word);
}

/* Does a word "inherit=..." appear in any wrapper's options? */
static int inherit_given(const struct request *rq)
{
    for (int k = 0; k < SEL_MAX_STACK; k++)
        if (!strncmp(rq->opts[k], "inherit=", 8) || strstr(rq->opts[k], " inherit="))
            return 1;
    return 0;
}

/* strace without -f follows nothing: the programs the traced one execs
 * run unwrapped — unless a wrapper of the stack enforces a policy, which
 * must follow them (initmod would refuse inherit=no), or the user said. */
static int strace_no_inherit(const struct request *rq, const char **names, int n,
                             const char *wrapper_dir)
{
    if (!rq->st.used || rq->st.follow || inherit_given(rq))
        return 0;
    for (int k = 0; k < n; k++)
        if (wrapper_enforces(names[k], wrapper_dir))
            return 0;
    return 1;
}

/* Each kind of strace option found its wrapper in a stack given with -w. */
static void check_use(const struct strace *st, struct strace_use used)
{
    struct strace_use want = strace_wants(st);

    if (want.trace && !used.trace)
        die(2, "strace's trace options (-e trace=, -s, -t, -y ...) need a trace wrapper in the "
            "stack given with -w (add -w trace)");
    if (want.count && !used.count)
        die(2, "-S, -U and --summary-wall-clock need a count wrapper in the stack given with -w "
            "(add -w count)");
    if (want.fault && !used.fault)
        die(2, "-e inject= and -e fault= need a fault wrapper in the stack given with -w "
            "(add -w fault, inside trace)");
    if (*st->output && !used.trace && !used.count)
        die(2, "-o %s: no trace or count wrapper in the stack given with -w to write it",
            st->output);
}

/* "W1 opts + W2 opts ...": the -w stack, the one strace's options imply,
 * or "trace" when neither (the caller makes that one conditional). */
static void compose_spec(const struct request *rq, const char *wrapper_dir, char *spec,
                         size_t size)
{
    const char *names[SEL_MAX_STACK];
    struct strace_use used = {0, 0, 0};
    char kind[256];
    int n = rq->n;

    memcpy(names, rq->wrapper, sizeof(names));
    if (!n && rq->st.used)
        n = strace_stack(&rq->st, names);
    if (!n)
        names[n++] = "trace";
    int no_inherit = strace_no_inherit(rq, names, n, wrapper_dir);
    for (int k = 0; k < n; k++) {
        char words[OPTS_MAX] = "";
        if (k)
            append(spec, size, "+");
        append(spec, size, names[k]);
        if (rq->st.used)
            strace_words(&rq->st, wrapper_kind(names[k], kind, sizeof(kind)), words,
                         sizeof(words), &used);
        if (*rq->opts[k])
            append(words, sizeof(words), rq->opts[k]);
        if (*words)
            append(spec, size, words);
        if (k == 0 && rq->backend) {
            char b[64];
            snprintf(b, sizeof(b), "backend=%s", rq->backend);
            append(spec, size, b);
        }
        if (k == 0 && rq->no_fastpath)
            append(spec, size, "fastpath=no");
        if (k == 0 && no_inherit && !rq->kernel)   /* the kernel keeps the filter for them all */
            append(spec, size, "inherit=no");
        if (k == 0 && rq->kernel)
            append(spec, size, "placement=kernel");
    }
    if (rq->st.used)
        check_use(&rq->st, used);
}

/* --dry-run: what would be set and exec'd. */
static void report(const struct request *rq, char **nargv)
{
    printf("RUNSEL_RUN=%s\n", getenv("RUNSEL_RUN"));
    if (rq->config)
        printf("RUNSEL_CONFIG=%s\n", getenv("RUNSEL_CONFIG"));
    if (*rq->st.output && !rq->st.append && rq->st.follow < 2)
        printf("truncate %s\n", rq->st.output);
    printf("exec");
    for (char **a = nargv; *a; a++)
        printf(" %s", *a);
    printf("\n");
    exit(0);
}

/* --placement=process and -p: the request is the supervisor's, not the
 * program's environment's (launch.c). */
static struct sv_request supervisor_request(void)
{
    static char run[SEL_MAX_LINE], config[PATH_MAX], wdir[PATH_MAX];
    struct sv_request r = {.run = run};

    snprintf(run, sizeof(run), "%s", getenv("RUNSEL_RUN"));
    if (getenv("RUNSEL_CONFIG"))
        r.config = strcpy(config, getenv("RUNSEL_CONFIG"));
    if (getenv("RUNSEL_WRAPPER_DIR"))
        r.wrapper_dir = strcpy(wdir, getenv("RUNSEL_WRAPPER_DIR"));
    unsetenv("RUNSEL_RUN");
    unsetenv("RUNSEL_CONFIG");
    unsetenv("RUNSEL_WRAPPER_DIR");
    return r;
}

static int out_of_process(const char *prog, char **argv)
{
    struct sv_request r = supervisor_request();

    return sv_launch(prog, argv, &r);
}

static int attach(const pid_t *pids, int n)
{
    struct sv_request r = supervisor_request();

    return sv_attach(pids, n, &r);
}

int main(int argc, char **argv)
{
    char loader[PATH_MAX + 32], wdir[PATH_MAX + 32], found[PATH_MAX], spec[SEL_MAX_LINE - 8] = "";
    char line[SEL_MAX_LINE];
    static struct request rq;

    locate(loader, sizeof(loader), wdir, sizeof(wdir));
    int i = parse_args(argc, argv, &rq);
    const char *wrapper_dir = getenv("RUNSEL_WRAPPER_DIR") ? getenv("RUNSEL_WRAPPER_DIR") : wdir;
    if (rq.list)
        list_wrappers(wrapper_dir);
    if (i >= argc && !rq.npids) {
        fprintf(stderr, "usage: runsel [OPTIONS] [--] PROGRAM [ARGS...] | runsel [OPTIONS] -p PID "
                "(see runsel --help)\n");
        return 2;
    }
    if (i < argc && rq.npids)
        die(2, "-p PID attaches to a running process: no PROGRAM with it (%s)", argv[i]);
    if (rq.npids && rq.kernel)
        die(2, "-p PID with --placement=kernel: a running process cannot be given a seccomp "
            "filter from outside (the kernel placement starts with the program)");
    compose_spec(&rq, wrapper_dir, spec, sizeof(spec));
    /* The loader reads the request as the tail of a selected.conf entry:
     * check it here, with the same parser, to fail early and clearly. */
    struct sel_entry e;
    const char *why;
    snprintf(line, sizeof(line), "/** %s", spec);
    if (selconf_parse_line(line, strlen(line), 1, &e, &why) != 1)
        die(2, "%s", why);
    check_keys(&e, wrapper_dir);
    if (rq.config) {
        char real[PATH_MAX];
        if (!realpath(rq.config, real))
            die(2, "--config %s: %s", rq.config, strerror(errno));
        setenv("RUNSEL_CONFIG", real, 1);
    }
    if (!getenv("RUNSEL_WRAPPER_DIR") && strcmp(wdir, RUNSEL_LIBEXECDIR "/wrappers"))
        setenv("RUNSEL_WRAPPER_DIR", wdir, 1);
    /* "?SPEC": only where the list selects nothing (neither -w nor strace
     * options given: runsel's default). */
    snprintf(line, sizeof(line), "%s%s", rq.n || rq.st.used ? "" : "?", spec);
    setenv("RUNSEL_RUN", line, 1);
    if (rq.npids) {                  /* runsel -p: the request is the supervisor's */
        strace_truncate(&rq.st);
        return attach(rq.pids, rq.npids);
    }

    const char *prog = rq.exec_file ? rq.exec_file : find_program(argv[i], found, sizeof(found));
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
    int elf_at = n + 1;              /* the ELF file the loader runs (a script's interpreter) */
    n = add_program(nargv, n, argv[i], prog, 0);
    for (int k = i + 1; k < argc; k++)
        nargv[n++] = argv[k];
    if (rq.dry_run)
        report(&rq, nargv);
    strace_truncate(&rq.st);
    if (rq.process) {                /* returns only on failure */
        int r = out_of_process(prog, argv + i);
        free(nargv);
        return r;
    }
    if (rq.kernel)
        kernel_launch(nargv[elf_at], prog, argv + i, nargv);
    execv(loader, nargv);
    die(126, "cannot run the loader: %s", strerror(errno));
}
