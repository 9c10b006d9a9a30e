# memprobe.py MODE DIR: path calls whose names sit at awkward places in
# memory, each printed as "NAME RESULT" (ok or the errno name), for the
# wrappers' memory reader (wrapperabi/lib/copyin.c).  MODE none, or eperm /
# enosys: a seccomp filter first makes process_vm_readv fail with that
# errno (as container profiles and gVisor do), so the reader's fallback
# is what runs.  Files are created in DIR/allowed and DIR/outside.
import ctypes, errno, os, struct, sys
libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
libc.mmap.restype = ctypes.c_void_p
libc.mmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int,
                      ctypes.c_int, ctypes.c_long]
mode, d = sys.argv[1], sys.argv[2].encode()
if mode != 'none':
    e = {'eperm': errno.EPERM, 'enosys': errno.ENOSYS}[mode]
    insn = lambda code, jt, jf, k: struct.pack('HBBI', code, jt, jf, k)
    prog = ctypes.create_string_buffer(b''.join([
        insn(0x20, 0, 0, 0),                 # ld [nr]
        insn(0x15, 0, 1, 310),               # jeq #process_vm_readv
        insn(0x06, 0, 0, 0x50000 | e),       # ret ERRNO(e)
        insn(0x06, 0, 0, 0x7fff0000)]))      # ret ALLOW
    fprog = ctypes.create_string_buffer(struct.pack('HxxxxxxQ', 4, ctypes.addressof(prog)))
    assert libc.prctl(38, 1, 0, 0, 0) == 0   # PR_SET_NO_NEW_PRIVS
    assert libc.prctl(22, 2, fprog, 0, 0) == 0   # PR_SET_SECCOMP, SECCOMP_MODE_FILTER
PAGE = 4096
m = libc.mmap(None, 3 * PAGE, 3, 0x22, -1, 0)    # read-write, private anonymous
libc.munmap(ctypes.c_void_p(m + 2 * PAGE), PAGE) # the third page: unmapped
def at(addr, s):
    ctypes.memmove(addr, s, len(s))
    return addr
def openat(name, addr):
    r = libc.syscall(257, -100, ctypes.c_void_p(addr), os.O_WRONLY | os.O_CREAT, 0o644)
    e = ctypes.get_errno()
    print(name, 'ok' if r >= 0 else errno.errorcode[e], flush=True)
    if r >= 0:
        os.close(r)
inside, outside = d + b'/allowed/', d + b'/outside/'
openat('inside', at(m, inside + b'plain\0'))
openat('outside', at(m, outside + b'plain\0'))
s = inside + b'edge\0'                           # its NUL is the last readable byte
openat('edge', at(m + 2 * PAGE - len(s), s))
s = inside + b'across-' + b'x' * 40 + b'\0'      # from the first page into the second
openat('across', at(m + PAGE - 20, s))
s = inside + b'cut'                              # runs into the unmapped page
openat('cut', at(m + 2 * PAGE - len(s), s))
openat('unmapped', m + 2 * PAGE)
at(m + PAGE, inside + b'protnone\0')
libc.mprotect(ctypes.c_void_p(m + PAGE), PAGE, 0)   # the second page: PROT_NONE
openat('protnone', m + PAGE)
