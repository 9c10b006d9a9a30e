/* worker.c — one traced process's wrappers, in a process of their own.
 *
 * The master forks a worker when a traced process starts a program (its
 * exec): the worker maps the stack's images (image.c), hands each the host
 * interface below, runs their init, and then serves the calls the master
 * sends: a thread per program thread, so a call that blocks in the program
 * (rs_pass waits for it) holds up none of the others.  When the program
 * forks, the thread serving the fork forks the worker too — the child
 * worker is a copy of its parent's wrapper state, as the program's child is
 * of the program's memory, and it goes on inside rs_pass with the child's
 * result, 0, exactly where an in-process wrapper's child goes on.
 *
 * The host interface, as a wrapper sees it here (docs/placement.md):
 *   rs_syscall  runs in the worker (ABI 1.4: rs_getpid, rs_gettid,
 *               rs_proc_path and rs_program_fd say where the program is);
 *   rs_pass     the master makes the call in the program's thread;
 *   rs_keep_fd  nothing to guard: the program cannot reach the worker's fds. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>
#include "host.h"
#include "runrules.h"
#include "runstack.h"
#include "pin.h"
#include "spin.h"
#include "svwork.h"

/* A program thread's server, on a channel of its own to the master. */
struct wthread {
    int tid;                        /* the program's */
    int pid;                        /* ... its process: W.pid's, or a CLONE_VM child's (vfork,
                                     * posix_spawn) this worker serves too, with its own fds */
    int chan;
    uint64_t sp;                    /* the program thread's stack pointer at its call */
    uint64_t scratch_used;          /* bytes below it (past the red zone) this call uses */
    int want_result;                /* the stack around this call uses its result */
    int final;                      /* its call was passed with nothing to wait for */
    int async;                      /* the program did not wait for this call (SV_ASYNC) */
    int64_t async_ret;              /* ... its result */
    uint64_t clock[4];              /* ... the times of its entry and exit stops */
    int at_exit;                    /* ... rs_pass has returned: the exit's times */
    struct sv_msg queue[SV_BATCH];  /* messages received, not handled yet */
    int queued, next;
};

static struct worker {
    int chan;                       /* to the master */
    pid_t pid, ppid;                /* the program's */
    const struct sv_stack *stack;
    const struct rs_wrapper *w[RS_MAX_STACK];
    struct rs_host host;
    int finished;                   /* fini has run */
    int enforcing;                  /* a wrapper of the stack enforces (RS_ENFORCES) */
    int observes;                   /* every wrapper only observes (RS_OBSERVES, no rules) */
    int threads;                    /* program threads served (their channels open) */
    struct rs_rule rules[RS_MAX_STACK][RS_RULES_MAX];   /* ABI 1.6 (runrules.h) */
    struct rs_rules_index index[RS_MAX_STACK];
    int nrules[RS_MAX_STACK];
} W;

static __thread struct wthread *me;

/* ---- the channels: the process's (W.chan: SV_THREAD, SV_READY, SV_KEEP)
 * and each thread's (its calls and signals) */
/* One message on fd, with size bytes of data after it in the same
 * datagram (SV_PIN's). */
static void send_with(int fd, const struct sv_msg *m, const void *data, size_t size)
{
    struct iovec iov[2] = {{(void *)m, sizeof(*m)}, {(void *)data, size}};
    struct msghdr h = {.msg_iov = iov, .msg_iovlen = size ? 2 : 1};
    ssize_t r;

    do
        r = sendmsg(fd, &h, MSG_NOSIGNAL);
    while (r < 0 && errno == EINTR);
    if (r != (ssize_t)(sizeof(*m) + size)) {
        if (getenv("RUNSEL_SV_DEBUG"))
            fprintf(stderr, "sv: worker %d (program %d): send: %s\n", getpid(), W.pid, strerror(errno));
        _exit(1);                   /* the master is gone: so is the program (EXITKILL) */
    }
}

static void send_on(int fd, const struct sv_msg *m)
{
    send_with(fd, m, NULL, 0);
}

static void send_msg(const struct sv_msg *m)
{
    send_on(me ? me->chan : W.chan, m);
}

/* Messages from fd into m (max of them: an observing stack's calls come
 * SV_BATCH to a datagram), with up to two descriptors: how many, or -1
 * at the end. */
