/* insncheck.c — initmod's instruction-length decoder (initmod/insn.c) and
 * boundary proofs (initmod/siteproof.c), on the host.
 *
 *   - rows of hand-written instructions: each prefix, map, VEX/EVEX and
 *     immediate-size rule, with its length, and encodings that must be 0;
 *     every row is also decoded with one byte fewer (must be 0);
 *   - the oracle: every instruction GNU objdump lists in the executable
 *     sections of real binaries, decoded: agree, unknown (0) or disagree.
 *     No disagreement is allowed; unknown must stay under 2 %;
 *   - boundary proofs in this process's libc: every `mov $imm32,%eax` in
 *     front of a `syscall` proven (>= 95 %), no byte inside an instruction
 *     ever proven (zero false proofs);
 *   - fake in-memory ELF objects with malformed unwind tables: 0, never a
 *     read outside the object, a bounded number of reads.
 *
 * Figures go to stdout as `# ` lines; ok / not ok lines as rows.h prints. */
#define _GNU_SOURCE
#include <elf.h>
#include <fcntl.h>
#include <link.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "insn.h"
#include "rows.h"

/* ---- hand-written rows ---------------------------------------------- */

struct lenrow {
    const char *hex;    /* the bytes (more may follow the instruction) */
    int len;            /* expected length, 0 = refused */
    const char *what;
};

#define I4 " 11 22 33 44"
#define I8 " 11 22 33 44 55 66 77 88"

