# SPDX-License-Identifier: GPL-3.0-or-later
"""studyshare-service on the same PostgreSQL store as an Orthanc node, both
real processes on one private PostgreSQL 15: a share made on the node is
judged by the service and a link made by the service opens on the node; a
revocation on the node (or straight in the database) is refused by the
service long before its share cache would expire, which only the store's
LISTEN/NOTIFY can do; PostgreSQL stopped is a refusal (503 from the
service, never a grant), and coming back needs no restart."""

import time

import pytest
import requests

from conftest import Env, launch_with_studies, make_orthanc, sharer_hashes, studyshare_section
from postgres_harness import PostgresCluster, skip_requested
from service_harness import CALLER_USERS, Client, ServiceProcess, Study, creation_body, payload_of, validation_body

# Long on purpose: a refusal seen quickly can only come from the store's
# notifications, not from a cached share expiring.
CACHE_MS = 60000

if skip_requested():
    pytest.skip("STUDYSHARE_SKIP_POSTGRES=1: the service on PostgreSQL is not tested", allow_module_level=True)


@pytest.fixture(scope="module")
def pair(fixture_files, tmp_path_factory):
    """(Env of the Orthanc node, Client of the service, PostgresCluster)."""
    hashes, users = sharer_hashes()
    pg = PostgresCluster()
    orthanc = service = None
    try:
        pg.create_database("studyshare")
        store = {"Type": "postgresql", "Connection": pg.connection("studyshare"),
                 "ConnectTimeoutSeconds": 2, "StatementTimeoutMilliseconds": 1000}
        section = studyshare_section(tmp_path_factory.mktemp("unused") / "unused.db", users)
        section.update({"Store": store, "ShareCacheMilliseconds": CACHE_MS})
        orthanc = make_orthanc({"StudyShare": section})
        service = ServiceProcess(settings={"USERS": CALLER_USERS},
                                 config={"StudyShare": dict(orthanc.extra_config["StudyShare"])}, store=False)
        launch_with_studies(orthanc, fixture_files)
        e = Env(orthanc, fixture_files[1], hashes)
        e.load_ids()
        yield e, Client(service), pg
    finally:
        for process in (orthanc, service):
            if process is not None:
                process.cleanup()
        pg.cleanup()


def study(env, key):
    s = env.study(key)
    return Study(s["id"], s["uid"])


def granted(client, token, target):
    return client.validate(validation_body(token, target))["granted"]


def wait_refused(client, token, target, what):
    started = time.monotonic()
    while granted(client, token, target):
        assert time.monotonic() - started < CACHE_MS / 2000, "the service still grants " + what
    return (time.monotonic() - started) * 1000


def test_the_service_stores_in_postgresql(pair):
    env, client, _ = pair
    health = requests.get(client.url + "/health", timeout=10)
    assert health.status_code == 200, health.text
    listening = [e for e in client.service.log_events() if e.get("event") == "listening"]
    assert listening and listening[0]["store"] == "PostgreSQL", listening


def test_a_share_made_on_the_node_is_judged_by_the_service(pair):
    env, client, _ = pair
    share = env.create_share("A")
    assert granted(client, share["Token"], study(env, "A"))
    assert not granted(client, share["Token"], study(env, "C"))


def test_a_link_made_by_the_service_opens_on_the_node_and_is_listed_there(pair):
    env, client, _ = pair
    made = client.create("viewer-instant-link", [study(env, "A")])
    token = made["token"]
    path = "/studies/" + env.study("A")["id"]
    assert env.get(path, token=token).status_code == 200
    assert env.get("/studies/" + env.study("C")["id"], token=token).status_code == 403
    ids = [s["ID"] for s in env.list_shares()]
    jti = payload_of(token)["jti"]
    assert jti in ids


def test_a_revocation_on_the_node_reaches_the_service_at_once(pair):
    env, client, _ = pair
    share = env.create_share("A")
    target = study(env, "A")
    assert granted(client, share["Token"], target)  # now in the service's cache
    assert env.admin("DELETE", "/studyshare/shares/" + share["ID"]).status_code == 200
    delay = wait_refused(client, share["Token"], target, "a share revoked on the node")
    print("\nrevocation on the node refused by the service after %.1f ms (cache %d ms)" % (delay, CACHE_MS))


def test_a_link_made_by_the_service_and_revoked_on_the_node_stops_on_both(pair):
    env, client, _ = pair
    token = client.create("viewer-instant-link", [study(env, "A")])["token"]
    jti = payload_of(token)["jti"]
    path = "/studies/" + env.study("A")["id"]
    assert env.get(path, token=token).status_code == 200 and granted(client, token, study(env, "A"))
    assert env.admin("DELETE", "/studyshare/shares/" + jti).status_code == 200
    assert env.get(path, token=token).status_code == 403
    wait_refused(client, token, study(env, "A"), "its own link revoked on the node")


def test_a_revocation_in_the_database_reaches_both(pair):
    """Whoever changes a share (here psql, as an operator would) is heard by
    the node and the service alike."""
    env, client, pg = pair
    share = env.create_share("A")
    path = "/studies/" + env.study("A")["id"]
    assert env.get(path, token=share["Token"]).status_code == 200
    assert granted(client, share["Token"], study(env, "A"))
    pg.sql("UPDATE studyshare_shares SET revoked_at = 1 WHERE id = '%s'" % share["ID"], database="studyshare")
    wait_refused(client, share["Token"], study(env, "A"), "a share revoked in the database")
    started = time.monotonic()
    while env.get(path, token=share["Token"]).status_code == 200:
        assert time.monotonic() - started < CACHE_MS / 2000, "the node still serves a share revoked in the database"


def test_postgres_stopped_is_a_refusal_by_the_service_then_back_without_restart(pair):
    env, client, pg = pair
    share = env.create_share("A")
    body = validation_body(share["Token"], study(env, "A"))
    assert granted(client, share["Token"], study(env, "A"))
    pg.stop()
    try:
        # A new link cannot be stored: refused with a JSON reason, nothing granted.
        r = client.put_token("viewer-instant-link",
                             creation_body("viewer-instant-link", [study(env, "B")]))
        assert r.status_code == 503, (r.status_code, r.text)
        assert r.json()["error"] == "store-unavailable"
        health = requests.get(client.url + "/health", timeout=30)
        assert health.status_code == 503
        assert "store-unavailable" in client.service.log_text()
        assert share["Token"] not in client.service.log_text()
    finally:
        pg.start()
    started = time.monotonic()
    while True:
        r = client.call("POST", "/tokens/validate", body)
        if r.status_code == 200 and r.json()["granted"]:
            break
        assert time.monotonic() - started < 30, "the service did not recover: %s" % r.text
        time.sleep(0.1)
    assert client.service.process.poll() is None
