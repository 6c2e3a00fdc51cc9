# SPDX-License-Identifier: GPL-3.0-or-later
"""podman for the container tests: the settings this machine needs
(deploy/containers/test/containers.conf: runc, cgroupfs, ulimits), a Debian
12 base image made offline-style with mmdebstrap and `podman import` (kept
between runs), and the StudyShare image built from deploy/containers with
the package of build/ (layers reused between runs: only the package's layer
is rebuilt when the package changes)."""

import os
import shutil
import subprocess
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
RECIPES = os.path.join(REPO, "deploy", "containers")
CONTAINERS_CONF = os.path.join(RECIPES, "test", "containers.conf")
BUILD_DIR = os.environ.get("STUDYSHARE_BUILD_DIR", os.path.join(REPO, "build"))

BASE_IMAGE = "localhost/studyshare-base:bookworm"
IMAGE = "localhost/studyshare:test"


def environment():
    return dict(os.environ, CONTAINERS_CONF=CONTAINERS_CONF)


def podman(*args, check=True, timeout=600, capture=True):
    done = subprocess.run(["podman", *args], env=environment(), timeout=timeout, text=True,
                          stdout=subprocess.PIPE if capture else None, stderr=subprocess.PIPE if capture else None)
    if check and done.returncode != 0:
        raise AssertionError("podman %s failed (%d):\n%s\n%s" % (" ".join(args), done.returncode,
                                                                 done.stdout or "", done.stderr or ""))
    return done


def image_exists(name):
    return podman("image", "exists", name, check=False).returncode == 0


def ensure_base_image():
    """Debian 12 (minbase) as an image, without any registry."""
    if image_exists(BASE_IMAGE):
        return
    with tempfile.TemporaryDirectory(prefix="studyshare-base-") as tmp:
        tarball = os.path.join(tmp, "bookworm.tar")
        subprocess.run(["mmdebstrap", "--variant=minbase", "--include=ca-certificates", "bookworm", tarball,
                        "http://deb.debian.org/debian"], check=True, timeout=900,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        podman("import", "--change", 'CMD ["/bin/bash"]', tarball, BASE_IMAGE)


def build_package():
    done = subprocess.run([os.path.join(REPO, "scripts", "build-deb.sh")], capture_output=True, text=True,
                          env=dict(os.environ, STUDYSHARE_BUILD_DIR=BUILD_DIR), timeout=300)
    assert done.returncode == 0, done.stderr
    path = done.stdout.strip().splitlines()[-1]
    return path if os.path.isabs(path) else os.path.join(REPO, path)


def build_image():
    """The StudyShare image from deploy/containers/Containerfile, as a site
    builds it (the package copied next to the Containerfile)."""
    ensure_base_image()
    package = build_package()
    with tempfile.TemporaryDirectory(prefix="studyshare-image-") as context:
        shutil.copy(os.path.join(RECIPES, "Containerfile"), context)
        shutil.copytree(os.path.join(RECIPES, "config"), os.path.join(context, "config"))
        shutil.copy(package, os.path.join(context, "studyshare.deb"))
        podman("build", "--format", "docker", "--network", "host", "--build-arg", "BASE=" + BASE_IMAGE,
               "-t", IMAGE, context, timeout=1200)
    return IMAGE
