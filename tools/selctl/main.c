/* main.c — selctl: administer runsel.  Command line, help and dispatch;
 * the work is done in one file per concern (see selctl.h).
 *
 *   selctl register [--loader PATH] [--global]
 *   selctl register --userns [--full-range] [--loader PATH] [--log FILE] -- CMD [ARGS...]
 *   selctl register --print [--loader PATH]
 *   selctl unregister [--global]
 *   selctl status
 *   selctl [-c FILE] check [FILE] | list | explain PROGRAM | hash PROGRAM
 *   selctl [-c FILE] add MATCH WRAPPER [key=value...] | remove MATCH | compile
 *
 * Without -c the list commands use $RUNSEL_CONFIG when it is set and
 * non-empty — the list the loader will read for the next exec — else the
 * system list.
 * Every command takes --help.  Errors are "selctl: ..." on stderr; exit
 * status 0 ok, 1 failure, 2 usage.
 *
 * Registering touches the binfmt_misc instance of the current user
 * namespace.  When that is the machine's own, a catch-all ELF handler there
 * is on the path of every exec, so it takes an explicit --global. */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "selctl.h"

static void vwarn(const char *fmt, va_list ap)
{
    fputs("selctl: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

void warn(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vwarn(fmt, ap);
    va_end(ap);
}

void die(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vwarn(fmt, ap);
    va_end(ap);
    exit(1);
}

/* Where the loader may be: next to this selctl (build tree), the install
 * layout relative to it ($(PREFIX)/bin → $(PREFIX)/lib/runsel), then the
 * default $(LIBEXECDIR). */
enum { NCAND = 3 };
static void loader_candidates(char cand[NCAND][PATH_MAX])
{
    char dir[PATH_MAX - 32];
    ssize_t n = readlink("/proc/self/exe", dir, sizeof(dir) - 1);
    char *slash = n > 0 ? (dir[n] = 0, strrchr(dir, '/')) : NULL;

    cand[0][0] = cand[1][0] = 0;
    if (slash) {
        slash[1] = 0;
        snprintf(cand[0], PATH_MAX, "%srunsel-loader", dir);
        snprintf(cand[1], PATH_MAX, "%s../lib/runsel/runsel-loader", dir);
    }
    snprintf(cand[2], PATH_MAX, "%s/runsel-loader", RUNSEL_LIBEXECDIR);
}

/* The first candidate that exists, else the installed location. */
const char *default_loader(void)
{
    static char cand[NCAND][PATH_MAX];

    loader_candidates(cand);
    for (int i = 0; i < NCAND; i++)
        if (cand[i][0] && access(cand[i], X_OK) == 0)
            return cand[i];
    return cand[NCAND - 1];
}

/* The loader to register, as an absolute path without symlinks. */
const char *resolve_loader(const char *arg)
{
    static char buf[PATH_MAX];
    const char *path = arg ? arg : default_loader();

    if (!arg && access(path, X_OK) != 0) {
        char cand[NCAND][PATH_MAX];
        loader_candidates(cand);
        die("no runsel-loader found (looked for %s, %s and %s); use --loader PATH", cand[0],
            cand[1], cand[2]);
    }
    if (!realpath(path, buf))
        die("loader %s: %s", path, strerror(errno));
    if (access(buf, X_OK))
        die("loader %s: not executable", buf);
    return buf;
}

/* ---- which list ---- */

const char *list_source = "system";

const char *list_source_text(void)
{
    if (!strcmp(list_source, "RUNSEL_CONFIG"))
        return "from $RUNSEL_CONFIG, the list the loader reads for this environment";
    if (!strcmp(list_source, "system"))
        return "the system list ($RUNSEL_CONFIG is not set)";
    return "named on the command line";
}

/* The list the next exec from this environment would read, as the
 * loader's knob() picks it: $RUNSEL_CONFIG when set and non-empty, else
 * the system list.  (The loader ignores the variable for a secure exec;
 * selctl runs with its caller's own privileges, where the loader honours
 * it.) */
static const char *default_list(void)
{
    const char *v = getenv("RUNSEL_CONFIG");

    if (v && *v) {
        list_source = "RUNSEL_CONFIG";
        return v;
    }
    return SYSTEM_LIST;
}

/* ---- commands ---- */

struct command {
    const char *name;
    const char *synopsis;   /* "usage: " lines, without "usage: " */
    const char *summary;    /* one line for selctl --help */
    const char *help;       /* the rest of selctl CMD --help */
    int min_args, max_args; /* operands after the command name, -1: any */
    int (*run)(const struct command *c, int argc, char **argv, const char *list);
};

static void print_synopsis(FILE *f, const char *synopsis)
{
    const char *p = synopsis;

    for (int first = 1; *p; first = 0) {
        size_t n = strcspn(p, "\n");
        fprintf(f, "%s%.*s\n", first ? "usage: " : "       ", (int)n, p);
        p += n + (p[n] == '\n');
    }
}

static void __attribute__((noreturn, format(printf, 2, 3)))
usage_error(const struct command *c, const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "selctl: %s: ", c->name);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    print_synopsis(stderr, c->synopsis);
    fprintf(stderr, "Try 'selctl %s --help'.\n", c->name);
    exit(EXIT_USAGE);
}

/* --NAME VALUE or --NAME=VALUE at argv[*i]: 1 and *val set; 0 if another
 * option. */
static int opt_value(const struct command *c, int argc, char **argv, int *i, const char *name,
                     const char **val)
{
    size_t n = strlen(name);

    if (strncmp(argv[*i], name, n))
        return 0;
    if (argv[*i][n] == '=') {
        *val = argv[*i] + n + 1;
    } else if (argv[*i][n] == 0) {
        if (*i + 1 >= argc)
            usage_error(c, "option %s needs an argument", name);
        *val = argv[++*i];
    } else {
        return 0;
    }
    if (!**val)
        usage_error(c, "option %s needs a non-empty argument", name);
    return 1;
}

static int run_register(const struct command *c, int argc, char **argv, const char *list)
{
    const char *loader = NULL, *log = NULL;
    int global = 0, runtime = 0, userns = 0, full = 0, print = 0, i;

    (void)list;
    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--")) {
            i++;
            break;
        }
        if (a[0] != '-')
            break;
        if (!strcmp(a, "--global"))
            global = 1;
        else if (!strcmp(a, "--runtime"))
            runtime = 1;
        else if (!strcmp(a, "--userns"))
            userns = 1;
        else if (!strcmp(a, "--full-range"))
            full = 1;
        else if (!strcmp(a, "--print"))
            print = 1;
        else if (!opt_value(c, argc, argv, &i, "--loader", &loader) &&
                 !opt_value(c, argc, argv, &i, "--log", &log))
            usage_error(c, "unknown option '%s'", a);
    }
    char **cmd = argv + i;
    int ncmd = argc - i;

    if (print) {   /* the line only, e.g. for /etc/binfmt.d; nothing is registered */
        char line[PATH_MAX + 256];
        if (userns || global || runtime || full || log || ncmd)
            usage_error(c, "--print takes no other option than --loader");
        if (binfmt_entry(loader ? loader : default_loader(), line, sizeof(line)))
            usage_error(c, "--loader %s: the path must be absolute, without ':' or newlines",
                        loader);
        puts(line);
        return 0;
    }
    if (runtime && !global)
        usage_error(c, "--runtime only applies with --global");
    if (userns) {
        if (global)
            usage_error(c, "--global and --userns exclude each other");
        if (!ncmd)
            usage_error(c, "--userns needs a command: selctl register --userns -- CMD [ARGS...]");
        return userns_run(resolve_loader(loader), log, full, cmd);
    }
    if (ncmd)
        usage_error(c, "unexpected argument '%s' (running a command needs --userns)", cmd[0]);
    if (log || full)
        usage_error(c, "%s only applies with --userns", log ? "--log" : "--full-range");
    return binfmt_register(loader, global, runtime) ? 1 : 0;
}

