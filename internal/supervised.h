/* supervised.h — how runsel's loader learns that runsel's supervisor
 * (placement=process, runsel -p) already holds the process it starts:
 * a prctl with an option no kernel knows (natively EINVAL), which the
 * supervisor's filter sends out and the master answers
 * (supervisor/heldexec.c):
 *   prctl(RS_PRCTL_SUPERVISED, RS_HELD_ASK, path, fd)  the loader's first
 *       call: is this process held?  (the program's path and descriptor,
 *       as binfmt_misc gave them; the stack is decided for that file)
 *   prctl(RS_PRCTL_SUPERVISED, RS_HELD_GO, sp)          its last, from the
 *       handoff trampoline on the program's initial stack (sp): the
 *       program starts now — its wrappers' init runs first, in the
 *       supervisor; the loader's own calls before it are not the program's.
 * Then the loader starts the program as the kernel would: no initmod, no
 * wrapper in its memory.  A tracer of the user's own could answer yes too
 * and so keep the in-process wrappers out — as it could undo them anyway
 * (a tracer drives its tracee): the in-process placement is not a
 * boundary against its own user (docs/threat-model.md). */
#ifndef RUNSEL_SUPERVISED_H
#define RUNSEL_SUPERVISED_H

#define RS_PRCTL_SUPERVISED 0x52534c53L   /* "RSLS" */
#define RS_HELD_ASK 0L
#define RS_HELD_GO  1L
#define RS_SUPERVISED_YES   0x5253L       /* the master's answer */

#endif
