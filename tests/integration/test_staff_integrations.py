# SPDX-License-Identifier: GPL-3.0-or-later
"""Staff scripts and integrations (issue 20).

Two real Orthancs with the same studies: one without StudyShare (DICOMweb and
Web Viewer only), one with it. A table of the REST requests an admin script
makes (uploads, finds, modifications, archives, jobs, modalities, DICOMweb
STOW/QIDO/WADO, WebDAV reads) must be answered the same way by both (status
and body shape), with HTTP Basic sent up front and with an admin API key.
Clients that wait for a 401 challenge are tried too, and the refusal log
names what they need. API keys: created, used, listed, revoked, by REST and
by the CLI.
"""

import base64
import io
import json
import os
import subprocess
import time
import urllib.error
import urllib.request
import uuid
import zipfile

import pytest
import requests

from conftest import SECRET, STUDYSHARE_PLUGIN, argon2id_hash
from orthanc_harness import DICOMWEB_PLUGIN, WEBVIEWER_PLUGIN, OrthancProcess

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
CLI = os.environ.get("STUDYSHARE_CLI", os.path.join(REPO, "build", "src", "cli", "studyshare"))
SAM = ("sam", "sam-pw-for-integrations")
CREDENTIALS_NOTICE = "credentials are needed"


def lookup(orthanc, uid, kind):
    found = [m["ID"] for m in orthanc.api("POST", "/tools/lookup", data=uid).json() if m["Type"] == kind]
    assert len(found) == 1, (uid, kind, found)
    return found[0]


@pytest.fixture(scope="module")
def pair(fixture_files):
    """(Orthanc without StudyShare, Orthanc with it), same studies in both."""
    sam_hash = argon2id_hash(SAM[1])
    assert sam_hash, "no Argon2id hash for the test user: libsodium is missing"
    plain = OrthancProcess(plugins=[DICOMWEB_PLUGIN, WEBVIEWER_PLUGIN], start=False)
    gated = OrthancProcess(plugins=[DICOMWEB_PLUGIN, WEBVIEWER_PLUGIN, STUDYSHARE_PLUGIN], start=False,
                           extra_config={"StudyShare": {
                               "Secret": SECRET,
                               "StaffFailuresPerClientPerMinute": 100000,
                               "StaffFailuresPerUserPerMinute": 100000,
                               "Users": {SAM[0]: {"PasswordHash": sam_hash, "Role": "sharer"}}}})
    gated.extra_config["StudyShare"]["PublicUrl"] = gated.url
    try:
        for orthanc in (plain, gated):
            orthanc.start()
            answers = orthanc.upload_dir(str(fixture_files[0]))
            assert answers and all(a.get("Status") == "Success" for a in answers), answers
        yield plain, gated
    finally:
        plain.cleanup()
        gated.cleanup()


def create_key(gated, name, role, **extra):
    body = dict({"Name": name, "Role": role}, **extra)
    r = gated.api("POST", "/studyshare/api-keys", json=body)
    assert r.status_code == 201, (r.status_code, r.text)
    return r.json()


@pytest.fixture(scope="module")
def admin_key(pair):
    return create_key(pair[1], "admin-script", "admin")["Key"]


# --------------------------------------------------------------------------
# The table: what an admin script sends. Paths and bodies are filled from the
# fixture studies; `capture` keeps a value of the answer for later rows.

def shape(value):
    """The body's shape: object keys and value types, list element shapes
    (as a set, so lists of different lengths compare equal)."""
    if isinstance(value, dict):
        return {key: shape(item) for key, item in value.items()}
    if isinstance(value, list):
        shapes = []
        for item in value:
            s = shape(item)
            if s not in shapes:
                shapes.append(s)
        return sorted(shapes, key=json.dumps)
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    if value is None:
        return "null"
    return "string"


def answer_shape(response):
    kind = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
    if kind == "application/json" or kind == "application/dicom+json":
        return kind, shape(response.json())
    if kind == "application/zip":
        with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
            return kind, len(archive.namelist())
    if kind.endswith("xml"):
        return kind, response.text.count("<D:response>") + response.text.count("<d:response>")
    return kind, len(response.content) > 0