static int run_unregister(const struct command *c, int argc, char **argv, const char *list)
{
    int global = 0, runtime = 0;

    (void)list;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--global"))
            global = 1;
        else if (!strcmp(argv[i], "--runtime"))
            runtime = 1;
        else
            usage_error(c, "unexpected argument '%s'", argv[i]);
    }
    if (runtime && !global)
        usage_error(c, "--runtime only applies with --global");
    return binfmt_unregister(global, runtime) ? 1 : 0;
}

static int run_status(const struct command *c, int argc, char **argv, const char *list)
{
    (void)c, (void)argc, (void)argv;
    list_status(list);
    backend_status();
    supervisors_status();
    return binfmt_status();
}

static int run_check(const struct command *c, int argc, char **argv, const char *list)
{
    (void)c;
    if (argc > 1)
        list_source = "argument";
    return cmd_check(argc > 1 ? argv[1] : list);
}

static int run_list(const struct command *c, int argc, char **argv, const char *list)
{
    (void)c, (void)argc, (void)argv;
    return cmd_list(list);
}

static int run_explain(const struct command *c, int argc, char **argv, const char *list)
{
    (void)c, (void)argc;
    return cmd_explain(list, argv[1]);
}

static int run_hash(const struct command *c, int argc, char **argv, const char *list)
{
    (void)c, (void)argc;
    return cmd_hash(list, argv[1]);
}

