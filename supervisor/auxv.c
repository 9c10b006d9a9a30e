/* auxv.c — one entry of a traced process's auxiliary vector, from
 * /proc/PID/auxv (the vDSO's base for pin.c, binfmt_misc's AT_EXECFD for
 * heldexec.c). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>
#include "auxv.h"

int sv_auxv(pid_t pid, uint64_t type, uint64_t *value)
{
    char path[64];
    uint64_t av[2 * 64];
    ssize_t n;
    int fd;

    snprintf(path, sizeof(path), "/proc/%d/auxv", pid);
    if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
        return 0;
    n = read(fd, av, sizeof(av));
    close(fd);
    for (ssize_t i = 0; i + 1 < n / 8; i += 2)
        if (av[i] == type) {
            *value = av[i + 1];
            return 1;
        }
    return 0;
}
