/* binfmt.c — the runsel binfmt_misc entry.
 *
 * The registration line (also in tools/runsel.binfmt.in, for systemd-binfmt):
 *
 *   :runsel:M:0:MAGIC:MASK:LOADER:POCF
 *
 *   name runsel, type M (magic), offset 0, and over the first 20 bytes:
 *
 *   byte   magic  mask  field
 *   0-3    7f 45 4c 46  ff ff ff ff  "\x7fELF"
 *   4      02     ff    EI_CLASS    ELFCLASS64
 *   5      01     ff    EI_DATA     little endian
 *   6      01     ff    EI_VERSION  1
 *   7      00     00    EI_OSABI    any: ELFOSABI_GNU (3) programs match too
 *   8      00     00    EI_ABIVERSION any
 *   9-15   00     ff    EI_PAD      must be zero.  The loader is stamped with
 *                                   byte 15 = 'S' (tools/stamp-loader): it
 *                                   never matches its own entry, which would
 *                                   make every ELF exec fail with ENOEXEC
 *   16-17  02 00  fe ff e_type      2 or 3: ET_EXEC or ET_DYN
 *   18-19  3e 00  ff ff e_machine   62: x86-64
 *
 *   flags P  preserve argv[0]: the loader gets [loader, /path, argv0, args...]
 *         O  the kernel opens the program and passes it as AT_EXECFD (so
 *            execute-only programs work)
 *         C  credentials (set-user-ID, file capabilities, LSM label) come
 *            from the program, not the loader; implies O
 *         F  the loader is opened now, at registration: execs inside chroots
 *            and containers that lack the loader's path still work
 *
 * Magic and mask are written as \xHH escapes.  Known kernel limit under any
 * such entry: fexecve()/execveat(AT_EMPTY_PATH) of an O_CLOEXEC descriptor
 * fails with ENOENT (the interpreter could not be given a path).
 *
 * Which instance: since Linux 6.7 every user namespace may mount its own
 * binfmt_misc instance; execs use the nearest instance up the user
 * namespace chain, the initial namespace's (the machine's own) last.
 * Registering a catch-all ELF handler in the machine's instance puts the
 * loader on the path of every exec of the machine, so selctl only does it
 * with --global.  A namespace that merely inherited an ancestor's mount of
 * /proc/sys/fs/binfmt_misc (e.g. `unshare --user --map-users=0,0,65536
 * --mount`, where root inside can write the machine's files) counts as the
 * machine's too: binfmt_instance() checks the mount really is this
 * namespace's. */
#define _GNU_SOURCE
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <unistd.h>
#include "selctl.h"

#define ENTRY_FLAGS "POCF"
#define MAGIC_LEN 20

static const unsigned char magic[MAGIC_LEN] = {
    0x7f, 'E', 'L', 'F', ELFCLASS64, ELFDATA2LSB, EV_CURRENT, 0, 0, 0,
    0,    0,   0,   0,   0,          0,           ET_EXEC,    0, EM_X86_64, 0};
static const unsigned char mask[MAGIC_LEN] = {
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0xff,
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe, 0xff, 0xff, 0xff};

static int put_hex(char *buf, unsigned long size, unsigned long *at, const unsigned char *b)
{
    for (int i = 0; i < MAGIC_LEN; i++) {
        int n = snprintf(buf + *at, size - *at, "\\x%02x", b[i]);
        if (n < 0 || (unsigned long)n >= size - *at)
            return -1;
        *at += (unsigned long)n;
    }
    return 0;
}

int binfmt_entry(const char *loader, char *buf, unsigned long size)
{
    unsigned long at = 0;
    int n = snprintf(buf, size, ":%s:M:0:", BINFMT_NAME);

    /* ':' ends the field and the kernel has no escape for it; newlines
     * would end the record. */
    if (n < 0 || (unsigned long)n >= size || loader[0] != '/' || strpbrk(loader, ":\n"))
        return -1;
    at = (unsigned long)n;
    if (put_hex(buf, size, &at, magic) || at + 1 >= size)
        return -1;
    buf[at++] = ':';
    if (put_hex(buf, size, &at, mask))
        return -1;
    n = snprintf(buf + at, size - at, ":%s:%s", loader, ENTRY_FLAGS);
    return n < 0 || (unsigned long)n >= size - at ? -1 : 0;
}

