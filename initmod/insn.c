/* insn.c — the length of one x86-64 instruction (64-bit mode).
 *
 * Only lengths: which bytes are prefixes, which map the opcode is in,
 * whether a ModRM byte follows, how many SIB, displacement and immediate
 * bytes it implies.  The tables are strings of one class letter per
 * opcode (16 to a line, so a line is one row of the opcode map): byte
 * arrays, not pointers, so the image keeps only RELATIVE relocations.
 *
 * The rule throughout: an opcode goes in a table only when its length is
 * the same on every x86-64 CPU and binutils agrees (tests/unit/insncheck.c
 * checks it over whole binaries).  Anything else is refused with 0, which
 * costs the fast path one site; a wrong length could make the patcher
 * overwrite the middle of an instruction. */
#include "insn.h"

#define MAX_LEN 15

/* Opcode classes (the table letters). */
enum {
    C_BAD = '.',    /* invalid in 64-bit mode, undefined, or refused */
    C_PFX = 'P',    /* a prefix: consumed before the table is read */
    C_NONE = 'n',   /* opcode only */
    C_IB = 'b',     /* imm8 (or rel8 of a short branch: same length) */
    C_IW = 'w',     /* imm16 whatever the operand size (ret $n, retf $n) */
    C_IZ = 'z',     /* imm16 with 66, else imm32 (REX.W keeps it 32) */
    C_IV = 'V',     /* mov $imm,%reg: imm64 with REX.W, imm16 with 66, else imm32 */
    C_REL = 'J',    /* rel32 call/jmp/jcc: refused with 66 (below) */
    C_MOFFS = 'O',  /* a0-a3: 8-byte absolute address, 4 with 67 */
    C_ENTER = 'e',  /* enter $iw,$ib */
    C_M = 'M',      /* ModRM, no immediate */
    C_MIB = 'm',    /* ModRM + imm8 */
    C_MIZ = 'Z',    /* ModRM + imm16/32 as C_IZ */
    C_MMEM = 'L',   /* ModRM that must name memory (lea) */
    C_MREG = 'G',   /* ModRM whose mod is ignored (mov to/from cr, dr): no SIB, no disp */
    C_GROUP = 'X',  /* ModRM whose reg field decides (the group_* functions) */
    C_VEX = 'E',    /* c4, c5, 62: VEX and EVEX (never les/lds/bound in 64-bit mode) */
    C_ESC = 'F',    /* 0f: the next map */
    C_0F38 = '8',   /* 0f 38: three-byte map, ModRM, no immediate */
    C_0F3A = 'A',   /* 0f 3a: three-byte map, ModRM + imm8 */
};

/* The one-byte map.  Invalid in 64-bit mode: push/pop of es, cs, ss, ds,
 * the BCD instructions, pusha/popa, far call/jmp with a pointer, into,
 * aam/aad, salc, the 82 alias of 80.  40-4f are REX. */
static const char map1[256 + 1] =
    /* 0 */ "MMMMbz..MMMMbz.F"
    /* 1 */ "MMMMbz..MMMMbz.."
    /* 2 */ "MMMMbzP.MMMMbzP."
    /* 3 */ "MMMMbzP.MMMMbzP."
    /* 4 */ "PPPPPPPPPPPPPPPP"
    /* 5 */ "nnnnnnnnnnnnnnnn"
    /* 6 */ "..EMPPPPzZbmnnnn"
    /* 7 */ "bbbbbbbbbbbbbbbb"
    /* 8 */ "mZ.mMMMMMMMMMLMX"
    /* 9 */ "nnnnnnnnnn.nnnnn"
    /* a */ "OOOOnnnnbznnnnnn"
    /* b */ "bbbbbbbbVVVVVVVV"
    /* c */ "mmwnEEXXenwnnb.n"
    /* d */ "MMMM...nMMMMMMMM"
    /* e */ "bbbbbbbbJJ.bnnnn"
    /* f */ "PnPPnnXXnnnnnnXX";

/* The 0f map.  Refused: 3DNow! (0f 0f), ud0 (0f ff: a ModRM on Intel, none
 * on AMD), 0f 78/0f 79 and 0f b8 outside the forms group_0f handles. */
