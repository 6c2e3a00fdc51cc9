# SPDX-License-Identifier: GPL-3.0-or-later
"""The Debian package (scripts/build-deb.sh): built from build/, unpacked into
a throwaway root with its postinst run there (DPKG_ROOT), then a real
Orthanc started from the installed files, as Debian's orthanc.service does
(the configuration folder, the default plugin folder), checked by the
installed guard and driven with the installed CLI."""

import os
import shutil
import stat
import subprocess

import pytest

from conftest import STUDYSHARE_PLUGIN
from orthanc_harness import ADMIN_PASSWORD, ADMIN_USER, ORTHANC_BINARY, free_port

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
BUILD_DIR = os.path.dirname(os.path.dirname(os.path.dirname(STUDYSHARE_PLUGIN)))

EXPECTED = {
    "usr/share/orthanc/plugins/libStudyShare.so": 0o644,
    "usr/bin/studyshare-service": 0o755,
    "usr/bin/studyshare": 0o755,
    "usr/lib/studyshare/studyshare-guard": 0o755,
    "lib/systemd/system/orthanc.service.d/studyshare-guard.conf": 0o644,
    "lib/systemd/system/studyshare-service.service": 0o644,
    "etc/orthanc/studyshare.json": 0o644,
    "usr/share/studyshare/nginx/studyshare-site.conf": 0o644,
    "usr/share/studyshare/nginx/studyshare-proxy.conf": 0o644,
    "usr/share/doc/studyshare/copyright": 0o644,
}


@pytest.fixture(scope="module")
def package():
    done = subprocess.run([os.path.join(REPO, "scripts", "build-deb.sh")], capture_output=True, text=True,
                          env=dict(os.environ, STUDYSHARE_BUILD_DIR=BUILD_DIR), timeout=300)
    assert done.returncode == 0, done.stderr
    path = done.stdout.strip().splitlines()[-1]
    return path if os.path.isabs(path) else os.path.join(REPO, path)


def test_package_metadata_and_contents(package):
    info = subprocess.run(["dpkg-deb", "--field", package, "Package", "Depends"], capture_output=True, text=True,
                          check=True).stdout
    assert "Package: studyshare" in info
    assert "orthanc (>= 1.10)" in info and "libsodium" in info, info
    listing = subprocess.run(["dpkg-deb", "--contents", package], capture_output=True, text=True,
                             check=True).stdout
    for path in EXPECTED:
        assert "./" + path in listing, path
    assert "root/root" in listing and "www-data" not in listing
    conffiles = subprocess.run(["dpkg-deb", "--info", package, "conffiles"], capture_output=True, text=True,
                               check=True).stdout
    assert conffiles.split() == ["/etc/orthanc/studyshare.json"]


def test_package_is_lintian_clean(package):
    assert shutil.which("lintian"), "lintian is not installed (scripts/setup.sh installs it)"
    done = subprocess.run(["lintian", "--tag-display-limit", "0", "--fail-on", "error,warning", package],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr


def install_into(package, root):
    subprocess.run(["dpkg-deb", "-x", package, root], check=True)
    control = os.path.join(root, "DEBIAN")
    subprocess.run(["dpkg-deb", "-e", package, control], check=True)
    subprocess.run([os.path.join(control, "postinst"), "configure"], check=True,
                   env=dict(os.environ, DPKG_ROOT=root))


def test_installed_files_run_a_guarded_orthanc(package, tmp_path):
    root = str(tmp_path / "root")
    install_into(package, root)
    for path, mode in EXPECTED.items():
        assert stat.S_IMODE(os.stat(os.path.join(root, path)).st_mode) == mode, path
    secret = os.path.join(root, "etc/orthanc/studyshare.secret")
    assert stat.S_IMODE(os.stat(secret).st_mode) == 0o600
    assert len(open(secret).read().strip()) >= 32
    store = os.path.join(root, "var/lib/orthanc/studyshare")
    assert stat.S_IMODE(os.stat(store).st_mode) == 0o700
    first_secret = open(secret).read()
    subprocess.run([os.path.join(root, "DEBIAN", "postinst"), "configure"], check=True,
                   env=dict(os.environ, DPKG_ROOT=root))
    assert open(secret).read() == first_secret, "an upgrade must keep the secret"

    # Orthanc as Debian's unit starts it: a configuration folder holding
    # Orthanc's own file and the package's studyshare.json, and the default
    # plugin folder (here inside the throwaway root).
    port = free_port()
    url = "http://127.0.0.1:%d" % port
    config_dir = tmp_path / "etc-orthanc"
    config_dir.mkdir()
    (config_dir / "orthanc.json").write_text("""{
      "Name": "PackageTest", "HttpPort": %d, "RemoteAccessAllowed": false, "DicomServerEnabled": false,
      "StorageDirectory": "%s", "IndexDirectory": "%s",
      "Plugins": ["%s"], "RegisteredUsers": {"%s": "%s"}
    }""" % (port, tmp_path / "db", tmp_path / "db", os.path.join(root, "usr/share/orthanc/plugins"),
            ADMIN_USER, ADMIN_PASSWORD))
    packaged = open(os.path.join(root, "etc/orthanc/studyshare.json")).read()
    for old, new in (("/etc/orthanc/studyshare.secret", secret),
                     ("/var/lib/orthanc/studyshare/studyshare.db", os.path.join(store, "studyshare.db")),
                     ("https://share.example.org", url)):
        assert old in packaged, old
        packaged = packaged.replace(old, new)
    (config_dir / "studyshare.json").write_text(packaged)

    log = open(tmp_path / "orthanc.log", "wb")
    orthanc = subprocess.Popen([ORTHANC_BINARY, str(config_dir)], stdout=log, stderr=subprocess.STDOUT,
                               stdin=subprocess.DEVNULL, start_new_session=True)
    try:
        guard = subprocess.run([os.path.join(root, "usr/lib/studyshare/studyshare-guard"), "--url", url,
                                "--timeout", "60"], capture_output=True, text=True, timeout=120)
        assert guard.returncode == 0, guard.stderr + open(tmp_path / "orthanc.log", errors="replace").read()
        cli = subprocess.run([os.path.join(root, "usr/bin/studyshare"), "--url", url, "--user", ADMIN_USER,
                              "--password", ADMIN_PASSWORD, "--json", "list"], capture_output=True, text=True,
                             timeout=60)
        assert cli.returncode == 0, cli.stderr
        assert cli.stdout.strip().startswith("["), cli.stdout
        assert os.path.isfile(os.path.join(store, "studyshare.db"))
    finally:
        orthanc.terminate()
        try:
            orthanc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            orthanc.kill()
            orthanc.wait()
        log.close()
