# SPDX-License-Identifier: GPL-3.0-or-later
"""studyshare-service's callers: HTTP Basic failures are limited per client
address like staff sign-in (never per caller name, so nobody can lock out
the account a whole Orthanc signs in with), in parallel too; and the client
address a caller names in a validation ("ip") is what the service audits,
believed only from an authenticated caller."""

import concurrent.futures
import sqlite3

import pytest
import requests

from service_harness import (CALLER, CALLER_USERS, SECRET, Client, ServiceProcess, new_study,
                             validation_body)

WRONG = (CALLER[0], "wrong-pw-Hx20-not-in-logs")
LIMIT = 4


def validate(service, auth, headers=None):
    return requests.post(service.url + "/tokens/validate", json={"level": "system", "method": "get", "uri": "/system"},
                         auth=auth, headers=headers or {}, timeout=30)


@pytest.fixture
def limited():
    config = {"StudyShare": {"Secret": SECRET, "TrustedProxies": ["127.0.0.1"]},
              "TokenService": {"CallerFailuresPerClientPerMinute": LIMIT}}
    with ServiceProcess(settings={"USERS": CALLER_USERS}, config=config) as service:
        yield service


def from_client(address):
    return {"X-Forwarded-For": address}


def test_wrong_caller_passwords_are_limited_per_client(limited):
    mallory = from_client("203.0.113.9")
    for _ in range(LIMIT):
        assert validate(limited, WRONG, mallory).status_code == 401
    refused = validate(limited, WRONG, mallory)
    assert refused.status_code == 429, refused.text
    assert refused.json()["error"] == "rate-limited" and refused.headers["Retry-After"] == "60"
    # Past the limit even the right password is refused from that client...
    assert validate(limited, CALLER, mallory).status_code == 429
    # ...but not from another: the limit is per client, and never per caller
    # name, so the Orthanc that signs in as "orthanc" keeps working.
    assert validate(limited, CALLER, from_client("198.51.100.4")).status_code == 200
    assert validate(limited, CALLER).status_code == 200
    events = [e for e in limited.log_events() if e.get("event") == "caller-refused"]
    assert {e.get("cause") for e in events} == {"wrong-credentials", "rate-limited"}, events
    assert all(e.get("client") == "203.0.113.9" for e in events), events
    assert WRONG[1] not in limited.log_text()


def test_the_limit_holds_under_parallel_attempts(limited):
    attacker = from_client("203.0.113.77")
    with concurrent.futures.ThreadPoolExecutor(max_workers=16) as pool:
        codes = list(pool.map(lambda _: validate(limited, WRONG, attacker).status_code, range(40)))
    assert codes.count(401) == LIMIT, codes
    assert codes.count(429) == 40 - LIMIT, codes


def test_a_right_password_is_not_counted(limited):
    client = from_client("192.0.2.55")
    for _ in range(3 * LIMIT):
        assert validate(limited, CALLER, client).status_code == 200
    assert validate(limited, WRONG, client).status_code == 401


# --------------------------------------------------------------------------
# "ip": the client the caller asks for

def downloads_audited(service):
    conn = sqlite3.connect("file:%s?mode=ro" % service.store_path, uri=True, timeout=10)
    try:
        return [row[0] for row in
                conn.execute("SELECT client_address FROM audit WHERE event = 'download' ORDER BY seq")]
    finally:
        conn.close()


def archive_question(token, study, **extra):
    body = validation_body(token, study, uri="/studies/%s/archive" % study.oid)
    body.update(extra)
    return body


def test_an_authenticated_caller_names_the_client():
    with ServiceProcess(settings={"SECRET_KEY": SECRET, "USERS": CALLER_USERS}) as service:
        client = Client(service)
        study = new_study()
        token = client.token("download-instant-link", [study])
        assert client.validate(archive_question(token, study, ip="198.51.100.23"))["granted"] is True
        assert client.validate(archive_question(token, study, ip="::ffff:198.51.100.24"))["granted"] is True
        assert client.validate(archive_question(token, study))["granted"] is True
        assert downloads_audited(service) == ["198.51.100.23", "198.51.100.24", "127.0.0.1"]
        for bad in ("198.51.100.23, 10.0.0.1", "not-an-address", "[::1]", "10.0.0.1:80"):
            r = client.call("POST", "/tokens/validate", archive_question(token, study, ip=bad))
            assert r.status_code == 400 and "'ip'" in r.json()["message"], (bad, r.text)
        r = client.call("POST", "/tokens/validate", archive_question(token, study, ip=42))
        assert r.status_code == 400
        assert len(downloads_audited(service)) == 3


def test_an_anonymous_caller_cannot_name_the_client():
    with ServiceProcess(settings={"SECRET_KEY": SECRET}, loopback_only=True) as service:
        client = Client(service, auth=None)
        study = new_study()
        token = client.token("download-instant-link", [study])
        assert client.validate(archive_question(token, study, ip="198.51.100.23"))["granted"] is True
        assert downloads_audited(service) == ["127.0.0.1"]
