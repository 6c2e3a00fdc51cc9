# SPDX-License-Identifier: GPL-3.0-or-later
"""The routes that only Orthanc 1.12 has (labels, /tools/labels, /tools/find
by label, one instance's export): no share reaches them, on either Orthanc of
the test matrix. On 1.12 the admin's calls prove each route is real (so the
refusal is the gate's); on 1.10 the same calls show the route is absent.

Run on 1.12.3 with STUDYSHARE_ORTHANC=../shared/third_party/orthanc-1.12.3/Orthanc
(scripts/test.sh does)."""

import pytest

from orthanc_harness import has_labels

LABEL = "teaching"


@pytest.fixture(scope="module")
def labelled(env):
    """Study A carries the label LABEL while the module runs (on 1.12)."""
    study = env.study("A")["id"]
    newer = has_labels()
    r = env.admin("PUT", "/studies/%s/labels/%s" % (study, LABEL), data=b"")
    if newer:
        assert r.status_code == 200, (r.status_code, r.text)
    else:
        assert r.status_code in (404, 405), (r.status_code, r.text)
    yield newer
    if newer:
        r = env.admin("DELETE", "/studies/%s/labels/%s" % (study, LABEL))
        assert r.status_code == 200, (r.status_code, r.text)


def label_routes(env):
    a = env.study("A")
    return [
        ("GET", "/studies/%s/labels" % a["id"]),
        ("GET", "/studies/%s/labels/%s" % (a["id"], LABEL)),
        ("GET", "/series/%s/labels" % env.series("A")["id"]),
        ("GET", "/instances/%s/labels" % env.instance("A")["id"]),
        ("GET", "/patients/%s/labels" % a["patient"]),
        ("GET", "/tools/labels"),
    ]


def test_a_share_reads_no_label_route(env, labelled):
    token = env.shared_token("labels-view", "A")
    for method, path in label_routes(env):
        r = env.request(method, path, token=token)
        assert r.status_code == 403, (method, path, r.status_code, r.text)
        admin = env.admin(method, path)
        if labelled:
            assert admin.status_code == 200, (method, path, admin.status_code, admin.text)
        else:
            assert admin.status_code in (404, 405), (method, path, admin.status_code)


def test_a_share_sets_and_removes_no_label(env, labelled):
    token = env.shared_token("labels-view", "A")
    a = env.study("A")["id"]
    for method in ("PUT", "DELETE"):
        for path in ("/studies/%s/labels/other" % a, "/studies/%s/labels/%s" % (a, LABEL),
                     "/series/%s/labels/other" % env.series("A")["id"],
                     "/instances/%s/labels/other" % env.instance("A")["id"]):
            r = env.request(method, path, token=token, data=b"")
            assert r.status_code == 403, (method, path, r.status_code, r.text)
    if labelled:
        assert env.admin_get("/studies/%s/labels" % a).json() == [LABEL]


def test_a_sharer_reads_labels_but_sets_none(env, labelled):
    a = env.study("A")["id"]
    alice = ("alice", "alice-pw-1")
    r = env.request("PUT", "/studies/%s/labels/other" % a, auth=alice, data=b"")
    assert r.status_code == 403, (r.status_code, r.text)
    r = env.request("GET", "/tools/labels", auth=alice)
    if labelled:
        assert r.status_code == 200 and LABEL in r.json(), (r.status_code, r.text)
        assert "other" not in env.admin_get("/studies/%s/labels" % a).json()


def test_a_share_finds_nothing_by_label(env, labelled):
    token = env.shared_token("labels-view", "A")
    query = {"Level": "Study", "Query": {}, "Expand": True, "Labels": [LABEL], "LabelsConstraint": "All",
             "RequestedTags": ["PatientName"]}
    r = env.request("POST", "/tools/find", token=token, json=query)
    assert r.status_code == 403, (r.status_code, r.text)
    admin = env.admin("POST", "/tools/find", json=query)
    if labelled:
        assert admin.status_code == 200, (admin.status_code, admin.text)
        assert [s["ID"] for s in admin.json()] == [env.study("A")["id"]], admin.json()
        assert admin.json()[0]["RequestedTags"]["PatientName"], admin.json()


def test_a_share_reads_its_study_with_its_labels(env, labelled):
    token = env.shared_token("labels-view", "A")
    a = env.study("A")["id"]
    r = env.get("/studies/" + a, token=token)
    assert r.status_code == 200, (r.status_code, r.text)
    if labelled:
        assert r.json()["Labels"] == [LABEL], r.json()
    r = env.get("/studies/" + a, token=token, params={"requestedTags": "StudyDescription"})
    assert r.status_code == 200, (r.status_code, r.text)
    assert env.get("/studies/" + env.study("B")["id"], token=token).status_code == 403


def test_a_share_exports_no_instance(env, labelled, tmp_path):
    token = env.shared_token("labels-download", "A", Permissions=["View", "Download"])
    instance = env.instance("A")["id"]
    r = env.request("POST", "/instances/%s/export" % instance, token=token, data=str(tmp_path / "x.dcm"))
    assert r.status_code == 403, (r.status_code, r.text)
    assert not (tmp_path / "x.dcm").exists()
