/* globcheck.c — table test of selected.conf glob matching (selconf/glob.c):
 * `*` within a component, `**` across, `?` one character; and a pattern
 * that makes a backtracking matcher take exponential time (found by the
 * fuzzer) must answer at once.  Prints ok/not ok lines. */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "selconf.h"

static const struct {
    const char *pat, *path;
    int want;
} cases[] = {
    {"/usr/bin/*", "/usr/bin/ls", 1},          {"/usr/bin/*", "/usr/bin/x/y", 0},
    {"/usr/**", "/usr/bin/x/y", 1},            {"/usr/bin/*sum", "/usr/bin/sha1sum", 1},
    {"/usr/bin/*sum", "/usr/bin/sum", 1},      {"/usr/bin/*sum", "/usr/bin/summary", 0},
    {"/a/?/c", "/a/b/c", 1},                   {"/a/?/c", "/a//c", 0},
    {"/a/?/c", "/a/bb/c", 0},                  {"/a/**/c", "/a/b/d/c", 1},
    {"/a/**/c", "/a/c", 0},                    {"/opt/untrusted/**", "/opt/untrusted/a", 1},
    {"/opt/untrusted/**", "/opt/untrusted", 0}, {"/x*y", "/xy", 1},
    {"/x*y", "/x/y", 0},                       {"/a*", "/a", 1},
    {"/a", "/ab", 0},                          {"/**/lib*.so*", "/usr/lib/libc.so.6", 1},
};

int main(void)
{
    int failed = 0;
    char pat[201], path[4000];

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int got = selconf_glob(cases[i].pat, strlen(cases[i].pat), cases[i].path,
                               strlen(cases[i].path));
        printf("%s glob %s vs %s -> %d\n", got == cases[i].want ? "ok" : "not ok", cases[i].pat,
               cases[i].path, got);
        failed |= got != cases[i].want;
    }
    for (int i = 0; i < 200; i += 2)
        pat[i] = '*', pat[i + 1] = 'a';
    pat[200] = 'b';
    memset(path, 'a', sizeof(path) - 1);
    clock_t t0 = clock();
    int got = selconf_glob(pat, 201, path, sizeof(path) - 1);
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    /* Not a timing assertion: a backtracking matcher would not return for
     * years; anything that returns at all is linear enough. */
    printf("%s pathological pattern answered (%d, %.3f s)\n", got == 0 ? "ok" : "not ok", got,
           secs);
    return failed || got != 0;
}
