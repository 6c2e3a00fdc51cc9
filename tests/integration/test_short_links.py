# SPDX-License-Identifier: GPL-3.0-or-later
"""Short links (issue 18, point 1): {PublicUrl}/s/#<key>, a 128-bit key that
opens its share only through POST /share/api/open, stored as a keyed digest,
revoked with its share, and guessed no faster than access codes."""

import json
import os
import re
import sqlite3

import requests

from conftest import SECRET
from orthanc_harness import DICOMWEB_PLUGIN, WEBVIEWER_PLUGIN, OrthancProcess
from conftest import STUDYSHARE_PLUGIN

KEY = re.compile(r"^[A-Za-z0-9_-]{22}$")


def open_share(env_url, body):
    return requests.post(env_url + "/share/api/open", data=json.dumps(body),
                         headers={"Content-Type": "application/json"}, timeout=60)


def key_of(share):
    prefix, key = share["ShortUrl"].split("#", 1)
    return prefix, key


def test_create_and_get_carry_a_short_url_of_a_128_bit_key(env):
    share = env.create_share("A")
    prefix, key = key_of(share)
    assert prefix == env.url + "/s/", share["ShortUrl"]
    assert KEY.match(key), key
    assert len(share["ShortUrl"]) < len(share["Url"]) // 3, share
    again = env.admin_get("/studyshare/shares/" + share["ID"]).json()
    assert again["ShortUrl"] == share["ShortUrl"]
    other = env.create_share("A")
    assert key_of(other)[1] != key


def test_the_key_opens_its_share_through_open_only(env):
    share = env.create_share("A")
    _, key = key_of(share)
    r = open_share(env.url, {"Key": key})
    assert r.status_code == 200, r.text
    assert [s["OrthancId"] for s in r.json()["Studies"]] == [env.study("A")["id"]]
    assert env.get("/studies/" + env.study("A")["id"], token=r.json()["SessionToken"]).status_code == 200
    # The key by itself is no credential at the gate, in any place a token goes.
    for via in ("bearer", "header", "arg"):
        assert env.get("/studies/" + env.study("A")["id"], token=key, via=via).status_code in (401, 403), via
    audit = env.admin_get("/studyshare/shares/%s/audit" % share["ID"]).json()
    assert ("open", "success") in [(e["Event"], e["Outcome"]) for e in audit]


def test_the_key_asks_every_challenge_the_token_asks(env):
    share = env.create_share("A", AccessCode=True, Password="s3cret-pw")
    _, key = key_of(share)
    r = open_share(env.url, {"Key": key})
    assert r.status_code == 401 and r.json()["Error"] == "challenge-required", r.text
    assert sorted(r.json()["Challenges"]) == ["AccessCode", "Password"]
    r = open_share(env.url, {"Key": key, "AccessCode": share["AccessCode"], "Password": "s3cret-pw"})
    assert r.status_code == 200, r.text


def test_a_revoked_share_s_key_says_revoked(env):
    share = env.create_share("A")
    _, key = key_of(share)
    assert env.admin("DELETE", "/studyshare/shares/" + share["ID"]).status_code == 200
    r = open_share(env.url, {"Key": key})
    assert r.status_code == 410 and r.json()["Error"] == "revoked", r.text


def test_wrong_and_malformed_keys_are_invalid(env):
    share = env.create_share("A")
    _, key = key_of(share)
    flipped = ("B" if key[0] == "A" else "A") + key[1:]
    for wrong in (flipped, key[:21], key + "A", "not a key at all", ""):
        r = open_share(env.url, {"Key": wrong})
        assert r.status_code == 404 and r.json()["Error"] == "invalid", (wrong, r.text)
    r = open_share(env.url, {"Key": 42})
    assert r.status_code == 400, r.text


def test_the_short_link_page_is_the_recipients_page(env):
    for path in ("/s/", "/s"):
        r = requests.get(env.url + path, timeout=30)
        assert r.status_code == 200, (path, r.status_code)
        assert r.headers["Referrer-Policy"] == "no-referrer"
        assert r.headers["Cache-Control"] == "no-store"
        assert '<base href="/share/">' in r.text
        assert 'id="state-code"' in r.text
    assert requests.get(env.url + "/s/anything", timeout=30).status_code in (401, 403, 404)


def test_the_store_holds_only_a_keyed_digest(env, tmp_path):
    share = env.create_share("A")
    _, key = key_of(share)
    store = env.orthanc.extra_config["StudyShare"]["Store"]["Path"]
    with sqlite3.connect("file:%s?mode=ro" % store, uri=True) as db:
        rows = db.execute("SELECT share_id, digest FROM short_keys WHERE share_id = ?", (share["ID"],)).fetchall()
        dump = "\n".join(db.iterdump())
    assert len(rows) == 1 and rows[0][1], rows
    assert key not in dump


def test_key_guessing_is_rate_limited_like_codes(fixture_files):
    out, _ = fixture_files
    config = {"StudyShare": {"Secret": SECRET, "CodeAttemptsPerClientPerMinute": 3}}
    with OrthancProcess(plugins=[DICOMWEB_PLUGIN, WEBVIEWER_PLUGIN, STUDYSHARE_PLUGIN],
                        extra_config=config) as orthanc:
        orthanc.upload_dir(str(out / "synth" / "C"))
        study = orthanc.get_json("/studies")[0]
        share = orthanc.api("POST", "/studyshare/shares", json={
            "Resources": [{"Level": "Study", "OrthancId": study}]}).json()
        key = share["ShortUrl"].split("#", 1)[1]
        errors = [open_share(orthanc.url, {"Key": "A" * 21 + "AEIM"[i]}).json()["Error"] for i in range(3)]
        assert errors == ["invalid"] * 3
        r = open_share(orthanc.url, {"Key": key})
        assert r.status_code == 503 and r.json()["Error"] == "rate-limited", r.text
        assert r.headers["Retry-After"] == "60"
        # Access codes share the same counters: guessing one kind does not reset the other.
        r = open_share(orthanc.url, {"AccessCode": "AAAAA-BBBBB-CCCC2"})
        assert r.json()["Error"] == "rate-limited", r.text
