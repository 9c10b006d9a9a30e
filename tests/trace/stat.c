/* stat.c — the calls of trace's stat family (trace/stat.c, dirent.c,
 * statfs.c), made deterministically for tests/t_trace_stat.sh, which runs
 * this under strace and under runsel's trace and compares the lines.
 *
 *   stat DIR        DIR: the fixture t_trace_stat.sh made (files of known
 *                   modes and times, a symlink, a fifo, a device when root)
 *   stat DIR fake   also the structures no kernel writes (the fake_ calls):
 *                   trace with follow=no, as strace without -f
 *
 * Every call goes through syscall(2) so that its arguments are exactly
 * the ones written here (libc would turn stat into newfstatat, or add
 * flags), with good pointers, bad ones (a page that is not mapped) and
 * failing calls.  Nothing here writes into DIR's files that another call
 * looks at, so the two runs see the same inodes and times. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <linux/stat.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#ifndef SYS_faccessat2
#define SYS_faccessat2 439
#endif
#ifndef AT_EACCESS
#define AT_EACCESS 0x200
#endif

static const char *dir;
static char *bad;               /* an address with nothing mapped */

static const char *in_dir(const char *name)
{
    static char paths[8][4096];
    static int next;
    char *p = paths[next++ % 8];

    snprintf(p, sizeof(paths[0]), "%s/%s", dir, name);
    return p;
}

static void stat_calls(void)
{
    struct stat st;
    int fd = open(in_dir("f"), O_RDONLY);

    syscall(SYS_stat, in_dir("f"), &st);
    syscall(SYS_stat, in_dir("suid"), &st);
    syscall(SYS_stat, in_dir("old"), &st);
    syscall(SYS_stat, in_dir("future"), &st);
    syscall(SYS_stat, in_dir("sub"), &st);
    syscall(SYS_stat, in_dir("fifo"), &st);
    syscall(SYS_stat, in_dir("blk"), &st);
    syscall(SYS_stat, "/dev/null", &st);
    syscall(SYS_stat, in_dir("missing"), &st);
    syscall(SYS_stat, in_dir("f"), bad);
    syscall(SYS_stat, bad, &st);
    syscall(SYS_stat, NULL, &st);
    syscall(SYS_lstat, in_dir("l"), &st);
    syscall(SYS_lstat, in_dir("sock"), &st);
    syscall(SYS_lstat, in_dir("l"), NULL);
    syscall(SYS_fstat, fd, &st);
    syscall(SYS_fstat, -1, &st);
    syscall(SYS_fstat, fd, bad);
    syscall(SYS_newfstatat, AT_FDCWD, in_dir("l"), &st, 0);
    syscall(SYS_newfstatat, AT_FDCWD, in_dir("l"), &st, AT_SYMLINK_NOFOLLOW);
    syscall(SYS_newfstatat, fd, "", &st, AT_EMPTY_PATH);
    syscall(SYS_newfstatat, fd, "", &st, AT_EMPTY_PATH | AT_NO_AUTOMOUNT | AT_SYMLINK_NOFOLLOW);
    syscall(SYS_newfstatat, AT_FDCWD, in_dir("f"), &st, 0x80000000);
    syscall(SYS_newfstatat, AT_FDCWD, in_dir("f"), bad, 0);
    close(fd);
}

