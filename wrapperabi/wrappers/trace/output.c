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
static int held_open;            /* held ends with a started line */

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
    held_open = 0;
}

static void write_raw(const char *s, size_t n)
{
    if (sys_log)
        rs_log_write(sys_log, s, n);
    else if (log_fd >= 0)
        rs_write_all(log_fd, s, n);
}

/* 1 when taken; 0 when this thread holds it already (a signal handler's
 * call while the thread writes): out_line, out_start and out_finish then
 * hold what they write for unlock (below). */
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

/* What a signal hook writes while its own thread holds the lock (it
 * interrupted out_start, out_line or out_finish) — its lines, and the
 * calls its handler makes, start and finish — is kept here and written
 * when that writer is done, so it never lands inside the writer's line: a
 * signal between a call's written start and its open_line would put
 * "--- SIGCHLD ... ---" right after "wait4(-1, ", and a handler's call
 * between a line's written end and its open_line = 0 would end that line
 * again with a bare " <unfinished ...>".  The held text keeps its own
 * open line (held_open): a nested call's start and finish make one line
 * there, as outside.  One thread holds the lock, so only it adds here or
 * flushes. */
static int hold(const char *s, size_t n)
{
    if (nheld + n > sizeof(held))
        return 0;
    memcpy(held + nheld, s, n);
    nheld += n;
    return 1;
}

static void hold_end_open_line(void)
{
    static const char unfinished[] = " <unfinished ...>\n";

    if (held_open && hold(unfinished, sizeof(unfinished) - 1))
        held_open = 0;
}

static void flush_held(void)
{
    if (nheld) {
        end_open_line();
        write_raw(held, nheld);
        nheld = 0;
        open_line = held_open;     /* a nested start whose call never finished nested */
        held_open = 0;
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

    if (!taken) {                     /* nested: after the interrupted writer */
        hold_end_open_line();
        if (hold(s, n)) {
            seq++;
            return;
        }
    }
    end_open_line();
    write_raw(s, n);
    seq++;
    unlock(taken);
}

unsigned long out_start(int tid, const char *s, size_t n)
{
    int taken = lock(tid);

    if (!taken) {
        hold_end_open_line();
        if (hold(s, n)) {
            held_open = 1;
            return ++seq;
        }
    }
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

    if (!taken && held_open && seq == token) {
        if (hold(rest, n)) {
            held_open = 0;
            seq++;
            return 1;
        }
        hold_end_open_line();       /* no room: it goes on as "<... resumed>" */
        return 0;
    }
    int mine = open_line && seq == token;

    if (mine) {
        write_raw(rest, n);
        open_line = 0;
        seq++;
    }
    unlock(taken);
    return mine;
}
