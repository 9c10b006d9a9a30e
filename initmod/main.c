/* main.c — initmod's start: from the loader's boot block to the program's
 * first instruction.
 *
 * Order matters: the backend is armed before the wrapper's init runs, so
 * a backend that cannot work is known before the wrapper opens logs or
 * writes anything, and everything the program does afterwards — starting
 * with its dynamic linker's first call — reaches the wrapper. */
#include "im.h"
#include "host.h"
#include "selconf.h"                /* selconf_key() */
#include "optkeys.h"
#include "runstack.h"
#include "fastpath.h"

struct im_state im;

#define MAX_OPTIONS 64

/* Each wrapper of the stack has its options and its own host: the same
 * services, but rs_pass() continues inside it and rs_wrapper_name() is its
 * own name. */
struct im_slot {
    struct rs_option opt_store[MAX_OPTIONS];
    char opt_text[4096];
    struct rs_options options;
    struct rs_host host;
};
static struct im_slot slots[RS_MAX_STACK];

static void vreport(const char *what, const char *fmt, va_list ap)
{
    char line[1024];
    size_t n = rs_snprintf(line, sizeof(line), "runsel: %s: %s",
                           im.boot ? im.boot->program : "?", what);

    if (n < sizeof(line))
        n += rs_vsnprintf(line + n, sizeof(line) - n, fmt, ap);
    if (n >= sizeof(line) - 1)
        n = sizeof(line) - 2;
    line[n++] = '\n';
    rs_write_all(2, line, n);
}

void im_die(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vreport("", fmt, ap);
    va_end(ap);
    for (;;)
        im_sys(SYS_exit_group, 126);
}

void im_warn(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vreport("warning: ", fmt, ap);
    va_end(ap);
}

/* A key the wrapper's image does not declare (RS_OPTIONS) stops the
 * exec before the wrapper's init sees it: a misspelt key in a selected.conf
 * entry must not be silently ignored (runsel and selctl check refuse it
 * earlier, from the image file). */
static void check_key(const struct rs_boot_wrapper *bw, const char *key, size_t len)
{
    char known[RS_OPTIONS_MAX + 256];

    if (!bw->keys || optkeys_has(bw->keys, bw->keys_len, key, len))
        return;
    optkeys_join(bw->keys, bw->keys_len, "", known, sizeof(known));
    im_die("wrapper %s: unknown option %.*s (%s%s)", bw->name, (int)len, key,
           *known ? "known: " : "it takes none", known);
}

/* "k=v k2=v2 ..." -> options; the text is copied so each key and value
 * can end with a NUL. */
static void parse_options(struct im_slot *sl, const struct rs_boot_wrapper *bw)
{
    size_t used = 0, len;
    const char *cur = bw->options ? bw->options : "", *w;

    sl->options.opt = sl->opt_store;
    while ((w = rs_next_word(&cur, ' ', &len))) {
        const char *eq = w;
        while (eq < w + len && *eq != '=')
            eq++;
        if (eq == w + len || selconf_key(w, (size_t)(eq - w)))
            continue;
        check_key(bw, w, (size_t)(eq - w));
        if (sl->options.n == MAX_OPTIONS || used + len + 1 > sizeof(sl->opt_text))
            im_die("too many wrapper options");
        char *k = sl->opt_text + used;
        memcpy(k, w, len);
        k[len] = 0;
        k[eq - w] = 0;
        sl->opt_store[sl->options.n].key = k;
        sl->opt_store[sl->options.n].value = k + (eq - w) + 1;
        sl->options.n++;
        used += len + 1;
    }
}

/* rs_pass() of the wrapper at each level of the stack. */
RS_PASS_FROM_TABLE(pass_from, im_pass_from);
_Static_assert(RS_MAX_STACK == 8, "one pass_from per level");

/* ABI 1.4: initmod runs in the program's process, so the program is
 * "self" — the answers a wrapper got before 1.4, through the raw calls
 * (never a kept pid: a vfork child shares this memory). */
static size_t proc_dir(char *buf, size_t size, int thread)
{
    return rs_snprintf(buf, size, "%s", thread ? "/proc/thread-self" : "/proc/self");
}

/* rs_program_fd never asks a host that is in process: the fd is the
 * program's already. */
static long program_fd(int fd)
{
    return fd;
}

