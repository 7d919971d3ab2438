#!/usr/bin/env bash
# macOS only: packs dist/Duka POS.app (build.spec's BUNDLE) into dist/duka-till-<version>.dmg
# with hdiutil, beside a link to /Applications to drag it onto. The till keeps its ledger in
# ~/Library/Application Support/duka-pos and its data key in the login Keychain, so deleting
# the app leaves both. Not signed or notarized here: see docs/releasing.md.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
app="$repo/dist/Duka POS.app"
[ -d "$app" ] || { echo "no $app: run pyinstaller build.spec on macOS first" >&2; exit 1; }
version="$(python3 -c 'import sys, tomllib; print(tomllib.load(open(sys.argv[1], "rb"))["project"]["version"])' "$repo/pyproject.toml")"
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
cp -R "$app" "$stage/"
ln -s /Applications "$stage/Applications"
dmg="$repo/dist/duka-till-$version.dmg"
hdiutil create -volname "Duka POS $version" -srcfolder "$stage" -fs HFS+ -format UDZO -ov "$dmg"
echo "built $dmg"