static const char map0f[256 + 1] =
    /* 0 */ "MMMM.nnnnn.n.Mn."
    /* 1 */ "MMMMMMMMMMMMMMMM"
    /* 2 */ "GGGG....MMMMMMMM"
    /* 3 */ "nnnnnn.n8.A....."
    /* 4 */ "MMMMMMMMMMMMMMMM"
    /* 5 */ "MMMMMMMMMMMMMMMM"
    /* 6 */ "MMMMMMMMMMMMMMMM"
    /* 7 */ "mmmmMMMnXX..MMMM"
    /* 8 */ "JJJJJJJJJJJJJJJJ"
    /* 9 */ "MMMMMMMMMMMMMMMM"
    /* a */ "nnnMmM..nnnMmMMM"
    /* b */ "MMMMMMMMXMmMMMMM"
    /* c */ "MMmMmmmMnnnnnnnn"
    /* d */ "MMMMMMMMMMMMMMMM"
    /* e */ "MMMMMMMMMMMMMMMM"
    /* f */ "MMMMMMMMMMMMMMM.";

/* The three-byte maps and the VEX/EVEX maps: which opcodes exist ('M' or
 * 'm'), the rest refused.  Every instruction in them has a ModRM byte; the
 * immediate is a property of the map (0f3a: imm8) except in map 1, where
 * the letter says. */
static const char map0f38[256 + 1] =
    /* 0 */ "MMMMMMMMMMMM...."
    /* 1 */ "M...MM.M....MMM."
    /* 2 */ "MMMMMM..MMMM...."
    /* 3 */ "MMMMMM.MMMMMMMMM"
    /* 4 */ "MM.............."
    /* 5 */ "................"
    /* 6 */ "................"
    /* 7 */ "................"
    /* 8 */ "MMM............."
    /* 9 */ "................"
    /* a */ "................"
    /* b */ "................"
    /* c */ "........MMMMMM.M"
    /* d */ "...........MMMMM"
    /* e */ "................"
    /* f */ "MM...MM.MM..M...";

static const char map0f3a[256 + 1] =
    /* 0 */ "........MMMMMMMM"
    /* 1 */ "....MMMM........"
    /* 2 */ "MMM............."
    /* 3 */ "................"
    /* 4 */ "MMM.M..........."
    /* 5 */ "................"
    /* 6 */ "MMMM............"
    /* 7 */ "................"
    /* 8 */ "................"
    /* 9 */ "................"
    /* a */ "................"
    /* b */ "................"
    /* c */ "............M.MM"
    /* d */ "...............M"
    /* e */ "................"
    /* f */ "................";

/* VEX map 1 (0f): 'n' is vzeroupper/vzeroall, the one VEX instruction
 * without a ModRM byte. */
static const char vex1[256 + 1] =
    /* 0 */ "................"
    /* 1 */ "MMMMMMMM........"
    /* 2 */ "........MMMMMMMM"
    /* 3 */ "................"
    /* 4 */ ".MM.MMMM..MM...."
    /* 5 */ "MMMMMMMMMMMMMMMM"
    /* 6 */ "MMMMMMMMMMMMMMMM"
    /* 7 */ "mmmmMMMn....MMMM"
    /* 8 */ "................"
    /* 9 */ "MMMM....MM......"
    /* a */ "..............M."
    /* b */ "................"
    /* c */ "..m.mmm........."
    /* d */ "MMMMMMMMMMMMMMMM"
    /* e */ "MMMMMMMMMMMMMMMM"
    /* f */ "MMMMMMMMMMMMMMM.";

static const char vex2[256 + 1] =
    /* 0 */ "MMMMMMMMMMMMMMMM"
    /* 1 */ "...M..MMMMM.MMM."
    /* 2 */ "MMMMMM..MMMMMMMM"
    /* 3 */ "MMMMMMMMMMMMMMMM"
    /* 4 */ "MM...MMM.M.M...."
    /* 5 */ "MMMM....MMM.M.M."
    /* 6 */ "................"
    /* 7 */ "........MM......"
    /* 8 */ "............M.M."
    /* 9 */ "MMMM..MMMMMMMMMM"
    /* a */ "......MMMMMMMMMM"
    /* b */ "MM..MMMMMMMMMMMM"
    /* c */ "...............M"
    /* d */ "..MM.......MMMMM"
    /* e */ "MMMMMMMMMMMMMMMM"
    /* f */ "..MM.MMM........";

static const char vex3[256 + 1] =
    /* 0 */ "MMM.MMM.MMMMMMMM"
    /* 1 */ "....MMMMMM...M.."
    /* 2 */ "MMM............."
    /* 3 */ "MMMM....MM......"
    /* 4 */ "MMM.M.M...MMM..."
    /* 5 */ "................"
    /* 6 */ "MMMM............"
    /* 7 */ "................"
    /* 8 */ "................"
    /* 9 */ "................"
    /* a */ "................"
    /* b */ "................"
    /* c */ "..............MM"
    /* d */ "...............M"
    /* e */ "................"
    /* f */ "M...............";

