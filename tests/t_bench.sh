#!/bin/bash
# The benchmarks run and print well-formed tables (tiny runs: the figures
# themselves are never asserted — machines here are shared).
. "$SRC/tests/lib/common.sh"
out=$(ROUNDS=2 REPS=2 "$SRC/tools/bench-exec" "$BUILD" 2>&1)
rc=$?
check "bench-exec exits 0" test $rc -eq 0
check "header line" grep -q '^configuration  *median_us  *min_us  *max_us  *baseline  *ratio$' <<<"$out"
for row in native-dyn loader-dyn native-static loader-static selected-null-fastpath-dyn selected-null-fastpath-static \
           selected-null-no-fastpath-dyn selected-null-no-fastpath-static; do
    check "row $row: four numbers, a baseline and a ratio" \
        grep -Eq "^$row +[0-9.]+ +[0-9.]+ +[0-9.]+ +native-[a-z]+ +[0-9]+\.[0-9]{3}$" <<<"$out"
done
check "native rows have ratio 1.000" bash -c "grep '^native-' <<<'$out' | awk '{print \$6}' | sort -u | grep -qx 1.000"
if grep -q 'binfmt rows skipped' <<<"$out"; then
    skip "binfmt rows: no private binfmt_misc instance"
else
    check "binfmt rows present" grep -Eq '^binfmt-dyn +[0-9.]+' <<<"$out"
fi

# make bench's driver, in its smallest mode: it runs, the JSON holds every
# section with native as the baseline, and the plots are well-formed SVG.
rm -f "$BUILD"/bench/results.json "$BUILD"/bench/*.svg
out=$(python3 "$SRC/tools/bench/run.py" "$BUILD" --smoke 2>&1)
check "bench --smoke exits 0" test $? -eq 0
check "  prints the four sections" \
    bash -c "for s in 'per-call cost' 'exec+exit' 'scaling' 'workloads'; do grep -q \"== \$s\" <<<\"\$1\" || exit 1; done" _ "$out"
check "  results.json: machine info, every section, native = 1.0 in each per-call table" \
    python3 - "$BUILD/bench/results.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
m = r["machine"]
assert m["kernel"] and m["cores"] >= 1 and m["date"] and "cpu" in m
for w, rows in r["calls"]["results"].items():
    assert abs(rows["native"]["ratio"] - 1) < 1e-9, w
    assert rows["runsel-sud-fastpath"]["median"] > 0 and rows["runsel-sud-no-fastpath"]["median"] > 0, w
    for name, s in rows.items():
        assert "error" in s or s["min"] <= s["median"] <= s["max"], (w, name)
assert r["exec"]["results"]["native-dyn"]["ratio"] == 1.0
assert r["scaling"]["results"]["threads-1-native"]["ratio"] == 1.0
for m in ("native", "runsel-sud-fastpath", "runsel-sud-no-fastpath"):
    assert r["scaling"]["results"]["threads-1-" + m]["vs_1thread"] == 1.0, m
for w, tools in r["workloads"]["results"].items():
    assert abs(tools["native"]["ratio"] - 1) < 1e-9 and "runsel-count-fastpath" in tools \
        and "runsel-count-no-fastpath" in tools, w
    f = tools["runsel-count-fastpath"]["fastpath"]
    assert 0 <= f["share"]["median"] <= 1 and f["private_kib"]["median"] >= 0, w
PY
check "  the reference mechanisms were measured (seccomp trap, user notification, SUD, SUD floor)" \
    python3 -c "import json,sys; r=json.load(open(sys.argv[1]))['calls']['results']['getppid']; sys.exit(0 if all('median' in r[k] for k in ('mech-seccomp-trap','mech-seccomp-notif','mech-sud','mech-sud-floor')) else 1)" "$BUILD/bench/results.json"
if command -v gnuplot >/dev/null; then
    for p in calls exec workloads scaling; do
        check "  plot $p.svg is well-formed SVG" \
            python3 -c "import sys, xml.etree.ElementTree as E; t=E.parse(sys.argv[1]); sys.exit(0 if t.getroot().tag.endswith('svg') else 1)" "$BUILD/bench/$p.svg"
    done
else
    skip "bench plots: gnuplot not installed"
fi
