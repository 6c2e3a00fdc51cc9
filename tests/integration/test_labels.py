# SPDX-License-Identifier: GPL-3.0-or-later
"""Sharers limited to labelled studies (``Users.{name}.Labels``, Orthanc >= 1.12):
an attack table of every staff route that lists, finds or names studies, for
a sharer limited to the label "teaching" on an Orthanc of its own, where
study A carries the label and study B does not.

Run on 1.12.3 with STUDYSHARE_ORTHANC=../shared/third_party/orthanc-1.12.3/Orthanc
(scripts/test.sh does). On Debian's 1.10 studies have no labels: the same
sharer reads no study at all (tested below), and the 1.12 table is skipped
with its reason."""

import pytest

from conftest import Env, argon2id_hash, launch_with_studies, make_orthanc, studyshare_section
from orthanc_harness import has_labels, orthanc_version

LABEL = "teaching"
CAROL = ("carol", "carol-pw-3")
ALICE = ("alice", "alice-pw-1")
NEWER = has_labels()
ONLY_112 = pytest.mark.skipif(
    not NEWER, reason="LOUD: Orthanc %s has no labels; the label table runs on 1.12.3 only "
                      "(STUDYSHARE_ORTHANC=../shared/third_party/orthanc-1.12.3/Orthanc)" % orthanc_version())


@pytest.fixture(scope="module")
def lenv(fixture_files, tmp_path_factory):
    users = {}
    for (name, password), labels in ((CAROL, [LABEL]), (ALICE, None)):
        hashed = argon2id_hash(password)
        assert hashed, "libsodium is needed to hash the test users' passwords"
        users[name] = {"PasswordHash": hashed, "Role": "sharer"}
        if labels:
            users[name]["Labels"] = labels
    store = tmp_path_factory.mktemp("studyshare-labels") / "shares.db"
    orthanc = launch_with_studies(make_orthanc({"StudyShare": studyshare_section(store, users)}), fixture_files)
    try:
        e = Env(orthanc, fixture_files[1], {})
        e.load_ids()
        if NEWER:
            r = e.admin("PUT", "/studies/%s/labels/%s" % (e.study("A")["id"], LABEL), data=b"")
            assert r.status_code == 200, (r.status_code, r.text)
            r = e.admin("PUT", "/studies/%s/labels/other" % e.study("B")["id"], data=b"")
            assert r.status_code == 200, (r.status_code, r.text)
        yield e
    finally:
        orthanc.cleanup()


def carol(e, method, path, **kwargs):
    return e.request(method, path, auth=CAROL, **kwargs)


def attack_table(e):
    """(name, method, path, kwargs, allowed for carol)."""
    a, b = e.study("A"), e.study("B")
    sa, sb = e.series("A"), e.series("B")
    ia, ib = e.instance("A"), e.instance("B")
    find = {"Level": "Study", "Query": {}}
    return [
        # study A carries the label: every family that names it
        ("study_a", "GET", "/studies/" + a["id"], {}, True),
        ("study_a_series", "GET", "/studies/%s/series" % a["id"], {}, True),
        ("study_a_archive", "GET", "/studies/%s/archive" % a["id"], {}, True),
        ("series_a", "GET", "/series/" + sa["id"], {}, True),
        ("instance_a_tags", "GET", "/instances/%s/tags" % ia["id"], {}, True),
        ("wado_rs_a", "GET", "/dicom-web/studies/%s/metadata" % a["uid"], {}, True),
        ("qido_filtered_a", "GET", "/dicom-web/studies", {"params": {"StudyInstanceUID": a["uid"]}}, True),
        ("qido_series_of_a", "GET", "/dicom-web/studies/%s/series" % a["uid"], {}, True),
        ("wado_uri_a", "GET", "/wado", {"params": {"requestType": "WADO", "objectUID": ia["uid"]}}, True),
        ("webviewer_series_a", "GET", "/web-viewer/series/" + sa["id"], {}, True),
        ("system", "GET", "/system", {}, True),
        # study B does not: refused through every family
        ("study_b", "GET", "/studies/" + b["id"], {}, False),
        ("study_b_archive", "GET", "/studies/%s/archive" % b["id"], {}, False),
        ("series_b", "GET", "/series/" + sb["id"], {}, False),
        ("instance_b_file", "GET", "/instances/%s/file" % ib["id"], {}, False),
        ("wado_rs_b", "GET", "/dicom-web/studies/%s/metadata" % b["uid"], {}, False),
        ("qido_filtered_b", "GET", "/dicom-web/studies", {"params": {"StudyInstanceUID": b["uid"]}}, False),
        ("b_series_under_a", "GET", "/dicom-web/studies/%s/series/%s/metadata" % (a["uid"], sb["uid"]), {}, False),
        ("wado_uri_b", "GET", "/wado", {"params": {"requestType": "WADO", "objectUID": ib["uid"]}}, False),
        ("webviewer_series_b", "GET", "/web-viewer/series/" + sb["id"], {}, False),
        # every list and search (none can be filtered by the gate)
        ("all_studies", "GET", "/studies", {}, False),
        ("all_studies_expanded", "GET", "/studies", {"params": {"expand": ""}}, False),
        ("all_series", "GET", "/series", {}, False),
        ("all_instances", "GET", "/instances", {}, False),
        ("patients", "GET", "/patients", {}, False),
        ("patient_of_a", "GET", "/patients/" + a["patient"], {}, False),
        ("tools_find", "POST", "/tools/find", {"json": find}, False),
        ("tools_find_by_label", "POST", "/tools/find", {"json": dict(find, Labels=[LABEL])}, False),
        ("tools_find_requested_tags", "POST", "/tools/find",
         {"json": dict(find, Labels=[LABEL], RequestedTags=["PatientName"])}, False),
        ("tools_lookup", "POST", "/tools/lookup", {"data": b["uid"]}, False),
        ("tools_labels", "GET", "/tools/labels", {}, False),
        ("study_a_labels_route", "GET", "/studies/%s/labels" % a["id"], {}, False),
        ("qido_all_studies", "GET", "/dicom-web/studies", {}, False),
        ("qido_by_patient", "GET", "/dicom-web/studies", {"params": {"PatientID": b["patient_id"]}}, False),
        ("qido_all_series", "GET", "/dicom-web/series", {}, False),
        ("qido_all_instances", "GET", "/dicom-web/instances", {}, False),
        ("changes", "GET", "/changes", {}, False),
        ("statistics", "GET", "/statistics", {}, False),
        ("oe2_studies", "GET", "/ui/api/studies", {}, False),
        # writes stay refused on the labelled study
        ("remove_label", "DELETE", "/studies/%s/labels/%s" % (a["id"], LABEL), {}, False),
        ("add_label_to_b", "PUT", "/studies/%s/labels/%s" % (b["id"], LABEL), {"data": b""}, False),
        ("delete_a", "DELETE", "/studies/" + a["id"], {}, False),
    ]


