# SPDX-License-Identifier: GPL-3.0-or-later
"""Start and stop studyshare-service (the token web service) for tests.

Only the standard library and ``requests`` are used.

    with ServiceProcess(settings={"SECRET_KEY": SECRET,
                                  "USERS": json.dumps({"orthanc": "pw"})}) as svc:
        r = requests.put(svc.url + "/tokens/viewer-instant-link", json=body,
                         auth=("orthanc", "pw"))
        assert "token-created" in svc.log_text()

The service listens on 127.0.0.1 on a free port, with its own SQLite store
(--store) in a temporary directory.  Its settings (SECRET_KEY, USERS,
PUBLIC_*_ROOT, ...) are passed explicitly as environment variables: nothing
is inherited from the caller's environment but PATH and the locale.  The
service reads /run/secrets/NAME before the environment, so the harness
refuses to run when such a file exists for a setting it manages (the tests
would silently run with real secrets).

stderr (the service's JSON log lines) goes to a file in the temporary
directory: ``log_text()`` / ``log_events()`` read it, also after ``stop()``.
``stop()`` sends SIGTERM and kills after STOP_TIMEOUT; ``cleanup()`` (and
leaving the ``with`` block) also removes the temporary directory.  The
lifecycle is process_harness.ManagedProcess's.
"""

import base64
import collections
import hashlib
import hmac
import json
import os
import secrets as _secrets
import sqlite3
import time

import requests

from process_harness import ManagedProcess, ProcessError

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
SERVICE_BINARY = os.environ.get(
    "STUDYSHARE_SERVICE", os.path.join(REPO, "build", "src", "service", "studyshare-service"))

SECRETS_FOLDER = "/run/secrets"
# Every setting the service reads through /run/secrets or the environment.
MANAGED_SETTINGS = ("SECRET_KEY", "USERS", "SERVER_ID", "PUBLIC_ORTHANC_ROOT", "PUBLIC_LANDING_ROOT",
                    "PUBLIC_OHIF_ROOT", "OHIF_DATA_SOURCE", "MEDDREAM_TOKEN_SERVICE_URL",
                    "PUBLIC_MEDDREAM_ROOT")

STARTUP_TIMEOUT = 15.0


class ServiceError(ProcessError):
    pass


def check_no_real_secrets():
    """Raise if /run/secrets holds a file for a setting the harness passes
    through the environment (the service would read the file instead)."""
    shadowing = [name for name in MANAGED_SETTINGS
                 if os.path.exists(os.path.join(SECRETS_FOLDER, name))]
    if shadowing:
        raise ServiceError("%s holds %s: studyshare-service would read these instead of the test's "
                           "settings; run the tests where /run/secrets does not hold them"
                           % (SECRETS_FOLDER, ", ".join(shadowing)))


class ServiceProcess(ManagedProcess):
    """studyshare-service on loopback, in a temporary directory."""

    label = "studyshare-service"
    error = ServiceError

    def __init__(self, settings=None, config=None, args=(), loopback_only=False, store=True,
                 binary=None, startup_timeout=STARTUP_TIMEOUT, bind="127.0.0.1", start=True):
        """``settings``: NAME -> value environment settings (None values are
        left out); ``config``: a dict written as the --config JSON file;
        ``args``: extra command-line arguments; ``store``: pass --store with a
        database in the temporary directory; ``bind``: the --bind address
        (readiness is probed on 127.0.0.1)."""
        super().__init__("studyshare-service-", "service.log", startup_timeout=startup_timeout)
        self.settings = {k: str(v) for k, v in (settings or {}).items() if v is not None}
        self.config = config
        self.extra_args = [str(a) for a in args]
        self.loopback_only = loopback_only
        self.use_store = store
        self.binary = binary or SERVICE_BINARY
        self.bind = bind
        self.store_path = os.path.join(self.tmpdir, "shares.db")
        self.config_path = os.path.join(self.tmpdir, "config.json")
        self._enlist(start)

    # -- hooks ------------------------------------------------------------

    def command(self):
        if not os.access(self.binary, os.X_OK):
            raise ServiceError("studyshare-service not built: %s (build it, or set STUDYSHARE_SERVICE)"
                               % self.binary)
        check_no_real_secrets()
        args = [self.binary, "--bind", self.bind, "--port", str(self.port)]
        if self.use_store:
            args += ["--store", self.store_path]
        if self.config is not None:
            with open(self.config_path, "w") as f:
                json.dump(self.config, f, indent=2)
            args += ["--config", self.config_path]
        if self.loopback_only:
            args.append("--loopback-only")
        return args + self.extra_args

    def environment(self):
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin")}
        for name in ("LANG", "LC_ALL", "TZ"):
            if name in os.environ:
                env[name] = os.environ[name]
        env.update(self.settings)
        return env

    def _probe(self):
        r = requests.get(self.url + "/health", timeout=2)
        return None if r.status_code == 200 else "HTTP %d %s" % (r.status_code, r.text[:200])

    # -- logs -------------------------------------------------------------

    def log_events(self):
        """The JSON log lines, parsed (other lines are skipped)."""
        events = []
        for line in self.log_text().splitlines():
            try:
                item = json.loads(line)
            except ValueError:
                continue
            if isinstance(item, dict):
                events.append(item)
        return events

    # -- store ------------------------------------------------------------

    def count_rows(self, table="shares"):
        """Rows in ``table`` of the SQLite store (read-only)."""
        conn = sqlite3.connect("file:%s?mode=ro" % self.store_path, uri=True, timeout=10)
        try:
            return conn.execute("SELECT COUNT(*) FROM %s" % table).fetchone()[0]
        finally:
            conn.close()


# --------------------------------------------------------------------------
# Protocol helpers shared by the test_token_service*.py files: settings,
# fixture identifiers and the bodies the authorization plugin sends.


