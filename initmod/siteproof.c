/* siteproof.c — proving that an address starts an instruction.
 *
 * x86 code cannot be decoded backwards: the five bytes before a syscall
 * may read `b8 imm32` and still be the tail of a longer instruction.  A
 * function's first byte is a known boundary, though, and .eh_frame_hdr
 * (PT_GNU_EH_FRAME) lists every function with unwind information, sorted.
 * So: find the FDE whose range holds addr, decode forward from its
 * pc_begin, and call addr an instruction start only if the decode lands
 * on it exactly.
 *
 * The object is the program's (or a library's), so possibly hostile or
 * half-unmapped: every read goes through the caller's read function (in
 * initmod process_vm_readv, which fails instead of faulting), every
 * address taken from the object is checked against its PT_LOAD segments
 * before it is read, every loop has a bound.  Anything unexpected is 0,
 * which costs one fast-path site and nothing else. */
#include <elf.h>
#include "insn.h"

#define MAX_LOADS 16
#define MAX_PHNUM 128
#define MAX_DISTANCE (1u << 20)    /* from pc_begin to addr */
#define MAX_AUG 8                  /* augmentation string characters */
#define CHUNK 4096
#define PAGE_MASK ((uint64_t)4095)

/* DWARF pointer encodings (the LSB's DW_EH_PE_*). */
#define PE_OMIT 0xff
#define PE_UDATA4 0x03
#define PE_SDATA4 0x0b
#define PE_UDATA8 0x04
#define PE_SDATA8 0x0c
#define PE_PCREL 0x10
#define PE_DATAREL 0x30

/* A PT_LOAD segment, at run time: [lo, hi). */
struct seg {
    uint64_t lo, hi;
    int exec;
};

struct obj {
    im_read_fn read;
    struct seg seg[MAX_LOADS];
    int nseg;
};

/* The segment holding all of [a, a+n), or 0. */
static const struct seg *seg_of(const struct obj *o, uint64_t a, uint64_t n)
{
    for (int i = 0; i < o->nseg; i++) {
        const struct seg *s = &o->seg[i];
        if (a >= s->lo && a < s->hi && n <= s->hi - a)
            return s;
    }
    return 0;
}

/* Read n bytes at a, only from inside one segment. */
static int read_in(const struct obj *o, void *dst, uint64_t a, size_t n)
{
    if (!seg_of(o, a, n))
        return 0;
    return o->read(dst, (uintptr_t)a, n) == 0;
}

static int read_u8(const struct obj *o, uint64_t a, unsigned *v)
{
    unsigned char b;

    if (!read_in(o, &b, a, 1))
        return 0;
    *v = b;
    return 1;
}

static int read_u32(const struct obj *o, uint64_t a, uint32_t *v)
{
    unsigned char b[4];

    if (!read_in(o, b, a, 4))
        return 0;
    *v = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
    return 1;
}

static int read_u64(const struct obj *o, uint64_t a, uint64_t *v)
{
    uint32_t lo, hi;

    if (!read_u32(o, a, &lo) || !read_u32(o, a + 4, &hi))
        return 0;
    *v = (uint64_t)hi << 32 | lo;
    return 1;
}

/* A ULEB128 at *a (at most 10 bytes), *a moved past it. */
static int read_uleb(const struct obj *o, uint64_t *a, uint64_t *v)
{
    uint64_t r = 0;

    for (int i = 0; i < 10; i++) {
        unsigned b;
        if (!read_u8(o, *a + i, &b))
            return 0;
        r |= (uint64_t)(b & 0x7f) << (7 * i);
        if (!(b & 0x80)) {
            *a += i + 1;
            *v = r;
            return 1;
        }
    }
    return 0;
}

/* The ELF header and program headers: the PT_LOAD segments at run time
 * (load bias = base - the lowest PT_LOAD's page, whose file page must be
 * the one at base) and PT_GNU_EH_FRAME.  *eh = its address, *ehsz its size. */
