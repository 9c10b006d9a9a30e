/* null — intercepts every system call and passes it on unchanged.  For
 * tests and benchmarks: the cost of interception itself. */
#include <runsel/wrapper.h>

static const struct rs_handler handlers[] = {
    RS_WRAP_CALL(RS_ANY, NULL, NULL),
};

RS_OPTIONS();    /* none: any option is refused */
RS_WRAPPER("null", handlers, .summary = "intercept every call, change nothing");
