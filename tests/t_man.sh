#!/bin/bash
# The man pages (man/): each renders with `man --warnings -l` without a
# warning, as lintian checks them; every option the tools' help texts
# print appears in its page (runsel --help in runsel.1, selctl --help and
# each selctl COMMAND --help in selctl.8, runsel-loader --help in
# runsel-loader.8, runsel-cc's usage in runsel-cc.1), and each
# missing one is named; `make install` puts each page into its section's
# directory and `make uninstall` removes it.  Both checks are shown to
# fail: on a page with an unknown macro, and on a help text with an option
# the page lacks.
. "$SRC/tests/lib/common.sh"
MAN=$SRC/man
RS=$BUILD/bin/runsel              # the binary itself, not $RUNSEL's wrapper script
# Stable output: one width, one encoding, no pager, no preprocessors.
export LC_ALL=C.UTF-8 MANWIDTH=80 MANPAGER=cat PAGER=cat MANROFFSEQ=
unset MAN_KEEP_FORMATTING

if ! command -v man >/dev/null || ! command -v groff >/dev/null; then
    skip "man pages: man or groff is not installed (tools/deps installs man-db and groff-base)"
    exit 0
fi
printf '.TH PROBE 1\n.SH NAME\nprobe \\- a page\n' >"$TMP/probe.1"
if ! man -l "$TMP/probe.1" 2>/dev/null | grep -q 'probe - a page'; then
    skip "man pages: man -l does not render a page here ($(man -l "$TMP/probe.1" 2>&1 | head -n 1))"
    exit 0
fi

# render PAGE OUT: the page as text in OUT, man's and groff's warnings in
# OUT.warn; man's exit status.
render() { man --warnings -E UTF-8 -l "$1" >"$2" 2>"$2.warn"; }

# text OUT: the rendered text with groff's hyphenation undone (a word
# broken at a line's end with U+2010 is joined again), its hyphens and
# minus signs plain '-', no overstriking.
text() {
    perl -CSD -0pe 's/.\x08//g; s/\x{2010}\n[ \t]*//g; s/[\x{2010}\x{2011}\x{2212}]/-/g' "$1"
}

# help_options: the options a help text (stdin) names, one per line:
# every word that starts with - or -- and a letter or digit, in the
# option column, the usage lines or the descriptions ("-tt", "-w after
# -c"), with what follows '=' or '[' and trailing punctuation cut
# ("--decode-fds[=SET]" -> --decode-fds, "(-F:" -> -F).
help_options() {
    tr ' \t,/|()[]' '\n' | sed -E "s/=.*//; s/[.:;'\"]+\$//" |
        grep -E '^--?[A-Za-z0-9][A-Za-z0-9-]*$' | sort -u
}

# missing OPTIONS TEXT: the options of file OPTIONS that file TEXT does not
# hold as a word of their own ("-t" is not in "-tt" or "--trace").
missing() {
    local o
    while read -r o; do
        grep -qE -e "(^|[^A-Za-z0-9_-])$o(\$|[^A-Za-z0-9_-])" "$2" || echo "$o"
    done <"$1"
}

# check_options PAGE WHAT OPTIONS: every option of file OPTIONS is in PAGE's
# rendered text; the missing ones are printed.
check_options() {
    local page=$1 what=$2 opts=$3 miss
    miss=$(missing "$opts" "$TMP/$page.txt")
    if [ -z "$miss" ] && [ -s "$opts" ]; then
        ok "$page: every option $what prints is there ($(wc -l <"$opts"))"
    else
        nok "$page: options $what prints are missing: $(flat "$miss")"
    fi
}

# flat TEXT: TEXT on one line (its lines joined with spaces).
flat() { echo "${1//$'\n'/ }"; }

# ---- (a) every page renders, and without a warning
pages=$(cd "$MAN" && ls -- *.[1-8] 2>/dev/null)
check "there are the six pages" test "$(flat "$pages")" = \
    "runsel-cc.1 runsel-loader.8 runsel-wrapper.7 runsel.1 selctl.8 selected.conf.5"
