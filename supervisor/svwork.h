/* svwork.h — what the master hands a worker it forks: the stack the
 * selection decided for the program it starts (as the loader hands
 * initmod its boot block), and the program's facts. */
#ifndef RUNSEL_SVWORK_H
#define RUNSEL_SVWORK_H

#include "sv.h"
#include "selconf.h"

#ifndef RS_MAX_STACK
#define RS_MAX_STACK SEL_MAX_STACK
#endif

#define SV_MAX_OPTS 32

struct sv_item {
    char name[256];
    int fd;                         /* the checked image (loader/select.c) */
    struct rs_option opt[SV_MAX_OPTS];
    int nopt;
    int narrowed;                   /* syscalls= given: only allowed[] */
    unsigned char allowed[RS_NSYS];
    int enforces;
    int inherit;                    /* its entry passes it on (inherit=yes) */
};

struct sv_stack {
    int n;                          /* outermost first */
    struct sv_item item[RS_MAX_STACK];
    char text[4200];                /* the words the options point into */
};

/* The key=value words of an entry's options (len bytes at words) into
 * it->opt, copied into *room (at most end); runsel's own keys left out.
 * -1: too many, or no room. */
int sv_split_options(struct sv_item *it, const char *words, size_t len, char **room, char *end);

struct sv_prog {
    pid_t pid, ppid;
    const char *path;
    char *const *argv, *const *envp;   /* the program's initial ones, in its memory */
    int attached;                   /* runsel -p: the program was running already */
};

static inline int sv_allowed(const struct sv_stack *st, int level, long nr)
{
    const struct sv_item *it = &st->item[level];

    return !it->narrowed || (nr >= 0 && nr < RS_NSYS && it->allowed[nr]);
}

int sv_worker_main(int fd, const struct sv_stack *st, const struct sv_prog *p);

/* launch.c: the calls the run's filter sends out (any: all; runsel -p,
 * with no filter, stops every call). */
extern const unsigned char *sv_filter_wants;
extern int sv_filter_any;

/* filter.c: a syscalls= list into allowed[] (1), or 0 when empty. */
int sv_syscall_list(struct sel_str list, unsigned char *allowed);

#endif
