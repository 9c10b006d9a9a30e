/* inproc — a test wrapper that declares RS_INPROCESS and does nothing
 * else: what runsel must refuse for placement=process, with the reason. */
#include <runsel/wrapper.h>

static const struct rs_handler handlers[] = {
    RS_WRAP_CALL(RS_ANY, NULL, NULL),
};

RS_WRAPPER("inproc", handlers, .flags = RS_INPROCESS);
