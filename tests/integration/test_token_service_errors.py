# SPDX-License-Identifier: GPL-3.0-or-later
"""studyshare-service: caller authentication, bad input on every route (400
with a JSON message, nothing stored), unknown routes, /health, user
profiles, start-up refusals, logs free of secrets, and SIGTERM."""

import json

import pytest
import requests

from conftest import argon2id_hash
from service_harness import (CALLER, CALLER_USERS, OHIF_ROOT, ORTHANC_ROOT, PUBLIC_URL, SECRET, Client,
                             ServiceProcess, basic, creation_body, new_study, validation_body)

ADMIN = ("admin", "admin-pw-Zr42-not-in-logs")
SHARER = ("sally", "sally-pw-Kp07-not-in-logs")
WRONG_PASSWORD = "wrong-pw-Jv55-not-in-logs"

SETTINGS = {"SECRET_KEY": SECRET, "USERS": CALLER_USERS, "PUBLIC_ORTHANC_ROOT": ORTHANC_ROOT,
            "PUBLIC_OHIF_ROOT": OHIF_ROOT}

ROUTES = [("PUT", "/tokens/stone-viewer-publication"), ("POST", "/tokens/validate"), ("POST", "/tokens/decode"),
          ("POST", "/user/get-profile"), ("PUT", "/shares"), ("POST", "/shares/validate")]


def staff_config(with_sharer=True):
    config = {"StudyShare": {"Secret": SECRET, "PublicUrl": PUBLIC_URL}, "RegisteredUsers": {ADMIN[0]: ADMIN[1]}}
    sharer_hash = argon2id_hash(SHARER[1]) if with_sharer else None
    if sharer_hash:
        config["StudyShare"]["Users"] = {SHARER[0]: {"PasswordHash": sharer_hash, "Role": "sharer"}}
    return config


@pytest.fixture(scope="module")
def svc():
    # Every test here calls from 127.0.0.1, many with wrong credentials on
    # purpose: they must not add up to the caller limit, which
    # test_token_service_callers.py checks on a service of its own.
    with ServiceProcess(settings=SETTINGS,
                        config={"TokenService": {"CallerFailuresPerClientPerMinute": 100000}}) as service:
        yield Client(service)


@pytest.fixture(scope="module")
def staff():
    with ServiceProcess(settings={"USERS": CALLER_USERS}, config=staff_config()) as service:
        yield Client(service)


def valid_body(method, path):
    """A well-formed body for each route."""
    study = new_study()
    if path.startswith("/tokens/") and method == "PUT":
        return creation_body("stone-viewer-publication", [study])
    if path.endswith("/validate"):
        return validation_body(None, study)
    if path == "/tokens/decode":
        return {"token-key": "token", "token-value": "x"}
    if path == "/shares":
        return {"studies": [{"dicom-uid": study.uid}], "type": "stone-viewer-publication"}
    return {"token-key": "", "token-value": ""}


# --------------------------------------------------------------------------
# Caller authentication

@pytest.mark.parametrize("method,path", ROUTES)
def test_route_needs_caller_credentials(svc, method, path):
    body = valid_body(method, path)
    before = svc.service.count_rows()
    for auth in (None, (CALLER[0], WRONG_PASSWORD), ("nobody", CALLER[1]), (CALLER[0], "")):
        r = svc.call(method, path, body, auth=auth)
        assert r.status_code == 401, (auth, r.status_code, r.text)
        assert r.headers["WWW-Authenticate"].startswith("Basic")
        assert r.json()["message"] == "Incorrect username or password."
    r = svc.call(method, path, body, headers={"Authorization": "Bearer " + CALLER[1]}, auth=None)
    assert r.status_code == 401
    assert svc.service.count_rows() == before
    assert svc.call(method, path, body).status_code == 200


def test_health_needs_no_credentials(svc):
    r = requests.get(svc.url + "/health", timeout=10)
    assert r.status_code == 200
    assert r.json() == {"status": "ok"}


@pytest.mark.parametrize("method,path", [("GET", "/"), ("GET", "/tokens"), ("POST", "/tokens/validate/x"),
                                         ("GET", "/tokens/validate"), ("POST", "/settings/roles"),
                                         ("DELETE", "/tokens/stone-viewer-publication"), ("GET", "/docs")])
