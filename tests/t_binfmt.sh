#!/bin/bash
# runsel-loader as the binfmt_misc interpreter of every ELF exec, inside
# private binfmt_misc instances (user namespaces, Linux >= 6.7): never in
# the machine's own instance.  Nothing here can write to it: the one check
# that runs selctl register against it uses a loader that does not exist
# and, as root, a private mount namespace where a tmpfs hides the instance.
. "$SRC/tests/lib/common.sh"
export PATH=/usr/bin:/bin          # the exec log names what PATH lookups find
PROBE=$BUILD/tests/binfmt-probe    # stand-in interpreter: prints what it is given
BM=/proc/sys/fs/binfmt_misc
export SELCTL LOADER BM

# ---- command line
"$SELCTL" register --help >"$TMP/out" 2>&1; rc=$?
check "register --help: exit 0, the entry's flags documented" \
    bash -c "[ $rc -eq 0 ] && grep -q POCF '$TMP/out' && grep -q -- '--userns' '$TMP/out'"
for c in unregister status check; do
    "$SELCTL" $c --help >/dev/null 2>&1; rc=$?
    check "$c --help: exit 0" test $rc -eq 0
done
"$SELCTL" register --bogus >/dev/null 2>"$TMP/err"; rc=$?
check "unknown option: exit 2, says which" \
    bash -c "[ $rc -eq 2 ] && head -1 '$TMP/err' | grep -qx \"selctl: register: unknown option '--bogus'\""
"$SELCTL" register --userns >/dev/null 2>&1; rc=$?
check "register --userns without a command is a usage error (2)" test "$rc" -eq 2
"$SELCTL" register --log "$TMP/x" >/dev/null 2>&1; rc=$?
check "--log without --userns is a usage error (2)" test "$rc" -eq 2
"$SELCTL" register --global --userns -- /bin/true >/dev/null 2>&1; rc=$?
check "--global with --userns is a usage error (2)" test "$rc" -eq 2
check "register --print is the shipped binfmt.d line" test \
    "$("$SELCTL" register --print --loader /opt/x/runsel-loader)" = \
    "$(sed -n 's|@LOADER@|/opt/x/runsel-loader|p' "$SRC/tools/runsel.binfmt.in")"
check "the registration line, byte for byte" test \
    "$("$SELCTL" register --print --loader /L)" = ':runsel:M:0:\x7f\x45\x4c\x46\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\x3e\x00:\xff\xff\xff\xff\xff\xff\xff\x00\x00\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff\xff:/L:POCF'

# ---- refusals that protect the machine
if "$SELCTL" status 2>/dev/null | grep -qx "binfmt_misc instance: the machine's own (initial user namespace)"; then
    # Safe even if the refusal were broken: no such loader, and as root a
    # tmpfs hides the instance in a throwaway mount namespace.
    refuse() {
        if [ "$(id -u)" -eq 0 ] && unshare --mount --propagation private true 2>/dev/null; then
            unshare --mount --propagation private sh -c \
                'mount -t tmpfs none "$BM" && exec "$@"' sh "$SELCTL" "$@"
        else
            "$SELCTL" "$@"
        fi
    }
    refuse register --loader "$TMP/no-such-loader" >/dev/null 2>"$TMP/err"; rc=$?
    check "register refuses the machine's own instance without --global" test "$rc" -eq 1
    check "  and says why" grep -q "refusing to register in the machine's own binfmt_misc instance" "$TMP/err"
    refuse unregister >/dev/null 2>"$TMP/err"; rc=$?
    check "unregister refuses the machine's own instance without --global" \
        bash -c "[ $rc -eq 1 ] && grep -q 'refusing to unregister' '$TMP/err'"
else
    skip "refusal of the machine's own instance: already inside a user namespace"
fi

# ---- private instances available?
kver=$(uname -r)
IFS=. read -r kmaj kmin _ <<<"$kver"
if [ "$kmaj" -lt 6 ] || { [ "$kmaj" -eq 6 ] && [ "${kmin%%[!0-9]*}" -lt 7 ]; }; then
    skip "binfmt tests: Linux $kver < 6.7 has no private binfmt_misc instances"
    exit 0
fi
if ! "$SELCTL" register --userns --loader "$LOADER" -- /bin/true 2>"$TMP/err"; then
    skip "binfmt tests: no private binfmt_misc instance here ($(head -1 "$TMP/err"))"
    exit 0
fi

inns() {   # inns LOG CMD...: run CMD with the loader registered, exec log in LOG
    local log=$1; shift
    : >"$log"
    "$SELCTL" register --userns --loader "$LOADER" --log "$log" -- "$@"
}
names() { cut -d' ' -f2 "$1" | sort | tr '\n' ' '; }

