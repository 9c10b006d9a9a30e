#!/bin/bash
# System programs give the same output and exit status under the loader (run
# directly) as natively.  Only the top-level program goes through the loader
# here: the processes it starts (sort, echo, cc1, as, ld...) are exec'd by
# the kernel as usual — whole process trees are tests/t_binfmt.sh's job.
. "$SRC/tests/lib/common.sh"

if [ ! -x "$LOADER" ]; then
    nok "sysprogs: no loader at $LOADER (run make)"
    exit 0
fi

# same NAME CMD...: CMD natively and under the loader; stdout, stderr and
# exit status must be identical (after $filter, `cat` unless set).
# A broken loader can make a program spin (e.g. static glibc start-up on a
# .bss that was not cleared), so every run is bounded: exit=124 is a timeout.
T=(timeout -k 5 60)
filter="cat"
same() {
    local name=$1; shift
    "${T[@]}" "$@" 2>&1 | $filter >"$TMP/n"; echo "exit=${PIPESTATUS[0]}" >>"$TMP/n"
    "${T[@]}" "$LOADER" "$@" 2>&1 | $filter >"$TMP/l"; echo "exit=${PIPESTATUS[0]}" >>"$TMP/l"
    if cmp -s "$TMP/n" "$TMP/l"; then
        ok "$name"
    else
        nok "$name: output differs (native <, loader >)"
        diff "$TMP/n" "$TMP/l" | head -n 20
    fi
}

# `ls -l /` lists live directories.  /proc's link count is the number of
# processes on the machine, so it is blanked.  /tmp's time and the block
# total change when anything on the machine writes there, so a difference
# is confirmed by a second pair of runs before it counts.
same_twice() {
    local name=$1; shift
    same "$name" "$@" >"$TMP/first"
    if grep -q '^ok ' "$TMP/first"; then cat "$TMP/first"; else same "$name" "$@"; fi
}
proc_nlink() { sed -E 's/^(d[rwx-]+ +)[0-9]+( .* proc)$/\1N\2/'; }

filter=proc_nlink
same_twice "ls -l /" /bin/ls -l /
filter="cat"
same "sh: printf | sort | uniq -c" /bin/sh -c 'printf "b\na\nb\n" | sort | uniq -c'
same "sh: exit status and argv" /bin/sh -c 'echo "$0|$1|$2|$#"; exit 5' zero "one two" ""

py=/usr/bin/python3
if [ -x $py ]; then
    # A thread, a subprocess (fork+exec from a threaded process) and what
    # Python derives from argv and the environment.
    same "python3: thread, subprocess, argv" $py -c '
import os, subprocess, sys, threading
res = []
t = threading.Thread(target=lambda: res.append(sum(range(100000))))
t.start(); t.join()
print("thread", res[0])
print("subprocess", subprocess.run(["echo", "hi"], capture_output=True, text=True).stdout.strip())
print("argv", sys.argv[1:])
print("executable", sys.executable)
print("env", len(os.environ), os.environ.get("RUNSEL_TEST_PY"))' "an arg" ""
else
    skip "python3: $py not installed"
fi

pl=/usr/bin/perl
if [ -x $pl ]; then
    same "perl -e" $pl -e 'print join(",", map { $_*2 } 1..5), "\n"'
    loaded=$("${T[@]}" "$LOADER" $pl -e 'print join(",", map { $_*2 } 1..5), "\n"')
    check "perl: prints 2,4,6,8,10" test "$loaded" = "2,4,6,8,10"
else
    skip "perl: $pl not installed"
fi

if command -v gcc >/dev/null; then
    cat >"$TMP/prog.c" <<'EOF'
#include <stdio.h>
int main(int argc, char **argv)
{
    printf("built by gcc, %d args, last <%s>\n", argc, argv[argc - 1]);
    return 4;
}
EOF
    gcc=$(command -v gcc)
    # The driver runs under the loader; it spawns cc1, as, collect2 and ld.
    (cd "$TMP" && "${T[@]}" "$LOADER" "$gcc" -O2 -o prog-loaded prog.c) >"$TMP/gcc-l.out" 2>&1
    rc=$?
    check "gcc: compiles and links under the loader" test $rc -eq 0 -a ! -s "$TMP/gcc-l.out"
    (cd "$TMP" && "$gcc" -O2 -o prog-native prog.c)
    if [ -x "$TMP/prog-loaded" ]; then
        n=$("$TMP/prog-native" "x y"; echo "exit=$?")
        l=$("${T[@]}" "$TMP/prog-loaded" "x y"; echo "exit=$?")
        check "gcc: the program it built runs like the native build" test "$l" = "$n" -a -n "$l"
        check "gcc: the program it built is identical to the native build" \
            cmp -s "$TMP/prog-loaded" "$TMP/prog-native"
    else
        nok "gcc: the program it built runs like the native build: not built"
    fi
else
    skip "gcc: not installed"
fi
