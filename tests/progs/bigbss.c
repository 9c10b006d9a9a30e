/* bigbss.c — 64 MiB of .bss, an initialized neighbour that must survive the
 * partial-page zeroing, and a small .bss object right after .data. */
#include <stdio.h>
#include <string.h>

static char big[64 << 20];
char small_data[100] = "initialized data";
char small_bss[100];

int main(void)
{
    for (size_t i = 0; i < sizeof(big); i += 4096)
        if (big[i])
            return printf("big not zero at %zu\n", i), 1;
    for (size_t i = 0; i < sizeof(small_bss); i++)
        if (small_bss[i])
            return printf("small_bss not zero\n"), 1;
    memset(big, 1, sizeof(big));
    printf("data=%s bss=zero big=%zu MiB touched\n", small_data, sizeof(big) >> 20);
    return 0;
}
