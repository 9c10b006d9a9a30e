/* supervisors.c — selctl status's part on placement=process: each running
 * supervisor (runsel --placement=process's master: the tracer of the
 * programs it serves), what it was started with, the programs it serves
 * and its workers.  Read from /proc, where the kernel says who traces whom
 * (TracerPid): a supervisor keeps no registry of its own to go stale. */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "selctl.h"

#define MAX_PIDS 4096

struct proc_info {
    int pid, ppid, tracer;
    char comm[32];
};

static int read_info(int pid, struct proc_info *p)
{
    char path[64], line[256];
    FILE *f;

    snprintf(path, sizeof(path), "/proc/%d/status", pid);
    if (!(f = fopen(path, "re")))
        return -1;
    memset(p, 0, sizeof(*p));
    p->pid = pid;
    while (fgets(line, sizeof(line), f)) {
        if (!strncmp(line, "Name:", 5))
            sscanf(line + 5, " %31s", p->comm);
        else if (!strncmp(line, "PPid:", 5))
            p->ppid = atoi(line + 5);
        else if (!strncmp(line, "TracerPid:", 10))
            p->tracer = atoi(line + 10);
    }
    fclose(f);
    return 0;
}

/* Its command line, words joined by spaces; 1 when it is runsel's
 * --placement=process or runsel -p (attached: runsel is the master). */
static int supervisor_cmdline(int pid, char *out, size_t size)
{
    char path[64];
    size_t n;
    FILE *f;

    snprintf(path, sizeof(path), "/proc/%d/cmdline", pid);
    if (!(f = fopen(path, "re")))
        return 0;
    n = fread(out, 1, size - 1, f);
    fclose(f);
    while (n && !out[n - 1])
        n--;                              /* the last word's NUL */
    out[n] = 0;
    const char *argv0 = out, *base = strrchr(argv0, '/');
    int is_runsel = !strcmp(base ? base + 1 : argv0, "runsel"), placed = 0;
    for (size_t i = 0; i < n; i++) {
        if (!out[i]) {
            out[i] = ' ';
            continue;
        }
        int word = i == 0 || out[i - 1] == 0 || out[i - 1] == ' ';
        if (word && (!strncmp(out + i, "--placement=process", 19) || !strncmp(out + i, "--attach", 8) ||
                     (out[i] == '-' && out[i + 1] == 'p' && (!out[i + 2] || isdigit((unsigned char)out[i + 2])))))
            placed = 1;
    }
    return is_runsel && placed;
}

void supervisors_status(void)
{
    static struct proc_info all[MAX_PIDS];
    int n = 0, shown = 0;
    DIR *d = opendir("/proc");
    struct dirent *e;

    if (!d)
        return;
    while ((e = readdir(d)) && n < MAX_PIDS)
        if (e->d_name[0] >= '0' && e->d_name[0] <= '9' && read_info(atoi(e->d_name), &all[n]) == 0)
            n++;
    closedir(d);
    printf("supervisors (placement=process):");
    for (int i = 0; i < n; i++) {
        char cmd[1024];
        int serves = 0;
        for (int k = 0; k < n; k++)
            serves += all[k].tracer == all[i].pid;
        if (!serves || !supervisor_cmdline(all[i].pid, cmd, sizeof(cmd)))
            continue;
        printf("\n  %d: %s\n    serves:", all[i].pid, cmd);
        for (int k = 0; k < n; k++)
            if (all[k].tracer == all[i].pid)
                printf(" %d (%s)", all[k].pid, all[k].comm);
        printf("\n    workers:");
        for (int k = 0; k < n; k++)
            if (all[k].ppid == all[i].pid && all[k].tracer != all[i].pid)
                printf(" %d", all[k].pid);
        shown++;
    }
    printf(shown ? "\n" : " none\n");
}
