# SPDX-License-Identifier: GPL-3.0-or-later
"""One-time codes by e-mail (issue 18, point 3): "RequireEmailCode": true sends
a 6-digit code to Recipient.Email when the share is opened, through a real
SMTP server process (aiosmtpd, as test_email.py); right, wrong, expired and
reused codes, the hourly send limit, and the lockout under parallel wrong
codes."""

import concurrent.futures
import json
import os
import re
import time

import pytest
import requests

from conftest import SECRET, STUDYSHARE_PLUGIN
from orthanc_harness import DICOMWEB_PLUGIN, WEBVIEWER_PLUGIN, OrthancProcess
from test_email import FROM, SmtpServer, bodies

MAX_FAILED = 3
CODE = re.compile(r"^\s*(\d{6})\s*$", re.M)


def start_orthanc(tmp_path_factory, fixture_files, smtp, **section):
    out, manifest = fixture_files
    store_dir = tmp_path_factory.mktemp("studyshare-email-code-store")
    config = {"StudyShare": dict({
        "Secret": SECRET,
        "Store": {"Type": "sqlite", "Path": str(store_dir / "shares.db")},
        "Smtp": {"Url": "smtp://127.0.0.1:%d" % smtp.port, "From": FROM, "StartTls": "try", "TimeoutSeconds": 5},
        "MaxFailedAttempts": MAX_FAILED,
    }, **section)}
    orthanc = OrthancProcess(plugins=[DICOMWEB_PLUGIN, WEBVIEWER_PLUGIN, STUDYSHARE_PLUGIN],
                             extra_config=config, start=False)
    try:
        orthanc.extra_config["StudyShare"]["PublicUrl"] = orthanc.url
        orthanc.start()
        orthanc.upload_dir(str(out / "synth" / "C"))
        orthanc.study_id = orthanc.get_json("/studies")[0]
        return orthanc
    except BaseException:
        orthanc.cleanup()
        raise


@pytest.fixture(scope="module")
def smtp(tmp_path_factory):
    server = SmtpServer(tmp_path_factory.mktemp("smtp")).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def orthanc(tmp_path_factory, fixture_files, smtp):
    o = start_orthanc(tmp_path_factory, fixture_files, smtp)
    try:
        yield o
    finally:
        o.cleanup()


counter = [0]


def create(orthanc, **fields):
    counter[0] += 1
    address = "jane.doe.%d@example.org" % counter[0]
    body = {"Resources": [{"Level": "Study", "OrthancId": orthanc.study_id}], "ValidityDuration": 3600,
            "RequireEmailCode": True, "Recipient": {"Email": address}, "SendEmail": False}
    body.update(fields)
    r = requests.post(orthanc.url + "/studyshare/shares", data=json.dumps(body), auth=orthanc.admin_auth, timeout=60)
    assert r.status_code == 201, r.text
    return r.json(), address


def open_share(orthanc, body):
    return requests.post(orthanc.url + "/share/api/open", data=json.dumps(body), timeout=60)


def codes_sent(smtp, address, count):
    found = smtp.wait_for(lambda m: address in str(m["To"]), count=count)
    codes = []
    for message in found:
        text, html = bodies(message)
        codes += CODE.findall(text)
        assert any(c in html for c in CODE.findall(text))
    return codes


def audit(orthanc, share_id):
    r = orthanc.api("GET", "/studyshare/shares/%s/audit" % share_id)
    assert r.status_code == 200, r.text
    return [(e["Event"], e["Outcome"]) for e in r.json()]


def test_the_right_code_opens_once_and_is_never_logged(orthanc, smtp):
    share, address = create(orthanc)
    assert share["RequireEmailCode"] is True
    r = open_share(orthanc, {"Token": share["Token"]})
    assert r.status_code == 401, r.text
    answer = r.json()
    assert answer["Error"] == "challenge-required"
    assert answer["Challenges"] == ["EmailCode"]
    assert answer["EmailAddress"] == "j***@example.org"
    assert answer["EmailCodeSent"] is True
    [code] = codes_sent(smtp, address, 1)

    r = open_share(orthanc, {"Token": share["Token"], "EmailCode": code[:3] + " " + code[3:]})
    assert r.status_code == 200, r.text
    assert requests.get(orthanc.url + "/studies/" + orthanc.study_id, timeout=30,
                        headers={"Authorization": "Bearer " + r.json()["SessionToken"]}).status_code == 200
    # One-time: the same code does not open it again.
    r = open_share(orthanc, {"Token": share["Token"], "EmailCode": code})
    assert r.status_code == 401 and r.json()["Error"] == "challenge-failed", r.text
    events = audit(orthanc, share["ID"])
    assert ("email-code", "sent") in events and ("open", "success") in events
    with open(orthanc.log_path, "rb") as log:
        assert code.encode() not in log.read()
    # The short link asks the same code.
    r = open_share(orthanc, {"Key": share["ShortUrl"].split("#", 1)[1]})
    assert r.status_code == 401 and r.json()["Challenges"] == ["EmailCode"], r.text


