/* privexec.h — execs an unprivileged supervisor refuses (privexec.c). */
#ifndef RUNSEL_SV_PRIVEXEC_H
#define RUNSEL_SV_PRIVEXEC_H

#include <stddef.h>
#include <sys/types.h>

/* 1 when the program pid's exec of (dirfd, path) — empty: execveat's
 * AT_EMPTY_PATH on dirfd — would run a file that gains privileges (it, or
 * an interpreter of its #! chain), its name in which; else 0. */
int sv_exec_gains_privileges(pid_t pid, int dirfd, const char *path, int empty, char *which,
                             size_t size);

/* An O_PATH descriptor of the file that exec would run when it is a
 * regular file this process may not read (an execute-only program), its
 * name in which; else -1.  The kernel hides such an image's memory (and
 * its /proc/PID/exe) from a tracer without CAP_SYS_PTRACE, so no wrapper
 * could follow it out of process. */
int sv_exec_unreadable(pid_t pid, int dirfd, const char *path, int empty, char *which, size_t size);

#endif