/* EVEX maps 1-3 (AVX-512).  Maps 5 and 6 (FP16) and APX's map 4 refused. */
static const char evex1[256 + 1] =
    /* 0 */ "................"
    /* 1 */ "MMMMMMMM........"
    /* 2 */ "........MMMMMMMM"
    /* 3 */ "................"
    /* 4 */ "................"
    /* 5 */ ".M..MMMMMMMMMMMM"
    /* 6 */ "MMMMMMMMMMMMMMMM"
    /* 7 */ "mmmmMMM.MMMM..MM"
    /* 8 */ "................"
    /* 9 */ "................"
    /* a */ "................"
    /* b */ "................"
    /* c */ "..m.mmm........."
    /* d */ ".MMMMMM.MMMMMMMM"
    /* e */ "MMMMMMMMMMMMMMMM"
    /* f */ ".MMMMMM.MMMMMMM.";

static const char evex2[256 + 1] =
    /* 0 */ "M...M......MMM.."
    /* 1 */ "MMMMMMM.MMMMMMMM"
    /* 2 */ "MMMMMMMMMMMMMM.."
    /* 3 */ "MMMMMMMMMMMMMMMM"
    /* 4 */ "M.MMMMMM....MMMM"
    /* 5 */ "MMMMMM..MMMM...."
    /* 6 */ "..MMMMM.M......."
    /* 7 */ "MMMM.MMMMMMMMMMM"
    /* 8 */ "...M....MMMM.M.M"
    /* 9 */ "MMMM..MMMMMMMMMM"
    /* a */ "MMMM..MMMMMMMMMM"
    /* b */ "....MMMMMMMMMMMM"
    /* c */ "....M.MMM.MMMM.M"
    /* d */ "............MMMM"
    /* e */ "................"
    /* f */ "................";

static const char evex3[256 + 1] =
    /* 0 */ "MM.MMM..MMMM...M"
    /* 1 */ "....MMMMMMMM.MMM"
    /* 2 */ "MMMM.MMM........"
    /* 3 */ "........MMMM..MM"
    /* 4 */ "..MMM..........."
    /* 5 */ "MM..MMMM........"
    /* 6 */ "......MM........"
    /* 7 */ "MMMM............"
    /* 8 */ "................"
    /* 9 */ "................"
    /* a */ "................"
    /* b */ "................"
    /* c */ "..............MM"
    /* d */ "...............M"
    /* e */ "................"
    /* f */ "................";

/* The decoder's state: the bytes, how far it has read, and what the
 * prefixes said. */
struct dec {
    const unsigned char *p;
    size_t avail;   /* min(avail, 15): past it nothing is read */
    size_t n;       /* bytes consumed */
    int opsize16;   /* 66 */
    int addr32;     /* 67 */
    int rep;        /* the last of f2/f3 (0 if none): 0f's mandatory prefixes */
    int lock;       /* f0 */
    int rex_w;
    int rex;        /* a REX prefix was seen */
};

/* The next byte, or -1 when it is past what may be read. */
static int next_byte(struct dec *d)
{
    if (d->n >= d->avail)
        return -1;
    return d->p[d->n++];
}

/* Consume k bytes (displacement, immediate) unread; 0 if they are not there. */
static int skip(struct dec *d, size_t k)
{
    if (k > d->avail - d->n)
        return 0;
    d->n += k;
    return 1;
}

static int is_legacy_prefix(int b)
{
    switch (b) {
    case 0x26: case 0x2e: case 0x36: case 0x3e: case 0x64: case 0x65:
    case 0x66: case 0x67: case 0xf0: case 0xf2: case 0xf3:
        return 1;
    }
    return 0;
}

/* The legacy prefixes and REX.  A REX prefix counts only right before the
 * opcode; one followed by another prefix is ignored by the CPU, which
 * binutils shows as a separate "rex" line — refused rather than argued
 * about.  Returns the opcode byte, or -1. */
