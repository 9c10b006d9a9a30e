/* call.h — one call being traced, between the core (trace.c: its line)
 * and delivery.c (the signals that come during it). */
#ifndef TRACE_CALL_H
#define TRACE_CALL_H

#include "trace.h"

#define LINE 4096

struct call {
    struct tcb t;
    struct rs_call *c;
    long nr;                  /* x86-64 number, -1: another ABI's call */
    const char *name;
    int tid, vmchild;
    int shared;               /* a log shared with other processes (output.c) */
    int done;                 /* decoded in full on entry */
    int passed;               /* rs_pass has returned */
    int ended;                /* a signal's hook wrote the end of its line */
    int again;                /* ... as interrupted: the kernel makes it again */
    unsigned long token;      /* its start is written (output.c); ~0: in a shared log */
    uint64_t t0;              /* -T: when it was made */
    size_t entry_end;         /* the line's length after the entry's arguments */
    size_t args_at;           /* where the arguments start (after "NAME(") */
    struct sysent foreign;    /* the decoder of another ABI's call */
    struct rs_buf o;
    char mem[LINE];
};

/* trace.c */
void call_begin(struct call *k);          /* prefix, name, the arguments passed in */
void call_write_start(struct call *k);    /* one that may block: its start goes out now */
void call_finish(struct call *k, long ret, uint64_t spent);   /* the rest, and the result */
int trace_shown(int tid);                 /* this thread's lines are printed */
void trace_line_start(struct rs_buf *o, char *mem, size_t size, int tid);
void trace_emit(int tid, const char *b, size_t n);
void trace_killed_top(int sig);           /* "+++ killed by" where no traced process reaps */
int trace_json(void);                     /* format=json */
/* format=json: an event's record, fields its JSON text ("event":"signal",...) */
void trace_json_event(int tid, const char *fields, size_t n);

/* delivery.c */
int call_register(struct call *k);        /* 1: a signal's hook can find it */
void call_unregister(struct call *k);
/* rt_sigreturn (c): the %rax the frame restores; 0 if unreadable */
/* ... and a call it interrupted that the kernel makes again: its new start */
void restarted_call(const struct rs_call *c);
void trace_signal(const struct rs_signal *s);   /* the wrapper's signal hook */

#endif
