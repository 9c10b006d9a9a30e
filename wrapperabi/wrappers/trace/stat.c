/* stat.c — what stat shows, as strace 6.1 prints it: struct stat (stat,
 * fstat, lstat, newfstatat), struct statx, and the calls that make or
 * change what they show (mknod, mknodat, utimensat): strace's stat.c,
 * print_struct_stat.c, statx.c, mknod.c, utimes.c.  Also the printers the
 * family shares: a mode with its file type, a device number, and a time's
 * comment in local time ("/ * 2023-11-14T22:13:20.123456789+0000 * /").
 *
 * Structures print abbreviated ({st_mode=S_IFREG|0644, st_size=5, ...})
 * unless -v (verbose=yes); an output structure prints on exit, and as its
 * address when the call failed or it cannot be read. */
#include <asm/stat.h>
#include <linux/stat.h>
#include "trace.h"
#include "xlat/at_flags.h"
#include "xlat/mode_types.h"
#include "xlat/statx_attrs.h"
#include "xlat/statx_masks.h"
#include "xlat/statx_sync_types.h"
#include "xlat/utime_special.h"

/* <sys/stat.h>'s, which cannot come with the kernel's struct stat */
#define S_IFMT_ 0170000u
#define S_IFCHR_ 0020000u
#define S_IFBLK_ 0060000u
#define S_ISUID_ 0004000u
#define S_ISGID_ 0002000u
#define S_ISVTX_ 0001000u
#define AT_STATX_SYNC_TYPE_ 0x6000u

static unsigned xlat_style(const struct tcb *t)
{
    return t->o->style & RS_XLAT_MASK;
}

/* ---- shared printers */

/* S_IFREG|S_ISUID|0755 (strace's print_symbolic_mode_t): the type by
 * name, the set-id and sticky bits, the rest in octal; a type without a
 * name, and -X raw, in octal only; -X verbose: octal, the names in a
 * comment. */
void print_symbolic_mode(struct tcb *t, unsigned mode)
{
    const char *type = (mode & S_IFMT_) ? rs_xlat_name(xlat_mode_types, mode & S_IFMT_) : "";
    unsigned x = xlat_style(t);

    if (!type || x != RS_XLAT_ABBREV)
        tprintf(t, "%#03o", mode);
    if (!type || x == RS_XLAT_RAW)
        return;
    if (x == RS_XLAT_VERBOSE)
        tprints(t, " /* ");
    tprintf(t, "%s%s%s%s%s%#03o", type, *type ? "|" : "",
            (mode & S_ISUID_) ? "S_ISUID|" : "", (mode & S_ISGID_) ? "S_ISGID|" : "",
            (mode & S_ISVTX_) ? "S_ISVTX|" : "", mode & ~(S_IFMT_ | S_ISUID_ | S_ISGID_ | S_ISVTX_));
    if (x == RS_XLAT_VERBOSE)
        tprints(t, " */");
}

/* The kernel's (and glibc's) encoding of a device number: the minor's low
 * byte, the major's 12 bits, the minor's next 12, then the high bits. */
static unsigned dev_major(unsigned long long dev)
{
    return (unsigned)(((dev >> 8) & 0xfff) | ((dev >> 32) & ~0xfffULL));
}

static unsigned dev_minor(unsigned long long dev)
{
    return (unsigned)((dev & 0xff) | ((dev >> 12) & ~0xffULL));
}

/* makedev(0x1, 0x3); -X raw: the number; -X verbose: both. */
void print_dev(struct tcb *t, unsigned long long dev)
{
    unsigned x = xlat_style(t);

    if (x != RS_XLAT_ABBREV)
        tprintf(t, "%#llx", dev);
    if (x == RS_XLAT_RAW)
        return;
    if (x == RS_XLAT_VERBOSE)
        tprints(t, " /* ");
    tprintf(t, "makedev(%#x, %#x)", dev_major(dev), dev_minor(dev));
    if (x == RS_XLAT_VERBOSE)
        tprints(t, " */");
}

