#!/usr/bin/env bash
# Hostile inputs (issues #13 and #21): files and outputs that once made
# kpitree hang, eat memory, lose data, write through planted links or escape
# sequences to the terminal. Builds the release command line and runs each
# case, printing its exit code (and the one expected), wall time and peak
# memory; exits 1 if any case is wrong. The editor's cases run the ignored
# full-size tests of tests/ui_hostile.rs (and a few UI tests) in the test
# binary. As root, the planted-link cases also run as two real users.
#
#   prlimit --as=4000000000 scripts/hostile-input.sh
#
# Needs python3 (to write the large documents). Takes a few minutes.
set -uo pipefail
cd "$(dirname "$0")/.."
cargo build --release --no-default-features --quiet --bin kpitree || exit 1
kpitree="${CARGO_TARGET_DIR:-target}/release/kpitree"
kpitree="$(cd "$(dirname "$kpitree")" && pwd)/$(basename "$kpitree")"
# The integration tests (the editor's cases), built as `cargo test` builds them.
tests=$(cargo test --test tests --no-run 2>&1 | grep -o '[^ (]*deps/tests-[0-9a-f]*' | tail -n 1)
[ -x "$tests" ] || { echo "cannot build the tests" >&2; exit 1; }
tests="$(cd "$(dirname "$tests")" && pwd)/$(basename "$tests")"
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
# Issue 21.
# A ring of a million KPIs: one cycle.
ring = [{"id": f"n{i}", "kind": "KPI", "name": f"k{i}", "unit": "件", "target": 1, "actual": 1} for i in range(n)]
ring_edges = [{"parent": f"n{i}", "child": f"n{(i + 1) % n}", "op": "+"} for i in range(n)]
json.dump({"format": "kpitree", "version": 1, "nodes": ring, "edges": ring_edges},
          open(f"{work}/ring.kpitree.json", "w"), separators=(",", ":"))
del ring, ring_edges
def one(unit="件", title="t", target=10, actual=5, period=None):
    doc = {"format": "kpitree", "version": 1, "title": title,
           "nodes": [{"id": "g", "kind": "KGI", "name": "売上", "unit": unit, "target": target, "actual": actual,
                      "deadline": "2027-03-31"}], "edges": []}
    if period:
        doc["period"] = period
    return doc
for k in (10_000, 30_000, 100_000):
    json.dump(one(unit="*".join(f"f{i}" for i in range(k))), open(f"{work}/unit{k}.kpitree.json", "w"))
