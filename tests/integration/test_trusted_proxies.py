# SPDX-License-Identifier: GPL-3.0-or-later
"""StudyShare behind a real nginx reverse proxy on loopback.

nginx listens on 127.0.0.1 and appends the client's address to
X-Forwarded-For; Orthanc trusts only 127.0.0.1 (the proxy). Clients
connect to nginx from other loopback addresses (127.0.0.2, 127.0.0.3, ...),
so nginx sees distinct clients as a site's proxy would: the per-client
access-code limit must hold per real client, a client's own
X-Forwarded-For must change nothing, and the audit and the log must name
the real client.
"""

import http.client
import json

import pytest

from conftest import launch_with_studies, make_orthanc, studyshare_section
from nginx_harness import NginxProcess

PER_CLIENT_LIMIT = 3

PROXY = """
server {
    listen 127.0.0.1:{port};
    location / {
        proxy_pass http://127.0.0.1:%d;
        proxy_set_header Host $host;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
    }
}
"""


@pytest.fixture(scope="module")
def proxied(fixture_files, tmp_path_factory):
    store = tmp_path_factory.mktemp("studyshare-proxy-store") / "shares.db"
    section = studyshare_section(store, None)
    section.update({"TrustedProxies": ["127.0.0.1", "::1"],
                    "CodeAttemptsPerClientPerMinute": PER_CLIENT_LIMIT,
                    "CodeAttemptsPerMinute": 1000})
    orthanc = launch_with_studies(make_orthanc({"StudyShare": section}), fixture_files)
    try:
        with NginxProcess(PROXY % orthanc.port) as nginx:
            yield orthanc, nginx
    finally:
        orthanc.cleanup()


def send(nginx, method, path, source, body=None, headers=None):
    """One request to nginx from the loopback address ``source``."""
    conn = http.client.HTTPConnection(nginx.host, nginx.port, timeout=60, source_address=(source, 0))
    try:
        data = json.dumps(body).encode() if body is not None else None
        all_headers = {"Content-Type": "application/json"} if data is not None else {}
        all_headers.update(headers or {})
        conn.request(method, path, body=data, headers=all_headers)
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


def open_with_code(nginx, code, source, headers=None):
    status, body = send(nginx, "POST", "/share/api/open", source, {"AccessCode": code}, headers)
    return status, json.loads(body)


def study_id(orthanc):
    return orthanc.get_json("/studies")[0]


def test_access_code_limit_is_per_real_client(proxied):
    orthanc, nginx = proxied
    r = orthanc.api("POST", "/studyshare/shares",
                    json={"Resources": [{"Level": "Study", "OrthancId": study_id(orthanc)}],
                          "ValidityDuration": 3600, "AccessCode": True})
    assert r.status_code == 201, r.text
    share = r.json()

    # The guesser at 127.0.0.2 uses up its own allowance ...
    for _ in range(PER_CLIENT_LIMIT):
        status, answer = open_with_code(nginx, "WRONG-CODE-0000", "127.0.0.2")
        assert status == 404 and answer["Error"] == "invalid", answer
    status, answer = open_with_code(nginx, "WRONG-CODE-0000", "127.0.0.2")
    assert answer["Error"] == "rate-limited", (status, answer)
    # ... and cannot escape it by naming another client in its own header:
    # nginx appends the real peer, which is the right-most untrusted entry.
    status, answer = open_with_code(nginx, share["AccessCode"], "127.0.0.2",
                                    headers={"X-Forwarded-For": "127.0.0.9"})
    assert answer["Error"] == "rate-limited", (status, answer)
    status, answer = open_with_code(nginx, share["AccessCode"], "127.0.0.2",
                                    headers={"X-Forwarded-For": "127.0.0.1"})
    assert answer["Error"] == "rate-limited", (status, answer)

    # Another patient behind the same proxy is not blocked by the guesser.
    status, answer = open_with_code(nginx, share["AccessCode"], "127.0.0.3")
    assert status == 200 and answer["SessionToken"], answer

    # The audit names the real client, not the proxy.
    audit = orthanc.get_json("/studyshare/shares/%s/audit" % share["ID"])
    events = audit if isinstance(audit, list) else audit.get("Events", audit)
    opens = [e for e in events if e.get("Event") == "open" and e.get("Outcome") == "success"]
    assert [e["ClientAddress"] for e in opens] == ["127.0.0.3"], events


def test_refusals_are_logged_with_the_real_client(proxied):
    orthanc, nginx = proxied
    status, _ = send(nginx, "GET", "/patients", "127.0.0.4")
    assert status in (401, 403), status
    log = orthanc.log_text()
    assert "GET /patients from 127.0.0.4" in log, orthanc.log_tail()


def test_the_direct_peer_is_the_client_without_a_header(proxied):
    orthanc, nginx = proxied
    # Straight to Orthanc from the trusted address, no header: the peer.
    conn = http.client.HTTPConnection(orthanc.host, orthanc.port, timeout=60)
    try:
        conn.request("GET", "/patients/from-direct-peer")
        assert conn.getresponse().status in (401, 403)
    finally:
        conn.close()
    assert "GET /patients/from-direct-peer from 127.0.0.1" in orthanc.log_text()
