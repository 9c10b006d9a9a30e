/* decodefds.c — what strace's decode-fds SET (-y, -yy) shows of a
 * descriptor beyond its path (strace's printfd_pid): a socket's protocol
 * and endpoints (sockdiag.c), a device's type and numbers
 * (</dev/null<char 1:3>>), a pidfd's process (<pid:1234>).  The path
 * itself, from the program's /proc/PID/fd, is line.c's (printfd).  The
 * option's words are strace's: path socket dev pidfd, all or none. */
#include <asm/stat.h>
#include <linux/fcntl.h>
#include "trace.h"

/* <sys/stat.h>'s, which cannot come with the kernel's struct stat */
#define S_IFMT_ 0170000u
#define S_IFCHR_ 0020000u
#define S_IFBLK_ 0060000u

/* ---- decode-fds=SET */

/* The option's words, bit i for word i (DECODE_FD_PATH ... in trace.h). */
static const char fd_words[][8] = {"path", "socket", "dev", "pidfd"};

static int fd_word_bit(const char *w, size_t n)
{
    for (unsigned i = 0; i < sizeof(fd_words) / sizeof(fd_words[0]); i++)
        if (rs_strlen(fd_words[i]) == n && !rs_strncmp(fd_words[i], w, n))
            return 1 << i;
    return 0;
}

/* none, all, or words of fd_words joined by commas (runsel writes
 * strace's SET so: its ! and any case are runsel's to resolve). */
int decode_fds_parse(const char *v)
{
    int bits = 0;

    if (!rs_strcmp(v, "none"))
        return 0;
    if (!rs_strcmp(v, "all"))
        return DECODE_FD_ALL;
    for (const char *p = v;; p++) {
        const char *comma = rs_strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : rs_strlen(p);
        int bit = fd_word_bit(p, n);
        if (!bit)
            return -1;
        bits |= bit;
        if (!comma)
            return bits;
        p = comma;
    }
}

/* ---- devices: strace's printdev */

static unsigned dev_major(unsigned long long dev)
{
    return (unsigned)(((dev >> 8) & 0xfff) | ((dev >> 32) & ~0xfffULL));
}

static unsigned dev_minor(unsigned long long dev)
{
    return (unsigned)((dev & 0xff) | ((dev >> 12) & ~0xffULL));
}

/* A character or block device at path (as stat sees it now, as strace
 * looks — by name, in the root of the process trace runs in, as strace
 * in its own): <PATH<char 1:3>>. */
static int print_dev_fd(struct tcb *t, char *path, size_t n)
{
    struct stat st;
    unsigned type;

    if (path[0] != '/')
        return 0;
    path[n] = 0;
    if (rs_syscall(SYS_newfstatat, AT_FDCWD, path, &st, 0))
        return 0;
    type = st.st_mode & S_IFMT_;
    if (type != S_IFBLK_ && type != S_IFCHR_)
        return 0;
    tprints(t, "<");
    print_fd_link(t, path, n);
    tprintf(t, "<%s %u:%u>>", type == S_IFBLK_ ? "block" : "char", dev_major(st.st_rdev),
            dev_minor(st.st_rdev));
    return 1;
}

/* ---- pidfds: strace's printpidfd */

static const char pidfd_link[] = "anon_inode:[pidfd]";

/* strace's string_to_uint_ex(p, NULL, INT_MAX, "\n"): digits up to the
 * line's end, at most INT_MAX; else -1 ("-1" for a process gone). */
static int print_pidfd(struct tcb *t, int fd, char *buf, size_t n, size_t size)
{
    long pid;

    if (n != sizeof(pidfd_link) - 1 || rs_strncmp(buf, pidfd_link, n))
        return 0;
    pid = rs_program_pidfd_pid(fd, buf, size);
    if (pid > 0)
        tprintf(t, "<pid:%ld>", pid);
    else
        tprintf(t, "<%s>", pidfd_link);
    return 1;
}

/* In strace's order: the first kind of the set that fd is, is printed. */
int print_fd_kind(struct tcb *t, int fd, char *link, size_t n, size_t size)
{
    int set = topt.decode_fds;

    return ((set & DECODE_FD_SOCKET) && print_socket_fd(t, fd, link, n, size)) ||
           ((set & DECODE_FD_DEV) && print_dev_fd(t, link, n)) ||
           ((set & DECODE_FD_PIDFD) && print_pidfd(t, fd, link, n, size));
}
