/* nsprobe — the calls a sandboxed program could use to leave the policy
 * behind: new namespaces, mounts, other processes.
 *
 *   nsprobe escape OUTSIDE DIR   unshare(CLONE_NEWUSER|CLONE_NEWNS), bind
 *                                OUTSIDE over DIR, create DIR/escaped:
 *                                prints each step, exit 0 if it was written
 *   nsprobe calls                each call once, in a child of its own:
 *                                one line "NAME ok" or "NAME ERRNO-NAME"
 *                                ("traced": the child became our tracee)
 *   nsprobe interp:FILE SCRIPT   as a #! interpreter ("#!nsprobe interp:FILE"):
 *                                prints its euid and creates FILE — what
 *                                a program that escaped would do
 *
 * Raw system calls throughout: what is tested is the call, not a libc
 * wrapper's idea of it.  The new namespaces are a user namespace's, so a
 * bind mount made there never propagates to the machine's mounts. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *errname(int e)
{
    switch (e) {
    case 0: return "ok";
    case EPERM: return "EPERM";
    case EACCES: return "EACCES";
    case EINVAL: return "EINVAL";
    case ENOENT: return "ENOENT";
    case EBADF: return "EBADF";
    case ENOSYS: return "ENOSYS";
    case EFAULT: return "EFAULT";
    case ESRCH: return "ESRCH";
    case EBUSY: return "EBUSY";
    case ENOTDIR: return "ENOTDIR";
    }
    return strerror(e);
}

static int escape(const char *outside, const char *dir)
{
    char path[4096];

    if (syscall(SYS_unshare, CLONE_NEWUSER | CLONE_NEWNS)) {
        printf("unshare %s\n", errname(errno));
        return 1;
    }
    puts("unshare ok");
    syscall(SYS_mount, "none", "/", NULL, MS_REC | MS_PRIVATE, NULL);
    if (syscall(SYS_mount, outside, dir, NULL, MS_BIND, NULL)) {
        printf("mount %s\n", errname(errno));
        return 1;
    }
    puts("mount ok");
    snprintf(path, sizeof(path), "%s/escaped", dir);
    int fd = open(path, O_WRONLY | O_CREAT, 0644);
    if (fd < 0 || write(fd, "escaped\n", 8) != 8) {
        printf("write %s\n", errname(errno));
        return 1;
    }
    puts("write ok");
    return 0;
}

struct clone_args_ {
    uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls;
};

/* One call in a child of its own (a new namespace or a tracer stays
 * there); the child reports the errno as its exit status. */
static long one(int which, pid_t parent)
{
    char byte = 0;
    struct iovec lo = {&byte, 1}, re = {&byte, 1};
    struct clone_args_ ca = {.flags = CLONE_NEWUSER, .exit_signal = SIGCHLD};
    long r;

    switch (which) {
    case 0: return syscall(SYS_unshare, CLONE_NEWUSER);
    case 1: return syscall(SYS_unshare, CLONE_NEWNS);
    case 2:
        r = syscall(SYS_clone, CLONE_NEWUSER | SIGCHLD, 0, 0, 0, 0);
        if (r == 0)
            _exit(0);
        return r < 0 ? r : waitpid((pid_t)r, NULL, 0) < 0 ? -1 : 0;
    case 3:
        r = syscall(SYS_clone3, &ca, sizeof(ca));
        if (r == 0)
            _exit(0);
        return r < 0 ? r : waitpid((pid_t)r, NULL, 0) < 0 ? -1 : 0;
    case 4: return syscall(SYS_setns, open("/proc/self/ns/mnt", O_RDONLY), 0);
    case 5: return syscall(SYS_mount, "none", "/proc/self/nonexistent", "tmpfs", 0, NULL);
    case 6: return syscall(SYS_umount2, "/proc/self/nonexistent", 0);
    case 7: return syscall(SYS_pivot_root, "/proc/self/nonexistent", "/proc/self/nonexistent");
    case 8: return syscall(SYS_chroot, "/");
    case 9: r = syscall(SYS_open_tree, AT_FDCWD, "/", 0); return r < 0 ? r : 0;
    case 10: return syscall(SYS_move_mount, -1, "", -1, "", 0);
    case 11: r = syscall(SYS_fsopen, "tmpfs", 0); return r < 0 ? r : 0;
    case 12: return syscall(SYS_fsconfig, -1, 0, NULL, NULL, 0);
    case 13: return syscall(SYS_fsmount, -1, 0, 0);
    case 14: return syscall(SYS_mount_setattr, -1, "", 0, NULL, 0);
    case 15: return syscall(SYS_ptrace, 0 /* PTRACE_TRACEME */, 0, 0, 0);
    case 16: return syscall(SYS_ptrace, 0x4206 /* PTRACE_SEIZE */, parent, 0, 0);
    case 17: return syscall(SYS_process_vm_writev, parent, &lo, 1, &re, 1, 0);
    case 18: {
        int pfd = (int)syscall(SYS_pidfd_open, parent, 0);
        r = syscall(SYS_pidfd_getfd, pfd, 0, 0);
        return r < 0 ? r : 0;
    }
    case 19: r = syscall(SYS_fspick, AT_FDCWD, "/", 0); return r < 0 ? r : 0;
    case 20:
    case 21: {
        pid_t kid = fork();
        if (kid == 0)
            for (;;)
                pause();
        r = which == 20 ? syscall(SYS_ptrace, 0x4206 /* PTRACE_SEIZE */, kid, 0, 0)
                        : syscall(SYS_process_vm_writev, kid, &lo, 1, &re, 1, 0);
        int e = errno;
        kill(kid, SIGKILL);
        waitpid(kid, NULL, 0);
        errno = e;
        return r < 0 ? r : 0;
    }
    }
    return -1;
}

static const char *const names[] = {
    "unshare-user", "unshare-mnt", "clone-user", "clone3-user", "setns-mnt", "mount", "umount2",
    "pivot_root", "chroot", "open_tree", "move_mount", "fsopen", "fsconfig", "fsmount",
    "mount_setattr", "ptrace-traceme", "ptrace-seize", "process_vm_writev", "pidfd_getfd", "fspick",
    "ptrace-seize-child", "process_vm_writev-child",
};

static int calls(void)
{
    pid_t parent = getpid();

    for (int i = 0; i < (int)(sizeof(names) / sizeof(names[0])); i++) {
        fflush(stdout);
        pid_t pid = fork();
        if (pid == 0) {
            errno = 0;
            long r = one(i, parent);
            _exit(r < 0 ? (errno ? errno : 255) : 0);
        }
        int st = 0;
        waitpid(pid, &st, 0);
        if (WIFSTOPPED(st)) {            /* TRACEME worked: we are its tracer now */
            kill(pid, SIGKILL);
            waitpid(pid, NULL, 0);
            printf("%s traced\n", names[i]);
            continue;
        }
        printf("%s %s\n", names[i], WIFEXITED(st) ? errname(WEXITSTATUS(st)) : "killed");
    }
    return 0;
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc == 4 && !strcmp(argv[1], "escape"))
        return escape(argv[2], argv[3]);
    if (argc == 2 && !strcmp(argv[1], "calls"))
        return calls();
    if (argc >= 2 && !strncmp(argv[1], "interp:", 7)) {
        printf("euid %d\n", (int)geteuid());
        int fd = open(argv[1] + 7, O_WRONLY | O_CREAT, 0644);
        return fd < 0 ? 1 : 0;
    }
    fprintf(stderr, "usage: nsprobe escape OUTSIDE DIR | nsprobe calls | nsprobe interp:FILE SCRIPT\n");
    return 2;
}
