/* churn.c — many short-lived threads and posix_spawn children.  Under
 * runsel every thread has a signal stack of runsel's; a thread cannot
 * unmap its own when it exits, so they are reused: the program's mappings
 * must not grow with the number of threads it ever had.  Prints whether
 * they stayed within a bound, so the output is the same natively. */
#include <pthread.h>
#include <spawn.h>
#include <stdio.h>
#include <sys/wait.h>

extern char **environ;

static void *nothing(void *arg)
{
    return arg;
}

static int mappings(void)
{
    FILE *f = fopen("/proc/self/maps", "r");
    char line[512];
    int n = 0;

    while (f && fgets(line, sizeof(line), f))
        n++;
    if (f)
        fclose(f);
    return n;
}

int main(void)
{
    char *argv[] = {"/bin/true", NULL};
    pthread_t t[50];
    int before = mappings();

    for (int i = 0; i < 300; i++) {
        pid_t pid;
        if (posix_spawn(&pid, argv[0], NULL, NULL, argv, environ) == 0)
            waitpid(pid, NULL, 0);
    }
    for (int i = 0; i < 2000; i++) {
        pthread_create(&t[0], NULL, nothing, NULL);
        pthread_join(t[0], NULL);
    }
    for (int round = 0; round < 20; round++) {
        for (int i = 0; i < 50; i++)
            pthread_create(&t[i], NULL, nothing, NULL);
        for (int i = 0; i < 50; i++)
            pthread_join(t[i], NULL);
    }
    printf("300 spawns, 3000 threads: mappings grew by at most 200: %s\n",
           mappings() - before <= 200 ? "yes" : "no");
    return 0;
}
