/* auxv.h — a traced process's auxiliary vector (auxv.c). */
#ifndef RUNSEL_SV_AUXV_H
#define RUNSEL_SV_AUXV_H

#include <stdint.h>
#include <sys/types.h>

/* 1 with the value of entry type (AT_*) of pid's vector in *value, or 0. */
int sv_auxv(pid_t pid, uint64_t type, uint64_t *value);

#endif
