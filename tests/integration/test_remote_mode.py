# SPDX-License-Identifier: GPL-3.0-or-later
"""Remote mode when things go wrong, both real processes: the token service
stopped or hung (SIGSTOP) → refused after the timeout, then working again;
a revocation drops the answers this node cached; downloads are audited by
the service. (The full granted/denied table runs in test_gate_matrix.py.)"""

import os
import signal

import pytest

from conftest import start_remote_env


@pytest.fixture(scope="module")
def fragile(fixture_files, tmp_path_factory):
    """A pair of its own, so stopping its service disturbs no other test;
    answers are not cached, so every request asks the service."""
    e, service = start_remote_env(fixture_files, tmp_path_factory,
                                  WebServiceTimeout=300, WebServiceCacheSeconds=0)
    try:
        yield e
    finally:
        e.orthanc.cleanup()
        service.cleanup()


def study_a(env, token):
    return env.get("/studies/" + env.study("A")["id"], token=token)


def test_service_stopped_means_refused_then_back(fragile):
    token = fragile.create_share("A")["Token"]
    assert study_a(fragile, token).status_code == 200
    fragile.service.stop()
    try:
        assert study_a(fragile, token).status_code == 403
        log = fragile.orthanc.log_tail(200)
        assert "token-service-unavailable" in log
        assert token not in log
        # Staff and the public pages do not depend on the service.
        assert fragile.admin_get("/studies/" + fragile.study("A")["id"]).status_code == 200
        assert fragile.get("/share/").status_code == 200
    finally:
        fragile.service.start()
    assert study_a(fragile, token).status_code == 200


def test_hung_service_means_refused_after_the_timeout(fragile):
    token = fragile.create_share("A")["Token"]
    assert study_a(fragile, token).status_code == 200
    os.kill(fragile.service.pid, signal.SIGSTOP)
    try:
        assert study_a(fragile, token).status_code == 403
        assert "Timeout" in fragile.orthanc.log_tail(200) or "timed out" in fragile.orthanc.log_tail(200)
    finally:
        os.kill(fragile.service.pid, signal.SIGCONT)
    assert study_a(fragile, token).status_code == 200


def test_wrong_service_credentials_mean_refused(fixture_files, tmp_path_factory):
    e, service = start_remote_env(fixture_files, tmp_path_factory, WebServicePassword="not-the-password")
    try:
        token = e.create_share("A")["Token"]
        assert study_a(e, token).status_code == 403
        assert "HTTP 401" in e.orthanc.log_tail(200)
        assert "caller-refused" in service.log_text()
    finally:
        e.orthanc.cleanup()
        service.cleanup()


def test_revocation_drops_cached_answers_at_once(remote_env):
    share = remote_env.create_share("A")
    assert study_a(remote_env, share["Token"]).status_code == 200  # now cached on this node
    assert study_a(remote_env, share["Token"]).status_code == 200
    assert remote_env.admin("DELETE", "/studyshare/shares/" + share["ID"]).status_code == 200
    assert study_a(remote_env, share["Token"]).status_code == 403


def test_the_service_audits_downloads(remote_env):
    share = remote_env.create_share("A", Permissions=["View", "Download"])
    a = remote_env.study("A")
    for _ in range(2):
        r = remote_env.get("/studies/%s/archive" % a["id"], token=share["Token"])
        assert r.status_code == 200 and r.content[:2] == b"PK"
    events = remote_env.admin_get("/studyshare/shares/%s/audit" % share["ID"]).json()
    assert [e["Event"] for e in events].count("download") == 2


def test_refusals_are_counted_as_the_service_s(remote_env):
    token = remote_env.shared_token("view-A", "A")
    assert remote_env.get("/studies/" + remote_env.study("B")["id"], token=token).status_code == 403
    metrics = remote_env.admin_get("/studyshare/metrics", params={"format": "json"}).json()
    assert metrics["Decisions"]["deny"].get("token-service-refused", 0) >= 1, metrics


def test_a_recipient_session_works_through_the_service(remote_env):
    """Protected shares open through /share/api/open (in the plugin); the
    session it hands out is then judged by the service, like the link."""
    share = remote_env.create_share("A", Password="correct horse")
    assert study_a(remote_env, share["Token"]).status_code == 403  # the link alone opens nothing
    opened = remote_env.request("POST", "/share/api/open", json={"Token": share["Token"],
                                                                 "Password": "correct horse"})
    assert opened.status_code == 200, opened.text
    session = opened.json()["SessionToken"]
    assert study_a(remote_env, session).status_code == 200
    assert remote_env.get("/studies/" + remote_env.study("B")["id"], token=session).status_code == 403
    assert remote_env.admin("DELETE", "/studyshare/shares/" + share["ID"]).status_code == 200
    assert study_a(remote_env, session).status_code == 403
