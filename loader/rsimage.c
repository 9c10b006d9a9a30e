/* rsimage.c — map a runsel image (the initialization module or a system
 * call wrapper) into the program's address space.
 *
 * Such an image is an ET_DYN with no interpreter and no library
 * dependencies, whose only relocations are R_X86_64_RELATIVE (what -fPIC
 * code with internal pointers needs), and which carries a "runsel" ELF
 * note with its kind and ABI version.  Anything else is refused with a
 * reason, before the program runs: an image that would fault at its first
 * unresolved symbol must not leave the program half-wrapped. */
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <runsel/abi.h>
#include "loader.h"
#include "sys.h"

int rsimage_note(const struct elf_image *im, const struct mapped *m, uint32_t type,
                 struct rsnote *n)
{
    for (size_t i = 0; i < im->phnum; i++) {
        const Elf64_Phdr *p = &im->ph[i];
        if (p->p_type != PT_NOTE || p->p_vaddr < im->lo || p->p_vaddr + p->p_memsz > im->hi ||
            p->p_memsz > p->p_filesz)
            continue;
        const char *at = (const char *)(m->bias + p->p_vaddr), *end = at + p->p_filesz;
        while (rsnote_next(&at, end, n))
            if (n->type == type)
                return 0;
    }
    return -1;
}

/* The note saying what the image is (the other notes say more about it):
 * 0 with its type and ABI version, -1 if none. */
static int find_note(const struct elf_image *im, const struct mapped *m, uint32_t *type,
                     uint32_t ver[2])
{
    static const uint32_t kinds[] = {RS_NOTE_WRAPPER, RS_NOTE_INITMOD};
    struct rsnote n;

    for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
        if (rsimage_note(im, m, kinds[k], &n) == 0 && n.descsz >= 8) {
            *type = n.type;
            memcpy(ver, n.desc, 8);
            return 0;
        }
    return -1;
}

static const Elf64_Phdr *find_phdr(const struct elf_image *im, uint32_t type)
{
    for (size_t i = 0; i < im->phnum; i++)
        if (im->ph[i].p_type == type)
            return &im->ph[i];
    return NULL;
}

/* Is [vaddr, vaddr+8) inside a writable PT_LOAD? */
static int writable(const struct elf_image *im, uint64_t vaddr)
{
    for (size_t i = 0; i < im->phnum; i++) {
        const Elf64_Phdr *p = &im->ph[i];
        if (p->p_type == PT_LOAD && (p->p_flags & PF_W) && vaddr >= p->p_vaddr &&
            vaddr + 8 <= p->p_vaddr + p->p_memsz && vaddr + 8 > vaddr)
            return 1;
    }
    return 0;
}

/* The dynamic table's values (unbiased addresses). */
struct dyn {
    uint64_t rela, relasz, relaent, jmprel, pltrelsz, strtab, strsz, symtab, needed, textrel;
};

static int read_dynamic(const struct elf_image *im, const struct mapped *m, struct dyn *d,
                        struct ld_err *e)
{
    const Elf64_Phdr *p = find_phdr(im, PT_DYNAMIC);

    memset(d, 0, sizeof(*d));
    d->relaent = sizeof(Elf64_Rela);
    if (!p)
        return 0;                               /* nothing to relocate */
    if (p->p_vaddr < im->lo || p->p_vaddr + p->p_memsz > im->hi || p->p_memsz > im->hi)
        return ld_fail(e, LD_EXIT_CANNOT, "bad PT_DYNAMIC");
    const Elf64_Dyn *dy = (const Elf64_Dyn *)(m->bias + p->p_vaddr);
    for (size_t i = 0; i < p->p_memsz / sizeof(*dy) && dy[i].d_tag != DT_NULL; i++) {
        uint64_t v = dy[i].d_un.d_val;
        switch (dy[i].d_tag) {
        case DT_RELA:     d->rela = v; break;
        case DT_RELASZ:   d->relasz = v; break;
        case DT_RELAENT:  d->relaent = v; break;
        case DT_JMPREL:   d->jmprel = v; break;
        case DT_PLTRELSZ: d->pltrelsz = v; break;
        case DT_STRTAB:   d->strtab = v; break;
        case DT_STRSZ:    d->strsz = v; break;
        case DT_SYMTAB:   d->symtab = v; break;
        case DT_NEEDED:   if (!d->needed) d->needed = v + 1; break;
        case DT_TEXTREL:  d->textrel = 1; break;
        case DT_FLAGS:    if (v & DF_TEXTREL) d->textrel = 1; break;
        case DT_REL: case DT_RELR:
            return ld_fail(e, LD_EXIT_CANNOT, "has relocations of a kind runsel does not apply");
        }
    }
    return 0;
}

