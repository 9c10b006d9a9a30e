/* filter.h — which calls and results are printed (filter.c). */
#ifndef TRACE_FILTER_H
#define TRACE_FILTER_H

#include <runsel/wrapper.h>

#define STATUS_SUCCESSFUL  1u
#define STATUS_FAILED      2u
#define STATUS_UNFINISHED  4u   /* the process ended in the call */
#define STATUS_UNAVAILABLE 8u   /* the result could not be read (not in-process) */
#define STATUS_DETACHED    16u
#define STATUS_ALL         31u

int filter_init(const struct rs_options *o, char *err, size_t errsize);
int filter_call(long nr, int native);   /* the call is printed */
unsigned filter_status(void);           /* STATUS_* printed */
int filter_signal(int sig);

#endif
