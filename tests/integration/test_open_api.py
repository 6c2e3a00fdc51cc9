# SPDX-License-Identifier: GPL-3.0-or-later
"""POST /share/api/open: recipients exchange a link or an access code for a
session, answering the share's challenges; use limits, lockout, revocation,
expiry and bad input, against the real Orthanc."""

import concurrent.futures
import json
import time

import pytest
import requests

from conftest import DICOMWEB_PLUGIN, STUDYSHARE_PLUGIN, WEBVIEWER_PLUGIN, SECRET
from orthanc_harness import OrthancProcess
from conftest import env_on_every_store

env = env_on_every_store()

BIRTH_DATE_A = "19800215"  # patient SS-P1 in the fixtures


def open_share(env, body, raw=None):
    data = raw if raw is not None else json.dumps(body)
    return requests.post(env.url + "/share/api/open", data=data,
                         headers={"Content-Type": "application/json"}, timeout=60)


def audit(env, share_id):
    r = env.admin_get("/studyshare/shares/%s/audit" % share_id)
    assert r.status_code == 200, r.text
    return r.json()


def share_state(env, share_id):
    r = env.admin_get("/studyshare/shares/" + share_id)
    assert r.status_code == 200, r.text
    return r.json()


def test_open_by_link_gives_a_session_for_the_study_only(env):
    share = env.create_share("A")
    r = open_share(env, {"Token": share["Token"]})
    assert r.status_code == 200, r.text
    answer = r.json()
    assert answer["Permissions"] == ["View"]
    [study] = answer["Studies"]
    assert study["OrthancId"] == env.study("A")["id"]
    assert study["DicomUid"] == env.study("A")["uid"]
    assert study["PatientName"] == "DOE^JANE"
    assert study["PatientBirthDate"] == BIRTH_DATE_A
    assert [len(s["Instances"]) for s in study["Series"]] == [3, 3]
    assert {s["OrthancId"] for s in study["Series"]} == {s["id"] for s in env.study("A")["series"]}
    assert answer["Viewers"]["webviewer"] is True
    session = answer["SessionToken"]
    assert session != share["Token"]

    instance = env.instance("A")["id"]
    assert env.get("/instances/%s/preview" % instance, token=session).status_code == 200
    assert env.get("/studies/" + env.study("B")["id"], token=session).status_code == 403
    assert env.get("/patients", token=session).status_code == 403
    # a session is not a share token: it cannot be opened again
    assert open_share(env, {"Token": session}).json()["Error"] == "invalid"
    events = [(e["Event"], e["Outcome"]) for e in audit(env, share["ID"])]
    assert ("open", "success") in events


def test_password_challenge(env):
    share = env.create_share("A", Password="correct horse")
    # the share token alone opens nothing at the gate (rule 6)
    assert env.get("/studies/" + env.study("A")["id"], token=share["Token"]).status_code == 403

    r = open_share(env, {"Token": share["Token"]})
    assert r.status_code == 401
    assert r.json()["Error"] == "challenge-required"
    assert r.json()["Challenges"] == ["Password"]

    r = open_share(env, {"Token": share["Token"], "Password": "wrong"})
    assert r.status_code == 401 and r.json()["Error"] == "challenge-failed"

    r = open_share(env, {"Token": share["Token"], "Password": "correct horse"})
    assert r.status_code == 200, r.text
    session = r.json()["SessionToken"]
    assert env.get("/studies/" + env.study("A")["id"], token=session).status_code == 200
    log = json.dumps(audit(env, share["ID"]))
    assert "correct horse" not in log and "wrong" not in log


@pytest.mark.parametrize("typed", ["1980-02-15", "19800215"])
def test_birth_date_challenge(env, typed):
    share = env.create_share("A", RequireBirthDate=True)
    r = open_share(env, {"Token": share["Token"]})
    assert r.json()["Challenges"] == ["BirthDate"]
    assert open_share(env, {"Token": share["Token"], "BirthDate": "1980-02-16"}).json()["Error"] == "challenge-failed"
    assert open_share(env, {"Token": share["Token"], "BirthDate": "15/02/1980"}).json()["Error"] == "challenge-failed"
    r = open_share(env, {"Token": share["Token"], "BirthDate": typed})
    assert r.status_code == 200, r.text


