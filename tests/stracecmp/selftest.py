"""The harness's own rules on known input (stracecmp.py selftest).

Each case prints "ok NAME" or "not ok NAME: ..." (tests/t_stracecmp.sh
passes them on): a rule that normalises too much (a struct made equal to
an address) or too little (two runs' addresses left different), a pairing
that follows pids instead of creation order, a count log of several
tables not summed — each makes a case fail.
"""
import os
import tempfile

import compare
import counts
import normalise
import tasks

failures = 0


def case(name, cond, detail=''):
    global failures
    if cond:
        print('ok selftest: ' + name)
    else:
        failures += 1
        print('not ok selftest: %s%s' % (name, ': ' + detail if detail else ''))


def pad(line):
    """LINE ("call(args) = result") padded as strace pads it."""
    call, sep, result = line.rpartition(') = ')
    if not sep:
        return line
    call += ')'
    return call + ' ' * max(1, 40 - len(call)) + '= ' + result


def norm(raw, pids=(), heaps=(), base='/tmp/stracecmp.abc', port=None, plen=0, padded=False):
    raw = raw if padded else pad(raw)
    return normalise.normalise(raw, plen, normalise.Context(base, port, set(pids), heaps)).norm


def tally_of(a_lines, b_lines, pids_a=(), pids_b=()):
    ca, cb = normalise.Context('', None, set(pids_a)), normalise.Context('', None, set(pids_b))
    a = normalise.normalise_task([(pad(l), 0) for l in a_lines], ca)
    b = normalise.normalise_task([(pad(l), 0) for l in b_lines], cb)
    t = compare.Tally()
    compare.compare_tasks(a, b, t)
    return t


