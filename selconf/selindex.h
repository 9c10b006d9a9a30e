/* selindex.h — the compiled form of selected.conf (FILE.idx, written by
 * `selctl compile`), so that the loader decides with one probe however
 * long the list is.
 *
 * Layout (little endian, offsets from the start of the file):
 *   header | slots[nslots] | patterns[npatterns] | string table
 * Exact paths (and exact-path exclusions) live in an open-addressing hash
 * table keyed by XXH3-64 of the path; globs and content hashes cannot be
 * hashed by path and are kept as a (short) list of patterns.  The header
 * records the identity of the list it was built from — device, inode,
 * size, mtime and ctime, and XXH3-128 of its text — and the loader uses
 * the index only while the identity still matches the list it opened;
 * otherwise it parses the text.
 *
 * Drop-ins (format 4): the index covers the list and its drop-ins
 * (LIST.d/NAME.conf, selconf.h), their lines numbered as selconf.h says.
 * A table after the string table records each drop-in's name and identity
 * in reading order; the index is fresh only while the drop-ins the loader
 * finds now are exactly those, by name, in that order, each with the
 * recorded identity.  So an edit in place, an addition, a removal or a
 * rename of any of them makes it stale.  (The directory's own identity is
 * not recorded: a file that is not a drop-in coming and going there does
 * not make the index stale, and a name found by listing the directory does
 * not depend on its timestamps' granularity.)
 *
 * Integrity (format 3): the loader reads only a few records per exec, so
 * a checksum of the whole file could not be verified without reading all
 * of it.  Instead every record it reads carries its own check — the
 * header, each slot, each pattern, each string — XXH3-64 of the record's
 * bytes (without the check) seeded with the record's offset in the file,
 * so a record moved or copied elsewhere fails too.  A record that fails
 * makes the whole index "not usable": the text decides (same answer,
 * slower).  The header also carries XXH3-64 of the whole body and XXH3-128
 * of the list's text, which `selctl check` verifies in full.  These are
 * checks against corruption, not signatures: the index is trusted like the
 * list (owner, modes), and whoever may write it may write the list. */
#ifndef RUNSEL_SELINDEX_H
#define RUNSEL_SELINDEX_H

#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include "selconf.h"              /* SEL_MAX_DROPIN_NAME */

#define SELIDX_MAGIC "RUNSELX4"
#define SELIDX_EXCLUDE 1u
#define SELIDX_MAX_STR 4097     /* longest line (path, glob, entry) + 1 */

/* XXH3-128 of a file's contents, canonical (big-endian) bytes: the
 * program identity of xxh128: entries and of wrapper-hash= pins. */
int file_xxh128(int fd, unsigned char out[16]);

/* What identifies a file's contents without reading them: a change of
 * any of these (an edit, a chmod, a replacement by rename) changes one. */
struct sel_identity {
    uint64_t dev, ino, size;
    int64_t mtime_sec, mtime_nsec, ctime_sec, ctime_nsec;
};

void sel_identity_of(const struct stat *st, struct sel_identity *id);
int sel_identity_is(const struct sel_identity *id, const struct stat *st);

struct selidx_header {
    char magic[8];
    uint32_t nslots;            /* power of two */
    uint32_t npatterns;
    struct sel_identity list;   /* the list it describes */
    uint64_t slots_off, patterns_off, strtab_off, file_size;
    uint32_t ndropins, zero;    /* drop-in records (zero: padding, covered by the check) */
    uint64_t dropins_off;
    unsigned char text_hash[16];/* XXH3-128 of the list's text (canonical) */
    uint64_t body_hash;         /* XXH3-64 of bytes [sizeof header, file_size) */
    uint64_t check;             /* selidx_check of the bytes above, at offset 0 */
};

/* Every record (empty slots too) ends with its check. */
struct selidx_slot {            /* line == 0: empty */
    uint64_t key;               /* XXH3-64 of the path */
    uint32_t line, flags;
    uint32_t path_off, path_len;
    uint32_t entry_off, entry_len;  /* the whole line, re-parsed when it selects */
    uint64_t check;
};

struct selidx_pattern {
    uint32_t line, flags, kind; /* kind: enum sel_kind */
    uint32_t match_off, match_len;
    uint32_t entry_off, entry_len;
    unsigned char hash[16];
    uint32_t zero;              /* padding, covered by the check */
    uint64_t check;
};

/* One drop-in, in reading order (strcmp of the names). */
struct selidx_dropin {
    struct sel_identity id;
    unsigned char text_hash[16];/* XXH3-128 of its text, for selctl check's messages */
    char name[SEL_MAX_DROPIN_NAME + 1]; /* NUL-terminated, NUL-padded */
    uint64_t check;
};

/* A string at string-table offset off is stored as a uint64_t check
 * followed by its len bytes (no NUL); records name it by (off, len). */
#define SELIDX_STR_CHECK 8u

/* The check of a record of n bytes found at file offset `at` (the bytes
 * before its check field). */
uint64_t selidx_check(const void *rec, size_t n, uint64_t at);

/* Does the header describe the list with this stat? */
int selidx_fresh(const struct selidx_header *h, const struct stat *list);


/* Read and check the header of the index open on fd (size bytes): its
 * own check, the magic, and that every region lies inside the file. */
int selidx_read_header(int fd, uint64_t size, struct selidx_header *h);

uint64_t selidx_key(const char *path, size_t len);

/* Drop-in record i (< h->ndropins) into *d, checked: 0, or -1.  Records
 * are read eight at a time into a static buffer (not reentrant). */
int selidx_dropin(int fd, const struct selidx_header *h, uint32_t i, struct selidx_dropin *d);

struct selidx_result {
    unsigned line;              /* first selecting entry, 0: none */
    unsigned excluded_line;     /* an exclusion matched, 0: none */
    char *entry;                /* caller's buffer for that entry's line */
    size_t entry_size;          /* its size: at least SELIDX_MAX_STR */
    size_t entry_len;
};

/* Content hash of the program, asked for only if a hash pattern exists. */
typedef int (*selidx_hash_fn)(void *ctx, unsigned char out[16]);

/* Look path up; -1 if the index is malformed or any record read fails its
 * check (then parse the text).  Every offset followed is bounds-checked;
 * nothing is mapped.  r->entry and
 * r->entry_size are the caller's; the rest is filled in.  Not reentrant
 * (one static string buffer: stack pages cost a fault each on every exec). */
int selidx_lookup(int fd, const struct selidx_header *h, const char *path, size_t len,
                  selidx_hash_fn hash_of, void *ctx, struct selidx_result *r);

/* The content-hash cache (FILE.hcache, written by `selctl hash`): XXH3-128
 * of program contents keyed by (dev, inode) and valid while size, mtime
 * and ctime still match, so hash entries do not cost a read of the whole
 * program on every exec.  Layout: header | slots[nslots]. */
#define SELHC_MAGIC "RUNSELH2"

/* Records carry checks as in the index (selidx_check at their offset). */
struct selhc_header {
    char magic[8];
    uint32_t nslots, pad;       /* power of two */
    uint64_t file_size;
    uint64_t check;
};

struct selhc_slot {             /* id.ino == 0 && id.dev == 0: empty */
    struct sel_identity id;
    unsigned char hash[16];
    uint64_t check;
};

uint64_t selhc_key(uint64_t dev, uint64_t ino);
/* 0 and the hash if the cache holds a current one for st; -1 also when a
 * record read fails its check (the program is then hashed). */
int selhc_lookup(int fd, uint64_t size, const struct stat *st, unsigned char out[16]);

#endif
