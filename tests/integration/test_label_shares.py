# SPDX-License-Identifier: GPL-3.0-or-later
"""Shares by label (``"Resources": [{"Level": "Label", "Label": "teaching"}]``)
on an Orthanc of their own, where study A carries the label "teaching" and
study B the label "other": the share reaches the studies carrying the label at
the time of each request, through Orthanc REST, DICOMweb and WADO-URI, and
nothing else; its recipients are shown those studies.

Run on 1.12.3 with STUDYSHARE_ORTHANC=../shared/third_party/orthanc-1.12.3/Orthanc
(scripts/test.sh does). Orthanc 1.10 has no labels: there a share by label is
refused with 400 (tested below), and the cases that need labels are skipped
with their reason. Bad labels are refused on both."""

import json
import os
import subprocess

import pytest
import requests

from conftest import REPO, Env, argon2id_hash, launch_with_studies, make_orthanc, studyshare_section
from orthanc_harness import has_labels, orthanc_version

CLI = os.environ.get("STUDYSHARE_CLI", os.path.join(REPO, "build", "src", "cli", "studyshare"))
LABEL = "teaching"
CAROL = ("carol", "carol-pw-3")   # a sharer limited to "teaching"
ALICE = ("alice", "alice-pw-1")   # a sharer without labels
NEWER = has_labels()
ONLY_112 = pytest.mark.skipif(
    not NEWER, reason="LOUD: Orthanc %s has no labels, so no share by label can be made; these cases run on "
                      "1.12.3 (STUDYSHARE_ORTHANC=../shared/third_party/orthanc-1.12.3/Orthanc)" % orthanc_version())


@pytest.fixture(scope="module")
def lenv(fixture_files, tmp_path_factory):
    users = {}
    for (name, password), labels in ((CAROL, [LABEL]), (ALICE, None)):
        hashed = argon2id_hash(password)
        assert hashed, "libsodium is needed to hash the test users' passwords"
        users[name] = {"PasswordHash": hashed, "Role": "sharer"}
        if labels:
            users[name]["Labels"] = labels
    store = tmp_path_factory.mktemp("studyshare-label-shares") / "shares.db"
    orthanc = launch_with_studies(make_orthanc({"StudyShare": studyshare_section(store, users)}), fixture_files)
    try:
        e = Env(orthanc, fixture_files[1], {})
        e.load_ids()
        if NEWER:
            set_label(e, "A", LABEL, True)
            set_label(e, "B", "other", True)
        yield e
    finally:
        orthanc.cleanup()


def set_label(e, key, label, present):
    path = "/studies/%s/labels/%s" % (e.study(key)["id"], label)
    r = e.admin("PUT", path, data=b"") if present else e.admin("DELETE", path)
    assert r.status_code == 200, (path, r.status_code, r.text)


def label_body(label=LABEL, **fields):
    body = {"Resources": [{"Level": "Label", "Label": label}], "ValidityDuration": 600}
    body.update(fields)
    return body


def make_label_share(e, auth=None, **fields):
    r = e.create_share_raw(label_body(**fields), auth=auth)
    assert r.status_code == 201, (r.status_code, r.text)
    return r.json()


def open_share(e, body):
    return requests.post(e.url + "/share/api/open", json=body, timeout=60)


def shown_studies(e, token):
    r = open_share(e, {"Token": token})
    assert r.status_code == 200, (r.status_code, r.text)
    answer = r.json()
    assert answer["Label"] == LABEL and answer["StudiesTruncated"] is False, answer
    return answer, sorted(s["OrthancId"] for s in answer["Studies"])


def reads(e, key):
    """Reads of study ``key`` through each route family: (name, path, params)."""
    st, se, ins = e.study(key), e.series(key), e.instance(key)
    wado = "/wado?requestType=WADO&studyUID=%s&seriesUID=%s&objectUID=%s" % (st["uid"], se["uid"], ins["uid"])
    return [
        ("rest_study", "/studies/" + st["id"], None),
        ("rest_series", "/series/" + se["id"], None),
        ("rest_instance_preview", "/instances/%s/preview" % ins["id"], None),
        ("dicomweb_metadata", "/dicom-web/studies/%s/metadata" % st["uid"], None),
        ("dicomweb_qido_by_uid", "/dicom-web/studies", {"StudyInstanceUID": st["uid"]}),
        ("dicomweb_series_metadata", "/dicom-web/studies/%s/series/%s/metadata" % (st["uid"], se["uid"]), None),
        # in the path: requests would send the '/' of contentType as %2F, which Orthanc refuses
        ("wado_uri_jpeg", wado + "&contentType=image/jpeg", None),
        ("wado_uri_dicom", wado + "&contentType=application/dicom", None),
    ]


