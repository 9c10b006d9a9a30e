#!/bin/bash
# System programs give the same output under the loader (run directly) as
# natively.  Only the top program goes through the loader here; the binfmt
# test covers whole process trees.
. "$SRC/tests/lib/common.sh"

same_output "ls -l /" cat -- /bin/ls -l /
same_output "sh pipeline" cat -- /bin/sh -c 'printf "b\na\nb\n" | sort | uniq -c'
same_output "python3 with a thread and a subprocess" cat -- /usr/bin/python3 -c '
import subprocess, threading
out = []
t = threading.Thread(target=lambda: out.append(sum(range(1000))))
t.start(); t.join()
print(out[0], subprocess.run(["echo", "child"], capture_output=True, text=True).stdout.strip())'
same_output "perl -e" cat -- /usr/bin/perl -e 'print join(",", map { $_ * 2 } 1..5), "\n"'

cat >"$TMP/prog.c" <<'C'
#include <math.h>
#include <stdio.h>
int main(void) { printf("sqrt2=%.3f\n", sqrt(2.0)); return 0; }
C
# gcc runs cc1, as and collect2/ld as children.
"$LOADER" /usr/bin/gcc -O2 -o "$TMP/prog-loaded" "$TMP/prog.c" -lm 2>"$TMP/gcc.err"; rc=$?
check "gcc compiles and links under the loader" test $rc -eq 0
gcc -O2 -o "$TMP/prog-native" "$TMP/prog.c" -lm
check "the program it built runs" test "$("$TMP/prog-loaded")" = "sqrt2=1.414"
check "and is identical to the natively built one" cmp -s "$TMP/prog-loaded" "$TMP/prog-native"