def test_a_wrong_code_is_refused_and_counts_toward_the_lockout(orthanc, smtp):
    share, address = create(orthanc)
    assert open_share(orthanc, {"Token": share["Token"]}).json()["EmailCodeSent"] is True
    [code] = codes_sent(smtp, address, 1)
    wrong = "%06d" % ((int(code) + 1) % 1000000)
    for _ in range(MAX_FAILED - 1):
        r = open_share(orthanc, {"Token": share["Token"], "EmailCode": wrong})
        assert r.status_code == 401 and r.json()["Error"] == "challenge-failed", r.text
    r = open_share(orthanc, {"Token": share["Token"], "EmailCode": "12x456"})
    assert r.status_code == 423 and r.json()["Error"] == "locked", r.text
    # Locked: even the right code is not checked, and no new code is sent.
    r = open_share(orthanc, {"Token": share["Token"], "EmailCode": code})
    assert r.status_code == 423, r.text
    r = open_share(orthanc, {"Token": share["Token"]})
    assert r.status_code == 423, r.text
    assert len(codes_sent(smtp, address, 2)) == 1
    assert orthanc.api("POST", "/studyshare/shares/%s/unlock" % share["ID"]).status_code == 200
    r = open_share(orthanc, {"Token": share["Token"], "EmailCode": code})
    assert r.status_code == 200, r.text


def test_parallel_wrong_codes_never_pass_the_lockout(orthanc, smtp):
    share, address = create(orthanc)
    open_share(orthanc, {"Token": share["Token"]})
    [code] = codes_sent(smtp, address, 1)
    wrong = "%06d" % ((int(code) + 7) % 1000000)
    with concurrent.futures.ThreadPoolExecutor(12) as pool:
        answers = list(pool.map(lambda _: open_share(orthanc, {"Token": share["Token"], "EmailCode": wrong}),
                                range(12)))
    statuses = sorted(r.status_code for r in answers)
    assert statuses.count(401) <= MAX_FAILED - 1 and statuses.count(200) == 0, statuses
    assert set(statuses) <= {401, 423}, statuses
    assert open_share(orthanc, {"Token": share["Token"], "EmailCode": code}).status_code == 423


def test_at_most_three_codes_an_hour_and_each_still_works(orthanc, smtp):
    share, address = create(orthanc)
    for _ in range(3):
        answer = open_share(orthanc, {"Token": share["Token"]}).json()
        assert answer["EmailCodeSent"] is True, answer
    answer = open_share(orthanc, {"Token": share["Token"]}).json()
    assert answer["Error"] == "challenge-required"
    assert answer["EmailCodeSent"] is False, answer
    assert 3500 <= answer["EmailCodeRetryAfter"] <= 3600, answer
    codes = codes_sent(smtp, address, 4)
    assert len(codes) == 3 and len(set(codes)) == 3, codes
    assert ("email-code", "limited") in audit(orthanc, share["ID"])
    # The first code, sent before two others, still opens the share.
    r = open_share(orthanc, {"Token": share["Token"], "EmailCode": codes[0]})
    assert r.status_code == 200, r.text


def test_creating_needs_an_address(orthanc):
    body = {"Resources": [{"Level": "Study", "OrthancId": orthanc.study_id}], "RequireEmailCode": True}
    r = requests.post(orthanc.url + "/studyshare/shares", data=json.dumps(body), auth=orthanc.admin_auth, timeout=60)
    assert r.status_code == 400 and "Recipient.Email" in r.json()["Message"], r.text
    body["RequireEmailCode"] = "yes"
    r = requests.post(orthanc.url + "/studyshare/shares", data=json.dumps(body), auth=orthanc.admin_auth, timeout=60)
    assert r.status_code == 400, r.text


def test_creating_needs_smtp(env):
    r = env.create_share_raw({"Resources": [{"Level": "Study", "OrthancId": env.study("A")["id"]}],
                              "RequireEmailCode": True, "Recipient": {"Email": "jane@example.org"}})
    assert r.status_code == 400 and "SMTP" in r.json()["Message"], r.text
    assert not [s for s in env.list_shares() if s.get("RequireEmailCode")]


def test_an_expired_code_is_refused(tmp_path_factory, fixture_files, smtp):
    o = start_orthanc(tmp_path_factory, fixture_files, smtp, EmailCodeValiditySeconds=1)
    try:
        share, address = create(o)
        open_share(o, {"Token": share["Token"]})
        [code] = codes_sent(smtp, address, 1)
        # Expiry is about time itself, not readiness: let the 1-second code end.
        time.sleep(2.2)
        r = open_share(o, {"Token": share["Token"], "EmailCode": code})
        assert r.status_code == 401 and r.json()["Error"] == "challenge-failed", r.text
    finally:
        o.cleanup()
