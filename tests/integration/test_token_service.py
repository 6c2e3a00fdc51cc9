# SPDX-License-Identifier: GPL-3.0-or-later
"""studyshare-service, token creation and decoding, with the exact bodies
Orthanc's authorization plugin sends (PUT /tokens/{type}, POST
/tokens/decode): the `request` echo, the token and the URL each viewer
expects, per OHIF data source, and MedDream against a stand-in token
service. Validation is in test_token_service_validate.py, errors and the
process's life in test_token_service_errors.py."""

import datetime
import http.server
import json
import threading

import pytest

from orthanc_harness import free_port
from service_harness import (CALLER_USERS, LANDING_ROOT, OHIF_ROOT, ORTHANC_ROOT, OWN_LANDING,
                             PUBLIC_URL, PUBLICATION_TYPES, SECRET, Client, ServiceProcess, Study,
                             creation_body, new_study, payload_of, resign, wait_until)

BASE_SETTINGS = {"SECRET_KEY": SECRET, "USERS": CALLER_USERS, "PUBLIC_ORTHANC_ROOT": ORTHANC_ROOT,
                 "PUBLIC_OHIF_ROOT": OHIF_ROOT}
PUBLIC_URL_CONFIG = {"StudyShare": {"PublicUrl": PUBLIC_URL}}


@pytest.fixture(scope="module")
def landing():
    """PUBLIC_LANDING_ROOT set; OHIF over DICOMweb."""
    settings = dict(BASE_SETTINGS, PUBLIC_LANDING_ROOT=LANDING_ROOT, OHIF_DATA_SOURCE="dicom-web")
    with ServiceProcess(settings=settings, config=PUBLIC_URL_CONFIG) as svc:
        yield Client(svc)


@pytest.fixture(scope="module")
def own():
    """No landing root: publications go through StudyShare's own landing page."""
    with ServiceProcess(settings=BASE_SETTINGS, config=PUBLIC_URL_CONFIG) as svc:
        yield Client(svc)


def viewer_url(token_type, studies, token, ohif_source="dicom-web"):
    """The direct viewer URL for ``token_type`` (facts §3, as ViewerLinks.cpp builds it)."""
    uids = ",".join(s.uid or "" for s in studies)
    oids = ",".join(s.oid or "" for s in studies)
    if token_type == "stone-viewer-publication":
        return ORTHANC_ROOT + "stone-webviewer/index.html?study=%s&selectedStudies=%s&token=%s" % (uids, uids, token)
    if token_type == "osimis-viewer-publication":
        return (ORTHANC_ROOT + "osimis-viewer/app/index.html?pickableStudyIds=%s&selectedStudyIds=%s&token=%s"
                % (oids, oids, token))
    if token_type == "ohif-viewer-publication" and ohif_source == "dicom-web":
        return OHIF_ROOT + "viewer?StudyInstanceUIDs=%s&token=%s" % (uids, token)
    if token_type == "ohif-viewer-publication":
        return OHIF_ROOT + "viewer?url=../studies/%s/ohif-dicom-json&token=%s" % (oids, token)
    if token_type == "volview-viewer-publication":
        urls = ",".join("../studies/%s/archive" % s.oid for s in studies)
        return ORTHANC_ROOT + "volview/index.html?names=[archive.zip]&urls=[%s]&token=%s" % (urls, token)
    raise ValueError(token_type)


def parse_iso(text):
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))


def check_echo(answer, body, studies):
    """The `request` echo: the request as understood, with the computed expiry."""
    request = answer["request"]
    assert request["type"] == body["type"]
    assert request["id"] == body.get("id")
    assert request["resources"] == [
        {"level": "study", "orthanc-id": s.oid, "dicom-uid": s.uid, "url": None} for s in studies]
    # validity-duration is echoed as sent, and folded into expiration-date.
    assert request["validity-duration"] == body.get("validity-duration")
    if body.get("validity-duration"):
        expires = parse_iso(request["expiration-date"])
        now = datetime.datetime.now(datetime.timezone.utc)
        delta = (expires - now).total_seconds()
        assert body["validity-duration"] - 10 <= delta <= body["validity-duration"] + 1, request
    else:
        assert request["expiration-date"] is None


# --------------------------------------------------------------------------
# PUT /tokens/{type}

@pytest.mark.parametrize("token_type", PUBLICATION_TYPES)
def test_publication_with_landing_root_links_to_landing(landing, token_type):
    studies = [new_study()]
    body = creation_body(token_type, studies, validity=3600)
    r = landing.put_token(token_type, body)
    assert r.status_code == 200, r.text
    assert r.headers["Content-Type"].startswith("application/json")
    answer = r.json()
    assert set(answer) == {"request", "token", "url"}
    check_echo(answer, body, studies)
    token = answer["token"]
    assert token.count(".") == 2 and token == token.strip()
    assert answer["url"] == LANDING_ROOT + "?token=" + token
    # The landing page decodes it to the viewer itself.
    decoded = landing.decode(answer["url"].split("?token=")[1])
    assert decoded["redirect-url"] == viewer_url(token_type, studies, token)


