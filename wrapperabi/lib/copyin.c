/* copyin.c — reading the program's memory without faulting (strace's
 * umoven/umovestr, for a wrapper that lives inside the program), and
 * writing into it the same way (rs_copy_out: what a wrapper that answers
 * a call itself needs to fill the program's buffers as copy_to_user
 * would; process_vm_writev writes only where the program could — no
 * FOLL_FORCE — and its fallback is read(2) from a pipe into the range).
 *
 * A wrapper is handed the program's pointers as they are: a bad one must
 * give a short read (trace prints the address; sandbox fails the call
 * with EFAULT, as the kernel would), never a SIGSEGV inside the wrapper.
 * So the bytes are never touched directly: the kernel copies them for us
 * and reports the fault.
 *
 * First choice: process_vm_readv on ourselves — one call for up to NIOV
 * pages, short at the first page it cannot read, and the same access
 * rules as the kernel's own copy_from_user (PROT_NONE and unmapped pages
 * fail).  The pid is kept, and forgotten in a forked child (self_pid).
 *
 * When that call is refused — a seccomp filter (EPERM, or ENOSYS from a
 * sandbox like gVisor or a container profile) — the fallback is write(2)
 * of the range into a fresh pipe and read(2) back, a page at a time:
 * write's copy_from_user faults exactly where the kernel would when it
 * reads a call's argument, and reports it as EFAULT.  Rejected:
 *   - a plain memcpy: crashes on the very pointers this exists for;
 *   - pread of /proc/self/mem: it reads with FOLL_FORCE, so it succeeds on
 *     PROT_NONE guard pages and unreadable mappings the kernel's argument
 *     copy refuses (the sandbox would judge a string the call could never
 *     have used), needs /proc mounted (chroots, minimal containers) and a
 *     descriptor kept open for the program's whole life.
 * The pipe costs two descriptors for the duration of the read (close-on-
 * exec, non-blocking) and five calls a page; it is used only once
 * process_vm_readv has been refused, and only in process (rs_inprocess:
 * from a supervisor the refusal is the answer).  When no pipe can be made either
 * (EMFILE), the read fails with that error: the caller learns the memory
 * could not be read, not that it was bad. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/uio.h>
#include <runsel/wrapper.h>
#include "host.h"

#define PAGE 4096UL
#define NIOV 8                  /* pages per process_vm_readv */
#define MAX_COPY 0x7ffff000UL   /* MAX_RW_COUNT: no read(2) moves more */

/* The errno (for good: filters are never removed) once process_vm_readv
 * (or _writev) was refused with ENOSYS or EPERM, else 0.  Other refusals
 * are retried each time. */
static int vm_readv_refused, vm_writev_refused;

/* The process whose memory is ours, by pid (process_vm_* name a process):
 * asked once and kept — a call saved on every read — and forgotten in a
 * forked child (rs_copyin_atfork, from the runtime's .atfork), whose
 * memory is its own.  A child that shares its parent's memory (vfork,
 * CLONE_VM) keeps the parent's pid: the same memory, read through the
 * parent; if the parent is gone, the read fails with ESRCH and the pid is
 * asked again. */
static int pid;

static int self_pid(void)
{
    int p = __atomic_load_n(&pid, __ATOMIC_RELAXED);

    if (!p) {
        p = rs_getpid();
        __atomic_store_n(&pid, p, __ATOMIC_RELAXED);
    }
    return p;
}

void rs_copyin_atfork(void)
{
    __atomic_store_n(&pid, 0, __ATOMIC_RELAXED);
}

static size_t to_page_end(uintptr_t a, size_t n)
{
    size_t room = PAGE - (a & (PAGE - 1));

    return room < n ? room : n;
}

/* One direction: its process_vm_ call, and its pipe fallback (bytes
 * copied, short at the first page the kernel's copy faults on, or -errno
 * when no pipe could be made). */
struct way {
    long nr;
    int *refused;
    long (*by_pipe)(uintptr_t a, char *mine, size_t n);
};

/* Up to NIOV pages of [a, a+n) to or from mine, one remote iovec per page
 * so that a fault ends the copy at a page boundary: bytes copied (0: the
 * first page faults), or -errno when the call itself was refused.
 * *asked: how many bytes were asked for. */
static long vm_copy(const struct way *w, uintptr_t a, char *mine, size_t n, size_t *asked)
{
    struct iovec local, remote[NIOV];
    size_t off = 0;
    int k = 0;

    while (off < n && k < NIOV) {
        size_t chunk = to_page_end(a + off, n - off);
        remote[k].iov_base = (void *)(a + off);
        remote[k].iov_len = chunk;
        k++;
        off += chunk;
    }
    local.iov_base = mine;
    local.iov_len = off;
    *asked = off;
    long got = rs_syscall(w->nr, self_pid(), &local, 1, remote, k, 0);
    if (got == -ESRCH) {            /* a CLONE_VM child whose parent has gone: ask again */
        __atomic_store_n(&pid, 0, __ATOMIC_RELAXED);
        got = rs_syscall(w->nr, self_pid(), &local, 1, remote, k, 0);
    }
    return got == -EFAULT ? 0 : got;
}

