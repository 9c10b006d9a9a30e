/* memcheck.c — table tests of the wrapper ABI's memory accessors
 * (wrapperabi/lib/copyin.c): rs_copy_in, rs_copy_in_str and
 * rs_copy_out against a mapping laid out as
 *     [RW page][RO page][PROT_NONE page][unmapped page]
 * each row a start (page, offset) and a length, and the count the kernel's
 * own copy would manage.  Every group runs twice: with process_vm_readv/
 * writev, then under a seccomp filter that refuses them (EPERM), where
 * the pipe fallback must give the same counts. */
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <runsel/wrapper.h>
#include "rows.h"
#include "stubhost.h"

#define PG 4096L
static char *base;    /* the four pages */

static const struct {
    int page;
    long off, len;
    long in;      /* rs_copy_in: bytes read */
    long out;     /* rs_copy_out: bytes written */
} rows[] = {
    {0, 0, 16, 16, 16},
    {0, 0, PG, PG, PG},
    {0, PG - 8, 16, 16, 8},          /* RW into RO: reads on, writes stop */
    {1, 0, 16, 16, 0},               /* RO: read, not written */
    {1, PG - 8, 16, 8, 0},           /* RO into PROT_NONE */
    {2, 0, 16, 0, 0},                /* PROT_NONE */
    {3, 0, 16, 0, 0},                /* unmapped */
    {0, 100, 3 * PG, 2 * PG - 100, PG - 100},
    {0, 0, 0, 0, 0},
};

static void run_rows(const char *how)
{
    char buf[4 * PG], group[96];

    snprintf(group, sizeof(group), "memory accessors (%s)", how);
    rows_begin(group);
    for (size_t i = 0; i < ROWS_COUNT(rows); i++) {
        char *p = base + rows[i].page * PG + rows[i].off;
        long in = rs_copy_in(buf, p, (size_t)rows[i].len);
        rows_check(in == rows[i].in, "copy_in page %d+%ld len %ld -> %ld, want %ld", rows[i].page,
                   rows[i].off, rows[i].len, in, rows[i].in);
        memset(buf, 'w', sizeof(buf));
        long out = rs_copy_out(p, buf, (size_t)rows[i].len);
        rows_check(out == rows[i].out, "copy_out page %d+%ld len %ld -> %ld, want %ld", rows[i].page,
                   rows[i].off, rows[i].len, out, rows[i].out);
        rows_check(out <= 0 || (p[0] == 'w' && p[out - 1] == 'w'),
                   "copy_out page %d+%ld: the bytes written are there", rows[i].page, rows[i].off);
    }
    rows_check(rs_copy_in(buf, NULL, 8) == 0, "copy_in from NULL -> 0");
    rows_check(rs_copy_out(NULL, buf, 8) == 0, "copy_out to NULL -> 0");
    /* a string ending on the RW page's last byte, and one running into RO then PROT_NONE */
    memset(base, 'a', (size_t)PG);
    base[PG - 1] = 0;
    long n = rs_copy_in_str(buf, base + PG - 10, 64);
    rows_check(n == 9, "copy_in_str ending at the page's end -> %ld, want 9", n);
    n = rs_copy_in_str(buf, base + 2 * PG - 4, 64);    /* the RO page's "rrrr" then PROT_NONE */
    rows_check(n == -EFAULT, "copy_in_str into PROT_NONE -> %ld, want -EFAULT", n);
    n = rs_copy_in_str(buf, base, 8);
    rows_check(n == -ENAMETOOLONG && buf[7] == 0, "copy_in_str longer than the buffer -> %ld", n);
    rows_end();
}

/* process_vm_readv and process_vm_writev fail with EPERM from now on. */
static int refuse_vm_calls(void)
{
    struct sock_filter f[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_process_vm_readv, 2, 0),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_process_vm_writev, 1, 0),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
    };
    struct sock_fprog prog = {(unsigned short)(sizeof(f) / sizeof(f[0])), f};

    return prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) || prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog);
}

/* A host outside the program (ABI 1.4, stubhost_remote) never falls back
 * on the pipe, which would copy the host's own memory at the program's
 * address: the refusal is the answer, every time. */
static void refused_remote(void)
{
    char buf[64];

    stubhost_remote(1);
    rows_begin("memory accessors (process_vm_* refused, the stub host as a supervisor)");
    for (int i = 0; i < 2; i++) {
        long in = rs_copy_in(buf, base, 16), out = rs_copy_out(base, buf, 16);
        long str = rs_copy_in_str(buf, base, sizeof(buf));
        rows_check(in == -EPERM && out == -EPERM && str == -EPERM,
                   "try %d: copy_in %ld, copy_out %ld, copy_in_str %ld, want -EPERM each", i, in,
                   out, str);
    }
    stubhost_remote(0);
    rows_end();
}

int main(void)
{
    stubhost_start();
    base = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (base != MAP_FAILED)
        memset(base + PG, 'r', (size_t)PG);   /* the RO page holds no NUL */
    if (base == MAP_FAILED || mprotect(base + PG, PG, PROT_READ) || mprotect(base + 2 * PG, PG, PROT_NONE) ||
        munmap(base + 3 * PG, PG)) {
        perror("memcheck: mapping");
        return 1;
    }
    run_rows("process_vm_readv/writev");
    if (refuse_vm_calls()) {
        perror("memcheck: seccomp");
        return 1;
    }
    refused_remote();
    run_rows("pipe fallback, process_vm_* refused");
    return rows_exit();
}
