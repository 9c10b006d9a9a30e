#!/bin/bash
# Security review, issue #11, selctl's items: every reproducer here failed
# on main before the fix.
#   6  edits refuse control characters (an argument could add a line)
#   7  concurrent edits are serialized by FILE.lock: none is lost
#   8  a corrupted index never changes a decision; selctl check finds it
#   16 selctl honours $RUNSEL_CONFIG as the loader does
#   3  selctl warns when a recording wrapper selects a privileged program
. "$SRC/tests/lib/common.sh"
# Names resolve to copies of the real null wrapper under the names the
# entries use.
private_list null trace count

# ---- 6: control characters in arguments are refused, nothing is written
printf '/usr/bin/ls null\n' >"$LIST"
before=$(cat "$LIST")
err=$(sel add /usr/bin/curl trace $'log=/x\n!/usr/bin/**' 2>&1 >/dev/null); rc=$?
check "add with a newline in an option: exit 2" test $rc -eq 2
check "  and the list is unchanged (no exclusion added)" test "$(cat "$LIST")" = "$before"
check "  and the message names the argument" grep -q "argument 3 (option .*control character" <<<"$err"
refuses() {   # refuses NAME ARGS...: add ARGS exits 2 and writes nothing
    local name=$1; shift
    printf '%s\n' "$before" >"$LIST"
    sel add "$@" 2>/dev/null; local rc=$?
    check "add refuses $name: exit 2, list unchanged" test $rc -eq 2 -a "$(cat "$LIST")" = "$before"
}
refuses "SOH in MATCH" $'/usr/bin/cu\x01rl' trace
refuses "a newline in MATCH" $'/usr/bin/curl\n/usr/bin/x' trace
refuses "ESC in WRAPPER" /usr/bin/curl $'tr\x1bace'
refuses "DEL in an option" /usr/bin/curl trace $'mode=a\x7fb'
refuses "CR in an option" /usr/bin/curl trace $'log=/x\r'
refuses "a tab in an option" /usr/bin/curl trace $'a=b\tc'
printf '%s\n' "$before" >"$LIST"
sel remove $'/usr/bin/ls\n' 2>/dev/null; rc=$?
check "remove with a control character: exit 2, list unchanged" test $rc -eq 2 -a "$(cat "$LIST")" = "$before"
sel add /usr/bin/curl trace 'log=/x#y' 2>/dev/null; rc=$?
check "add refuses '#' inside an argument (it would start a comment)" test $rc -eq 2
sel add /usr/bin/curl trace log=/x >/dev/null 2>&1; rc=$?
check "a clean add still works" test $rc -eq 0 -a "$(tail -1 "$LIST")" = "/usr/bin/curl trace log=/x"

# ---- 7: 50 parallel edits (25 adds, 25 removes of distinct entries) keep all
: >"$LIST"
for i in $(seq 25); do echo "/opt/old/r$i null"; done >"$LIST"
sel compile >/dev/null
for i in $(seq 25); do
    sel add "/opt/new/a$i" null >/dev/null 2>>"$TMP/par.err" &
    sel remove "/opt/old/r$i" >/dev/null 2>>"$TMP/par.err" &
done
wait
got_new=$(grep -c '^/opt/new/a[0-9]* null$' "$LIST"); got_old=$(grep -c '^/opt/old/' "$LIST")
check "50 parallel edits: all 25 adds kept ($got_new)" test "$got_new" -eq 25
check "50 parallel edits: all 25 removes kept ($got_old left)" test "$got_old" -eq 0
check "  no edit failed" test ! -s "$TMP/par.err"
check "  the index was recompiled after the last edit (check: ok)" bash -c "'$SELCTL' -c '$LIST' check >/dev/null 2>&1"
check "  and answers from it" grep -q "decided by the compiled index" <(sel explain /usr/bin/true)
check "the lock file is $LIST.lock, mode 0600" test "$(stat -c %a "$LIST.lock" 2>/dev/null)" = 600
# An edit waits for the lock: hold it from outside for 2 s.
flock -x "$LIST.lock" sleep 2 &
holder=$!; sleep 0.3
start=$(date +%s%N); sel add /opt/late null >/dev/null; end=$(date +%s%N)
wait $holder
check "an edit waits while another holds the lock ($(( (end - start) / 1000000 )) ms)" \
    test $(( (end - start) / 1000000 )) -ge 1200
