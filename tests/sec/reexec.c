/* reexec — re-executes itself through one of the names of its own image or
 * descriptors, as busybox, runc and Go's os.Executable users do:
 *
 *   reexec exe|thread-self|pid [FILE]       via /proc/self/exe, ...
 *   reexec fd|devfd SELF [FILE]             via /proc/self/fd/N, /dev/fd/N
 *                                           of SELF opened close-on-exec
 *
 * The child (argv = ["me", "child", FILE?]) prints what it is and, given
 * FILE, whether it could create it (a sandbox must still be there). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int child(int argc, char **argv)
{
    char exe[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

    exe[n > 0 ? n : 0] = 0;
    printf("child ok argv0=%s\n", argv[0]);
    if (argc > 2) {
        int fd = open(argv[2], O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
        printf("write=%s\n", fd >= 0 ? "ok" : strerror(errno));
    }
    return 0;
}

int main(int argc, char **argv)
{
    char path[64];
    const char *file = NULL;
    int fd;

    if (argc > 1 && !strcmp(argv[1], "child"))
        return child(argc, argv);
    if (argc < 2)
        return 2;
    if (!strcmp(argv[1], "exe") || !strcmp(argv[1], "thread-self") || !strcmp(argv[1], "pid")) {
        if (!strcmp(argv[1], "pid"))
            snprintf(path, sizeof(path), "/proc/%d/exe", (int)getpid());
        else
            snprintf(path, sizeof(path), "/proc/%s/exe", argv[1][0] == 'e' ? "self" : "thread-self");
        file = argc > 2 ? argv[2] : NULL;
    } else if (argc > 2 && (!strcmp(argv[1], "fd") || !strcmp(argv[1], "devfd"))) {
        if ((fd = open(argv[2], O_RDONLY | O_CLOEXEC)) < 0)
            return perror(argv[2]), 1;
        snprintf(path, sizeof(path), argv[1][0] == 'f' ? "/proc/self/fd/%d" : "/dev/fd/%d", fd);
        file = argc > 3 ? argv[3] : NULL;
    } else {
        return 2;
    }
    char *args[] = {"me", "child", (char *)file, NULL};
    execv(path, args);
    perror(path);
    return 127;
}
