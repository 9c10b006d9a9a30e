/* mallocheavy.c — deterministic malloc/realloc/free churn. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(void)
{
    void *slot[1024] = {0};
    uint64_t x = 88172645463325252ULL, sum = 0;

    for (int i = 0; i < 200000; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        int k = (int)(x % 1024);
        size_t n = (size_t)(x >> 20) % 65536 + 1;
        if (slot[k] && (x & 1)) {
            slot[k] = realloc(slot[k], n);
        } else {
            free(slot[k]);
            slot[k] = malloc(n);
        }
        if (!slot[k])
            return 1;
        memset(slot[k], (int)(x & 0xff), n);
        sum += ((unsigned char *)slot[k])[n - 1];
    }
    char *huge = malloc(256 << 20);
    if (!huge)
        return 1;
    memset(huge, 1, 256 << 20);
    printf("sum=%llu\n", (unsigned long long)sum);
    return 0;
}
