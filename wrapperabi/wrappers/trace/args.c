/* args.c — the decoder of the rows that describe their arguments by
 * letter (syscallent.h's S rows): one letter per argument.
 *
 *   d int   l long   u unsigned long   x hex (0 as 0)   p pointer (NULL)
 *   f fd    D dirfd (AT_FDCWD)   s path   b data in, length = next argument
 *   B data out, length = result   G like B, in hex (getrandom)
 *   r string out, length = result (readlink)   c path out (getcwd)
 *   o open flags (+ mode when O_CREAT/O_TMPFILE)   M mode (octal)
 *   P prot   F mmap flags   a access mode   t AT_* flags   E faccessat2 flags
 *   w whence   k signal   h sigprocmask how   q sigset in   O sigset out
 *   (a set's size: the last argument)
 *   T timespec   I int[2] out (pipe)   Z O_CLOEXEC|O_NONBLOCK
 *   Y SOCK_CLOEXEC|SOCK_NONBLOCK   N address family   S socket type
 *   Q sockaddr, length = next argument   A arch_prctl code   R rlimit resource
 *   n madvise advice   W wait options   g getrandom flags   e epoll_ctl op
 *   L clock   i ioctl request   X wait status out (int *)   v argv   V envp
 *   y a pointer the kernel writes through, shown as its address (on exit)
 *   U struct rusage out (wait4: resource.c)
 * The first letter is the result: d decimal, x hex, o octal, f a descriptor
 * (its path with -y), ? no return.
 *
 * The letters up to the first one the kernel writes (B G r c I X O y) print
 * on entry, the rest on exit: a call that blocks shows "read(3, " while it
 * waits, as under strace. */
#include "trace.h"
#include "xlat/access_modes.h"
#include "xlat/address_families.h"
#include "xlat/arch_prctl_codes.h"
#include "xlat/at_flags.h"
#include "xlat/clocks.h"
#include "xlat/epoll_ctl_ops.h"
#include "xlat/faccessat_flags.h"
#include "xlat/getrandom_flags.h"
#include "xlat/ioctl_requests.h"
#include "xlat/madvise_advice.h"
#include "xlat/mmap_flags.h"
#include "xlat/mmap_prot.h"
#include "xlat/mmap_type.h"
#include "xlat/o_cloexec_nonblock.h"
#include "xlat/rlimits.h"
#include "xlat/sigprocmask_how.h"
#include "xlat/sock_type_flags.h"
#include "xlat/socket_types.h"
#include "xlat/wait_options.h"
#include "xlat/whence.h"

#define O_TMPFILE_ 020200000UL
#define O_CREAT_ 0100UL

static int written_by_kernel(char letter)
{
    return rs_strchr("BGrcIXOyU", letter) != NULL;
}

static void mmap_flags_abbrev(struct tcb *t, unsigned long f)
{
    f &= 0xffffffffUL;
    printxval(t, xlat_mmap_type, f & 3, NULL);
    f &= ~3UL;
    if (f) {
        tprints(t, "|");
        printflags(t, xlat_mmap_flags, f, NULL);
    }
}

static void print_mmap_flags(struct tcb *t, unsigned long f)
{
    print_composite(t, f & 0xffffffffUL, mmap_flags_abbrev);
}

static void socket_type_abbrev(struct tcb *t, unsigned long a)
{
    printxval(t, xlat_socket_types, a & 0xf, "SOCK_???");
    if (a & ~0xfUL & 0xffffffffUL) {
        tprints(t, "|");
        printflags(t, xlat_sock_type_flags, a & ~0xfUL & 0xffffffffUL, NULL);
    }
}

static void print_socket_type(struct tcb *t, unsigned long a)
{
    print_composite(t, a & 0xffffffffUL, socket_type_abbrev);
}

static void print_pipe_fds(struct tcb *t, unsigned long a)
{
    int fds[2];

    if (!syserror(t) && umoven(t, a, fds, sizeof(fds))) {
        tprints(t, "[");
        printfd(t, fds[0]);
        tprints(t, ", ");
        printfd(t, fds[1]);
        tprints(t, "]");
    } else {
        printaddr(t, a);
    }
}

static void print_status_out(struct tcb *t, unsigned long a)
{
    int s;

    if (!syserror(t) && t->ret > 0 && umoven(t, a, &s, sizeof(s))) {
        tprints(t, "[");
        print_wait_status(t, s);
        tprints(t, "]");
    } else {
        printaddr(t, a);
    }
}

/* A signal set's size is the call's last argument (rt_sigprocmask,
 * rt_sigsuspend, ppoll, epoll_pwait). */
static unsigned long sigset_size(const struct tcb *t)
{
    size_t n = rs_strlen(t->se->spec + 2);

    return n ? (unsigned long)t->arg[n - 1] : 0;
}

