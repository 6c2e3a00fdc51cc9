# SPDX-License-Identifier: GPL-3.0-or-later
"""The staff share API refuses bad input with 400 + a JSON error and stores
nothing; it is closed to anonymous callers and share-token holders; sharers
see and revoke only their own shares."""

import json
import time

import pytest
import requests

from conftest import MAX_VALIDITY, SHARER_USERS
from conftest import env_on_every_store

env = env_on_every_store()


def iso(ts, zone="Z"):
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(ts)) + zone


def A(env):
    return {"Level": "Study", "OrthancId": env.study("A")["id"]}


def body(env, **fields):
    b = {"Resources": [A(env)], "ValidityDuration": 3600}
    for k, v in fields.items():
        if v is Ellipsis:
            b.pop(k, None)
        else:
            b[k] = v
    return b


# Each entry: (id, function env -> body (dict / list / str / bytes)).
BAD_BODIES = [
    ("not-json", lambda env: "{not json"),
    ("empty-string", lambda env: ""),
    ("truncated-json", lambda env: json.dumps(body(env))[:-1]),
    ("array-empty", lambda env: []),
    ("array-of-body", lambda env: [body(env)]),
    ("string-json", lambda env: json.dumps("Resources")),
    ("number-json", lambda env: "42"),
    ("null-json", lambda env: "null"),
    ("empty-object", lambda env: {}),
    ("unknown-field", lambda env: body(env, Foo=1)),
    ("unknown-field-case", lambda env: body(env, resources=[A(env)])),
    ("resources-missing", lambda env: body(env, Resources=...)),
    ("resources-empty", lambda env: body(env, Resources=[])),
    ("resources-object", lambda env: body(env, Resources=A(env))),
    ("resources-string", lambda env: body(env, Resources=env.study("A")["id"])),
    ("resources-null", lambda env: body(env, Resources=None)),
    ("resource-not-object", lambda env: body(env, Resources=[env.study("A")["id"]])),
    ("level-series", lambda env: body(env, Resources=[{"Level": "Series",
                                                       "OrthancId": env.series("A")["id"]}])),
    ("level-patient", lambda env: body(env, Resources=[{"Level": "Patient",
                                                        "OrthancId": env.study("A")["patient"]}])),
    ("level-instance", lambda env: body(env, Resources=[{"Level": "Instance",
                                                         "OrthancId": env.instance("A")["id"]}])),
    ("level-missing", lambda env: body(env, Resources=[{"OrthancId": env.study("A")["id"]}])),
    ("level-number", lambda env: body(env, Resources=[{"Level": 2, "OrthancId": env.study("A")["id"]}])),
    ("no-id", lambda env: body(env, Resources=[{"Level": "Study"}])),
    ("resource-unknown-field", lambda env: body(env, Resources=[dict(A(env), Foo="x")])),
    ("unknown-orthanc-id", lambda env: body(env, Resources=[{
        "Level": "Study", "OrthancId": "00000000-11111111-22222222-33333333-44444444"}])),
    ("series-id-as-study", lambda env: body(env, Resources=[{"Level": "Study",
                                                             "OrthancId": env.series("A")["id"]}])),
    ("malformed-orthanc-id", lambda env: body(env, Resources=[{"Level": "Study", "OrthancId": "xyz"}])),
    ("upper-case-orthanc-id", lambda env: body(env, Resources=[{
        "Level": "Study", "OrthancId": env.study("A")["id"].upper()}])),
    ("orthanc-id-number", lambda env: body(env, Resources=[{"Level": "Study", "OrthancId": 12}])),
    ("unknown-dicom-uid", lambda env: body(env, Resources=[{"Level": "Study",
                                                            "DicomUid": "1.2.3.4.5.6.7.8.9"}])),
    ("series-uid-as-study", lambda env: body(env, Resources=[{"Level": "Study",
                                                              "DicomUid": env.series("A")["uid"]}])),
    ("bad-uid-letters", lambda env: body(env, Resources=[{"Level": "Study", "DicomUid": "1.2.abc"}])),
    ("bad-uid-injection", lambda env: body(env, Resources=[{"Level": "Study",
                                                            "DicomUid": "1.2.3');DROP TABLE shares;--"}])),
    ("bad-uid-wildcard", lambda env: body(env, Resources=[{"Level": "Study", "DicomUid": "1.2*"}])),
    ("bad-uid-list", lambda env: body(env, Resources=[{"Level": "Study", "DicomUid": "%s,%s" % (
        env.study("A")["uid"], env.study("B")["uid"])}])),
    ("bad-uid-empty", lambda env: body(env, Resources=[{"Level": "Study", "DicomUid": ""}])),
    ("bad-uid-too-long", lambda env: body(env, Resources=[{"Level": "Study", "DicomUid": "1." * 40 + "1"}])),
    ("mismatched-id-and-uid", lambda env: body(env, Resources=[{
        "Level": "Study", "OrthancId": env.study("A")["id"], "DicomUid": env.study("B")["uid"]}])),
    ("same-study-twice", lambda env: body(env, Resources=[A(env), A(env)])),
    ("same-study-by-id-and-uid", lambda env: body(env, Resources=[
        A(env), {"Level": "Study", "DicomUid": env.study("A")["uid"]}])),
    ("validity-negative", lambda env: body(env, ValidityDuration=-1)),
    ("validity-string", lambda env: body(env, ValidityDuration="3600")),
    ("validity-float", lambda env: body(env, ValidityDuration=1.5)),
    ("validity-bool", lambda env: body(env, ValidityDuration=True)),
    ("validity-over-max", lambda env: body(env, ValidityDuration=MAX_VALIDITY + 1)),
    ("validity-huge", lambda env: body(env, ValidityDuration=2 ** 62)),
    ("validity-and-date", lambda env: body(env, ExpirationDate=iso(time.time() + 7200))),
    ("date-in-past", lambda env: body(env, ValidityDuration=..., ExpirationDate="2000-01-01T00:00:00Z")),
    ("date-just-past", lambda env: body(env, ValidityDuration=..., ExpirationDate=iso(time.time() - 60))),
    ("date-without-zone", lambda env: body(env, ValidityDuration=...,
                                           ExpirationDate=iso(time.time() + 86400, zone=""))),
    ("date-only", lambda env: body(env, ValidityDuration=...,
                                   ExpirationDate=time.strftime("%Y-%m-%d", time.gmtime(time.time() + 86400)))),
    ("date-garbage", lambda env: body(env, ValidityDuration=..., ExpirationDate="tomorrow")),
    ("date-number", lambda env: body(env, ValidityDuration=..., ExpirationDate=int(time.time()) + 86400)),
    ("date-invalid-month", lambda env: body(env, ValidityDuration=..., ExpirationDate="2031-13-01T00:00:00Z")),
    ("date-over-max", lambda env: body(env, ValidityDuration=...,
                                       ExpirationDate=iso(time.time() + MAX_VALIDITY + 86400))),
    ("permissions-delete", lambda env: body(env, Permissions=["Delete"])),
    ("permissions-view-delete", lambda env: body(env, Permissions=["View", "Delete"])),
    ("permissions-without-view", lambda env: body(env, Permissions=["Download"])),
    ("permissions-empty", lambda env: body(env, Permissions=[])),
    ("permissions-string", lambda env: body(env, Permissions="View")),
    ("permissions-lower-case", lambda env: body(env, Permissions=["view"])),
    ("max-uses-zero", lambda env: body(env, MaxUses=0)),
    ("max-uses-negative", lambda env: body(env, MaxUses=-3)),
    ("max-uses-string", lambda env: body(env, MaxUses="3")),
    ("max-uses-float", lambda env: body(env, MaxUses=2.5)),
    ("password-empty", lambda env: body(env, Password="")),
    ("password-5000", lambda env: body(env, Password="p" * 5000)),
    ("password-number", lambda env: body(env, Password=1234)),
    ("viewer-foo", lambda env: body(env, Viewer="foo")),
    ("viewer-number", lambda env: body(env, Viewer=3)),
    ("note-3000", lambda env: body(env, Note="n" * 3000)),
    ("note-number", lambda env: body(env, Note=5)),
    ("recipient-string", lambda env: body(env, Recipient="someone@example.org")),
    ("require-birth-date-string", lambda env: body(env, RequireBirthDate="yes")),
    ("access-code-string", lambda env: body(env, AccessCode="yes")),
    ("anonymize-with-birth-date", lambda env: body(env, Anonymize=True, RequireBirthDate=True)),
    ("anonymize-string", lambda env: body(env, Anonymize="yes")),
    ("allow-burned-in-without-anonymize", lambda env: body(env, AllowBurnedInAnnotation=True)),
    ("huge-body-100k", lambda env: body(env, Recipient={"Pad": "x" * 100 * 1024})),
    ("huge-body-100k-whitespace", lambda env: json.dumps(body(env)) + " " * (100 * 1024)),
]


