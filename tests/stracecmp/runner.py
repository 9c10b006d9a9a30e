"""Running one corpus entry under each tracer, in a fresh directory.

Every run of every entry happens in the same path, BASE/w, removed and
created again before each run: the directory's name is then the same in
the runs compared (so buffers cut at 32 bytes cut at the same place), and
nothing a run leaves behind is seen by the next.  The logs are written
outside it (OUT/logs/ENTRY/), where the program cannot list them.

The environment is fixed and small (no user variables, no pyenv shims on
PATH): HOME and TMPDIR inside the directory, C locale, UTC, Python without
hash randomisation and without writing .pyc files, git without system or
global configuration and with fixed author, committer and dates (the same
commit hashes in every run).  PWD is set (to the directory): a shell
trusts it and stats it instead of calling getcwd, and a runsel that is a
shell script (tests/lib/common.sh's, for a backend) would set it anyway.
stdin is /dev/null; stdout and stderr go to files next to the logs.
"""
import os
import shutil
import socket
import subprocess
import sys
import time

import commands

FIXED_TIME = '@1700000000'
RUN_TIMEOUT = 60


def environment(work):
    return {
        'PATH': '/usr/sbin:/usr/bin:/sbin:/bin',
        'PWD': work,
        'HOME': os.path.join(work, 'home'),
        'TMPDIR': os.path.join(work, 'tmp'),
        'LANG': 'C', 'LC_ALL': 'C', 'TZ': 'UTC',
        'PYTHONHASHSEED': '0', 'PYTHONDONTWRITEBYTECODE': '1',
        'GIT_CONFIG_NOSYSTEM': '1', 'GIT_CONFIG_GLOBAL': '/dev/null',
        'GIT_AUTHOR_NAME': 'A U Thor', 'GIT_AUTHOR_EMAIL': 'author@example.org',
        'GIT_COMMITTER_NAME': 'C O Mitter', 'GIT_COMMITTER_EMAIL': 'committer@example.org',
        'GIT_AUTHOR_DATE': '1700000000 +0000', 'GIT_COMMITTER_DATE': '1700000000 +0000',
        'GIT_TERMINAL_PROMPT': '0',
    }


def fresh_dir(work, fixture, setup, env):
    """BASE/w again, with the fixture and the entry's setup, every file at one time."""
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    script = fixture + '\n' + setup + '\nfind . -exec touch -h -d ' + FIXED_TIME + ' {} +\n'
    subprocess.run(['sh', '-ec', script], cwd=work, env=env, check=True,
                   stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)


def run_traced(prefix_argv, argv, work, env, out_base):
    """One run: the tracer's prefix, then the program; returns its exit status."""
    with open(out_base + '.out', 'wb') as out, open(out_base + '.err', 'wb') as err:
        try:
            p = subprocess.run(prefix_argv + argv, cwd=work, env=env, stdin=subprocess.DEVNULL,
                               stdout=out, stderr=err, timeout=RUN_TIMEOUT)
            return p.returncode
        except subprocess.TimeoutExpired:
            return 'timeout'


# The runs of an entry: name -> (kind, how to build the prefix).  s1 and s2
# are two strace runs (the baseline), r is runsel's trace; sc and rc the
# two counts.  placement: runsel's (None: in process).
def variants(runsel, logdir, placement):
    return [
        ('s1', commands.strace_trace(os.path.join(logdir, 's1', 't'))),
        ('r', commands.runsel_trace(runsel, os.path.join(logdir, 'r', 't'), placement)),
        ('s2', commands.strace_trace(os.path.join(logdir, 's2', 't'))),
        ('sc', commands.strace_count(os.path.join(logdir, 'count.strace'))),
        ('rc', commands.runsel_count(runsel, os.path.join(logdir, 'count.runsel'), placement)),
    ]


def run_entry(entry, fixture, base, out, runsel, progs, port, placement=None):
    """Every variant of ENTRY; returns {variant: exit status}."""
    work = os.path.join(base, 'w')
    logdir = os.path.join(out, 'logs', entry.name)
    shutil.rmtree(logdir, ignore_errors=True)
    for d in ('s1', 's2', 'r'):
        os.makedirs(os.path.join(logdir, d))
    env = environment(work)
    argv = entry.command(port, progs)
    status = {}
    for name, prefix in variants(runsel, logdir, placement):
        fresh_dir(work, fixture, entry.setup, env)
        status[name] = run_traced(prefix, argv, work, env, os.path.join(logdir, name))
    return status


class HttpServer:
    """python3 -m http.server on 127.0.0.1, a free port, outside any trace."""

    def __init__(self, root):
        os.makedirs(root, exist_ok=True)
        with open(os.path.join(root, 'index.html'), 'w') as f:
            f.write('<html><body>stracecmp</body></html>\n')
        os.utime(os.path.join(root, 'index.html'), (1700000000, 1700000000))
        self.port = self._free_port()
        self.proc = subprocess.Popen(
            ['/usr/bin/python3', '-m', 'http.server', '--bind', '127.0.0.1', str(self.port)],
            cwd=root, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL)
        self._wait_ready()

    @staticmethod
    def _free_port():
        with socket.socket() as s:
            s.bind(('127.0.0.1', 0))
            return s.getsockname()[1]

    def _wait_ready(self):
        for _ in range(100):
            try:
                socket.create_connection(('127.0.0.1', self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.05)
        print('stracecmp: the HTTP server did not start', file=sys.stderr)

    def stop(self):
        self.proc.terminate()
        self.proc.wait()
