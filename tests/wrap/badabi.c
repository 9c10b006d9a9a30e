/* badabi — a wrapper whose ABI note is rewritten to major 99 after the
 * build (setabi.py): the loader must refuse it. */
#include <runsel/wrapper.h>

static const struct rs_handler handlers[] = {
    RS_WRAP_CALL(RS_ANY, NULL, NULL),
};

RS_WRAPPER("badabi", handlers);
