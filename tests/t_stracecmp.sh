#!/bin/bash
# runsel's trace and count against strace 6.1 on a corpus of real programs
# (tests/stracecmp, issue #14): the harness's own rules on known input,
# then the corpus under strace (twice), trace, strace -c -f and count —
# once with the wrappers in process, once in their own process.
# Checked: the figures (lines identical after normalisation, call names
# equal) do not fall below tests/stracecmp/floor, strace agrees with itself
# (the normalisation takes out what differs run to run), every difference
# class left is named in tests/stracecmp/classes, and count's per-call
# totals equal strace -c -f's where tests/stracecmp/count says so.  The
# whole report is printed, and kept in $BUILD/stracecmp/report.txt and
# report.json ($BUILD/stracecmp-process/ for the second pass).
. "$SRC/tests/lib/common.sh"
SC=$SRC/tests/stracecmp
PY=/usr/bin/python3
JSON=$BUILD/stracecmp/report.json

# strace and every program of the corpus must be there (tools/deps)
missing=""
for p in /usr/bin/strace sqlite3 curl gcc git busybox xz perl tar make "$PY"; do
    command -v "$p" >/dev/null || missing="$missing $p"
done
if [ -n "$missing" ]; then
    skip "strace comparison: missing:$missing (tools/deps installs them)"
    exit 0
fi
if ! /usr/bin/strace -qq -o /dev/null /bin/true 2>/dev/null; then
    skip "strace comparison: strace cannot trace here (ptrace not permitted)"
    exit 0
fi

"$PY" "$SC/stracecmp.py" selftest

# compare PLACEMENT: the corpus with runsel's wrappers in process
# (inprocess, the default) or in their own process (process), checked
# against the floors (KEYs prefixed process_ for the second), the classes
# (tests/stracecmp/classes, and classes-process for what differs out of
# process only) and count's list (equal-process: programs whose totals are
# strace's only when no part of runsel is inside them).
compare() {
    local placement=$1 json=$BUILD/stracecmp/report.json key="" classes=$SC/classes start rc
    if [ "$placement" = process ]; then
        json=$BUILD/stracecmp-process/report.json key=process_ classes="$SC/classes $SC/classes-process"
    fi
    start=$(date +%s)
    "$PY" "$SC/stracecmp.py" run "$BUILD" --runsel "$RUNSEL" --placement "$placement" >"$TMP/report" 2>&1
    rc=$?
    cat "$TMP/report"
    check "$placement: the harness ran the corpus ($(( $(date +%s) - start )) s)" test $rc -eq 0 -a -s "$json"
    [ $rc -eq 0 ] || return 0
    figure() { "$PY" -c "import json, sys; print(eval(sys.argv[1], json.load(open(sys.argv[2]))))" "$1" "$json"; }
    check "$placement: a corpus of at least 25 programs ($(figure programs_count))" test "$(figure programs_count)" -ge 25
    check "$placement: every program exits the same under strace and under runsel's trace" \
        test "$(figure "[p['name'] for p in programs if p['status']['s1'] != p['status']['r']]")" = "[]"
    check "$placement: every process and thread of strace's run has its partner in trace's" \
        test "$(figure "[p['name'] for p in programs if p['paired'] != p['tasks_strace']]")" = "[]"
    check "$placement: lines identical to strace's at or above the floor" \
        "$PY" "$SC/stracecmp.py" floor "$json" "$SC/floor" ${key}lines_identical_pct
    check "$placement: call names equal to strace's at or above the floor" \
        "$PY" "$SC/stracecmp.py" floor "$json" "$SC/floor" ${key}names_equal_pct
    check "$placement: baseline: strace agrees with itself (the normalisation takes out what changes run to run)" \
        "$PY" "$SC/stracecmp.py" floor "$json" "$SC/floor" ${key}baseline_lines_identical_pct
    # shellcheck disable=SC2086
    check "$placement: every difference class left is named in tests/stracecmp/classes" \
        "$PY" "$SC/stracecmp.py" classes "$json" $classes
    check "$placement: count: per-call calls and errors equal strace -c -f's on the programs tests/stracecmp/count lists" \
        "$PY" "$SC/stracecmp.py" count "$json" "$SC/count"
}
compare inprocess
if "$RUNSEL" --placement=process -w null -- /bin/true 2>/dev/null; then
    compare process
else
    skip "the corpus out of process: placement=process cannot run here"
fi

# The checks themselves can fail: a figure below its floor, a class no
# line of the classes file names.
"$PY" - "$JSON" "$TMP/low.json" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
j['overall']['lines_identical_pct'] = 1.0
j['classes'].append({'class': 'nosuchcall: struct not decoded', 'count': 1, 'strace': 'a', 'runsel': 'b',
                     'programs': {'x': 1}})
json.dump(j, open(sys.argv[2], 'w'))
PY
check "  (the floor check fails for a figure below its floor)" \
    bash -c "! '$PY' '$SC/stracecmp.py' floor '$TMP/low.json' '$SC/floor' lines_identical_pct >/dev/null"
"$PY" "$SC/stracecmp.py" classes "$TMP/low.json" "$SC/classes" >"$TMP/unnamed"
rc=$?
check "  (the class check fails for a class the file does not name, and prints it)" \
    bash -c "[ $rc -ne 0 ] && grep -q 'unnamed class: nosuchcall' '$TMP/unnamed'"
