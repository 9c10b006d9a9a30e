#!/bin/bash
# Rules (ABI 1.6) and the deny wrapper, which is nothing but rules: the
# named calls fail with the errno, without being made and without any code
# of deny's running; the same in process and out of process (each check is
# run in both); a rule's ALLOW passes the wrapper's handler by, its
# conditions (EQ, MASKED, RANGE) pick the calls; a table whose rules could
# both match a call and disagree is refused (126) in both placements.
# Table-driven checks of the matcher and the overlap test: tests/unit/rulecheck.c.
. "$SRC/tests/lib/common.sh"
cd "$TMP"
export LC_ALL=C
W=$BUILD/tests/wrap
C=$BUILD/tests/count/calls-static
BB=$(command -v busybox)
PY=/usr/bin/python3
calls() { awk -v n="$1" '$NF == n && NF >= 5 && $1 != "%" {print $4 "/" (NF == 6 ? $5 : 0)}' "$2"; }
# fails RC WANT-RC PATTERN TEXT: the run ended WANT-RC and said PATTERN
fails() { [ "$1" -eq "$2" ] && grep -q -- "$3" <<<"$4"; }

placements="inprocess"
if "$RUNSEL" --placement=process -w null -- /bin/true 2>/dev/null; then
    placements="inprocess process"
else
    skip "deny out of process: placement=process cannot run here"
fi