static const struct rs_host host = {
    .abi_major = RS_ABI_MAJOR,
    .abi_minor = RS_ABI_MINOR,
    .syscall6 = rs_gate6,
    .keep_fd = im_keep_fd,
    .keep_fd_exec = im_keep_fd_exec,
    .inprocess = 1,
    .proc_dir = proc_dir,
    .getpid = rs_getpid,
    .gettid = rs_gettid,
    .program_fd = program_fd,
};

/* backend=kmod|sud, or auto: the kernel module when it is loaded, else
 * Syscall User Dispatch.  Returns 0 with the backend armed, or -errno. */
static long arm_backend(const char *want, const struct im_backend **b)
{
    long r;

    if (!want || !rs_strcmp(want, "auto")) {
        *b = &im_kmod;
        if ((r = im_kmod.arm()) == 0)
            return 0;
        want = "sud";
    }
    *b = !rs_strcmp(want, "kmod") ? &im_kmod : &im_sud;
    return (*b)->arm();
}

static void start_backend(void)
{
    const char *want = im.boot->backend;
    const struct im_backend *b;
    long r = arm_backend(want, &b);

    if (r == 0) {
        im.backend = b;
        return;
    }
    if (im.enforcer)
        im_die("cannot intercept system calls (backend %s: %s); %s enforces a policy, "
               "so the program does not run", b->name, rs_strerror(-r), im.enforcer);
    im_warn("cannot intercept system calls (backend %s: %s); running unwrapped",
            b->name, rs_strerror(-r));
}

/* A wrapper that enforces a policy cannot be narrowed (syscalls=) or left
 * behind by the programs it starts (inherit=no): either would switch the
 * policy off without saying so.  Its image must also say so in its note,
 * which is what the loader read when it decided the stack. */
static void check_policy(const struct rs_wrapper *w, const struct rs_boot_wrapper *bw)
{
    int enforces = (w->flags & RS_ENFORCES) != 0;

    if (enforces && !(bw->flags & RS_WRAP_ENFORCES))
        im_die("wrapper %s enforces a policy, but its image's note says it does not", bw->path);
    if (!enforces)
        return;
    if (bw->syscalls)
        im_die("%s enforces a policy: syscalls= would let the other calls through", w->name);
    if (!(bw->flags & RS_WRAP_INHERIT))
        im_die("%s enforces a policy: inherit=no would let the programs it runs escape it",
               w->name);
    if (!im.enforcer)
        im.enforcer = w->name;
}

/* The program's initial stack: argc, argv..., NULL, envp..., NULL, auxv. */
static void read_initial_stack(uintptr_t *sp, struct rs_host *h)
{
    long argc = (long)sp[0];
    char **argv = (char **)(sp + 1), **envp = argv + argc + 1, **p = envp;

    while (*p)
        p++;
    h->argv = argv;
    h->envp = envp;
    for (uintptr_t *a = (uintptr_t *)(p + 1); a[0] != 0; a += 2)   /* AT_NULL */
        if (a[0] == 23)                                           /* AT_SECURE */
            h->secure = a[1] != 0;
        else if (a[0] == 26)                                      /* AT_HWCAP2 */
            im_sigstack_use_gs(a[1]);
}

/* RUNSEL_FASTPATH_STATS=FILE (fastpath.c's report), unless set-user-ID. */
static const char *fast_stats_file(const struct rs_host *h)
{
    static const char key[] = "RUNSEL_FASTPATH_STATS=";

    if (h->secure)
        return NULL;
    for (char *const *e = h->envp; *e; e++)
        if (!rs_strncmp(*e, key, sizeof(key) - 1) && (*e)[sizeof(key) - 1] == '/')
            return *e + sizeof(key) - 1;
    return NULL;
}

/* Call wrapper i's image entry and check what it returns. */
static void start_wrapper(int i, const struct rs_host *base)
{
    const struct rs_boot_wrapper *bw = &im.boot->w[i];
    struct im_slot *sl = &slots[i];
    rs_image_entry_fn entry = (rs_image_entry_fn)(uintptr_t)bw->entry;
    const struct rs_wrapper *w;
    char err[512];

    sl->host = *base;
    sl->host.wrapper_name = bw->name;
    sl->host.pass = pass_from[i];
    sl->host.inherits = (bw->flags & RS_WRAP_INHERIT) != 0;
    w = entry(&sl->host);
    if (!w)
        im_die("wrapper %s refused this runsel (ABI %d.%d)", bw->path, RS_ABI_MAJOR,
               RS_ABI_MINOR);
    if (w->abi_major != RS_ABI_MAJOR)
        im_die("wrapper %s is built for ABI %u, this runsel has %d", bw->path, w->abi_major,
               RS_ABI_MAJOR);
    check_policy(w, bw);
    if (im_table_build(i, w, bw->syscalls, err, sizeof(err)))
        im_die("%s", err);
    parse_options(sl, bw);
    if (im_rules_build(i, w, &sl->options, (bw->flags & RS_WRAP_KERNEL) != 0, err, sizeof(err)))
        im_die("wrapper %s: %s", bw->name, err);
    im.wrapper[i] = w;
}

