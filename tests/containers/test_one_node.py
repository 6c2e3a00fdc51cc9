# SPDX-License-Identifier: GPL-3.0-or-later
"""The container recipe, run: the image built from deploy/containers with
the package of build/, and deploy/containers/one-node.yaml started with
`podman kube play` (host network, so its port and host paths are moved to
free ones of this run; nothing else of the manifest changes). A share made
through the container's API opens its study and nothing else; Orthanc runs
as uid 999; the health check answers; the image carries no secret; a
container without its secret never serves. compose.yaml is checked to say
the same as the manifest."""

import json
import os
import socket
import subprocess
import time

import pytest
import requests
import yaml

from podman_harness import IMAGE, RECIPES, REPO, build_image, podman

MANIFEST = os.path.join(RECIPES, "one-node.yaml")
COMPOSE = os.path.join(RECIPES, "compose.yaml")
HOST_ROOT = "/srv/studyshare"
ADMIN = ("admin", "container-admin-pw-7Qz")
UID = 999


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url, deadline_seconds=180, container=None):
    deadline = time.monotonic() + deadline_seconds
    while time.monotonic() < deadline:
        try:
            r = requests.get(url, timeout=2)
            if r.status_code == 200:
                return r
        except requests.RequestException:
            pass
        if container is not None:
            state = podman("inspect", "--format", "{{.State.Status}}", container, check=False).stdout.strip()
            assert state in ("running", "created", "configured", "initialized"), \
                "container %s is %s:\n%s" % (container, state, podman("logs", container, check=False).stderr)
        time.sleep(0.5)
    raise AssertionError("%s did not answer in %d s" % (url, deadline_seconds))


def load_manifest():
    with open(MANIFEST) as f:
        return yaml.safe_load(f)


def render(manifest, root, port):
    """The manifest as this run starts it: host network (podman's bridge is
    not for CI), the port moved (Orthanc's own orthanc.json, mounted like
    the other files) and /srv/studyshare moved to this run's folder."""
    spec = manifest["spec"]
    spec["hostNetwork"] = True
    container = spec["containers"][0]
    container["image"] = IMAGE
    for variable in container["env"]:
        if variable["name"] == "STUDYSHARE_GUARD_URL":
            variable["value"] = "http://127.0.0.1:%d" % port
    container["livenessProbe"]["httpGet"]["port"] = port
    container["ports"] = []
    container["volumeMounts"].append({"name": "orthanc-json", "mountPath": "/etc/orthanc/orthanc.json",
                                      "readOnly": True})
    spec["volumes"].append({"name": "orthanc-json",
                            "hostPath": {"path": HOST_ROOT + "/orthanc.json", "type": "File"}})
    for volume in spec["volumes"]:
        volume["hostPath"]["path"] = volume["hostPath"]["path"].replace(HOST_ROOT, root)
    return manifest


def write_site(root, port):
    """What a site puts under /srv/studyshare, here with this run's port."""
    os.makedirs(os.path.join(root, "data"))
    os.chown(os.path.join(root, "data"), UID, UID)
    os.chmod(os.path.join(root, "data"), 0o700)
    with open(os.path.join(RECIPES, "config", "orthanc.json")) as f:
        orthanc = f.read()
    orthanc = orthanc.replace('"HttpPort" : 8042', '"HttpPort" : %d' % port)
    orthanc = orthanc.replace('"DicomServerEnabled" : true', '"DicomServerEnabled" : false')
    assert '"HttpPort" : %d' % port in orthanc
    files = {
        "orthanc.json": orthanc,
        "studyshare.json": json.dumps({"StudyShare": {
            "PublicUrl": "http://127.0.0.1:%d" % port, "SecretFile": "/run/secrets/studyshare-secret",
            "Store": {"Type": "sqlite", "Path": "/var/lib/orthanc/studyshare/studyshare.db"},
            "TrustedProxies": ["127.0.0.1", "::1"]}}),
        "credentials.json": json.dumps({"RegisteredUsers": {ADMIN[0]: ADMIN[1]}}),
        "secret": os.urandom(32).hex(),
    }
    for name, text in files.items():
        path = os.path.join(root, name)
        with open(path, "w") as f:
            f.write(text)
        os.chown(path, UID, UID)
        os.chmod(path, 0o400 if name == "secret" else 0o444)


@pytest.fixture(scope="module")
def image():
    return build_image()


@pytest.fixture(scope="module")
def fixture_studies(tmp_path_factory):
    out = tmp_path_factory.mktemp("studies")
    subprocess.run([os.path.join(REPO, "tests", "fixtures", "make_studies.sh"), str(out)], check=True,
                   stdout=subprocess.DEVNULL)
    return sorted(os.path.join(folder, name) for folder, _, names in os.walk(out / "synth") for name in names
                  if name.endswith(".dcm"))


@pytest.fixture(scope="module")
def node(image, tmp_path_factory):
    root = str(tmp_path_factory.mktemp("srv-studyshare"))
    os.chmod(root, 0o755)
    port = free_port()
    write_site(root, port)
    rendered = os.path.join(root, "one-node.yaml")
    with open(rendered, "w") as f:
        yaml.safe_dump(render(load_manifest(), root, port), f)
    podman("kube", "play", rendered, timeout=300)
    container = "studyshare-one-node-orthanc"
    try:
        url = "http://127.0.0.1:%d" % port
        wait_for(url + "/studyshare/health", container=container)
        yield {"url": url, "container": container, "root": root}
    finally:
        podman("kube", "play", "--down", rendered, check=False, timeout=300)


