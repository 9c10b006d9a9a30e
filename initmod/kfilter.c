/* kfilter.c — placement=kernel: the filters built from the stack's rules
 * installed for this process, just before the program's first
 * instruction, innermost wrapper first — for an entry of the list, from
 * the filters `selctl compile` wrote beside it (FILE.rules,
 * internal/kfile.h, opened and trusted by the loader); for runsel's
 * request, from those runsel compiled for this exec (the loader's -K:
 * tools/runsel/kernel.c).
 *
 * Each wrapper's filter is found by the canonical bytes of the rules
 * initmod itself built for it (runrules.h, rs_rules_canon): what is
 * installed is exactly what these rules say, or nothing — and then the
 * program does not run (126), enforcing or not: the entry asked for the
 * kernel to hold them.  Items inherited from the parent are in the kernel
 * already (it keeps a process's filters for its descendants), as are
 * runsel's request's (runsel installed them).
 *
 * Without CAP_SYS_ADMIN the kernel takes a filter only under
 * no_new_privs: then it is set, and the set-user-ID programs this one
 * execs run without the privileges they would gain (docs/placement.md). */
#include <linux/filter.h>
#include <sys/mman.h>
#include "im.h"
#include "kfile.h"
#include "runrules.h"

#define SECCOMP_SET_MODE_FILTER_ 1
#define SECCOMP_FILTER_FLAG_SPEC_ALLOW_ 4
#define PR_SET_NO_NEW_PRIVS_ 38
#define PR_GET_SECCOMP_ 21
#define EACCES_ 13
#define EINVAL_ 22

/* The file, mapped whole, or NULL with why. */
static const unsigned char *map_file(int fd, uint64_t *size, const char **why)
{
    struct {
        uint64_t dev, ino, nlink;
        uint32_t mode, uid, gid, pad;
        uint64_t rdev;
        int64_t size;
        uint64_t rest[12];
    } st;
    long r = im_sys(SYS_fstat, fd, &st);

    if (r || st.size < (int64_t)sizeof(struct rs_kfile_header) || st.size > RS_KFILE_MAX) {
        *why = "unreadable or of a wrong size";
        return NULL;
    }
    long p = im_sys(SYS_mmap, 0, st.size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (rs_is_err(p)) {
        *why = "cannot be mapped";
        return NULL;
    }
    *size = (uint64_t)st.size;
    return (const unsigned char *)p;
}

/* The filter of the entry whose canon is c[0..n), or NULL. */
static const struct sock_filter *find(const unsigned char *f, uint64_t size, const unsigned char *c,
                                      size_t n, unsigned *ninsns)
{
    const struct rs_kfile_header *h = (const void *)f;

    if (memcmp(h->magic, RS_KFILE_MAGIC, 8))
        return NULL;
    return rs_kfile_find(f, size, h->count, c, n, ninsns);
}

/* SPEC_ALLOW: the program's speculation state stays as it is natively
 * (kfilter.h, kf_keep_speculation); a kernel before 4.17 says EINVAL, and
 * the filter goes in without it. */
static long install_flags(const struct sock_fprog *prog)
{
    long r = im_sys(SYS_seccomp, SECCOMP_SET_MODE_FILTER_, SECCOMP_FILTER_FLAG_SPEC_ALLOW_, prog);

    return r == -EINVAL_ ? im_sys(SYS_seccomp, SECCOMP_SET_MODE_FILTER_, 0, prog) : r;
}

static long install(const struct sock_filter *insns, unsigned n)
{
    struct sock_fprog prog = {(unsigned short)n, (struct sock_filter *)insns};
    long r = install_flags(&prog);

    if (r == -EACCES_) {               /* no CAP_SYS_ADMIN: the kernel wants no_new_privs */
        im_sys(SYS_prctl, PR_SET_NO_NEW_PRIVS_, 1, 0, 0, 0);
        r = install_flags(&prog);
    }
    return r;
}

/* The filter for level i's rules (canon[0..n)) from file k (0: the
 * list's, 1: runsel's), installed, or the exec ends. */
static void install_level(int i, int k, const unsigned char *f, uint64_t size, const char *why,
                          const unsigned char *canon, size_t n)
{
    const struct rs_boot_wrapper *bw = &im.boot->w[i];
    const char *list = im.boot->list;
    unsigned ninsns = 0;

    if (!f && k == 0)
        im_die("wrapper %s (%s line %u): placement=kernel: %s.rules %s", bw->name, list, bw->line,
               list, why);
    if (!f)
        im_die("wrapper %s: placement=kernel: runsel's filters %s", bw->name, why);
    const struct sock_filter *insns = find(f, size, canon, n, &ninsns);
    if (!insns && k == 0)
        im_die("wrapper %s (%s line %u): placement=kernel: no filter for its rules in %s.rules "
               "(changed since it was compiled? run selctl compile)", bw->name, list, bw->line, list);
    if (!insns)
        im_die("wrapper %s: placement=kernel: no filter for its rules among runsel's", bw->name);
    long r = install(insns, ninsns);
    if (r)
        im_die("wrapper %s: placement=kernel: the kernel refused its filter (%s)", bw->name,
               rs_strerror((int)-r));
}

void im_kfilters_install(void)
{
    static unsigned char canon[RS_CANON_MAX];
    const int fds[2] = {im.boot->rules_fd, im.boot->run_rules_fd};
    const unsigned char *f[2] = {0, 0};
    const char *why[2] = {im.boot->rules_why ? im.boot->rules_why : "missing", "missing"};
    uint64_t size[2] = {0, 0};

    for (int i = im.nwrappers - 1; i >= 0; i--) {
        const struct rs_boot_wrapper *bw = &im.boot->w[i];
        size_t n;
        if (!(bw->flags & RS_WRAP_KERNEL) || (bw->flags & RS_WRAP_INHERITED) ||
            !(n = im_rules_canon(i, canon, sizeof(canon))))
            continue;                    /* in the kernel already, or nothing of it is */
        int k = bw->line ? 0 : 1;
        if (k == 1 && fds[1] < 0) {      /* runsel's request at a later exec: it came with the tree */
            if (im_sys(SYS_prctl, PR_GET_SECCOMP_, 0, 0, 0, 0) != 2)
                im_die("wrapper %s: placement=kernel in runsel's request, but no seccomp filter on "
                       "this process (was RUNSEL_RUN set without runsel?)", bw->name);
            continue;
        }
        if (!f[k] && fds[k] >= 0)
            f[k] = map_file(fds[k], &size[k], &why[k]);
        install_level(i, k, f[k], size[k], why[k], canon, n);
    }
    for (int k = 0; k < 2; k++) {
        if (f[k])
            im_sys(SYS_munmap, f[k], size[k]);
        if (fds[k] >= 0)
            im_sys(SYS_close, fds[k]);
    }
}