def stow_body(path):
    boundary = "studyshare-" + uuid.uuid4().hex
    with open(path, "rb") as f:
        dicom = f.read()
    body = (b"--" + boundary.encode() + b"\r\nContent-Type: application/dicom\r\n\r\n" + dicom +
            b"\r\n--" + boundary.encode() + b"--\r\n")
    return body, 'multipart/related; type="application/dicom"; boundary=' + boundary


def admin_script(fixture_files):
    """Rows: (name, method, path template, request keywords, capture)."""
    manifest = fixture_files[1]
    a = next(s for s in manifest["Studies"] if s["Key"] == "A")
    c = next(s for s in manifest["Studies"] if s["Key"] == "C")
    first = os.path.join(str(fixture_files[0]), "synth")
    upload = sorted(os.path.join(root, f) for root, _, files in os.walk(first) for f in files if f.endswith(".dcm"))[0]
    with open(upload, "rb") as f:
        upload_bytes = f.read()
    stow, stow_type = stow_body(upload)
    sop = a["Series"][0]["SOPInstanceUIDs"][0]
    series_uid = a["Series"][0]["SeriesInstanceUID"]
    json_accept = {"Accept": "application/dicom+json"}
    return [
        ("system", "GET", "/system", {}, None),
        ("statistics", "GET", "/statistics", {}, None),
        ("upload", "POST", "/instances", {"data": upload_bytes, "headers": {"Content-Type": "application/dicom"}},
         None),
        ("patients", "GET", "/patients", {}, None),
        ("patients-expand", "GET", "/patients?expand", {}, None),
        ("studies", "GET", "/studies", {}, None),
        ("study", "GET", "/studies/{A}", {}, None),
        ("study-series", "GET", "/studies/{A}/series", {}, None),
        ("study-instances", "GET", "/studies/{A}/instances", {}, None),
        ("series", "GET", "/series/{A_series}", {}, None),
        ("instance-tags", "GET", "/instances/{A_instance}/simplified-tags", {}, None),
        ("instance-file", "GET", "/instances/{A_instance}/file", {}, None),
        ("instance-preview", "GET", "/instances/{A_instance}/preview", {}, None),
        ("find", "POST", "/tools/find", {"json": {"Level": "Study", "Query": {"PatientID": "SS-*"}, "Expand": True}},
         None),
        ("lookup", "POST", "/tools/lookup", {"data": a["StudyInstanceUID"]}, None),
        ("modify", "POST", "/studies/{C}/modify",
         {"json": {"Replace": {"StudyDescription": "MODIFIED"}, "Force": True}}, ("modified", "ID")),
        ("modified-study", "GET", "/studies/{modified}", {}, None),
        ("anonymize", "POST", "/studies/{C}/anonymize", {"json": {}}, ("anonymized", "ID")),
        ("delete-anonymized", "DELETE", "/studies/{anonymized}", {}, None),
        ("delete-modified", "DELETE", "/studies/{modified}", {}, None),
        ("archive", "GET", "/studies/{A}/archive", {}, None),
        ("media", "GET", "/series/{A_series}/media", {}, None),
        ("create-archive", "POST", "/tools/create-archive", {"json": {"Resources": ["{A}"]}}, None),
        ("archive-job", "POST", "/studies/{A}/archive", {"json": {"Asynchronous": True}}, ("job", "ID")),
        ("jobs", "GET", "/jobs", {}, None),
        ("job", "GET", "/jobs/{job}", {}, None),
        ("modality-put", "PUT", "/modalities/pacs", {"json": {"AET": "PACS", "Host": "127.0.0.1", "Port": 11112}},
         None),
        ("modalities", "GET", "/modalities?expand", {}, None),
        ("modality-delete", "DELETE", "/modalities/pacs", {}, None),
        ("peers", "GET", "/peers", {}, None),
        ("changes", "GET", "/changes?limit=5", {}, None),
        ("exports", "GET", "/exports", {}, None),
        ("plugins", "GET", "/plugins", {}, None),
        ("stow", "POST", "/dicom-web/studies", {"data": stow, "headers": {"Content-Type": stow_type, **json_accept}},
         None),
        ("qido-studies", "GET", "/dicom-web/studies?PatientID=SS-P1", {"headers": json_accept}, None),
        ("qido-series", "GET", "/dicom-web/studies/" + a["StudyInstanceUID"] + "/series", {"headers": json_accept},
         None),
        ("wado-rs-metadata", "GET", "/dicom-web/studies/" + a["StudyInstanceUID"] + "/metadata",
         {"headers": json_accept}, None),
        ("wado-rs-instance", "GET",
         "/dicom-web/studies/%s/series/%s/instances/%s" % (a["StudyInstanceUID"], series_uid, sop), {}, None),
        ("wado-uri", "GET", "/wado?requestType=WADO&studyUID=%s&seriesUID=%s&objectUID=%s&contentType=application/dicom"
         % (a["StudyInstanceUID"], series_uid, sop), {}, None),
        ("webdav-root", "PROPFIND", "/webdav/", {"headers": {"Depth": "1"}}, None),
        ("webdav-by-studies", "PROPFIND", "/webdav/by-studies/", {"headers": {"Depth": "1"}}, None),
        ("webdav-by-uids", "PROPFIND", "/webdav/by-uids/" + a["StudyInstanceUID"] + "/", {"headers": {"Depth": "1"}},
         None),
        ("webdav-file", "GET", "/webdav/by-uids/%s/%s/%s.dcm" % (a["StudyInstanceUID"], series_uid, sop), {}, None),
        ("webviewer-series", "GET", "/web-viewer/series/{A_series}", {}, None),
    ]


