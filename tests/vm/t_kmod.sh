#!/bin/bash
# The kernel redirect module (kmod/selredir.c): its ioctl contract driven
# directly (kmodtest), then under runsel — the association table, strace,
# unload while busy, binfmt_misc end to end.  Only meaningful in vmtest's
# guest (tests/vm/guest.sh), where selredir.ko is loaded; after every test
# the kernel log must be free of BUG/WARNING/oops.
. "$SRC/tests/lib/common.sh"
K=$BUILD/tests/vm/kmodtest
R=$BUILD/bin/runsel
W=$BUILD/tests/wrap
MODULE=${VMTEST_MODULE:-}
if ! kmod_loaded; then
    skip "kernel module tests: selredir is not loaded (they run in make vmtest)"
    exit 0
fi
chmod 755 "$TMP"
cd "$TMP" || exit 1

# The kernel log since the previous call has no BUG, WARNING or oops.
seen=$(dmesg | wc -l)
kernel_clean() {
    local now bad
    now=$(dmesg | wc -l)
    bad=$(dmesg | tail -n +$((seen + 1)) | grep -E 'BUG:|WARNING:|Oops|Call Trace|general protection')
    seen=$now
    [ -z "$bad" ] || { echo "$bad" | head -n 20; return 1; }
}
# kt NAME ARGS...: kmodtest ARGS passes and the kernel stayed quiet.
kt() {
    local name=$1 rc; shift
    "$K" "$@" >"$TMP/kt.out" 2>&1; rc=$?
    if [ $rc -eq 77 ]; then
        skip "$name: $(tail -n 1 "$TMP/kt.out")"
    elif [ $rc -eq 0 ] && kernel_clean; then
        ok "$name"
    else
        nok "$name (status $rc)"; sed 's/^/    /' "$TMP/kt.out"
    fi
}
registered() { awk 'NR > 1' /proc/selredir | wc -l; }
# calls NAME FILE: the count wrapper's number of NAME calls in FILE.
calls() { awk -v n="$1" '$NF == n && NF >= 5 {print $4}' "$2"; }
# The host tree has no kmod package: busybox's applets (busybox-static).
insmod() { busybox insmod "$@"; }
rmmod() { busybox rmmod "$@"; }

# ---- the device and the table
check "/dev/selredir: a character device anyone may open" \
    test "$(stat -c %A /dev/selredir)" = "crw-rw-rw-"
check "/proc/selredir: readable by root only (entry addresses stay private)" \
    test "$(stat -c '%A %U' /proc/selredir)" = "-r-------- root"
if [ -n "$MODULE" ]; then
    # what modinfo shows (busybox's wants /lib/modules, which the guest lacks)
    objcopy -O binary --only-section=.modinfo "$MODULE" "$TMP/modinfo" && tr '\0' '\n' <"$TMP/modinfo" >"$TMP/modinfo.txt"
    check "modinfo: license GPL, a description, the max_entries parameter documented" \
        bash -c "grep -qx 'license=GPL' '$TMP/modinfo.txt' && grep -q '^description=.' '$TMP/modinfo.txt' && grep -q '^parm=max_entries:.' '$TMP/modinfo.txt'"
fi
check "nothing registered at start" test "$(registered)" -eq 0

# ---- the ioctl contract
kt "register, redirect (in bitmap, outside the exempt range), query, replace, unregister" basic
kt "bad requests: version, flags, ranges, non-executable entry, bad pointers, unknown ioctls, EPERM query, a SUD user (EBUSY)" errors
kt "64 threads x 2000 calls: every call redirected exactly once, each thread from its first call" threads 64 2000
kt "fork: the child inherits the entry with its own counter; exit removes it; self-only" fork
kt "exec drops the registration (a failed exec keeps it)" exec
kt "pid reuse: a new process with a dead registered process's pid is not registered" pidreuse
kt "a signal handler's call made while the entry runs returns to the handler, then the call to its caller" signal
kt "seccomp filters the calls actually made (the wrapper's); redirected ones never reach it" seccomp
kt "fuzz: 20000 random requests (seed 1), no oops" fuzz 20000 1
kt "fuzz: 20000 random requests (seed 2), no oops" fuzz 20000 2
check "no registration left behind by the tests" test "$(registered)" -eq 0

