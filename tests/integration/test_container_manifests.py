# SPDX-License-Identifier: GPL-3.0-or-later
"""The two-node container recipe (deploy/containers/two-nodes.yaml for
`podman kube play`, two-nodes.compose.yaml for Docker, the configurations in
deploy/containers/two-nodes/) says the same thing everywhere: the compose
file matches the pod container by container; the two nodes differ only in
what must differ (DatabaseServerIdentifier, name, ports) and share the
index, storage and StudyShare store; every port a probe, guard or nginx
names is the port its node listens on; nothing is published that should
stay inside the pod. No podman needed (the pod itself: tests/containers)."""

import json
import os
import re

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
RECIPES = os.path.join(os.path.dirname(os.path.dirname(HERE)), "deploy", "containers")
CONFIGS = os.path.join(RECIPES, "two-nodes")
NODES = ("staff", "public")


def load_yaml(name):
    with open(os.path.join(RECIPES, name)) as f:
        return yaml.safe_load(f)


def load_commented_json(name):
    """Orthanc's configuration files allow // comments."""
    with open(os.path.join(CONFIGS, name)) as f:
        return json.loads(re.sub(r"^\s*//.*$", "", f.read(), flags=re.M))


def pod():
    manifest = load_yaml("two-nodes.yaml")
    assert manifest["kind"] == "Pod"
    return manifest["spec"]


def containers():
    return {c["name"]: c for c in pod()["containers"]}


def services():
    return load_yaml("two-nodes.compose.yaml")["services"]


def test_the_pod_and_the_compose_file_hold_the_same_containers():
    assert set(containers()) == set(services()) == {"postgres", "staff", "public", "nginx"}


def test_each_service_matches_its_container():
    volumes = {v["name"]: v["hostPath"]["path"] for v in pod()["volumes"]}
    for name, container in containers().items():
        service = services()[name]
        assert service["image"] == container["image"], name
        mounts = sorted("%s:%s%s" % (volumes[m["name"]], m["mountPath"], ":ro" if m.get("readOnly") else "")
                        for m in container["volumeMounts"])
        assert sorted(service["volumes"]) == mounts, name
        context = container.get("securityContext")
        if context:
            assert service["user"] == "%d:%d" % (context["runAsUser"], context["runAsGroup"]), name
            assert service["cap_drop"] == context["capabilities"]["drop"], name
            assert service["security_opt"] == ["no-new-privileges:true"], name
            assert context["allowPrivilegeEscalation"] is False and context["runAsNonRoot"] is True
        else:
            assert "user" not in service, name
        assert service.get("environment", {}) == {v["name"]: v["value"] for v in container.get("env", [])}, name
        probe = container.get("livenessProbe")
        if probe:
            url = "http://127.0.0.1:%d%s" % (probe["httpGet"]["port"], probe["httpGet"]["path"])
            assert url in service["healthcheck"]["test"], name
        if name != "postgres":
            assert service["network_mode"] == "service:postgres", name  # one namespace, as in the pod


def test_the_published_ports_are_the_staff_node_and_nginx_only():
    published = sorted("%s%d:%d" % (p["hostIP"] + ":" if "hostIP" in p else "", p["hostPort"], p["containerPort"])
                       for c in containers().values() for p in c.get("ports", []))
    assert published == sorted(services()["postgres"]["ports"])  # the namespace's owner publishes them
    assert published == ["127.0.0.1:8042:8042", "8443:8443"]
    for name in ("staff", "public", "nginx"):
        assert "ports" not in services()[name]


def test_the_nodes_differ_only_where_they_must():
    staff, public = (load_commented_json("%s-orthanc.json" % n) for n in NODES)
    allowed = {"Name", "DatabaseServerIdentifier", "HttpPort", "DicomServerEnabled", "DicomPort"}
    differing = {k for k in set(staff) | set(public) if staff.get(k) != public.get(k)}
    assert differing == allowed
    assert staff["DatabaseServerIdentifier"] != public["DatabaseServerIdentifier"]
    assert staff["HttpPort"] != public["HttpPort"] and staff["DicomPort"] != public["DicomPort"]
    assert public["DicomServerEnabled"] is False
    for node in (staff, public):
        assert "PostgreSQL" not in node  # Debian's postgresql.json holds that section: one file, mounted
        assert node["AuthenticationEnabled"] is False and node["Plugins"] == ["/usr/share/orthanc/plugins"]
    pg = load_commented_json("postgresql.json")["PostgreSQL"]
    assert pg["EnableIndex"] and pg["EnableStorage"] and pg["Lock"] is False
    assert (pg["Host"], pg["Port"]) == ("127.0.0.1", 5432)  # the pod's PostgreSQL
    for name in NODES:
        mounts = {m["mountPath"]: m["name"] for m in containers()[name]["volumeMounts"]}
        assert mounts["/etc/orthanc/postgresql.json"] == "postgresql-json"


def test_every_port_named_is_the_port_its_node_listens_on():
    for name in NODES:
        port = load_commented_json("%s-orthanc.json" % name)["HttpPort"]
        container = containers()[name]
        assert container["livenessProbe"]["httpGet"]["port"] == port, name
        guard = {v["name"]: v["value"] for v in container["env"]}["STUDYSHARE_GUARD_URL"]
        assert guard == "http://127.0.0.1:%d" % port, name
        mounted = {m["mountPath"]: m["name"] for m in container["volumeMounts"]}
        assert mounted["/etc/orthanc/orthanc.json"] == "%s-orthanc-json" % name
    with open(os.path.join(CONFIGS, "nginx-pod.conf")) as f:
        site = f.read()
    upstream = re.search(r"upstream studyshare_orthanc \{\s*server ([\d.]+):(\d+);", site)
    assert upstream.groups() == ("127.0.0.1", str(load_commented_json("public-orthanc.json")["HttpPort"]))
    assert re.search(r"listen 8443 ssl", site)
    assert "include /etc/nginx/snippets/studyshare-proxy.conf;" in site
    assert "/etc/nginx/snippets/studyshare-proxy.conf" in [m["mountPath"] for m in containers()["nginx"]["volumeMounts"]]


def test_both_nodes_share_one_studyshare_section_on_postgresql():
    section = load_commented_json("studyshare.json")["StudyShare"]
    assert section["Store"] == {"Type": "postgresql", "ConnectionFile": "/run/secrets/studyshare-store"}
    assert section["SecretFile"] == "/run/secrets/studyshare-secret"
    assert "127.0.0.1" in section["TrustedProxies"]  # nginx reaches the public node on loopback
    for name in NODES:
        mounts = {m["mountPath"]: m["name"] for m in containers()[name]["volumeMounts"]}
        assert mounts["/etc/orthanc/studyshare.json"] == "studyshare-json"
        assert mounts["/run/secrets/studyshare-store"] == "studyshare-store"
        assert mounts["/run/secrets/studyshare-secret"] == "studyshare-secret"