# A symlink or a FIFO planted as the lock is not used.
rm -f "$LIST.lock"; ln -s "$TMP/elsewhere" "$LIST.lock"
sel add /opt/sym null 2>"$TMP/sym.err"; rc=$?
check "a symlinked lock file is refused (not followed)" \
    bash -c "test $rc -eq 1 && test ! -e '$TMP/elsewhere' && ! grep -q /opt/sym '$LIST' && grep -q 'symbolic link' '$TMP/sym.err'"
rm -f "$LIST.lock"; mkfifo -m 600 "$LIST.lock"
timeout 5 "$SELCTL" -c "$LIST" add /opt/fifo null 2>/dev/null; rc=$?
check "a FIFO as lock file is refused at once (no hang)" test $rc -eq 1
rm -f "$LIST.lock"
# In a sticky world-writable directory another user may create FILE.lock first.
useradd -u 2001 -M -N runseltest 2>/dev/null || true
if id -u 2001 >/dev/null 2>&1; then
    SD=$TMP/sticky && mkdir -m 1777 "$SD"
    printf '/usr/bin/ls null\n' >"$SD/list.conf"
    setpriv --reuid=2001 --regid=2001 --clear-groups touch "$SD/list.conf.lock"
    "$SELCTL" -c "$SD/list.conf" add /opt/x null 2>"$TMP/other.err"; rc=$?
    check "a lock created by another user in a sticky dir is refused" \
        bash -c "test $rc -eq 1 && ! grep -q /opt/x '$SD/list.conf'"
    UD=$TMP/user && mkdir -m 755 "$UD" && printf '/usr/bin/ls null\n' >"$UD/l.conf"
    chown -R 2001:2001 "$UD"
    "$SELCTL" -c "$UD/l.conf" add /opt/byroot null >/dev/null 2>&1
    setpriv --reuid=2001 --regid=2001 --clear-groups "$SELCTL" -c "$UD/l.conf" add /opt/byuser null >/dev/null 2>&1; rc=$?
    check "root's edit of a user's list leaves the lock to its owner, who can edit next" \
        bash -c "test $rc -eq 0 && test \"\$(stat -c %u '$UD/l.conf.lock')\" = 2001 && grep -q /opt/byuser '$UD/l.conf'"
else
    skip "lock owned by another user: cannot create uid 2001"
fi

# ---- 16: without -c, selctl uses $RUNSEL_CONFIG as the loader does
printf '/usr/bin/true null\n' >"$LIST"; rm -f "$LIST.idx"
RUNSEL_CONFIG=$LIST RUNSEL_LOADER_LOG=$TMP/cfg.log "$LOADER" /usr/bin/true
out=$(RUNSEL_CONFIG=$LIST "$SELCTL" explain /usr/bin/true 2>&1)
check "RUNSEL_CONFIG: explain uses that list (as the loader did: $(tail -1 "$TMP/cfg.log"))" \
    grep -q "selected by line 1, wrapper null" <<<"$out"
check "  and says which list it used" grep -q "list $LIST: from \$RUNSEL_CONFIG" <<<"$out"
check "RUNSEL_CONFIG empty: the system list" \
    grep -q "list /etc/runsel/selected.conf: the system list" <(RUNSEL_CONFIG= "$SELCTL" explain /usr/bin/true 2>&1)
printf '/usr/bin/false null\n' >"$TMP/other.conf"
check "-c wins over RUNSEL_CONFIG" grep -q "no entry of $TMP/other.conf matches" \
    <(RUNSEL_CONFIG=$LIST "$SELCTL" -c "$TMP/other.conf" explain /usr/bin/true 2>&1)
L2=$D/env.conf
RUNSEL_CONFIG=$L2 "$SELCTL" add /usr/bin/env null >/dev/null 2>&1
check "RUNSEL_CONFIG: add writes that list" grep -qx "/usr/bin/env null" "$L2"
check "RUNSEL_CONFIG: list shows it" grep -q "/usr/bin/env" <(RUNSEL_CONFIG=$L2 "$SELCTL" list 2>&1)
check "RUNSEL_CONFIG: check checks it" grep -q "^$L2: ok, 1 entry" <(RUNSEL_CONFIG=$L2 "$SELCTL" check 2>&1)
rm -f "$L2.idx"; RUNSEL_CONFIG=$L2 "$SELCTL" compile >/dev/null 2>&1
check "RUNSEL_CONFIG: compile writes its index" test -s "$L2.idx"
RUNSEL_CONFIG=$L2 "$SELCTL" hash /usr/bin/env >/dev/null 2>&1
check "RUNSEL_CONFIG: hash caches beside it" test -s "$L2.hcache"
RUNSEL_CONFIG=$L2 "$SELCTL" remove /usr/bin/env >/dev/null 2>&1
check "RUNSEL_CONFIG: remove edits it" bash -c "! grep -q /usr/bin/env '$L2'"