# ---- under runsel
out=$("$R" -b kmod -w null -- /bin/sh -c 'grep -c "^$$ " /proc/selredir')
check "runsel -b kmod: the selected process is in the table" test "$out" = 1
out=$("$R" -b kmod -w null -- /bin/sh -c '/bin/sh -c "grep -c \"^\$\$ \" /proc/selredir"')
check "  and so is its child (fork inherits, the exec'd image re-registers)" test "$out" = 1
check "  and both are gone when they exit" test "$(registered)" -eq 0
out=$("$R" -b kmod -w null -w count -o log=/dev/null -- /bin/sh -c 'grep "^$$ " /proc/selredir')
echo "(its line: $out)"
check "/proc/selredir shows the process's wrapper stack" grep -Eq " 0x[0-9a-f]+ null > count$" <<<"$out"
out=$("$R" -b kmod -w sandbox -w trace -o log=/dev/null -- /bin/sh -c 'grep "^$$ " /proc/selredir')
flags=$(awk '{print $5}' <<<"$out")
check "  and an enforcing stack's ia32/x32 calls are denied (flag 0x1: $flags)" \
    bash -c "[ \$(( $flags & 1 )) -eq 1 ] && grep -q ' sandbox > trace\$' <<<'$out'"
"$R" -b kmod -w null -- "$BUILD/bin/selctl" status >"$TMP/status" 2>&1
check "selctl status lists the registered process (itself) and its counter" \
    bash -c "grep -q '^redirect backend kmod: loaded' '$TMP/status' && grep -q 'registered processes: 1\$' '$TMP/status' &&
             grep -Eq '^  [0-9]+ +0x[0-9a-f]+ +0x[0-9a-f]+-0x[0-9a-f]+ +[0-9]+ +null\$' '$TMP/status'"
out=$("$R" -w count -o log="$TMP/auto.count" -- /bin/sh -c 'grep -c "^$$ " /proc/selredir')
check "backend=auto picks the module" test "$out" = 1
"$R" -b sud -w count -o log="$TMP/sud.count" -- "$W/stress" rawsys 100 >/dev/null
"$R" -b kmod -w count -o log="$TMP/kmod.count" -- "$W/stress" rawsys 100 >/dev/null
check "the same wrapper on both backends: the same counts" \
    bash -c "diff <(awk '{print \$4, \$NF}' '$TMP/sud.count' | sort) <(awk '{print \$4, \$NF}' '$TMP/kmod.count' | sort)"
check "  no kernel warnings" kernel_clean

# ---- where the module hooks: syscall_user_dispatch, reached only by tasks
# with the work flag (registered processes and SUD users) — never the
# common system call path
T=/sys/kernel/tracing
grep -q " $T " /proc/mounts || mount -t tracefs nodev $T 2>/dev/null
if [ -r $T/enabled_functions ]; then
    check "the module's only hook is on syscall_user_dispatch (not x64_sys_call)" \
        bash -c "grep -q '^syscall_user_dispatch' $T/enabled_functions && ! grep -q '^x64_sys_call' $T/enabled_functions"
else
    skip "hook placement: tracefs not available"
fi
"$R" -b sud -w count -o log="$TMP/sudwhile.count" -- "$W/stress" rawsys 50 >/dev/null
check "a process using SUD itself (runsel -b sud) is left to the kernel's SUD while the module is loaded" \
    test "$(calls getppid "$TMP/sudwhile.count")" = 100
check "  no kernel warnings" kernel_clean

# ---- strace of a selected process works and shows the wrapper's own calls
if command -v strace >/dev/null; then
    strace -f -s 256 -o "$TMP/st.log" "$R" -b kmod -w count -o log="$TMP/st.count" -- /bin/echo hi >"$TMP/st.out" 2>&1
    rc=$?
    check "strace -f of runsel -b kmod: the program runs (exit 0, output intact)" \
        bash -c "[ $rc -eq 0 ] && grep -qx hi '$TMP/st.out'"
    check "  the wrapper still counts" grep -q ' total$' "$TMP/st.count"
    # (count writes its table in one write(2), from the run's collector: the
    # header starts the buffer strace shows)
    check "  strace shows the registration and the wrapper writing its summary" \
        bash -c "grep -q 'openat(AT_FDCWD, \"/dev/selredir\"' '$TMP/st.log' && grep -q 'write(.*% time     seconds' '$TMP/st.log'"
    check "  no kernel warnings" kernel_clean
else
    skip "strace of a selected process: strace not installed"
fi