static int recv_some(int fd, struct sv_msg *m, int max, int *fds)
{
    char ctl[CMSG_SPACE(2 * sizeof(int))];
    struct iovec iov = {m, (size_t)max * sizeof(*m)};
    struct msghdr h = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl,
                       .msg_controllen = sizeof(ctl)};
    ssize_t r;

    fds[0] = fds[1] = -1;
    /* awake a while for the next step (spin.c), unless the program never
     * waits for this worker: an observing stack's calls are news (SV_ASYNC),
     * and on two CPUs a spinning worker takes one from the program and the
     * master (count out of process: python 105 ms against 120, gcc -c 109
     * against 155, medians of 9) */
    if (W.observes)
        do
            r = recvmsg(fd, &h, MSG_CMSG_CLOEXEC);
        while (r < 0 && errno == EINTR);
    else
        r = sv_spin_recvmsg(fd, &h, MSG_CMSG_CLOEXEC);
    if (r <= 0 || r % (ssize_t)sizeof(*m))
        return -1;
    struct cmsghdr *c = CMSG_FIRSTHDR(&h);
    if (c && c->cmsg_type == SCM_RIGHTS) {
        size_t n = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
        memcpy(fds, CMSG_DATA(c), (n > 2 ? 2 : n) * sizeof(int));
    }
    return (int)(r / (ssize_t)sizeof(*m));
}

/* One message from fd; -1 at the end. */
static int recv_on(int fd, struct sv_msg *m, int *fds)
{
    return recv_some(fd, m, 1, fds) == 1 ? 0 : -1;
}

/* The next message for this thread.  Its channel's end: the program
 * thread needs it no more (it exec'd — a vfork child sharing this worker —
 * or ended): this thread ends; the whole worker ends with its process's
 * channel (reader_main). */
static struct sv_msg wait_msg(struct wthread *t, int *fds)
{
    if (t->next < t->queued) {
        fds[0] = fds[1] = -1;
        return t->queue[t->next++];
    }
    int n = recv_some(t->chan, t->queue, SV_BATCH, fds);
    if (n > 0) {
        t->queued = n;
        t->next = 1;
        return t->queue[0];
    }
    close(t->chan);
    free(t);                     /* nothing else holds it: each thread owns its own */
    __atomic_sub_fetch(&W.threads, 1, __ATOMIC_RELEASE);
    pthread_exit(NULL);
}

/* ---- the host interface */
static long host_syscall6(long nr, long a, long b, long c, long d, long e, long f)
{
    long r = syscall(nr, a, b, c, d, e, f);
    return r == -1 ? -errno : r;
}

static void run_fini(int status)
{
    if (__atomic_exchange_n(&W.finished, 1, __ATOMIC_ACQ_REL))
        return;
    for (int i = W.stack->n - 1; i >= 0; i--)
        if (W.w[i]->fini)
            W.w[i]->fini(status);
}

static void become_child(struct wthread *t, const int *fds, pid_t child);

static long pass_native(struct rs_call *c)
{
    struct sv_msg m = {.kind = SV_PASS, .tid = me->tid, .nr = c->nr};
    int fds[2];

    c->flags |= RS_CALL_MADE;
    if (c->nr == SYS_exit_group)
        run_fini((int)c->arg[0]);
    if (me->async) {             /* made already, as it was told: its result came with it */
        me->at_exit = 1;
        return c->ret = me->async_ret;
    }
    memcpy(m.arg, c->arg, sizeof(m.arg));
    /* No after hook or override around it: the program makes the call and
     * goes on, with no stop at its exit (a fork must stop: the worker forks
     * with it) */
    if (!me->want_result && c->nr != SYS_clone && c->nr != SYS_clone3 && c->nr != SYS_fork &&
        c->nr != SYS_vfork) {
        m.made = 2;
        me->final = 1;
        send_msg(&m);
        return c->ret = 0;
    }
    send_msg(&m);
    for (;;) {
        struct sv_msg r = wait_msg(me, fds);
        if (r.kind == SV_RESULT)
            return c->ret = r.ret;
        if (r.kind == SV_FORKED) {
            pid_t k = fork();
            if (k < 0)
                _exit(1);
            if (k == 0) {
                become_child(me, fds, r.pid);
                return c->ret = 0;
            }
            close(fds[0]);
            close(fds[1]);
        }
    }
}

static int host_keep_fd(int fd)
{
    return fd;
}

/* rs_call_clock_ns: where the master saw the program, for a call it did
 * not wait for (the program has gone on since); else read now, the
 * program stopped there. */
