#!/bin/bash
# stage.sh — in the throw-away root of tests/deb/inroot.sh, as root of a
# user namespace with a private binfmt_misc: install the packages, use
# them (one run, the SDK, system-wide use, DKMS), remove them, purge them.
# Prints "ok NAME" / "not ok NAME" lines for tests/t_deb.sh.
set -u
ok()   { echo "ok $*"; }
nok()  { echo "not ok $*"; }
skip() { echo "skip $*"; }
check() { local n=$1; shift; if "$@"; then ok "$n"; else nok "$n"; return 1; fi; }
BM=/proc/sys/fs/binfmt_misc
export PATH=/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C.UTF-8 DEBIAN_FRONTEND=noninteractive
unset RUNSEL_CONFIG RUNSEL_WRAPPER_DIR RUNSEL_RUN RUNSEL_SELECTED

mount -t binfmt_misc none "$BM" || { nok "a private binfmt_misc in the throw-away root"; exit 1; }
cd /tmp/debs
dpkg -i runsel_*.deb runsel-dev_*.deb selredir-dkms_*.deb >/tmp/install.log 2>&1
check "dpkg -i installs runsel, runsel-dev, selredir-dkms" test $? -eq 0 ||
    sed 's/^/# /' /tmp/install.log
check "  runsel is installed" test "$(dpkg-query -W -f='${Status}' runsel)" = "install ok installed"

# One run, as a user would type it.
out=$(runsel -w trace -- /bin/true 2>&1); rc=$?
check "runsel -w trace -- /bin/true: exit 0" test $rc -eq 0
check "  its trace (execve ... exited with 0)" bash -c \
    'grep -q "^execve(\"/bin/true\"" <<<"$1" && grep -qx "+++ exited with 0 +++" <<<"$1"' sh "$out"
check "runsel --list names the installed wrappers" bash -c \
    'runsel --list | grep -qx trace && runsel --list | grep -qx sandbox'
check "man pages are installed where man finds them" bash -c \
    'for p in runsel.1 selctl.8 selected.conf.5 runsel-loader.8 runsel-wrapper.7 runsel-cc.1; do
         man -w "${p%.*}" >/dev/null 2>&1 || exit 1; done'
check "bash completion: runsel -w <TAB> offers the wrappers" bash -c \
    '. /usr/share/bash-completion/bash_completion && . /usr/share/bash-completion/completions/runsel &&
     COMP_WORDS=(runsel -w "") COMP_CWORD=2 COMP_LINE="runsel -w " COMP_POINT=10 && _runsel &&
     printf "%s\n" "${COMPREPLY[@]}" | grep -qx trace'
check "the binfmt.d example is installed, not enabled" bash -c \
    'grep -q "^:runsel:M:.*:/usr/lib/runsel/runsel-loader:POCF$" /usr/share/runsel/runsel-binfmt.conf &&
     ! [ -e /etc/binfmt.d/runsel.conf ] && ! [ -e '"$BM"'/runsel ]'
check "the installed loader keeps its stamp (it never matches its own entry)" test \
    "$(od -An -c -j15 -N1 /usr/lib/runsel/runsel-loader | tr -d ' ')" = S

# The SDK: build the example wrapper with the installed runsel-cc, use it.
if (cd /tmp/examples && runsel-cc -o /tmp/nounlink.so nounlink.c) >/tmp/cc.log 2>&1; then
    ok "runsel-cc builds a wrapper with the installed SDK"
    : >/tmp/victim
    out=$(runsel -w /tmp/nounlink.so -- rm /tmp/victim 2>&1)
    check "  and it runs: rm is refused" bash -c '[ -e /tmp/victim ] && grep -q "nounlink: refused unlink" <<<"$1"' sh "$out"
else
    nok "runsel-cc builds a wrapper with the installed SDK"
    sed 's/^/# /' /tmp/cc.log
fi

# System-wide use, the one documented command, in this root's instance.
selctl register --global >/tmp/reg.log 2>&1
check "selctl register --global: exit 0" test $? -eq 0 || sed 's/^/# /' /tmp/reg.log
check "  writes /etc/binfmt.d/runsel.conf with the entry" \
    grep -q "^:runsel:M:.*:/usr/lib/runsel/runsel-loader:POCF$" /etc/binfmt.d/runsel.conf
check "  which systemd-binfmt (or selctl) registered" bash -c "grep -qx enabled $BM/runsel"
check "  selctl status says it is enabled at boot" bash -c \
    'selctl status | grep -qx "at boot: enabled by /etc/binfmt.d/runsel.conf (loader /usr/lib/runsel/runsel-loader)"'
selctl add /usr/bin/true trace log=/tmp/bf.log >/tmp/add.log 2>&1
check "selctl add selects /usr/bin/true in /etc/runsel/selected.conf" test $? -eq 0
sh -c '/usr/bin/true'; rc=$?
check "  an exec of it, through binfmt_misc, runs: exit 0" test $rc -eq 0
check "  and is traced by the installed loader" grep -q '^execve("/usr/bin/true"' /tmp/bf.log
check "  an unselected program runs untouched" test "$(sh -c 'echo hi')" = hi
# Where no binfmt_misc is mounted (a container), unregister --global still
# removes the file, and says what it could not do.
umount "$BM"
selctl unregister --global >/tmp/unreg.log 2>&1; rc=$?
check "unregister --global with no binfmt_misc mounted: the file goes all the same (exit $rc)" \
    test ! -e /etc/binfmt.d/runsel.conf
check "  and it says why the entry could not be removed" grep -q "not mounted" /tmp/unreg.log
mount -t binfmt_misc none "$BM" && selctl register --global >/dev/null 2>&1
check "  registered again for the removal below" test -e /etc/binfmt.d/runsel.conf

# DKMS: the package's source builds against installed kernel headers.
hdr=$(ls -d /usr/src/linux-headers-*-amd64 2>/dev/null | sort -V | tail -n 1)
if [ -n "$hdr" ]; then
    kver=${hdr#/usr/src/linux-headers-}
    dkms build -m selredir -v 0.1 -k "$kver" >/tmp/dkms.log 2>&1
    check "dkms builds selredir from selredir-dkms for $kver" \
        test -f "/var/lib/dkms/selredir/0.1/$kver/x86_64/module/selredir.ko" ||
        sed 's/^/# /' /tmp/dkms.log | tail -n 20
else
    skip "dkms builds selredir: no linux-headers-*-amd64 here"
fi

# Removal takes the loader off every exec before the files go.
dpkg -r runsel-dev selredir-dkms runsel >/tmp/remove.log 2>&1
check "dpkg -r: exit 0" test $? -eq 0 || sed 's/^/# /' /tmp/remove.log
check "  the entry is unregistered" test ! -e $BM/runsel
check "  and /etc/binfmt.d/runsel.conf removed" test ! -e /etc/binfmt.d/runsel.conf
check "  execs still work" test "$(/bin/sh -c 'echo after')" = after
check "  the list (a conffile) stays until purge" test -f /etc/runsel/selected.conf
dpkg --purge runsel-dev selredir-dkms runsel >/tmp/purge.log 2>&1
check "dpkg --purge: exit 0" test $? -eq 0 || sed 's/^/# /' /tmp/purge.log
check "  /etc/runsel is gone (list, index, drop-in directory)" test ! -e /etc/runsel
check "  dkms forgot selredir" test ! -e /var/lib/dkms/selredir
exit 0
