/* pin.h — the pinned argument area of placement=process (pin.c). */
#ifndef RUNSEL_SV_PIN_H
#define RUNSEL_SV_PIN_H

#include <seccomp.h>
#include <stdint.h>
#include <sys/types.h>

#define SV_PIN_SLOT 16384                       /* per thread, per call: rs_pin_arg's limit */
#define SV_PIN_SLOTS 1024                       /* threads of a run that pin at once */
#define SV_PIN_SIZE ((uint64_t)SV_PIN_SLOT * SV_PIN_SLOTS)

extern uint64_t sv_pin_base;                    /* the run's area; 0: none */

void sv_pin_choose(void);
/* The filter's rules that stop the calls which could touch the area
 * (those wants[] or any traces already stop). */
int sv_pin_rules(scmp_filter_ctx ctx, const unsigned char *wants, int any);
/* 1: call nr with these arguments would remap, unprotect or unmap the
 * area (or is userfaultfd): it must fail, EPERM. */
int sv_pin_touches(long nr, const int64_t *a);
uint64_t sv_pin_gadget(int memfd, pid_t pid);
void sv_pin_mmap_args(long a[6]);
uint64_t sv_pin_write(int memfd, int slot, size_t off, const void *data, size_t n);

#endif