static int host_call_clock(int clock, uint64_t *ns)
{
    int k = me && me->at_exit ? 2 : 0;

    if (!me || !me->async)
        return -1;
    if (clock == CLOCK_MONOTONIC)
        *ns = me->clock[k];
    else if (clock == CLOCK_THREAD_CPUTIME_ID)
        *ns = me->clock[k + 1];
    else
        return -1;
    return 0;
}

/* The program's execs keep it: the master holds a copy for the process
 * and hands it to the worker of each image it execs (count finds its run
 * so), as initmod passes it through the loader. */
static int host_keep_fd_exec(int fd)
{
    char ctl[CMSG_SPACE(sizeof(int))];
    struct sv_msg m = {.kind = SV_KEEP, .tid = W.pid};
    struct iovec iov = {&m, sizeof(m)};
    struct msghdr h = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl,
                       .msg_controllen = sizeof(ctl)};
    struct cmsghdr *c = CMSG_FIRSTHDR(&h);

    memset(ctl, 0, sizeof(ctl));
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(c), &fd, sizeof(int));
    if (sendmsg(W.chan, &h, MSG_NOSIGNAL) != (ssize_t)sizeof(m))
        return -EIO;
    return fd;
}

/* The process of the program thread whose call or signal this is (a
 * CLONE_VM child shares this worker, not its fds or its pid). */
static pid_t prog_pid(void)
{
    return me && me->pid ? me->pid : W.pid;
}

static size_t host_proc_dir(char *buf, size_t size, int thread)
{
    int n = thread && me ? snprintf(buf, size, "/proc/%d/task/%d", prog_pid(), me->tid)
                         : snprintf(buf, size, "/proc/%d", prog_pid());
    return n < 0 ? size : (size_t)n;
}

static int host_getpid(void)
{
    return prog_pid();
}

static int host_gettid(void)
{
    return me ? me->tid : W.pid;
}

/* Below the program's stack pointer, past its red zone: the kernel's own
 * place for a signal frame, unused while the thread is in its call. */
static void *host_call_scratch(const struct rs_call *c, size_t size)
{
    (void)c;
    uint64_t at;

    if (!me || !me->sp || size > 65536 || me->scratch_used + size > 65536)
        return NULL;
    /* each request of the call below the last: two wrappers of a stack
     * (or two pins) never share bytes */
    at = (me->sp - 128 - me->scratch_used - size) & ~63UL;
    me->scratch_used = me->sp - at - 128;
    return (void *)at;
}

/* An observing stack's pins: below the program's stack pointer
 * (host_call_scratch), which the program could change — nothing is
 * enforced on them, and its address space stays free of runsel's area. */
static long pin_unprotected(struct rs_call *c, int idx, const void *data, size_t size)
{
    void *at = host_call_scratch(c, size);
    struct iovec l = {(void *)data, size}, r = {at, size};

    if (!at)
        return -E2BIG;
    if (process_vm_writev(prog_pid(), &l, 1, &r, 1, 0) != (ssize_t)size)
        return -EFAULT;
    c->arg[idx] = (long)at;
    return 0;
}

/* rs_pin_arg: the master writes the bytes into the thread's slot of the
 * program's pinned area (pin.c) and says where.  Only an enforcing stack's
 * image has the area. */
static long host_pin_arg(struct rs_call *c, int idx, const void *data, size_t size)
{
    struct sv_msg m = {.kind = SV_PIN, .tid = me ? me->tid : 0};
    int fds[2];

    if (!me)
        return -EPERM;              /* init and fini make no calls of the program's */
    if (size > SV_PIN_SLOT)
        return -E2BIG;
    if (!W.enforcing)
        return pin_unprotected(c, idx, data, size);
    m.arg[0] = (int64_t)size;
    send_with(me->chan, &m, data, size);
    struct sv_msg a = wait_msg(me, fds);
    if (a.kind != SV_PINNED)
        return -EIO;
    if (a.ret < 0)
        return a.ret;
    c->arg[idx] = a.ret;
    return 0;
}

static long host_program_fd(int fd)
{
    int pidfd = (int)syscall(SYS_pidfd_open, prog_pid(), 0);
    long r;

    if (pidfd < 0)
        return -errno;
    r = syscall(SYS_pidfd_getfd, pidfd, fd, 0);
    r = r < 0 ? -errno : r;
    close(pidfd);
    if (r >= 0)
        fcntl((int)r, F_SETFD, FD_CLOEXEC);
    return r;
}

