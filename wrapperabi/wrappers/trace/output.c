/* output.c — writing lines to the log, one write(2) each, and the calls
 * in progress.
 *
 * A call that may block writes the start of its line on entry
 * ("read(3, "), so a program stuck in it, or killed in it, shows it.  When
 * the call returns and nothing was written meanwhile, the rest of the line
 * follows and the log holds one line, as strace writes it.  When another
 * line had to be written first (another thread, a signal handler's call),
 * that writer ends the open line with " <unfinished ...>", and the call's
 * line goes on as strace's "<... read resumed>...".  The state is this
 * process's (threads share it; a lock orders them): per-process logs
 * (%p) and the lines of one process are exact.  Processes sharing one log
 * cannot see each other's open lines, so there a call that blocks (wait4,
 * poll, nanosleep, ... trace.c: blocks_surely) writes its start with
 * " <unfinished ...>" at once and its rest as "<... NAME resumed>". */
#include "output.h"
#include "trace.h"

static int log_fd = -1;
static struct rs_log *sys_log;   /* log=syslog: lines go as records */
static int lock_owner;           /* tid, 0: free */
static int open_line;            /* the log ends with a started line */
static unsigned long seq;        /* lines and starts written, for tokens */
static char held[4096];          /* lines written nested, for unlock (below) */
static size_t nheld;

void out_init(int fd)
{
    log_fd = fd;
}

void out_syslog(struct rs_log *log)
{
    sys_log = log;
}

/* In a forked child: no thread of it holds the lock or has a line open. */
void out_atfork(int fd)
{
    log_fd = fd;
    lock_owner = 0;
    open_line = 0;
    nheld = 0;
}

static void write_raw(const char *s, size_t n)
{
    if (sys_log)
        rs_log_write(sys_log, s, n);
    else if (log_fd >= 0)
        rs_write_all(log_fd, s, n);
}

/* 1 when taken; 0 when this thread holds it already (a signal handler's
 * call while the thread writes): out_line then holds its line for unlock;
 * a nested start or finish is written unordered. */
static int lock(int tid)
{
    for (;;) {
        int free_ = 0;
        if (__atomic_compare_exchange_n(&lock_owner, &free_, tid, 0, __ATOMIC_ACQUIRE,
                                        __ATOMIC_RELAXED))
            return 1;
        if (free_ == tid)
            return 0;
        rs_syscall(SYS_sched_yield);
    }
}

static void end_open_line(void)
{
    static const char unfinished[] = " <unfinished ...>\n";

    if (open_line) {
        write_raw(unfinished, sizeof(unfinished) - 1);
        open_line = 0;
    }
}

/* Lines a signal hook writes while its own thread holds the lock (it
 * interrupted out_start, out_line or out_finish): kept here and written
 * when that writer is done, so they never land inside its line — a
 * signal between a call's written start and its open_line would otherwise
 * put "--- SIGCHLD ... ---" right after "wait4(-1, ".  One thread holds
 * the lock, so only it adds here or flushes. */
static void flush_held(void)
{
    if (nheld) {
        end_open_line();
        write_raw(held, nheld);
        nheld = 0;
    }
}

/* Releasing the lock writes what was held while it was taken. */
static void unlock(int taken)
{
    if (taken) {
        flush_held();
        __atomic_store_n(&lock_owner, 0, __ATOMIC_RELEASE);
    }
}

void out_line(int tid, const char *s, size_t n)
{
    int taken = lock(tid);

    if (!taken && nheld + n <= sizeof(held)) {
        memcpy(held + nheld, s, n);   /* nested: after the interrupted writer */
        nheld += n;
        seq++;
        return;
    }
    end_open_line();
    write_raw(s, n);
    seq++;
    unlock(taken);
}

unsigned long out_start(int tid, const char *s, size_t n)
{
    int taken = lock(tid);

    end_open_line();
    write_raw(s, n);
    open_line = 1;
    unsigned long token = ++seq;
    unlock(taken);                    /* a line held meanwhile leaves the start unfinished */
    return token;
}

int out_finish(int tid, unsigned long token, const char *rest, size_t n)
{
    int taken = lock(tid);
    int mine = open_line && seq == token;

    if (mine) {
        write_raw(rest, n);
        open_line = 0;
        seq++;
    }
    unlock(taken);
    return mine;
}
