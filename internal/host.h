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
    /* ABI 1.4: where the program is.  initmod runs in the program's process
     * and answers for itself (/proc/self, the raw getpid/gettid); a host in
     * another process (the supervisor of placement=process) answers for
     * the program whose call, init, fini, atfork or signal hook is being
     * run. */
    int inprocess;              /* 1: this process is the program's (rs_program_fd is fd itself) */
    /* The program's /proc directory, no trailing slash — "/proc/self" or,
     * with thread, "/proc/thread-self" in process; "/proc/PID" and
     * "/proc/PID/task/TID" from a supervisor — into buf: its length, as
     * snprintf (size or more: it did not fit). */
    size_t (*proc_dir)(char *buf, size_t size, int thread);
    int (*getpid)(void);        /* the program's pid and tid */
    int (*gettid)(void);
    /* Not inprocess: a new descriptor of the host's, close-on-exec, on the
     * open file of the program's fd (pidfd_getfd: the same open file
     * description, so fstat, fcntl(F_GETFL), ioctl and *at calls on it
     * act as on the program's), or -errno (-EBADF: not open there).  The
     * runtime closes it.  Never called in process, nor for AT_FDCWD. */
    long (*program_fd)(int fd);
    /* Room in the program's memory for this call's arguments (rs_call_scratch),
     * or NULL (initmod: none, the wrapper's memory is the program's). */
    void *(*call_scratch)(const struct rs_call *c, size_t size);
    /* ABI 1.5: rs_pin_arg, or NULL (initmod: the wrapper's memory is the
     * program's; the argument points at data itself). */
    long (*pin_arg)(struct rs_call *c, int idx, const void *data, size_t size);
    int attached;               /* ABI 1.5: the wrappers joined a running program (runsel -p) */
    /* ABI 1.7: rs_call_clock_ns out of process: the time on clock when
     * the program thread was seen at this point of its call (*ns), 0; or
     * -1: no such time here (the runtime reads the clock then).  NULL in
     * process: the clock is read. */
    int (*call_clock)(int clock, uint64_t *ns);
};

/* The host's proc_dir, or what a host older than 1.4 means (it runs in
 * the program: /proc/self): wrapperabi/lib/entry.c, for program.c. */
size_t rs_proc_dir(char *buf, size_t size, int thread);
long rs_program_fd_host(int fd);      /* host->program_fd (1.4 hosts not in process) */

/* The runtime's part of a forked child's .atfork (copyin.c: the pid it
 * reads the program's memory by). */
void rs_copyin_atfork(void);

/* The wrapper image's ELF entry point: remember the host, return the
 * wrapper's description (NULL: incompatible host). */
typedef const struct rs_wrapper *(*rs_image_entry_fn)(const struct rs_host *host);

#endif
