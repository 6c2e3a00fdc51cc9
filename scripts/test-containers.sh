#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The container recipes (deploy/containers), run with Debian's podman as
# root: builds the image from build/ (scripts/build.sh first) and starts the
# manifests (tests/containers). Images are kept between runs: the first run
# makes the Debian base image with mmdebstrap and installs Orthanc in the
# image (a few minutes, needs deb.debian.org); later runs rebuild only the
# package's layer. Run it by hand after scripts/build.sh (not part of .ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(id -u)" != 0 ]; then
    echo "test-containers: podman runs here as root (runc, cgroupfs); run as root" >&2
    exit 1
fi
for tool in podman runc mmdebstrap; do
    command -v "$tool" >/dev/null || { echo "test-containers: $tool missing: run scripts/setup.sh" >&2; exit 1; }
done
exec /usr/bin/python3 -m pytest -q -p no:cacheprovider tests/containers "$@"
