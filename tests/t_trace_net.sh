#!/bin/bash
# trace's socket decoders (trace/sockaddr.c, net.c, msghdr.c, sockopt.c,
# iovec.c) against strace 6.1, line for line: every address family strace
# decodes, [len] in and out, msghdr with its control messages, iovec
# arrays, the mmsg calls, socket options, protocols and flags by name —
# made by tests/trace/net.c (good and bad pointers, failing calls), with
# strace's -v, -s, -X raw and -X verbose, then by Python's socket module
# and by curl against an HTTP server on loopback.
. "$SRC/tests/lib/common.sh"
cd "$TMP" || exit 1
NET=$BUILD/tests/trace/net
PY=/usr/bin/python3
[ -x "$PY" ] || PY=$(command -v python3)
CALLS='socket socketpair bind connect listen accept accept4 getsockname getpeername sendto
       recvfrom sendmsg recvmsg sendmmsg recvmmsg shutdown setsockopt getsockopt'
VECTOR='readv writev preadv pwritev preadv2 pwritev2'
SECTIONS='unix inet udp inet6 opts netlink packet addrs socket iov mmsg optstruct cmsg'
# Ports: a base and the 10 after it, the same for the strace run and the
# trace run (every TCP socket ends in a reset: no TIME_WAIT between them).
PORT=$((20000 + RANDOM % 20000))

if ! strace -qq -o /dev/null /bin/true 2>/dev/null; then
    skip "t_trace_net (strace cannot trace here)"
    exit 0
fi

# net_same NAME 'STRACE OPTIONS' 'TRACE OPTIONS' 'CALL...' CMD...: as
# same_lines, with options for both, and the client's ephemeral port
# (what getsockname says) written EPHEMERAL in both logs.
net_same() {
    local name=$1 sopts=$2 topts=$3 calls=$4 d o
    shift 4
    d=$(mktemp -d "$TMP/net.XXXXXX")
    # shellcheck disable=SC2086
    timeout 60 strace -f -qq $sopts -o "$d/s" "$@" </dev/null >/dev/null 2>&1
    o=()
    for x in $topts; do o+=(-o "$x"); done
    timeout 60 "$RUNSEL" -w trace "${o[@]}" -o "log=$d/t" -- "$@" </dev/null >/dev/null 2>&1
    python3 - "$d/s" "$d/t" <<'PY'
import re, sys
for f in sys.argv[1:]:
    text = open(f, errors='replace').read()
    for p in set(re.findall(r'getsockname\(\d+, \{sa_family=AF_INET6?, sin6?_port=htons\((\d+)\)', text)):
        text = text.replace('htons(%s)' % p, 'htons(EPHEMERAL)')
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

# ---- each part of the program, as strace prints it by default
for s in $SECTIONS; do
    net_same "net $s: the lines of strace" "" "" "$CALLS $VECTOR" "$NET" "$PORT" "$s"
done
net_same "net, all sections in one process" "" "" "$CALLS $VECTOR" "$NET" "$PORT"
# every name of every table (levels, options, protocols, families, flags,
# ETH_P_/ARPHRD_/PACKET_ types, control message types) and its neighbours
net_same "net names: every constant strace names, and the unknown ones next to them" \
    "" "" "$CALLS $VECTOR" "$NET" "$PORT" names
# bad pointers print as addresses: the program runs to its end
check "net runs to its end under trace (bad pointers never fault)" \
    timeout 60 "$RUNSEL" -w trace -o log=/dev/null -- "$NET" "$PORT"

# ---- strace's options that change these lines
net_same "net under -v (arrays in full)" "-v" "verbose=yes" "$CALLS $VECTOR" "$NET" "$PORT"
net_same "net under -s 4 (buffers and arrays cut at 4)" "-s 4" "strsize=4" "$CALLS $VECTOR" \
    "$NET" "$PORT"
net_same "net under -X raw (numbers, network-order bytes)" "-X raw" "xlat=raw" "$CALLS $VECTOR" \
    "$NET" "$PORT"
net_same "net under -X verbose (numbers and names)" "-X verbose" "xlat=verbose" \
    "$CALLS $VECTOR" "$NET" "$PORT"
# (not the iov part: under -s 0 ucopy.c's printstrn reads nothing and so
# prints a bad buffer as ""..., where strace prints its address)
net_same "net under -s 0 -v" "-s 0 -v" "strsize=0 verbose=yes" "$CALLS" "$NET" "$PORT" \
    unix inet udp inet6 opts mmsg

# ---- real programs
if [ -n "$PY" ]; then
    net_same "python3 socket module: socketpair, fds passed, TCP v4/v6, UDP, options" \
        "" "" "$CALLS" "$PY" "$SRC/tests/trace/net.py" "$PORT"
else
    skip "python3 socket module (no python3)"
fi
if command -v curl >/dev/null && [ -n "$PY" ]; then
    # an empty file: the server's answer is one write, read by one recvfrom
    # (a body would come in a second write, read with it or not)
    mkdir -p www && : >www/empty
    (cd www && exec "$PY" -m http.server "$((PORT + 20))" --bind 127.0.0.1) >/dev/null 2>&1 &
    server=$!
    for _ in $(seq 50); do
        curl -s "http://127.0.0.1:$((PORT + 20))/empty" >/dev/null 2>&1 && break
        sleep 0.1
    done
    net_same "curl against python3 -m http.server: its socket calls" "" "" "$CALLS" \
        curl -s "http://127.0.0.1:$((PORT + 20))/empty"
    kill "$server" 2>/dev/null
    wait "$server" 2>/dev/null || :     # its status: killed
else
    skip "curl against an HTTP server (no curl or python3)"
fi