static void statx_calls(void)
{
    struct statx stx;
    int fd = open(in_dir("f"), O_RDONLY);
    int dfd = open(dir, O_RDONLY | O_DIRECTORY);

    syscall(SYS_statx, AT_FDCWD, in_dir("f"), 0, STATX_BASIC_STATS, &stx);
    syscall(SYS_statx, AT_FDCWD, in_dir("suid"), AT_STATX_SYNC_AS_STAT, STATX_ALL, &stx);
    syscall(SYS_statx, AT_FDCWD, in_dir("old"), AT_STATX_FORCE_SYNC, STATX_MODE | STATX_SIZE, &stx);
    syscall(SYS_statx, AT_FDCWD, in_dir("future"), AT_STATX_DONT_SYNC, STATX_BTIME, &stx);
    syscall(SYS_statx, dfd, "l", AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT, STATX_TYPE | STATX_INO, &stx);
    syscall(SYS_statx, fd, "", AT_EMPTY_PATH | AT_STATX_FORCE_SYNC, 0, &stx);
    syscall(SYS_statx, dfd, "blk", 0, STATX_BASIC_STATS, &stx);
    syscall(SYS_statx, AT_FDCWD, "/dev/null", 0, STATX_BASIC_STATS | STATX_MNT_ID, &stx);
    syscall(SYS_statx, AT_FDCWD, in_dir("f"), 0x6000, 0, &stx);
    syscall(SYS_statx, AT_FDCWD, in_dir("f"), 0x40000000, 0x80000000u, &stx);
    syscall(SYS_statx, AT_FDCWD, in_dir("f"), 0, 0x40000fffu, &stx);
    syscall(SYS_statx, AT_FDCWD, in_dir("missing"), 0, STATX_BASIC_STATS, &stx);
    syscall(SYS_statx, AT_FDCWD, in_dir("f"), 0, STATX_BASIC_STATS, bad);
    close(fd);
    close(dfd);
}

/* getdents64 and getdents: the whole directory, then its end, then a
 * buffer too small for one entry, one for two, a bad one, a bad fd. */
static void dirent_calls(void)
{
    static char buf[32768];
    int fd = open(in_dir("few"), O_RDONLY | O_DIRECTORY);

    syscall(SYS_getdents64, fd, buf, sizeof(buf));
    syscall(SYS_getdents64, fd, buf, sizeof(buf));
    lseek(fd, 0, SEEK_SET);
    syscall(SYS_getdents64, fd, buf, 8);
    syscall(SYS_getdents64, fd, buf, 56);
    lseek(fd, 0, SEEK_SET);
    syscall(SYS_getdents64, fd, bad, sizeof(buf));
    syscall(SYS_getdents64, -1, buf, sizeof(buf));
    lseek(fd, 0, SEEK_SET);
    syscall(SYS_getdents, fd, buf, sizeof(buf));
    syscall(SYS_getdents, fd, buf, sizeof(buf));
    lseek(fd, 0, SEEK_SET);
    syscall(SYS_getdents, fd, buf, 8);
    syscall(SYS_getdents, fd, buf, 56);
    lseek(fd, 0, SEEK_SET);
    syscall(SYS_getdents, fd, bad, sizeof(buf));
    close(fd);
    fd = open(dir, O_RDONLY | O_DIRECTORY);
    syscall(SYS_getdents64, fd, buf, sizeof(buf));
    lseek(fd, 0, SEEK_SET);
    syscall(SYS_getdents, fd, buf, sizeof(buf));
    close(fd);
}

/* Pseudo file systems only: their counts do not move between two runs. */
static void statfs_calls(void)
{
    char buf[256];
    int fd = open("/proc", O_RDONLY | O_DIRECTORY);

    syscall(SYS_statfs, "/proc", buf);
    syscall(SYS_statfs, "/sys", buf);
    syscall(SYS_statfs, in_dir("missing"), buf);
    syscall(SYS_statfs, "/proc", bad);
    syscall(SYS_fstatfs, fd, buf);
    syscall(SYS_fstatfs, -1, buf);
    syscall(SYS_fstatfs, fd, NULL);
    close(fd);
}

static void link_access_calls(void)
{
    char buf[256];
    int fd = open(dir, O_RDONLY | O_DIRECTORY);

    syscall(SYS_readlink, in_dir("l"), buf, sizeof(buf));
    syscall(SYS_readlink, in_dir("l"), buf, 1);
    syscall(SYS_readlink, in_dir("f"), buf, sizeof(buf));
    syscall(SYS_readlink, in_dir("l"), bad, sizeof(buf));
    syscall(SYS_readlinkat, fd, "l", buf, sizeof(buf));
    syscall(SYS_readlinkat, AT_FDCWD, in_dir("missing"), buf, sizeof(buf));
    syscall(SYS_access, in_dir("f"), F_OK);
    syscall(SYS_access, in_dir("f"), R_OK | W_OK | X_OK);
    syscall(SYS_access, in_dir("f"), 0x10);
    syscall(SYS_access, in_dir("missing"), R_OK);
    syscall(SYS_faccessat, fd, "f", X_OK);
    syscall(SYS_faccessat, AT_FDCWD, in_dir("f"), R_OK | W_OK);
    syscall(SYS_faccessat2, fd, "f", R_OK, AT_EACCESS | AT_SYMLINK_NOFOLLOW);
    syscall(SYS_faccessat2, fd, "", F_OK, AT_EMPTY_PATH);
    syscall(SYS_faccessat2, fd, "f", F_OK, 0x4);
    close(fd);
}

