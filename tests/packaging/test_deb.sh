#!/usr/bin/env bash
# Packaging test: build the .deb, check contents and metadata, install it, run the installed
# CLI (version + a demo-pack generate) and app (offscreen), remove it, check nothing is left.
set -euo pipefail
BUILD="$1"
OUT="$BUILD/test-scratch/packaging"
rm -rf "$OUT" && mkdir -p "$OUT"
step() { printf '== %s\n' "$*"; }
fail() { printf 'FAIL: %s\n' "$*" >&2; exit 1; }

for tool in cpack dpkg-deb desktop-file-validate appstreamcli; do
  command -v "$tool" >/dev/null || { echo "skipping: $tool is not installed"; exit 77; }
done

step "cpack -G DEB"
cpack --config "$BUILD/CPackConfig.cmake" -G DEB -B "$OUT" >"$OUT/cpack.log" 2>&1 || { cat "$OUT/cpack.log"; fail "cpack failed"; }
deb=$(ls "$OUT"/seedcanvas_*.deb)
step "metadata of $(basename "$deb")"
dpkg-deb -I "$deb" >"$OUT/info.txt"
cat "$OUT/info.txt"
grep -q '^ Package: seedcanvas$' "$OUT/info.txt" || fail "package name"
grep -q "^ Version: $(grep -oP 'CPACK_PACKAGE_VERSION "\K[^"]+' "$BUILD/CPackConfig.cmake")" "$OUT/info.txt" || fail "version"
grep -q '^ Depends:.*libtorch' "$OUT/info.txt" || fail "Depends was not computed by dpkg-shlibdeps (no libtorch)"
grep -q '^ Depends:.*libqt6' "$OUT/info.txt" || fail "Depends lacks Qt"

step "contents"
dpkg-deb -c "$deb" | awk '{print $6}' | sed 's#^\./#/#' >"$OUT/contents.txt"
for f in /usr/bin/seedcanvas /usr/bin/seedcanvas-cli /usr/share/applications/org.seedcanvas.SeedCanvas.desktop \
         /usr/share/metainfo/org.seedcanvas.SeedCanvas.metainfo.xml /usr/share/man/man1/seedcanvas-cli.1 \
         /usr/share/icons/hicolor/scalable/apps/org.seedcanvas.SeedCanvas.svg \
         /usr/share/icons/hicolor/48x48/apps/org.seedcanvas.SeedCanvas.png \
         /usr/share/seedcanvas/demo-pack/seedcanvas-pack.json /usr/share/doc/seedcanvas/LICENSE; do
  grep -qx "$f" "$OUT/contents.txt" || fail "missing from the package: $f"
done
grep -q '/usr/lib/.*seedcanvas/libseedcanvas_spm.so' "$OUT/contents.txt" || fail "missing the SentencePiece plugin"
ls "$OUT"/_CPack_Packages >/dev/null 2>&1 || true

step "desktop-file-validate and appstreamcli validate"
mkdir -p "$OUT/x" && dpkg-deb -x "$deb" "$OUT/x"
desktop-file-validate "$OUT/x/usr/share/applications/org.seedcanvas.SeedCanvas.desktop"
appstreamcli validate --no-net "$OUT/x/usr/share/metainfo/org.seedcanvas.SeedCanvas.metainfo.xml"

if [ "$(id -u)" -ne 0 ]; then echo "skipping install steps: not root"; exit 77; fi
step "apt install ./$(basename "$deb")"
DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$deb" >"$OUT/install.log" 2>&1 || { cat "$OUT/install.log"; fail "install"; }
trap 'DEBIAN_FRONTEND=noninteractive apt-get remove -y seedcanvas >/dev/null 2>&1 || true' EXIT

step "installed CLI"
/usr/bin/seedcanvas-cli --version | grep -q "seedcanvas-cli" || fail "--version"
/usr/bin/seedcanvas-cli generate --pack /usr/share/seedcanvas/demo-pack --seed 3 --steps 2 "a red fox" -o "$OUT/fox.png"
[ -s "$OUT/fox.png" ] || fail "generate wrote no image"
step "installed app, offscreen, 3 s"
HOME="$OUT/home" QT_QPA_PLATFORM=offscreen timeout 60 /usr/bin/seedcanvas --quit-after 3000 || fail "app did not start and quit cleanly"

step "remove"
DEBIAN_FRONTEND=noninteractive apt-get remove -y seedcanvas >"$OUT/remove.log" 2>&1 || { cat "$OUT/remove.log"; fail "remove"; }
trap - EXIT
left=0
while read -r f; do
  [ -f "$f" ] && { echo "left behind: $f"; left=1; }
done <"$OUT/contents.txt"
[ "$left" -eq 0 ] || fail "files left after removal"
echo "packaging_deb: all checks passed"
