#!/bin/bash
# selected.conf glob matching, table-driven (tests/unit/globcheck.c).
. "$SRC/tests/lib/common.sh"
"$BUILD/tests/globcheck"

# sandbox's allow-exec matches with the same matcher (rs_glob_match, the
# list's selconf_glob).  Its old backtracking matcher took 4.6 s per exec
# for ten `*a` then `b` against a 40-character name; with thirty against
# sixty it would not return for years, the linear one answers at once (the
# bound is only there so that a regression fails instead of hanging).
name=$(printf 'a%.0s' $(seq 60))
cp /bin/true "$TMP/$name"
pat="$TMP/"
for _ in $(seq 30); do pat+="*a"; done
pat+="b"
timeout 30 "$RUNSEL" -w sandbox -o "allow-exec=$pat" -o quiet=yes -- sh -c "'$TMP/$name'" 2>/dev/null
rc=$?
check "sandbox allow-exec: the pathological glob is answered (exec refused: 126, got $rc)" \
    test $rc -eq 126
# The same language as the list: `**` across components, `*` within one.
mkdir -p "$TMP/d/e" && cp /bin/true "$TMP/d/e/prog"
check "sandbox allow-exec: ** matches across components" \
    "$RUNSEL" -w sandbox -o "allow-exec=$TMP/**/prog" -o quiet=yes -- sh -c "'$TMP/d/e/prog'"
"$RUNSEL" -w sandbox -o "allow-exec=$TMP/*/prog" -o quiet=yes -- sh -c "'$TMP/d/e/prog'" 2>/dev/null
check "sandbox allow-exec: * stays within a component" test $? -eq 126
