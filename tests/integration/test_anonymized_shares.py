# SPDX-License-Identifier: GPL-3.0-or-later
"""Anonymized shares on a real Orthanc: the share names a de-identified copy
that Orthanc's own anonymization job makes, every granted route serves only
the copy, and the copy goes when the share ends.

One Orthanc for the module, with studies written by identifying_study.py.
"""

import io
import json
import os
import time
import zipfile

import pytest
import requests

from conftest import launch_with_studies, make_orthanc, sharer_hashes, studyshare_section, Env
from identifying_study import NEEDLES, write_study

WAIT_SECONDS = 300

SECONDARY_CAPTURE = "1.2.840.10008.5.1.4.1.1.7"


@pytest.fixture(scope="module")
def anon(tmp_path_factory):
    folder = tmp_path_factory.mktemp("anonymized-studies")
    studies = {
        "ident": write_study(str(folder / "ident")),
        "us": write_study(str(folder / "us"), 1, 1, modality="US"),
        "burned": write_study(str(folder / "burned"), 1, 2, burned_in="YES"),
        "capture": write_study(str(folder / "capture"), 1, 1, modality="DX", sop_class=SECONDARY_CAPTURE),
    }
    _, users = sharer_hashes()
    section = studyshare_section(tmp_path_factory.mktemp("anon-store") / "shares.db", users)
    section["Anonymization"] = {"CleanupIntervalSeconds": 1, "PollMilliseconds": 50, "DicomVersion": "2021b"}
    orthanc = make_orthanc({"StudyShare": section})
    launch_with_studies(orthanc, (str(folder), {"Studies": []}))
    try:
        env = Env(orthanc, {"Studies": []}, {})
        for key, manifest in studies.items():
            manifest["id"] = env.lookup(manifest["StudyInstanceUID"], "Study")
        env.anon_studies = studies
        env.folder = folder
        yield env
    finally:
        orthanc.cleanup()


def share_of(env, key, **fields):
    body = {"Resources": [{"Level": "Study", "OrthancId": env.anon_studies[key]["id"]}],
            "ValidityDuration": 3600, "Anonymize": True, "Permissions": ["View", "Download"]}
    body.update(fields)
    return env.create_share_raw(body)


def wait_state(env, share_id, wanted=("Ready", "Failed"), timeout=WAIT_SECONDS):
    deadline = time.time() + timeout
    while True:
        share = env.admin_get("/studyshare/shares/" + share_id).json()
        if share["Anonymization"]["State"] in wanted:
            return share
        assert time.time() < deadline, share
        time.sleep(0.1)


def wait_gone(env, path, timeout=WAIT_SECONDS):
    deadline = time.time() + timeout
    while env.admin_get(path).status_code != 404:
        assert time.time() < deadline, path
        time.sleep(0.1)


def ready_share(env, key="ident", **fields):
    r = share_of(env, key, **fields)
    assert r.status_code == 201, r.text
    created = r.json()
    assert created["Anonymization"]["State"] in ("Pending", "Running"), created
    assert created["Studies"] == []
    share = wait_state(env, created["ID"])
    assert share["Anonymization"]["State"] == "Ready", share
    share["Token"] = created["Token"]
    return share


def original_uids(manifest):
    uids = [manifest["StudyInstanceUID"], manifest["FrameOfReferenceUID"]]
    for series in manifest["Series"]:
        uids.append(series["SeriesInstanceUID"])
        uids.extend(series["SOPInstanceUIDs"])
    return uids


def original_orthanc_ids(env, manifest):
    """The original's Orthanc IDs: its patient, study, series and instances."""
    study = env.admin_get("/studies/" + manifest["id"]).json()
    ids = [study["ParentPatient"], manifest["id"]]
    for series_id in study["Series"]:
        ids.append(series_id)
        ids.extend(env.admin_get("/series/" + series_id).json()["Instances"])
    return ids


