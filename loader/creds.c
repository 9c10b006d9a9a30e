/* creds.c — never run a program with other privileges than exec would give.
 *
 * Under binfmt_misc with the C flag the kernel computes credentials from the
 * program itself, so a set-user-ID program arrives here already privileged
 * and with AT_SECURE set.  Without C (a foreign registration) or when the
 * loader is run directly, the kernel applied nothing: running such a program
 * would silently drop privileges it is meant to have, so refuse instead —
 * but only when the kernel would really have granted them.  The kernel's
 * reasons not to (fs/exec.c bprm_fill_uid, security/commoncap.c
 * cap_bprm_creds_from_file), in the order checked here:
 *   - no_new_privs;
 *   - a nosuid mount;
 *   - an owner or group with no mapping in the caller's user namespace
 *     (stat shows it as the overflow id, 65534 by default — but 65534 is
 *     also a real, mapped id, nobody, in the initial namespace);
 *   - a tracer without CAP_SYS_PTRACE (LSM_UNSAFE_PTRACE: the ids stay the
 *     caller's unless the caller has CAP_SETUID, and no capability is
 *     gained).  Under binfmt_misc's C flag this is why a traced setuid
 *     program arrives unprivileged: the kernel decided, run it as it is.
 * Everything past the mode bits costs a /proc read and is done only for a
 * set-user-ID, set-group-ID or file-capability program, never on the
 * common path. */
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <fcntl.h>
#include "loader.h"
#include "sys.h"

#define MNT_NOSUID_FLAG 2      /* ST_NOSUID in statfs.f_flags */
#define DEFAULT_OVERFLOW_ID 65534
#define CAP_SETUID_BIT 7
#define CAP_SYS_PTRACE_BIT 19

/* Read a small /proc file into buf (NUL-terminated); length, or -1. */
static long read_proc(const char *path, char *buf, size_t size)
{
    long fd = sys3(SYS_open, path, O_RDONLY | O_CLOEXEC, 0), n = 0, r;

    if (rs_is_err(fd))
        return -1;
    while ((size_t)n < size - 1 && (r = sys3(SYS_read, fd, buf + n, size - 1 - (size_t)n)) > 0)
        n += r;
    sys1(SYS_close, fd);
    buf[n] = '\0';
    return n;
}

/* Parse an unsigned number in base 10 or 16 at *p, advancing *p. */
static unsigned long long parse_num(const char **p, unsigned base)
{
    unsigned long long v = 0;

    for (;; (*p)++) {
        unsigned c = (unsigned char)**p, d;
        if (c >= '0' && c <= '9')
            d = c - '0';
        else if (base == 16 && (c | 0x20) >= 'a' && (c | 0x20) <= 'f')
            d = (c | 0x20) - 'a' + 10;
        else
            return v;
        v = v * base + d;
    }
}

static void skip_blanks(const char **p)
{
    while (**p == ' ' || **p == '\t')
        (*p)++;
}

/* The value of "NAME:\t..." in a /proc/PID/status text, or def. */
static unsigned long long status_field(const char *text, const char *name, unsigned base,
                                       unsigned long long def)
{
    size_t n = __builtin_strlen(name);

    for (const char *line = text; *line;) {
        if (!__builtin_memcmp(line, name, n) && line[n] == ':') {
            const char *p = line + n + 1;
            skip_blanks(&p);
            return parse_num(&p, base);
        }
        while (*line && *line != '\n')
            line++;
        line += *line == '\n';
    }
    return def;
}

/* Is id an inside id of some range of /proc/self/{uid,gid}_map? */
static int id_mapped(const char *map_path, unsigned id)
{
    char buf[1024];
    const char *p = buf;

    if (read_proc(map_path, buf, sizeof(buf)) <= 0)
        return 1;   /* unreadable: assume the initial namespace, where all are */
    while (*p) {
        skip_blanks(&p);
        unsigned long long inside = parse_num(&p, 10);
        skip_blanks(&p);
        parse_num(&p, 10);
        skip_blanks(&p);
        unsigned long long count = parse_num(&p, 10);
        if (id >= inside && id - inside < count)
            return 1;
        while (*p && *p++ != '\n')
            ;
    }
    return 0;
}