/* Would a file starting with these bytes match the runsel entry? */
static int matches_entry(const unsigned char *h)
{
    for (int i = 0; i < MAGIC_LEN; i++)
        if ((h[i] ^ magic[i]) & mask[i])
            return 0;
    return 1;
}

/* Can LOADER be the interpreter of every ELF exec?  0: yes; 1: yes, with a
 * caveat in WHY; -1: no, WHY says why.  Registering a loader that matches
 * its own entry (not stamped) or is no ELF program at all (a script: its
 * #! interpreter is an ELF program, handed to the loader again) makes every
 * exec fail, so those are refused whatever the options. */
static int loader_problem(const char *loader, char *why, unsigned long size)
{
    Elf64_Ehdr eh;
    Elf64_Phdr ph;
    int fd = open(loader, O_RDONLY | O_CLOEXEC);

    if (fd < 0) {
        snprintf(why, size, "%s: %s", loader, strerror(errno));
        return -1;
    }
    int rc = 0;
    if (pread(fd, &eh, sizeof(eh), 0) != (ssize_t)sizeof(eh) || memcmp(eh.e_ident, ELFMAG, SELFMAG)) {
        snprintf(why, size, "%s is not an ELF program: every exec would be handed to it "
                 "and none could run", loader);
        rc = -1;
    } else if (eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_ident[EI_DATA] != ELFDATA2LSB ||
               eh.e_machine != EM_X86_64 || (eh.e_type != ET_EXEC && eh.e_type != ET_DYN)) {
        snprintf(why, size, "%s is not an x86-64 ELF executable", loader);
        rc = -1;
    } else if (matches_entry(eh.e_ident)) {
        snprintf(why, size, "%s matches the runsel entry itself (byte 15 is not 'S'): "
                 "binfmt_misc would hand the loader to itself and every ELF exec would fail "
                 "with ENOEXEC; stamp it with tools/stamp-loader", loader);
        rc = -1;
    } else {
        for (unsigned i = 0; i < eh.e_phnum && eh.e_phentsize == sizeof(ph); i++) {
            if (pread(fd, &ph, sizeof(ph), (off_t)(eh.e_phoff + (Elf64_Off)i * sizeof(ph))) !=
                (ssize_t)sizeof(ph))
                break;
            if (ph.p_type == PT_INTERP) {
                snprintf(why, size, "%s is dynamically linked: its own ELF interpreter is looked "
                         "up at every exec, so execs in chroots and containers without it fail",
                         loader);
                rc = 1;
                break;
            }
        }
    }
    close(fd);
    return rc;
}

int loader_check(const char *loader)
{
    char why[512];
    int rc = loader_problem(loader, why, sizeof(why));

    if (rc < 0)
        warn("refusing to register: %s", why);
    else if (rc > 0)
        warn("warning: %s", why);
    return rc < 0 ? -1 : 0;
}

/* The instance at BINFMT_DIR is the machine's own unless we are inside a
 * user namespace.  Conservative: a namespace mapping every id onto itself
 * is taken for the initial one. */
int in_initial_userns(void)
{
    char map[128] = "";
    FILE *f = fopen("/proc/self/uid_map", "re");

    if (!f)
        return 1;
    if (!fgets(map, sizeof(map), f))
        map[0] = 0;
    fclose(f);
    unsigned a, b;
    unsigned long c;
    return sscanf(map, "%u %u %lu", &a, &b, &c) == 3 && a == 0 && b == 0 && c == 4294967295UL;
}

static int mounted(struct stat *st)
{
    struct statfs sf;

    return statfs(BINFMT_DIR, &sf) == 0 && sf.f_type == BINFMTFS_MAGIC && stat(BINFMT_DIR, st) == 0;
}

