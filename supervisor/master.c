/* master.c — the tracer of placement=process: one process per run, in its
 * own session (a terminal's signals are the program's), subreaper of its
 * workers.  It owns every traced thread's ptrace stops and asks the
 * worker of the thread's process what to do with each call the filter
 * sends it (worker.c):
 *
 *   seccomp stop (the call's entry)  -> SV_CALL to the worker; it answers
 *       SV_PASS (make it, with these arguments: resumed to its exit stop)
 *       or SV_DONE (not made: the call is skipped, its result set);
 *   syscall-exit stop               -> SV_RESULT; the worker's SV_DONE
 *       says the result the program gets;
 *   fork/vfork/clone event          -> a new thread or process, traced
 *       from its first instruction; a forked process gets a copy of its
 *       parent's worker (SV_FORKED);
 *   exec event                      -> the selection decides the new
 *       image's stack (loader/select.c, from the master's own copy of the
 *       run's request: the program's environment cannot shed a wrapper);
 *       a fresh worker runs its init before the program goes on;
 *   signal-delivery stop            -> the signal, delivered;
 *   group-stop                      -> PTRACE_LISTEN: the stop is the
 *       kernel's, as natively.
 * A call a signal interrupts ends with the kernel's own code at its exit
 * stop (ERESTARTSYS, ERESTARTNOHAND, ...: whether the program sees EINTR
 * or the call again is decided when the signal is delivered): the worker
 * is given that code, as strace shows it, and a restart comes as a new
 * call.
 * The master's death kills every program it traces (PTRACE_O_EXITKILL):
 * none runs on unwrapped. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "heldexec.h"
#include "pin.h"
#include "privexec.h"
#include "supervised.h"
#include "select.h"
#include "sigdefault.h"
#include "spin.h"
#include "svwork.h"

#define MAX_TR 4096
#define MAX_PROC 1024
#define CLONE_VM_ 0x100UL
#define CLONE_THREAD_ 0x10000UL

/* T_ASYNC: in a call the worker was told of and does not answer (an
 * observing stack): its exit stop tells the result and lets it go. */
enum tr_state { T_IDLE, T_ENTRY, T_RUNNING, T_EXIT, T_SKIP, T_NEW, T_EXECED, T_SIGNAL, T_ASYNC };

struct proc {
    pid_t pid;                      /* 0: free */
    int chan;                       /* to its worker; -1: none (not selected) */
    pid_t worker;
    int shares;                     /* a CLONE_VM child: its parent's worker */
    char selected[SEL_MAX_LINE + 1]; /* the stack its programs inherit ($RUNSEL_SELECTED's form) */
    int run_off;                    /* the run's request no longer passes to its execs (inherit=no) */
    int kept[8];                    /* fds its wrappers keep for its execs (SV_KEEP) */
    int nkept;
    int pin_ok;                     /* its image has the pinned area (pin.c) */
    int memfd;                      /* its /proc/PID/mem, the tracer's; -1: not open */
    int warned;                     /* a pinning failure was said */
    int enforcing;                  /* its image's stack enforces a policy: it gets the area */
    int sig_hooks;                  /* a wrapper of its stack has a signal hook (SV_READY) */
    int observes;                   /* ... every wrapper only observes: calls go on at once */
    int held_loader;                /* its image is runsel's loader: the stack at its query */
    int prog_fd;                    /* ... which names the program's fd in it; -1: /proc/PID/exe */
};

struct tr {
    pid_t tid;                      /* 0: free */
    struct proc *p;
    int chan;                       /* to the worker thread that serves it; -1: none yet */
    int state;
    long nr, reported, skip_ret;
    int seen_stop;                  /* a new thread's first stop came */
    int go;                         /* ... and it may go (its worker is done with it) */
    int waiting_ready;              /* stopped at its exec until the new worker is ready */
    char exec_path[4096];           /* the path of its last execve, as the program gave it */
    int xonly_fd;                   /* an O_PATH fd of the execute-only file it execs, or -1:
                                     * the new image's /proc/PID/exe is hidden from the master */
    int sig;                        /* T_SIGNAL: the signal its wrappers are told of */
    int sig_state;                  /* ... and the state to go back to */
    int inj;                        /* making the pinned area at its exec: the step (inject_step) */
    struct user_regs_struct inj_regs;   /* ... the image's registers, given back after */
    int slot;                       /* its slot in the pinned area; -1: none yet */
    size_t pin_used;                /* bytes of it this call's pins use */
    long fail_ret;                  /* T_RUNNING: the call was refused, this is its result */
    int held;                       /* attached: stopped at its interrupt until the worker is ready */
    int query;                      /* stopped at the loader's go until the worker is ready */
    unsigned long query_sp;         /* ... the program's initial stack, there */
    int exit_code;                  /* its new image ends with this status before it runs (0: no) */
    int at_exit_stop;               /* stopped at a syscall-exit stop (after the injection) */
    int statfd;                     /* its /proc/TID/schedstat; -1: not open */
    struct sv_msg async;            /* T_ASYNC: its call, told at its exit stop */
    struct sv_msg *told;            /* calls told, not sent yet (SV_BATCH of them at most) */
    int ntold;
};

static int debug;
/* RUNSEL_SV_ASYNC=0: hold the program at every call of an observing stack
 * too, as for the others (make bench compares the two) */
static int no_async;
#define DBG(...) do { if (debug) fprintf(stderr, "sv: " __VA_ARGS__); } while (0)

static struct {
    const char *run, *config, *wrapper_dir;
    struct tr tr[MAX_TR];
    struct proc proc[MAX_PROC];
    int ntr, nproc;                 /* entries ever used: the loops stop there */
    int ntraced;
    unsigned char slot_used[SV_PIN_SLOTS];
    /* runsel -p (attach.c): no filter, every call stops (PTRACE_SYSCALL);
     * those the stack does not want go on at once */
    int attached, detaching;
    const unsigned char *wants;
    int any;
} M;

/* The signals the process catches and ignores, from /proc/PID/status
 * (one read for both). */
static void status_masks(pid_t pid, uint64_t *caught, uint64_t *ignored)
{
    char path[64], line[256];
    FILE *f;

    *caught = *ignored = 0;
    snprintf(path, sizeof(path), "/proc/%d/status", pid);
    if (!(f = fopen(path, "re")))
        return;
    while (fgets(line, sizeof(line), f)) {
        if (!strncmp(line, "SigCgt:", 7))
            *caught = strtoull(line + 7, NULL, 16);
        else if (!strncmp(line, "SigIgn:", 7))
            *ignored = strtoull(line + 7, NULL, 16);
    }
    fclose(f);
}

/* As in process (initmod/signals.c): a signal that reaches a handler of
 * the program's, or kills it by its default action, is shown to the
 * wrappers; one ignored, or ignored by default, never reaches the program. */
#define BIT(s) (1ULL << ((s) - 1))
static int reaches(pid_t pid, int sig, int *fatal)
{
    uint64_t caught, ignored;

    if (sig < 1 || sig > 64 || sig == SIGKILL || sig == SIGSTOP)
        return 0;
    status_masks(pid, &caught, &ignored);
    if (caught & BIT(sig)) {
        *fatal = 0;
        return 1;
    }
    *fatal = !(ignored & BIT(sig)) && (sig >= 32 || (RS_SIGS_KILL_BY_DEFAULT & BIT(sig)));
    return *fatal;
}

static int send_to(int chan, const struct sv_msg *m, int fd);
static int tr_chan(struct tr *t);

/* 1: the wrappers were told, the thread goes on at their SV_DONE. */
static int tell_signal(struct tr *t, int sig)
{
    struct sv_msg m = {.kind = SV_SIGNAL, .tid = t->tid, .pid = sig};
    int fatal;

    if (!t->p || t->p->chan < 0 || !t->p->sig_hooks || !reaches(t->p->pid, sig, &fatal) ||
        ptrace(PTRACE_GETSIGINFO, t->tid, 0, m.info) < 0) {
        DBG("signal %d to %d: not told (chan %d)\n", sig, t->tid, t->p ? t->p->chan : -2);
        return 0;
    }
    m.made = (uint32_t)fatal;
    t->sig = sig;
    t->sig_state = t->state;
    t->state = T_SIGNAL;
    if (send_to(tr_chan(t), &m, -1)) {
        t->state = t->sig_state;
        return 0;
    }
    return 1;
}

static struct tr *tr_of(pid_t tid, int create)
{
    struct tr *free_ = NULL;

    for (int i = 0; i < M.ntr; i++) {
        if (M.tr[i].tid == tid)
            return &M.tr[i];
        if (!M.tr[i].tid && !free_)
            free_ = &M.tr[i];
    }
    if (!create)
        return NULL;
    if (!free_ && M.ntr < MAX_TR)
        free_ = &M.tr[M.ntr++];
    if (!free_)
        return NULL;
    memset(free_, 0, sizeof(*free_));
    free_->tid = tid;
    free_->chan = -1;
    free_->slot = -1;
    free_->xonly_fd = -1;
    free_->statfd = -1;
    M.ntraced++;
    return free_;
}

