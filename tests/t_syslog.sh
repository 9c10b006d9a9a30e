#!/bin/bash
# log=syslog and sandbox's audit records (issue #17) against a real
# rsyslogd: started here on a private socket ($TMP/log, imuxsock with the
# system socket off), writing every record in RFC 5424 form to a file.
# The runs see that socket as /dev/log: each runs in a mount namespace of
# its own (unshare -m) where /dev is an overlay of the real one, so an
# empty /dev/log can be made there and the socket bound over it — the
# host's /dev is never written.  In process and out of process.
. "$SRC/tests/lib/common.sh"
PY=/usr/bin/python3
cond() { eval "$1"; }
RSYSLOGD=$(command -v rsyslogd || echo /usr/sbin/rsyslogd)
if [ ! -x "$RSYSLOGD" ]; then
    skip "rsyslogd is not installed (tools/deps installs rsyslog)"
    exit 0
fi
if [ "$(id -u)" -ne 0 ] || ! unshare -m true 2>/dev/null; then
    skip "needs root and unshare -m (a private /dev/log)"
    exit 0
fi
chmod 755 "$TMP"
export LC_ALL=C
cat >"$TMP/rsyslog.conf" <<EOF
global(workDirectory="$TMP")
module(load="imuxsock" SysSock.Use="off")
input(type="imuxsock" Socket="$TMP/log" UseSpecialParser="off" ParseHostname="on" IgnoreTimestamp="off")
*.* action(type="omfile" file="$TMP/records" template="RSYSLOG_SyslogProtocol23Format")
EOF
"$RSYSLOGD" -n -f "$TMP/rsyslog.conf" -i "$TMP/rsyslogd.pid" >"$TMP/rsyslogd.out" 2>&1 &
RSPID=$!
trap 'kill $RSPID 2>/dev/null; wait $RSPID 2>/dev/null; rm -rf "$TMP"' EXIT
for _ in $(seq 50); do [ -S "$TMP/log" ] && break; sleep 0.1; done
if [ ! -S "$TMP/log" ]; then
    nok "rsyslogd did not start: $(head -3 "$TMP/rsyslogd.out")"
    exit 0
fi

# with_devlog CMD...: CMD where /dev/log is the private socket.
with_devlog() {
    mkdir -p "$TMP/dev-up" "$TMP/dev-work"
    unshare -m bash -c '
        mount --make-rprivate / &&
        mount -t overlay overlay -o "lowerdir=/dev,upperdir=$1/dev-up,workdir=$1/dev-work" /dev &&
        rm -f /dev/log && touch /dev/log && mount --bind "$1/log" /dev/log || exit 99
        shift; exec "$@"' with_devlog "$TMP" "$@"
}

# records_of APP [SINCE]: the records rsyslogd wrote with that APP-NAME
# (after waiting for them to arrive).
wait_records() {
    for _ in $(seq 30); do grep -q " $1 " "$TMP/records" 2>/dev/null && sleep 0.3 && return; sleep 0.1; done
}
# rec_check PYTHON-EXPR over recs (each: pri, version, time, host, app, procid, msgid, sd, msg).
rec_check() {
    "$PY" -c '
import sys
recs = []
for line in open(sys.argv[1], encoding="utf-8", errors="replace"):
    head, _, rest = line.rstrip("\n").partition(">")
    f = rest.split(" ", 6)
    if len(f) < 7:
        continue
    rec = dict(pri=int(head[1:]), version=f[0], time=f[1], host=f[2], app=f[3], procid=f[4], msgid=f[5])
    sd, _, msg = f[6].partition(" ")
    rec.update(sd=sd, msg=msg)
    recs.append(rec)
if not eval(sys.argv[2]):
    sys.exit("false over %d records: %r" % (len(recs), recs[-3:]))
' "$TMP/records" "$1"
}

cat >"$TMP/drops.py" <<'PYEOF'
import os, signal, sys, time
daemon = int(sys.argv[1])
os.kill(daemon, signal.SIGSTOP)
try:
    for _ in range(40):
        os.getpid()