static const struct lenrow len_rows[] = {
    /* one-byte map, no operands */
    { "90", 1, "nop" },
    { "c3", 1, "ret" },
    { "f3 c3", 2, "repz ret" },
    { "cc", 1, "int3" },
    { "f4", 1, "hlt" },
    { "9b", 1, "fwait is its own instruction" },
    { "55", 1, "push %rbp" },
    { "41 5f", 2, "pop %r15" },
    { "f3 48 ab", 3, "rep stos" },
    { "6c", 1, "insb" },
    { "d7", 1, "xlat" },
    { "ec", 1, "in (%dx),%al" },
    /* immediates of fixed size */
    { "c2 10 00", 3, "ret $16: iw" },
    { "66 c2 10 00", 4, "66 does not change ret's iw" },
    { "ca 08 00", 3, "lret $8" },
    { "c8 10 00 01", 4, "enter iw, ib" },
    { "cd 80", 2, "int $0x80" },
    { "6a 01", 2, "push $ib" },
    { "a8 01", 2, "test $ib,%al" },
    { "e4 60", 2, "in $ib" },
    { "b0 01", 2, "mov $ib,%al" },
    { "41 b0 01", 3, "mov $ib,%r8b" },
    /* imm16/32 (iz) and the mov $imm,%reg imm64 (iv) */
    { "b8" I4, 5, "mov $imm32,%eax" },
    { "41 b8" I4, 6, "mov $imm32,%r8d" },
    { "48 b8" I8, 10, "movabs $imm64,%rax: REX.W" },
    { "49 bf" I8, 10, "movabs $imm64,%r15" },
    { "66 b8 11 22", 4, "mov $imm16,%ax" },
    { "66 48 b8" I8, 11, "REX.W wins over 66 for b8+r" },
    { "05" I4, 5, "add $iz,%eax" },
    { "66 05 11 22", 4, "add $imm16,%ax" },
    { "48 05" I4, 6, "add $imm32,%rax (not imm64)" },
    { "66 48 05" I4, 7, "REX.W wins over 66 for iz" },
    { "68" I4, 5, "push $imm32" },
    { "66 68 11 22", 4, "pushw $imm16" },
    { "a9" I4, 5, "test $imm32,%eax" },
    { "66 a9 11 22", 4, "test $imm16,%ax" },
    /* moffs */
    { "a0" I8, 9, "movabs moffs8,%al: 8-byte address" },
    { "48 a1" I8, 10, "movabs moffs64,%rax" },
    { "67 a0" I4, 6, "67: 4-byte address" },
    { "67 48 a3" I4, 7, "67 movabs %rax,moffs32" },
    { "66 a1" I8, 10, "66 changes the data, not the address" },
    /* branches */
    { "eb fe", 2, "jmp rel8" },
    { "74 00", 2, "je rel8" },
    { "e3 fe", 2, "jrcxz" },
    { "67 e3 fe", 3, "jecxz" },
    { "e2 fe", 2, "loop" },
    { "e8" I4, 5, "call rel32" },
    { "e9" I4, 5, "jmp rel32" },
    { "f2 e8" I4, 6, "bnd call" },
    { "48 e8" I4, 6, "REX.W call: still rel32" },
    { "0f 84" I4, 6, "je rel32" },
    { "66 e8 11 22 33 44", 0, "66 call: rel16 on AMD, rel32 on Intel" },
    { "66 e9 11 22 33 44", 0, "66 jmp" },
    { "66 0f 84 11 22 33 44", 0, "66 jcc rel32" },
    /* ModRM, SIB, displacements */
    { "89 c0", 2, "mov %eax,%eax" },
    { "89 04 24", 3, "SIB" },
    { "89 04 25" I4, 7, "SIB base 101, mod 00: disp32" },
    { "89 44 25 08", 4, "SIB base 101, mod 01: rbp+disp8" },
    { "89 05" I4, 6, "RIP-relative" },
    { "89 45 00", 3, "mod 01 rm 101: rbp+disp8" },
    { "89 85" I4, 6, "mod 10: disp32" },
    { "89 44 24 08", 4, "SIB + disp8" },
    { "89 84 24" I4, 7, "SIB + disp32" },
    { "41 89 04 24", 4, "r12 base needs a SIB (REX.B does not change rm)" },
    { "41 89 45 00", 4, "r13 base needs a disp8" },
    { "41 89 05" I4, 7, "REX.B mod 00 rm 101 is still RIP-relative" },
    { "67 89 05" I4, 7, "67: EIP-relative, still disp32" },
    { "67 89 04 24", 4, "67 with SIB" },
    { "67 8b 44 24 08", 5, "67 SIB disp8" },
    { "67 89 04 25" I4, 8, "67 SIB base 101: disp32" },
    { "48 63 c7", 3, "movslq" },
    { "64 48 8b 04 25 28 00 00 00", 9, "mov %fs:0x28,%rax" },
    { "8d 04 00", 3, "lea" },
    { "48 8d 05" I4, 7, "lea rip" },
    { "8d c0", 0, "lea with a register operand" },
    /* ModRM + immediate */
    { "80 38 00", 3, "cmpb $ib" },
    { "81 f9" I4, 6, "cmp $imm32,%ecx" },
    { "66 81 f9 11 22", 5, "cmp $imm16,%cx" },
    { "83 f8 01", 3, "cmp $ib,%eax" },
    { "48 81 7c 24 08" I4, 9, "cmpq $imm32,8(%rsp)" },
    { "69 c0" I4, 6, "imul $imm32" },
    { "66 69 c0 11 22", 5, "imul $imm16" },
    { "6b c0 01", 3, "imul $ib" },
    { "c0 e0 01", 3, "shl $ib,%al" },
    { "c1 e0 01", 3, "shl $ib,%eax" },
    { "d1 e0", 2, "shl %eax" },
    { "c6 00 01", 3, "movb $ib,(%rax)" },
    { "c6 44 24 08 01", 5, "movb $ib,8(%rsp)" },
    { "c7 00" I4, 6, "movl $imm32,(%rax)" },
    { "66 c7 00 11 22", 5, "movw $imm16,(%rax)" },
    { "48 c7 c0" I4, 7, "mov $imm32,%rax (sign-extended)" },
    { "c7 05 11 22 33 44 55 66 77 88", 10, "movl $imm32,rip: disp then imm" },
    { "c6 f8 01", 3, "xabort $ib" },
    { "c7 f8" I4, 6, "xbegin rel32" },
    { "66 c7 f8 11 22", 0, "66 xbegin" },
    { "c6 c8 01", 0, "c6 /1 undefined" },
    { "c7 c8" I4, 0, "c7 /1 undefined" },
    /* groups whose reg field decides */
    { "f6 c0 01", 3, "test $ib,%al: f6 /0 has an imm8" },
    { "f6 4d 00 01", 4, "f6 /1 (test alias) has an imm8" },
    { "f6 d0", 2, "not %al: f6 /2 none" },
    { "f6 f1", 2, "div %cl" },
    { "f7 c0" I4, 6, "test $imm32,%eax" },
    { "66 f7 c0 11 22", 5, "test $imm16,%ax" },
    { "48 f7 c0" I4, 7, "test $imm32,%rax" },
    { "f7 45 f8" I4, 7, "testl $imm32,-8(%rbp)" },
    { "f7 d8", 2, "neg %eax" },
    { "48 f7 f1", 3, "div %rcx" },
    { "8f c0", 2, "pop %rax through 8f /0" },
    { "8f 00", 2, "pop (%rax)" },
    { "8f e8 78 c2 c0 01", 0, "XOP" },
    { "fe c0", 2, "inc %al" },
    { "fe d0", 0, "fe /2 undefined" },
    { "ff d0", 2, "call *%rax" },
    { "ff 25" I4, 6, "jmp *rip" },
    { "ff 18", 2, "lcall *(%rax)" },
    { "ff d8", 0, "lcall with a register" },
    { "ff f8", 0, "ff /7 undefined" },
    /* invalid in 64-bit mode */
    { "06", 0, "push %es" },
    { "0e", 0, "push %cs" },
    { "1f", 0, "pop %ds" },
    { "27", 0, "daa" },
    { "37", 0, "aaa" },
    { "60", 0, "pusha" },
    { "61", 0, "popa" },
    { "82 c0 01", 0, "82 alias" },
    { "9a 11 22 33 44 55 66", 0, "far call ptr" },
    { "ce", 0, "into" },
    { "d4 0a", 0, "aam" },
    { "d5 0a", 0, "aad" },
    { "d6", 0, "salc" },
    { "ea 11 22 33 44 55 66", 0, "far jmp ptr" },
    /* prefixes */
    { "f0 48 0f b1 17", 5, "lock cmpxchg" },
    { "f0 ff 00", 3, "lock incl (%rax)" },
    { "2e 0f 1f 84 00" I4, 9, "cs nopl" },
    { "66 2e 0f 1f 84 00" I4, 10, "nopw %cs:" },
    { "66 66 2e 0f 1f 84 00" I4, 11, "data16 nopw" },
    { "66 66 66 66 66 66 2e 0f 1f 84 00" I4, 15, "15 bytes: the limit" },
    { "66 66 66 66 66 66 66 2e 0f 1f 84 00" I4, 0, "16 bytes: too long" },
    { "66 66 66 66 66 66 66 66 66 66 66 66 66 66 66 90", 0, "15 prefixes" },
    { "48 66 89 c0", 0, "REX before a legacy prefix (ignored by the CPU): refused" },
    { "48 48 89 c0", 0, "two REX prefixes: refused" },
    { "40", 0, "REX alone" },
    { "66", 0, "prefix alone" },
    /* x87 */
    { "d9 c0", 2, "fld %st0" },
    { "d9 ee", 2, "fldz" },
    { "dd 44 24 08", 4, "fldl 8(%rsp)" },
    { "db 2d" I4, 6, "fldt rip" },
    { "df e0", 2, "fnstsw %ax" },
    /* 0f map */
    { "0f 05", 2, "syscall" },
    { "0f 0b", 2, "ud2" },
    { "0f a2", 2, "cpuid" },
    { "0f 31", 2, "rdtsc" },
    { "0f c8", 2, "bswap" },
    { "0f 77", 2, "emms" },
    { "0f 1f 00", 3, "nopl (%rax)" },
    { "0f 1f 44 00 00", 5, "nopl 0(%rax,%rax)" },
    { "0f 1f 80" I4, 7, "nopl disp32(%rax)" },
    { "f3 0f 1e fa", 4, "endbr64" },
    { "0f 10 07", 3, "movups" },
    { "66 0f 6f 07", 4, "movdqa" },
    { "f3 0f 6f 44 24 10", 6, "movdqu 16(%rsp)" },
    { "66 0f d6 07", 4, "movq" },
    { "0f 70 c0 01", 4, "pshufw $ib" },
    { "66 0f 70 c0 1b", 5, "pshufd $ib" },
    { "66 0f 73 d8 08", 5, "psrldq $ib" },
    { "66 0f 71 d0 08", 5, "psrlw $ib" },
    { "0f ba e0 03", 4, "bt $ib" },
    { "48 0f ba 6c 24 08 03", 7, "btsq $ib,8(%rsp)" },
    { "0f a4 c0 04", 4, "shld $ib" },
    { "0f ac c0 04", 4, "shrd $ib" },
    { "0f a5 c0", 3, "shld %cl" },
    { "0f c2 c1 00", 4, "cmpps $ib" },
    { "66 0f c4 c0 01", 5, "pinsrw $ib" },
    { "66 0f c5 c0 01", 5, "pextrw $ib" },
    { "0f c6 c1 00", 4, "shufps $ib" },
    { "0f af c0", 3, "imul" },
    { "0f b6 c0", 3, "movzbl" },
    { "48 0f be c0", 4, "movsbq" },
    { "0f 44 c1", 3, "cmove" },
    { "0f 94 c0", 3, "sete" },
    { "48 0f c7 0f", 4, "cmpxchg16b" },
    { "0f c7 f0", 3, "rdrand" },
    { "f0 0f c1 07", 4, "lock xadd" },
    { "0f 20 c0", 3, "mov %cr0,%rax" },
    { "0f 20 04", 3, "mov cr: mod ignored, no SIB" },
    { "0f 22 05", 3, "mov to cr: mod ignored, no disp" },
    { "0f 23 c0", 3, "mov to dr" },
    { "0f 01 d0", 3, "xgetbv" },
    { "0f 01 f9", 3, "rdtscp" },
    { "0f 01 10", 3, "lgdt (%rax)" },
    { "0f 00 c0", 3, "sldt" },
    { "0f ae e8", 3, "lfence" },
    { "0f ae f0", 3, "mfence" },
    { "0f ae 5c 24 fc", 5, "stmxcsr -4(%rsp)" },
    { "f3 48 0f ae c0", 5, "rdfsbase" },
    { "0f 18 08", 3, "prefetcht0" },
    { "0f 0d 08", 3, "prefetchw" },
    { "f3 0f b8 c0", 4, "popcnt" },
    { "f3 48 0f bc c0", 5, "tzcnt" },
    { "f3 0f bd c0", 4, "lzcnt" },
    { "0f 78 c0", 3, "vmread" },
    { "0f b9 c0", 3, "ud1" },
    { "0f b8 c0", 0, "jmpe (no f3)" },
    { "0f ff c0", 0, "ud0: ModRM on Intel, none on AMD" },
    { "0f 0f c0 b4", 0, "3DNow!" },
    { "0f 04", 0, "0f 04 undefined" },
    { "0f 0a", 0, "0f 0a undefined" },
    { "0f 36", 0, "0f 36 undefined" },
    { "0f a6", 0, "0f a6 undefined" },
    { "66 0f 78 c0 01 02", 0, "extrq $ib,$ib" },
    { "f2 0f 78 c1 01 02", 0, "insertq $ib,$ib" },
    /* 0f 38: ModRM, no immediate */
    { "66 0f 38 00 c1", 5, "pshufb" },
    { "66 0f 38 00 44 24 10", 7, "pshufb 16(%rsp)" },
    { "f2 0f 38 f1 c1", 5, "crc32" },
    { "f2 48 0f 38 f1 c1", 6, "crc32q" },
    { "0f 38 f0 07", 4, "movbe" },
    { "66 0f 38 dc c1", 5, "aesenc" },
    { "0f 38 c8 c1", 4, "sha1nexte" },
    { "66 0f 38 17 c1", 5, "ptest" },
    { "66 0f 38 f6 c1", 5, "adcx" },
    { "66 0f 38 82 07", 5, "invpcid" },
    { "0f 38 50 c0", 0, "0f 38 50 undefined" },
    { "0f 38 ff c0", 0, "0f 38 ff undefined" },
    /* 0f 3a: ModRM + imm8 */
    { "66 0f 3a 0f c1 08", 6, "palignr" },
    { "66 0f 3a 44 c1 00", 6, "pclmulqdq" },
    { "66 0f 3a 16 c0 01", 6, "pextrd" },
    { "66 48 0f 3a 16 c0 01", 7, "pextrq" },
    { "66 0f 3a 63 04 24 0c", 7, "pcmpistri with SIB" },
    { "66 0f 3a 0b c1 04", 6, "roundsd" },
    { "66 0f 3a df c1 01", 6, "aeskeygenassist" },
    { "0f 3a cc c1 00", 5, "sha1rnds4" },
    { "0f 3a 00 c0 00", 0, "0f 3a 00 undefined" },
    { "0f 3a f0 c0 00", 0, "0f 3a f0 undefined (rorx is VEX)" },
    /* VEX */
    { "c5 f8 77", 3, "vzeroupper: no ModRM" },
    { "c5 fc 77", 3, "vzeroall" },
    { "c5 fc 28 07", 4, "vmovaps (%rdi),%ymm0" },
    { "c5 f9 6f 44 24 10", 6, "vmovdqa 16(%rsp)" },
    { "c5 fe 6f 05" I4, 8, "vmovdqu rip" },
    { "c5 f9 70 c0 1b", 5, "vpshufd $ib: VEX map 1 imm" },
    { "c5 f9 73 d8 08", 5, "vpsrldq $ib" },
    { "c5 f8 c2 c1 00", 5, "vcmpps $ib" },
    { "c5 f8 ae 5c 24 fc", 6, "vstmxcsr" },
    { "c4 e2 79 00 c1", 5, "vpshufb: map 0f38" },
    { "c4 e2 7d 58 c0", 5, "vpbroadcastd" },
    { "c4 e2 f8 f2 c1", 5, "andn" },
    { "c4 e2 f3 f7 c0", 5, "shrx" },
    { "c4 e1 f9 7e c0", 5, "vmovq: c4 with map 1" },
    { "c4 e3 79 0f c1 08", 6, "vpalignr: map 0f3a imm8" },
    { "c4 e3 fb f0 c0 05", 6, "rorx" },
    { "c4 e3 7d 39 c1 01", 6, "vextracti128" },
    { "c4 e3 79 4c c1 20", 6, "vpblendvb: is4" },
    { "c4 e2 7d 2a 07", 5, "vmovntdqa" },
    { "c4 e0 79 00 c1", 0, "VEX map 0" },
    { "c4 e4 79 00 c1", 0, "VEX map 4" },
    { "c5 f8 0c c0", 0, "VEX 0f 0c undefined" },
    { "66 c5 f8 77", 0, "66 before VEX" },
    { "f3 c5 f8 77", 0, "f3 before VEX" },
    { "48 c5 f8 77", 0, "REX before VEX" },
    { "c5", 0, "VEX cut short" },
    { "64 c5 f9 6f 00", 5, "segment prefix before VEX" },
    { "67 c5 f9 6f 00", 5, "67 before VEX" },
    /* EVEX */
    { "62 f1 7c 48 28 07", 6, "vmovaps (%rdi),%zmm0" },
    { "62 f1 7c 48 28 47 01", 7, "disp8*N is still one byte" },
    { "62 f1 fd 48 6f 84 24" I4, 11, "vmovdqa64 disp32(%rsp)" },
    { "62 f1 7d 48 72 e0 05", 7, "vpsrad $ib: EVEX map 1 imm" },
    { "62 f2 7d 48 00 c1", 6, "vpshufb zmm: map 2" },
    { "62 f3 7d 48 1e c1 01", 7, "vpcmpud $ib: map 3" },
    { "62 f3 7d 48 25 c1 ff", 7, "vpternlogd" },
    { "62 f1 7d 18 58 c1", 6, "EVEX.b rounding on a register: no change" },
    { "62 f5 7c 48 58 c1", 0, "EVEX map 5 (FP16)" },
    { "62 f1 78 48 28 07", 0, "EVEX P1 bit 2 clear" },
    { "62 f9 7c 48 28 07", 0, "EVEX P0 bit 3 set (APX)" },
    { "66 62 f1 7c 48 28 07", 0, "66 before EVEX" },
    { "62 f1 7c 48 77", 0, "EVEX 0f 77 undefined" },
};

