#!/usr/bin/env bash
# Builds the Debian package and checks it with the ecosystem's own tools
# (issue #27); CI runs it, and so can anyone before a release:
#
#   scripts/package.sh            # cargo deb, then every check below
#   scripts/package.sh FILE.deb   # only the checks, on a package built before
#
# Fails (exit 1) on any lintian error or warning, an AppStream metainfo that
# appstreamcli --pedantic or appstream-util refuses, man pages or shell
# completions that are not the ones the binary makes, or a JSON Schema that
# differs from `kpitree schema`. Needs cargo-deb, lintian, appstream (and
# appstream-util from appstream-util, if installed: it is checked when present).
set -euo pipefail
cd "$(dirname "$0")/.."
failed=0
fail() { echo "FAILED: $*" >&2; failed=1; }

deb=${1:-}
if [ -z "$deb" ]; then
  cargo deb
  deb=$(ls -t target/debian/kpitree_*.deb | head -n 1)
fi
echo "== $deb"

echo "== lintian"
lintian --fail-on error,warning --info "$deb" || fail "lintian"

metainfo=packaging/linux/io.github.kpitree.kpitree.metainfo.xml
echo "== appstreamcli validate --pedantic"
appstreamcli validate --pedantic --no-net "$metainfo" || fail "appstreamcli"
if command -v appstream-util >/dev/null; then
  echo "== appstream-util validate"
  appstream-util validate --nonet "$metainfo" || fail "appstream-util"
fi

# What the package holds is what its binary makes.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dpkg-deb -x "$deb" "$work"
bin="$work/usr/bin/kpitree"
echo "== man pages and completions"
mkdir "$work/made"
"$bin" man --dir "$work/made" >/dev/null
[ "$(ls "$work/made" | wc -l)" = "$(ls "$work"/usr/share/man/man1 | wc -l)" ] || fail "the package lacks a man page"
for page in "$work"/usr/share/man/man1/*.1.gz; do
  name=$(basename "$page" .gz)
  gzip -dc "$page" | cmp -s - "$work/made/$name" || fail "$name is not what the binary makes"
  man -l "$page" >/dev/null 2>&1 || fail "$name does not render"
done
cmp -s <("$bin" completions bash) "$work/usr/share/bash-completion/completions/kpitree" || fail "bash completion"
cmp -s <("$bin" completions zsh) "$work/usr/share/zsh/vendor-completions/_kpitree" || fail "zsh completion"
cmp -s <("$bin" completions fish) "$work/usr/share/fish/vendor_completions.d/kpitree.fish" || fail "fish completion"
cmp -s <("$bin" schema) "$work/usr/share/kpitree/kpitree.schema.json" || fail "the JSON Schema"

[ "$failed" = 0 ] && echo "== all package checks passed"
exit "$failed"
