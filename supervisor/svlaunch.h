/* svlaunch.h — runsel's entry into placement=process (launch.c). */
#ifndef RUNSEL_SVLAUNCH_H
#define RUNSEL_SVLAUNCH_H

#include <sys/types.h>

/* The run's request, as the loader would read it from the environment
 * (the master keeps its own copy: the program's environment has none). */
struct sv_request {
    const char *run;            /* RUNSEL_RUN */
    const char *config;         /* RUNSEL_CONFIG, or NULL */
    const char *wrapper_dir;    /* RUNSEL_WRAPPER_DIR, or NULL */
};

/* Run prog (a path) with argv under a supervisor; returns only on failure,
 * with runsel's exit status. */
int sv_launch(const char *prog, char *const *argv, const struct sv_request *rq);

/* runsel -p: attach the request's stack to the running processes pids
 * (attach.c) until they end or runsel is told to detach; runsel's exit
 * status. */
int sv_attach(const pid_t *pids, int npids, const struct sv_request *rq);

/* launch.c: the calls the stack for prog takes (wants[], any: every call),
 * whether a wrapper of it enforces a policy, and (inherit, if not NULL)
 * whether every entry passes it on; -1 with why when it cannot run. */
int sv_stack_wants(const char *prog, const struct sv_request *rq, unsigned char *wants,
                   int *any, int *enforcing, int *inherit, char *why, size_t whysize);

#endif
