# SPDX-License-Identifier: GPL-3.0-or-later
"""Start and stop a real Orthanc for tests: Debian's /usr/sbin/Orthanc (1.10.1),
or the binary that STUDYSHARE_ORTHANC names (the test matrix's 1.12.3).

Only the standard library and ``requests`` are used.

    with OrthancProcess(plugins=[DICOMWEB_PLUGIN],
                        extra_config={"StudyShare": {...}}) as orthanc:
        orthanc.upload_dir("fixtures")
        r = requests.get(orthanc.url + "/studies", auth=orthanc.admin_auth)

Orthanc listens on 127.0.0.1 only (RemoteAccessAllowed false), on a free
port; its DICOM server is disabled.  Storage, index, configuration and log
live in a temporary directory that ``stop()`` keeps (so ``restart()`` finds
the same data) and ``cleanup()`` / leaving the ``with`` block removes.
"""

import copy
import json
import os
import subprocess

import requests

# free_port is re-exported: the tests import it from this module.
from process_harness import ManagedProcess, ProcessError, free_port  # noqa: F401

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
DEBIAN_ORTHANC = "/usr/sbin/Orthanc"
# The newer Orthanc of the test matrix (1.12.3, built for this machine; see its README).
NEWER_ORTHANC = os.path.join(os.path.dirname(REPO), "shared", "third_party", "orthanc-1.12.3", "Orthanc")
# STUDYSHARE_ORTHANC selects the server every test starts (default: Debian's 1.10.1).
ORTHANC_BINARY = os.environ.get("STUDYSHARE_ORTHANC") or DEBIAN_ORTHANC
PLUGINS_DIR = "/usr/share/orthanc/plugins"
DICOMWEB_PLUGIN = os.path.join(PLUGINS_DIR, "libOrthancDicomWeb.so")
WEBVIEWER_PLUGIN = os.path.join(PLUGINS_DIR, "libOrthancWebViewer.so")

ADMIN_USER = "admin"
ADMIN_PASSWORD = "admin-pw"

STARTUP_TIMEOUT = 30.0


def orthanc_version(binary=None):
    """The version a binary reports (``Orthanc --version``'s first line, e.g. "1.12.3")."""
    out = subprocess.run([binary or ORTHANC_BINARY, "--version"], check=True, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, timeout=30).stdout.decode("utf-8", "replace")
    words = out.split("\n", 1)[0].split()
    if not words:
        raise ProcessError("cannot read the version of %s: %r" % (binary or ORTHANC_BINARY, out[:200]))
    return words[-1]


def version_tuple(version):
    return tuple(int(part) for part in version.split(".") if part.isdigit())


def has_labels(binary=None):
    """Labels (and /tools/find's Labels) exist from Orthanc 1.12.0 on."""
    return version_tuple(orthanc_version(binary)) >= (1, 12, 0)


def deep_merge(base, extra):
    """Return a copy of ``base`` with ``extra`` merged in (dicts recursively;
    any other value in ``extra``, lists included, replaces the base value)."""
    result = copy.deepcopy(base)
    for key, value in (extra or {}).items():
        if isinstance(value, dict) and isinstance(result.get(key), dict):
            result[key] = deep_merge(result[key], value)
        else:
            result[key] = copy.deepcopy(value)
    return result


class OrthancError(ProcessError):
    pass


