/* stack.c — a program's stack as the loader decides it (loader/select.c,
 * the same code), each image mapped here by the loader's own checks
 * (loader/rsimage.c) only to ask its descriptor and its rules hook, which
 * the ABI makes free of side effects for this.  Nothing of the wrapper
 * runs but that hook: not init, no handler. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stddef.h>
#include <string.h>
#include <unistd.h>
#include "host.h"
#include "kfilter.h"
#include "loader.h"
#include "runrules.h"

static long no_syscall(long nr, long a, long b, long c, long d, long e, long f)
{
    (void)nr, (void)a, (void)b, (void)c, (void)d, (void)e, (void)f;
    return -ENOSYS;
}

int kf_split_options(const char *words, size_t len, struct rs_option *opt, int max, int *n,
                     char **room, char *end)
{
    const char *cur = words, *w;
    size_t wl;

    while (cur < words + len && (w = rs_next_word(&cur, ' ', &wl))) {
        if (w >= words + len)
            break;
        if (w + wl > words + len)
            wl = (size_t)(words + len - w);
        const char *eq = memchr(w, '=', wl);
        if (!eq)
            continue;
        size_t kl = (size_t)(eq - w);
        if (selconf_key(w, kl))
            continue;                 /* runsel's own */
        if (*n == max || *room + wl + 1 > end)
            return -1;
        char *k = *room;
        memcpy(k, w, wl);
        k[wl] = 0;
        k[kl] = 0;
        opt[*n].key = k;
        opt[*n].value = k + kl + 1;
        (*n)++;
        *room += wl + 1;
    }
    return 0;
}

/* A syscalls= list (names or numbers, as selconf checked it) into
 * allowed[]: 1, or 0 for none given (the wrapper is not narrowed).  The
 * kernel placement's filters, the out-of-process filter and worker narrow
 * alike, as initmod's dispatch does in process. */
int kf_syscall_list(struct sel_str list, unsigned char *allowed)
{
    const char *cur = list.p, *end = list.p + list.n, *w;
    size_t len;

    if (!list.n)
        return 0;
    while (cur < end && (w = rs_next_word(&cur, ',', &len)) && w < end) {
        long nr = 0;
        if (w + len > end)
            len = (size_t)(end - w);
        if (w[0] >= '0' && w[0] <= '9')
            for (size_t i = 0; i < len && nr < RS_NSYS; i++)
                nr = w[i] >= '0' && w[i] <= '9' ? nr * 10 + (w[i] - '0') : RS_NSYS;
        else
            nr = rs_syscall_from_name(w, len);
        if (nr >= 0 && nr < RS_NSYS)
            allowed[nr] = 1;
    }
    return 1;
}

/* The item's wrapper descriptor, from its image (mapped for good: the
 * descriptor and the rules live there). */
static const struct rs_wrapper *descriptor(const struct sel_item *si, char *why, size_t whysize)
{
    static const struct rs_host probe = {.abi_major = RS_ABI_MAJOR, .abi_minor = RS_ABI_MINOR,
                                         .syscall6 = no_syscall};
    static struct elf_image im;     /* large: its buffers */
    struct mapped m;
    struct ld_err e = {0};

    if (rsimage_load(si->fd, RS_NOTE_WRAPPER, &im, &m, &e)) {
        snprintf(why, whysize, "wrapper %s: %s", si->name, e.msg);
        return NULL;
    }
    const struct rs_wrapper *w = ((rs_image_entry_fn)m.entry)(&probe);
    if (!w || w->abi_major != RS_ABI_MAJOR)
        snprintf(why, whysize, "wrapper %s: built for another ABI", si->name);
    return w && w->abi_major == RS_ABI_MAJOR ? w : NULL;
}