/* Hex to bytes; the number of bytes. */
static size_t unhex(const char *s, unsigned char *out, size_t max)
{
    size_t n = 0;

    while (*s && n < max) {
        if (*s == ' ') {
            s++;
            continue;
        }
        unsigned v;
        if (sscanf(s, "%2x", &v) != 1)
            break;
        out[n++] = (unsigned char)v;
        s += 2;
    }
    return n;
}

/* Decode from a heap copy of exactly avail bytes, so that ASan sees any
 * read past it. */
static int len_exact(const unsigned char *b, size_t avail)
{
    unsigned char *c = malloc(avail ? avail : 1);
    memcpy(c, b, avail);
    int r = im_insn_len(c, avail);
    free(c);
    return r;
}

static void check_len_rows(void)
{
    rows_begin("insn lengths");
    for (size_t i = 0; i < ROWS_COUNT(len_rows); i++) {
        const struct lenrow *r = &len_rows[i];
        unsigned char b[32];
        size_t n = unhex(r->hex, b, sizeof b);
        int got = len_exact(b, n);
        rows_check(got == r->len, "%s [%s]: got %d, want %d", r->what, r->hex, got, r->len);
        if (r->len > 0) {
            /* Exactly its bytes: the same; one fewer: unknown. */
            got = len_exact(b, (size_t)r->len);
            rows_check(got == r->len, "%s [%s] with avail %d: got %d", r->what, r->hex, r->len, got);
            got = len_exact(b, (size_t)r->len - 1);
            rows_check(got == 0, "%s [%s] with avail %d: got %d, want 0", r->what, r->hex, r->len - 1, got);
        }
    }
    rows_check(im_insn_len((const unsigned char *)"", 0) == 0, "avail 0");
    rows_end();
}

