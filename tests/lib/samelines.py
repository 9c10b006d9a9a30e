#!/usr/bin/env python3
"""samelines.py STRACE_LOG TRACE_LOG CALL... — the lines of the named calls
(every call when none is named) in both logs, after normalisation, must be
the same, in the same order.  For the decoder tests (tests/t_trace_*.sh):
a test program makes known calls, runs under `strace -qq -o S` and
`runsel -w trace -o log=T`, and this says which lines differ.

Normalised, and nothing else: pointer values (0x followed by 8+ hex digits:
stacks, heap, mappings differ between runs under ASLR) become ADDR; the
prefix "[pid N] " / "N " goes; "+++ ... +++" lines go; trailing spaces before
" = " are one space; time stamps (-t -tt -ttt -r) become T and their
length, -T's <0.000123> becomes <T>.  With SAMELINES_NAMES=1 only the
call names are compared (the filters' tests: which calls are printed).  Exit 0 when equal; else the differing pairs on stdout."""
import os, re, sys

ADDR = re.compile(r'0x[0-9a-f]{8,}')
# -t -tt -ttt -r stamps before the call, -T's time after it: clocks differ
STAMP = re.compile(r'^(\d\d:\d\d:\d\d(\.\d{6})?|\d{9,}\.\d{6}| *\d+\.\d{6}) ')
SPENT = re.compile(r' <\d+\.\d{6}>$')
PFX = re.compile(r'^(\[pid +\d+\] |\d+ +)')
CALL = re.compile(r'^(<\.\.\. )?([a-z_0-9]+)[( ]')

NAMES_ONLY = os.environ.get('SAMELINES_NAMES') == '1'   # the filters' tests: which calls

def lines(path, names):
    out = []
    for l in open(path, errors='replace'):
        l = PFX.sub('', l.rstrip('\n'))
        m = STAMP.match(l)
        stamp = ''
        if m:
            stamp = ' [T%d]' % len(m.group(1).strip())
            l = l[m.end():]
        l = SPENT.sub(' <T>', l) + stamp
        if l.startswith(('+++', '---')):
            continue
        m = CALL.match(l)
        if not m or (names and m.group(2) not in names):
            continue
        if NAMES_ONLY:
            out.append(m.group(2) + stamp)
            continue
        l = ADDR.sub('ADDR', l)
        l = re.sub(r'\) +=( |$)', r') =\1', l)
        out.append(l)
    return out

def main():
    s, t, names = sys.argv[1], sys.argv[2], set(sys.argv[3:])
    a, b = lines(s, names), lines(t, names)
    bad = 0
    for i in range(max(len(a), len(b))):
        x = a[i] if i < len(a) else '(none)'
        y = b[i] if i < len(b) else '(none)'
        if x != y:
            bad += 1
            if bad <= 20:
                print('strace: %s\ntrace:  %s' % (x, y))
    if not a:
        print('no line of %s in the strace log' % ' '.join(sorted(names)))
        return 1
    return 1 if bad else 0

sys.exit(main())