static int read_phdrs(struct obj *o, uint64_t base, uint64_t *eh, uint64_t *ehsz)
{
    Elf64_Ehdr eh_;
    Elf64_Phdr ph;
    uint64_t lowest = UINT64_MAX, eh_vaddr = 0, eh_size = 0, lowest_off = 0;
    int have_eh = 0;

    if (o->read(&eh_, (uintptr_t)base, sizeof eh_) != 0)
        return 0;
    if (eh_.e_ident[EI_MAG0] != ELFMAG0 || eh_.e_ident[EI_MAG1] != ELFMAG1 ||
        eh_.e_ident[EI_MAG2] != ELFMAG2 || eh_.e_ident[EI_MAG3] != ELFMAG3 ||
        eh_.e_ident[EI_CLASS] != ELFCLASS64 || eh_.e_ident[EI_DATA] != ELFDATA2LSB ||
        eh_.e_machine != EM_X86_64 || eh_.e_phentsize != sizeof ph ||
        eh_.e_phnum == 0 || eh_.e_phnum > MAX_PHNUM || eh_.e_phoff > (1u << 20))
        return 0;
    /* First pass: the segments in link-time addresses. */
    for (unsigned i = 0; i < eh_.e_phnum; i++) {
        if (o->read(&ph, (uintptr_t)(base + eh_.e_phoff + i * sizeof ph), sizeof ph) != 0)
            return 0;
        if (ph.p_type == PT_GNU_EH_FRAME) {
            have_eh = 1;
            eh_vaddr = ph.p_vaddr;
            eh_size = ph.p_memsz;
        }
        if (ph.p_type != PT_LOAD || ph.p_memsz == 0)
            continue;
        if (o->nseg == MAX_LOADS || ph.p_vaddr > UINT64_MAX - ph.p_memsz ||
            ph.p_filesz > ph.p_memsz)
            return 0;
        o->seg[o->nseg].lo = ph.p_vaddr;
        /* Beyond p_filesz is bss: no code, no unwind tables. */
        o->seg[o->nseg].hi = ph.p_vaddr + ph.p_filesz;
        o->seg[o->nseg].exec = (ph.p_flags & PF_X) != 0;
        o->nseg++;
        if (ph.p_vaddr < lowest) {
            lowest = ph.p_vaddr;
            lowest_off = ph.p_offset;
        }
    }
    /* base must be the mapping of file offset 0, and the program headers
     * must be inside it (they were read before anything could check them:
     * bounded, and the read function does not fault). */
    if (!have_eh || o->nseg == 0 || (lowest_off & ~PAGE_MASK) != 0 ||
        !seg_of(o, lowest - lowest_off + eh_.e_phoff, (uint64_t)eh_.e_phnum * sizeof ph))
        return 0;
    /* Second: relocate by the bias (modulo 2^64, as the addresses are),
     * refusing a segment that would wrap around.  An ET_EXEC is where it
     * was linked. */
    uint64_t bias = base - (lowest & ~PAGE_MASK);
    if (eh_.e_type == ET_EXEC ? bias != 0 : eh_.e_type != ET_DYN)
        return 0;
    for (int i = 0; i < o->nseg; i++) {
        struct seg *s = &o->seg[i];
        s->lo += bias;
        s->hi += bias;
        if (s->hi < s->lo)
            return 0;
    }
    *eh = eh_vaddr + bias;
    *ehsz = eh_size;
    return seg_of(o, *eh, eh_size) != 0;
}

/* The size of an encoded value (low four bits of an encoding), 0 for one
 * not supported. */
static unsigned value_size(unsigned enc)
{
    switch (enc & 0x0f) {
    case PE_UDATA4: case PE_SDATA4: return 4;
    case PE_UDATA8: case PE_SDATA8: return 8;
    }
    return 0;
}

/* An encoded pointer at *a: absolute if pcrel, else the raw value (for
 * pc_range, which uses the value format only). */