class OrthancProcess(ManagedProcess):
    """A real Orthanc process on loopback, configured for tests."""

    label = "Orthanc"
    error = OrthancError
    tail_lines = 60

    def __init__(self, plugins=(), extra_config=None, name="StudyShareTest",
                 tmpdir=None, binary=ORTHANC_BINARY, verbose=True,
                 startup_timeout=STARTUP_TIMEOUT, env=None, start=True):
        super().__init__("studyshare-orthanc-", "orthanc.log", tmpdir=tmpdir,
                         startup_timeout=startup_timeout)
        self.plugins = [str(p) for p in plugins]
        self.extra_config = copy.deepcopy(extra_config or {})
        self.name = name
        self.binary = binary
        self.verbose = verbose
        self.env = env
        self.admin_auth = (ADMIN_USER, ADMIN_PASSWORD)
        self.config_path = os.path.join(self.tmpdir, "orthanc.json")
        self.storage_dir = os.path.join(self.tmpdir, "storage")
        self.index_dir = os.path.join(self.tmpdir, "index")
        self.session = requests.Session()
        self.session.auth = self.admin_auth
        self._enlist(start)

    # -- configuration --------------------------------------------------

    def base_config(self):
        return {
            "Name": self.name,
            "HttpPort": self.port,
            "RemoteAccessAllowed": False,
            "AuthenticationEnabled": False,
            "DicomServerEnabled": False,
            "StorageDirectory": self.storage_dir,
            "IndexDirectory": self.index_dir,
            "StableAge": 1,
            "HttpTimeout": 60,
            "Plugins": list(self.plugins),
            "RegisteredUsers": {ADMIN_USER: ADMIN_PASSWORD},
            "DicomWeb": {
                "Enable": True,
                "Root": "/dicom-web/",
                "EnableWado": True,
                "WadoRoot": "/wado",
            },
        }

    @property
    def config(self):
        config = deep_merge(self.base_config(), self.extra_config)
        # The port is the harness's business: keep it consistent with .url.
        config["HttpPort"] = self.port
        return config

    def write_config(self):
        with open(self.config_path, "w") as f:
            json.dump(self.config, f, indent=2)
        return self.config_path

    # -- lifecycle ------------------------------------------------------

    def command(self):
        for plugin in self.plugins:
            # Orthanc only logs an error for a missing plugin and goes on.
            if not os.path.exists(plugin):
                raise OrthancError("plugin not found: %s" % plugin)
        os.makedirs(self.storage_dir, exist_ok=True)
        os.makedirs(self.index_dir, exist_ok=True)
        self.write_config()
        args = [self.binary]
        if self.verbose:
            args.append("--verbose")
        args.append(self.config_path)
        # restart() appends to the same log: mark where each run begins.
        with open(self.log_path, "ab") as log:
            log.write(("\n===== harness: starting %s =====\n" % " ".join(args)).encode())
        return args

    def environment(self):
        env = dict(os.environ)
        env.update(self.env or {})
        return env

    def _probe(self):
        r = requests.get(self.url + "/system", auth=self.admin_auth, timeout=2)
        return None if r.status_code == 200 else "HTTP %d" % r.status_code

    def _wait_ready(self):
        super()._wait_ready()
        self._check_plugins()

    def _check_plugins(self):
        """Fail if Orthanc loaded fewer plugins than were configured as files
        (a plugin that fails to initialize is not fatal to Orthanc)."""
        files = [p for p in self.plugins if os.path.isfile(p)]
        if not files:
            return
        r = requests.get(self.url + "/plugins", auth=self.admin_auth, timeout=10)
        loaded = r.json() if r.status_code == 200 else []
        if len(loaded) < len(files):
            raise OrthancError(
                "Orthanc loaded %d plugin(s) %r, expected at least %d from %r\n%s"
                % (len(loaded), loaded, len(files), files, self.log_tail()))

    def cleanup(self):
        super().cleanup()
        self.session.close()

    # -- REST helpers (as admin) ----------------------------------------

    def api(self, method, path, **kwargs):
        """Request ``path`` as admin; returns the requests.Response."""
        kwargs.setdefault("timeout", 60)
        return self.session.request(method, self.url + path, **kwargs)

    def get_json(self, path, **kwargs):
        r = self.api("GET", path, **kwargs)
        r.raise_for_status()
        return r.json()

    def upload(self, path):
        """POST one DICOM file to /instances as admin; returns Orthanc's JSON."""
        with open(path, "rb") as f:
            data = f.read()
        r = self.api("POST", "/instances", data=data,
                     headers={"Content-Type": "application/dicom"})
        if r.status_code != 200:
            raise OrthancError("upload of %s failed: HTTP %d %s"
                               % (path, r.status_code, r.text[:500]))
        return r.json()

    def upload_dir(self, directory):
        """Upload every *.dcm file below ``directory`` (sorted); returns the
        list of Orthanc's answers."""
        results = []
        for root, dirs, files in os.walk(directory):
            dirs.sort()
            for name in sorted(files):
                if name.lower().endswith(".dcm"):
                    results.append(self.upload(os.path.join(root, name)))
        return results
