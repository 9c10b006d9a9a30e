/* stubhost.h — see stubhost.c. */
#ifndef RUNSEL_TESTS_STUBHOST_H
#define RUNSEL_TESTS_STUBHOST_H
#include <runsel/wrapper.h>
/* Start the runtime with the stub host; returns the image's description
 * (rs_wrapper_desc).  Exits with `not ok` if entry.c refuses the host. */
const struct rs_wrapper *stubhost_start(void);
#endif