# ---- 3: warnings for recording wrappers on privileged programs
P=$D/priv && mkdir -m 755 "$P"
install -m 4755 /bin/true "$P/suid"; install -m 2755 /bin/true "$P/sgid"
install -m 755 /bin/true "$P/plain"
: >"$LIST"
err=$(sel add "$P/suid" trace 2>&1 >/dev/null); rc=$?
check "add of a set-user-ID program with trace: warns" grep -q "warning: .*$P/suid is set-user-ID" <<<"$err"
check "  exit 0 and the entry is added" bash -c "test $rc -eq 0 && grep -q '^$P/suid trace' '$LIST'"
check "add of a set-group-ID program with log=: warns" \
    grep -q "warning: .*$P/sgid is set-group-ID.*log=" <(sel add "$P/sgid" null log=/tmp/l 2>&1 >/dev/null)
install -m 4755 /bin/true "$P/suid2"
check "add of a set-user-ID program with a non-recording wrapper: no warning" \
    test -z "$(sel add "$P/suid2" null 2>&1 >/dev/null)"
check "add of a plain program with trace: no warning" test -z "$(sel add "$P/plain" count 2>&1 >/dev/null)"
if command -v setcap >/dev/null && install -m 755 /bin/true "$P/caps" && setcap cap_net_raw+ep "$P/caps" 2>/dev/null; then
    check "add of a file-capability program with count: warns" \
        grep -q "warning: .*$P/caps is file-capability" <(sel add "$P/caps" count 2>&1 >/dev/null)
else
    skip "file capabilities: setcap unavailable here"
fi
printf '%s\n' "$P/* count" >"$TMP/glob.conf"
out=$("$SELCTL" -c "$TMP/glob.conf" check 2>"$TMP/glob.err"); rc=$?
check "check: a glob matching a set-user-ID program with count warns (stderr)" grep -q "warning: $TMP/glob.conf:1: $P/suid is set-user-ID" "$TMP/glob.err"
check "  but a warning is not an error (exit 0, ok)" bash -c "test $rc -eq 0 && grep -q ': ok, 1 entry' <<<'$out'"
out=$(sel check 2>&1)
check "check warns for the exact entries too" grep -q "warning: $LIST:1: $P/suid is set-user-ID, and the entry records data (trace)" <<<"$out"

# ---- 8: index integrity.  A flipped exclusion flag: the loader must not
# believe it, and selctl check must say the index is corrupt.
printf '/usr/bin/true null\n!/usr/bin/true\n/usr/bin/false null\n' >"$LIST"
sel compile >/dev/null
check "check of a fresh index: exit 0" bash -c "'$SELCTL' -c '$LIST' check >/dev/null 2>&1"
python3 - "$LIST.idx" <<'PY'
import struct, sys
p = sys.argv[1]; b = bytearray(open(p, 'rb').read())
nslots = struct.unpack_from('<I', b, 8)[0]
slots_off, patterns_off = struct.unpack_from('<QQ', b, 72)
size = (patterns_off - slots_off) // nslots          # either format
for i in range(nslots):
    at = slots_off + i * size
    line, flags = struct.unpack_from('<II', b, at + 8)
    if line and flags & 1:
        struct.pack_into('<I', b, at + 12, flags & ~1)  # the exclusion becomes a selection
with open(p, 'r+b') as f:
    f.write(b)
PY
RUNSEL_CONFIG=$LIST RUNSEL_LOADER_LOG=$TMP/flip.log "$LOADER" /usr/bin/true
check "flipped exclusion flag: the loader still excludes (text decides)" test "$(tail -1 "$TMP/flip.log")" = "exec /usr/bin/true"
out=$(sel check 2>&1); rc=$?
check "flipped exclusion flag: check says corrupt, exit 1" bash -c "test $rc -eq 1 && grep -q 'compiled index is corrupt' <<<'$out'"
sel compile >/dev/null; touch -d '2001-01-01' "$LIST"
out=$(sel check 2>&1); rc=$?
check "a stale index: check says stale, exit 1" bash -c "test $rc -eq 1 && grep -q 'compiled index is stale' <<<'$out'"

