# SPDX-License-Identifier: GPL-3.0-or-later
"""Remote mode names the real client to the token service: behind a trusted
proxy, the address the plugin took from X-Forwarded-For (its TrustedProxies)
travels in the validation's "ip", and the service's audit of a download
shows it. The service itself trusts no proxy here: only the field, from its
authenticated caller, can tell it the client."""

import pytest

from conftest import start_remote_env


@pytest.fixture(scope="module")
def behind_proxy(fixture_files, tmp_path_factory):
    e, service = start_remote_env(fixture_files, tmp_path_factory, TrustedProxies=["127.0.0.1"],
                                  WebServiceCacheSeconds=0)
    try:
        yield e
    finally:
        e.orthanc.cleanup()
        service.cleanup()


def downloads(env, share_id):
    events = env.admin_get("/studyshare/shares/%s/audit" % share_id).json()
    return [e["ClientAddress"] for e in events if e["Event"] == "download"]


def test_the_service_audits_the_forwarded_client(behind_proxy):
    share = behind_proxy.create_share("A", Permissions=["View", "Download"])
    archive = "/studies/%s/archive" % behind_proxy.study("A")["id"]
    for forwarded in ("198.51.100.23", "10.9.8.7, 198.51.100.24"):
        r = behind_proxy.get(archive, token=share["Token"], headers={"X-Forwarded-For": forwarded})
        assert r.status_code == 200 and r.content[:2] == b"PK"
    r = behind_proxy.get(archive, token=share["Token"])
    assert r.status_code == 200
    # The right-most untrusted entry, then the direct peer when nothing is forwarded.
    assert downloads(behind_proxy, share["ID"]) == ["198.51.100.23", "198.51.100.24", "127.0.0.1"]


def test_a_forged_ip_in_the_request_changes_nothing(behind_proxy):
    """A client cannot put "ip" in front of the service: the plugin writes
    the question itself, from the address it trusts."""
    share = behind_proxy.create_share("A", Permissions=["View", "Download"])
    archive = "/studies/%s/archive" % behind_proxy.study("A")["id"]
    r = behind_proxy.get(archive, token=share["Token"], params={"ip": "192.0.2.66"},
                         headers={"ip": "192.0.2.66", "X-Forwarded-For": "198.51.100.30"})
    assert r.status_code == 200
    assert downloads(behind_proxy, share["ID"]) == ["198.51.100.30"]
