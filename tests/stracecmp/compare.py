"""Comparing two runs' paired tasks: the figures and the classes of difference.

Alignment, per pair of tasks, in three passes of difflib's SequenceMatcher
(no junk heuristic): first over the normalised lines themselves (the
longest runs of identical lines, as an LCS would find them); then, in
each gap between those runs, over (key, first argument), then over the
key alone (call name, "--- SIGNAME", "+++"): a line missing on one side
shifts nothing after it, and a differing line is compared with the same
call on the other side, on the same signal or fd where there is one.  Each
row of the alignment is then a pair of identical lines, a pair with the
same key, a pair with different keys (inside a replaced block, paired in
order), a line only in A (missing) or a line only in B (extra).

Figures:
  lines identical = rows whose two normalised lines are equal / all rows
  names equal     = the same over the sequence of call names alone (no
                    signal or exit lines): matched names / rows of that
                    alignment.
A task with no partner counts all its lines as missing (or extra).

Classes: every row that is not identical gets one, "NAME: TAG", NAME the
call (or the --- / +++ line) and TAG from the first place the two lines
differ (classify()): an argument or the result, and what kind of
difference it is.  Counts and a first example are kept per class.
"""
import difflib
import re


class Tally:
    def __init__(self):
        self.rows = self.identical = self.name_rows = self.names_equal = 0
        self.classes = {}   # class -> [count, example (a, b)]

    def add_class(self, cls, a, b):
        c = self.classes.setdefault(cls, [0, (a, b)])
        c[0] += 1

    def merge(self, other):
        self.rows += other.rows
        self.identical += other.identical
        self.name_rows += other.name_rows
        self.names_equal += other.names_equal
        for cls, (n, ex) in other.classes.items():
            c = self.classes.setdefault(cls, [0, ex])
            c[0] += n

    def figures(self):
        return {
            'rows': self.rows, 'identical': self.identical,
            'lines_identical_pct': pct(self.identical, self.rows),
            'name_rows': self.name_rows, 'names_equal': self.names_equal,
            'names_equal_pct': pct(self.names_equal, self.name_rows),
        }


def pct(n, d):
    return round(100.0 * n / d, 2) if d else 100.0


def compare_tasks(a, b, tally):
    """A and B: lists of normalise.Line (one may be empty)."""
    compare_names([l.name for l in a if l.name], [l.name for l in b if l.name], tally)
    align(a, b, 0, tally)


# The passes of the alignment, finest first: the whole normalised line,
# the call with its first argument (which signal, which fd), the call.
PASSES = [lambda l: l.norm, lambda l: (l.key, first_arg(l.norm)), lambda l: l.key]


def align(a, b, level, tally):
    m = difflib.SequenceMatcher(None, [PASSES[level](l) for l in a], [PASSES[level](l) for l in b],
                                autojunk=False)
    for op, i1, i2, j1, j2 in m.get_opcodes():
        if op == 'equal' and level == 0:
            tally.rows += i2 - i1
            tally.identical += i2 - i1
        elif op != 'equal' and level + 1 < len(PASSES) and i1 < i2 and j1 < j2:
            align(a[i1:i2], b[j1:j2], level + 1, tally)
        else:
            rows(a[i1:i2], b[j1:j2], tally)


def rows(a, b, tally):
    """Lines paired in order, the longer side's rest alone."""
    for k in range(max(len(a), len(b))):
        la = a[k] if k < len(a) else None
        lb = b[k] if k < len(b) else None
        tally.rows += 1
        if la and lb and la.norm == lb.norm:
            tally.identical += 1
        else:
            tally.add_class(classify(la, lb), la.norm if la else '', lb.norm if lb else '')


def first_arg(t):
    i = t.find('(')
    return t[i + 1:i + 1 + min((t.find(c, i) - i - 1 for c in ',)' if t.find(c, i) > i), default=0)]


def compare_names(na, nb, tally):
    m = difflib.SequenceMatcher(None, na, nb, autojunk=False)
    for op, i1, i2, j1, j2 in m.get_opcodes():
        n = max(i2 - i1, j2 - j1)
        tally.name_rows += n
        if op == 'equal':
            tally.names_equal += n


