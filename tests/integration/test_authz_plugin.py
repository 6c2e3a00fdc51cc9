# SPDX-License-Identifier: GPL-3.0-or-later
"""studyshare-service as a drop-in for the Python orthanc-auth-service,
proven against its real client: Orthanc 1.10.1 with DICOMweb and the real
Orthanc authorization plugin (0.11.4 and 0.9.1, builds from
../shared/third_party/orthanc-authorization/), in the configuration its
README gives. Every request the plugin makes to the service goes through a
recording relay: each answer must be well formed, and the module counts them.

The test fails (never skips) when the plugin builds are missing."""

import datetime
import sqlite3

import pytest

from authz_plugin_harness import PLUGIN_VERSIONS, AuthorizedSite, authorization_plugin
from service_harness import payload_of, resign, wait_until, OTHER_SECRET

EXCHANGES = {}  # plugin version -> plugin -> service requests seen


def check_well_formed(exchanges):
    for e in exchanges:
        path = e["path"].split("?")[0]
        assert e["status"] in (200, 400), e
        answer = e["answer"]
        assert isinstance(answer, dict), e
        if e["status"] == 400:
            assert answer.get("message") and answer.get("detail"), e
        elif path == "/tokens/validate":
            assert set(answer) == {"granted", "validity"}, e
            assert isinstance(answer["granted"], bool) and isinstance(answer["validity"], int), e
        elif path == "/tokens/decode":
            assert set(answer) == {"token-type", "error-code", "redirect-url", "resources"}, e
        elif path.startswith("/tokens/"):
            assert set(answer) == {"request", "token", "url"}, e
        elif path == "/user/get-profile":
            assert "permissions" in answer, e


STAFF = ("staff", "staff-pw-Zr7-not-in-logs")
SERVER_ID = "node-a"  # WebServiceIdentifier of the 0.11.4 site, sent as server-id
LINK_TYPES = ("viewer-instant-link", "download-instant-link", "stone-viewer-publication")
DOWNLOADS = {"viewer-instant-link": False, "download-instant-link": True, "stone-viewer-publication": False}


@pytest.fixture(scope="module", params=PLUGIN_VERSIONS)
def site(request, fixture_files):
    version = request.param
    plugin = authorization_plugin(version)
    service_settings = {"SERVER_ID": SERVER_ID} if version != "0.9.1" else {}
    authorization = {"TokenHttpHeaders": ["token", "Authorization"]}
    if version != "0.9.1":
        authorization["WebServiceIdentifier"] = SERVER_ID
    with AuthorizedSite(plugin, fixture_files[0], service_settings=service_settings,
                        service_config={"RegisteredUsers": {STAFF[0]: STAFF[1]}},
                        authorization=authorization) as s:
        s.version = version
        s.ids = lookup_ids(s, fixture_files[1])
        yield s
        exchanges = s.recorder.exchanges
        EXCHANGES[version] = len(exchanges)
        print("\nauthorization plugin %s: %d plugin -> service requests, every answer well formed"
              % (version, len(exchanges)))
        check_well_formed(exchanges)


def lookup(s, uid, kind):
    r = s.request("POST", "/tools/lookup", data=uid, auth=STAFF)
    assert r.status_code == 200, (r.status_code, r.text)
    found = [m["ID"] for m in r.json() if m["Type"] == kind]
    assert len(found) == 1, r.json()
    return found[0]


def lookup_ids(s, manifest):
    """Orthanc ids of the fixture studies, asked as staff through the plugin
    (the service gives staff the admin profile)."""
    ids = {}
    for study in manifest["Studies"]:
        entry = {"uid": study["StudyInstanceUID"], "id": lookup(s, study["StudyInstanceUID"], "Study"), "series": []}
        for series in study["Series"]:
            entry["series"].append({
                "uid": series["SeriesInstanceUID"], "id": lookup(s, series["SeriesInstanceUID"], "Series"),
                "sops": series["SOPInstanceUIDs"][:1],
                "instances": [lookup(s, sop, "Instance") for sop in series["SOPInstanceUIDs"][:1]]})
        ids[study["Key"]] = entry
    entry = ids["A"]
    entry["patient"] = s.request("GET", "/studies/" + entry["id"], auth=STAFF).json()["ParentPatient"]
    return ids


def explorer_share(s, token_type, resources, expect=200, **expiry):
    """Orthanc Explorer 2's Share dialog, as it calls the plugin (which
    forwards it to PUT /tokens/{type} of the service)."""
    body = {"Resources": resources, "Type": token_type}
    body.update(expiry or {"ValidityDuration": 3600})
    r = s.request("PUT", "/auth/tokens/" + token_type, json=body, auth=STAFF)
    assert r.status_code == expect, (token_type, body, r.status_code, r.text)
    return r.json() if expect == 200 else r


