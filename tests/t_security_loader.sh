#!/bin/bash
# Issue #11 items 13 and 14: the loader runs a set-user-ID or set-group-ID
# program with exactly the credentials the kernel's exec would give it, or
# refuses (126, "would run without its privileges") when it cannot.
#  13. uid/gid 65534 is nobody, a real id, wherever it is mapped: a
#      setuid-nobody program makes root and other users euid 65534, so run
#      directly the loader must refuse it; only in a user namespace where
#      65534 is not mapped (stat shows unmapped owners as 65534) does the
#      kernel ignore the bit, and the loader must then run it.
#  14. Under a tracer without CAP_SYS_PTRACE the kernel does not elevate
#      (LSM_UNSAFE_PTRACE): strace of a setuid program runs it unprivileged,
#      natively and through binfmt_misc (C flag), so the loader must too; a
#      privileged tracer does not stop elevation, so there the loader must
#      still refuse to run directly.
. "$SRC/tests/lib/common.sh"
export PATH=/usr/sbin:/usr/bin:/sbin:/bin   # useradd, setcap
D=$BUILD/tests/suid-sec
as2001="setpriv --reuid=2001 --regid=2001 --clear-groups"

if [ "$(id -u)" -ne 0 ]; then
    skip "setuid rules: need root (to create setuid-nobody programs and switch users)"
    exit 0
fi
useradd -u 2001 -M -N runseltest 2>/dev/null || true
rm -rf "$D" && mkdir -p "$D" && chmod 755 "$D"
if findmnt -no OPTIONS --target "$D" | grep -qw nosuid; then
    skip "setuid rules: $D is on a nosuid mount"
    exit 0
fi
if ! $as2001 test -x "$D"; then
    skip "setuid rules: uid 2001 cannot reach $D"
    exit 0
fi
cp /usr/bin/id "$D/id-nobody" && chown 65534:65534 "$D/id-nobody" && chmod 4755 "$D/id-nobody"
cp /usr/bin/id "$D/id-gnobody" && chown 0:65534 "$D/id-gnobody" && chmod 2755 "$D/id-gnobody"
cp /usr/bin/id "$D/id-root" && chown 0:0 "$D/id-root" && chmod 4755 "$D/id-root"
caps=0
cp /usr/bin/true "$D/true-caps" && setcap cap_net_raw+ep "$D/true-caps" 2>/dev/null && caps=1

# expect_refused NAME CMD...: exit 126 and the loader's reason.
expect_refused() {
    local name=$1 out rc; shift
    out=$("$@" 2>&1); rc=$?
    if [ $rc -eq 126 ] && grep -q "program would run without its privileges" <<<"$out"; then
        ok "$name: refused (126)"
    else
        nok "$name: got exit $rc, output '$(head -c 200 <<<"$out")'"
    fi
}

# ---- 13: set-user-ID / set-group-ID nobody, in the initial namespace
check "natively, uid 2001 running setuid-nobody gets euid 65534" \
    test "$($as2001 "$D/id-nobody" -u)" = 65534
check "natively, root running setuid-nobody gets euid 65534" \
    test "$("$D/id-nobody" -u)" = 65534
check "natively, uid 2001 running setgid-nobody gets egid 65534" \
    test "$($as2001 "$D/id-gnobody" -g)" = 65534
expect_refused "uid 2001, loader run directly on setuid-nobody" $as2001 "$LOADER" "$D/id-nobody" -u
expect_refused "root, loader run directly on setuid-nobody" "$LOADER" "$D/id-nobody" -u
expect_refused "uid 2001, loader run directly on setgid-nobody" $as2001 "$LOADER" "$D/id-gnobody" -g
# runsel execs the loader directly: never the caller's ids (refused, or
# exec'd natively with its privileges — never 2001).
out=$($as2001 "$RUNSEL" -w null -- "$D/id-nobody" -u 2>/dev/null); rc=$?
check "runsel as uid 2001 on setuid-nobody: refused or euid 65534, never 2001 (got rc=$rc '$out')" \
    bash -c "[ $rc -eq 126 ] || [ '$out' = 65534 ]"
out=$("$RUNSEL" -w null -- "$D/id-nobody" -u 2>/dev/null); rc=$?
check "runsel as root on setuid-nobody: refused or euid 65534, never 0 (got rc=$rc '$out')" \
    bash -c "[ $rc -eq 126 ] || [ '$out' = 65534 ]"
