/* sigdefault.h — the signals below 32 whose default action ends the
 * process (signal(7): Term and Core), for the two places that show a
 * wrapper a signal its program dies of: initmod/signals.c (its catcher, in
 * process) and supervisor/master.c (out of process).  Bit sig-1; needs
 * <signal.h>'s numbers. */
#ifndef RUNSEL_SIGDEFAULT_H
#define RUNSEL_SIGDEFAULT_H

#define RS_SIGBIT_(s) (1ULL << ((s) - 1))
#define RS_SIGS_KILL_BY_DEFAULT                                                              \
    (RS_SIGBIT_(SIGHUP) | RS_SIGBIT_(SIGINT) | RS_SIGBIT_(SIGQUIT) | RS_SIGBIT_(SIGILL) |     \
     RS_SIGBIT_(SIGTRAP) | RS_SIGBIT_(SIGABRT) | RS_SIGBIT_(SIGBUS) | RS_SIGBIT_(SIGFPE) |    \
     RS_SIGBIT_(SIGUSR1) | RS_SIGBIT_(SIGSEGV) | RS_SIGBIT_(SIGUSR2) | RS_SIGBIT_(SIGPIPE) |  \
     RS_SIGBIT_(SIGALRM) | RS_SIGBIT_(SIGTERM) | RS_SIGBIT_(SIGSTKFLT) | RS_SIGBIT_(SIGXCPU) | \
     RS_SIGBIT_(SIGXFSZ) | RS_SIGBIT_(SIGVTALRM) | RS_SIGBIT_(SIGPROF) | RS_SIGBIT_(SIGIO) |  \
     RS_SIGBIT_(SIGPWR) | RS_SIGBIT_(SIGSYS))

#endif
