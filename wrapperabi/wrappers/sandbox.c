/* sandbox — a file-system, network and exec policy for a program and
 * everything it runs.
 *
 * Options (all optional; with none, nothing is restricted):
 *
 *   allow-write=DIR:DIR:...  creating, changing or removing a file-system
 *       object outside these directories fails with EACCES.  DIRs are
 *       absolute; a DIR given through a symlink counts under both names.
 *       Objects below a DIR may be created, changed, renamed and removed;
 *       DIR itself may be changed (chmod, utimes, ...) but not removed or
 *       renamed (that changes its parent).  `allow-write=` (empty) allows
 *       no writes at all.  Always writable, whatever the list: /dev/null,
 *       /dev/zero, /dev/full, /dev/random, /dev/urandom, /dev/tty,
 *       /dev/ptmx and /dev/pts/N (devices, not files), and reopening an fd
 *       the process already has open for writing (/dev/stdout,
 *       /dev/stderr, /dev/fd/N, /proc/self/fd/N) — it grants nothing new.
 *       Reopening any other fd is judged by the file it refers to.
 *       Not included: /dev/shm (POSIX shared memory and semaphores) and
 *       /tmp — list them if the program needs them.
 *   allow-exec=GLOB:GLOB:... execve/execveat of a program whose real path
 *       (symlinks resolved by the kernel) matches none of the globs fails
 *       with EACCES.  `*` matches within a path component, `**` across
 *       components, `?` one character other than `/` (selected.conf's
 *       language and matcher: linear time whatever the pattern).
 *       An entry without wildcards also allows the file it names, through
 *       symlinks resolved once at init: allow-exec=/usr/bin/python3 allows
 *       the /usr/bin/python3.11 it points to (a symlink *to* an allowed
 *       program, planted under an allowed glob, does not count: the real
 *       path decides).  The whole chain the kernel will run is checked:
 *       for a `#!` script, the script and its interpreter (read as
 *       binfmt_script reads it: the first 256 bytes), and that one's if it
 *       is a script too, as deep as the kernel goes (a script and 4
 *       nested script interpreters; one more is ELOOP, as natively) —
 *       every one of them must be allowed.  So a script runs only when
 *       both it and its interpreter are listed, and listing python3 alone
 *       allows `python3 x.py`, not `./x.py`.
 *       This governs the execs the wrapped program makes: the first
 *       program is started by runsel before the wrapper exists.
 *   deny-net=yes|no          socket() of any family other than AF_UNIX
 *       and AF_NETLINK (local kernel interfaces, used by getaddrinfo)
 *       fails with EACCES: AF_INET, AF_INET6, AF_PACKET, AF_VSOCK, ...
 *       socket() is the gate: a network socket inherited from the parent
 *       (or received over a unix socket) keeps working.
 *   allow-mount=yes|no       let the program create user and mount
 *       namespaces and change mounts (default no, see below).
 *   allow-ptrace=yes|no      let the program trace processes other than
 *       its own descendants, write into their memory or take their fds
 *       (default no, see below).
 *   quiet=yes|no             do not print a line for each denied call.
 *
 * Each denied call prints one line on the program's current stderr:
 *     runsel sandbox: denied openat "/etc/passwd" (write outside allow-write)
 * Unknown options are an error: a misspelt policy must not run the
 * program unconfined.
 *
 * What is checked.  Every call that creates, modifies or removes a file-
 * system object by name: open/openat/openat2/creat with O_WRONLY, O_RDWR,
 * O_CREAT, O_TRUNC, O_APPEND or O_TMPFILE; truncate; mkdir(at), mknod(at),
 * rmdir, unlink(at); rename(at,at2) (both names); link(at) (both names: a
 * hard link is the same file, so writing through a new name inside would
 * write the original outside); symlink(at) (the new name only: following
 * the symlink later is checked then); chmod/fchmodat(2), chown/lchown/
 * fchownat, utime(s)/futimesat/utimensat, the xattr calls (set/remove,
 * l*, *at), file_setattr; bind() of a unix socket to a path (it creates
 * the socket file).  fchmod/fchown/fsetxattr/fremovexattr and the
 * AT_EMPTY_PATH forms are judged by the path of their fd.  Writes through
 * fds the program already has (write, ftruncate, fallocate) are not:
 * the fd was granted when it was opened, by the sandbox or by whoever
 * passed it in.  open_by_handle_at for writing is refused (no path to
 * judge), and so is io_uring_setup (EPERM, as where io_uring is disabled):
 * a ring performs opens and sockets the kernel never reports as calls.
 *
 * How a name is judged.  The path is copied out of the program's memory
 * first (rs_copy_in_str, wrapperabi/lib/copyin.c: a bad pointer gives
 * EFAULT, as the kernel would) and the call is then made with the copy, so the string that was
 * checked is the string the kernel sees.  Then two checks, both must pass:
 *   1. lexical: joined to the dirfd (or cwd) and normalised ("." and "..")
 *      — it must lie inside an allowed directory;
 *   2. real: the parent directory is opened through the kernel (O_PATH |
 *      O_DIRECTORY, from the same dirfd) and its real path read back from
 *      /proc/self/fd; parent + final name must lie inside an allowed
 *      directory.  When the call follows a final symlink (open without
 *      O_NOFOLLOW and not O_CREAT|O_EXCL, truncate, chmod, chown, ...), the
 *      symlink's target is resolved the same way, hop by hop (40 at most,
 *      ELOOP after), so a symlink inside an allowed directory that points
 *      outside — existing target or dangling — is refused.  openat2
 *      with RESOLVE_IN_ROOT (names resolved below dirfd) is judged by
 *      dirfd's own real path.
 * A name whose parent cannot be opened fails with the error that open
 * gave (ENOENT, ENOTDIR, ...), which is what the call would have given.
 * A call that only creates (mkdir, mknod, symlink, link's new name,
 * O_CREAT|O_EXCL) on a name that already exists fails with EEXIST, as it
 * would natively, instead of EACCES: `mkdir -p` and tar's "." walk
 * through existing ancestors outside the allowed directories.
 *
 * Execs that would leave the sandbox.  runsel execs set-user-ID,
 * set-group-ID, file-capability and unreadable (execute-only) programs
 * natively, without the wrapper; while any policy is set, the sandbox
 * refuses those execs (EACCES) instead of letting them run unconfined —
 * anywhere in the #! chain: a script whose interpreter is set-user-ID is
 * refused like the interpreter itself.
 *
 * Namespaces, mounts, other processes.  While any policy is set (and
 * unless allow-mount=yes): unshare, clone and clone3 with CLONE_NEWUSER or
 * CLONE_NEWNS (clone3's struct clone_args is copied and the call made
 * with the copy), setns into a user or mount namespace (setns(fd, 0) is
 * asked NS_GET_NSTYPE), mount, umount2, pivot_root, chroot, open_tree(_attr),
 * move_mount, fsopen, fspick, fsconfig, fsmount and mount_setattr fail
 * with EPERM: a private mount namespace would let the program bind an
 * outside directory below an allowed one and write there.  Unless
 * allow-ptrace=yes: ptrace ATTACH/SEIZE, process_vm_writev and pidfd_getfd
 * aimed at a process out of reach fail with EPERM — a tracer drives its
 * tracee, and another process's memory and fds are not the sandbox's to
 * judge.  In reach: processes sharing this one's memory (kcmp: they run
 * this wrapper — LeakSanitizer's tracer) and its descendants (all
 * sandboxed, since the execs that would leave are refused), found through
 * the /proc parent chain (a pid reused meanwhile could mislead it).
 * PTRACE_TRACEME is allowed: it hands the parent the choice.  Other
 * namespaces (net, pid, uts, ipc, cgroup, time) are allowed: they add
 * isolation, not reach.
 *
 * Threat model, honestly (docs/threat-model.md).  In process
 * (placement=inprocess) it stops mistakes and confused programs — a
 * build script that writes outside its tree, a tool that follows a
 * planted symlink, an unexpected network fetch — not a hostile program
 * that attacks the wrapper: one that wants out can jump into runsel's
 * exempt syscall gate or overwrite the wrapper's memory or its policy.
 * In a supervisor (placement=process) none of that is in the program,
 * and the copies the calls are made with are pinned (rs_pin_arg: a
 * read-only area the program cannot change): a boundary.  In either, the
 * path string is copied before the check and the call uses the copy, but
 * the file system itself can change between the check and the real call
 * (another thread or process swapping a directory for a symlink — a
 * TOCTOU the kernel's openat2(RESOLVE_BENEATH) or Landlock close, and an
 * in-process wrapper cannot); the same race exists between reading a
 * script's #! line and the kernel reading it.
 * Governed: the path calls above, socket(), exec (the #! chain), io_uring
 * (refused), open_by_handle_at for writing (refused), namespaces, mounts
 * and tracing (above).  Writes to /proc/PID/mem or other /proc files are
 * path writes like any other: outside allow-write, refused.
 * Not governed: writes through fds the program already holds or receives
 * (SCM_RIGHTS), signals to other processes (kill), process_vm_readv and
 * other reads (the sandbox confines changes, not reading: name_to_handle_at
 * only reads), SysV/POSIX shared memory and message queues, connecting to
 * existing unix sockets (a daemon outside may act for the program),
 * binfmt_misc handlers other than `#!` (an exec the kernel hands to
 * another registered interpreter is judged by the file named), and the
 * privileged calls (acct, swapon, kexec, bpf, perf_event_open, module
 * loading, ...): run the sandbox unprivileged.  The runsel options
 * inherit=no (children unwrapped) and syscalls= (narrowing what the
 * wrapper sees) switch parts of the policy off. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <runsel/wrapper.h>
#include <runsel/print.h>
#include "sandbox_policy.h"   /* the decisions that need no system call */

