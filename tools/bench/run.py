#!/usr/bin/env python3
"""tools/bench/run.py BUILD [--quick|--smoke] [--only=calls,exec,...] [--out=DIR] — runsel against native and against the
tools users would pick instead, in one run, as ratios to native measured in
the same run.  Never fails on a slow number.

Sections (each figure: the median of interleaved repetitions after a warm-up;
min and max are printed so a noisy run shows):
  calls     per-call cost of getppid, openat+close, a 4 KiB pipe read and a
            4 KiB write to /dev/null: native; runsel+null on each backend
            present (SUD with the rewriting fast path, the default, and
            with --no-fastpath, a SIGSYS per call; kmod only where the
            module is loaded, e.g. in make vmbench's guest); a call
            runsel's wrapper does not handle (the same two ways); strace -f
            (ptrace); strace --seccomp-bpf; and reference points written
            here (tools/bench/mech.c): a seccomp RET_TRAP handler, a seccomp
            user-notification supervisor, a bare SUD handler, and the SUD
            floor (SUD armed, calls made from inside the exempt range: what
            any SUD-armed rewriting tool pays)
  exec      exec+exit of static and dynamic `true` (tools/bench-exec),
            selected with and without the fast path
  scaling   intercepted getppid with 1, 2, 8, 64 threads, with and without
            the fast path (per-call cost also relative to the same
            mechanism's one-thread figure); a wrapper taking 1, 10 or all
            calls
  workloads gcc on a 2,000-line file, tar | xz -T2, python3 start-up with
            json+subprocess, git status in a 5,000-file repository:
            native, runsel count with and without the fast path (for the
            fast path also: the share of calls that took it, from
            RUNSEL_FASTPATH_STATS's traps and count's totals, and the
            private memory the patching cost), strace -f -c
Output: a table on stdout, BUILD/bench/results.json (with machine info) and
SVG plots in BUILD/bench/ (gnuplot): calls, exec, workloads, scaling.
"""
import argparse
import datetime
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
import types

# Sizes per mode: full (make bench, < 10 min on 2 cores), quick (make
# bench-quick, < 1 min), smoke (tests/t_bench.sh: does it run, is the
# output well-formed).
SIZES = {
    "full":  dict(calls_n=100000, calls_rounds=5, exec_rounds=20, exec_reps=20, scale_n=20000,
                  scale_rounds=3, threads=[1, 2, 8, 64], work_rounds=3, repo_files=5000,
                  tar_input="/usr/include", warmup=1),
    "quick": dict(calls_n=20000, calls_rounds=2, exec_rounds=6, exec_reps=5, scale_n=5000,
                  scale_rounds=1, threads=[1, 2, 8], work_rounds=1, repo_files=1000,
                  tar_input="/usr/include/linux", warmup=1),
    "smoke": dict(calls_n=2000, calls_rounds=1, exec_rounds=2, exec_reps=2, scale_n=1000,
                  scale_rounds=1, threads=[1, 2], work_rounds=1, repo_files=100,
                  tar_input="/usr/include/linux/netfilter", warmup=0),
}
SECTIONS = ["calls", "exec", "scaling", "workloads"]
WORKLOADS = ["getppid", "openat", "pipe-read", "devnull-write"]
# the system calls each workload makes (strace -e, and what "not handled" avoids)
CALLS = {"getppid": "getppid", "openat": "openat,close", "pipe-read": "read",
         "devnull-write": "write"}


def log(*a):
    print(*a, flush=True)


TIMEOUT = 600       # one command; a hung mechanism must not hang the bench


def parse_args(argv=None):
    """The run's settings (cfg, passed to everything below) from the
    command line: the one documented at the top, plus --verbose (each
    command with its time and status on stderr)."""
    ap = argparse.ArgumentParser(prog="tools/bench/run.py", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 allow_abbrev=False)
    ap.add_argument("build", nargs="?", default="build", metavar="BUILD",
                    help="the build tree (default: build)")
    ap.add_argument("--quick", action="store_true", help="make bench-quick's sizes (< 1 min)")
    ap.add_argument("--smoke", action="store_true",
                    help="tests/t_bench.sh's sizes: does it run (wins over --quick)")
    # append, the first one counts: as when these were read from sys.argv by hand
    ap.add_argument("--only", action="append", metavar="SECTION,...",
                    help="run only these sections (%s)" % ",".join(SECTIONS))
    ap.add_argument("--out", action="append", metavar="DIR",
                    help="results and plots (default: BUILD/bench)")
    ap.add_argument("--verbose", action="store_true")
    a = ap.parse_args(argv)
    mode = "smoke" if a.smoke else "quick" if a.quick else "full"
    b = os.path.abspath(a.build)
    return types.SimpleNamespace(
        mode=mode,
        p=SIZES[mode],
        only=a.only[0].split(",") if a.only else SECTIONS,
        build=b,
        out=os.path.abspath(a.out[0]) if a.out else os.path.join(b, "bench"),
        mech=os.path.join(b, "bench", "mech"),
        runsel=os.path.join(b, "bin", "runsel"),
        kmod=os.path.exists("/dev/selredir"),
        verbose=a.verbose)


