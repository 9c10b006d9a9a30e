#!/bin/bash
# strace's -yy (decode-fds=all) and the rest of its decode-fds SET
# (trace/decodefds.c, sockdiag.c), typed as strace users type them:
# `runsel -yy` against `strace -yy`, line for line — sockets of each
# family with their endpoints as NETLINK_SOCK_DIAG gives them (unix stream,
# datagram and seqpacket pairs, bound, abstract, listening, connected and
# accepted; TCP and UDP over IPv4 and IPv6 bound, listening, connected,
# refused; netlink sockets before and after bind; protocols strace has no
# query for), the fallbacks when the kernel does not answer (TCP:[INODE],
# socket:[INODE]), what strace keeps of a socket once seen (its peer after
# the peer closed), devices (</dev/null<char 1:3>>), pidfds (<pid:N>, the
# path once the process is reaped) — made by tests/trace/fds.c and by
# Python's socket module; then each SET strace takes (-y, -yyy,
# --decode-fds=socket, -e decode-fds=!path ...) on the same program, how
# runsel maps them onto trace's decode-fds=, and the SETs strace refuses.
. "$SRC/tests/lib/common.sh"
cd "$TMP" || exit 1
FDS=$BUILD/tests/trace/fds
RS=$BUILD/bin/runsel                 # not $RUNSEL for --dry-run: its -b would be in the spec
PY=/usr/bin/python3
[ -x "$PY" ] || PY=$(command -v python3)
CALLS='socket socketpair bind listen connect accept4 fcntl dup close pidfd_open openat unlink'
SECTIONS='unix inet udp inet6 netlink other dev peer pidfd'
# Ports: a base and the 20 after it, the same for strace's run and
# runsel's (every TCP socket of fds.c ends in a reset: no TIME_WAIT),
# below the kernel's ephemeral range (the ports it picks are renamed).
read -r LOW _ </proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || LOW=32768
PORT=$((LOW > 12000 ? 10000 + RANDOM % (LOW - 10030) : 1024 + RANDOM % 1000))
has() { grep -qF -- "$1" <<<"$2"; }
cond() { eval "$1"; }

# fds_same NAME 'OPTIONS' 'CALL...' CMD...: strace OPTIONS and runsel
# OPTIONS (strace's options, as a user types them) on CMD; the lines of
# CALL... must be the same once what differs between two runs is named
# in order of appearance: sockets' inode numbers, the kernel's ephemeral
# ports (outside PORT..PORT+20), pids.
fds_same() {
    local name=$1 opts=$2 calls=$3 d
    shift 3
    d=$(mktemp -d "$TMP/fds.XXXXXX")
    # shellcheck disable=SC2086
    timeout 60 strace -qq $opts -o "$d/s" "$@" </dev/null >/dev/null 2>&1
    # shellcheck disable=SC2086
    timeout 60 "$RUNSEL" -qq $opts -o "$d/t" -- "$@" </dev/null >/dev/null 2>&1
    python3 - "$PORT" "$d/s" "$d/t" <<'PY'
import re, sys
port = int(sys.argv[1])
for f in sys.argv[2:]:
    text = open(f, errors='replace').read()
    names = {}
    def name(kind, v):
        return names.setdefault((kind, v), '%s%d' % (kind, 1 + sum(k[0] == kind for k in names)))
    # inodes: UNIX:[N->M,...], TCP:[N], socket:[N]
    text = re.sub(r'(?<=:\[)\d+(?=[\],>-])', lambda m: name('INO', m.group(0)), text)
    text = re.sub(r'(?<=->)\d+(?=[\],])', lambda m: name('INO', m.group(0)), text)
    # ports after an address (1.2.3.4:N, [::1]:N), not a netlink port id.
    # Ephemeral ports are all one name: the kernel may give a later
    # connection the port of an earlier, closed one in one run and not in
    # the other, so numbering them by first sight would differ by chance.
    text = re.sub(r'(?<=[\d\]]):(\d+)(?=\]|->)', lambda m: ':' + (
        m.group(1) if port <= int(m.group(1)) <= port + 20 else 'EPH'), text)
    text = re.sub(r'(?<=htons\()\d+(?=\))', lambda m: m.group(0) if port <= int(m.group(0)) <= port + 20
                  else 'EPH', text)
    text = re.sub(r'(pid:|_open\()(\d+)', lambda m: m.group(1) + name('PID', m.group(2)), text)
    open(f, 'w').write(text)
PY
    # shellcheck disable=SC2086
    if python3 "$SRC/tests/lib/samelines.py" "$d/s" "$d/t" $calls >"$d/diff"; then
        ok "$name"
    else
        nok "$name"
        head -n 40 "$d/diff"
    fi
}

