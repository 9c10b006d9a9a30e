/* svlaunch.h — runsel's entry into placement=process (launch.c). */
#ifndef RUNSEL_SVLAUNCH_H
#define RUNSEL_SVLAUNCH_H

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

#endif
