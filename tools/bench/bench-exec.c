/* bench-exec.c — exec+exit cost of programs, natively and through the loader.
 *
 *   bench-exec [-n ROUNDS] [-r REPS] [-a AGENT-CMD] -- LABEL=[@]CMD[,ARG...] ...
 *   bench-exec --agent
 *
 * Each configuration is a label and an argv (comma separated); leading
 * NAME=VALUE items are set in that configuration's environment.  A command
 * starting with @ is run by the agent: a copy of bench-exec started with
 * AGENT-CMD (split on commas, e.g. selctl,register,--userns,--,
 * build/bin/bench-exec,--agent) that times execs inside another
 * environment — a private binfmt_misc namespace — and reports back over a
 * pipe, so that configuration too is interleaved with the native one.
 * Rounds are
 * interleaved (every configuration once per round, after a warm-up) so that
 * machine noise hits all of them alike; each round times REPS
 * vfork+execve+wait cycles.  Prints per configuration the median, min and
 * max time per exec and the ratio of medians to its baseline: native-KIND
 * for a configuration labelled WHATEVER-KIND, else the first one.  Ratios are the figure of merit: absolute times on
 * a shared machine are noisy and are never asserted. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#define MAX_CONFIGS 16
#define MAX_ARGS 16

struct config {
    const char *label;
    int via_agent;
    char **envp;                 /* environ plus this configuration's NAME=VALUE */
    char *argv[MAX_ARGS + 1];
    double *samples;     /* ns per exec, one per round */
};

static FILE *agent_in, *agent_out;   /* pipes to the agent, if any */

