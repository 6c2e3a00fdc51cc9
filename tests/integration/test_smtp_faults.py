# SPDX-License-Identifier: GPL-3.0-or-later
"""Share e-mails when the SMTP server misbehaves on purpose: a real aiosmtpd
stopped with SIGSTOP (the kernel still accepts connections, no greeting ever
comes). The share is created and
usable, the answer says why no e-mail went out, the request ends within the
configured timeout ("Smtp.TimeoutSeconds" is 5 here), and a hung server
blocks no other request."""

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