/* " / * 2023-11-14T22:13:20.123456789+0000 * /" after a time, as strace's
 * sprinttime_nsec: the local time (tz.c) and its offset; nothing for 0
 * (and 0 ns), for nsec past a second, or where glibc's localtime fails (a
 * year beyond struct tm's int). */
void print_time_comment(struct tcb *t, long long sec, unsigned long long nsec)
{
    struct civil c;
    long off;
    char zone[TZ_OFFSET_TEXT];

    if ((sec == 0 && nsec == 0) || nsec > 999999999ULL || tz_local_date(sec, &c, &off))
        return;
    /* glibc's %Y is tm_year + 1900 in an int: it wraps at the very end */
    tprintf(t, " /* %d-%02u-%02uT%02u:%02u:%02u", (int)(unsigned)(unsigned long long)c.year,
            c.month, c.day, c.hour, c.min, c.sec);
    if (nsec)
        tprintf(t, ".%09llu", nsec);
    tz_offset_text(zone, off);
    tprintf(t, "%s */", zone);
}

/* ---- struct stat: stat, fstat, lstat, newfstatat */

static void print_stat_time(struct tcb *t, const char *name, long long sec, unsigned long long nsec)
{
    tprintf(t, ", %s=%lld", name, sec);
    print_time_comment(t, sec, nsec);
    tprintf(t, ", %s_nsec=%llu", name, nsec);
}

static void print_struct_stat(struct tcb *t, const struct stat *st)
{
    unsigned type = st->st_mode & S_IFMT_;

    tprints(t, "{");
    if (topt.verbose) {
        tprints(t, "st_dev=");
        print_dev(t, st->st_dev);
        tprintf(t, ", st_ino=%llu, st_mode=", (unsigned long long)st->st_ino);
        print_symbolic_mode(t, (unsigned)st->st_mode);
        tprintf(t, ", st_nlink=%llu, st_uid=%llu, st_gid=%llu, st_blksize=%llu, st_blocks=%llu",
                (unsigned long long)st->st_nlink, (unsigned long long)st->st_uid,
                (unsigned long long)st->st_gid, (unsigned long long)st->st_blksize,
                (unsigned long long)st->st_blocks);
    } else {
        tprints(t, "st_mode=");
        print_symbolic_mode(t, (unsigned)st->st_mode);
    }
    if (type == S_IFCHR_ || type == S_IFBLK_) {
        tprints(t, ", st_rdev=");
        print_dev(t, st->st_rdev);
    } else {
        tprintf(t, ", st_size=%llu", (unsigned long long)st->st_size);
    }
    if (topt.verbose) {
        print_stat_time(t, "st_atime", (long)st->st_atime, st->st_atime_nsec);
        print_stat_time(t, "st_mtime", (long)st->st_mtime, st->st_mtime_nsec);
        print_stat_time(t, "st_ctime", (long)st->st_ctime, st->st_ctime_nsec);
    } else {
        tprints(t, ", ...");
    }
    tprints(t, "}");
}

/* On exit: the structure the kernel filled, or its address. */
static void print_stat_out(struct tcb *t, unsigned long addr)
{
    struct stat st;

    if (syserror(t) || !umoven(t, addr, &st, sizeof(st)))
        printaddr(t, addr);
    else
        print_struct_stat(t, &st);
}

/* stat, lstat: a path, then the structure on exit. */
static int decode_path_stat(struct tcb *t)
{
    if (entering(t)) {
        printpath(t, (unsigned long)t->arg[0]);
        tprints(t, ", ");
        return 0;
    }
    print_stat_out(t, (unsigned long)t->arg[1]);
    return 0;
}

SYS_FUNC(stat)
{
    return decode_path_stat(t);
}

SYS_FUNC(lstat)
{
    return decode_path_stat(t);
}

SYS_FUNC(fstat)
{
    if (entering(t)) {
        printfd(t, t->arg[0]);
        tprints(t, ", ");
        return 0;
    }
    print_stat_out(t, (unsigned long)t->arg[1]);
    return 0;
}

