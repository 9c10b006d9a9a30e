#!/usr/bin/python3
"""stracecmp — runsel's trace and count against strace 6.1 on real programs.

    stracecmp.py run BUILD [--runsel PATH] [--only NAME,...] [--reuse]
                           [--placement process]
        run the corpus (corpus.py) under strace twice, runsel's trace,
        strace -c -f and runsel's count; write BUILD/stracecmp/report.txt
        and report.json, print the report.  --runsel: the runsel to run
        (default BUILD/bin/runsel; tests pass theirs, which may choose a
        backend).  --reuse: analyse the logs of the last run again
        without running anything.  --placement process: runsel's wrappers
        in their own process (runsel --placement=process), the report in
        BUILD/stracecmp-process/.
    stracecmp.py floor REPORT.json FLOOR KEY   figure KEY at or above its floor?
                                               (KEY process_*: a process report's)
    stracecmp.py classes REPORT.json CLASSES...  every difference class named
                                               (in one of the files)?
    stracecmp.py count REPORT.json COUNT       count's totals equal strace's where
                                               COUNT says they must (the rest printed)
    stracecmp.py selftest                      the harness's own rules, on known input

How processes are paired: tasks.py; what is normalised and why:
normalise.py; how lines are aligned, counted and classified: compare.py;
count's tables: counts.py; the command lines: commands.py (one place).
"""
import fnmatch
import json
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True    # no __pycache__ in the source tree

import compare     # noqa: E402
import corpus      # noqa: E402
import counts      # noqa: E402
import normalise   # noqa: E402
import runner      # noqa: E402
import tasks       # noqa: E402

TOP_CLASSES = 30
TOP_BASELINE = 12


# ---- one run's logs, normalised
def load_run(directory, base, port):
    ts = tasks.read_run(directory)
    pids = set(ts) | {c for t in ts.values() for c in t.children}
    heaps = normalise.heap_spans([raw for raw, _ in t.lines] for t in ts.values())
    ctx = normalise.Context(base, port, pids, heaps)
    return ts, {tid: normalise.normalise_task(t.lines, ctx) for tid, t in ts.items()}


def compare_runs(a, b):
    """Tally of run B against run A (each: (tasks, lines per task)); and the pairing."""
    (ta, la), (tb, lb) = a, b
    names_a = {t: [l.name for l in la[t] if l.name] for t in la}
    names_b = {t: [l.name for l in lb[t] if l.name] for t in lb}
    pairs = tasks.pair_runs(ta, tb, lambda task: names_a.get(task.tid) or names_b.get(task.tid, []))
    tally = compare.Tally()
    for x, y in pairs:
        compare.compare_tasks(la[x] if x else [], lb[y] if y else [], tally)
    return tally, pairs


def analyse_entry(entry, logdir, base, port, status):
    s1 = load_run(os.path.join(logdir, 's1'), base, port)
    s2 = load_run(os.path.join(logdir, 's2'), base, port)
    r = load_run(os.path.join(logdir, 'r'), base, port)
    vs, pairs = compare_runs(s1, r)
    baseline, _ = compare_runs(s1, s2)
    sc, sc_tables = counts.parse_tables(os.path.join(logdir, 'count.strace'))
    rc, rc_tables = counts.parse_tables(os.path.join(logdir, 'count.runsel'))
    det = entry.count and counts.counts_of_trace(s1[1].values()) == counts.counts_of_trace(s2[1].values())
    return {
        'name': entry.name,
        'tasks_strace': len(s1[0]), 'tasks_runsel': len(r[0]),
        'paired': sum(1 for x, y in pairs if x and y),
        'status': status,
        'vs': vs, 'baseline': baseline,
        'count': {
            'deterministic': det, 'tables_strace': sc_tables, 'tables_runsel': rc_tables,
            'calls_strace': sum(x.calls for x in sc.values()),
            'calls_runsel': sum(x.calls for x in rc.values()),
            'mismatches': [[n, list(a) if a else None, list(b) if b else None]
                           for n, a, b in counts.mismatches(sc, rc)],
        },
    }


# ---- running
def run_corpus(build, runsel, out, only, reuse, placement=None):
    progs = os.path.join(build, 'tests', 'stracecmp')
    entries = [e for e in corpus.CORPUS if not only or e.name in only]
    meta_path = os.path.join(out, 'logs', 'meta.json')
    if reuse:
        meta = json.load(open(meta_path))
    else:
        meta = {'base': tempfile.mkdtemp(prefix='stracecmp.', dir='/tmp'), 'status': {}}
        server = None
        try:
            if any(e.server for e in entries):
                server = runner.HttpServer(os.path.join(meta['base'], 'srv'))
                meta['port'] = server.port
            for e in entries:
                meta['status'][e.name] = runner.run_entry(e, corpus.FIXTURE, meta['base'], out,
                                                          runsel, progs, meta.get('port'),
                                                          placement)
        finally:
            if server:
                server.stop()
            runner.shutil.rmtree(meta['base'], ignore_errors=True)
        os.makedirs(os.path.dirname(meta_path), exist_ok=True)
        json.dump(meta, open(meta_path, 'w'))
    return [analyse_entry(e, os.path.join(out, 'logs', e.name), meta['base'], meta.get('port'),
                          meta['status'].get(e.name, {}))
            for e in entries if e.name in meta['status']]


