/* nounlink — files cannot be deleted: unlink/unlinkat/rmdir fail with
 * EPERM, and each refusal is reported on the program's stderr.  Build and
 * use:
 *     make -C wrapperabi/examples
 *     runsel -w $PWD/wrapperabi/examples/nounlink.so -- rm somefile */
#include <runsel/wrapper.h>

static int refuse(struct rs_call *c)
{
    const char *arg = (const char *)(c->nr == SYS_unlinkat ? c->arg[1] : c->arg[0]);
    char path[256];
    long err = rs_program_fd(2);     /* the program's stderr, wherever the wrapper runs */

    /* the name is the program's memory: copied, never read in place */
    if (rs_copy_in_str(path, arg, sizeof(path)) < 0)
        rs_strlcpy(path, "?", sizeof(path));
    rs_dprintf((int)err, "nounlink: refused %s(\"%s\")\n", rs_syscall_name(c->nr), path);
    rs_program_fd_done(err);
    return rs_veto(c, EPERM);
}

static const struct rs_handler handlers[] = {
    RS_WRAP_CALL(SYS_unlink, refuse, NULL),
    RS_WRAP_CALL(SYS_unlinkat, refuse, NULL),
    RS_WRAP_CALL(SYS_rmdir, refuse, NULL),
};

RS_OPTIONS();    /* none: any option is refused */
RS_WRAPPER("nounlink", handlers, .summary = "deleting files fails with EPERM");