def study_resource(s, key, orthanc_id=True, dicom_uid=True):
    resource = {"Level": "study"}
    if orthanc_id:
        resource["OrthancId"] = s.ids[key]["id"]
    if dicom_uid:
        resource["DicomUid"] = s.ids[key]["uid"]
    return resource


def link(s, token_type="viewer-instant-link", key="A", **expiry):
    return explorer_share(s, token_type, [study_resource(s, key)], **expiry)["Token"]


def study_routes(s, key):
    """Routes a viewer uses on study ``key``, at each level the plugin maps to the study."""
    study = s.ids[key]
    series = study["series"][0]
    instance = series["instances"][0]
    return ["/studies/" + study["id"], "/studies/%s/series" % study["id"], "/series/" + series["id"],
            "/instances/%s/preview" % instance, "/instances/%s/simplified-tags" % instance,
            "/dicom-web/studies/%s/metadata" % study["uid"],
            "/dicom-web/studies/%s/series/%s/metadata" % (study["uid"], series["uid"])]


@pytest.mark.parametrize("token_type", LINK_TYPES)
def test_every_link_type_opens_its_study_and_nothing_else(site, token_type):
    answer = explorer_share(site, token_type, [study_resource(site, "A")])
    assert set(answer) == {"Token", "Url"}, answer
    token = answer["Token"]
    for via in ("header", "arg"):
        for path in study_routes(site, "A"):
            assert site.get(path, token=token, via=via).status_code == 200, (via, path)
        for key in ("B", "C"):
            for path in study_routes(site, key):
                assert site.get(path, token=token, via=via).status_code == 403, (via, key, path)
    # Never granted: the patient level, lists, writes, another token key.
    assert site.get("/patients/" + site.ids["A"]["patient"], token=token).status_code == 403
    assert site.get("/studies", token=token).status_code == 403
    assert site.request("DELETE", "/studies/" + site.ids["A"]["id"], token=token).status_code == 403
    assert site.get("/studies/" + site.ids["A"]["id"], headers={"other": token}).status_code == 403
    assert site.get("/studies/" + site.ids["A"]["id"]).status_code == 403
    # The plugin sends no uri at the study level: view-only links download too (docs/token-service.md).
    archive = site.get("/studies/%s/archive" % site.ids["A"]["id"], token=token)
    assert archive.status_code == 200 and archive.content[:2] == b"PK", archive.status_code
    assert site.get("/studies/%s/archive" % site.ids["B"]["id"], token=token).status_code == 403


def test_tampered_and_foreign_tokens_are_refused(site):
    token = link(site)
    path = "/studies/" + site.ids["A"]["id"]
    assert site.get(path, token=token).status_code == 200
    payload = payload_of(token)
    for bad in (resign(token, OTHER_SECRET), token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB"),
                resign(token, OTHER_SECRET, payload_changes={"exp": payload["exp"] + 86400}), "abc.def.ghi", ""):
        assert site.get(path, token=bad).status_code == 403, bad


def test_expired_links_are_refused_and_decoded_as_expired(site):
    token = link(site, key="B", ValidityDuration=1)
    path = "/studies/" + site.ids["B"]["id"]
    wait_until(lambda: site.get(path, token=token).status_code == 403, what="the expired link refused")
    decoded = decode_at_service(site, token)
    assert decoded["error-code"] == "expired", decoded


def test_revocation_reaches_the_plugin(site):
    token = link(site, key="C")
    path = "/studies/" + site.ids["C"]["id"]
    assert site.get(path, token=token).status_code == 200
    # Another process on the same store (StudyShare's plugin, an admin's CLI) revokes the share.
    conn = sqlite3.connect(site.service.store_path, timeout=10)
    try:
        with conn:
            changed = conn.execute("UPDATE shares SET revoked_at = ? WHERE id = ?",
                                   (int(datetime.datetime.now().timestamp()), payload_of(token)["jti"])).rowcount
    finally:
        conn.close()
    assert changed == 1
    # The plugin may keep its last answer for `validity` seconds (at most 10).
    wait_until(lambda: site.get(path, token=token).status_code == 403, timeout=30, what="the revoked link refused")
    assert decode_at_service(site, token)["error-code"] == "invalid"


def decode_at_service(s, token):
    r = s.service_call("POST", "/tokens/decode", {"token-key": "token", "token-value": token})
    assert r.status_code == 200, r.text
    return r.json()