for p in $pages; do
    render "$MAN/$p" "$TMP/$p.raw"
    rc=$?
    if [ $rc -eq 0 ] && [ ! -s "$TMP/$p.raw.warn" ] && [ -s "$TMP/$p.raw" ]; then
        ok "$p: man --warnings -l renders it without a warning"
    else
        nok "$p: man --warnings -l: exit $rc, with these warnings:"
        head -n 20 "$TMP/$p.raw.warn"
    fi
    text "$TMP/$p.raw" >"$TMP/$p.txt"
    name=${p%.*} sec=${p##*.}
    name_uc=$(tr '[:lower:]' '[:upper:]' <<<"$name")
    check "$p: its header names it ${name_uc}($sec)" grep -q "^$name_uc($sec) " "$TMP/$p.txt"
done
# The warning check can fail: a page with a macro groff does not know.
printf '.TH BAD 1\n.SH NAME\nbad \\- a page\n.XYZZY not a macro\n' >"$TMP/bad.1"
render "$TMP/bad.1" "$TMP/bad.out"
check "the warning check fails on a page with an unknown macro" grep -q XYZZY "$TMP/bad.out.warn"

# ---- (b) every option the help texts print is in the page
"$RS" --help | help_options >"$TMP/runsel.opts"
check_options runsel.1 "runsel --help" "$TMP/runsel.opts"

"$SELCTL" --help >"$TMP/selctl.help"
help_options <"$TMP/selctl.help" >"$TMP/selctl.opts"
# The commands: the first word of each of the overview's command lines.
cmds=$(sed -nE 's/^  ([a-z]+)  +.*/\1/p' "$TMP/selctl.help")
check "selctl --help lists its commands ($(flat "$cmds"))" test "$(wc -w <<<"$cmds")" -ge 10
for c in $cmds; do
    "$SELCTL" "$c" --help | help_options
done >>"$TMP/selctl.opts"
sort -u -o "$TMP/selctl.opts" "$TMP/selctl.opts"
check_options selctl.8 "selctl --help and selctl COMMAND --help" "$TMP/selctl.opts"
miss=
for c in $cmds; do
    # An entry of its own: a tag line at the page's first indentation.
    grep -qE "^ {7}$c( |\$)" "$TMP/selctl.8.txt" || miss="$miss $c"
done
if [ -z "$miss" ]; then
    ok "selctl.8: every command selctl --help lists has an entry"
else
    nok "selctl.8: commands without an entry:$miss"
fi

"$LOADER" --help | help_options >"$TMP/loader.opts"
check_options runsel-loader.8 "runsel-loader --help" "$TMP/loader.opts"

"$BUILD/bin/runsel-cc" 2>&1 | help_options >"$TMP/cc.opts"
check_options runsel-cc.1 "runsel-cc's usage" "$TMP/cc.opts"

# ---- (c) the option check can fail
# A help text with an option no page has: reported, and nothing else is.
{ "$RS" --help; echo "  --made-up-option-qzx  not an option of runsel"; } | help_options >"$TMP/fake.opts"
got=$(missing "$TMP/fake.opts" "$TMP/runsel.1.txt")
check "an option the page lacks is reported missing (got: $(flat "$got"))" test "$got" = "--made-up-option-qzx"
# A page that lost an option: reported.
grep -v -e '--follow-forks' "$TMP/runsel.1.txt" >"$TMP/cut.txt"
got=$(missing "$TMP/runsel.opts" "$TMP/cut.txt")
check "an option taken out of the page is reported missing (got: $(flat "$got"))" test "$got" = "--follow-forks"
# A word of its own: -q is not found in a text that has only -qq.
printf '  -q  fewer messages\n' | help_options >"$TMP/q.opts"
printf 'only -qq and --quiet here\n' >"$TMP/q.txt"
check "-q is not found inside -qq or --quiet" test "$(missing "$TMP/q.opts" "$TMP/q.txt")" = "-q"

# ---- make install and make uninstall: each page into man<section>/
# The man-page lines of the install and uninstall recipes (make -n: nothing
# is built), run from the source tree into a DESTDIR of our own.  A build
# directory of our own too: the Makefile writes its config.h when PREFIX
# differs from the build's, which must not touch the one the tests use.
dest=$TMP/dest
mandir=$dest/usr/local/share/man
for t in install uninstall; do
    make -s -n -C "$SRC" BUILD="$TMP/build" DESTDIR="$dest" PREFIX=/usr/local "$t" 2>/dev/null |
        grep -F "$mandir" >"$TMP/$t.sh"
    (cd "$SRC" && sh -e "$TMP/$t.sh")
    check "make $t: its man-page commands run" test $? -eq 0 -a -s "$TMP/$t.sh"
    for p in $pages; do
        f=$mandir/man${p##*.}/$p
        if [ $t = install ]; then
            check "make install puts $p into man${p##*.}/" cmp -s "$MAN/$p" "$f"
        else
            check "make uninstall removes $p" test ! -e "$f"
        fi
    done
done
