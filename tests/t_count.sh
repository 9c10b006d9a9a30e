#!/bin/bash
# The count wrapper, like strace -c -f: one summary for the whole run,
# written once, before runsel's caller continues; its per-call counts and
# errors equal strace -c -f's on deterministic programs; nothing lost
# (killed processes, exec chains, children with stderr on /dev/null or
# closed, programs that close every fd); strace 6.1's table (header,
# rules, widths, blank errors, total line, -S sorts, -U columns); -w
# (latency=yes) against system time; per-process tables that never
# interleave; relative logs resolved once; low fd limits.
# tests/count/calls.c makes known numbers of calls.
. "$SRC/tests/lib/common.sh"
cd "$TMP" || exit 1
CT=$BUILD/tests/count
C=$CT/calls
chmod 755 "$TMP"

# calls NAME FILE / errors NAME FILE: count's (or strace's) number of NAME
# calls / errors in a default-column table (empty when absent).
calls() { awk -v n="$1" '$NF == n && NF >= 5 && $1 != "%" {print $4}' "$2"; }
errors() { awk -v n="$1" '$NF == n && NF >= 5 && $1 != "%" {print NF == 6 ? $5 : 0}' "$2"; }
totals() { grep -c ' total$' "$1" 2>/dev/null; }
count() { local log=$1; shift; rm -f "$log"; timeout 60 "$RUNSEL" -w count -o log="$log" "$@"; }

# per_call FILE [EXCLUDED...]: "name calls errors" per row, sorted; the
# excluded names left out.
per_call() {
    local f=$1; shift
    awk -v ex=" $* " '$1 ~ /^[0-9]/ && $NF != "total" && index(ex, " " $NF " ") == 0 {
        print $NF, $4, (NF == 6 ? $5 : 0) }' "$f" | sort
}

# ---- the counts are strace -c -f's
if strace -f -c -o "$TMP/probe" true 2>/dev/null; then
    same_counts() {   # same_counts "EXCLUDED" WHY CMD...
        local ex=$1 why=$2; shift 2
        strace -f -c -o "$TMP/s.txt" -- "$@" >/dev/null 2>&1
        count "$TMP/r.txt" -- "$@" >/dev/null 2>&1
        local d=$(diff <(per_call "$TMP/s.txt" $ex) <(per_call "$TMP/r.txt" $ex) | grep '^[<>]' | head -6 | tr '\n' ' ')
        check "counts and errors per call = strace -c -f's: $*${ex:+ ($ex aside: $why)}${d:+ — $d}" \
            test -z "$d" -a -n "$(per_call "$TMP/r.txt")"
    }
    same_counts "" "" sh -c 'ls / >/dev/null; cat /etc/hostname >/dev/null'
    same_counts "" "" bash -c 'for i in 1 2 3; do /bin/true; done; cat /nonexistent 2>/dev/null'
    [ -x /usr/bin/python3 ] && same_counts "" "" /usr/bin/python3 -c 'import os'
    for p in "$C" "$C-static"; do
        same_counts "" "" "$p" calls 50
        same_counts "" "" "$p" fork 5 20
        same_counts "" "" "$p" vfork 3
        same_counts "" "" "$p" exec 4
        same_counts "" "" "$p" execfail 3
        same_counts "" "" "$p" closeall 5
        same_counts futex "how often threads wait depends on timing" "$p" threads 8 200
        same_counts "" "" "$p" spawn 3
        # a process killed in a call (the call's error counts: strace saw
        # it end), and handlers that end calls with EINTR (rt_sigreturn
        # returns it: an error too)
        local_poll="openat read close clock_nanosleep"
        same_counts "$local_poll" "how often a process polls /proc until the other is in pause() is timing" \
            "$p" termed
        same_counts "$local_poll" "how often a process polls /proc until the other is in pause() is timing" \
            "$p" interrupted 3
    done
else
    skip "counts against strace -c -f: strace cannot run here"
fi

# ---- nothing lost
count "$TMP/y.log" -- sh -c 'yes | head -1 >/dev/null'
check "sh -c 'yes | head -1': one summary, yes's writes in it (execve 3, write $(calls write "$TMP/y.log") > 1)" \
    test "$(totals "$TMP/y.log")/$(calls execve "$TMP/y.log")" = 1/3 -a "$(calls write "$TMP/y.log")" -gt 1
count "$TMP/yp.log" -o per-process=yes -- sh -c 'yes | head -1 >/dev/null'
yes_table=$(awk '/^pid [0-9]+: .*, then \/usr\/bin\/yes$/ {t=1; next} /^pid / {t=0} t && $NF == "write" {print $4}' "$TMP/yp.log")
check "  per-process=yes: yes (killed by SIGPIPE) has its own table, with its writes ($yes_table)" \
    test "${yes_table:-0}" -gt 0
