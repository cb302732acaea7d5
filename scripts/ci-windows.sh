#!/usr/bin/env bash
# The Windows build, checked under Wine on Debian (as root or with sudo):
#
#   scripts/ci-windows.sh [--no-build] [--no-unit] [--no-gui]
#
# 1. scripts/build-windows.sh (the .exe, kpitree.com, the installer, the zip);
# 2. the command line under Wine against the Linux build of the same tree:
#    --version, templates, then for every template new, check (text and
#    --json), analyze and export to PNG/SVG/PDF, outputs compared byte for
#    byte (PNG: pixel for pixel, PDF: its pages' pixels when the bytes
#    differ), exit statuses 0/1/2, Japanese folder and file names, UTF-8
#    output, a read-only file refused, a replaced file with no temporary
#    left behind; Windows paths (backslashes, drive letters, C:\…\日本語,
#    \\?\, names Windows forbids); kpitree.com passing on the exit status
#    to cmd's ERRORLEVEL;
#    a room across systems: kpitree.exe serve under Wine, the Linux build
#    joining with room sync, a change saved by the Windows relay, a wrong
#    code refused;
# 3. the core's unit tests built for Windows and run under Wine, among them
#    the ReplaceFileW save (--no-unit skips: a second Windows build, of the
#    core alone);
# 4. the installer run silently (/S): files, Start menu entry, file
#    association, "Open with", PATH and uninstall entry in the Wine prefix,
#    `kpitree check` through PATH in cmd, the installed kpitree.exe run;
#    then the uninstaller (/S) and everything gone;
# 5. the editor under Wine on an Xvfb display of its own: the window opens
#    on the welcome tree, with glow and with KPITREE_RENDERER=wgpu, on a
#    Japanese-named file given as Explorer gives it, with glow made to fail
#    (Mesa told to offer OpenGL 1.1, as Remote Desktop does) and with an
#    unknown renderer: a message box, never a silent exit (screenshots and
#    seconds to the window in target/windows/shots/ and the log).
#
# Prints "N passed, N failed" and exits non-zero on any failure. About 5
# minutes after a warm build (20 with the unit tests' first Windows build);
# the first release build of the Windows stack takes 10-15 minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

build=1 unit=1 gui=1
for arg in "$@"; do
  case "$arg" in
    --no-build) build=0 ;;
    --no-unit) unit=0 ;;
    --no-gui) gui=0 ;;
    *) echo "usage: $0 [--no-build] [--no-unit] [--no-gui]" >&2; exit 2 ;;
  esac
done

TARGET=x86_64-pc-windows-gnu
OUT=$root/target/windows
start=$(date +%s)
step() { echo "== $1 ($(($(date +%s) - start)) s)"; }
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok   $*"; }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }
check() { # check NAME COMMAND...: ok when the command succeeds
  local name=$1; shift
  if "$@"; then ok "$name"; else bad "$name"; fi
}