# ---- how runsel maps strace's decode-fds options: ARGS | trace's words
while IFS='|' read -r args want; do
    [ -n "$args$want" ] || continue
    got=$(eval "\"\$RS\" --dry-run $args -- true" 2>/dev/null | sed -n 's/^RUNSEL_RUN=//p')
    check "runsel $args -> $want" test "$got" = "$want"
done <<'T'
-f -y|trace follow=yes decode-fds=path
-f -yy|trace follow=yes decode-fds=all
-f -yyy|trace follow=yes decode-fds=all
-f -y -y|trace follow=yes decode-fds=all
-f --decode-fds|trace follow=yes decode-fds=path
-f --decode-fds=all|trace follow=yes decode-fds=all
-f --decode-fds=none|trace follow=yes decode-fds=none
-f --decode-fds=socket|trace follow=yes decode-fds=socket
-f --decode-fds=dev,pidfd|trace follow=yes decode-fds=dev,pidfd
-f --decode-fds=pidfd,dev,socket,path|trace follow=yes decode-fds=all
-f -e decode-fds=PATH,Socket|trace follow=yes decode-fds=path,socket
-f -e decode-fd=dev|trace follow=yes decode-fds=dev
-f -e 'decode-fds=!path'|trace follow=yes decode-fds=socket,dev,pidfd
-f -e 'decode-fds=!!dev'|trace follow=yes decode-fds=dev
-f -e 'decode-fds=!none'|trace follow=yes decode-fds=all
-f -e 'decode-fds=!all'|trace follow=yes decode-fds=none
-f -e decode-fds=path,,pidfd,|trace follow=yes decode-fds=path,pidfd
-f --decode-fds=path --decode-fds=socket|trace follow=yes decode-fds=socket
-f -e decode-fds=dev -e decode-fds=none|trace follow=yes decode-fds=none
-w trace -o decode-fds=socket,dev|trace decode-fds=socket,dev
T

# ---- the SETs strace refuses: ARGS | the message (exit 2, as a usage error)
while IFS='|' read -r args want; do
    [ -n "$args" ] || continue
    out=$(eval "\"\$RS\" --dry-run $args -- true" 2>&1); rc=$?
    check "runsel $args: exit 2, '$want'" cond '[ $rc -eq 2 ] && has "$want" "$out"'
done <<'T'
-e decode-fds=foo|invalid decode-fds 'foo'
-e decode-fds=eventfd|invalid decode-fds 'eventfd'
-e decode-fds=|invalid decode-fds ''
-e decode-fds=,|invalid decode-fds ','
-e 'decode-fds=!'|invalid decode-fds '!'
-e decode-fds=none,path|invalid decode-fds 'none'
-e decode-fds=ALL|invalid decode-fds 'ALL'
-e 'decode-fds=path,!socket'|invalid decode-fds '!socket'
--decode-fds=|invalid decode-fds ''
-y --decode-fds=socket|-y and --decode-fds cannot be provided simultaneously
-e decode-fds=path -yy|-y and --decode-fds cannot be provided simultaneously
T
"$RUNSEL" -w trace -o decode-fds=path,bogus -- /bin/true 2>"$TMP/bad.err"; rc=$?
check "trace's own decode-fds=path,bogus: exit 126 with the reason" \
    cond '[ $rc -eq 126 ] && grep -q "decode-fds=path,bogus" "$TMP/bad.err"'