/* On the files no other call looks at: "t", and the nodes made here. */
static void change_calls(void)
{
    struct timespec ts[2];
    int fd = open(in_dir("t"), O_RDONLY);
    int dfd = open(dir, O_RDONLY | O_DIRECTORY);

    syscall(SYS_utimensat, AT_FDCWD, in_dir("t"), NULL, 0);
    ts[0] = (struct timespec){0, UTIME_NOW};
    ts[1] = (struct timespec){0, UTIME_OMIT};
    syscall(SYS_utimensat, AT_FDCWD, in_dir("t"), ts, AT_SYMLINK_NOFOLLOW);
    ts[0] = (struct timespec){1700000000, 123456789};
    ts[1] = (struct timespec){1700000000, 0};
    syscall(SYS_utimensat, dfd, "t", ts, 0);
    ts[0] = (struct timespec){-1, 5};
    ts[1] = (struct timespec){0, 0};
    syscall(SYS_utimensat, fd, NULL, ts, 0);
    ts[0] = (struct timespec){0, 1000000000};
    syscall(SYS_utimensat, fd, NULL, ts, 0);
    syscall(SYS_utimensat, AT_FDCWD, in_dir("t"), bad, 0);
    syscall(SYS_utimensat, AT_FDCWD, in_dir("t"), NULL, 0x8000);
    syscall(SYS_chmod, in_dir("t"), 0644);
    syscall(SYS_chmod, in_dir("t"), 04755);
    syscall(SYS_chmod, in_dir("t"), 0100600);
    syscall(SYS_fchmod, fd, 0);
    syscall(SYS_fchmod, fd, 07777);
    syscall(SYS_fchmodat, dfd, "t", 0640);
    syscall(SYS_fchmodat, AT_FDCWD, in_dir("missing"), 0600);
    syscall(SYS_mknod, in_dir("n1"), S_IFIFO | 0600, 0);
    syscall(SYS_mknod, in_dir("n2"), S_IFCHR | 0600, makedev(1, 3));
    syscall(SYS_mknod, in_dir("n3"), S_IFBLK | S_ISUID | 0600, makedev(259, 70000));
    syscall(SYS_mknod, in_dir("n4"), 0644, 0);
    syscall(SYS_mknod, in_dir("n5"), 0170644, 0);
    syscall(SYS_mknodat, dfd, "n6", S_IFREG | 0600, 0);
    syscall(SYS_mknodat, AT_FDCWD, in_dir("n7"), S_IFSOCK | 0755, 0);
    syscall(SYS_mknodat, dfd, "n1", S_IFIFO | 0600, 0);
    for (int i = 1; i <= 7; i++) {
        char n[8];
        snprintf(n, sizeof(n), "n%d", i);
        unlinkat(dfd, n, 0);
    }
    syscall(SYS_umask, 022);
    syscall(SYS_umask, 0777);
    syscall(SYS_umask, 0177777);
    syscall(SYS_umask, 022);
    close(fd);
    close(dfd);
}

/* The calendar behind the times' comments, at its edges: before the
 * epoch, leap days, years of 1, 0, -1 and 5 digits, and past what glibc's
 * struct tm holds (no comment).  utimensat prints its times on entry; the
 * path does not exist. */
