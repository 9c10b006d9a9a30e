#!/bin/bash
# placement=kernel (issue #16): a wrapper's rules that fail or kill a call
# run as a seccomp filter (kfilter/) for the program and its descendants,
# the rest of the stack in process.
#   - the wrapper suite's deny, fault and sandbox checks again with
#     --placement=kernel (TEST_PLACEMENT=kernel): the same results;
#   - a stack of rules only runs the program natively (nothing of runsel
#     in its memory), under a filter;
#   - the program cannot take the filter off or get round it: a raw
#     syscall instruction, its own allow-all filter, clearing
#     no_new_privs or seccomp, the exec of a set-user-ID helper;
#   - its own filters still hold next to runsel's;
#   - a sibling started from the same shell, and the shell, are not under it;
#   - an observing wrapper's rules follow every descendant, even one that
#     drops runsel's request from its environment;
#   - a killing rule kills by SIGSYS, as seccomp does, in process too;
#   - inherit=no with placement=kernel is refused;
#   - a sandbox's backstops stop what gets past its code in process;
#   - placement=kernel in selected.conf: selctl compile writes FILE.rules,
#     initmod installs from it only the filter for exactly its rules, and
#     a changed entry, an untrusted or missing file end the exec (126);
#     an observing wrapper's rules stay in a child the list excludes.
. "$SRC/tests/lib/common.sh"
cd "$TMP"
export LC_ALL=C
U=$BUILD/tests/kernel/undo
W=$BUILD/tests/wrap
K=("$RUNSEL" --placement=kernel)
D=("${K[@]}" -w deny -o calls=getppid)

for t in t_deny t_fault t_sandbox; do
    TEST_PLACEMENT=kernel bash "$SRC/tests/$t.sh" 2>&1 |
        sed -E "s/^(not ok|ok|skip) /\1 [$t, placement=kernel] /"
    rc=${PIPESTATUS[0]}
    [ "$rc" -eq 0 ] || nok "$t with placement=kernel: script exited $rc"
done

# ---- rules only: the program runs natively under the filter
out=$("${D[@]}" -- /bin/sh -c 'grep -c runsel /proc/self/maps; grep "^Seccomp:" /proc/self/status' 2>&1)
check "deny alone: nothing of runsel in the program, a seccomp filter on it" \
    test "$out" = "$(printf '0\nSeccomp:\t2')"
check "  the denied call fails (EPERM)" test "$("${D[@]}" -- "$U" ids)" = "euid=$(id -u) getppid=EPERM"
check "  natively it does not" test "$("$U" ids)" = "euid=$(id -u) getppid=ok"
out=$("${K[@]}" -w deny -o calls=getppid -w trace -o log="$TMP/tr.log" -- "$U" ids 2>&1)
check "deny with trace inside it: trace runs in process, the call still fails" \
    test "$out:$(grep -c runsel /proc/self/maps)" = "euid=$(id -u) getppid=EPERM:0"
out=$("${K[@]}" -w trace -o log="$TMP/tr2.log" -w deny -o calls=getppid -- "$U" ids 2>&1)
check "trace outside deny sees getppid fail as in process" \
    grep -q '^getppid() *= -1 EPERM' "$TMP/tr2.log"

# the filter is installed after the wrappers' start in the first process
# (initmod, from runsel's memfd: the loader's -K), so trace's log opens
# though fault's rule fails every open for writing; the program's fails
rm -f "$TMP/w.txt"
"${K[@]}" -w trace -o log="$TMP/tr3.log" -w fault -o 'inject=openat:ENOENT:arg2&0x3=1' -- \
    /bin/sh -c "echo x > '$TMP/w.txt'" 2>/dev/null
check "the first process's wrappers start before the filter (trace's log), the program's write-open fails" \
    test -s "$TMP/tr3.log" -a ! -e "$TMP/w.txt" -a -n "$(grep -F "w.txt\", O_WRONLY|O_CREAT|O_TRUNC, 0666) = -1 ENOENT" "$TMP/tr3.log")"
check "  no descriptor of runsel's left in the program (the memfd is closed)" \
    test -z "$("${K[@]}" -w trace -o log=/dev/null -w deny -o calls=getppid -- /bin/ls -l /proc/self/fd | grep -i 'memfd\|kfilter')"
