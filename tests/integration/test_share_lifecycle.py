# SPDX-License-Identifier: GPL-3.0-or-later
"""Share lifecycle against a real Orthanc: creation contract, revocation,
expiry, tampered and foreign tokens, restart, audit and list filters."""

import json
import time

from conftest import (OTHER_SECRET, SECRET, b64url_decode, b64url_encode, jwt_parts,
                      jwt_sign_hs256)
from conftest import env_on_every_store

env = env_on_every_store()


def study_path(env, key="A"):
    return "/studies/%s" % env.study(key)["id"]


def get_share(env, share_id):
    r = env.admin_get("/studyshare/shares/%s" % share_id)
    assert r.status_code == 200, r.text
    return r.json()


def wait_until_denied(env, token, path, timeout=10.0):
    """Poll ``path`` with ``token`` until 403; returns the seconds it took."""
    start = time.monotonic()
    while True:
        status = env.get(path, token=token).status_code
        if status == 403:
            return time.monotonic() - start
        assert status == 200, status
        assert time.monotonic() - start < timeout, "still granted after %.0f s" % timeout
        time.sleep(0.1)


# --------------------------------------------------------------------------

def test_create_answer_follows_the_contract(env):
    share = env.create_share("A")
    header, payload, _ = jwt_parts(share["Token"])
    assert payload["jti"] == share["ID"]
    assert header["alg"] == "HS256" and header["typ"]
    assert share["Url"].startswith(env.url)
    assert share["Token"] not in share["Url"].split("#")[0], "the token must not reach server logs"
    assert share["State"] == "active" and share["Permissions"] == ["View"]
    assert [s["OrthancId"] for s in share["Studies"]] == [env.study("A")["id"]]
    assert share["Studies"][0]["DicomUid"] == env.study("A")["uid"]
    assert share["ExpirationDate"]
    # The stored share reads back the same.
    stored = get_share(env, share["ID"])
    assert stored["ID"] == share["ID"] and stored["State"] == "active"


def test_level_is_case_insensitive(env):
    r = env.create_share_raw({"Resources": [{"Level": "study", "OrthancId": env.study("A")["id"]}],
                              "ValidityDuration": 600})
    assert r.status_code == 201, r.text
    assert env.get(study_path(env), token=r.json()["Token"]).status_code == 200


def test_revoke_takes_effect_on_the_next_request(env):
    share = env.create_share("A")
    token = share["Token"]
    path = study_path(env)
    # Warm every cache first (share cache, resolver cache).
    for via in ("bearer", "header", "arg"):
        assert env.get(path, token=token, via=via).status_code == 200
    r = env.admin("DELETE", "/studyshare/shares/%s" % share["ID"])
    assert r.status_code == 200, r.text
    assert r.json()["State"] == "revoked" and r.json()["RevokedAt"]
    for via in ("bearer", "header", "arg"):
        assert env.get(path, token=token, via=via).status_code == 403, via
    c = env.study("A")
    assert env.get("/dicom-web/studies/%s/metadata" % c["uid"], token=token).status_code == 403
    assert env.get("/instances/%s/file" % c["series"][0]["instances"][0]["id"], token=token).status_code == 403
    assert get_share(env, share["ID"])["State"] == "revoked"
    # Revoking again does not resurrect it.
    env.admin("DELETE", "/studyshare/shares/%s" % share["ID"])
    assert env.get(path, token=token).status_code == 403


def test_revoking_one_share_leaves_others_alone(env):
    one = env.create_share("A")
    two = env.create_share("A")
    assert env.admin("DELETE", "/studyshare/shares/%s" % one["ID"]).status_code == 200
    assert env.get(study_path(env), token=one["Token"]).status_code == 403
    assert env.get(study_path(env), token=two["Token"]).status_code == 200


def test_share_expires(env):
    share = env.create_share("A", ValidityDuration=2)
    path = study_path(env)
    assert env.get(path, token=share["Token"]).status_code == 200
    took = wait_until_denied(env, share["Token"], path, timeout=10.0)
    assert took <= 4.0
    assert get_share(env, share["ID"])["State"] == "expired"
    active = {s["ID"] for s in env.list_shares(params={"active": "true"})}
    assert share["ID"] not in active


# --------------------------------------------------------------------------
# Tampered and foreign tokens.

def flip(ch):
    return "A" if ch != "A" else "B"


