/* spin.h — waiting briefly awake before sleeping (docs/placement.md,
 * "Waiting awake").  A call out of process is a chain of hand-offs
 * (program -> master -> worker -> master -> program); on these VMs waking
 * a process whose CPU has gone idle costs far more than the work itself,
 * so each side polls for the next hand-off for a short while before it
 * blocks. */
#ifndef RUNSEL_SPIN_H
#define RUNSEL_SPIN_H

#include <poll.h>
#include <sys/socket.h>
#include <sys/types.h>

/* How long to poll, in ns: RUNSEL_SV_SPIN_US (0 turns it off), else
 * SV_SPIN_US_DEFAULT; read once. */
#define SV_SPIN_US_DEFAULT 100
#define SV_SPIN_US_MAX 10000
long sv_spin_ns(void);

/* poll(fds, n, -1), polling without sleeping for sv_spin_ns() first;
 * between two polls, ready() (when not NULL) may say that something the
 * fds do not show is ready: 0 is returned then, no revents set.  idle()
 * (when not NULL) runs just before it sleeps. */
int sv_spin_poll(struct pollfd *fds, nfds_t n, int (*ready)(void), void (*idle)(void));

/* recvmsg(fd, h, flags), retried on EINTR, trying MSG_DONTWAIT for
 * sv_spin_ns() before it blocks. */
ssize_t sv_spin_recvmsg(int fd, struct msghdr *h, int flags);

#endif
