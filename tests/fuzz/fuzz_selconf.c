/* fuzz_selconf.c — libFuzzer target over the code that reads
 * administrator-supplied files on every exec: the selected.conf parser and
 * matcher (selconf/selconf.c, glob.c) and the compiled-index (its drop-in
 * table too) and hash-cache readers
 * (selconf/selindex.c).  The first input byte picks which; the rest is the
 * file.  Built with clang -fsanitize=fuzzer,address,undefined by
 * `make fuzz`; `make check` runs it for a bounded time. */
#define _GNU_SOURCE
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "selconf.h"
#include "selindex.h"

static const char *const paths[] = {"/usr/bin/cat", "/opt/untrusted/a/b", "/", "/usr/lib/x"};

static int parse_and_match(const char *line, size_t len, unsigned lineno, void *ctx)
{
    struct sel_entry e;
    const char *why;

    (void)ctx;
    if (selconf_parse_line(line, len, lineno, &e, &why) == 1)
        for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
            selconf_path_matches(&e, paths[i], strlen(paths[i]));
    return 0;
}

static int no_hash(void *ctx, unsigned char out[16])
{
    (void)ctx;
    memset(out, 0x5a, 16);
    return 0;
}

/* The readers take a file descriptor: hand them the bytes in a memfd. */
static void read_as_files(const uint8_t *data, size_t size)
{
    int fd = memfd_create("fuzz", MFD_CLOEXEC);
    struct selidx_header h;
    static char entry[SELIDX_MAX_STR];
    struct selidx_result r = {.entry = entry, .entry_size = sizeof(entry)};
    struct stat st;
    unsigned char out[16];

    if (fd < 0)
        return;
    if (write(fd, data, size) == (ssize_t)size) {
        if (selidx_read_header(fd, size, &h) == 0) {
            struct selidx_dropin d;
            for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
                selidx_lookup(fd, &h, paths[i], strlen(paths[i]), no_hash, NULL, &r);
            for (uint32_t i = 0; i < h.ndropins; i++)   /* the drop-in table (format 4) */
                selidx_dropin(fd, &h, i, &d);
        }
        memset(&st, 0, sizeof(st));
        st.st_ino = 42;
        selhc_lookup(fd, size, &st, out);
    }
    close(fd);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    if (data[0] & 1)
        read_as_files(data + 1, size - 1);
    else
        selconf_foreach_line((const char *)data + 1, size - 1, parse_and_match, NULL);
    return 0;
}
