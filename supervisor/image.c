/* image.c — a wrapper image mapped into a worker by the loader's own code
 * (loader/rsimage.c: its checks — an ELF runsel wrapper of this ABI,
 * position-independent, self-contained — its mapping at one bias and its
 * R_X86_64_RELATIVE relocations), so an image runs in a supervisor only
 * where the loader would run it in the program, refused with the loader's
 * reason otherwise.  The descriptor is the one the selection checked
 * (loader/select.c: trust, wrapper-hash=), so the file mapped is the file
 * judged. */
#define _GNU_SOURCE
#include <stdio.h>
#include "loader.h"
#include "sv.h"

const void *sv_image_map(int fd, char *err, size_t errsize)
{
    static struct elf_image im;     /* large: its buffers */
    struct mapped m;
    struct ld_err e = {0};

    if (rsimage_load(fd, RS_NOTE_WRAPPER, &im, &m, &e)) {
        snprintf(err, errsize, "%s", e.msg);
        return NULL;
    }
    return (const void *)m.entry;
}