static unsigned overflow_id(const char *sysctl)
{
    char buf[32];
    const char *p = buf;

    if (read_proc(sysctl, buf, sizeof(buf)) <= 0)
        return DEFAULT_OVERFLOW_ID;
    return (unsigned)parse_num(&p, 10);
}

/* bprm_fill_uid: set-ID bits are ignored unless both the owner and the
 * group have a mapping.  An unmapped id shows as the overflow id; that id
 * is unmapped only if it is not itself an inside id of the map. */
static int owner_unmapped(const struct stat *st)
{
    return (st->st_uid == overflow_id("/proc/sys/kernel/overflowuid") &&
            !id_mapped("/proc/self/uid_map", st->st_uid)) ||
           (st->st_gid == overflow_id("/proc/sys/kernel/overflowgid") &&
            !id_mapped("/proc/self/gid_map", st->st_gid));
}

static int has_cap(unsigned long long capeff, int bit)
{
    return (int)((capeff >> bit) & 1);
}

/* LSM_UNSAFE_PTRACE: traced by a tracer without CAP_SYS_PTRACE, the kernel
 * keeps the caller's ids (unless the caller has CAP_SETUID) and grants no
 * capability.  A tracer whose status cannot be read counts as unprivileged
 * (running without privileges is the safe side).  A tracer outside our pid
 * namespace shows as TracerPid 0 and is not seen. */
static int traced_without_privilege(void)
{
    char self[4096], tracer[4096], path[40];
    long pid;

    if (read_proc("/proc/self/status", self, sizeof(self)) <= 0)
        return 0;
    pid = (long)status_field(self, "TracerPid", 10, 0);
    if (pid == 0)
        return 0;
    if (has_cap(status_field(self, "CapEff", 16, 0), CAP_SETUID_BIT))
        return 0;
    ld_fmt(path, sizeof(path), "/proc/%ld/status", pid);
    if (read_proc(path, tracer, sizeof(tracer)) <= 0)
        return 1;
    return !has_cap(status_field(tracer, "CapEff", 16, 0), CAP_SYS_PTRACE_BIT);
}

static int kernel_would_elevate(int fd, const struct stat *st)
{
    struct statfs sf;

    if (sys5(SYS_prctl, PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 1)
        return 0;
    if (sys2(SYS_fstatfs, fd, &sf) == 0 && (sf.f_flags & MNT_NOSUID_FLAG))
        return 0;
    if ((st->st_mode & (S_ISUID | S_ISGID)) && owner_unmapped(st))
        return 0;
    return !traced_without_privilege();
}

int check_privileges(int fd, const struct stat *st, int at_secure, struct ld_err *e)
{
    unsigned euid = (unsigned)sys0(SYS_geteuid), egid = (unsigned)sys0(SYS_getegid);
    int suid = (st->st_mode & S_ISUID) && st->st_uid != euid;
    int sgid = (st->st_mode & S_ISGID) && (st->st_mode & S_IXGRP) && st->st_gid != egid;
    /* File capabilities: root already holds them all; a gain shows as
     * AT_SECURE when the kernel applied it. */
    int fcaps = !at_secure && euid != 0 &&
                sys4(SYS_fgetxattr, fd, "security.capability", 0, 0) > 0;

    if (!(suid || sgid || fcaps) || !kernel_would_elevate(fd, st))
        return 0;
    return ld_fail(e, LD_EXIT_CANNOT,
                   "%s program would run without its privileges "
                   "(run it through the binfmt_misc entry with the C flag)",
                   suid ? "set-user-ID" : sgid ? "set-group-ID" : "file-capability");
}