step "tools"
need=()
command -v wine >/dev/null || need+=(wine wine64)
command -v x86_64-w64-mingw32-gcc >/dev/null || need+=(gcc-mingw-w64-x86-64)
command -v Xvfb >/dev/null || need+=(xvfb)
command -v xdotool >/dev/null || need+=(xdotool)
command -v import >/dev/null || need+=(imagemagick)
command -v python3 >/dev/null || need+=(python3)
command -v pdftoppm >/dev/null || need+=(poppler-utils)
command -v bc >/dev/null || need+=(bc)
# Mesa for Wine's OpenGL (llvmpipe) on the Xvfb display.
dpkg -s libgl1-mesa-dri >/dev/null 2>&1 || need+=(libgl1-mesa-dri)
if [ ${#need[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" = 0 ] || sudo=sudo
  echo "installing: ${need[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi

if [ "$build" = 1 ]; then
  step "build (scripts/build-windows.sh)"
  scripts/build-windows.sh
fi
stage=$OUT/stage
[ -f "$stage/kpitree.exe" ] || { echo "no $stage/kpitree.exe: run without --no-build" >&2; exit 1; }
step "the Linux build to compare with"
cargo build --locked --bin kpitree
linux=$root/target/debug/kpitree

# A Wine prefix of our own, and a display of our own for everything Wine
# shows (the installer and message boxes need one even when silent).
export WINEPREFIX=$OUT/wine
export WINEDEBUG=-all
export WINEDLLOVERRIDES="mscoree,mshtml=;winemenubuilder.exe=d"
display=:$((90 + RANDOM % 100))
while [ -e "/tmp/.X11-unix/X${display#:}" ]; do display=:$((90 + RANDOM % 100)); done
Xvfb "$display" -screen 0 1400x900x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
work=$(mktemp -d)
cleanup() {
  wineserver -k 2>/dev/null || true
  kill "$xvfb" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
export DISPLAY=$display
sleep 1
step "wine prefix ($WINEPREFIX)"
wineboot -i >/dev/null 2>&1 || true
wineserver -w
# Rust's standard library draws its random numbers from ProcessPrng in
# bcryptprimitives.dll, which every Windows 10 and 11 has but Wine only from
# 9.0 on (Debian 12 has 8.0): there, a stand-in for the prefix alone, built
# with mingw on RtlGenRandom. Nothing of it is shipped.
sys32=$WINEPREFIX/drive_c/windows/system32
if [ ! -e "$sys32/bcryptprimitives.dll" ]; then
  cat >"$work/bcryptprimitives.c" <<'EOF'
#include <windows.h>
BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);
__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) {
    while (len) {
        ULONG n = len > 0x10000000 ? 0x10000000 : (ULONG)len;
        if (!SystemFunction036(data, n)) return FALSE;
        data += n;
        len -= n;
    }
    return TRUE;
}
EOF
  x86_64-w64-mingw32-gcc -shared -O2 -s -o "$sys32/bcryptprimitives.dll" "$work/bcryptprimitives.c" -ladvapi32
  echo "Wine without bcryptprimitives.dll: a stand-in (ProcessPrng) put in the prefix"
fi
wine_user=$(wine cmd /c 'echo %USERNAME%' 2>/dev/null | tr -d '\r')
users="$WINEPREFIX/drive_c/users/$wine_user"
echo "wine $(wine --version), user $wine_user"

# Runs a program under Wine in $work, stdout to $1.out, stderr to $1.err;
# prints the exit status.
winrun() {
  local name=$1; shift
  local status=0
  (cd "$work" && wine "$@" >"$name.out" 2>"$name.err") || status=$?
  echo "$status"
}
linrun() {
  local name=$1; shift
  local status=0
  (cd "$work" && "$linux" "$@" >"$name.out" 2>"$name.err") || status=$?
  echo "$status"
}
# The same command on both; same status, same standard output.
same() {
  local name=$1; shift
  local ws ls
  ws=$(winrun "$name.win" "$stage/kpitree.com" "$@")
  ls=$(linrun "$name.lin" "$@")
  if [ "$ws" = "$ls" ] && cmp -s "$work/$name.win.out" "$work/$name.lin.out"; then
    ok "$name (exit $ws, output identical)"
  else
    bad "$name: exit $ws under Wine, $ls on Linux"
    diff <(head -c 3000 "$work/$name.lin.out") <(head -c 3000 "$work/$name.win.out") | head -20 || true
    head -5 "$work/$name.win.err"
  fi
}
# Two PNG files with the same pixels (pure Python: zlib and the filters).
same_pixels() {
  python3 - "$1" "$2" <<'EOF'
import struct, sys, zlib
def pixels(path):
    data = open(path, 'rb').read()
    assert data[:8] == b'\x89PNG\r\n\x1a\n', path
    pos, idat, head = 8, b'', None
    while pos < len(data):
        n, kind = struct.unpack('>I4s', data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b'IHDR': head = struct.unpack('>IIBBBBB', body)
        if kind == b'IDAT': idat += body
        pos += 12 + n
    w, h, depth, colour, _, _, interlace = head
    assert depth == 8 and interlace == 0, head
    bpp = {6: 4, 2: 3, 0: 1, 4: 2}[colour]
    raw, stride, rows, prev = zlib.decompress(idat), w * bpp, [], bytearray(w * bpp)
    for y in range(h):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if f == 1: line[i] = (line[i] + a) & 255
            elif f == 2: line[i] = (line[i] + b) & 255
            elif f == 3: line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line)); prev = line
    return (w, h, colour), b''.join(rows)
a, b = pixels(sys.argv[1]), pixels(sys.argv[2])
sys.exit(0 if a == b else 1)
EOF
}

