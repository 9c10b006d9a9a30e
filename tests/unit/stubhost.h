/* stubhost.h — see stubhost.c. */
#ifndef RUNSEL_TESTS_STUBHOST_H
#define RUNSEL_TESTS_STUBHOST_H
#include <runsel/wrapper.h>
/* Start the runtime with the stub host; returns the image's description
 * (rs_wrapper_desc).  Exits with `not ok` if entry.c refuses the host. */
const struct rs_wrapper *stubhost_start(void);
/* ABI 1.4's placement: on, the host answers as a supervisor would for a
 * program that is this process (/proc/PID, descriptors by pidfd_getfd);
 * off (the start), as initmod. */
void stubhost_remote(int on);
/* The minor version the host claims (RS_ABI_MINOR at the start): an older
 * host's answers. */
void stubhost_minor(unsigned minor);
/* ABI 1.7's call_clock: stamped, ns for every clock; else -1 (no stamp). */
void stubhost_call_clock(int stamped, uint64_t ns);
#endif