# ---- the entry as registered
inns "$TMP/log0" cat $BM/runsel >"$TMP/entry"
check "entry is enabled" grep -qx enabled "$TMP/entry"
check "entry interpreter is the loader" grep -qx "interpreter $(realpath "$LOADER")" "$TMP/entry"
check "entry flags are POCF" grep -qx "flags: POCF" "$TMP/entry"
check "entry magic" grep -qx "magic 7f454c4602010100000000000000000002003e00" "$TMP/entry"
check "entry mask" grep -qx "mask ffffffffffffff0000fffffffffffffffeffffff" "$TMP/entry"

# ---- what the kernel hands the interpreter (stand-in, not the loader)
probe=$(realpath "$PROBE")
out=$("$SELCTL" register --userns --loader "$PROBE" -- echo hi there 2>&1)
check "P: argv is [loader, full path, original argv0, args]" \
    grep -qx "argv $probe|/usr/bin/echo|echo|hi|there" <<<"$out"
check "O: AT_EXECFD is the program" grep -Eqx "execfd [0-9]+ same-file" <<<"$out"
check "AT_FLAGS bit 0 (argv0 preserved)" grep -qx "flags 0x1" <<<"$out"
check "AT_SECURE 0 for a plain program" grep -qx "secure 0" <<<"$out"

# ---- loaders that would make every exec fail are refused
cp "$PROBE" "$TMP/unstamped" && printf '\0' | dd of="$TMP/unstamped" bs=1 seek=15 count=1 conv=notrunc status=none
"$SELCTL" register --userns --loader "$TMP/unstamped" -- /bin/true 2>"$TMP/err"; rc=$?
check "an unstamped loader is refused" \
    bash -c "[ $rc -eq 1 ] && grep -q 'matches the runsel entry itself' '$TMP/err'"
printf '#!/bin/sh\nexec "$@"\n' >"$TMP/script-loader"; chmod +x "$TMP/script-loader"
"$SELCTL" register --userns --loader "$TMP/script-loader" -- /bin/true 2>"$TMP/err"; rc=$?
check "a script as loader is refused" bash -c "[ $rc -eq 1 ] && grep -q 'not an ELF program' '$TMP/err'"
inns "$TMP/log4" "$SELCTL" register --loader "$TMP/unstamped" 2>"$TMP/err"; rc=$?
check "  also by a plain register in a private instance" \
    bash -c "[ $rc -eq 1 ] && grep -q 'matches the runsel entry itself' '$TMP/err'"
# The unstamped copy is a static ET_EXEC with EI_OSABI = ELFOSABI_GNU: it
# matches the entry, goes through the loader and sees what it sees natively.
if [ "$(od -An -tu1 -j7 -N1 "$TMP/unstamped" | tr -d ' ')" = 3 ]; then
    native=$("$TMP/unstamped" a b | grep -v '^euid')     # uid 0 in the namespace
    loaded=$(inns "$TMP/log4" "$TMP/unstamped" a b | grep -v '^euid')
    check "static ELFOSABI_GNU program: through the loader" test "$(names "$TMP/log4")" = "$TMP/unstamped "
    check "  with the same argv and auxv flags as natively" test "$native" = "$loaded"
else
    skip "ELFOSABI_GNU program through the loader: the static probe is not ELFOSABI_GNU"
fi
# Why: registered anyway (bypassing selctl), every ELF exec fails.
line=$("$SELCTL" register --print --loader "$TMP/unstamped")
out=$(unshare -Ur --mount sh -c 'mount -t binfmt_misc none "$BM" && printf %s "$1" >"$BM/register" && /bin/true; echo "rc=$?"' sh "$line" 2>&1)
check "kernel: an entry matching its own interpreter fails every exec (ENOEXEC)" \
    bash -c "grep -q 'rc=126' <<<'$out' && grep -qi 'exec format error' <<<'$out'"

# ---- a pipeline: same output as native, and every exec went through the loader
pipeline='printf "b\na\n" | sort | uniq -c'
native=$(/bin/sh -c "$pipeline")
loaded=$(inns "$TMP/log1" /bin/sh -c "$pipeline")
check "pipeline output equals native" test "$native" = "$loaded"
check "pipeline: 3 execs logged" test "$(wc -l <"$TMP/log1")" -eq 3
check "pipeline: sh, sort, uniq went through the loader" \
    test "$(names "$TMP/log1")" = "/bin/sh /usr/bin/sort /usr/bin/uniq "

# ---- forks and execs, nested: a subshell, a second shell, env's exec of true
tree='( /bin/sh -c "/bin/echo x; /usr/bin/env true" ); /bin/echo $?'
native=$(/bin/sh -c "$tree")
loaded=$(inns "$TMP/log2" /bin/sh -c "$tree")
check "fork+exec output equals native" test "$native" = "$loaded"
check "fork+exec: all 6 execs logged" test "$(wc -l <"$TMP/log2")" -eq 6
check "fork+exec: the programs" \
    test "$(names "$TMP/log2")" = "/bin/echo /bin/echo /bin/sh /bin/sh /usr/bin/env /usr/bin/true "
