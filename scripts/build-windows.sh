#!/usr/bin/env bash
# Builds kpitree for Windows (x86_64) on Debian, as root or with sudo:
#   scripts/build-windows.sh            → target/windows/
#     kpitree-VERSION-setup.exe           per-user NSIS installer (no admin rights)
#     kpitree-VERSION-windows-x64.zip     portable: kpitree.exe, kpitree.com, licences
#     stage/                              what both hold
#     SHA256SUMS
#
# Idempotent: installs only what is missing (the mingw-w64 linker and
# windres, NSIS, zip, osslsigncode; the Rust target through rustup) and
# rebuilds only what changed (cargo). A cold build of the editor for Windows
# takes about 10 minutes on two cores.
#
# Signing (Authenticode, osslsigncode), only when a certificate is given:
#   KPITREE_SIGN_PKCS12=cert.p12  KPITREE_SIGN_PASSWORD=… (or KPITREE_SIGN_PASSWORD_FILE=…)
#   KPITREE_SIGN_TIMESTAMP=http://timestamp.example   (optional RFC 3161 server)
# signs kpitree.exe, kpitree.com, the uninstaller and the installer. Without
# one, everything is unsigned (packaging/windows/README.md says what SmartScreen shows).
set -euo pipefail
cd "$(dirname "$0")/.."

TARGET=x86_64-pc-windows-gnu
OUT=target/windows
VERSION=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -1)
start=$(date +%s)
step() { echo "== $1 ($(($(date +%s) - start)) s)"; }

step "tools"
need=()
command -v x86_64-w64-mingw32-gcc >/dev/null || need+=(gcc-mingw-w64-x86-64)
command -v x86_64-w64-mingw32-windres >/dev/null || need+=(binutils-mingw-w64-x86-64)
command -v makensis >/dev/null || need+=(nsis)
command -v zip >/dev/null || need+=(zip)
command -v osslsigncode >/dev/null || need+=(osslsigncode)
if [ ${#need[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" = 0 ] || sudo=sudo
  echo "installing: ${need[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi
if ! rustup target list --installed | grep -qx "$TARGET"; then
  rustup target add "$TARGET"
fi

step "cargo build --release --target $TARGET"
# kpitree.exe (the editor and the commands) and kpitree-console.exe, which
# ships as kpitree.com (src/bin/kpitree-console.rs).
cargo build --release --locked --target "$TARGET" --features windows-console --bins
bin="target/$TARGET/release"

step "stage"
rm -rf "$OUT/stage"
mkdir -p "$OUT/stage/licenses"
cp "$bin/kpitree.exe" "$OUT/stage/kpitree.exe"
cp "$bin/kpitree-console.exe" "$OUT/stage/kpitree.com"
# The symbols (most of a mingw release build) stay in target/ for debugging.
x86_64-w64-mingw32-strip "$OUT/stage/kpitree.exe" "$OUT/stage/kpitree.com"
cp LICENSE-MIT LICENSE-APACHE "$OUT/stage/licenses/"
cp assets/fonts/OFL.txt "$OUT/stage/licenses/OFL-BIZ-UDPGothic.txt"
# Windows' system DLLs only: anything else would have to ship beside it.
for exe in "$OUT/stage/kpitree.exe" "$OUT/stage/kpitree.com"; do
  dlls=$(x86_64-w64-mingw32-objdump -p "$exe" | sed -n 's/^\s*DLL Name: //p' | sort -u)
  foreign=$(grep -viE '^(kernel32|user32|gdi32|advapi32|shell32|ole32|oleaut32|comdlg32|comctl32|uxtheme|dwmapi|imm32|opengl32|ws2_32|userenv|bcrypt|ntdll|crypt32|secur32|shlwapi|version|winmm|setupapi|propsys|d3d12|dxgi|d3dcompiler_47|dcomp|powrprof|cfgmgr32|hid|msvcrt|bcryptprimitives|combase|uiautomationcore|api-ms-win-[a-z0-9-]+)\.dll$' <<<"$dlls" || true)
  if [ -n "$foreign" ]; then
    echo "$exe needs DLLs that Windows does not have: $foreign" >&2
    exit 1
  fi
done

sign_cmd=""
if [ -n "${KPITREE_SIGN_PKCS12:-}" ]; then
  step "sign"
  [ -f "$KPITREE_SIGN_PKCS12" ] || { echo "KPITREE_SIGN_PKCS12=$KPITREE_SIGN_PKCS12: no such file" >&2; exit 1; }
  # One helper that signs a file in place, for this script and for NSIS
  # (!finalize and !uninstfinalize run it on the installer and uninstaller).
  sign="$PWD/$OUT/sign.sh"
  {
    echo '#!/usr/bin/env bash'
    echo 'set -euo pipefail'
    printf 'args=(-pkcs12 %q -n kpitree -h sha256)\n' "$(realpath "$KPITREE_SIGN_PKCS12")"
    if [ -n "${KPITREE_SIGN_PASSWORD_FILE:-}" ]; then
      printf 'args+=(-readpass %q)\n' "$(realpath "$KPITREE_SIGN_PASSWORD_FILE")"
    fi
    echo 'if [ -n "${KPITREE_SIGN_PASSWORD:-}" ]; then args+=(-pass "$KPITREE_SIGN_PASSWORD"); fi'
    echo 'if [ -n "${KPITREE_SIGN_TIMESTAMP:-}" ]; then args+=(-ts "$KPITREE_SIGN_TIMESTAMP"); fi'
    echo 'osslsigncode sign "${args[@]}" -in "$1" -out "$1.signed" >/dev/null'
    echo 'mv -f "$1.signed" "$1"'
  } >"$sign"
  chmod 700 "$sign"
  "$sign" "$OUT/stage/kpitree.exe"
  "$sign" "$OUT/stage/kpitree.com"
  sign_cmd="$sign \"%1\""
else
  echo "unsigned (no KPITREE_SIGN_PKCS12)"
fi

step "installer (NSIS)"
setup="$OUT/kpitree-$VERSION-setup.exe"
rm -f "$setup"
nsis_args=(-V2 -INPUTCHARSET UTF8 "-DVERSION=$VERSION" "-DSTAGE=$PWD/$OUT/stage" "-DOUTFILE=$PWD/$setup")
[ -z "$sign_cmd" ] || nsis_args+=("-DSIGN=$sign_cmd")
makensis "${nsis_args[@]}" packaging/windows/kpitree.nsi

step "portable zip"
zipfile="$OUT/kpitree-$VERSION-windows-x64.zip"
rm -rf "$OUT/zip" "$zipfile"
mkdir -p "$OUT/zip"
cp -r "$OUT/stage" "$OUT/zip/kpitree-$VERSION"
(cd "$OUT/zip" && TZ=UTC zip -q -X -r "../$(basename "$zipfile")" "kpitree-$VERSION")
rm -rf "$OUT/zip"

(cd "$OUT" && sha256sum "$(basename "$setup")" "$(basename "$zipfile")" >SHA256SUMS)
step "done"
ls -l "$OUT/stage/kpitree.exe" "$OUT/stage/kpitree.com" "$setup" "$zipfile" | awk '{print $5, $9}'
