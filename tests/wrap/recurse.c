/* recurse — a test wrapper that makes the very calls it wraps: its own
 * getppid/getpid calls must run natively, and each program call must reach
 * it exactly once.  At exit it prints "recurse: getppid=N getpid=M". */
#include <runsel/wrapper.h>

static unsigned long seen_getppid, seen_getpid;

static int on_getppid(struct rs_call *c)
{
    rs_atomic_add(&seen_getppid, 1);
    c->ret = rs_syscall(SYS_getppid);      /* the same call, from the wrapper */
    return RS_RETURN;
}

static long on_getpid(struct rs_call *c)
{
    rs_atomic_add(&seen_getpid, 1);
    rs_syscall(SYS_getpid);
    return rs_pass(c);
}

static void fini(int status)
{
    (void)status;
    rs_dprintf(2, "recurse: getppid=%lu getpid=%lu\n", rs_atomic_load(&seen_getppid),
               rs_atomic_load(&seen_getpid));
}

static const struct rs_handler handlers[] = {
    RS_WRAP_CALL(SYS_getppid, on_getppid, NULL),
    RS_OVERRIDE_CALL(SYS_getpid, on_getpid),
};

RS_WRAPPER("recurse", handlers, .fini = fini);
