# SPDX-License-Identifier: GPL-3.0-or-later
"""Links the Python orthanc-auth-service issued before it was replaced keep
working when the site says so (TokenService.AcceptPythonServiceTokens):
HS256 JWTs signed with its SECRET_KEY whose payload is the creation request
as Pydantic dumps it (field names dicom_uid, orthanc_id, expiration_date)."""

import base64
import datetime
import hashlib
import hmac
import json

import pytest

from service_harness import (CALLER_USERS, ORTHANC_ROOT, SECRET, Client, ServiceProcess, new_study,
                             validation_body)


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def python_service_token(token_type, studies, expires=None, secret=SECRET, header=None):
    """A token as the Python service makes it: jwt.encode(request.model_dump(), SECRET_KEY, "HS256")."""
    payload = {"id": None,
               "resources": [{"dicom_uid": s.uid, "orthanc_id": s.oid, "url": None, "level": "study"}
                             for s in studies],
               "type": token_type,
               "expiration_date": expires.isoformat() if expires else None,
               "validity_duration": None}
    head = header or {"alg": "HS256", "typ": "JWT"}
    signing_input = b64url(json.dumps(head).encode()) + "." + b64url(json.dumps(payload).encode())
    signature = hmac.new(secret.encode(), signing_input.encode(), hashlib.sha256).digest()
    return signing_input + "." + b64url(signature)


def in_hours(hours):
    return datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=hours)


@pytest.fixture(scope="module")
def accepting():
    with ServiceProcess(settings={"SECRET_KEY": SECRET, "USERS": CALLER_USERS, "PUBLIC_ORTHANC_ROOT": ORTHANC_ROOT},
                        config={"TokenService": {"AcceptPythonServiceTokens": True}}) as svc:
        yield Client(svc)


@pytest.fixture(scope="module")
def refusing():
    with ServiceProcess(settings={"SECRET_KEY": SECRET, "USERS": CALLER_USERS,
                                  "PUBLIC_ORTHANC_ROOT": ORTHANC_ROOT}) as svc:
        yield Client(svc)


def test_an_old_stone_link_keeps_working(accepting):
    study, other = new_study(), new_study()
    token = python_service_token("stone-viewer-publication", [study], expires=in_hours(2))
    answer = accepting.validate(validation_body(token, study))
    assert answer["granted"] is True and 0 < answer["validity"] <= 10
    assert accepting.validate(validation_body(token, other))["granted"] is False
    assert accepting.validate(validation_body(token, study, method="delete"))["granted"] is False
    assert accepting.validate(validation_body(token, study, level="series"))["granted"] is False
    assert accepting.validate(validation_body(token, study, uri="/studies/%s/archive" % study.oid))["granted"] is False

    decoded = accepting.decode(token)
    assert decoded["token-type"] == "stone-viewer-publication" and decoded["error-code"] is None
    assert decoded["redirect-url"] == "%sstone-webviewer/index.html?study=%s&selectedStudies=%s&token=%s" % (
        ORTHANC_ROOT, study.uid, study.uid, token)
    assert [r["orthanc-id"] for r in decoded["resources"]] == [study.oid]


def test_never_expiring_and_download_links(accepting):
    study = new_study()
    token = python_service_token("download-instant-link", [study])
    assert accepting.validate(validation_body(token, study, uri="/studies/%s/archive" % study.oid))["granted"] is True


def test_expired_forged_and_tampered_old_links_are_refused(accepting):
    study = new_study()
    expired = python_service_token("stone-viewer-publication", [study], expires=in_hours(-1))
    assert accepting.validate(validation_body(expired, study))["granted"] is False
    assert accepting.decode(expired)["error-code"] == "expired"

    forged = python_service_token("stone-viewer-publication", [study], secret="not-the-secret-key-of-this-site")
    assert accepting.validate(validation_body(forged, study))["granted"] is False
    assert accepting.decode(forged)["error-code"] == "invalid"

    head, payload, signature = python_service_token("stone-viewer-publication", [study]).split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["resources"][0]["orthanc_id"] = new_study().oid
    tampered = head + "." + b64url(json.dumps(claims).encode()) + "." + signature
    assert accepting.validate(validation_body(tampered, study))["granted"] is False

    unsigned = python_service_token("stone-viewer-publication", [study], header={"alg": "none", "typ": "JWT"})
    assert accepting.validate(validation_body(unsigned, study))["granted"] is False


def test_old_links_are_refused_unless_the_site_accepts_them(refusing):
    study = new_study()
    token = python_service_token("stone-viewer-publication", [study], expires=in_hours(2))
    assert refusing.validate(validation_body(token, study))["granted"] is False
    assert refusing.decode(token)["error-code"] == "invalid"