static int run_add(const struct command *c, int argc, char **argv, const char *list)
{
    (void)c;
    return cmd_add(list, argc - 1, argv + 1);
}

static int run_remove(const struct command *c, int argc, char **argv, const char *list)
{
    (void)c, (void)argc;
    return cmd_remove(list, argv[1]);
}

static int run_compile(const struct command *c, int argc, char **argv, const char *list)
{
    (void)c, (void)argc, (void)argv;
    return cmd_compile(list, 0);
}

#define LIST_OPT \
    "\n-c FILE (before the command) names the list; default: $RUNSEL_CONFIG when set\n" \
    "and non-empty (the list the loader reads for the next exec), else\n" SYSTEM_LIST ".\n"

static const struct command commands[] = {
    {"register",
     "selctl register [--loader PATH] [--global [--runtime]]\n"
     "selctl register --userns [--full-range] [--loader PATH] [--log FILE] -- CMD [ARGS...]\n"
     "selctl register --print [--loader PATH]",
     "register runsel-loader with binfmt_misc for every x86-64 ELF program",
     "Register runsel-loader as the binfmt_misc interpreter of every x86-64 ELF\n"
     "program: entry 'runsel', flags POCF (argv[0] preserved, program passed as\n"
     "AT_EXECFD, credentials from the program, loader opened at registration).\n"
     "\n"
     "Without --userns the entry goes into the instance mounted at\n" BINFMT_DIR ".\n"
     "When that is the machine's own (the initial user namespace's, or an instance\n"
     "this namespace merely inherited) selctl refuses unless --global is given:\n"
     "every exec on the machine would then go through the loader, and one bug in\n"
     "it would break them all.\n"
     "\n"
     "  --loader PATH  the loader; default: runsel-loader next to selctl, then\n"
     "                 ../lib/runsel/runsel-loader from there, then\n"
     "                 " RUNSEL_LIBEXECDIR "/runsel-loader\n"
     "  --global       system-wide use: write the entry to " BINFMT_D_FILE "\n"
     "                 and load it with systemd-binfmt (as every boot does; without\n"
     "                 systemd-binfmt selctl registers it), even in the machine's\n"
     "                 own instance (with a warning). Undo: unregister --global\n"
     "  --runtime      with --global: the running instance only, nothing written\n"
     "                 under /etc (gone at the next boot)\n"
     "  --userns       run CMD in a new user and mount namespace (uid/gid 0 mapped\n"
     "                 to yours) with a private binfmt_misc instance (Linux >= 6.7)\n"
     "                 where the loader is registered: every ELF exec of CMD and its\n"
     "                 children goes through the loader, nothing outside does.\n"
     "                 The exit status is CMD's.\n"
     "  --full-range   with --userns: map ids 0..65535 onto themselves instead (root\n"
     "                 only), so set-user-ID programs and other users work inside\n"
     "  --log FILE     with --userns: set RUNSEL_LOADER_LOG=FILE for CMD; the loader\n"
     "                 appends a line 'exec PATH' for every exec it handles (not for\n"
     "                 secure, e.g. set-user-ID, execs)\n"
     "  --print        print the registration line (as for /etc/binfmt.d) only\n"
     "\n"
     "The loader must be a static x86-64 ELF program whose byte 15 is 'S'\n"
     "(tools/stamp-loader): selctl refuses one that would match its own entry,\n"
     "which would make every ELF exec fail with ENOEXEC.\n",
     0, -1, run_register},
    {"unregister", "selctl unregister [--global [--runtime]]",
     "remove the runsel entry",
     "Remove the runsel entry from the binfmt_misc instance at " BINFMT_DIR ".\n"
     "As for register, the machine's own instance takes --global, which also\n"
     "removes " BINFMT_D_FILE " (first: the entry would come back at the next\n"
     "boot); --runtime leaves that file.\n"
     "\n"
     "  --global       also the machine's own instance, and " BINFMT_D_FILE "\n"
     "  --runtime      with --global: the running instance only\n",
     0, 2, run_unregister},
    {"status", "selctl status",
     "selection list, binfmt_misc instance and the runsel entry",
     "Show the selection list's trust state (its drop-ins' too) and how many\n"
     "drop-ins it has; the redirect backends (whether the\n"
     "kernel module is loaded, with its table of registered processes and\n"
     "their redirected-call counters, readable by root; whether Syscall User\n"
     "Dispatch works); the supervisors of placement=process running (each\n"
     "one's command, the programs it serves, its workers); whether binfmt_misc\n"
     "is mounted and\n"
     "whose instance it is (the machine's own, this user namespace's own, or an\n"
     "ancestor's); and the runsel entry as the kernel reports it: enabled,\n"
     "interpreter, flags, magic, mask, whether it is the entry selctl registers\n"
     "and whether the loader at that path is usable.\n"
     "Exit status 0 when ELF execs go through the loader, 1 otherwise.\n",
     0, 0, run_status},
    {"check", "selctl [-c FILE] check [LIST]",
     "report every problem of the selection list",
     "Report every problem of the list and its drop-ins (LIST.d/*.conf) as\n"
     "FILE:LINE: message (exit 1 if any), naming the drop-in's own path and line,\n"
     "including why the loader would ignore the list (owner, permissions of the\n"
     "list, the drop-in directory or a drop-in) and a stale compiled index.\n" LIST_OPT,
     0, 1, run_check},
    {"list", "selctl [-c FILE] list", "the list's entries",
     "Print the entries of the selection list and its drop-ins, one per line.\n" LIST_OPT,
     0, 0, run_list},
    {"explain", "selctl [-c FILE] explain PROGRAM", "which entry selects PROGRAM, and why",
     "Say which entry selects PROGRAM and why, or why none does.\n" LIST_OPT, 1, 1,
     run_explain},
    {"hash", "selctl [-c FILE] hash PROGRAM", "the xxh128 value that selects PROGRAM",
     "Print the xxh128:HEX value that selects PROGRAM by its contents; also cached\n"
     "in FILE.hcache (when writable) for the loader.\n" LIST_OPT,
     1, 1, run_hash},
    {"add", "selctl [-c FILE] add MATCH WRAPPER [key=value ...]", "add an entry to the list",
     "Add an entry (comments are kept; the file is replaced atomically) and\n"
     "recompile the list's index.  The same entry listed already (in the list or a\n"
     "drop-in) changes nothing and succeeds; another entry for MATCH is an error\n"
     "(exit 1).  Edits write the list, never a drop-in.\n" LIST_OPT,
     2, -1, run_add},
    {"remove", "selctl [-c FILE] remove MATCH", "remove an entry from the list",
     "Remove the entry for MATCH (the file is replaced atomically) and recompile\n"
     "the list's index.  No entry for MATCH (or no list) changes nothing and\n"
     "succeeds; an entry for MATCH left in a drop-in (not edited) still selects:\n"
     "exit 1, naming its line.\n" LIST_OPT,
     1, 1, run_remove},
    {"compile", "selctl [-c FILE] compile", "write the list's compiled index",
     "Write FILE.idx, which lets the loader decide with one probe however long the\n"
     "list, covering its drop-ins; a stale index (the list or a drop-in changed,\n"
     "added, removed or renamed since) is ignored: the loader parses the text.\n" LIST_OPT,
     0, 0, run_compile},
};
#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static const struct command *find_command(const char *name)
{
    for (size_t i = 0; i < NCOMMANDS; i++)
        if (!strcmp(commands[i].name, name))
            return &commands[i];
    return NULL;
}

