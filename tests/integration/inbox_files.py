# SPDX-License-Identifier: GPL-3.0-or-later
"""Helpers for the inbox tests: DICOM files with fresh UIDs (made with pydicom
from a fixture file), inboxes, their sessions and uploads."""

import io
import itertools
import json
import os
import zipfile

import pydicom
import requests

UID_ROOT = "1.2.826.0.1.3680043.8.498.100778"
_counter = itertools.count(1)


def fresh_uid():
    return "%s.%d.%d" % (UID_ROOT, os.getpid(), next(_counter))


def fixture_file(fixture_dir):
    """One synthesized fixture file (a small CT slice of study A)."""
    root = os.path.join(str(fixture_dir), "synth")
    for folder, _, names in sorted(os.walk(root)):
        for name in sorted(names):
            if name.endswith(".dcm"):
                return os.path.join(folder, name)
    raise AssertionError("no fixture file under " + root)


def make_dicom(template, study_uid=None, sop_uid=None, series_uid=None, patient="INBOX^TEST", description="FROM CD"):
    ds = pydicom.dcmread(template)
    ds.StudyInstanceUID = study_uid or fresh_uid()
    ds.SeriesInstanceUID = series_uid or fresh_uid()
    ds.SOPInstanceUID = sop_uid or fresh_uid()
    ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
    ds.PatientName = patient
    ds.PatientID = "INBOX-1"
    ds.StudyDescription = description
    out = io.BytesIO()
    ds.save_as(out, write_like_original=False)
    return out.getvalue(), ds


def make_study(template, count, **fields):
    study_uid = fresh_uid()
    series_uid = fresh_uid()
    return [make_dicom(template, study_uid=study_uid, series_uid=series_uid, **fields)[0] for _ in range(count)]


def zip_of(members, compression=zipfile.ZIP_DEFLATED):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        for name, data in members:
            archive.writestr(name, data)
    return out.getvalue()


def create_inbox(env, **fields):
    body = {"Kind": "Inbox", "ValidityDuration": 3600}
    body.update(fields)
    r = env.create_share_raw(body)
    assert r.status_code == 201, r.text
    return r.json()


def open_session(env, token, **answers):
    body = {"Token": token}
    body.update(answers)
    r = requests.post(env.url + "/share/api/open", data=json.dumps(body),
                      headers={"Content-Type": "application/json"}, timeout=60)
    assert r.status_code == 200, r.text
    return r.json()


def upload(env, session, data, content_type="application/dicom", name="image.dcm", auth=None):
    headers = {"Content-Type": content_type, "X-File-Name": requests.utils.quote(name, safe="")}
    if session is not None:
        headers["Authorization"] = "Bearer " + session
    return requests.post(env.url + "/share/api/inbox/files", data=data, headers=headers, auth=auth, timeout=120)


def summary(env, session):
    return requests.get(env.url + "/share/api/inbox/summary", headers={"Authorization": "Bearer " + session},
                        timeout=60)


def staff_view(env, inbox_id):
    r = env.admin_get("/studyshare/shares/" + inbox_id)
    assert r.status_code == 200, r.text
    return r.json()


def lookup(env, uid):
    r = requests.post(env.url + "/tools/lookup", data=uid, auth=env.admin_auth, timeout=30)
    r.raise_for_status()
    return r.json()
