# SPDX-License-Identifier: GPL-3.0-or-later
"""The gate's resolver when Orthanc's own calls fail (issue 12, faults on
purpose). The Orthanc here keeps its index and storage in a private
PostgreSQL (Debian's orthanc-postgresql) while the StudyShare store stays
in SQLite, so the index can fail alone: stopping that PostgreSQL makes every
REST call the resolver makes inside Orthanc fail. And a shared study deleted
under a live share. Each is a refusal (never a grant, never a crash) with a
log line naming the cause, the share is kept, and everything works again
once the index is back or the study is uploaded again, without a restart."""

import os
import time

import pytest

from conftest import DICOMWEB_PLUGIN, STUDYSHARE_PLUGIN, Env, sharer_hashes, studyshare_section
from orthanc_harness import OrthancProcess
from postgres_harness import PostgresCluster, skip_requested
from test_postgres_nodes import INDEX_PLUGIN, STORAGE_PLUGIN

if skip_requested():
    pytest.skip("STUDYSHARE_SKIP_POSTGRES=1: the index on PostgreSQL is not tested", allow_module_level=True)


@pytest.fixture(scope="module")
def indexed(fixture_files, tmp_path_factory):
    for plugin in (INDEX_PLUGIN, STORAGE_PLUGIN, STUDYSHARE_PLUGIN):
        if not os.path.isfile(plugin):
            pytest.fail("missing plugin %s (install orthanc-postgresql, build StudyShare)" % plugin)
    hashes, users = sharer_hashes()
    pg = PostgresCluster()
    orthanc = None
    try:
        pg.create_database("orthanc")
        config = {
            "PostgreSQL": {"EnableIndex": True, "EnableStorage": True, "Lock": False, "EnableSsl": False,
                           "Host": "127.0.0.1", "Port": pg.port, "Database": "orthanc",
                           "Username": "postgres", "Password": "",
                           # How long a call into Orthanc waits for its index (2 x 1 s
                           # instead of Debian's 10 x 5 s): what a share request waits too.
                           "MaximumConnectionRetries": 2, "ConnectionRetryInterval": 1},
            "StudyShare": studyshare_section(tmp_path_factory.mktemp("resolver-store") / "shares.db", users),
        }
        orthanc = OrthancProcess(plugins=[INDEX_PLUGIN, STORAGE_PLUGIN, DICOMWEB_PLUGIN, STUDYSHARE_PLUGIN],
                                 extra_config=config, name="indexed", start=False)
        orthanc.extra_config["StudyShare"]["PublicUrl"] = orthanc.url
        orthanc.start()
        answers = orthanc.upload_dir(str(fixture_files[0]))
        assert answers and all(a.get("Status") in ("Success", "AlreadyStored") for a in answers)
        e = Env(orthanc, fixture_files[1], hashes)
        e.load_ids()
        e.postgres = pg
        e.fixtures = fixture_files[0]
        yield e
    finally:
        if orthanc is not None:
            orthanc.cleanup()
        pg.cleanup()


def new_log(env, since):
    return env.orthanc.log_tail(100000)[since:]


def test_index_down_is_a_refusal_naming_the_resolver_then_back(indexed):
    share = indexed.create_share("A")
    instance = indexed.instance("A", 1, 0)["id"]  # never asked before: not in the resolver's cache
    series = indexed.series("A", 1)
    uid_path = "/dicom-web/studies/%s/series/%s/metadata" % (indexed.study("A")["uid"], series["uid"])
    since = len(indexed.orthanc.log_tail(100000))
    indexed.postgres.stop()
    try:
        for path in ("/instances/%s/tags" % instance, uid_path):
            started = time.monotonic()
            # A DICOM UID is looked up through Orthanc's /tools/lookup, which
            # waits for Orthanc's PostgreSQL plugin to give up (its retries
            # above): the gate cannot cut a call into Orthanc short.
            r = indexed.get(path, token=share["Token"], timeout=180)
            print("\nindex down: %s refused in %.1f s" % (path.split("/")[1], time.monotonic() - started))
            assert r.status_code == 403, (path, r.status_code, r.text[:200])
        log = new_log(indexed, since)
        refusals = [line for line in log.splitlines() if "resolver-unavailable" in line]
        assert refusals, log[-3000:]
        assert share["Token"] not in log
        assert indexed.orthanc.process.poll() is None
        # The share itself lives in the StudyShare store, which still answers.
        kept = indexed.admin_get("/studyshare/shares/" + share["ID"])
        assert kept.status_code == 200 and kept.json()["State"] == "active"
    finally:
        indexed.postgres.start()
    deadline = time.monotonic() + 60
    while indexed.get("/instances/%s/tags" % instance, token=share["Token"]).status_code != 200:
        assert time.monotonic() < deadline, "no recovery after the index came back:\n" + new_log(indexed, since)[-3000:]
        time.sleep(0.2)
    assert indexed.get(uid_path, token=share["Token"]).status_code == 200
    assert indexed.get("/instances/%s/tags" % indexed.instance("C")["id"], token=share["Token"]).status_code == 403


def test_a_study_deleted_under_its_share_is_refused_then_back_when_uploaded_again(indexed):
    share = indexed.create_share("B")
    study = indexed.study("B")
    instance = indexed.instance("B")["id"]
    assert indexed.get("/instances/%s/tags" % instance, token=share["Token"]).status_code == 200
    assert indexed.admin("DELETE", "/studies/" + study["id"]).status_code == 200
    for path in ("/studies/" + study["id"], "/instances/%s/tags" % instance,
                 "/dicom-web/studies/%s/metadata" % study["uid"]):
        r = indexed.get(path, token=share["Token"])
        assert r.status_code in (403, 404), (path, r.status_code, r.text[:200])
        assert r.status_code != 200
    assert indexed.orthanc.process.poll() is None
    kept = indexed.admin_get("/studyshare/shares/" + share["ID"])
    assert kept.status_code == 200
    # Orthanc identifiers are digests of the UIDs: the same files uploaded
    # again are the same study, and the share opens it again.
    indexed.orthanc.upload_dir(str(indexed.fixtures))
    assert indexed.get("/instances/%s/tags" % instance, token=share["Token"]).status_code == 200
    assert indexed.get("/dicom-web/studies/%s/metadata" % study["uid"], token=share["Token"]).status_code == 200
