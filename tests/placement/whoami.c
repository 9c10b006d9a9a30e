/* whoami — for tests/placement/where.c: in the main thread, a second
 * thread and a forked child, print what the kernel says (pid, tid, fd 1's
 * link, the cwd), then call getppid, on which the where wrapper prints
 * what the runtime says. */
#define _GNU_SOURCE
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static void *report(void *arg)
{
    char link[512], cwd[PATH_MAX];
    ssize_t n = readlink("/proc/self/fd/1", link, sizeof(link) - 1);

    link[n > 0 ? n : 0] = 0;
    if (!getcwd(cwd, sizeof(cwd)))
        cwd[0] = 0;
    printf("self pid=%d tid=%d fd1=%s cwd=%s\n", getpid(), (int)syscall(SYS_gettid), link, cwd);
    fflush(stdout);
    syscall(SYS_getppid);
    return arg;
}

int main(void)
{
    pthread_t t;
    pid_t child;

    report(NULL);
    if (pthread_create(&t, NULL, report, NULL) || pthread_join(t, NULL))
        return 1;
    if ((child = fork()) == 0) {
        report(NULL);
        _exit(0);
    }
    return child < 0 || waitpid(child, NULL, 0) != child;
}
