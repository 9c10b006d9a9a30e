/* binfmtd.c — system-wide use across reboots: /etc/binfmt.d/runsel.conf.
 *
 * `selctl register --global` writes the entry there and has
 * systemd-binfmt load it, as systemd-binfmt.service does at every boot;
 * `selctl unregister --global` removes the file with the entry.  The file
 * is selctl's: one comment block and the entry line, rewritten whole.
 * Without systemd-binfmt (another init), selctl writes the entry into
 * binfmt_misc itself and the file is what the administrator's boot
 * scripts apply.  --runtime leaves /etc alone (the running instance only).
 *
 * Why systemd-binfmt rather than writing "register" ourselves: it is what
 * applies the file at boot, so loading the file with it now proves the
 * next boot will register exactly this entry. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "selctl.h"

static const char *const systemd_binfmt[] = {
    "/usr/lib/systemd/systemd-binfmt",
    "/lib/systemd/systemd-binfmt",
};

static const char *find_systemd_binfmt(void)
{
    for (size_t i = 0; i < sizeof(systemd_binfmt) / sizeof(systemd_binfmt[0]); i++)
        if (access(systemd_binfmt[i], X_OK) == 0)
            return systemd_binfmt[i];
    return NULL;
}

/* Read the whole (small) file; NULL with errno on failure. */
static char *read_small(const char *path)
{
    static char buf[8192];
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
    struct stat st;
    ssize_t n;

    if (fd < 0)
        return NULL;
    if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
        close(fd);
        errno = EINVAL;
        return NULL;
    }
    n = read(fd, buf, sizeof(buf) - 1);
    close(fd);
    if (n < 0)
        return NULL;
    buf[n] = 0;
    return buf;
}

/* The file's entry line, or NULL when it has none: a file without one is
 * not selctl's, and is left alone. */
static const char *entry_line(const char *text, char *line, size_t size)
{
    for (const char *p = text; *p;) {
        size_t n = strcspn(p, "\n");
        if (!strncmp(p, ":" BINFMT_NAME ":", strlen(BINFMT_NAME) + 2) && n < size) {
            memcpy(line, p, n);
            line[n] = 0;
            return line;
        }
        p += n + (p[n] == '\n');
    }
    return NULL;
}

int binfmtd_write(const char *loader)
{
    char line[1920 + 1], text[4096];
    int n;

    if (binfmt_entry(loader, line, sizeof(line)))
        return -1;
    n = snprintf(text, sizeof(text),
                 "# Written by 'selctl register --global': every x86-64 ELF exec on this\n"
                 "# machine goes through %s, from every boot on\n"
                 "# (systemd-binfmt.service).  Undo: selctl unregister --global.  From a\n"
                 "# rescue shell: echo -1 > %s/%s; then delete this file.\n"
                 "# selctl(8), RECOVERY.\n"
                 "%s\n",
                 loader, BINFMT_DIR, BINFMT_NAME, line);
    if (n < 0 || (size_t)n >= sizeof(text))
        return -1;
    if (mkdir(BINFMT_D, 0755) && errno != EEXIST) {
        warn("%s: %s", BINFMT_D, strerror(errno));
        return -1;
    }
    if (write_atomically(BINFMT_D_FILE, text, (size_t)n, NULL)) {
        warn("%s: %s", BINFMT_D_FILE, strerror(errno));
        return -1;
    }
    return 0;
}

/* Register the file's entry the way boot does.  0: done (by systemd-binfmt,
 * or, without it, by selctl); -1: said why. */
int binfmtd_apply(const char *loader)
{
    const char *prog = find_systemd_binfmt();
    int status;
    pid_t pid;

    if (!prog)
        return binfmt_install(loader);
    pid = fork();
    if (pid < 0) {
        warn("fork: %s", strerror(errno));
        return -1;
    }
    if (pid == 0) {
        execl(prog, prog, BINFMT_D_FILE, (char *)NULL);
        _exit(127);
    }
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return -1;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        warn("%s %s failed (status %d)", prog, BINFMT_D_FILE,
             WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
        return -1;
    }
    if (access(BINFMT_DIR "/" BINFMT_NAME, F_OK)) {
        warn("%s %s registered no %s entry", prog, BINFMT_D_FILE, BINFMT_NAME);
        return -1;
    }
    return 0;
}

/* Remove selctl's file; absent is fine.  A file of that name without a
 * runsel entry is someone else's and stays. */
int binfmtd_remove(void)
{
    char line[4200];
    const char *text = read_small(BINFMT_D_FILE);

    if (!text)
        return errno == ENOENT ? 0 : (warn("%s: %s", BINFMT_D_FILE, strerror(errno)), -1);
    if (!entry_line(text, line, sizeof(line))) {
        warn("%s has no %s entry: left as it is", BINFMT_D_FILE, BINFMT_NAME);
        return 0;
    }
    if (unlink(BINFMT_D_FILE)) {
        warn("%s: %s", BINFMT_D_FILE, strerror(errno));
        return -1;
    }
    return 0;
}

/* For status: is system-wide use enabled at boot, and with which loader? */
void binfmtd_status(void)
{
    char line[4200];
    const char *text = read_small(BINFMT_D_FILE);
    const char *e = text ? entry_line(text, line, sizeof(line)) : NULL;

    if (!text && errno == ENOENT) {
        printf("at boot: not enabled (no %s)\n", BINFMT_D_FILE);
        return;
    }
    if (!text) {
        printf("at boot: %s: %s\n", BINFMT_D_FILE, strerror(errno));
        return;
    }
    if (!e) {
        printf("at boot: %s has no %s entry\n", BINFMT_D_FILE, BINFMT_NAME);
        return;
    }
    /* :name:type:offset:magic:mask:interpreter:flags — the interpreter is
     * the field after the fifth colon past the first; magic and mask are \x escapes, without ':'. */
    const char *p = e;
    for (int i = 0; i < 5 && p; i++)
        p = strchr(p + 1, ':');
    const char *q = p ? strchr(p + 1, ':') : NULL;
    if (p && q)
        printf("at boot: enabled by %s (loader %.*s)\n", BINFMT_D_FILE, (int)(q - p - 1), p + 1);
    else
        printf("at boot: %s: a malformed %s entry\n", BINFMT_D_FILE, BINFMT_NAME);
}
