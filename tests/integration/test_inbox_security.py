# SPDX-License-Identifier: GPL-3.0-or-later
"""Inbox links, their security rules against the real Orthanc: an inbox reads
nothing (not even what it received), never adds to or overwrites what it did
not create (and says only "not-accepted"), share sessions never upload, and
closed or expired inboxes refuse."""

import pytest
import requests

from inbox_files import (create_inbox, fixture_file, lookup, make_dicom, make_study, open_session, staff_view,
                         summary, upload)


@pytest.fixture(scope="module")
def template(fixture_files):
    return fixture_file(fixture_files[0])


def test_an_inbox_is_created_without_resources_and_shown_as_an_inbox(env):
    inbox = create_inbox(env, Note="CD from Dr Who")
    assert inbox["Kind"] == "Inbox"
    assert inbox["Studies"] == [] and inbox["Permissions"] == []
    assert (inbox["MaxUploadBytes"], inbox["MaxFileBytes"], inbox["MaxFiles"]) == (4 << 30, 512 << 20, 20000)
    assert inbox["Received"] == {"Studies": [], "Instances": 0, "Bytes": 0}
    assert inbox["Url"].startswith(env.url + "/share/#token=")
    assert env.create_share("A")["Kind"] == "Share"
    answer = open_session(env, inbox["Token"])
    assert answer["Kind"] == "Inbox" and answer["Studies"] == [] and answer["Viewers"] == {}


@pytest.mark.parametrize("body, message", [
    ({"Kind": "Inbox", "Resources": [{"Level": "Study", "DicomUid": "1.2.3"}]}, "'Resources' does not apply"),
    ({"Kind": "Inbox", "Permissions": ["View"]}, "'Permissions' does not apply"),
    ({"Kind": "Inbox", "MaxFiles": 0}, "'MaxFiles' must be an integer"),
    ({"Kind": "Inbox", "MaxUploadBytes": "lots"}, "'MaxUploadBytes' must be an integer"),
    ({"Kind": "Mailbox"}, "'Kind' must be"),
    ({"Resources": [{"Level": "Study", "DicomUid": "1.2.3"}], "MaxFiles": 3}, "only applies with"),
])
def test_bad_inbox_requests_are_refused(env, body, message):
    before = len(env.list_shares())
    r = env.create_share_raw(body)
    assert r.status_code == 400, r.text
    assert message in r.json()["Message"]
    assert len(env.list_shares()) == before


def test_an_inbox_session_reads_nothing_not_even_its_own_upload(env, template):
    inbox = create_inbox(env)
    session = open_session(env, inbox["Token"])["SessionToken"]
    data, ds = make_dicom(template)
    r = upload(env, session, data)
    assert r.status_code == 200, r.text
    assert r.json()["Accepted"] == 1
    [found] = [m for m in lookup(env, ds.SOPInstanceUID) if m["Type"] == "Instance"]
    [study] = [m for m in lookup(env, ds.StudyInstanceUID) if m["Type"] == "Study"]
    instance_id, study_id = found["ID"], study["ID"]
    for token in (session, inbox["Token"]):
        for via in ("bearer", "header", "arg"):
            for path in ("/studies/" + study_id, "/instances/" + instance_id + "/file",
                         "/instances/" + instance_id + "/preview", "/studies", "/patients", "/instances",
                         "/dicom-web/studies?StudyInstanceUID=" + ds.StudyInstanceUID,
                         "/dicom-web/studies/%s/metadata" % ds.StudyInstanceUID, "/system",
                         "/wado?requestType=WADO&studyUID=%s&seriesUID=%s&objectUID=%s" % (
                             ds.StudyInstanceUID, ds.SeriesInstanceUID, ds.SOPInstanceUID),
                         "/studies/" + env.study("A")["id"]):
                r = env.get(path, token=token, via=via)
                assert r.status_code in (401, 403), (path, via, r.status_code)
    r = env.request("POST", "/tools/find", token=session, json={"Level": "Study", "Query": {}})
    assert r.status_code in (401, 403)
    # only its own summary, through the plugin's route
    r = summary(env, session)
    assert r.status_code == 200, r.text
    [received] = r.json()["Studies"]
    assert received["PatientName"] == "INBOX^TEST" and received["Instances"] == 1
    assert "OrthancId" not in received
    # marked in Orthanc, recorded for staff
    assert env.admin_get("/instances/%s/metadata/4512" % instance_id).text == inbox["ID"]
    [staff_study] = staff_view(env, inbox["ID"])["Received"]["Studies"]
    assert staff_study["OrthancId"] == study_id and staff_study["StudyInstanceUID"] == ds.StudyInstanceUID


