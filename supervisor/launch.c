/* launch.c — `runsel --placement=process`: runsel (P) becomes the program,
 * traced from its first instruction by a supervisor that is neither its
 * parent nor its child, so getppid, wait and the process tree stay native:
 *
 *   P forks A, A forks the master M and exits, P reaps A.  M leaves P's
 *   session (a terminal's signals are the program's business).  P lets M
 *   trace it (PR_SET_PTRACER, for Yama) and says go; M seizes P and says
 *   ok (or that P is traced already); P installs the filter (filter.c) and
 *   execs the program natively: no loader, nothing of runsel in its
 *   address space.  M's first stop of it is the exec, where the selection
 *   decides the image's stack and a worker starts it (master.c).
 *
 * The filter must know the calls before the program runs: P asks the
 * selection for the program as the loader would, maps the stack's images
 * here only to read which calls their handlers take, and unmaps nothing —
 * the exec replaces P's memory. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>
#include "host.h"
#include "pin.h"
#include "runrules.h"
#include "privexec.h"
#include "select.h"
#include "svlaunch.h"
#include "svwork.h"
#include "kfilter.h"

static long no_syscall(long nr, long a, long b, long c, long d, long e, long f)
{
    (void)nr, (void)a, (void)b, (void)c, (void)d, (void)e, (void)f;
    return -ENOSYS;
}

/* An entry's options, as the worker's wrappers get them: each key=value
 * word but runsel's own (syscalls=, placement= ...), copied into room. */
int sv_split_options(struct sv_item *it, const char *words, size_t len, char **room, char *end)
{
    return kf_split_options(words, len, it->opt, SV_MAX_OPTS, &it->nopt, room, end);
}

/* The calls a wrapper's rules (ABI 1.6) send to the worker: those a rule
 * fails or hands to the code; an ALLOW needs nothing of the worker's.
 * Built as the worker builds them, from the entry's options (a table the
 * worker would refuse is refused there, 126). -1: they could not be
 * built here; then every call goes out. */
static int add_rule_wants(const struct rs_wrapper *w, const struct sel_entry *e, int pos,
                          unsigned char *wants)
{
    static struct sv_item it;
    static struct rs_rule rules[RS_RULES_MAX];
    static char text[4200];
    char *room = text, err[256];
    int n, bad, which, other;

    memset(&it, 0, sizeof(it));
    if (sv_split_options(&it, e->w[pos].options.p, e->w[pos].options.n, &room, text + sizeof(text)))
        return -1;
    struct rs_options o = {it.opt, it.nopt};
    if ((n = rs_rules_build(w, &o, rules, err, sizeof(err), &bad, &which, &other)) < 0)
        return -1;
    for (int i = 0; i < n; i++)          /* checked: every nr is in range */
        if (rules[i].action != RS_RULE_ALLOW)
            wants[rules[i].nr] = 1;
    return 0;
}

/* The calls one wrapper takes: its handlers' numbers, RS_ANY every call —
 * narrowed to its entry's syscalls= (the worker applies the same) — and
 * its rules'; for a wrapper whose rules cover its handlers
 * (RS_RULES_COVER), its rules' alone. */
static void add_wants(const struct rs_wrapper *w, const struct sel_item *it, unsigned char *wants,
                      int *any)
{
    static unsigned char allowed[RS_NSYS];
    struct sel_entry e;
    const char *why;
    int narrowed = 0;

    memset(allowed, 0, sizeof(allowed));
    int parsed = selconf_parse_line(it->entry, strlen(it->entry), it->line, &e, &why) == 1;
    if (parsed)
        narrowed = sv_syscall_list(e.w[it->pos].syscalls, allowed);
    if (w->abi_minor >= 6 && w->rules && (!parsed || add_rule_wants(w, &e, it->pos, wants)))
        *any = 1;
    else if (w->abi_minor >= 6 && w->rules && (w->flags & RS_RULES_COVER))
        return;                     /* its rules name every call its handlers see (fault) */
    for (int k = 0; k < w->nhandlers; k++) {
        int nr = w->handlers[k].nr;
        if (nr == RS_ANY && !narrowed)
            *any = 1;
        else if (nr == RS_ANY)
            for (int x = 0; x < RS_NSYS; x++)
                wants[x] |= allowed[x];
        else if (nr >= 0 && nr < RS_NSYS && (!narrowed || allowed[nr]))
            wants[nr] = 1;
    }
}

/* Which calls the program's stack takes; -1 with why when it cannot run
 * (attach.c too). */
