/* vma.c — is an address in a mapping the fast path may patch, and where
 * does the ELF object holding it start?
 *
 * A site may be patched only in a private, read-only, executable mapping
 * of a file: never anonymous or JIT memory, never the vDSO (not a file),
 * never writable or shared memory (its bytes can change under us).  The
 * object's start is the mapping of the same file at offset 0, whose ELF
 * header and program headers lead the boundary proof to .eh_frame_hdr.
 *
 * Asked with PROCMAP_QUERY (Linux >= 6.11: one ioctl per mapping on
 * /proc/self/maps); where the kernel has none (Debian 12's 6.1), the
 * same file is read as text, a line at a time, up to the mapping. */
#define _GNU_SOURCE
#include <fcntl.h>
#include "im.h"
#include "fastpath.h"

/* include/uapi/linux/fs.h */
struct procmap_query_ {
    uint64_t size, query_flags, query_addr;
    uint64_t vma_start, vma_end, vma_flags, vma_page_size, vma_offset, inode;
    uint32_t dev_major, dev_minor, vma_name_size, build_id_size;
    uint64_t vma_name_addr, build_id_addr;
};
#define PROCMAP_QUERY_ 0xc0686611UL        /* _IOWR('f', 17, struct procmap_query) */
#define PMQ_READ 1u
#define PMQ_WRITE 2u
#define PMQ_EXEC 4u
#define PMQ_SHARED 8u
#define PMQ_FILE_BACKED 0x20u

/* One mapping, as either source describes it. */
struct vma {
    uintptr_t start, end, offset;
    uint64_t inode;
    uint32_t dev_major, dev_minor;
    int r_x_p;                      /* readable, executable, not writable, private */
};

static int query(long fd, uintptr_t at, struct vma *v)
{
    struct procmap_query_ q = {.size = sizeof(q), .query_addr = at,
                               .query_flags = PMQ_FILE_BACKED};
    long r = im_sys(SYS_ioctl, fd, PROCMAP_QUERY_, &q);

    if (r)
        return (int)r;
    if (!(q.vma_start <= at && at < q.vma_end))
        return -ENOENT;
    *v = (struct vma){q.vma_start, q.vma_end, q.vma_offset, q.inode, q.dev_major, q.dev_minor,
                      (q.vma_flags & (PMQ_READ | PMQ_EXEC | PMQ_WRITE | PMQ_SHARED)) ==
                          (PMQ_READ | PMQ_EXEC)};
    return 0;
}

/* ---- the text form: "start-end perms offset major:minor inode path" ---- */

static const char *hex(const char *p, const char *end, uint64_t *out)
{
    uint64_t v = 0;
    const char *s = p;

    for (; p < end; p++) {
        int d = *p >= '0' && *p <= '9' ? *p - '0' : *p >= 'a' && *p <= 'f' ? *p - 'a' + 10 : -1;
        if (d < 0)
            break;
        v = v * 16 + (uint64_t)d;
    }
    *out = v;
    return p > s && p - s <= 16 ? p : NULL;
}

static const char *dec(const char *p, const char *end, uint64_t *out)
{
    uint64_t v = 0;
    const char *s = p;

    for (; p < end && *p >= '0' && *p <= '9'; p++)
        v = v * 10 + (uint64_t)(*p - '0');
    *out = v;
    return p > s && p - s <= 20 ? p : NULL;
}

static const char *expect(const char *p, const char *end, char c)
{
    return p && p < end && *p == c ? p + 1 : NULL;
}

/* One line (without its newline) into v; 0, or -1 if it is not one. */
static int parse_line(const char *p, const char *end, struct vma *v)
{
    uint64_t a, b, off, maj, min, ino;
    const char *perms;

    p = expect(hex(p, end, &a), end, '-');
    p = p ? expect(hex(p, end, &b), end, ' ') : NULL;
    if (!p || end - p < 5)
        return -1;
    perms = p;
    p = expect(p + 4, end, ' ');
    p = p ? expect(hex(p, end, &off), end, ' ') : NULL;
    p = p ? expect(hex(p, end, &maj), end, ':') : NULL;
    p = p ? expect(hex(p, end, &min), end, ' ') : NULL;
    p = p ? dec(p, end, &ino) : NULL;
    if (!p)
        return -1;
    *v = (struct vma){a, b, off, ino, (uint32_t)maj, (uint32_t)min,
                      perms[0] == 'r' && perms[1] == '-' && perms[2] == 'x' && perms[3] == 'p'};
    return 0;
}

static char *find_nl(char *p, const char *end)
{
    for (; p < end; p++)
        if (*p == '\n')
            return p;
    return NULL;
}

/* The text, up to the mapping holding at: it, and the last mapping of
 * file offset 0 before it (the lines come in address order). */
static int scan_text(long fd, uintptr_t at, struct vma *hit, struct vma *head)
{
    char buf[4096];
    size_t have = 0;
    int skipping = 0, seen_head = 0;

    for (;;) {
        long n = im_sys(SYS_read, fd, buf + have, sizeof(buf) - have);
        if (n <= 0)
            return -ENOENT;
        have += (size_t)n;
        char *line = buf, *nl;
        while ((nl = find_nl(line, buf + have))) {
            struct vma v;
            if (!skipping && parse_line(line, nl, &v) == 0) {
                if (v.start <= at && at < v.end) {
                    *hit = v;
                    return seen_head ? 0 : -ENOENT;
                }
                if (v.offset == 0 && v.inode) {
                    *head = v;
                    seen_head = 1;
                }
            }
            skipping = 0;
            line = nl + 1;
        }
        if (line == buf) {          /* a line longer than the buffer: its path */
            skipping = 1;
            have = 0;
            continue;
        }
        have -= (size_t)(line - buf);
        memmove(buf, line, have);
    }
}

uintptr_t im_vma_object_base(uintptr_t at)
{
    long fd = im_sys(SYS_openat, AT_FDCWD, "/proc/self/maps", O_RDONLY | O_CLOEXEC);
    struct vma hit, head;
    int r;

    if (fd < 0)
        return 0;
    r = query(fd, at, &hit);
    if (r == 0 && hit.offset <= hit.start)
        r = query(fd, hit.start - hit.offset, &head);
    else if (r == -ENOTTY || r == -EINVAL)   /* a kernel without PROCMAP_QUERY */
        r = scan_text(fd, at, &hit, &head);
    im_sys(SYS_close, fd);
    if (r || !hit.r_x_p || !hit.inode || hit.offset > hit.start || head.offset != 0 ||
        head.start != hit.start - hit.offset || head.inode != hit.inode ||
        head.dev_major != hit.dev_major || head.dev_minor != hit.dev_minor)
        return 0;
    return head.start;
}