static struct proc *proc_new(pid_t pid)
{
    for (int i = 0; i < MAX_PROC; i++)
        if (!M.proc[i].pid) {
            if (i >= M.nproc)
                M.nproc = i + 1;
            memset(&M.proc[i], 0, sizeof(M.proc[i]));
            M.proc[i].pid = pid;
            M.proc[i].chan = -1;
            M.proc[i].memfd = -1;
            M.proc[i].prog_fd = -1;
            return &M.proc[i];
        }
    return NULL;
}

static void proc_close_kept(struct proc *p)
{
    for (int i = 0; i < p->nkept; i++)
        close(p->kept[i]);
    p->nkept = 0;
}

/* A forked process's execs inherit what its parent's kept. */
static void proc_copy_kept(struct proc *to, const struct proc *from)
{
    for (int i = 0; i < from->nkept; i++) {
        int fd = fcntl(from->kept[i], F_DUPFD_CLOEXEC, 3);
        if (fd >= 0)
            to->kept[to->nkept++] = fd;
    }
}

/* The worker ends with its image: killed, and waited for (up to 2 s) until
 * it is gone — its files closed, its locks dropped — so that what its
 * wrappers share with the next image's (count's run table: a process of
 * the run is alive while its lock is held) never sees it alive after the
 * program has moved on.  Not the master's child in general (a forked
 * process's worker is its parent worker's): a pidfd tells. */
static void tr_drop_chan(struct tr *t);

/* The channels of p's threads (what is told on them sent first). */
static void proc_drop_thread_chans(struct proc *p)
{
    for (int i = 0; i < M.ntr; i++)
        if (M.tr[i].tid && M.tr[i].p == p)
            tr_drop_chan(&M.tr[i]);
}

/* An observing stack's worker may still have calls to learn of (they went
 * on at once: SV_ASYNC): its channels are closed, and it ends once it has
 * read them all (worker.c); killed only if it does not within the wait.
 * Any other worker has nothing pending: killed at once. */
static void proc_drop_worker(struct proc *p)
{
    if (p->chan >= 0 && !p->shares) {
        if (p->observes)
            proc_drop_thread_chans(p);
        close(p->chan);
        if (p->worker > 0) {
            int pfd = (int)syscall(SYS_pidfd_open, p->worker, 0);
            if (!p->observes || pfd < 0)
                kill(p->worker, SIGKILL);
            if (pfd >= 0) {
                struct pollfd f = {pfd, POLLIN, 0};
                int r;
                while ((r = poll(&f, 1, 2000)) < 0 && errno == EINTR)
                    ;
                if (r == 0 && p->observes) {     /* not done in 2 s: it goes now */
                    DBG("worker %d of %d: not done reading, killed\n", p->worker, p->pid);
                    syscall(SYS_pidfd_send_signal, pfd, SIGKILL, NULL, 0);
                    while (poll(&f, 1, 2000) < 0 && errno == EINTR)
                        ;
                }
                close(pfd);
            }
        }
    }
    p->chan = -1;
    p->worker = 0;
    p->shares = 0;
}

/* ---- the pinned argument area (pin.c) */

/* The process's memory, as its tracer writes it (forced: the area is
 * read-only to the program).  Opened once per image. */
static int proc_mem(struct proc *p)
{
    char path[64];

    if (p->memfd < 0) {
        snprintf(path, sizeof(path), "/proc/%d/mem", p->pid);
        p->memfd = open(path, O_RDWR | O_CLOEXEC);
    }
    return p->memfd;
}

static void drop_fd(int *fd)
{
    if (*fd >= 0)
        close(*fd);
    *fd = -1;
}

static void proc_mem_close(struct proc *p)
{
    drop_fd(&p->memfd);
}

static int slot_of(struct tr *t)
{
    for (int i = 0; t->slot < 0 && i < SV_PIN_SLOTS; i++)
        if (!M.slot_used[i]) {
            M.slot_used[i] = 1;
            t->slot = i;
        }
    return t->slot;
}

static void warn_pin(struct proc *p, const char *why)
{
    if (p->warned++)
        return;
    fprintf(stderr, "runsel: supervisor: process %d: %s\n", p->pid, why);
}

static void resume(struct tr *t, long req, int sig);

/* The new image's thread, at its exec event, is taken through four stops
 * before its first instruction: execve's exit (its registers saved, set
 * to the area's mmap at a syscall of the vDSO), that mmap's seccomp stop
 * (the filter stops it: its address is the area's), its exit (the result
 * read, the registers given back), then on as after any exec.  A signal
 * meanwhile is delivered: no handler of the program's exists yet (exec
 * reset them), so it is ignored, stops or kills, as natively. */
static void inject_begin(struct tr *t)
{
    t->p->pin_ok = 0;
    t->p->warned = 0;
    proc_mem_close(t->p);
    t->inj = 1;
    resume(t, PTRACE_SYSCALL, 0);
}

/* Registers that make a thread at a syscall-exit stop run call nr with
 * arguments a from gadget, a syscall instruction of the vDSO (pin.c). */
static void gadget_call(struct user_regs_struct *r, uint64_t gadget, long nr, const long a[6])
{
    r->rip = gadget;
    r->rax = (unsigned long)nr;
    r->orig_rax = (unsigned long)-1;   /* no restart of the stop's own call */
    r->rdi = (unsigned long)a[0];
    r->rsi = (unsigned long)a[1];
    r->rdx = (unsigned long)a[2];
    r->r10 = (unsigned long)a[3];
    r->r8 = (unsigned long)a[4];
    r->r9 = (unsigned long)a[5];
}

/* exit_group(code) run from the vDSO's syscall: the image ends before its
 * first instruction, as the loader's exit does in process. */
static void inject_exit(struct tr *t)
{
    struct user_regs_struct r;
    uint64_t g = t->p ? sv_pin_gadget(proc_mem(t->p), t->p->pid) : 0;
    long a[6] = {t->exit_code};

    if (!g || ptrace(PTRACE_GETREGS, t->tid, 0, &r) < 0) {
        kill(t->tid, SIGKILL);
        return;
    }
    gadget_call(&r, g, SYS_exit_group, a);
    if (ptrace(PTRACE_SETREGS, t->tid, 0, &r) < 0) {
        kill(t->tid, SIGKILL);
        return;
    }
    t->inj = 12;
    resume(t, PTRACE_CONT, 0);
}

static void inject_end(struct tr *t, int ok)
{
    t->inj = 0;
    t->at_exit_stop = 1;
    t->p->pin_ok = ok;
    if (t->exit_code) {
        inject_exit(t);
        return;
    }
    if (!ok)
        warn_pin(t->p, "no pinned argument area could be made: the calls a wrapper pins fail (EPERM)");
    if (!t->waiting_ready)
        resume(t, PTRACE_CONT, 0);
}

/* The new image's wrappers could not start (their init failed: the worker
 * said why and exited 126): the image ends with that status before it
 * runs, as in process.  0: no thread of p was waiting for them. */
static int exit_unready(struct proc *p, int code)
{
    int n = 0;

    for (int i = 0; i < M.ntr; i++) {
        struct tr *t = &M.tr[i];
        if (!t->tid || t->p != p || !t->waiting_ready)
            continue;
        t->waiting_ready = 0;
        t->exit_code = code;
        n++;
        if (t->inj)
            continue;                   /* inject_end goes on with it */
        if (t->at_exit_stop) {
            inject_exit(t);
        } else {                        /* at its exec event: on to execve's exit first */
            t->inj = 11;
            resume(t, PTRACE_SYSCALL, 0);
        }
    }
    return n;
}

