# SPDX-License-Identifier: GPL-3.0-or-later
"""The e-mail to staff when an upload finishes (POST /share/api/inbox/complete),
through a real SMTP server process (aiosmtpd, as test_email.py): who gets it
(the creator's Users.{name}.Email, else Email.InboxNotifyAddress), what it says
and does not say, at most one per interval per inbox even under parallel calls,
the audit line, and the route's refusals."""

import concurrent.futures
import json
import os

import pytest
import requests

from conftest import SECRET, STUDYSHARE_PLUGIN, argon2id_hash
from inbox_files import fixture_file, make_study
from orthanc_harness import DICOMWEB_PLUGIN, WEBVIEWER_PLUGIN, OrthancProcess
from test_email import FROM, SmtpServer, bodies

TEAM = "radiology.team@hospital.test"
SHARER = ("carol", "carol-pw-3")
SHARER_EMAIL = "carol@hospital.test"


@pytest.fixture(scope="module")
def smtp(tmp_path_factory):
    server = SmtpServer(tmp_path_factory.mktemp("smtp-inbox")).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def orthanc(tmp_path_factory, fixture_files, smtp):
    if not os.path.isfile(STUDYSHARE_PLUGIN):
        pytest.fail("StudyShare plugin not built: %s" % STUDYSHARE_PLUGIN)
    store_dir = tmp_path_factory.mktemp("studyshare-inbox-notify-store")
    config = {"StudyShare": {
        "Secret": SECRET,
        "Store": {"Type": "sqlite", "Path": str(store_dir / "shares.db")},
        "Smtp": {"Url": "smtp://127.0.0.1:%d" % smtp.port, "From": FROM, "StartTls": "try", "TimeoutSeconds": 5},
        # One hour: within a test, a second e-mail for the same inbox is always too early.
        "Email": {"InboxNotifyAddress": TEAM, "InboxNotifyIntervalSeconds": 3600},
        "Users": {SHARER[0]: {"PasswordHash": argon2id_hash(SHARER[1]), "Role": "sharer", "Email": SHARER_EMAIL}},
    }}
    o = OrthancProcess(plugins=[DICOMWEB_PLUGIN, WEBVIEWER_PLUGIN, STUDYSHARE_PLUGIN], extra_config=config,
                       start=False)
    try:
        o.extra_config["StudyShare"]["PublicUrl"] = o.url
        o.start()
        yield o
    finally:
        o.cleanup()


@pytest.fixture(scope="module")
def template(fixture_files):
    return fixture_file(fixture_files[0])


def create_inbox(orthanc, auth=None, **fields):
    body = dict({"Kind": "Inbox", "ValidityDuration": 3600}, **fields)
    r = requests.post(orthanc.url + "/studyshare/shares", data=json.dumps(body), auth=auth or orthanc.admin_auth,
                      timeout=60)
    assert r.status_code == 201, r.text
    return r.json()


def session_of(orthanc, token):
    r = requests.post(orthanc.url + "/share/api/open", json={"Token": token}, timeout=60)
    assert r.status_code == 200, r.text
    return r.json()["SessionToken"]


def upload(orthanc, session, data):
    r = requests.post(orthanc.url + "/share/api/inbox/files", data=data, timeout=60,
                      headers={"Content-Type": "application/dicom", "Authorization": "Bearer " + session})
    assert r.status_code == 200 and r.json()["Accepted"] == 1, r.text


def complete(orthanc, session, body=b"", headers=None):
    sent = {"Authorization": "Bearer " + session} if session else {}
    sent.update(headers or {})
    return requests.post(orthanc.url + "/share/api/inbox/complete", data=body, headers=sent, timeout=60)


def audit(orthanc, inbox_id):
    return [(e["Event"], e["Outcome"]) for e in orthanc.get_json("/studyshare/shares/%s/audit" % inbox_id)]


def to(address):
    return lambda m: m["To"] and address in str(m["To"])


