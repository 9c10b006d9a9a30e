"""The four command lines of the comparison, in one place.

Every run of the harness goes through these prefixes (the program's argv
is appended after them).  runsel's CLI is about to accept strace's own
spellings (`runsel -f -ff -o FILE -s 32 -- CMD`, `runsel -c -f -o FILE
-- CMD`); when it does, change RUNSEL_TRACE / RUNSEL_COUNT here, or set
STRACECMP_RUNSEL_TRACE / STRACECMP_RUNSEL_COUNT in the environment to try
a spelling without editing anything, e.g.

    STRACECMP_RUNSEL_TRACE='{runsel} -f -ff -o {prefix} -s 32 --'

The templates are split on blanks; {runsel}, {prefix} (trace: the log
files are {prefix}.PID, one per process or thread) and {file} (count: one
file) are filled in.  Both tracers must write PREFIX.PID files: strace -ff
does (one per thread), runsel's trace with log=PREFIX.%p does (one per
process, a thread's lines prefixed "[pid TID] ").
"""
import os

STRACE = '/usr/bin/strace'

STRACE_TRACE = STRACE + ' -f -ff -o {prefix} -s 32 --'
RUNSEL_TRACE = '{runsel} -w trace -o log={prefix}.%p --'
STRACE_COUNT = STRACE + ' -c -f -o {file} --'
RUNSEL_COUNT = '{runsel} -w count -o log={file} --'


def _expand(template, **fields):
    return [word.format(**fields) for word in template.split()]


def strace_trace(prefix):
    return _expand(os.environ.get('STRACECMP_STRACE_TRACE', STRACE_TRACE), prefix=prefix)


def _placed(argv, placement):
    """runsel's command with --placement=PLACEMENT after the program name
    (None: the default, in process)."""
    return argv[:1] + ['--placement=' + placement] + argv[1:] if placement else argv


def runsel_trace(runsel, prefix, placement=None):
    return _placed(_expand(os.environ.get('STRACECMP_RUNSEL_TRACE', RUNSEL_TRACE),
                           runsel=runsel, prefix=prefix), placement)


def strace_count(path):
    return _expand(os.environ.get('STRACECMP_STRACE_COUNT', STRACE_COUNT), file=path)


def runsel_count(runsel, path, placement=None):
    return _placed(_expand(os.environ.get('STRACECMP_RUNSEL_COUNT', RUNSEL_COUNT),
                           runsel=runsel, file=path), placement)
