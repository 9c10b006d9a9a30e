"""Normalisation: what may differ between two runs of the same program
without either tracer being wrong, taken out of the lines before they are
compared.  Everything else stays: a structure strace decodes and runsel
shows as an address still differs after these rules (an address becomes
0xADDR, never "{...}"), and so do a flag shown as a number, a missing
"/* N entries */", a different environment count, a different result.

The rules, in the order they are applied (RULES below, one function each):

  padding    strace pads "name(args)" with spaces so that "= result"
             starts at column 40 (at least one space); the column counts a
             "[pid N] " prefix.  Whether a line is padded that way is
             checked on the raw line, then the padding is collapsed to one
             space: the other rules change lengths (an address becomes
             0xADDR), which must not make a well-padded line look wrong.
             A badly padded line keeps a " <padding>" mark, so it differs.
  prefix     "[pid N] " and "PID " prefixes: taken off by tasks.py (a
             per-thread file of strace -ff has none, runsel's per-process
             file has them once the process has threads).
  pids       pids and tids are new in every run.  The results of the calls
             that return one (getpid, getppid, gettid, fork, clone, wait4,
             ...) become PID, whatever the number: getppid of the first
             process is the tracer's or the harness's pid, which no log
             names.  Elsewhere only where a pid is expected, and only the
             run's own task ids (file names, prefixes, creation results):
             the pid arguments of kill, tgkill, wait4, prlimit64, sched_*,
             ..., a futex word's value (a thread's tid, waited for at
             join), rt_sigreturn's result (that of the call the signal
             interrupted, often wait4's), si_pid=, parent_tid=[N], /proc/N/.  Not any number that
             happens to equal a pid: after pid wrap-around a pid of 4096
             would turn every size of 4096 into PID.
  addresses  ASLR: a number of 9 or more hex digits (0x100000000 and up,
             where a 64-bit program's stack, heap, libraries and PIE image
             live) becomes 0xADDR; brk's argument and result too, however
             small, and any smaller hex number inside a heap the run's brk
             results span (a non-PIE program's heap, e.g. python3's or a
             static busybox's, lies below 4 GiB and is still randomised).
             Other small hex numbers (flags, offsets, rseq's signature, a
             non-PIE image's addresses) stay.  Address ranges in text read
             from /proc/PID/maps ("55d9f310b000-55d9f310f000 r--p") too.
  basedir    the harness's temporary directory (/tmp/stracecmp.XXXXXX)
             becomes /TMP: the same within one harness run, new in the next.
  tempnames  names made by mkstemp-like calls (gcc's /TMP/w/tmp/ccXXXXXX.s,
             git's tmp_obj_XXXXXX and .git/tXXXXXX) get their 6 random
             characters as XXXXXX.
  random     getrandom's buffer (random bytes) becomes "RANDOM", and so does
             what a task reads from an fd it opened on /dev/urandom or
             /dev/random (perl's hash seed), until it closes it.
  ports      ephemeral ports (htons(N) with N >= 1024: the kernel picks
             them for port 0 and for a client's end) become htons(PORT),
             and the HTTP server's port (a random free one, in curl's URL
             and request) becomes PORT.
  times      absolute times: tv_sec values of 100000 and more (wall-clock
             timestamps, never a timeout in this corpus) with their
             tv_nsec/tv_usec; every timespec of a call whose timeout is
             absolute (futex FUTEX_WAIT_BITSET, clock_nanosleep
             TIMER_ABSTIME: boot-time clocks, small numbers) and of the
             calls that report used CPU time (getrusage, times); the
             st_[amc]time(_nsec) fields, strace's date comments
             ("/* 2023-11-14T22:13:20+0000 */"), the "left {...}" of select,
             si_utime/si_stime (CPU ticks, with strace's "/* 0.01 s */").
             Short relative timeouts ({tv_sec=0, tv_nsec=50000000}) stay.
  counters   the machine's live counters, which change between any two
             calls: sysinfo's uptime, loads, free/shared/buffer memory and
             procs; statfs/fstatfs's free blocks and inodes.
  inodes     st_ino / stx_ino / d_ino: the directory is created anew for
             every run, so its files get new inode numbers.
"""
import re

SEP = re.compile(r'^(.*\))( +)=( .*|)$')
CALL = re.compile(r'^([a-z_][a-z0-9_]*)\(')
RESUMED = re.compile(r'^<\.\.\. ([a-z_][a-z0-9_]*) resumed>')
PID_RESULT = re.compile(r'^((?:getpid|getppid|gettid|getpgid|getpgrp|getsid|set_tid_address|'
                        r'fork|vfork|clone|clone3|wait4|waitid|setsid)\(.*\) = )[1-9]\d*$')