# The hash cache: a damaged cached hash must not be believed (the program
# is hashed again and still selected by its contents).
cp /bin/echo "$D/cached" && chmod 755 "$D/cached"
printf '# hashes\n' >"$LIST"; rm -f "$LIST.idx" "$LIST.hcache"
sel hash "$D/cached" | cut -d' ' -f1 | sed 's/$/ null/' >>"$LIST"
python3 - "$LIST.hcache" <<'PY'
import struct, sys
p = sys.argv[1]; b = bytearray(open(p, 'rb').read())
nslots, size = struct.unpack_from('<I', b, 8)[0], len(b)
for slot in (72, 80):                               # either format
    hdr = size - nslots * slot
    if hdr in (24, 32):
        break
for i in range(nslots):
    at = hdr + i * slot
    if any(b[at:at + 16]):                          # dev, inode: a used slot
        b[at + 56] ^= 0xff                          # its hash
with open(p, 'r+b') as f:
    f.write(b)
PY
out=$(sel explain "$D/cached" 2>&1)
check "a damaged hash-cache entry is not believed: still selected by content" \
    bash -c "grep -q 'wrapper null' <<<'$out' && ! grep -q 'from the cache' <<<'$out'"

# The mutation campaign: ~100 entries (paths, globs, exclusions, content
# hashes); 1,500 single- and multi-byte mutants of the compiled index; for
# each, the real loader's decision (its test log) for three programs must
# be the text's.  selctl explain (the same selindex.c) says whether the
# index was used or refused.
B=$D/bin && mkdir -m 755 "$B"
for i in $(seq 0 79); do install -m 755 /bin/true "$B/p$i"; done
cp /bin/true "$B/h0" && printf 'x' >>"$B/h0" && chmod 755 "$B/h0"
cp /bin/true "$B/h1" && printf 'y' >>"$B/h1" && chmod 755 "$B/h1"
{
    echo "# mutation campaign list"
    for i in $(seq 0 59); do
        case $((i % 5)) in
            0) echo "!$B/p$i" ;;
            1) echo "$B/p$i null" ;;
            2) echo "$B/p$i trace inherit=no" ;;
            3) echo "$B/p$i count mode=$i" ;;
            4) echo "$B/p$i null"; echo "$B/p$i trace" ;;   # duplicate: first wins
        esac
    done
    for d in 6 7; do
        echo "$B/p${d}? count"; echo "!$B/p${d}3"; echo "$B/p${d}*5 trace"
    done
    echo "$B/**/q* null"; echo "!$B/p7?"; echo "$B/p1** trace"; echo "!$B/p11"
    echo "$("$SELCTL" hash "$B/h0" | cut -d' ' -f1) count"
    echo "!$("$SELCTL" hash "$B/h1" | cut -d' ' -f1)"
    echo "$B/h* trace"
    for i in $(seq 0 9); do echo "/usr/local/unused/u$i null"; done
} >"$LIST"
progs=()
for i in 0 1 2 3 4 5 9 11 12 13 16 21 33 44 59 61 63 65 68 70 72 75 79; do progs+=("$B/p$i"); done
progs+=("$B/h0" "$B/h1")
check "campaign list: about 100 entries" test "$(grep -vc '^#' "$LIST")" -ge 90
timeout 300 python3 - "$LIST" "$LOADER" "$SELCTL" "${progs[@]}" <<'PY' >"$TMP/campaign.out" 2>&1
import os, random, struct, subprocess, sys
lst, loader, selctl, progs = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
idx = lst + '.idx'
env = dict(os.environ, RUNSEL_CONFIG=lst, RUNSEL_LOADER_LOG=lst + '.log')
def loader_decisions(ps):
    open(env['RUNSEL_LOADER_LOG'], 'w').close()
    for p in ps:
        subprocess.run([loader, p], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return open(env['RUNSEL_LOADER_LOG']).read().splitlines()
def explain(p):
    out = subprocess.run([selctl, '-c', lst, 'explain', p], capture_output=True, text=True).stdout
    lines = out.splitlines()
    return (lines[0] if lines else ''), ('decided by the compiled index' in out)
def check_fails():
    return subprocess.run([selctl, '-c', lst, 'check'], stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL).returncode != 0
# The text's answers: no index at all.
if os.path.exists(idx):
    os.unlink(idx)
text_loader = {p: d for p, d in zip(progs, loader_decisions(progs))}
text_explain = {p: explain(p)[0] for p in progs}
subprocess.run([selctl, '-c', lst, 'compile'], check=True, stdout=subprocess.DEVNULL)
orig = open(idx, 'rb').read()
assert all(explain(p)[1] for p in progs), 'fresh index not used'
assert [text_loader[p] for p in progs] == loader_decisions(progs), 'index != text before mutating'
print('distinct decisions:', len(set(text_loader.values())))
nslots = struct.unpack_from('<I', orig, 8)[0]
slots_off, patterns_off, strtab_off, file_size = struct.unpack_from('<QQQQ', orig, 72)
slot_size = (patterns_off - slots_off) // nslots
def key(p):   # XXH3-64 of the path: where its probe starts
    out = subprocess.run(['xxhsum', '-H3', '-'], input=p.encode(), capture_output=True).stdout
    return int(out.split()[-1], 16)
probe = {p: key(p) & (nslots - 1) for p in progs}
rng = random.Random(11)
def region(ps):
    r = rng.random()
    if r < 0.15:
        return 0, slots_off                              # header
    if r < 0.45:                                         # a slot these programs probe
        s = (probe[rng.choice(ps)] + rng.choice([0, 0, 1, 2])) & (nslots - 1)
        return slots_off + s * slot_size, slots_off + (s + 1) * slot_size
    if r < 0.75 and strtab_off > patterns_off:
        return patterns_off, strtab_off                  # the pattern list
    return strtab_off, file_size                         # strings
def mutate(b, ps):
    lo, hi = region(ps)
    at = rng.randrange(lo, hi)
    kind = rng.random()
    if kind < 0.4:
        b[at] ^= rng.randrange(1, 256)                   # one byte
    elif kind < 0.6:
        b[at] ^= 1 << rng.randrange(8)                   # one bit
    elif kind < 0.8:
        for i in range(rng.randrange(2, 17)):            # a run of bytes
            if at + i < len(b):
                b[at + i] = rng.randrange(256)
    else:                                                # an aligned word
        at = min(at & ~7, len(b) - 8)
        v = rng.choice([0, 0xffffffffffffffff, rng.getrandbits(64), 1, 0x100000000])
        struct.pack_into('<Q', b, at, v)
    if bytes(b) == orig:
        b[at] ^= 0x80
mutants = wrong = wrong_explain = fell_back = detected = decisions = flagged = 0
for m in range(1500):
    ps = [progs[(3 * m + k) % len(progs)] for k in range(3)]
    b = bytearray(orig)
    mutate(b, ps)
    if rng.random() < 0.3:
        mutate(b, ps)                                    # some mutants change two places
    with open(idx, 'r+b') as f:
        f.write(b)
    mutants += 1
    got = loader_decisions(ps)
    any_fb = False
    for p, g in zip(ps, got + [''] * (3 - len(got))):
        decisions += 1
        first, via_index = explain(p)
        if g != text_loader[p]:
            wrong += 1
            if wrong <= 5:
                print('WRONG mutant %d %s: loader %r, text %r' % (m, p, g, text_loader[p]))
        if first != text_explain[p]:
            wrong_explain += 1
        if not via_index:
            fell_back += 1
            any_fb = True
    detected += any_fb
    flagged += check_fails()
with open(idx, 'wb') as f:
    f.write(orig)
print('mutants %d, decisions %d, fell back to the text %d (in %d mutants), check flagged %d mutants, '
      'explain answers unlike the text %d, wrong %d'
      % (mutants, decisions, fell_back, detected, flagged, wrong_explain, wrong))
PY
rc=$?
cat "$TMP/campaign.out"
summary=$(grep '^mutants ' "$TMP/campaign.out")
wrong=$(sed -n 's/.*, wrong \([0-9]*\)$/\1/p' <<<"$summary")
flagged=$(sed -n 's/.*check flagged \([0-9]*\) mutants.*/\1/p' <<<"$summary")
fb=$(sed -n 's/.*fell back to the text \([0-9]*\) .*/\1/p' <<<"$summary")
check "mutation campaign ran (1500 mutants)" test $rc -eq 0 -a -n "$summary"
xwrong=$(sed -n 's/.*explain answers unlike the text \([0-9]*\),.*/\1/p' <<<"$summary")
check "mutation campaign: 0 wrong loader decisions ($summary)" test "${wrong:-1}" -eq 0
check "mutation campaign: selctl explain always gives the text's answer ($xwrong unlike)" test "${xwrong:-1}" -eq 0
check "mutation campaign: the loader detected damage and fell back ($fb decisions)" test "${fb:-0}" -gt 300
check "mutation campaign: selctl check flagged every mutant ($flagged of 1500)" test "${flagged:-0}" -eq 1500
