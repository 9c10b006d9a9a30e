/* backend.c — which redirect backends this machine offers, and the kernel
 * module's association table (selctl status). */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include "selctl.h"
#include "selredir.h"

#ifndef PR_SET_SYSCALL_USER_DISPATCH
#define PR_SET_SYSCALL_USER_DISPATCH 59
#define PR_SYS_DISPATCH_OFF 0
#endif

/* Turning dispatch off is harmless and fails with EINVAL only where the
 * kernel has no Syscall User Dispatch. */
static int sud_available(void)
{
    return prctl(PR_SET_SYSCALL_USER_DISPATCH, PR_SYS_DISPATCH_OFF, 0, 0, 0) == 0;
}

/* /proc/selredir: a header line, then "pid entry lo-hi redirected flags
 * stack" (a module before stacks has only the first four). */
static void print_table(void)
{
    FILE *f = fopen("/proc/selredir", "re");
    char line[512];
    int n = 0;

    if (!f) {
        printf("  registered processes: %s (/proc/selredir is root's)\n", strerror(errno));
        return;
    }
    if (!fgets(line, sizeof(line), f))
        line[0] = 0;
    while (fgets(line, sizeof(line), f)) {
        int pid, at = 0;
        unsigned long long entry, redirected;
        unsigned flags = 0;
        char range[96];

        if (sscanf(line, "%d %llx %95s %llu %n", &pid, &entry, range, &redirected, &at) < 4)
            continue;
        const char *stack = line + at;
        if (at && sscanf(stack, "%x %n", &flags, &at) == 1)
            stack += at;
        else
            stack = "-\n";
        if (n++ == 0)
            printf("  %-8s %-18s %-37s %-10s %s\n", "pid", "entry", "exempt range", "redirected",
                   "wrappers (outermost first)");
        printf("  %-8d %#-18llx %-37s %-10llu %s%s", pid, entry, range, redirected,
               flags & SELREDIR_F_DENY_COMPAT ? "[ia32/x32 denied] " : "", stack);
    }
    fclose(f);
    printf("  registered processes: %d\n", n);
}

void backend_status(void)
{
    struct stat st;
    int kmod = stat(SELREDIR_DEVICE, &st) == 0 && S_ISCHR(st.st_mode);
    int sud = sud_available();

    printf("redirect backend kmod: %s\n",
           kmod ? "loaded (" SELREDIR_DEVICE ")" : "not loaded (modprobe selredir; see README)");
    if (kmod)
        print_table();
    printf("redirect backend sud: %s\n", sud ? "available (Syscall User Dispatch)" :
                                              "not available (kernel without Syscall User Dispatch)");
    printf("backend=auto uses: %s\n", kmod ? "kmod" : sud ? "sud" : "none (selected programs run unselected)");
}
