/* heldexec.h — runsel's loader in a held process (heldexec.c). */
#ifndef RUNSEL_SV_HELDEXEC_H
#define RUNSEL_SV_HELDEXEC_H

#include <sys/types.h>

/* 1: the image pid just exec'd is runsel's loader, started by
 * binfmt_misc: its program's stack is decided at the loader's query. */
int sv_exec_is_runsel_loader(pid_t pid);

#endif
