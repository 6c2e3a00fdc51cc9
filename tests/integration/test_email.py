# SPDX-License-Identifier: GPL-3.0-or-later
"""Share e-mails sent to a real SMTP server process.

The test starts Debian's aiosmtpd (python3-aiosmtpd) on a free loopback port,
storing every message it receives in a Maildir, and its own Orthanc (DICOMweb
+ Web Viewer + StudyShare) whose "StudyShare.Smtp" points at it. A second
Orthanc points at a closed port to check how an unreachable server is
reported. See docs/email.md for the contract checked here.
"""

import email
import email.policy
import json
import mailbox
import os
import socket
import subprocess
import time

import pytest
import requests

from orthanc_harness import DICOMWEB_PLUGIN, WEBVIEWER_PLUGIN, OrthancProcess, free_port
from conftest import SECRET, STUDYSHARE_PLUGIN

PYTHON = "/usr/bin/python3"
FROM = "StudyShare Test <noreply@studyshare.test>"
FR_SUBJECT = "Des images médicales ont été partagées avec vous"
EN_SUBJECT = "Medical images shared with you"


# --------------------------------------------------------------------------
# The SMTP server

class SmtpServer:
    def __init__(self, folder):
        self.folder = str(folder)
        self.port = free_port()
        self.process = None

    def handler_args(self):
        return ["-c", "aiosmtpd.handlers.Mailbox", os.path.join(self.folder, "maildir")]

    def start(self):
        self.log = open(os.path.join(self.folder, "aiosmtpd.log"), "ab")
        self.process = subprocess.Popen(
            [PYTHON, "-m", "aiosmtpd", "-n", "-l", "127.0.0.1:%d" % self.port] + self.handler_args(),
            stdin=subprocess.DEVNULL, stdout=self.log, stderr=subprocess.STDOUT,
            cwd=self.folder, start_new_session=True)
        deadline = time.monotonic() + 20
        while True:
            if self.process.poll() is not None:
                raise RuntimeError("aiosmtpd exited with status %d (is python3-aiosmtpd installed?)"
                                   % self.process.returncode)
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as s:
                    if s.recv(512).startswith(b"220"):
                        return self
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("aiosmtpd did not answer on port %d" % self.port)
            time.sleep(0.1)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process:
            self.log.close()

    def messages(self):
        path = os.path.join(self.folder, "maildir")
        if not os.path.isdir(os.path.join(path, "new")):
            return []
        box = mailbox.Maildir(path, create=False)
        return [email.message_from_bytes(box.get_bytes(key), policy=email.policy.default) for key in box.keys()]

    def wait_for(self, predicate, count=1, timeout=15):
        deadline = time.monotonic() + timeout
        while True:
            found = [m for m in self.messages() if predicate(m)]
            if len(found) >= count or time.monotonic() > deadline:
                return found
            time.sleep(0.1)


def closed_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # nothing listens there any more
    return port


# --------------------------------------------------------------------------
# Fixtures

def start_orthanc(tmp_path_factory, fixture_files, smtp_url, email_config=None):
    if not os.path.isfile(STUDYSHARE_PLUGIN):
        pytest.fail("StudyShare plugin not built: %s" % STUDYSHARE_PLUGIN)
    out, manifest = fixture_files
    store_dir = tmp_path_factory.mktemp("studyshare-email-store")
    config = {"StudyShare": {
        "Secret": SECRET,
        "Store": {"Type": "sqlite", "Path": str(store_dir / "shares.db")},
        "Smtp": {"Url": smtp_url, "From": FROM, "StartTls": "try", "TimeoutSeconds": 5},
        "Email": email_config or {"SendSecretsSeparately": True, "DefaultLanguage": "en"},
    }}
    orthanc = OrthancProcess(plugins=[DICOMWEB_PLUGIN, WEBVIEWER_PLUGIN, STUDYSHARE_PLUGIN],
                             extra_config=config, start=False)
    try:
        orthanc.extra_config["StudyShare"]["PublicUrl"] = orthanc.url
        orthanc.start()
        answers = orthanc.upload_dir(str(out))
        assert answers and all(a.get("Status") in ("Success", "AlreadyStored") for a in answers), answers
    except BaseException:
        orthanc.cleanup()
        raise
    study_uid = manifest["Studies"][0]["StudyInstanceUID"]
    r = orthanc.api("POST", "/tools/lookup", data=study_uid)
    r.raise_for_status()
    orthanc.study_id = [m["ID"] for m in r.json() if m["Type"] == "Study"][0]
    return orthanc


@pytest.fixture(scope="module")
def smtp(tmp_path_factory):
    server = SmtpServer(tmp_path_factory.mktemp("smtp")).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def orthanc(tmp_path_factory, fixture_files, smtp):
    o = start_orthanc(tmp_path_factory, fixture_files, "smtp://127.0.0.1:%d" % smtp.port)
    try:
        yield o
    finally:
        o.cleanup()