def test_unknown_route_is_404_json(svc, method, path):
    r = svc.call(method, path, {})
    assert r.status_code == 404
    assert r.headers["Content-Type"].startswith("application/json")
    assert path in r.json()["message"]


def test_refuses_to_start_without_users():
    svc = ServiceProcess(settings={"SECRET_KEY": SECRET}, start=False)
    try:
        svc.spawn()
        assert svc.wait_exit() != 0
        assert "USERS" in svc.log_text()
    finally:
        svc.cleanup()


def test_loopback_only_without_users_needs_no_credentials():
    with ServiceProcess(settings={"SECRET_KEY": SECRET}, loopback_only=True) as svc:
        client = Client(svc, auth=None)
        study = new_study()
        token = client.token("viewer-instant-link", [study])
        assert client.validate(validation_body(token, study))["granted"] is True
        # Credentials that are given are still checked.
        r = client.call("POST", "/tokens/validate", validation_body(token, study), auth=CALLER)
        assert r.status_code == 401


def test_loopback_only_needs_loopback_bind():
    # 192.0.2.1 (TEST-NET-1): not loopback, and not an address of this machine either.
    svc = ServiceProcess(settings={"SECRET_KEY": SECRET}, loopback_only=True, bind="192.0.2.1", start=False)
    try:
        svc.spawn()
        assert svc.wait_exit() != 0
        assert "--loopback-only" in svc.log_text()
    finally:
        svc.cleanup()


# --------------------------------------------------------------------------
# Bad input: 400, a JSON message saying what is wrong, nothing stored

PAST = "2001-01-01T00:00:00+00:00"
NO_ZONE = "2030-01-01T00:00:00"


def creation(**changes):
    body = creation_body("stone-viewer-publication", [new_study()])
    body.update(changes)
    return json.dumps(body)


def one_resource(**changes):
    resource = {"orthanc-id": new_study().oid, "dicom-uid": new_study().uid, "level": "study"}
    resource.update(changes)
    return creation(resources=[resource])


def legacy(**changes):
    body = {"studies": [{"dicom-uid": new_study().uid}], "type": "stone-viewer-publication"}
    body.update(changes)
    return json.dumps({k: v for k, v in body.items() if v is not None})


def validation(**changes):
    body = validation_body("x", new_study())
    body.update(changes)
    return json.dumps({k: v for k, v in body.items() if v is not None})