out=$(RUNSEL_WRAPPER_DIR="$BUILD/bin/wrappers" RUNSEL_RUN='deny calls=getppid placement=kernel + trace' \
      "$LOADER" "$U" ids 2>&1); rc=$?
check "a request saying placement=kernel set by hand, with no filter on the process: refused (126)" \
    test "$rc" = 126 -a -n "$(grep 'no seccomp filter on this process' <<<"$out")"

# ---- it cannot be taken off
check "a raw syscall instruction of the program's own: still EPERM" \
    test "$("${D[@]}" -- "$U" raw)" = "raw getppid=EPERM"
check "its own allow-all filter loosens nothing" \
    test "$("${D[@]}" -- "$U" filter)" = "own allow filter=ok getppid=EPERM"
check "no_new_privs and seccomp cannot be cleared" \
    test "$("${D[@]}" -- "$U" strict)" = "clear nnp=EINVAL seccomp off=EINVAL getppid=EPERM"
check "its own filter holds next to runsel's (uname EACCES, getppid EPERM)" \
    test "$("${D[@]}" -- "$U" own)" = "own filter=ok uname=EACCES getppid=EPERM"
mkdir -p "$TMP/suid" && cp "$U" "$TMP/suid/undo" && chmod 4755 "$TMP/suid/undo" && chmod 755 "$TMP" "$TMP/suid"
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null &&
   [ "$(setpriv --reuid=65534 --regid=65534 --clear-groups /bin/sh -c '"$1" ids' sh "$TMP/suid/undo" 2>/dev/null)" = "euid=0 getppid=ok" ]; then
    nobody=(setpriv --reuid=65534 --regid=65534 --clear-groups)
    check "unprivileged: the set-user-ID helper it execs runs without its privileges (no_new_privs), still denied" \
        test "$("${nobody[@]}" "${D[@]}" -- "$U" exec "$TMP/suid/undo")" = "euid=65534 getppid=EPERM"
    check "  no_new_privs is set for an unprivileged run" \
        grep -q 'NoNewPrivs:.1' <("${nobody[@]}" "${D[@]}" -- /bin/cat /proc/self/status)
    check "root: the helper gains its privileges as natively, and is still denied" \
        test "$("${D[@]}" -- "$U" exec "$TMP/suid/undo")" = "euid=0 getppid=EPERM"
    check "  no no_new_privs for root" grep -q 'NoNewPrivs:.0' <("${D[@]}" -- /bin/cat /proc/self/status)
else
    skip "set-user-ID exec under placement=kernel: needs root, setpriv and a suid-capable $TMP"
fi

# ---- selective: the sibling and the shell are not under it
out=$(/bin/sh -c '"$1" --placement=kernel -w deny -o calls=getppid -- "$2" ids & "$2" ids; wait; "$2" ids' sh "$RUNSEL" "$U" | sort | uniq -c | awk '{print $1, $3}' | tr '\n' ' ')
check "a sibling from the same shell, and the shell after, run unfiltered (1 EPERM, 2 ok)" \
    test "$out" = "1 getppid=EPERM 2 getppid=ok "

# ---- an observing wrapper's rules follow the whole tree
out=$("${K[@]}" -w fault -o inject=chdir:ENOENT -- env -i /bin/sh -c 'cd /tmp && echo moved' 2>&1)
check "fault's rule holds in a child that drops runsel's request (env -i): the kernel keeps it" \
    grep -q "can't cd to /tmp" <<<"$out"
out=$("${K[@]}" -w fault -o inject=chdir:ENOENT -o inherit=no -- /bin/true 2>&1); rc=$?
check "inherit=no with placement=kernel: refused (2), saying why" \
    test "$rc" = 2 -a -n "$(grep 'placement=kernel with inherit=no' <<<"$out")"

out=$("${D[@]}" -p $$ 2>&1); rc=$?
check "-p with --placement=kernel: a usage error (2), saying why" \
    test "$rc" = 2 -a -n "$(grep 'cannot be given a seccomp filter' <<<"$out")"