# ---- unload: refused while processes are registered, clean afterwards
if [ -n "$MODULE" ]; then
    "$R" -b kmod -w null -- /bin/sleep 3 &
    pid=$!
    for _ in $(seq 50); do [ "$(registered)" -gt 0 ] && break; sleep 0.1; done
    rmmod selredir 2>/dev/null; rc=$?
    check "rmmod while a process is registered: refused" \
        bash -c "[ $rc -ne 0 ] && grep -q '^selredir ' /proc/modules"
    wait $pid; rc=$?
    check "  the selected process is unaffected (exit 0)" test $rc -eq 0
    for _ in $(seq 50); do rmmod selredir 2>/dev/null && break; sleep 0.1; done
    check "rmmod once it exited: the module and /dev/selredir are gone" \
        bash -c "! grep -q '^selredir ' /proc/modules && ! test -e /dev/selredir"
    out=$("$R" -w count -o log="$TMP/nomod.count" -- "$W/stress" rawsys 10 2>&1); rc=$?
    check "  without it, backend=auto falls back to SUD" \
        bash -c "[ $rc -eq 0 ] && grep -q ' getppid\$' '$TMP/nomod.count'"
    # load and unload while selected processes come and go
    good=1
    for i in 1 2 3 4 5; do
        insmod "$MODULE" || { good=0; break; }
        "$R" -b kmod -w null -- "$W/stress" storm 2000 >/dev/null 2>&1 &
        "$R" -b kmod -w count -o log="$TMP/cycle.$i" -- "$W/stress" threads 8 200 >/dev/null 2>&1
        wait
        for _ in $(seq 50); do rmmod selredir 2>/dev/null && break; sleep 0.1; done
        grep -q '^selredir ' /proc/modules && { good=0; break; }
    done
    check "5 load/use/unload cycles" test $good -eq 1
    check "  no kernel warnings" kernel_clean
    insmod "$MODULE"
    check "reloaded" test -c /dev/selredir
    # the module as kmod/dkms.conf builds it (signed with DKMS's MOK)
    D=${MODULE%/*}/selredir-dkms.ko
    if [ -r "$D" ]; then
        for _ in $(seq 50); do rmmod selredir 2>/dev/null && break; sleep 0.1; done
        insmod "$D"
        "$R" -b kmod -w count -o log="$TMP/dkms.count" -- "$W/stress" rawsys 10 >/dev/null 2>&1
        check "the DKMS-built module loads and redirects" \
            bash -c "test -c /dev/selredir && [ \"\$(awk '\$NF == \"getppid\" {print \$4}' '$TMP/dkms.count')\" = 20 ]"
        for _ in $(seq 50); do rmmod selredir 2>/dev/null && break; sleep 0.1; done
        insmod "$MODULE"
    else
        skip "the DKMS-built module: not built (dkms missing)"
    fi
else
    skip "unload tests: VMTEST_MODULE not set"
fi

# ---- binfmt_misc end to end (the guest is disposable: register globally)
BF=/proc/sys/fs/binfmt_misc
grep -q " $BF " /proc/mounts || mount -t binfmt_misc none $BF 2>/dev/null
if [ -w $BF/register ]; then
    mkdir -m 755 -p /run/rs-kmod
    echo "$W/stress count backend=kmod log=$TMP/bf.%p" >/run/rs-kmod/selected.conf
    export RUNSEL_CONFIG=/run/rs-kmod/selected.conf RUNSEL_WRAPPER_DIR=$BUILD/bin/wrappers
    "$BUILD/bin/selctl" register --global --runtime --loader "$BUILD/bin/runsel-loader" >/dev/null 2>&1
    out=$(/bin/sh -c "'$W/stress' rawsys 50; grep -c . /proc/selredir" 2>&1)
    check "binfmt: a listed program is selected by the loader and registered with the module" \
        bash -c "grep -q ' getppid\$' $TMP/bf.* 2>/dev/null && [ \"\$(awk '\$NF == \"getppid\" {print \$4}' $TMP/bf.*)\" = 100 ]"
    check "  unlisted programs (sh, grep) run unregistered" test "$(tail -n 1 <<<"$out")" = 1
    out=$(/bin/sh -c "'$W/stress' threads 4 50 >/dev/null; echo done")
    check "  threads of a listed program through binfmt" test "$out" = done
    "$BUILD/bin/selctl" unregister --global --runtime >/dev/null 2>&1
    unset RUNSEL_CONFIG RUNSEL_WRAPPER_DIR
    check "  no kernel warnings" kernel_clean
else
    skip "binfmt end to end: binfmt_misc not available in the guest"
fi