#ifndef SYS_fchmodat2
#define SYS_fchmodat2 452
#endif
#ifndef SYS_setxattrat
#define SYS_setxattrat 463
#endif
#ifndef SYS_removexattrat
#define SYS_removexattrat 466
#endif
#ifndef SYS_file_setattr
#define SYS_file_setattr 469
#endif
#ifndef AT_EMPTY_PATH
#define AT_EMPTY_PATH 0x1000
#endif
#ifndef SYS_open_tree_attr
#define SYS_open_tree_attr 467
#endif
#define RESOLVE_IN_ROOT_ 0x10

#define PM 4096                 /* PATH_MAX */
#define MAX_HOPS 40             /* symlinks followed, as the kernel */

/* ---- the policy, set once in init ---- */

static struct dir *dirs;
static int ndirs, restrict_write;
static const char **globs;
static const char **globs_real;   /* per glob without wildcards: the real path it names */
static int nglobs, restrict_exec;
static int deny_net, quiet;
static int json;                  /* format=json: the stderr line as a JSON object */
static int audit = 1;             /* every denial to the system log too (audit=no: not) */
static struct rs_syslog audit_log;
static int allow_mount, allow_ptrace;

/* ---- scratch memory: the handlers need ~28 KB per call; program stacks
 * may be small, so a few static slots, claimed lock-free, and mmap when
 * all are busy (many threads, or a signal handler inside a check). */

struct scratch {
    char path[2][PM];           /* the program's path strings, copied */
    char a[PM], b[PM];          /* lexical and real results */
    char w[PM], t[PM];          /* resolution: current name, link target */
    unsigned char blob[PM];     /* struct open_how (up to a page), sockaddr */
};
#define NSLOTS 8
static struct scratch slots[NSLOTS];
static unsigned long busy;

