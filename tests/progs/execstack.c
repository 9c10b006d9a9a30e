/* execstack.c — linked with -z execstack: code copied to the stack runs,
 * and [stack] is executable. */
#include <stdio.h>
#include <string.h>

int main(void)
{
    unsigned char code[] = {0xb8, 0x2a, 0x00, 0x00, 0x00, 0xc3};   /* mov $42,%eax; ret */
    char line[256], perms[8] = "";
    FILE *f = fopen("/proc/self/maps", "r");

    while (f && fgets(line, sizeof(line), f))
        if (strstr(line, "[stack]"))
            sscanf(line, "%*s %7s", perms);
    if (f)
        fclose(f);
    printf("stack=%s ", perms);
    fflush(stdout);
    int (*fn)(void) = (int (*)(void))(void *)code;
    printf("ran=%d\n", fn());
    return 0;
}
