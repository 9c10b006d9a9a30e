/* fexec.c — fexecve() of an O_CLOEXEC descriptor: prints the errno name on
 * failure (binfmt_misc cannot give its interpreter a path for it). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

extern char **environ;

int main(int argc, char **argv)
{
    char *args[] = {argc > 1 ? argv[1] : "/bin/true", NULL};
    int fd = open(args[0], O_RDONLY | O_CLOEXEC);

    if (fd < 0) {
        perror("open");
        return 2;
    }
    fexecve(fd, args, environ);
    printf("%s\n", errno == ENOENT ? "ENOENT" : strerror(errno));
    return 1;
}