/* Reading: each page of [a, a+n) written into a pipe and read back. */
static long pipe_read(uintptr_t a, char *dst, size_t n)
{
    int p[2];
    size_t done = 0;
    long r = rs_syscall(SYS_pipe2, p, O_CLOEXEC | O_NONBLOCK);

    if (r < 0)
        return r;
    while (done < n) {
        /* within one page: the write is all or nothing (a fault is per
         * page), and a page fits in any pipe (at least one page long) */
        size_t chunk = to_page_end(a + done, n - done);
        long w = rs_syscall(SYS_write, p[1], a + done, chunk);
        if (w <= 0)
            break;                               /* -EFAULT: unreadable */
        long got = 0;
        while (got < w) {
            long k = rs_syscall(SYS_read, p[0], dst + done + got, w - got);
            if (k <= 0)
                break;
            got += k;
        }
        done += (size_t)got;
        if (got < w || (size_t)w < chunk)
            break;
    }
    rs_syscall(SYS_close, p[0]);
    rs_syscall(SYS_close, p[1]);
    return (long)done;
}

/* Writing: a page at a time into a pipe (our memory: cannot fault), then
 * read(2) from it into the program's page. */
static long pipe_write(uintptr_t a, char *src, size_t n)
{
    int p[2];
    size_t done = 0;
    long r = rs_syscall(SYS_pipe2, p, O_CLOEXEC | O_NONBLOCK);

    if (r < 0)
        return r;
    while (done < n) {
        size_t chunk = to_page_end(a + done, n - done);
        long w = rs_syscall(SYS_write, p[1], src + done, chunk);
        if (w <= 0)
            break;
        long k = rs_syscall(SYS_read, p[0], a + done, w);
        if (k <= 0)
            break;                               /* -EFAULT: not writable */
        done += (size_t)k;
        if (k < w)
            break;
    }
    rs_syscall(SYS_close, p[0]);
    rs_syscall(SYS_close, p[1]);
    return (long)done;
}

static const struct way reading = {SYS_process_vm_readv, &vm_readv_refused, pipe_read};
static const struct way writing = {SYS_process_vm_writev, &vm_writev_refused, pipe_write};

/* n bytes between the program's a and our mine, the way w. */
static long copy(const struct way *w, uintptr_t a, char *mine, size_t n)
{
    size_t done = 0;

    if (!a)
        return 0;
    if (n > MAX_COPY)
        n = MAX_COPY;
    while (done < n) {
        long got = -(long)__atomic_load_n(w->refused, __ATOMIC_RELAXED);
        size_t asked = 0;
        if (!got) {
            got = vm_copy(w, a + done, mine + done, n - done, &asked);
            if (got == -ENOSYS || got == -EPERM)
                __atomic_store_n(w->refused, (int)-got, __ATOMIC_RELAXED);
        }
        if (got < 0) {                           /* refused: the pipe, for the rest */
            /* the pipe copies at an address of this process: the
             * program's memory only when this is the program (a host in
             * another process would read its own) */
            if (!rs_inprocess())
                return done ? (long)done : got;
            long p = w->by_pipe(a + done, mine + done, n - done);
            if (p < 0)
                return done ? (long)done : p;
            return (long)(done + (size_t)p);
        }
        done += (size_t)got;
        if ((size_t)got < asked)
            break;                               /* a page that faults */
    }
    return (long)done;
}

long rs_copy_in(void *dst, const void *src, size_t n)
{
    return copy(&reading, (uintptr_t)src, dst, n);
}

long rs_copy_out(void *dst, const void *src, size_t n)
{
    return copy(&writing, (uintptr_t)dst, (char *)(uintptr_t)src, n);
}

long rs_copy_in_str(char *dst, const char *src, size_t size)
{
    uintptr_t a = (uintptr_t)src;
    size_t got = 0;

    if (!size)
        return -ENAMETOOLONG;
    if (!src)
        return -EFAULT;
    /* a page at a time: the string may end just before an unreadable page */
    while (got < size) {
        size_t chunk = to_page_end(a + got, size - got);
        long n = rs_copy_in(dst + got, (const void *)(a + got), chunk);
        if (n < 0)
            return n;
        for (size_t i = got; i < got + (size_t)n; i++)
            if (!dst[i])
                return (long)i;
        got += (size_t)n;
        if ((size_t)n < chunk)
            return -EFAULT;
    }
    dst[size - 1] = 0;
    return -ENAMETOOLONG;
}

int rs_sigreturn_word(const struct rs_call *c, long off, long *v)
{
    return c->arg[0] && rs_copy_in(v, (const char *)c->arg[0] + off, sizeof(*v)) == (long)sizeof(*v);
}