def statuses(e, token, key):
    return {name: e.get(path, token=token, params=params).status_code for name, path, params in reads(e, key)}


def count_shares(e):
    return len(e.list_shares())


@ONLY_112
def test_a_share_by_label_is_made_opened_and_read_through_every_family(lenv):
    share = make_label_share(lenv, Permissions=["View", "Download"])
    assert share["Label"] == LABEL and share["Studies"] == [], share
    assert lenv.admin_get("/studyshare/shares/" + share["ID"]).json()["Label"] == LABEL
    answer, shown = shown_studies(lenv, share["Token"])
    assert shown == [lenv.study("A")["id"]], answer
    study = answer["Studies"][0]
    assert study["DicomUid"] == lenv.study("A")["uid"] and study["Series"], study
    # the share token (nothing protects it) and the session both read study A
    for token in (share["Token"], answer["SessionToken"]):
        got = statuses(lenv, token, "A")
        assert got == dict.fromkeys(got, 200), got
    r = lenv.get("/dicom-web/studies/%s/metadata" % lenv.study("A")["uid"], token=share["Token"])
    assert r.json()[0]["0020000D"]["Value"] == [lenv.study("A")["uid"]]


@ONLY_112
def test_a_share_by_label_reaches_no_other_study_and_no_list(lenv):
    token = make_label_share(lenv, Permissions=["View", "Download"])["Token"]
    got = statuses(lenv, token, "B")
    assert set(got.values()) == {403}, got
    a, b = lenv.study("A"), lenv.study("B")
    refused = [
        ("/studies", None), ("/series", None), ("/patients", None), ("/patients/" + a["patient"], None),
        ("/tools/labels", None), ("/studies/%s/labels" % a["id"], None), ("/studies/" + LABEL, None),
        ("/dicom-web/studies", None), ("/dicom-web/series", None), ("/dicom-web/instances", None),
        ("/dicom-web/studies", {"PatientID": a["patient_id"]}), ("/changes", None),
        ("/dicom-web/studies/%s/series/%s/metadata" % (a["uid"], lenv.series("B")["uid"]), None),
        ("/wado", {"requestType": "WADO", "studyUID": a["uid"], "objectUID": lenv.instance("B")["uid"]}),
    ]
    for path, params in refused:
        assert lenv.get(path, token=token, params=params).status_code == 403, (path, params)
    r = lenv.request("POST", "/tools/find", token=token, json={"Level": "Study", "Query": {}, "Labels": [LABEL]})
    assert r.status_code == 403, r.text
    for method, path in (("DELETE", "/studies/%s/labels/%s" % (a["id"], LABEL)),
                         ("PUT", "/studies/%s/labels/%s" % (b["id"], LABEL)), ("DELETE", "/studies/" + a["id"])):
        assert lenv.request(method, path, token=token, data=b"").status_code == 403, (method, path)
    assert lenv.admin_get("/studies/%s/labels" % a["id"]).json() == [LABEL]


@ONLY_112
def test_a_study_labelled_later_opens_and_one_unlabelled_closes_at_once(lenv):
    share = make_label_share(lenv)
    token = share["Token"]
    b = lenv.study("B")["id"]
    assert lenv.get("/studies/" + b, token=token).status_code == 403
    set_label(lenv, "B", LABEL, True)
    try:
        assert lenv.get("/studies/" + b, token=token).status_code == 200
        assert lenv.get("/series/" + lenv.series("B")["id"], token=token).status_code == 200
        _, shown = shown_studies(lenv, token)
        assert shown == sorted([lenv.study("A")["id"], b])
    finally:
        set_label(lenv, "B", LABEL, False)
    got = statuses(lenv, token, "B")
    assert set(got.values()) == {403}, got
    _, shown = shown_studies(lenv, token)
    assert shown == [lenv.study("A")["id"]]
    # and the other way round: study A loses the label
    set_label(lenv, "A", LABEL, False)
    try:
        got = statuses(lenv, token, "A")
        assert set(got.values()) == {403}, got
        assert open_share(lenv, {"Token": token}).json()["Studies"] == []
    finally:
        set_label(lenv, "A", LABEL, True)
    assert lenv.get("/studies/" + lenv.study("A")["id"], token=token).status_code == 200


@ONLY_112
def test_a_revoked_share_by_label_stops_at_once(lenv):
    share = make_label_share(lenv, Password="label-pw")
    r = open_share(lenv, {"Token": share["Token"], "Password": "label-pw"})
    assert r.status_code == 200, r.text
    session = r.json()["SessionToken"]
    a = "/studies/" + lenv.study("A")["id"]
    assert lenv.get(a, token=session).status_code == 200
    assert lenv.get(a, token=share["Token"]).status_code == 403  # protected: only through a session
    assert lenv.admin("DELETE", "/studyshare/shares/" + share["ID"]).status_code == 200
    assert lenv.get(a, token=session).status_code == 403
    r = open_share(lenv, {"Token": share["Token"], "Password": "label-pw"})
    assert r.status_code == 410 and r.json()["Error"] == "revoked", r.text


