/* main.c — runsel-loader: one exec, from invocation to handoff.
 *
 *   runsel-loader PROGRAM [ARGS...]     run PROGRAM as exec would
 *   (as binfmt_misc interpreter)        argv = [loader, /path, argv0, args...]
 *
 * Steps: find out how we were started and open the program (invocation),
 * refuse what exec would refuse, parse the program and its interpreter,
 * map both, rebuild the initial stack, and hand over.  Every failure is
 * reported here, once, as "runsel-loader: PATH: reason". */
#define _GNU_SOURCE /* AT_EMPTY_PATH */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/utsname.h>
#include <unistd.h>
#include "loader.h"
#include "passfds.h"
#include "supervised.h"
#include "sys.h"

#define LOADER_VERSION "0.1.0"
#define MNT_NOEXEC_FLAG 8      /* ST_NOEXEC in statfs.f_flags */

struct invocation {
    int binfmt;             /* started by binfmt_misc */
    int secure;             /* AT_SECURE: ignore our own environment knobs */
    const char *path;       /* the program, as exec'd or as given */
    int fd;
    long argc;              /* the program's argv */
    char **argv;
    const char *execfn;     /* AT_EXECFN to give, NULL: keep the kernel's */
    int kfd;                /* -K: runsel's request's compiled filters (kfile.h), or -1 */
};

extern const Elf64_Ehdr __ehdr_start __attribute__((visibility("hidden")));

static void write_str(int fd, const char *s)
{
    sys3(SYS_write, fd, s, strlen(s));
}

static const char usage_text[] =
    "usage: runsel-loader [-F FD] [-K FD] [-0 ARGV0] PROGRAM [ARGS...]\n"
    "Load PROGRAM into this process and run it as execve(2) would\n"
    "(-F: the program is open on FD, PROGRAM only its name, as fexecve(3);\n"
    "-K: runsel's compiled filters for placement=kernel are open on FD).\n"
    "Normally started by the kernel as the binfmt_misc interpreter\n"
    "registered by `selctl register`.\n";

static int fail_errno(long r, struct ld_err *e)
{
    int err = (int)-r;

    return ld_fail(e, err == ENOENT || err == ENOTDIR ? LD_EXIT_NOTFOUND : LD_EXIT_CANNOT, "%s",
                   ld_strerror(err));
}

/* May the effective user execute this file?  faccessat2 answers exactly
 * (ACLs, capabilities); where it is missing (Linux < 5.8) or refused by a
 * seccomp profile, fall back to the mode bits as exec checks them. */
static int may_execute(int fd, const struct stat *st)
{
    long r = sys4(SYS_faccessat2, fd, "", X_OK, AT_EACCESS | AT_EMPTY_PATH);
    unsigned euid, egid;

    if (r == 0)
        return 1;
    if (r != -ENOSYS && r != -EPERM)
        return 0;
    euid = (unsigned)sys0(SYS_geteuid);
    egid = (unsigned)sys0(SYS_getegid);
    if (euid == 0)
        return (st->st_mode & 0111) != 0;
    if (st->st_uid == euid)
        return (st->st_mode & S_IXUSR) != 0;
    if (st->st_gid == egid)
        return (st->st_mode & S_IXGRP) != 0;
    return (st->st_mode & S_IXOTH) != 0;
}

/* Direct invocation: do the checks exec would have done for us, on the
 * program open on inv->fd. */
static int check_direct(struct invocation *inv, struct ld_err *e)
{
    struct stat st;
    struct statfs sf;
    long r;

    if (rs_is_err(r = sys2(SYS_fstat, inv->fd, &st)))
        return fail_errno(r, e);
    if (S_ISDIR(st.st_mode))
        return ld_fail(e, LD_EXIT_CANNOT, "%s", ld_strerror(EISDIR));
    if (!S_ISREG(st.st_mode))
        return ld_fail(e, LD_EXIT_CANNOT, "%s", ld_strerror(EACCES));
    if (!may_execute(inv->fd, &st) ||
        (sys2(SYS_fstatfs, inv->fd, &sf) == 0 && (sf.f_flags & MNT_NOEXEC_FLAG)))
        return ld_fail(e, LD_EXIT_CANNOT, "%s", ld_strerror(EACCES));
    return 0;
}