if ! strace -qq -o /dev/null /bin/true 2>/dev/null; then
    skip "t_trace_fds: the lines (strace cannot trace here)"
    exit 0
fi

# ---- -yy: each part of fds.c, then all of them in one process
for s in $SECTIONS; do
    fds_same "-yy $s: the lines of strace" "-yy" "$CALLS" "$FDS" "$PORT" "$s"
done
fds_same "-yy, all sections in one process (what strace keeps, kept across them)" "-yy" \
    "$CALLS" "$FDS" "$PORT"
# sockets printed for the first time after the change (only fcntl traced:
# socketpair's line would have shown them first)
fds_same "-yy -e trace=fcntl: a pair whose peer closed, first seen then" "-yy -e trace=fcntl" \
    "fcntl" "$FDS" "$PORT" peer unix inet
fds_same "-yy -xx: unix names in hex" "-yy -xx" "$CALLS" "$FDS" "$PORT" unix

# ---- every SET strace takes, on the whole program
for opts in "-y" "-yyy" "--decode-fds" "--decode-fds=socket" "--decode-fds=dev" \
            "--decode-fds=pidfd" "--decode-fds=path,dev" "-e decode-fds=!path" \
            "-e decode-fds=SOCKET,Pidfd" "--decode-fds=none" "-e decode-fds=!none"; do
    fds_same "$opts: the lines of strace" "$opts" "$CALLS" "$FDS" "$PORT"
done

# ---- a real program: Python's socket module over loopback and a unix pair
cat >"$TMP/sock.py" <<'PYEOF'
import os, socket, struct, sys
port = int(sys.argv[1]) + 15
srv = socket.socket()
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(('127.0.0.1', port))
srv.listen()
c = socket.create_connection(('127.0.0.1', port))
a, _ = srv.accept()
c.sendall(b'ping')
a.recv(4)
for s in (c, a, srv):
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))
    s.close()
x, y = socket.socketpair()
x.send(b'x')
y.recv(1)
os.fstat(x.fileno())
u = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
u.bind('\0runsel-fds-%d' % port)
u.getsockname()
PYEOF
if [ -n "$PY" ]; then
    fds_same "python3 sockets: the lines of strace -yy" "-yy" \
        "socket socketpair bind listen connect accept4 sendto recvfrom close setsockopt getsockname newfstatat fstat" \
        "$PY" "$TMP/sock.py" "$PORT"
fi

# ---- no descriptor of the lookups is left to the program, and the
# program's next descriptor is the one it gets natively
fdlist='import os, socket
s = socket.socket(); t = socket.socket(socket.AF_UNIX); os.fstat(s.fileno()); os.fstat(t.fileno())
print(sorted(os.listdir("/proc/self/fd")), os.open("/dev/null", os.O_RDONLY))'
if [ -n "$PY" ]; then
    "$RUNSEL" -y -o "$TMP/l1" -- "$PY" -c "$fdlist" >"$TMP/fd1" 2>&1
    "$RUNSEL" -yy -o "$TMP/l2" -- "$PY" -c "$fdlist" >"$TMP/fd2" 2>&1
    check "-yy leaves the program the same descriptors as -y (the diag socket is closed)" \
        cond '[ -s "$TMP/fd1" ] && cmp -s "$TMP/fd1" "$TMP/fd2" && grep -q "TCP:\[" "$TMP/l2"'
fi

# ---- threads looking sockets up at once: every line shows its pair
"$RUNSEL" -f -yy -e trace=fcntl -o "$TMP/thr" -- "$FDS" "$PORT" threads
check "4 threads at once: each of their 400 fcntl lines shows its socket's peer" \
    cond '[ "$(grep -cE "fcntl\([0-9]+<UNIX-STREAM:\[[0-9]+->[0-9]+\]>, F_GETFD\) += 0$" "$TMP/thr")" -eq 400 ]'
