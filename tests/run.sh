#!/bin/bash
# Test runner: runs every tests/t_*.sh with the build directory as $1.
# Each test script prints one line per case:
#   ok NAME | not ok NAME: why | skip NAME: why
# and the runner ends with the summary line "N passed, M failed, K skipped".
#   TESTS="t_wrap tests/vm/t_kmod.sh ..."  run only these (names or paths)
#   LOGDIR=DIR                             write the logs there (default BUILD/tests/logs)
#   STREAM=1                               also show each line as it comes (slow runs, VMs)
set -u
BUILD=${1:-build}
case $BUILD in /*) ;; *) BUILD=$(pwd)/$BUILD ;; esac
export BUILD
export SRC=$(cd "$(dirname "$0")/.." && pwd)
pass=0 fail=0 skip=0
failed=()
scripts=()
for t in ${TESTS:-"$SRC"/tests/t_*.sh}; do
    case $t in */*) ;; *) t=$SRC/tests/$t.sh ;; esac
    scripts+=("$t")
done
for t in "${scripts[@]}"; do
    name=$(basename "$t" .sh)
    log=${LOGDIR:-$BUILD/tests/logs}/$name.log
    mkdir -p "$(dirname "$log")"
    start=$(date +%s)
    # A broken loader can make a program spin; bound every script.
    if [ "${STREAM:-0}" = 1 ]; then
        timeout -k 10 "${TEST_TIMEOUT:-900}" bash "$t" 2>&1 | tee "$log" | sed "s/^/[$name] /"
        rc=${PIPESTATUS[0]}
    else
        timeout -k 10 "${TEST_TIMEOUT:-900}" bash "$t" >"$log" 2>&1
        rc=$?
    fi
    [ $rc -eq 124 ] && echo "not ok $name: timed out after ${TEST_TIMEOUT:-900} s" >>"$log"
    p=$(grep -c '^ok ' "$log"); f=$(grep -c '^not ok ' "$log"); s=$(grep -c '^skip ' "$log")
    if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then
        echo "not ok $name: script exited $rc" >>"$log"; f=$((f + 1))
    fi
    pass=$((pass + p)); fail=$((fail + f)); skip=$((skip + s))
    printf '%-28s %3d ok %3d failed %3d skipped  (%ds)\n' "$name" "$p" "$f" "$s" $(( $(date +%s) - start ))
    grep -E '^(not ok|skip) ' "$log" | sed 's/^/    /'
    [ "$f" -gt 0 ] && failed+=("$log")
done
for l in "${failed[@]}"; do echo "--- $l (tail)"; tail -n 30 "$l"; done
# The failures again, last: a log cut to its end (CI keeps the tail) still
# names them.
for l in "${failed[@]}"; do grep '^not ok ' "$l" | sed "s|^|$(basename "$l" .log): |"; done
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