/* The program: the descriptor -F gave (exec on a descriptor, as fexecve),
 * else inv->path opened here. */
static int open_direct(struct invocation *inv, int fd, struct ld_err *e)
{
    long r;

    if (fd < 0) {
        r = sys3(SYS_open, inv->path, LD_OPEN_FLAGS, 0);
        if (rs_is_err(r))
            return fail_errno(r, e);
        fd = (int)r;
    }
    inv->fd = fd;
    return check_direct(inv, e);
}

static void reverse(char *p, size_t n)
{
    for (size_t i = 0; i < n / 2; i++) {
        char t = p[i];
        p[i] = p[n - 1 - i];
        p[n - 1 - i] = t;
    }
}

/* runsel-loader [-F FD] -0 ARGV0 PROGRAM [ARGS...]: run PROGRAM with ARGV0
 * as its argv[0] (how a selected program's exec reaches the loader without
 * binfmt_misc).  The strings "ARGV0\0PROGRAM\0" are rotated in place to
 * "PROGRAM\0ARGV0\0", so the program's argument area
 * (/proc/self/cmdline) starts at ARGV0 and runs on into ARGS as natively. */
static int open_with_argv0(const struct initial_stack *s, int k, int fd, struct invocation *inv,
                           struct ld_err *e)
{
    char *a0 = s->argv[k + 1], *path = s->argv[k + 2];
    size_t l0 = strlen(a0) + 1, lp = strlen(path) + 1;

    if (path == a0 + l0) {
        reverse(a0, l0 + lp);
        reverse(a0, lp);
        reverse(a0 + lp, l0);
        path = a0;
        a0 += lp;
    }
    inv->path = inv->execfn = path;
    inv->argc = s->argc - (k + 2);
    inv->argv = s->argv + k + 2;
    inv->argv[0] = a0;
    return open_direct(inv, fd, e);
}

/* -F FD: a descriptor number, open here. */
static int parse_fd(const char *a)
{
    int fd = 0;

    if (!*a)
        return -1;
    for (; *a; a++) {
        if (*a < '0' || *a > '9' || fd > 100000000)
            return -1;
        fd = fd * 10 + (*a - '0');
    }
    return sys2(SYS_fcntl, fd, F_GETFD) >= 0 ? fd : -1;
}

/* Is path one of the names of a process's own image (/proc/self/exe,
 * /proc/thread-self/exe, /proc/PID/exe)? */
static int names_own_exe(const char *path)
{
    size_t n = path ? strlen(path) : 0;

    return n > 10 && !memcmp(path, "/proc/", 6) && !strcmp(path + n - 4, "/exe");
}

/* Started as /proc/self/exe: a program that re-executes itself, whose exe
 * link names the loader because the kernel would not let the loader set it
 * (an unprivileged process and the machine's own binfmt_misc entry).  Its
 * image is gone: say so instead of running its arguments as a program. */
static int reexec_failure(const struct initial_stack *s, struct invocation *inv,
                          struct ld_err *e)
{
    const char *fn = (const char *)aux_get(s, AT_EXECFN, NULL);

