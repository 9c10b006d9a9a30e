/* binfmt.c — the runsel binfmt_misc entry.
 *
 *   :runsel:M:0:MAGIC:MASK:LOADER:POCF
 *
 * MAGIC/MASK cover the first 20 bytes of an ELF file: \x7fELF, class 64,
 * little endian, version 1; EI_OSABI and EI_ABIVERSION masked so
 * ELFOSABI_GNU programs match too; EI_PAD (bytes 9-15) must be zero — the
 * loader stamps byte 15 with 'S' so it never matches its own entry (that
 * would make every exec fail with ENOEXEC); e_type 2 or 3 (ET_EXEC, ET_DYN,
 * mask 0xfe); e_machine 62 (x86-64).
 * Flags: P preserve argv[0], O pass the program as AT_EXECFD (execute-only
 * binaries), C credentials from the program (setuid, file capabilities),
 * F open the loader now (works inside containers and chroots). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "selctl.h"

static const unsigned char magic[20] = {0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0,
                                        0,    0,   0,   0,   0, 0, 2, 0, 0x3e, 0};
static const unsigned char mask[20] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0xff,
                                       0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe, 0xff, 0xff, 0xff};

static int put_hex(char *buf, unsigned long size, unsigned long *at, const unsigned char *b)
{
    for (int i = 0; i < 20; i++) {
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

    if (n < 0 || (unsigned long)n >= size)
        return -1;
    at = (unsigned long)n;
    if (put_hex(buf, size, &at, magic) || at + 1 >= size)
        return -1;
    buf[at++] = ':';
    if (put_hex(buf, size, &at, mask))
        return -1;
    n = snprintf(buf + at, size - at, ":%s:POCF", loader);
    return n < 0 || (unsigned long)n >= size - at ? -1 : 0;
}

/* The instance at BINFMT_DIR is the machine's own unless we are inside a
 * user namespace (which may have mounted a private one, Linux >= 6.7). */
int in_initial_userns(void)
{
    char map[128] = "";
    FILE *f = fopen("/proc/self/uid_map", "r");

    if (!f)
        return 1;
    if (!fgets(map, sizeof(map), f))
        map[0] = 0;
    fclose(f);
    unsigned a, b;
    unsigned long c;
    return sscanf(map, "%u %u %lu", &a, &b, &c) == 3 && a == 0 && b == 0 && c == 4294967295UL;
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

int binfmt_register(const char *loader)
{
    char line[512];

    if (access(BINFMT_DIR "/register", W_OK) != 0) {
        warn("%s/register: %s (is binfmt_misc mounted?)", BINFMT_DIR, strerror(errno));
        return -1;
    }
    if (access(BINFMT_DIR "/" BINFMT_NAME, F_OK) == 0 && binfmt_unregister())
        return -1;
    if (binfmt_entry(loader, line, sizeof(line))) {
        warn("loader path too long: %s", loader);
        return -1;
    }
    if (write_file(BINFMT_DIR "/register", line)) {
        warn("registering %s: %s", loader, strerror(errno));
        return -1;
    }
    return 0;
}

int binfmt_unregister(void)
{
    if (write_file(BINFMT_DIR "/" BINFMT_NAME, "-1") == 0 || errno == ENOENT)
        return 0;
    warn("%s/%s: %s", BINFMT_DIR, BINFMT_NAME, strerror(errno));
    return -1;
}

int binfmt_status(void)
{
    char line[512];
    FILE *f;

    printf("binfmt_misc instance: %s\n",
           in_initial_userns() ? "the machine's own (initial user namespace)"
                               : "this user namespace's (private if mounted here)");
    if (access(BINFMT_DIR "/status", F_OK) != 0) {
        printf("binfmt_misc: not mounted at %s\n", BINFMT_DIR);
        return 1;
    }
    f = fopen(BINFMT_DIR "/" BINFMT_NAME, "r");
    if (!f) {
        printf("runsel entry: not registered\n");
        return 1;
    }
    printf("runsel entry: registered\n");
    while (fgets(line, sizeof(line), f))
        printf("  %s", line);
    fclose(f);
    return 0;
}
