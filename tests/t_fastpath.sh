#!/bin/bash
# The rewriting fast path (issue #13): a `mov $NR,%eax; syscall` site that
# traps twice is rewritten into a jump to per-site code, so later calls
# there no longer trap.  What a user sees must not change: every call still
# reaches the wrappers exactly once (count's totals with and without the
# fast path), patching and unpatching races with threads, signals and fork
# (fastpath=stress: every trap unpatches a site), MDWE, the program's own
# SIGTRAP, JIT code (never patched), Go and Python, real programs' output.
# RUNSEL_FASTPATH_STATS=FILE: one line per process at its exit_group,
#   runsel-fastpath pid=P traps=T patched=N unpatched=U refused=R off=REASON
# The programs: tests/fastpath/, built by tests/fastpath.mk.
. "$SRC/tests/lib/common.sh"
F=$BUILD/tests/fastpath
chmod 755 "$TMP"
cd "$TMP"
T=timeout

# calls NAME FILE...: count's NAME total over the summaries in FILE...
calls() { local n=$1; shift; cat "$@" 2>/dev/null | awk -v n="$n" '$NF == n && NF >= 5 {s += $4} END {print s + 0}'; }
# total FILE...: count's total of all calls
total() { cat "$@" 2>/dev/null | awk '$NF == "total" {s += $4} END {print s + 0}'; }
# st KEY FILE: KEY= summed over the stats lines in FILE ("" without lines)
st() { awk -v k="$1" '/^runsel-fastpath / {n++; for (i = 2; i <= NF; i++) {split($i, a, "="); if (a[1] == k) s += a[2]}}
                      END {if (n) print s + 0}' "$2" 2>/dev/null; }
# off FILE: the distinct off= reasons in FILE, comma-separated
off() { awk '/^runsel-fastpath / {for (i = 2; i <= NF; i++) if ($i ~ /^off=/) r[substr($i, 5)] = 1}
             END {s = ""; for (k in r) s = s (s == "" ? "" : ",") k; print s}' "$1" 2>/dev/null; }
# lines FILE: how many stats lines FILE has
lines() { grep -c '^runsel-fastpath ' "$1" 2>/dev/null || true; }
# well_formed FILE: every line of FILE is a complete stats line (the
# documented fields in order; others, KEY=NUMBER, may come before off=)
well_formed() {
    [ -s "$1" ] && ! grep -Ev '^runsel-fastpath pid=[0-9]+ traps=[0-9]+ patched=[0-9]+ unpatched=[0-9]+ refused=[0-9]+( [a-z_]+=[0-9]+)* off=[-a-z]+$' "$1"
}
# fo MODE: runsel's option for fastpath=MODE (default: none)
fo() { [ "$1" = default ] || echo "-o fastpath=$1"; }
declare -A tot gon py out
# fpr STATS ARGS...: runsel with RUNSEL_FASTPATH_STATS=STATS (removed first)
fpr() { local s=$1; shift; rm -f "$s"; RUNSEL_FASTPATH_STATS=$s $T 120 "$RUNSEL" "$@"; }

# ---- the programs: their sites are what the fast path rewrites
for p in fp fp-static; do
    bad=
    fdes=$(objdump --dwarf=frames "$F/$p" 2>/dev/null | grep -o 'pc=[0-9a-f]*\.\.[0-9a-f]*' | sed 's/pc=//; s/\.\./ /')
    for s in $(nm "$F/$p" | awk '$3 ~ /^raw_.*_site$/ {print $1}'); do
        in=0
        while read -r lo hi; do
            [ $((16#$lo)) -le $((16#$s)) ] && [ $((16#$s)) -lt $((16#$hi)) ] && { in=1; break; }
        done <<<"$fdes"
        [ $in = 1 ] || bad="$bad $s"
    done
    n=$(nm "$F/$p" | grep -c ' raw_.*_site$')
    check "$p: its $n raw sites (b8 NR 00 00 00 0f 05, checked by fp itself) lie in .eh_frame FDEs${bad:+ (not:$bad)}" \
        test -z "$bad" -a "$n" -eq 4
done

# ---- is it on here?  Off for a reason of this machine (ptraced, the
# kernel module backend, membarrier, nowrite): the exactness and race checks still run, the
# checks that it patched are skipped.
fpr "$TMP/probe.st" -w null -- "$F/fp" mix 100 >/dev/null 2>&1
probe_off=$(off "$TMP/probe.st")
one_line() { [ "$(grep -c . "$1" 2>/dev/null)" = 1 ] && well_formed "$1"; }
check "RUNSEL_FASTPATH_STATS: one well-formed line for a run of one process ($(head -c 120 "$TMP/probe.st" 2>/dev/null))" \
    one_line "$TMP/probe.st"
case $probe_off in
-) on=1 ;;
ptraced|membarrier|nowrite|backend) on=0; skip "the fast path's patching checks: it is off here (off=$probe_off)" ;;
*) on=0; nok "the fast path is on by default (stats: off=${probe_off:-no line})" ;;
esac
# patched NAME FILE [TEST-ARGS...]: ok when the fast path patched sites in
# the run whose stats are in FILE (and test TEST-ARGS holds); skipped when
# it cannot be on here
patched() {
    if [ $on = 1 ]; then check "$1" test "$(st patched "$2")" -gt 0 "${@:3}"; else skip "$1: off here"; fi
}

# ---- exactness: every call reaches the wrapper once, patched or not
N=20000
for p in fp fp-static; do
    want="mix $N: getppid calls=$((3 * N)) wrong=0"
    got=$($T 60 "$F/$p" mix $N 2>&1)
    check "$p mix $N natively" test "$got" = "$want"
    for mode in default no; do
        rm -f "$TMP/mix.count"
        got=$(FP_SITES=1 fpr "$TMP/mix.$p.$mode" -w count -o log="$TMP/mix.count" $(fo $mode) -- "$F/$p" mix $N \
              2>"$TMP/mix.$p.$mode.err")
        cat "$TMP/mix.$p.$mode.err"
        c=$(calls getppid "$TMP/mix.count")
        check "$p mix $N, fastpath=$mode: count sees all $((3 * N)) getppid (got $c), output as native" \
            test "$c" = $((3 * N)) -a "$got" = "$want"
        tot[$mode]=$(total "$TMP/mix.count")
        check "  JIT code (anonymous memory) never rewritten, fastpath=$mode" grep -q 'jit=unchanged$' "$TMP/mix.$p.$mode.err"
    done
    # the program's own site: rewritten (b8 -> e9) with it, as built without
    patched "$p mix: its raw getppid site was rewritten ($(grep -o 'raw_getppid=..' "$TMP/mix.$p.default.err"))" \
        "$TMP/mix.$p.default" -a "$(grep -o 'raw_getppid=..' "$TMP/mix.$p.default.err")" = raw_getppid=e9
    check "$p mix, fastpath=no: its raw getppid site as built ($(grep -o 'raw_getppid=..' "$TMP/mix.$p.no.err"))" \
        grep -q 'raw_getppid=b8 ' "$TMP/mix.$p.no.err"
    s=$TMP/mix.$p.default
    tr=$(st traps "$s")
    # 2N calls at two rewritable sites, N from JIT code (always traps)
    patched "$p mix: the fast path took calls (patched=$(st patched "$s"), traps=$tr of ${tot[default]} calls)" \
        "$s" -a "${tr:-0}" -lt $(( ${tot[default]} - 2 * N + 100 ))
    s=$TMP/mix.$p.no
    check "$p mix, -o fastpath=no: nothing patched, every call trapped, off=option ($(head -c 100 "$s" 2>/dev/null))" \
        test "$(st patched "$s")" = 0 -a "$(off "$s")" = option -a "$(st traps "$s")0" -ge $((3 * N))0
done
# a static program as gcc -static links it: no PT_GNU_EH_FRAME, so no site
# of its own is provable and none is rewritten; every call still counted
rm -f "$TMP/nohdr.count"
fpr "$TMP/nohdr.st" -w count -o log="$TMP/nohdr.count" -- "$BUILD/tests/wrap/stress-static" rawsys 500 >/dev/null 2>&1
check "a static program without .eh_frame_hdr: nothing rewritten (patched=$(st patched "$TMP/nohdr.st")), all 1000 getppid counted ($(calls getppid "$TMP/nohdr.count"))" \
    test "$(st patched "$TMP/nohdr.st")" = 0 -a "$(calls getppid "$TMP/nohdr.count")" = 1000
fpr "$TMP/nofp.st" --no-fastpath -w null -- "$F/fp" mix 100 >/dev/null 2>&1
check "runsel --no-fastpath: patched=0 off=option" test "$(st patched "$TMP/nofp.st")" = 0 -a "$(off "$TMP/nofp.st")" = option
$T 10 "$RUNSEL" -w null -o fastpath=maybe -- /bin/true 2>/dev/null; rc=$?
check "-o fastpath=maybe is a usage error (2, got $rc)" test $rc -eq 2

# Go: its SYSCALL takes the number from a register (never rewritten);
# count's getppid grows by exactly N with and without the fast path.
if [ -x "$F/fpgo" ]; then
    for mode in default no; do
        for args in "getppid 0" "getppid 5000" "threads 4 2000"; do
            rm -f "$TMP"/go.*
            $T 60 "$RUNSEL" -w count -o log="$TMP/go.%p" $(fo $mode) -- "$F/fpgo" $args >/dev/null 2>&1
            gon[${args// /_}]=$(calls getppid "$TMP"/go.*)
        done
        check "go, fastpath=$mode: 5000 syscall.Getppid are 5000 more in count (${gon[getppid_0]} -> ${gon[getppid_5000]})" \
            test $((gon[getppid_5000] - gon[getppid_0])) -eq 5000
        check "go, fastpath=$mode: 4 locked threads x 2000 are 8000 more (${gon[getppid_0]} -> ${gon[threads_4_2000]})" \
            test $((gon[threads_4_2000] - gon[getppid_0])) -eq 8000
    done
else
    skip "go: fpgo not built"
fi
# Python: os.getppid N times; whatever python makes itself, the same
# number with and without the fast path
PYN=5000
for mode in default no; do
    rm -f "$TMP"/py.* "$TMP/pyst.$mode"
    RUNSEL_FASTPATH_STATS=$TMP/pyst.$mode $T 60 "$RUNSEL" -w count -o log="$TMP/py.%p" $(fo $mode) -- \
        python3 -c "import os
for i in range($PYN): os.getppid()" >/dev/null 2>&1
    py[$mode]=$(calls getppid "$TMP"/py.*)
done
check "python3: $PYN os.getppid(): count's getppid the same with the fast path (${py[default]}) as without (${py[no]}), >= $PYN" \
    test "${py[default]}" = "${py[no]}" -a "${py[no]}" -ge $PYN
patched "python3: the fast path patched sites in python's processes" "$TMP/pyst.default"

# ---- races: patching, unpatching and calling at once
for p in fp fp-static; do
    got=$($T 30 "$F/$p" threads 8 2 2>&1); rc=$?
    check "$p threads 8 2 natively: exit 0, no wrong result" bash -c "test $rc = 0 && grep -q 'wrong=0\$' <<<'$got'"
done
got=$(fpr "$TMP/thr.stress" -w null -o fastpath=stress -- "$F/fp" threads 8 10 2>&1); rc=$?
check "threads 8 10 under null, fastpath=stress: exit 0, no wrong result ($rc: $(head -c 200 <<<"$got"))" \
    bash -c "test $rc = 0 && grep -q 'wrong=0\$' <<<'$got'"
patched "  stress patched and unpatched sites over and over (patched=$(st patched "$TMP/thr.stress") unpatched=$(st unpatched "$TMP/thr.stress"))" \
    "$TMP/thr.stress" -a "$(st unpatched "$TMP/thr.stress")0" -gt 100
# threads_exact FILE OUTPUT: count's totals = what fp counted + its references
threads_exact() {
    local out=$2 k w=0
    for k in getppid getpid gettid; do
        local want=$(grep -o "$k=[0-9]*" <<<"$out" | cut -d= -f2) ref=1
        [ $k = gettid ] && ref=8
        [ "$(calls $k "$1")" = $((want + ref)) ] || { echo "$k: count $(calls $k "$1"), fp $want + $ref"; w=1; }
    done
    return $w
}
rm -f "$TMP/thr.count"
got=$(FP_SITES=1 fpr "$TMP/thr.default" -w count -o log="$TMP/thr.count" -- "$F/fp" threads 8 10 2>"$TMP/thr.err"); rc=$?
cat "$TMP/thr.err"
check "threads 8 10 under count: exit 0, no wrong result ($rc: $(head -c 200 <<<"$got"))" \
    bash -c "test $rc = 0 && grep -q 'wrong=0\$' <<<'$got'"
check "  count saw every getppid, getpid and gettid once $(threads_exact "$TMP/thr.count" "$got" | tr '\n' ' ')" \
    threads_exact "$TMP/thr.count" "$got"
patched "  the fast path was on (patched=$(st patched "$TMP/thr.default") traps=$(st traps "$TMP/thr.default"))" "$TMP/thr.default"
patched "  every raw site rewritten, the one inside its function too ($(grep -o 'raw_.*=..' "$TMP/thr.err" | tr '\n' ' '))" \
    "$TMP/thr.default" -a "$(grep -o 'raw_[a-z_]*=e9' "$TMP/thr.err" | wc -l)" = 4
check "  JIT code never rewritten" grep -q 'jit=unchanged$' "$TMP/thr.err"
rm -f "$TMP/thrs.count"
got=$(fpr "$TMP/thrs.st" -w count -o log="$TMP/thrs.count" -o fastpath=stress -- "$F/fp-static" threads 8 4 2>&1); rc=$?
check "fp-static threads 8 4 under count, fastpath=stress: exit 0, no wrong result ($rc: $(head -c 200 <<<"$got"))" \
    bash -c "test $rc = 0 && grep -q 'wrong=0\$' <<<'$got'"
check "  count saw every call once through the patching and unpatching $(threads_exact "$TMP/thrs.count" "$got" | tr '\n' ' ')" \
    threads_exact "$TMP/thrs.count" "$got"
patched "  stress unpatched sites (unpatched=$(st unpatched "$TMP/thrs.st"))" "$TMP/thrs.st" -a "$(st unpatched "$TMP/thrs.st")0" -gt 0

got=$($T 30 "$F/fp" signals 4 1 2>&1); rc=$?
check "signals 4 1 natively: exit 0, no wrong result" bash -c "test $rc = 0 && grep -q 'wrong=0\$' <<<'$got'"
for mode in default stress; do
    got=$(fpr "$TMP/sig.$mode" -w null $(fo $mode) -- "$F/fp" signals 4 5 2>&1); rc=$?
    check "signals 4 5 under null, fastpath=$mode: SIGUSR1 storm, handler's calls and errno right ($rc: $(head -c 200 <<<"$got"))" \
        bash -c "test $rc = 0 && grep -q 'handled=[1-9][0-9]* wrong=0\$' <<<'$got'"
done
patched "  the fast path was on in the storm (patched=$(st patched "$TMP/sig.default"))" "$TMP/sig.default"

# blocked signals: threads that block everything around their calls, with
# sites rewritten and unrewritten under them (the int3 step of stress must
# not find SIGTRAP really blocked), and with only getppid taken by a wrapper
# (rt_sigprocmask from a rewritten site must still be runsel's)
got=$($T 30 "$F/fp" sigmask 4 1 2>&1)
check "sigmask 4 1 natively ($got)" test "$got" = "sigmask 4 1: wrong=0"
got=$(fpr "$TMP/mask.stress" -w null -o fastpath=stress -- "$F/fp" sigmask 4 3 2>&1); rc=$?
check "sigmask 4 3 under null, fastpath=stress: every signal blocked around the calls ($rc: $(head -c 200 <<<"$got"))" \
    test "$got" = "sigmask 4 3: wrong=0"
got=$(fpr "$TMP/mask.only" -w count -o log="$TMP/mask.count" -o syscalls=getppid -- "$F/fp" sigmask 4 3 2>&1); rc=$?
check "sigmask 4 3 under count syscalls=getppid: as native ($rc: $(head -c 200 <<<"$got"))" \
    test "$got" = "sigmask 4 3: wrong=0"
patched "  sites patched with only getppid taken (patched=$(st patched "$TMP/mask.only"))" "$TMP/mask.only"

want=$($T 60 "$F/fp" fork 50 2>&1)
check "fork 50 natively" test "$want" = "fork 50: bad children=0 wrong=0"
for mode in default stress; do
    got=$(fpr "$TMP/fork.$mode" -w null $(fo $mode) -- "$F/fp" fork 50 2>&1)
    check "fork 50 under null, fastpath=$mode: every child's calls right, every status 0 ($(head -c 200 <<<"$got"))" \
        test "$got" = "$want"
    check "  a stats line from each of the 51 processes ($(lines "$TMP/fork.$mode"))" test "$(lines "$TMP/fork.$mode")" = 51
done
rm -f "$TMP"/fork.count.*
got=$(fpr "$TMP/fork.st" -w count -o per-process=yes -o log="$TMP/fork.count.%p" -- "$F/fp" fork 20 2>&1)
# each child: 4 x 300 getppid, 2 x 300 getpid + 1 (its reference), 300 gettid
c=$(for f in "$TMP"/fork.count.*; do
        [ "$(calls getppid "$f") $(calls getpid "$f") $(calls gettid "$f")" = "1200 601 300" ] && echo x
    done | wc -l)
check "fork 20 under count: each of the 20 children's calls counted exactly (got $c)" \
    test "$got" = "fork 20: bad children=0 wrong=0" -a "$c" = 20

want=$($T 60 "$F/fp" spawn 20 2>&1)
check "spawn 20 natively" test "$want" = "spawn 20: bad children=0 wrong=0"
for mode in default stress; do
    got=$(fpr "$TMP/spawn.$mode" -w null $(fo $mode) -- "$F/fp" spawn 20 2>&1)
    check "spawn 20 under null, fastpath=$mode: posix_spawn children while threads call sites ($(head -c 200 <<<"$got"))" \
        test "$got" = "$want"
done

# a library unloaded, another of the same layout loaded in its place: the
# same site addresses now hold getpid, not getppid
want=$($T 30 "$F/fp" dlreuse 30 "$F/fpa.so" "$F/fpb.so" 2>&1)
check "dlreuse 30 natively ($want)" test "$want" = "dlreuse 30: wrong=0"
for mode in default stress; do
    got=$(FP_SITES=1 fpr "$TMP/dl.$mode" -w null $(fo $mode) -- "$F/fp" dlreuse 30 "$F/fpa.so" "$F/fpb.so" 2>"$TMP/dl.$mode.err")
    cat "$TMP/dl.$mode.err"
    check "dlreuse 30 under null, fastpath=$mode: what was patched in the old library never reaches the new ($got)" \
        test "$got" = "$want"
done
rw=$(grep -o 'a=[0-9]* b=[0-9]*' "$TMP/dl.default.err")
patched "  fastpath=default: every load's 32 sites were rewritten, each library's with its own call ($rw)" \
    "$TMP/dl.default" -a "$rw" = "a=960 b=960"

want=$($T 30 "$F/fp" mdwe $N 2>&1); rc=$?
if [ $rc = 77 ]; then
    skip "mdwe: $want"
else
    check "mdwe $N natively" test $rc = 0
    for p in fp fp-static; do
        rm -f "$TMP/mdwe.count"
        got=$(fpr "$TMP/mdwe.$p" -w count -o log="$TMP/mdwe.count" -- "$F/$p" mdwe $N 2>&1); rc=$?
        check "$p mdwe $N under count: as native, every getppid counted ($(calls getppid "$TMP/mdwe.count"); $(head -c 100 "$TMP/mdwe.$p" 2>/dev/null))" \
            test "$got" = "$want" -a "$(calls getppid "$TMP/mdwe.count")" = $((3 * N))
    done
fi

want=$($T 30 "$F/fp" sigtrap 2>&1)
check "sigtrap natively: its handler gets SI_TKILL and SI_KERNEL ($want)" \
    test "$want" = "sigtrap: handler ran 2 times (SI_TKILL, SI_KERNEL), getppid calls=6002 wrong=0"
for p in fp fp-static; do
    for mode in default stress; do
        got=$(fpr "$TMP/trap.$p.$mode" -w null $(fo $mode) -- "$F/$p" sigtrap 2>&1)
        check "$p sigtrap, fastpath=$mode: the program's SIGTRAPs reach its handler, as native ($got)" test "$got" = "$want"
    done
    patched "  $p sigtrap: sites were patched around the program's SIGTRAPs" "$TMP/trap.$p.default"
done

# status CMD...: CMD's exit status (through sh, which does not report the signal)
status() { sh -c '"$@" >/dev/null 2>&1; echo $?' sh "$@"; }
want=$(status $T 30 "$F/fp" int3)
check "int3 natively: killed by SIGTRAP (133, got $want)" test $want = 133
for mode in default stress; do
    rc=$(RUNSEL_FASTPATH_STATS=$TMP/int3.$mode status $T 30 "$RUNSEL" -w null $(fo $mode) -- "$F/fp" int3)
    check "int3 under null, fastpath=$mode: its own int3 at SIG_DFL kills it with SIGTRAP, as natively ($rc)" test $rc = $want
done

# ---- behaviour: real programs print the same with and without it
printf '#include <stdio.h>\nint main(void){puts("built");return 0;}\n' >hello.c
cmds=("ls -la /usr/share/doc/bash"
      "sh -c 'printf \"b\na\nb\n\" | sort | uniq -c; ls / | wc -l'"
      "python3 -c 'import json, subprocess; print(json.dumps(subprocess.run([\"echo\", \"hi\"], capture_output=True).stdout.decode()))'"
      "gcc -O2 -o $TMP/hello $TMP/hello.c && $TMP/hello")
for w in null trace; do
    for c in "${cmds[@]}"; do
        for mode in default no; do
            rm -f "$TMP/hello"
            wo=; [ $w = trace ] && wo="-o log=$TMP/$w.log"
            out[$mode]=$(eval "$T 60 '$RUNSEL' -w $w $wo $(fo $mode) -- $c" 2>&1; echo "exit=$?")
        done
        out[native]=$(eval "$c" 2>&1; echo "exit=$?")
        check "$w: same output and status with and without the fast path, as native: ${c:0:50}" \
            test "${out[default]}" = "${out[no]}" -a "${out[no]}" = "${out[native]}"
    done
done
# trace sees the same calls, in the same order (names), with and without it
for mode in default no; do
    rm -f "$TMP/tr.$mode" "$TMP/trs.$mode"
    $T 60 "$RUNSEL" -w trace -o log="$TMP/tr.$mode" $(fo $mode) -- ls -la /usr/share/doc/bash >/dev/null 2>&1
    $T 60 "$RUNSEL" -w trace -o log="$TMP/trs.$mode" $(fo $mode) -- "$F/fp-static" mix 300 >/dev/null 2>&1
done
check "trace: ls -la makes the same calls with and without the fast path" \
    cmp -s <(sed 's/(.*//' "$TMP/tr.default") <(sed 's/(.*//' "$TMP/tr.no")
check "trace: fp-static mix 300 makes the same calls with and without it ($(grep -c '^getppid()' "$TMP/trs.default") getppid)" \
    bash -c "cmp -s <(sed 's/(.*//' '$TMP/trs.default') <(sed 's/(.*//' '$TMP/trs.no') && test \$(grep -c '^getppid()' '$TMP/trs.default') = 900"

# ---- never while ptraced: a debugger or tracer would take runsel's int3
# for its own; the fast path turns itself off and every call still counts
if command -v strace >/dev/null; then
    rm -f "$TMP/traced.st" "$TMP/traced.count"
    RUNSEL_FASTPATH_STATS=$TMP/traced.st $T 60 strace -f -qq -o /dev/null -- \
        "$RUNSEL" -w count -o log="$TMP/traced.count" -- "$F/fp" mix 500 >/dev/null 2>&1
    check "under strace: nothing patched, off=ptraced ($(head -c 100 "$TMP/traced.st" 2>/dev/null))" \
        test "$(st patched "$TMP/traced.st")" = 0 -a "$(off "$TMP/traced.st")" = ptraced
    check "under strace: every getppid still reaches the wrapper (1500)" \
        test "$(calls getppid "$TMP/traced.count")" = 1500
fi

# ---- a kernel without PROCMAP_QUERY (before 6.11, e.g. Debian 12's 6.1):
# the mappings are read from /proc/self/maps' text instead (initmod/vma.c)
if [ $on = 1 ]; then
    rm -f "$TMP/noq.count"
    fpr "$TMP/noq.st" -w count -o log="$TMP/noq.count" -- "$F/noprocmap" "$F/fp" mix 2000 >/dev/null 2>&1
    check "no PROCMAP_QUERY: sites still proven and patched from the maps text ($(head -c 100 "$TMP/noq.st"))" \
        test "$(st patched "$TMP/noq.st")" -gt 0 -a "$(off "$TMP/noq.st")" = -
    check "no PROCMAP_QUERY: every getppid counted (6000)" test "$(calls getppid "$TMP/noq.count")" = 6000
fi