/* The item's rules for its entry's options, as initmod builds them. */
static int item_rules(const struct sel_item *si, struct kf_item *it, char *why, size_t whysize)
{
    static char text[4200];
    static unsigned char allowed[RS_NSYS];
    struct rs_option opt[32];
    struct sel_entry e;
    const char *bad;
    char *room = text, err[256];
    int nopt = 0, problem, which = 0, other = 0;

    if (selconf_parse_line(si->entry, strlen(si->entry), si->line, &e, &bad) != 1 ||
        si->pos >= (unsigned)e.nwrappers) {
        snprintf(why, whysize, "wrapper %s: its entry is unreadable", si->name);
        return -1;
    }
    it->kernel = e.kernel;
    memset(allowed, 0, sizeof(allowed));
    if (kf_split_options(e.w[si->pos].options.p, e.w[si->pos].options.n, opt, 32, &nopt, &room,
                         text + sizeof(text))) {
        snprintf(why, whysize, "wrapper %s: too many options", si->name);
        return -1;
    }
    struct rs_options o = {opt, nopt};
    int n = rs_rules_build(it->w, &o, it->rules, err, sizeof(err), &problem, &which, &other);
    if (n < 0 && !problem)
        snprintf(why, whysize, "wrapper %s: %s", si->name, err[0] ? err : "its rules could not be built");
    else if (n < 0)
        snprintf(why, whysize, "wrapper %s: rule %d (%s): %s", si->name, which,
                 rs_syscall_name(it->rules[which].nr) ? rs_syscall_name(it->rules[which].nr) : "?",
                 rs_rules_problem_text(problem));
    it->nrules = n < 0 ? 0 : n;
    if (n > 0 && kf_syscall_list(e.w[si->pos].syscalls, allowed)) {
        int k = 0;                      /* syscalls= narrows rules as it narrows handlers */
        for (int i = 0; i < n; i++)
            if (allowed[it->rules[i].nr])
                it->rules[k++] = it->rules[i];
        it->nrules = k;
    }
    return n < 0 ? -1 : 0;
}

/* Does any of the wrapper need its code to run: a handler some call can
 * reach (with RS_RULES_COVER, only through a CODE rule), a signal hook? */
static int needs_code(const struct kf_item *it)
{
    const struct rs_wrapper *w = it->w;
    int covers = w->abi_minor >= 6 && w->rules && (w->flags & RS_RULES_COVER);

    if ((w->abi_minor >= 3 && w->signal) || (w->nhandlers && !covers))
        return 1;
    for (int i = 0; i < it->nrules; i++)
        if (it->rules[i].action == RS_RULE_CODE)
            return w->nhandlers > 0;
    return 0;
}

/* One item of a selection, as the kernel placement needs it. */
static int item_from(const struct sel_item *si, struct kf_item *it, char *why, size_t whysize)
{
    memset(it, 0, sizeof(*it));
    snprintf(it->name, sizeof(it->name), "%s", si->name);
    it->line = si->line;
    it->pos = si->pos;
    if (!(it->w = descriptor(si, why, whysize)) || item_rules(si, it, why, whysize))
        return -1;
    /* as initmod reads them (dispatch.c): the canon must be the same */
    it->enforces = (it->w->flags & RS_ENFORCES) != 0;
    it->foreign = it->w->abi_minor >= 1 && it->w->abis;
    it->code = needs_code(it);
    return 0;
}

int kf_stack_for(const char *prog, const struct select_request *rq, struct kf_stack *st,
                 char *why, size_t whysize)
{
    static struct selection sel;
    int fd = open(prog, LD_OPEN_FLAGS), r = 0;

    memset(st, 0, sizeof(*st));
    if (fd < 0) {
        snprintf(why, whysize, "%s", strerror(errno));
        return -1;
    }
    select_program(rq, fd, &sel);
    close(fd);
    if (sel.problem) {
        snprintf(why, whysize, "%s", sel.problem);
        select_close(&sel);
        return -1;
    }
    for (int i = 0; i < sel.nitems && !r; i++)
        if (!(r = item_from(&sel.item[i], &st->item[st->n], why, whysize)))
            st->n++;
    select_close(&sel);
    return r;
}

int kf_item_for(const char *entry, unsigned line, unsigned pos, const char *wrapper_dir,
                struct kf_item *it, char *why, size_t whysize)
{
    static struct sel_item si;
    struct sel_entry e;
    const char *bad;
    size_t n = strlen(entry);

    if (n >= sizeof(si.entry) || selconf_parse_line(entry, n, line, &e, &bad) != 1 ||
        pos >= (unsigned)e.nwrappers) {
        snprintf(why, whysize, "the entry is unreadable");
        return -1;
    }
    memset(&si, 0, offsetof(struct sel_item, entry));
    memcpy(si.entry, entry, n + 1);
    si.line = line;
    si.pos = pos;
    snprintf(si.name, sizeof(si.name), "%.*s", (int)e.w[pos].name.n, e.w[pos].name.p);
    select_wrapper_path(si.name, wrapper_dir, si.path, sizeof(si.path));
    if ((si.fd = open(si.path, O_RDONLY | O_CLOEXEC)) < 0) {
        snprintf(why, whysize, "wrapper %s: %s: %s", si.name, si.path, strerror(errno));
        return -1;
    }
    int r = item_from(&si, it, why, whysize);
    close(si.fd);
    return r;
}
