# SPDX-License-Identifier: GPL-3.0-or-later
"""Orthanc 1.10.1 with the real Orthanc authorization plugin in front of a
real studyshare-service, for the drop-in tests (test_authz_plugin.py).

    plugin = authorization_plugin("0.11.4")      # fails loudly when absent
    with AuthorizedSite(plugin, fixture_dir) as site:
        r = site.get("/studies/" + oid, token=token)
        site.recorder.exchanges                   # every plugin -> service request

The builds of the plugin are not StudyShare's: they come from
``../shared/third_party/orthanc-authorization/`` beside the checkout (its
README says how they were built), or from STUDYSHARE_AUTHZ_PLUGIN_DIR.

Between the plugin and the service sits a recording relay (loopback, a free
port): it passes each request on unchanged and keeps the request, the status
and the answer, so the tests can check every answer the plugin got and count
the requests.
"""

import http.server
import json
import os
import threading

import requests

from orthanc_harness import DICOMWEB_PLUGIN, OrthancError, OrthancProcess, free_port
from service_harness import CALLER, CALLER_USERS, SECRET, ServiceProcess

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
DEFAULT_PLUGIN_DIR = os.path.join(os.path.dirname(REPO), "shared", "third_party", "orthanc-authorization")
PLUGIN_DIR = os.environ.get("STUDYSHARE_AUTHZ_PLUGIN_DIR", DEFAULT_PLUGIN_DIR)
PLUGIN_VERSIONS = ("0.11.4", "0.9.1")


def authorization_plugin(version):
    """The plugin build for ``version``; raises (never skips) when absent."""
    path = os.path.join(PLUGIN_DIR, "libOrthancAuthorization-%s.so" % version)
    if not os.path.isfile(path):
        raise OrthancError(
            "the Orthanc authorization plugin %s is missing: %s not found. The drop-in tests need the builds "
            "of ../shared/third_party/orthanc-authorization/ beside the checkout (or set "
            "STUDYSHARE_AUTHZ_PLUGIN_DIR to their folder)" % (version, path))
    return path


class Recorder:
    """A relay that records every exchange between the plugin and the service."""

    def __init__(self, target):
        self.target = target
        self.exchanges = []  # dicts: method, path, body (parsed), status, answer (parsed or text)
        self.lock = threading.Lock()
        self.port = free_port("127.0.0.1")
        self.url = "http://127.0.0.1:%d" % self.port
        recorder = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def relay(self):
                body = self.read_body()
                headers = {k: v for k, v in self.headers.items()
                           if k.lower() not in ("host", "content-length", "connection", "transfer-encoding",
                                                "expect")}
                answer = requests.request(self.command, recorder.target + self.path, data=body,
                                          headers=headers, timeout=30)
                recorder.record(self.command, self.path, body, answer)
                self.send_response(answer.status_code)
                for name in ("Content-Type", "WWW-Authenticate"):
                    if name in answer.headers:
                        self.send_header(name, answer.headers[name])
                self.send_header("Content-Length", str(len(answer.content)))
                self.end_headers()
                self.wfile.write(answer.content)

            def read_body(self):
                # Orthanc's HTTP client sends its bodies chunked.
                if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
                    body = b""
                    while True:
                        size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                        if size == 0:
                            while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                                pass
                            return body
                        body += self.rfile.read(size)
                        self.rfile.readline()
                length = int(self.headers.get("Content-Length") or 0)
                return self.rfile.read(length) if length else b""

            do_GET = do_POST = do_PUT = do_DELETE = relay

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def record(self, method, path, body, answer):
        def parsed(data):
            try:
                return json.loads(data) if data else None
            except ValueError:
                return data.decode("utf-8", "replace")
        with self.lock:
            self.exchanges.append({"method": method, "path": path, "body": parsed(body),
                                   "status": answer.status_code, "answer": parsed(answer.content)})

    def since(self, mark):
        with self.lock:
            return list(self.exchanges[mark:])

    def mark(self):
        with self.lock:
            return len(self.exchanges)

    def close(self):
        self.server.shutdown()
        self.server.server_close()


class GuardedOrthanc(OrthancProcess):
    """Orthanc behind the authorization plugin once ``guarded``: ready once it
    answers, and the plugin must be guarding it (an anonymous /patients is
    refused). Before, an ordinary Orthanc for the admin's uploads."""

    guarded = False

    def _probe(self):
        if not self.guarded:
            return super()._probe()
        requests.get(self.url + "/system", timeout=2)
        return None

    def _check_plugins(self):
        if not self.guarded:
            return super()._check_plugins()
        r = requests.get(self.url + "/patients", timeout=10)
        if r.status_code != 403:
            raise OrthancError("the authorization plugin does not guard Orthanc (anonymous /patients: HTTP %d)\n%s"
                               % (r.status_code, self.log_tail()))


class AuthorizedSite:
    """The fixture studies in an Orthanc guarded by the authorization plugin
    ``plugin_path``, whose web service is studyshare-service (through a
    Recorder). Data are uploaded before the plugin is loaded."""

    def __init__(self, plugin_path, fixture_dir, service_settings=None, service_config=None, authorization=None):
        self.orthanc = GuardedOrthanc(plugins=[DICOMWEB_PLUGIN], start=False)
        self.url = self.orthanc.url
        settings = {"SECRET_KEY": SECRET, "USERS": CALLER_USERS, "PUBLIC_ORTHANC_ROOT": self.url + "/"}
        settings.update(service_settings or {})
        self.service = None
        self.recorder = None
        try:
            self.service = ServiceProcess(settings=settings, config=service_config)
            self.recorder = Recorder(self.service.url)
            # Without the plugin: upload as admin.
            self.orthanc.start()
            answers = self.orthanc.upload_dir(str(fixture_dir))
            assert answers and all(a.get("Status") in ("Success", "AlreadyStored") for a in answers), answers
            self.orthanc.stop()
            section = {
                "WebServiceRootUrl": self.recorder.url + "/",
                "WebServiceUsername": CALLER[0],
                "WebServicePassword": CALLER[1],
                "StandardConfigurations": ["osimis-web-viewer", "stone-webviewer", "orthanc-explorer-2"],
                "TokenHttpHeaders": ["token"],
                "TokenGetArguments": ["token"],
                "CheckedLevel": "studies",
            }
            section.update(authorization or {})
            self.orthanc.plugins.append(plugin_path)
            self.orthanc.extra_config["Authorization"] = section
            self.orthanc.guarded = True
            self.orthanc.start()
        except BaseException:
            self.cleanup()
            raise

    def get(self, path, token=None, via="header", **kwargs):
        """GET ``path`` with ``token`` in the `token` header or the `token` argument."""
        return self.request("GET", path, token=token, via=via, **kwargs)

    def request(self, method, path, token=None, via="header", headers=None, params=None, **kwargs):
        headers = dict(headers or {})
        params = dict(params or {})
        if token is not None:
            if via == "header":
                headers["token"] = token
            else:
                params["token"] = token
        kwargs.setdefault("timeout", 60)
        kwargs.setdefault("allow_redirects", False)
        return requests.request(method, self.url + path, headers=headers, params=params, **kwargs)

    def service_call(self, method, path, body):
        """A request straight to the service, as the plugin's caller."""
        return requests.request(method, self.service.url + path, json=body, auth=CALLER, timeout=30)

    def cleanup(self):
        if self.orthanc is not None:
            self.orthanc.cleanup()
        if self.recorder is not None:
            self.recorder.close()
        if self.service is not None:
            self.service.cleanup()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.cleanup()
