/* fdlist.c — list a directory with getdents64 (or the old getdents:
 * argv[3] "old") through a buffer of argv[2] bytes, one name per line:
 * tests/t_wrap.sh lists /proc/self/fd through a buffer that holds one
 * record, so a read that returns only a kept fd's record must be read on
 * (initmod/fdview.c), not end the listing. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: fdlist DIR BUFSIZE [old]\n");
        return 2;
    }
    int old = argc > 3 && !strcmp(argv[3], "old");
    size_t size = strtoul(argv[2], NULL, 0);
    char *buf = malloc(size);
    int fd = open(argv[1], O_RDONLY | O_DIRECTORY);
    if (!buf || fd < 0) {
        perror(argv[1]);
        return 1;
    }
    for (;;) {
        long n = syscall(old ? SYS_getdents : SYS_getdents64, fd, buf, size);
        if (n < 0) {
            perror("getdents");
            return 1;
        }
        if (n == 0)
            break;
        for (long off = 0; off < n;) {
            unsigned short reclen;
            memcpy(&reclen, buf + off + 16, sizeof(reclen));
            const char *name = buf + off + (old ? 18 : 19);
            if (strcmp(name, ".") && strcmp(name, ".."))
                printf("%s\n", name);
            off += reclen;
        }
    }
    return 0;
}
