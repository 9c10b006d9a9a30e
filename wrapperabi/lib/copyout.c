/* copyout.c — writing into the program's memory without faulting, the
 * other half of copyin.c: what a wrapper that answers a call itself needs
 * to fill the program's buffers (a struct stat, a read's data) the way the
 * kernel's copy_to_user would, and the accessor that will let the same
 * wrapper write into another process later.
 *
 * process_vm_writev on ourselves, a page per remote iovec, so a fault ends
 * the copy at a page boundary; it writes only where the program could
 * (read-only and PROT_NONE pages fail, as copy_to_user does — no
 * FOLL_FORCE).  Where it is refused (seccomp: EPERM, ENOSYS), the bytes go
 * into a fresh pipe and read(2) copies them out into the destination: the
 * kernel's own copy_to_user, which faults exactly where a system call's
 * result would.  Never a plain store: a bad pointer is a short write. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/uio.h>
#include <runsel/wrapper.h>

#define PAGE 4096UL
#define NIOV 8
#define MAX_COPY 0x7ffff000UL

static int vm_writev_refused;

static size_t to_page_end(uintptr_t a, size_t n)
{
    size_t room = PAGE - (a & (PAGE - 1));

    return room < n ? room : n;
}

/* Up to NIOV pages: bytes written (0: the first page is not writable), or
 * -errno when the call itself was refused. */
static long vm_write(uintptr_t a, const char *src, size_t n, size_t *asked)
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
    local.iov_base = (void *)src;
    local.iov_len = off;
    *asked = off;
    long put = rs_syscall(SYS_process_vm_writev, rs_getpid(), &local, 1, remote, k, 0);
    return put == -EFAULT ? 0 : put;
}

/* The fallback: a page at a time into a pipe (our memory: cannot fault),
 * then read(2) from it into the program's page. */
static long pipe_write(uintptr_t a, const char *src, size_t n)
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

long rs_copy_out(void *dst, const void *src, size_t n)
{
    uintptr_t a = (uintptr_t)dst;
    const char *s = src;
    size_t done = 0;

    if (!dst)
        return 0;
    if (n > MAX_COPY)
        n = MAX_COPY;
    while (done < n) {
        long put = -ENOSYS;
        size_t asked = 0;
        if (!__atomic_load_n(&vm_writev_refused, __ATOMIC_RELAXED)) {
            put = vm_write(a + done, s + done, n - done, &asked);
            if (put == -ENOSYS || put == -EPERM)
                __atomic_store_n(&vm_writev_refused, 1, __ATOMIC_RELAXED);
        }
        if (put < 0) {
            long p = pipe_write(a + done, s + done, n - done);
            if (p < 0)
                return done ? (long)done : p;
            return (long)(done + (size_t)p);
        }
        done += (size_t)put;
        if ((size_t)put < asked)
            break;
    }
    return (long)done;
}