STONE = "/tokens/stone-viewer-publication"
BAD_INPUT = [
    # PUT /tokens/{type}
    ("PUT", STONE, "not json", "must be a JSON object"),
    ("PUT", STONE, "", "must be a JSON object"),
    ("PUT", STONE, "[]", "must be a JSON object"),
    ("PUT", STONE, '"text"', "must be a JSON object"),
    ("PUT", "/tokens/galaxy-link", creation(type="galaxy-link"), "unknown token type 'galaxy-link'"),
    ("PUT", STONE, creation(type="osimis-viewer-publication"), "but the URL says stone-viewer-publication"),
    ("PUT", STONE, creation(resources=[]), "'resources' must be a non-empty array"),
    ("PUT", STONE, creation(resources=None), "'resources' must be a non-empty array"),
    ("PUT", STONE, creation(resources={"a": 1}), "'resources' must be a non-empty array"),
    ("PUT", STONE, creation(resources=["x"]), "'resources[0]' must be an object"),
    ("PUT", STONE, one_resource(level="patient"), "must be study"),
    ("PUT", STONE, one_resource(level="instance"), "must be study"),
    ("PUT", STONE, one_resource(**{"orthanc-id": "not-an-id"}), "is not an Orthanc identifier"),
    ("PUT", STONE, one_resource(**{"orthanc-id": 42}), "'resources[0].orthanc-id' must be a string"),
    ("PUT", STONE, one_resource(**{"dicom-uid": "1.2.abc"}), "is not a DICOM UID"),
    ("PUT", STONE, creation(resources=[{"level": "study"}]), "needs 'orthanc-id' or 'dicom-uid'"),
    ("PUT", STONE, creation(**{"validity-duration": -1}), "'validity-duration' must be a whole number"),
    ("PUT", STONE, creation(**{"validity-duration": "60"}), "'validity-duration' must be a whole number"),
    ("PUT", STONE, creation(**{"validity-duration": 1.5}), "'validity-duration' must be a whole number"),
    ("PUT", STONE, creation(**{"validity-duration": 400 * 86400}), "maximum"),
    ("PUT", STONE, creation(**{"expiration-date": NO_ZONE}), "with a zone"),
    ("PUT", STONE, creation(**{"expiration-date": "tomorrow"}), "'expiration-date' must be an ISO-8601"),
    ("PUT", STONE, creation(**{"expiration-date": PAST}), "'expiration-date' is in the past"),
    ("PUT", STONE, creation(id=7), "'id' must be a string"),
    ("PUT", STONE, creation(resources=[{"dicom-uid": new_study().uid}] * 101), "too many resources"),
    # POST /tokens/validate
    ("POST", "/tokens/validate", "not json", "must be a JSON object"),
    ("POST", "/tokens/validate", "[]", "must be a JSON object"),
    ("POST", "/tokens/validate", validation(method="patch"), "'method' must be one of"),
    ("POST", "/tokens/validate", validation(level="galaxy"), "'level' must be one of"),
    ("POST", "/tokens/validate", validation(method=None), "'method' is missing"),
    ("POST", "/tokens/validate", validation(level=None), "'level' is missing"),
    ("POST", "/tokens/validate", validation(**{"token-value": 12}), "'token-value' must be a string"),
    ("POST", "/tokens/validate", validation(**{"orthanc-id": ["x"]}), "'orthanc-id' must be a string"),
    # POST /tokens/decode
    ("POST", "/tokens/decode", "{}", "'token-value' is missing"),
    ("POST", "/tokens/decode", "not json", "must be a JSON object"),
    ("POST", "/tokens/decode", "[]", "must be a JSON object"),
    ("POST", "/tokens/decode", '{"token-value": 5}', "'token-value' must be a string"),
    # POST /user/get-profile
    ("POST", "/user/get-profile", "not json", "must be a JSON object"),
    ("POST", "/user/get-profile", "[]", "must be a JSON object"),
    ("POST", "/user/get-profile", '{"token-value": true}', "'token-value' must be a string"),
    # PUT /shares (legacy)
    ("PUT", "/shares", "not json", "must be a JSON object"),
    ("PUT", "/shares", "[]", "must be a JSON object"),
    ("PUT", "/shares", legacy(type=None), "'type' is missing"),
    ("PUT", "/shares", legacy(type="galaxy-viewer"), "unknown share type 'galaxy-viewer'"),
    ("PUT", "/shares", legacy(studies=[]), "'studies' must be a non-empty array"),
    ("PUT", "/shares", legacy(anonymized=True), "'anonymized'"),
    ("PUT", "/shares", legacy(anonymized="no"), "'anonymized' must be true or false"),
    ("PUT", "/shares", legacy(**{"expiration-date": NO_ZONE}), "with a zone"),
    # POST /shares/validate (legacy)
    ("POST", "/shares/validate", "not json", "must be a JSON object"),
    ("POST", "/shares/validate", validation(method="patch"), "'method' must be one of"),
]


@pytest.mark.parametrize("method,path,raw,message", BAD_INPUT,
                         ids=["%02d-%s%s" % (i, m, p) for i, (m, p, _, _) in enumerate(BAD_INPUT)])
def test_bad_input_is_400_with_message(svc, method, path, raw, message):
    before = (svc.service.count_rows(), svc.service.count_rows("share_studies"))
    r = svc.call(method, path, raw=raw)
    assert r.status_code == 400, (r.status_code, r.text)
    assert r.headers["Content-Type"].startswith("application/json")
    answer = r.json()
    assert message in answer["message"], answer
    assert answer["error"] == "bad-request"
    assert (svc.service.count_rows(), svc.service.count_rows("share_studies")) == before


def test_nothing_stored_after_400s():
    with ServiceProcess(settings=SETTINGS) as service:
        client = Client(service)
        for method, path, raw, _ in BAD_INPUT:
            assert client.call(method, path, raw=raw).status_code == 400
        assert service.count_rows() == 0
        assert service.count_rows("share_studies") == 0


# --------------------------------------------------------------------------
# POST /user/get-profile

ANONYMOUS = {"name": "Anonymous", "user-id": None, "permissions": [], "groups": [], "authorized-labels": [],
             "validity": 10}


