"""count against strace -c -f: the calls and errors columns per system call.

A log may hold one table (strace -c -f; runsel's count once it
aggregates) or several (runsel's count today: one per process, written at
its exit): every table found is added up, so the comparison works before
and after count is rewritten.  A table row is

    % time     seconds  usecs/call     calls    errors syscall
     67.47    0.010313        3437         3         1 wait4

with the errors column blank when zero; the "total" row, the header and
the dashed lines are skipped.  Only calls and errors are compared: times
are never the same twice.
"""
import collections

Row = collections.namedtuple('Row', 'calls errors')


def parse_tables(path):
    """({syscall: Row} summed over every table, number of tables)."""
    calls, errors, tables = collections.Counter(), collections.Counter(), 0
    try:
        text = open(path, errors='replace').read()
    except OSError:
        return {}, 0
    for line in text.splitlines():
        if line.startswith('% time'):
            tables += 1
            continue
        f = line.split()
        if len(f) not in (5, 6) or f[-1] == 'total' or not f[3 if len(f) == 6 else 3].isdigit():
            continue
        try:
            float(f[0]), float(f[1])
        except ValueError:
            continue
        calls[f[-1]] += int(f[3])
        errors[f[-1]] += int(f[4]) if len(f) == 6 else 0
    return {n: Row(calls[n], errors[n]) for n in calls}, tables


def counts_of_trace(tasks_lines):
    """{name: calls} from a trace run's lines (to tell whether two strace
    runs agree on the totals, i.e. whether the program is deterministic)."""
    c = collections.Counter()
    for lines in tasks_lines:
        for l in lines:
            if l.name:
                c[l.name] += 1
    return c


def mismatches(strace, runsel):
    """[(syscall, strace Row or None, runsel Row or None)] where they differ."""
    out = []
    for name in sorted(set(strace) | set(runsel)):
        a, b = strace.get(name), runsel.get(name)
        if a != b:
            out.append((name, a, b))
    return out