/* 1: the stop was the injection's. */
static int inject_step(struct tr *t, int status)
{
    int sig = WSTOPSIG(status), event = status >> 16;
    struct user_regs_struct r;

    if (event == PTRACE_EVENT_STOP)
        return 0;                    /* a group-stop: as any other */
    if (t->inj >= 11) {              /* ending the image: exit_group's stops */
        if (t->inj == 11 && sig == (SIGTRAP | 0x80))
            inject_exit(t);
        else if (t->inj == 12 && event == PTRACE_EVENT_SECCOMP)
            resume(t, PTRACE_CONT, 0);
        else
            resume(t, t->inj == 11 ? PTRACE_SYSCALL : PTRACE_CONT,
                   sig == (SIGTRAP | 0x80) || sig == SIGTRAP ? 0 : sig);
        return 1;
    }
    if (sig == (SIGTRAP | 0x80) || (sig == SIGTRAP && event == PTRACE_EVENT_SECCOMP)) {
        if (ptrace(PTRACE_GETREGS, t->tid, 0, &r) < 0) {
            inject_end(t, 0);
            return 1;
        }
        if (t->inj == 1 && sig == (SIGTRAP | 0x80)) {
            uint64_t g = sv_pin_gadget(proc_mem(t->p), t->p->pid);
            if (t->state == T_SKIP) {    /* a skipped call's exit (the loader's query): its result */
                r.rax = (unsigned long)t->skip_ret;
                t->state = T_IDLE;
            }
            if (!g) {
                inject_end(t, 0);
                return 1;
            }
            long a[6];
            t->inj_regs = r;
            sv_pin_mmap_args(a);
            gadget_call(&r, g, SYS_mmap, a);
            if (ptrace(PTRACE_SETREGS, t->tid, 0, &r) < 0) {
                inject_end(t, 0);
                return 1;
            }
            t->inj = 2;
            resume(t, PTRACE_CONT, 0);
        } else if (t->inj == 2 && event == PTRACE_EVENT_SECCOMP && r.orig_rax == SYS_mmap &&
                   r.rdi == sv_pin_base) {
            t->inj = 3;
            resume(t, PTRACE_SYSCALL, 0);
        } else if (t->inj == 3 && sig == (SIGTRAP | 0x80)) {
            int ok = r.rax == sv_pin_base;
            ptrace(PTRACE_SETREGS, t->tid, 0, &t->inj_regs);
            inject_end(t, ok);
        } else {
            kill(t->tid, SIGKILL);   /* not the stop the step needs: never run it half-made */
            t->inj = 0;
        }
        return 1;
    }
    resume(t, t->inj == 2 ? PTRACE_CONT : PTRACE_SYSCALL, sig);
    return 1;
}

/* A call that would touch the area fails, EPERM, unmade. */
static int guard_refuses(struct tr *t, long nr, const int64_t *a)
{
    if (!t->p || !t->p->pin_ok || !sv_pin_touches(nr, a))
        return 0;
    warn_pin(t->p, "a call on runsel's pinned argument area was refused (EPERM)");
    return 1;
}

/* rs_pin_arg's bytes into the thread's slot: their address, or -errno. */
static long pin_bytes(struct tr *t, const void *data, size_t n)
{
    size_t off = t->pin_used;
    uint64_t at;

    if (t->state != T_ENTRY || !t->p || !t->p->pin_ok)
        return -EPERM;
    if (off + n > SV_PIN_SLOT)
        return -E2BIG;
    if (slot_of(t) < 0)
        return -ENOMEM;
    at = sv_pin_write(proc_mem(t->p), t->slot, off, data, n);
    if (!at) {
        warn_pin(t->p, "its pinned argument area cannot be written: the calls a wrapper pins fail (EPERM)");
        return -EPERM;
    }
    t->pin_used = off + ((n + 15) & ~(size_t)15);
    return (long)at;
}

/* ---- talking to workers */
static int send_fds(int chan, const struct sv_msg *m, const int *fds, int nfds)
{
    char ctl[CMSG_SPACE(2 * sizeof(int))];
    struct iovec iov = {(void *)m, sizeof(*m)};
    struct msghdr h = {.msg_iov = &iov, .msg_iovlen = 1};

    if (nfds > 0) {
        memset(ctl, 0, sizeof(ctl));
        h.msg_control = ctl;
        h.msg_controllen = CMSG_SPACE((size_t)nfds * sizeof(int));
        struct cmsghdr *c = CMSG_FIRSTHDR(&h);
        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_RIGHTS;
        c->cmsg_len = CMSG_LEN((size_t)nfds * sizeof(int));
        memcpy(CMSG_DATA(c), fds, (size_t)nfds * sizeof(int));
    }
    return sendmsg(chan, &h, MSG_NOSIGNAL) == (ssize_t)sizeof(*m) ? 0 : -1;
}

static int send_to(int chan, const struct sv_msg *m, int fd)
{
    return send_fds(chan, m, &fd, fd >= 0);
}

static int flush_told(struct tr *t);
static int tr_chan_make(struct tr *t);

/* The thread's own channel to the worker thread serving it: made at its
 * first call (SV_THREAD on its process's channel), so each message goes
 * straight to the thread that waits for it.  -1: none can be.  What was
 * told of its calls and not sent yet goes first: messages keep their
 * order. */
static int tr_chan(struct tr *t)
{
    if (t->ntold)
        flush_told(t);
    return tr_chan_make(t);
}

static int tr_chan_make(struct tr *t)
{
    int sv[2];

    if (t->chan >= 0 || !t->p || t->p->chan < 0)
        return t->p && t->p->chan >= 0 ? t->chan : -1;
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv))
        return -1;
    struct sv_msg m = {.kind = SV_THREAD, .tid = t->tid, .pid = t->p->pid};
    if (send_to(t->p->chan, &m, sv[1]))
        close(sv[0]);
    else
        t->chan = sv[0];
    close(sv[1]);
    return t->chan;
}

/* An observing stack's calls, told once they returned (SV_ASYNC), go to
 * the worker SV_BATCH to a datagram: nobody waits for them, and each
 * datagram is a wake-up of the worker's thread.  They are sent when the
 * batch is full, before any other message of the thread's, at its end and
 * its process's, and whenever the master is about to sleep. */
static int flush_told(struct tr *t)
{
    int chan = tr_chan_make(t), n = t->ntold;
    ssize_t r;

    t->ntold = 0;
    if (chan < 0)
        return -1;
    do
        r = send(chan, t->told, (size_t)n * sizeof(*t->told), MSG_NOSIGNAL);
    while (r < 0 && errno == EINTR);
    return r == (ssize_t)((size_t)n * sizeof(*t->told)) ? 0 : -1;
}

static void tell_call(struct tr *t, const struct sv_msg *m)
{
    if (!t->told && !(t->told = malloc(SV_BATCH * sizeof(*t->told)))) {
        send_to(tr_chan(t), m, -1);
        return;
    }
    t->told[t->ntold++] = *m;
    if (t->ntold == SV_BATCH)
        flush_told(t);
}

/* Before the master sleeps: every thread's told calls. */
static void flush_all_told(void)
{
    for (int i = 0; i < M.ntr; i++)
        if (M.tr[i].tid && M.tr[i].ntold)
            flush_told(&M.tr[i]);
}

static void tr_drop_chan(struct tr *t)
{
    if (t->ntold)
        flush_told(t);
    drop_fd(&t->chan);
}

static void tr_forget(struct tr *t)
{
    tr_drop_chan(t);
    drop_fd(&t->xonly_fd);
    drop_fd(&t->statfd);
    free(t->told);
    t->told = NULL;
    if (t->slot >= 0)
        M.slot_used[t->slot] = 0;
    t->tid = 0;
    M.ntraced--;
}

/* Attached (runsel -p), a thread goes on to its next call's entry and
 * exit stops; detaching, one with nothing in flight is let go there,
 * with the signal it was to get. */
static void resume(struct tr *t, long req, int sig)
{
    if (M.attached && req == PTRACE_CONT)
        req = PTRACE_SYSCALL;
    if (M.detaching && req != PTRACE_LISTEN && !t->waiting_ready &&
        (t->state == T_IDLE || t->state == T_EXECED || (t->state == T_NEW && t->go))) {
        ptrace(PTRACE_DETACH, t->tid, 0, sig);
        tr_forget(t);
        return;
    }
    if (M.detaching && req == PTRACE_LISTEN) {   /* stopped it stays, as natively */
        ptrace(PTRACE_DETACH, t->tid, 0, 0);
        tr_forget(t);
        return;
    }
    if (ptrace(req, t->tid, 0, sig) < 0 && errno != ESRCH)
        fprintf(stderr, "runsel: supervisor: resuming %d: %s\n", t->tid, strerror(errno));
}

/* ---- the stack of a new image: what the loader would decide */
/* What p's execs inherit, as initmod passes it on in process
 * (loader/boot.c put_env, initmod compose_selected): the run's request
 * while every wrapper of the stack inherits, and the list entries that
 * do.  An unselected image changes nothing (its environment would keep
 * what it got). */
static void pass_on(struct proc *p, const struct selection *sel)
{
    char s[SEL_MAX_LINE + 1];
    size_t n = 0;
    int inherits = 1;

    if (!sel->nitems)
        return;
    for (int i = 0; i < sel->nitems && n < sizeof(s); i++) {
        const struct sel_item *it = &sel->item[i];
        inherits &= it->inherit;
        if (it->line && it->inherit)
            n += (size_t)snprintf(s + n, sizeof(s) - n, "%s%u.%u=%s", n ? ";" : "", it->line, it->pos,
                                  it->name);
    }
    p->run_off |= !inherits;
    if (n && sel->list && n < sizeof(s))
        n += (size_t)snprintf(s + n, sizeof(s) - n, ":%s", sel->list);
    if (!n || n >= sizeof(s))
        n = 0;
    memcpy(p->selected, s, n);
    p->selected[n] = 0;
}