int sv_stack_wants(const char *prog, const struct sv_request *rq, unsigned char *wants,
                   int *any, int *enforcing, int *inherit, char *why, size_t whysize)
{
    static const struct rs_host probe = {.abi_major = RS_ABI_MAJOR, .abi_minor = RS_ABI_MINOR,
                                         .syscall6 = no_syscall};
    struct select_request s = {.list = rq->config, .user_list = rq->config != NULL,
                               .wrapper_dir = rq->wrapper_dir, .run = rq->run};
    struct selection sel;
    int fd = open(prog, O_RDONLY | O_CLOEXEC);

    if (fd < 0) {
        snprintf(why, whysize, "%s", strerror(errno));
        return -1;
    }
    select_program(&s, fd, &sel);
    close(fd);
    if (sel.problem) {
        snprintf(why, whysize, "%s", sel.problem);
        select_close(&sel);
        return -1;
    }
    for (int i = 0; i < sel.nitems; i++) {
        char err[256];
        const void *entry = sv_image_map(sel.item[i].fd, err, sizeof(err));
        const struct rs_wrapper *w = entry ? ((rs_image_entry_fn)entry)(&probe) : NULL;
        if (!w) {
            snprintf(why, whysize, "wrapper %s: %s", sel.item[i].name, entry ? "built for another ABI" : err);
            select_close(&sel);
            return -1;
        }
        if (w->abi_minor < 4 || (w->flags & RS_INPROCESS)) {
            snprintf(why, whysize, "wrapper %s runs only inside the program (%s): "
                     "use --placement=inprocess", sel.item[i].name,
                     w->abi_minor < 4 ? "built for ABI 1.3 or older" : "its descriptor says so");
            select_close(&sel);
            return -1;
        }
        *enforcing |= sel.item[i].enforces;
        if (inherit && !sel.item[i].inherit)
            *inherit = 0;
        add_wants(w, &sel.item[i], wants, any);
    }
    /* exit_group runs the stack's fini (worker.c); exec starts the next
     * stack; a fork is where the worker forks too (it does so inside the
     * call: worker.c's pass_native), whatever the stack takes — without it
     * a child's worker would never start, and the child be killed */
    wants[SYS_exit_group] = wants[SYS_execve] = wants[SYS_execveat] = 1;
    wants[SYS_clone] = wants[SYS_clone3] = wants[SYS_fork] = wants[SYS_vfork] = 1;
    select_close(&sel);
    return 0;
}

static void write_all(int fd, const void *b, size_t n)
{
    if (write(fd, b, n) != (ssize_t)n)
        _exit(1);
}

/* The master: seize P, say so, trace the run. */
static __attribute__((noreturn)) void master(pid_t p, int go, int ok, const struct sv_request *rq)
{
    char c;
    long opts = PTRACE_O_TRACESECCOMP | PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACECLONE |
                PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK | PTRACE_O_TRACEEXEC | PTRACE_O_EXITKILL;
    int devnull = open("/dev/null", O_RDWR | O_CLOEXEC);

    setsid();
    if (devnull >= 0) {
        dup2(devnull, 0);
        dup2(devnull, 1);
    }
    if (read(go, &c, 1) != 1)
        _exit(1);
    c = ptrace(PTRACE_SEIZE, p, 0, opts) ? (errno == EPERM ? 'T' : 'E') : 'K';
    write_all(ok, &c, 1);
    close(ok);
    _exit(c == 'K' ? sv_master_run(p, rq->run, rq->config, rq->wrapper_dir) : 1);
}

const unsigned char *sv_filter_wants;
int sv_filter_any = 1;

int sv_launch(const char *prog, char *const *argv, const struct sv_request *rq)
{
    static unsigned char wants[RS_NSYS];
    int any = 0, enforcing = 0, pidp[2], gop[2], okp[2], st;
    char why[512], c;
    pid_t m = 0, a;

    if (sv_stack_wants(prog, rq, wants, &any, &enforcing, NULL, why, sizeof(why))) {
        fprintf(stderr, "runsel: %s: %s\n", prog, why);
        return 126;
    }
    /* as for the execs it makes (master.c): without root, traced, it would
     * run without the privileges it gains natively */
    if (geteuid() != 0 && sv_exec_gains_privileges(getpid(), AT_FDCWD, prog, 0, why, sizeof(why))) {
        fprintf(stderr, "runsel: %s: refused: it would run without its privileges (set-user-ID, "
                "set-group-ID or file capabilities: a program traced by runsel's supervisor "
                "without root gains none); run it without --placement=process\n", why);
        return 126;
    }
    sv_pin_choose();                 /* before the fork: the master's and the filter's */
    sv_filter_wants = wants;         /* the worker checks later stacks against it */
    sv_filter_any = any;
    if (pipe2(pidp, O_CLOEXEC) || pipe2(gop, O_CLOEXEC) || pipe2(okp, O_CLOEXEC))
        return perror("runsel: pipe"), 126;
    pid_t p = getpid();
    fflush(NULL);
    if ((a = fork()) < 0)
        return perror("runsel: fork"), 126;
    if (a == 0) {
        pid_t mm = fork();
        if (mm == 0)
            master(p, gop[0], okp[1], rq);
        write_all(pidp[1], &mm, sizeof(mm));
        _exit(0);
    }
    close(gop[0]);
    close(okp[1]);
    if (waitpid(a, &st, 0) != a || read(pidp[0], &m, sizeof(m)) != (ssize_t)sizeof(m) || m <= 0)
        return fprintf(stderr, "runsel: the supervisor did not start\n"), 126;
    prctl(PR_SET_PTRACER, m);
    c = 'g';
    write_all(gop[1], &c, 1);
    if (read(okp[0], &c, 1) != 1 || c != 'K') {
        fprintf(stderr, "runsel: %s: %s\n", prog,
                c == 'T' ? "cannot be traced by runsel's supervisor (traced already, by a debugger?)"
                         : "runsel's supervisor could not attach");
        return 1;
    }
    close(okp[0]);
    close(gop[1]);
    int r = sv_filter_install(wants, any, enforcing);
    if (r) {
        fprintf(stderr, "runsel: the seccomp filter: %s\n", strerror(-r));
        kill(m, SIGKILL);
        return 126;
    }
    unsetenv("RUNSEL_HELD_EXEC");    /* the loader's mark (loader/toprocess.c): not the program's */
    execv(prog, argv);
    /* Traced, under the filter: end here, running no exit handler (a
     * sanitizer's leak check at exit stops the world with a thread made
     * CLONE_UNTRACED, whose calls the filter then fails with ENOSYS: it
     * never ends) */
    fprintf(stderr, "runsel: %s: %s\n", prog, strerror(errno));
    fflush(stderr);
    _exit(126);
}
