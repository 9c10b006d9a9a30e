/* exec.h — what trace carries across an exec (exec.c). */
#ifndef TRACE_EXEC_H
#define TRACE_EXEC_H

#include <runsel/wrapper.h>
#include "tz.h"

/* What the image that exec'd this one left in our environment, and the
 * program's TZ and TZDIR (the zone its lines' times are in). */
struct exec_env {
    int shared;                 /* its lines were prefixed: so are ours */
    int child;                  /* a traced process forked this one */
    int started;                /* it wrote the start of the execve line, into our log */
    size_t col;                 /* that start's length: where the line goes on */
    uint64_t t0;                /* when (CLOCK_MONOTONIC): the exec's -T time */
    struct tz_env tz;
};
void exec_read_env(struct exec_env *e, int log_fd);
/* In init: the log every exec passes on (rs_log_exec_var), if any. */
void exec_pass_log(const struct rs_log *log);
/* Before an execve/execveat: a copy of the envp without stale markers,
 * with the ones that apply (c->data keeps the copy); started: the line's
 * start goes to the log (its identity is passed on). */
void exec_before(struct rs_call *c, long nr, int shared, int started, int log_fd, int my_pid,
                 size_t col);
/* After it (it failed): the program's envp back, the copy freed. */
void exec_after(struct rs_call *c, long nr, int my_pid);
/* A vfork child sharing our memory left its copy: free it. */
void exec_free_orphan(int tid);
/* The execs this process makes pass on that it is a traced process's child. */
void exec_mark_child(int child);
/* A variable of runsel's own (RUNSEL_...): not counted or shown. */
int exec_runsel_var(const char *s, size_t n);

#endif
