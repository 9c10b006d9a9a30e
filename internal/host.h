/* host.h — what the initialization module hands a wrapper image (internal
 * to runsel: wrapper authors see only runsel/wrapper.h).  Versioned with
 * RS_ABI_MAJOR/MINOR; new members go at the end. */
#ifndef RUNSEL_HOST_H
#define RUNSEL_HOST_H

#include <runsel/wrapper.h>

struct rs_host {
    unsigned abi_major, abi_minor;
    long (*syscall6)(long nr, long a, long b, long c, long d, long e, long f);
    long (*pass)(struct rs_call *c);
    int (*keep_fd)(int fd);
    const char *program_path;
    const char *wrapper_name;
    /* ABI 1.1 */
    int secure;                 /* AT_SECURE: the exec changed privileges */
    char *const *argv;          /* the program's initial argv and envp */
    char *const *envp;
    /* ABI 1.2 */
    int (*keep_fd_exec)(int fd);   /* rs_keep_fd, and passed to execs through the loader */
    int inherits;               /* this wrapper's entry passes it on to the programs it runs */
};

/* The runtime's part of a forked child's .atfork (copyin.c: the pid it
 * reads the program's memory by). */
void rs_copyin_atfork(void);

/* The wrapper image's ELF entry point: remember the host, return the
 * wrapper's description (NULL: incompatible host). */
typedef const struct rs_wrapper *(*rs_image_entry_fn)(const struct rs_host *host);

#endif