    if (!names_own_exe(fn))
        return 0;
    inv->path = fn;
    ld_fail(e, LD_EXIT_CANNOT, "a program re-executed itself through this name, which names "
            "runsel-loader, not the program: the kernel lets the loader set a process's exe "
            "link only with CAP_CHECKPOINT_RESTORE or in a user namespace it owns (see "
            "ARCHITECTURE.md); select the program, or register the loader in its namespace");
    return -1;
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
        long r = sys3(SYS_open, inv->path, LD_OPEN_FLAGS, 0);
        if (rs_is_err(r))
            return fail_errno(r, e);
        inv->fd = (int)r;
        return 0;
    }
    if (s->argc < 2) {
        if (reexec_failure(s, inv, e))
            return -1;
        write_str(2, usage_text);
        e->status = 2;
        return -1;
    }
    int k = 1, fd = -1;
    while (s->argc >= k + 3 && (!strcmp(s->argv[k], "-F") || !strcmp(s->argv[k], "-K"))) {
        int v = parse_fd(s->argv[k + 1]);
        if (v < 0) {
            write_str(2, s->argv[k][1] == 'F' ? "runsel-loader: -F needs an open file descriptor\n"
                                              : "runsel-loader: -K needs an open file descriptor\n");
            e->status = 2;
            return -1;
        }
        *(s->argv[k][1] == 'F' ? &fd : &inv->kfd) = v;
        k += 2;
    }
    if (s->argc >= k + 3 && !strcmp(s->argv[k], "-0"))
        return open_with_argv0(s, k, fd, inv, e);
    inv->path = s->argv[k];
    inv->argc = s->argc - k;
    inv->argv = s->argv + k;
    inv->execfn = inv->path;
    if (open_direct(inv, fd, e) == 0)
        return 0;
    if (fd < 0 && k == 1 && e->status == LD_EXIT_NOTFOUND)
        reexec_failure(s, inv, e);
    return -1;
}

static int open_interp(const char *path, struct elf_image *im, struct ld_err *e)
{
    long fd = sys3(SYS_open, path, LD_OPEN_FLAGS, 0);
    struct stat st;

    if (rs_is_err(fd))
        return ld_fail(e, LD_EXIT_CANNOT, "interpreter %s: %s", path, ld_strerror((int)-fd));
    if (sys2(SYS_fstat, fd, &st) != 0 || !S_ISREG(st.st_mode))   /* as open_exec() */
        return ld_fail(e, LD_EXIT_CANNOT, "interpreter %s: %s", path, ld_strerror(EACCES));
    if (elf_image_open(im, (int)fd, e) == 0)
        return 0;
    char why[sizeof(e->msg)];
    memcpy(why, e->msg, sizeof(why));
    return ld_fail(e, LD_EXIT_CANNOT, "interpreter %s: %s", path, why);
}

/* The kernel's stack top: AT_EXECFN is copied there first (exec.c). */
static uintptr_t stack_top(const struct initial_stack *s)
{
    const char *fn = (const char *)aux_get(s, AT_EXECFN, NULL);

    return fn ? (uintptr_t)fn + strlen(fn) + 1 + sizeof(void *) : s->end;
}

/* x86-64 randomizes brk over 1 GiB since Linux 6.9 (32 MiB before). */
static uintptr_t brk_range(void)
{
    struct utsname u;
    unsigned major = 0, minor = 0;
    const char *p = u.release;

    if (sys1(SYS_uname, &u) != 0)
        return LD_BRK_RND_OLD;
    for (; *p >= '0' && *p <= '9'; p++)
        major = major * 10 + (unsigned)(*p - '0');
    for (p += *p == '.'; *p >= '0' && *p <= '9'; p++)
        minor = minor * 10 + (unsigned)(*p - '0');
    return major > 6 || (major == 6 && minor >= 9) ? LD_BRK_RND_NEW : LD_BRK_RND_OLD;
}

/* PF_RANDOMIZE: off under personality(ADDR_NO_RANDOMIZE); with
 * kernel.randomize_va_space=0 the stack top is exactly STACK_TOP. */
