/* goon.c — tests/t_placement.sh: an observing stack (count) does not
 * hold the program.  Reads one byte from the FIFO argv[1] (the test
 * stops the worker first), makes argv[3] getppid calls, then creates
 * argv[2]: with the worker stopped, that file appears only if the
 * program's calls did not wait for it.  Static, so that its start makes
 * few calls of its own (each is a message queued for the stopped worker). */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    char c;

    if (argc != 4)
        return 2;
    int fd = open(argv[1], O_RDONLY);
    if (fd < 0 || read(fd, &c, 1) != 1)
        return 1;
    for (long i = 0, n = atol(argv[3]); i < n; i++)
        syscall(SYS_getppid);
    int out = open(argv[2], O_WRONLY | O_CREAT | O_EXCL, 0644);
    return out < 0;
}
