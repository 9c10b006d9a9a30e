#!/bin/bash
# format=json of trace, count, fault and sandbox (issue #17), in process
# and out of process: every line parses as one JSON object, the fields of
# a few known calls are what they must be (an openat of a missing file
# has errno "ENOENT"), strings stay valid JSON whatever bytes the program
# hands over (quotes, control characters, bytes that are not UTF-8), and
# the default is still the text format.
. "$SRC/tests/lib/common.sh"
PY=/usr/bin/python3
cd "$TMP"
MISSING=$TMP/no-such-file
cond() { eval "$1"; }

# jq_check FILE PYTHON-EXPR: every line of FILE is a JSON object, and the
# expression (over recs, the list of them) is true.
jq_check() {
    "$PY" -c '
import json, sys
recs = []
for n, line in enumerate(open(sys.argv[1], encoding="utf-8"), 1):
    try:
        recs.append(json.loads(line))
    except ValueError as e:
        sys.exit("line %d does not parse: %s: %r" % (n, e, line))
    if not isinstance(recs[-1], dict):
        sys.exit("line %d is not an object" % n)
ok = eval(sys.argv[2])
if not ok:
    sys.exit("condition false over %d records" % len(recs))
' "$1" "$2"
}
has_time='all(__import__("re").fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z", r["time"]) for r in recs)'

for place in $(placements); do
    P=(--placement=$place)
    # ---- trace
    "$RUNSEL" "${P[@]}" -w trace -o format=json -o "log=$TMP/t.$place" -- cat "$MISSING" 2>/dev/null
    check "$place: trace format=json: every line an object, each with time (RFC 3339 UTC), pid, tid, program" \
        jq_check "$TMP/t.$place" "len(recs) > 10 and $has_time and all(isinstance(r['pid'], int) and r['program'] == '/usr/bin/cat' for r in recs)"
    check "$place:   openat of a missing file: retval -1, errno ENOENT, the path in args" \
        jq_check "$TMP/t.$place" "any(r.get('call') == 'openat' and '$MISSING' in r['args'] and r['retval'] == -1 and r['errno'] == 'ENOENT' for r in recs)"
    check "$place:   a successful call: errno null; execve first; exit_group retval null; the exit an event" \
        jq_check "$TMP/t.$place" "any(r.get('call') == 'close' and r['retval'] == 0 and r['errno'] is None for r in recs) and recs[0]['call'] == 'execve' and any(r.get('call') == 'exit_group' and r['retval'] is None for r in recs) and recs[-1] == dict(recs[-1], event='exited', status=1)"
    check "$place:   no text line, no unfinished pieces" \
        cond '! grep -q -e "unfinished" -e "^[a-z_0-9]*(" "$TMP/t.$place"'
    # strings: a quote, a backslash, a newline, a tab, an ESC, a byte that is not UTF-8, and UTF-8
    "$RUNSEL" "${P[@]}" -w trace -o format=json -o trace=openat -o xstrings=none -o "log=$TMP/s.$place" -- \
        "$PY" -c 'import os
