/* stack.c — read the stack the kernel built for the loader and build the
 * one it would have built for the program.
 *
 * The strings (argv, envp, AT_EXECFN, AT_RANDOM bytes, AT_PLATFORM) stay
 * where the kernel put them; only the pointer block argc..AT_NULL is
 * rewritten.  The auxiliary vector is the kernel's, with the entries that
 * describe the image replaced (create_elf_tables() order is kept) and
 * AT_EXECFD dropped.  AT_SECURE, AT_RANDOM, AT_UID..., AT_HWCAP*,
 * AT_SYSINFO_EHDR and AT_MINSIGSTKSZ pass through untouched. */
#include <string.h>
#include "loader.h"

void stack_parse(struct initial_stack *s, uintptr_t *sp)
{
    s->argc = (long)sp[0];
    s->argv = (char **)(sp + 1);
    s->envp = s->argv + s->argc + 1;
    for (s->envc = 0; s->envp[s->envc]; s->envc++)
        ;
    s->auxv = (Elf64_auxv_t *)(s->envp + s->envc + 1);
    for (s->auxc = 0; s->auxv[s->auxc].a_type != AT_NULL; s->auxc++)
        ;
    s->end = (uintptr_t)(s->auxv + s->auxc + 1);
}

unsigned long aux_get(const struct initial_stack *s, unsigned long type, int *found)
{
    for (long i = 0; i < s->auxc; i++)
        if (s->auxv[i].a_type == type) {
            if (found)
                *found = 1;
            return s->auxv[i].a_un.a_val;
        }
    if (found)
        *found = 0;
    return 0;
}

static long new_auxc(const struct new_stack *ns)
{
    long n = 0;

    for (long i = 0; i < ns->orig->auxc; i++)
        n += ns->orig->auxv[i].a_type != AT_EXECFD;
    return n;
}

size_t stack_block_size(const struct new_stack *ns)
{
    return sizeof(uintptr_t) * (1 + ns->argc + 1 + ns->orig->envc + 1) +
           sizeof(Elf64_auxv_t) * (new_auxc(ns) + 1);
}

static int rewrite_aux(const struct new_stack *ns, Elf64_auxv_t *a)
{
    switch (a->a_type) {
    case AT_PHDR:   a->a_un.a_val = ns->phdr;  break;
    case AT_PHENT:  a->a_un.a_val = ns->phent; break;
    case AT_PHNUM:  a->a_un.a_val = ns->phnum; break;
    case AT_ENTRY:  a->a_un.a_val = ns->entry; break;
    case AT_BASE:   a->a_un.a_val = ns->base;  break;
    /* AT_FLAGS bit 0 described the binfmt_misc dispatch, not the program. */
    case AT_FLAGS:  a->a_un.a_val = 0;         break;
    case AT_EXECFN:
        if (ns->execfn)
            a->a_un.a_val = (uintptr_t)ns->execfn;
        break;
    case AT_EXECFD: return 0;
    }
    return 1;
}

void stack_build(const struct new_stack *ns, uintptr_t *buf, size_t *auxv_off, size_t *auxv_len)
{
    uintptr_t *p = buf;
    const struct initial_stack *o = ns->orig;

    *p++ = (uintptr_t)ns->argc;
    memcpy(p, ns->argv, sizeof(*p) * (size_t)ns->argc);
    p += ns->argc;
    *p++ = 0;
    memcpy(p, o->envp, sizeof(*p) * (size_t)o->envc);
    p += o->envc;
    *p++ = 0;
    *auxv_off = (size_t)((char *)p - (char *)buf);
    Elf64_auxv_t *a = (Elf64_auxv_t *)p;
    for (long i = 0; i < o->auxc; i++) {
        *a = o->auxv[i];
        a += rewrite_aux(ns, a);
    }
    a->a_type = AT_NULL;
    a->a_un.a_val = 0;
    a++;
    *auxv_len = (size_t)((char *)a - (char *)buf) - *auxv_off;
}
