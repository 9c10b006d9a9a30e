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
/* The start of a call's line; returns the token out_finish needs. */
unsigned long out_start(int tid, const char *s, size_t n);
/* The rest of that line, when it is still the log's last: 1; 0 when
 * something came between (the caller then writes "<... resumed>"). */
int out_finish(int tid, unsigned long token, const char *rest, size_t n);

#endif
