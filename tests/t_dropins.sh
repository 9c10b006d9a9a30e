#!/bin/bash
# selected.conf.d: drop-ins (LIST.d/NAME.conf) continue the list, read in
# strcmp order after it; trusted like it (an untrusted drop-in or
# directory makes the whole list ignored, as an untrusted list is); the
# compiled index covers them and goes stale when any changes; selctl check,
# list and explain name the drop-in's FILE:LINE; edits write the list only.
. "$SRC/tests/lib/common.sh"
# Wrapper names resolve to copies of the null wrapper; nul2 and null have
# names of one length, for edits in place that keep the size.
private_list null nul2 trace count first second main
DD=$LIST.d
log=$TMP/loader.log
# run PROG: the loader's one-line decision for PROG (test-mode log).
run() {
    : >"$log"
    RUNSEL_CONFIG=$LIST RUNSEL_LOADER_LOG=$log timeout 10 "$LOADER" "$1" >/dev/null 2>&1
    tail -1 "$log"
}
decided() { sel explain "$1" | grep -o 'decided by [a-z ]*'; }
# set_up MAIN [NAME=LINE]...: the list holds MAIN, LIST.d the drop-ins
# NAME with one line LINE each ('_' stands for a space; none: no
# directory); no index.
set_up() {
    rm -rf "$DD" "$LIST.idx"
    printf '%s\n' "$1" >"$LIST"
    shift
    [ $# -gt 0 ] && mkdir -m 755 "$DD"
    local f
    for f in "$@"; do printf '%s\n' "${f#*=}" | tr _ ' ' >"$DD/${f%%=*}"; chmod 644 "$DD/${f%%=*}"; done
}

# ---- a drop-in selects; no directory is no drop-ins
set_up '/usr/bin/cat trace'
check "no drop-in directory: the list alone (nothing for true)" test "$(run /usr/bin/true)" = "exec /usr/bin/true"
set_up '/usr/bin/cat trace' '10-a.conf=/usr/bin/true null'
check "a drop-in selects a program, named FILE:LINE in the loader's log" \
    test "$(run /usr/bin/true)" = "exec /usr/bin/true selected null ($DD/10-a.conf:1)"
check "  the list's own entries still select" test "$(run /usr/bin/cat)" = "exec /usr/bin/cat selected trace ($LIST:1)"
set_up '' '10-a.conf=/usr/bin/true null'
check "  an empty list with a drop-in: the drop-in selects" \
    test "$(run /usr/bin/true)" = "exec /usr/bin/true selected null ($DD/10-a.conf:1)"
rm -f "$LIST"
check "  no list: its drop-ins are not read either" test "$(run /usr/bin/true)" = "exec /usr/bin/true"

# ---- order: the list first, then the drop-ins in byte (strcmp) order;
# the first matching entry selects, an exclusion anywhere wins.
# MAIN | DROP-INS (NAME=LINE, space-separated) | the decision for /usr/bin/true
while IFS='|' read -r main dropins want; do
    # shellcheck disable=SC2086
    set_up "$main" $dropins
    for pass in text index; do
        [ $pass = index ] && sel compile >/dev/null
        got=$(run /usr/bin/true)
        check "order ($pass): '$main' + '$dropins' -> ${want:-not selected}" \
            test "$got" = "exec /usr/bin/true${want:+ selected $want}"
    done
done <<T
#|20-b.conf=/usr/bin/true_second 10-a.conf=/usr/bin/true_first|first ($DD/10-a.conf:1)
#|9.conf=/usr/bin/true_second 10.conf=/usr/bin/true_first|first ($DD/10.conf:1)
#|a.conf=/usr/bin/true_second B.conf=/usr/bin/true_first|first ($DD/B.conf:1)
#|a-b.conf=/usr/bin/true_second a.conf=/usr/bin/true_first|second ($DD/a-b.conf:1)
/usr/bin/true main|10-a.conf=/usr/bin/true_first|main ($LIST:1)
/usr/bin/true main|10-a.conf=!/usr/bin/true|
!/usr/bin/true|10-a.conf=/usr/bin/true_first|
/usr/bin/*    main|10-a.conf=/usr/bin/true_first|main ($LIST:1)
#|10-a.conf=/usr/bin/t*_first 20-b.conf=/usr/bin/true_second|first ($DD/10-a.conf:1)
T

# ---- only NAME.conf, not hidden, is read
set_up '#' '50-real.conf=/usr/bin/false count'
for f in 10-x.conf.dpkg-old 10-x.conf.dpkg-dist 10-x.conf~ .10-hidden.conf 10-x.CONF README 10-x.conf.bak \
    '#10-x.conf#' .conf; do
    printf '/usr/bin/true trace\n' >"$DD/$f"
done
check "non-.conf files, hidden ones and leftovers are not read" test "$(run /usr/bin/true)" = "exec /usr/bin/true"
check "  the .conf one is" test "$(run /usr/bin/false)" = "exec /usr/bin/false selected count ($DD/50-real.conf:1)"
check "  selctl check: ok, 1 drop-in" bash -c "'$SELCTL' -c '$LIST' check | grep -q 'ok, 1 entry (the list and 1 drop-in)$'"

# ---- trust: each refusal makes the whole list ignored (the list's own
# entry too), as an untrusted list is, and says which file and why; selctl
# check fails (1) saying the same; the loader never hangs (FIFO).
# NAME | what is done | the reason the loader gives (after "FILE: ")
refuse() {
    local name=$1 setup=$2 file=$3 why=$4
    set_up '/usr/bin/true main' '50-ok.conf=/usr/bin/false count' '60-bad.conf=/usr/bin/cat count'
    eval "$setup"
    local got out rc
    got=$(run /usr/bin/true)
    check "refused: $name: the loader ignores the list, naming $(basename "$file")" \
        test "$got" = "exec /usr/bin/true ($LIST ignored: $file: $why)"
    out=$(sel check 2>&1); rc=$?
    check "  selctl check exits 1, saying so" \
        test $rc -eq 1 -a -n "$(grep -F "$LIST: ignored by the loader: $file: $why" <<<"$out")"
    check "  selctl explain says so" \
        grep -qF "not selected: $LIST is ignored: $file: $why" <(sel explain /usr/bin/true)
}
refuse "drop-in writable by others" 'chmod 666 "$DD/60-bad.conf"' "$DD/60-bad.conf" "it is writable by group or others"
refuse "drop-in writable by its group" 'chmod 664 "$DD/60-bad.conf"' "$DD/60-bad.conf" "it is writable by group or others"
refuse "directory writable by others" 'chmod 777 "$DD"' "$DD" "it is writable by group or others (anyone could add a drop-in)"
refuse "directory writable by others, sticky" 'chmod 1777 "$DD"' "$DD" "it is writable by group or others (anyone could add a drop-in)"
refuse "directory writable by its group" 'chmod 775 "$DD"' "$DD" "it is writable by group or others (anyone could add a drop-in)"
refuse "a FIFO drop-in" 'rm "$DD/60-bad.conf"; mkfifo -m 644 "$DD/60-bad.conf"' "$DD/60-bad.conf" "it is not a regular file"
refuse "a directory named .conf" 'rm "$DD/60-bad.conf"; mkdir -m 755 "$DD/60-bad.conf"' "$DD/60-bad.conf" "it is not a regular file"
refuse "a symbolic link drop-in (to a trusted file)" \
    'printf "/usr/bin/cat count\n" >"$D/target"; rm "$DD/60-bad.conf"; ln -s "$D/target" "$DD/60-bad.conf"' \
    "$DD/60-bad.conf" "it is a symbolic link (a drop-in may not be one)"
refuse "a symbolic link to /dev/zero" 'rm "$DD/60-bad.conf"; ln -s /dev/zero "$DD/60-bad.conf"' \
    "$DD/60-bad.conf" "it is a symbolic link (a drop-in may not be one)"
refuse "the directory a symbolic link" 'mv "$DD" "$D/real.d"; ln -s "$D/real.d" "$DD"' "$DD" \
    "it is a symbolic link (the drop-in directory may not be one)"
refuse "the directory a regular file" 'rm -rf "$DD"; echo "/usr/bin/cat count" >"$DD"' "$DD" "it is not a directory"
refuse "more than 128 drop-ins" 'for i in $(seq 100 228); do : >"$DD/$i.conf"; done' "$DD" "it holds more than 128 drop-ins"
if [ "$(id -u)" = 0 ]; then
    refuse "drop-in of another owner" 'chown 65534 "$DD/60-bad.conf"' "$DD/60-bad.conf" "it has another owner"
    refuse "directory of another owner" 'chown 65534 "$DD"' "$DD" "it has another owner"
else
    skip "drop-in and directory of another owner: needs root"
fi
# the directory is checked on every exec, fresh index or not
set_up '/usr/bin/true main' '50-ok.conf=/usr/bin/false count'
sel compile >/dev/null
chmod 777 "$DD"
check "a directory made writable after compiling: ignored although the index is fresh" \
    test "$(run /usr/bin/true)" = "exec /usr/bin/true ($LIST ignored: $DD: it is writable by group or others (anyone could add a drop-in))"
chmod 755 "$DD"
mkfifo -m 644 "$DD/70-fifo.conf"
out=$(timeout 10 "$SELCTL" -c "$LIST" compile 2>&1); rc=$?
check "selctl compile with a FIFO drop-in: fails (1) naming it, does not hang" \
    test $rc -eq 1 -a -n "$(grep -F "$DD/70-fifo.conf: cannot be read: it is not a regular file" <<<"$out")"

# ---- the index stays fresh only while every drop-in is as compiled: each
# change is seen by the next exec without recompiling (the text decides,
# selctl check reports the index stale), and the same after recompiling
# (the index decides).
# NAME | the change (shell) | the decision for /usr/bin/true | selctl check's stale reason
set_up '/usr/bin/cat trace' '10-a.conf=/usr/bin/true null' '20-b.conf=/usr/bin/true second'
sel compile >/dev/null
check "index: fresh, used, the drop-in's entry" \
    test "$(decided /usr/bin/true):$(run /usr/bin/true)" = "decided by the compiled index:exec /usr/bin/true selected null ($DD/10-a.conf:1)"
while IFS='|' read -r name change want stale; do
    sleep 0.05          # identities differ by time too: not within one clock tick
    eval "$change"
    check "index: $name: the next exec sees it without recompiling" test "$(run /usr/bin/true)" = "exec /usr/bin/true${want:+ selected $want}"
    check "  decided by the text" test "$(decided /usr/bin/true)" = "decided by parsing the list"
    out=$(sel check 2>&1); rc=$?
    check "  selctl check: the index is stale ($stale), exit 1" \
        test $rc -eq 1 -a -n "$(grep -F "the compiled index is stale: drop-in $stale" <<<"$out")"
    sel compile >/dev/null
    check "  recompiled: the index decides, the same way" \
        test "$(decided /usr/bin/true):$(run /usr/bin/true)" = "decided by the compiled index:exec /usr/bin/true${want:+ selected $want}"
done <<T
edit in place, same size|printf '/usr/bin/true nul2\n' >"\$DD/10-a.conf"|nul2 ($DD/10-a.conf:1)|$DD/10-a.conf changed
edit in place, other size|printf '# one more\n/usr/bin/true count\n' >>"\$DD/10-a.conf"|nul2 ($DD/10-a.conf:1)|$DD/10-a.conf changed
touched only|touch "\$DD/10-a.conf"|nul2 ($DD/10-a.conf:1)|$DD/10-a.conf was touched or replaced (same text)
replaced by mv|printf '/usr/bin/true count\n' >"\$D/new" && chmod 644 "\$D/new" && mv "\$D/new" "\$DD/10-a.conf"|count ($DD/10-a.conf:1)|$DD/10-a.conf changed
one added before|printf '/usr/bin/true first\n' >"\$DD/05-new.conf"|first ($DD/05-new.conf:1)|$DD/05-new.conf was added
one removed|rm "\$DD/05-new.conf"|count ($DD/10-a.conf:1)|$DD/05-new.conf was removed or renamed
renamed after another|mv "\$DD/10-a.conf" "\$DD/30-a.conf"|second ($DD/20-b.conf:1)|$DD/10-a.conf was removed or renamed
renamed away (not .conf)|mv "\$DD/20-b.conf" "\$DD/20-b.conf.disabled"|count ($DD/30-a.conf:1)|$DD/20-b.conf was removed or renamed
an exclusion added|printf '!/usr/bin/true\n' >"\$DD/99-off.conf"||$DD/99-off.conf was added
T
sleep 0.05
touch "$DD/README"
check "a file that is not a drop-in coming: the index stays fresh" test "$(decided /usr/bin/true)" = "decided by the compiled index"
rm -rf "$DD"
check "the directory removed: stale, the text decides" \
    test "$(decided /usr/bin/true):$(run /usr/bin/cat)" = "decided by parsing the list:exec /usr/bin/cat selected trace ($LIST:1)"

# ---- selctl check, list and explain name the drop-in's FILE:LINE
set_up '/usr/bin/cat trace' '10-a.conf=# a comment'
printf '# a comment\n/usr/bin/true null\n!/usr/bin/ls\nbad line\n/usr/bin/cat null x=1\n' >"$DD/10-a.conf"
out=$(sel check); rc=$?
check "check: a bad drop-in line as DROPIN:LINE, exit 1" \
    test $rc -eq 1 -a -n "$(grep -Fx "$DD/10-a.conf:4: MATCH must be an absolute path, a glob or xxh128:HEX" <<<"$out")"
check "  an unknown option as DROPIN:LINE" grep -Fqx "$DD/10-a.conf:5: null: unknown option x (it takes none)" <<<"$out"
check "  and nothing names the list for them" test -z "$(grep -F "$LIST:4" <<<"$out")"
out=$(sel explain /usr/bin/true)
check "explain: selected by the drop-in's line" \
    test -n "$(grep -F "selected by line 2 of $DD/10-a.conf, wrapper null" <<<"$out")" -a \
         -n "$(grep -Fx "    $DD/10-a.conf:2: /usr/bin/true null" <<<"$out")"
out=$(sel explain /usr/bin/ls)
check "explain: excluded by the drop-in's line" \
    test -n "$(grep -F "not selected: excluded by line 3 of $DD/10-a.conf" <<<"$out")" -a \
         -n "$(grep -Fx "    $DD/10-a.conf:3: !/usr/bin/ls" <<<"$out")"
check "explain: the list's own line as before" grep -q "selected by line 1, wrapper trace" <(sel explain /usr/bin/cat)
check "list: the drop-in's entries as DROPIN:LINE" \
    grep -Fqx "$(printf '%s\t%s\t%s\t' "$DD/10-a.conf:2" /usr/bin/true null)" <(sel list)
out=$(RUNSEL_SELECTED="1000002.0=null:$LIST" sel explain /usr/bin/env)
check "explain: an item inherited from a drop-in's line" \
    grep -qF "wrapper null (inherited from the parent: \$RUNSEL_SELECTED), from $DD/10-a.conf line 2" <<<"$out"
: >"$log"
RUNSEL_SELECTED="1000002.0=null:$LIST" RUNSEL_CONFIG=$LIST RUNSEL_LOADER_LOG=$log "$LOADER" /usr/bin/env >/dev/null
check "the loader: a child inherits a drop-in's entry" \
    test "$(tail -1 "$log")" = "exec /usr/bin/env selected null ($DD/10-a.conf:2, inherited)"
printf '# a comment\n/usr/bin/true null\n' >"$DD/10-a.conf"
head -c 1000000 /dev/zero | tr '\0' '\n' >"$DD/20-long.conf"
check "a drop-in of more than 999999 lines: ignored, said so" \
    test "$(run /usr/bin/true)" = "exec /usr/bin/true ($LIST ignored: $DD/20-long.conf: it has more than 999999 lines)"
rm "$DD/20-long.conf"
cp "$LIST" "$TMP/list.keep"
head -c 1000000 /dev/zero | tr '\0' '\n' >>"$LIST"
check "a list of more than 999999 lines: ignored, said so (its numbers would reach the drop-ins')" \
    test "$(run /usr/bin/true)" = "exec /usr/bin/true ($LIST ignored: it has more than 999999 lines (the drop-ins' lines are numbered after))"
out=$(sel check); rc=$?
check "  selctl check: exit 1, saying so" test $rc -eq 1 -a -n "$(grep -F "$LIST: more than 999999 lines" <<<"$out")"
cp "$TMP/list.keep" "$LIST"

# ---- selctl status counts the drop-ins
set_up '/usr/bin/cat trace' '10-a.conf=/usr/bin/true null' '20-b.conf=#'
check "status: the drop-in directory and how many" grep -qx "drop-ins: $DD: 2" <(sel status)
rm -rf "$DD"
check "  none without the directory" test -z "$(sel status | grep '^drop-ins:')"

# ---- edits write the list only, and are idempotent across the set
set_up '/usr/bin/cat trace' '10-a.conf=/usr/bin/true null'
before=$(cat "$LIST"); dbefore=$(cat "$DD/10-a.conf")
err=$(sel add /usr/bin/true null 2>&1); rc=$?
check "add of an entry a drop-in lists already: exit 0, nothing changes" \
    test $rc -eq 0 -a "$(cat "$LIST")" = "$before" -a "$(cat "$DD/10-a.conf")" = "$dbefore"
check "  saying where it is listed" grep -qF "$DD/10-a.conf:1 lists this entry already" <<<"$err"
err=$(sel add /usr/bin/true trace 2>&1); rc=$?
check "add of another entry for a MATCH a drop-in lists: exit 1, nothing changes" \
    test $rc -eq 1 -a "$(cat "$LIST")" = "$before" -a "$(cat "$DD/10-a.conf")" = "$dbefore"
check "  naming the drop-in's line" grep -qF "is listed at $DD/10-a.conf:1 with another entry" <<<"$err"
sel add /usr/bin/ls count >/dev/null 2>&1; rc=$?
check "add of a new entry: written to the list, not a drop-in" \
    test $rc -eq 0 -a "$(tail -1 "$LIST")" = "/usr/bin/ls count" -a "$(cat "$DD/10-a.conf")" = "$dbefore"
before=$(cat "$LIST")
sel add /usr/bin/ls count >/dev/null 2>&1; rc=$?
check "  added again: exit 0, the list unchanged" test $rc -eq 0 -a "$(cat "$LIST")" = "$before"
check "  the edit recompiled the index over the drop-ins too" test "$(decided /usr/bin/true)" = "decided by the compiled index"
err=$(sel remove /usr/bin/true 2>&1); rc=$?
check "remove of an entry only a drop-in lists: exit 1 (it still selects), nothing changes" \
    test $rc -eq 1 -a "$(cat "$LIST")" = "$before" -a "$(cat "$DD/10-a.conf")" = "$dbefore"
check "  naming the drop-in's line" grep -qF "/usr/bin/true is still listed at $DD/10-a.conf:1" <<<"$err"
sel remove /usr/bin/nothing >/dev/null 2>&1; rc=$?
check "remove of an entry listed nowhere: exit 0" test $rc -eq 0 -a "$(cat "$LIST")" = "$before"
sel remove /usr/bin/ls >/dev/null 2>&1; rc=$?
check "remove of the list's own entry: exit 0, removed" test $rc -eq 0 -a "$(cat "$LIST")" = "/usr/bin/cat trace"

# ---- placement=kernel entries of drop-ins get their filters in FILE.rules
K=$BUILD/bin/wrappers
set_up '/usr/bin/cat null' "10-k.conf=/usr/bin/true deny calls=getppid placement=kernel"
out=$(RUNSEL_WRAPPER_DIR=$K "$SELCTL" -c "$LIST" compile 2>&1)
check "compile: a drop-in's placement=kernel entry gets its filter in FILE.rules" \
    grep -q 'selected.conf.rules: 1 filters for placement=kernel' <<<"$out"
sleep 0.05
printf '/usr/bin/true deny calls=getppid errno=EACCES placement=kernel\n' >"$DD/10-k.conf"
out=$(RUNSEL_WRAPPER_DIR=$K "$SELCTL" -c "$LIST" check); rc=$?
check "  changed since: check names DROPIN:LINE whose filter is not compiled" \
    test $rc -eq 1 -a -n "$(grep -F "$DD/10-k.conf:1: placement=kernel: wrapper deny: its filter is not compiled" <<<"$out")"

# ---- through binfmt_misc, in a private instance: a drop-in added while
# the shell runs selects the next exec, removed it no longer does
if "$SELCTL" register --userns --loader "$LOADER" -- /bin/true 2>/dev/null; then
    set_up '/usr/bin/cat trace'
    sel compile >/dev/null
    blog=$TMP/binfmt.log; : >"$blog"
    RUNSEL_CONFIG=$LIST "$SELCTL" register --userns --loader "$LOADER" --log "$blog" -- /bin/sh -c "
        /usr/bin/true
        mkdir -m 755 '$DD'; echo '/usr/bin/true null' >'$DD/10-a.conf'
        /usr/bin/true
        rm '$DD/10-a.conf'
        /usr/bin/true"
    got=$(grep ' /usr/bin/true' "$blog" | tr '\n' '|')
    check "binfmt: plain, selected by a drop-in once added, plain once removed" \
        test "$got" = "exec /usr/bin/true|exec /usr/bin/true selected null ($DD/10-a.conf:1)|exec /usr/bin/true|"
    # a drop-in's placement=kernel entry: its filter, from FILE.rules, is installed
    U=$BUILD/tests/kernel/undo
    set_up '/usr/bin/cat null' "10-k.conf=$U deny calls=getppid placement=kernel"
    RUNSEL_WRAPPER_DIR=$K "$SELCTL" -c "$LIST" compile >/dev/null 2>&1
    out=$("$SELCTL" register --userns --loader "$LOADER" -- env RUNSEL_WRAPPER_DIR="$K" RUNSEL_CONFIG="$LIST" "$U" ids 2>&1)
    check "binfmt: a drop-in's placement=kernel entry runs under its compiled filter" \
        test "$out" = "euid=$(id -u) getppid=EPERM"
else
    skip "binfmt drop-ins: no private binfmt_misc instance"
fi
