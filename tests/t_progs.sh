#!/bin/bash
# Every corpus program gives the same output and exit status natively and
# under the loader (run directly).  The programs print values that differ
# per exec by design (ASLR addresses, random bytes) by kind, not by value;
# see tests/progs/auxv.c.
. "$SRC/tests/lib/common.sh"
P=$BUILD/tests/progs

export RUNSEL_TEST_X="with spaces and = signs"
args=(one "two words" "" "--flag=x")
for prog in auxv-dyn auxv-nopie auxv-static auxv-spie; do
    same_output "$prog: argv, env, auxv, /proc/self views, brk, maps" cat -- "$P/$prog" "${args[@]}"
done
for prog in hello-dyn hello-nopie hello-static hello-spie dlopen threads threads-static \
            bigbss bigbss-static align2m align2m-spie execstack tls tls-static mallocheavy \
            forkexec; do
    same_output "$prog" cat -- "$P/$prog"
done
same_output "tls with a dlopen'ed TLS library" cat -- "$P/tls" "$P/libprogtls.so"
same_output "forkexec of an argv-given program" cat -- "$P/forkexec" /bin/printf

# Content checks, so that "same as native" cannot hide a broken native run.
out=$("$LOADER" "$P/auxv-dyn")
check "auxv: AT_BASE is the interpreter's base" grep -qx "AT_BASE=interp-base" <<<"$out"
check "auxv: no AT_EXECFD, AT_FLAGS 0" bash -c "grep -qx 'AT_EXECFD=0' <<<'$out' && grep -qx 'AT_FLAGS=0' <<<'$out'"
check "auxv: /proc/self/auxv agrees" grep -qx "procauxv=consistent" <<<"$out"
check "auxv: heap right after .bss" grep -qx "heap-after-bss=yes" <<<"$out"
check "auxv: brk works" grep -qx "brk=works" <<<"$out"
check "auxv: stack not executable" grep -qx "stack=rw-p" <<<"$out"
check "auxv: /proc/self/stat start_brk, arg, env, start_stack ranges right" \
    test "$(grep -c -x -e 'stat-start_brk=heap-start' -e 'stat-args=argv' -e 'stat-env=envp' -e 'stat-startstack=argc' <<<"$out")" -eq 4
out=$("$LOADER" "$P/auxv-static")
check "auxv-static: AT_BASE 0" grep -qx "AT_BASE=0" <<<"$out"
check "align2m: 2 MiB alignment honoured" grep -q "aligned=yes" <("$LOADER" "$P/align2m")
check "align2m-spie: 2 MiB alignment honoured" grep -q "aligned=yes" <("$LOADER" "$P/align2m-spie")
check "execstack: stack executable, code on it runs" grep -qx "stack=rwxp ran=42" <("$LOADER" "$P/execstack")
check "tls: all threads see initialized TLS, also a dlopen'ed library's" \
    bash -c "'$LOADER' '$P/tls' '$P/libprogtls.so' | grep -qx 'dynamic tls library: loaded' && '$LOADER' '$P/tls' '$P/libprogtls.so' | grep -qx 'tls=ok'"
check "forkexec: exec, exit, signal and posix_spawn children as native" \
    grep -qx "signalled child: signal=15" <("$LOADER" "$P/forkexec")
check "bigbss: .data kept, .bss zero" grep -q "data=initialized data bss=zero" <("$LOADER" "$P/bigbss")
"$LOADER" "$P/hello-static" >/dev/null; rc=$?
check "exit status of a static program" test $rc -eq 3
# Different argv/env sizes shift the block: alignment must hold for all.
for extra in "" a ab abc "a b c d e"; do
    "$LOADER" "$P/spcheck" $extra; rc1=$?
    env -i X="$extra" "$LOADER" "$P/spcheck-pie" $extra; rc2=$?
    check "16-byte aligned sp at entry (args: '$extra')" test $rc1 -eq 0 -a $rc2 -eq 0
done

# ADDR_NO_RANDOMIZE (gdb, setarch -R): addresses are stable across runs;
# program base and heap are exactly the kernel's, except the base of a
# static-pie, which mmap places where the loader itself sat (documented).
if setarch -R true 2>/dev/null; then
    for prog in auxv-dyn auxv-nopie auxv-static auxv-spie; do
        n1=$(RUNSEL_TEST_ABS=1 setarch -R "$P/$prog" | grep '^abs-')
        l1=$(RUNSEL_TEST_ABS=1 setarch -R "$LOADER" "$P/$prog" | grep '^abs-')
        l2=$(RUNSEL_TEST_ABS=1 setarch -R "$LOADER" "$P/$prog" | grep '^abs-')
        check "setarch -R $prog: stable across runs" test -n "$l1" -a "$l1" = "$l2"
        if [ $prog = auxv-spie ]; then
            check "setarch -R $prog: brk equals native" \
                test "$(grep brk <<<"$n1")" = "$(grep brk <<<"$l1")"
            check "setarch -R $prog: base differs (mmap-placed, documented)" \
                test "$(grep base <<<"$n1")" != "$(grep base <<<"$l1")"
        else
            check "setarch -R $prog: base and brk equal native" test "$n1" = "$l1"
        fi
    done
else
    skip "setarch -R: personality not settable here"
fi

# Randomization: two runs of a PIE land at different bases.
a=$(RUNSEL_TEST_ABS=1 "$LOADER" "$P/auxv-dyn" | grep '^abs-')
b=$(RUNSEL_TEST_ABS=1 "$LOADER" "$P/auxv-dyn" | grep '^abs-')
check "ASLR: PIE base differs between runs" test "$(grep base <<<"$a")" != "$(grep base <<<"$b")"
check "ASLR: brk differs between runs" test "$(grep brk <<<"$a")" != "$(grep brk <<<"$b")"

# Unprivileged (no CAP_CHECKPOINT_RESTORE): exe names the loader — the
# documented difference — while argv, cmdline, auxv, brk stay right.
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null; then
    d=$BUILD/tests/unpriv && mkdir -p "$d" && chmod 755 "$d"
    cp "$P/auxv-dyn" "$LOADER" "$d/" && chmod 755 "$d"/*
    as_nobody="setpriv --reuid=65534 --regid=65534 --clear-groups"
    n=$(cd / && $as_nobody "$d/auxv-dyn" x | grep -v '^exe=\|^mapped=\|^AT_\(UID\|EUID\|GID\|EGID\)=')
    l=$(cd / && $as_nobody "$d/runsel-loader" "$d/auxv-dyn" x)
    check "unprivileged: exe names the loader (kernel refuses exe_fd)" grep -qx "exe=$d/runsel-loader" <<<"$l"
    l=$(grep -v '^exe=\|^mapped=\|^AT_\(UID\|EUID\|GID\|EGID\)=' <<<"$l")
    check "unprivileged: everything else equals native" test "$n" = "$l"
else
    skip "unprivileged exe: needs root to switch to nobody"
fi
