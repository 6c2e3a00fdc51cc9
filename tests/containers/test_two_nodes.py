# SPDX-License-Identifier: GPL-3.0-or-later
"""deploy/containers/two-nodes.yaml under Debian's podman (`podman kube
play`): the staff node, the public node, PostgreSQL and nginx from their
images, with the site's files from deploy/containers/two-nodes/ moved to
this run's folder and ports (host network: podman's bridge is not for CI).
A share made on the staff node opens its study through nginx (TLS) on the
public node and nothing else; revoked on the staff node, it is refused
through nginx; the public node is not published."""

import json
import os
import re
import subprocess
import time

import pytest
import requests
import yaml

from podman_harness import BASE_IMAGE, IMAGE, RECIPES, build_image, image_exists, podman
from test_one_node import ADMIN, UID, fixture_studies, free_port, wait_for  # noqa: F401 (fixture)

MANIFEST = os.path.join(RECIPES, "two-nodes.yaml")
CONFIGS = os.path.join(RECIPES, "two-nodes")
HOST_ROOT = "/srv/studyshare"
POSTGRES_UID = 998
IMAGES = {"localhost/studyshare-postgres:latest": ("localhost/studyshare-postgres:test", "Containerfile.postgres"),
          "localhost/studyshare-nginx:latest": ("localhost/studyshare-nginx:test", "Containerfile.nginx")}


def build_side_images():
    for tag, containerfile in IMAGES.values():
        if not image_exists(tag):
            podman("build", "--format", "docker", "--network", "host", "--build-arg", "BASE=" + BASE_IMAGE,
                   "-t", tag, "-f", containerfile, CONFIGS, timeout=1200)


@pytest.fixture(scope="module")
def pod(tmp_path_factory):
    build_image()
    build_side_images()
    root = str(tmp_path_factory.mktemp("srv-studyshare-two"))
    os.chmod(root, 0o755)
    ports = {"staff": free_port(), "public": free_port(), "postgres": free_port(), "nginx": free_port()}

    defaults = {"8042": "staff", "8043": "public", "5432": "postgres", "8443": "nginx"}

    def moved(text):
        return re.sub(r"\b(8042|8043|5432|8443)\b", lambda m: str(ports[defaults[m.group(1)]]), text)

    password = os.urandom(16).hex()
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
                    "/CN=share.example.org", "-keyout", os.path.join(root, "privkey.pem"),
                    "-out", os.path.join(root, "fullchain.pem")], check=True, capture_output=True)
    os.makedirs(os.path.join(root, "tls"))
    for name in ("privkey.pem", "fullchain.pem"):
        os.rename(os.path.join(root, name), os.path.join(root, "tls", name))
    public_url = "https://127.0.0.1:%d" % ports["nginx"]
    files = {
        "postgres-password": (password, POSTGRES_UID, 0o400),
        "studyshare-store": ("host=127.0.0.1 port=%d dbname=studyshare user=postgres password=%s"
                             % (ports["postgres"], password), UID, 0o400),
        "secret": (os.urandom(32).hex(), UID, 0o400),
        "credentials.json": (json.dumps({"RegisteredUsers": {ADMIN[0]: ADMIN[1]}}), UID, 0o444),
        "studyshare-proxy.conf": (open(os.path.join(RECIPES, "..", "nginx", "studyshare-proxy.conf")).read(), 0,
                                  0o444),
        "nginx-pod.conf": (moved(open(os.path.join(CONFIGS, "nginx-pod.conf")).read()), 0, 0o444),
        "studyshare.json": (open(os.path.join(CONFIGS, "studyshare.json")).read().replace(
            "https://share.example.org", public_url), UID, 0o444),
    }
    for node in ("staff", "public"):
        text = moved(open(os.path.join(CONFIGS, "%s-orthanc.json" % node)).read())
        files["%s-orthanc.json" % node] = (text.replace('"DicomServerEnabled" : true', '"DicomServerEnabled" : false'),
                                           UID, 0o444)
    files["postgresql.json"] = (moved(open(os.path.join(CONFIGS, "postgresql.json")).read()).replace(
        '"Password" : "change-me"', '"Password" : "%s"' % password), UID, 0o400)
    for name, (text, owner, mode) in files.items():
        path = os.path.join(root, name)
        with open(path, "w") as f:
            f.write(text)
        os.chown(path, owner, owner)
        os.chmod(path, mode)
    for folder, owner in (("postgres", POSTGRES_UID), ("staff-data", UID), ("public-data", UID)):
        os.makedirs(os.path.join(root, folder))
        os.chown(os.path.join(root, folder), owner, owner)
        os.chmod(os.path.join(root, folder), 0o700)

    with open(MANIFEST) as f:
        manifest = yaml.safe_load(f)
    spec = manifest["spec"]
    spec["hostNetwork"] = True
    for container in spec["containers"]:
        container["image"] = IMAGES.get(container["image"], (IMAGE,))[0]
        container.pop("ports", None)
        for variable in container.get("env", []):
            variable["value"] = moved(variable["value"])
        if "livenessProbe" in container:
            container["livenessProbe"]["httpGet"]["port"] = int(moved(str(container["livenessProbe"]["httpGet"]["port"])))
    # The image's PostgreSQL listens on 5432: this run moves it.
    postgres = next(c for c in spec["containers"] if c["name"] == "postgres")
    postgres["command"] = ["/bin/sh", "-c", "sed 's/port=5432/port=%d/' /usr/local/bin/postgres-entrypoint > "
                           "/tmp/entrypoint && exec sh /tmp/entrypoint" % ports["postgres"]]
    for volume in spec["volumes"]:
        volume["hostPath"]["path"] = volume["hostPath"]["path"].replace(HOST_ROOT, root)
    rendered = os.path.join(root, "two-nodes.yaml")
    with open(rendered, "w") as f:
        yaml.safe_dump(manifest, f)
    podman("kube", "play", rendered, timeout=300)
    try:
        staff = "http://127.0.0.1:%d" % ports["staff"]
        public = "http://127.0.0.1:%d" % ports["public"]
        wait_for(staff + "/studyshare/health", container="studyshare-two-nodes-staff")
        wait_for(public + "/studyshare/health", container="studyshare-two-nodes-public")
        yield {"staff": staff, "public": public, "nginx": public_url, "root": root}
    finally:
        podman("kube", "play", "--down", rendered, check=False, timeout=300)


