# SPDX-License-Identifier: GPL-3.0-or-later
"""Staff browser sessions: login cookie flags, CSRF rule on writes, logout,
roles, and the login page."""

import requests


def login(env, username="admin", password="admin-pw"):
    return requests.post(env.url + "/studyshare/api/login", json={"Username": username, "Password": password},
                         timeout=30)


def test_login_sets_a_strict_httponly_cookie(env):
    r = login(env)
    assert r.status_code == 200, r.text
    assert r.json() == {"Username": "admin", "Role": "admin"}
    cookie = r.headers["Set-Cookie"]
    assert cookie.startswith("studyshare-staff=")
    for attribute in ("HttpOnly", "SameSite=Strict", "Path=/"):
        assert attribute in cookie
    assert "Secure" not in cookie  # PublicUrl is http in the tests


def test_cookie_session_reads_and_csrf_guards_writes(env):
    session = requests.Session()
    assert session.post(env.url + "/studyshare/api/login",
                        json={"Username": "admin", "Password": "admin-pw"}, timeout=30).status_code == 200
    assert session.get(env.url + "/patients", timeout=30).status_code == 200
    assert session.get(env.url + "/studyshare/api/me", timeout=30).json()["Username"] == "admin"
    body = {"Resources": [{"Level": "Study", "OrthancId": env.study("A")["id"]}], "ValidityDuration": 600}
    # a forged cross-site request carries the cookie but cannot add a custom header
    r = session.post(env.url + "/studyshare/shares", json=body, timeout=30)
    assert r.status_code == 403
    r = session.post(env.url + "/studyshare/shares", json=body, headers={"X-Requested-With": "XMLHttpRequest"},
                     timeout=30)
    assert r.status_code == 201, r.text
    share = r.json()
    assert share["CreatedBy"] == "admin"
    assert session.delete(env.url + "/studyshare/shares/" + share["ID"], timeout=30).status_code == 403
    assert session.delete(env.url + "/studyshare/shares/" + share["ID"],
                          headers={"X-Requested-With": "XMLHttpRequest"}, timeout=30).status_code == 200

    assert session.post(env.url + "/studyshare/api/logout", headers={"X-Requested-With": "x"},
                        timeout=30).status_code == 200
    assert session.get(env.url + "/patients", timeout=30).status_code == 403


def test_wrong_password_and_bad_bodies(env):
    r = login(env, password="nope")
    assert r.status_code == 401 and r.json()["Error"] == "unauthorized"
    assert "Set-Cookie" not in r.headers
    for raw in ("", "{", "[]", '{"Username": "admin"}', '{"Username": 1, "Password": "x"}'):
        r = requests.post(env.url + "/studyshare/api/login", data=raw, timeout=30)
        assert r.status_code == 400, raw
    forged = requests.get(env.url + "/patients", headers={"Cookie": "studyshare-staff=forged-session"}, timeout=30)
    assert forged.status_code == 403


def test_sharer_session_is_read_only(env):
    if not env.sharer_hashes.get("alice"):
        raise AssertionError("no Argon2id hash for the sharer user: libsodium is missing")
    session = requests.Session()
    r = session.post(env.url + "/studyshare/api/login", json={"Username": "alice", "Password": "alice-pw-1"},
                     timeout=30)
    assert r.status_code == 200 and r.json()["Role"] == "sharer"
    assert session.get(env.url + "/studies/" + env.study("C")["id"], timeout=30).status_code == 200
    headers = {"X-Requested-With": "XMLHttpRequest"}
    assert session.delete(env.url + "/studies/" + env.study("C")["id"], headers=headers, timeout=30).status_code == 403
    assert env.admin_get("/studies/" + env.study("C")["id"]).status_code == 200


def test_login_page_is_served(env):
    r = requests.get(env.url + "/studyshare/staff/", timeout=30)
    assert r.status_code == 200 and "login-form" in r.text
    assert "default-src 'none'" in r.headers["Content-Security-Policy"]
    assert requests.get(env.url + "/studyshare/staff/login.js", timeout=30).headers["Content-Type"].startswith(
        "text/javascript")


def test_a_same_origin_browser_request_passes_the_csrf_rule(env):
    """Orthanc Explorer 2 adds no custom header; the browser's Sec-Fetch-Site
    (which no page can set) tells its own requests from another site's."""
    session = requests.Session()
    assert session.post(env.url + "/studyshare/api/login",
                        json={"Username": "admin", "Password": "admin-pw"}, timeout=30).status_code == 200
    body = {"Resources": [{"Level": "Study", "OrthancId": env.study("A")["id"]}], "ValidityDuration": 600}
    for site in ("cross-site", "same-site", "none", "same-origin, same-origin"):
        r = session.post(env.url + "/studyshare/shares", json=body, headers={"Sec-Fetch-Site": site}, timeout=30)
        assert r.status_code == 403, (site, r.status_code, r.text)
    r = session.post(env.url + "/studyshare/shares", json=body, headers={"Sec-Fetch-Site": "same-origin"}, timeout=30)
    assert r.status_code == 201, r.text
    assert session.delete(env.url + "/studyshare/shares/" + r.json()["ID"],
                          headers={"Sec-Fetch-Site": "same-origin"}, timeout=30).status_code == 200