@pytest.mark.parametrize("token_type", PUBLICATION_TYPES)
def test_publication_without_landing_root_links_to_own_landing(own, token_type):
    studies = [new_study(), new_study()]
    answer = own.create(token_type, studies, validity=600, id="ticket-42")
    check_echo(answer, creation_body(token_type, studies, validity=600, id="ticket-42"), studies)
    # The token travels in the fragment: it never reaches a server's access log.
    assert answer["url"] == OWN_LANDING + "#token=" + answer["token"]


@pytest.mark.parametrize("token_type", ("viewer-instant-link", "download-instant-link"))
def test_instant_links_have_no_url(landing, token_type):
    studies = [new_study()]
    body = creation_body(token_type, studies, validity=200)
    answer = landing.put_token(token_type, body).json()
    check_echo(answer, body, studies)
    assert answer["token"] and answer["url"] is None


def test_never_expiring_token_without_validity(landing):
    studies = [new_study()]
    body = creation_body("stone-viewer-publication", studies, validity=0)
    assert "validity-duration" not in body  # the plugin drops 0
    answer = landing.put_token("stone-viewer-publication", body).json()
    assert answer["request"]["expiration-date"] is None
    assert landing.decode(answer["token"])["error-code"] is None


def test_explicit_expiration_date_is_echoed(landing):
    studies = [new_study()]
    expires = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=2)).replace(microsecond=0)
    body = creation_body("viewer-instant-link", studies, validity=0, **{"expiration-date": expires.isoformat()})
    answer = landing.put_token("viewer-instant-link", body).json()
    assert parse_iso(answer["request"]["expiration-date"]) == expires


@pytest.mark.parametrize("text,offset", [("%Y-%m-%dT%H:%M:%S.000Z", 0),     # Explorer 2: Date.toJSON()
                                         ("%Y-%m-%dT%H:%M:%SZ", 0),
                                         ("%Y-%m-%dT%H:%M:%S+02:00", 2),  # Python isoformat() with a zone
                                         ("%Y-%m-%dT%H:%M:%S.123456-05:30", -5.5)])
def test_expiration_date_formats(landing, text, offset):
    expires = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=3)).replace(microsecond=0)
    local = (expires + datetime.timedelta(hours=offset)).strftime(text)
    body = creation_body("viewer-instant-link", [new_study()], validity=0, **{"expiration-date": local})
    r = landing.put_token("viewer-instant-link", body)
    assert r.status_code == 200, r.text
    assert parse_iso(r.json()["request"]["expiration-date"]) == expires


def test_expiration_date_wins_over_validity_duration(landing):
    """As the Python service: the date decides, whatever duration is beside it
    (the authorization plugin sends an uninitialised one)."""
    later = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=2)).replace(microsecond=0)
    for validity in (60, 3284718333565747200):
        body = creation_body("viewer-instant-link", [new_study()], validity=validity,
                             **{"expiration-date": later.isoformat()})
        r = landing.put_token("viewer-instant-link", body)
        assert r.status_code == 200, r.text
        assert parse_iso(r.json()["request"]["expiration-date"]) == later


def test_resources_by_one_identifier_only(landing):
    study = new_study()
    body = {"resources": [{"dicom-uid": study.uid, "level": "study"}], "type": "stone-viewer-publication"}
    answer = landing.put_token("stone-viewer-publication", body).json()
    assert answer["request"]["resources"] == [
        {"level": "study", "orthanc-id": None, "dicom-uid": study.uid, "url": None}]
    decoded = landing.decode(answer["token"])
    assert decoded["redirect-url"] == viewer_url("stone-viewer-publication", [Study(None, study.uid)],
                                                 answer["token"])
    # Stone opens studies by UID: without one, the link falls back to the own landing page.
    body = {"resources": [{"orthanc-id": study.oid, "level": "study"}], "type": "stone-viewer-publication"}
    answer = landing.put_token("stone-viewer-publication", body).json()
    assert landing.decode(answer["token"])["redirect-url"] == OWN_LANDING + "#token=" + answer["token"]


def test_every_token_is_a_stored_share(landing):
    before = landing.service.count_rows()
    for token_type in PUBLICATION_TYPES + ("viewer-instant-link", "download-instant-link"):
        landing.create(token_type, [new_study()])
    assert landing.service.count_rows() == before + 6


