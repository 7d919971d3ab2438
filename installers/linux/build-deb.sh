#!/usr/bin/env bash
# Packs the PyInstaller bundle into a .deb with dpkg-deb (no network, no extra tooling):
#   bash installers/linux/build-deb.sh [BUNDLE_DIR] [OUT_DIR]   (defaults: dist/duka-till, dist)
# The till goes to /opt/duka-till (a one-folder bundle cannot be split across /usr), with
# /usr/bin/duka-till, a desktop entry, icons and a udev rule for USB printers and scanners.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
bundle="$(cd "${1:-$repo/dist/duka-till}" && pwd)"
out="${2:-$repo/dist}"

# pyproject.toml is the version's one home; the bundle must report the same (it reads the
# metadata build.spec copied in), or the virtual environment's install is stale.
version="$(python3 -c 'import sys, tomllib; print(tomllib.load(open(sys.argv[1], "rb"))["project"]["version"])' "$repo/pyproject.toml")"
reported="$(QT_QPA_PLATFORM=offscreen "$bundle/duka-till" --version)"
if [ "$reported" != "duka-till $version" ]; then
    echo "the bundle says '$reported' but pyproject.toml says $version: rebuild it" >&2
    exit 1
fi
# PEP 440 pre-releases (1.2.0rc1) sort before the release in Debian only with a tilde
deb_version="$(echo "$version" | sed -E 's/^([0-9.]+)(a|b|rc)/\1~\2/')"
arch="$(dpkg --print-architecture)"
stage="${DEB_STAGE_DIR:-$repo/build/deb}/duka-till_${deb_version}_${arch}"

rm -rf "$stage"
mkdir -p "$stage/DEBIAN" "$stage/opt" "$stage/usr/bin" "$stage/usr/share/applications" \
    "$stage/usr/lib/udev/rules.d" "$stage/usr/share/doc/duka-till" \
    "$stage/usr/share/icons/hicolor/scalable/apps" \
    "$stage/usr/share/icons/hicolor/48x48/apps" "$stage/usr/share/icons/hicolor/256x256/apps"
cp -a "$bundle" "$stage/opt/duka-till"
ln -s ../../opt/duka-till/duka-till "$stage/usr/bin/duka-till"
install -m 0644 "$here/duka-till.desktop" "$stage/usr/share/applications/duka-till.desktop"
install -m 0644 "$here/60-duka-till.rules" "$stage/usr/lib/udev/rules.d/60-duka-till.rules"
icons="$repo/resources/icons"
install -m 0644 "$icons/duka-till.svg" "$stage/usr/share/icons/hicolor/scalable/apps/duka-till.svg"
install -m 0644 "$icons/duka-till-48.png" "$stage/usr/share/icons/hicolor/48x48/apps/duka-till.png"
install -m 0644 "$icons/duka-till-256.png" "$stage/usr/share/icons/hicolor/256x256/apps/duka-till.png"
printf 'Duka POS till %s\nLicense: MIT\nBundled: Qt 6 / PySide6 (LGPLv3), DejaVu fonts (see /opt/duka-till/_internal/resources/fonts).\n' \
    "$version" > "$stage/usr/share/doc/duka-till/copyright"
install -m 0755 "$here/postinst" "$here/postrm" "$stage/DEBIAN/"
# The Qt libraries the bundle links to but does not carry (the same list as README.md's)
cat > "$stage/DEBIAN/control" <<CONTROL
Package: duka-till
Version: $deb_version
Architecture: $arch
Maintainer: Duka POS developers <packaging@duka-pos.invalid>
Section: misc
Priority: optional
Installed-Size: $(du -sk "$stage" | cut -f1)
Depends: libc6, libglib2.0-0 | libglib2.0-0t64, libegl1, libgl1, libx11-6, libdbus-1-3,
 libfontconfig1, libxkbcommon0, libxkbcommon-x11-0, libxcb-cursor0, libxcb-icccm4,
 libxcb-image0, libxcb-keysyms1, libxcb-render-util0, libxcb-shape0, libxcb-xkb1
Recommends: gnome-keyring, cups
Description: Duka POS offline-first point-of-sale till
 A till for small shops: sells offline, takes M-Pesa, Paystack, Flutterwave and
 card payments when online, prints receipts. The shop's data stays in each
 user's ~/.local/share/duka-pos and is kept when the package is removed or
 purged. USB receipt printers and scanners are opened by the user at the
 till's seat, or by members of the duka-pos group.
CONTROL
chmod -R u+rwX,go+rX,go-w "$stage"
mkdir -p "$out"
dpkg-deb --root-owner-group -Zxz --build "$stage" "$out" >/dev/null
deb="$out/duka-till_${deb_version}_${arch}.deb"
echo "built $deb ($(du -h "$deb" | cut -f1))"
