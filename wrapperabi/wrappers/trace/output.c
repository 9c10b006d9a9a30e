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
 * " <unfinished ...>" at once and its rest as "<... NAME resumed>".
 *
 * A signal that lands in trace's own code after a call's start was
 * written and before the call is made (out_pass) came, for the program,
 * before the call: strace shows it first, then the call.  In a log that
 * is this process's own regular file (%p: out_exclusive) the start, still
 * the log's last bytes, is taken back (out_withdraw: the file cut where
 * it began), and the call's line is written whole when it returns
 * (out_finish answers -1).  Elsewhere the start stays, and the line reads
 * " <unfinished ...>" ... "<... resumed>". */
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
static int open_tid;             /* whose start the open line is */
static size_t open_len;          /* and its length */
static unsigned long passable;   /* the open start's token while its call is not made; 0 */
static int exclusive;            /* the log is this process's own file */
#define WITHDRAWN 8
static unsigned long withdrawn[WITHDRAWN];   /* tokens of starts taken back */
static unsigned nwithdrawn;

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
    passable = 0;
    exclusive = 0;
    nwithdrawn = 0;
}

void out_exclusive(int yes)
{
    exclusive = yes;
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

/* The log cut back to its first size bytes, the writing offset with it
 * (the file need not be O_APPEND).  A pipe or a terminal refuses. */
static int cut_log(long size)
{
    return size >= 0 && rs_syscall(SYS_ftruncate, log_fd, size) == 0 &&
           rs_syscall(SYS_lseek, log_fd, size, 0 /* SEEK_SET */) == size;
}

/* The open start (token's, the log's last bytes, under the lock) cut off,
 * in a log that is this process's own file; 1 then. */
static int take_back(unsigned long token)
{
    if (!exclusive || log_fd < 0 || sys_log)
        return 0;
    long end = rs_syscall(SYS_lseek, log_fd, 0, 2 /* SEEK_END */);
    if (end < (long)open_len || !cut_log(end - (long)open_len))
        return 0;
    open_line = 0;
    passable = 0;
    withdrawn[nwithdrawn++ % WITHDRAWN] = token;
    return 1;
}

unsigned long out_start(int tid, const char *s, size_t n, int withdrawable)
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
    open_tid = tid;
    open_len = n;
    unsigned long token = ++seq;
    __atomic_store_n(&passable, withdrawable && taken ? token : 0, __ATOMIC_RELAXED);
    /* A signal delivered as the start's write returned (its hook's lines,
     * and its handler's, are held) came before the call: the start is taken
     * back where it can be.  Elsewhere it is left unfinished at unlock. */
    if (taken && nheld && passable)
        take_back(token);
    unlock(taken);
    return token;
}

void out_pass(unsigned long token)
{
    __atomic_compare_exchange_n(&passable, &token, 0, 0, __ATOMIC_RELAXED, __ATOMIC_RELAXED);
}

int out_withdraw(int tid)
{
    int done = 0;
    int taken = lock(tid);
    unsigned long token = __atomic_load_n(&passable, __ATOMIC_RELAXED);

    if (taken && token && token == seq && open_line && open_tid == tid)
        done = take_back(token);
    unlock(taken);
    return done;
}

/* Was this start taken back?  Then it is forgotten. */
static int was_withdrawn(unsigned long token)
{
    for (unsigned i = 0; i < WITHDRAWN && i < nwithdrawn; i++)
        if (withdrawn[i] == token) {
            withdrawn[i] = 0;
            return 1;
        }
    return 0;
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
    if (taken && nwithdrawn && was_withdrawn(token)) {
        unlock(taken);
        return -1;
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
