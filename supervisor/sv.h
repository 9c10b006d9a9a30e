/* sv.h — runsel's out-of-process placement (docs/placement.md): the
 * parts of runsel-supervisor and the messages between them.
 *
 *   launch.c   runsel's side: the supervisor started, the program traced
 *              from its first instruction, the filter, the exec
 *   filter.c   the seccomp filter: SECCOMP_RET_TRACE for the calls the
 *              stack wants, everything else never leaves the kernel
 *   master.c   the tracer (one per run): every traced thread's stops,
 *              forks, execs, signals, exits; asks each process's worker
 *   worker.c   one per traced process, a copy of its parent's at fork (as
 *              the kernel copies the program): the wrapper images, run as
 *              in process, on the call the master hands it
 *   image.c    mapping a wrapper image into a worker
 *   spin.c     waiting for the next message awake a while, then asleep
 *
 * The master and a worker talk over a SOCK_SEQPACKET pair, one message per
 * step of a call, the tid saying which thread's:
 *   master -> worker   SV_CALL     a call stopped at its entry
 *                      SV_RESULT   the call rs_pass asked for has returned
 *                      SV_FORKED   ... it was a fork: fork yourself (the
 *                                  child's channel comes with it)
 *   worker -> master   SV_PASS     make the call, with these arguments
 *                      SV_DONE     its result (made: after the call;
 *                                  not made: the call is skipped)
 * For a stack that only observes (RS_OBSERVES), a call is news: one
 * SV_CALL when it has returned, result included, and no answer (SV_ASYNC). */
#ifndef RUNSEL_SV_H
#define RUNSEL_SV_H

#include <stdint.h>
#include <sys/types.h>
#include <runsel/wrapper.h>

enum sv_kind { SV_CALL = 1, SV_RESULT, SV_FORKED, SV_PASS, SV_DONE, SV_READY, SV_KEEP, SV_SIGNAL, SV_THREAD,
               SV_PIN, SV_PINNED, SV_DETACH, SV_WORKER };
/* SV_READY: a worker has run its wrappers' init (pid: the worker's).
 * SV_WORKER: the first message of a worker forked with its program (pid:
 * the worker's), on the child's process channel: the master waits for it
 * to be gone when the child ends (master.c, drop_worker_at_end).
 * SV_KEEP: a wrapper keeps this fd (with it) for the programs its process execs.
 * SV_SIGNAL: master -> worker, a signal reaches the thread (pid: the signal,
 * made: its default kills); the worker's SV_DONE lets it go on.
 * SV_THREAD: master -> worker, on the process's channel: the channel (with
 * it) for the program thread tid of process pid (the worker's, or a
 * CLONE_VM child's it serves too); every message of that thread's calls
 * goes on it, straight to the worker thread that serves it.
 * SV_PIN: worker -> master, rs_pin_arg for the thread's call at its entry:
 * arg[0] bytes follow the message in the same datagram; SV_PINNED answers
 * with their address in the program's pinned area (ret), or -errno.
 * SV_DETACH: master -> worker, on the process's channel: runsel -p has let
 * the program go; the wrappers' fini runs and the worker ends. */

struct sv_msg {
    uint32_t kind;          /* enum sv_kind */
    int32_t tid;            /* the program's thread */
    int64_t nr;
    int64_t arg[6];
    int64_t ret;
    uint32_t made;          /* SV_DONE: the call was made (rs_pass); SV_PASS: 2 when
                             * nothing waits for its result (no SV_DONE follows) */
    int32_t pid;            /* SV_FORKED: the child's pid; SV_READY: the worker's */
    uint64_t sp;            /* SV_CALL: the program's stack pointer */
    unsigned char info[128]; /* SV_SIGNAL: the siginfo */
    uint64_t clock[4];      /* SV_ASYNC: CLOCK_MONOTONIC and the thread's CPU time (ns) at
                             * the call's entry stop, then at its exit stop */
};
/* SV_CALL's made: 1 for a call the program did not wait for (an observing
 * stack, RS_OBSERVES: master.c's on_entry): sent once it has returned,
 * with its result (ret) and the times of both its stops; nothing answers
 * it. */
#define SV_ASYNC 1u
#define SV_BATCH 16     /* ... up to this many of them in one datagram */
/* SV_READY's made: bits. */
#define SV_READY_SIGNALS 1u     /* a wrapper has a signal hook: the master tells signals */
#define SV_READY_OBSERVES 2u    /* every wrapper observes only (RS_OBSERVES, no rules) */

/* filter.c: the filter for a stack that wants wants[nr] (any: every call). */
int sv_filter_install(const unsigned char *wants, int any, int enforcing);

/* master.c: trace pid (already seized, stopped before its exec) for the run. */
int sv_master_run(pid_t pid, const char *run, const char *config, const char *wrapper_dir);
/* master.c: runsel -p — seize every thread of pids, run the stack on the
 * calls wants[] names (any: all) until they end or a signal detaches. */
int sv_master_attach(const pid_t *pids, int npids, const char *run, const char *config,
                     const char *wrapper_dir, const unsigned char *wants, int any, int inherit);


/* image.c: map the wrapper image open on fd; its entry point, or NULL. */
struct rs_wrapper;
const void *sv_image_map(int fd, char *err, size_t errsize);

#endif
