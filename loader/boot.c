/* boot.c — for a selected program, map the initialization module and the
 * wrapper next to it and write the boot block initmod starts from.
 *
 * initmod is found next to the loader (runsel-init in the loader's own
 * directory: whoever controls that directory controls the loader anyway).
 * The boot block is one anonymous mapping ([anon:runsel-boot]) that
 * initmod keeps for the life of the process. */
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include "boot.h"                   /* internal/: the hand-off to initmod */
#include <runsel/abi.h>
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

int loader_path(char *buf, size_t size, struct ld_err *e)
{
    long n = sys3(SYS_readlink, "/proc/self/exe", buf, size - 1);

    if (rs_is_err(n) || n == 0 || buf[0] != '/')
        return ld_fail(e, LD_EXIT_CANNOT, "cannot find the loader's own path (is /proc mounted?)");
    buf[n] = 0;
    return 0;
}

static int map_one(int fd, unsigned kind, const char *what, const char *path,
                   struct elf_image *im, struct mapped *m, struct ld_err *e)
{
    char why[sizeof(e->msg)];

    if (rsimage_load(fd, kind, im, m, e) == 0)
        return 0;
    memcpy(why, e->msg, sizeof(why));
    return ld_fail(e, LD_EXIT_CANNOT, "%s %s: %s", what, path, why);
}

/* A mapped wrapper, and the option keys it declares (keys NULL: none said). */
struct mapped_wrapper {
    struct mapped m;
    const char *keys;
    uint32_t keys_len;
};

static int map_wrapper(const struct sel_item *it, struct elf_image *im, struct mapped_wrapper *w,
                       struct ld_err *e)
{
    struct rsnote n;

    if (map_one(it->fd, RS_NOTE_WRAPPER, "wrapper", it->path, im, &w->m, e))
        return -1;
    w->keys = NULL;
    w->keys_len = 0;
    if (rsimage_note(im, &w->m, RS_NOTE_OPTIONS, &n) == 0 && n.descsz <= RS_OPTIONS_MAX) {
        w->keys = n.desc;
        w->keys_len = n.descsz;
    }
    return 0;
}

/* initmod (runsel-init beside the loader), then every wrapper of the
 * stack from the descriptor select.c checked. */
static int map_images(const struct selection *sel, const char *loader, struct mapped *init,
                      struct mapped_wrapper *wrap, struct ld_err *e)
{
    static struct elf_image im;
    char path[4200];
    const char *slash = strrchr(loader, '/');
    size_t dir = (size_t)(slash - loader);
    int r;

    memcpy(path, loader, dir);
    ld_fmt(path + dir, sizeof(path) - dir, "/runsel-init");
    long fd = sys3(SYS_open, path, LD_OPEN_FLAGS, 0);
    if (rs_is_err(fd))
        return ld_fail(e, LD_EXIT_CANNOT, "initialization module %s: %s", path,
                       ld_strerror((int)-fd));
    r = map_one((int)fd, RS_NOTE_INITMOD, "initialization module", path, &im, init, e);
    sys1(SYS_close, fd);
    for (int i = 0; r == 0 && i < sel->nitems; i++)
        r = map_wrapper(&sel->item[i], &im, &wrap[i], e);
    return r;
}

/* What the programs it runs get: runsel's request (unless an entry in
 * the stack says inherit=no) and the knobs in effect.  RUNSEL_SELECTED is
 * initmod's: it knows which wrappers it kept. */
static void put_env(struct writer *w, const struct boot_request *rq)
{
    const struct selection *sel = rq->sel;
    int inherits = 1;

    for (int i = 0; i < sel->nitems; i++)
        inherits &= sel->item[i].inherit;
    if (rq->run && inherits)
        put_var(w, "RUNSEL_RUN", rq->run);
    if (rq->config)
        put_var(w, "RUNSEL_CONFIG", rq->config);
    if (rq->wrapper_dir)
        put_var(w, "RUNSEL_WRAPPER_DIR", rq->wrapper_dir);
    if (rq->log)
        put_var(w, "RUNSEL_LOADER_LOG", rq->log);
    put_n(w, "", 0);
}

/* One wrapper's part of the block: its words from the entry it came from. */
static int put_wrapper(struct writer *w, const struct sel_item *it,
                       const struct mapped_wrapper *mw, struct rs_boot_wrapper *bw,
                       struct rs_boot *b, struct ld_err *e)
{
    const struct mapped *m = &mw->m;
    struct sel_entry en;
    const char *why;

