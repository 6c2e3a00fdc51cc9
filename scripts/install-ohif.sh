#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs the prebuilt OHIF viewer (@ohif/app, pinned) for StudyShare's
# "StudyShare.Ohif.Folder" setting. Only the package tarball is fetched (npm pack:
# no dependency is installed, no install script runs); its dist/ folder is a
# ready-to-serve build. The tarball's sha512 is checked against the value pinned
# below (the one the npm registry publishes as dist.integrity for this version).
#
# Idempotent and quiet when already installed: prints only the folder to put in
# "StudyShare": {"Ohif": {"Folder": ...}}. Leave OHIF out by not running this and
# not setting Ohif.Folder.
set -euo pipefail

OHIF_VERSION=3.12.10
OHIF_INTEGRITY='sha512-0kuF66Mq9c9dMD++bUsTjMrJpXJwaZhz9B4uS244DawAjSkTwIYFU93pxPuRUQixaRi7QAHlF3Fe1qudBlZrmA=='

ROOT=$(cd "$(dirname "$0")/.." && pwd)
DEST="${STUDYSHARE_OHIF_INSTALL_DIR:-$ROOT/third_party/ohif-$OHIF_VERSION}"
STAMP="$DEST/.integrity"

if [[ -f "$DEST/dist/index.html" && -f "$STAMP" && "$(cat "$STAMP")" == "$OHIF_INTEGRITY" ]]; then
  echo "$DEST/dist"
  exit 0
fi

command -v npm >/dev/null || { echo "install-ohif: npm is missing (apt-get install npm)" >&2; exit 1; }
command -v openssl >/dev/null || { echo "install-ohif: openssl is missing" >&2; exit 1; }

echo "install-ohif: fetching @ohif/app@$OHIF_VERSION (about 50 MB) ..." >&2
WORK=$(mktemp -d "${TMPDIR:-/tmp}/studyshare-ohif.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

# npm pack checks the tarball against the registry's integrity itself; the check
# below also pins it, so a changed package under the same version is refused.
(cd "$WORK" && npm pack "@ohif/app@$OHIF_VERSION" --silent --ignore-scripts >/dev/null)
TARBALL="$WORK/ohif-app-$OHIF_VERSION.tgz"
[[ -f "$TARBALL" ]] || { echo "install-ohif: npm pack produced no $TARBALL" >&2; exit 1; }
ACTUAL="sha512-$(openssl dgst -sha512 -binary "$TARBALL" | base64 -w0)"
if [[ "$ACTUAL" != "$OHIF_INTEGRITY" ]]; then
  echo "install-ohif: integrity mismatch for @ohif/app@$OHIF_VERSION" >&2
  echo "  expected $OHIF_INTEGRITY" >&2
  echo "  got      $ACTUAL" >&2
  exit 1
fi

mkdir -p "$WORK/out"
tar -xzf "$TARBALL" -C "$WORK" --no-same-owner package/dist package/LICENSE package/package.json
mv "$WORK/package/dist" "$WORK/out/dist"
cp "$WORK/package/LICENSE" "$WORK/out/LICENSE"            # MIT, kept beside the build
cp "$WORK/package/package.json" "$WORK/out/package.json"
[[ -f "$WORK/out/dist/index.html" ]] || { echo "install-ohif: the package has no dist/index.html" >&2; exit 1; }
printf '%s' "$OHIF_INTEGRITY" > "$WORK/out/.integrity"

# Swap in atomically-ish: a half-extracted folder is never left under $DEST.
mkdir -p "$(dirname "$DEST")"
rm -rf "$DEST.old"
[[ -e "$DEST" ]] && mv "$DEST" "$DEST.old"
mv "$WORK/out" "$DEST"
rm -rf "$DEST.old"
echo "install-ohif: installed $(du -sh "$DEST/dist" | cut -f1) in $DEST/dist" >&2
echo "$DEST/dist"
