/* userns.c — run a command with the loader registered in a private
 * binfmt_misc instance: a new user namespace (uid/gid 0 mapped to ours, as
 * `unshare --user --map-root-user` does) and mount namespace, binfmt_misc
 * mounted afresh (Linux >= 6.7 creates a private instance per user
 * namespace), the runsel entry registered there, then exec.  Every ELF exec
 * in the command's process tree goes through the loader; nothing outside
 * the namespace is affected. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>
#include "selctl.h"

static int write_text(const char *path, const char *text)
{
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    int ok;

    if (fd < 0)
        return -1;
    ok = write(fd, text, strlen(text)) == (ssize_t)strlen(text);
    close(fd);
    return ok ? 0 : -1;
}

static int map_ids(uid_t uid, gid_t gid)
{
    char buf[64];

    if (write_text("/proc/self/setgroups", "deny") && errno != ENOENT)
        return -1;
    snprintf(buf, sizeof(buf), "0 %u 1\n", (unsigned)uid);
    if (write_text("/proc/self/uid_map", buf))
        return -1;
    snprintf(buf, sizeof(buf), "0 %u 1\n", (unsigned)gid);
    return write_text("/proc/self/gid_map", buf);
}

int userns_run(const char *loader, const char *log, char **argv)
{
    uid_t uid = getuid();
    gid_t gid = getgid();

    if (unshare(CLONE_NEWUSER | CLONE_NEWNS))
        die("cannot create a user namespace: %s", strerror(errno));
    if (map_ids(uid, gid))
        die("cannot map ids in the new user namespace: %s", strerror(errno));
    if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
        die("cannot make mounts private: %s", strerror(errno));
    if (mount("none", BINFMT_DIR, "binfmt_misc", 0, NULL))
        die("cannot mount a private binfmt_misc instance (needs Linux >= 6.7): %s",
            strerror(errno));
    if (binfmt_register(loader))
        exit(1);
    if (log && setenv("RUNSEL_LOADER_LOG", log, 1))
        die("setenv: %s", strerror(errno));
    execvp(argv[0], argv);
    die("%s: %s", argv[0], strerror(errno));
}