static void choose_placement(const struct initial_stack *s, struct placement *pl,
                             uint64_t *brk_rnd)
{
    uint64_t r[2] = {0, 0};
    long persona = sys1(SYS_personality, 0xffffffff);

    /* A refused personality() (seccomp) reads as the default persona. */
    pl->randomize = !(!rs_is_err(persona) && (persona & ADDR_NO_RANDOMIZE)) &&
                    stack_top(s) != LD_TASK_SIZE;
    if (pl->randomize && sys3(SYS_getrandom, r, sizeof(r), GRND_NONBLOCK) != sizeof(r)) {
        /* Refused (seccomp) or not ready: the kernel's AT_RANDOM bytes, which
         * need not be 8-byte aligned — copy, do not dereference as u64. */
        const void *kr = (const void *)aux_get(s, AT_RANDOM, NULL);
        if (kr)
            memcpy(r, kr, sizeof(r));
        else
            r[0] = (uintptr_t)s->argv, r[1] = (uintptr_t)s->envp;
    }
    pl->rnd = r[0];
    pl->brk_range = pl->randomize ? brk_range() : 0;
    *brk_rnd = r[1];
}

static uintptr_t str_end(const char *p)
{
    return (uintptr_t)p + strlen(p) + 1;
}

static const char *env_get(const struct initial_stack *s, const char *name)
{
    size_t n = strlen(name);

    for (long i = 0; i < s->envc; i++)
        if (!memcmp(s->envp[i], name, n) && s->envp[i][n] == '=')
            return s->envp[i] + n + 1;
    return NULL;
}

/* Where an item comes from, as the log and errors name it: FILE:LINE of
 * the list or of one of its drop-ins, or runsel's request. */
static const char *item_where(const struct selection *sel, const struct sel_item *it, char *buf,
                              size_t size)
{
    if (!it->line)
        return "RUNSEL_RUN:0";
    return select_where(sel, it->line, buf, size);
}

/* "W1 (LIST:LINE[, inherited]) > W2 (...)": the stack, outermost first. */
static size_t fmt_stack(char *buf, size_t size, const struct selection *sel)
{
    size_t n = 0;
    char where[4400];

    for (int i = 0; i < sel->nitems && n < size; i++) {
        const struct sel_item *it = &sel->item[i];
        n += ld_fmt(buf + n, size - n, "%s%s (%s%s)", i ? " > " : "", it->name,
                    item_where(sel, it, where, sizeof(where)),
                    it->inherited ? ", inherited" : "");
    }
    return n < size ? n : size - 1;
}

/* Test mode: RUNSEL_LOADER_LOG=FILE records each exec handled and the
 * selection decision (one line, one write, O_APPEND, so concurrent execs
 * do not interleave). */
/* Started by binfmt_misc in a process runsel's supervisor holds
 * (internal/supervised.h): the wrappers run there, not here. */
static int supervised(const struct invocation *inv)
{
    return inv->binfmt && sys6(SYS_prctl, RS_PRCTL_SUPERVISED, RS_HELD_ASK, (long)inv->path, inv->fd,
                               0, 0) == RS_SUPERVISED_YES;
}