def create(orthanc, **fields):
    body = {"Resources": [{"Level": "Study", "OrthancId": orthanc.study_id}], "ValidityDuration": 3600}
    body.update(fields)
    return requests.post(orthanc.url + "/studyshare/shares", data=json.dumps(body),
                         auth=orthanc.admin_auth, timeout=60)


def bodies(message):
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    return text, html


def audit(orthanc, share_id):
    r = orthanc.api("GET", "/studyshare/shares/%s/audit" % share_id)
    assert r.status_code == 200, r.text
    return [(e["Event"], e["Outcome"]) for e in r.json()]


# --------------------------------------------------------------------------
# Tests

def test_link_email_arrives_in_french_with_the_api_link(orthanc, smtp):
    note = "Voir l'IRM <b>du genou</b> & le compte rendu"
    r = create(orthanc, Recipient={"Email": "patient.fr@example.com", "Language": "fr", "Name": "Mme Dupont"},
               Note=note)
    assert r.status_code == 201, r.text
    answer = r.json()
    assert answer["Email"]["Sent"] is True, answer["Email"]
    assert answer["Email"]["To"] == "patient.fr@example.com"
    assert answer["Email"]["Language"] == "fr"
    assert "Error" not in answer["Email"]

    found = smtp.wait_for(lambda m: m["To"] and "patient.fr@example.com" in str(m["To"]))
    assert len(found) == 1, [str(m["To"]) for m in smtp.messages()]
    message = found[0]
    assert str(message["Subject"]) == FR_SUBJECT
    assert message["Content-Language"] == "fr"
    assert message["Message-ID"] == answer["Email"]["Messages"][0]["MessageId"]
    assert "noreply@studyshare.test" in str(message["From"])
    assert message["Date"]
    assert message.get_content_type() == "multipart/alternative"
    text, html = bodies(message)
    # The e-mail carries the short link (issue 18).
    assert answer["ShortUrl"] in text.split()
    assert 'href="%s"' % answer["ShortUrl"] in html
    assert "Bonjour Mme Dupont" in text
    assert "a partagé des images médicales" in text
    assert note in text
    assert "&lt;b&gt;du genou&lt;/b&gt; &amp; le compte rendu" in html
    assert "<b>du genou" not in html
    assert ("email", "success") in audit(orthanc, answer["ID"])

    # The link in the e-mail opens the share.
    key = answer["ShortUrl"].split("/s/#", 1)[1]
    r = requests.post(orthanc.url + "/share/api/open", json={"Key": key}, timeout=30)
    assert r.status_code == 200, r.text


def test_default_language_is_used_without_a_recipient_language(orthanc, smtp):
    r = create(orthanc, Recipient={"Email": "patient.en@example.com"})
    assert r.status_code == 201, r.text
    assert r.json()["Email"]["Language"] == "en"
    found = smtp.wait_for(lambda m: "patient.en@example.com" in str(m["To"]))
    assert len(found) == 1
    assert str(found[0]["Subject"]) == EN_SUBJECT
    text, _ = bodies(found[0])
    assert r.json()["ShortUrl"] in text.split()


def test_access_code_travels_in_a_separate_email_and_password_not_at_all(orthanc, smtp):
    r = create(orthanc, Recipient={"Email": "patient.code@example.com", "Language": "de"},
               AccessCode=True, Password="pw-Zebra-7391")
    assert r.status_code == 201, r.text
    answer = r.json()
    code = answer["AccessCode"]
    report = answer["Email"]
    assert report["Sent"] is True, report
    assert report["AccessCode"] == "separately"
    assert report["Password"] == "not-sent"
    assert [m["Content"] for m in report["Messages"]] == ["link", "access-code"]

    found = smtp.wait_for(lambda m: "patient.code@example.com" in str(m["To"]), count=2)
    assert len(found) == 2
    token = answer["Url"].split("#token=", 1)[1]
    raw_code = code.replace("-", "")
    link_mail = [m for m in found if str(m["Subject"]) == "Medizinische Bilder wurden mit Ihnen geteilt"]
    code_mail = [m for m in found if m not in link_mail]
    assert len(link_mail) == 1 and len(code_mail) == 1
    link_text, link_html = bodies(link_mail[0])
    assert answer["ShortUrl"] in link_text.split()
    for part in (link_text, link_html, link_mail[0].as_string()):
        assert code not in part and raw_code not in part
        assert "pw-Zebra-7391" not in part
    assert "separaten E-Mail" in link_text
    code_text, code_html = bodies(code_mail[0])
    assert code in code_text and code in code_html
    for part in (code_text, code_html, code_mail[0].as_string()):
        assert token not in part
        assert "pw-Zebra-7391" not in part
    assert orthanc.url + "/share/" in code_text
    events = audit(orthanc, answer["ID"])
    assert ("email", "success") in events and ("email-access-code", "success") in events

    # Neither the token nor the code is ever logged.
    with open(orthanc.log_path, encoding="utf-8", errors="replace") as f:
        log = f.read()
    assert token not in log and code not in log


