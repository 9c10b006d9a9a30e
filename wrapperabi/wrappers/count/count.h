/* count.h — the parts of count (count.c: options and the per-call hooks;
 * run.c: the table a run shares and its collector; table.c: the summary
 * as strace prints it), and the table they share. */
#ifndef COUNT_H
#define COUNT_H

#define _GNU_SOURCE
#include <fcntl.h>
#include <time.h>
#include <runsel/wrapper.h>

#define MEMFD_NAME "runsel-count"
#define RUN_MAGIC 0x3274756f63737221ULL
#define NOTES 256           /* execs in flight, run-wide */
#define SLOTS 4096          /* per-process tables; later processes share one more */
#define PATHLEN 112

/* ---- the shared table (one memfd per run, mapped MAP_SHARED) ---- */

struct row {
    uint64_t calls, errors, ns, max_ns, min_inv;   /* min_inv = ~min: 0 until timed */
};

struct note {                /* an exec on its way: its new image finishes it */
    int32_t pid, slot;
    int32_t nr, pad;
    uint64_t t0;
};

struct slot {                /* per-process=yes: one process, its threads and images */
    int32_t pid, images;
    char first[PATHLEN], last[PATHLEN];
    struct row row[RS_NSYS];
};

/* The columns (strace -U) and sort keys (strace -S). */
enum col { C_END, C_PCT, C_TOTAL, C_MIN, C_MAX, C_AVG, C_CALLS, C_ERRORS, C_NAME, C_NONE };

struct settings {             /* the first process's options: the whole run's */
    int latency, per_process;
    int json;                         /* format=json */
    int sort;                         /* enum col; C_NONE: number order */
    unsigned char columns[9];         /* C_END-terminated */
};

struct run {
    uint64_t magic, created, size;
    int32_t root_pid, collector_pid;
    int32_t status;                   /* 0 starting, 1 collector ready, -1 failed: why */
    int32_t refused;                  /* the log was refused (the exec then fails) */
    uint32_t nslots;
    struct settings set;
    char why[256];
    char root_program[PATHLEN];       /* the first process's program (format=json) */
    struct note note[NOTES];
    struct row total[RS_NSYS];
    struct slot slot[];               /* per-process=yes: SLOTS + 1 */
};

/* ---- this process (count.c) ---- */
extern struct run *run;               /* NULL: this process does not count */
extern struct row *rows;              /* run->total, or this process's slot's */
extern int run_fd, my_pid, my_slot, clock_id;
extern struct settings want;          /* this image's options */
extern const char *log_opt;

uint64_t count_now(void);             /* clock_id's time, ns */
void count_add_time(struct row *r, uint64_t t0, uint64_t t1);
struct note *count_note(int pid, int claim);   /* this pid's exec note (claim: a new one) */

/* ---- the run (run.c) ---- */
int run_create(char *err, size_t errsize);   /* 0; -1 failed; -2 the log was refused */
int run_join(void);                   /* 1: joined the run this image inherited */
void run_atfork(void);                /* a forked child: alive, its own slot */
void run_wait_summary(void);          /* the root at exit, when it is the last */

/* ---- the summary (table.c) ---- */
void count_summary(struct rs_log *log);

#endif
