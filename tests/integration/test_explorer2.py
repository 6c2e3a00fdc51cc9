# SPDX-License-Identifier: GPL-3.0-or-later
"""Orthanc Explorer 2 1.14.1 beside StudyShare, on Orthanc 1.12.3 (whatever
STUDYSHARE_ORTHANC says: Orthanc Explorer 2 needs 1.11 or later), in the
configuration docs/token-service.md documents: its Share button shows, its
Share call makes a StudyShare share that describes the study, the recipient
opens it, staff who are not signed in are sent to the sign-in page, and its
token landing page and pre-login configuration need no credentials.
Tests/browser/oe2.test.mjs drives the same in Chromium."""

import re

import pytest
import requests

from conftest import SHARER_USERS, STUDYSHARE_PLUGIN, launch_with_studies, sharer_hashes, studyshare_section
from conftest import Env
from explorer2_harness import explorer2_orthanc

SHARE_TYPE = "stone-viewer-publication"


@pytest.fixture(scope="module")
def site(fixture_files, tmp_path_factory):
    hashes, users = sharer_hashes()
    section = studyshare_section(tmp_path_factory.mktemp("oe2-store") / "shares.db", users)
    orthanc = launch_with_studies(explorer2_orthanc(STUDYSHARE_PLUGIN, section), fixture_files)
    try:
        e = Env(orthanc, fixture_files[1], hashes)
        e.load_ids()
        yield e
    finally:
        orthanc.cleanup()


def explorer_share_body(site, key="A", days=7):
    """What Orthanc Explorer 2's Share dialog sends."""
    study = site.study(key)
    return {"Resources": [{"OrthancId": study["id"], "DicomUid": study["uid"], "Level": "study"}],
            "Type": SHARE_TYPE, "ValidityDuration": days * 86400}


def test_explorer2_sees_an_enabled_authorization_plugin_and_shows_shares(site):
    assert site.admin_get("/system").json()["Version"] == "1.12.3"
    configuration = site.admin_get("/ui/api/configuration").json()
    assert configuration["Plugins"]["authorization"]["Enabled"] is True, configuration["Plugins"]
    assert configuration["Plugins"]["studyshare"]["Enabled"] is True
    assert configuration["UiOptions"]["EnableShares"] is True
    # No user profile: Explorer 2 does not ask for a token on every link.
    assert configuration["Tokens"]["RequiredForLinks"] is False
    assert configuration["Tokens"]["ShareType"] == SHARE_TYPE


def test_the_share_call_makes_a_studyshare_share_with_the_studys_details(site):
    r = site.admin("PUT", "/auth/tokens/" + SHARE_TYPE, json=explorer_share_body(site))
    assert r.status_code == 200, (r.status_code, r.text)
    answer = r.json()
    assert set(answer) == {"Token", "Url"}, answer
    assert answer["Url"] == site.url + "/share/#token=" + answer["Token"]
    shares = [s for s in site.list_shares() if s.get("TokenType") == SHARE_TYPE]
    assert len(shares) == 1, shares
    study = shares[0]["Studies"][0]
    assert study["OrthancId"] == site.study("A")["id"]
    tags = site.admin_get("/studies/%s" % site.study("A")["id"]).json()
    assert study["PatientName"] == tags["PatientMainDicomTags"]["PatientName"] != ""
    assert study["PatientID"] == tags["PatientMainDicomTags"]["PatientID"] != ""
    assert study["StudyDate"] == tags["MainDicomTags"]["StudyDate"] != ""
    assert study["StudyDescription"] == tags["MainDicomTags"].get("StudyDescription", "")

    opened = requests.post(site.url + "/share/api/open", json={"Token": answer["Token"]}, timeout=30)
    assert opened.status_code == 200, opened.text
    seen = opened.json()["Studies"][0]
    assert seen["PatientName"] == study["PatientName"] and seen["StudyDate"] == study["StudyDate"], seen
    assert site.get("/studies/" + site.study("A")["id"], token=answer["Token"]).status_code == 200
    assert site.get("/studies/" + site.study("B")["id"], token=answer["Token"]).status_code == 403


def test_a_sharer_shares_from_explorer2_as_themself(site):
    alice = ("alice", SHARER_USERS["alice"])
    r = requests.put(site.url + "/auth/tokens/" + SHARE_TYPE, json=explorer_share_body(site, "C", 1), auth=alice,
                     timeout=30)
    assert r.status_code == 200, (r.status_code, r.text)
    mine = site.list_shares(auth=alice)
    assert [s["Studies"][0]["OrthancId"] for s in mine] == [site.study("C")["id"]], mine
    assert mine[0]["CreatedBy"] == "alice"


def test_the_token_landing_page_decodes_without_credentials(site):
    token = site.create_share("B")["Token"]
    page = requests.get(site.url + "/ui/app/token-landing.html", params={"token": token}, timeout=30)
    assert page.status_code == 200 and "<html" in page.text.lower(), page.status_code
    for asset in re.findall(r'(?:src|href)="\./(assets/[^"]+)"', page.text):
        r = requests.get(site.url + "/ui/app/" + asset, timeout=30)
        assert r.status_code == 200, (asset, r.status_code)
    pre = requests.get(site.url + "/ui/api/pre-login-configuration", timeout=30)
    assert pre.status_code == 200 and "Keycloak" in pre.json(), pre.text
    decoded = requests.post(site.url + "/auth/tokens/decode", json={"TokenKey": "token", "TokenValue": token},
                            timeout=30)
    assert decoded.status_code == 200, decoded.text
    assert decoded.json()["ResourcesOrthancIds"] == [site.study("B")["id"]]
    # What the landing page reads with the token: the UI's options, nothing of any study.
    assert requests.get(site.url + "/ui/api/configuration", timeout=30).status_code == 403
    assert site.get("/ui/api/configuration", token=token, via="header").status_code == 200


def test_staff_without_credentials_reach_the_sign_in_page(site):
    for path in ("/ui/app/", "/ui/app"):
        r = requests.get(site.url + path, allow_redirects=False, timeout=30)
        assert r.status_code == 302, (path, r.status_code, r.text[:200])
        assert r.headers["Cache-Control"] == "no-store", r.headers
        assert r.headers["Location"] == "/studyshare/staff/?next=%2Fui%2Fapp%2F", r.headers
    signed_in = requests.get(site.url + "/ui/app/", auth=site.admin_auth, allow_redirects=False, timeout=30)
    assert signed_in.status_code == 200, signed_in.status_code
    assert 'id="app"' in signed_in.text and "assets/" in signed_in.text
    session = requests.Session()
    assert session.post(site.url + "/studyshare/api/login", json={"Username": "admin", "Password": "admin-pw"},
                        timeout=30).status_code == 200
    assert session.get(site.url + "/ui/app/", allow_redirects=False, timeout=30).status_code == 200
    # The page alone is public (it carries no patient data); everything else stays staff-only.
    for path in ("/ui/app/index.html", "/ui/app/settings", "/ui/api/configuration", "/studies", "/tools/labels"):
        assert requests.get(site.url + path, allow_redirects=False, timeout=30).status_code == 403, path
    token = site.shared_token("oe2-entry", "A")
    r = site.get("/ui/app/", token=token, allow_redirects=False)
    assert r.status_code == 302, "a share is not staff"
