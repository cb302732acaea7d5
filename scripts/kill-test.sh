#!/usr/bin/env bash
# Kill test (issue #8): a process saves two documents to one file, alternately,
# with kpitree's atomic save, and is killed with SIGKILL at a random moment,
# 100 times. After every kill the file must be byte for byte one of the two
# documents, and `kpitree check` must read it (exit 0 or 1, never 2).
#
#   scripts/kill-test.sh [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-100}
cargo build --release --no-default-features --quiet --example save_loop --bin kpitree
loop=target/release/examples/save_loop
kpitree=target/release/kpitree
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$loop" --expected "$work"
file="$work/doc.kpitree.json"
cp "$work/a.json" "$file"
old=0 new=0
for ((round = 1; round <= rounds; round++)); do
  "$loop" "$file" &
  pid=$!
  # 1–80 ms: from before the first write to deep into the loop.
  sleep "0.0$(printf '%02d' $((RANDOM % 80 + 1)))"
  kill -KILL "$pid"
  wait "$pid" 2>/dev/null || true
  if cmp -s "$file" "$work/a.json"; then
    old=$((old + 1))
  elif cmp -s "$file" "$work/b.json"; then
    new=$((new + 1))
  else
    echo "round $round: the file is neither document ($(wc -c <"$file") bytes)" >&2
    exit 1
  fi
  code=0
  "$kpitree" check "$file" >/dev/null || code=$?
  if [ "$code" = 2 ]; then
    echo "round $round: kpitree check cannot read the file" >&2
    exit 1
  fi
done
stray=$(find "$work" -name '.kpitree-*.tmp' | wc -l)
echo "$rounds rounds: every file complete and valid ($old times the small document, $new times the large one); $stray unfinished temporary files left beside it (never the document)"
