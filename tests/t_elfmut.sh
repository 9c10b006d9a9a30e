#!/bin/bash
# A short run of the ELF mutation campaign (tests/fuzz/elfmut.c; make check
# runs 2,000 mutants): mutated headers of hello built three ways, run
# natively and under the loader.  Every outcome pair where the two differ
# must be one tests/fuzz/elfmut.allow explains; in particular the loader
# never runs a file the kernel refuses.
. "$SRC/tests/lib/common.sh"
chmod 755 "$TMP"   # the campaign runs the mutants as nobody when root
seeds=("$CORPUS/hello-static" "$CORPUS/hello-spie" "$CORPUS/hello-dyn")
"$BUILD/tests/elfmut" -n "${ELFMUT_SMOKE_N:-300}" -s 7 -a "$SRC/tests/fuzz/elfmut.allow" \
    "$LOADER" "$TMP/work" "${seeds[@]}" >"$TMP/table" 2>&1; rc=$?
sed 's/^/# /' "$TMP/table"
check "campaign ran (seeds run alike natively and under the loader)" test "$rc" -le 1
check "every disagreement is explained in tests/fuzz/elfmut.allow" test "$rc" -eq 0
check "the loader never runs what the kernel refuses" bash -c "! grep -q 'refused / \(exit\|signal\|timeout\)' '$TMP/table'"
read -r total agree < <(sed -n 's/^elfmut: \([0-9]*\) mutants, \([0-9]*\) agree.*/\1 \2/p' "$TMP/table")
check "at least half the mutants agree outright ($agree of $total)" test "$((2 * ${agree:-0}))" -ge "${total:-1}"