def test_access_code_is_forgiving_about_case_spaces_and_dashes(env):
    share = env.create_share("A", AccessCode=True)
    code = share["AccessCode"]
    assert len(code.replace("-", "")) == 15
    typed = " " + code.lower().replace("-", " ") + " "
    r = open_share(env, {"AccessCode": typed})
    assert r.status_code == 200, r.text
    assert r.json()["Studies"][0]["OrthancId"] == env.study("A")["id"]
    # the token of a share with a code does not open images by itself
    assert env.get("/studies/" + env.study("A")["id"], token=share["Token"]).status_code == 403


def test_unknown_access_code_is_invalid(env):
    r = open_share(env, {"AccessCode": "ZZZZZ-ZZZZZ-ZZZZ2"})
    assert r.status_code == 404 and r.json()["Error"] == "invalid"
    r = open_share(env, {"AccessCode": "not a code at all"})
    assert r.status_code == 404 and r.json()["Error"] == "invalid"


def test_use_limit_counts_opens_not_requests(env):
    share = env.create_share("A", MaxUses=2)
    sessions = []
    for _ in range(2):
        r = open_share(env, {"Token": share["Token"]})
        assert r.status_code == 200, r.text
        sessions.append(r.json()["SessionToken"])
    # image requests do not consume uses
    for _ in range(5):
        assert env.get("/studies/" + env.study("A")["id"], token=sessions[0]).status_code == 200
    r = open_share(env, {"Token": share["Token"]})
    assert r.status_code == 410 and r.json()["Error"] == "exhausted"
    assert share_state(env, share["ID"])["Uses"] == 2
    # sessions already opened keep working until they expire
    assert env.get("/studies/" + env.study("A")["id"], token=sessions[1]).status_code == 200


def test_use_limit_is_atomic_under_concurrent_opens(env):
    share = env.create_share("A", MaxUses=5)
    with concurrent.futures.ThreadPoolExecutor(max_workers=10) as pool:
        statuses = list(pool.map(lambda _: open_share(env, {"Token": share["Token"]}).status_code, range(20)))
    assert statuses.count(200) == 5, statuses
    assert statuses.count(410) == 15, statuses
    assert share_state(env, share["ID"])["Uses"] == 5


def test_lockout_after_repeated_wrong_answers(env):
    share = env.create_share("A", Password="right-answer")
    results = [open_share(env, {"Token": share["Token"], "Password": "guess-%d" % i}).json()["Error"]
               for i in range(5)]
    assert results[:4] == ["challenge-failed"] * 4
    assert results[4] == "locked"
    r = open_share(env, {"Token": share["Token"], "Password": "right-answer"})
    assert r.status_code == 423 and r.json()["Error"] == "locked"
    events = [(e["Event"], e["Outcome"]) for e in audit(env, share["ID"])]
    assert ("lockout", "locked") in events
    assert events.count(("challenge-failed", "challenge-failed")) == 5


def test_revocation_kills_link_and_sessions(env):
    share = env.create_share("A")
    session = open_share(env, {"Token": share["Token"]}).json()["SessionToken"]
    assert env.get("/studies/" + env.study("A")["id"], token=session).status_code == 200
    assert env.admin("DELETE", "/studyshare/shares/" + share["ID"]).status_code == 200
    assert env.get("/studies/" + env.study("A")["id"], token=session).status_code == 403
    r = open_share(env, {"Token": share["Token"]})
    assert r.status_code == 410 and r.json()["Error"] == "revoked"


def test_expired_share(env):
    share = env.create_share("A", ValidityDuration=1)
    deadline = time.time() + 30
    while time.time() < deadline:
        r = open_share(env, {"Token": share["Token"]})
        if r.status_code != 200:
            break
        time.sleep(0.2)
    assert r.status_code == 410 and r.json()["Error"] == "expired"