count "$TMP/k.log" -- "$C" killed 50
check "a child killed by SIGKILL: its 50 getppid counted ($(calls getppid "$TMP/k.log"))" \
    test "$(calls getppid "$TMP/k.log")" = 50
count "$TMP/e.log" -- "$C" exec 4
check "an exec chain of 5 images: every image counted (execve 5, getppid 5)" \
    test "$(calls execve "$TMP/e.log")/$(calls getppid "$TMP/e.log")" = 5/5
count "$TMP/ep.log" -o per-process=yes -- "$C" exec 4
check "  per-process=yes: one table for the one process, its first and last image named (as exec'd)" \
    test "$(totals "$TMP/ep.log")" = 1 -a "$(grep -c "^pid [0-9]*: $C, then /proc/self/exe$" "$TMP/ep.log")" = 1
count "$TMP/ef.log" -- "$C" execfail 3
check "failing execs: counted with their errors (4 execve, 3 errors)" \
    test "$(calls execve "$TMP/ef.log")/$(errors execve "$TMP/ef.log")" = 4/3
count "$TMP/t.log" -- "$C" threads 8 1000
check "8 threads x 1000 getppid: 8000" test "$(calls getppid "$TMP/t.log")" = 8000
count "$TMP/sp.log" -- "$C" spawn 3
check "posix_spawn (CLONE_VM|CLONE_VFORK) children and their images counted (execve 4)" \
    test "$(calls execve "$TMP/sp.log")" = 4
out=$(timeout 30 "$RUNSEL" -w count -- sh -c 'exec 2>/dev/null; ls / >/dev/null' 2>&1 >/dev/null)
check "a child's stderr on /dev/null: the summary still reaches the run's stderr" \
    test "$(grep -c ' total$' <<<"$out")" = 1 -a -n "$(grep ' getdents64$' <<<"$out")"
out=$(timeout 30 "$RUNSEL" -w count -- sh -c 'exec 2>&-; ls / >/dev/null' 2>&1 >/dev/null)
check "a child's stderr closed: the same" test "$(grep -c ' total$' <<<"$out")" = 1
out=$(timeout 30 "$RUNSEL" -w count -- "$C" closeall 5 2>&1)
check "a program that closes every fd (close_range 0..~0): the summary on the stderr it started with" \
    test "$(grep -c ' total$' <<<"$out")/$(awk '$NF == "getppid" {print $4}' <<<"$out")" = 1/5
# Killed by SIGKILL, the root runs nothing of count's: the collector writes
# when the kernel drops the run's lock, after the caller may have gone on
# (documented in docs/wrappers.md), so the summary is awaited here.
(count "$TMP/kr.log" -- sh -c 'kill -9 $$') 2>/dev/null
for _ in $(seq 100); do [ "$(totals "$TMP/kr.log")" = 1 ] && break; sleep 0.1; done
sleep 0.2
check "the first process killed by SIGKILL: the summary is still written, once" test "$(totals "$TMP/kr.log")" = 1

# ---- once, and before the caller continues
bad=0
for i in $(seq 15); do
    count "$TMP/o.log" -- sh -c 'yes | head -1 >/dev/null; /bin/true'
    [ "$(totals "$TMP/o.log")" = 1 ] || bad=$((bad + 1))
    count "$TMP/o.log" -- "$C" fork 20 5
    [ "$(totals "$TMP/o.log")/$(calls getppid "$TMP/o.log")" = 1/100 ] || bad=$((bad + 1))
done
check "30 runs (21 processes; a killed one): one summary each, written when runsel returns ($bad missing)" test $bad = 0
# Whether runsel waited is seen from the child, not a clock (a loaded VM
# took 1.4 s to return where 1 s was the limit): it must still be running
# when runsel returns, 8 s before it makes its call.
count "$TMP/l.log" -- "$C" linger 8000
alive=$(pgrep -fc -- "$C linger 8000")
early=$(totals "$TMP/l.log")
wait_for_line "$TMP/l.log" ' total$' 30
check "a child outliving the first process: runsel returns while it runs (alive: ${alive:-0}, summaries then: ${early:-0}), the summary comes when the child ends, with its call" \
    test "${alive:-0}" -ge 1 -a "${early:-0}" = 0 -a "$(totals "$TMP/l.log")" = 1 -a "$(calls getppid "$TMP/l.log")" = 1
# The same, seen from the child again: the summary is there while the
# unwrapped sleep still runs (a wait bounded by time failed in a slow VM).
count "$TMP/in.log" -o inherit=no -- sh -c 'sleep 47.5 & exit 0'
wait_for_line "$TMP/in.log" ' total$' 30
alive=$(pgrep -fxc -- "sleep 47.5")   # -x: not the supervisor, whose argv holds it
check "inherit=no: a program exec'd unwrapped does not hold the run open (the summary while it runs; alive: ${alive:-0})" \
    test "$(totals "$TMP/in.log")/${alive:-0}" = 1/1
