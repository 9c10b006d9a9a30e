#!/bin/bash
# Security reproducers for the shipped wrappers (issue #11 items 2, 3, 9,
# 10).  Each case failed on the commit before the fixes (9940ba2):
#   - trace/count output never goes where the caller points for a secure
#     (set-user-ID) exec, logs are never opened through symlinks or into
#     another user's file in a sticky directory, relative logs are fixed at
#     init, and the default log is the stderr the program started with;
#   - the sandbox refuses new user/mount namespaces, mounts and tracing;
#   - the sandbox judges every program of a #! chain.
# The set-user-ID cases run a setuid-root copy of cat, selected by the
# *system* list, as another user through a private binfmt_misc instance:
# the list is bind-mounted over /etc/runsel inside a private mount
# namespace over an overlay of /etc, so the machine's /etc is never
# written.
. "$SRC/tests/lib/common.sh"
chmod 755 "$TMP"
PY=/usr/bin/python3
PROBE=$BUILD/tests/nsprobe
W=$BUILD/bin/wrappers
AS="setpriv --reuid=2001 --regid=2001 --clear-groups"
has() { grep -q -- "$1" <<<"$2"; }   # has PATTERN TEXT
cond() { eval "$1"; }                # check NAME cond 'SHELL CONDITION'
other_user() {                       # the user "another user" tests run as
    [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null || return 1
    id -u 2001 >/dev/null 2>&1 || useradd -u 2001 -M -N runseltest 2>/dev/null || true
    $AS true 2>/dev/null
}
cd "$TMP" || exit 1

# ---- item 10: the default log is the stderr the program started with
mkdir "$TMP/d10"
reuse_fd2='import os
os.close(2)
fd = os.open("data", os.O_WRONLY | os.O_CREAT, 0o644)   # becomes fd 2
os.write(fd, b"payload\n")'
(cd "$TMP/d10" && "$RUNSEL" -w trace -- "$PY" -c "$reuse_fd2" 2>"$TMP/d10/trace.err")
check "trace: close(2) + open(data): the data file holds only the program's data" \
    test "$(cat "$TMP/d10/data")" = payload
check "  and the trace lines (the write included) went to the original stderr" \
    grep -qE '^write\(2, "payload\\n", 8\) += 8$' "$TMP/d10/trace.err"
rm -f "$TMP/d10/data"
(cd "$TMP/d10" && "$RUNSEL" -w count -- "$PY" -c "$reuse_fd2" 2>"$TMP/d10/count.err")
check "count: the same program: data file untouched by the summary" \
    test "$(cat "$TMP/d10/data")" = payload
check "  and the summary is on the original stderr" grep -q ' total$' "$TMP/d10/count.err"
rm -f "$TMP/d10/data"
(cd "$TMP/d10" && "$RUNSEL" -w fault -o inject=getppid:EPERM -o verbose=yes -- "$PY" -c "$reuse_fd2
os.getppid()" 2>"$TMP/d10/fault.err")
check "fault verbose=yes: the same: the injection line is on the original stderr, not in the data" \
    cond '[ "$(cat "$TMP/d10/data")" = payload ] && grep -qx "runsel fault: getppid #1 -> EPERM" "$TMP/d10/fault.err"'

# ---- item 3, any exec: relative logs are fixed at init; no symlinks; no
# other user's file in a sticky world-writable directory
mkdir -p "$TMP/d3"
fork_after_cd='import os
os.chdir("sub")
pid = os.fork()
if pid == 0:
    os._exit(0)
os.waitpid(pid, 0)'
# count writes one summary for the run (per-process=yes: one per process).
for w in trace "count per-process=yes" count; do
    wn=${w%% *} wo=${w#$wn} files=2
    d=$TMP/d3/$wn${wo:+-pp}
    [ "$w" = count ] && files=1
    mkdir -p "$d/sub"
    (cd "$d" && "$RUNSEL" -w $wn ${wo:+-o $wo} -o "log=$wn.%p" -- "$PY" -c "$fork_after_cd")
    check "$w log=REL.%p: a child forked after chdir writes next to its parent ($files files)" \
        cond '[ "$(ls "$d" | grep -c "^$wn\.")" -eq $files ] && [ -z "$(ls "$d/sub")" ]'
done
echo original >"$TMP/d3/victim"
ln -s "$TMP/d3/victim" "$TMP/d3/link.log"
for w in trace count; do
    out=$("$RUNSEL" -w $w -o "log=$TMP/d3/link.log" -- /bin/true 2>&1); rc=$?
    check "$w log=SYMLINK: refused, exit 126, the target untouched" \
        cond '[ $rc -eq 126 ] && [ "$(cat "$TMP/d3/victim")" = original ]'
    check "  with a clear message" has "log=$TMP/d3/link.log: is a symbolic link" "$out"
done
if other_user; then
    mkdir -m 1777 "$TMP/sticky"
    $AS sh -c "echo planted >'$TMP/sticky/own.log'"
    out=$("$RUNSEL" -w trace -o "log=$TMP/sticky/own.log" -- /bin/true 2>&1); rc=$?
    check "trace log= naming another user's file in a sticky world-writable dir: refused (126)" \
        cond '[ $rc -eq 126 ] && [ "$(cat "$TMP/sticky/own.log")" = planted ]'
    check "  with a clear message" has "owned by another user in a sticky world-writable directory" "$out"
    "$RUNSEL" -w trace -o "log=$TMP/sticky/mine.log" -- /bin/true 2>/dev/null
    check "  while a new log in that directory works" grep -q '^exit_group(0)' "$TMP/sticky/mine.log"
    mkdir -m 777 "$TMP/open"
    $AS sh -c "echo planted >'$TMP/open/own.log'"
    out=$("$RUNSEL" -w count -o "log=$TMP/open/own.log" -- /bin/true 2>&1); rc=$?
    check "count log= naming another user's file in a world-writable (not sticky) dir: refused" \
        cond '[ $rc -eq 126 ] && [ "$(cat "$TMP/open/own.log")" = planted ] && has "owned by another user" "$out"'
    ln "$TMP/d3/victim" "$TMP/sticky/hard.log" 2>/dev/null &&
        { out=$("$RUNSEL" -w trace -o "log=$TMP/sticky/hard.log" -- /bin/true 2>&1); rc=$?
          check "trace log= naming a hard link in a sticky dir: refused, the linked file untouched" \
              cond '[ $rc -eq 126 ] && [ "$(cat "$TMP/d3/victim")" = original ] && has "other hard links" "$out"'; }
else
    skip "logs in a sticky directory: needs root and setpriv for a second user"
fi

# ---- item 9: the sandbox governs namespaces, mounts and tracing
A=$TMP/allowed O=$TMP/outside
mkdir -p "$A/mnt" "$O"
if other_user; then
    chown 2001 "$A" "$A/mnt" "$O"
    out=$($AS "$RUNSEL" -w sandbox -o allow-write="$A" -- "$PROBE" escape "$O" "$A/mnt" 2>&1)
    check "as another user: unshare(NEWUSER|NEWNS) + bind OUTSIDE over ALLOWED/mnt + write: nothing escapes" \
        cond '[ ! -e "$O/escaped" ]'
    check "  unshare fails with EPERM, and the sandbox says why" \
        cond 'has "^unshare EPERM" "$out" && has "denied unshare \"CLONE_NEWUSER\"" "$out"'
    chown 0 "$A" "$A/mnt" "$O"
fi
if [ "$(id -u)" -eq 0 ] && unshare -Urm true 2>/dev/null; then
    # util-linux, as the issue reproduced it; mount(8) is set-user-ID (the
    # sandbox refuses that exec anyway), so a plain copy; unshare writes
    # its uid map below /proc/self.
    cp /usr/bin/mount "$TMP/mount"
    out=$("$RUNSEL" -w sandbox -o allow-write="$A:/proc/self" -- \
        unshare -Urm sh -c "'$TMP/mount' --bind '$O' '$A/mnt' && echo x >'$A/mnt/escaped'" 2>&1)
    check "as root: unshare -Urm; mount --bind OUTSIDE ALLOWED/mnt; write: nothing escapes" \
        cond '[ ! -e "$O/escaped" ] && has "denied unshare" "$out"'
else
    skip "util-linux reproducer: needs root and user namespaces"
fi
out=$("$RUNSEL" -w sandbox -o allow-write="$A" -- "$PROBE" calls 2>"$TMP/calls.err")
for c in unshare-user unshare-mnt clone-user clone3-user setns-mnt mount umount2 pivot_root \
         chroot open_tree move_mount fsopen fsconfig fsmount fspick mount_setattr \
         ptrace-seize process_vm_writev pidfd_getfd; do
    check "sandbox: $c fails with EPERM" grep -qx "$c EPERM" <<<"$out"
done
check "  each refusal is reported with its reason" \
    test "$(grep -c 'not allowed (allow-mount=yes\|reach (allow-ptrace=yes' "$TMP/calls.err")" -eq 19
check "  but a process may trace and write into its own child (sandboxed too)" \
    cond 'has "^ptrace-seize-child ok" "$out" && has "^process_vm_writev-child ok" "$out"'
check "  and may ask its (sandboxed) parent to trace it" grep -qx "ptrace-traceme traced" <<<"$out"
out=$("$RUNSEL" -w sandbox -o allow-write="$A" -o allow-mount=yes -o allow-ptrace=yes -o quiet=yes -- "$PROBE" calls)
check "allow-mount=yes allow-ptrace=yes: the calls are the kernel's again" \
    cond 'has "^unshare-user ok" "$out" && has "^ptrace-seize ok" "$out" && has "^chroot ok" "$out"'
out=$("$RUNSEL" -w sandbox -- "$PROBE" calls 2>&1)
check "sandbox without a policy restricts nothing" cond 'has "^unshare-user ok" "$out" && ! has "runsel sandbox" "$out"'
out=$("$RUNSEL" -w sandbox -o allow-write="$A" -o quiet=yes -- "$PY" -c '
import threading, subprocess
t = [threading.Thread(target=lambda: None) for i in range(4)]; [x.start() for x in t]; [x.join() for x in t]
print(subprocess.run(["/bin/echo", "child"], capture_output=True).stdout.decode().strip())')
check "  threads and children (clone3 without namespace flags) still work" test "$out" = child

# ---- item 2 (sandbox half): every program of the #! chain is judged
S2=$TMP/scripts
mkdir -p "$S2"
printf '#!/usr/bin/python3\nprint("py-ran")\n' >"$S2/s.py"
printf '#!/bin/sh\necho sh-ran\n' >"$S2/s.sh"
printf '#!%s\n' "$S2/s.sh" >"$S2/nested"
printf '#!  /bin/sh  -e  \necho spaced-ran\n' >"$S2/spaced"
chmod +x "$S2"/*
sbx() { "$RUNSEL" -w sandbox -o "allow-exec=$1" -- sh -c "$2" 2>&1; }
out=$(sbx "$S2/*" "$S2/s.py"); rc=$?
check "allow-exec=DIR/*: a script whose interpreter (python3) is not allowed is refused" \
    cond '[ $rc -eq 126 ] && ! has py-ran "$out" && has "denied execve \"/usr/bin/python3" "$out"'
out=$(sbx "$S2/*:/usr/bin/python3" "$S2/s.py")
check "allow-exec=DIR/*:/usr/bin/python3 runs the script (python3 -> python3.x counts)" test "$out" = py-ran
out=$(sbx "/usr/bin/python3" "/usr/bin/python3 -c 'print(1)'")
check "allow-exec=/usr/bin/python3 allows running python3 itself" test "$out" = 1
out=$(sbx "/usr/bin/python3" "$S2/s.py"); rc=$?
check "  but not a script that is not listed" cond '[ $rc -eq 126 ] && ! has py-ran "$out"'
out=$(sbx "$S2/*" "$S2/nested"); rc=$?
check "nested: script -> script -> /bin/sh not allowed: refused" cond '[ $rc -eq 126 ] && ! has sh-ran "$out"'
out=$(sbx "$S2/*:/usr/bin/dash" "$S2/nested")
check "  and allowed when every program of the chain is" test "$out" = sh-ran
out=$(sbx "$S2/*" "$S2/spaced"); rc=$?
check "#! line with spaces and an argument: the interpreter is still judged" \
    cond '[ $rc -eq 126 ] && ! has spaced-ran "$out"'
for i in 1 2 3 4 5 6; do printf '#!%s\n' "$S2/d$((i - 1))" >"$S2/d$i"; done
cp "$S2/s.sh" "$S2/d0"; chmod +x "$S2"/d*
out=$(sbx "$S2/*:/usr/bin/dash" "$S2/d3")
check "  a chain of 4 scripts and sh is followed and allowed" test "$out" = sh-ran
out=$(sbx "$S2/*" "$S2/d4"); rc=$?
check "  a chain of 5 scripts (the kernel's limit) is followed to its end: sh not allowed, refused" \
    cond '[ $rc -ne 0 ] && ! has sh-ran "$out" && has "denied execve \"/usr/bin/dash\"" "$out"'
out=$(sbx "$S2/*:/usr/bin/dash" "$S2/d5"); rc=$?
check "  6 scripts in a row fail with ELOOP, as natively" \
    cond '[ $rc -ne 0 ] && has "too deeply" "$out" && has "Too many levels" "$out"'

# A set-user-ID interpreter in binfmt mode: the kernel runs it with its
# privileges, the loader (AT_SECURE) unwrapped — the sandbox must refuse.
SD=$BUILD/tests/suid-wrappers
secure_env() {   # why the set-user-ID cases cannot run here, or nothing
    other_user || { echo "needs root, setpriv and a second user"; return; }
    mkdir -p "$SD" && chmod 755 "$SD" || { echo "cannot create $SD"; return; }
    findmnt -no OPTIONS --target "$SD" | grep -qw nosuid && { echo "$SD is on a nosuid mount"; return; }
    $AS test -x "$SD" || { echo "uid 2001 cannot reach $SD"; return; }
    "$SELCTL" register --userns --full-range --loader "$LOADER" -- /bin/true 2>"$TMP/err" ||
        { echo "$(head -1 "$TMP/err")"; return; }
    mkdir -p "$TMP/ov/up" "$TMP/ov/work" "$TMP/etc-runsel"
    unshare --mount --propagation private sh -c \
        "mount -t overlay overlay -o 'lowerdir=/etc,upperdir=$TMP/ov/up,workdir=$TMP/ov/work' /etc" 2>/dev/null ||
        { echo "no overlay mount over /etc in a private mount namespace"; return; }
}
why=$(secure_env)
if [ -n "$why" ]; then
    skip "set-user-ID cases (items 2, 3): $why"
    exit 0
fi
# Set-user-ID-root copies of cat must not outlive the test.
trap 'rm -rf "$TMP" "${SD:?}"' EXIT
rm -rf "${SD:?}"/* && chmod 755 "$SD"
V=$TMP/vault U=$TMP/u SH=$TMP/shared
mkdir -m 700 "$V" && mkdir -m 1777 "$SH" && mkdir -m 755 "$U" && chown 2001:2001 "$U"
echo "TOPSECRET-$$" >"$V/secret" && chmod 600 "$V/secret"
for v in victim victim2 victim3; do echo original >"$V/$v"; chmod 600 "$V/$v"; done
for p in rel def sym own good crel cdef; do
    cp /bin/cat "$SD/cat-$p" && chown 0:0 "$SD/cat-$p" && chmod 4755 "$SD/cat-$p"
done
cp /bin/cat "$SD/cat-plain" && chmod 755 "$SD/cat-plain"
cp "$PROBE" "$SD/probe-suid" && chown 0:0 "$SD/probe-suid" && chmod 4755 "$SD/probe-suid"
# A traced shell (trace's default log: the run's, passed on through each
# exec) that execs set-user-ID programs: ls-log (selected, log= absolute),
# ls-none (not selected: runs unwrapped), cat-def (selected, no log=).
for p in log none; do
    cp /bin/ls "$SD/ls-$p" && chown 0:0 "$SD/ls-$p" && chmod 4755 "$SD/ls-$p"
done
cp "$(readlink -f /bin/sh)" "$SD/sh-traced" && chmod 755 "$SD/sh-traced"
cat >"$TMP/etc-runsel/selected.conf" <<EOF
$SD/cat-rel   $W/trace.so log=rel.log
$SD/cat-def   $W/trace.so
$SD/cat-sym   $W/trace.so log=$SH/trace.log
$SD/cat-own   $W/trace.so log=$SH/own.log
$SD/cat-good  $W/trace.so log=$V/good.log
$SD/cat-crel  $W/count.so log=rel-count.log
$SD/cat-cdef  $W/count.so
$SD/cat-plain $W/trace.so log=rel-plain.log
$SD/sh-traced $W/trace.so
$SD/ls-log    $W/trace.so log=$V/ls.log
EOF
chmod 755 "$TMP/etc-runsel" && chmod 644 "$TMP/etc-runsel/selected.conf"
# The attacker (uid 2001) plants what the privileged logs would follow.
$AS sh -c "ln -s '$V/victim' '$U/rel.log'; ln -s '$V/victim2' '$U/rel-count.log'
           ln -s '$V/victim3' '$SH/trace.log'; echo planted >'$SH/own.log'"
printf '#!%s interp:%s\n' "$SD/probe-suid" "$SH/escaped" >"$U/s-suid"
chmod 755 "$U/s-suid"
R=$TMP/res && mkdir -m 755 "$R"
cat >"$TMP/inner.sh" <<EOF
cd '$U'
# Through a pipe: cat then read()s and write()s (into a file it would
# copy_file_range, and trace would show no data).
for p in rel def sym own good crel cdef plain; do
    f='$V/secret'; [ \$p = plain ] && f=/etc/hostname
    umask 0; $AS '$SD/cat-'\$p "\$f" 2>'$R/'\$p.err | cat >'$R/'\$p.out; echo \${PIPESTATUS[0]} >'$R/'\$p.rc
done
$AS env RUNSEL_RUN='sandbox allow-write=$U' RUNSEL_WRAPPER_DIR='$W' sh -c '$U/s-suid' \
    >'$R/chain.out' 2>'$R/chain.err'; echo \$? >'$R/chain.rc'
for p in log none; do
    $AS '$SD/sh-traced' -c "exec '$SD/ls-\$p' -l /proc/self/fd 2>/dev/null" >'$R/ls-'\$p.out 2>'$R/ls-'\$p.err
    echo \$? >'$R/ls-'\$p.rc
done
$AS '$SD/sh-traced' -c "exec '$SD/cat-def' '$V/secret'" >'$R/pdef.out' 2>'$R/pdef.err'; echo \$? >'$R/pdef.rc'
EOF
unshare --mount --propagation private sh -c "
    mount -t overlay overlay -o 'lowerdir=/etc,upperdir=$TMP/ov/up,workdir=$TMP/ov/work' /etc &&
    mkdir -p /etc/runsel && mount --bind '$TMP/etc-runsel' /etc/runsel &&
    exec '$SELCTL' register --userns --full-range --loader '$LOADER' -- bash '$TMP/inner.sh'"
rc() { cat "$R/$1.rc" 2>/dev/null; }
check "secure exec: the setuid copy of cat really ran privileged (reads a root-only file)" \
    grep -qx "TOPSECRET-$$" "$R/good.out"
check "  its trace went to the absolute log= the list names" grep -q "TOPSECRET-$$" "$V/good.log"
check "  created 0600 (it holds the program's data), whatever the caller's umask" \
    test "$(stat -c %a "$V/good.log")" = 600
check "trace log=REL, secure exec: refused (126), the caller's symlink not followed" \
    cond '[ "$(rc rel)" = 126 ] && [ "$(cat "$V/victim")" = original ] && ! grep -q TOPSECRET "$R/rel.out"'
check "  with a clear message" grep -q "log=rel.log: a relative log path is refused for a set-user-ID" "$R/rel.err"
check "trace without log=, secure exec: refused (126), no secret on the caller's stderr" \
    cond '[ "$(rc def)" = 126 ] && ! grep -q TOPSECRET "$R/def.err"'
check "  with a clear message" grep -q "output to the caller's stderr is refused" "$R/def.err"
check "trace log=/sticky/NAME planted as a symlink by the caller: refused, target untouched" \
    cond '[ "$(rc sym)" = 126 ] && [ "$(cat "$V/victim3")" = original ]'
check "  with a clear message" grep -q "log=$SH/trace.log: is a symbolic link" "$R/sym.err"
check "trace log=/sticky/NAME planted as the caller's own file: refused, no secret in it" \
    cond '[ "$(rc own)" = 126 ] && [ "$(cat "$SH/own.log")" = planted ]'
check "  with a clear message" grep -q "log=$SH/own.log: owned by another user in a sticky" "$R/own.err"
check "count log=REL, secure exec: refused (126), the caller's symlink not followed" \
    cond '[ "$(rc crel)" = 126 ] && [ "$(cat "$V/victim2")" = original ]'
check "count without log=, secure exec: refused (126)" cond '[ "$(rc cdef)" = 126 ]'
check "a plain (not setuid) program keeps relative logs, in the caller's directory" \
    cond '[ "$(rc plain)" = 0 ] && [ "$(stat -c %u "$U/rel-plain.log")" = 2001 ]'
check "sandbox in binfmt mode: a script whose interpreter is set-user-ID is refused (EACCES)" \
    cond '[ ! -e "$SH/escaped" ] && ! grep -q "^euid" "$R/chain.out" && grep -q "Permission denied" "$R/chain.err"'
check "  by the sandbox, which says why" \
    grep -q "runsel sandbox: denied execve \"$SD/probe-suid\" (set-user/group-ID program" "$R/chain.err"
check "a traced shell (default log) execs a set-user-ID program with log=/abs: it runs, traced there" \
    cond '[ "$(rc ls-log)" = 0 ] && grep -q "^execve(\"$SD/ls-log\"" "$R/ls-log.err" && grep -q "^getdents64(" "$V/ls.log"'
check "  the shell's log (its stderr, passed on through the exec) is not among the program's fds" \
    cond 'grep -q " 2 -> /dev/null" "$R/ls-log.out" && ! grep -qF "$R/ls-log.err" "$R/ls-log.out"'
check "  nor among those of one the list leaves unwrapped" \
    cond '[ "$(rc ls-none)" = 0 ] && grep -q " 2 -> /dev/null" "$R/ls-none.out" && ! grep -qF "$R/ls-none.err" "$R/ls-none.out"'
check "  one selected without log=: refused (126), though its exec passed the shell's log" \
    cond '[ "$(rc pdef)" = 126 ] && grep -q "output to the caller.s stderr is refused" "$R/pdef.err" && ! grep -q TOPSECRET "$R/pdef.err" "$R/pdef.out"'
echo "(root-only victim files: $(wc -l <"$V/victim") / $(wc -l <"$V/victim2") / $(wc -l <"$V/victim3") lines" \
     "after the relative, count and sticky-symlink cases; caller's stderr and planted file:" \
     "$(grep -c "TOPSECRET-$$" "$R/def.err") / $(grep -c "TOPSECRET-$$" "$SH/own.log") lines with the secret)"