/* RUNSEL_SELECTED=LINE.POS=NAME[;...]:LIST — the list's wrappers of this
 * stack whose entries inherit, for the loader of every program it execs. */
static void compose_selected(void)
{
    size_t n = rs_snprintf(im.selected, sizeof(im.selected), "RUNSEL_SELECTED="), k = n;

    for (int i = 0; i < im.nwrappers && n < sizeof(im.selected); i++) {
        const struct rs_boot_wrapper *bw = &im.boot->w[i];
        if (bw->line && (bw->flags & RS_WRAP_INHERIT))
            n += rs_snprintf(im.selected + n, sizeof(im.selected) - n, "%s%u.%u=%s",
                             n > k ? ";" : "", bw->line, bw->pos, bw->name);
    }
    if (n == k) {
        im.selected[0] = 0;
        return;
    }
    n += rs_snprintf(im.selected + n, sizeof(im.selected) - n, ":%s", im.boot->list);
    if (n >= sizeof(im.selected))
        im_die("the wrapper stack is too large to pass on to the programs it runs");
}

uintptr_t im_start(const struct rs_boot *boot, uintptr_t *sp)
{
    struct rs_host base = host;
    char err[512];

    if (boot->magic != RS_BOOT_MAGIC || boot->version != RS_BOOT_VERSION ||
        boot->nwrappers == 0 || boot->nwrappers > RS_MAX_STACK) {
        rs_dprintf(2, "runsel: initmod and loader do not match (boot version %u, want %u)\n",
                   boot->version, RS_BOOT_VERSION);
        for (;;)
            im_sys(SYS_exit_group, 126);
    }
    im.boot = boot;
    im.owner_pid = im_sys(SYS_getpid);
    im.nwrappers = (int)boot->nwrappers;
    base.program_path = boot->program;
    read_initial_stack(sp, &base);
    for (int i = 0; i < im.nwrappers; i++)
        start_wrapper(i, &base);
    compose_selected();
    im.exe_fd = boot->exe_fd >= 0 ? im_keep_fd(boot->exe_fd) : -1;
    start_backend();
    im.fast_stats = fast_stats_file(&base);
    im_fast_start(boot->fastpath);
    for (int i = 0; i < im.nwrappers; i++)
        if (im.wrapper[i]->init && im.wrapper[i]->init(&slots[i].options, err, sizeof(err)))
            im_die("wrapper %s: %s", boot->w[i].name, err);
    im_fds_sweep(base.envp);      /* what the exec passed and no wrapper took */
    im_signals_start();
    im_kfilters_install();        /* last: the filter binds initmod's own calls too */
    return (uintptr_t)boot->entry;
}

void im_atfork(void)
{
    for (int i = 0; i < im.nwrappers; i++)
        if (im.wrapper[i]->atfork)
            im.wrapper[i]->atfork();
}

void im_fini(int status)
{
    for (int i = im.nwrappers - 1; i >= 0; i--)
        if (im.wrapper[i]->fini)
            im.wrapper[i]->fini(status);
}

/* The helpers in wrapperabi/lib call rs_syscall6(): here, the gate. */
long rs_syscall6(long nr, long a, long b, long c, long d, long e, long f)
{
    return rs_gate6(nr, a, b, c, d, e, f);
}

/* The program's pid and tid: this process's (copyin.c reads by the pid;
 * the wrappers' rs_getpid/rs_gettid reach these through the host). */
int rs_getpid(void)
{
    return (int)im_sys(SYS_getpid);
}

int rs_gettid(void)
{
    return (int)im_sys(SYS_gettid);
}

/* initmod is in the program's process (copyin.c's pipe fallback asks). */
int rs_inprocess(void)
{
    return 1;
}

const char *rs_program_path(void)
{
    return im.boot->program;
}
