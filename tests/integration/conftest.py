# SPDX-License-Identifier: GPL-3.0-or-later
"""Shared fixtures for the StudyShare integration tests.

One Orthanc per test session (DICOMweb + Web Viewer + StudyShare), with the
fixture studies uploaded once:

    P1 (SS-P1): study A (2 CT series x 3 instances), study B (1 MR series x 2)
    P2 (SS-P2): study C (1 CR series x 1)

The ``env`` fixture gives the running Orthanc, the Orthanc ids and DICOM UIDs
of every study/series/instance, and helpers to create shares and to send
requests with a token, as admin, anonymously, or with a raw (un-normalized)
request line.
"""

import base64
import ctypes
import http.client
import json
import os
import subprocess

import pytest
import requests

from orthanc_harness import DICOMWEB_PLUGIN, ORTHANC_BINARY, WEBVIEWER_PLUGIN, OrthancProcess, orthanc_version
from postgres_harness import PostgresCluster, skip_requested
from service_harness import ServiceProcess

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
MAKE_STUDIES = os.path.join(REPO, "tests", "fixtures", "make_studies.sh")
STUDYSHARE_PLUGIN = os.environ.get(
    "STUDYSHARE_PLUGIN", os.path.join(REPO, "build", "src", "plugin", "libStudyShare.so"))

SECRET = "integration-test-secret-0123456789-abcdefghijklmnop"
OTHER_SECRET = "a-completely-different-secret-9876543210-zyxwvutsr"
MAX_VALIDITY = 30 * 24 * 3600  # configured "MaxValidityDuration" (30 days)

SHARER_USERS = {"alice": "alice-pw-1", "bob": "bob-pw-2"}

# The plugin's credentials towards studyshare-service in remote mode.
SERVICE_CALLER = ("orthanc-node", "service-caller-pw-0123456789")


# --------------------------------------------------------------------------
# Argon2id hashes for the "sharer" users, through libsodium (the same library
# the plugin verifies with). python3-nacl is not installed on this machine.

def _load_sodium():
    for name in ("libsodium.so.23", "libsodium.so"):
        try:
            lib = ctypes.CDLL(name)
        except OSError:
            continue
        if lib.sodium_init() < 0:
            continue
        return lib
    return None


def argon2id_hash(password):
    """Argon2id hash string ($argon2id$...) of ``password``, or None when
    neither nacl nor libsodium is available."""
    try:
        import nacl.pwhash  # type: ignore
        return nacl.pwhash.argon2id.str(password.encode()).decode()
    except ImportError:
        pass
    lib = _load_sodium()
    if lib is None:
        return None
    lib.crypto_pwhash_strbytes.restype = ctypes.c_size_t
    lib.crypto_pwhash_opslimit_interactive.restype = ctypes.c_ulonglong
    lib.crypto_pwhash_memlimit_interactive.restype = ctypes.c_size_t
    out = ctypes.create_string_buffer(lib.crypto_pwhash_strbytes())
    data = password.encode()
    rc = lib.crypto_pwhash_str_alg(
        out, data, ctypes.c_ulonglong(len(data)),
        ctypes.c_ulonglong(lib.crypto_pwhash_opslimit_interactive()),
        ctypes.c_size_t(lib.crypto_pwhash_memlimit_interactive()),
        ctypes.c_int(lib.crypto_pwhash_alg_argon2id13()))
    if rc != 0:
        return None
    return out.value.decode()


# --------------------------------------------------------------------------
# JWT helpers (hand-made tokens for tamper tests)