static int read_prefixes(struct dec *d)
{
    for (;;) {
        int b = next_byte(d);
        if (b < 0)
            return -1;
        if (is_legacy_prefix(b)) {
            if (d->rex)
                return -1;
            if (b == 0x66)
                d->opsize16 = 1;
            else if (b == 0x67)
                d->addr32 = 1;
            else if (b == 0xf2 || b == 0xf3)
                d->rep = b;
            else if (b == 0xf0)
                d->lock = 1;
            continue;
        }
        if ((b & 0xf0) == 0x40) {
            if (d->rex)
                return -1;
            d->rex = 1;
            d->rex_w = (b & 8) != 0;
            continue;
        }
        return b;
    }
}

/* The bytes a ModRM byte implies after it: a SIB byte for rm=100 (any
 * base register whose low bits are 100, so r12 too), disp32 for mod=00
 * with rm=101 (RIP-relative; EIP-relative with 67) or a SIB base of 101,
 * disp8 for mod=01, disp32 for mod=10.  67 changes the registers, not
 * this layout: 16-bit addressing does not exist in 64-bit mode. */
static int skip_modrm_operand(struct dec *d, int modrm)
{
    int mod = modrm >> 6, rm = modrm & 7;
    size_t disp = 0;

    if (mod == 3)
        return 1;
    if (rm == 4) {
        int sib = next_byte(d);
        if (sib < 0)
            return 0;
        if (mod == 0 && (sib & 7) == 5)
            disp = 4;
    } else if (mod == 0 && rm == 5) {
        disp = 4;
    }
    if (mod == 1)
        disp = 1;
    else if (mod == 2)
        disp = 4;
    return skip(d, disp);
}

/* Read the ModRM byte and its operand bytes; the ModRM byte, or -1. */
static int read_modrm(struct dec *d)
{
    int modrm = next_byte(d);

    if (modrm < 0 || !skip_modrm_operand(d, modrm))
        return -1;
    return modrm;
}

/* imm16/imm32 by operand size: REX.W wins over 66 and keeps imm32. */
static size_t iz_size(const struct dec *d)
{
    return d->opsize16 && !d->rex_w ? 2 : 4;
}

/* The one-byte map's groups whose ModRM reg field changes the length or
 * validity: opcode and ModRM already read (operand bytes consumed).
 * Returns the immediate size, or -1 for a form refused. */
static int group_imm(const struct dec *d, int op, int modrm)
{
    int reg = (modrm >> 3) & 7, mod = modrm >> 6;

    switch (op) {
    case 0x8f:              /* pop r/m; other reg values are AMD's XOP */
        return reg == 0 ? 0 : -1;
    case 0xc6:              /* mov $ib,r/m; c6 f8 is xabort $ib */
        return reg == 0 || modrm == 0xf8 ? 1 : -1;
    case 0xc7:              /* mov $iz,r/m; c7 f8 is xbegin rel32 (rel16 with 66: refused) */
        if (modrm == 0xf8)
            return d->opsize16 ? -1 : 4;
        return reg == 0 ? (int)iz_size(d) : -1;
    case 0xf6:              /* test $ib (/0 and its alias /1); not, neg, mul, ... none */
        return reg <= 1 ? 1 : 0;
    case 0xf7:
        return reg <= 1 ? (int)iz_size(d) : 0;
    case 0xfe:              /* inc, dec only */
        return reg <= 1 ? 0 : -1;
    case 0xff:              /* far call/jmp need memory; /7 undefined */
        if (reg == 7 || ((reg == 3 || reg == 5) && mod == 3))
            return -1;
        return 0;
    }
    return -1;
}

/* A map whose every instruction has a ModRM byte (0f38, 0f3a, VEX, EVEX):
 * class from its table, then ModRM, operand bytes and imm8 if the class
 * or the map (imm8_map) says so. */
static int finish_modrm_map(struct dec *d, const char *table, int op, int imm8_map)
{
    char c = table[op];

    if (c == C_NONE)        /* vzeroupper/vzeroall */
        return 1;
    if (c != C_M && c != C_MIB)
        return 0;
    if (read_modrm(d) < 0)
        return 0;
    return skip(d, imm8_map || c == C_MIB ? 1 : 0);
}

/* VEX (c4, c5) and EVEX (62): in 64-bit mode these bytes are always the
 * escape (les, lds and bound do not exist there).  A VEX/EVEX instruction
 * after 66, f2, f3, f0 or REX raises #UD: refused. */