def test_the_image_carries_no_secret_and_runs_as_orthanc(image):
    listing = podman("run", "--rm", "--network", "none", "--entrypoint", "ls", image, "-A", "/etc/orthanc").stdout
    assert "studyshare.json" in listing and "studyshare.secret" not in listing, listing
    inspected = json.loads(podman("image", "inspect", image).stdout)[0]
    config = inspected["Config"]
    assert config["User"] == "orthanc"
    assert "/studyshare/health" in " ".join(inspected["Healthcheck"]["Test"])
    assert config["Entrypoint"][0] == "/usr/lib/studyshare/studyshare-guard"
    uid = podman("run", "--rm", "--network", "none", "--entrypoint", "id", image, "-u").stdout.strip()
    assert uid == str(UID)


def test_a_share_works_through_the_container(node, fixture_studies):
    url = node["url"]
    assert podman("exec", node["container"], "id", "-u").stdout.strip() == str(UID)
    for path in fixture_studies:
        with open(path, "rb") as f:
            assert requests.post(url + "/instances", data=f.read(), auth=ADMIN, timeout=60).status_code == 200
    studies = requests.get(url + "/studies", auth=ADMIN, timeout=30).json()
    assert len(studies) >= 2, studies
    shared, other = studies[0], studies[1]
    r = requests.post(url + "/studyshare/shares", auth=ADMIN, timeout=30,
                      json={"Resources": [{"Level": "Study", "OrthancId": shared}], "ValidityDuration": 3600})
    assert r.status_code == 201, r.text
    share = r.json()
    assert share["Url"].startswith(url), share
    bearer = {"Authorization": "Bearer " + share["Token"]}
    assert requests.get(url + "/studies/" + shared, headers=bearer, timeout=30).status_code == 200
    assert requests.get(url + "/studies/" + other, headers=bearer, timeout=30).status_code == 403
    assert requests.get(url + "/patients", headers=bearer, timeout=30).status_code == 403
    assert requests.get(url + "/studies/" + shared, timeout=30).status_code == 403
    opened = requests.post(url + "/share/api/open", json={"Token": share["Token"]}, timeout=30)
    assert opened.status_code == 200, opened.text
    session = {"Authorization": "Bearer " + opened.json()["SessionToken"]}
    assert requests.get(url + "/studies/%s/series" % shared, headers=session, timeout=30).status_code == 200
    # The store is on the mounted volume, owned by the container's user.
    store = os.path.join(node["root"], "data", "studyshare", "studyshare.db")
    assert os.stat(store).st_uid == UID


def test_the_health_check_passes(node):
    done = podman("healthcheck", "run", node["container"], check=False)
    assert done.returncode == 0, (done.stdout, done.stderr)


def test_without_its_secret_the_container_stops_and_never_serves(image, tmp_path):
    root = str(tmp_path)
    port = free_port()
    write_site(root, port)
    os.remove(os.path.join(root, "secret"))
    done = podman("run", "--rm", "--network", "host", "-e", "STUDYSHARE_GUARD_URL=http://127.0.0.1:%d" % port,
                  "-e", "STUDYSHARE_GUARD_TIMEOUT=60",
                  "-v", "%s/orthanc.json:/etc/orthanc/orthanc.json:ro" % root,
                  "-v", "%s/studyshare.json:/etc/orthanc/studyshare.json:ro" % root,
                  "-v", "%s/credentials.json:/etc/orthanc/credentials.json:ro" % root,
                  "-v", "%s/data:/var/lib/orthanc" % root, image, check=False, timeout=300)
    assert done.returncode != 0
    with pytest.raises(requests.RequestException):
        requests.get("http://127.0.0.1:%d/patients" % port, timeout=2)


def test_compose_says_what_the_manifest_says():
    with open(COMPOSE) as f:
        service = yaml.safe_load(f)["services"]["orthanc"]
    container = load_manifest()["spec"]["containers"][0]
    volumes = {v["name"]: v["hostPath"]["path"] for v in load_manifest()["spec"]["volumes"]}
    mounts = sorted("%s:%s%s" % (volumes[m["name"]], m["mountPath"], ":ro" if m.get("readOnly") else "")
                    for m in container["volumeMounts"])
    assert sorted(service["volumes"]) == mounts
    assert service["image"] == container["image"]
    context = container["securityContext"]
    assert service["user"] == "%d:%d" % (context["runAsUser"], context["runAsGroup"])
    assert service["cap_drop"] == context["capabilities"]["drop"]
    assert service["environment"] == {v["name"]: v["value"] for v in container["env"]}
    port = container["ports"][0]
    assert service["ports"] == ["%s:%d:%d" % (port["hostIP"], port["hostPort"], port["containerPort"])]
    probe = container["livenessProbe"]["httpGet"]
    assert "http://127.0.0.1:%d%s" % (probe["port"], probe["path"]) in service["healthcheck"]["test"]