def test_a_share_made_on_the_staff_node_opens_through_nginx_on_the_public_node(pod, fixture_studies):
    staff = pod["staff"]
    for path in fixture_studies:
        with open(path, "rb") as f:
            assert requests.post(staff + "/instances", data=f.read(), auth=ADMIN, timeout=60).status_code == 200
    studies = requests.get(staff + "/studies", auth=ADMIN, timeout=30).json()
    assert len(studies) >= 2, studies
    shared, other = studies[0], studies[1]
    r = requests.post(staff + "/studyshare/shares", auth=ADMIN, timeout=30,
                      json={"Resources": [{"Level": "Study", "OrthancId": shared}], "ValidityDuration": 3600})
    assert r.status_code == 201, r.text
    share = r.json()
    assert share["Url"].startswith(pod["nginx"]), share
    bearer = {"Authorization": "Bearer " + share["Token"]}
    edge = pod["nginx"]
    # One index: the public node sees the study the staff node received.
    assert requests.get(edge + "/studies/" + shared, headers=bearer, timeout=30, verify=False).status_code == 200
    assert requests.get(edge + "/studies/" + other, headers=bearer, timeout=30, verify=False).status_code == 403
    assert requests.get(edge + "/patients", headers=bearer, timeout=30, verify=False).status_code == 403
    opened = requests.post(edge + "/share/api/open", json={"Token": share["Token"]}, timeout=30, verify=False)
    assert opened.status_code == 200, opened.text
    # Revoked on the staff node: refused through nginx on the public node.
    assert requests.delete(staff + "/studyshare/shares/" + share["ID"], auth=ADMIN, timeout=30).status_code == 200
    deadline = time.monotonic() + 5
    while requests.get(edge + "/studies/" + shared, headers=bearer, timeout=30, verify=False).status_code == 200:
        assert time.monotonic() < deadline, "the public node still serves a share revoked on the staff node"
        time.sleep(0.05)
    # One store: the open made on the public node is in the staff node's audit.
    audit = requests.get(staff + "/studyshare/shares/%s/audit" % share["ID"], auth=ADMIN, timeout=30).json()
    assert [e for e in audit if e.get("Event") == "open"], audit
