/* main.c — runsel-loader: one exec, from invocation to handoff.
 *
 *   runsel-loader PROGRAM [ARGS...]     run PROGRAM as exec would
 *   (as binfmt_misc interpreter)        argv = [loader, /path, argv0, args...]
 *
 * Steps: find out how we were started and open the program (invocation),
 * refuse what exec would refuse, parse the program and its interpreter,
 * map both, rebuild the initial stack, and hand over.  Every failure is
 * reported here, once, as "runsel-loader: PATH: reason". */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "loader.h"

#define LOADER_VERSION "0.1.0"

struct invocation {
    int binfmt;             /* started by binfmt_misc */
    int secure;             /* AT_SECURE: ignore our own environment knobs */
    const char *path;       /* the program, as exec'd or as given */
    int fd;
    long argc;              /* the program's argv */
    char **argv;
    const char *execfn;     /* AT_EXECFN to give, NULL: keep the kernel's */
};

static void usage(FILE *f)
{
    fprintf(f, "usage: runsel-loader PROGRAM [ARGS...]\n"
               "Load PROGRAM into this process and run it as execve(2) would.\n"
               "Normally started by the kernel as the binfmt_misc interpreter "
               "registered by `selctl register`.\n");
}

static int open_errno(int err, struct ld_err *e)
{
    if (err == ENOENT || err == ENOTDIR)
        return ld_fail(e, LD_EXIT_NOTFOUND, "%s", strerror(err));
    return ld_fail(e, LD_EXIT_CANNOT, "%s", strerror(err));
}

/* Direct invocation: do the checks exec would have done for us. */
static int open_direct(struct invocation *inv, struct ld_err *e)
{
    struct stat st;
    struct statvfs sv;

    inv->fd = open(inv->path, O_RDONLY | O_CLOEXEC);
    if (inv->fd < 0)
        return open_errno(errno, e);
    if (fstat(inv->fd, &st) < 0)
        return open_errno(errno, e);
    if (S_ISDIR(st.st_mode))
        return ld_fail(e, LD_EXIT_CANNOT, "%s", strerror(EISDIR));
    if (!S_ISREG(st.st_mode))
        return ld_fail(e, LD_EXIT_CANNOT, "%s", strerror(EACCES));
    if (syscall(SYS_faccessat2, inv->fd, "", X_OK, AT_EACCESS | AT_EMPTY_PATH) != 0 ||
        (fstatvfs(inv->fd, &sv) == 0 && (sv.f_flag & ST_NOEXEC)))
        return ld_fail(e, LD_EXIT_CANNOT, "%s", strerror(EACCES));
    return 0;
}

static int parse_invocation(const struct initial_stack *s, struct invocation *inv,
                            struct ld_err *e)
{
    int have_fd;
    unsigned long execfd = aux_get(s, AT_EXECFD, &have_fd);
    unsigned long flags = aux_get(s, AT_FLAGS, NULL);

    inv->secure = aux_get(s, AT_SECURE, NULL) != 0;
    inv->binfmt = have_fd || (flags & 1);
    if (inv->binfmt) {
        if (s->argc < 2)
            return ld_fail(e, LD_EXIT_CANNOT, "started by binfmt_misc without a program");
        inv->path = s->argv[1];
        /* P flag (AT_FLAGS bit 0): argv[2] is the original argv[0]. */
        int skip = (flags & 1) && s->argc >= 3 ? 2 : 1;
        inv->argc = s->argc - skip;
        inv->argv = s->argv + skip;
        if (have_fd) {
            inv->fd = (int)execfd;
            return 0;
        }
        inv->fd = open(inv->path, O_RDONLY | O_CLOEXEC);
        return inv->fd < 0 ? open_errno(errno, e) : 0;
    }
    if (s->argc < 2) {
        usage(stderr);
        e->status = 2;
        e->msg[0] = 0;
        return -1;
    }
    inv->path = s->argv[1];
    inv->argc = s->argc - 1;
    inv->argv = s->argv + 1;
    inv->execfn = inv->path;
    return open_direct(inv, e);
}

static int open_interp(const char *path, struct elf_image *im, struct ld_err *e)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);

    if (fd < 0)
        return ld_fail(e, LD_EXIT_CANNOT, "interpreter %s: %s", path, strerror(errno));
    if (elf_image_open(im, fd, path, e) == 0)
        return 0;
    char why[sizeof(e->msg)];
    snprintf(why, sizeof(why), "%s", e->msg);
    return ld_fail(e, LD_EXIT_CANNOT, "interpreter %s: %s", path, why);
}

/* The kernel's stack top: AT_EXECFN is copied there first (exec.c). */
static uintptr_t stack_top(const struct initial_stack *s)
{
    const char *fn = (const char *)aux_get(s, AT_EXECFN, NULL);

    return fn ? (uintptr_t)fn + strlen(fn) + 1 + sizeof(void *) : s->end;
}

/* PF_RANDOMIZE: off under personality(ADDR_NO_RANDOMIZE); with
 * kernel.randomize_va_space=0 the stack top is exactly STACK_TOP. */