@ONLY_112
def test_a_label_limited_sharer_shares_only_its_own_labels(lenv):
    share = make_label_share(lenv, auth=CAROL)
    assert lenv.get("/studies/" + lenv.study("A")["id"], token=share["Token"]).status_code == 200
    before = count_shares(lenv)
    for label in ("other", "Teaching", "research"):
        r = lenv.create_share_raw(label_body(label), auth=CAROL)
        assert r.status_code == 403, (label, r.status_code, r.text)
        assert label in r.json()["Message"], r.text
    assert count_shares(lenv) == before
    # a sharer without labels shares any label
    r = lenv.create_share_raw(label_body("other"), auth=ALICE)
    assert r.status_code == 201, r.text


def cli_runner(e):
    if not os.access(CLI, os.X_OK):
        pytest.fail("studyshare CLI not built: %s" % CLI)
    child_env = {k: v for k, v in os.environ.items() if not k.startswith("STUDYSHARE_")}
    child_env.update({"STUDYSHARE_URL": e.url, "STUDYSHARE_USER": e.admin_auth[0],
                      "STUDYSHARE_PASSWORD": e.admin_auth[1], "NO_COLOR": "1"})
    return lambda *args: subprocess.run([CLI] + list(args), capture_output=True, text=True, env=child_env,
                                        timeout=120)


@ONLY_112
def test_the_cli_shares_a_label(lenv):
    run = cli_runner(lenv)
    made = run("--json", "create", "--label", LABEL, "--days", "1")
    assert made.returncode == 0, (made.stdout, made.stderr)
    share = json.loads(made.stdout)
    assert share["Label"] == LABEL
    assert lenv.get("/studies/" + lenv.study("A")["id"], token=share["Token"]).status_code == 200
    shown = run("show", share["ID"])
    assert shown.returncode == 0 and "Label:       " + LABEL in shown.stdout, shown.stdout
    both = run("create", "--label", LABEL, "--study", lenv.study("A")["id"])
    assert both.returncode != 0 and both.stderr.strip(), both
    bad = run("create", "--label", "no spaces")
    assert bad.returncode != 0 and "Label" in bad.stderr, (bad.stdout, bad.stderr)


def test_bad_label_resources_are_400_and_store_nothing(lenv):
    before = count_shares(lenv)
    a = lenv.study("A")["id"]
    bodies = [
        label_body(""), label_body("x" * 65), label_body("two words"), label_body("a/b"), label_body(".."),
        label_body("t\u00e9aching"), label_body(7),
        {"Resources": [{"Level": "Label"}]},
        {"Resources": [{"Level": "Label", "Label": LABEL, "OrthancId": a}]},
        {"Resources": [{"Level": "Label", "Label": LABEL}, {"Level": "Label", "Label": "other"}]},
        {"Resources": [{"Level": "Study", "OrthancId": a}, {"Level": "Label", "Label": LABEL}]},
        label_body(Anonymize=True),
        label_body(RequireBirthDate=True),
    ]
    for body in bodies:
        r = lenv.create_share_raw(body)
        assert r.status_code == 400, (body, r.status_code, r.text)
        assert r.json()["Message"], r.text
    # Orthanc Explorer 2's Share button shares studies only
    r = lenv.admin("PUT", "/auth/tokens/stone-viewer-publication",
                   json={"Resources": [{"Level": "label", "Label": LABEL}], "Type": "stone-viewer-publication",
                         "ValidityDuration": 600})
    assert r.status_code == 400, (r.status_code, r.text)
    assert count_shares(lenv) == before


@pytest.mark.skipif(NEWER, reason="the 1.10 refusal; on 1.12 shares by label are made (tests above)")
def test_on_orthanc_110_a_share_by_label_is_refused_with_400(lenv):
    before = count_shares(lenv)
    for auth in (None, ALICE, CAROL):
        r = lenv.create_share_raw(label_body(), auth=auth)
        assert r.status_code == 400, (auth, r.status_code, r.text)
        assert "labels need Orthanc 1.12 or newer" in r.json()["Message"], r.text
    refused = cli_runner(lenv)("create", "--label", LABEL)
    assert refused.returncode != 0 and "labels need Orthanc 1.12" in refused.stderr, refused
    assert count_shares(lenv) == before
    # shares of studies are unaffected
    assert lenv.create_share_raw({"Resources": [{"Level": "Study", "OrthancId": lenv.study("A")["id"]}]},
                                 auth=ALICE).status_code == 201