def test_tampered_signature_is_refused(env):
    token = env.create_share("A")["Token"]
    path = study_path(env)
    assert env.get(path, token=token).status_code == 200
    head, payload, sig = token.split(".")
    for i in (0, len(sig) // 2, len(sig) - 2):
        bad = head + "." + payload + "." + sig[:i] + flip(sig[i]) + sig[i + 1:]
        assert env.get(path, token=bad).status_code == 403, i
    for bad in (head + "." + payload + ".", head + "." + payload, head + "." + payload + "." + sig[:-4],
                token + ".", token + "x" * 4, "." + token, token.replace(".", "..", 1)):
        assert env.get(path, token=bad).status_code == 403, bad


def test_tampered_payload_is_refused(env):
    a = env.create_share("A")
    c = env.create_share("C")
    path_c = study_path(env, "C")
    head, payload, sig = a["Token"].split(".")
    # Flip one character of the payload.
    for i in (2, len(payload) // 2, len(payload) - 3):
        bad = head + "." + payload[:i] + flip(payload[i]) + payload[i + 1:] + "." + sig
        assert env.get(study_path(env), token=bad).status_code == 403, i
    # Point A's signed token at share C's id: C is not reachable with it.
    claims = jwt_parts(a["Token"])[1]
    claims["jti"] = c["ID"]
    forged_payload = b64url_encode(str.encode(json.dumps(claims, separators=(",", ":"))))
    assert env.get(path_c, token=head + "." + forged_payload + "." + sig).status_code == 403
    # Extend the expiry of an (unexpired) token without re-signing.
    claims = jwt_parts(a["Token"])[1]
    claims["exp"] += 10 ** 6
    forged_payload = b64url_encode(str.encode(json.dumps(claims, separators=(",", ":"))))
    assert env.get(study_path(env), token=head + "." + forged_payload + "." + sig).status_code == 403


def test_handmade_tokens(env):
    share = env.create_share("A")
    header, claims, _ = jwt_parts(share["Token"])
    path = study_path(env)

    # Positive control: the same header and claims signed with the configured
    # secret by this test are accepted (so the refusals below are about the
    # one thing each one changes).
    assert env.get(path, token=jwt_sign_hs256(header, claims, SECRET)).status_code == 200

    # A different secret.
    assert env.get(path, token=jwt_sign_hs256(header, claims, OTHER_SECRET)).status_code == 403

    def with_claims(**changes):
        c = dict(claims)
        for k, v in changes.items():
            if v is None:
                c.pop(k, None)
            else:
                c[k] = v
        return jwt_sign_hs256(header, c, SECRET)

    def with_header(**changes):
        h = dict(header)
        for k, v in changes.items():
            if v is None:
                h.pop(k, None)
            else:
                h[k] = v
        return jwt_sign_hs256(h, claims, SECRET)

    now = int(time.time())
    refused = {
        "unknown share id": with_claims(jti="no-such-share-0000000"),
        "expired long ago": with_claims(exp=now - 3600, iat=now - 7200, nbf=now - 7200),
        "not yet valid": with_claims(nbf=now + 3600, iat=now),
        "wrong audience": with_claims(aud="someone-else"),
        "wrong issuer": with_claims(iss="someone-else"),
        "no exp": with_claims(exp=None),
        "no jti": with_claims(jti=None),
        "session type without sid": with_header(typ="studyshare-session+jwt"),
        "other typ": with_header(typ="JWT"),
        "no typ": with_header(typ=None),
        "unknown kid": with_header(kid="other-key"),
        "alg HS512 label": with_header(alg="HS512"),
        "extra header jku": with_header(jku="http://evil/keys"),
    }
    for name, token in refused.items():
        assert env.get(path, token=token).status_code == 403, name

    # alg "none" with and without a signature.
    none_header = dict(header, alg="none")
    unsigned = (b64url_encode(json.dumps(none_header).encode()) + "." +
                b64url_encode(json.dumps(claims).encode()))
    assert env.get(path, token=unsigned + ".").status_code == 403
    assert env.get(path, token=unsigned + "." + share["Token"].split(".")[2]).status_code == 403


def test_token_of_revoked_share_stays_refused_when_re_signed(env):
    share = env.create_share("A")
    header, claims, _ = jwt_parts(share["Token"])
    assert env.admin("DELETE", "/studyshare/shares/%s" % share["ID"]).status_code == 200
    fresh = jwt_sign_hs256(header, dict(claims, iat=int(time.time())), SECRET)
    assert env.get(study_path(env), token=fresh).status_code == 403


# --------------------------------------------------------------------------
# Audit and list filters.

def test_audit_records_create_and_revoke(env):
    share = env.create_share("A")
    assert env.admin("DELETE", "/studyshare/shares/%s" % share["ID"]).status_code == 200
    r = env.admin_get("/studyshare/shares/%s/audit" % share["ID"])
    assert r.status_code == 200
    events = r.json()
    kinds = [e["Event"] for e in events]
    assert "create" in kinds and "revoke" in kinds
    assert kinds.index("create") < kinds.index("revoke")
    for e in events:
        if e["Event"] in ("create", "revoke"):
            assert e["Actor"] == "admin" and e["Outcome"] == "success" and e["Time"]
    # No token is ever written in the audit trail.
    assert share["Token"] not in r.text
    assert env.admin_get("/studyshare/shares/no-such-share/audit").status_code == 404


def test_list_filters(env):
    a_active = env.create_share("A")
    a_revoked = env.create_share("A")
    c_active = env.create_share("C")
    assert env.admin("DELETE", "/studyshare/shares/%s" % a_revoked["ID"]).status_code == 200

    everything = {s["ID"] for s in env.list_shares()}
    assert {a_active["ID"], a_revoked["ID"], c_active["ID"]} <= everything

    active = env.list_shares(params={"active": "true"})
    ids = {s["ID"] for s in active}
    assert a_active["ID"] in ids and c_active["ID"] in ids and a_revoked["ID"] not in ids
    # A share locked by wrong answers (other tests lock some) is still live: it opens again.
    assert all(s["State"] in ("active", "locked") for s in active)

    inactive_too = {s["ID"] for s in env.list_shares(params={"active": "false"})}
    assert a_revoked["ID"] in inactive_too

    of_a = env.list_shares(params={"study": env.study("A")["id"]})
    ids = {s["ID"] for s in of_a}
    assert a_active["ID"] in ids and a_revoked["ID"] in ids and c_active["ID"] not in ids
    assert all(env.study("A")["id"] in [st["OrthancId"] for st in s["Studies"]] for s in of_a)

    both = {s["ID"] for s in env.list_shares(params={"study": env.study("A")["id"], "active": "true"})}
    assert a_active["ID"] in both and a_revoked["ID"] not in both and c_active["ID"] not in both

    of_b = env.list_shares(params={"study": env.study("B")["id"]})
    assert all(env.study("B")["id"] in [st["OrthancId"] for st in s["Studies"]] for s in of_b)
    assert not {a_active["ID"], a_revoked["ID"], c_active["ID"]} & {s["ID"] for s in of_b}

    for bad in ({"active": "maybe"}, {"foo": "1"}):
        r = env.admin_get("/studyshare/shares", params=bad)
        assert r.status_code == 400 and r.json()["Error"] and r.json()["Message"], bad


# --------------------------------------------------------------------------
# Restart: shares live in the store, not in memory.

def test_shares_survive_a_restart(env):
    alive = env.create_share("A")
    dead = env.create_share("A")
    assert env.admin("DELETE", "/studyshare/shares/%s" % dead["ID"]).status_code == 200
    path = study_path(env)
    assert env.get(path, token=alive["Token"]).status_code == 200
    assert env.get(path, token=dead["Token"]).status_code == 403

    pid = env.orthanc.pid
    env.orthanc.restart()
    assert env.orthanc.pid != pid

    r = env.get(path, token=alive["Token"])
    assert r.status_code == 200 and r.json()["ID"] == env.study("A")["id"]
    assert env.get("/dicom-web/studies/%s/metadata" % env.study("A")["uid"],
                   token=alive["Token"]).status_code == 200
    assert env.get(path, token=dead["Token"]).status_code == 403
    assert env.get(study_path(env, "B"), token=alive["Token"]).status_code == 403
    assert get_share(env, dead["ID"])["State"] == "revoked"
    kinds = [e["Event"] for e in env.admin_get("/studyshare/shares/%s/audit" % dead["ID"]).json()]
    assert "create" in kinds and "revoke" in kinds
    # And the API still works after the restart.
    again = env.create_share("A")
    assert env.get(path, token=again["Token"]).status_code == 200


def test_b64url_helpers_roundtrip():
    for data in (b"", b"a", b"ab", b"abc", bytes(range(256))):
        assert b64url_decode(b64url_encode(data)) == data
