/* fuzz_insn.c — libFuzzer target for initmod's instruction-length decoder
 * (initmod/insn.c).  libFuzzer's input buffer is exactly size bytes on the
 * heap, so ASan catches any read past avail.  Checked on every input:
 *   - the length is 0..15 and never more than avail;
 *   - given exactly its own bytes, the decoder says the same length
 *     (it never looked further than the instruction);
 *   - given one byte fewer, it says 0 (it never guesses a missing byte). */
#include <stdint.h>
#include <stdlib.h>

#include "insn.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int n = im_insn_len(data, size);

    if (n < 0 || n > 15 || (size_t)n > size)
        abort();
    if (n > 0 && (im_insn_len(data, (size_t)n) != n || im_insn_len(data, (size_t)n - 1) != 0))
        abort();
    return 0;
}