/* ---- objdump's listings --------------------------------------------- */

struct insn {
    uint64_t addr;
    unsigned char len;
    unsigned char bytes[15];
    int fn;             /* index of its function (the last <name>: above it) */
};

struct listing {
    struct insn *v;
    size_t n, cap;
    int nfn;
};

/* One objdump -d -w line: "  ADDR:\tBYTES \tMNEMONIC".  1 for an
 * instruction (not "(bad)"), 2 for a function label, 0 otherwise. */
static int parse_line(const char *l, struct insn *in)
{
    char *end;
    uint64_t a = strtoull(l, &end, 16);

    if (end != l && *end == ' ' && end[1] == '<' && strstr(end, ">:"))
        return 2;
    while (*l == ' ')
        l++;
    a = strtoull(l, &end, 16);
    if (end == l || end[0] != ':' || end[1] != '\t')
        return 0;
    const char *p = end + 2;
    int n = 0;
    while (p[0] && p[1] && p[0] != '\t' && n < 15) {
        unsigned v;
        if (p[0] == ' ') {
            p++;
            continue;
        }
        if (sscanf(p, "%2x", &v) != 1)
            return 0;
        in->bytes[n++] = (unsigned char)v;
        p += 2;
    }
    while (*p == ' ')
        p++;
    if (n == 0 || *p != '\t' || strncmp(p + 1, "(bad)", 5) == 0)
        return 0;
    in->addr = a;
    in->len = (unsigned char)n;
    return 1;
}

static int read_listing(const char *path, struct listing *L)
{
    char cmd[512], line[4096];
    FILE *f;

    snprintf(cmd, sizeof cmd, "objdump -d -w '%s' 2>/dev/null", path);
    f = popen(cmd, "r");
    if (!f)
        return 0;
    memset(L, 0, sizeof *L);
    L->nfn = -1;
    while (fgets(line, sizeof line, f)) {
        struct insn in;
        int k = parse_line(line, &in);
        if (k == 2)
            L->nfn++;
        if (k != 1)
            continue;
        if (L->n == L->cap) {
            L->cap = L->cap ? 2 * L->cap : 65536;
            L->v = realloc(L->v, L->cap * sizeof *L->v);
        }
        in.fn = L->nfn;
        L->v[L->n++] = in;
    }
    return pclose(f) == 0 && L->n > 0;
}

/* The file, mapped, and its executable sections (the bytes objdump read). */
struct file {
    const unsigned char *p;
    size_t size;
    const Elf64_Shdr *sh;
    int nsh;
};

