"""A run's log files, as tasks (threads), and the pairing of two runs' tasks.

Files: strace -ff writes PREFIX.TID, one file per thread; runsel's trace
(log=PREFIX.%p) one file per process, where a line of a thread other than
the main one, and every line once the process has created a thread,
starts with "[pid TID] ".  A shared log (strace -f -o FILE, runsel without
%p) prefixes lines with "PID " or "[pid PID] ".  So both are read into
tasks the same way: a line's task is the TID of its prefix, else the pid
in its file's name.  The prefix is taken off the text (normalise.py) but
kept for the padding rule (strace pads counting the prefix).  A call's
"<unfinished ...>" line and its "<... NAME resumed>" line in the same task
are one line again (Task.add).

Pairing (pids differ between runs): by the process tree.  A task's
children are the results of its clone/clone3/fork/vfork calls, in the
order it made them.  The two roots (the task nobody created; if several,
the lowest pid) are paired, then the k-th child of a paired task with the
k-th child of its partner, down the tree.  Creation order is the program's
own (not the scheduler's), so it holds for threads and for processes that
run in parallel.  Tasks left over (a creation line missing on one side)
are paired afterwards by the similarity of their call-name sequences,
best first, above one half; the rest count as missing or extra.
"""
import difflib
import os
import re

PREFIX = re.compile(r'^(?:\[pid +(\d+)\] |(\d+) +(?=[a-z_<+-]))')
UNFINISHED = ' <unfinished ...>'
RESUMED = re.compile(r'^<\.\.\. [a-z_][a-z0-9_]* resumed>')
SEP = re.compile(r'^(.*\))( +)(= .*|=)$')


def repad(line, prefix_len):
    """strace's padding: the prefix and the call up to column 40, then " = "."""
    m = SEP.match(line)
    if not m:
        return line
    pad = max(0, 39 - prefix_len - len(m.group(1)))
    return m.group(1) + ' ' * (pad + 1) + m.group(3)


CREATOR = re.compile(r'^(?:<\.\.\. )?(clone3?|fork|vfork)\b.*\)\s+= (\d+)(?: |$)')


class Task:
    def __init__(self, tid):
        self.tid = tid
        self.lines = []      # (raw text without prefix, prefix length)
        self.children = []   # tids it created, in order

    def add(self, text, prefix_len):
        # A call another line interrupted: runsel's threads share their
        # process's file, so trace writes strace's "<unfinished ...>" /
        # "<... NAME resumed>" pair where strace -ff (a file per thread)
        # writes one line; joined, and padded as that one line would be.
        m = RESUMED.match(text)
        if m and self.lines and self.lines[-1][0].endswith(UNFINISHED):
            start, plen = self.lines.pop()
            text = repad(start[:-len(UNFINISHED)] + text[m.end():], plen)
            prefix_len = plen
        self.lines.append((text, prefix_len))
        m = CREATOR.match(text)
        if m and m.group(2) != '0':
            self.children.append(m.group(2))


def read_run(directory):
    """{tid: Task} of every PREFIX.PID file in DIRECTORY."""
    tasks = {}
    for f in sorted(os.listdir(directory)):
        pid = f.rsplit('.', 1)[-1]
        if not pid.isdigit():
            continue
        with open(os.path.join(directory, f), errors='replace') as fh:
            for line in fh:
                line = line.rstrip('\n')
                m = PREFIX.match(line)
                tid = (m.group(1) or m.group(2)) if m else pid
                plen = m.end() if m else 0
                tasks.setdefault(tid, Task(tid)).add(line[plen:], plen)
    return tasks


def roots(tasks):
    created = {c for t in tasks.values() for c in t.children}
    return sorted((t for t in tasks if t not in created), key=int)


def pair_runs(a, b, names):
    """[(tid_a or None, tid_b or None)]: every task of A and B, paired.

    NAMES(task) gives a task's call-name sequence (for the leftovers)."""
    pairs, used_a, used_b = [], set(), set()

    def walk(ta, tb):
        if ta in used_a or tb in used_b or ta not in a or tb not in b:
            return
        used_a.add(ta), used_b.add(tb)
        pairs.append((ta, tb))
        for ca, cb in zip(a[ta].children, b[tb].children):
            walk(ca, cb)

    ra, rb = roots(a), roots(b)
    if ra and rb:
        walk(ra[0], rb[0])
    pair_leftovers(a, b, used_a, used_b, pairs, names)
    pairs += [(t, None) for t in sorted(a, key=int) if t not in used_a]
    pairs += [(None, t) for t in sorted(b, key=int) if t not in used_b]
    return pairs


def pair_leftovers(a, b, used_a, used_b, pairs, names):
    candidates = []
    for ta in a:
        if ta in used_a:
            continue
        for tb in b:
            if tb in used_b:
                continue
            m = difflib.SequenceMatcher(None, names(a[ta]), names(b[tb]), autojunk=False)
            if m.real_quick_ratio() > 0.5 and m.quick_ratio() > 0.5:
                r = m.ratio()
                if r > 0.5:
                    candidates.append((-r, int(ta), int(tb), ta, tb))
    for _, _, _, ta, tb in sorted(candidates):
        if ta not in used_a and tb not in used_b:
            used_a.add(ta), used_b.add(tb)
            pairs.append((ta, tb))