# ---- the report
def totals(results, key):
    t = compare.Tally()
    for r in results:
        t.merge(r[key])
    return t


def class_list(results, key):
    """Every class of RESULTS' KEY tallies, most frequent first, with an
    example pair and the programs it comes from."""
    tally, where = totals(results, key), {}
    for r in results:
        for c, (n, _) in r[key].classes.items():
            where.setdefault(c, {})[r['name']] = n
    return [{'class': c, 'count': n, 'strace': ex[0], 'runsel': ex[1], 'programs': where[c]}
            for c, (n, ex) in sorted(tally.classes.items(), key=lambda kv: (-kv[1][0], kv[0]))]


def report_json(results, placement):
    vs, base = totals(results, 'vs'), totals(results, 'baseline')
    return {
        'placement': placement or 'inprocess',
        'programs_count': len(results),
        'overall': vs.figures(), 'baseline': base.figures(),
        'programs': [dict(name=r['name'], tasks_strace=r['tasks_strace'],
                          tasks_runsel=r['tasks_runsel'], paired=r['paired'], status=r['status'],
                          vs=r['vs'].figures(), baseline=r['baseline'].figures(),
                          count=r['count']) for r in results],
        'classes': class_list(results, 'vs'), 'baseline_classes': class_list(results, 'baseline'),
    }


def cut(s, n=150):
    return s if len(s) <= n else s[:n - 3] + '...'


def report_text(j):
    o, b = j['overall'], j['baseline']
    out = ['runsel trace (placement=%s) vs strace 6.1 (strace -f -ff -s 32), %d programs' % (
               j.get('placement', 'inprocess'), j['programs_count']), '',
           '%-16s %7s %6s %7s %7s | %7s %7s  %s' % ('program', 'tasks', 'lines', 'ident%', 'names%',
                                                   'base-id', 'base-nm', 'exit s/r')]
    for p in j['programs']:
        st = p['status']
        out.append('%-16s %3d/%-3d %6d %7.2f %7.2f | %7.2f %7.2f  %s/%s' % (
            p['name'], p['tasks_strace'], p['tasks_runsel'], p['vs']['rows'],
            p['vs']['lines_identical_pct'], p['vs']['names_equal_pct'],
            p['baseline']['lines_identical_pct'], p['baseline']['names_equal_pct'],
            st.get('s1'), st.get('r')))
    out += ['', 'OVERALL  lines identical %.2f %% (%d of %d rows)   names equal %.2f %% (%d of %d)' % (
                o['lines_identical_pct'], o['identical'], o['rows'],
                o['names_equal_pct'], o['names_equal'], o['name_rows']),
            'BASELINE strace vs strace: lines identical %.2f %%   names equal %.2f %%' % (
                b['lines_identical_pct'], b['names_equal_pct']),
            '', 'Top difference classes (of %d; all in report.json):' % len(j['classes'])]
    for c in j['classes'][:TOP_CLASSES]:
        out += ['%6d  %s' % (c['count'], c['class']),
                '          strace: ' + cut(c['strace']), '          runsel: ' + cut(c['runsel'])]
    out += ['', 'Baseline classes (strace against itself: what is not deterministic), top %d of %d:'
            % (TOP_BASELINE, len(j['baseline_classes']))]
    for c in j['baseline_classes'][:TOP_BASELINE]:
        out += ['%6d  %s' % (c['count'], c['class']),
                '          run 1: ' + cut(c['strace']), '          run 2: ' + cut(c['runsel'])]
    out += ['', 'count vs strace -c -f (calls/errors per syscall; tables: strace/runsel):']
    for p in j['programs']:
        c = p['count']
        mism = ', '.join('%s %s/%s' % (n, fmt_row(a), fmt_row(b)) for n, a, b in c['mismatches'])
        out.append('%-16s %s tables %d/%d calls %d/%d  %s' % (
            p['name'], 'det  ' if c['deterministic'] else 'nondet', c['tables_strace'],
            c['tables_runsel'], c['calls_strace'], c['calls_runsel'], mism or 'equal'))
    return '\n'.join(out) + '\n'


def fmt_row(r):
    return '-' if r is None else '%d%s' % (r[0], '(%de)' % r[1] if r[1] else '')


# ---- checks for tests/t_stracecmp.sh
def read_pairs(path, sep=None):
    out = {}
    for line in open(path):
        line = line.strip()
        if not line or line.startswith('#'):
            continue
        if sep:
            k, _, v = line.partition(sep)
        else:
            k, _, v = line.partition(' ')
        out[k.strip()] = v.strip()
    return out