static int decide_stack(struct proc *p, int xonly_fd, struct sv_stack *st, const char **why)
{
    char exe[64];
    struct selection sel;
    struct select_request rq = {.list = M.config, .user_list = M.config != NULL,
                                .wrapper_dir = M.wrapper_dir, .run = p->run_off ? NULL : M.run,
                                .inherited = p->selected[0] ? p->selected : NULL};
    char *room = st->text, *end = st->text + sizeof(st->text);

    snprintf(exe, sizeof(exe), "/proc/%d/exe", p->pid);
    /* the program runsel's loader was given (heldexec.c), or the image;
     * one this process may not read (execute-only) hides its exe link
     * too: the O_PATH fd taken at its exec's entry (xonly_fd) */
    int unreadable = 0, fd = p->prog_fd >= 0 ? fcntl(p->prog_fd, F_DUPFD_CLOEXEC, 3)
                                             : open(exe, O_RDONLY | O_CLOEXEC);
    if (fd < 0 && errno == EACCES && p->prog_fd < 0 && xonly_fd >= 0 &&
        (fd = fcntl(xonly_fd, F_DUPFD_CLOEXEC, 3)) >= 0)
        unreadable = 1;
    if (fd < 0) {
        *why = "cannot open the program";
        return -1;
    }
    select_program(&rq, fd, &sel);
    close(fd);
    memset(st, 0, offsetof(struct sv_stack, text));
    if (sel.problem) {
        *why = sel.problem;
        select_close(&sel);
        return -1;
    }
    /* Its memory is hidden from an unprivileged tracer: unwrapped, as in
     * process, unless a wrapper of its stack enforces (then it ends: its
     * exec could not be refused — the first one, or from an observing
     * parent — so it does not run at all). */
    if (unreadable && sel.nitems) {
        int enforces = 0;
        for (int i = 0; i < sel.nitems; i++)
            enforces |= sel.item[i].enforces;
        select_close(&sel);
        if (enforces) {
            *why = "runsel's supervisor may not read it (an execute-only program), and its stack "
                   "enforces a policy: it does not run";
            return -1;
        }
        return 0;
    }
    for (int i = 0; i < sel.nitems; i++) {
        struct sel_item *si = &sel.item[i];
        struct sv_item *it = &st->item[st->n++];
        struct sel_entry e;
        const char *w2;
        snprintf(it->name, sizeof(it->name), "%s", si->name);
        it->fd = si->fd;
        it->enforces = si->enforces;
        it->inherit = si->inherit;
        si->fd = -1;
        if (selconf_parse_line(si->entry, strlen(si->entry), si->line, &e, &w2) != 1)
            continue;
        if (sv_split_options(it, e.w[si->pos].options.p, e.w[si->pos].options.n, &room, end)) {
            *why = "too many wrapper options";
            return -1;
        }
        it->narrowed = sv_syscall_list(e.w[si->pos].syscalls, it->allowed);
    }
    pass_on(p, &sel);
    select_close(&sel);
    return 0;
}

/* Up to n bytes of the tracee's memory at addr (the tracer may read it):
 * the bytes read, or -1. */
static ssize_t tracee_read(pid_t tid, unsigned long addr, void *buf, size_t n)
{
    struct iovec l = {buf, n}, rm = {(void *)addr, n};

    return process_vm_readv(tid, &l, 1, &rm, 1, 0);
}

/* The program's initial argv and envp, in its memory: above argc at its
 * stack pointer, as the kernel left it at the exec. */
static void initial_vectors(pid_t tid, unsigned long sp, struct sv_prog *pr)
{
    struct user_regs_struct r;
    long argc = 0;

    if (!sp && ptrace(PTRACE_GETREGS, tid, 0, &r) == 0)
        sp = r.rsp;                  /* at an exec stop: the kernel's initial stack */
    if (!sp || tracee_read(tid, sp, &argc, sizeof(argc)) != (ssize_t)sizeof(argc))
        return;
    pr->argv = (char *const *)(sp + 8);
    pr->envp = (char *const *)(sp + 8 + 8 * (argc + 1));
}

/* A fresh worker for the image process p just exec'd (tid: its thread). */
static int start_worker(struct proc *p, struct tr *t)
{
    static struct sv_stack st;
    static char path[4096];
    struct sv_prog pr = {.pid = p->pid, .path = path};
    const char *why = NULL;
    char link[64];
    int sv[2];

    proc_drop_worker(p);
    proc_drop_thread_chans(p);            /* the old image's worker threads are gone */
    snprintf(link, sizeof(link), "/proc/%d/exe", p->pid);
    ssize_t n = readlink(link, path, sizeof(path) - 1);
    path[n > 0 ? n : 0] = 0;
    if (t->exec_path[0])
        snprintf(path, sizeof(path), "%s", t->exec_path);
    int decided = decide_stack(p, t->xonly_fd, &st, &why);
    drop_fd(&t->xonly_fd);
    if (decided) {
        fprintf(stderr, "runsel: %s: %s\n", path, why);
        kill(p->pid, SIGKILL);      /* never run an unusable stack half-wrapped */
        return -1;
    }
    if (!st.n) {                    /* not selected: its calls go on at once */
        proc_close_kept(p);         /* as in process: an unwrapped image gets no kept fd */
        return 0;
    }
    p->enforcing = 0;
    for (int i = 0; i < st.n; i++)
        p->enforcing |= st.item[i].enforces;
    pr.ppid = 0;
    pr.attached = M.attached && t->state != T_EXECED && !t->query;
    if (!M.attached || t->state == T_EXECED || t->query)   /* attached: not the initial stack */
        initial_vectors(t->tid, t->query ? t->query_sp : 0, &pr);
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv))
        return -1;
    pid_t w = fork();
    if (w == 0) {
        /* the worker holds none of the master's descriptors: not the other
         * processes' channels, kept fds or memory, and not the threads'
         * channels — a copy of the master's end kept a dead image's worker
         * thread from ever seeing its channel's end */
        close(sv[0]);
        for (int i = 0; i < M.nproc; i++) {
            if (M.proc[i].pid && M.proc[i].chan >= 0)
                close(M.proc[i].chan);
            if (M.proc[i].pid && M.proc[i].memfd >= 0)
                close(M.proc[i].memfd);
            if (M.proc[i].pid && M.proc[i].prog_fd >= 0)
                close(M.proc[i].prog_fd);
            if (&M.proc[i] != p)
                proc_close_kept(&M.proc[i]);
        }
        for (int i = 0; i < M.ntr; i++)
            if (M.tr[i].tid) {
                if (M.tr[i].chan >= 0)
                    close(M.tr[i].chan);
                if (M.tr[i].statfd >= 0)
                    close(M.tr[i].statfd);
                if (M.tr[i].xonly_fd >= 0)
                    close(M.tr[i].xonly_fd);
            }
        _exit(sv_worker_main(sv[1], &st, &pr));
    }
    close(sv[1]);
    for (int i = 0; i < st.n; i++)
        close(st.item[i].fd);
    if (w < 0) {
        close(sv[0]);
        return -1;
    }
    p->chan = sv[0];
    p->worker = w;
    t->waiting_ready = 1;
    return 1;
}

/* ---- stops */
static int regs(pid_t tid, struct user_regs_struct *r)
{
    return ptrace(PTRACE_GETREGS, tid, 0, r) < 0 ? -1 : 0;
}

/* An exec's path, as the program names it (the new image's
 * rs_program_path, as runsel's loader gives it in process). */
static void note_exec_path(struct tr *t, const struct user_regs_struct *r)
{
    unsigned long addr = r->orig_rax == SYS_execve ? r->rdi : r->orig_rax == SYS_execveat ? r->rsi : 0;
    ssize_t n;

    t->exec_path[0] = 0;
    if (!addr)
        return;
    /* short reads at a page end: a path is rarely longer than what is there */
    n = tracee_read(t->tid, addr, t->exec_path, sizeof(t->exec_path) - 1);
    if (n <= 0)
        n = tracee_read(t->tid, addr, t->exec_path, 4096 - (addr & 4095));
    t->exec_path[n > 0 ? (size_t)n : 0] = 0;
    t->exec_path[sizeof(t->exec_path) - 1] = 0;
}

/* Traced by a supervisor without root, a set-user-ID (set-group-ID,
 * file-capability) program would run without its privileges: its exec
 * fails, EACCES, and says why (privexec.c).  1: refused. */
