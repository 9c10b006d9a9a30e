/* where — a test wrapper that says what ABI 1.4's "where is the program"
 * services answer, through initmod (the in-process host): on each getppid
 * of the program, one line on the program's stdout (rs_program_fd(1))
 *     where pid=P tid=T inprocess=1 proc=/proc/self/fd/1 thread=/proc/thread-self/fd/1
 *           fd1=LINK cwd=CWD same=1
 * where LINK is the program's fd 1 read through rs_proc_path, CWD is
 * rs_program_cwd's, and same says that rs_program_fd and rs_program_dirfd
 * gave the numbers themselves.  tests/placement/whoami.c prints what the
 * kernel says, for tests/t_placement_ready.sh to compare. */
#include <fcntl.h>
#include <runsel/wrapper.h>

static int on_getppid(struct rs_call *c)
{
    char proc[64], thread[64], link[512], cwd[512];
    long out = rs_program_fd(1), n = -1;
    int same = out == 1 && rs_program_fd(7) == 7 && rs_program_fd(AT_FDCWD) == AT_FDCWD &&
               rs_program_dirfd(7, "x") == 7 && rs_program_dirfd(7, "/x") == 7;

    if (rs_proc_path(proc, sizeof(proc), "fd/%d", 1) > 0)
        n = rs_syscall(SYS_readlink, proc, link, sizeof(link) - 1);
    link[n > 0 ? n : 0] = 0;
    if (rs_proc_thread_path(thread, sizeof(thread), "fd/%d", 1) < 0)
        thread[0] = 0;
    if (rs_program_cwd(cwd, sizeof(cwd)) < 0)
        cwd[0] = 0;
    rs_dprintf((int)out, "where pid=%d tid=%d inprocess=%d proc=%s thread=%s fd1=%s cwd=%s same=%d\n",
               rs_getpid(), rs_gettid(), rs_inprocess(), proc, thread, link, cwd, same);
    rs_program_fd_done(out);
    (void)c;
    return RS_CONTINUE;
}

static const struct rs_handler handlers[] = {
    RS_WRAP_CALL(SYS_getppid, on_getppid, NULL),
};

RS_WRAPPER("where", handlers, .summary = "prints what rs_getpid, rs_proc_path ... answer");