# Where the kernel ignores the bit, the loader runs the program as it is.
check "no_new_privs: setuid-nobody runs as the caller, natively and loaded" bash -c "
    [ \"\$($as2001 --no-new-privs '$D/id-nobody' -u)\" = 2001 ] &&
    [ \"\$($as2001 --no-new-privs '$LOADER' '$D/id-nobody' -u)\" = 2001 ]"

# ---- 13: in a user namespace where 65534 is not mapped, the owner shows
# as 65534 but is unmapped: the kernel ignores the bit (ns root stays 0).
if $as2001 unshare --user --map-root-user true 2>/dev/null; then
    n=$($as2001 unshare --user --map-root-user "$D/id-nobody" -u 2>&1)
    l=$($as2001 unshare --user --map-root-user "$LOADER" "$D/id-nobody" -u 2>&1)
    check "userns without 65534: natively the setuid bit is ignored (euid 0)" test "$n" = 0
    check "userns without 65534: the loader runs it the same (got '$l')" test "$l" = "$n"
else
    skip "userns without 65534: unshare --user not permitted"
fi
# ... and in one where 65534 is mapped, it is nobody again.
if "$SELCTL" register --userns --full-range --loader "$LOADER" -- /bin/true 2>/dev/null; then
    out=$("$SELCTL" register --userns --full-range --loader "$LOADER" -- /bin/sh -c "
        echo native=\$($as2001 '$D/id-nobody' -u)
        echo direct=\$($as2001 '$LOADER' '$D/id-nobody' -u 2>/dev/null; echo rc=\$?)
    " 2>&1)
    check "userns mapping 65534: through binfmt_misc, euid 65534 as natively" grep -qx "native=65534" <<<"$out"
    check "userns mapping 65534: the loader run directly refuses" grep -qx "direct=rc=126" <<<"$out"
else
    skip "userns mapping 65534: selctl register --userns --full-range failed"
fi

# ---- 14: under ptrace
st="strace -f -o /dev/null"
if ! command -v strace >/dev/null || ! $as2001 $st /bin/true 2>/dev/null; then
    skip "ptrace rules: no strace, or uid 2001 may not trace its own child here"
    exit 0
fi
n=$($as2001 $st "$D/id-root" -u 2>&1)
check "natively, setuid-root under an unprivileged strace runs as 2001" test "$n" = 2001
l=$($as2001 $st "$LOADER" "$D/id-root" -u 2>&1)
check "loader run directly under an unprivileged strace: as natively (got '$l')" test "$l" = 2001
l=$($as2001 $st "$LOADER" "$D/id-nobody" -u 2>&1)
check "  also for setuid-nobody (got '$l')" test "$l" = 2001
# A tracer with CAP_SYS_PTRACE (root's strace) does not stop elevation.
n=$($st $as2001 "$D/id-root" -u 2>&1)
check "natively, setuid-root under root's strace keeps euid 0" test "$n" = 0
expect_refused "loader run directly under root's strace" $st $as2001 "$LOADER" "$D/id-root" -u
# File capabilities follow the same rule: not granted under such a tracer.
if [ $caps = 1 ]; then
    expect_refused "file-capability program, loader run directly" $as2001 "$LOADER" "$D/true-caps"
    $as2001 $st "$LOADER" "$D/true-caps" 2>/dev/null; rc=$?
    check "  under an unprivileged strace it runs, as natively (rc=$rc)" test "$rc" -eq 0
else
    skip "file capabilities: setcap failed here"
fi
if "$SELCTL" register --userns --full-range --loader "$LOADER" -- /bin/true 2>/dev/null; then
    out=$("$SELCTL" register --userns --full-range --loader "$LOADER" -- /bin/sh -c "
        echo plain=\$($as2001 '$D/id-root' -u)
        echo traced=\$($as2001 $st '$D/id-root' -u 2>&1; echo rc=\$?)
        echo traced-nobody=\$($as2001 $st '$D/id-nobody' -u 2>&1; echo rc=\$?)
    " 2>&1)
    check "binfmt: setuid-root untraced keeps euid 0" grep -qx "plain=0" <<<"$out"
    check "binfmt: setuid-root under strace runs unprivileged, as natively" \
        grep -qx "traced=2001 rc=0" <<<"$out"
    check "binfmt: setuid-nobody under strace runs unprivileged, as natively" \
        grep -qx "traced-nobody=2001 rc=0" <<<"$out"
    echo "(inside: $(tr '\n' ' ' <<<"$out"))"
else
    skip "ptrace through binfmt_misc: selctl register --userns --full-range failed"
fi