finally:
    os.kill(daemon, signal.SIGCONT)
time.sleep(0.5)
os.getpid()
PYEOF
had_devlog=$([ -e /dev/log ] && echo yes || echo no)

for place in $(placements); do
    P=(--placement=$place)
    : >"$TMP/records"
    with_devlog "$RUNSEL" "${P[@]}" -w trace -o log=syslog -o trace=openat -- cat "$TMP/missing-$place" 2>/dev/null
    wait_records runsel-trace
    pid=$(grep -m1 " runsel-trace " "$TMP/records" | awk '{print $5}')
    check "$place: trace log=syslog: records with APP-NAME runsel-trace, PRI 14 (user.info), version 1" \
        rec_check "any(r['app'] == 'runsel-trace' and r['pri'] == 14 and r['version'] == '1' for r in recs)"
    check "$place:   PROCID the program's pid, each line a record: the openat of the missing file" \
        rec_check "any(r['app'] == 'runsel-trace' and r['procid'].isdigit() and r['procid'] != str($$) and r['msg'].startswith('openat(AT_FDCWD, \"$TMP/missing-$place\", O_RDONLY)') and r['msg'].endswith('= -1 ENOENT (No such file or directory)') for r in recs)"
    check "$place:   the timestamp is UTC with microseconds" \
        rec_check "all(__import__('re').fullmatch(r'\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}(Z|\+00:00)', r['time']) for r in recs if r['app'] == 'runsel-trace')"
    : >"$TMP/records"
    with_devlog "$RUNSEL" "${P[@]}" -w trace -o log=syslog -o format=json -o trace=openat -- cat "$TMP/missing-$place" 2>/dev/null
    wait_records runsel-trace
    check "$place: trace log=syslog format=json: each record's message one JSON object, errno ENOENT" \
        rec_check "any(r['app'] == 'runsel-trace' and __import__('json').loads(r['msg']).get('errno') == 'ENOENT' and '$TMP/missing-$place' in __import__('json').loads(r['msg'])['args'] for r in recs) and all(__import__('json').loads(r['msg']) for r in recs if r['app'] == 'runsel-trace')"
    : >"$TMP/records"
    with_devlog "$RUNSEL" "${P[@]}" -w count -o log=syslog -- sh -c "cat $TMP/missing-$place" 2>/dev/null
    wait_records runsel-count
    check "$place: count log=syslog: its table's lines as records (runsel-count), the total among them" \
        rec_check "any(r['app'] == 'runsel-count' and r['msg'].split()[-1:] == ['total'] for r in recs) and any(r['app'] == 'runsel-count' and r['msg'].endswith(' openat') for r in recs)"
    : >"$TMP/records"
    with_devlog "$RUNSEL" "${P[@]}" -w fault -o inject=openat:ENOENT:when=3 -o verbose=yes -o log=syslog -- cat /etc/hostname 2>/dev/null
    wait_records runsel-fault
    check "$place: fault log=syslog: the injection as a record (runsel-fault)" \
        rec_check "any(r['app'] == 'runsel-fault' and r['msg'] == 'runsel fault: openat #3 -> ENOENT' for r in recs)"
    : >"$TMP/records"
    with_devlog "$RUNSEL" "${P[@]}" -w sandbox -o "allow-write=$TMP/none" -- touch "$TMP/denied-$place" 2>"$TMP/sb.err"
    wait_records runsel-sandbox
    check "$place: sandbox: a denial is recorded by default: runsel-sandbox, PRI 85 (authpriv.notice), MSGID denial" \
        rec_check "any(r['app'] == 'runsel-sandbox' and r['pri'] == 85 and r['msgid'] == 'denial' for r in recs)"
    check "$place:   the record names the program, pid, uid, call, path and rule" \
        rec_check "any(r['app'] == 'runsel-sandbox' and 'program=\"/usr/bin/touch\"' in r['msg'] and ' pid=' + r['procid'] + ' ' in r['msg'] and ' uid=$(id -u) ' in r['msg'] and 'call=openat' in r['msg'] and 'object=\"$TMP/denied-$place\"' in r['msg'] and 'rule=allow-write' in r['msg'] for r in recs)"
    check "$place:   and the stderr line is as before" \
        grep -qx "runsel sandbox: denied openat \"$TMP/denied-$place\" (write outside allow-write)" "$TMP/sb.err"
    : >"$TMP/records"
    with_devlog "$RUNSEL" "${P[@]}" -w sandbox -o "allow-write=$TMP/none" -o quiet=yes -o format=json -- touch "$TMP/quiet-$place" 2>"$TMP/sbq.err"
    wait_records runsel-sandbox
    check "$place:   quiet=yes: no stderr line, the audit record still (format=json: its message JSON)" \
        cond '! grep -q "runsel sandbox" "$TMP/sbq.err" && rec_check "any(r[\"app\"] == \"runsel-sandbox\" and __import__(\"json\").loads(r[\"msg\"])[\"object\"] == \"$TMP/quiet-$place\" for r in recs)"'
    : >"$TMP/records"
    with_devlog "$RUNSEL" "${P[@]}" -w sandbox -o "allow-write=$TMP/none" -o audit=no -- touch "$TMP/noaudit-$place" 2>/dev/null
    with_devlog "$RUNSEL" "${P[@]}" -w trace -o log=syslog -o trace=getpid -- "$PY" -c 'import os; os.getpid()' 2>/dev/null
    wait_records runsel-trace
    check "$place:   audit=no: no record (a trace record sent after it arrived)" \
        rec_check "any(r['app'] == 'runsel-trace' for r in recs) and not any(r['app'] == 'runsel-sandbox' for r in recs)"
    # A daemon with no room (stopped, its queue full): the program goes
    # on, and the first record that goes after says how many were dropped;
    # with the records that arrived, that makes all 41 getpid lines.
    : >"$TMP/records"
    with_devlog "$RUNSEL" "${P[@]}" -w trace -o log=syslog -o trace=getpid -- "$PY" "$TMP/drops.py" $RSPID 2>/dev/null
    kill -CONT $RSPID
    wait_records runsel-trace
    check "$place: a stalled daemon: the records dropped meanwhile are said by a warning (MSGID dropped) before the next, and add up" \
        rec_check "[(int(r['msg'].split()[1]) + sum(x['msg'].startswith('getpid()') for x in recs), recs[i + 1]['msg'][:8] if i + 1 < len(recs) else '') for i, r in enumerate(recs) if r['msgid'] == 'dropped' and r['pri'] == 12 and r['msg'].startswith('runsel-trace: ')] == [(41, 'getpid()')]"
done

# No daemon: nothing blocks, nothing fails (a socket nobody listens on).
kill $RSPID; wait $RSPID 2>/dev/null
rm -f "$TMP/log"
"$PY" -c 'import socket, sys; socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM).bind(sys.argv[1])' "$TMP/log"
out=$(with_devlog timeout 20 "$RUNSEL" -w trace -o log=syslog -- /bin/true 2>&1); rc=$?
check "no daemon on /dev/log: trace log=syslog runs the program (records dropped)" cond '[ $rc -eq 0 ]'
out=$(timeout 20 "$RUNSEL" -w sandbox -o "allow-write=$TMP/none" -- touch "$TMP/nolog" 2>&1); rc=$?
check "without /dev/log: the sandbox denies as before, no error of its audit" \
    cond '[ $rc -ne 0 ] && grep -qx "runsel sandbox: denied openat \"$TMP/nolog\" (write outside allow-write)" <<<"$out" && [ ! -e "$TMP/nolog" ]'
check "the host's /dev is as it was (no /dev/log made there)" \
    cond '[ "$([ -e /dev/log ] && echo yes || echo no)" = "$had_devlog" ]'