def normalisation_cases():
    a = norm('mmap(NULL, 8192, PROT_READ, MAP_PRIVATE, 3, 0) = 0x7fb7a8849000')
    b = norm('mmap(NULL, 8192, PROT_READ, MAP_PRIVATE, 3, 0) = 0x7f51f10b8000')
    case('two runs\' mmap addresses normalise to the same line', a == b, a + ' / ' + b)
    s = norm('newfstatat(3, "", {st_mode=S_IFREG|0644, st_size=44183, ...}, AT_EMPTY_PATH) = 0')
    r = norm('newfstatat(3, "", 0x7ffd5535cd00, AT_EMPTY_PATH) = 0')
    case('a decoded struct still differs from an address', s != r)
    t = tally_of(['newfstatat(3, "", {st_mode=S_IFREG|0644, st_size=44183, ...}, AT_EMPTY_PATH) = 0'],
                 ['newfstatat(3, "", 0x7ffd5535cd00, AT_EMPTY_PATH) = 0'])
    case('  and is classed "newfstatat: struct not decoded"',
         list(t.classes) == ['newfstatat: struct not decoded'], str(list(t.classes)))
    t = tally_of(['fadvise64(3, 0, 0, POSIX_FADV_SEQUENTIAL) = 0'], ['fadvise64(3, 0, 0, 0x2) = 0'])
    case('a constant shown as a number differs: "constant not named"',
         list(t.classes) == ['fadvise64: constant not named'], str(list(t.classes)))
    x = norm('rseq(0x7f6141fdffe0, 0x20, 0, 0x53053053) = 0')
    case('small hex numbers stay (rseq signature, length)', x == 'rseq(0xADDR, 0x20, 0, 0x53053053) = 0', x)
    x = norm('futex(0x1956be30, FUTEX_WAKE_PRIVATE, 1) = 0', heaps=[(0x19500000, 0x19900000)])
    y = norm('futex(0x1956be30, FUTEX_WAKE_PRIVATE, 1) = 0')
    case('a small address inside the run\'s brk heap is an address, outside it is not',
         '0xADDR' in x and '0x1956be30' in y, x + ' / ' + y)
    x = norm('getpid() = 4096', pids={'4096'})
    y = norm('write(1, "x", 4096) = 4096', pids={'4096'})
    z = norm('tgkill(4096, 4096, SIGABRT) = 0', pids={'4096'})
    w = norm('kill(4097, SIGTERM) = 0', pids={'4096'})
    case('pids become PID where a pid is expected, the same number elsewhere stays',
         (x, y, z, w) == ('getpid() = PID', 'write(1, "x", 4096) = 4096',
                          'tgkill(PID, PID, SIGABRT) = 0', 'kill(4097, SIGTERM) = 0'),
         ' / '.join((x, y, z, w)))
    x = norm('getppid()                               = 1234')
    case('getppid\'s result (the tracer\'s pid) becomes PID', x == 'getppid() = PID', x)
    raw = 'write(3, "thread 2\\n", 9)   = 9'
    x = norm(raw, plen=len('[pid 24929] '), padded=True)
    y = norm(raw, padded=True)
    case('padding counts a [pid N] prefix: padded well with it, badly without',
         x == 'write(3, "thread 2\\n", 9) = 9' and y.endswith(' <padding>'), x + ' / ' + y)
    ctx = normalise.Context('', None, set())
    t = compare.Tally()
    compare.compare_tasks([normalise.normalise(pad('close(3) = 0'), 0, ctx)],
                          [normalise.normalise('close(3) = 0', 0, ctx)], t)
    case('  and a badly padded line is classed "close: padding"',
         list(t.classes) == ['close: padding'], str(list(t.classes)))
    x = norm('futex(0x7f, FUTEX_WAIT_BITSET_PRIVATE, 0, {tv_sec=24874, tv_nsec=599020763}, '
             'FUTEX_BITSET_MATCH_ANY) = 0')
    y = norm('clock_nanosleep(CLOCK_REALTIME, 0, {tv_sec=0, tv_nsec=50000000}, NULL) = 0')
    z = norm('utimensat(3, NULL, [{tv_sec=1700000000, tv_nsec=5}, UTIME_OMIT], 0) = 0')
    case('absolute times normalised, a relative timeout kept',
         'tv_sec=T' in x and 'tv_nsec=50000000' in y and 'tv_sec=T, tv_nsec=N' in z, x + ' / ' + y)
    x = norm('getrandom("\\x5b\\x2b\\x98\\x53", 4, GRND_NONBLOCK) = 4')
    case('getrandom\'s bytes become RANDOM', x == 'getrandom("RANDOM", 4, GRND_NONBLOCK) = 4', x)
    ctx = normalise.Context('', None, set())
    lines = normalise.normalise_task([(pad(l), 0) for l in (
        'openat(AT_FDCWD, "/dev/urandom", O_RDONLY) = 3', 'read(3, "\'\\7I\\254", 4) = 4',
        'close(3) = 0', 'read(3, "abcd", 4) = 4')], ctx)
    case('reads of an fd open on /dev/urandom become RANDOM, until it is closed',
         lines[1].norm == 'read(3, "RANDOM", 4) = 4' and lines[3].norm == 'read(3, "abcd", 4) = 4',
         lines[1].norm + ' / ' + lines[3].norm)
    x = norm('openat(AT_FDCWD, "/tmp/stracecmp.abc/w/tmp/ccdqoMVn.s", O_RDWR|O_CREAT|O_EXCL, 0600) = 3')
    case('the base directory and mkstemp names', x.startswith('openat(AT_FDCWD, "/TMP/w/tmp/ccXXXXXX.s"'), x)
    x = norm('connect(4, {sa_family=AF_INET, sin_port=htons(39499), sin_addr=inet_addr("127.0.0.1")}, 16) = 0')
    y = norm('connect(4, {sa_family=AF_INET, sin_port=htons(53), sin_addr=inet_addr("127.0.0.1")}, 16) = 0')
    case('ephemeral ports become PORT, a well-known port stays',
         'htons(PORT)' in x and 'htons(53)' in y, x + ' / ' + y)


