/* auxv.c — print what a program can see of how it was exec'd, in a form
 * that is equal natively and under the loader.  Values that differ per exec
 * by design (ASLR addresses, random bytes) are printed by kind: an address
 * as "what it points at + offset", random bytes as "present". */
#define _GNU_SOURCE
#include <elf.h>
#include <link.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>

static uintptr_t base, bss_end;

static int find_main(struct dl_phdr_info *info, size_t size, void *data)
{
    (void)size, (void)data;
    base = info->dlpi_addr;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *p = &info->dlpi_phdr[i];
        if (p->p_type == PT_LOAD && info->dlpi_addr + p->p_vaddr + p->p_memsz > bss_end)
            bss_end = info->dlpi_addr + p->p_vaddr + p->p_memsz;
    }
    if (!base) {   /* ET_EXEC: the lowest PT_LOAD is the base */
        base = UINTPTR_MAX;
        for (int i = 0; i < info->dlpi_phnum; i++)
            if (info->dlpi_phdr[i].p_type == PT_LOAD && info->dlpi_phdr[i].p_vaddr < base)
                base = info->dlpi_phdr[i].p_vaddr & ~0xfffUL;
    }
    return 1;   /* the first object is the main program */
}

/* Start of the lowest mapping whose path matches (NULL: [vdso]). */
static uintptr_t mapping_start(const char *path, const char *tag)
{
    char line[512], name[400];
    uintptr_t lo, hi, best = 0;
    FILE *f = fopen("/proc/self/maps", "r");

    while (f && fgets(line, sizeof(line), f)) {
        name[0] = 0;
        if (sscanf(line, "%lx-%lx %*s %*s %*s %*s %399s", &lo, &hi, name) < 2)
            continue;
        if ((path && !strcmp(name, path)) || (tag && !strcmp(name, tag)))
            if (!best || lo < best)
                best = lo;
    }
    if (f)
        fclose(f);
    return best;
}

static const char *interp_path(void)
{
    static char buf[256];
    uintptr_t phdr = getauxval(AT_PHDR);
    const ElfW(Phdr) *p = (const ElfW(Phdr) *)phdr;

    for (unsigned i = 0; i < getauxval(AT_PHNUM); i++)
        if (p[i].p_type == PT_INTERP) {
            /* base is the bias for ET_DYN; ET_EXEC programs have no PT_INTERP
             * we need to relocate (p_vaddr is absolute there and base too) */
            uintptr_t bias = getauxval(AT_PHDR) - p[0].p_vaddr;
            for (unsigned j = 0; j < getauxval(AT_PHNUM); j++)
                if (p[j].p_type == PT_PHDR)
                    bias = getauxval(AT_PHDR) - p[j].p_vaddr;
            snprintf(buf, sizeof(buf), "%s", (const char *)(bias + p[i].p_vaddr));
            char *real = realpath(buf, NULL);
            if (real) {
                snprintf(buf, sizeof(buf), "%s", real);
                free(real);
            }
            return buf;
        }
    return NULL;
}

static void print_auxv(void)
{
    static const struct { unsigned long key; const char *name; } exact[] = {
        {AT_PHENT, "AT_PHENT"}, {AT_PHNUM, "AT_PHNUM"}, {AT_PAGESZ, "AT_PAGESZ"},
        {AT_CLKTCK, "AT_CLKTCK"}, {AT_FLAGS, "AT_FLAGS"}, {AT_UID, "AT_UID"},
        {AT_EUID, "AT_EUID"}, {AT_GID, "AT_GID"}, {AT_EGID, "AT_EGID"},
        {AT_SECURE, "AT_SECURE"}, {AT_HWCAP, "AT_HWCAP"}, {AT_HWCAP2, "AT_HWCAP2"},
        {AT_MINSIGSTKSZ, "AT_MINSIGSTKSZ"}, {AT_EXECFD, "AT_EXECFD"},
    };
    const char *interp = interp_path();
    uintptr_t at_base = getauxval(AT_BASE);

    for (size_t i = 0; i < sizeof(exact) / sizeof(exact[0]); i++)
        printf("%s=%#lx\n", exact[i].name, getauxval(exact[i].key));
    printf("AT_PHDR=base+%#lx\n", getauxval(AT_PHDR) - base);
    printf("AT_ENTRY=base+%#lx\n", getauxval(AT_ENTRY) - base);
    if (!at_base)
        printf("AT_BASE=0\n");
    else if (interp && at_base == mapping_start(interp, NULL))
        printf("AT_BASE=interp-base\n");
    else
        printf("AT_BASE=WRONG:%#lx\n", at_base);
    printf("AT_RANDOM=%s\n", getauxval(AT_RANDOM) ? "present" : "missing");
    printf("AT_PLATFORM=%s\n", (const char *)getauxval(AT_PLATFORM));
    printf("AT_EXECFN=%s\n", (const char *)getauxval(AT_EXECFN));
    printf("AT_SYSINFO_EHDR=%s\n",
           getauxval(AT_SYSINFO_EHDR) == mapping_start(NULL, "[vdso]") ? "vdso" : "WRONG");
}

/* The order of keys in /proc/self/auxv, and agreement with getauxval. */
static void print_procauxv(void)
{
    unsigned long v[2];
    int consistent = 1;
    FILE *f = fopen("/proc/self/auxv", "r");

    printf("auxv-keys=");
    while (f && fread(v, sizeof(v), 1, f) == 1 && v[0] != AT_NULL) {
        printf("%lu,", v[0]);
        /* glibc rewrites AT_HWCAP/AT_HWCAP2 on x86 (getauxval returns its own) */
        if (v[0] != AT_HWCAP && v[0] != AT_HWCAP2 && getauxval(v[0]) != v[1])
            consistent = 0;
    }
    printf("\nprocauxv=%s\n", consistent ? "consistent" : "INCONSISTENT");
    if (f)
        fclose(f);
}

