#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Builds build/studyshare_<version>_<arch>.deb from an existing build/
# (scripts/build.sh first): the plugin in Orthanc's default plugin folder,
# the token service and the CLI, the start-up guard and its drop-in for
# orthanc.service, the service's systemd unit, a commented
# /etc/orthanc/studyshare.json, and the nginx / certbot recipes as examples.
# Prints the package's path.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR="${STUDYSHARE_BUILD_DIR:-build}"
VERSION=$(sed -n 's/^project(StudyShare VERSION \([0-9.]*\).*/\1/p' CMakeLists.txt)
ARCH=$(dpkg --print-architecture)
OUT="$BUILD_DIR/studyshare_${VERSION}_${ARCH}.deb"
# A folder of this run's own, and the package moved into place whole: two
# builds at once (CI's container test beside tests/integration/test_package.py)
# never mix their files nor see half a package.
mkdir -p "$BUILD_DIR/deb"
WORK=$(mktemp -d "$BUILD_DIR/deb/build.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
STAGE="$WORK/studyshare"

for built in src/plugin/libStudyShare.so src/service/studyshare-service src/cli/studyshare; do
    [ -f "$BUILD_DIR/$built" ] || { echo "build-deb: $BUILD_DIR/$built missing: run scripts/build.sh" >&2; exit 1; }
done

put() {  # put MODE SOURCE DESTINATION
    install -D -m "$1" "$2" "$STAGE/$3"
}
# As Debian's own Orthanc plugins: the library under /usr/lib/orthanc, a
# link in the plugin folder that Debian's orthanc.json loads.
put 0644 "$BUILD_DIR/src/plugin/libStudyShare.so" "usr/lib/orthanc/libStudyShare.so.$VERSION"
mkdir -p "$STAGE/usr/share/orthanc/plugins"
ln -s "../../../lib/orthanc/libStudyShare.so.$VERSION" "$STAGE/usr/share/orthanc/plugins/libStudyShare.so"
put 0755 "$BUILD_DIR/src/service/studyshare-service" usr/bin/studyshare-service
put 0755 "$BUILD_DIR/src/cli/studyshare" usr/bin/studyshare
strip --strip-unneeded --remove-section=.comment --remove-section=.note \
    "$STAGE/usr/lib/orthanc/libStudyShare.so.$VERSION" "$STAGE/usr/bin/studyshare-service" "$STAGE/usr/bin/studyshare"
put 0755 deploy/guard/studyshare-guard usr/lib/studyshare/studyshare-guard
put 0644 deploy/systemd/orthanc.service.d/studyshare-guard.conf lib/systemd/system/orthanc.service.d/studyshare-guard.conf
put 0644 deploy/systemd/studyshare-service.service lib/systemd/system/studyshare-service.service
put 0644 deploy/debian/studyshare.json etc/orthanc/studyshare.json
for file in deploy/nginx/*.conf; do
    put 0644 "$file" "usr/share/studyshare/nginx/$(basename "$file")"
done
put 0755 deploy/letsencrypt/studyshare-reload-nginx usr/share/studyshare/letsencrypt/studyshare-reload-nginx
for file in deploy/systemd/studyshare-certbot-renew.*; do
    put 0644 "$file" "usr/share/studyshare/systemd/$(basename "$file")"
done
put 0644 deploy/debian/copyright usr/share/doc/studyshare/copyright
put 0644 README.md usr/share/doc/studyshare/README.md
for page in studyshare studyshare-service; do
    mkdir -p "$STAGE/usr/share/man/man1"
    gzip -9n -c "deploy/debian/$page.1" > "$STAGE/usr/share/man/man1/$page.1.gz"
    chmod 0644 "$STAGE/usr/share/man/man1/$page.1.gz"
done
gzip -9n -c > "$STAGE/usr/share/doc/studyshare/changelog.gz" <<CHANGES
studyshare ($VERSION) unstable; urgency=medium

  * Package built from the StudyShare tree.

 -- StudyShare developers <studyshare@example.org>  $(date -R -u -d @"${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || date +%s)}")
CHANGES
chmod 0644 "$STAGE/usr/share/doc/studyshare/changelog.gz"

# Shared libraries the binaries need, as Debian dependencies (dpkg knows a
# library under /lib or /usr/lib, whichever its package installed).
owner_of() {
    dpkg -S "$1" 2>/dev/null || dpkg -S "/usr$1" 2>/dev/null || dpkg -S "$(readlink -f "$1")" 2>/dev/null || true
}
# Only the libraries each binary names itself (NEEDED), not theirs.
direct_libraries() {
    local needed
    needed=$(objdump -p "$1" | awk '/NEEDED/{print $2}')
    ldd "$1" | awk -v needed="$needed" 'BEGIN{n=split(needed, list, "\n"); for (i=1;i<=n;i++) want[list[i]]=1}
        $2 == "=>" && ($1 in want) {print $3}'
}
shlibs=$(for binary in "$STAGE/usr/bin/"* "$STAGE/usr/lib/orthanc/libStudyShare.so.$VERSION"; do
    direct_libraries "$binary"
done | sort -u | while read -r library; do owner_of "$library"; done | cut -d: -f1 | sort -u \
    | grep -v -x -e libc6 -e libgcc-s1 -e libstdc++6 \
    | while read -r pkg; do echo "$pkg (>= $(dpkg-query -W -f='${Version}' "$pkg" | sed 's/-[^-]*$//'))"; done \
    | paste -sd, - | sed 's/,/, /g')
shlibs="libc6, libgcc-s1, libstdc++6${shlibs:+, $shlibs}"

mkdir -p "$STAGE/DEBIAN"
sed -e "s/@VERSION@/$VERSION/" -e "s/@ARCH@/$ARCH/" -e "s/@SHLIBS@/$shlibs/" deploy/debian/control.in \
    > "$STAGE/DEBIAN/control"
echo "Installed-Size: $(du -sk --exclude=DEBIAN "$STAGE" | cut -f1)" >> "$STAGE/DEBIAN/control"
echo /etc/orthanc/studyshare.json > "$STAGE/DEBIAN/conffiles"
install -m 0755 deploy/debian/postinst deploy/debian/postrm "$STAGE/DEBIAN/"
(cd "$STAGE" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | sort -z | xargs -0 md5sum) \
    > "$STAGE/DEBIAN/md5sums"
chmod 0644 "$STAGE/DEBIAN/md5sums" "$STAGE/DEBIAN/control" "$STAGE/DEBIAN/conffiles"

dpkg-deb --root-owner-group -Zxz --build "$STAGE" "$WORK/package.deb" >/dev/null
mv -f "$WORK/package.deb" "$OUT"
echo "$OUT"
