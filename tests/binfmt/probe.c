/* probe.c — a stand-in binfmt_misc interpreter: prints what the kernel
 * hands it instead of running the program.  Built static and stamped like
 * the loader (byte 15 = 'S'), so it never matches its own entry.
 *
 *   argv   ARG0|ARG1|...            (with P: loader|/path|argv0|args...)
 *   execfd N same-file|other-file   (O: AT_EXECFD, the program, argv[1])
 *   execfd none
 *   flags  0xN                      (AT_FLAGS; bit 0 = argv[0] preserved)
 *   secure N                        (AT_SECURE)
 *   euid   N */
#include <errno.h>
#include <stdio.h>
#include <sys/auxv.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    struct stat a, b;
    unsigned long fd;

    fputs("argv ", stdout);
    for (int i = 0; i < argc; i++)
        printf("%s%s", i ? "|" : "", argv[i]);
    putchar('\n');
    errno = 0;
    fd = getauxval(AT_EXECFD);
    if (errno == ENOENT)
        puts("execfd none");
    else
        printf("execfd %lu %s\n", fd,
               argc > 1 && fstat((int)fd, &a) == 0 && stat(argv[1], &b) == 0 &&
                       a.st_dev == b.st_dev && a.st_ino == b.st_ino
                   ? "same-file"
                   : "other-file");
    printf("flags 0x%lx\n", getauxval(AT_FLAGS));
    printf("secure %lu\n", getauxval(AT_SECURE));
    printf("euid %u\n", (unsigned)geteuid());
    return 0;
}