# ---- killing rules
for pl in inprocess kernel; do
    { "$RUNSEL" --placement=$pl -w "$W/rules.so" -o table=kill -- /usr/bin/python3 -c '
import os, ctypes
libc = ctypes.CDLL(None)
libc.syscall(110, 6); print("alive")
libc.syscall(110, 7); print("not reached")' >"$TMP/kill.$pl" 2>&1; } 2>/dev/null
    rc=$?
    check "$pl: a KILL rule kills by SIGSYS (status 159), after the calls it does not match" \
        test "$rc:$(head -1 "$TMP/kill.$pl")" = "159:alive"
done

# ---- a sandbox's backstops: what gets past its code in the program
out=$("${K[@]}" -w sandbox -o deny-net=yes -o quiet=yes -- /usr/bin/python3 -c '
import ctypes
libc = ctypes.CDLL(None, use_errno=True)
# socket(AF_INET, SOCK_STREAM) from a syscall instruction outside libc and
# outside runsel: raw bytes in an executable page
import mmap
code = bytes([0xb8, 41, 0, 0, 0, 0xbf, 2, 0, 0, 0, 0xbe, 1, 0, 0, 0, 0x31, 0xd2, 0x0f, 0x05, 0xc3])
m = mmap.mmap(-1, 4096, prot=mmap.PROT_READ | mmap.PROT_WRITE | mmap.PROT_EXEC)
m.write(code)
f = ctypes.CFUNCTYPE(ctypes.c_long)(ctypes.addressof(ctypes.c_char.from_buffer(m)))
print(f())' 2>&1)
check "sandbox deny-net: a raw socket(AF_INET) from the program's own code page still fails (-EACCES)" \
    test "$out" = -13

# ---- placement=kernel in selected.conf: `selctl compile` writes the
# filters beside the list (FILE.rules); initmod installs the one whose
# rules are byte for byte those it built, at each exec the list's entry
# selects (registered in a private binfmt_misc: selctl register --userns)
if "$SELCTL" register --userns --loader "$LOADER" -- /bin/true 2>/dev/null; then
    REG=("$SELCTL" register --userns --loader "$LOADER" -- env RUNSEL_WRAPPER_DIR="$BUILD/bin/wrappers")
    L=$TMP/kl && mkdir -m 755 -p "$L"
    SH=$(readlink -f /bin/sh)
    list() { printf '%s\n' "$@" >"$L/sel.conf"; chmod 644 "$L/sel.conf"; }
    under() { "${REG[@]}" RUNSEL_CONFIG="$L/sel.conf" "$@"; }
    compile() { RUNSEL_WRAPPER_DIR="$BUILD/bin/wrappers" "$SELCTL" -c "$L/sel.conf" compile; }
    list "$U deny calls=getppid placement=kernel" "/usr/bin/cat deny calls=getppid placement=kernel"
    out=$(compile 2>&1)
    check "selctl compile writes FILE.rules (one filter for the two entries' same rules)" \
        grep -q 'sel.conf.rules: 1 filters for placement=kernel' <<<"$out"
    out=$(RUNSEL_WRAPPER_DIR="$BUILD/bin/wrappers" "$SELCTL" -c "$L/sel.conf" explain "$U")
    check "selctl explain: rule by rule, where each runs; the filter compiled" \
        test -n "$(grep -F '0. getppid: fails with EPERM — in the kernel (seccomp filter)' <<<"$out")" \
             -a -n "$(grep -F 'its filter: compiled' <<<"$out")"
    check "  trusted as the list: owned like it, not writable by others" \
        test "$(stat -c %a:%u "$L/sel.conf.rules")" = "644:$(stat -c %u "$L/sel.conf")"
    check "the selected program runs under it: getppid fails, by a raw syscall too" \
        test "$(under "$U" ids):$(under "$U" raw)" = "euid=$(id -u) getppid=EPERM:raw getppid=EPERM"
    check "  in the kernel: its status says a filter" \
        grep -q 'Seccomp:.2' <(under /usr/bin/cat /proc/self/status)
    check "  the shell that started it, unselected, is not under it" \
        grep -q 'Seccomp:.0' <(under /bin/sh -c 'grep Seccomp: /proc/self/status')
    # what was compiled must be what initmod builds: a changed entry misses
    list "$U deny calls=getppid errno=EACCES placement=kernel"
    out=$(under "$U" ids 2>&1); rc=$?
    check "an entry changed since the compile: no filter for its rules, 126, saying to compile" \
        test "$rc" = 126 -a -n "$(grep 'no filter for its rules.*selctl compile' <<<"$out")"
    out=$(RUNSEL_WRAPPER_DIR="$BUILD/bin/wrappers" "$SELCTL" -c "$L/sel.conf" check); rc=$?
    check "  selctl check fails naming the entry (FILE:LINE) whose filter is not compiled" \
        test "$rc" = 1 -a -n "$(grep 'sel.conf:1: placement=kernel: wrapper deny: its filter is not compiled' <<<"$out")"
    check "  selctl explain says so" \
        grep -q 'NOT compiled for these rules' <(RUNSEL_WRAPPER_DIR="$BUILD/bin/wrappers" "$SELCTL" -c "$L/sel.conf" explain "$U")
    compile >/dev/null 2>&1
    check "  compiled again: its errno" test "$(under "$U" ids)" = "euid=$(id -u) getppid=EACCES"
    chmod 666 "$L/sel.conf.rules"
    out=$(under "$U" ids 2>&1); rc=$?
    check "FILE.rules writable by others: not used, 126" \
        test "$rc" = 126 -a -n "$(grep 'sel.conf.rules' <<<"$out")"
    rm -f "$L/sel.conf.rules"
    out=$(under "$U" ids 2>&1); rc=$?
    check "FILE.rules missing: 126, the program does not run unfiltered" \
        test "$rc" = 126 -a -n "$(grep 'not compiled' <<<"$out")"
    list "$U deny calls=bogus placement=kernel"
    out=$(compile 2>&1); rc=$?
    check "selctl compile names an entry whose rules cannot be built (FILE:LINE), and fails" \
        test "$rc" = 1 -a -n "$(grep 'sel.conf:1: placement=kernel: wrapper deny: calls=: unknown' <<<"$out")"
    list "/usr/bin/cat null"
    compile >/dev/null 2>&1
    check "  no placement=kernel entry left: no FILE.rules" test ! -e "$L/sel.conf.rules"

    # an observing wrapper's rules stay with every descendant: an excluded
    # program the selected shell runs gives the wrapper way in process,
    # not in the kernel
    for pl in inprocess kernel; do
        list "$SH fault inject=uname:ENOENT placement=$pl" '!/usr/bin/uname'
        compile >/dev/null 2>&1
        out=$(under "$SH" -c '/usr/bin/uname >/dev/null && echo ran' 2>&1)
        [ $pl = inprocess ] && want=ran || want="/usr/bin/uname: cannot get system name: No such file or directory"
        check "$pl: fault's rule in a child the list excludes: ${want:0:28}" test "$out" = "$want"
    done
else
    skip "placement=kernel in selected.conf: no private binfmt_misc here (selctl register --userns)"
fi

# The filter leaves the program's speculation state as it is natively: a
# kernel whose Speculative Store Bypass mitigation is "prctl and seccomp"
# (the default where the CPU has SSBD) forces it on for a task that
# installs a filter without SECCOMP_FILTER_FLAG_SPEC_ALLOW — slower in all
# its code, and not the program natively.  Elsewhere nothing tells.
if grep -q 'prctl and seccomp' /sys/devices/system/cpu/vulnerabilities/spec_store_bypass 2>/dev/null; then
    native=$(grep '^Speculation_Store_Bypass:' /proc/self/status)
    for how in "-w deny -o calls=mknod" "-w deny -o calls=mknod -w null" ; do
        got=$("$RUNSEL" --placement=kernel $how -- grep '^Speculation_Store_Bypass:' /proc/self/status 2>&1)
        check "kernel placement ($how): speculation state as natively ($native)" test "$got" = "$native"
    done
    got=$("$RUNSEL" --placement=process -w null -- grep '^Speculation_Store_Bypass:' /proc/self/status 2>&1)
    check "process placement: speculation state as natively ($native)" test "$got" = "$native"
else
    skip "speculation state under the filters: this kernel forces no SSBD on seccomp ($(cat /sys/devices/system/cpu/vulnerabilities/spec_store_bypass 2>/dev/null))"
fi