static void command_help(const struct command *c)
{
    print_synopsis(stdout, c->synopsis);
    printf("\n%s", c->help);
    exit(0);
}

static void __attribute__((noreturn)) overview(FILE *f, int status)
{
    fputs("usage: selctl [-c FILE] COMMAND [ARGS...]\n\n", f);
    for (size_t i = 0; i < NCOMMANDS; i++)
        fprintf(f, "  %-11s %s\n", commands[i].name, commands[i].summary);
    fputs("\nRun 'selctl COMMAND --help' for a command's options.\n", f);
    exit(status);
}

static int want_help(int argc, char **argv)
{
    for (int i = 1; i < argc && strcmp(argv[i], "--"); i++)
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
            return 1;
    return 0;
}

int main(int argc, char **argv)
{
    const char *list;
    const struct command *c;

    if (argc >= 3 && (!strcmp(argv[1], "-c") || !strcmp(argv[1], "--config"))) {
        list_source = "-c";
        list = argv[2];
        argv[2] = argv[0];
        argv += 2;
        argc -= 2;
    } else {
        list = default_list();
    }
    if (argc < 2)
        overview(stderr, EXIT_USAGE);
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        if (argc >= 3 && (c = find_command(argv[2])))
            command_help(c);
        overview(stdout, 0);
    }
    c = find_command(argv[1]);
    if (!c) {
        fprintf(stderr, "selctl: unknown command '%s'\n", argv[1]);
        overview(stderr, EXIT_USAGE);
    }
    argc--, argv++;
    if (want_help(argc, argv))
        command_help(c);
    if (argc - 1 < c->min_args)
        usage_error(c, "missing argument");
    if (c->max_args >= 0 && argc - 1 > c->max_args)
        usage_error(c, "unexpected argument '%s'", argv[c->max_args + 1]);
    return c->run(c, argc, argv, list);
}
