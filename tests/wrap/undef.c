/* undef — a wrapper that calls a function nothing defines (linked without
 * -z defs): the loader must refuse it, naming the symbol. */
#include <runsel/wrapper.h>

void missing_function(void);

static int before(struct rs_call *c)
{
    (void)c;
    missing_function();
    return RS_CONTINUE;
}

static const struct rs_handler handlers[] = {
    RS_WRAP_CALL(RS_ANY, before, NULL),
};

RS_WRAPPER("undef", handlers);
