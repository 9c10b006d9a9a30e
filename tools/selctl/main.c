/* main.c — selctl: administer runsel.
 *
 *   selctl register [--loader PATH] [--global]
 *   selctl register --userns [--full-range] [--loader PATH] [--log FILE] -- CMD [ARGS...]
 *   selctl register --print [--loader PATH]
 *   selctl unregister [--global]
 *   selctl status
 *   selctl check [FILE] | list | explain PROGRAM | hash PROGRAM
 *   selctl add MATCH WRAPPER [key=value...] | remove MATCH | compile
 *   (list commands take -c FILE; default /etc/runsel/selected.conf)
 *
 * Registering touches the binfmt_misc instance of the current user
 * namespace.  In the initial namespace that is the machine's own: a
 * catch-all ELF handler there is on the path of every exec, so it takes an
 * explicit --global. */
#define _GNU_SOURCE
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

/* runsel-loader next to this selctl (build tree or install), else the
 * installed location. */
const char *default_loader(void)
{
    static char path[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", path, sizeof(path) - 32);

    if (n > 0) {
        path[n] = 0;
        char *slash = strrchr(path, '/');
        if (slash) {
            strcpy(slash + 1, "runsel-loader");
            if (access(path, X_OK) == 0)
                return path;
            strcpy(slash, "/../lib/runsel/runsel-loader");
            if (access(path, X_OK) == 0)
                return path;
        }
    }
    return "/usr/local/lib/runsel/runsel-loader";
}

static const char usage_text[] =
    "usage: selctl register [--loader PATH] [--global]\n"
    "       selctl register --userns [--full-range] [--loader PATH] [--log FILE] -- CMD...\n"
    "       selctl register --print [--loader PATH]\n"
    "       selctl unregister [--global]\n"
    "       selctl status\n"
    "\n"
    "register     register runsel-loader as the binfmt_misc interpreter of every\n"
    "             x86-64 ELF program (flags POCF). In the machine's own instance only\n"
    "             with --global: a broken loader would then break every exec.\n"
    "  --userns   instead, run CMD in a new user and mount namespace with a private\n"
    "             binfmt_misc instance (Linux >= 6.7) where the loader is registered.\n"
    "  --full-range  map uids/gids 0..65535 onto the same ids (root only) instead of\n"
    "             mapping only 0 to the caller: setuid programs and other users work.\n"
    "  --log FILE the loader appends 'exec PATH' to FILE for every exec (test mode).\n"
    "  --print    print the registration line (for /etc/binfmt.d) and do nothing else.\n"
    "unregister   remove the runsel entry.\n"
    "status       show the selection list's trust state, the binfmt_misc instance and\n"
    "             the runsel entry.\n"
    "\n"
    "       selctl [-c FILE] check [FILE]\n"
    "       selctl [-c FILE] list\n"
    "       selctl [-c FILE] explain PROGRAM\n"
    "       selctl [-c FILE] hash PROGRAM\n"
    "       selctl [-c FILE] add MATCH WRAPPER [key=value ...]\n"
    "       selctl [-c FILE] remove MATCH\n"
    "       selctl [-c FILE] compile\n"
    "\n"
    "check        report every problem of the list as FILE:LINE: message (exit 1 if any),\n"
    "             including why the loader would ignore it (owner, permissions).\n"
    "list         the entries, one per line.\n"
    "explain      which entry selects PROGRAM and why, or why none does.\n"
    "hash         the xxh128:HEX value that selects PROGRAM by its contents; also\n"
    "             cached in FILE.hcache (when writable) for the loader.\n"
    "add, remove  edit the list (comments are kept; the file is replaced atomically)\n"
    "             and recompile its index.\n"
    "compile      write FILE.idx, which lets the loader decide with one probe however\n"
    "             long the list; a stale index is ignored (the loader parses the text).\n"
    "-c FILE      the list to use (default /etc/runsel/selected.conf).\n";

static void usage(FILE *f, int status)
{
    fputs(usage_text, f);
    exit(status);
}

static int want_help(int argc, char **argv)
{
    for (int i = 1; i < argc && strcmp(argv[i], "--"); i++)
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
            return 1;
    return 0;
}

static const char *absolute(const char *path)
{
    static char buf[PATH_MAX];

    if (!realpath(path, buf))
        die("%s: cannot resolve the loader path", path);
    if (access(buf, X_OK))
        die("%s: not executable", buf);
    return buf;
}

static int cmd_register(int argc, char **argv)
{
    const char *loader = NULL, *log = NULL;
    int global = 0, userns = 0, full = 0, print = 0, i;

    for (i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--global"))
            global = 1;
        else if (!strcmp(argv[i], "--userns"))
            userns = 1;
        else if (!strcmp(argv[i], "--full-range"))
            full = 1;
        else if (!strcmp(argv[i], "--print"))
            print = 1;
        else if (!strcmp(argv[i], "--loader") && i + 1 < argc)
            loader = argv[++i];
        else if (!strcmp(argv[i], "--log") && i + 1 < argc)
            log = argv[++i];
        else if (!strcmp(argv[i], "--")) {
            i++;
            break;
        } else
            usage(stderr, EXIT_USAGE);
    }
    if (print) {   /* the line only, e.g. for /etc/binfmt.d; nothing is registered */
        char line[512];
        if (userns || global || i < argc || binfmt_entry(loader ? loader : default_loader(),
                                                         line, sizeof(line)))
            usage(stderr, EXIT_USAGE);
        puts(line);
        return 0;
    }
    loader = absolute(loader ? loader : default_loader());
    if (userns) {
        if (i >= argc || global)
            usage(stderr, EXIT_USAGE);
        return userns_run(loader, log, full, argv + i);
    }
    if (i < argc || log || full)
        usage(stderr, EXIT_USAGE);
    if (in_initial_userns() && !global)
        die("refusing to register in the machine's own binfmt_misc instance: every exec on "
            "the machine would go through %s. Use --global to do it anyway, or --userns to "
            "try it in a private namespace.", loader);
    return binfmt_register(loader) ? 1 : 0;
}

static int cmd_unregister(int argc, char **argv)
{
    int global = argc == 2 && !strcmp(argv[1], "--global");

    if (argc > 2 || (argc == 2 && !global))
        usage(stderr, EXIT_USAGE);
    if (in_initial_userns() && !global)
        die("the machine's own binfmt_misc instance: use --global");
    return binfmt_unregister() ? 1 : 0;
}

int main(int argc, char **argv)
{
    const char *list = SYSTEM_LIST;

    if (argc >= 3 && (!strcmp(argv[1], "-c") || !strcmp(argv[1], "--config"))) {
        list = argv[2];
        argv[2] = argv[0];
        argv += 2;
        argc -= 2;
    }
    if (argc < 2)
        usage(stderr, EXIT_USAGE);
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help"))
        usage(stdout, 0);
    if (want_help(argc - 1, argv + 1))
        usage(stdout, 0);
    if (!strcmp(argv[1], "register"))
        return cmd_register(argc - 1, argv + 1);
    if (!strcmp(argv[1], "unregister"))
        return cmd_unregister(argc - 1, argv + 1);
    if (!strcmp(argv[1], "status")) {
        if (argc != 2)
            usage(stderr, EXIT_USAGE);
        list_status();
        return binfmt_status();
    }
    if (!strcmp(argv[1], "check") && argc <= 3)
        return cmd_check(argc == 3 ? argv[2] : list);
    if (!strcmp(argv[1], "list") && argc == 2)
        return cmd_list(list);
    if (!strcmp(argv[1], "explain") && argc == 3)
        return cmd_explain(list, argv[2]);
    if (!strcmp(argv[1], "hash") && argc == 3)
        return cmd_hash(list, argv[2]);
    if (!strcmp(argv[1], "compile") && argc == 2)
        return cmd_compile(list, 0);
    if (!strcmp(argv[1], "add") && argc >= 4)
        return cmd_add(list, argc - 2, argv + 2);
    if (!strcmp(argv[1], "remove") && argc == 3)
        return cmd_remove(list, argv[2]);
    if (!strcmp(argv[1], "check") || !strcmp(argv[1], "list") || !strcmp(argv[1], "explain") ||
        !strcmp(argv[1], "hash") || !strcmp(argv[1], "add") || !strcmp(argv[1], "remove") ||
        !strcmp(argv[1], "compile"))
        usage(stderr, EXIT_USAGE);
    fprintf(stderr, "selctl: unknown command '%s'\n", argv[1]);
    usage(stderr, EXIT_USAGE);
}
