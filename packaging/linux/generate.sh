#!/bin/sh
# Regenerates the manual pages and shell completions that the Debian package
# ships, from the clap definitions of the kpitree binary (the tests fail when
# the committed files differ from what the binary makes):
#   packaging/linux/generate.sh [path/to/kpitree]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
bin=${1:-}
if [ -z "$bin" ]; then
  cargo build --quiet --no-default-features --bin kpitree
  bin="$here/../../target/debug/kpitree"
fi
mkdir -p "$here/man" "$here/completions"
rm -f "$here"/man/*.1
"$bin" man --dir "$here/man" >/dev/null
"$bin" completions bash >"$here/completions/kpitree"
"$bin" completions zsh >"$here/completions/_kpitree"
"$bin" completions fish >"$here/completions/kpitree.fish"
"$bin" completions powershell >"$here/completions/kpitree.ps1"
"$bin" completions elvish >"$here/completions/kpitree.elv"
echo "wrote $here/man and $here/completions"
