/* output.h — the log's writer (output.c).  tid: the calling thread's
 * (the caller knows it: one gettid per traced call). */
#ifndef TRACE_OUTPUT_H
#define TRACE_OUTPUT_H

#include <stddef.h>

void out_init(int fd);
struct rs_log;
/* log=syslog: every line a record of the system log (rs_log_write). */
void out_syslog(struct rs_log *log);
void out_atfork(int fd);
/* A whole line (ends an open line of another call first). */
void out_line(int tid, const char *s, size_t n);
/* The log is this process's own regular file (%p): a start can be taken
 * back (out_withdraw). */
void out_exclusive(int yes);
/* The start of a call's line; returns the token out_finish needs.
 * withdrawable: the call is not made yet, and out_pass(token) says when
 * it is about to be. */
unsigned long out_start(int tid, const char *s, size_t n, int withdrawable);
void out_pass(unsigned long token);
/* From a signal's hook on thread tid, the signal having landed in trace's
 * own code: when the log's last bytes are tid's start of a call not made
 * yet, they are cut off; 1 then. */
int out_withdraw(int tid);
/* The rest of that line, when it is still the log's last: 1; 0 when
 * something came between (the caller then writes "<... resumed>"); -1
 * when its start was taken back (the caller writes the whole line). */
int out_finish(int tid, unsigned long token, const char *rest, size_t n);

#endif
