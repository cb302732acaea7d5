#!/usr/bin/env bash
# Builds kpitree.app on macOS (not run on this project's Linux CI):
#   packaging/macos/make-app.sh   →   target/macos/kpitree.app
# Needs Xcode's command line tools (iconutil, sips).
set -euo pipefail
cd "$(dirname "$0")/../.."
cargo build --release
app=target/macos/kpitree.app
rm -rf "$app" && mkdir -p "$app/Contents/MacOS" "$app/Contents/Resources"
cp target/release/kpitree "$app/Contents/MacOS/"
cp packaging/macos/Info.plist "$app/Contents/"
iconset=target/macos/kpitree.iconset && mkdir -p "$iconset"
for s in 16 32 128 256 512; do
  cp "assets/icons/kpitree-$s.png" "$iconset/icon_${s}x${s}.png"
done
for s in 16 32 128 256; do
  cp "assets/icons/kpitree-$((s * 2)).png" "$iconset/icon_${s}x${s}@2x.png" 2>/dev/null \
    || sips -z $((s * 2)) $((s * 2)) "assets/icons/kpitree-512.png" --out "$iconset/icon_${s}x${s}@2x.png"
done
iconutil -c icns "$iconset" -o "$app/Contents/Resources/kpitree.icns"
cp LICENSE-MIT LICENSE-APACHE assets/fonts/OFL.txt "$app/Contents/Resources/"
echo "built $app"