SYS_FUNC(newfstatat)
{
    if (entering(t)) {
        print_dirfd(t, t->arg[0]);
        tprints(t, ", ");
        printpath(t, (unsigned long)t->arg[1]);
        tprints(t, ", ");
        return 0;
    }
    print_stat_out(t, (unsigned long)t->arg[2]);
    tprints(t, ", ");
    printflags(t, xlat_at_flags, (unsigned)t->arg[3], "AT_???");
    return 0;
}

/* ---- statx */

/* The flags: the synchronisation type (AT_STATX_SYNC_AS_STAT is its 0),
 * then "|" and the AT_* flags.  Under -X raw strace 6.1 prints nothing for
 * a type of 0 ("|0x100", or an empty argument): so does this. */
static void print_statx_flags(struct tcb *t, unsigned flags)
{
    unsigned sync = flags & AT_STATX_SYNC_TYPE_, rest = flags & ~AT_STATX_SYNC_TYPE_;

    if (sync || xlat_style(t) != RS_XLAT_RAW)
        printflags(t, xlat_statx_sync_types, sync, NULL);
    if (rest) {
        tprints(t, "|");
        printflags(t, xlat_at_flags, rest, NULL);
    }
}

static void print_statx_time(struct tcb *t, const char *name, const struct statx_timestamp *ts)
{
    tprintf(t, ", %s={tv_sec=%lld, tv_nsec=%u}", name, (long long)ts->tv_sec, ts->tv_nsec);
    print_time_comment(t, ts->tv_sec, ts->tv_nsec);
}

/* A uid or gid: -1 as -1 (strace's PRINT_FIELD_ID). */
static void print_statx_id(struct tcb *t, const char *name, unsigned id)
{
    if (id == (unsigned)-1)
        tprintf(t, ", %s=-1", name);
    else
        tprintf(t, ", %s=%u", name, id);
}

/* -v: every field the kernel says it filled (stx_mask), as strace 6.1. */
static void print_statx_verbose_tail(struct tcb *t, const struct statx *s)
{
    unsigned m = s->stx_mask;

    if (m & STATX_BLOCKS)
        tprintf(t, ", stx_blocks=%llu", (unsigned long long)s->stx_blocks);
    tprints(t, ", stx_attributes_mask=");
    printflags(t, xlat_statx_attrs, s->stx_attributes_mask, "STATX_ATTR_???");
    if (m & STATX_ATIME)
        print_statx_time(t, "stx_atime", &s->stx_atime);
    if (m & STATX_BTIME)
        print_statx_time(t, "stx_btime", &s->stx_btime);
    if (m & STATX_CTIME)
        print_statx_time(t, "stx_ctime", &s->stx_ctime);
    if (m & STATX_MTIME)
        print_statx_time(t, "stx_mtime", &s->stx_mtime);
    tprintf(t, ", stx_rdev_major=%u, stx_rdev_minor=%u, stx_dev_major=%u, stx_dev_minor=%u",
            s->stx_rdev_major, s->stx_rdev_minor, s->stx_dev_major, s->stx_dev_minor);
    if (m & STATX_MNT_ID)
        tprintf(t, ", stx_mnt_id=%#llx", (unsigned long long)s->stx_mnt_id);
    if (m & STATX_DIOALIGN)
        tprintf(t, ", stx_dio_mem_align=%u, stx_dio_offset_align=%u", s->stx_dio_mem_align,
                s->stx_dio_offset_align);
}

