/* forkexec: fork + exec (the child runs argv[1], default /bin/echo, through
 * the kernel), fork + _exit, fork + a fatal signal, and posix_spawn; the
 * parent waits for each and prints how it ended. */
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static void report(const char *what, pid_t pid)
{
    int st;
    if (pid < 0 || waitpid(pid, &st, 0) != pid) {
        printf("%s: wait failed\n", what);
        return;
    }
    if (WIFEXITED(st))
        printf("%s: exit=%d\n", what, WEXITSTATUS(st));
    else if (WIFSIGNALED(st))
        printf("%s: signal=%d\n", what, WTERMSIG(st));
}

int main(int argc, char **argv)
{
    char *prog = argc > 1 ? argv[1] : "/bin/echo";
    char *args[] = {prog, "child", "says hi", NULL};
    pid_t pid;

    fflush(stdout); /* or the children would print our buffer again */
    if ((pid = fork()) == 0) {
        execv(prog, args);
        _exit(127);
    }
    report("exec child", pid);
    fflush(stdout);
    if ((pid = fork()) == 0)
        _exit(7);
    report("exit child", pid);
    fflush(stdout);
    if ((pid = fork()) == 0) {
        raise(SIGTERM);
        _exit(0);
    }
    report("signalled child", pid);
    fflush(stdout);
    char *targs[] = {"true", NULL};
    if (posix_spawn(&pid, "/bin/true", NULL, NULL, targs, environ) != 0)
        pid = -1;
    report("posix_spawn child", pid);
    return 0;
}