def share_count(env):
    return len(env.list_shares())


@pytest.mark.parametrize("make", [m for _, m in BAD_BODIES], ids=[i for i, _ in BAD_BODIES])
def test_bad_create_body_is_refused(env, make):
    before = share_count(env)
    payload = make(env)
    if not isinstance(payload, (str, bytes)):
        payload = json.dumps(payload)
    r = env.create_share_raw(payload)
    assert r.status_code == 400, (r.status_code, r.text[:300])
    answer = r.json()
    assert isinstance(answer, dict)
    assert isinstance(answer.get("Error"), str) and answer["Error"]
    assert isinstance(answer.get("Message"), str) and answer["Message"]
    assert share_count(env) == before


@pytest.mark.parametrize("fields", [
    {},
    {"ValidityDuration": 0},
    {"ValidityDuration": MAX_VALIDITY},
    {"ValidityDuration": ..., "ExpirationDate": "__in_a_day_Z__"},
    {"ValidityDuration": ..., "ExpirationDate": "__in_a_day_offset__"},
    {"Permissions": ["View", "Download"]},
    {"Permissions": ["View"], "Viewer": "Stone"},
    {"MaxUses": 1}, {"Password": "p" * 1024}, {"Note": "n" * 2000},
    {"Recipient": {"Email": "x@example.org"}}, {"AccessCode": True}, {"RequireBirthDate": True},
    {"Anonymize": False},
], ids=lambda f: ",".join(sorted(f)) or "minimal")
def test_good_create_bodies_are_accepted(env, fields):
    """Positive controls for the refusals above (same server, same field)."""
    before = share_count(env)
    now = time.time()
    fields = dict(fields)
    if fields.get("ExpirationDate") == "__in_a_day_Z__":
        fields["ExpirationDate"] = iso(now + 86400)
    elif fields.get("ExpirationDate") == "__in_a_day_offset__":
        fields["ExpirationDate"] = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(now + 86400 + 7200)) + "+02:00"
    r = env.create_share_raw(body(env, **fields))
    assert r.status_code == 201, r.text
    answer = r.json()
    assert answer["ID"] and answer["Token"] and answer["Url"]
    if fields.get("AccessCode"):
        assert answer["AccessCode"]
    assert share_count(env) == before + 1


