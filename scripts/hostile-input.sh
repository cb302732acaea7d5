#!/usr/bin/env bash
# Hostile inputs (issue #13): files and outputs that once made kpitree hang,
# eat memory, lose data or write escape sequences to the terminal. Builds the
# release command line and runs each case, printing its exit code (and the
# one expected), wall time and peak memory; exits 1 if any case is wrong.
#
#   scripts/hostile-input.sh
#
# Needs python3 (to write the large documents). Takes a minute or two.
set -uo pipefail
cd "$(dirname "$0")/.."
cargo build --release --no-default-features --quiet --bin kpitree || exit 1
kpitree="${CARGO_TARGET_DIR:-target}/release/kpitree"
kpitree="$(cd "$(dirname "$kpitree")" && pwd)/$(basename "$kpitree")"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export LANG=C

# ---- the inputs ----
python3 - "$work" <<'PY'
import json, sys
work = sys.argv[1]
head = '{"format":"kpitree","version":1,'
open(f"{work}/deep.kpitree.json", "w").write(
    head + '"x":' + "[" * 100000 + "]" * 100000 + ',"nodes":[],"edges":[]}')
open(f"{work}/twice.kpitree.json", "w").write(
    '{\n  "format": "kpitree", "version": 1,\n'
    '  "nodes": [ { "id": "a", "kind": "KGI", "name": "売上" } ],\n'
    '  "edges": [],\n  "nodes": []\n}\n')
# A million nodes: a tree, ten terms per computed node.
n = 1_000_000
nodes = [{"id": "n0", "kind": "KGI", "name": "売上", "unit": "件", "deadline": "2027-03-31"}]
edges = []
for i in range(1, n):
    node = {"id": f"n{i}", "kind": "KPI", "name": f"指標 {i}", "unit": "件"}
    if 10 * i + 1 >= n:
        node["target"] = 10
        node["actual"] = i % 13
    nodes.append(node)
    edges.append({"parent": f"n{(i - 1) // 10}", "child": f"n{i}", "op": "+"})
json.dump({"format": "kpitree", "version": 1, "title": "1e6", "nodes": nodes, "edges": edges},
          open(f"{work}/million.kpitree.json", "w"), ensure_ascii=False, separators=(",", ":"))
def small(name, extra_node=None, title="t"):
    node = {"id": "k", "kind": "KPI", "name": name, "unit": "件", "target": 10, "actual": 5}
    node.update(extra_node or {})
    return {"format": "kpitree", "version": 1, "title": title,
            "nodes": [{"id": "g", "kind": "KGI", "name": "売上", "unit": "件", "target": 10,
                       "deadline": "2027-03-31"}, node],
            "edges": [{"parent": "g", "child": "k", "op": "+"}]}
json.dump(small("A\ufffeB\uffffC"), open(f"{work}/fffe.kpitree.json", "w"))
json.dump(small("\x1b]0;owned\x07\x1b[2J\u202eevil\u2066", title="\x1b[31mred\x07"),
          open(f"{work}/escapes.kpitree.json", "w"))