@pytest.mark.parametrize("body", [
    {"token-key": "", "token-value": "", "identifier": None},      # the plugin's anonymous call
    {},                                                           # GetAnonymousUserProfile: no token keys
    {"token-key": "token", "token-value": "eyJhbGciOi.x.y"},      # a share token is no staff login
    {"token-key": "Authorization", "token-value": basic(ADMIN[0], WRONG_PASSWORD)},
    {"token-key": "Authorization", "token-value": basic("nobody", ADMIN[1])},
    {"token-key": "Authorization", "token-value": "Basic !!!not-base64"},
    {"token-key": "Authorization", "token-value": basic(CALLER[0], CALLER[1])},  # callers are not staff
])
def test_anonymous_profile(staff, body):
    assert staff.profile(body) == ANONYMOUS


def test_profile_honours_server_id_like_validate():
    """SERVER_ID set: a profile question from another server, or from one
    without an identifier, gets the anonymous profile (issue 12, item 13)."""
    with ServiceProcess(settings={"USERS": CALLER_USERS, "SERVER_ID": "orthanc-a"}, config=staff_config()) as service:
        client = Client(service)
        body = {"token-key": "Authorization", "token-value": basic(*ADMIN)}
        assert client.profile(dict(body, **{"server-id": "orthanc-a"}))["name"] == ADMIN[0]
        for other in ({"server-id": "orthanc-b"}, {"server-id": None}, {}, {"server-id": "Orthanc-A"}):
            assert client.profile(dict(body, **other)) == ANONYMOUS, other


def test_admin_profile(staff):
    profile = staff.profile({"token-key": "Authorization", "token-value": basic(*ADMIN), "identifier": None})
    assert set(profile) == {"name", "user-id", "permissions", "groups", "authorized-labels", "validity"}
    assert profile["name"] == ADMIN[0] and profile["user-id"] == ADMIN[0]
    assert "all" in profile["permissions"]
    assert {"view", "download", "share", "upload", "delete", "settings"} <= set(profile["permissions"])
    assert profile["groups"] == ["admin"]
    assert profile["authorized-labels"] == ["*"]
    assert isinstance(profile["validity"], int) and profile["validity"] > 0


def test_sharer_profile(staff):
    config = staff_config()
    if "Users" not in config["StudyShare"]:
        pytest.skip("no Argon2id hasher (python3-nacl or libsodium) on this machine")
    profile = staff.profile({"token-key": "Authorization", "token-value": "basic " + basic(*SHARER)[6:]})
    assert profile["name"] == SHARER[0]
    assert "all" not in profile["permissions"]
    assert set(profile["permissions"]) == {"view", "download", "share"}
    assert profile["groups"] == ["sharer"]


def test_secret_key_and_config_secret_together_are_refused():
    svc = ServiceProcess(settings={"SECRET_KEY": SECRET, "USERS": CALLER_USERS}, config=staff_config(False),
                         start=False)
    try:
        svc.spawn()
        assert svc.wait_exit() != 0
        assert "SECRET_KEY and StudyShare.Secret" in svc.log_text()
    finally:
        svc.cleanup()


@pytest.mark.parametrize("settings,message", [
    ({"USERS": CALLER_USERS}, "no signing key"),
    ({"SECRET_KEY": "short", "USERS": CALLER_USERS}, "32 bytes"),
    ({"SECRET_KEY": SECRET, "USERS": "not json"}, "USERS must be a JSON object"),
    ({"SECRET_KEY": SECRET, "USERS": '{"orthanc": ""}'}, "must be a non-empty string"),
    ({"SECRET_KEY": SECRET, "USERS": CALLER_USERS, "OHIF_DATA_SOURCE": "dicom-xml",
      "PUBLIC_OHIF_ROOT": OHIF_ROOT}, "OHIF_DATA_SOURCE"),
    ({"SECRET_KEY": SECRET, "USERS": CALLER_USERS, "PUBLIC_MEDDREAM_ROOT": "http://md.example/"},
     "MEDDREAM_TOKEN_SERVICE_URL"),
    ({"SECRET_KEY": SECRET, "USERS": CALLER_USERS, "PUBLIC_ORTHANC_ROOT": "pacs.example/orthanc/"},
     "http(s) URLs"),
], ids=["no-key", "short-key", "users-not-json", "empty-password", "ohif-source", "meddream-half", "root-not-url"])
def test_bad_settings_stop_the_service_with_a_message(settings, message):
    svc = ServiceProcess(settings=settings, start=False)
    try:
        svc.spawn()
        assert svc.wait_exit() != 0
        assert message in svc.log_text()
        # Even a refused start keeps secrets out of its messages.
        assert CALLER[1] not in svc.log_text() and SECRET not in svc.log_text()
    finally:
        svc.cleanup()


