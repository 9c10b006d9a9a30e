/* enforce — a test wrapper that declares RS_ENFORCES and does nothing
 * else: what runsel itself must refuse for any enforcing wrapper. */
#include <runsel/wrapper.h>

static const struct rs_handler handlers[] = {
    RS_WRAP_CALL(RS_ANY, NULL, NULL),
};

RS_WRAPPER("enforce", handlers, .flags = RS_ENFORCES);
