# SPDX-License-Identifier: GPL-3.0-or-later
"""Start and stop a real Orthanc (Debian's /usr/sbin/Orthanc) for tests.

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

import atexit
import copy
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time

import requests

ORTHANC_BINARY = "/usr/sbin/Orthanc"
PLUGINS_DIR = "/usr/share/orthanc/plugins"
DICOMWEB_PLUGIN = os.path.join(PLUGINS_DIR, "libOrthancDicomWeb.so")
WEBVIEWER_PLUGIN = os.path.join(PLUGINS_DIR, "libOrthancWebViewer.so")

ADMIN_USER = "admin"
ADMIN_PASSWORD = "admin-pw"

STARTUP_TIMEOUT = 30.0
STOP_TIMEOUT = 10.0


# Harness objects not cleaned up yet; cleaned up (process stopped, temporary
# directory removed) when the interpreter exits, so that a crashed or
# interrupted test run leaves nothing behind.
_LIVE = set()


@atexit.register
def _cleanup_leftovers():
    for orthanc in list(_LIVE):
        try:
            orthanc.cleanup()
        except Exception:  # pragma: no cover - best effort at exit
            pass


def free_port(host="127.0.0.1"):
    """Return a TCP port on ``host`` that is free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


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


class OrthancError(RuntimeError):
    pass


class OrthancProcess:
    """A real Orthanc process on loopback, configured for tests."""

    def __init__(self, plugins=(), extra_config=None, name="StudyShareTest",
                 tmpdir=None, binary=ORTHANC_BINARY, verbose=True,
                 startup_timeout=STARTUP_TIMEOUT, env=None, start=True):
        self.plugins = [str(p) for p in plugins]
        self.extra_config = copy.deepcopy(extra_config or {})
        self.name = name
        self.binary = binary
        self.verbose = verbose
        self.startup_timeout = startup_timeout
        self.env = env
        self._own_tmpdir = tmpdir is None
        self.tmpdir = tmpdir or tempfile.mkdtemp(prefix="studyshare-orthanc-")
        os.makedirs(self.tmpdir, exist_ok=True)
        self.port = free_port()
        self.host = "127.0.0.1"
        self.url = "http://%s:%d" % (self.host, self.port)
        self.admin_auth = (ADMIN_USER, ADMIN_PASSWORD)
        self.config_path = os.path.join(self.tmpdir, "orthanc.json")
        self.log_path = os.path.join(self.tmpdir, "orthanc.log")
        self.storage_dir = os.path.join(self.tmpdir, "storage")
        self.index_dir = os.path.join(self.tmpdir, "index")
        self.process = None
        self._log_file = None
        self.session = requests.Session()
        self.session.auth = self.admin_auth
        _LIVE.add(self)
        if start:
            try:
                self.start()
            except BaseException:
                self.cleanup()
                raise

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

    def start(self):
        if self.running:
            raise OrthancError("Orthanc is already running (pid %d)" % self.process.pid)
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
        self._log_file = open(self.log_path, "ab")
        self._log_file.write(("\n===== harness: starting %s =====\n" % " ".join(args)).encode())
        self._log_file.flush()
        env = dict(os.environ)
        if self.env:
            env.update(self.env)
        self.process = subprocess.Popen(
            args, stdin=subprocess.DEVNULL, stdout=self._log_file,
            stderr=subprocess.STDOUT, cwd=self.tmpdir, env=env,
            start_new_session=True)
        try:
            self._wait_ready()
            self._check_plugins()
        except BaseException:
            self._terminate()
            raise
        return self

    def _wait_ready(self):
        deadline = time.monotonic() + self.startup_timeout
        delay = 0.02
        last_error = None
        probe = requests.Session()
        probe.auth = self.admin_auth
        try:
            while True:
                code = self.process.poll()
                if code is not None:
                    raise OrthancError(
                        "Orthanc exited with status %d during startup\n%s"
                        % (code, self.log_tail()))
                try:
                    r = probe.get(self.url + "/system", timeout=2)
                    if r.status_code == 200:
                        return
                    last_error = "HTTP %d" % r.status_code
                except requests.RequestException as e:
                    last_error = str(e)
                if time.monotonic() > deadline:
                    raise OrthancError(
                        "Orthanc not ready after %.0f s (last: %s)\n%s"
                        % (self.startup_timeout, last_error, self.log_tail()))
                # Back off a little between probes; wakes early if it dies.
                try:
                    self.process.wait(timeout=delay)
                except subprocess.TimeoutExpired:
                    pass
                delay = min(delay * 2, 0.25)
        finally:
            probe.close()

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

    @property
    def running(self):
        return self.process is not None and self.process.poll() is None

    @property
    def pid(self):
        return self.process.pid if self.process is not None else None

    def _terminate(self):
        proc = self.process
        if proc is None:
            return None
        if proc.poll() is None:
            try:
                proc.send_signal(signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                proc.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                try:
                    proc.kill()
                except ProcessLookupError:
                    pass
                proc.wait()
        if self._log_file is not None:
            self._log_file.close()
            self._log_file = None
        self.process = None
        return proc.returncode

    def stop(self):
        """Stop Orthanc (SIGTERM, then SIGKILL after 10 s); keep its data.
        Returns the exit status, or None if it was not running."""
        return self._terminate()

    def restart(self):
        """Stop and start again with the same storage, index and port."""
        self.stop()
        return self.start()

    def cleanup(self):
        """Stop Orthanc and delete the temporary directory (if the harness
        created it)."""
        self.stop()
        self.session.close()
        _LIVE.discard(self)
        if self._own_tmpdir and os.environ.get("STUDYSHARE_KEEP_TMP") != "1":
            shutil.rmtree(self.tmpdir, ignore_errors=True)

    def __enter__(self):
        if not self.running:
            self.start()
        return self

    def __exit__(self, exc_type, exc, tb):
        self.cleanup()
        return False

    # -- diagnostics ----------------------------------------------------

    def log_tail(self, lines=60):
        try:
            with open(self.log_path, "rb") as f:
                data = f.read().decode("utf-8", "replace")
        except OSError:
            return "(no log at %s)" % self.log_path
        tail = data.splitlines()[-lines:]
        return "----- %s (last %d lines) -----\n%s" % (
            self.log_path, len(tail), "\n".join(tail))

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
