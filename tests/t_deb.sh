#!/bin/bash
# The Debian packages: make deb builds them from this tree with debhelper
# and dh-dkms, lintian reports no error, and they install into a
# throw-away root made from this machine's own (tests/deb/inroot.sh),
# work there (one run, the SDK, system-wide use, DKMS), and remove and
# purge without leaving a file behind.
. "$SRC/tests/lib/common.sh"
debs=$TMP/deb
make -s -C "$SRC" BUILD="$TMP/build" DEB_OUT="$debs" deb >"$TMP/mkdeb.log" 2>&1
check "make deb builds the packages" test $? -eq 0 || sed 's/^/# /' "$TMP/mkdeb.log" | tail -n 30
for p in runsel_*_amd64 runsel-dev_*_amd64 selredir-dkms_*_all; do
    check "  $p.deb" compgen -G "$debs/$p.deb"
done
check "lintian reports no error" bash -c "[ -e '$debs/lintian.txt' ] && ! grep -q '^E:' '$debs/lintian.txt'"
grep '^[EW]:' "$debs/lintian.txt" 2>/dev/null | sed 's/^/# lintian: /'

# What the packages hold, read from the files.
deb=$(ls "$debs"/runsel_*_amd64.deb 2>/dev/null)
if [ -n "$deb" ]; then
    dpkg-deb -c "$deb" | awk '{print $6}' >"$TMP/files"
    check "runsel ships the loader, runsel-init, the wrappers, runsel, selctl" bash -c "
        for f in usr/lib/runsel/runsel-loader usr/lib/runsel/runsel-init usr/lib/runsel/wrappers/trace.so \
                 usr/bin/runsel usr/bin/selctl; do grep -qx \"./\$f\" '$TMP/files' || exit 1; done"
    check "  the list as a conffile, nothing in /etc/binfmt.d" bash -c "
        dpkg-deb -e '$deb' '$TMP/ctl' && grep -qx /etc/runsel/selected.conf '$TMP/ctl/conffiles' &&
        ! grep -q binfmt.d '$TMP/files'"
    check "  the man pages and the bash completion" bash -c "
        for f in man1/runsel.1.gz man8/selctl.8.gz man5/selected.conf.5.gz man8/runsel-loader.8.gz \
                 man7/runsel-wrapper.7.gz; do grep -qx \"./usr/share/man/\$f\" '$TMP/files' || exit 1; done &&
        grep -qx ./usr/share/bash-completion/completions/selctl '$TMP/files'"
    dpkg-deb -x "$deb" "$TMP/x"
    check "  its list has no entry (nothing is selected until the administrator says so)" \
        bash -c "! grep -v '^#' '$TMP/x/etc/runsel/selected.conf' | grep -q ."
    check "  the stripped loader is stamped and relocation-free" bash -c "
        [ \"\$(od -An -c -j15 -N1 '$TMP/x/usr/lib/runsel/runsel-loader' | tr -d ' ')\" = S ] &&
        '$SRC/tools/check-loader' '$TMP/x/usr/lib/runsel/runsel-loader'"
fi
deb=$(ls "$debs"/selredir-dkms_*_all.deb 2>/dev/null)
if [ -n "$deb" ]; then
    dpkg-deb -x "$deb" "$TMP/k"
    check "selredir-dkms ships the module source with its dkms.conf" bash -c "
        d=\$(ls -d '$TMP'/k/usr/src/selredir-*) && v=\${d##*/selredir-} &&
        grep -qx \"PACKAGE_VERSION=\\\"\$v\\\"\" \"\$d/dkms.conf\" && [ -f \"\$d/selredir.c\" ] && [ -f \"\$d/Kbuild\" ]"
fi

# Install, use, remove, purge in a throw-away root.
if [ "$(id -u)" -ne 0 ] || ! grep -qw overlay /proc/filesystems; then
    skip "install/use/purge in a throw-away root: needs root and overlayfs"
    exit 0
fi
unshare -m --propagation private bash "$SRC/tests/deb/inroot.sh" "$TMP" "$debs" "$SRC" >"$TMP/root.log" 2>&1
rc=$?
grep -E '^(ok|not ok|skip|#) ' "$TMP/root.log"
check "the throw-away root was made" test $rc -ne 3
check "  the stage ran to its end" grep -qx 'stage-rc=0' "$TMP/root.log"
check "purge leaves no file behind" bash -c "! grep -q '^left: ' '$TMP/root.log'"
grep '^left: ' "$TMP/root.log" | sed 's/^/# /'