/* Is the binfmt_misc mounted at BINFMT_DIR (device DEV) this user
 * namespace's own instance?  Decided in a child, in a throwaway private
 * mount namespace, so nothing changes here:
 *  1. unmount it there: a mount passed down from a mount namespace of a
 *     more privileged user namespace is locked (EINVAL) — it was mounted
 *     by an ancestor;
 *  2. mount binfmt_misc afresh: the kernel keys its superblock by user
 *     namespace, so the same device as the original means ours.  (Only
 *     reached when the mount was not locked; if this namespace had no
 *     instance yet, this creates its empty one.) */
enum { P_OWN, P_LOCKED, P_OTHER, P_UNSHARE, P_PRIVATE, P_UMOUNT, P_MOUNT, P_STAT, P_FORK };

static int probe_instance(dev_t dev, int *err)
{
    int pfd[2], status;
    pid_t pid;

    *err = 0;
    if (pipe2(pfd, O_CLOEXEC))
        return *err = errno, P_FORK;
    pid = fork();
    if (pid < 0) {
        *err = errno;
        close(pfd[0]), close(pfd[1]);
        return P_FORK;
    }
    if (pid == 0) {
        struct stat st;
        int step, e = 0;

        if (unshare(CLONE_NEWNS))
            step = P_UNSHARE, e = errno;
        else if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
            step = P_PRIVATE, e = errno;
        else if (umount2(BINFMT_DIR, MNT_DETACH))
            step = errno == EINVAL ? P_LOCKED : P_UMOUNT, e = errno;
        else if (mount("none", BINFMT_DIR, "binfmt_misc", 0, NULL))
            step = P_MOUNT, e = errno;
        else if (stat(BINFMT_DIR, &st))
            step = P_STAT, e = errno;
        else
            step = st.st_dev == dev ? P_OWN : P_OTHER;
        _exit(write(pfd[1], &e, sizeof(e)) == sizeof(e) ? step : P_FORK);
    }
    close(pfd[1]);
    if (read(pfd[0], err, sizeof(*err)) != sizeof(*err))
        *err = 0;
    close(pfd[0]);
    if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
        return P_FORK;
    return WEXITSTATUS(status);
}

enum instance binfmt_instance(char *why, unsigned long size)
{
    static const char *const step[] = {
        [P_UNSHARE] = "cannot create a mount namespace to look",
        [P_PRIVATE] = "cannot make mounts private to look",
        [P_UMOUNT] = "cannot unmount it to look",
        [P_MOUNT] = "cannot mount binfmt_misc here",
        [P_STAT] = "cannot stat a fresh mount",
        [P_FORK] = "cannot fork to look",
    };
    struct stat st;
    int err, r;

    why[0] = 0;
    if (in_initial_userns())
        return INST_MACHINE;
    if (!mounted(&st))
        return INST_UNMOUNTED;
    r = probe_instance(st.st_dev, &err);
    switch (r) {
    case P_OWN:
        return INST_OWN;
    case P_LOCKED:
        snprintf(why, size, "mounted outside this namespace");
        return INST_INHERITED;
    case P_OTHER:
        snprintf(why, size, "mounted by a process of another user namespace");
        return INST_INHERITED;
    default:
        snprintf(why, size, "%s: %s", r >= 0 && r <= P_FORK && step[r] ? step[r] : "probe failed",
                 strerror(err));
        return INST_UNKNOWN;
    }
}

/* Write text to a file in one write(2), as /proc and binfmt_misc want. */
int write_file(const char *path, const char *text)
{
    int fd = open(path, O_WRONLY | O_CLOEXEC);

    if (fd < 0)
        return -1;
    ssize_t n = write(fd, text, strlen(text));
    int err = errno;
    close(fd);
    errno = err;
    return n == (ssize_t)strlen(text) ? 0 : -1;
}

/* Register LOADER in the instance at BINFMT_DIR, replacing an older runsel
 * entry.  No policy here: callers decided the instance may be written. */