static int refuse_weakened_exec(struct tr *t, const struct user_regs_struct *r)
{
    char which[4096];
    int at = r->orig_rax == SYS_execveat;

    if (geteuid() == 0 || (!t->exec_path[0] && !(at && (r->r8 & AT_EMPTY_PATH))))
        return 0;
    if (!sv_exec_gains_privileges(t->p ? t->p->pid : t->tid, at ? (int)r->rdi : AT_FDCWD,
                                  t->exec_path, at && (r->r8 & AT_EMPTY_PATH) && !t->exec_path[0],
                                  which, sizeof(which)))
        return 0;
    fprintf(stderr, "runsel: exec of %s refused: it would run without its privileges "
            "(set-user-ID, set-group-ID or file capabilities: a program traced by runsel's "
            "supervisor without root gains none)\n", which);
    return 1;
}

/* Under an enforcing stack, an exec of a program the supervisor may not
 * read fails (EACCES), as in process: the kernel would hide the new
 * image's memory from its wrappers (privexec.c).  1: refused.  Under an
 * observing one its file is kept (t->xonly_fd) for the selection at the
 * exec stop, where its /proc/PID/exe is hidden too. */
static int refuse_unfollowable_exec(struct tr *t, const struct user_regs_struct *r)
{
    char which[4096];
    int at = r->orig_rax == SYS_execveat, empty = at && (r->r8 & AT_EMPTY_PATH) && !t->exec_path[0];

    drop_fd(&t->xonly_fd);
    if (!t->p || (!t->exec_path[0] && !empty) ||
        (t->xonly_fd = sv_exec_unreadable(t->p->pid, at ? (int)r->rdi : AT_FDCWD, t->exec_path, empty,
                                          which, sizeof(which))) < 0 || !t->p->enforcing)
        return 0;
    drop_fd(&t->xonly_fd);
    fprintf(stderr, "runsel: exec of %s refused: runsel's supervisor may not read it, so its "
            "enforcing wrapper could not follow it (an execute-only program)\n", which);
    return 1;
}

/* The call at this entry stop will not be made: the program gets ret at
 * its exit stop (on_exit_stop, T_SKIP). */
static void unmake_call(struct tr *t, struct user_regs_struct *r, long ret)
{
    r->orig_rax = (unsigned long)-1;
    ptrace(PTRACE_SETREGS, t->tid, 0, r);
    t->skip_ret = ret;
    t->state = T_SKIP;
}

static void skip_call(struct tr *t, struct user_regs_struct *r, long ret)
{
    unmake_call(t, r, ret);
    resume(t, PTRACE_SYSCALL, 0);
}

/* runsel's loader, in an image the master let start without a worker
 * (heldexec.c), asks whether it is held, then says when the program
 * starts (internal/supervised.h).  At the ask the master keeps the
 * program's file and answers yes; at the go it decides the stack for that
 * file, starts the worker and lets the program go once its init is done
 * (with the pinned area first for an enforcing stack), as at an exec.
 * Anywhere else the call fails as natively (EINVAL). */
static void answer_loader(struct tr *t, struct user_regs_struct *r)
{
    struct proc *p = t->p;
    long phase = (long)r->rsi;

    unmake_call(t, r, -EINVAL);
    if (!p || !p->held_loader || (phase != RS_HELD_ASK && phase != RS_HELD_GO) ||
        (phase == RS_HELD_GO && p->prog_fd < 0)) {
        resume(t, PTRACE_SYSCALL, 0);
        return;
    }
    t->skip_ret = RS_SUPERVISED_YES;
    if (phase == RS_HELD_ASK) {
        char path[64];
        snprintf(path, sizeof(path), "/proc/%d/fd/%d", p->pid, (int)r->r10);
        drop_fd(&p->prog_fd);
        p->prog_fd = open(path, O_RDONLY | O_CLOEXEC);
        if (p->prog_fd < 0)
            t->skip_ret = -EINVAL;       /* not held after all: the loader decides */
        resume(t, PTRACE_SYSCALL, 0);
        return;
    }
    p->held_loader = 0;
    t->query = 1;
    t->query_sp = r->rdx;
    int w = start_worker(p, t);
    drop_fd(&p->prog_fd);
    t->query = w > 0;
    if (w > 0 && sv_pin_base && p->enforcing) {
        /* the pinned area, made from the go's exit stop (inject_step
         * gives the trampoline its answer in the registers it saves) */
        inject_begin(t);
        return;
    }
    if (w <= 0)
        resume(t, PTRACE_SYSCALL, 0);    /* none selected: on, with no wrappers */
}

/* An observing stack's call the program need not wait for: all but those
 * the worker must follow step by step — a fork (it forks with it), an
 * exec (the new image's stack), an exit (fini first), rt_sigreturn. */
static int goes_on_at_once(long nr)
{
    switch (nr) {
    case SYS_clone: case SYS_clone3: case SYS_fork: case SYS_vfork:
    case SYS_execve: case SYS_execveat: case SYS_exit: case SYS_exit_group:
    case SYS_rt_sigreturn:
        return 0;
    }
    return 1;
}

/* The thread's CPU time: the first field of its schedstat (the
 * sum_exec_runtime, ns), exact at a stop. */
static uint64_t thread_cputime(struct tr *t)
{
    char buf[96];
    uint64_t v = 0;

    if (t->statfd < 0) {
        snprintf(buf, sizeof(buf), "/proc/%d/schedstat", t->tid);   /* the thread's own */
        t->statfd = open(buf, O_RDONLY | O_CLOEXEC);
    }
    ssize_t n = t->statfd >= 0 ? pread(t->statfd, buf, sizeof(buf) - 1, 0) : -1;
    for (ssize_t i = 0; i < n && buf[i] >= '0' && buf[i] <= '9'; i++)
        v = v * 10 + (uint64_t)(buf[i] - '0');
    return v;
}

/* The times of the stop the program is at (k: 0 its entry, 2 its exit),
 * for a worker that learns of the call after the program went on
 * (rs_call_clock_ns). */
static void stamp(struct tr *t, struct sv_msg *m, int k)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    m->clock[k] = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
    m->clock[k + 1] = thread_cputime(t);
}

static void on_entry(struct tr *t)
{
    struct user_regs_struct r;
    struct sv_msg m = {.kind = SV_CALL, .tid = t->tid};

    if (regs(t->tid, &r)) {
        resume(t, PTRACE_CONT, 0);
        return;
    }
    if (r.orig_rax == SYS_execve || r.orig_rax == SYS_execveat) {
        note_exec_path(t, &r);
        if (refuse_weakened_exec(t, &r) || refuse_unfollowable_exec(t, &r)) {
            skip_call(t, &r, -EACCES);
            return;
        }
    }
    /* exit_group: the process execs nothing more, so what its wrappers kept
     * for its execs goes now — it would outlive their fini (count's run
     * ends when the last description of its table is closed) */
    if (r.orig_rax == SYS_exit_group && t->p && !t->p->shares)
        proc_close_kept(t->p);
    if (r.orig_rax == SYS_prctl && (long)r.rdi == RS_PRCTL_SUPERVISED) {
        answer_loader(t, &r);
        return;
    }
    if (!t->p || t->p->chan < 0 ||
        (M.attached && !M.any && (r.orig_rax >= RS_NSYS || !M.wants[r.orig_rax]))) {
        resume(t, PTRACE_CONT, 0);
        return;
    }
    t->nr = m.nr = (long)r.orig_rax;
    long a[6] = {(long)r.rdi, (long)r.rsi, (long)r.rdx, (long)r.r10, (long)r.r8, (long)r.r9};
    memcpy(m.arg, a, sizeof(a));
    t->pin_used = 0;
    if (guard_refuses(t, m.nr, m.arg)) {
        skip_call(t, &r, -EPERM);
        return;
    }
    m.sp = r.rsp;
    if (t->nr == SYS_rt_sigreturn)
        m.arg[0] = (long)r.rsp;       /* the frame it restores (RS_SIGRETURN's convention) */
    if (t->p->observes && !no_async && goes_on_at_once(t->nr)) {
        m.made = SV_ASYNC;                /* told once it returned (on_exit_stop) */
        stamp(t, &m, 0);
        t->async = m;
        t->state = T_ASYNC;
        resume(t, PTRACE_SYSCALL, 0);
        return;
    }
    t->state = T_ENTRY;
    if (send_to(tr_chan(t), &m, -1))
        resume(t, PTRACE_CONT, 0);
}