def test_unknown_share_is_404_json(env):
    for path in ["/studyshare/shares/unknown", "/studyshare/shares/unknown/audit"]:
        r = env.admin_get(path)
        assert r.status_code == 404
        assert r.json()["Error"] and r.json()["Message"]
    r = env.admin("DELETE", "/studyshare/shares/unknown")
    assert r.status_code == 404 and r.json()["Error"]


def test_wrong_methods_on_the_api(env):
    share = env.create_share("A")
    assert env.admin("PUT", "/studyshare/shares", json={}).status_code == 405
    assert env.admin("DELETE", "/studyshare/shares").status_code == 405
    assert env.admin("POST", "/studyshare/shares/%s" % share["ID"], json={}).status_code == 405
    assert env.admin("PUT", "/studyshare/shares/%s" % share["ID"], json={}).status_code == 405
    assert env.get("/studies/%s" % env.study("A")["id"], token=share["Token"]).status_code == 200


def test_anonymous_cannot_use_the_api(env):
    before = share_count(env)
    share = env.create_share("A")
    r = requests.post(env.url + "/studyshare/shares", json=body(env), timeout=30)
    assert r.status_code == 403
    for method, path in [("GET", "/studyshare/shares"), ("GET", "/studyshare/shares/%s" % share["ID"]),
                         ("DELETE", "/studyshare/shares/%s" % share["ID"]),
                         ("GET", "/studyshare/shares/%s/audit" % share["ID"]), ("GET", "/studyshare/metrics")]:
        assert requests.request(method, env.url + path, timeout=30).status_code == 403, (method, path)
    assert share_count(env) == before + 1
    assert env.get("/studies/%s" % env.study("A")["id"], token=share["Token"]).status_code == 200


@pytest.mark.parametrize("via", ["bearer", "header", "arg"])
def test_share_token_holder_cannot_use_the_api(env, via):
    share = env.create_share("A", Permissions=["View", "Download"])
    before = share_count(env)
    for study in ("A", "B"):
        r = env.request("POST", "/studyshare/shares", token=share["Token"], via=via,
                        json={"Resources": [{"Level": "Study", "OrthancId": env.study(study)["id"]}]})
        assert r.status_code == 403, (via, study, r.status_code)
    for method, path in [("GET", "/studyshare/shares"), ("GET", "/studyshare/shares/%s" % share["ID"]),
                         ("DELETE", "/studyshare/shares/%s" % share["ID"]),
                         ("GET", "/studyshare/shares/%s/audit" % share["ID"])]:
        assert env.request(method, path, token=share["Token"], via=via).status_code == 403, (method, path)
    assert share_count(env) == before
    assert env.get("/studies/%s" % env.study("A")["id"], token=share["Token"]).status_code == 200


# --------------------------------------------------------------------------
# Sharers (users with an Argon2id hash and Role "sharer").

@pytest.fixture(scope="module")
def sharers(env):
    if not all(env.sharer_hashes.values()):
        pytest.fail("no Argon2id implementation available to hash the sharer passwords "
                    "(neither python3-nacl nor libsodium)")
    return {name: (name, pw) for name, pw in SHARER_USERS.items()}