int binfmt_install(const char *loader)
{
    char line[1920 + 1];   /* the kernel takes at most 1920 bytes */

    if (binfmt_entry(loader, line, sizeof(line))) {
        warn("%s: not usable in a binfmt_misc entry (relative, too long, or contains ':')",
             loader);
        return -1;
    }
    if (access(BINFMT_DIR "/register", W_OK) != 0) {
        warn("%s/register: %s (is binfmt_misc mounted?)", BINFMT_DIR, strerror(errno));
        return -1;
    }
    if (access(BINFMT_DIR "/" BINFMT_NAME, F_OK) == 0 &&
        write_file(BINFMT_DIR "/" BINFMT_NAME, "-1") && errno != ENOENT) {
        warn("removing the old entry %s/%s: %s", BINFMT_DIR, BINFMT_NAME, strerror(errno));
        return -1;
    }
    if (write_file(BINFMT_DIR "/register", line)) {
        warn("registering %s: %s", loader, strerror(errno));
        return -1;
    }
    return 0;
}

/* May we write the instance at BINFMT_DIR?  Prints why not, or with
 * --global the risk taken. */
static int may_write(const char *what, int global, enum instance *inp)
{
    char why[256];
    enum instance in = *inp = binfmt_instance(why, sizeof(why));

    switch (in) {
    case INST_OWN:
        return 0;
    case INST_UNMOUNTED:
        warn("binfmt_misc is not mounted at %s: this user namespace uses an ancestor's "
             "instance, possibly the machine's own. Mount a private one first (mount -t "
             "binfmt_misc none %s, Linux >= 6.7) or use register --userns CMD.",
             BINFMT_DIR, BINFMT_DIR);
        return -1;
    case INST_MACHINE:
        if (!global) {
            if (!strcmp(what, "register"))
                warn("refusing to register in the machine's own binfmt_misc instance: every "
                     "ELF exec on the machine would go through the loader, and one bug in it "
                     "would break them all. Use register --userns CMD to try it in a private "
                     "namespace, or --global to do it anyway.");
            else
                warn("refusing to %s in the machine's own binfmt_misc instance without "
                     "--global.", what);
            return -1;
        }
        break;
    case INST_INHERITED:
    case INST_UNKNOWN:
        if (!global) {
            warn("refusing to %s: the binfmt_misc instance at %s is not this user "
                 "namespace's own (%s); it may be the machine's. Mount a private one first "
                 "(mount -t binfmt_misc none %s)%s; --global writes to it anyway.", what,
                 BINFMT_DIR, why, BINFMT_DIR,
                 strcmp(what, "register") ? "" : " or use register --userns CMD");
            return -1;
        }
        break;
    }
    if (!mounted(&(struct stat){0})) {
        warn("binfmt_misc is not mounted at %s (mount -t binfmt_misc none %s)", BINFMT_DIR,
             BINFMT_DIR);
        return -1;
    }
    return 0;
}

/* LOADER_ARG as given (NULL: the default), resolved only once the instance
 * may be written. */
int binfmt_register(const char *loader_arg, int global, int runtime)
{
    enum instance in;
    const char *loader;

    if (may_write("register", global, &in))
        return -1;
    loader = resolve_loader(loader_arg);
    if (loader_check(loader))
        return -1;
    if (in != INST_OWN)
        warn("warning: registering %s in a binfmt_misc instance that is not private (%s): "
             "every ELF exec of %s now goes through it, and if it fails nothing can be "
             "started any more. Undo with 'selctl unregister --global' or, from a shell "
             "that is already running, 'echo -1 > %s/%s'.",
             loader, in == INST_MACHINE ? "the machine's own" : "possibly the machine's own",
             in == INST_MACHINE ? "the machine" : "every namespace using it",
             BINFMT_DIR, BINFMT_NAME);
    if (!global || runtime)
        return binfmt_install(loader);
    if (binfmtd_write(loader))
        return -1;
    if (binfmtd_apply(loader)) {
        warn("%s is written but its entry is not registered: selctl unregister --global "
             "removes it", BINFMT_D_FILE);
        return -1;
    }
    return 0;
}

