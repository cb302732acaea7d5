#!/usr/bin/env bash
# kpitree export vs Graphviz `dot -Tpng` on the same generated 300-node tree
# (issue #5: no slower than dot). Installs graphviz and hyperfine from Debian.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v dot >/dev/null || apt-get install -y -qq graphviz >/dev/null
command -v hyperfine >/dev/null || apt-get install -y -qq hyperfine >/dev/null
out=$(mktemp -d)
cargo build --release --no-default-features --quiet
cargo run --release --no-default-features --quiet --example tree_to_dot -- "$out"
hyperfine --warmup 2 --runs 10 \
  "target/release/kpitree export $out/tree300.kpitree.json -o $out/kpitree.png --scale 2" \
  "dot -Tpng -Gdpi=144 $out/tree300.dot -o $out/dot.png"
file "$out"/kpitree.png "$out"/dot.png 2>/dev/null || ls -l "$out"