    if (selconf_parse_line(it->entry, strlen(it->entry), it->line, &en, &why) != 1 ||
        it->pos >= (unsigned)en.nwrappers)
        return ld_fail(e, LD_EXIT_CANNOT, "selecting entry unreadable");
    const struct sel_wrapper *sw = &en.w[it->pos];
    bw->entry = m->entry;
    bw->lo = m->lo;
    bw->hi = m->hi;
    bw->flags = (it->enforces ? RS_WRAP_ENFORCES : 0) | (en.inherit ? RS_WRAP_INHERIT : 0) |
                (it->inherited ? RS_WRAP_INHERITED : 0) | (en.kernel ? RS_WRAP_KERNEL : 0);
    bw->line = it->line;
    bw->pos = it->pos;
    bw->name = put(w, it->name);
    bw->path = put(w, it->path);
    bw->options = put_n(w, sw->options.p, sw->options.n);
    bw->syscalls = sw->syscalls.n ? put_n(w, sw->syscalls.p, sw->syscalls.n) : NULL;
    bw->keys = mw->keys;
    bw->keys_len = mw->keys_len;
    if (!b->backend && en.backend.n)
        b->backend = put_n(w, en.backend.p, en.backend.n);
    /* Any entry of the stack that turns the fast path off turns it off. */
    if (en.fastpath.n && (!b->fastpath || (en.fastpath.n == 2 && !memcmp(en.fastpath.p, "no", 2))))
        b->fastpath = put_n(w, en.fastpath.p, en.fastpath.n);
    return 0;
}

int boot_prepare(const struct boot_request *rq, uintptr_t *entry, uintptr_t *boot,
                 struct ld_err *e)
{
    const struct selection *sel = rq->sel;
    struct mapped init;
    struct mapped_wrapper wrap[SEL_MAX_STACK];
    char loader[4096];

    if (loader_path(loader, sizeof(loader), e) || map_images(sel, loader, &init, wrap, e))
        return -1;
    struct rs_boot *b = sys_mmap(NULL, BOOT_SIZE, PROT_READ | PROT_WRITE,
                                 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (rs_is_err((long)b))
        return ld_fail(e, LD_EXIT_CANNOT, "out of memory");
    sys5(SYS_prctl, PR_SET_VMA, PR_SET_VMA_ANON_NAME, b, BOOT_SIZE, "runsel-boot");
    struct writer w = {b->data, (char *)b + BOOT_SIZE, 0};
    b->magic = RS_BOOT_MAGIC;
    b->version = RS_BOOT_VERSION;
    b->flags = rq->binfmt ? RS_BOOT_BINFMT : 0;
    b->size = BOOT_SIZE;
    b->entry = rq->entry;
    b->init_lo = init.lo;
    b->init_hi = init.hi;
    b->nwrappers = (uint32_t)sel->nitems;
    /* A copy of the program's descriptor stays with initmod: it runs the
     * program's re-executions through /proc/self/exe (which names the
     * loader where the kernel refused to set the exe link). */
    b->exe_fd = (int32_t)sys3(SYS_fcntl, rq->prog_fd, F_DUPFD_CLOEXEC, 3);
    b->rules_fd = sel->rules_fd1 > 0 ? (int32_t)sys3(SYS_fcntl, sel->rules_fd1 - 1, F_DUPFD_CLOEXEC, 3) : -1;
    b->rules_why = sel->rules_why ? put(&w, sel->rules_why) : NULL;
    b->run_rules_fd = rq->kfd >= 0 ? (int32_t)sys3(SYS_fcntl, rq->kfd, F_DUPFD_CLOEXEC, 3) : -1;
    b->backend = NULL;
    b->fastpath = NULL;
    for (int i = 0; i < sel->nitems; i++)
        if (put_wrapper(&w, &sel->item[i], &wrap[i], &b->w[i], b, e))
            return -1;
    b->program = put(&w, rq->program);
    b->loader = put(&w, loader);
    b->list = put(&w, sel->list);
    b->env_set = w.p;
    put_env(&w, rq);
    if (w.overflow)
        return ld_fail(e, LD_EXIT_CANNOT, "selection too large to hand over");
    *entry = init.entry;
    *boot = (uintptr_t)b;
    return 0;
}