# --log with a relative path is made absolute (each exec runs elsewhere)
(cd "$TMP" && "$SELCTL" register --userns --loader "$LOADER" --log rel.log -- /bin/sh -c 'cd / && /bin/true')
check "--log relative to selctl's directory" test "$(names "$TMP/rel.log")" = "/bin/sh /bin/true "

# ---- programs whose own identity matters
loaded=$(inns "$TMP/log3" /usr/bin/readlink /proc/self/exe)
check "/proc/self/exe names the program (root in its own namespace)" test "$loaded" = /usr/bin/readlink
loaded=$(inns "$TMP/log3" /bin/bash -c 'exec -a myname /bin/cat /proc/self/cmdline' | tr '\0' '|')
check "argv[0] preserved (P flag) and cmdline right" test "$loaded" = "myname|/proc/self/cmdline|"
loaded=$(inns "$TMP/log3" /bin/cat /proc/self/comm)
check "comm names the program" test "$loaded" = cat
native=$(/usr/bin/python3 -c 'import sys, os; print(sys.executable, os.path.realpath("/proc/self/exe"))')
loaded=$(inns "$TMP/log3" /usr/bin/python3 -c 'import sys, os; print(sys.executable, os.path.realpath("/proc/self/exe"))')
check "python3 sees its own executable" test "$native" = "$loaded"

# ---- known kernel limit: fexecve of an O_CLOEXEC fd fails with ENOENT under
# any binfmt_misc entry (no path to give the interpreter).  Asserted so a
# kernel change is noticed.
native=$("$BUILD/tests/fexec" /bin/true; echo "rc=$?")
check "fexecve works natively" test "$native" = "rc=0"
loaded=$(inns "$TMP/log5" "$BUILD/tests/fexec" /bin/true)
check "fexecve of an O_CLOEXEC fd gives ENOENT under binfmt_misc (kernel limit)" test "$loaded" = ENOENT

# ---- setuid and execute-only programs: with the C flag the kernel computes
# credentials from the program, with O it opens the program for the loader.
# Needs other uids than 0: a namespace mapping 0..65535 onto the same host
# ids (root only), and a directory not mounted nosuid (so not /tmp).
suid_dir=$BUILD/tests/suid
as1000="setpriv --reuid=1000 --regid=1000 --clear-groups"
if [ "$(id -u)" -ne 0 ]; then
    skip "setuid through binfmt: needs root to map a full uid range"
elif ! mkdir -p "$suid_dir" || ! chmod 755 "$suid_dir"; then
    skip "setuid through binfmt: cannot create $suid_dir"
elif ! command -v setpriv >/dev/null; then
    skip "setuid through binfmt: no setpriv"
elif findmnt -no OPTIONS --target "$suid_dir" | grep -qw nosuid; then
    skip "setuid through binfmt: $suid_dir is on a nosuid mount"
elif ! $as1000 test -x "$suid_dir"; then
    skip "setuid through binfmt: uid 1000 cannot reach $suid_dir"
elif ! "$SELCTL" register --userns --full-range --loader "$LOADER" -- /bin/true 2>"$TMP/err"; then
    skip "setuid through binfmt: $(head -1 "$TMP/err")"