static void on_exit_stop(struct tr *t)
{
    struct user_regs_struct r;

    if (regs(t->tid, &r)) {
        resume(t, PTRACE_CONT, 0);
        return;
    }
    if (t->state == T_SKIP) {
        r.rax = (unsigned long)t->skip_ret;
        ptrace(PTRACE_SETREGS, t->tid, 0, &r);
        t->state = T_IDLE;
        resume(t, PTRACE_CONT, 0);
        return;
    }
    if (t->state == T_ASYNC) {          /* the worker learns of the call; nobody waits */
        t->async.ret = (long)r.rax;
        stamp(t, &t->async, 2);
        t->state = T_IDLE;
        if (t->p && t->p->chan >= 0)
            tell_call(t, &t->async);
        resume(t, PTRACE_CONT, 0);
        return;
    }
    if (t->state != T_RUNNING || !t->p || t->p->chan < 0) {
        t->state = T_IDLE;
        resume(t, PTRACE_CONT, 0);
        return;
    }
    if (t->fail_ret) {
        r.rax = (unsigned long)t->fail_ret;
        ptrace(PTRACE_SETREGS, t->tid, 0, &r);
        t->fail_ret = 0;
    }
    long ret = (long)r.rax;
    struct sv_msg m = {.kind = SV_RESULT, .tid = t->tid, .ret = ret};
    t->reported = m.ret;
    t->state = T_EXIT;
    if (send_to(tr_chan(t), &m, -1))
        resume(t, PTRACE_CONT, 0);
}

/* The parent's clone flags, at its fork/clone event stop. */
static unsigned long clone_flags(pid_t tid)
{
    struct user_regs_struct r;
    unsigned long f = 0;

    if (regs(tid, &r))
        return 0;
    if (r.orig_rax == SYS_clone)
        return r.rdi;
    if (r.orig_rax == SYS_vfork)
        return CLONE_VM_;
    if (r.orig_rax == SYS_clone3 && tracee_read(tid, r.rdi, &f, sizeof(f)) != (ssize_t)sizeof(f))
        return 0;
    return f;
}

static void new_child(struct tr *parent, pid_t child, int event)
{
    unsigned long f = event == PTRACE_EVENT_VFORK ? CLONE_VM_ : clone_flags(parent->tid);
    struct tr *c = tr_of(child, 1);
    struct proc *pp = parent->p;

    if (!c)
        return;
    c->state = T_NEW;
    if (f & CLONE_THREAD_) {
        c->p = pp;
        c->go = 1;
    } else if (!pp || pp->chan < 0) {
        c->p = pp ? proc_new(child) : NULL;
        if (c->p) {                      /* what an unwrapped parent's execs would inherit */
            memcpy(c->p->selected, pp->selected, sizeof(pp->selected));
            c->p->run_off = pp->run_off;
        }
        c->go = 1;
    } else if (f & CLONE_VM_) {          /* its parent's memory: its parent's worker */
        c->p = proc_new(child);
        if (c->p) {
            c->p->pin_ok = pp->pin_ok;       /* the same memory */
            c->p->chan = pp->chan;
            c->p->worker = pp->worker;
            c->p->shares = 1;
            c->p->enforcing = pp->enforcing;
            c->p->sig_hooks = pp->sig_hooks;
            c->p->observes = pp->observes;
            c->p->run_off = pp->run_off;
            memcpy(c->p->selected, pp->selected, sizeof(pp->selected));
            proc_copy_kept(c->p, pp);
        }
        c->go = 1;
    } else {                             /* a copy of the parent's worker serves it */
        int sv[2], tv[2];
        c->p = proc_new(child);
        if (!c->p || socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv)) {
            c->go = 1;
            return;
        }
        if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, tv)) {
            close(sv[0]);
            close(sv[1]);
            c->go = 1;
            return;
        }
        memcpy(c->p->selected, pp->selected, sizeof(pp->selected));
        proc_copy_kept(c->p, pp);
        c->p->enforcing = pp->enforcing;     /* the same image: the same stack */
        c->p->sig_hooks = pp->sig_hooks;
        c->p->observes = pp->observes;
        c->p->run_off = pp->run_off;
        c->p->pin_ok = pp->pin_ok;           /* a copy of its parent's memory, the area too */
        /* the child worker's channel, and its thread's (the one that forks) */
        struct sv_msg m = {.kind = SV_FORKED, .tid = parent->tid, .pid = child};
        int give[2] = {sv[1], tv[1]};
        DBG("forked %d -> %d: to chan %d, child chan %d\n", parent->tid, child, parent->chan, sv[0]);
        if (send_fds(tr_chan(parent), &m, give, 2) == 0) {
            c->p->chan = sv[0];
            c->chan = tv[0];
        } else {
            close(sv[0]);
            close(tv[0]);
            c->go = 1;
        }
        close(sv[1]);
        close(tv[1]);
    }
    if (c->seen_stop && c->go)
        resume(c, PTRACE_CONT, 0);
}

static void on_event(struct tr *t, int status)
{
    int event = status >> 16;
    unsigned long msg = 0;

    switch (event) {
    case PTRACE_EVENT_SECCOMP:
        on_entry(t);
        return;
    case PTRACE_EVENT_FORK: case PTRACE_EVENT_VFORK: case PTRACE_EVENT_CLONE:
        ptrace(PTRACE_GETEVENTMSG, t->tid, 0, &msg);
        new_child(t, (pid_t)msg, event);
        resume(t, t->state == T_RUNNING || t->state == T_ASYNC ? PTRACE_SYSCALL : PTRACE_CONT, 0);
        return;
    case PTRACE_EVENT_EXEC: {
        ptrace(PTRACE_GETEVENTMSG, t->tid, 0, &msg);
        if ((pid_t)msg != t->tid) {      /* a thread exec'd: it is the leader now */
            struct tr *old = tr_of((pid_t)msg, 0);
            if (old) {
                old->tid = 0;
                M.ntraced--;
            }
        }
        if (!t->p && !(t->p = proc_new(t->tid))) {
            resume(t, PTRACE_CONT, 0);
            return;
        }
        if (t->p->shares) {              /* a vfork child's own image: no longer its parent's */
            t->p->chan = -1;
            t->p->shares = 0;
            tr_drop_chan(t);
        }
        t->state = T_EXECED;
        t->at_exit_stop = 0;
        t->exit_code = 0;
        proc_mem_close(t->p);            /* the old image's memory */
        t->p->pin_ok = 0;
        drop_fd(&t->p->prog_fd);
        t->p->held_loader = sv_exec_is_runsel_loader(t->p->pid);
        if (t->p->held_loader) {         /* the stack comes at the loader's query */
            proc_drop_worker(t->p);
            resume(t, PTRACE_CONT, 0);
            return;
        }
        int w = start_worker(t->p, t);
        if (w > 0 && sv_pin_base && t->p->enforcing)
            inject_begin(t);             /* while the worker runs its init */
        else if (w <= 0)
            resume(t, PTRACE_CONT, 0);
        return;
    }
    case PTRACE_EVENT_STOP: {
        int sig = WSTOPSIG(status);
        if (M.attached && t->waiting_ready && !t->held) {
            t->held = 1;                 /* the attach's interrupt: on at SV_READY */
            return;
        }
        if (t->state == T_NEW && !t->seen_stop) {
            t->seen_stop = 1;
            if (t->go)
                resume(t, PTRACE_CONT, 0);
            return;
        }
        if (sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU)
            resume(t, PTRACE_LISTEN, 0);  /* a group-stop: the kernel's */
        else
            resume(t, PTRACE_CONT, 0);
        return;
    }
    default:
        resume(t, PTRACE_CONT, 0);
    }
}

static void on_wait(pid_t tid, int status)
{
    struct tr *t = tr_of(tid, 0);

    DBG("wait %d status %#x state %d\n", tid, status, t ? t->state : -1);
    if (!t) {
        if (WIFSTOPPED(status) && !(t = tr_of(tid, 1)))
            return;
        if (!t) {
            for (int i = 0; i < M.nproc; i++)   /* a worker ended */
                if (M.proc[i].pid && M.proc[i].worker == tid)
                    M.proc[i].worker = 0;
            return;
        }
        t->state = T_NEW;                 /* a child's stop before its parent's event */
    }
    if (WIFEXITED(status) || WIFSIGNALED(status)) {
        struct proc *p = t->p;
        tr_forget(t);
        if (p && p->pid == tid) {
            proc_drop_worker(p);
            proc_close_kept(p);
            proc_mem_close(p);
            drop_fd(&p->prog_fd);
            p->pid = 0;
        }
        return;
    }
    if (t->inj && inject_step(t, status))
        return;
    int sig = WSTOPSIG(status);
    if (sig == (SIGTRAP | 0x80)) {
        struct __ptrace_syscall_info si;
        if (M.attached && ptrace(PTRACE_GET_SYSCALL_INFO, tid, sizeof(si), &si) > 0 &&
            si.op == PTRACE_SYSCALL_INFO_ENTRY)
            on_entry(t);                  /* attached: no filter, the entry stop */
        else
            on_exit_stop(t);
        return;
    }
    if (sig == SIGTRAP && (status >> 16)) {
        on_event(t, status);
        return;
    }
    if ((status >> 16) == PTRACE_EVENT_STOP) {
        on_event(t, status);
        return;
    }
    /* a signal on its way to the program: its wrappers are told first */
    if (tell_signal(t, sig))
        return;
    resume(t, t->state == T_RUNNING || t->state == T_SKIP || t->state == T_ASYNC ? PTRACE_SYSCALL
                                                                               : PTRACE_CONT, sig);
}