def test_sharer_can_create_and_sees_only_own_shares(env, sharers):
    alice, bob = sharers["alice"], sharers["bob"]
    mine = env.create_share("A", auth=alice)
    theirs = env.create_share("C", auth=bob)
    admins = env.create_share("A")
    assert mine["CreatedBy"] == "alice" and theirs["CreatedBy"] == "bob"

    alice_list = env.list_shares(auth=alice)
    assert mine["ID"] in {s["ID"] for s in alice_list}
    assert all(s["CreatedBy"] == "alice" for s in alice_list)
    assert theirs["ID"] not in {s["ID"] for s in alice_list}
    assert admins["ID"] not in {s["ID"] for s in alice_list}
    filtered = env.list_shares(auth=alice, params={"study": env.study("C")["id"]})
    assert theirs["ID"] not in {s["ID"] for s in filtered}

    # The admin sees everybody's shares.
    admin_ids = {s["ID"] for s in env.list_shares()}
    assert {mine["ID"], theirs["ID"], admins["ID"]} <= admin_ids

    # Alice's token works like any share token.
    assert env.get("/studies/%s" % env.study("A")["id"], token=mine["Token"]).status_code == 200


def test_sharer_cannot_read_or_revoke_someone_elses_share(env, sharers):
    alice, bob = sharers["alice"], sharers["bob"]
    theirs = env.create_share("C", auth=bob)
    admins = env.create_share("A")
    for share in (theirs, admins):
        for method, path in [("GET", "/studyshare/shares/%s" % share["ID"]),
                             ("GET", "/studyshare/shares/%s/audit" % share["ID"]),
                             ("DELETE", "/studyshare/shares/%s" % share["ID"])]:
            r = requests.request(method, env.url + path, auth=alice, timeout=30)
            assert r.status_code == 404, (method, path, r.status_code)
            assert share["Token"] not in r.text
        # Still active, still working.
        assert env.admin_get("/studyshare/shares/%s" % share["ID"]).json()["State"] == "active"
    assert env.get("/studies/%s" % env.study("C")["id"], token=theirs["Token"]).status_code == 200
    assert env.get("/studies/%s" % env.study("A")["id"], token=admins["Token"]).status_code == 200


def test_sharer_can_revoke_own_share(env, sharers):
    alice = sharers["alice"]
    mine = env.create_share("B", auth=alice)
    assert env.get("/studies/%s" % env.study("B")["id"], token=mine["Token"]).status_code == 200
    r = requests.delete(env.url + "/studyshare/shares/%s" % mine["ID"], auth=alice, timeout=30)
    assert r.status_code == 200 and r.json()["State"] == "revoked"
    assert env.get("/studies/%s" % env.study("B")["id"], token=mine["Token"]).status_code == 403
    events = requests.get(env.url + "/studyshare/shares/%s/audit" % mine["ID"], auth=alice, timeout=30).json()
    assert [e["Actor"] for e in events if e["Event"] in ("create", "revoke")] == ["alice", "alice"]


def test_sharer_bad_body_is_400_too(env, sharers):
    before = share_count(env)
    r = env.create_share_raw({"Resources": []}, auth=sharers["alice"])
    assert r.status_code == 400 and r.json()["Error"]
    assert share_count(env) == before


def test_sharer_with_wrong_password_is_refused(env, sharers):
    before = share_count(env)
    for auth in [("alice", "wrong"), ("alice", SHARER_USERS["bob"]), ("alice", ""), ("Alice", SHARER_USERS["alice"])]:
        r = env.create_share_raw(body(env), auth=auth)
        assert r.status_code == 403, auth
        r = requests.get(env.url + "/studyshare/shares", auth=auth, timeout=30)
        assert r.status_code == 403, auth
    assert share_count(env) == before


def test_sharer_cannot_change_orthanc(env, sharers):
    alice = sharers["alice"]
    c = env.study("A")
    instance = c["series"][0]["instances"][0]["id"]
    for method, path, headers in [("DELETE", "/studies/%s" % c["id"], None),
                                  ("GET", "/instances/%s" % instance, {"X-HTTP-Method-Override": "DELETE"}),
                                  ("GET", "/instances/%s?_method=DELETE" % instance, None),
                                  ("PUT", "/studies/%s/metadata/1024" % c["id"], None),
                                  ("POST", "/studies/%s/modify" % c["id"], None)]:
        r = requests.request(method, env.url + path, auth=alice, headers=headers, data="{}", timeout=30)
        assert r.status_code == 403, (method, path, headers, r.status_code)
    assert env.admin_get("/instances/%s" % instance).status_code == 200
    assert len(env.admin_get("/studies/%s/instances" % c["id"]).json()) == 6