for pl in $placements; do
    R=("$RUNSEL" "--placement=$pl")
    if [ -n "$BB" ]; then
        out=$("${R[@]}" -w deny -o calls=openat -o errno=EACCES -- "$BB" cat /etc/hostname 2>&1); rc=$?
        check "$pl: deny calls=openat errno=EACCES: cat fails as the kernel would have it (1, Permission denied)" \
            fails $rc 1 'Permission denied' "$out"
        out=$("${R[@]}" -w deny -o calls=openat -- "$BB" cat /etc/hostname 2>&1); rc=$?
        check "$pl: the errno is EPERM by default" fails $rc 1 'Operation not permitted' "$out"
        out=$("${R[@]}" -w deny -o calls=unlinkat,257 -o errno=2 -- "$BB" cat /etc/hostname 2>&1); rc=$?
        check "$pl: calls by number, errno by number (257 = openat, 2 = ENOENT)" \
            fails $rc 1 'No such file' "$out"
        out=$("${R[@]}" -w deny -o calls=unlinkat -- "$BB" cat /etc/hostname 2>&1); rc=$?
        check "$pl: calls it does not name run as natively" test "$rc/$out" = "0/$(cat /etc/hostname)"
    else
        skip "$pl: deny with busybox cat: no busybox (tools/deps installs busybox-static)"
    fi

    # the call is not made, and an outer wrapper sees the errno as a veto's;
    # an inner one never sees it
    rm -f o.log i.log
    "${R[@]}" -w count -o log=o.log -w deny -o calls=getppid -o errno=ENOENT -- "$C" calls 5 >/dev/null
    check "$pl: count outside deny sees each denied call fail (getppid 5 calls, 5 errors)" \
        test "$(calls getppid o.log)" = "5/5"
    "${R[@]}" -w deny -o calls=getppid -w count -o log=i.log -- "$C" calls 5 >/dev/null
    check "$pl: count inside deny never sees them (no getppid row), and counts the rest (write 5)" \
        test -z "$(calls getppid i.log)" -a "$(calls write i.log)" = "5/0"

    # option errors: 126 with the reason, the program does not run; a key
    # deny does not take is runsel's usage error (2), before anything runs
    for bad in "" "calls=bogus" "calls=openat errno=EBOGUS" "calls=openat errno=0" "calls=openat errno=4096"; do
        opts=()
        for o in $bad; do opts+=(-o "$o"); done
        out=$("${R[@]}" -w deny "${opts[@]}" -- /bin/echo RAN 2>&1); rc=$?
        check "$pl: deny ${bad:-(no option)}: refused, 126, with the reason; the program does not run" \
            fails $rc 126 'wrapper deny: .*calls=\|wrapper deny: errno=' "$out${out//RAN/}"
        check "  (it did not run)" test "${out//RAN/}" = "$out"
    done
    out=$("${R[@]}" -w deny -o calls=openat -o nokey=1 -- /bin/echo RAN 2>&1); rc=$?
    check "$pl: deny nokey=1: a usage error (2), the program does not run" fails $rc 2 'unknown option nokey' "$out"

    # ALLOW: the rule decides, the handler (a veto) never runs
    out=$("${R[@]}" -w "$W/rules.so" -o table=allow -- "$PY" -c 'import os; print(os.getppid() > 0)' 2>&1)
    check "$pl: an ALLOW rule passes the wrapper's handler by (getppid succeeds)" test "$out" = True
    # conditions: prctl(option, arg2) — the rule's errno, or the kernel's own answer
    out=$("${R[@]}" -w "$W/rules.so" -o table=conds -- "$PY" -c '
import ctypes
libc = ctypes.CDLL(None, use_errno=True)
for a, b in ((1000, 0), (1010, 0), (1011, 0), (3, 0x142), (3, 0x143), (4500, 77), (4500, 78), (3999, 77)):
    r = libc.prctl(a, b, 0, 0, 0)
    print(a, b, r, ctypes.get_errno() if r < 0 else 0)' 2>&1)
    want=$("$PY" -c '
import ctypes
libc = ctypes.CDLL(None, use_errno=True)
rule = {(1000, 0): 2, (1010, 0): 2, (3, 0x142): 13, (4500, 77): 18}
for a, b in ((1000, 0), (1010, 0), (1011, 0), (3, 0x142), (3, 0x143), (4500, 77), (4500, 78), (3999, 77)):
    if (a, b) in rule:
        print(a, b, -1, rule[(a, b)])
    else:
        r = libc.prctl(a, b, 0, 0, 0)
        print(a, b, r, ctypes.get_errno() if r < 0 else 0)')
    check "$pl: RANGE, EQ and MASKED conditions pick the calls (the rest get the kernel's answer)" \
        test "$out" = "$want"
    out=$("${R[@]}" -w "$W/rules.so" -o table=conflict -- /bin/echo RAN 2>&1); rc=$?
    check "$pl: rules that could match one call and disagree: refused (126), naming them" \
        fails $rc 126 'wrapper .*rules.so: rule 1 (getppid).*earlier rule.*(rule 0)' "$out"
    check "  (it did not run)" test "${out//RAN/}" = "$out"
done

# Out of process the filter is made for the stack the run starts with; it
# sends out the calls the rules of the run's deny name (no more: a
# workload's other calls never leave the kernel), and an image exec'd
# later whose enforcing deny names calls that filter does not send out is
# refused (126) before it runs, as for handlers (t_placement.sh).
if [ "$placements" = "inprocess process" ] && [ -n "$BB" ]; then
    mkdir -m 755 -p "$TMP/nf"
    cp "$BB" "$TMP/nf/busybox"
    printf '%s deny calls=openat errno=EACCES\n' "$TMP/nf/busybox" >"$TMP/nf/selected.conf"
    chmod 644 "$TMP/nf/selected.conf"
    out=$("$RUNSEL" --placement=process --config "$TMP/nf/selected.conf" -w deny -o calls=getppid -- \
          sh -c "'$TMP/nf/busybox' cat /etc/hostname; echo rc=\$?" 2>&1)
    check "process: a later deny whose calls the run's filter does not send: refused (126), nothing read" \
        test "$(grep -c 'filter does not send out' <<<"$out"):$(grep -x 'rc=[0-9]*' <<<"$out"):$(grep -c "$(cat /etc/hostname)" <<<"$out")" = "1:rc=126:0"
    out=$("$RUNSEL" --placement=process --config "$TMP/nf/selected.conf" -w null -- \
          sh -c "'$TMP/nf/busybox' cat /etc/hostname; echo rc=\$?" 2>&1)
    check "  under a run whose filter sends every call: the later deny holds (EACCES)" \
        test "$(grep -c 'Permission denied' <<<"$out"):$(grep -x 'rc=[0-9]*' <<<"$out")" = "1:rc=1"
fi
