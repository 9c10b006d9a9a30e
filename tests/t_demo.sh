#!/bin/bash
# The README's main-job command (make demo = tools/demo) works and shows a
# selected program next to unselected ones.
. "$SRC/tests/lib/common.sh"
out=$("$SRC/tools/demo" "$BUILD" 2>&1)
rc=$?
if [ $rc -ne 0 ] && grep -q "cannot mount a private binfmt_misc" <<<"$out"; then
    skip "demo: no private binfmt_misc instance here"; exit 0
fi
check "demo exits 0" test $rc -eq 0
check "demo: the pipeline ran" grep -q '^ *2 b$' <<<"$out"
check "demo: sort was selected" grep -q '^   exec /usr/bin/sort selected trace (' <<<"$out"
check "demo: uniq and sh ran unselected" bash -c "grep -qx '   exec /usr/bin/uniq' <<<'$out' && grep -qx '   exec /bin/sh' <<<'$out'"
check "demo: sort's own system calls were traced" bash -c "grep -q '^   read(0, \"b\\\\na\\\\nb\\\\n\", ' <<<'$out' && grep -q '^   exit_group(0) *= ?' <<<'$out'"
traced=$(sed -n '/^== the system calls of the selected/,/^== sh and uniq/p' <<<"$out" | sed '1d;$d')
check "demo: the trace holds sort's calls only (no uniq, no sh)" \
    bash -c "test -n \"\$1\" && ! grep -qE 'uniq|/bin/sh' <<<\"\$1\"" _ "$traced"