json.dump(one(unit="件" * (10 * 1024 * 1024 // 3)), open(f"{work}/unit10mb.kpitree.json", "w"), ensure_ascii=False)
json.dump(one(title="長" * (20 * 1024 * 1024 // 3)), open(f"{work}/title20mb.kpitree.json", "w"), ensure_ascii=False)
json.dump(one(title="Ｗ" * 400), open(f"{work}/wide.kpitree.json", "w"), ensure_ascii=False)
json.dump(one(period={"start": "2027-03-31", "end": "2026-04-01", "as_of": "2026-10-01"}),
          open(f"{work}/reversed.kpitree.json", "w"))
json.dump(one(target=1e-300, actual=1e-250), open(f"{work}/percent.kpitree.json", "w"))
json.dump(one(actual=5e-324), open(f"{work}/subnormal.kpitree.json", "w"))
open(f"{work}/null.kpitree.json", "w").write("null")
open(f"{work}/empty.kpitree.json", "w").write("")
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

# test_case NAME ARGS…: one test of the test binary, which must have run.
test_case() {
  local name=$1
  shift
  run "$name" 0 "$tests" --test-threads=1 "$@"
  also "one test ran" 'grep -q "1 passed" "$work/out"'
}

echo "---- issue 21 ----"
# 1. Planted symbolic links (as root: links given to another uid).
mkdir -m 1777 "$work/sticky"
mkdir -m 700 "$work/home"
echo "# mine" >"$work/home/.bashrc"
if [ "$(id -u)" = 0 ]; then
  ln -s "$work/home/.bashrc" "$work/sticky/report.svg" && chown -h 4242421 "$work/sticky/report.svg"
  run "1 export -o a link another uid planted" 2 "$kpitree" export "$work/sales.kpitree.json" -o "$work/sticky/report.svg"
  also "refused, the victim's file as it was" 'grep -q "symbolic link of another user" "$work/err" && [ "$(cat "$work/home/.bashrc")" = "# mine" ]'
  ln -s "$work/home/.bashrc" "$work/sticky/plan.kpitree.json" && chown -h 4242421 "$work/sticky/plan.kpitree.json"
  run "1 new -o a link another uid planted" 2 "$kpitree" new -t sales-basic --force -o "$work/sticky/plan.kpitree.json"
  also "the victim's file as it was" '[ "$(cat "$work/home/.bashrc")" = "# mine" ]'
fi
ln -s "$work/home/.profile" "$work/sticky/dangling.svg"
run "1 export -o a link to nothing" 2 "$kpitree" export "$work/sales.kpitree.json" -o "$work/sticky/dangling.svg"
also "nothing created through it" '[ ! -e "$work/home/.profile" ] && grep -q "does not create a file through a link" "$work/err"'
run "1 export -o one's own link" 0 "$kpitree" export "$work/sales.kpitree.json" -o "$work/link.png"
# The same as two real users, when this runs as root and may add them.
if [ "$(id -u)" = 0 ] && command -v useradd >/dev/null; then
  for u in kpitree-victim kpitree-planter; do id "$u" >/dev/null 2>&1 || useradd -M -s /bin/sh "$u"; done
  chmod 755 "$work"
  shared="$work/shared" && mkdir -m 1777 "$shared"
  victim_home="$work/victim" && mkdir -m 755 "$victim_home" && chown kpitree-victim "$victim_home"
  runuser -u kpitree-victim -- sh -c "echo '# victim' >'$victim_home/.bashrc'"
  runuser -u kpitree-planter -- ln -s "$victim_home/.bashrc" "$shared/report.svg"
  runuser -u kpitree-planter -- ln -s "$victim_home/.profile" "$shared/late.svg"
  cp "$work/sales.kpitree.json" "$shared/in.kpitree.json" && chmod 644 "$shared/in.kpitree.json"
  run "1 two users: export onto a planted link" 2 runuser -u kpitree-victim -- "$kpitree" export "$shared/in.kpitree.json" -o "$shared/report.svg"
  also "the victim's .bashrc as it was" '[ "$(cat "$victim_home/.bashrc")" = "# victim" ]'
  run "1 two users: a planted link to nothing" 2 runuser -u kpitree-victim -- "$kpitree" export "$shared/in.kpitree.json" -o "$shared/late.svg"
  also "no .profile created" '[ ! -e "$victim_home/.profile" ]'
fi
# 2. Settings read with bounds: the editor (no display here) reads them first.
mkdir -p "$work/xdg/kpitree"
mkfifo "$work/xdg/kpitree/settings.json"
run "2 editor start, settings.json a FIFO" 2 env -u DISPLAY -u WAYLAND_DISPLAY XDG_DATA_HOME="$work/xdg" "$kpitree"
rm "$work/xdg/kpitree/settings.json" && ln -s /dev/zero "$work/xdg/kpitree/settings.json"
run "2 editor start, settings.json → /dev/zero" 2 env -u DISPLAY -u WAYLAND_DISPLAY XDG_DATA_HOME="$work/xdg" "$kpitree"
rm "$work/xdg/kpitree/settings.json" && mkfifo "$work/xdg/kpitree/app.ron"
run "2 editor start, old app.ron a FIFO" 2 env -u DISPLAY -u WAYLAND_DISPLAY XDG_DATA_HOME="$work/xdg" "$kpitree"
test_case "2 recovery folder: FIFO, /dev/zero, huge header" --exact recovery::only_regular_files_are_read_in_the_recovery_folder_and_headers_are_capped
# 3, 4. Restore after an outside change; a same-size write with the time put back.
test_case "3 restore, then an outside change (UI)" --exact ui_recovery::restored_work_whose_file_changed_since_shows_the_bar_and_save_asks
test_case "4 same size, time put back (UI)" --exact ui_files::a_same_size_change_on_disk_with_the_time_put_back_is_never_saved_over_silently
# 5. Four 133 MB crash copies: the start reads their headers only.
test_case "5 editor start, four 133 MB copies (UI)" --ignored --exact ui_hostile::hostile_editor_start_with_four_crash_copies_of_133_mb
# 6. Interrupted exports leave no temporary file.
interrupt() { # interrupt NAME SIGNAL: a slow export, the signal once its temporary file exists
  mkdir -p "$work/slow"
  # Started as from a terminal: a script's background jobs ignore SIGINT.
  python3 -c 'import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execv(sys.argv[1], sys.argv[1:])' \
    "$kpitree" export "$work/million.kpitree.json" -o "$work/slow/out.json" 2>/dev/null &
  local pid=$! n=0
  while [ -z "$(ls -A "$work/slow" | grep '^\.kpitree-.*\.tmp$')" ] && [ $n -lt 1200 ]; do sleep 0.05; n=$((n + 1)); done
  kill "-$2" "$pid"
  wait "$pid"
  local code=$? left
  left=$(ls -A "$work/slow" | grep -c '^\.kpitree-.*\.tmp$')
  local result=ok
  [ "$left" = 0 ] || { result="FAIL: $left temporary file(s) left"; failures=$((failures + 1)); }
  printf '%-44s %4s %8s %9s %12s  %s\n' "$1" "$code" "signal" "-" "-" "$result"
  rm -rf "$work/slow"
}
interrupt "6 SIGINT during a 1e6-node JSON export" INT
interrupt "6 SIGTERM during a 1e6-node JSON export" TERM
mkdir -p "$work/slow"
"$kpitree" export "$work/million.kpitree.json" -o "$work/slow/out.json" 2>/dev/null &
pid=$!
n=0
while [ -z "$(ls -A "$work/slow" | grep '^\.kpitree-.*\.tmp$')" ] && [ $n -lt 1200 ]; do sleep 0.05; n=$((n + 1)); done
kill -KILL "$pid"; wait "$pid" 2>/dev/null
run "6 the next export after a SIGKILL" 0 "$kpitree" export "$work/sales.kpitree.json" -o "$work/slow/x.svg"
also "the killed export's temporary file is gone" '[ -z "$(ls -A "$work/slow" | grep "^\.kpitree-.*\.tmp$")" ]'
rm -rf "$work/slow"
# 8. A cycle of a million nodes.
run "8 check: a 1,000,000-node cycle" 1 "$kpitree" check "$work/ring.kpitree.json"
run "8 check --json: a 1,000,000-node cycle" 1 "$kpitree" check --json "$work/ring.kpitree.json"
also "at most 100 ids in each of 1e6 diagnostics" 'awk "/\"nodes\": \\[/ { c = 0; inside = 1; next }
  inside && /^ *\\]/ { if (c > most) most = c; inside = 0; next }
  inside { c++ }
  /\"cycle_length\": 1000000/ { n++ }
  END { exit !(most <= 100 && n == 1000000) }" "$work/out"'
: >"$work/out"
# 9. A JSON export of a million nodes: compact, and readable again.
run "9 export -o X.json: 1,000,000 nodes" 0 "$kpitree" export "$work/million.kpitree.json" -o "$work/million.json"
also "compact (one line), at most 256 MiB" '[ "$(wc -l <"$work/million.json")" = 1 ] && [ "$(stat -c %s "$work/million.json")" -le 268435456 ]'
run "9 check the export" 0 "$kpitree" check "$work/million.json"
rm -f "$work/million.json"
# 10. Long text in pictures.
for k in 10000 30000 100000; do
  run "10 export PNG: a unit of $k factors" 0 "$kpitree" export "$work/unit$k.kpitree.json" -o "$work/unit.png"
done
run "10 export PNG: a 10 MB unit" 0 "$kpitree" export "$work/unit10mb.kpitree.json" -o "$work/unit.png"
run "10 export PDF: a 10 MB unit" 0 "$kpitree" export "$work/unit10mb.kpitree.json" -o "$work/unit.pdf"
run "10 export PDF: a 20 MB title" 0 "$kpitree" export "$work/title20mb.kpitree.json" -o "$work/title.pdf"
run "10 export SVG: a 20 MB title" 0 "$kpitree" export "$work/title20mb.kpitree.json" -o "$work/title.svg"
also "drawn a few hundred characters long" '[ "$(stat -c %s "$work/title.svg")" -lt 65536 ]'
run "10 export JSON: a 20 MB title, kept whole" 0 "$kpitree" export "$work/title20mb.kpitree.json" -o "$work/title.json"
also "the whole title" '[ "$(stat -c %s "$work/title.json")" -gt 20000000 ]'
rm -f "$work/title.json"
# 11. The editor on a 20 MB title.
test_case "11 editor: a 20 MB title (UI)" --ignored --exact ui_hostile::hostile_editor_on_a_twenty_megabyte_title
# 12. Picture limits.
run "12 export SVG: 1,000,000 nodes (refused)" 2 "$kpitree" export "$work/million.kpitree.json" -o "$work/million.svg"
also "says what to do, writes nothing" 'grep -q -- "--root" "$work/err" && [ ! -e "$work/million.svg" ]'
run "12 export PNG: wider than 16,384 (refused)" 2 "$kpitree" export "$work/wide.kpitree.json" -o "$work/wide.png" --scale 4
also "says each side" 'grep -q "16,384 pixels on each side" "$work/err" && [ ! -e "$work/wide.png" ]'
# 13. A wide tree in the editor, then quitting.
test_case "13 editor: wide tree, new document, quit (UI)" --ignored --exact ui_hostile::hostile_editor_on_a_wide_tree_after_another_document_then_quit
test_case "13 editor: 計算中… until its own result (UI)" --exact ui_reliability::a_new_document_shows_computing_until_its_own_first_result_never_the_last_ones
test_case "13 editor: quitting never waits (UI)" --exact ui_reliability::quitting_never_waits_for_the_worker
# Smaller.
run "S check: null" 2 "$kpitree" check "$work/null.kpitree.json"
also "closes its parenthesis" 'grep -q "(a JSON object), found null" "$work/err"'
run "S check: an empty file" 2 "$kpitree" check "$work/empty.kpitree.json"
also "at 1:1, says empty" 'grep -q "empty.kpitree.json:1:1: .*the file is empty" "$work/err"'
run "S analyze: a reversed period" 0 "$kpitree" analyze "$work/reversed.kpitree.json"
also "says it ends before it starts" 'grep -q "ends (2026-04-01) before it starts (2027-03-31)" "$work/out"'
run "S check: 1e50 achievement" 0 "$kpitree" check "$work/percent.kpitree.json"
also "> 9,999 %, no inf%" 'grep -q "(> 9,999 %)" "$work/out" && ! grep -q "inf%" "$work/out"'
run "S check: a subnormal actual" 0 "$kpitree" check "$work/subnormal.kpitree.json"
also "shown as 0" 'grep -q "actual 0 件" "$work/out"'
ln -s /dev/stdout "$work/stdout.png"
run "S export -o a link to /dev/stdout (a pipe)" 2 bash -c "set -o pipefail; '$kpitree' export '$work/sales.kpitree.json' -o '$work/stdout.png' | cat"
also "is not a regular file" 'grep -q "is not a regular file" "$work/err"'
test_case "S a 3,000-character lock user (UI)" --exact ui_long_text::a_lock_of_a_three_thousand_character_user_shows_a_few_words_of_it
test_case "S a long unit on the canvas's card" --exact export_limits::a_unit_longer_than_its_card_is_cut_to_fit_it_with_an_ellipsis
echo
if [ "$failures" -gt 0 ]; then
  echo "$failures case(s) failed"
  exit 1
fi
echo "all cases as expected"
