/* straceopt.c — what strace's options mean for runsel's wrappers.
 *
 * The options (args.c parses them) become option words of the wrapper
 * that does what strace does: trace for the lines (-e trace=, -tt, -y ...),
 * count for the summary (-c, -C, -S, -U, -w), fault for tampering
 * (-e inject=, -e fault=), stacked outermost first as trace, count, fault,
 * so that trace shows fault's results marked (INJECTED) and count counts
 * them.  Without -w the options imply that stack; with -w they go to the
 * wrapper of that kind in the stack given (args.c and runsel.c check
 * there is one).
 *
 * strace's defaults apply once any strace option is given: strace without
 * -f follows no child, so trace gets follow=no and the programs the
 * traced one execs run unwrapped (inherit=no, unless an enforcing wrapper
 * is in the stack: it must follow them).  Without any strace option,
 * runsel keeps its own default (children and exec'd programs wrapped). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "runsel.h"

int strace_stack(const struct strace *st, const char **names)
{
    int n = 0;

    if (st->count != 'c')
        names[n++] = "trace";
    if (st->count)
        names[n++] = "count";
    if (*st->inject)
        names[n++] = "fault";
    return n;
}

/* Is any option given that only trace takes? */
static int wants_trace(const struct strace *st)
{
    return st->strsize || *st->trace || st->status || st->signal || st->ts || st->relative ||
           st->syscall_times || st->verbose || st->decode_fds || st->xstrings || st->xlat ||
           st->quiet || st->decode_pids;
}

struct strace_use strace_wants(const struct strace *st)
{
    struct strace_use u = {
        .trace = wants_trace(st),
        .count = st->count || st->sortby || st->columns || st->latency,
        .fault = *st->inject != 0,
    };
    return u;
}

static void word(char *words, size_t size, const char *key, const char *value)
{
    char w[OPTS_MAX];

    if ((size_t)snprintf(w, sizeof(w), "%s=%s", key, value) >= sizeof(w))
        die(2, "%s=: value too long", key);
    append(words, size, w);
}

/* -o FILE: trace's log (count's too, so -C writes both to it). */
static void log_word(const struct strace *st, int per_pid, char *words, size_t size)
{
    char v[sizeof(st->output) + 4];

    if (!*st->output)
        return;
    snprintf(v, sizeof(v), "%s%s", st->output, per_pid && st->follow >= 2 ? ".%p" : "");
    word(words, size, "log", v);
}

static void trace_words(const struct strace *st, char *words, size_t size)
{
    static const char *const times[] = {NULL, "t", "tt", "ttt"};
    static const char *const quiets[] = {NULL, "1", "2"};
    static const char *const xs[] = {NULL, "non-ascii", "all"};

    log_word(st, 1, words, size);
    if (st->used)
        word(words, size, "follow", st->follow ? "yes" : "no");
    if (st->strsize)
        word(words, size, "strsize", st->strsize);
    if (*st->trace)
        word(words, size, "trace", st->trace);
    if (st->status)
        word(words, size, "status", st->status);
    if (st->signal)
        word(words, size, "signal", st->signal);
    if (st->ts)
        word(words, size, "time", times[st->ts > 3 ? 3 : st->ts]);
    if (st->relative)
        word(words, size, "relative", "yes");
    if (st->syscall_times)
        word(words, size, "syscall-times", "yes");
    if (st->decode_fds)
        word(words, size, "decode-fds", st->decode_fds);
    if (st->verbose)
        word(words, size, "verbose", "yes");
    if (st->xstrings)
        word(words, size, "xstrings", xs[st->xstrings > 2 ? 2 : st->xstrings]);
    if (st->xlat)
        word(words, size, "xlat", st->xlat);
    if (st->quiet)
        word(words, size, "quiet", quiets[st->quiet > 2 ? 2 : st->quiet]);
    if (st->decode_pids)
        word(words, size, "decode-pids", st->decode_pids);
}

static void count_words(const struct strace *st, char *words, size_t size)
{
    log_word(st, 0, words, size);
    if (st->sortby)
        word(words, size, "sort", st->sortby);
    if (st->columns)
        word(words, size, "columns", st->columns);
    if (st->latency)
        word(words, size, "latency", "yes");
}

void strace_words(const struct strace *st, const char *kind, char *words, size_t size,
                  struct strace_use *used)
{
    if (!strcmp(kind, "trace") && !used->trace) {
        trace_words(st, words, size);
        used->trace = 1;
    } else if (!strcmp(kind, "count") && !used->count) {
        count_words(st, words, size);
        used->count = 1;
    } else if (!strcmp(kind, "fault") && !used->fault && *st->inject) {
        word(words, size, "inject", st->inject);
        used->fault = 1;
    }
}

/* strace truncates -o FILE when it starts; the wrappers append (every
 * process and exec'd program opens the file again), so runsel truncates
 * it, once.  Only what a wrapper would then write to: a regular file, not
 * through a symlink, and not someone else's (or hard-linked) in a world-
 * writable directory (wrapperabi/lib/log.c refuses those: it says why). */
void strace_truncate(const struct strace *st)
{
    char dir[sizeof(st->output)];
    struct stat ds, fs;

    if (!*st->output || st->append || st->follow >= 2)
        return;
    int fd = open(st->output, O_WRONLY | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC,
                  0644);
    if (fd < 0)
        return;
    snprintf(dir, sizeof(dir), "%s", st->output);
    *strrchr(dir, '/') = 0;
    int ok = fstat(fd, &fs) == 0 && S_ISREG(fs.st_mode) && stat(*dir ? dir : "/", &ds) == 0 &&
             (!(ds.st_mode & S_IWOTH) || (fs.st_uid == geteuid() && fs.st_nlink == 1));
    if (ok && ftruncate(fd, 0) != 0)
        die(2, "-o %s: %s", st->output, strerror(errno));
    close(fd);
}