def leaks(body, needles):
    data = body if isinstance(body, bytes) else body.encode()
    lower = data.lower()
    return [n for n in needles if n.lower().encode() in lower]


def granted_answers(env, token, copy_id):
    """Every route family's answer for the copy, as (route, bytes)."""
    answers = []

    def fetch(path, **kwargs):
        r = env.get(path, token=token, **kwargs)
        assert r.status_code == 200, (path, r.status_code, r.text[:300])
        answers.append((path, r.content))
        return r

    study = fetch("/studies/" + copy_id).json()
    uid = study["MainDicomTags"]["StudyInstanceUID"]
    for path in ("/studies/%s/series", "/studies/%s/instances", "/studies/%s/shared-tags",
                 "/studies/%s/shared-tags?simplify", "/studies/%s/module", "/studies/%s/module-patient",
                 "/studies/%s/metadata?expand", "/studies/%s/metadata", "/studies/%s/statistics",
                 "/studies/%s/instances-tags", "/studies/%s/archive", "/studies/%s/media"):
        fetch(path % copy_id)
    for series_id in study["Series"]:
        series = fetch("/series/" + series_id).json()
        series_uid = series["MainDicomTags"]["SeriesInstanceUID"]
        for sub in ("instances", "study", "shared-tags", "module", "metadata", "metadata?expand", "ordered-slices"):
            fetch("/series/%s/%s" % (series_id, sub))
        fetch("/web-viewer/series/" + series_id)
        fetch("/dicom-web/studies/%s/series/%s/metadata" % (uid, series_uid))
        fetch("/dicom-web/studies/%s/series/%s/instances?includefield=all" % (uid, series_uid))
        for instance_id in series["Instances"]:
            instance = fetch("/instances/" + instance_id).json()
            sop = instance["MainDicomTags"]["SOPInstanceUID"]
            for sub in ("tags", "simplified-tags", "tags?simplify", "file", "header", "metadata", "metadata?expand",
                        "series", "study", "module", "statistics"):
                fetch("/instances/%s/%s" % (instance_id, sub))
            fetch("/dicom-web/studies/%s/series/%s/instances/%s" % (uid, series_uid, sop),
                  headers={"Accept": "multipart/related; type=\"application/dicom\""})
            fetch("/dicom-web/studies/%s/series/%s/instances/%s/metadata" % (uid, series_uid, sop))
            fetch("/wado?requestType=WADO&studyUID=%s&seriesUID=%s&objectUID=%s&contentType=application/dicom"
                  % (uid, series_uid, sop))
    fetch("/dicom-web/studies/%s/metadata" % uid)
    fetch("/dicom-web/studies/%s" % uid, headers={"Accept": "multipart/related; type=\"application/dicom\""})
    fetch("/dicom-web/studies", params={"StudyInstanceUID": uid, "includefield": "all"})
    fetch("/dicom-web/studies/%s/series" % uid, params={"includefield": "all"})
    fetch("/dicom-web/studies/%s/instances" % uid, params={"includefield": "all"})
    # The archive's members, each on its own (compressed bytes would hide a leak).
    archive = [content for path, content in answers if path.endswith("/archive")][0]
    with zipfile.ZipFile(io.BytesIO(archive)) as zipped:
        for name in zipped.namelist():
            answers.append(("archive member " + name, name.encode() + zipped.read(name)))
    opened = requests.post(env.url + "/share/api/open", json={"Token": token}, timeout=60)
    assert opened.status_code == 200, opened.text
    answers.append(("/share/api/open", opened.content))
    return answers, opened.json()