# ---- classes
def classify(a, b):
    if a is None:
        return label(b) + ': extra line'
    if b is None:
        return label(a) + ': missing line'
    if a.key != b.key:
        return 'line differs: %s / %s' % (label(a), label(b))
    if a.key.startswith(('---', '+++')):
        return label(a) + ': ' + text_tag(a.norm, b.norm)
    if '<unfinished' in a.norm + b.norm or a.key.endswith('resumed'):
        return label(a) + ': unfinished/resumed'
    return a.name + ': ' + call_tag(a.norm, b.norm)


def label(line):
    if line.key == '+++':
        return '+++ ' + ' '.join(line.norm.split()[1:3])   # "+++ exited with", "+++ killed by"
    return line.key


def text_tag(x, y):
    return 'struct differs' if '{' in x + y else 'text differs'


def call_tag(x, y):
    if x.endswith(' <padding>') != y.endswith(' <padding>'):
        return 'padding'
    ca, ra = split_call(x)
    cb, rb = split_call(y)
    if ca is None or cb is None:
        return 'unparsed line'
    if ra != rb and ra.split(' ', 1)[0] != rb.split(' ', 1)[0]:
        return result_tag(ra, rb)        # another outcome: the rest follows from it
    if len(ca) != len(cb):
        raw = all(HEX.match(q) or NUM.match(q) for q in cb)
        return 'call not decoded (raw arguments)' if raw else 'argument count differs'
    for p, q in zip(ca, cb):
        if p != q:
            return arg_tag(p, q)
    return result_tag(ra, rb)


def result_tag(p, q):
    if p.split(' ', 1)[0] == q.split(' ', 1)[0]:
        return 'result decoding differs'     # same value, different (...) after it
    if p.startswith(('-1', '?')) or q.startswith(('-1', '?')):
        return 'error differs'
    if '(' in p and '(' not in q:
        return 'result not decoded'
    return 'result differs'


HEX = re.compile(r'^0x[0-9a-fA-F]+$|^0xADDR$')
NUM = re.compile(r'^-?\d+$')
SYMBOLIC = re.compile(r'[A-Z][A-Z0-9_]{2,}')


COMMENT = re.compile(r'\s*/\*(.*?)\*/')


def arg_tag(p, q):
    """What kind of difference between two renderings of one argument."""
    vp, vq = COMMENT.sub('', p), COMMENT.sub('', q)
    if vp != vq:
        return value_tag(vp, vq)
    text = ' '.join(COMMENT.findall(p) + COMMENT.findall(q))
    return ('environment count differs' if 'vars' in text else
            'entry count comment differs' if 'entries' in text else 'comment differs')


def value_tag(p, q):
    if p.startswith(('{', '[')) and HEX.match(q):
        return 'struct not decoded' if p[0] == '{' else 'array not decoded'
    if p.startswith('{') and q.startswith('{'):
        return 'struct differs'
    if p.startswith('[') and q.startswith('['):
        return 'set/array differs'
    if p.startswith('"') and q.startswith('"'):
        return 'string differs'
    if p.startswith('"') or q.startswith('"'):
        return 'string not decoded'
    if SYMBOLIC.search(p) and (HEX.match(q) or NUM.match(q)):
        return 'constant not named'
    if SYMBOLIC.search(p) and SYMBOLIC.search(q):
        return 'flags differ'
    if '=>' in p or '=>' in q:
        return 'out value differs'
    if NUM.match(p) and NUM.match(q) or HEX.match(p) and HEX.match(q):
        return 'number differs'
    return 'argument differs'


def split_call(t):
    """(list of top-level arguments, result) of "name(args) = result"."""
    t = t[:-len(' <padding>')] if t.endswith(' <padding>') else t
    open_at = t.find('(')
    if open_at < 0:
        return None, None
    args, depth, quote, cur, i = [], 0, False, [], open_at + 1
    while i < len(t):
        c = t[i]
        if quote:
            cur.append(c)
            if c == '\\' and i + 1 < len(t):
                cur.append(t[i + 1])
                i += 1
            elif c == '"':
                quote = False
        elif c == '"':
            quote = True
            cur.append(c)
        elif c in '{[(':
            depth += 1
            cur.append(c)
        elif c in '}])':
            if depth == 0:        # the call's closing parenthesis
                args.append(''.join(cur).strip())
                rest = t[i + 1:]
                return [x for x in args if x != ''], rest.split(' = ', 1)[-1] if ' = ' in rest else rest
            depth -= 1
            cur.append(c)
        elif c == ',' and depth == 0:
            args.append(''.join(cur).strip())
            cur = []
        else:
            cur.append(c)
        i += 1
    return None, None
