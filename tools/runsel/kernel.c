/* kernel.c — `runsel --placement=kernel`: the stack's rules that fail or
 * kill a call become seccomp filters (kfilter/), installed here, in the
 * process that then execs the program, so the program and every
 * descendant run under them and cannot take them off.
 *
 * One filter per wrapper with such rules, the innermost installed first:
 * where two wrappers' rules both fail a call, the kernel answers with the
 * most recently installed filter's errno — the outer wrapper's, as in
 * process, where it vetoes before the inner one sees the call.
 *
 * A stack that is nothing but such rules (deny; fault with deterministic
 * injections only) needs none of runsel in the program: the filters are
 * installed here and the program is exec'd as it is, natively, and the
 * request is not passed on (the filter is).  Otherwise the loader runs it
 * with the rest of the stack in process (placement=kernel in the request
 * tells initmod which rules the kernel holds), and the filters go to
 * initmod compiled, in a memfd (the loader's -K, internal/kfile.h): it
 * installs them after the loader's and the wrappers' own start, which the
 * rules must not fail (a trace log opened, the program mapped).  Nothing
 * is placed in the kernel when no rule of the stack fails or kills a call
 * (trace; fault's counted injections): `selctl explain` shows where each
 * rule runs. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "kfilter.h"
#include "runsel.h"

static void install(const struct kf_item *it, const char *prog)
{
    char why[512];
    scmp_filter_ctx ctx = kf_filter_build(it, why, sizeof(why));
    int r;

    if (!ctx)
        die(126, "%s: wrapper %s: %s", prog, it->name, why);
    if ((r = kf_filter_load(ctx)))
        die(126, "%s: wrapper %s: cannot install its seccomp filter: %s", prog, it->name,
            strerror(-r));
    seccomp_release(ctx);
}

/* The request's filters for initmod, in a memfd the loader inherits
 * (-K FD): its argv with them, or loader_argv itself when none. */
static char **hand_over(const struct kf_stack *st, const char *prog, char **loader_argv)
{
    static struct kf_file f;
    static char fdarg[16];
    char why[512];
    size_t n = 0;

    kf_file_init(&f);
    for (int i = 0; i < st->n; i++)
        if (st->item[i].kernel && !st->item[i].line &&
            kf_file_add(&f, &st->item[i], why, sizeof(why)) < 0)
            die(126, "%s: wrapper %s: %s", prog, st->item[i].name, why);
    if (!f.count)
        return loader_argv;
    int fd = memfd_create("runsel-kfilters", 0);      /* not close-on-exec: the loader's */
    if (fd < 0 || write(fd, f.buf, f.len) != (ssize_t)f.len)
        die(126, "%s: the filters for the loader: %s", prog, strerror(errno));
    while (loader_argv[n])
        n++;
    char **v = calloc(n + 3, sizeof(char *));
    if (!v)
        die(126, "%s", "out of memory");
    snprintf(fdarg, sizeof(fdarg), "%d", fd);
    v[0] = loader_argv[0];
    v[1] = "-K";
    v[2] = fdarg;
    memcpy(v + 3, loader_argv + 1, n * sizeof(char *));
    return v;
}

void kernel_launch(const char *elf, const char *prog, char **argv, char **loader_argv)
{
    static struct kf_stack st;
    struct select_request rq = {.list = getenv("RUNSEL_CONFIG"),
                                .user_list = getenv("RUNSEL_CONFIG") != NULL,
                                .wrapper_dir = getenv("RUNSEL_WRAPPER_DIR"),
                                .run = getenv("RUNSEL_RUN")};
    char why[512];
    int placed = 0, native = 1;

    if (kf_stack_for(elf, &rq, &st, why, sizeof(why)))
        die(126, "%s: %s", prog, why);
    for (int i = 0; i < st.n; i++) {
        const struct kf_item *it = &st.item[i];
        if (it->kernel && kf_kernel_rules(it))
            placed++;
        if (!it->kernel || it->code)
            native = 0;
    }
    if (!placed)
        native = 0;        /* nothing for the kernel: all of it runs in process */
    if (native) {
        for (int i = st.n - 1; i >= 0; i--)
            if (st.item[i].kernel && kf_kernel_rules(&st.item[i]))
                install(&st.item[i], prog);
        unsetenv("RUNSEL_RUN");
        unsetenv("RUNSEL_WRAPPER_DIR");
        execv(prog, argv);
        die(126, "%s: %s", prog, strerror(errno));
    }
    loader_argv = hand_over(&st, prog, loader_argv);
    execv(loader_argv[0], loader_argv);
    die(126, "cannot run the loader: %s", strerror(errno));
}
