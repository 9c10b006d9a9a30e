/* idxcheck.c — does FILE.idx say what the list says?  For `selctl check`
 * and `selctl status`.  The loader verifies only the records it reads on
 * an exec (selindex.h); here the whole index is verified: its header
 * check, the checksum of its whole body, the identity and text hash of the
 * list it was compiled from, and finally that compiling the list as it is
 * now gives exactly the same bytes — so a damaged record the loader would
 * only meet on some exec, or an index from another text, is reported now. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#define XXH_INLINE_ALL
#include <xxhash.h>
#include "selctl.h"
#include "selindex.h"

/* The whole file open on fd, or NULL. */
static char *read_all(int fd, size_t *size)
{
    struct stat st;

    if (fstat(fd, &st) || !S_ISREG(st.st_mode))
        return NULL;
    char *buf = malloc((size_t)st.st_size + 1);
    if (buf && read(fd, buf, (size_t)st.st_size) == st.st_size) {
        *size = (size_t)st.st_size;
        return buf;
    }
    free(buf);
    return NULL;
}

static int same_text_hash(const struct selidx_header *h, const char *text, size_t len)
{
    XXH128_canonical_t c;

    XXH128_canonicalFromHash(&c, XXH3_128bits(text, len));
    return !memcmp(c.digest, h->text_hash, 16);
}

/* Why the index image (isize bytes) does not describe text, or NULL. */
static enum index_verdict diagnose(const char *img, size_t isize, const char *text, size_t len,
                                   const struct stat *lst, const char **why)
{
    struct selidx_header h;

    if (isize < 8 || memcmp(img, SELIDX_MAGIC, 7))
        return *why = "corrupt: not a compiled index (bad magic)", INDEX_BAD;
    if (memcmp(img, SELIDX_MAGIC, 8))
        return *why = "stale: written in another index format, which the loader ignores",
               INDEX_STALE;
    if (isize < sizeof(h))
        return *why = "corrupt: truncated", INDEX_BAD;
    memcpy(&h, img, sizeof(h));
    if (h.check != selidx_check(&h, offsetof(struct selidx_header, check), 0))
        return *why = "corrupt: its header fails its check", INDEX_BAD;
    if (h.file_size != isize)
        return *why = "corrupt: its size is not the one its header records", INDEX_BAD;
    if (h.body_hash != XXH3_64bits(img + sizeof(h), isize - sizeof(h)))
        return *why = "corrupt: its body does not match its checksum", INDEX_BAD;
    if (!selidx_fresh(&h, lst))
        return *why = same_text_hash(&h, text, len)
                          ? "stale: the list was touched or replaced since it was compiled "
                            "(same text)"
                          : "stale: the list changed since it was compiled",
               INDEX_STALE;
    if (!same_text_hash(&h, text, len))
        return *why = "corrupt: it records another text than the list's", INDEX_BAD;
    size_t want_size;
    uint32_t nexact, npat;
    char *want = compile_text(text, len, lst, &want_size, &nexact, &npat);
    int same = want_size == isize && !memcmp(want, img, isize);
    free(want);
    if (!same)
        return *why = "corrupt: its entries are not the list's (intact checks: written by "
                      "another selctl?)",
               INDEX_BAD;
    return *why = NULL, INDEX_FRESH;
}

enum index_verdict index_verdict(const char *file, const char **why)
{
    char path[PATH_MAX];
    struct stat lst;
    size_t isize, len;

    snprintf(path, sizeof(path), "%s.idx", file);
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0 && errno == ENOENT)
        return *why = "no compiled index (the loader parses the list; run selctl compile)",
               INDEX_NONE;
    char *img = fd >= 0 ? read_all(fd, &isize) : NULL;
    if (fd >= 0)
        close(fd);
    if (!img)
        return *why = "corrupt: the compiled index cannot be read as a regular file", INDEX_BAD;
    char *text = read_list(file, &lst, &len);
    enum index_verdict v = INDEX_BAD;
    *why = "the list cannot be read";
    if (text)
        v = diagnose(img, isize, text, len, &lst, why);
    free(text);
    free(img);
    return v;
}

const char *index_state(const char *file)
{
    static char msg[256];
    const char *why;

    switch (index_verdict(file, &why)) {
    case INDEX_FRESH:
        return NULL;
    case INDEX_NONE:
        return why;
    default:
        snprintf(msg, sizeof(msg), "the compiled index is %s; the loader parses the list "
                 "until selctl compile", why);
        return msg;
    }
}
