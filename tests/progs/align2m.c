/* align2m.c — segments aligned to 2 MiB (linked with max-page-size=2M):
 * the loader must honour p_align beyond the page size. */
#include <stdint.h>
#include <stdio.h>

static int data __attribute__((aligned(0x200000))) = 42;

int main(void)
{
    printf("data=%d aligned=%s\n", data, ((uintptr_t)&data & 0x1fffff) ? "NO" : "yes");
    return 0;
}
