# SPDX-License-Identifier: GPL-3.0-or-later
"""Inbox limits against the real Orthanc: a file too large, too many files, a
ZIP bomb, ZIP unpacking, the same file twice, parallel uploads that must not
pass the limits together, and a revocation while files are arriving."""

import concurrent.futures
import threading
import zipfile

import pytest

from inbox_files import (create_inbox, fixture_file, lookup, make_dicom, make_study, open_session, staff_view,
                         summary, upload, zip_of)


@pytest.fixture(scope="module")
def template(fixture_files):
    return fixture_file(fixture_files[0])


def inbox_session(env, **fields):
    inbox = create_inbox(env, **fields)
    return inbox, open_session(env, inbox["Token"])["SessionToken"]


def test_a_file_larger_than_max_file_bytes_is_refused_with_413(env, template):
    data, ds = make_dicom(template)
    inbox, session = inbox_session(env, MaxFileBytes=len(data) - 1)
    r = upload(env, session, data)
    assert r.status_code == 413 and r.json()["Error"] == "too-large"
    assert lookup(env, ds.SOPInstanceUID) == []


def test_max_files_and_max_upload_bytes_hold(env, template):
    files = make_study(template, 3)
    inbox, session = inbox_session(env, MaxFiles=2)
    assert [upload(env, session, f).status_code for f in files] == [200, 200, 413]
    assert staff_view(env, inbox["ID"])["Received"]["Instances"] == 2
    files = make_study(template, 3)
    inbox, session = inbox_session(env, MaxUploadBytes=2 * len(files[0]) + 10)
    assert [upload(env, session, f).status_code for f in files] == [200, 200, 413]
    assert upload(env, session, files[2]).json()["Error"] == "limit-reached"


def test_the_same_file_twice_is_stored_once(env, template):
    inbox, session = inbox_session(env)
    data, ds = make_dicom(template)
    first = upload(env, session, data).json()
    second = upload(env, session, data).json()
    assert first["Files"][0]["Status"] == "accepted" and "Duplicate" not in first["Files"][0]
    assert second["Files"][0] == {"Name": "image.dcm", "Status": "accepted", "Duplicate": True}
    received = staff_view(env, inbox["ID"])["Received"]
    assert received["Instances"] == 1 and received["Bytes"] == len(data)


def test_a_zip_is_unpacked_with_dicom_and_other_files_sorted(env, template):
    inbox, session = inbox_session(env)
    files = make_study(template, 2)
    body = zip_of([("CD/IMAGES/IM1", files[0]), ("CD/IMAGES/IM2", files[1]), ("CD/README.TXT", b"hello"),
                   ("CD/VIEWER/", b"")])
    r = upload(env, session, body, content_type="application/zip", name="cd.zip")
    assert r.status_code == 200, r.text
    assert r.json()["Accepted"] == 2
    assert [(f["Name"], f["Status"]) for f in r.json()["Files"]] == [
        ("CD/IMAGES/IM1", "accepted"), ("CD/IMAGES/IM2", "accepted"), ("CD/README.TXT", "not-dicom")]
    [study] = summary(env, session).json()["Studies"]
    assert study["Instances"] == 2 and study["Modalities"] == ["CT"]


def test_zip_limits_bomb_members_and_garbage(env, template):
    inbox, session = inbox_session(env, MaxFiles=3)
    bomb = zip_of([("zeros.dcm", b"\0" * (64 << 20))])
    assert len(bomb) < (1 << 20)
    r = upload(env, session, bomb, content_type="application/zip")
    assert r.status_code == 413 and "ZIP bomb" in r.json()["Message"]
    many = zip_of([("f%d" % i, b"x") for i in range(4)])
    r = upload(env, session, many, content_type="application/zip")
    assert r.status_code == 413 and "more than 3 files" in r.json()["Message"]
    r = upload(env, session, b"PK\x03\x04 not really a zip", content_type="application/zip")
    assert r.status_code == 400 and r.json()["Error"] == "bad-zip"
    big_member = zip_of([("big", b"\1" * 2000)], compression=zipfile.ZIP_STORED)
    inbox, session = inbox_session(env, MaxFileBytes=1000)
    assert upload(env, session, big_member, content_type="application/zip").status_code == 413
    r = upload(env, session, b"{}", content_type="text/plain")
    assert r.status_code == 415
    assert staff_view(env, inbox["ID"])["Received"]["Instances"] == 0


def test_parallel_uploads_never_pass_max_files(env, template):
    inbox, session = inbox_session(env, MaxFiles=5)
    files = make_study(template, 16)
    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(lambda f: upload(env, session, f).status_code, files))
    assert statuses.count(200) == 5 and statuses.count(413) == 11, statuses
    received = staff_view(env, inbox["ID"])["Received"]
    assert received["Instances"] == 5
    [study] = received["Studies"]
    assert len(env.admin_get("/studies/%s/instances" % study["OrthancId"]).json()) == 5


def test_parallel_uploads_never_pass_max_upload_bytes(env, template):
    files = make_study(template, 12)
    inbox, session = inbox_session(env, MaxUploadBytes=3 * len(files[0]) + len(files[0]) // 2)
    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(lambda f: upload(env, session, f).status_code, files))
    assert statuses.count(200) == 3, statuses
    assert staff_view(env, inbox["ID"])["Received"]["Bytes"] <= 3 * len(files[0]) + len(files[0]) // 2


def test_revocation_during_uploads_stops_them_at_once(env, template):
    inbox, session = inbox_session(env)
    files = make_study(template, 60)
    revoked = threading.Event()
    after_revocation = []

    def send_all():
        for data in files:
            was_revoked = revoked.is_set()
            status = upload(env, session, data).status_code
            if was_revoked:
                after_revocation.append(status)

    sender = threading.Thread(target=send_all)
    sender.start()
    while staff_view(env, inbox["ID"])["Received"]["Instances"] < 3:
        pass
    assert env.admin("DELETE", "/studyshare/shares/" + inbox["ID"]).status_code == 200
    revoked.set()
    count_at_revocation = staff_view(env, inbox["ID"])["Received"]["Instances"]
    sender.join()
    assert after_revocation and set(after_revocation) == {410}, after_revocation
    # at most the file already in flight when the revocation returned
    assert staff_view(env, inbox["ID"])["Received"]["Instances"] <= count_at_revocation + 1