# Two PDF files whose pages look the same, pixel for pixel (poppler at 72
# dpi). svg2pdf 0.13 writes a page's font resources in HashMap order, so two
# exports of one tree differ in bytes from run to run, on Linux too.
same_pdf_pages() {
  local a=$work/pdf-a b=$work/pdf-b page
  rm -rf "$a" "$b" && mkdir -p "$a" "$b"
  pdftoppm -r 72 -png "$1" "$a/p" && pdftoppm -r 72 -png "$2" "$b/p" || return 1
  [ "$(ls "$a")" = "$(ls "$b")" ] || return 1
  for page in "$a"/*.png; do
    same_pixels "$page" "$b/$(basename "$page")" || return 1
  done
}

step "command line under Wine"
v_lin=$("$linux" --version)
for exe in kpitree.com kpitree.exe; do
  status=$(winrun "version-$exe" "$stage/$exe" --version)
  got=$(tr -d '\r' <"$work/version-$exe.out")
  if [ "$status" = 0 ] && [ "$got" = "$v_lin" ]; then ok "$exe --version: $got"; else bad "$exe --version: exit $status, '$got' (Linux: '$v_lin')"; fi
done
same templates templates
mapfile -t templates < <("$linux" templates | awk '{print $1}')
[ "${#templates[@]}" -ge 5 ] || bad "kpitree templates listed ${#templates[@]} templates"
mkdir -p "$work/w" "$work/l"
for t in "${templates[@]}"; do
  wine_new=$(winrun "new-$t" "$stage/kpitree.com" new --template "$t" -o "w/$t.kpitree.json")
  linrun "new-$t.lin" new --template "$t" -o "l/$t.kpitree.json" >/dev/null
  if [ "$wine_new" = 0 ] && cmp -s "$work/w/$t.kpitree.json" "$work/l/$t.kpitree.json"; then
    ok "new --template $t: the same file"
  else
    bad "new --template $t (exit $wine_new)"
  fi
  # Both read the Linux-made file from the same relative path.
  same "check-$t" check "l/$t.kpitree.json" --lang ja
  same "check-json-$t" check "l/$t.kpitree.json" --json --lang en
  same "analyze-$t" analyze "l/$t.kpitree.json" --lang ja
  same "analyze-json-$t" analyze "l/$t.kpitree.json" --json
  for ext in png svg pdf; do
    ws=$(winrun "export-$t-$ext" "$stage/kpitree.com" export "l/$t.kpitree.json" -o "w/$t.$ext")
    linrun "export-$t-$ext.lin" export "l/$t.kpitree.json" -o "l/$t.$ext" >/dev/null
    if [ "$ws" != 0 ] || [ ! -s "$work/w/$t.$ext" ]; then
      bad "export $t → $ext: exit $ws: $(head -c 300 "$work/export-$t-$ext.err")"
    elif cmp -s "$work/w/$t.$ext" "$work/l/$t.$ext"; then
      ok "export $t → $ext: byte for byte ($(stat -c %s "$work/w/$t.$ext") bytes)"
    elif [ "$ext" = png ] && same_pixels "$work/w/$t.png" "$work/l/$t.png"; then
      ok "export $t → png: pixel for pixel (bytes differ)"
    elif [ "$ext" = pdf ] && same_pdf_pages "$work/w/$t.pdf" "$work/l/$t.pdf"; then
      ok "export $t → pdf: its pages pixel for pixel (bytes differ: svg2pdf's order)"
    else
      bad "export $t → $ext differs from the Linux build's"
    fi
  done
done

step "Japanese names, UTF-8, exit statuses, read-only files"
jdir="日本語のフォルダ"
mkdir -p "$work/$jdir"
cp "$work/l/sales-basic.kpitree.json" "$work/$jdir/売上 計画.kpitree.json"
same "check in $jdir" check "$jdir/売上 計画.kpitree.json" --lang ja
grep -q "売上" "$work/check in $jdir.win.out" && ok "the output is UTF-8 (売上 read back)" || bad "no UTF-8 売上 in the output"
ws=$(winrun "export-ja" "$stage/kpitree.com" export "$jdir/売上 計画.kpitree.json" -o "$jdir/図 1.png")
[ "$ws" = 0 ] && [ -s "$work/$jdir/図 1.png" ] && ok "export to $jdir/図 1.png" || bad "export to a Japanese name: exit $ws"
cp "$root/tests/data/errors.kpitree.json" "$root/tests/data/malformed.kpitree.json" "$work/"
same "model errors exit 1" check errors.kpitree.json --lang en
same "malformed JSON exit 2" check malformed.kpitree.json --lang en
ws=$(winrun malformed-msg "$stage/kpitree.com" check malformed.kpitree.json --lang en)
lin_err=$("$linux" check "$work/malformed.kpitree.json" --lang en 2>&1 >/dev/null | sed "s|$work/||") || true
grep -qF "malformed.kpitree.json" "$work/malformed-msg.err" && [ "$ws" = 2 ] \
  && ok "a malformed file: exit 2, the message names it: $(head -c 120 "$work/malformed-msg.err" | tr -d '\r')" \
  || bad "malformed file message: exit $ws: $(cat "$work/malformed-msg.err") (Linux: $lin_err)"
same "a missing file exit 2" check "ない.kpitree.json"
# Replacing an existing file: atomic, nothing left beside it.
winrun replace1 "$stage/kpitree.com" export l/sales-basic.kpitree.json -o w/replace.svg >/dev/null
ws=$(winrun replace2 "$stage/kpitree.com" export l/cost.kpitree.json -o w/replace.svg)
if [ "$ws" = 0 ] && cmp -s "$work/w/replace.svg" "$work/l/cost.svg" && ! ls -a "$work/w" | grep -q '^\.kpitree-'; then
  ok "an existing file is replaced, no temporary file left"
else
  bad "replacing w/replace.svg: exit $ws"
fi
# The read-only attribute, set the Windows way.
cp "$work/l/sales-basic.svg" "$work/w/ro.svg"
(cd "$work" && wine cmd /c attrib +r 'w\ro.svg' >/dev/null 2>&1) || true
ws=$(winrun readonly "$stage/kpitree.com" export l/cost.kpitree.json -o w/ro.svg)
if [ "$ws" = 2 ] && grep -q "read-only" "$work/readonly.err" && cmp -s "$work/w/ro.svg" "$work/l/sales-basic.svg"; then
  ok "a read-only file is refused and left as it was: $(head -c 150 "$work/readonly.err" | tr -d '\r')"
else
  bad "read-only file: exit $ws: $(cat "$work/readonly.err")"
fi

step "Windows paths: backslashes, drive letters, Japanese folders, bad names"
# The first line of `check` names the file as it was given; the rest is the
# Linux build's, line for line.
lin_rest=$(tail -n +2 "$work/check-sales-basic.lin.out")
winpath_check() { # winpath_check LABEL PATH
  local label=$1 path=$2 status first
  status=$(winrun "wp-$label" "$stage/kpitree.com" check "$path" --lang ja)
  first=$(head -1 "$work/wp-$label.out" | tr -d '\r')
  if [ "$status" = 0 ] && [ "${first#"$path "}" != "$first" ] && [ "$(tail -n +2 "$work/wp-$label.out")" = "$lin_rest" ]; then
    ok "check $label: $path"
  else
    bad "check $label '$path': exit $status, first line '$first': $(head -c 300 "$work/wp-$label.err")"
  fi
}
winpath_export() { # winpath_export LABEL OUT-AS-WINDOWS-SEES-IT OUT-ON-LINUX REFERENCE
  local label=$1 out=$2 file=$3 ref=$4 status
  status=$(winrun "wx-$label" "$stage/kpitree.com" export 'l\sales-basic.kpitree.json' -o "$out")
  if [ "$status" = 0 ] && cmp -s "$file" "$ref"; then
    ok "export $label: $out"
  elif [ "$status" = 0 ] && [ "${ref##*.}" = png ] && same_pixels "$file" "$ref"; then
    ok "export $label: $out (pixel for pixel)"
  elif [ "$status" = 0 ] && [ "${ref##*.}" = pdf ] && same_pdf_pages "$file" "$ref"; then
    ok "export $label: $out (its pages pixel for pixel)"
  else
    bad "export $label '$out': exit $status: $(head -c 300 "$work/wx-$label.err")"
  fi
}
winpath_check "backslashes" 'l\sales-basic.kpitree.json'
winpath_check "dot-backslash" '.\l\..\l\sales-basic.kpitree.json'
winpath_check "drive letter" "$(winepath -w "$work/l/sales-basic.kpitree.json")"
winpath_check "drive letter, slashes" "$(winepath -w "$work/l/sales-basic.kpitree.json" | tr '\\' /)"
# C: is the prefix's own drive: a Japanese folder under the user's profile.
cdir="$users/kpitree-ci/日本語 フォルダ"
rm -rf "$users/kpitree-ci" && mkdir -p "$cdir"
cp "$work/l/sales-basic.kpitree.json" "$cdir/売上 計画.kpitree.json"
cwin="C:\\users\\$wine_user\\kpitree-ci\\日本語 フォルダ"
winpath_check "C: and Japanese names" "$cwin\\売上 計画.kpitree.json"
winpath_check "a long-path prefix" "\\\\?\\$cwin\\売上 計画.kpitree.json"
winpath_export "backslashes" 'w\bs.svg' "$work/w/bs.svg" "$work/l/sales-basic.svg"
winpath_export "drive letter" "$(winepath -w "$work/w")\\drive.png" "$work/w/drive.png" "$work/l/sales-basic.png"
winpath_export "C: and Japanese names" "$cwin\\図 1.pdf" "$cdir/図 1.pdf" "$work/l/sales-basic.pdf"
# What cannot be a file name on Windows, a drive that does not exist, a
# file given as a folder: exit 2, a message that names the path, no panic.
refuse() { # refuse LABEL ARGS...
  local label=$1 status; shift
  status=$(winrun "wr-$label" "$stage/kpitree.com" "$@")
  local err
  err=$(tr -d '\r' <"$work/wr-$label.err")
  if [ "$status" = 2 ] && ! grep -q panicked <<<"$err" && grep -qF "${*: -1}" <<<"$err"; then
    ok "$label: exit 2: $(head -c 160 <<<"$err")"
  else
    bad "$label: exit $status: $(head -c 300 <<<"$err")"
  fi
}
refuse "a name Windows forbids" export 'l\sales-basic.kpitree.json' -o 'w\a<b>?.svg'
grep -q "not a valid file name" "$work/wr-a name Windows forbids.err" && ok "… and says it is not a valid file name" \
  || bad "the message for a forbidden name does not say so"
refuse "a drive that does not exist" check 'Q:\ない\売上.kpitree.json'
mkdir -p "$cdir/フォルダ.svg"
refuse "a folder given as the output" export 'l\sales-basic.kpitree.json' -o "$cwin\\フォルダ.svg"
ls "$work/w" | grep -q '^a' && bad "a file named after the forbidden name was made" || true

# kpitree.com in cmd: waits for kpitree.exe and passes its status on.
# (cmd's own exit status is the last ERRORLEVEL: not one that stops this script;
# /v:on and !ERRORLEVEL!: read after the command ran, not when the line was read.)
status=$( (cd "$work" && wine cmd /v:on /c "$(winepath -w "$stage/kpitree.com") check errors.kpitree.json --lang en >NUL 2>NUL & echo status=!ERRORLEVEL!" || true) 2>/dev/null | tr -d '\r' | sed -n 's/.*status=//p')
[ "$status" = 1 ] && ok "kpitree.com in cmd sets ERRORLEVEL 1 for a model with errors" || bad "kpitree.com in cmd: ERRORLEVEL '$status'"

step "a room across: kpitree.exe serve under Wine, the Linux build as participant"
room=$work/room
mkdir -p "$room"
"$linux" new -t sales-basic -o "$room/hosted.kpitree.json" >/dev/null
(cd "$room" && timeout 120 wine "$stage/kpitree.exe" serve hosted.kpitree.json --bind 127.0.0.1 --port 7979 \
  --code 555111 --lang en >serve.log 2>&1 &)
for _ in $(seq 1 60); do grep -q "Room open" "$room/serve.log" 2>/dev/null && break; sleep 1; done
check "serve prints where the room is open" grep -q "Room open at 127.0.0.1:7979, code 555111" "$room/serve.log"
check "room sync writes the room's tree and its state" \
  sh -c "'$linux' room sync 127.0.0.1:7979 --code 555111 '$room/mine.kpitree.json' --lang en >/dev/null && [ -s '$room/mine.kpitree.json.loro' ]"
sed -i 's/"name": "顧客数"/"name": "窓越しの顧客数"/' "$room/mine.kpitree.json"
check "a second sync sends the change" \
  sh -c "'$linux' room sync 127.0.0.1:7979 --code 555111 '$room/mine.kpitree.json' --lang en >/dev/null"
for _ in $(seq 1 20); do grep -q "窓越しの顧客数" "$room/hosted.kpitree.json" && break; sleep 0.5; done
check "the Windows relay saved the change to its file (and its state beside it)" \
  sh -c "grep -q 窓越しの顧客数 '$room/hosted.kpitree.json' && [ -s '$room/hosted.kpitree.json.loro' ]"
check "a wrong code is refused by the Windows relay" \
  sh -c "'$linux' room sync 127.0.0.1:7979 --code 000000 '$room/other.kpitree.json' --lang en 2>&1 | grep -q 'wrong room code'"
pkill -f "kpitree.exe serve" 2>/dev/null || true

if [ "$unit" = 1 ]; then
  step "the core's unit tests, built for Windows, under Wine"
  log=$OUT/unit-tests.log
  if CARGO_TARGET_X86_64_PC_WINDOWS_GNU_RUNNER=wine cargo test --locked --target "$TARGET" --no-default-features --lib >"$log" 2>&1; then
    ok "unit tests under Wine: $(grep '^test result' "$log" | tail -1)"
  else
    bad "unit tests under Wine ($log):"
    grep -E "^test .* FAILED|panicked" "$log" | head -20
  fi
fi

step "installer, silently"
setup=$(ls -t "$OUT"/kpitree-*-setup.exe | head -1)
wine "$setup" /S >/dev/null 2>&1 || true
wineserver -w
inst="$users/AppData/Local/Programs/kpitree"
for f in kpitree.exe kpitree.com uninstall.exe licenses/LICENSE-MIT licenses/OFL-BIZ-UDPGothic.txt; do
  [ -f "$inst/$f" ] && ok "installed: $f" || bad "not installed: $inst/$f"
done
menu="$users/AppData/Roaming/Microsoft/Windows/Start Menu/Programs/kpitree.lnk"
[ -f "$menu" ] && ok "Start menu entry: ${menu#"$WINEPREFIX"/}" || bad "no Start menu entry at $menu"
reg() { wine reg query "$@" 2>/dev/null | tr -d '\r'; }
reg 'HKCU\Software\Classes\kpitree.document\shell\open\command' | grep -qi 'kpitree.exe" "%1"' \
  && ok "file association: kpitree.document opens \"…kpitree.exe\" \"%1\"" || bad "no open command for kpitree.document"
reg 'HKCU\Software\Classes\kpitree.document\DefaultIcon' | grep -qi 'kpitree.exe,0' && ok "file association icon" || bad "no DefaultIcon"
reg 'HKCU\Software\Classes\.kpitree.json' | grep -q 'kpitree.document' && ok ".kpitree.json → kpitree.document" || bad "no .kpitree.json key"
reg 'HKCU\Software\Classes\.json\OpenWithProgids' | grep -q 'kpitree.document' && ok "\"Open with\" for .json" || bad "no OpenWithProgids for .json"
reg 'HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\kpitree' | grep -q 'QuietUninstallString' && ok "uninstall entry (Apps & features)" || bad "no uninstall entry"
reg 'HKCU\Environment' /v Path | grep -qi 'Programs\\kpitree' && ok "kpitree's folder on the user's PATH" || bad "PATH not set"
cp "$work/l/sales-basic.kpitree.json" "$work/installed.kpitree.json"
status=$( (cd "$work" && wine cmd /v:on /c "kpitree check installed.kpitree.json --lang en >NUL & echo status=!ERRORLEVEL!" || true) 2>/dev/null | tr -d '\r' | sed -n 's/.*status=//p')
[ "$status" = 0 ] && ok "\`kpitree check\` found through PATH in a new cmd (kpitree.com), ERRORLEVEL 0" || bad "kpitree through PATH: '$status'"
status=$(winrun installed-version "$inst/kpitree.exe" --version)
[ "$status" = 0 ] && [ "$(tr -d '\r' <"$work/installed-version.out")" = "$v_lin" ] \
  && ok "the installed kpitree.exe runs: $v_lin" || bad "installed kpitree.exe --version: exit $status"
wine "$inst/uninstall.exe" /S >/dev/null 2>&1 || true
wineserver -w
sleep 2
wineserver -w
[ ! -e "$inst/kpitree.exe" ] && [ ! -e "$inst" ] && ok "uninstalled: the folder is gone" || bad "left after uninstall: $(ls -A "$inst" 2>&1)"
[ ! -e "$menu" ] && ok "uninstalled: no Start menu entry" || bad "Start menu entry left"
# (`reg query` says "Unable to find" on standard output: its status tells.)
gone() { ! wine reg query "$1" >/dev/null 2>&1; }
gone 'HKCU\Software\Classes\kpitree.document' && ok "uninstalled: no kpitree.document" || bad "kpitree.document left in the registry"
gone 'HKCU\Software\Classes\.kpitree.json' && ok "uninstalled: no .kpitree.json key" || bad ".kpitree.json left in the registry"
reg 'HKCU\Software\Classes\.json\OpenWithProgids' | grep -q 'kpitree.document' && bad "OpenWithProgids left" || ok "uninstalled: not in \"Open with\""
reg 'HKCU\Environment' /v Path | grep -qi 'Programs\\kpitree' && bad "PATH still has kpitree" || ok "uninstalled: PATH without kpitree"
gone 'HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\kpitree' && ok "uninstalled: no uninstall entry" || bad "uninstall entry left"

if [ "$gui" = 1 ]; then
  step "the editor under Wine on $DISPLAY"
  shots=$OUT/shots
  rm -rf "$shots" && mkdir -p "$shots"
  # Starts the editor (arguments $4…) with extra environment $2, waits up to
  # 60 s for a window named $3, takes a screenshot to $shots/$1.png, then
  # closes it.
  window() {
    local name=$1 env=$2 title=$3 id=""
    shift 3
    # shellcheck disable=SC2086
    (cd "$work" && env $env wine "$stage/kpitree.exe" "$@" >"$work/gui-$name.out" 2>"$work/gui-$name.err") &
    local pid=$! t0
    t0=$(date +%s%N)
    for _ in $(seq 300); do
      id=$(xdotool search --onlyvisible --name "$title" 2>/dev/null | head -1) || true
      [ -n "$id" ] && break
      sleep 0.2
    done
    if [ -n "$id" ]; then
      # Seconds from `wine kpitree.exe` to a visible window (Wine, llvmpipe).
      echo "scale=1; ($(date +%s%N) - $t0) / 1000000000" | bc >"$work/gui-$name.time"
      sleep 4
      import -window root "$shots/$name.png" 2>/dev/null || true
      echo "$id"
    fi
    wineserver -k 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  }
  for mode in glow wgpu; do
    id=$(window "editor-$mode" "KPITREE_RENDERER=$mode" "kpitree")
    # A renderer's first attempt may fail (wgpu: DirectX 12 under Wine) and
    # the next draw (wgpu: Vulkan): only the final message means no window.
    if [ -n "$id" ] && ! grep -q "could not be opened" "$work/gui-editor-$mode.err"; then
      ok "the editor opens with $mode in $(cat "$work/gui-editor-$mode.time") s (shots/editor-$mode.png)$(grep -o 'cannot open the window: [^:]*' "$work/gui-editor-$mode.err" | head -1 | sed 's/^/ after: /')"
    elif [ -n "$id" ]; then
      ok "with $mode no window: a message box says why (shots/editor-$mode.png): $(head -c 200 "$work/gui-editor-$mode.err")"
    else
      bad "with $mode: no window and no message box: $(head -c 300 "$work/gui-editor-$mode.err")"
    fi
  done
  # As Explorer starts it for a double-clicked file: one argument, a full
  # Windows path with Japanese names; the title names the file.
  id=$(window "editor-file" "" "売上 計画" "$cwin\\売上 計画.kpitree.json")
  [ -n "$id" ] && ok "the editor opens $cwin\\売上 計画.kpitree.json (shots/editor-file.png)" \
    || bad "no window for a file given as Explorer gives it: $(head -c 300 "$work/gui-editor-file.err")"
  # Remote Desktop offers OpenGL 1.1: glow refuses it, wgpu is tried next.
  id=$(window "editor-gl11" "MESA_GL_VERSION_OVERRIDE=1.1" "kpitree")
  if grep -q "glow renderer cannot open the window" "$work/gui-editor-gl11.err" && [ -n "$id" ]; then
    ok "OpenGL 1.1: glow refused, then wgpu or a message box (shots/editor-gl11.png): $(tr -d '\r' <"$work/gui-editor-gl11.err" | head -c 300)"
  else
    bad "OpenGL 1.1: $(head -c 300 "$work/gui-editor-gl11.err") (window: ${id:-none})"
  fi
  id=$(window "editor-unknown" "KPITREE_RENDERER=vulkan" "kpitree")
  [ -n "$id" ] && grep -q "KPITREE_RENDERER=vulkan" "$work/gui-editor-unknown.err" \
    && ok "an unknown renderer: a message box (shots/editor-unknown.png)" || bad "unknown renderer: no message box"
  ls -l "$shots"
fi

step "done"
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