def fill(template, context):
    for key, value in sorted(context.items(), key=lambda item: -len(item[0])):
        template = template.replace("{" + key + "}", value)
    return template


def fill_keywords(keywords, context):
    if "json" in keywords:
        keywords = dict(keywords, json=json.loads(fill(json.dumps(keywords["json"]), context)))
    return keywords


def run_script(orthanc, fixture_files, headers=None, auth=None):
    """Runs the table against `orthanc`; returns {name: (status, shape)}."""
    a = next(s for s in fixture_files[1]["Studies"] if s["Key"] == "A")
    c = next(s for s in fixture_files[1]["Studies"] if s["Key"] == "C")
    context = {
        "A": lookup(orthanc, a["StudyInstanceUID"], "Study"),
        "C": lookup(orthanc, c["StudyInstanceUID"], "Study"),
        "A_series": lookup(orthanc, a["Series"][0]["SeriesInstanceUID"], "Series"),
        "A_instance": lookup(orthanc, a["Series"][0]["SOPInstanceUIDs"][0], "Instance"),
    }
    results = {}
    for name, method, template, keywords, capture in admin_script(fixture_files):
        keywords = fill_keywords(dict(keywords), context)
        request_headers = dict(keywords.pop("headers", {}))
        request_headers.update(headers or {})
        r = requests.request(method, orthanc.url + fill(template, context), headers=request_headers, auth=auth,
                             timeout=120, allow_redirects=False, **keywords)
        results[name] = (r.status_code, answer_shape(r) if r.status_code < 300 else None)
        if capture and r.status_code == 200:
            context[capture[0]] = r.json()[capture[1]]
            if capture[0] == "job":
                wait_for_job(orthanc, context["job"], request_headers, auth)
    return results


