"""The programs of the comparison: real programs as a user runs them.

Each entry is run in a fresh directory (runner.py): the common fixture
below is created first, then the entry's own setup (shell, not traced),
then every file gets the same fixed time, so that listings, archives and
stat results are the same in every run.  The command is an argv; "{port}"
in it becomes the port of the HTTP server the harness starts (outside the
traced command) for the entries that set server=True, and "{progs}" the
directory of the small C programs built by tests/stracecmp.mk.

count=False marks a program whose per-call totals are not expected to be
the same run to run (count's comparison skips it; the harness also skips
any program whose two strace runs do not agree on the totals).
"""
PY = '/usr/bin/python3'

# Files every entry finds in its directory (data/ and hello.c).
FIXTURE = r'''
mkdir -p data/sub home tmp
printf 'line one\nline two\nthird line\n' > data/a.txt
printf 'alpha\nbeta\ngamma\n' > data/b.txt
printf 'nested\n' > data/sub/c.txt
for w in pear apple fig apple kiwi pear apple plum; do echo $w; done > data/words
ln -s a.txt data/link
printf '#include <stdio.h>\nint main(void) { puts("hello"); return 0; }\n' > hello.c
'''


class Entry:
    def __init__(self, name, argv, setup='', server=False, count=True):
        self.name, self.argv, self.setup = name, argv, setup
        self.server, self.count = server, count

    def command(self, port, progs):
        return [a.replace('{port}', str(port)).replace('{progs}', progs) for a in self.argv]


def sh(script):
    return ['sh', '-c', script]


CORPUS = [
    # coreutils
    Entry('ls-la', ['ls', '-la', 'data']),
    Entry('ls-many', ['ls', '-la', 'many'],
          setup='mkdir many && for i in $(seq 1 60); do echo $i > many/f$i; done'),
    Entry('cat', ['cat', 'data/a.txt', 'data/b.txt']),
    Entry('cp-r', ['cp', '-r', 'data', 'copy']),
    Entry('sort', ['sort', '-r', 'data/words']),
    Entry('wc', ['wc', 'data/a.txt', 'data/b.txt', 'data/words']),
    Entry('stat', ['stat', 'data/a.txt', 'data/link']),
    Entry('find', ['find', 'data', '-name', '*.txt']),
    Entry('du', ['du', '-a', 'data']),
    Entry('id', ['id']),
    Entry('dd', ['dd', 'if=/dev/zero', 'of=zero', 'bs=4096', 'count=4', 'status=none']),
    Entry('grep-r', ['grep', '-rn', 'line', 'data']),
    Entry('date', ['date', '-u', '-d', '@0']),
    Entry('file-ops', sh('mkdir -p x/y && ln -s ../data/a.txt x/l && readlink x/l && '
                         'mv x/y x/z && chmod 600 data/b.txt && rm -r x')),
    # shells and pipelines
    Entry('sh-pipeline', sh('cat data/words | sort | uniq -c | sort -rn | head -n 3')),
    Entry('bash-builtins', ['bash', '-c',
                            'x=1; for i in 1 2 3; do x=$((x * 2)); done; echo $x; '
                            '(cd data && pwd); y=$(echo sub); [ -d data ] && printf "%s\\n" "$y"; '
                            'read -r l < data/a.txt; echo "$l"; type cd >/dev/null']),
    Entry('seq-tail', sh('seq 1 1000 | tail -n 3 | head -n 1')),
    Entry('xargs', sh('ls data | xargs -n 2 echo')),
    Entry('make', ['make', '-s', '-f', 'mk'],
          setup="printf 'all: b\\n\\t@cat b\\nb: data/a.txt\\n\\tcp data/a.txt b\\n' > mk"),
    # sleeping and timers
    Entry('sleep', ['sleep', '0.05']),
    Entry('timeout', ['timeout', '5', 'sh', '-c', 'sleep 0.05']),
    # interpreters
    Entry('python', [PY, '-c', 'import json, os\n'
                     'open("j.json", "w").write(json.dumps({"a": [1, 2]}))\n'
                     'print(sorted(os.listdir(".")))']),
    Entry('python-threads', [PY, '-c', 'import threading\n'
                             'for i in range(3):\n'
                             '    t = threading.Thread(target=print, args=(i,))\n'
                             '    t.start(); t.join()']),
    Entry('perl', ['perl', '-e', 'open(my $f, "<", "data/a.txt") or die; my @l = <$f>; close $f; '
                   'opendir(my $d, "data") or die; my @e = sort readdir($d); '
                   'print scalar(@l), " @e\\n"']),
    # toolchain
    Entry('gcc-c', ['gcc', '-c', 'hello.c', '-o', 'hello.o']),
    Entry('gcc-link', ['gcc', '-o', 'hello', 'hello.o'], setup='gcc -c hello.c -o hello.o'),
    # git in a fresh repository (HOME and GIT_* from runner.py)
    Entry('git-init', ['git', 'init', '-q', 'repo']),
    Entry('git-commit', sh('cd repo && git add a.txt && git commit -q -m first && git status --short'),
          setup='git init -q repo && cp data/a.txt repo/'),
    # archives
    Entry('tar-c', ['tar', 'cf', 'a.tar', 'data']),
    Entry('tar-x', ['tar', 'xf', 'a.tar', '-C', 'out'], setup='tar cf a.tar data && mkdir out'),
    Entry('tar-xz', sh('tar cf - data | xz -1 -T1 > a.tar.xz')),
    # network client, database, static binary
    Entry('curl', ['curl', '-s', '-o', 'page', 'http://127.0.0.1:{port}/index.html'], server=True),
    Entry('sqlite3', ['sqlite3', 'db', 'create table t(a, b); insert into t values (1, "x"), (2, "y"); '
                      'select * from t order by a;']),
    Entry('busybox-static', ['busybox', 'ls', '-la', 'data']),
    # small C programs of tests/stracecmp (threads, signals, sockets)
    Entry('threads', ['{progs}/threads']),
    Entry('signals', ['{progs}/signals']),
    Entry('sockets', ['{progs}/sockets']),
]