def test_a_file_of_a_study_or_instance_already_in_orthanc_is_refused_generically(env, template):
    inbox = create_inbox(env)
    session = open_session(env, inbox["Token"])["SessionToken"]
    study_a = env.study("A")
    before = env.admin_get("/studies/%s/instances" % study_a["id"]).json()
    existing_instance = env.instance("A")
    added, _ = make_dicom(template, study_uid=study_a["uid"], series_uid=env.series("A")["uid"])
    overwrite, _ = make_dicom(template, study_uid=study_a["uid"], series_uid=env.series("A")["uid"],
                              sop_uid=existing_instance["uid"], patient="EVIL^OVERWRITE")
    moved, _ = make_dicom(template, sop_uid=existing_instance["uid"])  # a known SOP UID in a new study
    answers = []
    for name, data in (("added.dcm", added), ("overwrite.dcm", overwrite), ("moved.dcm", moved)):
        r = upload(env, session, data, name=name)
        assert r.status_code == 200, r.text
        answers.append(r.json())
    for answer in answers:
        assert answer["Accepted"] == 0
        [item] = answer["Files"]
        assert set(item) == {"Name", "Status"} and item["Status"] == "not-accepted"
    after = env.admin_get("/studies/%s/instances" % study_a["id"]).json()
    assert sorted(i["ID"] for i in after) == sorted(i["ID"] for i in before)
    tags = env.admin_get("/instances/%s/simplified-tags" % existing_instance["id"]).json()
    assert tags["PatientName"] == "DOE^JANE"
    # staff see the real reasons
    outcomes = [e["Outcome"] for e in env.admin_get("/studyshare/shares/%s/audit" % inbox["ID"]).json()
                if e["Event"] == "upload-refused"]
    assert any("StudyInstanceUID is already in Orthanc" in o for o in outcomes), outcomes
    assert any("SOPInstanceUID is already in Orthanc" in o for o in outcomes), outcomes
    assert staff_view(env, inbox["ID"])["Received"]["Instances"] == 0


def test_an_inbox_cannot_add_to_a_study_another_inbox_created(env, template):
    first = open_session(env, create_inbox(env)["Token"])["SessionToken"]
    second = open_session(env, create_inbox(env)["Token"])["SessionToken"]
    files = make_study(template, 2)
    assert upload(env, first, files[0]).json()["Accepted"] == 1
    assert upload(env, first, files[1]).json()["Accepted"] == 1  # its own study: accepted
    other, _ = make_dicom(template, study_uid=pydicom_study_uid(files[0]))
    r = upload(env, second, other)
    assert r.status_code == 200 and r.json()["Files"][0]["Status"] == "not-accepted"
    r = upload(env, second, files[0])  # the very same file, through another inbox
    assert r.status_code == 200 and r.json()["Files"][0]["Status"] == "not-accepted"


def pydicom_study_uid(data):
    import io
    import pydicom
    return pydicom.dcmread(io.BytesIO(data)).StudyInstanceUID


def test_share_tokens_sessions_staff_and_strangers_cannot_upload(env, template):
    data, ds = make_dicom(template)
    share = env.create_share("A")
    share_session = open_session(env, share["Token"])["SessionToken"]
    r = upload(env, share_session, data)
    assert r.status_code == 403 and r.json()["Error"] == "not-an-inbox"
    inbox = create_inbox(env)
    for token in (share["Token"], inbox["Token"], "garbage", ""):  # share tokens are not sessions
        r = upload(env, token, data)
        assert r.status_code == 401, (token[:10], r.status_code)
    assert upload(env, None, data).status_code == 401
    assert upload(env, None, data, auth=env.admin_auth).status_code == 401
    assert [m for m in lookup(env, ds.SOPInstanceUID)] == []


def test_revoked_and_expired_inboxes_refuse_uploads(env, template):
    inbox = create_inbox(env)
    session = open_session(env, inbox["Token"])["SessionToken"]
    assert upload(env, session, make_dicom(template)[0]).status_code == 200
    assert env.admin("DELETE", "/studyshare/shares/" + inbox["ID"]).status_code == 200
    data, ds = make_dicom(template)
    r = upload(env, session, data)
    assert r.status_code == 410 and r.json()["Error"] == "revoked"
    assert summary(env, session).status_code == 410
    assert lookup(env, ds.SOPInstanceUID) == []
    assert staff_view(env, inbox["ID"])["State"] == "revoked"


def test_hostile_file_names_come_back_as_data(env, template):
    session = open_session(env, create_inbox(env)["Token"])["SessionToken"]
    name = "<img src=x onerror=alert(1)>é.dcm"
    r = upload(env, session, b"not dicom at all", name=name)
    assert r.status_code == 200, r.text
    assert r.json()["Files"] == [{"Name": name, "Status": "not-dicom"}]
    assert r.headers["Content-Type"].startswith("application/json")