def test_a_ready_copy_serves_no_identifying_value_through_any_granted_route(anon):
    share = ready_share(anon)
    manifest = anon.anon_studies["ident"]
    assert len(share["Studies"]) == 1
    copy = share["Studies"][0]
    assert copy["OrthancId"] != manifest["id"]
    assert copy["DicomUid"] != manifest["StudyInstanceUID"]
    # The share names the final copy (the second pass's), by both of its identifiers.
    assert anon.admin_get("/studies/" + copy["OrthancId"]).json()["MainDicomTags"]["StudyInstanceUID"] == \
        copy["DicomUid"]
    assert share["Anonymization"]["Originals"] == [manifest["id"]]
    # Orthanc records the source of what it writes (AnonymizedFrom, ModifiedFrom):
    # the original's Orthanc IDs are identifying links, as its UIDs are.
    needles = NEEDLES + original_uids(manifest) + original_orthanc_ids(anon, manifest)
    answers, opened = granted_answers(anon, share["Token"], copy["OrthancId"])
    assert len(answers) > 100
    found = [(route, leaks(body, needles)) for route, body in answers if leaks(body, needles)]
    assert not found, found
    # The copy says what was done to it.
    tags = anon.get("/instances/%s/simplified-tags" % anon.admin_get(
        "/studies/%s/instances" % copy["OrthancId"]).json()[0]["ID"], token=share["Token"]).json()
    assert tags["PatientIdentityRemoved"] == "YES"
    assert tags["DeidentificationMethod"].startswith("StudyShare: Orthanc PS3.15 Basic Profile"), tags
    assert tags["PatientName"].startswith("ANONYMIZED^")
    assert opened["Studies"][0]["PatientName"].startswith("ANONYMIZED^")
    # The session from the open grants the copy too.
    session = opened["SessionToken"]
    assert anon.get("/studies/" + copy["OrthancId"], token=session).status_code == 200
    assert_first_copy_gone(anon, copy["OrthancId"], tags["PatientName"])


def assert_first_copy_gone(env, copy_id, pseudonym):
    """The final copy names the first pass's copy as its source (ModifiedFrom),
    and that copy is gone: nothing in Orthanc links the share to the original."""
    metadata = env.admin_get("/studies/%s/metadata?expand" % copy_id).json()
    assert "AnonymizedFrom" not in metadata, metadata
    first = metadata["ModifiedFrom"]
    assert env.admin_get("/studies/" + first).status_code == 404
    instance = env.admin_get("/studies/%s/instances" % copy_id).json()[0]["ID"]
    instance_metadata = env.admin_get("/instances/%s/metadata?expand" % instance).json()
    assert "AnonymizedFrom" not in instance_metadata, instance_metadata
    assert env.admin_get("/instances/" + instance_metadata["ModifiedFrom"]).status_code == 404
    under_pseudonym = env.admin("POST", "/tools/find", json={"Level": "Study", "Query": {"PatientName": pseudonym}})
    assert under_pseudonym.json() == [copy_id]


def test_the_original_is_refused_to_the_token_and_its_session(anon):
    share = ready_share(anon)
    manifest = anon.anon_studies["ident"]
    session = requests.post(anon.url + "/share/api/open", json={"Token": share["Token"]}, timeout=60).json()[
        "SessionToken"]
    original = anon.admin_get("/studies/" + manifest["id"]).json()
    series_id = original["Series"][0]
    instance_id = anon.admin_get("/series/" + series_id).json()["Instances"][0]
    series_uid = manifest["Series"][0]["SeriesInstanceUID"]
    sop = manifest["Series"][0]["SOPInstanceUIDs"][0]
    for token in (share["Token"], session):
        for path in ("/studies/" + manifest["id"], "/studies/%s/archive" % manifest["id"], "/series/" + series_id,
                     "/instances/%s/file" % instance_id, "/instances/%s/tags" % instance_id,
                     "/dicom-web/studies/%s/metadata" % manifest["StudyInstanceUID"],
                     "/dicom-web/studies/%s/series/%s/instances/%s" % (manifest["StudyInstanceUID"], series_uid, sop)):
            assert anon.get(path, token=token).status_code in (401, 403, 404), path
        r = anon.get("/wado?requestType=WADO&studyUID=%s&seriesUID=%s&objectUID=%s&contentType=application/dicom"
                     % (share["Studies"][0]["DicomUid"], series_uid, sop), token=token)
        assert r.status_code in (401, 403, 404), r.status_code
        r = anon.get("/dicom-web/studies", token=token, params={"StudyInstanceUID": manifest["StudyInstanceUID"]})
        assert r.status_code in (401, 403, 404) or not leaks(r.content, [manifest["StudyInstanceUID"]])


