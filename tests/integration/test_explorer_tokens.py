# SPDX-License-Identifier: GPL-3.0-or-later
"""Orthanc Explorer 2's token routes in the plugin (PUT /auth/tokens/{type},
POST /auth/tokens/decode), with the exact bodies Orthanc Explorer 2 sends,
answered in-process ("local") and through studyshare-service ("remote")."""

import pytest
import requests

from conftest import SHARER_USERS


@pytest.fixture(scope="module", params=["local", "remote"])
def env(request, env):
    if request.param == "local":
        return env
    return request.getfixturevalue("remote_env")


def explorer_body(env, *keys, token_type="stone-viewer-publication", **extra):
    """What Orthanc Explorer 2's Share dialog sends (orthancApi.js createToken)."""
    body = {"Resources": [{"OrthancId": env.study(k)["id"], "DicomUid": env.study(k)["uid"], "Level": "study"}
                          for k in keys or ("A",)],
            "Type": token_type}
    body.update(extra)
    return body


def create(env, token_type, body, auth=None, expect=200):
    body = dict(body, Type=token_type)  # Orthanc Explorer 2 repeats the URL's type in the body
    r = requests.put(env.url + "/auth/tokens/" + token_type, json=body,
                     auth=env.admin_auth if auth is None else auth, timeout=60)
    assert r.status_code == expect, (token_type, r.status_code, r.text)
    return r


def decode(env, token):
    return requests.post(env.url + "/auth/tokens/decode", json={"TokenKey": "token", "TokenValue": token},
                         timeout=60)


def test_share_button_gives_a_working_stone_link(env):
    a = env.study("A")
    answer = create(env, "stone-viewer-publication", explorer_body(env, "A", ValidityDuration=7 * 86400)).json()
    assert set(answer) == {"Token", "Url"}
    # Our own landing page first: recipients get clear messages for expired or revoked links.
    assert answer["Url"] == env.url + "/share/#token=" + answer["Token"]
    assert env.get("/studies/" + a["id"], token=answer["Token"]).status_code == 200
    assert env.get("/dicom-web/studies/%s/series" % a["uid"], token=answer["Token"]).status_code == 200
    assert env.get("/studies/" + env.study("B")["id"], token=answer["Token"]).status_code == 403
    assert env.get("/studies/%s/archive" % a["id"], token=answer["Token"]).status_code == 403

    # Listed, audited and revocable like any share.
    listed = [s for s in env.list_shares() if s.get("TokenType") == "stone-viewer-publication"]
    assert listed and all(s["Viewer"] == "stone" for s in listed)


def test_decode_redirects_to_the_viewer(env):
    a = env.study("A")
    token = create(env, "stone-viewer-publication", explorer_body(env, "A")).json()["Token"]
    r = decode(env, token)
    assert r.status_code == 200, r.text
    d = r.json()
    assert d["TokenType"] == "stone-viewer-publication"
    assert "ErrorCode" not in d
    assert d["RedirectUrl"] == "%s/stone-webviewer/index.html?study=%s&selectedStudies=%s&token=%s" % (
        env.url, a["uid"], a["uid"], token)
    assert d["ResourcesDicomIds"] == [a["uid"]]
    assert d["ResourcesOrthancIds"] == [a["id"]]


def test_decode_of_garbage_and_of_revoked_links(env):
    d = decode(env, "not-a-token").json()
    assert d["ErrorCode"] == "invalid" and d["ResourcesDicomIds"] == [] and "RedirectUrl" not in d

    answer = create(env, "osimis-viewer-publication", explorer_body(env, "A")).json()
    share = [s for s in env.list_shares() if s.get("TokenType") == "osimis-viewer-publication"][-1]
    assert env.admin("DELETE", "/studyshare/shares/" + share["ID"]).status_code == 200
    d = decode(env, answer["Token"]).json()
    assert d["ErrorCode"] == "invalid" and "RedirectUrl" not in d
    assert env.get("/studies/" + env.study("A")["id"], token=answer["Token"]).status_code == 403


def test_instant_links_have_no_url_and_download_links_download(env):
    a = env.study("A")
    answer = create(env, "download-instant-link", explorer_body(env, "A", ValidityDuration=200)).json()
    assert answer["Url"] is None
    r = env.get("/studies/%s/archive" % a["id"], token=answer["Token"], via="arg")
    assert r.status_code == 200 and r.content[:2] == b"PK"
    view = create(env, "viewer-instant-link", explorer_body(env, "A", ValidityDuration=200)).json()
    assert view["Url"] is None
    assert env.get("/studies/%s/archive" % a["id"], token=view["Token"]).status_code == 403