else
    rm -f "$suid_dir/id-suid" "$suid_dir/xonly"
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
    # Selection never changes privileges: a request to wrap a setuid program
    # is ignored (secure exec), and a wrapped program exec'ing one hands it
    # to the kernel, which gives it its privileges.
    out=$("$SELCTL" register --userns --full-range --loader "$LOADER" -- /bin/sh -c "
        echo run=\$(RUNSEL_RUN=null RUNSEL_WRAPPER_DIR='$BUILD/bin/wrappers' $as1000 '$suid_dir/id-suid' -u)
        echo wrapped=\$($as1000 '$BUILD/bin/runsel' -w null -- /bin/sh -c '$suid_dir/id-suid -u')
        echo wrapped-plain=\$($as1000 '$BUILD/bin/runsel' -w null -- /bin/sh -c '/usr/bin/id -u')
    " 2>&1)
    check "RUNSEL_RUN is ignored for a setuid program: it runs with its privileges" grep -qx "run=0" <<<"$out"
    check "a setuid program exec'd by a wrapped program keeps its privileges" grep -qx "wrapped=0" <<<"$out"
    check "  and a plain one exec'd by it runs as the user" grep -qx "wrapped-plain=1000" <<<"$out"
fi

# ---- status and unregister inside the private instance
inns "$TMP/log7" /bin/sh -c '
    "$SELCTL" status; echo status-rc=$?
    "$SELCTL" unregister; echo unregister-rc=$?
    "$SELCTL" status; echo status2-rc=$?
    /bin/true' >"$TMP/st" 2>&1
check "status: registered" grep -qx "runsel entry: registered" "$TMP/st"
check "status: the instance is this namespace's own" grep -qx "binfmt_misc instance: this user namespace's own (private)" "$TMP/st"
check "status: the entry is selctl's and the loader usable" \
    bash -c "grep -qx '  the entry selctl registers' '$TMP/st' && grep -qx '  loader: ok (static, stamped)' '$TMP/st'"
check "status exits 0 when registered" grep -qx "status-rc=0" "$TMP/st"
check "unregister succeeds" grep -qx "unregister-rc=0" "$TMP/st"
check "status after unregister: not registered" grep -qx "runsel entry: not registered" "$TMP/st"
check "  and exits 1" grep -qx "status2-rc=1" "$TMP/st"
check "execs after unregister bypass the loader" bash -c "! grep -q /bin/true '$TMP/log7'"

# ---- an instance inherited from an ancestor namespace is not this
# namespace's: as for the machine's own (which is what a root-made
# `unshare --user --map-users=0,0,65536 --mount` inherits), register needs
# --global.  The ancestor here is a private instance, so nothing leaks.
cat >"$TMP/nested.sh" <<'EOF'
mount -t binfmt_misc none "$BM" || exit 3
unshare --user --map-root-user --mount sh -c '
    "$SELCTL" status | grep "^binfmt_misc instance"
    "$SELCTL" register --loader "$LOADER"; echo register-rc=$?'
echo after-refusal: "$BM"/*
unshare --user --map-root-user --mount sh -c '"$SELCTL" register --global --runtime --loader "$LOADER"; echo global-rc=$?'
echo after-global: "$BM"/*
EOF
unshare -Ur --mount bash "$TMP/nested.sh" >"$TMP/nested" 2>&1
check "inherited mount: status says it is not this namespace's" \
    grep -q "^binfmt_misc instance: not this user namespace's (mounted outside this namespace)" "$TMP/nested"
check "inherited mount: register refuses (exit 1)" grep -qx "register-rc=1" "$TMP/nested"
check "  and says why" grep -q "refusing to register: the binfmt_misc instance at $BM is not this user namespace's own" "$TMP/nested"
check "  and the ancestor's instance is untouched" grep -qx "after-refusal: $BM/register $BM/status" "$TMP/nested"
check "inherited mount: --global registers there" \
    bash -c "grep -qx 'global-rc=0' '$TMP/nested' && grep -qx 'after-global: $BM/register $BM/runsel $BM/status' '$TMP/nested'"
check "  with a warning about the risk" grep -q "warning: registering .* not private" "$TMP/nested"

# The same instance mounted into this namespace's mount namespace by an
# ancestor's process (not locked, yet not ours): told apart by superblock.
cat >"$TMP/nested2.sh" <<'EOF'
unshare --user --map-root-user --mount sh -c 'echo $$ >"$1.pid"; exec sleep 20' sh "$1" &
for i in $(seq 200); do [ -s "$1.pid" ] && break; sleep 0.01; done
pid=$(cat "$1.pid")
nsenter -t "$pid" --mount mount -t binfmt_misc none "$BM" || { kill "$pid"; exit 3; }
nsenter -t "$pid" --user --mount --preserve-credentials sh -c '
    "$SELCTL" status | grep "^binfmt_misc instance"
    "$SELCTL" register --loader "$LOADER"; echo register-rc=$?
    echo after-refusal: "$BM"/*'
kill "$pid"
EOF
unshare -Ur --mount bash "$TMP/nested2.sh" "$TMP/nested2" >"$TMP/nested2" 2>&1
check "ancestor's instance mounted here: not this namespace's" \
    grep -q "^binfmt_misc instance: not this user namespace's (mounted by a process of another user namespace)" "$TMP/nested2"
check "  register refuses, nothing registered" \
    bash -c "grep -qx 'register-rc=1' '$TMP/nested2' && grep -qx 'after-refusal: $BM/register $BM/status' '$TMP/nested2'"

# Tracers see the loader at work between the execve and the program.
if command -v strace >/dev/null; then
    inns "$TMP/log8" strace -f -o "$TMP/strace.log" /bin/true
    check "strace through the loader: execve, then the loader's PR_SET_MM_MAP" \
        bash -c "grep -q 'execve(\"/bin/true\"' '$TMP/strace.log' && grep -q 'PR_SET_MM_MAP' '$TMP/strace.log'"
else
    skip "strace through the loader: strace not installed"
fi
