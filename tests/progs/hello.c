/* hello.c — print and exit with status 3 (built static, static-pie, PIE, non-PIE). */
#include <stdio.h>

int main(void)
{
    printf("hello\n");
    return 3;
}