/* ---- a worker's answers */
/* The call as the worker passes it; 1 if the guard refused it (unmade). */
static int set_call(struct tr *t, const struct sv_msg *m)
{
    struct user_regs_struct r;
    int refused = guard_refuses(t, m->nr, m->arg);

    if (regs(t->tid, &r))
        return 0;
    r.orig_rax = refused ? (unsigned long)-1 : (unsigned long)m->nr;
    r.rdi = (unsigned long)m->arg[0];
    r.rsi = (unsigned long)m->arg[1];
    r.rdx = (unsigned long)m->arg[2];
    r.r10 = (unsigned long)m->arg[3];
    r.r8 = (unsigned long)m->arg[4];
    r.r9 = (unsigned long)m->arg[5];
    ptrace(PTRACE_SETREGS, t->tid, 0, &r);
    return refused;
}

static void on_message(struct proc *p, const struct sv_msg *m, const void *data, size_t n)
{
    struct tr *t = tr_of(m->tid, 0);

    DBG("msg %u tid %d nr %ld ret %ld state %d\n", m->kind, m->tid, (long)m->nr, (long)m->ret,
        t ? t->state : -1);
    if (m->kind == SV_WORKER) {
        p->worker = m->pid;
        return;
    }
    if (m->kind == SV_READY) {
        p->sig_hooks = (m->made & SV_READY_SIGNALS) != 0;
        p->observes = (m->made & SV_READY_OBSERVES) != 0;
        for (int i = 0; i < M.ntr; i++)
            if (M.tr[i].tid && M.tr[i].p == p && M.tr[i].waiting_ready) {
                int execed = M.tr[i].state == T_EXECED;
                M.tr[i].waiting_ready = 0;
                if (M.tr[i].query) {     /* the loader's answer, now its wrappers are ready */
                    M.tr[i].query = 0;
                    if (!M.tr[i].inj)    /* else the injection's end lets it go */
                        resume(&M.tr[i], M.tr[i].state == T_SKIP ? PTRACE_SYSCALL : PTRACE_CONT, 0);
                    continue;
                }
                M.tr[i].state = T_IDLE;
                if (M.attached && !execed && !M.tr[i].held)
                    continue;            /* its interrupt's stop, still to come, lets it go */
                M.tr[i].held = 0;
                if (!M.tr[i].inj)        /* else the injection's end lets it go */
                    resume(&M.tr[i], PTRACE_CONT, 0);
            }
        return;
    }
    if (!t)
        return;
    if (m->kind == SV_PIN) {
        struct sv_msg r = {.kind = SV_PINNED, .tid = t->tid, .ret = -EINVAL};
        if ((uint64_t)m->arg[0] == n)
            r.ret = pin_bytes(t, data, n);
        send_to(tr_chan(t), &r, -1);
        return;
    }
    if (m->kind == SV_PASS) {
        if (t->state == T_ENTRY && m->made == 2) {   /* nothing waits for its result */
            if (set_call(t, m)) {
                t->skip_ret = -EPERM;
                t->state = T_SKIP;
                resume(t, PTRACE_SYSCALL, 0);
                return;
            }
            t->state = T_IDLE;
            resume(t, PTRACE_CONT, 0);
        } else if (t->state == T_ENTRY) {
            t->fail_ret = set_call(t, m) ? -EPERM : 0;
            t->state = T_RUNNING;
            resume(t, PTRACE_SYSCALL, 0);
        } else {                          /* a second rs_pass of one call: not supported */
            struct sv_msg r = {.kind = SV_RESULT, .tid = t->tid, .ret = -ENOSYS};
            send_to(tr_chan(t), &r, -1);
        }
        return;
    }
    if (m->kind != SV_DONE)
        return;
    if (t->state == T_SIGNAL) {           /* its wrappers have been told: the signal goes on */
        t->state = t->sig_state;
        resume(t, t->state == T_RUNNING || t->state == T_SKIP || t->state == T_ASYNC ? PTRACE_SYSCALL
                                                                                   : PTRACE_CONT, t->sig);
        return;
    }
    if (t->state == T_NEW) {              /* a forked child's side of its fork */
        t->go = 1;
        if (t->seen_stop)
            resume(t, PTRACE_CONT, 0);
        return;
    }
    if (t->state == T_ENTRY) {            /* not made: skipped, with this result */
        struct user_regs_struct r;
        if (!regs(t->tid, &r)) {
            r.orig_rax = (unsigned long)-1;
            ptrace(PTRACE_SETREGS, t->tid, 0, &r);
        }
        t->skip_ret = m->ret;
        t->state = T_SKIP;
        resume(t, PTRACE_SYSCALL, 0);
        return;
    }
    if (t->state == T_EXIT) {
        if (m->ret != t->reported) {
            struct user_regs_struct r;
            if (!regs(t->tid, &r)) {
                r.rax = (unsigned long)m->ret;
                ptrace(PTRACE_SETREGS, t->tid, 0, &r);
            }
        }
        t->state = T_IDLE;
        resume(t, PTRACE_CONT, 0);
    }
}

/* ---- the loop */

/* A forked process's worker is its parent worker's child: it tells its pid
 * first thing (SV_WORKER).  At the process's end, what its channel still
 * holds matters no more: read until that (2 s at most: a worker not forked
 * yet, its parent busy, is forked and tells). */
static void learn_worker(struct proc *p)
{
    struct sv_msg m;

    while (!p->worker && p->chan >= 0 && !p->shares) {
        struct pollfd f = {p->chan, POLLIN, 0};
        if (poll(&f, 1, 2000) <= 0)
            return;
        ssize_t r = recv(p->chan, &m, sizeof(m), MSG_DONTWAIT);
        if (r == 0 || (r < 0 && errno != EAGAIN && errno != EINTR))
            return;
        if (r == (ssize_t)sizeof(m) && m.kind == SV_WORKER)
            p->worker = m.pid;
    }
}

/* A process's end reaches the master before its parent: a zombie tracee
 * is its tracer's to see, and the parent's wait4 finds it only once the
 * tracer has reaped it.  So its worker goes first (proc_drop_worker waits
 * until it is gone): what the wrappers share with the rest of the run —
 * count's run table, in which a process is alive while its worker holds
 * a lock — never shows the process alive to a parent that has reaped it
 * (the root would not wait for the summary, and runsel would return
 * before it is written). */
static void drop_worker_at_end(pid_t pid)
{
    for (int i = 0; i < M.nproc; i++)
        if (M.proc[i].pid == pid) {
            learn_worker(&M.proc[i]);
            proc_drop_worker(&M.proc[i]);
            return;
        }
}

static int wait_all(void)
{
    for (;;) {
        siginfo_t si = {0};
        int status;

        /* looked at, not reaped: a stop, or a process's or thread's end */
        if (waitid(P_ALL, 0, &si, WEXITED | WNOHANG | WNOWAIT | __WALL) < 0)
            return errno == ECHILD ? -1 : 0;
        if (!si.si_pid)
            return 0;
        if (si.si_code == CLD_EXITED || si.si_code == CLD_KILLED || si.si_code == CLD_DUMPED)
            drop_worker_at_end(si.si_pid);
        pid_t tid = waitpid(si.si_pid, &status, __WALL | WNOHANG);
        if (tid > 0)
            on_wait(tid, status);
    }
}

/* A stop or an end waits to be seen: the master's spin looks for it
 * directly, rather than for the SIGCHLD that says so on the signalfd (a
 * poll and two reads fewer at each stop). */
static int stop_pending(void)
{
    siginfo_t si = {0};

    if (waitid(P_ALL, 0, &si, WEXITED | WNOHANG | WNOWAIT | __WALL) < 0)
        return errno == ECHILD;
    return si.si_pid != 0;
}

/* Does p keep fd's open file already?  Each image's wrappers keep again
 * what they found passed to them (count's run table): one copy per exec
 * was added, every new worker inherited them all, and the run could not
 * end while the last image's worker held copies its count never closed
 * (count's root then waited 2 s for the summary). */
static int proc_keeps(const struct proc *p, int fd)
{
    pid_t me = getpid();

    for (int i = 0; i < p->nkept; i++)
        if (syscall(SYS_kcmp, me, me, 0 /* KCMP_FILE */, p->kept[i], fd) == 0)
            return 1;
    return 0;
}

