/* probe.c — a static program that reports what exec made of its own image,
 * for the tests/badelf cases that must behave exactly as natively.
 *
 * mkbadelf adds segments at PROBE_LO and up (a read-only PT_LOAD with
 * p_filesz < p_memsz, a relocated program header table, ...); the probe
 * prints AT_PHDR and AT_PHNUM, the mappings in [PROBE_LO, PROBE_HI) with
 * their permissions (the heap's aside), and how many bytes of the first probe page past
 * p_filesz are not zero.  t_badelf.sh compares this natively and under the
 * loader.  Exits 3, like the hello templates. */
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>

#define PROBE_LO 0x10000000UL
#define PROBE_HI (PROBE_LO + 0x20000)   /* mkbadelf keeps its segments here */
#define PROBE_FILESZ 0x100     /* mkbadelf's read-only segment: file bytes ... */
#define PAGE 0x1000UL          /* ... then zero-fill to the end of this page? */

static int readable_at(unsigned long addr)
{
    FILE *f = fopen("/proc/self/maps", "r");
    unsigned long lo, hi;
    char perms[8];
    int r = 0;

    while (f && fscanf(f, "%lx-%lx %7s%*[^\n]", &lo, &hi, perms) == 3)
        if (addr >= lo && addr < hi)
            r = perms[0] == 'r';
    if (f)
        fclose(f);
    return r;
}

/* The heap is left out: the kernel and the loader each randomise where
 * brk starts (loader-facts: the loader's own), and the kernel's lands in
 * the probe's window now and then. */
static void print_maps(void)
{
    FILE *f = fopen("/proc/self/maps", "r");
    char line[512], perms[8];
    unsigned long lo, hi;

    while (f && fgets(line, sizeof(line), f))
        if (sscanf(line, "%lx-%lx %7s", &lo, &hi, perms) == 3 && lo >= PROBE_LO && lo < PROBE_HI &&
            !strstr(line, "[heap]"))
            printf("map %#lx-%#lx %s\n", lo, hi, perms);
    if (f)
        fclose(f);
}

int main(void)
{
    printf("phdr %#lx phnum %lu\n", getauxval(AT_PHDR), getauxval(AT_PHNUM));
    print_maps();
    if (readable_at(PROBE_LO)) {
        const unsigned char *p = (const unsigned char *)PROBE_LO;
        unsigned n = 0;
        for (unsigned long i = PROBE_FILESZ; i < PAGE; i++)
            n += p[i] != 0;
        printf("tail nonzero %u\n", n);
    }
    return 3;
}