static void print_struct_statx(struct tcb *t, const struct statx *s)
{
    unsigned m = s->stx_mask;

    tprints(t, "{stx_mask=");
    printflags(t, xlat_statx_masks, m, "STATX_???");
    if (topt.verbose)
        tprintf(t, ", stx_blksize=%u", s->stx_blksize);
    tprints(t, ", stx_attributes=");
    printflags(t, xlat_statx_attrs, s->stx_attributes, "STATX_ATTR_???");
    if (topt.verbose) {
        if (m & STATX_NLINK)
            tprintf(t, ", stx_nlink=%u", s->stx_nlink);
        if (m & STATX_UID)
            print_statx_id(t, "stx_uid", s->stx_uid);
        if (m & STATX_GID)
            print_statx_id(t, "stx_gid", s->stx_gid);
    }
    if (m & (STATX_TYPE | STATX_MODE)) {
        tprints(t, ", stx_mode=");
        print_symbolic_mode(t, s->stx_mode);
    }
    if (topt.verbose && (m & STATX_INO))
        tprintf(t, ", stx_ino=%llu", (unsigned long long)s->stx_ino);
    if (m & STATX_SIZE)
        tprintf(t, ", stx_size=%llu", (unsigned long long)s->stx_size);
    if (topt.verbose)
        print_statx_verbose_tail(t, s);
    else
        tprints(t, ", ...");
    tprints(t, "}");
}

SYS_FUNC(statx)
{
    struct statx s;
    unsigned long addr = (unsigned long)t->arg[4];

    if (entering(t)) {
        print_dirfd(t, t->arg[0]);
        tprints(t, ", ");
        printpath(t, (unsigned long)t->arg[1]);
        tprints(t, ", ");
        print_statx_flags(t, (unsigned)t->arg[2]);
        tprints(t, ", ");
        printflags(t, xlat_statx_masks, (unsigned)t->arg[3], "STATX_???");
        tprints(t, ", ");
        return 0;
    }
    if (syserror(t) || !umoven(t, addr, &s, sizeof(s)))
        printaddr(t, addr);
    else
        print_struct_statx(t, &s);
    return 0;
}

/* ---- mknod, mknodat: the mode with its type, the device for devices */

static void print_mknod_args(struct tcb *t, unsigned long path, unsigned short mode, unsigned dev)
{
    unsigned type = mode & S_IFMT_;

    printpath(t, path);
    tprints(t, ", ");
    print_symbolic_mode(t, mode);
    if (type == S_IFCHR_ || type == S_IFBLK_) {
        tprints(t, ", ");
        print_dev(t, dev);
    }
}

SYS_FUNC(mknod)
{
    print_mknod_args(t, (unsigned long)t->arg[0], (unsigned short)t->arg[1], (unsigned)t->arg[2]);
    return RVAL_DECODED;
}

SYS_FUNC(mknodat)
{
    print_dirfd(t, t->arg[0]);
    tprints(t, ", ");
    print_mknod_args(t, (unsigned long)t->arg[1], (unsigned short)t->arg[2], (unsigned)t->arg[3]);
    return RVAL_DECODED;
}

/* ---- utimensat: two timespecs, UTIME_NOW and UTIME_OMIT by name */

static void print_utime_timespec(struct tcb *t, const long ts[2])
{
    const char *special = rs_xlat_name(xlat_utime_special, (unsigned long)ts[1]);
    unsigned x = xlat_style(t);

    if (!special || x != RS_XLAT_ABBREV)
        tprintf(t, "{tv_sec=%lld, tv_nsec=%llu}", (long long)ts[0], (unsigned long long)(unsigned long)ts[1]);
    if (!special)
        print_time_comment(t, ts[0], (unsigned long)ts[1]);
    else if (x == RS_XLAT_VERBOSE)
        tprintf(t, " /* %s */", special);
    else if (x == RS_XLAT_ABBREV)
        tprints(t, special);
}

SYS_FUNC(utimensat)
{
    long ts[2][2];

    print_dirfd(t, t->arg[0]);
    tprints(t, ", ");
    printpath(t, (unsigned long)t->arg[1]);
    tprints(t, ", ");
    if (umove_or_printaddr(t, (unsigned long)t->arg[2], &ts)) {
        tprints(t, "[");
        print_utime_timespec(t, ts[0]);
        tprints(t, ", ");
        print_utime_timespec(t, ts[1]);
        tprints(t, "]");
    }
    tprints(t, ", ");
    printflags(t, xlat_at_flags, (unsigned)t->arg[3], "AT_???");
    return RVAL_DECODED;
}