def test_until_ready_the_token_opens_nothing_and_the_page_is_told_to_wait(anon):
    r = share_of(anon, "ident")
    assert r.status_code == 201
    created = r.json()
    opened = requests.post(anon.url + "/share/api/open", json={"Token": created["Token"]}, timeout=60)
    state = anon.admin_get("/studyshare/shares/" + created["ID"]).json()["Anonymization"]["State"]
    if state != "Ready":  # the job may finish first on a fast machine; then the next test shows the rest
        assert opened.status_code == 409, opened.text
        assert opened.json()["Error"] == "preparing"
    assert anon.get("/studies/" + anon.anon_studies["ident"]["id"], token=created["Token"]).status_code == 403
    wait_state(anon, created["ID"])


def test_revocation_deletes_the_copy_and_keeps_the_original(anon):
    share = ready_share(anon)
    copy_id = share["Studies"][0]["OrthancId"]
    assert anon.admin_get("/studies/" + copy_id).status_code == 200
    # Staff see the copy as StudyShare's, and cannot share it as an original.
    assert anon.admin_get("/studies/%s/metadata/4511" % copy_id).text == share["ID"]
    refused = anon.create_share_raw({"Resources": [{"Level": "Study", "OrthancId": copy_id}]})
    assert refused.status_code == 400 and share["ID"] in refused.json()["Message"]
    assert anon.admin("DELETE", "/studyshare/shares/" + share["ID"]).status_code == 200
    wait_gone(anon, "/studies/" + copy_id)
    assert anon.admin_get("/studies/" + anon.anon_studies["ident"]["id"]).status_code == 200
    events = [(e["Event"], e["Outcome"]) for e in anon.admin_get("/studyshare/shares/%s/audit" % share["ID"]).json()]
    assert ("delete-copies", "success") in events
    assert ("anonymize", "success") in events
    deadline = time.time() + 30
    while not anon.admin_get("/studyshare/shares/" + share["ID"]).json()["Anonymization"]["CopiesDeleted"]:
        assert time.time() < deadline
        time.sleep(0.1)


def test_expiry_deletes_the_copy_and_keeps_the_original(anon):
    share = ready_share(anon, ValidityDuration=8)
    copy_id = share["Studies"][0]["OrthancId"]
    wait_gone(anon, "/studies/" + copy_id)
    assert time.time() >= time.mktime(time.strptime(share["ExpirationDate"], "%Y-%m-%dT%H:%M:%SZ")) - time.timezone - 1
    assert anon.admin_get("/studies/" + anon.anon_studies["ident"]["id"]).status_code == 200


@pytest.mark.parametrize("key,fields,words", [
    ("ident", {"RequireBirthDate": True}, "RequireBirthDate"),
    ("us", {}, "AllowBurnedInAnnotation"),
    ("burned", {}, "BurnedInAnnotation YES"),
    ("capture", {}, "secondary capture"),
])
def test_refusals_store_nothing(anon, key, fields, words):
    before = len(anon.list_shares())
    r = share_of(anon, key, **fields)
    assert r.status_code == 400, r.text
    assert words in r.json()["Message"]
    assert len(anon.list_shares()) == before


def test_burned_in_studies_are_shared_once_the_sharer_says_so(anon):
    share = ready_share(anon, "us", AllowBurnedInAnnotation=True)
    assert share["Studies"][0]["OrthancId"] != anon.anon_studies["us"]["id"]


def big_study(anon, count):
    folder = anon.folder / ("big-%d" % count)
    manifest = write_study(str(folder), 1, count)
    for name in sorted(os.listdir(folder)):
        anon.orthanc.upload(str(folder / name))
    manifest["id"] = anon.lookup(manifest["StudyInstanceUID"], "Study")
    anon.anon_studies["big-%d" % count] = manifest
    return "big-%d" % count