PID_ARGS = [re.compile(r) for r in (
    r'^(?:kill|tkill|tgkill|wait4|getpgid|getsid|setpgid|prlimit64|pidfd_open|'
    r'process_vm_readv|process_vm_writev|sched_[a-z]+|ioprio_[gs]et|get_robust_list)\((\d+)',
    r'^(?:tgkill|setpgid)\(\w+, (\d+)',
    r'^rt_sigreturn\(.*\) = (\d+)$',
    r'^waitid\([A-Z_]+, (\d+)',
    r'^futex\([^,]+, [^,]+, (\d+)',
    r'\b(?:si_pid|parent_tid|child_tid)=\[?(\d+)',
    r'/proc/(\d+)/')]
ADDR = re.compile(r'\b0x[0-9a-f]{9,}\b')
SMALL_HEX = re.compile(r'\b0x[0-9a-f]{5,8}\b')
MAPS = re.compile(r'\b[0-9a-f]{8,16}-[0-9a-f]{8,16}\b')
BRK = re.compile(r'^brk\((?:0x[0-9a-f]+)\)')
BRK_RES = re.compile(r'^(brk\(.*\) = )0x[0-9a-f]+$')
GETRANDOM = re.compile(r'^getrandom\("(?:[^"\\]|\\.)*"')
TEMPNAME = re.compile(r'(/TMP/w/tmp/[A-Za-z_.-]*?)[A-Za-z0-9]{6}(?=[."/]|$)')
TMP_OBJ = re.compile(r'\btmp_obj_[A-Za-z0-9]{6}')
GIT_T = re.compile(r'(/\.git/t)[A-Za-z0-9]{6}(?=")')
HTONS = re.compile(r'htons\((\d+)\)')
TV = re.compile(r'tv_sec=(\d+), tv_(n|u)sec=\d+')
ALL_TV = re.compile(r'tv_sec=\d+, tv_(n|u)sec=\d+')
ABS_TIMEOUT = re.compile(r'^(futex\(.*FUTEX_WAIT_BITSET|clock_nanosleep\(.*TIMER_ABSTIME|getrusage\(|times\()')
ST_TIME = re.compile(r'\b(st_[amc]time(?:_nsec)?)=[^,}]+')
LEFT = re.compile(r'left \{[^}]*\}')
DATE_COMMENT = re.compile(r'/\* \d{4}-\d\d-\d\dT[0-9:.]+[+-]\d{4} \*/')
SI_TIMES = re.compile(r'\b(si_[us]time)=\d+(?: /\* [^*]* \*/)?')
COUNTERS = re.compile(r'\b(uptime|freeram|sharedram|bufferram|freeswap|procs|freehigh|'
                      r'f_bfree|f_bavail|f_ffree)=\d+|\bloads=\[[^]]*\]')
COUNTER_CALLS = re.compile(r'^(sysinfo|statfs|fstatfs)\(')
INODE = re.compile(r'\b(st_ino|stx_ino|d_ino)=\d+')


class Context:
    """What one run's lines are normalised against."""

    def __init__(self, base, port, pids, heaps=()):
        self.base, self.port, self.pids = base, str(port) if port else None, pids
        self.heaps = heaps    # [(low, high)]: the span of each task's brk results

    def in_heap(self, value):
        return any(lo <= value <= hi for lo, hi in self.heaps)


BRK_VALUE = re.compile(r'^brk\(.*\)\s+= (0x[0-9a-f]+)$')


def heap_spans(tasks_lines):
    """[(low, high)] of the brk results of each task (lists of raw lines)."""
    spans = []
    for lines in tasks_lines:
        values = [int(m.group(1), 16) for m in map(BRK_VALUE.match, lines) if m]
        if values:
            spans.append((min(values), max(values)))
    return spans


def padded_well(call, spaces, prefix_len):
    return prefix_len + len(call) + spaces == max(40, prefix_len + len(call) + 1)


def collapse_padding(text, prefix_len):
    m = SEP.match(text)
    if not m:
        return text
    call, spaces, result = m.group(1), len(m.group(2)), m.group(3)
    mark = '' if padded_well(call, spaces, prefix_len) else ' <padding>'
    return call + ' =' + result + mark


def rule_pids(t, ctx):
    t = PID_RESULT.sub(r'\1PID', t)
    for pattern in PID_ARGS:
        t = pattern.sub(lambda m: replace_group(m, 'PID') if m.group(1) in ctx.pids else m.group(0), t)
    return t


