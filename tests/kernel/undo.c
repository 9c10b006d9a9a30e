/* undo.c — a program that tries to take off or get round a kernel-placed
 * rule (tests/t_kernel.sh): each mode makes getppid (the call the test's
 * deny fails) after its attempt and prints what it got.
 *   ids     euid and getppid's answer
 *   raw     getppid by a syscall instruction of its own (no libc wrapper)
 *   filter  installs its own filter allowing everything, then getppid
 *   strict  asks for no_new_privs to be cleared and seccomp turned off
 *   own     its own filter failing uname with EACCES: both filters hold
 *   exec P  execs P (a set-user-ID copy of itself, say) with mode ids */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

static const char *answer(long r)
{
    const char *e = r < 0 ? strerrorname_np((int)-r) : "ok";

    return e ? e : "?";
}

static long ppid(void)
{
    long r = syscall(SYS_getppid);
    return r < 0 ? -errno : r;
}

static int load(struct sock_filter *f, unsigned short n)
{
    struct sock_fprog p = {n, f};

    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
    return syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &p) ? -errno : 0;
}

int main(int argc, char **argv)
{
    const char *m = argc > 1 ? argv[1] : "ids";

    if (!strcmp(m, "ids")) {
        printf("euid=%d getppid=%s\n", (int)geteuid(), answer(ppid()));
    } else if (!strcmp(m, "raw")) {
        long r;
        __asm__ volatile("syscall" : "=a"(r) : "a"((long)SYS_getppid) : "rcx", "r11", "memory");
        printf("raw getppid=%s\n", answer(r));
    } else if (!strcmp(m, "filter")) {
        struct sock_filter allow[] = {BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW)};
        int r = load(allow, 1);
        printf("own allow filter=%s getppid=%s\n", answer(r), answer(ppid()));
    } else if (!strcmp(m, "strict")) {
        long a = prctl(PR_SET_NO_NEW_PRIVS, 0, 0, 0, 0) ? -errno : 0;
        long b = prctl(PR_SET_SECCOMP, 0, 0, 0, 0) ? -errno : 0;
        printf("clear nnp=%s seccomp off=%s getppid=%s\n", answer(a), answer(b), answer(ppid()));
    } else if (!strcmp(m, "own")) {
        struct sock_filter f[] = {
            BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
            BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_uname, 0, 1),
            BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EACCES),
            BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
        };
        struct utsname u;
        int r = load(f, 4);
        long un = uname(&u) ? -errno : 0;
        printf("own filter=%s uname=%s getppid=%s\n", answer(r), answer(un), answer(ppid()));
    } else if (!strcmp(m, "exec") && argc > 2) {
        execl(argv[2], argv[2], "ids", (char *)NULL);
        printf("exec %s: %s\n", argv[2], strerror(errno));
        return 1;
    } else {
        fprintf(stderr, "undo: ids|raw|filter|strict|own|exec PROGRAM\n");
        return 2;
    }
    return 0;
}