static void time_edge_calls(void)
{
    static const long long secs[] = {
        1, -1, 951782400, 951868800, 4107542400LL, -2208988800LL, 253402300799LL,
        253402300800LL, -62135596800LL, -62135596801LL, -62167219200LL, -62167219201LL,
        -30000000000LL, -100000000000000LL, 67767976233316800LL, 67768036191676799LL,
        67768036191676800LL, -67768040609740800LL, -67768040609740801LL,
        0x7fffffffffffffffLL, -0x7fffffffffffffffLL - 1,
    };

    for (unsigned i = 0; i < sizeof(secs) / sizeof(secs[0]); i++) {
        struct timespec ts[2] = {{secs[i], 0}, {secs[i], 999999999}};
        syscall(SYS_utimensat, AT_FDCWD, in_dir("missing"), ts, 0);
    }
}

/* ---- structures no kernel writes: overflowing records, names without
 * their NUL, unknown types, masks that leave fields out.  A seccomp
 * listener answers the calls on FAKE_FD with fake_ret without making
 * them, so the buffer holds what this program put there, and strace and
 * trace decode it as the kernel's (and may not crash on it). */
#define FAKE_FD 1000

static int listener;
static long fake_ret;

static void *answer_fake_calls(void *arg)
{
    struct seccomp_notif req;
    struct seccomp_notif_resp resp;

    (void)arg;
    for (;;) {
        memset(&req, 0, sizeof(req));
        if (ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, &req) < 0) {
            if (errno == EINTR)
                continue;
            return NULL;
        }
        resp = (struct seccomp_notif_resp){.id = req.id, .val = __atomic_load_n(&fake_ret, __ATOMIC_SEQ_CST)};
        ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, &resp);
    }
}

/* The filter: getdents64, getdents, statx, fstat, newfstatat, fstatfs with
 * FAKE_FD as their first argument go to the listener. */
static int start_faking(void)
{
    static const int nrs[] = {SYS_getdents64, SYS_getdents, SYS_statx, SYS_fstat, SYS_newfstatat,
                              SYS_fstatfs};
    struct sock_filter f[16];
    unsigned n = 0, k = sizeof(nrs) / sizeof(nrs[0]);
    pthread_t th;

    f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch));
    f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 0, k + 4);
    f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr));
    for (unsigned i = 0; i < k; i++)
        f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned)nrs[i], k - i, 0);
    f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JA, 2, 0, 0);
    f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[0]));
    f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, FAKE_FD, 1, 0);
    f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
    f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF);
    struct sock_fprog prog = {.len = (unsigned short)n, .filter = f};
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
        return -1;
    listener = (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog);
    if (listener < 0)
        return -1;
    return pthread_create(&th, NULL, answer_fake_calls, NULL) ? -1 : 0;
}

static long fake(long ret, long nr, long a1, long a2, long a3, long a4)
{
    __atomic_store_n(&fake_ret, ret, __ATOMIC_SEQ_CST);
    return syscall(nr, FAKE_FD, a1, a2, a3, a4);
}

/* One record of getdents64 (is64) or getdents at p: its length, reclen. */
static size_t put_dent(char *p, int is64, unsigned long long ino, unsigned short reclen,
                       unsigned char type, const char *name, size_t namelen)
{
    size_t header = is64 ? 19 : 18;

    memcpy(p, &ino, 8);
    memcpy(p + 8, &ino, 8);
    memcpy(p + 16, &reclen, 2);
    if (is64)
        p[18] = (char)type;
    memcpy(p + header, name, namelen);
    if (!is64 && reclen > header)
        p[reclen - 1] = (char)type;
    return reclen;
}

