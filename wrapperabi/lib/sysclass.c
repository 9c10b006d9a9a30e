/* sysclass.c — strace's groups of system calls (-e trace=%file, %desc,
 * %process ...), for x86-64 numbers: which groups a call is in, and a
 * group by its name.
 *
 * The groups are strace's (strace(1), "-e trace=%file" and the rest), so
 * that `runsel -e trace=%file` and `-e inject=%file:...` select the calls
 * strace would.  They cannot come from the kernel's headers (they are
 * strace's classification, not the kernel's), so the table is written
 * here, by number; calls newer than this machine's headers are given by
 * number with their name in a comment.  A call in no group has no row.
 * Freestanding (the wrappers link it) and plain C (runsel's host build
 * links it too, as it does shebang.c). */
#include <runsel/wrapper.h>

#define F  RS_CLASS_FILE
#define D  RS_CLASS_DESC
#define P  RS_CLASS_PROCESS
#define N  RS_CLASS_NETWORK
#define S  RS_CLASS_SIGNAL
#define I  RS_CLASS_IPC
#define M  RS_CLASS_MEMORY
#define C  RS_CLASS_CREDS
#define CL RS_CLASS_CLOCK
#define U  RS_CLASS_PURE
#define ST RS_CLASS_STAT
#define LS RS_CLASS_LSTAT
#define FS RS_CLASS_FSTAT
#define AS RS_CLASS_ANYSTAT
#define SF RS_CLASS_STATFS
#define FF RS_CLASS_FSTATFS
#define AF RS_CLASS_ANYSTATFS