def replace_group(m, text):
    """M's whole match with its group 1 replaced by TEXT."""
    start, end = m.start(1) - m.start(0), m.end(1) - m.start(0)
    return m.group(0)[:start] + text + m.group(0)[end:]


def rule_addresses(t, ctx):
    t = BRK.sub('brk(0xADDR)', t)
    t = BRK_RES.sub(r'\g<1>0xADDR', t)
    t = ADDR.sub('0xADDR', t)
    t = MAPS.sub('ADDR-ADDR', t)
    if ctx.heaps:
        t = SMALL_HEX.sub(lambda m: '0xADDR' if ctx.in_heap(int(m.group(0), 16)) else m.group(0), t)
    return t


def rule_basedir(t, ctx):
    return t.replace(ctx.base, '/TMP') if ctx.base else t


def rule_tempnames(t, ctx):
    t = TMP_OBJ.sub('tmp_obj_XXXXXX', TEMPNAME.sub(r'\1XXXXXX', t))
    return GIT_T.sub(r'\1XXXXXX', t)


def rule_random(t, ctx):
    return GETRANDOM.sub('getrandom("RANDOM"', t)


def rule_ports(t, ctx):
    t = HTONS.sub(lambda m: 'htons(PORT)' if int(m.group(1)) >= 1024 else m.group(0), t)
    if ctx.port:
        t = re.sub(r'(?<!\d)' + ctx.port + r'(?!\d)', 'PORT', t)
    return t


def rule_times(t, ctx):
    t = TV.sub(lambda m: m.group(0) if int(m.group(1)) < 100000
               else 'tv_sec=T, tv_%ssec=N' % m.group(2), t)
    if ABS_TIMEOUT.match(t):
        t = ALL_TV.sub(lambda m: 'tv_sec=T, tv_%ssec=N' % m.group(1), t)
    t = ST_TIME.sub(r'\1=T', t)
    t = LEFT.sub('left {T}', t)
    t = DATE_COMMENT.sub('/* DATE */', t)
    return SI_TIMES.sub(r'\1=N', t)


def rule_counters(t, ctx):
    if not COUNTER_CALLS.match(t):
        return t
    return COUNTERS.sub(lambda m: (m.group(1) or 'loads') + '=N', t)


def rule_inodes(t, ctx):
    return INODE.sub(r'\1=INO', t)


RULES = [rule_pids, rule_addresses, rule_basedir, rule_tempnames, rule_random, rule_ports,
         rule_times, rule_counters, rule_inodes]


class Line:
    """One line: its raw text (without prefix), normalised text and key."""
    __slots__ = ('raw', 'norm', 'key', 'name')

    def __init__(self, raw, norm):
        self.raw, self.norm = raw, norm
        self.key, self.name = line_key(norm)


def line_key(t):
    """(alignment key, call name or None): calls by name, a resumed call as
    NAME resumed, "--- SIGNAME" for signal lines, "+++" for exit lines."""
    m = CALL.match(t)
    if m:
        return m.group(1), m.group(1)
    m = RESUMED.match(t)
    if m:
        return m.group(1) + ' resumed', None
    if t.startswith('--- '):
        return '--- ' + t.split()[1], None
    if t.startswith('+++'):
        return '+++', None
    return '? ' + (t.split() or [''])[0], None


def normalise(raw, prefix_len, ctx):
    t = collapse_padding(raw, prefix_len)
    for rule in RULES:
        t = rule(t, ctx)
    return Line(raw, t)


RANDOM_OPEN = re.compile(r'^open(?:at)?\(.*"/dev/u?random".*\) = (\d+)$')
READ_FD = re.compile(r'^read\((\d+), "(?:[^"\\]|\\.)*"')
CLOSE_FD = re.compile(r'^close\((\d+)\)')


def normalise_task(lines, ctx):
    """normalise() over one task's (raw, prefix length) lines, and the one
    rule that needs state: reads of an fd open on /dev/urandom."""
    out, random_fds = [], set()
    for raw, plen in lines:
        line = normalise(raw, plen, ctx)
        m = RANDOM_OPEN.match(line.norm)
        if m:
            random_fds.add(m.group(1))
        m = READ_FD.match(line.norm)
        if m and m.group(1) in random_fds:
            line.norm = 'read(%s, "RANDOM"' % m.group(1) + line.norm[m.end():]
        m = CLOSE_FD.match(line.norm)
        if m:
            random_fds.discard(m.group(1))
        out.append(line)
    return out
