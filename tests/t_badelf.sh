#!/bin/bash
# Bad input gets a clear error and a distinct exit status, never a crash or
# a partial run.  The table comes from tests/badelf/mkbadelf.c; each case is
# also run natively (not asserted: the kernel's answers are printed for
# comparison — it reports most of these as "Exec format error"), except the
# "native" cases — unusual but valid images run by tests/badelf/probe.c —
# where the loader must give exactly the running kernel's answer: the same
# exit status and the same output.
. "$SRC/tests/lib/common.sh"
D=$TMP/bad
mkdir -p "$D" && chmod 755 "$TMP" "$D"
"$BUILD/tests/mkbadelf" "$D" "$BUILD/tests/progs/hello-static" "$BUILD/tests/progs/hello-dyn" \
    "$BUILD/tests/badelf-probe" >"$TMP/manifest" || { nok "mkbadelf failed"; exit 1; }

run_native_case() {   # run_native_case NAME PATH: as the running kernel does
    local name=$1 path=$2 n l
    n=$(cd "$D" && { "$path"; } 2>/dev/null; echo "exit=$?")
    l=$(cd "$D" && { "$LOADER" "$path"; } 2>/dev/null; echo "exit=$?")
    echo "# $name: native says: $(tr '\n' ' ' <<<"$n")"
    if [ "$n" = "$l" ]; then
        ok "$name: as the kernel ($(tail -1 <<<"$n"))"
    else
        nok "$name: differs from the kernel"
        diff <(echo "$n") <(echo "$l") | head -n 10
    fi
}

run_case() {   # run_case NAME PATH STATUS EXPECT
    local name=$1 path=$2 want=$3 expect=$4 rc lines as=()
    [ "$want" = native ] && { run_native_case "$name" "$path"; return; }
    # Below vm.mmap_min_addr only CAP_SYS_RAWIO may map: test that as nobody.
    [ "$name" = exec-at-zero ] && [ "$(id -u)" -eq 0 ] &&
        as=(setpriv --reuid=65534 --regid=65534 --clear-groups)
    (cd "$D" && exec "${as[@]}" "$LOADER" "$path") >"$TMP/out" 2>"$TMP/err"; rc=$?
    native=$(cd "$D" && { "$path"; } 2>&1 | head -1)
    echo "# $name: native says: ${native:-(ran)}"
    if [ $rc -ge 128 ]; then
        nok "$name: killed by signal $((rc - 128))"; return
    fi
    if [ "$want" -eq 3 ]; then   # must run normally
        check "$name: runs (exit 3, output '$expect', no stderr)" \
            test $rc -eq 3 -a "$(cat "$TMP/out")" = "$expect" -a ! -s "$TMP/err"
        return
    fi
    lines=$(wc -l <"$TMP/err")
    if [ $rc -eq "$want" ] && [ "$lines" -eq 1 ] && [ ! -s "$TMP/out" ] &&
       grep -qF "runsel-loader: $path: $expect" "$TMP/err"; then
        ok "$name: exit $want, $expect"
    else
        nok "$name: got exit $rc, stderr '$(head -c 300 "$TMP/err")', want $want '$expect'"
    fi
}

while IFS=$'\t' read -r name status expect; do
    run_case "$name" "$D/$name" "$status" "$expect"
done <"$TMP/manifest"

# Cases that need the file system rather than a crafted file.
mkdir "$D/a-directory"
run_case directory "$D/a-directory" 126 "Is a directory"
cp "$BUILD/tests/progs/hello-static" "$D/not-executable" && chmod 0644 "$D/not-executable"
run_case not-executable "$D/not-executable" 126 "Permission denied"
run_case missing "$D/does-not-exist" 127 "No such file or directory"
run_case missing-dir "$D/nodir/prog" 127 "No such file or directory"