static void choose_placement(const struct initial_stack *s, struct placement *pl,
                             uint64_t *brk_rnd)
{
    uint64_t r[2] = {0, 0};

    pl->randomize = !(personality(0xffffffff) & ADDR_NO_RANDOMIZE) &&
                    stack_top(s) != LD_TASK_SIZE;
    if (pl->randomize && getrandom(r, sizeof(r), GRND_NONBLOCK) != sizeof(r))
        r[0] = r[1] = (uint64_t)(uintptr_t)s->argv ^ aux_get(s, AT_RANDOM, NULL);
    pl->rnd = r[0];
    *brk_rnd = r[1];
}

static uintptr_t str_end(const char *p)
{
    return (uintptr_t)p + strlen(p) + 1;
}

static void log_exec(const struct invocation *inv)
{
    const char *logf = inv->secure ? NULL : getenv("RUNSEL_LOADER_LOG");

    if (!logf)
        return;
    int fd = open(logf, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0)
        return;
    dprintf(fd, "exec %s\n", inv->path);
    close(fd);
}

static int build_stack(const struct initial_stack *s, const struct invocation *inv,
                       const struct elf_image *prog, const struct mapped *pm,
                       const struct mapped *im, struct handoff *h, struct ld_err *e)
{
    struct new_stack ns = {
        .argc = inv->argc, .argv = inv->argv, .orig = s,
        .phdr = pm->phdr, .phent = sizeof(Elf64_Phdr), .phnum = prog->phnum,
        .entry = pm->entry, .base = im ? im->bias : 0, .execfn = inv->execfn,
    };

    h->block_size = stack_block_size(&ns);
    h->block = malloc(h->block_size);
    if (!h->block)
        return ld_fail(e, LD_EXIT_CANNOT, "out of memory");
    stack_build(&ns, h->block, &h->auxv_off, &h->auxv_len);
    /* Same top as the kernel's block, 16-byte aligned sp.  The block never
     * grows (the program has fewer argv entries than the loader), so it fits
     * where the kernel's was, above every frame of the loader. */
    h->final_sp = (s->end - h->block_size) & ~15UL;
    if (h->final_sp < (uintptr_t)ld_early.sp)
        return ld_fail(e, LD_EXIT_CANNOT, "internal error: stack block grew");
    h->arg_start = (uintptr_t)inv->argv[0];
    h->arg_end = str_end(inv->argv[inv->argc - 1]);
    h->env_start = s->envc ? (uintptr_t)s->envp[0] : h->arg_end;
    h->env_end = s->envc ? str_end(s->envp[s->envc - 1]) : h->arg_end;
    return 0;
}

static int run(const struct initial_stack *s, struct invocation *inv, struct ld_err *e)
{
    struct elf_image prog, interp;
    struct mapped pm, im;
    struct placement pl;
    struct handoff h = {0};
    struct stat st;
    uint64_t brk_rnd;

    if (parse_invocation(s, inv, e) || fstat(inv->fd, &st) < 0 ||
        check_privileges(inv->fd, &st, inv->secure, e) ||
        elf_image_open(&prog, inv->fd, inv->path, e))
        return -1;
    if (prog.interp && open_interp(prog.interp, &interp, e))
        return -1;
    choose_placement(s, &pl, &brk_rnd);
    if (map_program(&prog, &pl, &pm, e) || (prog.interp && map_interp(&interp, &im, e)))
        return -1;
    if (prog.exec_stack && make_stack_executable(stack_top(s), e))
        return -1;
    if (build_stack(s, inv, &prog, &pm, prog.interp ? &im : NULL, &h, e))
        return -1;
    h.entry = prog.interp ? im.entry : pm.entry;
    h.exe_fd = inv->fd;
    h.start_code = pm.start_code;
    h.end_code = pm.end_code;
    h.start_data = pm.start_data;
    h.end_data = pm.end_data;
    h.start_brk = choose_brk(&prog, &pm, &pl, brk_rnd);
    if (!inv->binfmt) {   /* the kernel named the task after the loader */
        const char *base = strrchr(inv->path, '/');
        prctl(PR_SET_NAME, base ? base + 1 : inv->path);
    }
    log_exec(inv);
    if (prog.interp) {
        elf_image_close(&interp);
        close(interp.fd);
    }
    elf_image_close(&prog);
    return handoff(&h, e);
}

int main(int argc, char **argv)
{
    struct initial_stack s;
    struct invocation inv = {.fd = -1};
    struct ld_err e = {0};

    if (argc == 2 && !strcmp(argv[1], "--help")) {
        usage(stdout);
        return 0;
    }
    if (argc == 2 && !strcmp(argv[1], "--version")) {
        printf("runsel-loader %s\n", LOADER_VERSION);
        return 0;
    }
    stack_parse(&s, ld_early.sp);
    run(&s, &inv, &e);
    if (e.msg[0])
        fprintf(stderr, "runsel-loader: %s: %s\n", inv.path ? inv.path : "?", e.msg);
    return e.status ? e.status : LD_EXIT_CANNOT;
}
