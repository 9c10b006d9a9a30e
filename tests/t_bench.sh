#!/bin/bash
# The exec benchmark runs and prints a well-formed table (a tiny run: the
# figures themselves are never asserted — machines here are shared).
. "$SRC/tests/lib/common.sh"
out=$(ROUNDS=2 REPS=2 "$SRC/tools/bench-exec" "$BUILD" 2>&1)
rc=$?
check "bench-exec exits 0" test $rc -eq 0
check "header line" grep -q '^configuration  *median_us  *min_us  *max_us  *baseline  *ratio$' <<<"$out"
for row in native-dyn loader-dyn native-static loader-static selected-null-dyn selected-null-static; do
    check "row $row: four numbers, a baseline and a ratio" \
        grep -Eq "^$row +[0-9.]+ +[0-9.]+ +[0-9.]+ +native-[a-z]+ +[0-9]+\.[0-9]{3}$" <<<"$out"
done
check "native rows have ratio 1.000" bash -c "grep '^native-' <<<'$out' | awk '{print \$6}' | sort -u | grep -qx 1.000"
if grep -q 'binfmt rows skipped' <<<"$out"; then
    skip "binfmt rows: no private binfmt_misc instance"
else
    check "binfmt rows present" grep -Eq '^binfmt-dyn +[0-9.]+' <<<"$out"
fi

out=$(ROUNDS=2 N=2000 "$SRC/tools/bench-calls" "$BUILD" 2>&1)
check "bench-calls exits 0" test $? -eq 0
for row in native null-handled null-not-handled; do
    check "bench-calls row $row: median, min, max and ratio" \
        grep -Eq "^$row +[0-9.]+ns +[0-9.]+ns +[0-9.]+ns +[0-9.]+x$" <<<"$out"
done
check "bench-calls: native ratio is 1.0x" grep -Eq '^native .* 1\.0x$' <<<"$out"