def test_staff_are_emailed_once_with_counts_and_no_patient_data(orthanc, smtp, template):
    inbox = create_inbox(orthanc, Note="priors for the MDT", Recipient={"Name": "Dr Who"})
    session = session_of(orthanc, inbox["Token"])
    # nothing arrived yet: nothing to say
    r = complete(orthanc, session)
    assert r.status_code == 200 and r.json() == {"Notified": False}, r.text
    for data in make_study(template, 3, patient="SECRET^PATIENT", description="SECRET DESCRIPTION"):
        upload(orthanc, session, data)
    r = complete(orthanc, session)
    assert r.status_code == 200 and r.json() == {"Notified": True}, r.text
    [message] = smtp.wait_for(to(TEAM))
    assert str(message["Subject"]) == "Files received in inbox " + inbox["ID"]
    text, html = bodies(message)
    assert inbox["ID"] in text and "priors for the MDT" in text and "Dr Who" in text
    assert "1 study, 3 instances" in text and "Study 1: CT, 3 instances" in text
    assert orthanc.url + "/studyshare/staff/shares.html" in text
    staff = orthanc.get_json("/studyshare/shares/" + inbox["ID"])["Received"]["Studies"][0]
    for secret in ("SECRET", "INBOX-1", staff["StudyInstanceUID"], staff["OrthancId"], inbox["Token"], session,
                   "token="):
        assert secret not in text and secret not in html, secret
    # within the interval: no second message
    r = complete(orthanc, session)
    assert r.json() == {"Notified": False}
    assert len(smtp.wait_for(to(TEAM), count=2, timeout=2)) == 1
    assert ("notify", "sent to " + TEAM) in audit(orthanc, inbox["ID"])


def test_parallel_completions_send_one_message(orthanc, smtp, template):
    inbox = create_inbox(orthanc, Note="parallel")
    session = session_of(orthanc, inbox["Token"])
    [data] = make_study(template, 1)
    upload(orthanc, session, data)
    with concurrent.futures.ThreadPoolExecutor(max_workers=12) as pool:
        answers = list(pool.map(lambda _: complete(orthanc, session), range(24)))
    assert all(a.status_code == 200 for a in answers), [a.text for a in answers]
    assert sum(a.json()["Notified"] for a in answers) == 1
    subject = "Files received in inbox " + inbox["ID"]
    assert len(smtp.wait_for(lambda m: str(m["Subject"]) == subject, count=2, timeout=2)) == 1
    assert [e for e in audit(orthanc, inbox["ID"]) if e[0] == "notify"] == [("notify", "sent to " + TEAM)]


def test_the_creator_with_an_address_gets_the_message(orthanc, smtp, template):
    inbox = create_inbox(orthanc, auth=SHARER)
    assert inbox["CreatedBy"] == SHARER[0]
    session = session_of(orthanc, inbox["Token"])
    [data] = make_study(template, 1)
    upload(orthanc, session, data)
    assert complete(orthanc, session).json() == {"Notified": True}
    [message] = smtp.wait_for(to(SHARER_EMAIL))
    assert inbox["ID"] in str(message["Subject"])


def test_the_route_refuses_what_an_upload_refuses(orthanc, template):
    inbox = create_inbox(orthanc)
    session = session_of(orthanc, inbox["Token"])
    assert complete(orthanc, None).status_code == 401
    assert complete(orthanc, "not-a-session").status_code == 401
    # the inbox's token itself, in the other places a token is read, or staff credentials: not a session
    assert complete(orthanc, inbox["Token"]).status_code == 401
    r = requests.post(orthanc.url + "/share/api/inbox/complete", auth=orthanc.admin_auth, timeout=60)
    assert r.status_code == 401
    r = requests.post(orthanc.url + "/share/api/inbox/complete?token=" + session, timeout=60)
    assert r.status_code == 401
    r = complete(orthanc, session, body=b"{}")
    assert r.status_code == 400 and r.json()["Error"] == "bad-request"
    assert requests.get(orthanc.url + "/share/api/inbox/complete", headers={"Authorization": "Bearer " + session},
                        timeout=60).status_code == 405
    # a share's session is not an inbox's
    [data] = make_study(template, 1, patient="SHARED^STUDY")
    stored = requests.post(orthanc.url + "/instances", data=data, auth=orthanc.admin_auth, timeout=60).json()
    share = requests.post(orthanc.url + "/studyshare/shares", auth=orthanc.admin_auth, timeout=60, data=json.dumps(
        {"Resources": [{"Level": "Study", "OrthancId": stored["ParentStudy"]}], "ValidityDuration": 3600}))
    assert share.status_code == 201, share.text
    assert complete(orthanc, session_of(orthanc, share.json()["Token"])).status_code == 403
    # closed
    assert requests.delete(orthanc.url + "/studyshare/shares/" + inbox["ID"], auth=orthanc.admin_auth,
                           timeout=60).status_code == 200
    r = complete(orthanc, session)
    assert r.status_code == 410 and r.json()["Error"] == "revoked"
