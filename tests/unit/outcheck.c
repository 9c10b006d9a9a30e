/* outcheck.c — trace's log writer (wrapperabi/wrappers/trace/output.c)
 * when a signal hook writes a line while its own thread is inside a write:
 * rs_write_all is wrapped (-Wl,--wrap) so that, right after the start of a
 * call's line has gone out, a "signal" writes its line — the window CI
 * once hit ("wait4(-1, --- SIGCHLD ... ---" on one line).  Each row: the
 * log must read as strace's: the start ended " <unfinished ...>", the
 * signal's line, then "<... resumed>" (out_finish answers 0).
 *
 * And a signal that lands before the call is made (out_withdraw), in a
 * log that is the process's own file (a memfd here, written for real):
 * the start is cut back off, so the signal's line comes first and the
 * call's whole line after it — and in every case where that would be
 * wrong (the call made, another thread's start, an exec's start, a log
 * not its own) nothing is cut. */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "output.h"
#include "stubhost.h"

static char logbuf[8192];
static size_t loglen;
static int nest_after;              /* the write after which the "signal" comes, 0: none */
static int nest_call;               /* and its handler makes a call */
static int writes;

long __real_rs_write_all(int fd, const void *buf, size_t n);
long __wrap_rs_write_all(int fd, const void *buf, size_t n)
{
    if (fd != 99) {
        __real_rs_write_all(fd, buf, n);
    } else {
        memcpy(logbuf + loglen, buf, n);
        loglen += n;
    }
    if (++writes == nest_after) {
        static const char sig[] = "--- SIGCHLD ---\n";
        out_line(7, sig, sizeof(sig) - 1);   /* the same thread: nested */
        if (nest_call) {
            unsigned long tok = out_start(7, "getpid(", 7, 1);
            if (!out_finish(7, tok, ") = 5\n", 6))
                out_line(7, "<... getpid resumed>) = 5\n", 26);
        }
    }
    return (long)n;
}

/* The "signal" comes after the log's write number after (the call's start
 * is write 1, its end write 2); with call, its handler makes a call. */
static int row(const char *name, int after, int call, const char *want, int want_mine)
{
    loglen = 0;
    writes = 0;
    nest_after = after;
    nest_call = call;
    out_atfork(99);
    unsigned long tok = out_start(7, "wait4(-1, ", 10, 1);
    int mine = out_finish(7, tok, "[0], 0, NULL) = 5\n", 18);
    logbuf[loglen] = 0;
    if (strcmp(logbuf, want) != 0 || mine != want_mine) {
        printf("not ok outcheck: %s: got \"%s\" (finish %d)\n", name, logbuf, mine);
        return 1;
    }
    return 0;
}

/* A start by thread start_tid (withdrawable or not, passed or not), then
 * a signal on thread 7 that landed in trace's code: its line, then the
 * call's end as trace.c writes it. */
static int withdraw_row(const char *name, int exclusive, int start_tid, int withdrawable,
                        int passed, int in_write, const char *want)
{
    char got[512];
    int fd = memfd_create("outcheck", 0);

    writes = 0;
    nest_after = in_write ? 2 : 0;   /* in_write: delivered as the start's write returns */
    nest_call = 0;
    out_atfork(fd);
    out_exclusive(exclusive);
    out_line(7, "getpid() = 5\n", 13);
    unsigned long tok = out_start(start_tid, "read(3, ", 8, withdrawable);
    if (passed)
        out_pass(tok);
    if (!in_write) {
        out_withdraw(7);
        out_line(7, "--- SIGCHLD ---\n", 16);
    }
    int r = out_finish(start_tid, tok, "\"x\", 1) = 1\n", 12);
    if (r < 0)
        out_line(start_tid, "read(3, \"x\", 1) = 1\n", 20);
    else if (r == 0)
        out_line(start_tid, "<... read resumed>\"x\", 1) = 1\n", 30);
    ssize_t n = pread(fd, got, sizeof(got) - 1, 0);
    close(fd);
    got[n > 0 ? n : 0] = 0;
    if (strcmp(got, want)) {
        printf("not ok outcheck: %s: got \"%s\"\n", name, got);
        return 1;
    }
    return 0;
}

int main(void)
{
    int bad = 0;

    stubhost_start();             /* rs_syscall: the cut is made for real */
    static const char first[] = "getpid() = 5\n--- SIGCHLD ---\nread(3, \"x\", 1) = 1\n";
    static const char kept[] = "getpid() = 5\nread(3,  <unfinished ...>\n--- SIGCHLD ---\n"
                               "<... read resumed>\"x\", 1) = 1\n";

    bad += withdraw_row("before the call, own file: the signal first, the line whole", 1, 7, 1, 0, 0, first);
    bad += withdraw_row("  delivered as the start's write returns: the same", 1, 7, 1, 0, 1, first);
    bad += withdraw_row("  and in a log not its own: the start stays", 0, 7, 1, 0, 1, kept);
    bad += withdraw_row("the call made (out_pass): the start stays", 1, 7, 1, 1, 0, kept);
    bad += withdraw_row("another thread's start: it stays", 1, 8, 1, 0, 0, kept);
    bad += withdraw_row("an exec's start (not withdrawable): it stays", 1, 7, 0, 0, 0, kept);
    bad += withdraw_row("a log not the process's own: it stays", 0, 7, 1, 0, 0, kept);

    bad += row("no signal", 0, 0, "wait4(-1, [0], 0, NULL) = 5\n", 1);
    bad += row("a signal's line right after the start",
               1, 0, "wait4(-1,  <unfinished ...>\n--- SIGCHLD ---\n", 0);
    bad += row("a signal's line right after the end", 2, 0,
               "wait4(-1, [0], 0, NULL) = 5\n--- SIGCHLD ---\n", 1);
    bad += row("a handler's call right after the start", 1, 1,
               "wait4(-1,  <unfinished ...>\n--- SIGCHLD ---\ngetpid() = 5\n", 0);
    /* the race make check once hit: the line ended twice, a bare
     * " <unfinished ...>" after it */
    bad += row("a handler's call right after the end", 2, 1,
               "wait4(-1, [0], 0, NULL) = 5\n--- SIGCHLD ---\ngetpid() = 5\n", 1);
    if (!bad)
        printf("ok outcheck: a nested line or call never lands inside a line, nor ends one twice; "
               "a start is taken back only before its call, in the process's own file (12 rows)\n");
    return bad != 0;
}
