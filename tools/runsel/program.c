/* program.c — where things are: the loader and the wrappers (next to
 * runsel in a build tree, else installed), PROGRAM as execvp would find
 * it, and the loader's argv for it: the loader runs ELF programs, so a #!
 * script is unwrapped here as the kernel would (rs_shebang). */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <runsel/shebang.h>
#include <runsel/wrapper.h>         /* RS_ENFORCES */
#include "loader.h"                 /* imgnote_wrapper_flags() */
#include "select.h"                 /* select_wrapper_path() */
#include "runsel.h"

static char self_dir[PATH_MAX];   /* loader and wrapper paths have room for it + a name */

/* The loader and wrappers next to runsel (a build tree), else installed. */
void locate(char *loader, size_t size, char *wdir, size_t wsize)
{
    struct stat st;
    ssize_t n = readlink("/proc/self/exe", self_dir, sizeof(self_dir) - 1);

    if (n > 0) {
        self_dir[n] = 0;
        *strrchr(self_dir, '/') = 0;
        snprintf(loader, size, "%s/runsel-loader", self_dir);
        if (stat(loader, &st) == 0) {
            snprintf(wdir, wsize, "%s/wrappers", self_dir);
            return;
        }
    }
    snprintf(loader, size, "%s/runsel-loader", RUNSEL_LIBEXECDIR);
    snprintf(wdir, wsize, "%s/wrappers", RUNSEL_LIBEXECDIR);
}

void list_wrappers(const char *wdir)
{
    DIR *d = opendir(wdir);
    struct dirent *de;

    if (!d)
        die(1, "%s: %s", wdir, strerror(errno));
    while ((de = readdir(d))) {
        size_t n = strlen(de->d_name);
        if (n > 3 && !strcmp(de->d_name + n - 3, ".so"))
            printf("%.*s\n", (int)(n - 3), de->d_name);
    }
    closedir(d);
    exit(0);
}

/* PROGRAM as execvp would find it. */
const char *find_program(const char *name, char *buf, size_t size)
{
    const char *path = getenv("PATH");
    int seen_eacces = 0;

    if (strchr(name, '/'))
        return name;
    if (!path)
        path = "/usr/local/bin:/usr/bin:/bin";
    for (const char *p = path;; p++) {
        const char *colon = strchr(p, ':');
        size_t len = colon ? (size_t)(colon - p) : strlen(p);
        snprintf(buf, size, "%.*s%s%s", (int)len, p, len ? "/" : "", name);
        if (access(buf, X_OK) == 0) {
            struct stat st;
            if (stat(buf, &st) == 0 && S_ISREG(st.st_mode))
                return buf;
        } else if (errno == EACCES) {
            seen_eacces = 1;
        }
        if (!colon)
            break;
        p = colon;
    }
    die(seen_eacces ? 126 : 127, seen_eacces ? "%s: permission denied" : "%s: command not found",
        name);
    return NULL;
}

/* The loader runs ELF programs; a #! script is unwrapped here as
 * binfmt_script would (rs_shebang: the kernel's reading of the line):
 * "-0 INTERP INTERP [ARG] SCRIPT", recursively.  Returns the new argument
 * count. */
int add_program(char **v, int n, const char *argv0, const char *path, int depth)
{
    char head[RS_SHEBANG_HEAD];
    const char *interp, *arg;
    struct stat st;
    /* Never block on a FIFO or a device named as the program. */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    ssize_t len = 0;

    if (fd >= 0) {
        if (fstat(fd, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode))
            die(126, "%s: not a regular file", path);
        len = read(fd, head, sizeof(head));
        close(fd);
    }
    int r = rs_shebang(head, len > 0 ? (size_t)len : 0, &interp, &arg);
    if (r == 0) {
        v[n++] = (char *)argv0;
        v[n++] = (char *)path;
        return n;
    }
    if (depth == RS_SHEBANG_DEPTH)
        die(126, "%s: too many levels of #! interpreters", path);
    if (r < 0)
        die(126, "%s: bad #! line (no interpreter, or one longer than the kernel reads)", path);
    /* [INTERP, ARG?, SCRIPT] where INTERP may itself be a script; head is
     * this frame's, so the strings are copied for the new argv. */
    char *interp_copy = strdup(interp), *arg_copy = arg ? strdup(arg) : NULL;
    if (!interp_copy || (arg && !arg_copy))
        die(126, "%s", "out of memory");
    n = add_program(v, n, interp_copy, interp_copy, depth + 1);
    if (arg_copy)
        v[n++] = arg_copy;
    v[n++] = (char *)path;
    return n;
}

/* /proc/self/exe, /proc/self/fd/N, /dev/fd/N ...: names of this process's
 * own image or descriptors, which the loader, exec'd in runsel's place,
 * would not find (it is a new image; close-on-exec descriptors are gone). */
static int names_own(const char *path)
{
    static const char *const pfx[] = {"/proc/self/", "/proc/thread-self/", "/dev/fd/"};
    char own[32];

    for (size_t i = 0; i < sizeof(pfx) / sizeof(pfx[0]); i++)
        if (!strncmp(path, pfx[i], strlen(pfx[i])))
            return 1;
    snprintf(own, sizeof(own), "/proc/%d/", (int)getpid());
    return !strncmp(path, own, strlen(own));
}

/* For such a name, an open descriptor the loader inherits (-F), as exec on
 * a descriptor; -1 for anything else (the loader opens it by name). */
int inherited_fd(const char *path)
{
    char head[4];
    int fd;

    if (!names_own(path) || (fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY)) < 0)
        return -1;
    if (pread(fd, head, 4, 0) != 4 || memcmp(head, "\177ELF", 4)) {
        close(fd);              /* a script: its interpreter reads it by name */
        return -1;
    }
    return fd;
}

int wrapper_enforces(const char *word, const char *wrapper_dir)
{
    char path[PATH_MAX];
    unsigned flags = 0;
    int fd;

    select_wrapper_path(word, wrapper_dir, path, sizeof(path));
    if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY)) < 0)
        return 0;                  /* the loader will say what is wrong with it */
    /* An image that does not say (ABI 1.0) may enforce, as the loader assumes. */
    int r = imgnote_wrapper_flags(fd, &flags) || (flags & RS_ENFORCES);
    close(fd);
    return r;
}

const char *wrapper_kind(const char *word, char *buf, size_t size)
{
    const char *base = strrchr(word, '/') ? strrchr(word, '/') + 1 : word;
    size_t n = strlen(base);

    if (n > 3 && !strcmp(base + n - 3, ".so"))
        n -= 3;
    snprintf(buf, size, "%.*s", (int)n, base);
    return buf;
}