def run(cfg, cmd, **kw):
    t0 = time.monotonic()
    try:
        r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           text=True, timeout=TIMEOUT, **kw)
    except subprocess.TimeoutExpired:
        r = subprocess.CompletedProcess(cmd, 124, "", "timed out after %d s" % TIMEOUT)
    if cfg.verbose:
        print("[%.2fs rc=%d] %s" % (time.monotonic() - t0, r.returncode, " ".join(cmd)),
              file=sys.stderr, flush=True)
    return r


def summary(vals):
    vals = sorted(vals)
    return {"median": statistics.median(vals), "min": vals[0], "max": vals[-1],
            "n": len(vals)}


# ---------------------------------------------------------------- calls

def call_rows(cfg):
    """(row name, command prefix, mechanism for mech, ops divisor) — slow
    mechanisms run fewer operations so every row takes comparable time.
    Mechanisms that involve a second process (a tracer, a supervisor) are
    measured both as the scheduler places them and pinned to one CPU: on a
    VM, waking a process on the other CPU (an IPI) can cost more than the
    mechanism itself."""
    one = ["taskset", "-c", "0"]
    strace = ["strace", "-f", "-qq", "-o", "/dev/null"]
    # The fast path is on by default (SUD only: with the module it turns
    # itself off); --no-fastpath is the SIGSYS per call it replaces.  A
    # fast-path row still traps for a site it does not rewrite (libc's
    # read is `xor %eax,%eax; syscall`), hence its divisor of 2.
    sud = [cfg.runsel, "-b", "sud"]
    rows = [("native", [], "native", 1),
            ("runsel-sud-fastpath", sud + ["-w", "null", "--"], "native", 2),
            ("runsel-sud-no-fastpath", sud + ["--no-fastpath", "-w", "null", "--"], "native", 10)]
    if cfg.kmod:
        rows.append(("runsel-kmod", [cfg.runsel, "-b", "kmod", "-w", "null", "--"], "native", 2))
    rows += [("runsel-sud-fastpath-not-handled", "not-handled:sud", "native", 2),
             ("runsel-sud-no-fastpath-not-handled", "not-handled:sud:no-fastpath", "native", 10)]
    if cfg.kmod:
        rows.append(("runsel-kmod-not-handled", "not-handled:kmod", "native", 1))
    rows += [("mech-seccomp-allow", [], "seccomp-allow", 1),
             ("mech-seccomp-trap", [], "seccomp-trap", 10),
             ("mech-sud", [], "sud", 10),
             ("mech-sud-floor", [], "sud-floor", 1),
             ("mech-seccomp-notif", [], "seccomp-notif", 50),
             ("mech-seccomp-notif-1cpu", one, "seccomp-notif", 50),
             ("mech-seccomp-trace", [], "seccomp-trace", 50),
             ("mech-seccomp-trace-enter", [], "seccomp-trace-enter", 50)]
    if shutil.which("strace"):
        rows += [("strace", strace + ["--"], "native", 100),
                 ("strace-1cpu", one + strace + ["--"], "native", 100),
                 ("strace-seccomp-bpf", "strace-bpf", "native", 100)]
    # issue #15: the call a wrapper wants, out of process, and one it does not
    # (the filter lets it through in the kernel)
    rows += [("runsel-process", [cfg.runsel, "--placement=process", "-w", "null", "--"],
              "native", 200),
             ("runsel-process-not-handled", "not-handled:process", "native", 1)]
    # issue #16: rules.  deny calls=getppid: on getppid the denied call (its
    # failure is what mech reads before it starts, so it is the "right"
    # result), on the other workloads calls no rule names; fault's rule on
    # getppid with a condition that never holds: an allowed call the filter
    # examines.  In the kernel (a seccomp filter) and, the same rules, in
    # process (the host evaluates them).
    deny = ["-w", "deny", "-o", "calls=getppid", "--"]
    cond = ["-w", "fault", "-o", "inject=getppid:EPERM:arg5=0x7fff0001", "--"]
    rows += [("runsel-kernel-deny", [cfg.runsel, "--placement=kernel"] + deny, "native", 1),
             ("runsel-kernel-cond-allowed", [cfg.runsel, "--placement=kernel"] + cond, "native", 1),
             ("runsel-inprocess-deny", [cfg.runsel, "-b", "sud"] + deny, "native", 2),
             ("runsel-inprocess-cond-allowed", [cfg.runsel, "-b", "sud"] + cond, "native", 2)]
    return rows


