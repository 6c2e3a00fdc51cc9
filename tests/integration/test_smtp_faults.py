# SPDX-License-Identifier: GPL-3.0-or-later
"""Share e-mails when the SMTP server misbehaves on purpose: a real aiosmtpd
stopped with SIGSTOP (the kernel still accepts connections, no greeting ever
comes). The share is created and
usable, the answer says why no e-mail went out, the request ends within the
configured timeout ("Smtp.TimeoutSeconds" is 5 here), and a hung server
blocks no other request. And a real aiosmtpd that refuses on purpose (550 to
a recipient, 451 try later, 554 after DATA): the share is kept and works, the
answer and Orthanc's log give the server's reply code, and the next e-mail
the server accepts goes out from the same Orthanc."""

import os
import signal
import threading
import time

import pytest
import requests

from test_email import SmtpServer, audit, create, start_orthanc

@pytest.fixture(scope="module")
def hung(tmp_path_factory, fixture_files):
    server = SmtpServer(tmp_path_factory.mktemp("smtp-hung")).start()
    orthanc = None
    try:
        orthanc = start_orthanc(tmp_path_factory, fixture_files, "smtp://127.0.0.1:%d" % server.port)
        os.kill(server.process.pid, signal.SIGSTOP)
        orthanc.smtp = server
        yield orthanc
    finally:
        os.kill(server.process.pid, signal.SIGCONT)
        if orthanc:
            orthanc.cleanup()
        server.stop()


def assert_share_works(orthanc, answer):
    r = orthanc.api("GET", "/studyshare/shares/" + answer["ID"])
    assert r.status_code == 200 and r.json()["State"] == "active"
    token = answer["Url"].split("#token=", 1)[1]
    body = {"Token": token}
    if answer.get("AccessCode"):
        body["AccessCode"] = answer["AccessCode"]  # a link with a code asks for it too
    r = requests.post(orthanc.url + "/share/api/open", json=body, timeout=30)
    assert r.status_code == 200, r.text


def test_hung_server_ends_in_the_timeout_and_blocks_nothing_else(hung):
    outcome = {}

    def send():
        started = time.monotonic()
        outcome["answer"] = create(hung, Recipient={"Email": "patient@example.com"}, AccessCode=True)
        outcome["seconds"] = time.monotonic() - started

    sender = threading.Thread(target=send)
    sender.start()
    try:
        # While that request waits for the server, others are served.
        listed = hung.api("GET", "/studyshare/shares", timeout=10)
        assert listed.status_code == 200
        other = create(hung, Recipient={"Email": "other@example.com"}, SendEmail=False)
        assert other.status_code == 201, other.text
        assert sender.is_alive(), "the hung SMTP server was not waited for"
    finally:
        sender.join(timeout=120)
    assert not sender.is_alive()
    print("share creation with a hung SMTP server took %.1f s" % outcome["seconds"])
    assert outcome["seconds"] < 60
    r = outcome["answer"]
    assert r.status_code == 201, r.text
    answer = r.json()
    assert answer["Email"]["Sent"] is False
    assert "no answer in time" in answer["Email"]["Error"], answer["Email"]
    assert answer["Email"]["AccessCode"] == "not-sent"
    assert ("email", "failure") in audit(hung, answer["ID"])
    assert_share_works(hung, answer)


# A real aiosmtpd whose handler refuses on purpose: a recipient starting
# with "refused" gets 550, "later" gets 451 (try again later), and a message
# to "spam" is refused after DATA with 554; everyone else is delivered to a
# maildir. So the same Orthanc, without a restart, meets refusals and then a
# server that accepts.
REFUSING_HANDLER = '''
from aiosmtpd.handlers import Mailbox


class Refusing(Mailbox):
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("refused"):
            return "550 5.1.1 <%s>: mailbox unavailable" % address
        if address.startswith("later"):
            return "451 4.3.0 mailbox busy, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if any(r.startswith("spam") for r in envelope.rcpt_tos):
            return "554 5.7.1 message refused as spam"
        return await super().handle_DATA(server, session, envelope)
'''


class RefusingSmtpServer(SmtpServer):
    def handler_args(self):
        with open(os.path.join(self.folder, "refusing_handler.py"), "w") as f:
            f.write(REFUSING_HANDLER)
        return ["-c", "refusing_handler.Refusing", os.path.join(self.folder, "maildir")]


@pytest.fixture(scope="module")
def refusing(tmp_path_factory, fixture_files):
    server = RefusingSmtpServer(tmp_path_factory.mktemp("smtp-refusing")).start()
    orthanc = None
    try:
        orthanc = start_orthanc(tmp_path_factory, fixture_files, "smtp://127.0.0.1:%d" % server.port)
        orthanc.smtp = server
        yield orthanc
    finally:
        if orthanc:
            orthanc.cleanup()
        server.stop()


@pytest.mark.parametrize("recipient,reply", [
    ("refused@example.com", "550"),
    ("later@example.com", "451"),
    ("spam@example.com", "554"),
])
def test_a_refusing_server_keeps_the_share_and_says_why(refusing, recipient, reply):
    r = create(refusing, Recipient={"Email": recipient}, AccessCode=True)
    assert r.status_code == 201, r.text
    answer = r.json()
    report = answer["Email"]
    assert report["Sent"] is False, report
    assert reply in report["Error"], report
    assert report["AccessCode"] == "not-sent"
    assert answer["AccessCode"] and answer["Url"]  # staff can still hand them over
    assert ("email", "failure") in audit(refusing, answer["ID"])
    assert_share_works(refusing, answer)
    with open(refusing.log_path, encoding="utf-8", errors="replace") as f:
        log = f.read()
    assert reply in log  # IT learns the server's answer...
    assert answer["AccessCode"] not in log and answer["Url"].split("#token=", 1)[1] not in log  # ...no secret
    # The same Orthanc, no restart: an address the server accepts gets its mail.
    ok = create(refusing, Recipient={"Email": "patient@example.com"}, SendEmail=True)
    assert ok.status_code == 201 and ok.json()["Email"]["Sent"] is True, ok.text
    assert refusing.smtp.wait_for(lambda m: "patient@example.com" in str(m["To"]), count=1)
