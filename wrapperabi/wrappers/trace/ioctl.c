/* ioctl.c — ioctl: the request by name and its argument as each request
 * takes it (strace's ioctl.c and term.c).  An unknown request prints as
 * _IOC(dir, type, nr, size) and its argument in hex; the tty requests
 * print their structures (termios, termio, winsize), the numbers they
 * read or write ([N]) and nothing at all for those without an argument
 * ("ioctl(3, FIOCLEX)").  What the kernel writes prints on exit — an
 * address when the call failed: "ioctl(1, TCGETS, 0x7ffc...) = -1 ENOTTY". */
#include <asm/ioctls.h>
#include <asm/termbits.h>
#include <linux/fs.h>
#include <linux/loop.h>
#include <linux/random.h>
#include "trace.h"
#include "xlat/ioctl_dirs.h"
#include "xlat/ioctl_requests.h"
#include "xlat/modem_flags.h"
#include "xlat/tcflsh_options.h"
#include "xlat/tcxonc_options.h"
#include "xlat/term_bauds.h"
#include "xlat/term_bsdly.h"
#include "xlat/term_cc.h"
#include "xlat/term_cflags.h"
#include "xlat/term_crdly.h"
#include "xlat/term_csize.h"
#include "xlat/term_ffdly.h"
#include "xlat/term_iflags.h"
#include "xlat/term_lflags.h"
#include "xlat/term_line_discs.h"
#include "xlat/term_nldly.h"
#include "xlat/term_oflags.h"
#include "xlat/term_tabdly.h"
#include "xlat/term_vtdly.h"

/* ---- the request */

/* "SNDCTL_TMR_START or TCSETS": every name of the value, in table order. */
static int put_request_names(struct rs_buf *o, unsigned code)
{
    int n = 0;

    for (const struct rs_xlat *x = xlat_ioctl_requests; x->name; x++)
        if (x->v == code) {
            if (n++)
                rs_puts(o, " or ");
            rs_puts(o, x->name);
        }
    return n;
}

static void put_ioc(struct rs_buf *o, unsigned code, unsigned style)
{
    unsigned dir = _IOC_DIR(code), saved = o->style;

    rs_puts(o, "_IOC(");
    /* the direction's names as abbrev shows them, even inside a comment */
    o->style = (saved & ~RS_XLAT_MASK) | RS_XLAT_ABBREV;
    rs_put_flags(o, xlat_ioctl_dirs, dir, style == RS_XLAT_VERBOSE ? NULL : "_IOC_???");
    o->style = saved;
    rs_putf(o, ", %#x, %#x, %#x)", _IOC_TYPE(code), _IOC_NR(code), _IOC_SIZE(code));
}

static void print_request(struct tcb *t, unsigned code)
{
    unsigned x = t->o->style & RS_XLAT_MASK;

    if (x != RS_XLAT_ABBREV)
        tprintf(t, "%#x", code);
    if (x == RS_XLAT_RAW)
        return;
    if (x == RS_XLAT_VERBOSE)
        tprints(t, " /* ");
    if (!put_request_names(t->o, code))
        put_ioc(t->o, code, x);
    if (x == RS_XLAT_VERBOSE)
        tprints(t, " */");
}

/* ---- termios and friends */
struct termios_ {           /* the kernel's struct termios2 (termios: less the speeds) */
    uint32_t iflag, oflag, cflag, lflag;
    uint8_t line, cc[19];
    uint32_t ispeed, ospeed;
};
struct termio_ {
    uint16_t iflag, oflag, cflag, lflag;
    uint8_t line, cc[8];
};
#define TERMIOS_SIZE 36
#define TERMIOS2_SIZE 44

/* A termios flag word: nothing at all for 0 (strace 6.1 prints an empty
 * field then, "c_lflag=", in every -X style). */
static void print_term_bits(struct tcb *t, const struct rs_xlat *x, uint32_t v)
{
    if (v)
        printflags(t, x, v, NULL);
}

/* c_oflag: each delay field by name, then the flags. */
static void print_oflag(struct tcb *t, uint32_t v)
{
    static const struct {
        const struct rs_xlat *x;
        uint32_t mask;
        const char *dflt;
    } fields[] = {
        {xlat_term_nldly, NLDLY, "NL?"},   {xlat_term_crdly, CRDLY, "CR?"},
        {xlat_term_tabdly, TABDLY, "TAB?"}, {xlat_term_bsdly, BSDLY, "BS?"},
        {xlat_term_vtdly, VTDLY, "VT?"},   {xlat_term_ffdly, FFDLY, "FF?"},
    };

    for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
        printxval(t, fields[i].x, v & fields[i].mask, fields[i].dflt);
        tprints(t, "|");
        v &= ~fields[i].mask;
    }
    print_term_bits(t, xlat_term_oflags, v);
}