/* One argument; returns 1 when the letter also took the next one. */
static int print_letter(struct tcb *t, char letter, int i)
{
    unsigned long a = (unsigned long)t->arg[i];
    int ok = exiting(t) && !syserror(t);

    switch (letter) {
    case 'd': tprintf(t, "%d", (int)a); break;
    case 'l': tprintf(t, "%ld", (long)a); break;
    case 'u': tprintf(t, "%lu", a); break;
    case 'x': tprintf(t, "%#lx", a); break;
    case 'p': case 'y': printaddr(t, a); break;
    case 'f': printfd(t, (long)a); break;
    case 'D': print_dirfd(t, (long)a); break;
    case 's': printpath(t, a); break;
    case 'b': printstrn(t, a, (unsigned long)t->arg[i + 1]); break;
    case 'B':
        if (ok)
            printstrn(t, a, (unsigned long)t->ret);
        else
            printaddr(t, a);
        break;
    case 'G':
        if (ok)
            printstrn_hex(t, a, (unsigned long)t->ret);
        else
            printaddr(t, a);
        break;
    case 'r':
        if (ok)
            printstrn(t, a, (unsigned long)t->ret);
        else
            printaddr(t, a);
        break;
    case 'c':
        if (ok && t->ret > 0)
            printpath(t, a);
        else
            printaddr(t, a);
        break;
    case 'o':
        print_open_flags(t, a);
        if ((a & O_CREAT_) || (a & O_TMPFILE_) == O_TMPFILE_) {
            tprints(t, ", ");
            print_mode(t, (unsigned long)t->arg[i + 1]);
        }
        return 1;
    case 'M': print_mode(t, a); break;
    case 'P': printflags(t, xlat_mmap_prot, a & 0xffffffffUL, "PROT_???"); break;
    case 'F': print_mmap_flags(t, a); break;
    case 'a': printflags(t, xlat_access_modes, a & 0xffffffffUL, "?_OK"); break;
    case 't': printflags(t, xlat_at_flags, a & 0xffffffffUL, "AT_???"); break;
    case 'E': printflags(t, xlat_faccessat_flags, a & 0xffffffffUL, "AT_???"); break;
    case 'w': printxval(t, xlat_whence, (unsigned)a, "SEEK_???"); break;
    case 'k': print_signal(t, (int)a); break;
    case 'h': printxval(t, xlat_sigprocmask_how, (unsigned)a, "SIG_???"); break;
    case 'q': print_sigset(t, a, sigset_size(t)); break;
    case 'O':
        if (ok)
            print_sigset(t, a, sigset_size(t));
        else
            printaddr(t, a);
        break;
    case 'T': print_timespec(t, a); break;
    case 'I': print_pipe_fds(t, a); break;
    case 'X': print_status_out(t, a); break;
    case 'U': print_rusage(t, a); break;
    case 'Z': printflags(t, xlat_o_cloexec_nonblock, a & 0xffffffffUL, NULL); break;
    case 'Y': printflags(t, xlat_sock_type_flags, a & 0xffffffffUL, NULL); break;
    case 'N': printxval(t, xlat_address_families, (unsigned)a, "AF_???"); break;
    case 'S': print_socket_type(t, a); break;
    case 'Q': print_sockaddr(t, a, (unsigned long)(unsigned)t->arg[i + 1]); break;
    case 'A': printxval(t, xlat_arch_prctl_codes, (unsigned)a, "ARCH_???"); break;
    case 'R': printxval(t, xlat_rlimits, (unsigned)a, "RLIMIT_???"); break;
    case 'n': printxval(t, xlat_madvise_advice, (unsigned)a, "MADV_???"); break;
    case 'W': printflags(t, xlat_wait_options, a & 0xffffffffUL, NULL); break;
    case 'g': printflags(t, xlat_getrandom_flags, a & 0xffffffffUL, NULL); break;
    case 'e': printxval(t, xlat_epoll_ctl_ops, (unsigned)a, "EPOLL_CTL_???"); break;
    case 'L': printxval(t, xlat_clocks, (unsigned)a, NULL); break;
    case 'i': rs_put_xval_hex(t->o, xlat_ioctl_requests, (unsigned)a); break;
    case 'v': print_argv(t, a); break;
    case 'V': print_envp(t, a); break;
    default: tprintf(t, "%#lx", a); break;
    }
    return 0;
}

/* Letters [from, to), with the commas between them. */
static void print_letters(struct tcb *t, const char *args, int from, int to)
{
    for (int i = from; i < to && args[i]; i++) {
        if (i > from)
            tprints(t, ", ");
        if (print_letter(t, args[i], i))
            return;
    }
}

int decode_spec(struct tcb *t)
{
    const char *spec = t->se->spec, *args = spec + 2;
    int n = (int)rs_strlen(args), split = 0;

    if (spec[0] == 'x')
        t->rval = RVAL_HEX;
    else if (spec[0] == 'f')
        t->rval = RVAL_FD;
    else if (spec[0] == 'o')
        t->rval = RVAL_OCT;
    else if (spec[0] == '?')
        t->rval = RVAL_NONE;
    while (split < n && !written_by_kernel(args[split]))
        split++;
    if (entering(t)) {
        print_letters(t, args, 0, split);
        if (split == n)
            return RVAL_DECODED;
        if (split)
            tprints(t, ", ");        /* "read(3, " while it waits */
        return 0;
    }
    print_letters(t, args, split, n);
    return 0;
}
