#!/bin/bash
# runsel-loader as the binfmt_misc interpreter of every ELF exec, inside
# private binfmt_misc instances (user namespaces, Linux >= 6.7): never in
# the machine's own instance.
. "$SRC/tests/lib/common.sh"

# Refusals that protect the machine.
if "$SELCTL" status 2>/dev/null | grep -qx "binfmt_misc instance: the machine's own (initial user namespace)"; then
    "$SELCTL" register --loader "$LOADER" >/dev/null 2>"$TMP/err"; rc=$?
    check "register refuses the machine's own instance without --global" test "$rc" -eq 1
    check "  and says why" grep -q "refusing to register in the machine's own binfmt_misc instance" "$TMP/err"
else
    skip "refusal of the machine's own instance: already inside a user namespace"
fi
"$SELCTL" register --userns >/dev/null 2>&1; rc=$?
check "register --userns without a command is a usage error (2)" test "$rc" -eq 2

if ! "$SELCTL" register --userns --loader "$LOADER" -- /bin/true 2>"$TMP/err"; then
    skip "binfmt tests: no private binfmt_misc instance here ($(head -1 "$TMP/err"))"
    exit 0
fi

inns() {   # inns LOG CMD...: run CMD with the loader registered, exec log in LOG
    local log=$1; shift
    : >"$log"
    "$SELCTL" register --userns --loader "$LOADER" --log "$log" -- "$@"
}

# The entry as registered.
inns "$TMP/log0" cat /proc/sys/fs/binfmt_misc/runsel >"$TMP/entry"
check "entry is enabled" grep -qx enabled "$TMP/entry"
check "entry flags are POCF" grep -qx "flags: POCF" "$TMP/entry"
check "entry magic" grep -qx "magic 7f454c4602010100000000000000000002003e00" "$TMP/entry"
check "entry mask" grep -qx "mask ffffffffffffff0000fffffffffffffffeffffff" "$TMP/entry"

# A pipeline: same output as native, and every exec went through the loader.
pipeline='printf "b\na\nb\n" | sort | uniq -c; /bin/echo done'
native=$(/bin/sh -c "$pipeline")
loaded=$(inns "$TMP/log1" /bin/sh -c "$pipeline")
check "pipeline output equals native" test "$native" = "$loaded"
check "pipeline: every exec went through the loader" \
    test "$(cut -d' ' -f2 "$TMP/log1" | sort | tr '\n' ' ')" = "/bin/echo /bin/sh /usr/bin/sort /usr/bin/uniq "

# A program that forks and execs (the shell), nested three deep.
native=$(/bin/sh -c '( /bin/sh -c "/bin/echo x; /usr/bin/env true" ); /bin/echo $?')
loaded=$(inns "$TMP/log2" /bin/sh -c '( /bin/sh -c "/bin/echo x; /usr/bin/env true" ); /bin/echo $?')
check "fork+exec output equals native" test "$native" = "$loaded"
check "fork+exec: all 6 execs logged" test "$(wc -l <"$TMP/log2")" -eq 6
check "env's exec of true went through the loader" grep -qx "exec /usr/bin/true" "$TMP/log2"

# Programs whose own identity matters.
loaded=$(inns "$TMP/log3" /usr/bin/readlink /proc/self/exe)
check "/proc/self/exe names the program (root in its own namespace)" test "$loaded" = /usr/bin/readlink
loaded=$(inns "$TMP/log3" /bin/bash -c 'exec -a myname /bin/cat /proc/self/cmdline' | tr '\0' '|')
check "argv[0] preserved (P flag) and cmdline right" test "$loaded" = "myname|/proc/self/cmdline|"
loaded=$(inns "$TMP/log3" /bin/cat /proc/self/comm)
check "comm names the program" test "$loaded" = cat
native=$(/usr/bin/python3 -c 'import sys, os; print(sys.executable, os.path.realpath("/proc/self/exe"))')
loaded=$(inns "$TMP/log3" /usr/bin/python3 -c 'import sys, os; print(sys.executable, os.path.realpath("/proc/self/exe"))')
check "python3 sees its own executable" test "$native" = "$loaded"