pkill -f -- "sleep 47.5"
out=$(timeout 20 bash -c "'$RUNSEL' -w count -o log=/dev/null -- yes | head -1"); rc=$?
check "runsel -w count -- yes | head -1: ends (the collector holds none of the program's pipes)" \
    test "$rc/$out" = 0/y
native=$(python3 -c 'import os
try: os.wait()
except ChildProcessError: print("no child")' 2>&1)
out=$(timeout 20 "$RUNSEL" -w count -o log=/dev/null -- python3 -c 'import os
try: os.wait()
except ChildProcessError: print("no child")' 2>&1)
check "the collector is not the program's child: wait() finds none, as natively ($out)" test "$out" = "$native"

# ---- per-process tables in one shared log never interleave
rm -f "$TMP/shared.log"
"$RUNSEL" -w count -o per-process=yes -o log="$TMP/shared.log" -- "$C" fork 20 30 &
"$RUNSEL" -w count -o per-process=yes -o log="$TMP/shared.log" -- "$C" fork 20 30
wait
well_formed=$(awk '
    function fail(why) { print "line " NR ": " why; bad = 1; exit }
    /^pid [0-9]+: / { if (state != 0 && state != 4) fail("heading inside a table"); state = 1; tables++; next }
    /^$/ { if (state != 4) fail("blank line inside a table"); next }
    state == 1 { if ($1 != "%") fail("no header"); state = 2; next }
    state == 2 { if ($0 !~ /^-+ /) fail("no rule"); state = 3; next }
    state == 3 { if ($0 ~ /^-+ /) state = 5; else if ($NF == "getppid" && $4 != 30 && $4 != 0) fail("getppid " $4); next }
    state == 5 { if ($NF != "total") fail("no total"); state = 4; next }
    { fail("stray line") }
    END { if (!bad) print tables " tables" }' "$TMP/shared.log")
check "two runs of 21 processes, per-process=yes, one log: 42 whole tables ($well_formed)" \
    test "$well_formed" = "42 tables"
rm -f "$TMP"/pp.*
"$RUNSEL" -w count -o per-process=yes -o log="$TMP/pp.%p" -- "$C" fork 3 7
check "per-process=yes with log=%p: one file per process (4), each child's table its 7 getppid" \
    test "$(ls "$TMP"/pp.* | wc -l)/$(cat "$TMP"/pp.* | awk '$NF == "getppid" && $4 == 7' | wc -l)" = 4/3

# ---- strace 6.1's table
if strace -f -c -o "$TMP/probe" true 2>/dev/null; then
    # mask: the time columns of a default table (30 characters) become X.
    mask() { sed -E 's/^.{30}/XXXXXXXXXXXXXXXXXXXXXXXXXXXXXX/' "$1"; }
    strace -f -c -o "$TMP/s.txt" -- "$C-static" calls 20 >/dev/null
    count "$TMP/r.txt" -- "$C-static" calls 20
    check "the default table: header, rules, rows and total as strace's, byte for byte outside the times" \
        cmp -s <(mask "$TMP/s.txt" | sort) <(mask "$TMP/r.txt" | sort)
    strace -f -c -o "$TMP/s.txt" -- "$C-static" exec 0 >/dev/null
    count "$TMP/r.txt" -- "$C-static" exec 0
    check "no error at all: the errors cells blank, the total's too (as strace: $(tail -1 "$TMP/s.txt"))" \
        cmp -s <(mask "$TMP/s.txt" | sort) <(mask "$TMP/r.txt" | sort)
    for U in name,calls,errors,time-percent,total-time,min-time,max-time,avg-time calls,name,errors \
             max-time,min-time,avg-time errors,calls shortest,longest,count,syscall,time_total; do
        strace -f -c -U $U -o "$TMP/s.txt" -- "$C-static" calls 20 >/dev/null
        count "$TMP/r.txt" -o columns=$U -- "$C-static" calls 20
        check "columns=$U: strace -U's header and rules ($(head -1 "$TMP/r.txt"))" \
            cmp -s <(sed -n '1,2p;$!{/^-/p}' "$TMP/s.txt") <(sed -n '1,2p;$!{/^-/p}' "$TMP/r.txt")
    done
    for S in calls errors name nothing; do
        for prog in "$C-static calls 3" "sh -c ls"; do
            strace -f -c -S $S -o "$TMP/s.txt" -- $prog >/dev/null
            count "$TMP/r.txt" -o sort=$S -- $prog >/dev/null
            check "sort=$S: rows in strace -S $S's order ($prog)" \
                cmp -s <(awk '$1 ~ /^[0-9]/ {print $NF}' "$TMP/s.txt") \
                       <(awk '$1 ~ /^[0-9]/ {print $NF}' "$TMP/r.txt")
        done
    done
else
    skip "the table against strace's: strace cannot run here"
fi
# sorted: column K of the rows never grows
sorted() { awk -v k="$1" '$1 ~ /^[0-9]/ && $NF != "total" {if (NR > 3 && $k + 0 > last + 0) bad = 1; last = $k} END {exit bad}' "$2"; }
for S in time:2 min-time:1 max-time:1 avg-time:1; do
    count "$TMP/r.txt" -o sort=${S%:*} -o columns=${S%:*},calls -- sh -c 'ls / >/dev/null'
    [ ${S%:*} = time ] && count "$TMP/r.txt" -- sh -c 'ls / >/dev/null'
    check "sort=${S%:*}: the rows by decreasing ${S%:*}" sorted ${S#*:} "$TMP/r.txt"
done
count "$TMP/pc.txt" -o columns=calls,errors -- true
check "columns= without name: name added last, as strace -U does" test "$(head -1 "$TMP/pc.txt")" = "    calls    errors syscall"

# ---- -w: wall clock in the call, against the system time it cost
count "$TMP/w.log" -o latency=yes -- sleep 0.3
count "$TMP/c.log" -- sleep 0.3
wall=$(awk '$NF == "clock_nanosleep" {print $2}' "$TMP/w.log"); cpu=$(awk '$NF == "clock_nanosleep" {print $2}' "$TMP/c.log")
check "sleep 0.3: latency=yes counts the 0.3 s in clock_nanosleep ($wall s), the default its CPU time ($cpu s)" \
    python3 -c "import sys; sys.exit(not (float('$wall') >= 0.3 and float('$cpu') < 0.05))"

# ---- options
for o in sort=fast columns=calls,bogus columns=calls,calls latency=maybe per-process=1; do
    out=$("$RUNSEL" -w count -o "$o" -- /bin/true 2>&1); rc=$?
    check "$o: refused (126) with a reason ($(head -c 90 <<<"$out"))" test $rc = 126 -a -n "$out"
done

# ---- the log: resolved once, where the run started
mkdir -p "$TMP/d/sub"
(cd "$TMP/d" && "$RUNSEL" -w count -o log=rel.log -- sh -c 'cd sub && ls >/dev/null; cd / && cat /etc/hostname >/dev/null')
check "log=REL and a cd in a child: one file where the run started, one summary (3 execve)" \
    test "$(ls "$TMP/d")/$(totals "$TMP/d/rel.log")/$(calls execve "$TMP/d/rel.log")" = "rel.log
sub/1/3"
private_list
install -m 644 "$BUILD/bin/wrappers/count.so" "$RUNSEL_WRAPPER_DIR/count.so"
echo "/usr/bin/dash count log=list.log" >"$LIST"
mkdir -p "$TMP/e/sub"
(cd "$TMP/e" && "$RUNSEL" --config "$LIST" -- /usr/bin/dash -c 'cd sub && ls >/dev/null; cd / && /usr/bin/dash -c true')
check "a list entry's relative log= (selected.conf): the same, resolved in the first process's directory" \
    test "$(ls "$TMP/e")/$(totals "$TMP/e/list.log")" = "list.log
sub/1"
unset RUNSEL_WRAPPER_DIR

# ---- low fd limits: the program runs, counted (the loader itself needs 7).
# runsel itself, not common.sh's sh script for other backends (dash
# cannot run under a limit of 10: it saves fds at 10 and above).
direct=("$BUILD/bin/runsel" ${TEST_BACKEND:+-b "$TEST_BACKEND"})
[ "${TEST_FASTPATH:-}" = no ] && direct+=(--no-fastpath)
for lim in "-n 100" "-n 20" "-n 10" "-n 8" "-Sn 100" "-Sn 20" "-Sn 10" "-Sn 7"; do
    rm -f "$TMP/u.log"
    (ulimit $lim && timeout 30 "${direct[@]}" -w count -o log="$TMP/u.log" -- bash -c 'ls / >/dev/null; cat /etc/hostname >/dev/null')
    rc=$?
    check "ulimit $lim: runs (exit $rc), one summary, every image counted (execve $(calls execve "$TMP/u.log"))" \
        test "$rc/$(totals "$TMP/u.log")/$(calls execve "$TMP/u.log")" = 0/1/3
done
out=$(ulimit -n 100 && "${direct[@]}" -w count -- true 2>&1); rc=$?
check "ulimit -n 100; runsel -w count -- true: exit 0 (was 126)" test $rc = 0 -a "$(grep -c ' total$' <<<"$out")" = 1