static void log_exec(const struct initial_stack *s, const struct invocation *inv,
                     const struct selection *sel, int held)
{
    const char *logf = inv->secure ? NULL : env_get(s, "RUNSEL_LOADER_LOG");
    char line[4800], stack[2048], where[4400];
    size_t n;

    if (!logf)
        return;
    long fd = sys3(SYS_open, logf, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
    if (rs_is_err(fd))
        return;
    fmt_stack(stack, sizeof(stack), sel);
    if (sel->problem && sel->problem_item >= 0) {
        const struct sel_item *it = &sel->item[sel->problem_item];
        n = ld_fmt(line, sizeof(line), "exec %s selected %s (%s) but wrapper %s unusable: %s\n",
                   inv->path, it->name, item_where(sel, it, where, sizeof(where)),
                   it->path[0] ? it->path : it->name, sel->problem);
    } else if (sel->problem)
        n = ld_fmt(line, sizeof(line), "exec %s selected, but unusable: %s\n", inv->path,
                   sel->problem);
    else if (sel->nitems)
        n = ld_fmt(line, sizeof(line), "exec %s selected %s\n", inv->path, stack);
    else if (held)
        n = ld_fmt(line, sizeof(line), "exec %s (held by runsel's supervisor: its wrappers run there)\n",
                   inv->path);
    else if (sel->why_not)
        n = ld_fmt(line, sizeof(line), "exec %s (%s ignored: %s)\n", inv->path, sel->list,
                   sel->why_not);
    else
        n = ld_fmt(line, sizeof(line), "exec %s\n", inv->path);
    sys3(SYS_write, fd, line, n);
    sys1(SYS_close, fd);
}

/* $RUNSEL_CONFIG names another list, $RUNSEL_WRAPPER_DIR another wrapper
 * directory, $RUNSEL_SELECTED the parent's selection — all ignored for a
 * secure exec (setuid, setgid, capabilities), where only the system list
 * and the installed wrappers count, as ld.so ignores LD_PRELOAD. */
static const char *knob(const struct initial_stack *s, const struct invocation *inv,
                        const char *name)
{
    const char *v = inv->secure ? NULL : env_get(s, name);

    return v && *v ? v : NULL;
}

/* $RUNSEL_RUN is runsel's request: "WRAPPER [key=value...] [+ ...]" is
 * pushed inside the list's enforcing wrappers; "?WRAPPER ..." applies only
 * where nothing else selects.  select.c puts the stack together. */
static void decide(const struct initial_stack *s, const struct invocation *inv,
                   struct selection *sel)
{
    const char *user = knob(s, inv, "RUNSEL_CONFIG");
    struct select_request rq = {
        .list = user, .user_list = user != NULL,
        .wrapper_dir = knob(s, inv, "RUNSEL_WRAPPER_DIR"),
        .inherited = knob(s, inv, "RUNSEL_SELECTED"),
        .run = knob(s, inv, "RUNSEL_RUN"),
    };

    select_program(&rq, inv->fd, sel);
}

/* A selected program starts in initmod, with its wrappers mapped; a
 * wrapper that cannot be used stops the exec (never run half-wrapped, and
 * never silently unwrapped: the stack may hold a sandbox). */
static int prepare_selected(const struct initial_stack *s, const struct invocation *inv,
                            const struct selection *sel, struct handoff *h, struct ld_err *e)
{
    struct boot_request rq = {
        .program = inv->path, .binfmt = inv->binfmt, .sel = sel, .entry = h->entry,
        .run = knob(s, inv, "RUNSEL_RUN"), .config = knob(s, inv, "RUNSEL_CONFIG"),
        .wrapper_dir = knob(s, inv, "RUNSEL_WRAPPER_DIR"),
        .log = knob(s, inv, "RUNSEL_LOADER_LOG"), .prog_fd = inv->fd, .kfd = inv->kfd,
    };

    if (sel->problem && sel->problem_item >= 0) {
        const struct sel_item *it = &sel->item[sel->problem_item];
        char where[4400];
        return ld_fail(e, LD_EXIT_CANNOT, "selected (%s), but wrapper %s cannot be used: %s",
                       item_where(sel, it, where, sizeof(where)),
                       it->path[0] ? it->path : it->name, sel->problem);
    }
    if (sel->problem)
        return ld_fail(e, LD_EXIT_CANNOT, "selected, but the wrappers cannot be used: %s",
                       sel->problem);
    return boot_prepare(&rq, &h->entry, &h->boot, e);
}

static const char *enforcing_wrapper(const struct selection *sel)
{
    for (int i = 0; i < sel->nitems; i++)
        if (sel->item[i].enforces)
            return sel->item[i].name;
    return NULL;
}

/* A program that runs unwrapped keeps none of the fds the wrappers of
 * the process that exec'd it passed on (RUNSEL_FDS, passfds.h: their
 * log, count's table): those this exec inherited, still open on the file
 * named, are closed.  Read for a secure exec too: closing an inherited fd
 * of 3 or more gives its caller nothing. */
static void close_passed_fds(const struct initial_stack *s, const struct invocation *inv)
{
    const char *p = env_get(s, RS_PASSFDS_VAR);
    unsigned long v[3];
    struct stat st;

    for (int k = 0; p && *p && k < RS_PASSFDS_MAX; k++) {
        if (!(p = rs_passfds_next(p, v)))
            return;
        if (v[0] < 3 || v[0] > 0x7fffffff || (long)v[0] == inv->fd ||
            sys2(SYS_fcntl, v[0], F_GETFD) != 0 || sys2(SYS_fstat, v[0], &st) ||
            st.st_dev != v[1] || st.st_ino != v[2])
            continue;
        sys1(SYS_close, v[0]);
    }
}

/* runsel asked for a set-user-ID, set-group-ID or file-capability
 * program.  Run here it would lose its privileges; so the kernel runs it
 * itself, natively and unwrapped (one line says so) — unless a wrapper of
 * its stack enforces a policy, which such a program would escape. */
static int run_privileged(const struct initial_stack *s, struct invocation *inv,
                          struct ld_err *e)
{
    static struct selection sel;
    const char *enf;
    char msg[600];
    size_t n;

    decide(s, inv, &sel);
    select_close(&sel);
    if ((enf = enforcing_wrapper(&sel)))
        return ld_fail(e, LD_EXIT_CANNOT, "refused: a set-user-ID, set-group-ID or "
                       "file-capability program would run without %s, which enforces a policy",
                       enf);
    n = ld_fmt(msg, sizeof(msg), "runsel: %s: set-user-ID, set-group-ID or file-capability "
               "program: run natively and unwrapped\n", inv->path);
    sys3(SYS_write, 2, msg, n);
    close_passed_fds(s, inv);
    long r = sys3(SYS_execve, inv->path, inv->argv, s->envp);
    return fail_errno(r, e);
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

    if (handoff_begin(h, stack_block_size(&ns), e))
        return -1;
    stack_build(&ns, h->block, &h->auxv_off, &h->auxv_len);
    /* Same top as the kernel's block, 16-byte aligned sp.  The block never
     * grows (the program has fewer argv entries than the loader), so it fits
     * where the kernel's was, above every frame of the loader. */
    h->final_sp = (s->end - h->block_size) & ~15UL;
    if (h->final_sp < (uintptr_t)(s->argv - 1))
        return ld_fail(e, LD_EXIT_CANNOT, "internal error: stack block grew");
    h->arg_start = (uintptr_t)inv->argv[0];
    h->arg_end = str_end(inv->argv[inv->argc - 1]);
    h->env_start = s->envc ? (uintptr_t)s->envp[0] : h->arg_end;
    h->env_end = s->envc ? str_end(s->envp[s->envc - 1]) : h->arg_end;
    return 0;
}

/* The loader's own PT_LOAD span, to unmap at handoff. */
void loader_image(struct loader_image *li)
{
    uintptr_t bias = (uintptr_t)&__ehdr_start;
    const Elf64_Phdr *ph = (const Elf64_Phdr *)(bias + __ehdr_start.e_phoff);

    li->lo = UINTPTR_MAX;
    li->hi = 0;
    for (int i = 0; i < __ehdr_start.e_phnum; i++) {
        if (ph[i].p_type != PT_LOAD)
            continue;
        if (bias + ph[i].p_vaddr < li->lo)
            li->lo = PAGE_DOWN(bias + ph[i].p_vaddr);
        if (bias + ph[i].p_vaddr + ph[i].p_memsz > li->hi)
            li->hi = PAGE_UP(bias + ph[i].p_vaddr + ph[i].p_memsz);
    }
}

static void set_comm(const char *path)
{
    const char *base = strrchr(path, '/');

    sys2(SYS_prctl, PR_SET_NAME, base ? base + 1 : path);
}

static int run(const struct initial_stack *s, struct invocation *inv, struct ld_err *e)
{
    static struct elf_image prog, interp;   /* large: keep them off the stack */
    static struct selection sel;
    struct mapped pm, im;
    struct placement pl;
    struct handoff h = {0};
    struct stat st;
    uint64_t brk_rnd;
    long r;

    if (parse_invocation(s, inv, e))
        return -1;
    int held = supervised(inv);   /* first: before any call of the loader's own */
    if (rs_is_err(r = sys2(SYS_fstat, inv->fd, &st)))
        return fail_errno(r, e);
    if (check_privileges(inv->fd, &st, inv->secure, e))
        return !inv->binfmt && knob(s, inv, "RUNSEL_RUN") ? run_privileged(s, inv, e) : -1;
    if (elf_image_open(&prog, inv->fd, e))
        return -1;
    if (prog.interp && open_interp(prog.interp, &interp, e))
        return -1;
    if (!held)
        decide(s, inv, &sel);
    log_exec(s, inv, &sel, held);
    if (!held && sel.nitems && !sel.problem && selection_wants_process(&sel))
        return exec_out_of_process(s, inv->path, inv->argv, inv->argc, e);
    choose_placement(s, &pl, &brk_rnd);
    if (map_program(&prog, &pl, &pm, e) || (prog.interp && map_interp(&interp, &im, e)))
        return -1;
    h.entry = prog.interp ? im.entry : pm.entry;
    if ((sel.nitems || sel.problem) && prepare_selected(s, inv, &sel, &h, e))
        return -1;
    if (!sel.nitems)
        close_passed_fds(s, inv);
    select_close(&sel);
    if (inv->kfd >= 0)              /* initmod has its own copy (boot.c): not the program's */
        sys1(SYS_close, inv->kfd);
    if (prog.exec_stack && make_stack_executable(stack_top(s), e))
        return -1;
    if (build_stack(s, inv, &prog, &pm, prog.interp ? &im : NULL, &h, e))
        return -1;
    h.exe_fd = inv->fd;
    h.held = held;
    h.start_code = pm.start_code;
    h.end_code = pm.end_code;
    h.start_data = pm.start_data;
    h.end_data = pm.end_data;
    h.start_brk = choose_brk(&prog, &pm, &pl, brk_rnd);
    loader_image(&h.self);
    if (!inv->binfmt)   /* the kernel named the task after the loader */
        set_comm(inv->path);
    if (prog.interp)
        sys1(SYS_close, interp.fd);
    return handoff(&h, e);
}

static void report(const struct invocation *inv, const struct ld_err *e)
{
    char line[1200];
    size_t n = ld_fmt(line, sizeof(line), "runsel-loader: %s: %s\n",
                      inv->path ? inv->path : "?", e->msg);

    sys3(SYS_write, 2, line, n);
}

__attribute__((noreturn)) void loader_main(uintptr_t *sp)
{
    struct initial_stack s;
    struct invocation inv = {.fd = -1, .kfd = -1};
    struct ld_err e = {0};

    stack_parse(&s, sp);
    if (s.argc == 2 && !aux_get(&s, AT_EXECFD, NULL) && !strcmp(s.argv[1], "--help")) {
        write_str(1, usage_text);
        sys_exit_group(0);
    }
    if (s.argc == 2 && !aux_get(&s, AT_EXECFD, NULL) && !strcmp(s.argv[1], "--version")) {
        write_str(1, "runsel-loader " LOADER_VERSION "\n");
        sys_exit_group(0);
    }
    run(&s, &inv, &e);
    if (e.msg[0])
        report(&inv, &e);
    sys_exit_group(e.status ? e.status : LD_EXIT_CANNOT);
}