# Known kernel limit: fexecve of an O_CLOEXEC fd fails with ENOENT under
# any binfmt_misc entry (no path to give the interpreter).  Asserted so a
# kernel change is noticed.
native=$("$BUILD/tests/fexec" /bin/true; echo "rc=$?")
check "fexecve works natively" test "$native" = "rc=0"
loaded=$(inns "$TMP/log5" "$BUILD/tests/fexec" /bin/true)
check "fexecve of an O_CLOEXEC fd gives ENOENT under binfmt_misc (kernel limit)" test "$loaded" = ENOENT

# Setuid and execute-only programs: with the C flag the kernel computes
# credentials from the program, with O it opens the program for the loader.
# Needs other uids than 0: a namespace mapping 0..65535 onto the same host
# ids (root only), and a directory not mounted nosuid.
suid_dir=$BUILD/tests/suid
mkdir -p "$suid_dir" && chmod 755 "$suid_dir"
as1000="setpriv --reuid=1000 --regid=1000 --clear-groups"
if [ "$(id -u)" -ne 0 ]; then
    skip "setuid through binfmt: needs root to map a full uid range"
elif findmnt -no OPTIONS --target "$suid_dir" | grep -q nosuid; then
    skip "setuid through binfmt: $suid_dir is on a nosuid mount"
else
    cp /usr/bin/id "$suid_dir/id-suid" && chown 0:0 "$suid_dir/id-suid" && chmod 4755 "$suid_dir/id-suid"
    cp /bin/echo "$suid_dir/xonly" && chmod 0111 "$suid_dir/xonly"
    native=$($as1000 "$suid_dir/id-suid" -u)
    check "setuid-root program: euid 0 natively" test "$native" = 0
    log6=$suid_dir/log6; : >"$log6"; chmod 666 "$log6"
    out=$("$SELCTL" register --userns --full-range --loader "$LOADER" --log "$log6" -- /bin/sh -c "
        echo loaded=\$($as1000 '$suid_dir/id-suid' -u)
        echo plain=\$($as1000 /usr/bin/id -u)
        echo xonly=\$($as1000 '$suid_dir/xonly' runs)
        echo xonly-cat=\$($as1000 cat '$suid_dir/xonly' 2>&1 >/dev/null | grep -c 'Permission denied')
    " 2>&1)
    check "setuid-root program keeps euid 0 through the loader" grep -qx "loaded=0" <<<"$out"
    check "a plain program runs as uid 1000" grep -qx "plain=1000" <<<"$out"
    check "execute-only program runs (O flag)" grep -qx "xonly=runs" <<<"$out"
    check "  though uid 1000 cannot read it" grep -qx "xonly-cat=1" <<<"$out"
    # AT_SECURE: the loader ignores its environment knobs (the log) for the
    # setuid exec, and honours them for the others.
    check "secure exec ignores RUNSEL_LOADER_LOG" bash -c "! grep -q id-suid '$log6'"
    check "non-secure exec honours it" grep -qx "exec /usr/bin/id" "$log6"
    echo "(inside: $(tr '\n' ' ' <<<"$out"))"
fi

# status and unregister inside the private instance.
inns "$TMP/log7" /bin/sh -c "
    '$SELCTL' status; echo status-rc=\$?
    '$SELCTL' unregister; echo unregister-rc=\$?
    '$SELCTL' status; echo status2-rc=\$?
    /bin/true" >"$TMP/st" 2>&1
check "status: registered" grep -qx "runsel entry: registered" "$TMP/st"
check "status: the instance is this namespace's" grep -q "this user namespace's" "$TMP/st"
check "status exits 0 when registered" grep -qx "status-rc=0" "$TMP/st"
check "unregister succeeds" grep -qx "unregister-rc=0" "$TMP/st"
check "status after unregister: not registered" grep -qx "runsel entry: not registered" "$TMP/st"
check "  and exits 1" grep -qx "status2-rc=1" "$TMP/st"
check "execs after unregister bypass the loader" bash -c "! grep -q /bin/true '$TMP/log7'"