def test_download_permission_and_audit(env):
    view_only = env.create_share("A")
    session = open_share(env, {"Token": view_only["Token"]}).json()["SessionToken"]
    assert env.get("/studies/%s/archive" % env.study("A")["id"], token=session).status_code == 403

    downloadable = env.create_share("A", Permissions=["View", "Download"])
    answer = open_share(env, {"Token": downloadable["Token"]}).json()
    assert answer["Permissions"] == ["View", "Download"]
    r = env.get("/studies/%s/archive" % env.study("A")["id"], token=answer["SessionToken"])
    assert r.status_code == 200 and r.content[:2] == b"PK"
    events = [(e["Event"], e["Outcome"]) for e in audit(env, downloadable["ID"])]
    assert ("download", "success") in events


BAD_BODIES = [
    ("empty", ""),
    ("not json", "{token"),
    ("array", "[]"),
    ("string", '"eyJ"'),
    ("empty object", "{}"),
    ("token not a string", '{"Token": 42}'),
    ("code not a string", '{"AccessCode": ["ABCDE"]}'),
    ("password not a string", '{"Token": "x", "Password": 1}'),
    ("session not a string", '{"SessionToken": 5}'),
    ("answers without token or code", '{"Password": "x"}'),
    ("unknown field", '{"Token": "x", "Admin": true}'),
    ("huge", '{"Token": "' + "a" * 100000 + '"}'),
]


@pytest.mark.parametrize("name,raw", BAD_BODIES, ids=[b[0] for b in BAD_BODIES])
def test_bad_input_gets_a_clear_400_and_changes_nothing(env, name, raw):
    share = env.shared_token("open-bad-input", "A", MaxUses=3)
    share_id = [s for s in env.list_shares() if s["MaxUses"] == 3 and s["Uses"] == 0]
    before = len(env.list_shares())
    r = open_share(env, None, raw=raw)
    assert r.status_code == 400, (r.status_code, r.text)
    body = r.json()
    assert body["Error"] == "bad-request" and body["Message"]
    assert len(env.list_shares()) == before
    assert all(s["Uses"] == 0 for s in share_id)
    assert share


def test_pages_are_public_and_locked_down(env):
    for path in ("/share/", "/share"):
        r = requests.get(env.url + path, timeout=30)
        assert r.status_code == 200
        assert r.headers["Content-Type"].startswith("text/html")
        assert "default-src 'none'" in r.headers["Content-Security-Policy"]
        assert r.headers["Referrer-Policy"] == "no-referrer"
        assert r.headers["Cache-Control"] == "no-store"
        assert '<base href="/share/">' in r.text
    assert requests.get(env.url + "/share/no-such-file.js", timeout=30).status_code == 404


def test_code_guessing_is_rate_limited(fixture_files):
    out, _ = fixture_files
    config = {"StudyShare": {"Secret": SECRET, "CodeAttemptsPerClientPerMinute": 3}}
    with OrthancProcess(plugins=[DICOMWEB_PLUGIN, WEBVIEWER_PLUGIN, STUDYSHARE_PLUGIN],
                        extra_config=config) as orthanc:
        orthanc.upload_dir(str(out / "synth" / "C"))
        study = orthanc.get_json("/studies")[0]
        share = orthanc.api("POST", "/studyshare/shares", json={
            "Resources": [{"Level": "Study", "OrthancId": study}], "AccessCode": True}).json()
        url = orthanc.url + "/share/api/open"
        errors = [requests.post(url, json={"AccessCode": "AAAAA-BBBBB-CCCC%d" % (i + 2)}, timeout=30).json()["Error"]
                  for i in range(3)]
        assert errors == ["invalid"] * 3
        r = requests.post(url, json={"AccessCode": share["AccessCode"]}, timeout=30)
        assert r.status_code == 503 and r.json()["Error"] == "rate-limited"
        assert r.headers["Retry-After"] == "60"