def test_sharers_may_create_tokens_anonymous_may_not(env):
    name, password = next(iter(SHARER_USERS.items()))
    if not env.sharer_hashes.get(name):
        pytest.fail("no Argon2id hash for the sharer users (libsodium missing)")
    token = create(env, "stone-viewer-publication", explorer_body(env, "A"), auth=(name, password)).json()["Token"]
    # The sharer owns the link (also when the service made it): listed for them, revocable by them.
    mine = [s for s in env.list_shares(auth=(name, password)) if s.get("TokenType") == "stone-viewer-publication"]
    assert mine and all(s["CreatedBy"] == name for s in mine)
    ids = [s["ID"] for s in mine
           if requests.get(env.url + "/studyshare/shares/" + s["ID"], auth=(name, password),
                           timeout=60).json()["Token"] == token]
    assert len(ids) == 1
    r = requests.delete(env.url + "/studyshare/shares/" + ids[0], auth=(name, password), timeout=60)
    assert r.status_code == 200, r.text
    assert env.get("/studies/" + env.study("A")["id"], token=token).status_code == 403
    r = requests.put(env.url + "/auth/tokens/stone-viewer-publication", json=explorer_body(env, "A"), timeout=60)
    assert r.status_code in (401, 403)


@pytest.mark.parametrize("token_type,body,needle", [
    ("stone-viewer-publication", "not json", "JSON object"),
    ("stone-viewer-publication", [], "JSON object"),
    ("stone-viewer-publication", {"Resources": []}, "Resources"),
    ("stone-viewer-publication", {"Resources": [{"Level": "series", "OrthancId": "x"}]}, "Level"),
    ("stone-viewer-publication", {"Resources": [{"Level": "study", "OrthancId": "nope"}]}, "OrthancId"),
    ("stone-viewer-publication", {"Resources": [{"Level": "study", "DicomUid": "1.2.x"}]}, "DicomUid"),
    ("stone-viewer-publication", {"Resources": [{"Level": "study"}]}, "OrthancId"),
    ("no-such-viewer", {"Resources": [{"Level": "study", "DicomUid": "1.2.3"}]}, "unknown token type"),
    ("stone-viewer-publication", {"Resources": [{"Level": "study", "DicomUid": "1.2.3"}],
                                  "ExpirationDate": "2030-01-01T00:00:00"}, "ExpirationDate"),
    ("stone-viewer-publication", {"Resources": [{"Level": "study", "DicomUid": "1.2.3"}],
                                  "ValidityDuration": -5}, "ValidityDuration"),
    ("stone-viewer-publication", {"Resources": [{"Level": "study", "DicomUid": "1.2.3"}],
                                  "Type": "ohif-viewer-publication"}, "Type"),
])
def test_bad_token_requests_are_400(env, token_type, body, needle):
    before = len(env.list_shares())
    data = body if isinstance(body, str) else None
    r = requests.put(env.url + "/auth/tokens/" + token_type, data=data,
                     json=None if data is not None else body, auth=env.admin_auth, timeout=60)
    assert r.status_code == 400, r.text
    assert needle in r.json()["Message"]
    assert len(env.list_shares()) == before


@pytest.mark.parametrize("body", ["", "[]", "{}", '{"TokenValue": 5}'])
def test_bad_decode_requests_are_400(env, body):
    r = requests.post(env.url + "/auth/tokens/decode", data=body, timeout=60)
    assert r.status_code == 400, r.text
    assert r.json()["Message"]


def test_decode_is_the_only_anonymous_auth_route(env):
    assert requests.get(env.url + "/auth/tokens/decode", timeout=60).status_code in (401, 403)
    assert requests.post(env.url + "/auth/tokens/stone-viewer-publication", json={}, timeout=60).status_code \
        in (401, 403)


def test_explorer_shares_pass_the_share_apis_checks(env):
    """Issue 12 item 10: PUT /auth/tokens/{type} goes through the staff
    API's checks, in local and remote mode."""
    a, c = env.study("A"), env.study("C")
    before = len(env.list_shares())
    unknown_uid = "1.2.826.0.1.3680043.8.498.999999999999"
    refused = [
        ("study C's OrthancId with study A's DicomUid", [{"OrthancId": c["id"], "DicomUid": a["uid"], "Level": "study"}]),
        ("more than MaxStudiesPerShare", [{"OrthancId": a["id"], "Level": "study"}] * 100),
        ("an unknown DicomUid", [{"DicomUid": unknown_uid, "Level": "study"}]),
        ("a series' Orthanc id as a study", [{"OrthancId": a["series"][0]["id"], "Level": "study"}]),
        ("a study named twice", [{"OrthancId": a["id"]}, {"DicomUid": a["uid"]}]),
    ]
    for name, resources in refused:
        body = {"Resources": resources, "ValidityDuration": 3600}
        r = create(env, "stone-viewer-publication", body, expect=400)
        assert r.json()["Message"], name
    assert len(env.list_shares()) == before

    # From a DicomUid alone: the share holds both identifiers and the link opens the study.
    token = create(env, "viewer-instant-link", {"Resources": [{"DicomUid": c["uid"], "Level": "study"}],
                                                "ValidityDuration": 3600}).json()["Token"]
    assert env.get("/studies/" + c["id"], token=token).status_code == 200
    assert env.get("/dicom-web/studies/%s/metadata" % c["uid"], token=token).status_code == 200
    assert env.get("/studies/" + a["id"], token=token).status_code == 403
    listed = [s for s in env.list_shares() if s.get("TokenType") == "viewer-instant-link"]
    assert any(s["Studies"] and s["Studies"][0]["OrthancId"] == c["id"] and s["Studies"][0]["DicomUid"] == c["uid"]
               for s in listed), listed