static void print_file(const char *label, const char *path, char sep)
{
    char buf[4096];
    FILE *f = fopen(path, "r");
    size_t n = f ? fread(buf, 1, sizeof(buf) - 1, f) : 0;

    for (size_t i = 0; i < n; i++)
        if (buf[i] == 0 || buf[i] == '\n')
            buf[i] = sep;
    buf[n] = 0;
    printf("%s=%s\n", label, buf);
    if (f)
        fclose(f);
}

static void print_maps(const char *self)
{
    char line[512], name[400], perms[8], seen[64][400];
    uintptr_t lo, hi;
    int nseen = 0;
    FILE *f = fopen("/proc/self/maps", "r");

    while (f && fgets(line, sizeof(line), f)) {
        name[0] = 0;
        if (sscanf(line, "%lx-%lx %7s %*s %*s %*s %399s", &lo, &hi, perms, name) < 3 || !name[0])
            continue;
        if (!strcmp(name, self))
            strcpy(name, "SELF");
        if (!strcmp(name, "[heap]"))
            printf("heap-after-bss=%s\n",
                   /* kernel: within 1 GiB after .bss (32 MiB before Linux 6.9) */
                   lo >= (bss_end & ~0xfffUL) && lo - bss_end < (1UL << 30) + 4096 ? "yes" : "NO");
        if (!strcmp(name, "[stack]"))
            printf("stack=%s\n", perms);
        int dup = 0;
        for (int i = 0; i < nseen; i++)
            dup |= !strcmp(seen[i], name);
        if (!dup && nseen < 64)
            strcpy(seen[nseen++], name);
    }
    /* Sorted: where the kernel and the loader put mmap-placed images differs
     * (the loader sat where the kernel puts the interpreter). */
    qsort(seen, (size_t)nseen, sizeof(seen[0]), (int (*)(const void *, const void *))strcmp);
    printf("mapped=");
    for (int i = 0; i < nseen; i++)
        printf("%s,", seen[i]);
    printf("\n");
    if (f)
        fclose(f);
}

/* The mm fields of /proc/self/stat (proc(5): startcode, endcode,
 * startstack; start_data .. env_end), by kind: code and data relative to
 * the load base, arg/env ranges against argv/envp themselves, start_brk
 * against the start of the [heap] mapping (stdio has used brk by now). */
static void print_stat(char **argv, int argc, char **envp)
{
    uintptr_t brk_start = mapping_start(NULL, "[heap]");
    char buf[4096], *p;
    unsigned long f[53] = {0};
    FILE *fh = fopen("/proc/self/stat", "r");
    size_t n = fh ? fread(buf, 1, sizeof(buf) - 1, fh) : 0;
    char **ep = envp;

    if (fh)
        fclose(fh);
    buf[n] = 0;
    p = strrchr(buf, ')');          /* comm may contain spaces */
    for (int i = 3; p && i <= 52; i++) {
        p = strchr(p + 1, ' ');
        if (p)
            f[i] = strtoul(p + 1, NULL, 10);
    }
    while (*ep)
        ep++;
    uintptr_t arg_end = (uintptr_t)argv[argc - 1] + strlen(argv[argc - 1]) + 1;
    uintptr_t env_end = ep > envp ? (uintptr_t)ep[-1] + strlen(ep[-1]) + 1 : 0;
    printf("stat-code=base+%#lx..base+%#lx\n", f[26] - base, f[27] - base);
    printf("stat-data=base+%#lx..base+%#lx\n", f[45] - base, f[46] - base);
    printf("stat-start_brk=%s\n", f[47] == brk_start ? "heap-start" : "WRONG");
    printf("stat-args=%s\n", f[48] == (uintptr_t)argv[0] && f[49] == arg_end ? "argv" : "WRONG");
    printf("stat-env=%s\n",
           ep == envp || (f[50] == (uintptr_t)envp[0] && f[51] == env_end) ? "envp" : "WRONG");
    printf("stat-startstack=%s\n", f[28] == (uintptr_t)(argv - 1) ? "argc" : "other");
}

int main(int argc, char **argv, char **envp)
{
    char exe[4096] = "";
    int envc = 0;

    dl_iterate_phdr(find_main, NULL);
    for (int i = 0; i < argc; i++)
        printf("argv[%d]=%s\n", i, argv[i]);
    for (char **e = envp; *e; e++, envc++)
        if (!strncmp(*e, "RUNSEL_TEST_", 12))
            printf("env %s\n", *e);
    printf("envc=%d\n", envc);
    print_auxv();
    print_procauxv();
    if (readlink("/proc/self/exe", exe, sizeof(exe) - 1) < 0)
        strcpy(exe, "?");
    printf("exe=%s\n", exe);
    print_file("cmdline", "/proc/self/cmdline", '|');
    print_file("comm", "/proc/self/comm", ' ');
    char *before = sbrk(0);
    print_stat(argv, argc, envp);
    char *p = sbrk(8192);
    printf("brk=%s\n", p == before && (char *)sbrk(0) == before + 8192 ? "works" : "BROKEN");
    memset(p, 1, 8192);
    print_maps(exe);
    if (getenv("RUNSEL_TEST_ABS"))
        printf("abs-base=%#lx\nabs-brk=%p\n", base, (void *)before);
    return 0;
}