def call_cmd(cfg, row, prefix, mech, work, n):
    if isinstance(prefix, str) and prefix.startswith("not-handled:"):
        # a selected program whose wrapper does not take the call
        other = "getpid" if work == "getppid" else "getppid"
        how = prefix.split(":")
        where = ["--placement=process"] if how[1] == "process" else ["-b", how[1]]
        prefix = ([cfg.runsel] + where + ["--" + o for o in how[2:]] +
                  ["-w", "null", "-o", "syscalls=" + other, "--"])
    elif prefix == "strace-bpf":
        prefix = ["strace", "-f", "-qq", "--seccomp-bpf", "-e", "trace=" + CALLS[work],
                  "-o", "/dev/null", "--"]
    return prefix + [cfg.mech, mech, work, str(n)]


def measure(cfg, cmd):
    r = run(cfg, cmd)
    if r.returncode != 0:
        return None, (r.stderr.strip().splitlines() or ["exit %d" % r.returncode])[-1]
    try:
        return float(r.stdout.split()[-1]), None
    except (ValueError, IndexError):
        return None, "no figure in output"


def bench_calls(cfg):
    n, rounds, warm = cfg.p["calls_n"], cfg.p["calls_rounds"], cfg.p["warmup"]
    # openat's file: in cfg.out, a local file system (in vmtest's guest /etc is
    # on 9p, where every open is a round trip to the host)
    path = os.path.join(cfg.out, "openat.txt")
    with open(path, "w") as f:
        f.write("runsel bench\n")
    os.environ["MECH_OPENAT_PATH"] = path
    rows = call_rows(cfg)
    data = {(r[0], w): [] for r in rows for w in WORKLOADS}
    errors = {}
    for rnd in range(rounds + warm):       # the warm-up round is discarded
        for w in WORKLOADS:
            for row, prefix, mech, div in rows:
                v, err = measure(cfg, call_cmd(cfg, row, prefix, mech, w, max(n // div, 200)))
                if err:
                    errors[(row, w)] = err
                elif rnd >= warm:
                    data[(row, w)].append(v)
    res = {}
    for w in WORKLOADS:
        res[w] = {}
        for row, _, _, _ in rows:
            if data[(row, w)]:
                res[w][row] = summary(data[(row, w)])
            else:
                res[w][row] = {"error": errors.get((row, w), "not measured")}
        base = res[w]["native"].get("median")
        for row in res[w]:
            if base and "median" in res[w][row]:
                res[w][row]["ratio"] = res[w][row]["median"] / base
    return {"ops_per_batch": n, "rounds": rounds, "results": res,
            "kmod": cfg.kmod}


def print_calls(c):
    log("\n== per-call cost (ns per operation; openat = openat+close), %d interleaved rounds"
        % c["rounds"])
    if not c["kmod"]:
        log("   (kernel module not loaded here: runsel-kmod rows are measured by make vmbench)")
    for w, rows in c["results"].items():
        log("-- %s" % w)
        log("   %-34s %10s %10s %10s %9s" % ("mechanism", "median", "min", "max", "ratio"))
        for row, s in rows.items():
            if "median" in s:
                log("   %-34s %10.1f %10.1f %10.1f %8.2fx" % (row, s["median"], s["min"],
                                                            s["max"], s["ratio"]))
            else:
                log("   %-34s %s" % (row, "n/a: " + s["error"]))


def print_rule_targets(c):
    """Issue #16's targets for placement=kernel, against native in the same
    run: a call the filter decides (getppid: denied, or examined and
    allowed) within 1.3x, a call no rule names within 1.05x."""
    log("-- placement=kernel against issue #16's targets (ratio to native, this run; the floor "
        "of any seccomp filter, mech-seccomp-allow, on each line)")
    for row in ("runsel-kernel-deny", "runsel-kernel-cond-allowed"):
        for w in WORKLOADS:
            s = c["results"][w].get(row, {})
            if "ratio" not in s:
                continue
            decided = w == "getppid"
            target = 1.3 if decided else 1.05
            floor = c["results"][w].get("mech-seccomp-allow", {}).get("ratio")
            log("   %-28s %-14s %6.2fx  target <= %.2fx (%s): %-7s floor %s" % (
                row, w, s["ratio"], target,
                "a call its rule decides" if decided else "a call no rule names",
                "met" if s["ratio"] <= target else "not met",
                "%.2fx" % floor if floor else "n/a"))


# ---------------------------------------------------------------- exec

def bench_exec(cfg):
    env = dict(os.environ, ROUNDS=str(cfg.p["exec_rounds"]), REPS=str(cfg.p["exec_reps"]))
    r = run(cfg, [os.path.join(os.path.dirname(__file__), "..", "bench-exec"), cfg.build], env=env)
    rows = {}
    for line in r.stdout.splitlines():
        f = line.split()
        if len(f) == 6 and f[5].replace(".", "", 1).isdigit():
            rows[f[0]] = {"median": float(f[1]) * 1000, "min": float(f[2]) * 1000,
                          "max": float(f[3]) * 1000, "baseline": f[4], "ratio": float(f[5])}
    return {"results": rows, "raw": r.stdout, "status": r.returncode}


# ---------------------------------------------------------------- scaling

TEN = "getppid,getpid,getuid,geteuid,getgid,getegid,gettid,getpgrp,getsid,sched_yield"


# the threads rows' mechanisms: (name, runsel options, ops divisor)
SCALE_MECHS = [("native", None, 1), ("runsel-sud-fastpath", [], 1),
               ("runsel-sud-no-fastpath", ["--no-fastpath"], 10)]


def bench_scaling(cfg):
    """ratio: to native with as many threads; vs_1thread: to the same
    mechanism's one-thread figure (the fast path's target: within 1.2x);
    overhead_vs_1thread: ratio over the one-thread ratio.  With more
    threads than CPUs a thread's wall-clock time per call includes the
    others' turns, native's too (64 threads on 2 CPUs: tens of times the
    one-thread figure), so vs_1thread measures the machine; the overhead
    ratio divides that out and says whether interception itself got
    dearer per call."""
    p, mech, runsel = cfg.p, cfg.mech, cfg.runsel
    n, rounds, threads, warm = p["scale_n"], p["scale_rounds"], p["threads"], p["warmup"]
    rows = []
    for t in threads:
        for m, opts, div in SCALE_MECHS:
            pre = [] if opts is None else [runsel, "-b", "sud"] + opts + ["-w", "null", "--"]
            rows.append(("threads-%d-%s" % (t, m),
                         pre + [mech, "native", "getppid", str(n // div), str(t)]))
    # wrapper rows: the default (with SUD, the fast path; the module's calls
    # are not rewritten, so those still cost a trip through it)
    for name, opt in (("wrapper-takes-1", ["-o", "syscalls=getppid"]),
                      ("wrapper-takes-10", ["-o", "syscalls=" + TEN]),
                      ("wrapper-takes-all", [])):
        for b in (["sud", "kmod"] if cfg.kmod else ["sud"]):
            rows.append(("%s-%s%s" % (name, b, "-fastpath" if b == "sud" else ""),
                         [runsel, "-b", b, "-w", "null"] + opt + ["--", mech, "native",
                                                                   "getppid", str(n // 2)]))
    data = {k: [] for k, _ in rows}
    for rnd in range(rounds + warm):
        for k, cmd in rows:
            v, _ = measure(cfg, cmd)
            if v is not None and rnd >= warm:
                data[k].append(v)
    res = {k: summary(v) for k, v in data.items() if v}
    for t in threads:
        base = res.get("threads-%d-native" % t, {}).get("median")
        for m, _, _ in SCALE_MECHS:
            k = "threads-%d-%s" % (t, m)
            one = res.get("threads-1-%s" % m, {}).get("median")
            if base and k in res:
                res[k]["ratio"] = res[k]["median"] / base
            if one and k in res:
                res[k]["vs_1thread"] = res[k]["median"] / one
            r1 = res.get("threads-1-%s" % m, {}).get("ratio")
            if r1 and "ratio" in res.get(k, {}) and m != "native":
                res[k]["overhead_vs_1thread"] = res[k]["ratio"] / r1
    base = res.get("threads-1-native", {}).get("median")
    for k in res:
        if k.startswith("wrapper-") and base:
            res[k]["ratio"] = res[k]["median"] / base
    return {"results": res, "rounds": rounds}


def print_scaling(sc):
    log("\n== scaling (getppid, ns per call per thread; x native: to native with as many"
        "\n   threads, wrapper rows to one-thread native; x 1 thread: to the same mechanism's"
        "\n   one-thread figure; overhead x 1t: x native over the one-thread x native, i.e."
        "\n   with the CPUs' oversubscription, which native pays too, divided out)")
    log("   %-34s %10s %10s %10s %9s %10s %13s" % ("row", "median", "min", "max", "x native",
                                                  "x 1 thread", "overhead x 1t"))
    for k, s in sc["results"].items():
        one = "%9.2fx" % s["vs_1thread"] if "vs_1thread" in s else ""
        ovh = "%12.2fx" % s["overhead_vs_1thread"] if "overhead_vs_1thread" in s else ""
        log("   %-34s %10.1f %10.1f %10.1f %8.2fx %10s %s" % (k, s["median"], s["min"], s["max"],
                                                            s.get("ratio", float("nan")), one, ovh))


# ---------------------------------------------------------------- workloads

def make_inputs(cfg):
    """A 2,000-line C file and a git repository of 5,000 files (once)."""
    os.makedirs(cfg.out, exist_ok=True)
    src = os.path.join(cfg.out, "big.c")
    if not os.path.exists(src):
        with open(src, "w") as f:
            f.write("#include <stdio.h>\n#include <string.h>\n")
            for i in range(399):
                f.write("static int f%d(const char *s, int k)\n{\n"
                        "    return (int)strlen(s) * k + %d;\n}\n\n" % (i, i))
            f.write("int main(void)\n{\n    int t = 0;\n")
            for i in range(399):
                f.write("    t += f%d(\"x\", %d);\n" % (i, i % 7))
            f.write("    printf(\"%d\\n\", t);\n    return 0;\n}\n")
    repo = os.path.join(cfg.out, "repo")
    nfiles = cfg.p["repo_files"]
    stamp = os.path.join(repo, ".bench-%d" % nfiles)
    if not os.path.exists(stamp):
        shutil.rmtree(repo, ignore_errors=True)
        os.makedirs(repo)
        for i in range(nfiles):
            d = os.path.join(repo, "d%02d" % (i % 50))
            os.makedirs(d, exist_ok=True)
            with open(os.path.join(d, "f%d.txt" % i), "w") as f:
                f.write("file %d\n" % i)
        git = ["git", "-C", repo, "-c", "user.name=bench", "-c", "user.email=b@localhost"]
        run(cfg, git[:3] + ["init", "-q"])
        run(cfg, git + ["add", "-A"])
        run(cfg, git + ["commit", "-qm", "bench"])
        open(stamp, "w").close()
    return src, repo


PAGE = 4096


def count_totals(d):
    """The calls count's per-process logs in d add up to: each log ends
    with its `... CALLS ERRORS total` line."""
    calls, logs = 0, 0
    for name in os.listdir(d):
        with open(os.path.join(d, name)) as f:
            for line in f:
                w = line.split()
                if len(w) == 6 and w[5] == "total":
                    calls += int(w[3])
                    logs += 1
    return calls, logs


def fastpath_lines(path):
    """RUNSEL_FASTPATH_STATS's lines (one per intercepted process), as dicts."""
    lines = []
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                w = line.split()
                if w and w[0] == "runsel-fastpath":
                    lines.append(dict(kv.split("=", 1) for kv in w[1:] if "=" in kv))
    return lines


def fastpath_figures(logdir, stats):
    """One run's fast-path figures: the share of calls that took the fast
    path, 1 - (traps over every process) / (calls count counted), and the
    private memory the patching cost (each page it wrote is a private copy)."""
    calls, logs = count_totals(logdir)
    lines = fastpath_lines(stats)
    traps = sum(int(l.get("traps", 0)) for l in lines)
    pages = [int(l.get("pages", 0)) for l in lines]
    return {"calls": calls, "traps": traps, "processes": len(lines), "count_logs": logs,
            "share": 1 - traps / calls if calls else None,
            "private_kib": sum(pages) * PAGE / 1024,
            "private_kib_per_process": statistics.median(pages) * PAGE / 1024 if pages else 0,
            "off": sorted({l.get("off", "?") for l in lines})}


def bench_workloads(cfg):
    src, repo = make_inputs(cfg)
    inc = cfg.p["tar_input"]
    exe = os.path.join(cfg.out, "big")
    work = {
        "gcc-2000-lines": ["gcc", "-O1", "-o", exe, src],
        "tar-xz": ["sh", "-c", "tar cf - %s 2>/dev/null | xz -T2 -1 >/dev/null" % inc],
        "python-import": ["python3", "-c", "import json, subprocess"],
        "git-status": ["git", "-C", repo, "status", "--porcelain"],
    }
    # count logs per process (%p) into a fresh directory and every process
    # appends its fast-path line to a fresh file, in both count rows alike
    # (without the fast path the lines check the sum: traps = calls)
    logdir = os.path.join(cfg.out, "count-logs")
    stats = os.path.join(cfg.out, "fastpath-stats.txt")
    count = [cfg.runsel, "-w", "count", "-o", "log=%s/count.%%p" % logdir]
    tools = [("native", []),
             ("runsel-count-fastpath", count + ["--"]),
             ("runsel-count-no-fastpath", count + ["--no-fastpath", "--"]),
             # issue #15's placement: one table for the run (no %p), to /dev/null
             ("runsel-count-process", [cfg.runsel, "--placement=process", "-w", "count",
                                       "-o", "log=/dev/null", "--"]),
             # the same, holding the program at every call as for a stack
             # that may change it (RUNSEL_SV_ASYNC=0): what RS_OBSERVES saves
             ("runsel-count-process-held", [cfg.runsel, "--placement=process", "-w", "count",
                                            "-o", "log=/dev/null", "--"])]
    # tracing into a file, typed the same way: strace's options on runsel
    tracefile = os.path.join(cfg.out, "trace-out.log")
    tools.append(("runsel-f-o-file", [cfg.runsel, "-f", "-o", tracefile, "--"]))
    if shutil.which("strace"):
        tools.append(("strace-f-c", ["strace", "-f", "-c", "-o", "/dev/null", "--"]))
        tools.append(("strace-seccomp-bpf-f-c", ["strace", "--seccomp-bpf", "-f", "-c", "-o",
                                                 "/dev/null", "--"]))
        tools.append(("strace-f-o-file", ["strace", "-f", "-o", tracefile, "--"]))
    rounds, warm = cfg.p["work_rounds"], cfg.p["warmup"]
    data = {(w, t): [] for w in work for t, _ in tools}
    fast = {(w, t): [] for w in work for t, _ in tools}
    for rnd in range(rounds + warm):
        for w, cmd in work.items():
            for t, pre in tools:
                env = None
                if t.startswith("runsel-count"):
                    shutil.rmtree(logdir, ignore_errors=True)
                    os.makedirs(logdir)
                    if os.path.exists(stats):
                        os.unlink(stats)
                    env = dict(os.environ, RUNSEL_FASTPATH_STATS=stats)
                    if t == "runsel-count-process-held":
                        env["RUNSEL_SV_ASYNC"] = "0"
                t0 = time.monotonic()
                r = run(cfg, pre + cmd, env=env)
                dt = (time.monotonic() - t0) * 1000
                if r.returncode == 0 and rnd >= warm:
                    data[(w, t)].append(dt)
                    if env:
                        fast[(w, t)].append(fastpath_figures(logdir, stats))
    shutil.rmtree(logdir, ignore_errors=True)
    res, over = {}, {}
    for w in work:
        res[w] = {}
        for t, _ in tools:
            if data[(w, t)]:
                res[w][t] = summary(data[(w, t)])
            runs = fast[(w, t)]
            if runs:
                res[w][t]["fastpath"] = {
                    "runs": runs,
                    "share": summary([f["share"] for f in runs if f["share"] is not None] or [0]),
                    "private_kib": summary([f["private_kib"] for f in runs]),
                    "private_kib_per_process": summary([f["private_kib_per_process"]
                                                        for f in runs])}
        base = res[w].get("native", {}).get("median")
        for t in res[w]:
            if base:
                res[w][t]["ratio"] = res[w][t]["median"] / base
        # what tracing costs beyond the program itself, strace's over runsel's
        mine, theirs = res[w].get("runsel-f-o-file"), res[w].get("strace-f-o-file")
        if base and mine and theirs and mine["median"] > base:
            over[w] = (theirs["median"] - base) / (mine["median"] - base)
    if os.path.exists(tracefile):
        os.unlink(tracefile)
    return {"results": res, "rounds": rounds, "unit": "ms", "tar_input": inc,
            "trace_overhead_strace_over_runsel": over}


def print_workloads(wl):
    log("\n== workloads (ms; tar input %s)" % wl["tar_input"])
    log("   %-16s %-26s %10s %10s %10s %8s" % ("workload", "tool", "median", "min", "max",
                                              "ratio"))
    for w, tools in wl["results"].items():
        for t, s in tools.items():
            log("   %-16s %-26s %10.1f %10.1f %10.1f %7.2fx" % (w, t, s["median"], s["min"],
                                                              s["max"], s["ratio"]))
    log("-- tracing into a file (runsel -f -o FILE vs strace -f -o FILE): strace's added"
        "\n   time over runsel's (median - native, same run)")
    for w, x in wl.get("trace_overhead_strace_over_runsel", {}).items():
        log("   %-16s %6.1fx" % (w, x))
    log("-- the fast path in those runs (share: 1 - SIGSYS traps / calls count counted;"
        "\n   private memory: pages the patching wrote x 4 KiB, over all processes and"
        "\n   the median process; medians of the runs, min-max)")
    log("   %-16s %-26s %17s %17s %13s %6s %7s" % ("workload", "tool", "fast-path share",
                                                 "private KiB", "KiB/process", "procs",
                                                 "calls"))
    for w, tools in wl["results"].items():
        for t, s in tools.items():
            f = s.get("fastpath")
            if not f:
                continue
            sh, kib, per = f["share"], f["private_kib"], f["private_kib_per_process"]
            last = f["runs"][-1]
            log("   %-16s %-26s %6.1f%% (%4.1f-%4.1f) %6.0f (%4.0f-%4.0f) %5.0f (%2.0f-%2.0f) %6d %7d"
                % (w, t, 100 * sh["median"], 100 * sh["min"], 100 * sh["max"], kib["median"],
                   kib["min"], kib["max"], per["median"], per["min"], per["max"],
                   last["processes"], last["calls"]))


# ---------------------------------------------------------------- plots

def gnuplot(cfg, script):
    if not shutil.which("gnuplot"):
        return False
    return run(cfg, ["gnuplot"], input=script).returncode == 0


def histogram(cfg, name, height, title, head, rows, settings, plot):
    """Write NAME.dat (a header line HEAD, then one line per row) and plot
    it as a bar chart into NAME.svg; returns the SVG's path or None."""
    dat, svg = os.path.join(cfg.out, name + ".dat"), os.path.join(cfg.out, name + ".svg")
    with open(dat, "w") as f:
        f.write(head + "\n" + "".join(" ".join(r) + "\n" for r in rows))
    ok = gnuplot(cfg, f"""set terminal svg size 900,{height} font "sans,11" background rgb "white"
set output "{svg}"
set title "{title}"
set style data histograms
set style fill solid 0.8 border -1
set grid ytics
{settings}
plot {plot.format(dat=dat)}
""")
    return svg if ok else None


def cell(d, key, fmt):
    return fmt % d[key] if key in d else "NaN"


def plots(cfg, res):
    if not all(k in res for k in ("calls", "exec", "workloads")):
        return []
    made = []
    # 1. per-call cost by mechanism, log axis, one bar group per workload
    c = res["calls"]["results"]
    rows = [[r] + [cell(c[w].get(r, {}), "median", "%.1f") for w in WORKLOADS]
            for r in c["getppid"] if "median" in c["getppid"][r]]
    made.append(histogram(
        cfg, "calls", 480, "Per-call cost by mechanism (ns per operation, log scale; lower is better)",
        "mechanism " + " ".join(WORKLOADS), rows,
        "set style histogram clustered gap 1\nset logscale y\nset ylabel \"ns per operation\"\n"
        "set xtics rotate by -30 scale 0\nset key top left",
        "for [i=2:%d] \"{dat}\" using i:xtic(1) title columnheader(i)" % (len(WORKLOADS) + 1)))
    # 2. exec cost by configuration
    e = res["exec"]["results"]
    if e:
        made.append(histogram(
            cfg, "exec", 420, "exec+exit of true (microseconds, median; lower is better)",
            "# configuration microseconds", [[k, "%.1f" % (v["median"] / 1000)] for k, v in e.items()],
            "set ylabel \"microseconds\"\nset xtics rotate by -30 scale 0\nset key off",
            "\"{dat}\" using 2:xtic(1)"))
    # 3. workload slowdown by tool
    tools = ["native", "runsel-count-fastpath", "runsel-count-no-fastpath", "strace-f-c",
             "runsel-f-o-file", "strace-f-o-file"]
    rows = [[w] + [cell(v.get(t, {}), "ratio", "%.3f") for t in tools]
            for w, v in res["workloads"]["results"].items()]
    made.append(histogram(
        cfg, "workloads", 420, "Real workloads: time relative to native (lower is better)",
        "workload " + " ".join(tools), rows,
        "set style histogram clustered gap 1\nset ylabel \"x native\"\nset yrange [0:*]\n"
        "set xtics scale 0\nset key top left",
        "for [i=2:%d] \"{dat}\" using i:xtic(1) title columnheader(i)" % (len(tools) + 1)))
    # 4. scaling: ns per call per thread by thread count (when it was run)
    sc = res.get("scaling", {}).get("results", {})
    counts = sorted({int(k.split("-")[1]) for k in sc if k.startswith("threads-")})
    if counts:
        mechs = [m for m, _, _ in SCALE_MECHS]
        rows = [["%d" % t] + [cell(sc.get("threads-%d-%s" % (t, m), {}), "median", "%.1f")
                              for m in mechs] for t in counts]
        made.append(histogram(
            cfg, "scaling", 420,
            "getppid with N threads: ns per call per thread (log scale; lower is better)",
            "threads " + " ".join(mechs), rows,
            "set style histogram clustered gap 1\nset logscale y\nset ylabel \"ns per call\"\n"
            "set xlabel \"threads\"\nset xtics scale 0\nset key top left",
            "for [i=2:%d] \"{dat}\" using i:xtic(1) title columnheader(i)" % (len(mechs) + 1)))
    return [m for m in made if m]


# ---------------------------------------------------------------- main

def machine(cfg):
    model = ""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return {"kernel": platform.release(), "cpu": model, "cores": os.cpu_count(),
            "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
            "mode": cfg.mode, "kmod_loaded": cfg.kmod}


def main(argv=None):
    cfg = parse_args(argv)
    if not os.access(cfg.mech, os.X_OK) or not os.access(cfg.runsel, os.X_OK):
        sys.exit("bench: %s or %s missing: run make first" % (cfg.mech, cfg.runsel))
    os.makedirs(cfg.out, exist_ok=True)
    t0 = time.monotonic()
    res = {"machine": machine(cfg)}
    log("runsel bench%s — kernel %s, %s, %d cores; ratios are to native in the same run"
        % ("" if cfg.mode == "full" else " (%s)" % cfg.mode, res["machine"]["kernel"], res["machine"]["cpu"],
           res["machine"]["cores"]))
    if "calls" in cfg.only:
        res["calls"] = bench_calls(cfg)
        print_calls(res["calls"])
        print_rule_targets(res["calls"])
    if "exec" in cfg.only:
        res["exec"] = bench_exec(cfg)
        log("\n== exec+exit\n" + res["exec"]["raw"].rstrip())
    if "scaling" in cfg.only:
        res["scaling"] = bench_scaling(cfg)
        print_scaling(res["scaling"])
    if "workloads" in cfg.only:
        res["workloads"] = bench_workloads(cfg)
        print_workloads(res["workloads"])
    res["seconds"] = round(time.monotonic() - t0, 1)
    with open(os.path.join(cfg.out, "results.json"), "w") as f:
        json.dump(res, f, indent=1, sort_keys=True)
    made = plots(cfg, res)
    why = "gnuplot missing" if shutil.which("gnuplot") is None else "not every section was run"
    log("\nresults: %s/results.json; plots: %s (%.0f s)"
        % (cfg.out, ", ".join(made) if made else "none (%s)" % why, res["seconds"]))


if __name__ == "__main__":
    main()
