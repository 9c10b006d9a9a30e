/* imgnote.c — runsel's ELF notes: the one walker over them (rsnote_next:
 * rsimage.c checks a mapped image's kind and ABI with it), and what a
 * wrapper image says about itself, read from the file before anything is
 * mapped: the flags of its struct rs_wrapper (does it enforce a policy?),
 * located through its note, and the option keys it declares.
 *
 * The loader needs the flags while it decides a stack — an enforcing
 * wrapper inherited from the parent must never be shed, an observing one
 * gives way to the child's own entry — and selctl shows them; initmod
 * checks that the image's description says the same when it starts it.
 * The keys are for runsel and `selctl check`, which refuse a misspelt
 * option before anything runs (initmod reads them from the mapped image). */
#include <stddef.h>
#include <string.h>
#include <runsel/wrapper.h>
#include "loader.h"
#include "select.h"                 /* select_wrapper_path(), LD_OPEN_FLAGS */
#include "sys.h"

/* The notes runsel reads: the kind note, and the option keys before it. */
#define NOTE_MAX (RS_OPTIONS_MAX + 256)
#define PH_MAX 32

struct note_hdr {
    uint32_t namesz, descsz, type;
};

static int read_exact(int fd, void *buf, size_t n, uint64_t off)
{
    return sys4(SYS_pread64, fd, buf, n, off) == (long)n ? 0 : -1;
}

/* File offset of [vaddr, vaddr + n) inside a PT_LOAD's file bytes. */
static int file_offset(const Elf64_Phdr *ph, int phnum, uint64_t vaddr, size_t n, uint64_t *off)
{
    for (int i = 0; i < phnum; i++)
        if (ph[i].p_type == PT_LOAD && vaddr >= ph[i].p_vaddr && vaddr + n > vaddr &&
            vaddr + n <= ph[i].p_vaddr + ph[i].p_filesz) {
            *off = ph[i].p_offset + (vaddr - ph[i].p_vaddr);
            return 0;
        }
    return -1;
}

int rsnote_next(const char **at, const char *end, struct rsnote *n)
{
    while (*at + sizeof(struct note_hdr) <= end) {
        struct note_hdr h;
        memcpy(&h, *at, sizeof(h));
        const char *name = *at + sizeof(h);
        const char *desc = name + ((h.namesz + 3) & ~3U);
        const char *next = desc + ((h.descsz + 3) & ~3U);
        if (h.namesz > 64 || h.descsz > 4096 || next > end || next <= *at)
            return 0;
        *at = next;
        if (h.namesz == sizeof(RS_NOTE_NAME) && !memcmp(name, RS_NOTE_NAME, h.namesz)) {
            n->type = h.type;
            n->descsz = h.descsz;
            n->desc = desc;
            return 1;
        }
    }
    return 0;
}

/* In one PT_NOTE: the address of the runsel wrapper note's distance field. */
static int find_desc_field(int fd, const Elf64_Phdr *p, uint64_t *field, int64_t *dist)
{
    char buf[NOTE_MAX];
    size_t len = p->p_filesz < sizeof(buf) ? p->p_filesz : sizeof(buf);
    const char *at = buf;
    struct rsnote n;

    if (read_exact(fd, buf, len, p->p_offset))
        return -1;
    while (rsnote_next(&at, buf + len, &n))
        if (n.type == RS_NOTE_WRAPPER && n.descsz >= 16) {
            memcpy(dist, n.desc + 8, sizeof(*dist));
            *field = p->p_vaddr + (uint64_t)(n.desc - buf) + 8;
            return 0;
        }
    return -1;
}

/* The program headers of the image open on fd: the count, or -1. */
static int read_phdrs(int fd, Elf64_Phdr ph[PH_MAX])
{
    Elf64_Ehdr eh;

    if (read_exact(fd, &eh, sizeof(eh), 0) || memcmp(eh.e_ident, ELFMAG, SELFMAG) ||
        eh.e_phentsize != sizeof(Elf64_Phdr) || eh.e_phnum == 0 || eh.e_phnum > PH_MAX ||
        read_exact(fd, ph, eh.e_phnum * sizeof(Elf64_Phdr), eh.e_phoff))
        return -1;
    return eh.e_phnum;
}

int imgnote_option_keys(int fd, char *keys, size_t size, size_t *len)
{
    Elf64_Phdr ph[PH_MAX];
    char buf[NOTE_MAX];
    int phnum = read_phdrs(fd, ph);
    struct rsnote n;

    for (int i = 0; i < phnum; i++) {
        size_t got = ph[i].p_filesz < sizeof(buf) ? ph[i].p_filesz : sizeof(buf);
        const char *at = buf;
        if (ph[i].p_type != PT_NOTE || read_exact(fd, buf, got, ph[i].p_offset))
            continue;
        while (rsnote_next(&at, buf + got, &n))
            if (n.type == RS_NOTE_OPTIONS) {
                if (n.descsz > size || n.descsz > RS_OPTIONS_MAX)
                    return -1;
                memcpy(keys, n.desc, n.descsz);
                *len = n.descsz;
                return 1;
            }
    }
    return phnum < 0 ? -1 : 0;
}

int imgnote_wrapper_keys(const char *name, size_t n, const char *wrapper_dir, char *keys,
                         size_t size, size_t *len)
{
    char word[256], path[4096];
    int r = 0;

    if (n >= sizeof(word))
        return 0;
    memcpy(word, name, n);
    word[n] = 0;
    select_wrapper_path(word, wrapper_dir, path, sizeof(path));
    long fd = sys3(SYS_open, path, LD_OPEN_FLAGS, 0);
    if (!rs_is_err(fd)) {
        r = imgnote_option_keys((int)fd, keys, size, len) == 1;
        sys1(SYS_close, fd);
    }
    return r;
}

int imgnote_wrapper_flags(int fd, unsigned *flags)
{
    Elf64_Phdr ph[PH_MAX];
    uint64_t field, off;
    int64_t dist;
    uint32_t f;
    int phnum = read_phdrs(fd, ph);

    for (int i = 0; i < phnum; i++) {
        if (ph[i].p_type != PT_NOTE || find_desc_field(fd, &ph[i], &field, &dist))
            continue;
        if (file_offset(ph, phnum, field + (uint64_t)dist + offsetof(struct rs_wrapper, flags),
                        sizeof(f), &off) || read_exact(fd, &f, sizeof(f), off))
            return -1;
        *flags = f;
        return 0;
    }
    return -1;
}