static int read_encoded(const struct obj *o, uint64_t *a, unsigned enc, uint64_t *v)
{
    uint64_t raw;
    uint32_t r32;

    switch (enc & 0x0f) {
    case PE_UDATA4:
        if (!read_u32(o, *a, &r32))
            return 0;
        raw = r32;
        break;
    case PE_SDATA4:
        if (!read_u32(o, *a, &r32))
            return 0;
        raw = (uint64_t)(int64_t)(int32_t)r32;
        break;
    case PE_UDATA8: case PE_SDATA8:
        if (!read_u64(o, *a, &raw))
            return 0;
        break;
    default:
        return 0;
    }
    if ((enc & 0x70) == PE_PCREL)
        raw += *a;
    else if ((enc & 0x70) != 0)
        return 0;
    *a += value_size(enc);
    *v = raw;
    return 1;
}

/* The CIE at cie: its FDE pointer encoding (augmentation 'R'; absent,
 * DW_EH_PE_absptr, which is not supported). */
static int cie_fde_encoding(const struct obj *o, uint64_t cie, unsigned *fde_enc)
{
    uint32_t len, id;
    unsigned ver, c;
    char aug[MAX_AUG + 1];
    uint64_t a = cie + 8, v, aug_end;
    int n = 0;

    if (!read_u32(o, cie, &len) || !read_u32(o, cie + 4, &id) ||
        len == 0xffffffff || len < 8 || id != 0 || !seg_of(o, cie, 4 + (uint64_t)len))
        return 0;
    if (!read_u8(o, a++, &ver) || (ver != 1 && ver != 3))
        return 0;
    for (;;) {
        if (!read_u8(o, a++, &c))
            return 0;
        if (c == 0)
            break;
        if (n == MAX_AUG)
            return 0;
        aug[n++] = (char)c;
    }
    aug[n] = 0;
    /* Without "z" the fields cannot be skipped safely; "eh" (old GCC) has a
     * pointer in the way. */
    if (aug[0] != 'z')
        return 0;
    if (!read_uleb(o, &a, &v) || !read_uleb(o, &a, &v))   /* code, data alignment */
        return 0;
    if (ver == 1) {
        a++;                                            /* return register, a byte */
    } else if (!read_uleb(o, &a, &v)) {
        return 0;
    }
    if (!read_uleb(o, &a, &v) || v > len)                 /* augmentation data length */
        return 0;
    aug_end = a + v;
    *fde_enc = PE_OMIT;
    for (int i = 1; i < n; i++) {
        unsigned enc;
        switch (aug[i]) {
        case 'L':           /* LSDA encoding: one byte */
            a++;
            break;
        case 'R':
            if (!read_u8(o, a++, &enc))
                return 0;
            *fde_enc = enc;
            break;
        case 'P': {         /* personality: its encoding, then the pointer */
            uint64_t p;
            if (!read_u8(o, a++, &enc))
                return 0;
            /* The indirect bit says where the pointer points, not its size. */
            if (!read_encoded(o, &a, enc & 0x7f, &p))
                return 0;
            break;
        }
        case 'S':
            /* A signal frame: its FDE may start before the code on
             * purpose (glibc's __restore_rt begins one byte early, inside
             * the nop in front, for unwinders that look up return
             * address - 1), so its pc_begin proves nothing. */
            return 0;
        default:
            return 0;
        }
        if (a > aug_end)
            return 0;
    }
    return *fde_enc != PE_OMIT;
}

/* From .eh_frame_hdr at eh (ehsz bytes): the FDE of the function that
 * would contain addr (the last table entry at or below it). */