# --------------------------------------------------------------------------
# Logs and stopping

def test_logs_hold_no_tokens_or_passwords():
    with ServiceProcess(settings={"USERS": CALLER_USERS, "PUBLIC_ORTHANC_ROOT": ORTHANC_ROOT},
                        config=staff_config(False)) as service:
        client = Client(service)
        secrets = [CALLER[1], ADMIN[1], WRONG_PASSWORD, SECRET, basic(*CALLER)[6:], basic(*ADMIN)[6:],
                   basic(CALLER[0], WRONG_PASSWORD)[6:]]
        for token_type in ("stone-viewer-publication", "osimis-viewer-publication", "volview-viewer-publication",
                           "viewer-instant-link", "download-instant-link"):
            study = new_study()
            answer = client.create(token_type, [study])
            secrets += [answer["token"], answer["token"].split(".")[2]]
            client.validate(validation_body(answer["token"], study))
            client.validate(validation_body(answer["token"], new_study()))
            client.validate(validation_body(None, study), headers={"token": answer["token"]})
            client.validate(validation_body(answer["token"] + "x", study))
            client.decode(answer["token"])
            client.decode(answer["token"][:-3])
        client.profile({"token-key": "Authorization", "token-value": basic(*ADMIN)})
        client.profile({"token-key": "Authorization", "token-value": basic(ADMIN[0], WRONG_PASSWORD)})
        client.call("POST", "/tokens/validate", {}, auth=(CALLER[0], WRONG_PASSWORD))
        client.call("PUT", "/tokens/stone-viewer-publication", raw="not json")
        client.call("POST", "/tokens/decode", {"token-value": 1})
        client.call("PUT", "/shares", {"studies": [{"dicom-uid": "1.2"}], "type": "stone-viewer"})
        assert service.stop() == 0
        log = service.log_text()
        events = [e["event"] for e in service.log_events()]
        assert "token-created" in events and "caller-refused" in events and "request-refused" in events
        for secret in secrets:
            assert secret not in log, "a secret or token is in the log: %s..." % secret[:12]


def test_sigterm_stops_cleanly():
    service = ServiceProcess(settings=SETTINGS)
    try:
        assert Client(service).call("GET", "/health").status_code == 200
        assert service.stop() == 0
        events = service.log_events()
        assert [e["event"] for e in events][-2:] == ["stopping", "stopped"]
        assert events[-2]["signal"] == "SIGTERM"
    finally:
        service.cleanup()


def test_sigterm_with_an_idle_keep_alive_connection():
    service = ServiceProcess(settings=SETTINGS)
    try:
        with requests.Session() as session:
            assert session.get(service.url + "/health", timeout=10).status_code == 200
            # Stops once the idle connection times out, well before the harness's SIGKILL.
            assert service.stop() == 0
        assert service.log_events()[-1]["event"] == "stopped"
    finally:
        service.cleanup()


# --------------------------------------------------------------------------
# Loopback-only: the plugin forwards its token in Authorization

def test_loopback_only_accepts_token_forwarded_in_authorization_header():
    """--loopback-only serves a plugin configured without WebServiceUsername/
    Password. Such a plugin forwards the token as an HTTP header named after
    its token-key too, so with the Authorization token of the Stone, OHIF,
    VolView and Explorer 2 standard configurations every validation carries
    `Authorization: Bearer <share token>`. That is the token, not caller
    credentials: the answer must be 200 granted, not 401."""
    with ServiceProcess(settings={"SECRET_KEY": SECRET, "PUBLIC_ORTHANC_ROOT": ORTHANC_ROOT},
                        loopback_only=True) as svc:
        client = Client(svc, auth=None)
        study = new_study()
        token = client.token("stone-viewer-publication", [study])
        body = validation_body("Bearer " + token, study, token_key="Authorization")
        r = client.call("POST", "/tokens/validate", body, headers={"Authorization": "Bearer " + token})
        assert r.status_code == 200, (r.status_code, r.text)
        assert r.json()["granted"] is True
