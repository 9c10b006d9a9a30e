/* spin.c — waiting awake for the next hand-off of a call (spin.h). */
#include <errno.h>
#include <stdlib.h>
#include <time.h>
#include "spin.h"

static long now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000000L + ts.tv_nsec;
}

long sv_spin_ns(void)
{
    static long ns = -1;

    if (ns < 0) {
        const char *e = getenv("RUNSEL_SV_SPIN_US");
        char *end;
        long us = e ? strtol(e, &end, 10) : SV_SPIN_US_DEFAULT;
        if (!e || *e == 0 || *end != 0 || us < 0)
            us = SV_SPIN_US_DEFAULT;
        ns = (us > SV_SPIN_US_MAX ? SV_SPIN_US_MAX : us) * 1000L;
    }
    return ns;
}

int sv_spin_poll(struct pollfd *fds, nfds_t n, int (*ready)(void), void (*idle)(void))
{
    long spin = sv_spin_ns();

    if (spin > 0) {
        long end = now_ns() + spin;
        do {
            if (ready && ready())
                return 0;
            int r = poll(fds, n, 0);
            if (r != 0)
                return r;
        } while (now_ns() < end);
    }
    if (idle) {
        idle();
        if (ready && ready())
            return 0;
    }
    return poll(fds, n, -1);
}

ssize_t sv_spin_recvmsg(int fd, struct msghdr *h, int flags)
{
    long spin = sv_spin_ns();
    ssize_t r;

    if (spin > 0) {
        long end = now_ns() + spin;
        do {
            r = recvmsg(fd, h, flags | MSG_DONTWAIT);
            if (r >= 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR))
                return r;
        } while (now_ns() < end);
    }
    do
        r = recvmsg(fd, h, flags);
    while (r < 0 && errno == EINTR);
    return r;
}
