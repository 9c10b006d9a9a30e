#!/bin/bash
# The loader's own ELF header parser (loader/elfimg.c) agrees with libelf on
# every program it accepts: system binaries, shared libraries, the test
# corpus.  Under `make check` this also runs the parser under ASan/UBSan.
. "$SRC/tests/lib/common.sh"
EC=$BUILD/tests/elfcheck
files=(/bin/ls /bin/sh /usr/bin/perl /usr/bin/python3 "$(readlink -f /lib64/ld-linux-x86-64.so.2)"
       "$(readlink -f /lib/x86_64-linux-gnu/libc.so.6)" "$LOADER")
for f in "$CORPUS"/* "$BUILD"/bench/true-*; do
    case $f in *.so) continue ;; esac   # libraries are not programs
    [ -f "$f" ] && [ -x "$f" ] && files+=("$f")
done
out=$("$EC" "${files[@]}")
rc=$?
while read -r verdict path rest; do
    case $verdict in
        ok) ok "libelf agrees: $path" ;;
        not) nok "libelf disagrees: $rest" ;;
        refused) nok "loader refused a valid program: $path $rest" ;;
    esac
done <<<"$out"
[ $rc -eq 0 ] || nok "elfcheck exit status $rc"
# A refusal must come with the loader's reason.
printf 'not an elf\n' >"$TMP/text"
check "refusal carries a reason" bash -c "'$EC' '$TMP/text' | grep -q '^refused .*: not an ELF file$'"
# The malformed and unusual files of tests/t_badelf.sh: where the loader
# accepts one (two PT_INTERPs, 64 KiB of program headers, ...), libelf must
# read the same headers; refusing is t_badelf's business.
mkdir -p "$TMP/bad"
"$BUILD/tests/mkbadelf" "$TMP/bad" "$CORPUS/hello-static" "$CORPUS/hello-dyn" \
    "$BUILD/tests/badelf-probe" >/dev/null
out=$("$EC" "$TMP"/bad/*)
check "libelf agrees on every malformed file the loader accepts" bash -c "! grep '^not ok' <<<'$out'"
check "  and the loader accepts some of them" bash -c "grep -q '^ok .*phnum-64k' <<<'$out'"