static const uint32_t classes[RS_NSYS] = {
    [SYS_read] = D, [SYS_write] = D, [SYS_open] = D | F, [SYS_close] = D,
    [SYS_stat] = F | ST | AS, [SYS_fstat] = D | FS | AS, [SYS_lstat] = F | LS | AS,
    [SYS_poll] = D, [SYS_lseek] = D, [SYS_mmap] = D | M, [SYS_mprotect] = M,
    [SYS_munmap] = M, [SYS_brk] = M, [SYS_rt_sigaction] = S, [SYS_rt_sigprocmask] = S,
    [SYS_rt_sigreturn] = S, [SYS_ioctl] = D, [SYS_pread64] = D, [SYS_pwrite64] = D,
    [SYS_readv] = D, [SYS_writev] = D, [SYS_access] = F, [SYS_pipe] = D, [SYS_select] = D,
    [SYS_mremap] = M, [SYS_msync] = M, [SYS_mincore] = M, [SYS_madvise] = M,
    [SYS_shmget] = I, [SYS_shmat] = I | M, [SYS_shmctl] = I, [SYS_dup] = D, [SYS_dup2] = D,
    [SYS_pause] = S, [SYS_getpid] = U, [SYS_sendfile] = D | N,
    [SYS_socket] = N, [SYS_connect] = N, [SYS_accept] = N, [SYS_sendto] = N,
    [SYS_recvfrom] = N, [SYS_sendmsg] = N, [SYS_recvmsg] = N, [SYS_shutdown] = N,
    [SYS_bind] = N, [SYS_listen] = N, [SYS_getsockname] = N, [SYS_getpeername] = N,
    [SYS_socketpair] = N, [SYS_setsockopt] = N, [SYS_getsockopt] = N,
    [SYS_clone] = P, [SYS_fork] = P, [SYS_vfork] = P, [SYS_execve] = F | P, [SYS_exit] = P,
    [SYS_wait4] = P, [SYS_kill] = S | P,
    [SYS_semget] = I, [SYS_semop] = I, [SYS_semctl] = I, [SYS_shmdt] = I | M,
    [SYS_msgget] = I, [SYS_msgsnd] = I, [SYS_msgrcv] = I, [SYS_msgctl] = I,
    [SYS_fcntl] = D, [SYS_flock] = D, [SYS_fsync] = D, [SYS_fdatasync] = D,
    [SYS_truncate] = F, [SYS_ftruncate] = D, [SYS_getdents] = D, [SYS_getcwd] = F,
    [SYS_chdir] = F, [SYS_fchdir] = D, [SYS_rename] = F, [SYS_mkdir] = F, [SYS_rmdir] = F,
    [SYS_creat] = D | F, [SYS_link] = F, [SYS_unlink] = F, [SYS_symlink] = F,
    [SYS_readlink] = F, [SYS_chmod] = F, [SYS_fchmod] = D, [SYS_chown] = F,
    [SYS_fchown] = D, [SYS_lchown] = F, [SYS_gettimeofday] = CL,
    [SYS_getuid] = C | U, [SYS_getgid] = C | U, [SYS_setuid] = C, [SYS_setgid] = C,
    [SYS_geteuid] = C | U, [SYS_getegid] = C | U, [SYS_getppid] = U, [SYS_getpgrp] = U,
    [SYS_setreuid] = C, [SYS_setregid] = C, [SYS_getgroups] = C, [SYS_setgroups] = C,
    [SYS_setresuid] = C, [SYS_getresuid] = C, [SYS_setresgid] = C, [SYS_getresgid] = C,
    [SYS_setfsuid] = C, [SYS_setfsgid] = C, [SYS_capget] = C, [SYS_capset] = C,
    [SYS_rt_sigpending] = S, [SYS_rt_sigtimedwait] = S, [SYS_rt_sigqueueinfo] = S | P,
    [SYS_rt_sigsuspend] = S, [SYS_sigaltstack] = S,
    [SYS_utime] = F, [SYS_mknod] = F, [SYS_uselib] = F, [SYS_ustat] = AF,
    [SYS_statfs] = F | SF | AF, [SYS_fstatfs] = D | FF | AF,
    [SYS_mlock] = M, [SYS_munlock] = M, [SYS_mlockall] = M, [SYS_munlockall] = M,
    [SYS_pivot_root] = F, [SYS_prctl] = C, [SYS_adjtimex] = CL, [SYS_chroot] = F,
    [SYS_acct] = F, [SYS_settimeofday] = CL, [SYS_mount] = F, [SYS_umount2] = F,
    [SYS_swapon] = F, [SYS_swapoff] = F, [SYS_quotactl] = F,
    [SYS_getpmsg] = N, [SYS_putpmsg] = N, [SYS_gettid] = U, [SYS_readahead] = D,
    [SYS_setxattr] = F, [SYS_lsetxattr] = F, [SYS_fsetxattr] = D, [SYS_getxattr] = F,
    [SYS_lgetxattr] = F, [SYS_fgetxattr] = D, [SYS_listxattr] = F, [SYS_llistxattr] = F,
    [SYS_flistxattr] = D, [SYS_removexattr] = F, [SYS_lremovexattr] = F,
    [SYS_fremovexattr] = D, [SYS_tkill] = S | P, [SYS_time] = CL,
    [SYS_io_setup] = M, [SYS_io_destroy] = M, [SYS_epoll_create] = D,
    [SYS_remap_file_pages] = M, [SYS_getdents64] = D, [SYS_semtimedop] = I,
    [SYS_fadvise64] = D, [SYS_clock_settime] = CL, [SYS_clock_gettime] = CL,
    [SYS_clock_getres] = CL, [SYS_exit_group] = P, [SYS_epoll_wait] = D,
    [SYS_epoll_ctl] = D, [SYS_tgkill] = S | P, [SYS_utimes] = F,
    [SYS_mbind] = M, [SYS_set_mempolicy] = M, [SYS_get_mempolicy] = M,
    [SYS_mq_open] = D, [SYS_mq_timedsend] = D, [SYS_mq_timedreceive] = D,
    [SYS_mq_notify] = D, [SYS_mq_getsetattr] = D, [SYS_waitid] = P,
    [SYS_inotify_init] = D, [SYS_inotify_add_watch] = D | F, [SYS_inotify_rm_watch] = D,
    [SYS_migrate_pages] = M,
    [SYS_openat] = D | F, [SYS_mkdirat] = D | F, [SYS_mknodat] = D | F,
    [SYS_fchownat] = D | F, [SYS_futimesat] = D | F, [SYS_newfstatat] = D | F | FS | AS,
    [SYS_unlinkat] = D | F, [SYS_renameat] = D | F, [SYS_linkat] = D | F,
    [SYS_symlinkat] = D | F, [SYS_readlinkat] = D | F, [SYS_fchmodat] = D | F,
    [SYS_faccessat] = D | F, [SYS_pselect6] = D, [SYS_ppoll] = D,
    [SYS_splice] = D, [SYS_tee] = D, [SYS_sync_file_range] = D, [SYS_vmsplice] = D,
    [SYS_move_pages] = M, [SYS_utimensat] = D | F, [SYS_epoll_pwait] = D,
    [SYS_signalfd] = D | S, [SYS_timerfd_create] = D, [SYS_eventfd] = D,
    [SYS_fallocate] = D, [SYS_timerfd_settime] = D, [SYS_timerfd_gettime] = D,
    [SYS_accept4] = N, [SYS_signalfd4] = D | S, [SYS_eventfd2] = D,
    [SYS_epoll_create1] = D, [SYS_dup3] = D, [SYS_pipe2] = D, [SYS_inotify_init1] = D,
    [SYS_preadv] = D, [SYS_pwritev] = D, [SYS_rt_tgsigqueueinfo] = P | S,
    [SYS_perf_event_open] = D, [SYS_recvmmsg] = N, [SYS_fanotify_init] = D,
    [SYS_fanotify_mark] = D | F, [SYS_name_to_handle_at] = D | F,
    [SYS_open_by_handle_at] = D, [SYS_clock_adjtime] = CL, [SYS_syncfs] = D,
    [SYS_sendmmsg] = N, [SYS_setns] = D, [SYS_finit_module] = D,
    [SYS_renameat2] = D | F, [SYS_memfd_create] = D, [SYS_kexec_file_load] = D,
    [SYS_bpf] = D, [SYS_execveat] = D | F | P, [SYS_userfaultfd] = D, [SYS_mlock2] = M,
    [SYS_copy_file_range] = D, [SYS_preadv2] = D, [SYS_pwritev2] = D,
    [SYS_pkey_mprotect] = M, [SYS_statx] = D | F | FS | AS,
    [SYS_pidfd_send_signal] = D | S | P, [SYS_io_uring_setup] = D,
    [SYS_io_uring_enter] = D | S, [SYS_io_uring_register] = D | M,
    [SYS_open_tree] = D | F, [SYS_move_mount] = D | F, [SYS_fsopen] = D,
    [SYS_fsconfig] = D | F, [SYS_fsmount] = D, [SYS_fspick] = D | F,
    [SYS_pidfd_open] = D, [SYS_clone3] = P, [SYS_openat2] = D | F, [SYS_pidfd_getfd] = D,
    [SYS_faccessat2] = D | F, [SYS_process_madvise] = D, [SYS_epoll_pwait2] = D,
    [SYS_mount_setattr] = D | F, [SYS_quotactl_fd] = D,
    [SYS_landlock_create_ruleset] = D, [SYS_landlock_add_rule] = D,
    [SYS_landlock_restrict_self] = D, [SYS_memfd_secret] = D, [SYS_process_mrelease] = D,
    [SYS_set_mempolicy_home_node] = M,
    [451] = D,          /* cachestat */
    [452] = D | F,      /* fchmodat2 */
    [453] = M,          /* map_shadow_stack */
    [462] = M,          /* mseal */
    [463] = D | F,      /* setxattrat */
    [464] = D | F,      /* getxattrat */
};

/* By name: strace's spellings, with the leading %. */
static const struct {
    char name[10];
    uint32_t bit;
} names[] = {
    {"%file", F},       {"%desc", D},      {"%process", P},  {"%network", N},
    {"%net", N},        {"%signal", S},    {"%ipc", I},      {"%memory", M},
    {"%creds", C},      {"%clock", CL},    {"%pure", U},     {"%stat", ST},
    {"%lstat", LS},     {"%fstat", FS},    {"%%stat", AS},   {"%statfs", SF},
    {"%fstatfs", FF},   {"%%statfs", AF},
};

uint32_t rs_syscall_classes(long nr)
{
    return nr >= 0 && nr < RS_NSYS ? classes[nr] : 0;
}

/* Not rs_strncmp: runsel's host build links this file alone. */
static int same(const char *name, const char *s, size_t n)
{
    size_t i = 0;

    while (i < n && name[i] && name[i] == s[i])
        i++;
    return i == n && !name[i];
}

uint32_t rs_class_from_name(const char *s, size_t n)
{
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (same(names[i].name, s, n))
            return names[i].bit;
    return 0;
}