/* As initmod's (initmod/main.c): a wrapper that enforces a policy is
 * neither narrowed (syscalls=) nor left behind by the programs it starts
 * (inherit=no), and its image's note says what its descriptor says.  The
 * image then ends before it runs, 126 (master.c: exit_unready). */
static void check_policy(const struct sv_prog *p, const struct rs_wrapper *w, const struct sv_item *it)
{
    const char *why = NULL;
    int enforces = (w->flags & RS_ENFORCES) != 0;

    if (enforces != (it->enforces != 0))
        why = "enforces a policy, but its image's note says it does not";
    else if (enforces && it->narrowed)
        why = "enforces a policy: syscalls= would let the other calls through";
    else if (enforces && !it->inherit)
        why = "enforces a policy: inherit=no would let the programs it runs escape it";
    for (int k = 0; enforces && !why && !sv_filter_any && k < w->nhandlers; k++) {
        int nr = w->handlers[k].nr;
        if (nr == RS_ANY ? !it->narrowed : nr >= 0 && nr < RS_NSYS && !sv_filter_wants[nr])
            why = "enforces a policy on calls this run's filter does not send out (it was made "
                  "for the stack the run started with): run the program under it from the start";
    }
    if (why) {
        fprintf(stderr, "runsel: %s: %s %s\n", p->path, it->name, why);
        _exit(126);
    }
}

/* ---- the stack: internal/runstack.h, as initmod runs it */

/* The level's rule for c, as in process (initmod/dispatch.c). */
static const struct rs_rule *level_rule(int level, const struct rs_call *c)
{
    if (!W.nrules[level] || !sv_allowed(W.stack, level, c->nr))
        return NULL;
    return rs_rules_match(W.rules[level], &W.index[level], c);
}

static const struct rs_handler *handler_for(int level, const struct rs_call *c, int *refuse)
{
    const struct rs_wrapper *w = W.w[level];
    const struct rs_handler *any = NULL;

    (void)refuse;                /* other ABIs' calls never reach a worker (filter.c) */
    if (!sv_allowed(W.stack, level, c->nr))
        return NULL;
    for (int i = 0; i < w->nhandlers; i++) {
        if (w->handlers[i].nr == c->nr)
            return &w->handlers[i];
        if (w->handlers[i].nr == RS_ANY)
            any = &w->handlers[i];
    }
    return any;
}

static void pass_call(struct rs_call *c)
{
    pass_native(c);
}

/* RS_RULE_KILL: the run's filter kills for the rules the stack started
 * with (filter.c: SECCOMP_RET_KILL_PROCESS, by SIGSYS, before the call
 * reaches here); a later stack's rule can only kill it by SIGKILL. */
static void kill_program(const struct rs_call *c)
{
    (void)c;
    kill(prog_pid(), SIGKILL);
}

static int level_covers(int level)
{
    const struct rs_wrapper *w = W.w[level];

    return w->abi_minor >= 6 && w->rules && (w->flags & RS_RULES_COVER);
}


/* The rules of each wrapper for its options, checked as in process; a
 * table refused there is refused here (126). */
static void build_rules(const struct sv_prog *p, const struct sv_stack *st)
{
    char err[512];

    for (int i = 0; i < st->n; i++) {
        const struct rs_wrapper *w = W.w[i];
        struct rs_options o = {st->item[i].opt, st->item[i].nopt};
        int which = 0, other = 0, bad;
        int n = rs_rules_build(w, &o, W.rules[i], err, sizeof(err), &bad, &which, &other);
        if (n < 0 && !bad) {
            fprintf(stderr, "runsel: %s: wrapper %s: %s\n", p->path, st->item[i].name,
                    err[0] ? err : "its rules could not be built");
            _exit(126);
        }
        if (n < 0) {
            const char *name = rs_syscall_name(W.rules[i][which].nr);
            fprintf(stderr, "runsel: %s: wrapper %s: rule %d (%s): %s", p->path, st->item[i].name,
                    which, name ? name : "?", rs_rules_problem_text(bad));
            if (bad == RS_RULES_CONFLICT)
                fprintf(stderr, " (rule %d)", other);
            fputc('\n', stderr);
            _exit(126);
        }
        /* as for handlers (check_policy): an enforcing wrapper's rules
         * must see every call they name */
        for (int k = 0; k < n && (w->flags & RS_ENFORCES) && !sv_filter_any; k++)
            if (W.rules[i][k].action != RS_RULE_ALLOW && !sv_filter_wants[W.rules[i][k].nr]) {
                fprintf(stderr, "runsel: %s: %s enforces a policy on calls this run's filter does "
                        "not send out (it was made for the stack the run started with): run the "
                        "program under it from the start\n", p->path, st->item[i].name);
                _exit(126);
            }
        W.nrules[i] = n;
        rs_rules_index(W.rules[i], n, &W.index[i]);
    }
}