static int map_file(const char *path, struct file *F)
{
    struct stat st;
    int fd = open(path, O_RDONLY);

    if (fd < 0 || fstat(fd, &st) != 0)
        return 0;
    F->size = (size_t)st.st_size;
    F->p = mmap(0, F->size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (F->p == MAP_FAILED)
        return 0;
    const Elf64_Ehdr *eh = (const void *)F->p;
    F->sh = (const void *)(F->p + eh->e_shoff);
    F->nsh = eh->e_shnum;
    return 1;
}

/* The bytes at link-time address a, and how many of its section follow. */
static const unsigned char *bytes_at(const struct file *F, uint64_t a, size_t *avail)
{
    for (int i = 0; i < F->nsh; i++) {
        const Elf64_Shdr *s = &F->sh[i];
        if (!(s->sh_flags & SHF_EXECINSTR) || s->sh_type != SHT_PROGBITS)
            continue;
        if (a >= s->sh_addr && a < s->sh_addr + s->sh_size) {
            *avail = s->sh_addr + s->sh_size - a;
            return F->p + s->sh_offset + (a - s->sh_addr);
        }
    }
    return 0;
}

static void oracle(const char *path, struct listing *keep)
{
    struct listing L = { 0 };
    struct file F = { 0 };
    size_t agree = 0, unknown = 0, disagree = 0, mismatch = 0;
    char group[300];

    snprintf(group, sizeof group, "insn oracle %s", path);
    if (access(path, R_OK) != 0) {
        printf("skip %s: not present\n", group);
        return;
    }
    rows_begin(group);
    if (!rows_check(read_listing(path, &L) && map_file(path, &F), "objdump -d -w %s read", path)) {
        rows_end();
        return;
    }
    for (size_t i = 0; i < L.n; i++) {
        const struct insn *in = &L.v[i];
        size_t avail;
        const unsigned char *b = bytes_at(&F, in->addr, &avail);
        if (!b || avail < in->len || memcmp(b, in->bytes, in->len) != 0) {
            if (mismatch++ < 3)
                rows_check(0, "%#llx: objdump's bytes are not the file's", (unsigned long long)in->addr);
            continue;
        }
        /* objdump shows fwait and the x87 instruction after it as one
         * (fstcw = fwait; fnstcw): two instructions to the CPU. */
        int got = im_insn_len(b, avail), want = in->len;
        if (b[0] == 0x9b && want > 1 && got == 1) {
            int rest = im_insn_len(b + 1, avail - 1);
            got = rest ? 1 + rest : 0;
        }
        if (got == want) {
            agree++;
        } else if (got == 0) {
            unknown++;
            if (getenv("INSN_SHOW_UNKNOWN"))
                printf("# unknown %#llx: %s\n", (unsigned long long)in->addr,
                       rows_q((const char *)in->bytes, in->len));
        } else {
            disagree++;
            if (disagree <= 10) {
                char hex[64], *h = hex;
                for (int k = 0; k < want; k++)
                    h += sprintf(h, "%02x ", in->bytes[k]);
                rows_check(0, "%#llx: [%s] objdump %d, ours %d", (unsigned long long)in->addr, hex,
                           want, got);
            }
        }
    }
    double share = 100.0 * (double)unknown / (double)L.n;
    printf("# %s: %zu instructions: agree %zu, unknown %zu (%.3f %%), disagree %zu\n", path, L.n,
           agree, unknown, share, disagree);
    rows_check(disagree == 0, "%zu disagreements", disagree);
    rows_check(share < 2.0, "unknown share %.3f %% (at most 2 %%)", share);
    rows_end();
    if (keep)
        *keep = L;
    else
        free(L.v);
    munmap((void *)F.p, F.size);
}

/* ---- boundary proofs in this process's libc -------------------------- */

static int mem_read(void *dst, uintptr_t src, size_t n)
{
    memcpy(dst, (const void *)src, n);
    return 0;
}

struct found {
    const char *want;
    uintptr_t base, bias;
    char path[256];
};

static int find_lib(struct dl_phdr_info *info, size_t size, void *arg)
{
    struct found *f = arg;
    uint64_t lowest = UINT64_MAX;

    (void)size;
    if (!info->dlpi_name || !strstr(info->dlpi_name, f->want))
        return 0;
    for (int i = 0; i < info->dlpi_phnum; i++)
        if (info->dlpi_phdr[i].p_type == PT_LOAD && info->dlpi_phdr[i].p_vaddr < lowest)
            lowest = info->dlpi_phdr[i].p_vaddr;
    f->bias = info->dlpi_addr;
    f->base = info->dlpi_addr + (lowest & ~(uint64_t)4095);
    snprintf(f->path, sizeof f->path, "%s", info->dlpi_name);
    return 1;
}

static int is_mov_eax_syscall(const struct listing *L, size_t i)
{
    const struct insn *a = &L->v[i], *b = &L->v[i + 1];
    return a->len == 5 && a->bytes[0] == 0xb8 && b->addr == a->addr + 5 && b->len == 2 &&
           b->bytes[0] == 0x0f && b->bytes[1] == 0x05;
}

static void check_libc_boundaries(const struct listing *L)
{
    struct found f = { .want = "libc.so.6" };
    size_t sites = 0, proven = 0, inside = 0, false_proofs = 0, starts = 0, starts_proven = 0;

    rows_begin("insn boundaries in libc");
    if (!rows_check(dl_iterate_phdr(find_lib, &f) == 1, "libc.so.6 among the loaded objects")) {
        rows_end();
        return;
    }
    char real[4096];
    rows_check(realpath(f.path, real) && realpath("/lib/x86_64-linux-gnu/libc.so.6", real + 2048) &&
                   strcmp(real, real + 2048) == 0,
               "the loaded libc (%s) is the one objdump read", f.path);
    /* Every mov $imm32,%eax in front of a syscall. */
    for (size_t i = 0; i + 1 < L->n; i++) {
        if (!is_mov_eax_syscall(L, i))
            continue;
        sites++;
        proven += im_insn_boundary(f.base, f.bias + L->v[i].addr, mem_read) == 1;
    }
    /* Every instruction start of every 8th function: a cross-check the
     * proofs are not merely rare. */
    for (size_t i = 0; i < L->n; i++) {
        if (L->v[i].fn % 8)
            continue;
        starts++;
        starts_proven += im_insn_boundary(f.base, f.bias + L->v[i].addr, mem_read) == 1;
    }
    /* Never a byte inside an instruction: every inner byte of the
     * instructions of 3000 functions spread over libc, and the byte after
     * every REX prefix in front of b8+r (41 b8 = mov to %r8d, 48 b8 =
     * movabs: the b8 is not an instruction). */
    int step = L->nfn / 3000 > 0 ? L->nfn / 3000 : 1;
    for (size_t i = 0; i < L->n; i++) {
        const struct insn *in = &L->v[i];
        int rexb8 = in->len >= 2 && (in->bytes[0] & 0xf0) == 0x40 && (in->bytes[1] & 0xf8) == 0xb8;
        for (int k = 1; k < in->len; k++) {
            if (in->fn % step && !(rexb8 && k == 1))
                continue;
            inside++;
            if (im_insn_boundary(f.base, f.bias + in->addr + k, mem_read) != 0) {
                if (false_proofs++ < 5)
                    rows_check(0, "false proof at %#llx (+%d in an instruction of %d bytes)",
                               (unsigned long long)in->addr, k, in->len);
            }
        }
    }
    printf("# libc: mov $imm32,%%eax; syscall sites %zu, proven %zu (%.1f %%); instruction starts "
           "(every 8th function) %zu, proven %zu (%.1f %%); inner bytes tried %zu, false proofs %zu\n",
           sites, proven, sites ? 100.0 * proven / sites : 0.0, starts, starts_proven,
           starts ? 100.0 * starts_proven / starts : 0.0, inside, false_proofs);
    rows_check(sites > 0, "libc has mov $imm32,%%eax; syscall sites");
    rows_check(proven * 100 >= sites * 95, "proven %zu of %zu sites (at least 95 %%)", proven, sites);
    rows_check(false_proofs == 0, "%zu false proofs", false_proofs);
    rows_end();
}

/* ---- fake ELF objects ------------------------------------------------ */

#define FAKE_SIZE 0x1100
#define EH 0x200        /* .eh_frame_hdr */
#define CIE 0x300
#define CODE 0x1000

static unsigned char fake[FAKE_SIZE] __attribute__((aligned(4096)));
static size_t fake_reads;
static int fake_fail;   /* reads fail altogether */

/* Reads only inside the fake object, and counted. */
static int fake_read(void *dst, uintptr_t src, size_t n)
{
    uintptr_t lo = (uintptr_t)fake, hi = lo + FAKE_SIZE;

    fake_reads++;
    if (fake_fail || src < lo || src > hi || n > hi - src)
        return -1;
    memcpy(dst, (const void *)src, n);
    return 0;
}

static void put32(size_t off, uint32_t v)
{
    memcpy(fake + off, &v, 4);
}

/* What the fake's CIE says: augmentation and personality encoding. */
struct fakeopt {
    const char *aug;        /* "zR", "zPLR", ... */
    unsigned per_enc;       /* personality encoding for 'P' */
    unsigned fde_enc;
};

/* code: push %rbp; mov %rsp,%rbp; mov $1,%eax; syscall; movabs $..,%r8; pop %rbp; ret */
static const unsigned char fake_code[] = {
    0x55, 0x48, 0x89, 0xe5, 0xb8, 0x01, 0x00, 0x00, 0x00, 0x0f, 0x05,
    0x49, 0xb8, 0xb8, 0x3c, 0x00, 0x00, 0x00, 0x0f, 0x05, 0x90, 0x5d, 0xc3,
};

/* A valid object: one PT_LOAD (r-x) over all of it, PT_GNU_EH_FRAME at
 * EH, a CIE, one FDE for fake_code at CODE.  Returns the FDE's offset. */
static size_t build_fake(const struct fakeopt *o)
{
    Elf64_Ehdr *eh = (Elf64_Ehdr *)fake;
    Elf64_Phdr *ph = (Elf64_Phdr *)(fake + sizeof *eh);
    size_t a, cie_len_at, fde;

    memset(fake, 0, sizeof fake);
    memcpy(eh->e_ident, ELFMAG, SELFMAG);
    eh->e_ident[EI_CLASS] = ELFCLASS64;
    eh->e_ident[EI_DATA] = ELFDATA2LSB;
    eh->e_ident[EI_VERSION] = EV_CURRENT;
    eh->e_type = ET_DYN;
    eh->e_machine = EM_X86_64;
    eh->e_phoff = sizeof *eh;
    eh->e_phentsize = sizeof *ph;
    eh->e_phnum = 2;
    ph[0] = (Elf64_Phdr){ .p_type = PT_LOAD, .p_flags = PF_R | PF_X, .p_filesz = FAKE_SIZE,
                          .p_memsz = FAKE_SIZE, .p_align = 4096 };
    ph[1] = (Elf64_Phdr){ .p_type = PT_GNU_EH_FRAME, .p_flags = PF_R, .p_vaddr = EH,
                          .p_offset = EH, .p_filesz = 20, .p_memsz = 20, .p_align = 4 };
    /* The CIE. */
    a = CIE;
    cie_len_at = a;
    a += 4;
    put32(a, 0);            /* CIE id */
    a += 4;
    fake[a++] = 1;          /* version */
    memcpy(fake + a, o->aug, strlen(o->aug) + 1);
    a += strlen(o->aug) + 1;
    fake[a++] = 1;          /* code alignment */
    fake[a++] = 0x78;       /* data alignment -8 */
    fake[a++] = 16;         /* return address register */
    size_t auglen_at = a++;
    for (const char *c = o->aug + 1; *c; c++) {
        if (*c == 'P') {
            fake[a++] = (unsigned char)o->per_enc;
            size_t sz = (o->per_enc & 0x0f) == 0x04 || (o->per_enc & 0x0f) == 0x0c ? 8 : 4;
            memset(fake + a, 0x11, sz);
            a += sz;
        } else if (*c == 'L') {
            fake[a++] = 0x1b;
        } else if (*c == 'R') {
            fake[a++] = (unsigned char)o->fde_enc;
        }
    }
    fake[auglen_at] = (unsigned char)(a - auglen_at - 1);
    a = (a + 7) & ~(size_t)7;   /* DW_CFA_nop padding */
    put32(cie_len_at, (uint32_t)(a - cie_len_at - 4));
    /* The FDE. */
    fde = a;
    a += 4;
    put32(a, (uint32_t)(a - CIE));      /* back to the CIE */
    a += 4;
    if ((o->fde_enc & 0x0f) == 0x04 || (o->fde_enc & 0x0f) == 0x0c) {
        uint64_t pc = CODE - a, range = sizeof fake_code;
        memcpy(fake + a, &pc, 8);
        memcpy(fake + a + 8, &range, 8);
        a += 16;
    } else {
        put32(a, (uint32_t)(CODE - a));
        put32(a + 4, sizeof fake_code);
        a += 8;
    }
    fake[a++] = 0;      /* augmentation data length */
    a = (a + 7) & ~(size_t)7;
    put32(fde, (uint32_t)(a - fde - 4));
    /* .eh_frame_hdr */
    fake[EH] = 1;
    fake[EH + 1] = 0x1b;
    fake[EH + 2] = 0x03;
    fake[EH + 3] = 0x3b;
    put32(EH + 4, (uint32_t)(CIE - (EH + 4)));
    put32(EH + 8, 1);
    put32(EH + 12, CODE - EH);
    put32(EH + 16, (uint32_t)(fde - EH));
    memcpy(fake + CODE, fake_code, sizeof fake_code);
    return fde;
}

static int fake_proof(size_t off)
{
    fake_reads = 0;
    int r = im_insn_boundary((uintptr_t)fake, (uintptr_t)fake + off, fake_read);
    return r;
}

enum mut {
    M_NONE, M_NOT_ELF, M_CLASS32, M_MACHINE, M_PHENTSIZE, M_PHNUM_HUGE, M_PHOFF_OUT,
    M_EXEC_BIAS, M_NO_X, M_LOAD_OFFSET, M_NO_EHFRAME, M_EH_OUTSIDE, M_EH_MEMSZ_HUGE, M_HDR_VERSION,
    M_PTR_ENC, M_COUNT_ENC, M_TABLE_ENC_PCREL, M_TABLE_ENC_UDATA8, M_COUNT_ZERO, M_COUNT_HUGE,
    M_COUNT_FFFF, M_TABLE_LOC_HIGH, M_TABLE_FDE_OUT, M_TABLE_FDE_NEG, M_FDE_LEN64, M_FDE_LEN_SHORT,
    M_FDE_LEN_HUGE, M_CIE_PTR_ZERO, M_CIE_PTR_HUGE, M_CIE_ID, M_CIE_VERSION, M_CIE_AUG_LONG,
    M_PC_BEGIN_MISMATCH, M_PC_RANGE_ZERO, M_PC_OUTSIDE, M_CODE_UNKNOWN, M_READ_FAILS,
};

struct fakerow {
    const char *what;
    struct fakeopt opt;
    enum mut mut;
    size_t addr;        /* offset in the fake */
    int want;
};

#define ZR { "zR", 0, 0x1b }
static const struct fakerow fake_rows[] = {
    { "zR: the mov before the syscall", ZR, M_NONE, CODE + 4, 1 },
    { "zR: the function's first byte", ZR, M_NONE, CODE, 1 },
    { "zR: the syscall", ZR, M_NONE, CODE + 9, 1 },
    { "zR: the last instruction", ZR, M_NONE, CODE + sizeof fake_code - 1, 1 },
    { "zR: inside the mov", ZR, M_NONE, CODE + 5, 0 },
    { "zR: the b8 of movabs $imm,%r8", ZR, M_NONE, CODE + 12, 0 },
    { "zR: the b8 inside movabs's immediate", ZR, M_NONE, CODE + 13, 0 },
    { "zR: the 0f 05 inside movabs's immediate", ZR, M_NONE, CODE + 18, 0 },
    { "zR: past the function", ZR, M_NONE, CODE + sizeof fake_code, 0 },
    { "zR: before the function", ZR, M_NONE, CODE - 1, 0 },
    { "zPLR, personality pcrel|sdata4", { "zPLR", 0x9b, 0x1b }, M_NONE, CODE + 4, 1 },
    { "zPLR, personality udata8", { "zPLR", 0x04, 0x1b }, M_NONE, CODE + 4, 1 },
    { "zPLR: inside the mov", { "zPLR", 0x9b, 0x1b }, M_NONE, CODE + 6, 0 },
    { "zLR", { "zLR", 0, 0x1b }, M_NONE, CODE + 4, 1 },
    { "zRS: a signal frame's pc_begin may be no boundary", { "zRS", 0, 0x1b }, M_NONE, CODE + 4, 0 },
    { "FDE pcrel|sdata8", { "zR", 0, 0x1c }, M_NONE, CODE + 4, 1 },
    { "personality uleb128: not supported", { "zPLR", 0x01, 0x1b }, M_NONE, CODE + 4, 0 },
    { "augmentation zX", { "zX", 0, 0x1b }, M_NONE, CODE + 4, 0 },
    { "augmentation without z", { "eh", 0, 0x1b }, M_NONE, CODE + 4, 0 },
    { "no augmentation (absptr)", { "", 0, 0x1b }, M_NONE, CODE + 4, 0 },
    { "zR with absptr", { "zR", 0, 0x00 }, M_NONE, CODE + 4, 0 },
    { "zR with datarel", { "zR", 0, 0x3b }, M_NONE, CODE + 4, 0 },
    { "zR with uleb128", { "zR", 0, 0x11 }, M_NONE, CODE + 4, 0 },
    { "not ELF", ZR, M_NOT_ELF, CODE + 4, 0 },
    { "ELFCLASS32", ZR, M_CLASS32, CODE + 4, 0 },
    { "e_machine 3", ZR, M_MACHINE, CODE + 4, 0 },
    { "e_phentsize 32", ZR, M_PHENTSIZE, CODE + 4, 0 },
    { "e_phnum 65535", ZR, M_PHNUM_HUGE, CODE + 4, 0 },
    { "e_phoff outside", ZR, M_PHOFF_OUT, CODE + 4, 0 },
    { "ET_EXEC not at its link address", ZR, M_EXEC_BIAS, CODE + 4, 0 },
    { "segment not executable", ZR, M_NO_X, CODE + 4, 0 },
    { "lowest PT_LOAD not at file offset 0", ZR, M_LOAD_OFFSET, CODE + 4, 0 },
    { "no PT_GNU_EH_FRAME", ZR, M_NO_EHFRAME, CODE + 4, 0 },
    { "PT_GNU_EH_FRAME outside the segments", ZR, M_EH_OUTSIDE, CODE + 4, 0 },
    { "PT_GNU_EH_FRAME memsz huge", ZR, M_EH_MEMSZ_HUGE, CODE + 4, 0 },
    { "eh_frame_hdr version 2", ZR, M_HDR_VERSION, CODE + 4, 0 },
    { "eh_frame_ptr_enc udata4", ZR, M_PTR_ENC, CODE + 4, 0 },
    { "fde_count_enc uleb128", ZR, M_COUNT_ENC, CODE + 4, 0 },
    { "table_enc pcrel|sdata4", ZR, M_TABLE_ENC_PCREL, CODE + 4, 0 },
    { "table_enc datarel|udata8", ZR, M_TABLE_ENC_UDATA8, CODE + 4, 0 },
    { "fde_count 0", ZR, M_COUNT_ZERO, CODE + 4, 0 },
    { "fde_count 0x7fffffff", ZR, M_COUNT_HUGE, CODE + 4, 0 },
    { "fde_count 0xffffffff", ZR, M_COUNT_FFFF, CODE + 4, 0 },
    { "table entry after addr", ZR, M_TABLE_LOC_HIGH, CODE + 4, 0 },
    { "table FDE pointer outside", ZR, M_TABLE_FDE_OUT, CODE + 4, 0 },
    { "table FDE pointer negative", ZR, M_TABLE_FDE_NEG, CODE + 4, 0 },
    { "FDE with 64-bit length", ZR, M_FDE_LEN64, CODE + 4, 0 },
    { "FDE length too short", ZR, M_FDE_LEN_SHORT, CODE + 4, 0 },
    { "FDE length past the segment", ZR, M_FDE_LEN_HUGE, CODE + 4, 0 },
    { "FDE's CIE pointer 0 (a CIE)", ZR, M_CIE_PTR_ZERO, CODE + 4, 0 },
    { "FDE's CIE pointer before the object", ZR, M_CIE_PTR_HUGE, CODE + 4, 0 },
    { "CIE id not 0", ZR, M_CIE_ID, CODE + 4, 0 },
    { "CIE version 2", ZR, M_CIE_VERSION, CODE + 4, 0 },
    { "CIE augmentation unterminated", ZR, M_CIE_AUG_LONG, CODE + 4, 0 },
    { "FDE pc_begin not the table's", ZR, M_PC_BEGIN_MISMATCH, CODE + 4, 0 },
    { "FDE pc_range 0", ZR, M_PC_RANGE_ZERO, CODE + 4, 0 },
    { "FDE pc_begin outside the segments", ZR, M_PC_OUTSIDE, CODE + 4, 0 },
    { "an unknown instruction before addr", ZR, M_CODE_UNKNOWN, CODE + 4, 0 },
    { "every read fails", ZR, M_READ_FAILS, CODE + 4, 0 },
};

static void mutate(enum mut m, size_t fde)
{
    Elf64_Ehdr *eh = (Elf64_Ehdr *)fake;
    Elf64_Phdr *ph = (Elf64_Phdr *)(fake + sizeof *eh);
    uint32_t v;

    switch (m) {
    case M_NONE: break;
    case M_NOT_ELF: fake[1] = 'X'; break;
    case M_CLASS32: eh->e_ident[EI_CLASS] = ELFCLASS32; break;
    case M_MACHINE: eh->e_machine = EM_386; break;
    case M_PHENTSIZE: eh->e_phentsize = 32; break;
    case M_PHNUM_HUGE: eh->e_phnum = 65535; break;
    case M_PHOFF_OUT: eh->e_phoff = FAKE_SIZE - 8; break;
    case M_EXEC_BIAS: eh->e_type = ET_EXEC; break;
    case M_NO_X: ph[0].p_flags = PF_R; break;
    case M_LOAD_OFFSET: ph[0].p_offset = 0x1000; break;
    case M_NO_EHFRAME: ph[1].p_type = PT_NOTE; break;
    case M_EH_OUTSIDE: ph[1].p_vaddr = 0x100000; break;
    case M_EH_MEMSZ_HUGE: ph[1].p_memsz = 0xffffffffffffff00ull; break;
    case M_HDR_VERSION: fake[EH] = 2; break;
    case M_PTR_ENC: fake[EH + 1] = 0x03; break;
    case M_COUNT_ENC: fake[EH + 2] = 0x01; break;
    case M_TABLE_ENC_PCREL: fake[EH + 3] = 0x1b; break;
    case M_TABLE_ENC_UDATA8: fake[EH + 3] = 0x34; break;
    case M_COUNT_ZERO: put32(EH + 8, 0); break;
    case M_COUNT_HUGE: put32(EH + 8, 0x7fffffff); ph[1].p_memsz = FAKE_SIZE - EH; break;
    case M_COUNT_FFFF: put32(EH + 8, 0xffffffff); ph[1].p_memsz = 0xffffffffull * 8 + 12; break;
    case M_TABLE_LOC_HIGH: put32(EH + 12, CODE + 0x100 - EH); break;
    case M_TABLE_FDE_OUT: put32(EH + 16, 0x7ffffff0); break;
    case M_TABLE_FDE_NEG: put32(EH + 16, (uint32_t)-0x10000); break;
    case M_FDE_LEN64: put32(fde, 0xffffffff); break;
    case M_FDE_LEN_SHORT: put32(fde, 6); break;
    case M_FDE_LEN_HUGE: put32(fde, 0x7fffffff); break;
    case M_CIE_PTR_ZERO: put32(fde + 4, 0); break;
    case M_CIE_PTR_HUGE: put32(fde + 4, 0x7fff0000); break;
    case M_CIE_ID: put32(CIE + 4, 1); break;
    case M_CIE_VERSION: fake[CIE + 8] = 2; break;
    case M_CIE_AUG_LONG: memset(fake + CIE + 9, 'z', fde - CIE - 9); break;
    case M_PC_BEGIN_MISMATCH: memcpy(&v, fake + fde + 8, 4); put32(fde + 8, v + 1); break;
    case M_PC_RANGE_ZERO: put32(fde + 12, 0); break;
    case M_PC_OUTSIDE:
        memcpy(&v, fake + fde + 8, 4);
        put32(fde + 8, v + 0x100000);
        put32(EH + 12, CODE + 0x100000 - EH);
        break;
    case M_CODE_UNKNOWN: fake[CODE + 1] = 0x06; break;
    case M_READ_FAILS: fake_fail = 1; break;
    }
}

/* At most: the headers, 32 table probes, the FDE and CIE byte by byte,
 * the code in one read per instruction-or-chunk. */
#define MAX_READS 400

static void check_fake_rows(void)
{
    rows_begin("insn boundary, fake ELF objects");
    for (size_t i = 0; i < ROWS_COUNT(fake_rows); i++) {
        const struct fakerow *r = &fake_rows[i];
        size_t fde = build_fake(&r->opt);
        mutate(r->mut, fde);
        int got = fake_proof(r->addr);
        fake_fail = 0;
        rows_check(got == r->want, "%s (+%#zx): got %d, want %d", r->what, r->addr, got, r->want);
        rows_check(fake_reads <= MAX_READS, "%s: %zu reads", r->what, fake_reads);
    }
    rows_end();

    /* Random damage to the headers and unwind tables (the code left
     * alone): never a read outside the object (fake_read refuses it,
     * ASan would see a stray access), a bounded number of reads, and a
     * proof only of a true boundary of fake_code. */
    static const unsigned char starts[] = { 0, 1, 4, 9, 11, 21, 22 };
    struct fakeopt zplr = { "zPLR", 0x9b, 0x1b };
    unsigned seed = 1;
    size_t proofs = 0, runs = 0, worst = 0, bad = 0;
    rows_begin("insn boundary, 20000 damaged objects");
    for (int n = 0; n < 20000; n++) {
        build_fake(n & 1 ? &zplr : &(struct fakeopt)ZR);
        int k = 1 + (int)((seed = seed * 1103515245 + 12345) >> 16) % 4;
        for (int j = 0; j < k; j++) {
            seed = seed * 1103515245 + 12345;
            size_t off = (seed >> 8) % 0x400;
            seed = seed * 1103515245 + 12345;
            if (seed & 0x10000)
                fake[off] = (unsigned char)(seed >> 20);
            else if (off + 4 <= 0x400)
                put32(off, (seed & 0x20000) ? 0xffffffffu - (seed >> 24) : (seed >> 12));
        }
        for (size_t a = CODE - 2; a < CODE + sizeof fake_code + 2; a++) {
            int got = fake_proof(a);
            runs++;
            if (fake_reads > worst)
                worst = fake_reads;
            if (got) {
                proofs++;
                int true_start = 0;
                for (size_t s = 0; s < sizeof starts; s++)
                    true_start |= a == (size_t)CODE + starts[s];
                /* Not a failure: a damaged table may name a function that
                 * starts mid-code, and from there a decode lands where it
                 * lands.  Counted to show the damage reaches the decode. */
                bad += !true_start;
            }
        }
    }
    printf("# damaged objects: %zu queries, %zu proofs (%zu from a damaged pc_begin), at most %zu reads per query\n",
           runs, proofs, bad, worst);
    rows_check(worst <= MAX_READS, "at most %zu reads per query", worst);
    rows_end();
}

int main(void)
{
    struct listing libc = { 0 };

    check_len_rows();
    check_fake_rows();
    oracle("/lib/x86_64-linux-gnu/libc.so.6", &libc);
    oracle("/lib64/ld-linux-x86-64.so.2", 0);
    oracle("/bin/busybox", 0);
    oracle("/usr/bin/python3.11", 0);
    if (libc.n)
        check_libc_boundaries(&libc);
    free(libc.v);
    return rows_exit();
}