static double now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* One exec+exit of argv, stdout to /dev/null. */
static int spawn_wait(char **argv, char **envp)
{
    posix_spawn_file_actions_t fa;
    pid_t pid;
    int st, r;

    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    r = posix_spawn(&pid, argv[0], &fa, NULL, argv, envp);
    posix_spawn_file_actions_destroy(&fa);
    if (r != 0)
        return -1;
    if (waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
        return -1;
    return 0;
}

static double time_reps(char **argv, char **envp, int reps)
{
    double t0 = now_ns();

    for (int k = 0; k < reps; k++)
        if (spawn_wait(argv, envp))
            return -1;
    return (now_ns() - t0) / reps;
}

/* Ask the agent to time reps execs of argv; it answers ns per exec. */
static double agent_time(char **argv, int reps)
{
    char line[64];

    fprintf(agent_in, "%d", reps);
    for (char **a = argv; *a; a++)
        fprintf(agent_in, " %s", *a);
    fputc('\n', agent_in);
    fflush(agent_in);
    if (!fgets(line, sizeof(line), agent_out))
        return -1;
    return strtod(line, NULL);
}

static double time_config(struct config *c, int reps)
{
    return c->via_agent ? agent_time(c->argv, reps) : time_reps(c->argv, c->envp, reps);
}

/* Agent side: "REPS ARG..." per line on stdin, "NS\n" per line on stdout. */
static int agent_loop(void)
{
    char line[4096];

    while (fgets(line, sizeof(line), stdin)) {
        char *argv[MAX_ARGS + 1];
        int n = 0, reps = atoi(strtok(line, " \n"));
        for (char *t = strtok(NULL, " \n"); t && n < MAX_ARGS; t = strtok(NULL, " \n"))
            argv[n++] = t;
        argv[n] = NULL;
        printf("%.1f\n", n ? time_reps(argv, environ, reps) : -1.0);
        fflush(stdout);
    }
    return 0;
}

static int start_agent(char *spec)
{
    char *argv[MAX_ARGS + 1];
    int n = 0, to[2], from[2];
    pid_t pid;
    posix_spawn_file_actions_t fa;

    for (char *t = strtok(spec, ","); t && n < MAX_ARGS; t = strtok(NULL, ","))
        argv[n++] = t;
    argv[n] = NULL;
    if (!n || pipe(to) || pipe(from))
        return -1;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, to[0], 0);
    posix_spawn_file_actions_adddup2(&fa, from[1], 1);
    posix_spawn_file_actions_addclose(&fa, to[1]);
    posix_spawn_file_actions_addclose(&fa, from[0]);
    int r = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (r != 0)
        return -1;
    close(to[0]);
    close(from[1]);
    agent_in = fdopen(to[1], "w");
    agent_out = fdopen(from[0], "r");
    return agent_in && agent_out ? 0 : -1;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

static int parse_config(char *spec, struct config *c)
{
    char *eq = strchr(spec, '=');
    int n = 0;

    if (!eq)
        return -1;
    *eq = 0;
    c->label = spec;
    c->via_agent = eq[1] == '@';
    size_t nenv = 0;
    while (environ[nenv])
        nenv++;
    c->envp = calloc(nenv + MAX_ARGS + 1, sizeof(char *));
    if (!c->envp)
        return -1;
    memcpy(c->envp, environ, nenv * sizeof(char *));
    for (char *tok = strtok(eq + 1 + c->via_agent, ","); tok && n < MAX_ARGS;
         tok = strtok(NULL, ",")) {
        char *e = strchr(tok, '=');
        if (!n && e && tok[0] != '/' && !c->via_agent)
            c->envp[nenv++] = tok;          /* NAME=VALUE for this configuration */
        else
            c->argv[n++] = tok;
    }
    c->argv[n] = NULL;
    return n ? 0 : -1;
}

/* The baseline of "X-...-kind" is "native-kind" when there is one, else the
 * first configuration. */
static const struct config *baseline_of(const struct config *cfg, int nc, int i)
{
    const char *dash = strrchr(cfg[i].label, '-');

    for (int j = 0; dash && j < nc; j++)
        if (!strncmp(cfg[j].label, "native-", 7) && !strcmp(cfg[j].label + 7, dash + 1))
            return &cfg[j];
    return &cfg[0];
}

static void usage(void)
{
    fprintf(stderr, "usage: bench-exec [-n ROUNDS] [-r REPS] [-a AGENT,CMD] -- "
                    "LABEL=[@]CMD[,ARG...] ...\n       bench-exec --agent\n");
    exit(2);
}

int main(int argc, char **argv)
{
    struct config cfg[MAX_CONFIGS];
    int rounds = 30, reps = 20, opt, nc = 0;
    char *agent = NULL;

    if (argc == 2 && !strcmp(argv[1], "--agent"))
        return agent_loop();
    while ((opt = getopt(argc, argv, "n:r:a:")) != -1) {
        if (opt == 'n')
            rounds = atoi(optarg);
        else if (opt == 'r')
            reps = atoi(optarg);
        else if (opt == 'a')
            agent = optarg;
        else
            usage();
    }
    if (agent && start_agent(agent)) {
        fprintf(stderr, "bench-exec: cannot start agent\n");
        return 1;
    }
    if (rounds < 1 || reps < 1 || optind >= argc)
        usage();
    for (int i = optind; i < argc && nc < MAX_CONFIGS; i++, nc++) {
        if (parse_config(argv[i], &cfg[nc]))
            usage();
        cfg[nc].samples = calloc((size_t)rounds, sizeof(double));
        if ((cfg[nc].via_agent && !agent) || !cfg[nc].samples ||
            time_config(&cfg[nc], 3) < 0) {   /* warm-up and sanity */
            fprintf(stderr, "bench-exec: %s: does not run or exits non-zero\n", cfg[nc].label);
            return 1;
        }
    }
    for (int r = 0; r < rounds; r++)
        for (int i = 0; i < nc; i++) {
            cfg[i].samples[r] = time_config(&cfg[i], reps);
            if (cfg[i].samples[r] < 0) {
                fprintf(stderr, "bench-exec: %s failed\n", cfg[i].label);
                return 1;
            }
        }
    printf("%-32s %10s %10s %10s  %-20s %s\n", "configuration", "median_us", "min_us",
           "max_us", "baseline", "ratio");
    for (int i = 0; i < nc; i++)
        qsort(cfg[i].samples, (size_t)rounds, sizeof(double), cmp_double);
    for (int i = 0; i < nc; i++) {
        const struct config *b = baseline_of(cfg, nc, i);
        double med = cfg[i].samples[rounds / 2];
        printf("%-32s %10.1f %10.1f %10.1f  %-20s %.3f\n", cfg[i].label, med / 1e3,
               cfg[i].samples[0] / 1e3, cfg[i].samples[rounds - 1] / 1e3, b->label,
               med / b->samples[rounds / 2]);
    }
    for (int i = 0; i < nc; i++) {
        free(cfg[i].samples);
        free(cfg[i].envp);
    }
    return 0;
}