static int find_fde(const struct obj *o, uint64_t eh, uint64_t ehsz, uint64_t addr,
                    uint64_t *fde, uint64_t *loc)
{
    unsigned ver, ptr_enc, count_enc, table_enc;
    uint32_t count, v;
    uint64_t lo, hi;

    if (ehsz < 12 || !read_u8(o, eh, &ver) || !read_u8(o, eh + 1, &ptr_enc) ||
        !read_u8(o, eh + 2, &count_enc) || !read_u8(o, eh + 3, &table_enc))
        return 0;
    /* What ld, gold, lld and mold write. */
    if (ver != 1 || ptr_enc != (PE_PCREL | PE_SDATA4) || count_enc != PE_UDATA4 ||
        table_enc != (PE_DATAREL | PE_SDATA4))
        return 0;
    if (!read_u32(o, eh + 8, &count) || count == 0 || count > (ehsz - 12) / 8)
        return 0;
    /* The largest i with table[i].loc <= addr: at most 32 probes. */
    lo = 0;
    hi = count;
    while (hi - lo > 1) {
        uint64_t mid = lo + (hi - lo) / 2;
        if (!read_u32(o, eh + 12 + mid * 8, &v))
            return 0;
        if (eh + (uint64_t)(int64_t)(int32_t)v <= addr)
            lo = mid;
        else
            hi = mid;
    }
    if (!read_u32(o, eh + 12 + lo * 8, &v))
        return 0;
    *loc = eh + (uint64_t)(int64_t)(int32_t)v;
    if (*loc > addr || !read_u32(o, eh + 12 + lo * 8 + 4, &v))
        return 0;
    *fde = eh + (uint64_t)(int64_t)(int32_t)v;
    return 1;
}

/* The FDE at fde: its function's [*begin, *begin + *range). */
static int fde_range(const struct obj *o, uint64_t fde, uint64_t *begin, uint64_t *range)
{
    uint32_t len, cie_ptr;
    unsigned enc;
    uint64_t a = fde + 8;

    if (!read_u32(o, fde, &len) || !read_u32(o, fde + 4, &cie_ptr) ||
        len == 0xffffffff || len < 4 || cie_ptr == 0 || cie_ptr > fde + 4 ||
        !seg_of(o, fde, 4 + (uint64_t)len))
        return 0;
    if (!cie_fde_encoding(o, fde + 4 - cie_ptr, &enc) || value_size(enc) == 0 ||
        2 * value_size(enc) > len - 4)
        return 0;
    return read_encoded(o, &a, enc, begin) && read_encoded(o, &a, enc & 0x0f, range);
}

/* Decode from begin until at or past addr, inside one executable segment;
 * 1 if the decode lands on addr. */
static int decode_to(const struct obj *o, uint64_t begin, uint64_t addr)
{
    const struct seg *s = seg_of(o, begin, addr - begin + 1);
    unsigned char buf[CHUNK];
    uint64_t pos = begin, at = 0;   /* buf holds [at, at + have) */
    size_t have = 0;

    if (!s || !s->exec)
        return 0;
    /* Each step moves pos forward by 1..15 bytes, so at most
     * MAX_DISTANCE steps. */
    while (pos < addr) {
        size_t off = (size_t)(pos - at), left = have - off;
        if (have == 0 || (left < 15 && at + have < s->hi)) {
            /* No further than the segment, nor than the longest
             * instruction that can start before addr. */
            uint64_t n = s->hi - pos;
            if (n > addr - pos + 14)
                n = addr - pos + 14;
            if (n > CHUNK)
                n = CHUNK;
            if (o->read(buf, (uintptr_t)pos, (size_t)n) != 0)
                return 0;
            at = pos;
            have = (size_t)n;
            off = 0;
            left = have;
        }
        int len = im_insn_len(buf + off, left);
        if (len == 0)
            return 0;
        pos += (uint64_t)len;
    }
    return pos == addr;
}

int im_insn_boundary(uintptr_t base, uintptr_t addr, im_read_fn read)
{
    struct obj o = { .read = read };
    uint64_t eh, ehsz, fde, loc, begin, range;

    if (!read_phdrs(&o, base, &eh, &ehsz) || !find_fde(&o, eh, ehsz, addr, &fde, &loc) ||
        !fde_range(&o, fde, &begin, &range))
        return 0;
    /* The table and the FDE must agree: a table entry pointing at another
     * function's FDE proves nothing. */
    if (begin != loc || addr < begin || addr - begin >= range || addr - begin > MAX_DISTANCE)
        return 0;
    return decode_to(&o, begin, addr);
}
