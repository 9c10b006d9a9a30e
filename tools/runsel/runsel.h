/* runsel.h — runsel, one file per concern:
 *   runsel.c     the request: the spec it becomes, its checks, the exec
 *                (or --dry-run's report)
 *   args.c       the command line: the option table (runsel's own and
 *                strace's spellings), parsing, and --help from the table
 *   straceopt.c  what strace's options mean for the wrappers: the implied
 *                stack and each wrapper's option words
 *   sysexpr.c    strace's expressions of calls (-e trace=, -e inject=
 *                SETs): checked, /REGEX expanded into names
 *   keys.c       every option against the keys its wrapper's image
 *                declares (RS_OPTIONS)
 *   program.c    finding PROGRAM, the loader and the wrappers, and the
 *                loader's argv (#! scripts unwrapped as the kernel would)
 *   kernel.c     --placement=kernel: the rules' filters installed, then
 *                the exec */
#ifndef RUNSEL_RUNSEL_H
#define RUNSEL_RUNSEL_H

#include <stddef.h>
#include "selconf.h"

#define OPTS_MAX (SEL_MAX_LINE - 64)   /* one wrapper's words */

/* What strace's options asked for (straceopt.c gives them meaning). */
struct strace {
    int used;                   /* any strace option given: strace's defaults apply */
    int follow;                 /* -f: 1, -ff: 2 */
    char output[4096];          /* -o FILE, made absolute; "" for stderr */
    int append;                 /* -A: do not truncate FILE */
    const char *strsize;        /* -s N */
    char trace[OPTS_MAX];       /* -e trace=, checked and expanded; "" if not given */
    const char *status;         /* -e status=, -z, -Z */
    const char *signal;         /* -e signal= */
    int ts;                     /* -t count */
    int relative, syscall_times, verbose;
    const char *decode_fds;     /* -y path, -yy all, --decode-fds=SET: trace's decode-fds= */
    int yflag;                  /* -y count */
    int xstrings;               /* -x count */
    const char *xlat;           /* -X */
    int quiet;                  /* -q count */
    const char *decode_pids;    /* --decode-pids=comm, -Y */
    char count;                 /* -c: 'c', -C: 'C' */
    const char *sortby, *columns;   /* -S, -U */
    int latency;                /* -w after -c/-C, --summary-wall-clock */
    char inject[OPTS_MAX];      /* fault's inject= value, from -e inject=/fault= */
};

/* The whole request. */
struct request {
    const char *wrapper[SEL_MAX_STACK];   /* -w, outermost first */
    char opts[SEL_MAX_STACK][OPTS_MAX];   /* -o KEY=VALUE of each -w (before any: the first) */
    int n;
    const char *backend, *config;
    int no_fastpath, dry_run, list;
    int process;                          /* --placement=process */
    int kernel;                           /* --placement=kernel */
    pid_t pids[32];                       /* -p: attach to these */
    const char *exec_file;                /* --exec-file: the file to run, PROGRAM its argv[0] */
    int npids;
    struct strace st;
};

/* runsel.c */
__attribute__((noreturn, format(printf, 2, 3))) void die(int status, const char *fmt, ...);
void append(char *words, size_t size, const char *word);

/* args.c: fills rq from argv; returns the index of PROGRAM (argc if none). */
int parse_args(int argc, char **argv, struct request *rq);
void print_help(void);

/* straceopt.c */
/* The stack strace's options imply when no -w was given (trace; count
 * for -c; trace + count for -C; fault under them for inject/fault). */
int strace_stack(const struct strace *st, const char **names);
/* strace's options as the words of the wrapper named name ("trace",
 * "count", "fault"; nothing for others) appended to words; and whether
 * each kind of option found a wrapper that takes it. */
struct strace_use {
    int trace, count, fault;
};
void strace_words(const struct strace *st, const char *name, char *words, size_t size,
                  struct strace_use *used);
/* Which kinds of strace options were given (for the check that a stack
 * given with -w has a wrapper for each). */
struct strace_use strace_wants(const struct strace *st);
/* Truncate -o FILE once, as strace does (the wrappers append). */
void strace_truncate(const struct strace *st);

/* sysexpr.c */
/* strace's -e trace= EXPR checked, every /REGEX replaced by the names it
 * matches, numbers by names; out gets the result.  A mistake is a usage
 * error (die(2)). */
void sysexpr_trace(const char *expr, char *out, size_t size);
/* -e inject=SET:... / -e fault=SET:...: appended to out as fault's SPECs. */
void sysexpr_inject(const char *arg, int is_fault, char *out, size_t size);

/* keys.c: dies (2) on an option its wrapper's image does not declare. */
void check_keys(const struct sel_entry *e, const char *wrapper_dir);

/* kernel.c: install the filters of the stack for elf (the ELF file the
 * loader would run) and exec prog natively (a stack of rules only) or the
 * loader's argv; returns only by dying. */
__attribute__((noreturn)) void kernel_launch(const char *elf, const char *prog, char **argv,
                                             char **loader_argv);

/* program.c */
void locate(char *loader, size_t size, char *wdir, size_t wsize);
void list_wrappers(const char *wdir);
const char *find_program(const char *name, char *buf, size_t size);
int add_program(char **v, int n, const char *argv0, const char *path, int depth);
int inherited_fd(const char *path);
/* Does the wrapper image named by word (as -w gives it) enforce a policy? */
int wrapper_enforces(const char *word, const char *wrapper_dir);
/* The wrapper word's kind: its name without directory and .so. */
const char *wrapper_kind(const char *word, char *buf, size_t size);

#endif