def wait_for_job(orthanc, job, headers, auth):
    """A finished job has fields (CompletionTime) a running one lacks: compare finished jobs."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        state = requests.get(orthanc.url + "/jobs/" + job, headers=headers, auth=auth, timeout=30).json()["State"]
        if state in ("Success", "Failure"):
            return
        time.sleep(0.1)
    raise AssertionError("job %s did not finish in 120 s" % job)


@pytest.fixture(scope="module")
def without_studyshare(pair, fixture_files):
    plain, _ = pair
    return run_script(plain, fixture_files, auth=plain.admin_auth)


def test_the_table_covers_what_an_admin_script_does(without_studyshare, fixture_files):
    rows = admin_script(fixture_files)
    assert len(rows) == len(without_studyshare) >= 40
    # Every row does something real without StudyShare: a test of refusals would compare nothing.
    failing = {name: answer for name, answer in without_studyshare.items() if answer[0] >= 300}
    assert not failing, failing
    families = {row[2].split("/")[1].split("?")[0] for row in rows}
    assert {"instances", "tools", "studies", "jobs", "modalities", "dicom-web", "wado", "webdav"} <= families


@pytest.mark.parametrize("credentials", ["basic", "api-key"])
def test_an_admin_script_gets_the_same_answers_with_studyshare(pair, fixture_files, without_studyshare, admin_key,
                                                              credentials):
    _, gated = pair
    if credentials == "basic":
        with_studyshare = run_script(gated, fixture_files, auth=gated.admin_auth)
    else:
        with_studyshare = run_script(gated, fixture_files, headers={"Authorization": "Bearer " + admin_key})
    different = {name: (without_studyshare[name], with_studyshare[name]) for name in without_studyshare
                 if without_studyshare[name] != with_studyshare[name]}
    assert not different, json.dumps(different, indent=1, default=str)[:4000]


# --------------------------------------------------------------------------
# Clients that wait for a 401 challenge before they send credentials.

def urllib_with_basic_handler(url, auth):
    manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
    manager.add_password(None, url, auth[0], auth[1])
    opener = urllib.request.build_opener(urllib.request.HTTPBasicAuthHandler(manager))
    try:
        with opener.open(url + "/system", timeout=30) as answer:
            return answer.status
    except urllib.error.HTTPError as e:
        return e.code


def curl_anyauth(url, auth):
    out = subprocess.run(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--anyauth", "-u",
                          "%s:%s" % auth, url + "/system"], check=True, capture_output=True, text=True)
    return int(out.stdout)


@pytest.mark.parametrize("client", [urllib_with_basic_handler, curl_anyauth], ids=["urllib", "curl-anyauth"])
def test_challenge_waiting_clients_and_what_the_log_tells_their_users(pair, client):
    """Without StudyShare these clients log in after Orthanc's 401 challenge;
    Orthanc 1.10.1's filter cannot send one (403, empty body), so with
    StudyShare they never do. What they need is said in the log."""
    plain, gated = pair
    assert client(plain.url, plain.admin_auth) == 200
    assert client(gated.url, gated.admin_auth) == 403
    with open(gated.log_path, encoding="utf-8", errors="replace") as f:
        log = f.read()
    assert CREDENTIALS_NOTICE in log
    assert gated.admin_auth[1] not in log


def test_sending_credentials_up_front_works_with_the_same_clients(pair):
    _, gated = pair
    basic = "Basic " + base64.b64encode(("%s:%s" % gated.admin_auth).encode()).decode()
    request = urllib.request.Request(gated.url + "/system", headers={"Authorization": basic})
    with urllib.request.urlopen(request, timeout=30) as answer:
        assert answer.status == 200
    out = subprocess.run(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-u", "%s:%s" % gated.admin_auth,
                          gated.url + "/system"], check=True, capture_output=True, text=True)
    assert out.stdout == "200"


def test_the_credentials_notice_cannot_flood_the_log(pair):
    _, gated = pair

    def notices():
        with open(gated.log_path, encoding="utf-8", errors="replace") as f:
            return sum(1 for line in f if CREDENTIALS_NOTICE in line)

    before = notices()
    for _ in range(50):
        assert requests.post(gated.url + "/tools/find", json={"Level": "Study", "Query": {}}, timeout=30) \
            .status_code == 403
    # At most one per minute: the 50 refusals above add one notice at most.
    assert notices() - before <= 1
    assert notices() >= 1


# --------------------------------------------------------------------------
# API keys.

def test_an_api_key_is_shown_once_listed_and_revoked_at_once(pair):
    _, gated = pair
    created = create_key(gated, "ris", "sharer", ValidityDuration=7 * 86400)
    key = created["Key"]
    assert key.startswith("ssk_") and "." not in key
    bearer = {"Authorization": "Bearer " + key}
    assert requests.get(gated.url + "/studies", headers=bearer, timeout=30).status_code == 200
    # A sharer key may not do what a sharer may not.
    first = requests.get(gated.url + "/studies", headers=bearer, timeout=30).json()[0]
    assert requests.delete(gated.url + "/studies/" + first, headers=bearer, timeout=30).status_code == 403
    assert requests.post(gated.url + "/studyshare/api-keys", headers=bearer, json={"Name": "x", "Role": "admin"},
                         timeout=30).status_code == 403

    listed = {k["ID"]: k for k in gated.api("GET", "/studyshare/api-keys").json()}
    row = listed[created["ID"]]
    assert (row["Name"], row["Role"], row["State"], row["CreatedBy"]) == ("ris", "sharer", "active", "admin")
    assert row["LastUsedDate"] and row["ExpirationDate"] and "Key" not in row
    assert key[4:] not in json.dumps(list(listed.values()))

    assert gated.api("DELETE", "/studyshare/api-keys/" + created["ID"]).status_code == 200
    assert requests.get(gated.url + "/studies", headers=bearer, timeout=30).status_code == 403
    listed = {k["ID"]: k for k in gated.api("GET", "/studyshare/api-keys").json()}
    assert listed[created["ID"]]["State"] == "revoked"
    assert gated.api("DELETE", "/studyshare/api-keys/no-such-key").status_code == 404
    with open(gated.log_path, encoding="utf-8", errors="replace") as f:
        assert key[4:] not in f.read()


def test_only_admins_manage_api_keys(pair):
    _, gated = pair
    assert requests.post(gated.url + "/studyshare/api-keys", auth=SAM, json={"Name": "x", "Role": "sharer"},
                         timeout=30).status_code == 403
    r = requests.get(gated.url + "/studyshare/api-keys", auth=SAM, timeout=30)
    assert r.status_code == 403 and r.json()["Error"] == "forbidden"
    assert requests.get(gated.url + "/studyshare/api-keys", timeout=30).status_code == 403
    bad = gated.api("POST", "/studyshare/api-keys", json={"Name": "r i s", "Role": "admin"})
    assert bad.status_code == 400 and "Name" in bad.json()["Message"]


def cli(gated, *args, key=None):
    env = dict(os.environ, STUDYSHARE_URL=gated.url)
    if key:
        env["STUDYSHARE_API_KEY"] = key
    else:
        env.update(STUDYSHARE_USER=gated.admin_auth[0], STUDYSHARE_PASSWORD=gated.admin_auth[1])
    return subprocess.run([CLI, *args], capture_output=True, text=True, env=env, timeout=60)


def test_the_cli_creates_lists_and_revokes_api_keys(pair):
    _, gated = pair
    created = cli(gated, "--json", "api-key", "create", "--name", "pacs-bridge", "--role", "admin", "--days", "2")
    assert created.returncode == 0, created.stderr
    answer = json.loads(created.stdout)
    assert answer["Key"].startswith("ssk_") and answer["Role"] == "admin" and answer["ExpirationDate"]
    # The key works for the CLI itself, instead of a password.
    listed = cli(gated, "api-key", "list", key=answer["Key"])
    assert listed.returncode == 0, listed.stderr
    assert "pacs-bridge" in listed.stdout and "admin" in listed.stdout and answer["Key"] not in listed.stdout
    revoked = cli(gated, "api-key", "revoke", answer["ID"])
    assert revoked.returncode == 0, revoked.stderr
    assert cli(gated, "api-key", "list", key=answer["Key"]).returncode == 1
    assert cli(gated, "api-key", "create", "--name", "x", "--role", "owner").returncode == 2