def test_explorer_date_only_share_is_created(site):
    """Finding 1: Orthanc Explorer 2 gives a date only; the plugin forwards
    it with an uninitialised validity-duration, and the date wins."""
    expires = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=2)).replace(microsecond=0)
    mark = site.recorder.mark()
    answer = explorer_share(site, "viewer-instant-link", [study_resource(site, "A")],
                            ExpirationDate=expires.isoformat())
    sent = [e for e in site.recorder.since(mark) if e["path"].startswith("/tokens/viewer-instant-link")]
    assert len(sent) == 1 and sent[0]["status"] == 200, sent
    assert sent[0]["body"]["expiration-date"], sent[0]
    assert payload_of(answer["Token"])["exp"] == int(expires.timestamp())
    assert site.get("/studies/" + site.ids["A"]["id"], token=answer["Token"]).status_code == 200


def test_a_link_from_a_dicom_uid_alone_opens_its_study(site):
    token = explorer_share(site, "viewer-instant-link", [study_resource(site, "B", orthanc_id=False)])["Token"]
    assert site.get("/studies/" + site.ids["B"]["id"], token=token).status_code == 200
    assert site.get("/studies/" + site.ids["A"]["id"], token=token).status_code == 403


def test_a_series_link_is_created_and_never_opens_its_study(site):
    """Finding 2: series-level resources are accepted and stored as series."""
    series = site.ids["A"]["series"][0]
    answer = explorer_share(site, "viewer-instant-link",
                            [{"Level": "series", "OrthancId": series["id"], "DicomUid": series["uid"]}])
    token = answer["Token"]
    decoded = decode_at_service(site, token)
    assert [r["level"] for r in decoded["resources"]] == ["series"], decoded
    # "CheckedLevel": "studies": the plugin asks about the study, which is not shared.
    for path in study_routes(site, "A"):
        assert site.get(path, token=token).status_code == 403, path
    # Asked at the series level (as with "CheckedLevel": "series"), that series only.
    other = site.ids["A"]["series"][1]
    for target, granted in ((series, True), (other, False)):
        body = {"level": "series", "method": "get", "orthanc-id": target["id"], "dicom-uid": target["uid"],
                "token-key": "token", "token-value": token, "server-id": SERVER_ID}
        r = site.service_call("POST", "/tokens/validate", body)
        assert r.status_code == 200 and r.json()["granted"] is granted, (target, r.text)


def test_decode_and_profile_through_the_plugin(site):
    token = link(site, token_type="stone-viewer-publication")
    r = site.request("POST", "/auth/tokens/decode", json={"TokenKey": "token", "TokenValue": token})
    assert r.status_code == 200, r.text
    decoded = r.json()
    assert decoded.get("TokenType") == "stone-viewer-publication", decoded
    assert "stone-webviewer/index.html" in decoded.get("RedirectUrl", ""), decoded
    # Staff: the service's profile of their Basic credentials lets them through.
    assert site.get("/studies", auth=STAFF).status_code == 200
    assert site.get("/studies", auth=(STAFF[0], "wrong")).status_code == 403
    profiles = [e for e in site.recorder.exchanges if e["path"] == "/user/get-profile"]
    assert profiles and all(e["status"] == 200 for e in profiles)


def test_server_id_is_sent_and_checked(site):
    token = link(site)
    validations = [e for e in site.recorder.exchanges if e["path"] == "/tokens/validate"]
    assert validations
    if site.version == "0.9.1":
        # Configured here without WebServiceIdentifier: it sends a null server-id.
        assert all(e["body"].get("server-id") is None for e in validations), validations[-1]
        return
    assert all(e["body"].get("server-id") == SERVER_ID for e in validations), validations[-1]
    body = {"level": "study", "method": "get", "orthanc-id": site.ids["A"]["id"], "dicom-uid": site.ids["A"]["uid"],
            "token-key": "token", "token-value": token}
    for server_id, granted in ((SERVER_ID, True), ("node-b", False), (None, False)):
        r = site.service_call("POST", "/tokens/validate", dict(body, **{"server-id": server_id}))
        assert r.status_code == 200 and r.json()["granted"] is granted, (server_id, r.text)


def test_known_plugin_behaviour_that_the_docs_describe(site):
    token = link(site, token_type="download-instant-link")
    a = site.ids["A"]
    # WADO-URI is not parsed by the plugin: refused even with a good link.
    wado = site.get("/wado", token=token, params={"requestType": "WADO", "studyUID": a["uid"],
                                                  "seriesUID": a["series"][0]["uid"],
                                                  "objectUID": a["series"][0]["sops"][0]})
    assert wado.status_code == 403
    # Anonymous study list: 0.11.4 with DICOMweb 1.7 answers it, 0.9.1 refuses.
    listing = site.get("/dicom-web/studies")
    assert listing.status_code == (200 if site.version == "0.11.4" else 403)
