# Shared helpers for tests/t_*.sh.  Source it; $BUILD and $SRC come from run.sh.
: "${BUILD:?}" "${SRC:?}"
LOADER=${LOADER_OVERRIDE:-$BUILD/bin/runsel-loader}
SELCTL=$BUILD/bin/selctl
CORPUS=$BUILD/tests/progs
TMP=$(mktemp -d "${TMPDIR:-/tmp}/runsel-test.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

# runsel, on the backend TEST_BACKEND names (kmod, sud) when it is set:
# the kernel-module run of the wrapper suite (tests/vm) sets it.  With
# TEST_FASTPATH=no, without the fast path (tests/t_nofastpath.sh).  With
# TEST_PLACEMENT=process, every run out of process (tests/t_process_suite.sh).
RUNSEL=$BUILD/bin/runsel
if [ -n "${TEST_BACKEND:-}" ] || [ "${TEST_FASTPATH:-}" = no ] || [ -n "${TEST_PLACEMENT:-}" ]; then
    printf '#!/bin/sh\nexec %q %s %s %s "$@"\n' "$RUNSEL" \
        "${TEST_BACKEND:+-b $(printf %q "$TEST_BACKEND")}" \
        "$([ "${TEST_FASTPATH:-}" = no ] && echo --no-fastpath)" \
        "${TEST_PLACEMENT:+--placement=$(printf %q "$TEST_PLACEMENT")}" >"$TMP/runsel"
    chmod 755 "$TMP/runsel"
    RUNSEL=$TMP/runsel
fi
# placements: the placements runsel can run a program in here, one per
# line (inprocess, and process where a supervisor can trace), with a skip
# line (on stderr, which run.sh counts too) for one it cannot; a test runs
# the same checks in each: for place in $(placements); do P=(--placement=$place) ...
placements() {
    echo inprocess
    if "$BUILD/bin/runsel" --placement=process -w null -- /bin/true 2>/dev/null; then
        echo process
    else
        skip "placement=process cannot run here" >&2
    fi
}
# kmod_loaded: the kernel redirect module is present here (only in vmtest's guest).
kmod_loaded() { [ -c /dev/selredir ]; }

ok()   { echo "ok $*"; }
nok()  { echo "not ok $*"; }
skip() { echo "skip $*"; }

# check NAME COMMAND...: ok when COMMAND succeeds.
check() { local n=$1; shift; if "$@"; then ok "$n"; else nok "$n"; fi; }

# wait_for_line FILE ERE [SECONDS]: wait until FILE has a line matching ERE
# (at most SECONDS, 30 by default); fails if it never does.  Tests wait for
# the event they need, not for a time: vmtest's emulated CPU can take
# seconds where a host takes milliseconds.
wait_for_line() {
    local i
    for ((i = 0; i < ${3:-30} * 20; i++)); do
        grep -qE -- "$2" "$1" 2>/dev/null && return 0
        sleep 0.05
    done
    return 1
}

# same_output NAME FILTER -- CMD...: run CMD natively and under the loader,
# pipe both through FILTER (a shell command reading stdin) and compare.
same_output() {
    local name=$1 filter=$2; shift 3
    local n=$TMP/native.$$ l=$TMP/loaded.$$
    ( "$@" ) >"$n" 2>&1; echo "exit=$?" >>"$n"
    ( "$LOADER" "$@" ) >"$l" 2>&1; echo "exit=$?" >>"$l"
    if cmp -s <(eval "$filter" <"$n") <(eval "$filter" <"$l"); then
        ok "$name"
    else
        nok "$name: output differs"
        diff <(eval "$filter" <"$n") <(eval "$filter" <"$l") | head -n 20
    fi
}

# private_list NAME...: a trusted list $LIST in a directory of its own,
# selctl on it (sel), and wrapper names NAME... resolving to copies of the
# null wrapper ($RUNSEL_WRAPPER_DIR).
private_list() {
    chmod 755 "$TMP"
    D=$TMP/etc && mkdir -m 755 "$D"
    LIST=$D/selected.conf
    export RUNSEL_WRAPPER_DIR=$D/wrappers
    mkdir -m 755 "$RUNSEL_WRAPPER_DIR"
    for w in "$@"; do
        install -m 644 "$BUILD/bin/wrappers/null.so" "$RUNSEL_WRAPPER_DIR/$w.so"
    done
}
sel() { "$SELCTL" -c "$LIST" "$@"; }

# same_lines NAME 'CALL...' CMD...: the lines of CALL... (all when empty)
# that trace prints for CMD equal strace's, after tests/lib/samelines.py's
# normalisation (addresses, prefixes).  Skipped without a working strace.
same_lines() {
    same_lines_with "$1" "" "" "$2" "${@:3}"
}

# same_lines_with NAME 'STRACE-OPTIONS' 'TRACE-OPTIONS' 'CALL...' CMD...:
# the same, strace run with STRACE-OPTIONS (-X raw ...) and trace with
# TRACE-OPTIONS (xlat=raw ...: each one a -o of runsel).
same_lines_with() {
    local name=$1 sopts=$2 topts=$3 calls=$4 d o targs=()
    shift 4
    for o in $topts; do targs+=(-o "$o"); done
    d=$(mktemp -d "$TMP/same.XXXXXX")
    # shellcheck disable=SC2086
    if ! strace -qq $sopts -o "$d/s" "$@" </dev/null >/dev/null 2>&1 && [ ! -s "$d/s" ]; then
        skip "$name (strace cannot trace here)"
        return
    fi
    timeout 60 "$RUNSEL" -w trace -o "log=$d/t" "${targs[@]}" -- "$@" </dev/null >/dev/null 2>&1
    # shellcheck disable=SC2086
    if python3 "$SRC/tests/lib/samelines.py" "$d/s" "$d/t" $calls >"$d/diff"; then
        ok "$name"
    else
        nok "$name"
        head -n 40 "$d/diff"
    fi
}
