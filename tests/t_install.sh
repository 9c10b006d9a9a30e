#!/bin/bash
# make install into a DESTDIR: the files land where README says, the
# installed selctl finds the installed loader, and the shipped binfmt.d
# example carries the same entry selctl registers.
. "$SRC/tests/lib/common.sh"
dest=$TMP/dest
# A build directory of its own: installing with another PREFIX rebuilds the
# loader (its wrapper directory is compiled in), which must not touch the
# loader the other tests use.
ib=$TMP/build
make -s -C "$SRC" BUILD="$ib" DESTDIR="$dest" PREFIX=/usr install >"$TMP/make.log" 2>&1
check "make install succeeds" test $? -eq 0
check "loader installed" test -x "$dest/usr/lib/runsel/runsel-loader"
check "selctl installed" test -x "$dest/usr/bin/selctl"
check "example selected.conf installed" test -f "$dest/usr/share/runsel/selected.conf.example"
check "runsel installed" test -x "$dest/usr/bin/runsel"
check "initmod installed next to the loader" test -f "$dest/usr/lib/runsel/runsel-init"
for w in null count; do
    check "wrapper $w installed" test -f "$dest/usr/lib/runsel/wrappers/$w.so"
done
check "wrapper SDK installed (header, runtime, runsel-cc)" test -f "$dest/usr/include/runsel/wrapper.h" \
    -a -f "$dest/usr/lib/runsel/sdk/libwrapperabi.a" -a -x "$dest/usr/bin/runsel-cc"
check "the installed runsel-cc points into the installation" grep -q "I/usr/include " "$dest/usr/bin/runsel-cc"
check "bash completion for runsel and selctl installed" test -f "$dest/usr/share/bash-completion/completions/runsel" \
    -a -f "$dest/usr/share/bash-completion/completions/selctl"
conf=$dest/usr/share/runsel/runsel-binfmt.conf
check "binfmt.d example names the installed loader" grep -q ':/usr/lib/runsel/runsel-loader:POCF$' "$conf"
# The installed selctl finds ../lib/runsel/runsel-loader next to itself.
out=$("$dest/usr/bin/selctl" register --userns --log "$TMP/log" -- /bin/true 2>&1; cat "$TMP/log" 2>/dev/null)
if grep -q "cannot mount a private binfmt_misc" <<<"$out"; then
    skip "installed selctl registers the installed loader: no private binfmt_misc here"
else
    check "installed selctl uses the installed loader" grep -qx "exec /bin/true" <<<"$out"
fi
# The register line in the example is exactly what selctl registers.
check "example entry equals selctl's" test "$(grep '^:runsel:' "$conf")" = \
    "$("$dest/usr/bin/selctl" register --print --loader /usr/lib/runsel/runsel-loader)"
check "the installed loader looks for wrappers under the install prefix" \
    grep -q /usr/lib/runsel/wrappers <(strings "$dest/usr/lib/runsel/runsel-loader")
# selctl links the loader's decision code: it resolves wrapper names where
# the installed loader does (it used to keep /usr/local whatever PREFIX).
printf '/usr/bin/true nosuchwrapper\n' >"$TMP/l.conf"
out=$("$dest/usr/bin/selctl" -c "$TMP/l.conf" explain /usr/bin/true 2>&1)
check "the installed selctl resolves wrappers under the install prefix" \
    grep -q "wrapper image /usr/lib/runsel/wrappers/nosuchwrapper.so" <<<"$out"
out=$("$dest/usr/bin/selctl" register --help 2>&1)
check "... and looks for the loader there last" grep -q "/usr/lib/runsel/runsel-loader" <<<"$out"
make -s -C "$SRC" BUILD="$ib" DESTDIR="$dest" PREFIX=/usr uninstall >/dev/null 2>&1
check "make uninstall removes them" test ! -e "$dest/usr/bin/selctl" -a ! -e "$dest/usr/lib/runsel/runsel-loader" \
    -a ! -e "$dest/usr/bin/runsel" -a ! -e "$dest/usr/lib/runsel/wrappers" -a ! -e "$dest/usr/bin/runsel-cc" \
    -a ! -e "$dest/usr/share/bash-completion/completions/runsel"
