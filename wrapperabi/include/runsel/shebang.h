/* runsel/shebang.h — a "#!" line read as the kernel's binfmt_script reads
 * it (wrapperabi/lib/shebang.c).  Freestanding, no system calls: used by
 * initmod and the wrappers, and by the host tools (runsel). */
#ifndef RUNSEL_SHEBANG_H
#define RUNSEL_SHEBANG_H

#include <stddef.h>

/* What the kernel reads of a script (BINPRM_BUF_SIZE); buffers handed to
 * rs_shebang are this long. */
#define RS_SHEBANG_HEAD 256
/* How deep #! scripts may nest: the script and four interpreters; the
 * kernel fails the fifth interpreter with ELOOP. */
#define RS_SHEBANG_DEPTH 5

/* head holds the first n bytes of a file in a buffer of RS_SHEBANG_HEAD
 * bytes and is parsed in place, as the kernel parses its copy: bytes n..
 * are zeroed, the interpreter's name and the argument end with NULs
 * written into it.  Returns:
 *   1        a script: *interp (empty when a NUL follows "#!" and its
 *            spaces: the kernel then fails to open it, and so will the
 *            caller) and *arg, the rest of the line with the spaces and
 *            tabs around it trimmed, up to a NUL (NULL when there is none;
 *            a long one is cut where the kernel's read ends);
 *   0        head does not begin with "#!";
 *   -ENOEXEC the kernel refuses the line: no interpreter name, or a name
 *            the 256-byte read cut short (no newline, and no space, tab or
 *            NUL after the name).
 * tests/unit/shebangcheck.c holds each row against the running kernel. */
int rs_shebang(char *head, size_t n, const char **interp, const char **arg);

#endif
