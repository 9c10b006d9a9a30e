/* insn.h — x86-64 instruction lengths, and proofs that an address starts
 * an instruction (for the rewriting fast path, issue #13: a `mov
 * $imm32,%eax` in front of a trapping `syscall` may be rewritten into a
 * `jmp rel32` only if the mov really is an instruction).
 *
 * Freestanding (initmod), and compiled for the host by the unit tests
 * (tests/unit/insncheck.c) and the fuzzer (tests/fuzz/fuzz_insn.c). */
#ifndef RUNSEL_INITMOD_INSN_H
#define RUNSEL_INITMOD_INSN_H

#include <stddef.h>
#include <stdint.h>

/* The length (1..15) of the 64-bit-mode instruction at p, reading at most
 * avail bytes; 0 when the decoder does not know it for certain (an unknown
 * or invalid opcode, an encoding CPUs disagree on, more than avail or 15
 * bytes).  0 is always safe; a wrong non-zero length is the one outcome
 * the decoder must never give. */
int im_insn_len(const unsigned char *p, size_t avail);

/* How siteproof reads memory: n bytes at src into dst, 0 on success,
 * nonzero (nothing promised about dst) when any byte cannot be read. */
typedef int (*im_read_fn)(void *dst, uintptr_t src, size_t n);

/* 1 if addr is proven to start an instruction of the ELF object whose ELF
 * header is mapped at base: the object's .eh_frame_hdr names the function
 * containing addr, and decoding forward from that function's first byte
 * lands exactly on addr.  0 otherwise — no unwind table, an encoding not
 * supported, any read failing or leaving the object's PT_LOAD segments,
 * an unknown instruction, the decode passing addr, or addr more than
 * 1 MiB into its function.  Every byte is read through read. */
int im_insn_boundary(uintptr_t base, uintptr_t addr, im_read_fn read);

#endif