def b64url_encode(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_decode(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def jwt_parts(token):
    header, payload, signature = token.split(".")
    return json.loads(b64url_decode(header)), json.loads(b64url_decode(payload)), signature


def jwt_sign_hs256(header, payload, secret):
    import hashlib
    import hmac
    signing_input = (b64url_encode(json.dumps(header, separators=(",", ":")).encode()) + "." +
                     b64url_encode(json.dumps(payload, separators=(",", ":")).encode()))
    mac = hmac.new(secret.encode(), signing_input.encode(), hashlib.sha256).digest()
    return signing_input + "." + b64url_encode(mac)


# --------------------------------------------------------------------------

class Env:
    """The running Orthanc plus the fixture ids and request helpers."""

    def __init__(self, orthanc, manifest, sharer_hashes):
        self.orthanc = orthanc
        self.url = orthanc.url
        self.manifest = manifest
        self.sharer_hashes = sharer_hashes
        self.admin_auth = orthanc.admin_auth
        self.studies = {}      # key -> dict(id, uid, patient_id, series=[...])
        self.by_uid = {}
        self._share_cache = {}

    # -- ids ---------------------------------------------------------------

    def lookup(self, uid, expected_type):
        r = requests.post(self.url + "/tools/lookup", data=uid, auth=self.admin_auth, timeout=30)
        r.raise_for_status()
        found = [m for m in r.json() if m["Type"] == expected_type]
        assert len(found) == 1, (uid, r.json())
        return found[0]["ID"]

    def load_ids(self):
        for study in self.manifest["Studies"]:
            entry = {
                "key": study["Key"],
                "uid": study["StudyInstanceUID"],
                "id": self.lookup(study["StudyInstanceUID"], "Study"),
                "patient_id": study["PatientID"],
                "series": [],
            }
            for series in study["Series"]:
                s = {
                    "uid": series["SeriesInstanceUID"],
                    "id": self.lookup(series["SeriesInstanceUID"], "Series"),
                    "instances": [],
                }
                for sop in series["SOPInstanceUIDs"]:
                    s["instances"].append({"uid": sop, "id": self.lookup(sop, "Instance")})
                entry["series"].append(s)
            self.studies[study["Key"]] = entry
        patients = {}
        for key, entry in self.studies.items():
            study = self.admin_get("/studies/" + entry["id"]).json()
            entry["patient"] = study["ParentPatient"]
            patients.setdefault(entry["patient_id"], study["ParentPatient"])
        self.patients = patients

    def study(self, key):
        return self.studies[key]

    def series(self, key, index=0):
        return self.studies[key]["series"][index]

    def instance(self, key, series_index=0, index=0):
        return self.studies[key]["series"][series_index]["instances"][index]

    # -- requests ----------------------------------------------------------

    def get(self, path, token=None, via="bearer", headers=None, **kwargs):
        """GET ``path`` (relative to the Orthanc root) with a share token sent
        as ``via``: "bearer", "header" (the `token` header) or "arg"."""
        return self.request("GET", path, token=token, via=via, headers=headers, **kwargs)

    def request(self, method, path, token=None, via="bearer", headers=None, **kwargs):
        headers = dict(headers or {})
        params = kwargs.pop("params", None)
        if token is not None:
            if via == "bearer":
                headers["Authorization"] = "Bearer " + token
            elif via == "header":
                headers["token"] = token
            elif via == "arg":
                params = list(params or []) if not isinstance(params, dict) else list(params.items())
                params.append(("token", token))
            else:
                raise ValueError(via)
        kwargs.setdefault("timeout", 60)
        kwargs.setdefault("allow_redirects", False)
        return requests.request(method, self.url + path, headers=headers, params=params, **kwargs)

    def admin(self, method, path, **kwargs):
        kwargs.setdefault("timeout", 60)
        kwargs.setdefault("allow_redirects", False)
        return requests.request(method, self.url + path, auth=self.admin_auth, **kwargs)

    def admin_get(self, path, **kwargs):
        return self.admin("GET", path, **kwargs)

    def raw(self, method, raw_path, headers=None, body=None):
        """Send ``raw_path`` exactly as given (no client-side normalization or
        re-encoding). Returns (status, headers dict, body bytes)."""
        conn = http.client.HTTPConnection(self.orthanc.host, self.orthanc.port, timeout=60)
        try:
            conn.putrequest(method, raw_path, skip_host=False, skip_accept_encoding=True)
            for k, v in (headers or {}).items():
                conn.putheader(k, v)
            if body is not None:
                conn.putheader("Content-Length", str(len(body)))
            conn.endheaders(body)
            resp = conn.getresponse()
            data = resp.read()
            return resp.status, {k.lower(): v for k, v in resp.getheaders()}, data
        finally:
            conn.close()

    # -- shares ------------------------------------------------------------

    def create_share_raw(self, body, auth=None, headers=None):
        auth = self.admin_auth if auth is None else auth
        h = {"Content-Type": "application/json"}
        h.update(headers or {})
        data = body if isinstance(body, (bytes, str)) else json.dumps(body)
        return requests.post(self.url + "/studyshare/shares", data=data, headers=h,
                             auth=auth, timeout=60)

    def create_share(self, *keys, auth=None, by="OrthancId", **fields):
        """Create a share of the studies ``keys`` ("A", "B", ...) as admin (or
        ``auth``); extra fields go into the body. Returns the 201 JSON."""
        resources = []
        for key in keys or ("A",):
            value = self.studies[key]["id"] if by == "OrthancId" else self.studies[key]["uid"]
            resources.append({"Level": "Study", by: value})
        body = {"Resources": resources}
        body.setdefault("ValidityDuration", 3600)
        body.update(fields)
        r = self.create_share_raw(body, auth=auth)
        assert r.status_code == 201, (r.status_code, r.text)
        answer = r.json()
        assert answer["ID"] and answer["Token"] and answer["Url"], answer
        return answer

    def shared_token(self, name, *keys, **fields):
        """A share created once per session and reused (by ``name``)."""
        if name not in self._share_cache:
            self._share_cache[name] = self.create_share(*keys, **fields)
        return self._share_cache[name]["Token"]

    def list_shares(self, auth=None, params=None):
        r = requests.get(self.url + "/studyshare/shares", auth=auth or self.admin_auth,
                         params=params, timeout=60)
        assert r.status_code == 200, (r.status_code, r.text)
        return r.json()


@pytest.fixture(scope="session")
def fixture_files(tmp_path_factory):
    out = tmp_path_factory.mktemp("studyshare-fixtures")
    subprocess.run([MAKE_STUDIES, str(out)], check=True, stdout=subprocess.DEVNULL)
    with open(out / "manifest.json") as f:
        manifest = json.load(f)
    return out, manifest


def studyshare_section(store_path, users):
    section = {
        "Secret": SECRET,
        "PublicUrl": "http://127.0.0.1:1/",  # replaced once the port is known
        "MaxValidityDuration": MAX_VALIDITY,
        "Store": {"Type": "sqlite", "Path": str(store_path)},
        # One Orthanc serves the whole session, every test from 127.0.0.1: the
        # wrong passwords that tests send on purpose must not add up to the
        # limits (test_staff_limits.py checks the limits on an Orthanc of its own).
        "StaffFailuresPerClientPerMinute": 100000,
        "StaffFailuresPerUserPerMinute": 100000,
    }
    if users:
        section["Users"] = users
    return section


def make_orthanc(config):
    if not os.path.isfile(STUDYSHARE_PLUGIN):
        pytest.fail("StudyShare plugin not built: %s (run cmake --build build)" % STUDYSHARE_PLUGIN)
    orthanc = OrthancProcess(plugins=[DICOMWEB_PLUGIN, WEBVIEWER_PLUGIN, STUDYSHARE_PLUGIN],
                             extra_config=config, start=False)
    orthanc.extra_config["StudyShare"]["PublicUrl"] = orthanc.url
    return orthanc


def launch_with_studies(orthanc, fixture_files):
    """Starts ``orthanc`` and uploads the fixture studies; cleans it up on failure."""
    try:
        orthanc.start()
        answers = orthanc.upload_dir(str(fixture_files[0]))
        assert answers and all(a.get("Status") in ("Success", "AlreadyStored") for a in answers), answers
        return orthanc
    except BaseException:
        orthanc.cleanup()
        raise


def sharer_hashes():
    hashes = {name: argon2id_hash(pw) for name, pw in SHARER_USERS.items()}
    users = {name: {"PasswordHash": h, "Role": "sharer"} for name, h in hashes.items() if h}
    return hashes, users


@pytest.fixture(scope="session")
def env(fixture_files, tmp_path_factory):
    hashes, users = sharer_hashes()
    store_dir = tmp_path_factory.mktemp("studyshare-store")
    config = {"StudyShare": studyshare_section(store_dir / "shares.db", users)}
    orthanc = launch_with_studies(make_orthanc(config), fixture_files)
    try:
        e = Env(orthanc, fixture_files[1], hashes)
        e.load_ids()
        yield e
    finally:
        orthanc.cleanup()


@pytest.fixture(scope="session")
def postgresql_env(fixture_files, tmp_path_factory):
    """The ``env`` Orthanc again, but its share store on a private PostgreSQL
    15 (the red-team tables run on both stores)."""
    if skip_requested():
        pytest.skip("STUDYSHARE_SKIP_POSTGRES=1: the PostgreSQL store is not tested")
    hashes, users = sharer_hashes()
    pg = PostgresCluster()
    try:
        pg.create_database("studyshare")
        section = studyshare_section(tmp_path_factory.mktemp("unused-sqlite") / "unused.db", users)
        section["Store"] = {"Type": "postgresql", "Connection": pg.connection("studyshare")}
        orthanc = launch_with_studies(make_orthanc({"StudyShare": section}), fixture_files)
        try:
            e = Env(orthanc, fixture_files[1], hashes)
            e.load_ids()
            e.postgres = pg
            yield e
        finally:
            orthanc.cleanup()
    finally:
        pg.cleanup()


def env_on_every_store():
    """``env = env_on_every_store()`` in a test module runs its ``env`` tests
    on the SQLite store and again on the PostgreSQL store."""

    @pytest.fixture(scope="module", params=["sqlite", "postgresql"])
    def env(request, env):
        return env if request.param == "sqlite" else request.getfixturevalue("postgresql_env")

    return env


def start_remote_env(fixture_files, tmp_path_factory, **remote_settings):
    """Remote mode, both real processes: studyshare-service judging share
    tokens on the store and keys it shares with an Orthanc whose plugin runs
    in remote mode. Returns (Env, service); the caller cleans both up."""
    hashes, users = sharer_hashes()
    store_path = tmp_path_factory.mktemp("studyshare-remote-store") / "shares.db"
    orthanc = make_orthanc({"StudyShare": studyshare_section(store_path, users)})
    section = orthanc.extra_config["StudyShare"]  # the copy Orthanc will be configured with
    service = ServiceProcess(settings={"USERS": json.dumps(dict([SERVICE_CALLER]))},
                             config={"StudyShare": dict(section)}, store=False)
    try:
        section.update({"Mode": "remote", "WebService": service.url,
                        "WebServiceUsername": SERVICE_CALLER[0], "WebServicePassword": SERVICE_CALLER[1]})
        section.update(remote_settings)
        launch_with_studies(orthanc, fixture_files)
        e = Env(orthanc, fixture_files[1], hashes)
        e.load_ids()
        e.service = service
        return e, service
    except BaseException:
        orthanc.cleanup()
        service.cleanup()
        raise


@pytest.fixture(scope="session")
def remote_env(fixture_files, tmp_path_factory):
    e, service = start_remote_env(fixture_files, tmp_path_factory)
    try:
        yield e
    finally:
        e.orthanc.cleanup()
        service.cleanup()


def pytest_configure(config):
    if not os.path.isfile(ORTHANC_BINARY) or not os.access(ORTHANC_BINARY, os.X_OK):
        raise pytest.UsageError("STUDYSHARE_ORTHANC names no executable Orthanc: %s" % ORTHANC_BINARY)


def pytest_report_header(config):
    return "Orthanc under test: %s (%s)" % (orthanc_version(), ORTHANC_BINARY)