static void fake_dirent_calls(void)
{
    static char buf[4096];
    char name[300];
    size_t n;

    memset(name, 'n', sizeof(name));
    memset(buf, 0, sizeof(buf));
    /* two records, then 5 bytes too few for a third */
    n = put_dent(buf, 1, 7, 24, 4, ".", 2);
    n += put_dent(buf + n, 1, 8, 24, 3, "xy", 3);
    fake((long)n + 5, SYS_getdents64, (long)buf, sizeof(buf), 0, 0);
    /* a d_reclen past the end; one below the header */
    put_dent(buf, 1, 7, 200, 8, "a", 2);
    fake(24, SYS_getdents64, (long)buf, sizeof(buf), 0, 0);
    n = put_dent(buf, 1, 7, 24, 8, "a", 2);
    put_dent(buf + n, 1, 9, 8, 8, "", 0);
    fake(64, SYS_getdents64, (long)buf, sizeof(buf), 0, 0);
    /* a name without its NUL, longer than strace shows; a record of its header only */
    n = put_dent(buf, 1, 7, 19 + 300, 14, name, 300);
    n += put_dent(buf + n, 1, 8, 19, 2, "", 0);
    fake((long)n, SYS_getdents64, (long)buf, sizeof(buf), 0, 0);
    /* more than the buffer: no kernel says so */
    fake(8192, SYS_getdents64, (long)buf, sizeof(buf), 0, 0);
    fake(3, SYS_getdents64, (long)buf, sizeof(buf), 0, 0);
    /* getdents: no name and no type, a type only, a name without its NUL */
    memset(buf, 0, sizeof(buf));
    n = put_dent(buf, 0, 7, 18, 0, "", 0);
    n += put_dent(buf + n, 0, 8, 19, 10, "", 0);
    n += put_dent(buf + n, 0, 9, 18 + 8, 1, name, 7);
    n += put_dent(buf + n, 0, 10, 18 + 300, 12, name, 299);
    fake((long)n, SYS_getdents, (long)buf, sizeof(buf), 0, 0);
    put_dent(buf, 0, 7, 300, 8, "a", 2);
    fake(30, SYS_getdents, (long)buf, sizeof(buf), 0, 0);
}

static void fake_stat_calls(void)
{
    struct stat st;
    struct statx stx;
    struct statfs sf;

    memset(&st, 0, sizeof(st));
    st.st_mode = 0170644;
    st.st_dev = makedev(0x1000, 0x100000);
    st.st_atim.tv_nsec = 1000000000;
    fake(0, SYS_fstat, (long)&st, 0, 0, 0);
    st.st_mode = 0644;
    fake(0, SYS_fstat, (long)&st, 0, 0, 0);
    st.st_mode = S_IFBLK | 0600;
    st.st_rdev = makedev(0xfffff, 0xfffffff);
    fake(0, SYS_newfstatat, (long)"", (long)&st, AT_EMPTY_PATH, 0);
    memset(&stx, 0x11, sizeof(stx));
    stx.stx_mask = STATX_TYPE;
    stx.stx_mode = S_IFDIR | 0755;
    fake(0, SYS_statx, (long)"", AT_EMPTY_PATH, STATX_TYPE, (long)&stx);
    stx.stx_mask = 0;
    fake(0, SYS_statx, (long)"", AT_EMPTY_PATH, 0, (long)&stx);
    stx.stx_mask = 0xffffffffu;
    stx.stx_uid = stx.stx_gid = (unsigned)-1;
    stx.stx_attributes = ~0ULL;
    stx.stx_atime.tv_sec = 0;
    stx.stx_atime.tv_nsec = 0;
    stx.stx_btime.tv_sec = -1;
    stx.stx_btime.tv_nsec = 1000000000;
    fake(0, SYS_statx, (long)"", AT_EMPTY_PATH, 0xffffffffL, (long)&stx);
    memset(&sf, 0, sizeof(sf));
    sf.f_type = 0x12345678;
    sf.f_flags = ST_RDONLY | ST_NOSUID;
    sf.f_fsid.__val[0] = -1;
    fake(0, SYS_fstatfs, (long)&sf, 0, 0, 0);
    sf.f_type = 0xef53;
    sf.f_flags = 0x20 | ST_NODEV | 0x40000000;
    fake(0, SYS_fstatfs, (long)&sf, 0, 0, 0);
    sf.f_flags = 0x20;
    fake(0, SYS_fstatfs, (long)&sf, 0, 0, 0);
}

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 3 || (argc == 3 && strcmp(argv[2], "fake"))) {
        fprintf(stderr, "usage: stat DIR [fake]\n");
        return 2;
    }
    dir = argv[1];
    bad = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(bad, 4096);
    stat_calls();
    statx_calls();
    dirent_calls();
    statfs_calls();
    link_access_calls();
    change_calls();
    time_edge_calls();
    if (argc == 3 && !start_faking()) {
        fake_dirent_calls();
        fake_stat_calls();
    }
    return 0;
}
