/* euid — prints the ids it runs with and ignores its arguments: a #!
 * interpreter for the tests that check a set-user-ID interpreter is not
 * run unwrapped from under a sandbox. */
#include <stdio.h>
#include <unistd.h>

int main(void)
{
    printf("euid=%u uid=%u\n", (unsigned)geteuid(), (unsigned)getuid());
    return 0;
}