SECRET = "token-service-test-secret-0123456789-abcdefghij"
OTHER_SECRET = "another-service-secret-9876543210-zyxwvutsrqpon"
CALLER = ("orthanc", "caller-pw-Qx81-not-in-logs")
CALLER_USERS = json.dumps({CALLER[0]: CALLER[1]})

ORTHANC_ROOT = "http://pacs.example/orthanc/"
LANDING_ROOT = "http://pacs.example/orthanc/ui/app/token-landing.html"
OHIF_ROOT = "http://pacs.example/ohif/"
PUBLIC_URL = "https://share.example/studyshare"
OWN_LANDING = PUBLIC_URL + "/share/"

PUBLICATION_TYPES = ("stone-viewer-publication", "osimis-viewer-publication", "ohif-viewer-publication",
                     "volview-viewer-publication")
INSTANT_TYPES = ("viewer-instant-link", "download-instant-link")

Study = collections.namedtuple("Study", "oid uid")


def new_orthanc_id():
    h = _secrets.token_hex(20)
    return "-".join(h[i:i + 8] for i in range(0, 40, 8))


def new_dicom_uid():
    return "1.2.826.0.1.3680043.8.498.%d" % _secrets.randbelow(10 ** 20)


def new_study():
    return Study(new_orthanc_id(), new_dicom_uid())


def plugin_resource(study, orthanc_id=True, dicom_uid=True):
    """A resource as the plugin sends it: keys only when non-empty."""
    resource = {}
    if dicom_uid:
        resource["dicom-uid"] = study.uid
    if orthanc_id:
        resource["orthanc-id"] = study.oid
    resource["level"] = "study"
    return resource


def creation_body(token_type, studies, validity=3600, **extra):
    """PUT /tokens/{type} as the plugin's CreateToken sends it."""
    body = {"resources": [plugin_resource(s) for s in studies], "type": token_type}
    if validity:
        body["validity-duration"] = validity
    body.update(extra)
    return body


def validation_body(token, study=None, method="get", level="study", by=("orthanc-id", "dicom-uid"),
                    token_key="token", server_id=None, uri=None, labels=None):
    """POST /tokens/validate as the plugin's IsGrantedInternal sends it."""
    body = {"method": method, "level": level}
    if level == "system":
        body["uri"] = uri
    else:
        if "orthanc-id" in by:
            body["orthanc-id"] = study.oid
        if "dicom-uid" in by:
            body["dicom-uid"] = study.uid
        if uri is not None:
            body["uri"] = uri
    if token is not None:
        body["token-key"] = token_key
        body["token-value"] = token
    body["server-id"] = server_id
    if labels:
        body["labels"] = labels
    return body


def basic(user, password):
    return "Basic " + base64.b64encode(("%s:%s" % (user, password)).encode()).decode()


class Client:
    """Requests to one ServiceProcess as the plugin makes them."""

    def __init__(self, service, auth=CALLER):
        self.service = service
        self.url = service.url
        self.auth = auth

    def call(self, method, path, body=None, raw=None, headers=None, auth="default"):
        h = {"Content-Type": "application/json"}
        h.update(headers or {})
        data = raw if raw is not None else (None if body is None else json.dumps(body))
        return requests.request(method, self.url + path, data=data, headers=h,
                                auth=self.auth if auth == "default" else auth, timeout=30)

    def put_token(self, token_type, body, **kwargs):
        return self.call("PUT", "/tokens/" + token_type, body, **kwargs)

    def create(self, token_type, studies, **fields):
        r = self.put_token(token_type, creation_body(token_type, studies, **fields))
        assert r.status_code == 200, (r.status_code, r.text)
        return r.json()

    def token(self, token_type, studies, **fields):
        return self.create(token_type, studies, **fields)["token"]

    def validate(self, body, **kwargs):
        r = self.call("POST", "/tokens/validate", body, **kwargs)
        assert r.status_code == 200, (r.status_code, r.text)
        answer = r.json()
        assert set(answer) == {"granted", "validity"}, answer
        assert isinstance(answer["granted"], bool), answer
        assert isinstance(answer["validity"], int) and answer["validity"] >= 0, answer
        return answer

    def decode(self, token, token_key="token"):
        r = self.call("POST", "/tokens/decode", {"token-key": token_key, "token-value": token})
        assert r.status_code == 200, (r.status_code, r.text)
        answer = r.json()
        assert set(answer) == {"token-type", "error-code", "redirect-url", "resources"}, answer
        return answer

    def profile(self, body):
        r = self.call("POST", "/user/get-profile", body)
        assert r.status_code == 200, (r.status_code, r.text)
        return r.json()


def b64url_encode(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_decode(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def resign(token, secret, header_changes=None, payload_changes=None):
    """``token`` with its header/payload changed and signed HS256 with ``secret``."""
    header, payload, _ = token.split(".")
    header = json.loads(b64url_decode(header))
    payload = json.loads(b64url_decode(payload))
    header.update(header_changes or {})
    payload.update(payload_changes or {})
    signing_input = (b64url_encode(json.dumps(header, separators=(",", ":")).encode()) + "." +
                     b64url_encode(json.dumps(payload, separators=(",", ":")).encode()))
    mac = hmac.new(secret.encode(), signing_input.encode(), hashlib.sha256).digest()
    return signing_input + "." + b64url_encode(mac)


def payload_of(token):
    return json.loads(b64url_decode(token.split(".")[1]))


def wait_until(predicate, timeout=15.0, interval=0.05, what="condition"):
    """Poll ``predicate`` until it returns a true value (returned), or fail
    after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError("timed out after %.0f s waiting for %s" % (timeout, what))
        time.sleep(interval)
