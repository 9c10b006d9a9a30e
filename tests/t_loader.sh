#!/bin/bash
# The loader run directly: command line, what it leaves behind in the
# program's process, and the privilege rule for direct invocation.
. "$SRC/tests/lib/common.sh"

# --help / --version / usage
check "--help exits 0 and prints usage" bash -c "'$LOADER' --help | grep -q '^usage: runsel-loader \[-F FD\] \[-K FD\] \[-0 ARGV0\] PROGRAM'"
check "--version" bash -c "'$LOADER' --version | grep -q '^runsel-loader [0-9]'"
"$LOADER" >/dev/null 2>"$TMP/err"; rc=$?
check "no arguments: usage on stderr, exit 2" test "$rc" -eq 2 -a -s "$TMP/err"

# The loader itself is tiny and self-contained: no PT_INTERP, no relocations,
# byte 15 stamped so it never matches its own binfmt_misc entry.
check "loader has no PT_INTERP" bash -c "! readelf -lW '$LOADER' | grep -q INTERP"
check "loader has no relocations" bash -c "! readelf -rW '$LOADER' | grep -q R_X86_64"
check "loader e_ident[15] is 'S'" test "$(od -An -c -j15 -N1 "$LOADER" | tr -d ' ')" = S

# Nothing of the loader is left in the program's process: no extra fd, no
# environment change, no mapping of the loader file; one anonymous page.
same_output "open fds are the program's own" cat -- /bin/ls /proc/self/fd
env -i A=1 B=2 /usr/bin/env >"$TMP/env.native"
env -i A=1 B=2 "$LOADER" /usr/bin/env >"$TMP/env.loaded"
check "environment unchanged" cmp -s "$TMP/env.native" "$TMP/env.loaded"
"$LOADER" /bin/cat /proc/self/maps >"$TMP/maps"
check "loader not mapped in the program" bash -c "! grep -q runsel-loader '$TMP/maps'"
n_native=$(/bin/cat /proc/self/maps | awk '$6 == "" && $2 == "r-xp"' | wc -l)
n_loaded=$(awk '$6 == "" && $2 == "r-xp"' "$TMP/maps" | wc -l)
check "exactly one extra anonymous r-x page (the handoff page)" test "$n_loaded" -eq $((n_native + 1))
check "[heap] and [stack] present" bash -c "grep -q '\[heap\]' '$TMP/maps' && grep -q '\[stack\]' '$TMP/maps'"

# comm is the program's name, as the kernel would set it.
check "comm names the program" test "$("$LOADER" /bin/cat /proc/self/comm)" = cat

# /proc/self/exe and cmdline as root (PR_SET_MM_MAP with exe_fd is allowed).
if [ "$(id -u)" -eq 0 ]; then
    check "exe names the program (privileged)" test "$("$LOADER" /usr/bin/readlink /proc/self/exe)" = /usr/bin/readlink
else
    skip "exe names the program (privileged): not root"
fi
check "cmdline is the program's argv" test "$("$LOADER" /bin/cat /proc/self/cmdline | tr '\0' '|')" = "/bin/cat|/proc/self/cmdline|"

# argv[0] and AT_EXECFN are the program path as given.
check "argv[0] as given (relative)" test "$(cd /bin && "$LOADER" ./sh -c 'echo $0')" = ./sh

# Direct invocation cannot give a set-user-ID program its privileges: refuse.
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null; then
    mkdir -p "$BUILD/tests/suid" && chmod 755 "$BUILD/tests/suid"
    cp /usr/bin/id "$BUILD/tests/suid/id-suid" && chmod 4755 "$BUILD/tests/suid/id-suid"
    out=$(setpriv --reuid=65534 --regid=65534 --clear-groups "$LOADER" "$BUILD/tests/suid/id-suid" 2>&1); rc=$?
    if grep -q nosuid <(findmnt -no OPTIONS --target "$BUILD/tests/suid"); then
        skip "setuid refused when run directly: $BUILD is on a nosuid mount"
    else
        check "setuid program refused when run directly (126)" test "$rc" -eq 126
        check "  with a reason" grep -q "set-user-ID program would run without its privileges" <<<"$out"
    fi
    out=$(setpriv --reuid=65534 --regid=65534 --clear-groups --no-new-privs "$LOADER" "$BUILD/tests/suid/id-suid" -u 2>&1)
    check "setuid program runs unprivileged under no_new_privs (as exec would)" test "$out" = 65534
else
    skip "setuid rule: needs root and setpriv"
fi

# Exit status and signals pass through.
"$LOADER" /bin/sh -c 'exit 42'; rc=$?
check "exit status passes through" test "$rc" -eq 42
"$LOADER" /bin/sh -c 'kill -TERM $$' 2>/dev/null; rc=$?
check "death by signal passes through" test "$rc" -eq 143

# A program that is the loader itself works (it is an ordinary static-pie).
check "loader can load the loader" test "$("$LOADER" "$LOADER" /bin/echo nested)" = nested

# Where the kernel refuses PR_SET_MM_MAP altogether, the program still runs
# correctly; only the mm fields stay the loader's (documented): heap where
# the loader's was, exe/cmdline/auxv views of the loader.
out=$("$BUILD/tests/nosetmm" "$LOADER" "$BUILD/tests/progs/auxv-dyn" a b)
rc=$?
check "PR_SET_MM refused: program still runs" test $rc -eq 0
check "  argv right" grep -qx "argv\[2\]=b" <<<"$out"
check "  brk works" grep -qx "brk=works" <<<"$out"
check "  exe names the loader (documented)" grep -qx "exe=$LOADER" <<<"$out"
check "  malloc-heavy program runs" test "$("$BUILD/tests/nosetmm" "$LOADER" "$BUILD/tests/progs/mallocheavy")" = "$("$BUILD/tests/progs/mallocheavy")"

# Container seccomp profiles refuse some calls the loader makes: it must
# still run programs correctly (personality: assume the default persona;
# uname: the older brk range; getrandom: AT_RANDOM; faccessat2: mode bits;
# prctl(PR_SET_VMA)/PR_SET_NAME: cosmetic).
for nr in 135:personality 63:uname 318:getrandom 439:faccessat2; do
    out=$("$BUILD/tests/nosetmm" --deny "${nr%%:*}" "$LOADER" "$BUILD/tests/progs/auxv-dyn" x 2>&1)
    check "${nr#*:} refused by seccomp: program runs, argv and brk right" \
        bash -c "grep -qx 'argv\[1\]=x' <<<'$out' && grep -qx 'brk=works' <<<'$out'"
done
cp "$BUILD/tests/progs/hello-dyn" "$TMP/noexec" && chmod 644 "$TMP/noexec"
"$BUILD/tests/nosetmm" --deny 439 "$LOADER" "$TMP/noexec" >/dev/null 2>"$TMP/err"; rc=$?
check "faccessat2 refused: a non-executable file is still refused (126)" \
    bash -c "test $rc -eq 126 && grep -q 'Permission denied' '$TMP/err'"
