/* main.c — initmod's start: from the loader's boot block to the program's
 * first instruction.
 *
 * Order matters: the backend is armed before the wrapper's init runs, so
 * a backend that cannot work is known before the wrapper opens logs or
 * writes anything, and everything the program does afterwards — starting
 * with its dynamic linker's first call — reaches the wrapper. */
#include "im.h"
#include "../wrapperabi/lib/host.h"

struct im_state im;

#define MAX_OPTIONS 64

static struct rs_option opt_store[MAX_OPTIONS];
static char opt_text[4096];
static struct rs_options options = {opt_store, 0};

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

/* The loader's own keys configure runsel, not the wrapper. */
static int runsel_key(const char *k, size_t n)
{
    static const char *const keys[] = {"inherit", "syscalls", "backend", "wrapper-hash"};

    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
        if (!rs_strncmp(keys[i], k, n) && !keys[i][n])
            return 1;
    return 0;
}

/* "k=v k2=v2 ..." -> options; the text is copied so each key and value
 * can end with a NUL. */
static void parse_options(const char *text)
{
    size_t used = 0, len;
    const char *cur = text, *w;

    while ((w = rs_next_word(&cur, ' ', &len))) {
        const char *eq = w;
        while (eq < w + len && *eq != '=')
            eq++;
        if (eq == w + len || runsel_key(w, (size_t)(eq - w)))
            continue;
        if (options.n == MAX_OPTIONS || used + len + 1 > sizeof(opt_text))
            im_die("too many wrapper options");
        char *k = opt_text + used;
        memcpy(k, w, len);
        k[len] = 0;
        k[eq - w] = 0;
        opt_store[options.n].key = k;
        opt_store[options.n].value = k + (eq - w) + 1;
        options.n++;
        used += len + 1;
    }
}

static const struct rs_host host = {
    .abi_major = RS_ABI_MAJOR,
    .abi_minor = RS_ABI_MINOR,
    .syscall6 = rs_gate6,
    .pass = im_pass,
    .keep_fd = im_keep_fd,
};
static struct rs_host host_copy;

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
    if (im.wrapper->flags & RS_ENFORCES)
        im_die("cannot intercept system calls (backend %s: %s); %s enforces a policy, "
               "so the program does not run", b->name, rs_strerror(-r),
               im.wrapper->name);
    im_warn("cannot intercept system calls (backend %s: %s); running unwrapped",
            b->name, rs_strerror(-r));
}

/* A wrapper that enforces a policy cannot be narrowed (syscalls=) or left
 * behind by the programs it starts (inherit=no): either would switch the
 * policy off without saying so. */
static void check_policy(const struct rs_wrapper *w, const struct rs_boot *boot)
{
    if (!(w->flags & RS_ENFORCES))
        return;
    if (boot->syscalls)
        im_die("%s enforces a policy: syscalls= would let the other calls through",
               w->name);
    if (boot->flags & RS_BOOT_NOINHERIT)
        im_die("%s enforces a policy: inherit=no would let the programs it runs escape it",
               w->name);
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
}

uintptr_t im_start(const struct rs_boot *boot, uintptr_t *sp)
{
    char err[512];
    rs_image_entry_fn entry;

    if (boot->magic != RS_BOOT_MAGIC || boot->version != RS_BOOT_VERSION) {
        rs_dprintf(2, "runsel: initmod and loader do not match (boot version %u, want %u)\n",
                   boot->version, RS_BOOT_VERSION);
        for (;;)
            im_sys(SYS_exit_group, 126);
    }
    im.boot = boot;
    im.owner_pid = im_sys(SYS_getpid);
    host_copy = host;
    host_copy.program_path = boot->program;
    host_copy.wrapper_name = boot->wrapper_name;
    read_initial_stack(sp, &host_copy);
    entry = (rs_image_entry_fn)(uintptr_t)boot->wrapper_entry;
    im.wrapper = entry(&host_copy);
    if (!im.wrapper)
        im_die("wrapper %s refused this runsel (ABI %d.%d)", boot->wrapper_path, RS_ABI_MAJOR,
               RS_ABI_MINOR);
    if (im.wrapper->abi_major != RS_ABI_MAJOR)
        im_die("wrapper %s is built for ABI %u, this runsel has %d", boot->wrapper_path,
               im.wrapper->abi_major, RS_ABI_MAJOR);
    check_policy(im.wrapper, boot);
    if (im_table_build(im.wrapper, boot->syscalls, err, sizeof(err)))
        im_die("%s", err);
    parse_options(boot->options ? boot->options : "");
    start_backend();
    if (im.wrapper->init && im.wrapper->init(&options, err, sizeof(err)))
        im_die("wrapper %s: %s", boot->wrapper_name, err);
    return (uintptr_t)boot->entry;
}

/* The helpers in wrapperabi/lib call rs_syscall6(): here, the gate. */
long rs_syscall6(long nr, long a, long b, long c, long d, long e, long f)
{
    return rs_gate6(nr, a, b, c, d, e, f);
}

const char *rs_program_path(void)
{
    return im.boot->program;
}
