/* dispatch.c — one intercepted call: which of the wrapper's handlers
 * applies, and the wrap/override semantics around the real call.
 *
 *   RS_WRAP      before() may change the arguments or veto (RS_RETURN with
 *                c->ret = -errno); then the call runs; after() sees and may
 *                change the result
 *   RS_OVERRIDE  fn()'s return value is the result; fn may rs_pass()
 *
 * The table is built once at start and only read afterwards, so every
 * thread and signal handler can dispatch without locks. */
#include "im.h"

#define IM_NSYS 512   /* x86-64 numbers are below this; larger ones go to RS_ANY */

static const struct rs_handler *table[IM_NSYS];
static const struct rs_handler *any;
static unsigned char allowed[IM_NSYS];   /* syscalls=: the calls the wrapper may see */
static int narrowed;

static int parse_syscalls(const char *list, char *err, size_t errsize)
{
    const char *cur = list, *w;
    size_t len;

    while ((w = rs_next_word(&cur, ',', &len))) {
        long nr = -1;
        if (w[0] >= '0' && w[0] <= '9') {
            nr = 0;
            for (size_t i = 0; i < len && nr < IM_NSYS; i++)
                nr = (w[i] >= '0' && w[i] <= '9') ? nr * 10 + (w[i] - '0') : IM_NSYS;
        } else {
            nr = rs_syscall_from_name(w, len);
        }
        if (nr < 0 || nr >= IM_NSYS) {
            rs_snprintf(err, errsize, "syscalls=: unknown system call '%.*s'", (int)len, w);
            return -1;
        }
        allowed[nr] = 1;
    }
    narrowed = 1;
    return 0;
}

int im_table_build(const struct rs_wrapper *w, const char *syscalls, char *err, size_t errsize)
{
    if (syscalls && parse_syscalls(syscalls, err, errsize))
        return -1;
    for (int i = 0; i < w->nhandlers; i++) {
        const struct rs_handler *h = &w->handlers[i];
        if ((h->how != RS_WRAP && h->how != RS_OVERRIDE) ||
            (h->how == RS_OVERRIDE && !h->fn)) {
            rs_snprintf(err, errsize, "wrapper %s: handler %d is neither wrap nor override",
                        w->name, i);
            return -1;
        }
        if (h->nr == RS_ANY) {
            any = h;
            continue;
        }
        if (h->nr < 0 || h->nr >= IM_NSYS) {
            rs_snprintf(err, errsize, "wrapper %s: handler %d: bad system call number %d",
                        w->name, i, h->nr);
            return -1;
        }
        if (!narrowed || allowed[h->nr])
            table[h->nr] = h;
    }
    return 0;
}

static const struct rs_handler *handler_for(long nr)
{
    if (nr >= 0 && nr < IM_NSYS) {
        if (table[nr])
            return table[nr];
        return !narrowed || allowed[nr] ? any : NULL;
    }
    return narrowed ? NULL : any;
}

void im_dispatch(struct rs_call *c)
{
    const struct rs_handler *h = handler_for(c->nr);

    if (!h) {
        im_pass(c);
        return;
    }
    if (h->how == RS_OVERRIDE) {
        c->ret = h->fn(c);
        return;
    }
    if (h->before && h->before(c) == RS_RETURN)
        return;
    im_pass(c);
    if (h->after)
        h->after(c);
}

/* The calls a filtering backend must deliver: those the wrapper handles,
 * and those runsel itself must perform (pass.c). */
int im_wants(long nr)
{
    switch (nr) {
    case SYS_execve: case SYS_execveat: case SYS_exit_group:
    case SYS_rt_sigaction: case SYS_close: case SYS_dup2: case SYS_dup3: case SYS_close_range:
        return 1;
    }
    return handler_for(nr) != NULL;
}