static void read_workers(struct pollfd *fds, struct proc **who, struct tr **whose, int n)
{
    for (int i = 1; i < n; i++) {
        if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
            continue;
        static unsigned char pinned[SV_PIN_SLOT];   /* an SV_PIN's bytes */
        struct sv_msg m;
        char ctl[CMSG_SPACE(sizeof(int))];
        struct iovec iov[2] = {{&m, sizeof(m)}, {pinned, sizeof(pinned)}};
        struct msghdr h = {.msg_iov = iov, .msg_iovlen = 2, .msg_control = ctl,
                           .msg_controllen = sizeof(ctl)};
        ssize_t r = recvmsg(fds[i].fd, &h, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
        struct cmsghdr *c = r > 0 ? CMSG_FIRSTHDR(&h) : NULL;
        int fd = -1;
        if (c && c->cmsg_type == SCM_RIGHTS)
            memcpy(&fd, CMSG_DATA(c), sizeof(int));
        if (r == (ssize_t)sizeof(m) && m.kind == SV_KEEP) {
            struct proc *p = who[i];
            if (fd >= 0 && !proc_keeps(p, fd) &&
                p->nkept < (int)(sizeof(p->kept) / sizeof(p->kept[0])))
                p->kept[p->nkept++] = fd;
            else if (fd >= 0)
                close(fd);
        } else if (r >= (ssize_t)sizeof(m)) {
            if (fd >= 0)
                close(fd);
            on_message(who[i], &m, pinned, (size_t)r - sizeof(m));
        }
        else if (whose[i] && (r == 0 || (r < 0 && errno != EAGAIN && errno != EINTR))) {
            tr_drop_chan(whose[i]);      /* its worker thread (or worker) has gone */
        } else if (r == 0 || (r < 0 && errno != EAGAIN && errno != EINTR)) {
            /* a worker died: its program cannot go on unwrapped */
            struct proc *p = who[i];
            int waiting = exit_unready(p, 126);
            if (!waiting) {
                fprintf(stderr, "runsel: supervisor: the wrappers of %d ended: it is killed\n", p->pid);
                kill(p->pid, SIGKILL);
            }
            proc_drop_worker(p);
        }
    }
}

/* Detaching (runsel -p, at SIGINT, SIGTERM or SIGHUP): every thread is
 * interrupted; resume() lets each go at its first stop with nothing in
 * flight. */
static void begin_detach(void)
{
    if (M.detaching)
        return;
    M.detaching = 1;
    for (int i = 0; i < M.ntr; i++)
        if (M.tr[i].tid)
            ptrace(PTRACE_INTERRUPT, M.tr[i].tid, 0, 0);
}

/* After a detach, each worker runs its wrappers' fini (count's summary)
 * and ends; what they kept goes with them. */
static void finish_workers(void)
{
    for (int i = 0; i < M.nproc; i++) {
        struct proc *p = &M.proc[i];
        struct sv_msg m = {.kind = SV_DETACH};
        if (!p->pid || p->chan < 0 || p->shares)
            continue;
        /* an observing stack's calls still told to its threads come first:
         * their channels end after them, and the worker's fini waits for
         * its threads to have read them (worker.c) */
        if (p->observes)
            proc_drop_thread_chans(p);
        if (!send_to(p->chan, &m, -1) && p->worker > 0)
            for (int k = 0; k < 500 && waitpid(p->worker, NULL, WNOHANG) == 0; k++)
                usleep(10000);
        proc_close_kept(p);
        proc_drop_worker(p);
    }
}

static int master_loop(int sfd)
{
    static struct pollfd fds[MAX_PROC + MAX_TR + 1];
    static struct proc *who[MAX_PROC + MAX_TR + 1];
    static struct tr *whose[MAX_PROC + MAX_TR + 1];

    for (;;) {
        int n = 1;
        /* stops that came before the signalfd, or between two reads of it */
        if (wait_all() < 0 || !M.ntraced) {
            if (M.attached)
                finish_workers();
            return 0;
        }
        fds[0] = (struct pollfd){sfd, POLLIN, 0};
        for (int i = 0; i < M.nproc; i++)
            if (M.proc[i].pid && M.proc[i].chan >= 0 && !M.proc[i].shares) {
                fds[n] = (struct pollfd){M.proc[i].chan, POLLIN, 0};
                who[n] = &M.proc[i];
                whose[n++] = NULL;
            }
        for (int i = 0; i < M.ntr; i++)
            if (M.tr[i].tid && M.tr[i].chan >= 0 && M.tr[i].p) {
                fds[n] = (struct pollfd){M.tr[i].chan, POLLIN, 0};
                who[n] = M.tr[i].p;
                whose[n++] = &M.tr[i];
            }
        if (sv_spin_poll(fds, (nfds_t)n, stop_pending, flush_all_told) < 0 && errno != EINTR)
            return 1;
        if (fds[0].revents & POLLIN) {
            struct signalfd_siginfo si;
            while (read(sfd, &si, sizeof(si)) > 0)
                if (si.ssi_signo != SIGCHLD)
                    begin_detach();
        }
        read_workers(fds, who, whose, n);
    }
}

/* The master's own set-up: subreaper of its workers, SIGCHLD (and, with
 * more, the signals that detach) read from a signalfd. */
static int master_setup(const char *run, const char *config, const char *wrapper_dir, int detach_sigs)
{
    sigset_t set;

    debug = getenv("RUNSEL_SV_DEBUG") != NULL;
    no_async = getenv("RUNSEL_SV_ASYNC") && !strcmp(getenv("RUNSEL_SV_ASYNC"), "0");
    M.run = run;
    M.config = config;
    M.wrapper_dir = wrapper_dir;
    prctl(PR_SET_CHILD_SUBREAPER, 1);
    signal(SIGCHLD, SIG_DFL);           /* an inherited SIG_IGN would reap the workers unseen */
    sigemptyset(&set);
    sigaddset(&set, SIGCHLD);
    if (detach_sigs) {
        sigaddset(&set, SIGINT);
        sigaddset(&set, SIGTERM);
        sigaddset(&set, SIGHUP);
    }
    sigprocmask(SIG_BLOCK, &set, NULL);
    return signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
}

int sv_master_run(pid_t pid, const char *run, const char *config, const char *wrapper_dir)
{
    int sfd = master_setup(run, config, wrapper_dir, 0);

    if (sfd < 0)
        return 1;
    struct tr *t = tr_of(pid, 1);
    t->p = proc_new(pid);
    t->state = T_IDLE;
    return master_loop(sfd);
}

/* Every thread of pid seized and interrupted (the list read again until
 * no new one appears: a thread made meanwhile by one not yet seized).
 * The number seized, or -errno for the first. */
static int seize_threads(struct proc *p, long opts)
{
    char dir[64];
    int n = 0, more = 1;

    snprintf(dir, sizeof(dir), "/proc/%d/task", p->pid);
    while (more) {
        DIR *d = opendir(dir);
        struct dirent *e;
        more = 0;
        if (!d)
            return n ? n : -errno;
        while ((e = readdir(d))) {
            pid_t tid = (pid_t)atoi(e->d_name);
            if (tid <= 0 || tr_of(tid, 0))
                continue;
            if (ptrace(PTRACE_SEIZE, tid, 0, opts) < 0) {
                if (!n && tid == p->pid) {
                    int err = errno;
                    closedir(d);
                    return -err;
                }
                continue;                 /* gone meanwhile */
            }
            struct tr *t = tr_of(tid, 1);
            if (!t)
                break;
            t->p = p;
            t->state = T_IDLE;
            t->waiting_ready = 1;
            ptrace(PTRACE_INTERRUPT, tid, 0, 0);
            n++;
            more = 1;
        }
        closedir(d);
    }
    return n;
}

int sv_master_attach(const pid_t *pids, int npids, const char *run, const char *config,
                     const char *wrapper_dir, const unsigned char *wants, int any, int inherit)
{
    long opts = PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACECLONE | PTRACE_O_TRACEEXEC |
                (inherit ? PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK : 0);
    int sfd = master_setup(run, config, wrapper_dir, 1);

    if (sfd < 0)
        return 1;
    M.attached = 1;
    M.wants = wants;
    M.any = any;
    for (int i = 0; i < npids; i++) {
        struct proc *p = proc_new(pids[i]);
        int n = p ? seize_threads(p, opts) : -ENOMEM;
        if (n < 0) {
            fprintf(stderr, "runsel: attach %d: %s%s\n", pids[i], strerror(-n),
                    n == -EPERM ? " (traced already, or not yours to trace: ptrace_scope, another user)" : "");
            begin_detach();
            master_loop(sfd);
            return 1;
        }
        struct tr *t = tr_of(pids[i], 0);
        if (!t || start_worker(p, t) <= 0) {
            fprintf(stderr, "runsel: attach %d: its wrappers could not start\n", pids[i]);
            begin_detach();
            master_loop(sfd);
            return 1;
        }
        fprintf(stderr, "runsel: Process %d attached%s\n", pids[i], n > 1 ? " (with its threads)" : "");
    }
    int r = master_loop(sfd);
    for (int i = 0; i < npids; i++)
        if (!kill(pids[i], 0))
            fprintf(stderr, "runsel: Process %d detached\n", pids[i]);
    return r;
}
