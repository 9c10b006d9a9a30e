/* userns.c — run a command with the loader registered in a private
 * binfmt_misc instance: a new user namespace (uid/gid 0 mapped to ours, as
 * `unshare --user --map-root-user` does; or 0..65535 onto themselves with
 * --full-range) and mount namespace, mounts made private, binfmt_misc
 * mounted afresh (Linux >= 6.7 gives each user namespace its own instance,
 * which shadows its ancestors'), the runsel entry registered there, then
 * exec.  Every ELF exec in the command's process tree — the command itself
 * first — goes through the loader; nothing outside the namespace is
 * affected. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>
#include "selctl.h"

static int map_ids(uid_t uid, gid_t gid)
{
    char buf[64];

    if (write_file("/proc/self/setgroups", "deny") && errno != ENOENT)
        return -1;
    snprintf(buf, sizeof(buf), "0 %u 1\n", (unsigned)uid);
    if (write_file("/proc/self/uid_map", buf))
        return -1;
    snprintf(buf, sizeof(buf), "0 %u 1\n", (unsigned)gid);
    return write_file("/proc/self/gid_map", buf);
}

static void no_userns(void)
{
    die("cannot create a user namespace: %s (unprivileged user namespaces may be disabled: "
        "see sysctls user.max_user_namespaces, kernel.unprivileged_userns_clone, "
        "kernel.apparmor_restrict_unprivileged_userns)", strerror(errno));
}

/* Full range: map ids 0..65535 onto the same ids outside, so set-user-ID
 * programs and other users work inside.  Only a process with CAP_SETUID in
 * the parent namespace may write such a map, and after unshare() we are no
 * longer in it: a forked helper that stays outside writes it for us. */
static void map_full_range(void)
{
    int ready[2], done[2];
    char c = 0, path[64];
    pid_t me = getpid(), helper;

    if (pipe2(ready, O_CLOEXEC) || pipe2(done, O_CLOEXEC))
        die("pipe: %s", strerror(errno));
    helper = fork();
    if (helper < 0)
        die("fork: %s", strerror(errno));
    if (helper == 0) {
        int ok = read(ready[0], &c, 1) == 1;
        snprintf(path, sizeof(path), "/proc/%d/uid_map", (int)me);
        ok = ok && !write_file(path, "0 0 65536\n");
        snprintf(path, sizeof(path), "/proc/%d/gid_map", (int)me);
        ok = ok && !write_file(path, "0 0 65536\n");
        c = ok ? 'y' : 'n';
        _exit(write(done[1], &c, 1) == 1 && ok ? 0 : 1);
    }
    if (unshare(CLONE_NEWUSER | CLONE_NEWNS)) {
        int err = errno;
        kill(helper, SIGKILL);
        waitpid(helper, NULL, 0);
        errno = err;
        no_userns();
    }
    if (write(ready[1], &c, 1) != 1 || read(done[0], &c, 1) != 1 || c != 'y')
        die("--full-range: cannot map ids 0..65535 onto themselves (needs root in the "
            "parent namespace, with those ids mapped there)");
    waitpid(helper, NULL, 0);
    close(ready[0]), close(ready[1]), close(done[0]), close(done[1]);
}

/* The loader opens the log from every exec'ing process, in whatever
 * directory that runs: make the path absolute, and fail now rather than
 * have the loader skip it silently at every exec. */
static const char *log_path(const char *log)
{
    static char buf[PATH_MAX];
    int fd;

    if (log[0] != '/') {
        if (!getcwd(buf, sizeof(buf)) || strlen(buf) + 1 + strlen(log) >= sizeof(buf))
            die("--log %s: cannot make the path absolute", log);
        strcat(strcat(buf, "/"), log);
        log = buf;
    }
    fd = open(log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0)
        die("--log %s: %s", log, strerror(errno));
    close(fd);
    return log;
}

int userns_run(const char *loader, const char *log, int full_range, char **argv)
{
    uid_t uid = getuid();
    gid_t gid = getgid();

    if (loader_check(loader))
        exit(1);
    if (log)
        log = log_path(log);
    if (full_range) {
        map_full_range();
    } else {
        if (unshare(CLONE_NEWUSER | CLONE_NEWNS))
            no_userns();
        if (map_ids(uid, gid))
            die("cannot map ids in the new user namespace: %s", strerror(errno));
    }
    if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
        die("cannot make mounts private: %s", strerror(errno));
    if (mount("none", BINFMT_DIR, "binfmt_misc", 0, NULL)) {
        struct utsname u;
        int err = errno;
        die("cannot mount a private binfmt_misc instance (needs Linux >= 6.7; this is %s): %s",
            uname(&u) == 0 ? u.release : "unknown", strerror(err));
    }
    if (binfmt_install(loader))
        exit(1);
    if (log && setenv("RUNSEL_LOADER_LOG", log, 1))
        die("setenv: %s", strerror(errno));
    execvp(argv[0], argv);
    die("%s: %s", argv[0], strerror(errno));
}
