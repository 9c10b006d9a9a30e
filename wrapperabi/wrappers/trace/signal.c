/* signal.c — signals by name and signal sets (strace's signal.c). */
#include "trace.h"
#include "xlat/signals.h"

#define SIGRTMIN_KERNEL 32    /* strace names the kernel's 32 SIGRTMIN, then SIGRT_1 ... */
#define NSIG_KERNEL 64

/* name: with the SIG prefix (an argument) or without (inside a set). */
static void put_signal(struct rs_buf *o, long sig, int bare)
{
    const char *name = sig > 0 && sig < SIGRTMIN_KERNEL ? rs_xlat_name(xlat_signals, (uint64_t)sig) : NULL;
    const char *sig_ = bare ? "" : "SIG";

    if (name)
        rs_puts(o, bare ? name + 3 : name);
    else if (sig == SIGRTMIN_KERNEL)
        rs_putf(o, "%sRTMIN", sig_);
    else if (sig > SIGRTMIN_KERNEL && sig <= NSIG_KERNEL)
        rs_putf(o, "%sRT_%ld", sig_, sig - SIGRTMIN_KERNEL);
    else
        rs_putf(o, "%ld", sig);
}

void print_signal(struct tcb *t, long sig)
{
    put_signal(t->o, sig, 0);
}

void print_signal_bare(struct rs_buf *o, long sig)
{
    put_signal(o, sig, 1);
}

/* [CHLD INT], or ~[...] with the unset ones when most are set. */
static void put_mask(struct rs_buf *o, uint64_t m)
{
    int n = __builtin_popcountll(m), first = 1;

    if (n > NSIG_KERNEL / 2) {
        rs_putc(o, '~');
        m = ~m;
    }
    rs_putc(o, '[');
    for (int i = 0; i < NSIG_KERNEL; i++)
        if (m >> i & 1) {
            if (!first)
                rs_putc(o, ' ');
            first = 0;
            print_signal_bare(o, i + 1);
        }
    rs_putc(o, ']');
}

void print_sigset(struct tcb *t, unsigned long addr, unsigned long size)
{
    uint64_t m = 0;

    if (!addr) {
        printaddr(t, addr);
        return;
    }
    /* the kernel's set is 8 bytes; strace shows an address for another size */
    if (size != sizeof(m) || !umoven(t, addr, &m, sizeof(m))) {
        printaddr(t, addr);
        return;
    }
    put_mask(t->o, m);
}