/* The name of symbol sym, if the string table allows. */
static const char *sym_name(const struct elf_image *im, const struct mapped *m,
                            const struct dyn *d, uint64_t sym)
{
    if (!d->symtab || !d->strtab)
        return "?";
    uint64_t sa = d->symtab + sym * sizeof(Elf64_Sym);
    if (sa < im->lo || sa + sizeof(Elf64_Sym) > im->hi)
        return "?";
    const Elf64_Sym *s = (const Elf64_Sym *)(m->bias + sa);
    if (s->st_name >= d->strsz || d->strtab + d->strsz > im->hi)
        return "?";
    return (const char *)(m->bias + d->strtab + s->st_name);
}

static int relocate(const struct elf_image *im, const struct mapped *m, struct ld_err *e)
{
    struct dyn d;

    if (read_dynamic(im, m, &d, e))
        return -1;
    if (d.needed)
        return ld_fail(e, LD_EXIT_CANNOT, "needs a shared library (%s): runsel images link none",
                       d.strtab && d.needed - 1 < d.strsz ? (const char *)(m->bias + d.strtab + d.needed - 1) : "?");
    if (d.textrel)
        return ld_fail(e, LD_EXIT_CANNOT, "not position-independent (text relocations)");
    if (d.pltrelsz) {
        const Elf64_Rela *r = (const Elf64_Rela *)(m->bias + d.jmprel);
        int ok = d.jmprel >= im->lo && d.jmprel + sizeof(*r) <= im->hi;
        return ld_fail(e, LD_EXIT_CANNOT, "missing symbols (%s, ...): runsel images are self-contained",
                       ok ? sym_name(im, m, &d, ELF64_R_SYM(r->r_info)) : "?");
    }
    if (!d.relasz)
        return 0;
    if (d.relaent != sizeof(Elf64_Rela) || d.rela < im->lo || d.rela + d.relasz > im->hi ||
        d.rela + d.relasz < d.rela)
        return ld_fail(e, LD_EXIT_CANNOT, "bad relocation table");
    const Elf64_Rela *r = (const Elf64_Rela *)(m->bias + d.rela);
    for (size_t i = 0; i < d.relasz / sizeof(*r); i++) {
        uint32_t type = ELF64_R_TYPE(r[i].r_info);
        if (type == R_X86_64_NONE)
            continue;
        if (type != R_X86_64_RELATIVE)
            return ld_fail(e, LD_EXIT_CANNOT, "missing symbols (%s, ...): runsel images are self-contained",
                           sym_name(im, m, &d, ELF64_R_SYM(r[i].r_info)));
        if (!writable(im, r[i].r_offset))
            return ld_fail(e, LD_EXIT_CANNOT, "relocation outside writable memory (not built with -fPIC?)");
        *(uint64_t *)(m->bias + r[i].r_offset) = m->bias + (uint64_t)r[i].r_addend;
    }
    const Elf64_Phdr *relro = find_phdr(im, PT_GNU_RELRO);
    if (relro && relro->p_memsz)
        sys3(SYS_mprotect, PAGE_DOWN(m->bias + relro->p_vaddr),
             PAGE_UP(m->bias + relro->p_vaddr + relro->p_memsz) - PAGE_DOWN(m->bias + relro->p_vaddr),
             PROT_READ);
    return 0;
}

int rsimage_load(int fd, unsigned kind, struct elf_image *im, struct mapped *m,
                 struct ld_err *e)
{
    uint32_t type, ver[2];
    struct stat st;

    if (sys2(SYS_fstat, fd, &st) != 0 || !S_ISREG(st.st_mode))
        return ld_fail(e, LD_EXIT_CANNOT, "not a regular file");
    int r = elf_image_open(im, fd, e);
    if (r == 0 && im->eh.e_type != ET_DYN)
        r = ld_fail(e, LD_EXIT_CANNOT, "not position-independent (ET_EXEC)");
    if (r == 0 && im->interp)
        r = ld_fail(e, LD_EXIT_CANNOT, "has an interpreter: runsel images are self-contained");
    if (r == 0)
        r = map_interp(im, m, e);
    if (r)
        return -1;
    if (find_note(im, m, &type, ver))
        return ld_fail(e, LD_EXIT_CANNOT, "not a runsel %s (no runsel ABI note)",
                       kind == RS_NOTE_WRAPPER ? "wrapper" : "initialization module");
    if (type != kind)
        return ld_fail(e, LD_EXIT_CANNOT, "is a runsel %s, not a %s",
                       type == RS_NOTE_WRAPPER ? "wrapper" : "initialization module",
                       kind == RS_NOTE_WRAPPER ? "wrapper" : "initialization module");
    if (ver[0] != RS_ABI_MAJOR)
        return ld_fail(e, LD_EXIT_CANNOT, "built for runsel ABI %u.%u; this loader speaks %u.x",
                       ver[0], ver[1], RS_ABI_MAJOR);
    return relocate(im, m, e);
}
