#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# setup.sh — install what StudyShare needs on Debian 12 (idempotent).
#
# Installs only the Debian packages that are missing (runs `apt-get update`
# only when something is missing; silent when everything is present), then
# makes sure the system Orthanc service that Debian's `orthanc` package
# installs is not left running on port 8042: the demo and the tests start
# their own Orthanc processes.
#
# Run as root, or as a user with sudo.  Environment:
#   STUDYSHARE_SETUP_VERBOSE=1   say what is being checked even if nothing is missing
#   STUDYSHARE_KEEP_SYSTEM_ORTHANC=1   leave the system Orthanc service alone

set -euo pipefail

# One package per line; add new requirements here.
PACKAGES=(
    build-essential
    cmake
    clang-format
    clang
    libclang-rt-14-dev
    pkg-config
    g++
    libssl-dev
    nlohmann-json3-dev
    libsqlite3-dev
    libpq-dev
    libzip-dev
    libhowardhinnant-date-dev
    postgresql
    libsodium-dev
    libgtest-dev
    libgmock-dev
    libbenchmark-dev
    libcurl4-openssl-dev
    libqrencode-dev
    # The CLI's access letter (PDF through cairo, DejaVu fonts) and its test,
    # which turns the PDF into text and PNG and reads its QR code back
    libcairo2-dev
    fonts-dejavu-core
    poppler-utils
    zbar-tools
    # The token service's evented HTTP front (Boost.Asio and Beast, header-only)
    libboost-dev
    libcli11-dev
    orthanc
    orthanc-dev
    orthanc-dicomweb
    orthanc-webviewer
    orthanc-postgresql
    dcmtk
    python3-pydicom
    python3-pytest
    python3-pytest-xdist
    python3-aiosmtpd
    python3-requests
    wrk
    curl
    jq
    chromium
    nodejs
    nginx
    pebble
    certbot
    lintian
    python3-prometheus-client
    python3-yaml
    # The container recipes' test (scripts/test-containers.sh): podman with
    # runc (crun fails on this kind of machine), a base image from mmdebstrap
    podman
    runc
    mmdebstrap
    catatonit
    # Runtime of the Orthanc authorization plugin builds that the drop-in
    # test loads from ../shared/third_party/orthanc-authorization/
    libboost-filesystem1.74.0
    libboost-iostreams1.74.0
    libboost-regex1.74.0
    libboost-thread1.74.0
    libjsoncpp25
    libcurl4
    libicu72
    libuuid1
)

log() { echo "setup: $*" >&2; }
verbose() { if [ "${STUDYSHARE_SETUP_VERBOSE:-0}" = 1 ]; then log "$@"; fi; }

if [ "$(id -u)" -eq 0 ]; then
    SUDO=()
elif command -v sudo >/dev/null 2>&1; then
    SUDO=(sudo)
else
    SUDO=()
fi

as_root() {
    if [ "$(id -u)" -ne 0 ] && [ ${#SUDO[@]} -eq 0 ]; then
        log "need root to run: $*  (run this script as root or install sudo)"
        exit 1
    fi
    "${SUDO[@]}" "$@"
}

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
    log "this script expects Debian 12 (dpkg/apt-get not found)"
    exit 1
fi

# --- packages ---------------------------------------------------------------

is_installed() {
    local status
    status=$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null || true)
    [ "$status" = installed ]
}

missing=()
for pkg in "${PACKAGES[@]}"; do
    if is_installed "$pkg"; then
        verbose "ok: $pkg"
    else
        missing+=("$pkg")
    fi
done

if [ ${#missing[@]} -gt 0 ]; then
    log "installing missing packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
    still=()
    for pkg in "${missing[@]}"; do
        is_installed "$pkg" || still+=("$pkg")
    done
    if [ ${#still[@]} -gt 0 ]; then
        log "failed to install: ${still[*]}"
        exit 1
    fi
fi

# --- system Orthanc service -------------------------------------------------
# Never leave Debian's own Orthanc running on 8042: it would collide with the
# demo and be an unguarded Orthanc on this machine.

stop_system_orthanc() {
    if [ "${STUDYSHARE_KEEP_SYSTEM_ORTHANC:-0}" = 1 ]; then
        verbose "leaving the system Orthanc service alone (STUDYSHARE_KEEP_SYSTEM_ORTHANC=1)"
        return 0
    fi
    if ! is_installed orthanc; then
        return 0
    fi
    if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
        if systemctl is-active --quiet orthanc.service 2>/dev/null; then
            log "stopping the system Orthanc service (port 8042)"
            as_root systemctl stop orthanc.service || log "warning: could not stop orthanc.service"
        fi
        if systemctl is-enabled --quiet orthanc.service 2>/dev/null; then
            log "disabling the system Orthanc service"
            as_root systemctl disable --quiet orthanc.service || log "warning: could not disable orthanc.service"
        fi
        return 0
    fi
    # No systemd (container, chroot).  Do NOT use `/etc/init.d/orthanc
    # stop|status`: without a pid file they match every /usr/sbin/Orthanc on
    # the machine (test and demo instances included).  The service runs as
    # the `orthanc` account, so stop exactly those processes.
    if command -v pgrep >/dev/null 2>&1 && id orthanc >/dev/null 2>&1; then
        local pids _
        pids=$(pgrep -u orthanc -x Orthanc 2>/dev/null || true)
        if [ -n "$pids" ]; then
            log "stopping the system Orthanc service (pid ${pids//$'\n'/ })"
            # shellcheck disable=SC2086
            as_root kill -TERM $pids 2>/dev/null || true
            for _ in $(seq 1 100); do
                pids=$(pgrep -u orthanc -x Orthanc 2>/dev/null || true)
                [ -z "$pids" ] && break
                sleep 0.1
            done
            if [ -n "$pids" ]; then
                # shellcheck disable=SC2086
                as_root kill -KILL $pids 2>/dev/null || true
            fi
            as_root rm -f /run/orthanc.pid
        fi
    fi
    # ... and make sure it does not start at boot.
    if command -v update-rc.d >/dev/null 2>&1 && ls /etc/rc[2-5].d/S*orthanc >/dev/null 2>&1; then
        log "disabling the system Orthanc service at boot"
        as_root update-rc.d orthanc disable >/dev/null 2>&1 || true
    fi
    return 0
}
stop_system_orthanc

# Warn (do not kill: it is not ours) if something still holds port 8042.
if command -v ss >/dev/null 2>&1 && ss -Hltn 'sport = :8042' 2>/dev/null | grep -q .; then
    log "warning: something is still listening on port 8042:"
    ss -Hltnp 'sport = :8042' 2>/dev/null >&2 || true
fi

# Debian's own nodejs ships npm separately (NodeSource's includes it).
if ! command -v npm >/dev/null 2>&1; then
    log "installing npm"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends npm
fi

# --- npm packages for the browser tests (pinned by package-lock.json) --------
BROWSER_TESTS="$(cd "$(dirname "$0")/.." && pwd)/tests/browser"
if [ -f "$BROWSER_TESTS/package-lock.json" ] && [ ! -d "$BROWSER_TESTS/node_modules/playwright-core" ]; then
    log "installing the browser tests' npm packages"
    (cd "$BROWSER_TESTS" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi

verbose "all ${#PACKAGES[@]} packages present"
exit 0
