/* boot.c — for a selected program, map the initialization module and the
 * wrapper next to it and write the boot block initmod starts from.
 *
 * initmod is found next to the loader (runsel-init in the loader's own
 * directory: whoever controls that directory controls the loader anyway).
 * The boot block is one anonymous mapping ([anon:runsel-boot]) that
 * initmod keeps for the life of the process. */
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include "../initmod/boot.h"
#include "../wrapperabi/include/runsel/abi.h"
#include "loader.h"
#include "selconf.h"
#include "sys.h"

#define BOOT_SIZE (8 * LD_PAGE)
#ifndef PR_SET_VMA
#define PR_SET_VMA 0x53564d41
#define PR_SET_VMA_ANON_NAME 0
#endif

struct writer {
    char *p, *end;
    int overflow;
};

/* Copy n bytes of s and a NUL into the block; NULL if it is full. */
static const char *put_n(struct writer *w, const char *s, size_t n)
{
    char *at = w->p;

    if (n + 1 > (size_t)(w->end - w->p)) {
        w->overflow = 1;
        return NULL;
    }
    memcpy(at, s, n);
    at[n] = 0;
    w->p += n + 1;
    return at;
}

static const char *put(struct writer *w, const char *s)
{
    return put_n(w, s, strlen(s));
}

/* "NAME=VALUE" into the env_set list (the terminating "" is added last). */
static void put_var(struct writer *w, const char *name, const char *value)
{
    char buf[4200];
    size_t n = ld_fmt(buf, sizeof(buf), "%s=%s", name, value);

    if (n >= sizeof(buf) - 1)
        w->overflow = 1;
    else
        put_n(w, buf, n);
}

static int loader_path(char *buf, size_t size, struct ld_err *e)
{
    long n = sys3(SYS_readlink, "/proc/self/exe", buf, size - 1);

    if (sys_failed(n) || n == 0 || buf[0] != '/')
        return ld_fail(e, LD_EXIT_CANNOT, "cannot find the loader's own path (is /proc mounted?)");
    buf[n] = 0;
    return 0;
}

static int map_images(const struct selection *sel, const char *loader, struct mapped *init,
                      struct mapped *wrap, struct ld_err *e)
{
    static struct elf_image init_im, wrap_im;
    char path[4200];
    const char *slash = strrchr(loader, '/');
    char why[sizeof(e->msg)];

    size_t dir = (size_t)(slash - loader);
    memcpy(path, loader, dir);
    ld_fmt(path + dir, sizeof(path) - dir, "/runsel-init");
    if (rsimage_load(path, RS_NOTE_INITMOD, &init_im, init, e)) {
        memcpy(why, e->msg, sizeof(why));
        return ld_fail(e, LD_EXIT_CANNOT, "initialization module %s: %s", path, why);
    }
    if (rsimage_load(sel->wrapper_path, RS_NOTE_WRAPPER, &wrap_im, wrap, e)) {
        memcpy(why, e->msg, sizeof(why));
        return ld_fail(e, LD_EXIT_CANNOT, "wrapper %s: %s", sel->wrapper_path, why);
    }
    return 0;
}

/* Who gets the selection on exec: the list's line, or runsel's request,
 * unless the entry says inherit=no. */
static void put_env(struct writer *w, const struct boot_request *rq, const struct sel_entry *en)
{
    const struct selection *sel = rq->sel;
    char v[4200];

    if (en->inherit && sel->line) {
        ld_fmt(v, sizeof(v), "%u:%s:%s", sel->line, sel->wrapper, sel->list);
        put_var(w, "RUNSEL_SELECTED", v);
    }
    if (en->inherit && rq->run)
        put_var(w, "RUNSEL_RUN", rq->run);
    if (rq->config)
        put_var(w, "RUNSEL_CONFIG", rq->config);
    if (rq->wrapper_dir)
        put_var(w, "RUNSEL_WRAPPER_DIR", rq->wrapper_dir);
    if (rq->log)
        put_var(w, "RUNSEL_LOADER_LOG", rq->log);
    put_n(w, "", 0);
}

int boot_prepare(const struct boot_request *rq, uintptr_t *entry, uintptr_t *boot,
                 struct ld_err *e)
{
    const struct selection *sel = rq->sel;
    struct mapped init, wrap;
    struct sel_entry en;
    const char *why;
    char loader[4096];

    if (selconf_parse_line(sel->entry, strlen(sel->entry), sel->line, &en, &why) != 1)
        return ld_fail(e, LD_EXIT_CANNOT, "selecting entry unreadable: %s", why);
    if (loader_path(loader, sizeof(loader), e) || map_images(sel, loader, &init, &wrap, e))
        return -1;
    struct rs_boot *b = sys_mmap(NULL, BOOT_SIZE, PROT_READ | PROT_WRITE,
                                 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (mmap_failed(b))
        return ld_fail(e, LD_EXIT_CANNOT, "out of memory");
    sys5(SYS_prctl, PR_SET_VMA, PR_SET_VMA_ANON_NAME, b, BOOT_SIZE, "runsel-boot");
    struct writer w = {b->data, (char *)b + BOOT_SIZE, 0};
    b->magic = RS_BOOT_MAGIC;
    b->version = RS_BOOT_VERSION;
    b->flags = (rq->binfmt ? RS_BOOT_BINFMT : 0) | (en.inherit ? 0 : RS_BOOT_NOINHERIT);
    b->size = BOOT_SIZE;
    b->entry = rq->entry;
    b->wrapper_entry = wrap.entry;
    b->wrapper_lo = wrap.lo;
    b->wrapper_hi = wrap.hi;
    b->init_lo = init.lo;
    b->init_hi = init.hi;
    b->program = put(&w, rq->program);
    b->wrapper_name = put(&w, sel->wrapper);
    b->wrapper_path = put(&w, sel->wrapper_path);
    b->loader = put(&w, loader);
    b->options = put_n(&w, en.options.p, en.options.n);
    b->syscalls = en.syscalls.n ? put_n(&w, en.syscalls.p, en.syscalls.n) : NULL;
    b->backend = en.backend.n ? put_n(&w, en.backend.p, en.backend.n) : NULL;
    b->env_set = w.p;
    put_env(&w, rq, &en);
    if (w.overflow)
        return ld_fail(e, LD_EXIT_CANNOT, "selection too large to hand over");
    *entry = init.entry;
    *boot = (uintptr_t)b;
    return 0;
}
