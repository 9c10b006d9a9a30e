#!/bin/bash
# make tracks headers: for every header of the tree, every object (and
# wrapper image) whose source includes it, directly or through another
# header, is out of date once the header changes (`make -q -W HEADER OBJ`
# fails), and the tree is up to date otherwise (`make -q OBJ` succeeds).
#
# Two independent sides: which source an object was built from comes from
# the object's own debug info (DW_AT_name of its compile unit), which
# headers a source includes from reading the #include lines; make's side is
# the -MMD dependency files.  A missing .d file, a rule that lists only its
# own folder's headers or a FORCE prerequisite each make a row fail.
. "$SRC/tests/lib/common.sh"

# make must be run with BUILD spelled as when the tree was built: the .d
# files name their targets that way.  run.sh makes $BUILD absolute; the
# Makefile was run with a path relative to the source tree.
rel=$(realpath --relative-to="$SRC" "$BUILD")
MAKE_Q=(make -s -C "$SRC" BUILD="$rel" -q)

if ! command -v readelf >/dev/null; then
    skip "make tracks headers: no readelf"
    exit 0
fi

# One row per (header, object): "HEADER OBJ", objects relative to $SRC.
python3 - "$SRC" "$BUILD" "$rel" >"$TMP/rows" 2>"$TMP/oracle.err" <<'EOF'
import os, re, subprocess, sys
src, build, rel = sys.argv[1:4]
skipdirs = {".git", "build", "build-check"}
headers, sources = {}, []
for root, dirs, files in os.walk(src):
    dirs[:] = [d for d in dirs if d not in skipdirs and not d.startswith("build")]
    for f in files:
        p = os.path.relpath(os.path.join(root, f), src)
        if f.endswith(".h"):
            headers.setdefault(f, []).append(p)
        if f.endswith((".c", ".h", ".S")):
            sources.append(p)
inc = re.compile(r'^\s*#\s*include\s*[<"](?:runsel/)?([^">/]+\.h)[">]')
direct = {}
for p in sources:
    names = set()
    with open(os.path.join(src, p), errors="replace") as fh:
        for line in fh:
            m = inc.match(line)
            if m and m.group(1) in headers:
                names.add(m.group(1))
    direct[p] = names
for name, paths in headers.items():
    if len(paths) > 1:
        sys.exit("two headers named %s: %s (this oracle resolves by name)" % (name, paths))
def closure(p):
    seen, todo = set(), list(direct.get(p, ()))
    while todo:
        n = todo.pop()
        if n in seen:
            continue
        seen.add(n)
        todo.extend(direct.get(headers[n][0], ()))
    return {headers[n][0] for n in seen}
def cu_names(obj):
    out = subprocess.run(["readelf", "--debug-dump=info", obj], capture_output=True,
                         text=True).stdout
    names, want = [], False
    for line in out.splitlines():
        if "DW_TAG_compile_unit" in line:
            want = True
        elif want and "DW_AT_name" in line:
            names.append(line.rsplit(": ", 1)[-1].strip())
            want = False
    return names
objs = []
for root, dirs, files in os.walk(build):
    r = os.path.relpath(root, build)
    if r.split(os.sep)[0] in ("kmod", "tests"):   # kbuild's; test subjects
        dirs[:] = []
        continue
    objs += [os.path.join(root, f) for f in files if f.endswith(".o")]
objs += [os.path.join(build, "bin/wrappers", f) for f in
         sorted(os.listdir(os.path.join(build, "bin/wrappers"))) if f.endswith(".so")]
nobj = 0
for o in sorted(objs):
    cus = cu_names(o)
    if o.endswith(".so"):
        cus = [c for c in cus if c.startswith("wrapperabi/wrappers/")]
    if not cus:
        continue                 # assembly without debug info: includes nothing of ours
    nobj += 1
    target = os.path.join(rel, os.path.relpath(o, build))
    for h in sorted(closure(cus[0])):
        print(h, target)
print("objects: %d, headers: %d" % (nobj, len(headers)), file=sys.stderr)
EOF
if [ $? -ne 0 ] || [ ! -s "$TMP/rows" ]; then
    nok "make tracks headers: the oracle failed"; cat "$TMP/oracle.err"
    exit 0
fi
cat "$TMP/oracle.err"

# Up to date as built: otherwise every -W row below would pass for nothing.
stale=0
for o in $(awk '{print $2}' "$TMP/rows" | sort -u); do
    "${MAKE_Q[@]}" "$o" || { echo "  $o is out of date with nothing changed"; stale=$((stale + 1)); }
done
check "the built tree is up to date for make -q ($(awk '{print $2}' "$TMP/rows" | sort -u | wc -l) objects)" \
    test "$stale" -eq 0

for h in $(awk '{print $1}' "$TMP/rows" | sort -u); do
    missed=()
    while read -r hh o; do
        [ "$hh" = "$h" ] || continue
        "${MAKE_Q[@]}" -W "$h" "$o" && missed+=("$o")
    done <"$TMP/rows"
    n=$(awk -v h="$h" '$1 == h' "$TMP/rows" | wc -l)
    if [ ${#missed[@]} -eq 0 ]; then
        ok "touching $h rebuilds the $n objects that include it"
    else
        nok "touching $h leaves ${#missed[@]} of $n objects that include it up to date: ${missed[*]}"
    fi
done