static int decode_vex(struct dec *d, int esc)
{
    int map, b1, b2;

    if (d->opsize16 || d->rep || d->lock || d->rex)
        return 0;
    b1 = next_byte(d);
    if (b1 < 0)
        return 0;
    if (esc == 0xc5) {
        map = 1;
    } else if (esc == 0xc4) {
        map = b1 & 0x1f;
        if (next_byte(d) < 0)
            return 0;
    } else {
        /* EVEX P0 bit 3 and P1 bit 2 are fixed (0 and 1) in AVX-512; APX
         * gives them meanings this decoder does not know. */
        map = b1 & 0x0f;
        b2 = next_byte(d);
        if (b2 < 0 || !(b2 & 4) || next_byte(d) < 0)
            return 0;
    }
    int op = next_byte(d);
    if (op < 0)
        return 0;
    if (esc == 0x62) {
        switch (map) {
        case 1: return finish_modrm_map(d, evex1, op, 0);
        case 2: return finish_modrm_map(d, evex2, op, 0);
        case 3: return finish_modrm_map(d, evex3, op, 1);
        }
        return 0;
    }
    switch (map) {
    case 1: return finish_modrm_map(d, vex1, op, 0);
    case 2: return finish_modrm_map(d, vex2, op, 0);
    case 3: return finish_modrm_map(d, vex3, op, 1);
    }
    return 0;
}

/* The 0f map after its escape byte. */
static int decode_0f(struct dec *d)
{
    int op = next_byte(d);
    char c;

    if (op < 0)
        return 0;
    c = map0f[op];
    switch (c) {
    case C_NONE:
        return 1;
    case C_M:
        return read_modrm(d) >= 0;
    case C_MIB:
        return read_modrm(d) >= 0 && skip(d, 1);
    case C_MREG:
        return next_byte(d) >= 0;
    case C_REL:
        /* 66 jcc: Intel ignores 66 (rel32), AMD takes rel16. */
        return !d->opsize16 && skip(d, 4);
    case C_0F38: {
        int op3 = next_byte(d);
        return op3 >= 0 && finish_modrm_map(d, map0f38, op3, 0);
    }
    case C_0F3A: {
        int op3 = next_byte(d);
        return op3 >= 0 && finish_modrm_map(d, map0f3a, op3, 1);
    }
    case C_GROUP:
        break;
    default:
        return 0;
    }
    switch (op) {
    case 0x78:      /* vmread; with 66/f2 SSE4a's extrq/insertq $ib,$ib: refused */
        return !d->opsize16 && !d->rep && read_modrm(d) >= 0;
    case 0x79:      /* vmwrite; extrq/insertq register forms (66, f2) */
        return d->rep != 0xf3 && read_modrm(d) >= 0;
    case 0xb8:      /* popcnt needs f3 (without it: IA-64's jmpe) */
        return d->rep == 0xf3 && read_modrm(d) >= 0;
    }
    return 0;
}

/* The one-byte map (and everything reached from it). */
static int decode_op(struct dec *d, int op)
{
    char c = map1[op];
    int modrm, imm;

    switch (c) {
    case C_NONE:
        return 1;
    case C_IB:
        return skip(d, 1);
    case C_IW:
        return skip(d, 2);
    case C_IZ:
        return skip(d, iz_size(d));
    case C_IV:
        return skip(d, d->rex_w ? 8 : d->opsize16 ? 2 : 4);
    case C_REL:
        /* 66 call/jmp: rel32 on Intel, rel16 on AMD. */
        return !d->opsize16 && skip(d, 4);
    case C_MOFFS:
        return skip(d, d->addr32 ? 4 : 8);
    case C_ENTER:
        return skip(d, 3);
    case C_M:
        return read_modrm(d) >= 0;
    case C_MIB:
        return read_modrm(d) >= 0 && skip(d, 1);
    case C_MIZ:
        return read_modrm(d) >= 0 && skip(d, iz_size(d));
    case C_MMEM:
        modrm = read_modrm(d);
        return modrm >= 0 && (modrm >> 6) != 3;
    case C_GROUP:
        modrm = read_modrm(d);
        if (modrm < 0)
            return 0;
        imm = group_imm(d, op, modrm);
        return imm >= 0 && skip(d, (size_t)imm);
    case C_VEX:
        return decode_vex(d, op);
    case C_ESC:
        return decode_0f(d);
    }
    return 0;
}

int im_insn_len(const unsigned char *p, size_t avail)
{
    struct dec d = {
        .p = p,
        .avail = avail < MAX_LEN ? avail : MAX_LEN,
    };
    int op = read_prefixes(&d);

    if (op < 0 || !decode_op(&d, op))
        return 0;
    return (int)d.n;
}