/* c_cflag: the speed, the input speed when set, the size, the flags. */
static void print_cflag(struct tcb *t, uint32_t v)
{
    printxval(t, xlat_term_bauds, v & CBAUD, "B???");
    tprints(t, "|");
    if (v & CIBAUD) {
        static const struct rs_xlat ibshift[] = {{IBSHIFT, "IBSHIFT"}, {0, NULL}};
        printxval(t, xlat_term_bauds, (v & CIBAUD) >> IBSHIFT, "B???");
        tprints(t, "<<");
        rs_put_xval_hex(t->o, ibshift, IBSHIFT);
        tprints(t, "|");
    }
    printxval(t, xlat_term_csize, v & CSIZE, "CS?");
    tprints(t, "|");
    print_term_bits(t, xlat_term_cflags, v & ~(uint32_t)(CBAUD | CIBAUD | CSIZE));
}

static void print_term_flags(struct tcb *t, uint32_t i, uint32_t o, uint32_t c, uint32_t l)
{
    tprints(t, "{c_iflag=");
    print_term_bits(t, xlat_term_iflags, i);
    tprints(t, ", c_oflag=");
    print_oflag(t, o);
    tprints(t, ", c_cflag=");
    print_cflag(t, c);
    tprints(t, ", c_lflag=");
    print_term_bits(t, xlat_term_lflags, l);
}

/* -v: the line discipline and the control characters, [VINTR]=0x3 ... */
static void print_line_cc(struct tcb *t, uint8_t line, const uint8_t *cc, size_t n)
{
    tprints(t, ", c_line=");
    printxval(t, xlat_term_line_discs, line, "N_???");
    tprints(t, ", c_cc=[");
    for (size_t i = 0; i < n; i++) {
        const char *name = rs_xlat_name(xlat_term_cc, i);
        tprints(t, i ? ", [" : "[");
        if (name)
            tprints(t, name);
        else
            tprintf(t, "%zu", i);
        tprintf(t, "]=%#x", cc[i]);
    }
    tprints(t, "]");
}

static void print_termios(struct tcb *t, unsigned long addr, size_t size)
{
    struct termios_ s;

    if (!fetch_or_printaddr(t, addr, &s, size))
        return;
    print_term_flags(t, s.iflag, s.oflag, s.cflag, s.lflag);
    if (!topt.verbose) {
        tprints(t, ", ...}");
        return;
    }
    print_line_cc(t, s.line, s.cc, sizeof(s.cc));
    if (size == TERMIOS2_SIZE)
        tprintf(t, ", c_ispeed=%u, c_ospeed=%u", s.ispeed, s.ospeed);
    tprints(t, "}");
}

static void print_termio(struct tcb *t, unsigned long addr)
{
    struct termio_ s;

    if (!umove_out(t, addr, &s))
        return;
    print_term_flags(t, s.iflag, s.oflag, s.cflag, s.lflag);
    if (!topt.verbose) {
        tprints(t, ", ...}");
        return;
    }
    print_line_cc(t, s.line, s.cc, sizeof(s.cc));
    tprints(t, "}");
}

static void print_winsize(struct tcb *t, unsigned long addr)
{
    uint16_t w[4];

    if (umove_out(t, addr, &w))
        tprintf(t, "{ws_row=%u, ws_col=%u, ws_xpixel=%u, ws_ypixel=%u}", w[0], w[1], w[2], w[3]);
}

static void print_int_ptr(struct tcb *t, unsigned long addr)
{
    int v;

    if (umove_out(t, addr, &v))
        tprintf(t, "[%d]", v);
}

static void print_modem_ptr(struct tcb *t, unsigned long addr)
{
    unsigned v;

    if (umove_out(t, addr, &v)) {
        tprints(t, "[");
        printflags(t, xlat_modem_flags, v, "TIOCM_???");
        tprints(t, "]");
    }
}

/* ---- the argument, by request */
enum arg_kind {
    ARG_HEX,        /* unknown to strace's decoders: the value in hex */
    ARG_NONE,       /* no argument */
    ARG_INT,        /* a number in the argument itself */
    ARG_TCXONC, ARG_TCFLSH,
    ARG_INT_IN, ARG_INT_OUT,          /* [N] read by the kernel / written by it */
    ARG_MODEM_IN, ARG_MODEM_OUT,
    ARG_TERMIOS_IN, ARG_TERMIOS_OUT, ARG_TERMIOS2_IN, ARG_TERMIOS2_OUT,
    ARG_TERMIO_IN, ARG_TERMIO_OUT, ARG_WINSIZE_IN, ARG_WINSIZE_OUT,
    ARG_CHAR,       /* TIOCSTI: one byte */
};