def test_tokens_are_distinct_for_the_same_request(landing):
    studies = [new_study()]
    first = landing.token("viewer-instant-link", studies)
    second = landing.token("viewer-instant-link", studies)
    assert first != second
    assert payload_of(first)["jti"] != payload_of(second)["jti"]


# --------------------------------------------------------------------------
# POST /tokens/decode

@pytest.mark.parametrize("token_type", PUBLICATION_TYPES)
def test_decode_publication_redirects_to_viewer(landing, token_type):
    studies = [new_study(), new_study()]
    token = landing.token(token_type, studies)
    decoded = landing.decode(token)
    assert decoded == {
        "token-type": token_type,
        "error-code": None,
        "redirect-url": viewer_url(token_type, studies, token),
        "resources": [{"level": "study", "orthanc-id": s.oid, "dicom-uid": s.uid, "url": None} for s in studies],
    }


@pytest.mark.parametrize("token_type", ("viewer-instant-link", "download-instant-link"))
def test_decode_instant_link_redirects_to_own_landing(own, token_type):
    study = new_study()
    token = own.token(token_type, [study])
    decoded = own.decode(token)
    assert decoded["token-type"] == token_type
    assert decoded["error-code"] is None
    assert decoded["redirect-url"] == OWN_LANDING + "#token=" + token
    assert decoded["resources"] == [{"level": "study", "orthanc-id": study.oid, "dicom-uid": study.uid,
                                     "url": None}]


def test_decode_strips_bearer_prefix(landing):
    study = new_study()
    token = landing.token("stone-viewer-publication", [study])
    decoded = landing.decode("Bearer " + token, token_key="Authorization")
    assert decoded["error-code"] is None
    assert decoded["redirect-url"] == viewer_url("stone-viewer-publication", [study], token)


def invalid(decoded):
    return decoded == {"token-type": None, "error-code": "invalid", "redirect-url": None, "resources": []}


def test_decode_tampered_token_is_invalid(landing):
    study = new_study()
    token = landing.token("stone-viewer-publication", [study])
    header, payload, signature = token.split(".")
    flipped = signature[:-2] + ("A" if signature[-2] != "A" else "B") + signature[-1]
    assert invalid(landing.decode(".".join([header, payload, flipped])))
    # A payload changed but the old signature kept.
    longer = resign(token, "x", payload_changes={"exp": payload_of(token)["exp"] + 10 ** 6})
    assert invalid(landing.decode(".".join(longer.split(".")[:2] + [signature])))
    assert invalid(landing.decode("not-a-token"))
    assert invalid(landing.decode(""))


def test_decode_token_of_another_key_or_unknown_share_is_invalid(landing):
    token = landing.token("stone-viewer-publication", [new_study()])
    assert invalid(landing.decode(resign(token, "another-secret-of-32-bytes-or-more-0123456789")))
    # Signed with the right key, but no such share in the store.
    assert invalid(landing.decode(resign(token, SECRET, payload_changes={"jti": "NoSuchShare0123456789a"})))
    # The genuine token, for contrast.
    assert landing.decode(token)["error-code"] is None


def test_decode_expired_token(landing):
    study = new_study()
    token = landing.token("stone-viewer-publication", [study], validity=1)
    decoded = wait_until(lambda: (lambda d: d if d["error-code"] == "expired" else None)(landing.decode(token)),
                         timeout=15, interval=0.1, what="the token to expire")
    assert decoded["token-type"] == "stone-viewer-publication"
    assert decoded["redirect-url"] is None


# --------------------------------------------------------------------------
# OHIF data sources (OHIF_DATA_SOURCE; unset means dicom-json, as in the Python service)

@pytest.mark.parametrize("source,expected", [("dicom-web", "dicom-web"), ("dicom-json", "dicom-json"),
                                             (None, "dicom-json")])
def test_ohif_data_source(source, expected):
    settings = dict(BASE_SETTINGS, PUBLIC_LANDING_ROOT=LANDING_ROOT, OHIF_DATA_SOURCE=source)
    with ServiceProcess(settings=settings) as svc:
        client = Client(svc)
        studies = [new_study()]
        answer = client.create("ohif-viewer-publication", studies)
        assert answer["url"] == LANDING_ROOT + "?token=" + answer["token"]
        decoded = client.decode(answer["token"])
        assert decoded["redirect-url"] == viewer_url("ohif-viewer-publication", studies, answer["token"],
                                                     ohif_source=expected)


def test_ohif_refused_when_not_published():
    settings = {"SECRET_KEY": SECRET, "USERS": CALLER_USERS, "PUBLIC_ORTHANC_ROOT": ORTHANC_ROOT}
    with ServiceProcess(settings=settings) as svc:
        client = Client(svc)
        r = client.put_token("ohif-viewer-publication", creation_body("ohif-viewer-publication", [new_study()]))
        assert r.status_code == 400
        assert "not published" in r.json()["message"]
        assert svc.count_rows() == 0