static struct scratch *scratch_get(void)
{
    for (;;) {
        unsigned long m = __atomic_load_n(&busy, __ATOMIC_ACQUIRE);
        int i = 0;
        while (i < NSLOTS && (m & (1UL << i)))
            i++;
        if (i == NSLOTS)
            break;
        if (__atomic_compare_exchange_n(&busy, &m, m | (1UL << i), 0, __ATOMIC_ACQ_REL,
                                        __ATOMIC_ACQUIRE))
            return &slots[i];
    }
    long p = rs_syscall(SYS_mmap, 0, sizeof(struct scratch), PROT_READ | PROT_WRITE,
                        MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return rs_is_err((long)p) ? NULL : (struct scratch *)p;
}

static void scratch_put(struct scratch *s)
{
    if (s >= slots && s < slots + NSLOTS)
        __atomic_fetch_and(&busy, ~(1UL << (s - slots)), __ATOMIC_RELEASE);
    else if (s)
        rs_syscall(SYS_munmap, s, sizeof(struct scratch));
}

/* A structure argument, whole (rs_copy_in): 0, -EFAULT when part of it is
 * unreadable (the kernel's answer), or the reader's own error. */
static long copy_all(void *dst, const void *src, size_t n)
{
    long got = rs_copy_in(dst, src, n);

    return got == (long)n ? 0 : got < 0 ? got : -EFAULT;
}

/* ---- paths ---- */

static int inside(const char *p, int kind, int real)
{
    return inside_dirs(dirs, ndirs, p, kind, real);
}






/* The path a /proc fd link names: length or -errno. */
static long link_path(const char *proc, char *out)
{
    long n = rs_syscall(SYS_readlink, proc, out, PM - 1);
    if (n < 0)
        return n;
    if (n >= PM - 1)                             /* possibly cut short */
        return -ENAMETOOLONG;
    out[n] = 0;
    return n;
}

/* The path one of the sandbox's own fds (an O_PATH it opened) refers to. */
static long fd_path(int fd, char *out)
{
    char proc[40];

    rs_snprintf(proc, sizeof(proc), RS_OWN_PROC "/fd/%d", fd);
    return link_path(proc, out);
}

/* The path one of the program's fds refers to (its /proc/PID/fd/N). */
static long program_fd_path(int fd, char *out)
{
    char proc[64];

    if (rs_proc_path(proc, sizeof(proc), "fd/%d", fd) < 0)
        return -ENAMETOOLONG;
    return link_path(proc, out);
}

/* Is the program's fd open for writing? */
static int fd_writable(long fd)
{
    long pfd = rs_program_fd((int)fd);
    long fl = rs_syscall(SYS_fcntl, pfd, F_GETFL);

    rs_program_fd_done(pfd);
    return fl >= 0 && !(fl & O_PATH) && (fl & O_ACCMODE) != O_RDONLY;
}

/* Where the kernel would act for dirfd/path: the real parent directory
 * plus the final name, following a final symlink when follow.  0 with the
 * path in out; 1 when the name is an fd reopened through /proc that needs
 * no check (open for writing already, or a pipe/socket); or -errno.
 * dirfd is the host's (resolve_real: the program's dirfd as one). */
static int resolve_from(int dirfd, const char *path, int follow, struct scratch *s, char *out)
{
    char *cur = s->w, *tgt = s->t;

    rs_strlcpy(cur, path, PM);
    for (int hop = 0; hop <= MAX_HOPS; hop++) {
        size_t n = rs_strlen(cur);
        const char *dir, *last;
        char *slash = NULL;

        if (!n)
            return -ENOENT;
        while (n > 1 && cur[n - 1] == '/') {     /* "name/": must be a directory */
            cur[--n] = 0;
            follow = 1;
        }
        for (size_t i = n; i-- > 0;)
            if (cur[i] == '/') {
                slash = cur + i;
                break;
            }
        if (!slash) {
            dir = ".";
            last = cur;
        } else if (slash == cur) {
            dir = "/";
            last = cur + 1;
        } else {
            *slash = 0;
            dir = cur;
            last = slash + 1;
        }
        if (!*last || !rs_strcmp(last, ".") || !rs_strcmp(last, "..")) {
            /* the name is a directory itself ("/", "x/.."): resolve it whole */
            if (slash && slash != cur)
                *slash = '/';
            long fd = rs_syscall(SYS_openat, dirfd, cur, O_PATH | O_DIRECTORY | O_CLOEXEC);
            if (fd < 0)
                return (int)fd;
            long r = fd_path((int)fd, out);
            rs_syscall(SYS_close, fd);
            return r < 0 ? (int)r : 0;
        }
        long fd = rs_syscall(SYS_openat, dirfd, dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
            return (int)fd;
        long pl = fd_path((int)fd, out);
        if (pl < 0 || out[0] != '/') {
            rs_syscall(SYS_close, fd);
            return pl < 0 ? (int)pl : -ENOENT;
        }
        int magic = proc_fd_dir(out, rs_getpid());
        size_t ll = rs_strlen(last), plen = (size_t)pl;
        if ((size_t)pl + 1 + ll + 1 > PM) {
            rs_syscall(SYS_close, fd);
            return -ENAMETOOLONG;
        }
        if (pl > 1)
            out[pl++] = '/';
        memcpy(out + pl, last, ll + 1);
        if (!follow) {
            rs_syscall(SYS_close, fd);
            return 0;
        }
        long k = rs_syscall(SYS_readlinkat, fd, last, tgt, PM - 1);
        rs_syscall(SYS_close, fd);
        if (k < 0)                               /* not a symlink, or nothing there */
            return k == -EINVAL || k == -ENOENT ? 0 : (int)k;
        if (k >= PM - 1)
            return -ENAMETOOLONG;
        tgt[k] = 0;
        if (magic) {
            /* /proc/PID/fd/N jumps straight to the open file */
            if (magic == 1 && is_digits(last, ll) && fd_writable(parse_num(last, ll)))
                return 1;
            if (tgt[0] != '/')
                return 1;                        /* pipe:[..], socket:[..], anon_inode:.. */
            rs_strlcpy(out, tgt, PM);
            return 0;
        }
        if (tgt[0] == '/') {
            rs_strlcpy(cur, tgt, PM);
        } else {
            out[plen] = 0;                       /* the real parent */
            if (rs_snprintf(cur, PM, "%s/%s", plen > 1 ? out : "", tgt) >= PM)
                return -ENAMETOOLONG;
        }
        dirfd = AT_FDCWD;
    }
    return -ELOOP;
}

/* The same for the program's dirfd (rs_program_dirfd: dirfd itself in
 * process). */
static int resolve_real(int dirfd, const char *path, int follow, struct scratch *s, char *out)
{
    long hd = rs_program_dirfd(dirfd, path);
    int r = resolve_from((int)hd, path, follow, s, out);
    rs_program_fd_done(hd);
    return r;
}

/* ---- denials ---- */

/* The option whose policy a denial enforces, from its reason; "sandbox"
 * for what every policy refuses (io_uring, writes by file handle, execs
 * that would leave the sandbox). */
static const char *rule_of(const char *why)
{
    static const char *const rules[] = {"allow-write", "allow-exec", "deny-net", "allow-mount",
                                        "allow-ptrace"};

    for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
        size_t n = rs_strlen(rules[i]);
        for (const char *p = why; *p; p++)
            if (!rs_strncmp(p, rules[i], n))
                return rules[i];
    }
    return "sandbox";
}

/* The program's real uid: its own in process; out of process the
 * "Uid:" line of its status (the supervisor's uid may differ). */
static long program_uid(void)
{
    char path[64], buf[1024];

    if (rs_inprocess())
        return rs_syscall(SYS_getuid);
    if (rs_proc_path(path, sizeof(path), "status") < 0)
        return -1;
    long fd = rs_syscall(SYS_openat, AT_FDCWD, path, O_RDONLY | O_CLOEXEC);
    long n = fd < 0 ? 0 : rs_syscall(SYS_read, fd, buf, sizeof(buf) - 1);
    if (fd >= 0)
        rs_syscall(SYS_close, fd);
    buf[n > 0 ? n : 0] = 0;
    for (char *p = buf; *p; p++)
        if ((p == buf || p[-1] == '\n') && !rs_strncmp(p, "Uid:\t", 5)) {
            long uid = 0;
            for (p += 5; *p >= '0' && *p <= '9'; p++)
                uid = uid * 10 + (*p - '0');
            return uid;
        }
    return -1;
}

/* A denial as one JSON object:
 *     {"time":...,"pid":..,"tid":..,"program":..,"uid":1000,"call":"openat",
 *      "object":"/etc/passwd","rule":"allow-write",
 *      "reason":"write outside allow-write","errno":"EACCES"} */
static size_t denial_json(char *mem, size_t size, const char *name, const char *what, const char *why,
                          long err)
{
    struct rs_buf b;

    rs_buf_init(&b, mem, size, 0);
    rs_put_json_head(&b, rs_realtime_ns(), rs_getpid(), rs_gettid(), rs_program_path());
    rs_putf(&b, ",\"uid\":%ld,\"call\":", program_uid());
    rs_put_json_cstr(&b, name);
    rs_puts(&b, ",\"object\":");
    rs_put_json_cstr(&b, what);
    rs_puts(&b, ",\"rule\":");
    rs_put_json_cstr(&b, rule_of(why));
    rs_puts(&b, ",\"reason\":");
    rs_put_json_cstr(&b, why);
    rs_puts(&b, ",\"errno\":");
    rs_put_json_errno(&b, err);
    rs_puts(&b, "}\n");
    return b.full ? 0 : b.n;
}

/* The audit record (facility authpriv: a security event), like an LSM's
 * audit line: who, what, and the rule that said no.  With format=json
 * its message is the JSON object. */
static void audit_denial(const char *name, const char *what, const char *why, long err)
{
    char mem[2048];
    size_t n;

    if (json) {
        n = denial_json(mem, sizeof(mem), name, what, why, err);
        n -= n > 0;                               /* no newline in a record */
    } else {
        struct rs_buf b;
        const char *e = rs_errno_name(err);
        rs_buf_init(&b, mem, sizeof(mem), 0);
        rs_putf(&b, "denied %s \"%s\" (%s): program=", name, what, why);
        rs_put_json_cstr(&b, rs_program_path());  /* quoted and escaped: one line, whatever the name */
        rs_putf(&b, " pid=%d uid=%ld call=%s object=", rs_getpid(), program_uid(), name);
        rs_put_json_cstr(&b, what);
        rs_putf(&b, " rule=%s errno=%s", rule_of(why), e ? e : "?");
        n = b.n;
    }
    if (n)
        rs_syslog_send(&audit_log, RS_SEV_NOTICE, "denial", mem, n);
}

/* The line goes to the program's stderr as it is now (rs_program_fd: fd 2
 * itself in process); the audit record to the system log. */
static long deny(struct rs_call *c, const char *what, const char *why, long err)
{
    const char *name = rs_call_name(c);   /* the generated table (tools/gen-tables) */

    if (audit_log.fd >= 0)
        audit_denial(name ? name : "?", what, why, err);
    if (!quiet && json) {
        char mem[2048];
        size_t n = denial_json(mem, sizeof(mem), name ? name : "?", what, why, err);
        long efd = rs_program_fd(2);
        if (n)
            rs_write_all((int)efd, mem, n);
        rs_program_fd_done(efd);
    } else if (!quiet) {
        long efd = rs_program_fd(2);
        rs_dprintf((int)efd, "runsel sandbox: denied %s \"%s\" (%s)\n", name ? name : "?", what,
                   why);
        rs_program_fd_done(efd);
    }
    return -err;
}

#define WHY_WRITE "write outside allow-write"

/* A call that only creates (mkdir, symlink, O_CREAT|O_EXCL, ...) fails with
 * EEXIST when the name exists, whatever the policy: say so instead of
 * EACCES (mkdir -p and tar create "." and the ancestors of their target). */
static long refuse(struct rs_call *c, int dirfd, const char *path, const char *what, int excl)
{
    struct stat st;

    if (excl) {
        long hd = rs_program_dirfd(dirfd, path);
        long r = rs_syscall(SYS_newfstatat, hd, path, &st, AT_SYMLINK_NOFOLLOW);
        rs_program_fd_done(hd);
        if (r == 0)
            return -EEXIST;
    }
    return deny(c, what, WHY_WRITE, EACCES);
}

/* Judge one name (already copied to kernel-visible memory): 0 or -errno. */
static long judge(struct rs_call *c, struct scratch *s, int dirfd, const char *path, int kind,
                  int follow, int excl)
{
    int r;

    if (!*path)
        return -ENOENT;
    r = rs_path_at(dirfd, path, s->a, PM);     /* lexical: joined to dirfd, normalised */
    if (r < 0)
        return r;
    if (!lexical_allowed(dirs, ndirs, s->a, kind))
        return refuse(c, dirfd, path, s->a, excl);
    r = resolve_real(dirfd, path, follow, s, s->b);
    if (r < 0)
        return r;
    if (r == 0 && !inside(s->b, kind, 1))
        return refuse(c, dirfd, path, s->b, excl);
    return 0;
}

/* The object an fd refers to (fchmod, AT_EMPTY_PATH, utimensat(fd, NULL)). */
static long judge_fd(struct rs_call *c, struct scratch *s, int fd)
{
    long n = fd == AT_FDCWD ? rs_program_cwd(s->b, PM) : program_fd_path(fd, s->b);

    if (n < 0)
        return n;
    if (s->b[0] != '/')                          /* pipe, socket, anon inode */
        return 0;
    return inside(s->b, ATTR, 1) ? 0 : deny(c, s->b, WHY_WRITE, EACCES);
}

/* ---- which names a call changes ---- */



#define NAME(d, i, k, f) ((struct name){(int)(d), (i), (k), (f), 0, 0})
#define NEW(d, i) ((struct name){(int)(d), (i), ENTRY, 0, 0, 1})
#define AT_NOFOLLOW(fl) (!((fl) & AT_SYMLINK_NOFOLLOW))

static int names_of(const struct rs_call *c, struct name *v)
{
    const long *a = c->arg;

    switch (c->nr) {
    case SYS_open:
        if (!open_writes(a[1]))
            return 0;
        v[0] = open_name(AT_FDCWD, 0, a[1]);
        return 1;
    case SYS_openat:
        if (!open_writes(a[2]))
            return 0;
        v[0] = open_name((int)a[0], 1, a[2]);
        return 1;
    case SYS_creat:
        v[0] = NAME(AT_FDCWD, 0, CREATE, 1);
        return 1;
    case SYS_truncate:
        v[0] = NAME(AT_FDCWD, 0, ATTR, 1);
        return 1;
    case SYS_mkdir:
    case SYS_mknod:
        v[0] = NEW(AT_FDCWD, 0);
        return 1;
    case SYS_rmdir:
    case SYS_unlink:
        v[0] = NAME(AT_FDCWD, 0, ENTRY, 0);
        return 1;
    case SYS_mkdirat:
    case SYS_mknodat:
        v[0] = NEW(a[0], 1);
        return 1;
    case SYS_unlinkat:
        v[0] = NAME(a[0], 1, ENTRY, 0);
        return 1;
    case SYS_rename:
        v[0] = NAME(AT_FDCWD, 0, ENTRY, 0);
        v[1] = NAME(AT_FDCWD, 1, ENTRY, 0);
        return 2;
    case SYS_renameat:
    case SYS_renameat2:
        v[0] = NAME(a[0], 1, ENTRY, 0);
        v[1] = NAME(a[2], 3, ENTRY, 0);
        return 2;
    case SYS_link:
        v[0] = NAME(AT_FDCWD, 0, ATTR, 0);
        v[1] = NEW(AT_FDCWD, 1);
        return 2;
    case SYS_linkat:
        v[0] = NAME(a[0], 1, ATTR, (a[4] & AT_SYMLINK_FOLLOW) != 0);
        v[0].empty = (a[4] & AT_EMPTY_PATH) != 0;
        v[1] = NEW(a[2], 3);
        return 2;
    case SYS_symlink:
        v[0] = NEW(AT_FDCWD, 1);
        return 1;
    case SYS_symlinkat:
        v[0] = NEW(a[1], 2);
        return 1;
    case SYS_chmod:
    case SYS_chown:
    case SYS_utime:
    case SYS_utimes:
    case SYS_setxattr:
    case SYS_removexattr:
        v[0] = NAME(AT_FDCWD, 0, ATTR, 1);
        return 1;
    case SYS_lchown:
    case SYS_lsetxattr:
    case SYS_lremovexattr:
        v[0] = NAME(AT_FDCWD, 0, ATTR, 0);
        return 1;
    case SYS_fchmod:
    case SYS_fchown:
    case SYS_fsetxattr:
    case SYS_fremovexattr:
        v[0] = NAME(a[0], -1, ATTR, 0);
        return 1;
    case SYS_fchmodat:
        v[0] = NAME(a[0], 1, ATTR, 1);
        return 1;
    case SYS_futimesat:
        v[0] = NAME(a[0], 1, ATTR, 1);
        v[0].empty = 1;                          /* NULL: dirfd itself */
        return 1;
    case SYS_fchmodat2:
    case SYS_utimensat:
        v[0] = NAME(a[0], 1, ATTR, AT_NOFOLLOW(a[3]));
        v[0].empty = c->nr == SYS_utimensat || (a[3] & AT_EMPTY_PATH);
        return 1;
    case SYS_fchownat:
    case SYS_file_setattr:
        v[0] = NAME(a[0], 1, ATTR, AT_NOFOLLOW(a[4]));
        v[0].empty = (a[4] & AT_EMPTY_PATH) != 0;
        return 1;
    case SYS_setxattrat:
    case SYS_removexattrat:
        v[0] = NAME(a[0], 1, ATTR, AT_NOFOLLOW(a[2]));
        v[0].empty = (a[2] & AT_EMPTY_PATH) != 0;
        return 1;
    }
    return 0;
}

/* Every path-changing call: copy its names, judge them, make the call
 * with the copies (rs_pin_arg: out of process, where the program cannot
 * change them before the kernel reads them). */
static long on_path_call(struct rs_call *c)
{
    struct name v[2];
    long lens[2] = {-1, -1};
    int n = restrict_write ? names_of(c, v) : 0;

    if (!n)
        return rs_pass(c);
    struct scratch *s = scratch_get();
    if (!s)
        return -ENOMEM;
    long r = 0;
    for (int i = 0; i < n && !r; i++) {
        const char *up = v[i].idx >= 0 ? (const char *)c->arg[v[i].idx] : NULL;
        if (v[i].idx >= 0 && !(v[i].empty && !up)) {
            long len = rs_copy_in_str(s->path[i], up, PM);
            if (len < 0) {
                r = len;
                break;
            }
            lens[i] = len;
            if (len > 0 || !v[i].empty) {
                r = judge(c, s, v[i].dirfd, s->path[i], v[i].kind, v[i].follow, v[i].excl);
                continue;
            }
        }
        r = judge_fd(c, s, v[i].dirfd);
    }
    for (int i = 0; i < n && !r; i++)
        if (lens[i] >= 0)
            r = rs_pin_arg(c, v[i].idx, s->path[i], (size_t)lens[i] + 1);
    if (!r)
        r = rs_pass(c);
    scratch_put(s);
    return r;
}

/* openat2: the flags live in struct open_how, in the program's memory. */
struct how_ {
    uint64_t flags, mode, resolve;
};

static long on_openat2(struct rs_call *c)
{
    size_t size = (size_t)c->arg[3];

    if (!restrict_write || size < sizeof(struct how_))
        return rs_pass(c);                       /* the kernel's EINVAL */
    if (size > PM)
        return -E2BIG;                           /* as the kernel: more than a page */
    struct scratch *s = scratch_get();
    if (!s)
        return -ENOMEM;
    long r = copy_all(s->blob, (const void *)c->arg[2], size), len = -1;
    struct how_ how;
    memcpy(&how, s->blob, sizeof(how));
    if (!r && open_writes((long)how.flags)) {
        len = rs_copy_in_str(s->path[0], (const char *)c->arg[1], PM);
        if (len < 0) {
            r = len;
        } else {
            if (how.resolve & RESOLVE_IN_ROOT_) {
                /* absolute names and symlinks stay below dirfd: judge dirfd */
                r = judge_fd(c, s, (int)c->arg[0]);
            } else {
                struct name v = open_name((int)c->arg[0], 1, (long)how.flags);
                r = judge(c, s, v.dirfd, s->path[0], v.kind, v.follow, v.excl);
            }
        }
    }
    if (!r)                                      /* the flags judged are the flags used */
        r = rs_pin_arg(c, 2, s->blob, size);
    if (!r && len >= 0)
        r = rs_pin_arg(c, 1, s->path[0], (size_t)len + 1);
    if (!r)
        r = rs_pass(c);
    scratch_put(s);
    return r;
}

/* bind() of a unix socket to a path creates the socket file. */
static long on_bind(struct rs_call *c)
{
    size_t len = (size_t)c->arg[2];

    if (!restrict_write || len <= sizeof(sa_family_t) || len > sizeof(struct sockaddr_un))
        return rs_pass(c);
    struct scratch *s = scratch_get();
    if (!s)
        return -ENOMEM;
    long r = copy_all(s->blob, (const void *)c->arg[1], len);
    const struct sockaddr_un *un = (const void *)s->blob;
    if (!r && un->sun_family == AF_UNIX && un->sun_path[0]) {
        size_t n = len - sizeof(sa_family_t);
        memcpy(s->path[0], un->sun_path, n);
        s->path[0][n] = 0;
        r = judge(c, s, AT_FDCWD, s->path[0], ENTRY, 0, 0);
        if (!r)
            r = rs_pin_arg(c, 1, s->blob, len);
    }
    if (!r)
        r = rs_pass(c);
    scratch_put(s);
    return r;
}

static const char *family_name(long f)
{
    switch (f) {
    case AF_INET: return "AF_INET";
    case AF_INET6: return "AF_INET6";
    case AF_PACKET: return "AF_PACKET";
    case AF_VSOCK: return "AF_VSOCK";
    case AF_BLUETOOTH: return "AF_BLUETOOTH";
    case AF_CAN: return "AF_CAN";
    case AF_ALG: return "AF_ALG";
    case AF_XDP: return "AF_XDP";
    }
    return NULL;
}

static long on_socket(struct rs_call *c)
{
    long f = c->arg[0];

    if (deny_net && f != AF_UNIX && f != AF_NETLINK) {
        char num[32];
        const char *name = family_name(f);
        if (!name)
            rs_snprintf(num, sizeof(num), "address family %ld", f);
        return deny(c, name ? name : num, "deny-net", EACCES);
    }
    return rs_pass(c);
}

static long on_io_uring(struct rs_call *c)
{
    if (restrict_write || deny_net)
        return deny(c, "io_uring", "its requests would bypass the sandbox", EPERM);
    return rs_pass(c);
}

static long on_open_by_handle(struct rs_call *c)
{
    if (restrict_write && open_writes(c->arg[2]))
        return deny(c, "(file handle)", "write by file handle cannot be checked", EACCES);
    return rs_pass(c);
}

/* ---- namespaces, mounts and other processes ----
 *
 * A new mount namespace lets a process rearrange the tree the policy was
 * written for (bind an outside directory below an allowed one, then
 * write "inside"); a new user namespace is the unprivileged way to get
 * one, and to chroot.  Tracing or writing into another process, or
 * taking its fds, leaves the wrapper behind altogether.  While a policy
 * is set these fail with EPERM, as where the kernel forbids them, unless
 * allow-mount=yes / allow-ptrace=yes say otherwise. */

#define NS_FLAGS (CLONE_NEWNS_ | CLONE_NEWUSER_)
#define CLONE_NEWNS_ 0x00020000L
#define CLONE_NEWUSER_ 0x10000000L
#define NS_GET_NSTYPE_ 0xb703          /* _IO(0xb7, 0x3) */
#define CLONE_ARGS_MIN 64              /* CLONE_ARGS_SIZE_VER0 */

static int policy_set(void)
{
    return restrict_write || restrict_exec || deny_net;
}

static long deny_ns(struct rs_call *c, const char *what)
{
    return deny(c, what, "namespaces and mounts are not allowed (allow-mount=yes allows them)",
                EPERM);
}

static long on_mount_call(struct rs_call *c)
{
    if (policy_set() && !allow_mount)
        return deny_ns(c, "(mount table)");
    return rs_pass(c);
}

static long on_unshare_clone(struct rs_call *c)
{
    if (policy_set() && !allow_mount && (c->arg[0] & NS_FLAGS))
        return deny_ns(c, c->arg[0] & CLONE_NEWUSER_ ? "CLONE_NEWUSER" : "CLONE_NEWNS");
    return rs_pass(c);
}

/* clone3's flags live in struct clone_args: the call is made with a copy,
 * so what was checked is what the kernel reads. */
static long on_clone3(struct rs_call *c)
{
    size_t size = (size_t)c->arg[1];
    uint64_t flags;

    if (!policy_set() || allow_mount || size < CLONE_ARGS_MIN || size > PM)
        return rs_pass(c);                       /* the kernel's EINVAL / E2BIG */
    struct scratch *s = scratch_get();
    if (!s)
        return -ENOMEM;
    long r = copy_all(s->blob, (const void *)c->arg[0], size);
    memcpy(&flags, s->blob, sizeof(flags));
    if (!r && (flags & NS_FLAGS))
        r = deny_ns(c, flags & CLONE_NEWUSER_ ? "CLONE_NEWUSER" : "CLONE_NEWNS");
    if (!r)
        r = rs_pin_arg(c, 0, s->blob, size);
    if (!r)
        r = rs_pass(c);
    scratch_put(s);
    return r;
}

/* setns(fd, 0) joins whatever namespace fd is: ask the kernel which. */
static long on_setns(struct rs_call *c)
{
    long type = c->arg[1];

    if (!policy_set() || allow_mount)
        return rs_pass(c);
    if (!type) {
        long pfd = rs_program_fd((int)c->arg[0]);
        type = rs_syscall(SYS_ioctl, pfd, NS_GET_NSTYPE_, 0);
        rs_program_fd_done(pfd);
    }
    if (type > 0 && (type & NS_FLAGS))
        return deny_ns(c, type & CLONE_NEWUSER_ ? "user namespace" : "mount namespace");
    return rs_pass(c);
}

static long deny_proc(struct rs_call *c, const char *what)
{
    return deny(c, what, "process outside the sandbox's reach (allow-ptrace=yes allows this)", EPERM);
}

#define KCMP_VM_ 1
#define PTRACE_ATTACH_ 16
#define PTRACE_SEIZE_ 0x4206

/* The parent of pid, from /proc/PID/stat ("pid (comm) state ppid ..."; comm
 * may hold ')' and spaces: the last ')' ends it).  -1 if unknown. */
/* The start of a small /proc file, NUL-terminated: its length, or <= 0. */
static long read_proc(const char *path, char *buf, size_t size)
{
    long fd = rs_syscall(SYS_openat, AT_FDCWD, path, O_RDONLY | O_CLOEXEC);
    long n;

    if (fd < 0)
        return fd;
    n = rs_syscall(SYS_read, fd, buf, size - 1);
    rs_syscall(SYS_close, fd);
    buf[n > 0 ? n : 0] = 0;
    return n;
}

static long parent_of(long pid)
{
    char path[40], buf[512];

    rs_snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
    if (read_proc(path, buf, sizeof(buf)) <= 0)
        return -1;
    const char *p = NULL;
    for (const char *q = buf; *q; q++)
        if (*q == ')')
            p = q;
    if (!p || p[1] != ' ' || !p[2] || p[3] != ' ')
        return -1;
    const char *d = p + 4, *e = d;
    while (*e >= '0' && *e <= '9')
        e++;
    return e > d ? parse_num(d, (size_t)(e - d)) : -1;
}

/* Another process is within the sandbox's reach when it shares this
 * process's memory (it runs this very wrapper: LeakSanitizer's tracer) or
 * descends from it (everything a sandboxed process starts stays
 * sandboxed: the execs that would leave are refused).  Tracing those, or
 * writing into them, gives nothing the program could not do to itself;
 * any other process — the user's shell, a daemon — is out of reach. */
static int within_reach(long pid)
{
    long self = rs_getpid();

    if (pid <= 0)
        return 0;
    if (rs_syscall(SYS_kcmp, self, pid, KCMP_VM_, 0, 0) == 0)
        return 1;
    for (int hops = 0; hops < 4096 && pid > 1; hops++) {
        pid = parent_of(pid);
        if (pid == self)
            return 1;
    }
    return 0;
}

/* The pid the program's pidfd refers to, or -1. */
static long pidfd_pid_of(long pidfd)
{
    char buf[1024];

    return pidfd < 0 || pidfd > 0x7fffffff ? -1 : rs_program_pidfd_pid((int)pidfd, buf, sizeof(buf));
}

/* Becoming the tracer of a process out of reach would let this program
 * drive it past its own rules (it is not sandboxed).  PTRACE_TRACEME makes
 * the parent the tracer: the parent's choice, not a way out. */
static long on_ptrace(struct rs_call *c)
{
    long req = c->arg[0];

    if (policy_set() && !allow_ptrace && (req == PTRACE_ATTACH_ || req == PTRACE_SEIZE_) &&
        !within_reach(c->arg[1]))
        return deny_proc(c, "ptrace");
    return rs_pass(c);
}

static long on_vm_writev(struct rs_call *c)
{
    if (policy_set() && !allow_ptrace && !within_reach(c->arg[0]))
        return deny_proc(c, "process_vm_writev");
    return rs_pass(c);
}

/* Another process's fds were not granted by this sandbox. */
static long on_pidfd_getfd(struct rs_call *c)
{
    if (policy_set() && !allow_ptrace && !within_reach(pidfd_pid_of(c->arg[0])))
        return deny_proc(c, "pidfd_getfd");
    return rs_pass(c);
}

/* ---- exec ---- */

/* One program of the chain the kernel will run, open as fd (O_PATH) with
 * real path real: allowed by allow-exec, and one that runsel would run
 * wrapped (not set-user/group-ID, not file capabilities, readable).  0
 * with *rfd open for reading its head, or -errno. */
static long judge_program(struct rs_call *c, long fd, const char *real, const struct stat *st,
                          long *rfd)
{
    char proc[40];

    *rfd = -1;
    if (restrict_exec && !exec_allowed(globs, globs_real, nglobs, real))
        return deny(c, real, "exec outside allow-exec", EACCES);
    if (st->st_mode & (S_ISUID | S_ISGID))
        return deny(c, real, "set-user/group-ID program would run outside the sandbox", EACCES);
    rs_snprintf(proc, sizeof(proc), RS_OWN_PROC "/fd/%d", (int)fd);   /* fd: open_program's */
    *rfd = rs_syscall(SYS_openat, AT_FDCWD, proc, O_RDONLY | O_CLOEXEC);
    if (*rfd == -EACCES || *rfd == -EPERM)
        return deny(c, real, "unreadable program would run outside the sandbox", EACCES);
    if (*rfd >= 0 && rs_syscall(SYS_fgetxattr, *rfd, "security.capability", 0, 0) > 0)
        return deny(c, real, "program with file capabilities would run outside the sandbox", EACCES);
    return 0;
}



/* Open one program of the chain: O_PATH fd (the sandbox's own), its real
 * path in real and its stat.  1 when it is a regular file, 0 when it is
 * not (the kernel gives its own error), or -errno (the kernel's, too).
 * dirfd is the program's. */
static long open_program(int dirfd, const char *path, int nofollow, long *fd, char *real,
                         struct stat *st)
{
    long r, hd = rs_program_dirfd(dirfd, path);

