#!/bin/bash
# selected.conf: parser messages, matching and precedence, trust, live
# edits seen by the next exec, and atomic rewrites under concurrent execs.
. "$SRC/tests/lib/common.sh"
# Names resolve to copies of the real null wrapper under the names the
# entries use.
private_list null trace count replaced bycontent

# ---- parser: each line and the exact message selctl check gives (empty:
# valid).  The copies of null declare no options (RS_OPTIONS()): an option
# given to one is an error; an image not there ("counting") is not checked.
while IFS='|' read -r line want; do
    printf '%s\n' "$line" >"$LIST"
    got=$(sel check | sed -n "s|^$LIST:1: ||p")
    check "parse '$line' -> ${want:-valid}" test "$got" = "$want"
done <<'T'
/usr/bin/cat trace|
  /usr/bin/cat	trace   # trailing comment|
# only a comment|
/usr/bin/*sum counting inherit=no syscalls=openat,read,2 backend=sud mode=fast|
/usr/bin/cat null inherit=no syscalls=read fastpath=no|
/usr/bin/cat null x=1|null: unknown option x (it takes none)
/usr/bin/cat trace + null syscalls=read mode=fast|null: unknown option mode (it takes none)
/opt/untrusted/** sandbox wrapper-hash=xxh128:0123456789abcdef0123456789ABCDEF|
!/usr/bin/md5sum|
xxh128:0c9f342bcfb43bd3af741db881a8629e null|
/usr/bin/cat /opt/runsel/wrappers/trace.so|
usr/bin/cat trace|MATCH must be an absolute path, a glob or xxh128:HEX
/usr/bin/cat|missing wrapper
!/usr/bin/cat trace|an exclusion takes no wrapper or options
/usr//bin/cat trace|path is not canonical (no //, /./, /../ or trailing /)
/usr/bin/../bin/cat trace|path is not canonical (no //, /./, /../ or trailing /)
/usr/bin/ trace|path is not canonical (no //, /./, /../ or trailing /)
xxh128:1234 trace|bad hash: expected xxh128: and 32 hex digits
xxh128:0c9f342bcfb43bd3af741db881a8629g trace|bad hash: expected xxh128: and 32 hex digits
/usr/bin/cat tr$ce|bad wrapper: a name of letters, digits, '.', '_', '-', or an absolute path without ':' or ';'
/usr/bin/cat trace inherit|bad option: expected key=value
/usr/bin/cat trace =x|bad option: expected key=value
/usr/bin/cat trace inherit=maybe|inherit must be yes or no
/usr/bin/cat trace backend=ptrace|backend must be auto, kmod or sud
/usr/bin/cat trace fastpath=maybe|fastpath must be yes, no or stress
/usr/bin/cat trace fastpath=no + null fastpath=yes|option given twice
/usr/bin/cat trace fastpath=stress|
/usr/bin/cat trace syscalls=open,,read|syscalls must be a comma-separated list of system call names or numbers
/usr/bin/cat trace wrapper-hash=md5:00|wrapper-hash must be xxh128: and 32 hex digits
/usr/bin/cat trace inherit=no inherit=yes|option given twice
T
printf '/usr/bin/cat trace\nbad\n\n/usr/bin/ls x\nalso bad\n' >"$LIST"
out=$(sel check); rc=$?
check "check reports every bad line as file:line and exits 1" \
    test "$rc" -eq 1 -a "$(grep -c "^$LIST:[25]: " <<<"$out")" -eq 2
printf '/usr/bin/cat trace\n' >"$LIST"
check "check of a good list: exit 0" bash -c "'$SELCTL' -c '$LIST' check | grep -q ': ok, 1 entry$'"

# ---- matching and precedence, as selctl explain (the loader's own code) sees it
explain() { sel explain "$1" | head -1; }
cp /bin/true "$D/mytrue" && chmod 755 "$D/mytrue"
hash=$("$SELCTL" hash "$D/mytrue" | cut -d' ' -f1)
if command -v xxhsum >/dev/null; then
    check "selctl hash equals xxhsum -H2" test "${hash#xxh128:}" = "$(xxhsum -H2 "$D/mytrue" 2>/dev/null | cut -d' ' -f1)"
fi
cat >"$LIST" <<EOF2
/usr/bin/cat          first
/usr/bin/cat          second
/usr/bin/*sum         sums
!/usr/bin/md5sum
/usr/lib/**           libs
$hash                 byhash
EOF2
check "exact path" grep -q "selected by line 1, wrapper first" <(explain /usr/bin/cat)
check "through a symlink (/bin -> usr/bin)" grep -q "real path /usr/bin/cat): selected by line 1" <(explain /bin/cat)
check "relative invocation" grep -q "selected by line 1" <(cd /usr/bin && "$SELCTL" -c "$LIST" explain ./cat | head -1)
check "PATH lookup of a bare name" grep -q "selected by line 1" <(explain cat)
check "'*' within a component" grep -q "wrapper sums" <(explain /usr/bin/sha1sum)
check "exclusion wins over an earlier match" grep -q "excluded by line 4" <(explain /usr/bin/md5sum)
check "'**' across components" grep -q "wrapper libs" <(explain /usr/lib/x86_64-linux-gnu/libc.so.6)
check "no match" grep -q "no entry of .* matches" <(explain /usr/bin/ls)
check "by content hash" grep -q "wrapper byhash" <(explain "$D/mytrue")
cp "$D/mytrue" "$D/renamed-copy"
check "a renamed copy stays selected by hash" grep -q "wrapper byhash" <(explain "$D/renamed-copy")
printf 'bad line\n/usr/bin/ls  works\n' >"$LIST"
check "a broken line does not stop the others" grep -q "wrapper works" <(explain /usr/bin/ls)

# ---- trust: a list writable by others is ignored, and said so
printf '/usr/bin/ls trace\n' >"$LIST"
chmod 666 "$LIST"
check "world-writable list: explain says ignored" grep -q "is ignored: it is writable by group or others" <(explain /usr/bin/ls)
# (by its status and message: the list's path is random and may hold "ok")
out=$("$SELCTL" -c "$LIST" check 2>&1); rc=$?
check "world-writable list: check fails and says why" \
    test "$rc" -ne 0 -a -n "$(grep 'ignored by the loader: it is writable by group or others' <<<"$out")"
RUNSEL_CONFIG=$LIST RUNSEL_LOADER_LOG=$TMP/trust.log "$LOADER" /usr/bin/ls / >/dev/null
check "world-writable list: the loader ignores it, the program runs" grep -q "^exec /usr/bin/ls (.* ignored: it is writable by group or others)$" "$TMP/trust.log"
chmod 644 "$LIST" && chmod 777 "$D"
check "list in a directory writable by others: ignored" grep -q "a directory above it is writable by others" <(explain /usr/bin/ls)
chmod 755 "$D"

# ---- the wrapper an entry names: resolved, trusted, pinned by hash
wlog=$TMP/wrap.log
wrun() { printf '%s\n' "$1" >"$LIST"; RUNSEL_CONFIG=$LIST RUNSEL_LOADER_LOG=$wlog "$LOADER" /usr/bin/true; tail -1 "$wlog"; }
check "a name resolves in the wrapper directory" \
    test "$(wrun '/usr/bin/true null')" = "exec /usr/bin/true selected null ($LIST:1)"
check "an absolute wrapper path" \
    test "$(wrun "/usr/bin/true $RUNSEL_WRAPPER_DIR/trace.so")" = "exec /usr/bin/true selected $RUNSEL_WRAPPER_DIR/trace.so ($LIST:1)"
check "a missing wrapper is reported" grep -q "but wrapper $RUNSEL_WRAPPER_DIR/nosuch.so unusable: No such file or directory$" <<<"$(wrun '/usr/bin/true nosuch')"
whash=$("$SELCTL" hash "$RUNSEL_WRAPPER_DIR/count.so" | cut -d' ' -f1)
check "wrapper-hash that matches" \
    test "$(wrun "/usr/bin/true count wrapper-hash=$whash")" = "exec /usr/bin/true selected count ($LIST:1)"
check "wrapper-hash that does not match: refused" grep -q "unusable: its contents do not match wrapper-hash$" \
    <<<"$(wrun '/usr/bin/true count wrapper-hash=xxh128:00000000000000000000000000000000')"
chmod 666 "$RUNSEL_WRAPPER_DIR/trace.so"
check "a wrapper writable by others: refused" grep -q "unusable: it is writable by group or others$" <<<"$(wrun '/usr/bin/true trace')"
chmod 644 "$RUNSEL_WRAPPER_DIR/trace.so"
check "explain shows the wrapper image and its state" grep -q "wrapper image $RUNSEL_WRAPPER_DIR/null.so: usable" \
    <(printf '/usr/bin/true null\n' >"$LIST"; sel explain /usr/bin/true)

# ---- the loader decides on every exec; edits are seen by the next exec
: >"$LIST"
log=$TMP/live.log
run() { RUNSEL_CONFIG=$LIST RUNSEL_LOADER_LOG=$log "$LOADER" /usr/bin/true; tail -1 "$log"; }
check "unselected program runs plain" test "$(run)" = "exec /usr/bin/true"
sel add /usr/bin/true null mode=x >/dev/null
check "selctl add: the next exec is selected" test "$(run)" = "exec /usr/bin/true selected null ($LIST:1)"
sel remove /usr/bin/true >/dev/null
check "selctl remove: the next exec is plain again" test "$(run)" = "exec /usr/bin/true"

# ---- add/remove keep comments; refuse duplicates and bad lines
printf '# keep me\n/usr/bin/cat trace  # and me\n' >"$LIST"
sel add /usr/bin/ls count >/dev/null
sel add /usr/bin/ls other 2>/dev/null; rc=$?
check "add of a listed MATCH with another entry is refused (exit 1)" test $rc -eq 1
before=$(cat "$LIST")
sel add /usr/bin/ls count 2>/dev/null; rc=$?
check "add of an entry listed already: exit 0, the list unchanged (idempotent)" \
    test $rc -eq 0 -a "$(cat "$LIST")" = "$before"
sel add /usr/bin/cat  trace 2>/dev/null; rc=$?
check "  the same words, the listed line's comment aside: the same entry" \
    test $rc -eq 0 -a "$(cat "$LIST")" = "$before"
sel add /usr/bin/cat trace log=/tmp/x 2>/dev/null; rc=$?
check "  another option for a listed MATCH: refused (exit 1), the list unchanged" \
    test $rc -eq 1 -a "$(cat "$LIST")" = "$before"
sel add relative/path count 2>/dev/null; rc=$?
check "add of a bad line is a usage error (exit 2)" test $rc -eq 2
sel remove /usr/bin/cat >/dev/null
check "add/remove keep comments and other lines" \
    test "$(cat "$LIST")" = "$(printf '# keep me\n/usr/bin/ls count')"
before=$(cat "$LIST")
sel remove /usr/bin/nothing 2>/dev/null; rc=$?
check "remove of an absent entry: exit 0, the list unchanged (idempotent)" \
    test $rc -eq 0 -a "$(cat "$LIST")" = "$before"
"$SELCTL" -c "$TMP/no-such-list.conf" remove /usr/bin/nothing 2>/dev/null; rc=$?
check "  from a list that does not exist: exit 0, no list made" \
    test $rc -eq 0 -a ! -e "$TMP/no-such-list.conf"

# ---- concurrency: rewrite the list in a loop while execs run; every exec
# succeeds and sees either the old or the new list, never a torn one.
: >"$LIST"; : >"$log"
( for i in $(seq 60); do sel add /usr/bin/true null >/dev/null; sel remove /usr/bin/true >/dev/null; done ) &
writer=$!
fails=0
for i in $(seq 300); do
    RUNSEL_CONFIG=$LIST RUNSEL_LOADER_LOG=$log "$LOADER" /usr/bin/true || fails=$((fails + 1))
done
wait $writer
check "300 execs during 120 rewrites all succeed" test $fails -eq 0
check "each saw a whole list (selected or not, never ignored or torn)" \
    test "$(grep -cvx -e "exec /usr/bin/true" -e "exec /usr/bin/true selected null ($LIST:1)" "$log")" -eq 0
check "  and both states were seen" bash -c "grep -q selected '$log' && grep -qx 'exec /usr/bin/true' '$log'"

# ---- the same through binfmt_misc, in a private instance: the shell and
# everything it runs are decided by the list as it is at each exec.
if "$SELCTL" register --userns --loader "$LOADER" -- /bin/true 2>/dev/null; then
    : >"$LIST"; blog=$TMP/binfmt.log; : >"$blog"
    RUNSEL_CONFIG=$LIST "$SELCTL" register --userns --loader "$LOADER" --log "$blog" -- /bin/sh -c "
        /usr/bin/true
        '$SELCTL' -c '$LIST' add /usr/bin/true null >/dev/null
        /usr/bin/true
        '$SELCTL' -c '$LIST' remove /usr/bin/true >/dev/null
        /usr/bin/true"
    got=$(grep '/usr/bin/true' "$blog" | tr '\n' '|')
    check "binfmt: plain, then selected after selctl add, plain after remove" \
        test "$got" = "exec /usr/bin/true|exec /usr/bin/true selected null ($LIST:1)|exec /usr/bin/true|"
else
    skip "binfmt live edit: no private binfmt_misc instance"
fi

# ---- the compiled index: same answers as the text, used only while fresh,
# never trusted when malformed.
cp /bin/true "$D/hashed" && chmod 755 "$D/hashed"
{
    echo "# generated: exact paths, globs, exclusions, a hash, duplicates"
    i=0
    for p in /usr/bin/*; do
        i=$((i + 1))
        case $((i % 7)) in
            0) echo "!$p" ;;
            1) echo "$p w$i" ;;
            2) echo "$p w$i inherit=no" ;;
        esac
        [ $i -ge 400 ] && break
    done
    echo "/usr/bin/*sum sums"
    echo "!/usr/bin/sha1sum"
    echo "/usr/lib/** libs"
    echo "$("$SELCTL" hash "$D/hashed" | cut -d' ' -f1) byhash"
    echo "/usr/bin/ls late-duplicate"
} >"$LIST"
rm -f "$LIST.idx"
progs=(/usr/bin/ls /usr/bin/sha1sum /usr/bin/md5sum /bin/cat "$D/hashed" /usr/lib/x86_64-linux-gnu/libc.so.6)
i=0; for p in /usr/bin/*; do i=$((i + 1)); [ $((i % 3)) -eq 0 ] && progs+=("$p"); [ $i -ge 420 ] && break; done
for p in "${progs[@]}"; do sel explain "$p" | head -1; done >"$TMP/text.out"
check "without an index, explain parses the list" grep -q "decided by parsing the list" <(sel explain /usr/bin/ls)
sel compile >/dev/null
for p in "${progs[@]}"; do sel explain "$p" | head -1; done >"$TMP/index.out"
check "with a fresh index, explain uses it" grep -q "decided by the compiled index" <(sel explain /usr/bin/ls)
check "index and text give the same answer for ${#progs[@]} programs" cmp -s "$TMP/text.out" "$TMP/index.out"
check "  (and the answers are not all the same)" test "$(sort -u "$TMP/index.out" | wc -l)" -gt 10
RUNSEL_CONFIG=$LIST RUNSEL_LOADER_LOG=$TMP/idx.log "$LOADER" /bin/true
check "the loader uses the index (byhash via its pattern list)" grep -q "exec /bin/true" "$TMP/idx.log"

echo "/usr/bin/true appended" >>"$LIST"
check "a changed list makes the index stale: text again" grep -q "decided by parsing the list" <(sel explain /usr/bin/true)
out=$(sel check); rc=$?
check "check reports the stale index and exits 1" bash -c "test $rc -eq 1 && grep -q ': the compiled index is stale' <<<'$out'"
sel compile >/dev/null
cp /bin/echo "$D/newprog" && chmod 755 "$D/newprog"
cp "$LIST" "$LIST.new" && echo "$D/newprog replaced" >>"$LIST.new" && mv "$LIST.new" "$LIST"
check "a list replaced by mv: stale index ignored, new entry seen" grep -q "wrapper replaced" <(sel explain "$D/newprog")
sel compile >/dev/null
head -c 100 "$LIST.idx" >"$LIST.idx.bad" && mv "$LIST.idx.bad" "$LIST.idx"
RUNSEL_CONFIG=$LIST RUNSEL_LOADER_LOG=$TMP/bad.log "$LOADER" "$D/newprog" x >/dev/null; rc=$?
check "a truncated index: the loader runs the program" test $rc -eq 0
check "  and decides from the text" grep -q "exec $D/newprog selected replaced" "$TMP/bad.log"
sel compile >/dev/null
python3 - "$LIST.idx" <<'PY'
import sys
p = sys.argv[1]; b = bytearray(open(p, 'rb').read())
# corrupt every slot's string offsets (40-byte slots, path_off at +16): the
# lookup must refuse, not read out of bounds (the slots' checks fail first)
import struct
nslots = struct.unpack_from('<I', b, 8)[0]; slots_off = struct.unpack_from('<Q', b, 8 + 8 + 24 + 32)[0]
for i in range(nslots):
    struct.pack_into('<II', b, slots_off + i * 40 + 16, 0xfffffff0, 0x7fffffff)
open(p, 'wb').write(b)
PY
RUNSEL_CONFIG=$LIST RUNSEL_LOADER_LOG=$TMP/bad2.log "$LOADER" "$D/newprog" x >/dev/null; rc=$?
check "an index with wild offsets: no crash, text decides" bash -c "test $rc -eq 0 && grep -q 'exec $D/newprog selected replaced' '$TMP/bad2.log'"
chmod 666 "$LIST.idx"
check "an index writable by others is not used" grep -q "decided by parsing the list" <(sel explain /usr/bin/ls)

# ---- the content-hash cache: selctl hash records (dev, inode, size, mtime,
# ctime) -> hash; the loader uses it only while all of them still match.
printf '# hashes\n' >"$LIST"; rm -f "$LIST.idx" "$LIST.hcache"
cp /bin/echo "$D/cached" && chmod 755 "$D/cached"
sel hash "$D/cached" | cut -d' ' -f1 | sed 's/$/ bycontent/' >>"$LIST"
check "selctl hash writes the cache next to the list" test -s "$LIST.hcache"
check "explain: selected, hash from the cache" grep -q "program hash from the cache" <(sel explain "$D/cached")
check "  also through the compiled index" bash -c "'$SELCTL' -c '$LIST' compile >/dev/null && '$SELCTL' -c '$LIST' explain '$D/cached' | grep -q 'compiled index; program hash from the cache'"
touch "$D/cached"
out=$(sel explain "$D/cached")
check "a changed program is hashed again, not taken from the cache" bash -c "! grep -q 'from the cache' <<<'$out'"
check "  and still selected by its (unchanged) contents" grep -q "wrapper bycontent" <<<"$out"
printf 'x' >>"$D/cached"
check "changed contents: no longer selected" grep -q "not selected" <(sel explain "$D/cached")
RUNSEL_CONFIG=$LIST RUNSEL_LOADER_LOG=$TMP/hc.log "$LOADER" /bin/echo hi >/dev/null
check "the loader selects an uncached copy by hashing it" grep -q "exec /bin/echo selected bycontent" "$TMP/hc.log"

# ---- selctl status reports the list's trust state and its index
printf '/usr/bin/ls trace\n' >"$LIST"; rm -f "$LIST.idx"
out=$(sel status)
check "status: list trusted" grep -qx "selection list: $LIST: trusted" <<<"$out"
check "status: no index yet" grep -q "^compiled index: no compiled index" <<<"$out"
sel compile >/dev/null
check "status: fresh index" grep -qx "compiled index: fresh (one probe per exec)" <(sel status)
chmod 666 "$LIST"
check "status: untrusted list and why" grep -qx "selection list: $LIST: IGNORED: it is writable by group or others" <(sel status)
chmod 644 "$LIST"

# ---- inheritance: RUNSEL_SELECTED=LINE:WRAPPER:LIST (set by the wrapper
# runtime on a selected program's exec) keeps the child selected with the
# parent's entry, unless the list decides about the child itself.
cat >"$LIST" <<EOF2
/usr/bin/true  null
/usr/bin/false trace inherit=no
/usr/bin/ls    count
!/usr/bin/cat
EOF2
ilog=$TMP/inherit.log; : >"$ilog"
irun() { RUNSEL_SELECTED=$1 RUNSEL_CONFIG=$LIST RUNSEL_LOADER_LOG=$ilog "$LOADER" "$2" >/dev/null 2>&1; tail -1 "$ilog"; }
check "a child of a selected program stays selected (default inherit=yes)" \
    test "$(irun "1.0=null:$LIST" /usr/bin/env)" = "exec /usr/bin/env selected null ($LIST:1, inherited)"
check "inherit=no: the child is not selected" \
    test "$(irun "2.0=trace:$LIST" /usr/bin/env)" = "exec /usr/bin/env"
check "the child's own entry wins" \
    test "$(irun "1.0=null:$LIST" /usr/bin/ls)" = "exec /usr/bin/ls selected count ($LIST:3)"
check "the child's exclusion wins" \
    test "$(irun "1.0=null:$LIST" /usr/bin/cat)" = "exec /usr/bin/cat"
check "a stale parent entry (wrapper changed) is not inherited" \
    test "$(irun "1.0=trace:$LIST" /usr/bin/env)" = "exec /usr/bin/env"
check "another list's entry is not inherited" \
    test "$(irun "1.0=null:/etc/other.conf" /usr/bin/env)" = "exec /usr/bin/env"
check "garbage is ignored" test "$(irun "x:y" /usr/bin/env)" = "exec /usr/bin/env"
check "explain shows inheritance" grep -q "inherited from the parent" \
    <(RUNSEL_SELECTED="1.0=null:$LIST" sel explain /usr/bin/env)