def test_send_email_false_sends_nothing(orthanc, smtp):
    before = len(smtp.messages())
    r = create(orthanc, Recipient={"Email": "nobody@example.com"}, SendEmail=False)
    assert r.status_code == 201, r.text
    assert "Email" not in r.json()
    time.sleep(0.5)
    assert len(smtp.messages()) == before
    assert not any("nobody@example.com" in str(m["To"]) for m in smtp.messages())


@pytest.mark.parametrize("recipient, extra, expected", [
    ({"Email": "victim@example.com\r\nBcc: all@example.com"}, {}, "Recipient.Email"),
    ({"Email": "a@example.com, b@example.com"}, {}, "Recipient.Email"),
    ({"Email": "Patient <a@example.com>"}, {}, "Recipient.Email"),
    ({"Email": "no-at-sign"}, {}, "Recipient.Email"),
    ({"Email": "x" * 250 + "@example.com"}, {}, "Recipient.Email"),
    ({"Email": 42}, {}, "Recipient.Email"),
    ({"Email": "ok@example.com", "Language": "it"}, {}, "Recipient.Language"),
    ({"Email": "ok@example.com", "Name": "A\r\nBcc: x@example.com"}, {}, "Recipient.Name"),
    ({"Name": "no address"}, {"SendEmail": True}, "Recipient.Email"),
    ({"Email": "ok@example.com"}, {"SendEmail": "yes"}, "SendEmail"),
])
def test_bad_recipient_is_400_and_nothing_is_stored(orthanc, smtp, recipient, extra, expected):
    before_shares = len(orthanc.get_json("/studyshare/shares"))
    before_mails = len(smtp.messages())
    r = create(orthanc, Recipient=recipient, **extra)
    assert r.status_code == 400, r.text
    assert expected in r.json()["Message"], r.json()
    assert len(orthanc.get_json("/studyshare/shares")) == before_shares
    assert len(smtp.messages()) == before_mails


def test_unreachable_smtp_server_keeps_the_share_and_says_why(tmp_path_factory, fixture_files):
    port = closed_port()
    url = "smtp://127.0.0.1:%d" % port
    o = start_orthanc(tmp_path_factory, fixture_files, url)
    try:
        started = time.monotonic()
        r = create(o, Recipient={"Email": "patient@example.com", "Language": "es"}, AccessCode=True)
        assert time.monotonic() - started < 30
        assert r.status_code == 201, r.text
        answer = r.json()
        report = answer["Email"]
        assert report["Sent"] is False
        assert "cannot connect to " + url in report["Error"], report
        assert report["AccessCode"] == "not-sent"
        assert answer["AccessCode"] and answer["Url"]  # staff can still hand them over

        r = o.api("GET", "/studyshare/shares/" + answer["ID"])
        assert r.status_code == 200 and r.json()["State"] == "active"
        assert ("email", "failure") in audit(o, answer["ID"])
        token = answer["Url"].split("#token=", 1)[1]
        r = requests.post(o.url + "/share/api/open", json={"AccessCode": answer["AccessCode"]}, timeout=30)
        assert r.status_code == 200, r.text
        with open(o.log_path, encoding="utf-8", errors="replace") as f:
            log = f.read()
        assert "cannot connect to " + url in log  # the failure is logged for IT...
        assert token not in log and answer["AccessCode"] not in log  # ...without the secrets

        # SendEmail true with no server reachable is still a created share, not a 4xx.
        r = create(o, Recipient={"Email": "patient@example.com"}, SendEmail=True)
        assert r.status_code == 201 and r.json()["Email"]["Sent"] is False
    finally:
        o.cleanup()


def test_bad_smtp_configuration_stops_orthanc_naming_the_key(tmp_path_factory, fixture_files):
    cases = [
        ({"Smtp": {"Url": "http://127.0.0.1:25", "From": FROM}}, "StudyShare.Smtp.Url"),
        ({"Smtp": {"Url": "smtp://127.0.0.1:25", "From": "not an address"}}, "StudyShare.Smtp.From"),
        ({"Smtp": {"Url": "smtp://127.0.0.1:25", "From": FROM, "Port": 25}}, "StudyShare.Smtp.Port"),
        ({"Smtp": {"Url": "smtp://127.0.0.1:25", "From": FROM, "StartTls": "maybe"}}, "StudyShare.Smtp.StartTls"),
        ({"Email": {"DefaultLanguage": "it"}}, "StudyShare.Email.DefaultLanguage"),
        ({"Email": {"SendSecretsSeparately": "no"}}, "StudyShare.Email.SendSecretsSeparately"),
    ]
    for section, key in cases:
        config = {"StudyShare": dict({"Secret": SECRET}, **section)}
        o = OrthancProcess(plugins=[STUDYSHARE_PLUGIN], extra_config=config, start=False, startup_timeout=20)
        try:
            with pytest.raises(Exception):
                o.start()
            with open(o.log_path, encoding="utf-8", errors="replace") as f:
                assert key in f.read(), (key, o.log_tail())
        finally:
            o.cleanup()
