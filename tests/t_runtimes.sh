#!/bin/bash
# Other language runtimes selected (SUD by default; TEST_BACKEND=kmod in
# vmtest's guest): Go (static and cgo), Rust, Java, Node.js and Python
# programs that use threads, signals, child processes and files print under
# `runsel -w null` and `runsel -w count` exactly what they print natively,
# and count's summaries add up.  Go first: a static Go program whose
# goroutines lock 8 OS threads and make system calls crashed under runsel
# (issue #11: the SIGSYS frame was pushed onto 2 KiB goroutine stacks).
# The programs: tests/runtimes/, built by tests/runtimes.mk.
. "$SRC/tests/lib/common.sh"
# The programs are built with this tree; a build dir without them (an
# older tree's, to show the tests fail there) uses this tree's.
RT=$BUILD/tests/runtimes
[ -x "$RT/go-static" ] || RT=$SRC/build/tests/runtimes
JS=$SRC/tests/runtimes/rt.js
PY=$SRC/tests/runtimes/rt.py
cd "$TMP"

# run_as WRAPPER OUT CMD...: CMD under runsel -w WRAPPER (count: one log
# per process in $TMP/count.*), its output and status into OUT.
run_as() {
    local w=$1 out=$2; shift 2
    rm -f "$TMP"/count.*
    if [ "$w" = count ]; then
        timeout 120 "$RUNSEL" -w count -o "log=$TMP/count.%p" -- "$@" >"$out" 2>&1
    else
        timeout 120 "$RUNSEL" -w "$w" -- "$@" >"$out" 2>&1
    fi
    echo "exit=$?" >>"$out"
}

# counts_add_up: every count summary written has a total line, and its
# calls and errors columns are the sums of the per-call lines above it.
# (A process killed by a signal — rust's overflow child — writes none.)
counts_add_up() {
    local f n=0
    for f in "$TMP"/count.*; do
        [ -s "$f" ] || continue
        awk '/^------/ {next} / total$/ {t = 1; if ($4 != c || $5 + 0 != e) bad = 1; next}
             NF >= 5 && $1 ~ /^[0-9.]+$/ {c += $4; if (NF == 6) e += $5}
             END {exit !(t && !bad && c > 0)}' "$f" || { echo "bad summary: $f"; cat "$f"; return 1; }
        n=$((n + 1))
    done
    [ "$n" -gt 0 ]
}

# calls NAME: the number of NAME calls in the count summaries.
calls() { cat "$TMP"/count.* | awk -v n="$1" '$NF == n && NF >= 5 {s += $4} END {print s + 0}'; }

# same_as_native NAME CMD...: output and status under null and count equal
# native ones, and count's summaries add up.
same_as_native() {
    local name=$1; shift
    ( "$@" ) >"$TMP/native" 2>&1; echo "exit=$?" >>"$TMP/native"
    for w in null count; do
        run_as "$w" "$TMP/$w" "$@"
        if cmp -s "$TMP/native" "$TMP/$w"; then
            ok "$name: same output and status as native under $w"
        else
            nok "$name: output under $w differs from native"
            diff "$TMP/native" "$TMP/$w" | head -n 20
        fi
    done
    check "$name: count's summaries add up" counts_add_up
}

have() { [ -e "$1" ] || { skip "$2: $1 not built or not installed"; return 1; }; }

# ---- a program's own alternate stack stays its own (runsel's is not seen)
for prog in altstack altstack-static; do
    have "$RT/$prog" "$prog" && same_as_native "$prog: sigaltstack read back, errors, handlers on it" "$RT/$prog"
done

# ---- runsel's per-thread signal stacks are reused, not leaked
if have "$RT/churn" "churn"; then
    same_as_native "3000 short-lived threads and 300 posix_spawn children" "$RT/churn"
fi

# ---- Go: the crash of issue #11, then the runtime's features
if have "$RT/go-static" "go"; then
    for prog in go-static go-cgo; do
        runs=10; [ "$prog" = go-cgo ] && runs=5
        bad=0
        for i in $(seq $runs); do
            run_as null "$TMP/out" "$RT/$prog" locked
            grep -qx 'locked: calls 48000' "$TMP/out" && grep -qx 'exit=0' "$TMP/out" ||
                { bad=$((bad + 1)); [ $bad -eq 1 ] && head -n 5 "$TMP/out"; }
        done
        check "$prog: 8 locked threads making calls: $((runs - bad)) of $runs runs ok under null" \
            test $bad -eq 0
        same_as_native "$prog features (threads, preemption, os/exec, signal.Notify, files)" \
            "$RT/$prog" features
        # trace formats each call in a 4 KiB line buffer: far more than a
        # goroutine's stack holds (both backends run it on runsel's stack).
        ( "$RT/$prog" features ) >"$TMP/native" 2>&1
        timeout 120 "$RUNSEL" -w trace -o "log=$TMP/trace.log" -- "$RT/$prog" features \
            >"$TMP/out" 2>&1
        check "$prog features: same output as native under trace" cmp -s "$TMP/native" "$TMP/out"
        run_as count "$TMP/out" "$RT/$prog" locked
        n=$(calls getppid)
        check "$prog locked: count shows every getppid (48000 + 1, got $n)" test "$n" -eq 48001
        run_as count "$TMP/out" "$RT/$prog" raw 0; n0=$(calls getppid)
        run_as count "$TMP/out" "$RT/$prog" raw 5000; n1=$(calls getppid)
        check "$prog: 5000 RawSyscall getppid are 5000 more in count ($n0 -> $n1)" \
            test $((n1 - n0)) -eq 5000
    done
fi

# ---- Rust: std sets an alternate signal stack on every thread; a handler
# with SA_ONSTACK, and std's stack-overflow handler, run on it
if have "$RT/rt-rs" "rust"; then
    same_as_native "rust (threads, sigaltstack, signal, overflow handler, child, files)" "$RT/rt-rs"
fi

# ---- Java: the JVM's own signals (implicit null checks), a thread pool,
# sun.misc.Signal, ProcessBuilder, files
if have "$RT/java/Rt.class" "java" && have "$(command -v java)" "java"; then
    same_as_native "java (thread pool, signal, child, files, null checks)" java -cp "$RT/java" Rt
fi

# ---- Node.js: worker threads, a signal, child processes, files
if have "$(command -v node)" "node"; then
    same_as_native "node (worker threads, signal, child processes, files)" node "$JS"
fi

# ---- Python: threads, a signal, faulthandler's altstack, subprocess, files
same_as_native "python (threads, signal, faulthandler, subprocess, files)" /usr/bin/python3 "$PY"