int binfmt_unregister(int global, int runtime)
{
    enum instance in;

    /* The file first, whatever the instance: an entry removed but still
     * in /etc/binfmt.d would come back at the next boot, and a package
     * removed where no binfmt_misc is mounted (a container) must not leave
     * it behind. */
    if (global && !runtime && binfmtd_remove())
        return -1;
    if (may_write("unregister", global, &in))
        return -1;
    if (write_file(BINFMT_DIR "/" BINFMT_NAME, "-1") == 0)
        return 0;
    if (errno == ENOENT) {
        warn("no runsel entry registered: nothing to do");
        return 0;
    }
    warn("%s/%s: %s", BINFMT_DIR, BINFMT_NAME, strerror(errno));
    return -1;
}

static void hex(char *out, const unsigned char *b)
{
    for (int i = 0; i < MAGIC_LEN; i++)
        sprintf(out + 2 * i, "%02x", b[i]);
}

/* Exit 0 when execs go through the loader: instance and entry enabled. */
int binfmt_status(void)
{
    char line[4200], why[512], interp[4096] = "", flags[16] = "", mg[64] = "", mk[64] = "";
    char want_magic[2 * MAGIC_LEN + 1], want_mask[2 * MAGIC_LEN + 1];
    int enabled = 0, on = 0;
    struct stat st;
    FILE *f;

    binfmtd_status();
    switch (binfmt_instance(why, sizeof(why))) {
    case INST_MACHINE:
        puts("binfmt_misc instance: the machine's own (initial user namespace)");
        break;
    case INST_OWN:
        puts("binfmt_misc instance: this user namespace's own (private)");
        break;
    case INST_INHERITED:
    case INST_UNKNOWN:
        printf("binfmt_misc instance: not this user namespace's (%s): an ancestor's, possibly "
               "the machine's own\n", why);
        break;
    case INST_UNMOUNTED:
        puts("binfmt_misc instance: none mounted here: execs use an ancestor namespace's, "
             "possibly the machine's own");
        break;
    }
    if (!mounted(&st)) {
        printf("binfmt_misc: not mounted at %s\n", BINFMT_DIR);
        return 1;
    }
    f = fopen(BINFMT_DIR "/status", "re");
    if (f && fgets(line, sizeof(line), f))
        on = !strcmp(line, "enabled\n");
    if (f)
        fclose(f);
    printf("binfmt_misc: mounted at %s, %s\n", BINFMT_DIR, on ? "enabled" : "DISABLED");
    f = fopen(BINFMT_DIR "/" BINFMT_NAME, "re");
    if (!f) {
        puts("runsel entry: not registered");
        return 1;
    }
    puts("runsel entry: registered");
    while (fgets(line, sizeof(line), f)) {
        printf("  %s", line);
        line[strcspn(line, "\n")] = 0;
        if (!strcmp(line, "enabled"))
            enabled = 1;
        sscanf(line, "interpreter %4095[^\n]", interp);
        sscanf(line, "flags: %15s", flags);
        sscanf(line, "magic %63s", mg);
        sscanf(line, "mask %63s", mk);
    }
    fclose(f);
    hex(want_magic, magic);
    hex(want_mask, mask);
    if (strcmp(flags, ENTRY_FLAGS) || strcmp(mg, want_magic) || strcmp(mk, want_mask))
        printf("  NOT the entry selctl registers (flags %s, magic %s, mask %s expected)\n",
               ENTRY_FLAGS, want_magic, want_mask);
    else
        puts("  the entry selctl registers");
    if (interp[0]) {
        int rc = loader_problem(interp, why, sizeof(why));
        /* The file now at that path; with F the kernel holds the one it
         * opened at registration. */
        printf("  loader: %s\n", rc == 0 ? "ok (static, stamped)" : why);
    }
    return on && enabled ? 0 : 1;
}