static void uses_result(int delta)
{
    me->want_result += delta;
}

static const struct rs_stack *stack(void)
{
    static struct rs_stack s = {.handler = handler_for, .pass = pass_call, .uses_result = uses_result,
                                .rule = level_rule, .kill = kill_program,
                                .covers = level_covers};

    s.n = W.stack->n;
    return &s;
}

static long pass_from_level(struct rs_call *c, int level)
{
    rs_stack_inside(stack(), c, level);
    return c->ret;
}
RS_PASS_FROM_TABLE(pass_from, pass_from_level);

/* ---- a program thread's server */
static void serve(struct wthread *t, const struct sv_msg *m)
{
    struct rs_call c = {.nr = m->nr, .abi = RS_ABI_X86_64};
    struct sv_msg done = {.kind = SV_DONE};

    memcpy(c.arg, m->arg, sizeof(c.arg));
    t->sp = m->sp;
    t->scratch_used = 0;
    t->want_result = t->final = 0;
    t->async = (m->made & SV_ASYNC) != 0;
    t->async_ret = m->ret;
    t->at_exit = 0;
    memcpy(t->clock, m->clock, sizeof(t->clock));
    rs_stack_from(stack(), &c, 0);
    if (me->final || me->async) {
        me->async = 0;
        return;                  /* the master has let the program go on */
    }
    done.tid = t->tid;           /* after a fork: the child's */
    done.ret = c.ret;
    done.made = (c.flags & RS_CALL_MADE) != 0;
    send_msg(&done);
}

/* A signal reaches the program thread: the wrappers' hooks (ABI 1.3), as
 * initmod runs them before the program's handler — here no call of the
 * thread's is in flight (the kernel delivers a signal after a call's exit). */
static void tell(struct wthread *t, const struct sv_msg *m)
{
    struct rs_signal s = {.sig = m->pid, .state = RS_SIG_NO_CALL, .siginfo = m->info,
                          .fatal = (int)m->made};
    struct sv_msg done = {.kind = SV_DONE, .tid = t->tid};

    for (int i = 0; i < W.stack->n; i++)
        if (W.w[i]->abi_minor >= 3 && W.w[i]->signal)
            W.w[i]->signal(&s);
    send_msg(&done);
}

static void *thread_main(void *arg)
{
    int fds[2];

    me = arg;
    for (;;) {
        struct sv_msg m = wait_msg(me, fds);
        if (m.kind == SV_CALL)
            serve(me, &m);       /* me: a fork inside may have made this thread the child's */
        else if (m.kind == SV_SIGNAL)
            tell(me, &m);
    }
    return NULL;
}

/* A worker thread for the program thread tid, on channel chan. */
static void new_thread(int tid, int pid, int chan)
{
    struct wthread *t = calloc(1, sizeof(*t));
    pthread_t th;

    if (!t)
        _exit(1);
    t->tid = tid;
    t->pid = pid > 0 ? pid : W.pid;
    t->chan = chan;
    __atomic_add_fetch(&W.threads, 1, __ATOMIC_RELAXED);
    if (pthread_create(&th, NULL, thread_main, t))
        _exit(1);
    pthread_detach(th);
}

/* At the program's end or a detach, an observing stack's threads first
 * read the calls still queued for them (the master has closed their
 * channels after those, and kills a worker that takes long: 2 s here). */
static void drain_threads(void)
{
    for (int i = 0; i < 2000 && W.observes && __atomic_load_n(&W.threads, __ATOMIC_ACQUIRE) > 0;
         i++)
        usleep(1000);
}

/* The process's channel: a channel per program thread, as it makes its
 * first call; the end of it, the end of the worker. */