# --------------------------------------------------------------------------
# MedDream, against a stand-in for its token service (an external product)

class MedDreamStub:
    """POST -> the configured token as text; records every request body."""

    def __init__(self, token="md-token-0001", status=200):
        self.token = token
        self.status = status
        self.requests = []
        stub = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", "0"))
                stub.requests.append((self.path, json.loads(self.rfile.read(length) or b"null")))
                data = stub.token.encode()
                self.send_response(stub.status)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self.url = "http://127.0.0.1:%d/v3/generate" % self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=10)


MEDDREAM_ROOT = "http://meddream.example/meddream/"


@pytest.fixture
def meddream():
    stub = MedDreamStub()
    svc = None
    try:
        settings = dict(BASE_SETTINGS, PUBLIC_LANDING_ROOT=LANDING_ROOT, MEDDREAM_TOKEN_SERVICE_URL=stub.url,
                        PUBLIC_MEDDREAM_ROOT=MEDDREAM_ROOT)
        svc = ServiceProcess(settings=settings)
        yield stub, Client(svc)
    finally:
        if svc is not None:
            svc.cleanup()
        stub.close()


def meddream_items(studies):
    return {"items": [{"studies": {"study": s.uid, "storage": "Orthanc"}} for s in studies]}


def test_meddream_instant_link_uses_meddream_token(meddream):
    stub, client = meddream
    studies = [new_study(), new_study()]
    answer = client.create("meddream-instant-link", studies, validity=200)
    assert answer["token"]  # our own token, stored like any share
    assert answer["url"] == MEDDREAM_ROOT + "?study=%s,%s&token=md-token-0001" % (studies[0].uid, studies[1].uid)
    assert stub.requests == [("/v3/generate", meddream_items(studies))]


def test_meddream_token_is_escaped_in_url(meddream):
    stub, client = meddream
    stub.token = "ab+c/d=="
    study = new_study()
    answer = client.create("meddream-instant-link", [study])
    assert answer["url"] == MEDDREAM_ROOT + "?study=%s&token=ab%%2Bc%%2Fd%%3D%%3D" % study.uid


def test_meddream_publication_opens_with_fresh_meddream_token(meddream):
    stub, client = meddream
    study = new_study()
    answer = client.create("meddream-viewer-publication", [study])
    assert answer["url"] == LANDING_ROOT + "?token=" + answer["token"]
    assert stub.requests == []  # no MedDream token until the link is opened
    stub.token = "md-fresh-0002"
    decoded = client.decode(answer["token"])
    assert decoded["token-type"] == "meddream-viewer-publication"
    assert decoded["error-code"] is None
    assert decoded["redirect-url"] == MEDDREAM_ROOT + "?study=%s&token=md-fresh-0002" % study.uid
    assert stub.requests == [("/v3/generate", meddream_items([study]))]


def test_meddream_token_service_failure_is_502_and_stores_nothing(meddream):
    stub, client = meddream
    stub.status = 500
    r = client.put_token("meddream-instant-link", creation_body("meddream-instant-link", [new_study()]))
    assert r.status_code == 502
    assert "MedDream" in r.json()["message"]
    assert client.service.count_rows() == 0


@pytest.mark.parametrize("token_type", ("meddream-instant-link", "meddream-viewer-publication"))
def test_meddream_types_refused_without_meddream_settings(landing, token_type):
    before = landing.service.count_rows()
    r = landing.put_token(token_type, creation_body(token_type, [new_study()]))
    assert r.status_code == 400
    assert "not published" in r.json()["message"]
    assert landing.service.count_rows() == before


# --------------------------------------------------------------------------
# Known bug (fails until fixed): with settings from the environment only (no
# --config, the drop-in way of the Python service), PublicUrl defaults to
# http://localhost:8042 and links point there instead of under the public
# roots that were configured.

def test_env_only_links_stay_under_configured_roots():
    with ServiceProcess(settings=BASE_SETTINGS) as svc:
        client = Client(svc)
        study = new_study()
        answer = client.create("stone-viewer-publication", [study])
        # Either the viewer itself (as the Python service does without a landing
        # root) or a landing page under PUBLIC_ORTHANC_ROOT; never an unconfigured host.
        assert answer["url"].startswith(ORTHANC_ROOT), answer["url"]
        token = client.token("viewer-instant-link", [study])
        redirect = client.decode(token)["redirect-url"]
        assert redirect is None or redirect.startswith(ORTHANC_ROOT), redirect