def check_floor(j, floor_path, key):
    """FLOOR: "KEY PERCENT" lines; KEY is a figure of report.json's
    overall (lines_identical_pct, names_equal_pct) or, prefixed
    "baseline_", of its baseline."""
    floors = read_pairs(floor_path)
    figure = key[8:] if key.startswith('process_') else key
    where, figure = ((j['baseline'], figure[9:]) if figure.startswith('baseline_')
                     else (j['overall'], figure))
    got, minimum = where[figure], float(floors[key])
    print('  %s: %.2f %% (floor %.2f %%)' % (key, got, minimum))
    return got >= minimum


def named_by(cls, named):
    """The entry of NAMED (exact, or a pattern with *) that names CLS."""
    if cls in named:
        return cls
    return next((n for n in named if '*' in n and fnmatch.fnmatchcase(cls, n)), None)


def check_classes(j, classes_paths):
    """CLASSES: "CLASS -> reason" lines; a CLASS with * names every class
    it matches (for the calls whose lines vary with thread scheduling).
    A class may be named in any of the files."""
    named = {}
    for path in classes_paths:
        named.update(read_pairs(path, sep='->'))
    unnamed = [c for c in j['classes'] if not named_by(c['class'], named)]
    for c in unnamed:
        print('  unnamed class: %s (%d, in %s)\n    strace: %s\n    runsel: %s' % (
            c['class'], c['count'], ', '.join(sorted(c['programs'])), cut(c['strace']),
            cut(c['runsel'])))
    seen = {named_by(c['class'], named) for c in j['classes']}
    gone = [c for c in named if c not in seen]
    if gone:
        print('  (named but not seen in this run: %d, e.g. %s)' % (len(gone), gone[0]))
    return not unnamed


def check_count(j, count_path):
    """COUNT: "ignore SYSCALL -> reason" lines (calls whose totals may
    differ today), "equal PROGRAM..." lines (programs whose other totals
    must be strace -c -f's) and "equal-process PROGRAM..." lines (the same,
    in a report of placement=process only).  Fails when such a program
    differs, or is not deterministic, or is missing; prints every other
    mismatch."""
    ignore, equal = set(), set()
    process = j.get('placement') == 'process'
    for line in open(count_path):
        f = line.split('#', 1)[0].split()
        if len(f) >= 2 and f[0] == 'ignore':
            ignore.add(f[1])
        elif f and (f[0] == 'equal' or (f[0] == 'equal-process' and process)):
            equal.update(f[1:])
    progs = {p['name']: p for p in j['programs']}
    bad = False
    for name in sorted(equal - set(progs)):
        print('  %s: not in this run' % name)
        bad = True
    for name, p in progs.items():
        c = p['count']
        left = [m for m in c['mismatches'] if m[0] not in ignore]
        if name in equal and (left or not c['deterministic']):
            bad = True
            print('  %s: must equal strace -c -f: %s' % (
                name, ', '.join('%s %s/%s' % (n, fmt_row(a), fmt_row(b)) for n, a, b in left)
                or 'not deterministic'))
        elif name not in equal and left:
            print('  (%s%s: %s)' % (name, '' if c['deterministic'] else ', not deterministic',
                                    ', '.join('%s %s/%s' % (n, fmt_row(a), fmt_row(b))
                                              for n, a, b in left)))
    return not bad


def main(argv):
    if len(argv) >= 2 and argv[0] == 'run':
        build = os.path.abspath(argv[1])
        only = None
        if '--only' in argv:
            only = set(argv[argv.index('--only') + 1].split(','))
        runsel = os.path.join(build, 'bin', 'runsel')
        if '--runsel' in argv:
            runsel = os.path.abspath(argv[argv.index('--runsel') + 1])
        placement = None
        if '--placement' in argv:
            placement = argv[argv.index('--placement') + 1]
            if placement == 'inprocess':
                placement = None
        out = os.path.join(build, 'stracecmp' + ('-' + placement if placement else ''))
        results = run_corpus(build, runsel, out, only, '--reuse' in argv, placement)
        j = report_json(results, placement)
        text = report_text(j)
        with open(os.path.join(out, 'report.json'), 'w') as f:
            json.dump(j, f, indent=1)
        with open(os.path.join(out, 'report.txt'), 'w') as f:
            f.write(text)
        sys.stdout.write(text)
        return 0
    if len(argv) == 4 and argv[0] == 'floor':
        return 0 if check_floor(json.load(open(argv[1])), argv[2], argv[3]) else 1
    if len(argv) >= 3 and argv[0] == 'classes':
        return 0 if check_classes(json.load(open(argv[1])), argv[2:]) else 1
    if len(argv) == 3 and argv[0] == 'count':
        return 0 if check_count(json.load(open(argv[1])), argv[2]) else 1
    if argv == ['selftest']:
        import selftest
        return selftest.main()
    sys.stderr.write(__doc__)
    return 2


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