for n in [b"/q\"b\\n\nt\te\x1bx", b"/bad\xff\xfe", "/caf\u00e9".encode()]:
    try: os.open(n, os.O_RDONLY)
    except OSError: pass' 2>/dev/null
    check "$place:   strings with quotes, control characters, non-UTF-8 bytes and UTF-8 stay valid JSON" \
        jq_check "$TMP/s.$place" "sum(1 for r in recs if r.get('call') == 'openat' and r['errno'] == 'ENOENT' and any(k in r['args'] for k in ('/q', '/bad', '/caf'))) == 3"
    ( "$RUNSEL" "${P[@]}" -w trace -o format=json -o "log=$TMP/sig.$place" -- sh -c 'kill -USR1 $$'; : ) 2>/dev/null
    check "$place:   a fatal signal: a signal event with its siginfo, then killed" \
        jq_check "$TMP/sig.$place" "any(r.get('event') == 'signal' and r['signal'] == 'SIGUSR1' and 'SI_USER' in r['siginfo'] for r in recs) and any(r.get('event') == 'killed' and r['signal'] == 'SIGUSR1' for r in recs)"
    "$RUNSEL" "${P[@]}" -w trace -o "log=$TMP/text.$place" -- cat "$MISSING" 2>/dev/null
    check "$place:   without format= the lines are text, as before" \
        grep -q "^openat(AT_FDCWD, \"$MISSING\", O_RDONLY) *= -1 ENOENT (No such file or directory)$" "$TMP/text.$place"
    out=$("$RUNSEL" "${P[@]}" -w trace -o format=xml -- /bin/true 2>&1); rc=$?
    check "$place:   format=xml: refused (126)" cond '[ $rc -eq 126 ] && grep -q "format=xml: expected text or json" <<<"$out"'

    # ---- count
    "$RUNSEL" "${P[@]}" -w count -o format=json -o "log=$TMP/c.$place" -- sh -c "cat $MISSING; cat $MISSING" 2>/dev/null
    check "$place: count format=json: an object per row, and the total last" \
        jq_check "$TMP/c.$place" "$has_time and recs[-1].get('total') is True and all('call' in r for r in recs[:-1]) and len(recs) > 5"
    check "$place:   the rows add up to the total; openat has errors; fields are numbers" \
        jq_check "$TMP/c.$place" "sum(r['calls'] for r in recs[:-1]) == recs[-1]['calls'] and sum(r['errors'] for r in recs[:-1]) == recs[-1]['errors'] and any(r.get('call') == 'openat' and r['errors'] >= 2 for r in recs) and all(isinstance(r[k], (int, float)) for r in recs for k in ('calls', 'errors', 'seconds', 'usecs_per_call', 'percent'))"
    check "$place:   pid and program are the run's first process" \
        jq_check "$TMP/c.$place" "all(r['program'] == '/usr/bin/sh' for r in recs)"

    # ---- fault
    "$RUNSEL" "${P[@]}" -w fault -o inject=openat:ENOENT:when=3+ -o verbose=yes -o format=json \
        -o "log=$TMP/f.$place" -- cat /etc/hostname 2>/dev/null
    check "$place: fault format=json: one object per injection, the first openat #3 ENOENT" \
        jq_check "$TMP/f.$place" "$has_time and recs[0]['call'] == 'openat' and recs[0]['count'] == 3 and recs[0]['errno'] == 'ENOENT' and recs[0]['retval'] == -1 and all(r['program'] == '/usr/bin/cat' for r in recs)"
    "$RUNSEL" "${P[@]}" -w fault -o inject=getppid:retval=7 -o verbose=yes -o format=json \
        -o "log=$TMP/f7.$place" -- "$PY" -c 'import os; os.getppid()' 2>/dev/null
    check "$place:   a made-up result: errno null, its retval" \
        jq_check "$TMP/f7.$place" "recs[0]['call'] == 'getppid' and recs[0]['errno'] is None and recs[0]['retval'] == 7"

    # ---- sandbox
    "$RUNSEL" "${P[@]}" -w sandbox -o "allow-write=$TMP/none" -o format=json -o audit=no -- \
        touch "$TMP/out\"side" 2>"$TMP/sb.$place"
    check "$place: sandbox format=json: one object per denial on stderr (the program's own lines aside)" \
        jq_check <(grep '^{' "$TMP/sb.$place") "len(recs) >= 1 and $has_time and all(r['program'] == '/usr/bin/touch' for r in recs)"
    check "$place:   the openat: object, rule allow-write, errno EACCES, uid" \
        jq_check <(grep '^{' "$TMP/sb.$place") "any(r['call'] == 'openat' and r['object'] == '$TMP/out\"side' and r['rule'] == 'allow-write' and r['errno'] == 'EACCES' and r['uid'] == $(id -u) for r in recs)"
    "$RUNSEL" "${P[@]}" -w sandbox -o "allow-write=$TMP/none" -o format=json -o audit=no -- \
        "$PY" -c 'import os, sys
for n in [sys.argv[1].encode() + b"\xff\x01", (sys.argv[1] + "\u00e9").encode()]:
    try: os.open(n, os.O_WRONLY | os.O_CREAT)
    except OSError: pass' "$TMP/raw" 2>"$TMP/sbr.$place"
    check "$place:   a name with a byte that is not UTF-8 and a control character: \\u00ff, \\u0001; UTF-8 as it is" \
        jq_check "$TMP/sbr.$place" "[r['object'] for r in recs] == ['$TMP/raw\xff\x01', '$TMP/raw\u00e9'] and '\\\\u00ff\\\\u0001' in open('$TMP/sbr.$place', encoding='latin-1').read()"
    "$RUNSEL" "${P[@]}" -w sandbox -o "allow-write=$TMP/none" -o audit=no -- touch "$TMP/outside" 2>"$TMP/sbt.$place"
    check "$place:   without format= the denial line is text, as before" \
        grep -qx "runsel sandbox: denied openat \"$TMP/outside\" (write outside allow-write)" "$TMP/sbt.$place"
done
