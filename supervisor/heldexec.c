/* heldexec.c — an exec that binfmt_misc hands to runsel's own loader in a
 * process the supervisor holds (internal/supervised.h).
 *
 * Where runsel's loader is registered for every ELF, the program the
 * supervisor execs (and every one it execs) starts as the loader's image:
 * /proc/PID/exe is the loader, the program is its argument.  Deciding the
 * stack for the loader's file, or letting the loader decide (it would map
 * initmod and in-process wrappers under the supervisor's), would be
 * wrong.  So at such an exec the master starts no worker: the loader's
 * first call asks whether it is held (its prctl), the master decides the
 * stack for the program — the file the loader has open, as binfmt_misc
 * gave it — and answers yes; the loader then starts the program as the
 * kernel would.  The loader is recognised by its file (the interpreter of
 * binfmt_misc's "runsel" entry, same device and inode) and by the
 * descriptor binfmt_misc passes it (AT_EXECFD, the entry's O flag). */
#define _GNU_SOURCE
#include <elf.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "auxv.h"
#include "heldexec.h"

/* The interpreter of binfmt_misc's runsel entry, if one is registered. */
static int registered_loader(struct stat *st)
{
    char line[4200], path[4096];
    FILE *f = fopen("/proc/sys/fs/binfmt_misc/runsel", "re");
    int found = 0;

    if (!f)
        return 0;
    while (!found && fgets(line, sizeof(line), f))
        found = sscanf(line, "interpreter %4095s", path) == 1;
    fclose(f);
    return found && stat(path, st) == 0;
}

int sv_exec_is_runsel_loader(pid_t pid)
{
    char exe[64];
    struct stat a, b;

    uint64_t execfd;

    if (!sv_auxv(pid, AT_EXECFD, &execfd) || !registered_loader(&a))
        return 0;
    snprintf(exe, sizeof(exe), "/proc/%d/exe", pid);
    return stat(exe, &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}
