# SPDX-License-Identifier: GPL-3.0-or-later
"""Remote mode when the token service answers garbage (issue 12, faults on
purpose): a tiny TCP server (fault_relay.py) stands between the plugin and
the real studyshare-service and, on demand, answers bytes that are not
HTTP, HTML, JSON without a boolean "granted", a "granted": true with a
nonsense validity, HTTP 500, an endless body, a truncated body, closes
without a word, or never answers. Each is a refusal (403) with an Orthanc
log line that names the cause, never the token; Orthanc keeps serving
staff and public pages; the share is still there; and once the relay
forwards again the same link works, without a restart. (The service
stopped or hung with SIGSTOP: test_remote_mode.py.)"""

import json

import pytest

from conftest import start_remote_env
from fault_relay import FaultRelay

TIMEOUT_MS = 1500


def http_answer(body, status="200 OK", content_type="application/json", length=None):
    if isinstance(body, str):
        body = body.encode()
    return (b"HTTP/1.1 " + status.encode() + b"\r\nContent-Type: " + content_type.encode() +
            b"\r\nContent-Length: " + str(len(body) if length is None else length).encode() +
            b"\r\nConnection: close\r\n\r\n" + body)


# mode of the relay, words the log line must hold (curl's or the plugin's)
FAULTS = {
    "not-http": (b"\x00\xff\xfe garbage that is not HTTP\r\n\r\n", "token service unreachable"),
    "html": (http_answer("<html><body>502 Bad Gateway</body></html>", content_type="text/html"),
             "without a boolean 'granted'"),
    "json-without-granted": (http_answer(json.dumps({"validity": 5})), "without a boolean 'granted'"),
    "granted-as-text": (http_answer(json.dumps({"granted": "true", "validity": 5})),
                        "without a boolean 'granted'"),
    "granted-with-text-validity": (http_answer(json.dumps({"granted": True, "validity": "forever"})),
                                   "'validity' that is not a whole number"),
    "granted-with-negative-validity": (http_answer(json.dumps({"granted": True, "validity": -5})),
                                       "'validity' that is not a whole number"),
    "http-500": (http_answer("{}", status="500 Internal Server Error"), "answered HTTP 500"),
    "endless-body": (http_answer(b"{" + b" " * (3 << 20) + b"}"), "token service unreachable"),
    "truncated-body": (http_answer('{"granted": tr', length=400), "token service unreachable"),
    "closed-without-a-word": ("close", "token service unreachable"),
    "never-answers": ("stall", "token service unreachable"),
}


@pytest.fixture(scope="module")
def relayed(fixture_files, tmp_path_factory):
    """An Orthanc in remote mode whose token service is reached through the
    relay; answers are not cached, so every request asks."""
    relay = FaultRelay(None).start()
    e = service = None
    try:
        e, service = start_remote_env(fixture_files, tmp_path_factory, WebService=relay.url,
                                      WebServiceTimeout=TIMEOUT_MS, WebServiceCacheSeconds=0)
        relay.target = ("127.0.0.1", service.port)
        e.relay = relay
        yield e
    finally:
        if e is not None:
            e.orthanc.cleanup()
        if service is not None:
            service.cleanup()
        relay.stop()


def study_a(env, token):
    return env.get("/studies/" + env.study("A")["id"], token=token)


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_a_garbage_answer_is_a_refusal_naming_the_cause_then_back(relayed, fault):
    mode, cause = FAULTS[fault]
    share = relayed.create_share("A")
    relayed.relay.mode = "forward"
    assert study_a(relayed, share["Token"]).status_code == 200
    log_before = len(relayed.orthanc.log_tail(100000))
    relayed.relay.mode = mode
    try:
        assert study_a(relayed, share["Token"]).status_code == 403
        log = relayed.orthanc.log_tail(100000)[log_before:]
        refusal = [line for line in log.splitlines() if "token-service-unavailable" in line]
        assert refusal, log[-2000:]
        assert cause in refusal[-1], refusal[-1]
        assert share["Token"] not in log
        # Nothing else depends on the service: staff, public pages, the share itself.
        assert relayed.admin_get("/studies/" + relayed.study("A")["id"]).status_code == 200
        assert relayed.get("/share/").status_code == 200
        kept = relayed.admin_get("/studyshare/shares/" + share["ID"])
        assert kept.status_code == 200 and kept.json()["State"] == "active"
    finally:
        relayed.relay.mode = "forward"
    assert relayed.orthanc.process.poll() is None
    assert study_a(relayed, share["Token"]).status_code == 200


def test_many_parallel_requests_during_a_stall_are_all_refused_in_bounded_time(relayed):
    """A service that never answers holds no HTTP thread longer than the
    timeout: twenty parallel requests are all refused, none granted."""
    import concurrent.futures
    import time

    share = relayed.create_share("A")
    relayed.relay.mode = "stall"
    try:
        started = time.monotonic()
        with concurrent.futures.ThreadPoolExecutor(20) as pool:
            statuses = list(pool.map(lambda _: study_a(relayed, share["Token"]).status_code, range(20)))
        elapsed = time.monotonic() - started
        assert statuses == [403] * 20, statuses
        print("\n20 parallel requests against a stalled service refused in %.1f s (timeout %d ms)"
              % (elapsed, TIMEOUT_MS))
    finally:
        relayed.relay.mode = "forward"
    assert study_a(relayed, share["Token"]).status_code == 200