json.dump(small("note", {"note": "長" * (20 * 1024 * 1024 // 3)}), open(f"{work}/note.kpitree.json", "w"),
          ensure_ascii=False)
PY
mkfifo "$work/fifo.kpitree.json"
"$kpitree" new -t sales-basic -o "$work/sales.kpitree.json" >/dev/null
: >"$work/real.png"
ln -s real.png "$work/link.png"

# ---- the runs ----
if [ -x /usr/bin/time ]; then
  measure=(/usr/bin/time -f "%e %M" -o "$work/time")
else
  measure=()
fi
failures=0
printf '%-44s %4s %8s %9s %12s  %s\n' case exit expected "wall (s)" "peak (KB)" result
# run NAME EXPECTED_EXIT COMMAND…: runs it (at most 120 s), stdout to $work/out.
run() {
  local name=$1 expected=$2
  shift 2
  local start end code wall peak
  start=$(date +%s.%N)
  timeout 120 "${measure[@]}" "$@" >"$work/out" 2>"$work/err" </dev/null
  code=$?
  end=$(date +%s.%N)
  if [ ${#measure[@]} -gt 0 ] && [ -s "$work/time" ]; then
    # The last line: GNU time first says "Command exited with non-zero status N".
    read -r wall peak < <(tail -n 1 "$work/time")
  else
    wall=$(echo "$end - $start" | bc 2>/dev/null || echo "?")
    peak="?"
  fi
  : >"$work/time"
  local result=ok
  if [ "$code" != "$expected" ]; then
    result="FAIL: $(head -c 300 "$work/err")"
    failures=$((failures + 1))
  fi
  printf '%-44s %4s %8s %9s %12s  %s\n' "$name" "$code" "$expected" "$wall" "$peak" "$result"
}
# also NAME CONDITION: a check on the last run's output.
also() {
  if ! eval "$2"; then
    printf '%-44s %s\n' "  $1" "FAIL"
    failures=$((failures + 1))
  else
    printf '%-44s %s\n' "  $1" "ok"
  fi
}

run "check: JSON nested 100,000 deep" 2 "$kpitree" check "$work/deep.kpitree.json"
also "says recursion limit" 'grep -q "recursion limit" "$work/err"'
run "check /dev/zero" 2 "$kpitree" check /dev/zero
run "check a FIFO" 2 "$kpitree" check "$work/fifo.kpitree.json"
run "check: \"nodes\" twice" 2 "$kpitree" check "$work/twice.kpitree.json"
also "names line, column and key" 'grep -q "twice.kpitree.json:5:3: duplicate key \"nodes\"" "$work/err"'
run "check: 1,000,000 nodes" 0 "$kpitree" check "$work/million.kpitree.json"
run "export PNG: 1,000,000 nodes (refused)" 2 "$kpitree" export "$work/million.kpitree.json" -o "$work/million.png"
also "says what to do" 'grep -q -- "--root" "$work/err" && [ ! -e "$work/million.png" ]'
run "export PDF: 1,000,000 nodes (refused)" 2 "$kpitree" export "$work/million.kpitree.json" -o "$work/million.pdf"
run "export PNG: U+FFFE, U+FFFF in a name" 0 "$kpitree" export "$work/fffe.kpitree.json" -o "$work/fffe.png"
also "a PNG" 'head -c 4 "$work/fffe.png" | grep -q PNG'
run "export SVG: U+FFFE, U+FFFF in a name" 0 "$kpitree" export "$work/fffe.kpitree.json" -o "$work/fffe.svg"
also "no U+FFFE in the SVG" '! grep -q "$(printf "\xef\xbf\xbe")" "$work/fffe.svg"'
run "check: ESC, BEL, bidi in name and title" 0 "$kpitree" check "$work/escapes.kpitree.json"
also "no ESC, BEL or U+202E printed" '! grep -q "$(printf "\x1b")\|$(printf "\x07")\|$(printf "\xe2\x80\xae")" "$work/out" && grep -q "\\\\u{1b}" "$work/out"'
run "check: a 20 MB note" 0 "$kpitree" check "$work/note.kpitree.json"
run "export -o a symbolic link" 0 "$kpitree" export "$work/sales.kpitree.json" -o "$work/link.png"
also "the link stays a link, its file is the PNG" '[ -L "$work/link.png" ] && head -c 4 "$work/real.png" | grep -q PNG'
run "export onto its input" 2 "$kpitree" export "$work/sales.kpitree.json" -o "$work/./sales.kpitree.json"
also "says so, input kept" 'grep -q "the output is the input file" "$work/err" && "$kpitree" check "$work/sales.kpitree.json" >/dev/null'
run "export -o a FIFO" 2 "$kpitree" export "$work/sales.kpitree.json" -o "$work/fifo.kpitree.json"
echo
if [ "$failures" -gt 0 ]; then
  echo "$failures case(s) failed"
  exit 1
fi
echo "all cases as expected"
