/* outcheck.c — trace's log writer (wrapperabi/wrappers/trace/output.c)
 * when a signal hook writes a line while its own thread is inside a write:
 * rs_write_all is wrapped (-Wl,--wrap) so that, right after the start of a
 * call's line has gone out, a "signal" writes its line — the window CI
 * once hit ("wait4(-1, --- SIGCHLD ... ---" on one line).  Each row: the
 * log must read as strace's: the start ended " <unfinished ...>", the
 * signal's line, then "<... resumed>" (out_finish answers 0). */
#include <stdio.h>
#include <string.h>
#include "output.h"

static char logbuf[8192];
static size_t loglen;
static int nest_after;              /* the write after which the "signal" comes, 0: none */
static int nest_call;               /* and its handler makes a call */
static int writes;

long __wrap_rs_write_all(int fd, const void *buf, size_t n)
{
    (void)fd;
    memcpy(logbuf + loglen, buf, n);
    loglen += n;
    if (++writes == nest_after) {
        static const char sig[] = "--- SIGCHLD ---\n";
        out_line(7, sig, sizeof(sig) - 1);   /* the same thread: nested */
        if (nest_call) {
            unsigned long tok = out_start(7, "getpid(", 7);
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
    unsigned long tok = out_start(7, "wait4(-1, ", 10);
    int mine = out_finish(7, tok, "[0], 0, NULL) = 5\n", 18);
    logbuf[loglen] = 0;
    if (strcmp(logbuf, want) != 0 || mine != want_mine) {
        printf("not ok outcheck: %s: got \"%s\" (finish %d)\n", name, logbuf, mine);
        return 1;
    }
    return 0;
}

int main(void)
{
    int bad = 0;

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
        printf("ok outcheck: a nested line or call never lands inside a line, nor ends one twice (5 rows)\n");
    return bad != 0;
}