def alignment_cases():
    common = ['openat(AT_FDCWD, "a", O_RDONLY) = 3', 'close(3) = 0', 'exit_group(0) = ?']
    s = common[:2] + ['rt_sigreturn({mask=[]}) = 0'] + common[2:] + ['+++ exited with 0 +++']
    r = common + ['+++ exited with 0 +++']
    t = tally_of(s, r)
    case('a line missing on one side: the rest stays aligned (4 of 5 rows identical)',
         (t.identical, t.rows) == (4, 5) and list(t.classes) == ['rt_sigreturn: missing line'],
         '%d of %d, %s' % (t.identical, t.rows, list(t.classes)))
    case('  names: 3 of 4 equal', (t.names_equal, t.name_rows) == (3, 4),
         '%d of %d' % (t.names_equal, t.name_rows))


def write_run(d, files):
    os.makedirs(d)
    for name, lines in files.items():
        with open(os.path.join(d, name), 'w') as f:
            f.write('\n'.join(lines) + '\n')


def pairing_cases(tmp):
    # strace -ff: a file per thread; pids in another order than creation
    write_run(os.path.join(tmp, 's'), {
        't.100': ['clone(child_stack=NULL, flags=SIGCHLD) = 300', 'clone(child_stack=NULL, flags=SIGCHLD) = 200',
                  'clone3({flags=CLONE_VM|CLONE_THREAD}, 88) = 150'],
        't.300': ['write(1, "first", 5) = 5'], 't.200': ['write(1, "second", 6) = 6'],
        't.150': ['write(1, "thread", 6) = 6']})
    # runsel: a file per process, the thread's lines prefixed
    write_run(os.path.join(tmp, 'r'), {
        't.500': ['clone(child_stack=NULL, flags=SIGCHLD) = 501', 'clone(child_stack=NULL, flags=SIGCHLD) = 502',
                  '[pid   500] clone3({flags=CLONE_VM|CLONE_THREAD}, 88) = 503',
                  '[pid   503] write(1, "thread", 6) = 6'],
        't.501': ['write(1, "first", 5) = 5'], 't.502': ['write(1, "second", 6) = 6']})
    a, b = tasks.read_run(os.path.join(tmp, 's')), tasks.read_run(os.path.join(tmp, 'r'))
    case('a [pid N] prefix puts the line in task N', '503' in b and len(b['503'].lines) == 1,
         str(sorted(b)))
    pairs = tasks.pair_runs(a, b, lambda t: [])
    want = [('100', '500'), ('300', '501'), ('200', '502'), ('150', '503')]
    case('tasks paired by creation order, not by pid', pairs == want, str(pairs))


def count_cases(tmp):
    one = os.path.join(tmp, 'one')
    with open(one, 'w') as f:
        f.write('% time     seconds  usecs/call     calls    errors syscall\n'
                '------ ----------- ----------- --------- --------- ----------------\n'
                ' 67.47    0.010313        3437         3         1 wait4\n'
                '  7.14    0.001091          13        79           openat\n'
                '------ ----------- ----------- --------- --------- ----------------\n'
                '100.00    0.015286          36        82         1 total\n')
    rows, n = counts.parse_tables(one)
    case('a count table: calls and errors (blank errors = 0), no total row',
         n == 1 and rows == {'wait4': (3, 1), 'openat': (79, 0)}, str(rows))
    two = os.path.join(tmp, 'two')
    with open(two, 'w') as f:
        f.write(open(one).read() + open(one).read().replace('wait4', 'read'))
    rows, n = counts.parse_tables(two)
    case('a log of several tables (one per process) is summed',
         n == 2 and rows == {'wait4': (3, 1), 'read': (3, 1), 'openat': (158, 0)}, str(rows))


def main():
    with tempfile.TemporaryDirectory() as tmp:
        normalisation_cases()
        alignment_cases()
        pairing_cases(tmp)
        count_cases(tmp)
    return 1 if failures else 0