    if (path[0])
        *fd = rs_syscall(SYS_openat, hd, path, O_PATH | O_CLOEXEC | (nofollow ? O_NOFOLLOW : 0));
    else
        *fd = rs_syscall(SYS_fcntl, hd, F_DUPFD_CLOEXEC, 0);
    rs_program_fd_done(hd);
    if (*fd < 0)
        return *fd;
    if ((r = fd_path((int)*fd, real)) < 0 || (r = rs_syscall(SYS_fstat, *fd, st)) < 0)
        return r;
    return S_ISREG(st->st_mode) ? 1 : 0;
}

/* Every program the kernel will run for this exec — the file named, and
 * for a #! script its interpreter, and that one's, up to RS_SHEBANG_DEPTH —
 * must pass judge_program.  0 or -errno. */
static long judge_chain(struct rs_call *c, struct scratch *s, int dirfd, const char *path,
                        int nofollow)
{
    struct stat st;
    long r = 0;

    rs_strlcpy(s->w, path, PM);
    for (int depth = 0; !r; depth++) {
        long fd = -1, rfd = -1;
        r = open_program(depth ? AT_FDCWD : dirfd, s->w, depth ? 0 : nofollow, &fd, s->b, &st);
        if (r == 1)
            r = judge_program(c, fd, s->b, &st, &rfd);
        else if (r == 0)
            r = 1;                               /* not a regular file: the kernel's error */
        long n = r == 0 && rfd >= 0 ? rs_syscall(SYS_pread64, rfd, s->blob, RS_SHEBANG_HEAD, 0) : 0;
        if (fd >= 0)
            rs_syscall(SYS_close, fd);
        if (rfd >= 0)
            rs_syscall(SYS_close, rfd);
        if (r)
            break;
        /* the next program: the interpreter, as the kernel reads the line
         * (not a script, or a line it refuses: the chain ends here) */
        const char *interp, *arg;
        if (n <= 0 || rs_shebang((char *)s->blob, (size_t)n, &interp, &arg) != 1 ||
            rs_strlcpy(s->w, interp, PM) >= PM)
            return 0;
        if (depth == RS_SHEBANG_DEPTH)
            return deny(c, s->w, "#! interpreters nested too deeply to check", ELOOP);
    }
    return r < 0 ? r : 0;
}

static long on_exec(struct rs_call *c)
{
    int at = c->nr == SYS_execveat;
    int dirfd = at ? (int)c->arg[0] : AT_FDCWD;
    long flags = at ? c->arg[4] : 0;

    if (!policy_set())
        return rs_pass(c);
    struct scratch *s = scratch_get();
    if (!s)
        return -ENOMEM;
    long r = rs_copy_in_str(s->path[0], (const char *)c->arg[at], PM);
    if (r >= 0) {
        long len = r;
        if (!s->path[0][0] && !(flags & AT_EMPTY_PATH))
            r = -ENOENT;
        else
            r = judge_chain(c, s, dirfd, s->path[0], (flags & AT_SYMLINK_NOFOLLOW) != 0);
        if (r >= 0)
            r = rs_pin_arg(c, at, s->path[0], (size_t)len + 1);
    }
    if (r >= 0)
        r = rs_pass(c);                          /* does not return on success */
    scratch_put(s);
    return r;
}

/* ---- options ---- */

static int yes_no(const struct rs_options *o, const char *key, int *out, char *err, size_t errsize)
{
    const char *v = rs_opt(o, key);

    *out = 0;
    if (!v || !rs_strcmp(v, "no"))
        return 0;
    if (!rs_strcmp(v, "yes")) {
        *out = 1;
        return 0;
    }
    rs_snprintf(err, errsize, "%s=%s: expected yes or no", key, v);
    return -1;
}

static char *dup_str(const char *s, size_t n)
{
    char *d = rs_alloc(n + 1);

    if (d) {
        memcpy(d, s, n);
        d[n] = 0;
    }
    return d;
}

static size_t count_words(const char *v)
{
    size_t n = 0, len;
    const char *cur = v;

    while (rs_next_word(&cur, ':', &len))
        n++;
    return n;
}

static int parse_dirs(const char *v, char *err, size_t errsize)
{
    static char path[PM], real[PM];
    const char *cur = v, *w;
    size_t len;

    restrict_write = 1;
    dirs = rs_alloc(sizeof(*dirs) * (count_words(v) + 1));
    if (!dirs)
        goto nomem;
    while ((w = rs_next_word(&cur, ':', &len))) {
        if (w[0] != '/') {
            rs_snprintf(err, errsize, "allow-write: '%.*s' is not an absolute path", (int)len, w);
            return -1;
        }
        if (len >= PM) {
            rs_snprintf(err, errsize, "allow-write: a path is too long");
            return -1;
        }
        memcpy(real, w, len);
        real[len] = 0;
        if (rs_path_normalize(real, path, PM)) {
            rs_snprintf(err, errsize, "allow-write: '%.*s': bad path", (int)len, w);
            return -1;
        }
        struct dir *d = &dirs[ndirs++];
        d->name = dup_str(path, rs_strlen(path));
        long fd = rs_syscall(SYS_openat, AT_FDCWD, path, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (fd == -ENOTDIR) {
            rs_snprintf(err, errsize, "allow-write: '%s' is not a directory", path);
            return -1;
        }
        if (fd >= 0 && fd_path((int)fd, real) > 0 && real[0] == '/')
            d->real = dup_str(real, rs_strlen(real));
        else
            d->real = d->name;                   /* not there (yet): its name is all we know */
        if (fd >= 0)
            rs_syscall(SYS_close, fd);
        if (!d->name || !d->real)
            goto nomem;
        d->nlen = rs_strlen(d->name);
        d->rlen = rs_strlen(d->real);
    }
    return 0;
nomem:
    rs_snprintf(err, errsize, "allow-write: too many directories");
    return -1;
}

/* The real path of an allow-exec entry that names one file (no
 * wildcards), NULL otherwise or when it does not exist. */
static const char *resolve_literal(const char *g)
{
    static char real[PM];

    for (const char *p = g; *p; p++)
        if (*p == '*' || *p == '?')
            return NULL;
    long fd = rs_syscall(SYS_openat, AT_FDCWD, g, O_PATH | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    long n = fd_path((int)fd, real);
    rs_syscall(SYS_close, fd);
    return n > 0 && real[0] == '/' ? dup_str(real, (size_t)n) : NULL;
}

static int parse_globs(const char *v, char *err, size_t errsize)
{
    const char *cur = v, *w;
    size_t len;

    restrict_exec = 1;
    globs = rs_alloc(sizeof(*globs) * (count_words(v) + 1));
    globs_real = rs_alloc(sizeof(*globs_real) * (count_words(v) + 1));
    if (!globs || !globs_real)
        goto nomem;
    while ((w = rs_next_word(&cur, ':', &len))) {
        if (w[0] != '/') {
            rs_snprintf(err, errsize, "allow-exec: '%.*s' is not an absolute path or glob",
                        (int)len, w);
            return -1;
        }
        if (!(globs[nglobs] = dup_str(w, len)))
            goto nomem;
        globs_real[nglobs] = resolve_literal(globs[nglobs]);
        nglobs++;
    }
    return 0;
nomem:
    rs_snprintf(err, errsize, "allow-exec: too many globs");
    return -1;
}

/* format= and audit=; the audit socket when /dev/log is there (without
 * a system log daemon's socket, nothing is kept and nothing recorded). */
static int open_audit(const struct rs_options *o, char *err, size_t errsize)
{
    static const char *const yes_no_words[] = {"yes", "no", NULL};
    int no_audit = 0;
    struct stat st;

    audit_log.fd = -1;
    if (rs_opt_format(o, &json, err, errsize) ||
        rs_opt_choice(o, "audit", yes_no_words, &no_audit, err, errsize))
        return -1;
    audit = !no_audit;
    if (audit && !rs_syscall(SYS_newfstatat, AT_FDCWD, RS_SYSLOG_PATH, &st, 0) &&
        S_ISSOCK(st.st_mode) && rs_syslog_open(&audit_log, RS_FAC_AUTHPRIV, 0) < 0)
        audit_log.fd = -1;        /* no kept socket: no record, the policy stands */
    return 0;
}

static int sandbox_init(const struct rs_options *o, char *err, size_t errsize)
{
    if (rs_opt_check(o, err, errsize))
        return -1;
    const char *w = rs_opt(o, "allow-write"), *x = rs_opt(o, "allow-exec");
    if (yes_no(o, "deny-net", &deny_net, err, errsize) || yes_no(o, "quiet", &quiet, err, errsize) ||
        yes_no(o, "allow-mount", &allow_mount, err, errsize) ||
        yes_no(o, "allow-ptrace", &allow_ptrace, err, errsize))
        return -1;
    if (w && parse_dirs(w, err, errsize))
        return -1;
    if (x && parse_globs(x, err, errsize))
        return -1;
    return open_audit(o, err, errsize);
}

/* ---- backstops (ABI 1.6 rules, RS_RULE_BACKSTOP)
 *
 * What of the policy the kernel can say from the arguments alone: with
 * placement=kernel these run as a seccomp filter too, so a program that
 * gets past this code in its own memory still meets them; everywhere the
 * code above decides first (and prints its line).  Paths, clone3's flags
 * (in memory), setns on a descriptor of unknown type and the processes
 * ptrace may reach need the code: they are not here.  Nor connect, bind or
 * sendto on an INET socket: the socket's family is not an argument of
 * theirs (deny-net stops such sockets at socket(), which is). */
#define AF_UNIX_ 1
#define AF_NETLINK_ 16

static int add_backstop(struct rs_rule *out, int *n, int max, int nr, int err, int arg, int op,
                        uint64_t a, uint64_t b)
{
    if (*n == max)
        return -1;
    struct rs_rule *r = &out[(*n)++];
    memset(r, 0, sizeof(*r));
    r->nr = nr;
    r->action = RS_RULE_ERRNO;
    r->err = (unsigned short)err;
    r->flags = RS_RULE_BACKSTOP;
    if (op) {
        r->nconds = 1;
        r->cond[0] = (struct rs_cond){.arg = (unsigned char)arg, .op = (unsigned char)op, .a = a, .b = b};
    }
    return 0;
}

static int sandbox_rules(const struct rs_options *o, struct rs_rule *out, int max, char *err,
                         size_t errsize)
{
    static const int mount_calls[] = {SYS_mount, SYS_umount2, SYS_pivot_root, SYS_chroot,
                                      SYS_open_tree, SYS_open_tree_attr, SYS_move_mount,
                                      SYS_fsopen, SYS_fsconfig, SYS_fsmount, SYS_fspick,
                                      SYS_mount_setattr};
    static const int ns_calls[] = {SYS_unshare, SYS_clone};
    int net, mnt, q, n = 0, bad = 0;

    if (rs_opt_check(o, err, errsize) || yes_no(o, "deny-net", &net, err, errsize) ||
        yes_no(o, "quiet", &q, err, errsize) || yes_no(o, "allow-mount", &mnt, err, errsize))
        return -1;
    int policy = net || rs_opt(o, "allow-write") || rs_opt(o, "allow-exec");
    if (net) {                    /* every family but AF_UNIX and AF_NETLINK (on_socket) */
        bad |= add_backstop(out, &n, max, SYS_socket, EACCES, 0, RS_RULE_EQ, 0, 0);
        bad |= add_backstop(out, &n, max, SYS_socket, EACCES, 0, RS_RULE_RANGE, AF_UNIX_ + 1,
                            AF_NETLINK_ - 1);
        bad |= add_backstop(out, &n, max, SYS_socket, EACCES, 0, RS_RULE_RANGE, AF_NETLINK_ + 1,
                            ~(uint64_t)0);
    }
    if (policy)                   /* on_io_uring */
        bad |= add_backstop(out, &n, max, SYS_io_uring_setup, EPERM, 0, 0, 0, 0);
    if (policy && !mnt) {         /* on_mount_call, on_unshare_clone, on_setns */
        for (size_t i = 0; i < sizeof(mount_calls) / sizeof(mount_calls[0]); i++)
            bad |= add_backstop(out, &n, max, mount_calls[i], EPERM, 0, 0, 0, 0);
        for (size_t i = 0; i < sizeof(ns_calls) / sizeof(ns_calls[0]); i++) {
            bad |= add_backstop(out, &n, max, ns_calls[i], EPERM, 0, RS_RULE_MASKED, CLONE_NEWNS_,
                                CLONE_NEWNS_);
            bad |= add_backstop(out, &n, max, ns_calls[i], EPERM, 0, RS_RULE_MASKED,
                                CLONE_NEWUSER_, CLONE_NEWUSER_);
        }
        bad |= add_backstop(out, &n, max, SYS_setns, EPERM, 1, RS_RULE_MASKED, CLONE_NEWNS_,
                            CLONE_NEWNS_);
        bad |= add_backstop(out, &n, max, SYS_setns, EPERM, 1, RS_RULE_MASKED, CLONE_NEWUSER_,
                            CLONE_NEWUSER_);
    }
    if (bad) {
        rs_snprintf(err, errsize, "more than %d rules", max);
        return -1;
    }
    return n;
}

static const struct rs_handler handlers[] = {
    RS_OVERRIDE_CALL(SYS_open, on_path_call),
    RS_OVERRIDE_CALL(SYS_openat, on_path_call),
    RS_OVERRIDE_CALL(SYS_openat2, on_openat2),
    RS_OVERRIDE_CALL(SYS_creat, on_path_call),
    RS_OVERRIDE_CALL(SYS_truncate, on_path_call),
    RS_OVERRIDE_CALL(SYS_mkdir, on_path_call),
    RS_OVERRIDE_CALL(SYS_mkdirat, on_path_call),
    RS_OVERRIDE_CALL(SYS_mknod, on_path_call),
    RS_OVERRIDE_CALL(SYS_mknodat, on_path_call),
    RS_OVERRIDE_CALL(SYS_rmdir, on_path_call),
    RS_OVERRIDE_CALL(SYS_unlink, on_path_call),
    RS_OVERRIDE_CALL(SYS_unlinkat, on_path_call),
    RS_OVERRIDE_CALL(SYS_rename, on_path_call),
    RS_OVERRIDE_CALL(SYS_renameat, on_path_call),
    RS_OVERRIDE_CALL(SYS_renameat2, on_path_call),
    RS_OVERRIDE_CALL(SYS_link, on_path_call),
    RS_OVERRIDE_CALL(SYS_linkat, on_path_call),
    RS_OVERRIDE_CALL(SYS_symlink, on_path_call),
    RS_OVERRIDE_CALL(SYS_symlinkat, on_path_call),
    RS_OVERRIDE_CALL(SYS_chmod, on_path_call),
    RS_OVERRIDE_CALL(SYS_fchmod, on_path_call),
    RS_OVERRIDE_CALL(SYS_fchmodat, on_path_call),
    RS_OVERRIDE_CALL(SYS_fchmodat2, on_path_call),
    RS_OVERRIDE_CALL(SYS_chown, on_path_call),
    RS_OVERRIDE_CALL(SYS_fchown, on_path_call),
    RS_OVERRIDE_CALL(SYS_lchown, on_path_call),
    RS_OVERRIDE_CALL(SYS_fchownat, on_path_call),
    RS_OVERRIDE_CALL(SYS_utime, on_path_call),
    RS_OVERRIDE_CALL(SYS_utimes, on_path_call),
    RS_OVERRIDE_CALL(SYS_futimesat, on_path_call),
    RS_OVERRIDE_CALL(SYS_utimensat, on_path_call),
    RS_OVERRIDE_CALL(SYS_setxattr, on_path_call),
    RS_OVERRIDE_CALL(SYS_lsetxattr, on_path_call),
    RS_OVERRIDE_CALL(SYS_fsetxattr, on_path_call),
    RS_OVERRIDE_CALL(SYS_removexattr, on_path_call),
    RS_OVERRIDE_CALL(SYS_lremovexattr, on_path_call),
    RS_OVERRIDE_CALL(SYS_fremovexattr, on_path_call),
    RS_OVERRIDE_CALL(SYS_setxattrat, on_path_call),
    RS_OVERRIDE_CALL(SYS_removexattrat, on_path_call),
    RS_OVERRIDE_CALL(SYS_file_setattr, on_path_call),
    RS_OVERRIDE_CALL(SYS_bind, on_bind),
    RS_OVERRIDE_CALL(SYS_socket, on_socket),
    RS_OVERRIDE_CALL(SYS_io_uring_setup, on_io_uring),
    RS_OVERRIDE_CALL(SYS_open_by_handle_at, on_open_by_handle),
    RS_OVERRIDE_CALL(SYS_unshare, on_unshare_clone),
    RS_OVERRIDE_CALL(SYS_clone, on_unshare_clone),
    RS_OVERRIDE_CALL(SYS_clone3, on_clone3),
    RS_OVERRIDE_CALL(SYS_setns, on_setns),
    RS_OVERRIDE_CALL(SYS_mount, on_mount_call),
    RS_OVERRIDE_CALL(SYS_umount2, on_mount_call),
    RS_OVERRIDE_CALL(SYS_pivot_root, on_mount_call),
    RS_OVERRIDE_CALL(SYS_chroot, on_mount_call),
    RS_OVERRIDE_CALL(SYS_open_tree, on_mount_call),
    RS_OVERRIDE_CALL(SYS_open_tree_attr, on_mount_call),
    RS_OVERRIDE_CALL(SYS_move_mount, on_mount_call),
    RS_OVERRIDE_CALL(SYS_fsopen, on_mount_call),
    RS_OVERRIDE_CALL(SYS_fsconfig, on_mount_call),
    RS_OVERRIDE_CALL(SYS_fsmount, on_mount_call),
    RS_OVERRIDE_CALL(SYS_fspick, on_mount_call),
    RS_OVERRIDE_CALL(SYS_mount_setattr, on_mount_call),
    RS_OVERRIDE_CALL(SYS_ptrace, on_ptrace),
    RS_OVERRIDE_CALL(SYS_process_vm_writev, on_vm_writev),
    RS_OVERRIDE_CALL(SYS_pidfd_getfd, on_pidfd_getfd),
    RS_OVERRIDE_CALL(SYS_execve, on_exec),
    RS_OVERRIDE_CALL(SYS_execveat, on_exec),
};

RS_OPTIONS("allow-write", "allow-exec", "deny-net", "allow-mount", "allow-ptrace", "quiet",
           "format", "audit");
/* The calls it lets through carry its checked copies (rs_pin_arg): in
 * process its own memory, out of process the program's pinned area. */
RS_WRAPPER("sandbox", handlers, .summary = "confine writes, exec and network to a policy",
           .flags = RS_ENFORCES, .init = sandbox_init, .rules = sandbox_rules);