@ONLY_112
def test_attack_table_for_a_label_limited_sharer(lenv):
    failures = []
    for name, method, path, kwargs, allowed in attack_table(lenv):
        r = carol(lenv, method, path, **kwargs)
        if allowed and r.status_code != 200:
            failures.append((name, r.status_code, r.text[:200]))
        if not allowed and r.status_code != 403:
            failures.append((name, r.status_code, r.text[:200]))
        # the unlimited sharer reaches the same reads (so the refusal is the label's)
        if method == "GET" and not allowed and name.startswith(("study_b", "series_b", "wado_rs_b")):
            assert lenv.request(method, path, auth=ALICE, **kwargs).status_code == 200, name
    assert not failures, failures
    assert lenv.admin_get("/studies/%s/labels" % lenv.study("A")["id"]).json() == [LABEL]


@ONLY_112
def test_the_unlimited_sharer_still_lists_and_finds(lenv):
    assert lenv.request("GET", "/studies", auth=ALICE).status_code == 200
    r = lenv.request("POST", "/tools/find", auth=ALICE, json={"Level": "Study", "Query": {}, "Labels": [LABEL]})
    assert r.status_code == 200 and r.json() == [lenv.study("A")["id"]], (r.status_code, r.text)


@ONLY_112
def test_a_label_limited_sharer_shares_only_labelled_studies(lenv):
    ok = lenv.create_share_raw({"Resources": [{"Level": "Study", "OrthancId": lenv.study("A")["id"]}],
                                "ValidityDuration": 600}, auth=CAROL)
    assert ok.status_code == 201, (ok.status_code, ok.text)
    before = len(lenv.list_shares(auth=CAROL))
    for resources in ([{"Level": "Study", "OrthancId": lenv.study("B")["id"]}],
                      [{"Level": "Study", "DicomUid": lenv.study("B")["uid"]}],
                      [{"Level": "Study", "OrthancId": lenv.study("A")["id"]},
                       {"Level": "Study", "OrthancId": lenv.study("B")["id"]}]):
        r = lenv.create_share_raw({"Resources": resources, "ValidityDuration": 600}, auth=CAROL)
        assert r.status_code == 403, (resources, r.status_code, r.text)
        assert "label" in r.json()["Message"], r.text
    assert len(lenv.list_shares(auth=CAROL)) == before
    # Orthanc Explorer 2's Share button goes through the same check
    r = lenv.request("PUT", "/auth/tokens/stone-viewer-publication", auth=CAROL,
                     headers={"X-Requested-With": "test"},
                     json={"Resources": [{"OrthancId": lenv.study("B")["id"], "Level": "study"}],
                           "Type": "stone-viewer-publication", "ValidityDuration": 600})
    assert r.status_code == 403, (r.status_code, r.text)


@ONLY_112
def test_removing_the_label_closes_the_study_at_once(lenv):
    a = lenv.study("A")["id"]
    assert carol(lenv, "GET", "/studies/" + a).status_code == 200
    assert lenv.admin("DELETE", "/studies/%s/labels/%s" % (a, LABEL)).status_code == 200
    try:
        assert carol(lenv, "GET", "/studies/" + a).status_code == 403
        assert carol(lenv, "GET", "/series/" + lenv.series("A")["id"]).status_code == 403
    finally:
        assert lenv.admin("PUT", "/studies/%s/labels/%s" % (a, LABEL), data=b"").status_code == 200
    assert carol(lenv, "GET", "/studies/" + a).status_code == 200


@pytest.mark.skipif(NEWER, reason="the 1.10 behaviour; on 1.12 the table above runs")
def test_on_orthanc_110_a_label_limited_sharer_reads_no_study(lenv):
    for key in ("A", "B"):
        assert carol(lenv, "GET", "/studies/" + lenv.study(key)["id"]).status_code == 403
    assert carol(lenv, "GET", "/studies").status_code == 403
    r = lenv.create_share_raw({"Resources": [{"Level": "Study", "OrthancId": lenv.study("A")["id"]}],
                               "ValidityDuration": 600}, auth=CAROL)
    assert r.status_code == 403, (r.status_code, r.text)
    assert lenv.request("GET", "/studies", auth=ALICE).status_code == 200