static enum arg_kind arg_kind(unsigned code)
{
    switch (code) {
    case TCGETS: case TIOCGLCKTRMIOS: return ARG_TERMIOS_OUT;
    case TCSETS: case TCSETSW: case TCSETSF: case TIOCSLCKTRMIOS: return ARG_TERMIOS_IN;
    case TCGETS2: return ARG_TERMIOS2_OUT;
    case TCSETS2: case TCSETSW2: case TCSETSF2: return ARG_TERMIOS2_IN;
    case TCGETA: return ARG_TERMIO_OUT;
    case TCSETA: case TCSETAW: case TCSETAF: return ARG_TERMIO_IN;
    case TIOCGWINSZ: return ARG_WINSIZE_OUT;
    case TIOCSWINSZ: return ARG_WINSIZE_IN;
    case TCXONC: return ARG_TCXONC;
    case TCFLSH: return ARG_TCFLSH;
    case TCSBRK: case TCSBRKP: case TIOCSCTTY: case FICLONE: case BLKRASET: case LOOP_SET_FD:
    case LOOP_CHANGE_FD: case LOOP_SET_DIRECT_IO: case LOOP_SET_BLOCK_SIZE: case LOOP_CTL_ADD:
    case LOOP_CTL_REMOVE:
        return ARG_INT;
    case TIOCMGET: return ARG_MODEM_OUT;
    case TIOCMBIS: case TIOCMBIC: case TIOCMSET: return ARG_MODEM_IN;
    case TIOCGPGRP: case TIOCGSID: case TIOCGETD: case TIOCGSOFTCAR: case TIOCGPTN:
    case FIONREAD: case TIOCOUTQ: case TIOCGEXCL: case TIOCGDEV:
        return ARG_INT_OUT;
    case TIOCSPGRP: case TIOCSETD: case FIONBIO: case FIOASYNC: case TIOCPKT:
    case TIOCSSOFTCAR: case TIOCSPTLCK:
        return ARG_INT_IN;
    case TIOCSTI: return ARG_CHAR;
    case TIOCSBRK: case TIOCCBRK: case TIOCCONS: case TIOCNOTTY: case TIOCEXCL: case TIOCNXCL:
    case FIOCLEX: case FIONCLEX: case TIOCVHANGUP: case TIOCSSERIAL: case FIFREEZE:
    case FITHAW: case BLKFLSBUF: case BLKRRPART: case LOOP_CLR_FD: case LOOP_SET_CAPACITY:
    case LOOP_CTL_GET_FREE: case RNDZAPENTCNT: case RNDCLEARPOOL: case RNDRESEEDCRNG:
        return ARG_NONE;
    }
    return ARG_HEX;
}

static int written_by_kernel(enum arg_kind k)
{
    return k == ARG_INT_OUT || k == ARG_MODEM_OUT || k == ARG_TERMIOS_OUT ||
           k == ARG_TERMIOS2_OUT || k == ARG_TERMIO_OUT || k == ARG_WINSIZE_OUT;
}

static void print_arg(struct tcb *t, enum arg_kind k, unsigned long a)
{
    if (k == ARG_NONE)
        return;
    tprints(t, ", ");
    switch (k) {
    case ARG_INT: tprintf(t, "%d", (int)a); break;
    case ARG_TCXONC: printxval(t, xlat_tcxonc_options, a, "TC???"); break;
    case ARG_TCFLSH: printxval(t, xlat_tcflsh_options, a, "TC???"); break;
    case ARG_INT_IN: case ARG_INT_OUT: print_int_ptr(t, a); break;
    case ARG_MODEM_IN: case ARG_MODEM_OUT: print_modem_ptr(t, a); break;
    case ARG_TERMIOS_IN: case ARG_TERMIOS_OUT: print_termios(t, a, TERMIOS_SIZE); break;
    case ARG_TERMIOS2_IN: case ARG_TERMIOS2_OUT: print_termios(t, a, TERMIOS2_SIZE); break;
    case ARG_TERMIO_IN: case ARG_TERMIO_OUT: print_termio(t, a); break;
    case ARG_WINSIZE_IN: case ARG_WINSIZE_OUT: print_winsize(t, a); break;
    case ARG_CHAR: printstrn(t, a, 1); break;
    default: tprintf(t, "%#lx", a); break;
    }
}

SYS_FUNC(ioctl)
{
    unsigned code = (unsigned)t->arg[1];
    enum arg_kind k = arg_kind(code);

    if (entering(t)) {
        printfd(t, t->arg[0]);
        tprints(t, ", ");
        print_request(t, code);
        if (written_by_kernel(k))
            return 0;
    }
    print_arg(t, k, (unsigned long)t->arg[2]);
    return entering(t) ? RVAL_DECODED : 0;
}