static void *reader_main(void *arg)
{
    (void)arg;
    for (;;) {
        struct sv_msg m;
        int fds[2];
        if (recv_on(W.chan, &m, fds)) {
            if (getenv("RUNSEL_SV_DEBUG"))
                fprintf(stderr, "sv: worker %d (program %d): channel closed\n", getpid(), W.pid);
            drain_threads();
            _exit(0);
        }
        if (m.kind == SV_DETACH) {
            drain_threads();
            run_fini(RS_DETACHED);
            _exit(0);
        }
        if (m.kind == SV_THREAD && fds[0] >= 0)
            new_thread(m.tid, m.pid, fds[0]);
        else if (fds[0] >= 0)
            close(fds[0]);
    }
    return NULL;
}

static void start_reader(void)
{
    pthread_t r;

    if (pthread_create(&r, NULL, reader_main, NULL))
        _exit(1);
    pthread_detach(r);
}

/* The forked worker: the thread that forked is the only one, and serves
 * the program's child from here on, on its own channel. */
static void become_child(struct wthread *t, const int *fds, pid_t child)
{
    close(W.chan);
    close(t->chan);
    W.chan = fds[0];
    t->chan = fds[1];
    W.ppid = W.pid;
    W.pid = child;
    W.threads = 1;               /* this one: the others were the parent's */
    t->queued = t->next = 0;
    t->tid = child;
    t->pid = child;
    struct sv_msg hello = {.kind = SV_WORKER, .tid = child, .pid = getpid()};
    send_on(W.chan, &hello);
    for (int i = 0; i < W.stack->n; i++)
        if (W.w[i]->atfork)
            W.w[i]->atfork();
    start_reader();
}

int sv_worker_main(int fd, const struct sv_stack *st, const struct sv_prog *p)
{
    char err[512];

    W.chan = fd;
    W.pid = p->pid;
    W.ppid = p->ppid;
    W.stack = st;
    for (int i = 0; i < st->n; i++)
        W.enforcing |= st->item[i].enforces;
    W.host = (struct rs_host){
        .abi_major = RS_ABI_MAJOR, .abi_minor = RS_ABI_MINOR,
        .syscall6 = host_syscall6, .keep_fd = host_keep_fd,
        .keep_fd_exec = host_keep_fd_exec, .program_path = p->path, .secure = 0,
        .argv = p->argv, .envp = p->envp, .inherits = 1,
        .inprocess = 0, .proc_dir = host_proc_dir, .getpid = host_getpid,
        .gettid = host_gettid, .program_fd = host_program_fd, .call_scratch = host_call_scratch,
        .pin_arg = host_pin_arg, .attached = p->attached, .call_clock = host_call_clock,
    };
    for (int i = 0; i < st->n; i++) {
        const void *entry = sv_image_map(st->item[i].fd, err, sizeof(err));
        if (!entry) {
            fprintf(stderr, "runsel: %s: wrapper %s: %s\n", p->path, st->item[i].name, err);
            _exit(126);
        }
        struct rs_host h = W.host;
        h.wrapper_name = st->item[i].name;
        h.pass = pass_from[i];
        struct rs_host *copy = malloc(sizeof(*copy));
        if (!copy)
            _exit(126);
        *copy = h;
        W.w[i] = ((rs_image_entry_fn)entry)(copy);
        close(st->item[i].fd);
        if (!W.w[i]) {
            fprintf(stderr, "runsel: %s: wrapper %s: built for another ABI\n", p->path, st->item[i].name);
            _exit(126);
        }
        check_policy(p, W.w[i], &st->item[i]);
    }
    me = NULL;
    build_rules(p, st);
    for (int i = 0; i < st->n; i++) {
        struct rs_options o = {st->item[i].opt, st->item[i].nopt};
        if (W.w[i]->init && W.w[i]->init(&o, err, sizeof(err))) {
            fprintf(stderr, "runsel: %s: wrapper %s: %s\n", p->path, st->item[i].name, err);
            _exit(126);
        }
    }
    struct sv_msg ready = {.kind = SV_READY, .tid = p->pid, .pid = getpid()};
    W.observes = st->n > 0 && !W.enforcing;
    for (int i = 0; i < st->n; i++) {
        if (W.w[i]->abi_minor >= 3 && W.w[i]->signal)   /* the master tells signals (SV_SIGNAL) */
            ready.made |= SV_READY_SIGNALS;
        if (W.w[i]->abi_minor < 7 || !(W.w[i]->flags & RS_OBSERVES) || W.nrules[i])
            W.observes = 0;
    }
    if (W.observes)                    /* the program goes on at once at each call */
        ready.made |= SV_READY_OBSERVES;
    send_msg(&ready);
    start_reader();
    for (;;)
        pause();
}
