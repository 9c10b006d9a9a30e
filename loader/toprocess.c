/* toprocess.c — a selected.conf entry with placement=process: the
 * program's wrappers run in runsel's supervisor, not in its memory
 * (docs/placement.md).
 *
 * The loader cannot be the supervisor (it becomes the program), so it
 * execs runsel next to it: `runsel --placement=process --exec-file=PATH
 * -- ARGV0 ARGS...`, with the program's environment, RUNSEL_CONFIG (the
 * list the entry came from) included.  runsel's supervisor selects with
 * the same list and so finds the same entry, and execs the program; that
 * exec comes back here through binfmt_misc, where the loader learns it is
 * held (internal/supervised.h) and starts the program plainly.  Should
 * the supervisor not take it (a loader other than the one registered),
 * the second pass finds RUNSEL_HELD_EXEC and fails, 126, instead of
 * going round again.  runsel missing or failing: the exec fails, 126 —
 * never the program run unwrapped. */
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include "loader.h"
#include "sys.h"

#define HELD_MARK "RUNSEL_HELD_EXEC=1"

int selection_wants_process(const struct selection *sel)
{
    for (int i = 0; i < sel->nitems; i++) {
        struct sel_entry en;
        const char *why;
        const struct sel_item *it = &sel->item[i];
        if (!it->inherited && selconf_parse_line(it->entry, strlen(it->entry), it->line, &en, &why) == 1 &&
            en.process)
            return 1;
    }
    return 0;
}

static int marked(char **envp)
{
    for (char **e = envp; *e; e++)
        if (!strcmp(*e, HELD_MARK))
            return 1;
    return 0;
}

/* runsel, in the loader's own directory (build/bin, or the libexec
 * directory, where `make install` links it). */
static int runsel_path(char *buf, size_t size, struct ld_err *e)
{
    if (loader_path(buf, size - 8, e))
        return -1;
    size_t n = strlen(buf);
    while (n > 0 && buf[n - 1] != '/')
        n--;
    memcpy(buf + n, "runsel", 7);
    return 0;
}

int exec_out_of_process(const struct initial_stack *s, const char *path, char **argv, long argc,
                        struct ld_err *e)
{
    char runsel[4096 + 8], file[4096 + 16];   /* not static: their addresses would be data relocations */
    size_t plen = strlen(path);

    if (marked(s->envp))
        return ld_fail(e, LD_EXIT_CANNOT, "placement=process: runsel's supervisor did not take the "
                       "program (is the loader runsel runs the one binfmt_misc has registered?)");
    if (runsel_path(runsel, sizeof(runsel), e))
        return -1;
    if (plen + 13 > sizeof(file))
        return ld_fail(e, LD_EXIT_CANNOT, "path too long");
    memcpy(file, "--exec-file=", 12);
    memcpy(file + 12, path, plen + 1);
    size_t nv = (size_t)argc + 5, ne = (size_t)s->envc + 2;
    size_t bytes = ((nv + ne) * sizeof(char *) + 4095) & ~4095UL;
    char **v = sys_mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (rs_is_err((long)v))
        return ld_fail(e, LD_EXIT_CANNOT, "out of memory");
    char **env = v + nv;
    size_t k = 0;
    v[k++] = runsel;
    v[k++] = (char *)"--placement=process";
    v[k++] = file;
    v[k++] = (char *)"--";
    for (long i = 0; i < argc; i++)
        v[k++] = argv[i];
    if (!argc)
        v[k++] = (char *)path;         /* runsel needs a PROGRAM word: the path, as argv[0] */
    v[k] = NULL;
    k = 0;
    for (long i = 0; i < s->envc; i++)
        env[k++] = s->envp[i];
    env[k++] = (char *)HELD_MARK;
    env[k] = NULL;
    long r = sys3(SYS_execve, runsel, v, env);
    return ld_fail(e, LD_EXIT_CANNOT, "placement=process: cannot run %s (%s)", runsel,
                   ld_strerror((int)-r));
}
