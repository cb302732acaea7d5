#!/usr/bin/env bash
# Seeds the fuzz corpus with every test document and template.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p fuzz/corpus/load
cp tests/data/*.json fuzz/corpus/load/ 2>/dev/null || true
cp assets/templates/*.json fuzz/corpus/load/
ls fuzz/corpus/load | wc -l