def test_a_500_instance_study_is_prepared_and_the_time_reported(anon):
    key = big_study(anon, 500)
    start = time.time()
    share = ready_share(anon, key)
    seconds = time.time() - start
    copy = anon.admin_get("/studies/%s/statistics" % share["Studies"][0]["OrthancId"]).json()
    assert int(copy["CountInstances"]) == 500
    assert_first_copy_gone(anon, share["Studies"][0]["OrthancId"], share["Studies"][0]["PatientName"])
    # Each pass's own time, as Orthanc counts it.
    copy_id = share["Studies"][0]["OrthancId"]
    first = anon.admin_get("/studies/%s/metadata/ModifiedFrom" % copy_id).text
    runtimes = {job["Content"].get("ID"): job.get("EffectiveRuntime", 0)
                for job in anon.admin_get("/jobs?expand").json() if job.get("Type") == "ResourceModification"}
    line = "500 instances: %.2f s to Ready (anonymization %.2f s, modification %.2f s)" % (
        seconds, runtimes.get(first, -1), runtimes.get(copy_id, -1))
    print("\n" + line)
    with open(os.environ.get("STUDYSHARE_ANON_TIMING", os.devnull), "a") as report:
        report.write(line + "\n")


def wait_second_pass(env, share_id, timeout=WAIT_SECONDS):
    """Until Orthanc runs the second pass (a modification, not an
    anonymization), or the share is no longer preparing."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        for job in env.admin_get("/jobs?expand").json():
            content = job.get("Content", {})
            if job.get("Type") == "ResourceModification" and content.get("IsAnonymization") is False \
                    and job.get("State") in ("Pending", "Running"):
                return
        if env.admin_get("/studyshare/shares/" + share_id).json()["Anonymization"]["State"] in ("Ready", "Failed"):
            return
        time.sleep(0.05)
    raise AssertionError("no second pass seen for " + share_id)


@pytest.mark.parametrize("during", ["first pass", "second pass"])
def test_a_restart_during_the_job_resumes_or_fails_never_waits(anon, during):
    key = "big-500" if "big-500" in anon.anon_studies else big_study(anon, 500)
    studies_before = set(anon.admin_get("/studies").json())
    r = share_of(anon, key)
    assert r.status_code == 201
    share_id = r.json()["ID"]
    wait_state(anon, share_id, wanted=("Running", "Ready", "Failed"))
    if during == "second pass":
        wait_second_pass(anon, share_id)
    anon.orthanc.restart()
    share = wait_state(anon, share_id)
    print("\nrestart during the %s: %s (%s)" % (during, share["Anonymization"]["State"], share["Anonymization"]["Error"]))
    # Only what this share made may remain (other tests' copies may go meanwhile: a subset, not equality).
    made = set(anon.admin_get("/studies").json()) - studies_before
    # Never left waiting. A job interrupted by the restart (either pass) is stopped and the share
    # Failed with its reason (Orthanc may take a job up again after a restart, and a resumed
    # anonymization can write instances twice); a job Orthanc lost is started again; a job that
    # ended before the restart leaves a Ready share. The share says Failed only once what the
    # interrupted job wrote (and a first-pass copy) is deleted.
    if share["Anonymization"]["State"] == "Failed":
        assert "restart" in share["Anonymization"]["Error"], share
        assert not share.get("Studies"), share  # the copy is what a share names, and there is none
        assert made == set(), made
        return
    assert share["Anonymization"]["State"] == "Ready", share
    copy_id = share["Studies"][0]["OrthancId"]
    assert made == {copy_id}, made
    copy = anon.admin_get("/studies/%s/statistics" % copy_id).json()
    assert int(copy["CountInstances"]) == 500
    assert_first_copy_gone(anon, copy_id, share["Studies"][0]["PatientName"])
