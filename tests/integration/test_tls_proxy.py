# SPDX-License-Identifier: GPL-3.0-or-later
"""The nginx recipe (deploy/nginx/) end to end, offline: a certificate from
an ACME CA (Debian's pebble) got by certbot over HTTP-01 (webroot), a share
link served over HTTPS through nginx to the plugin, the forwarded client in
the audit, and a forced renewal that nginx picks up (deploy/letsencrypt/
hook) without refusing a request during the reload."""

import http.client
import json
import os
import socket
import ssl
import threading
import time

import pytest

from acme_harness import Certbot, ChallTestSrv, Pebble
from conftest import launch_with_studies, make_orthanc, studyshare_section
from nginx_harness import NginxProcess
from process_harness import free_port

HERE = os.path.dirname(os.path.abspath(__file__))
DEPLOY = os.path.join(os.path.dirname(os.path.dirname(HERE)), "deploy")
SITE = os.path.join(DEPLOY, "nginx", "studyshare-site.conf")
PROXY_SNIPPET = os.path.join(DEPLOY, "nginx", "studyshare-proxy.conf")
RELOAD_HOOK = os.path.join(DEPLOY, "letsencrypt", "studyshare-reload-nginx")
NAME = "share.studyshare.test"


def render_site(https_port, http_port, orthanc_port, letsencrypt, webroot, tls=True):
    """deploy/nginx/studyshare-site.conf with this test's ports and folders."""
    with open(SITE) as f:
        site = f.read()
    for old, new in (("listen [::]:80;", ""), ("listen [::]:443 ssl http2;", ""),
                     ("listen 80;", "listen 127.0.0.1:%d;" % http_port),
                     ("listen 443 ssl http2;", "listen 127.0.0.1:%d ssl http2;" % https_port),
                     ("share.example.org", NAME), ("127.0.0.1:8042", "127.0.0.1:%d" % orthanc_port),
                     ("/etc/letsencrypt", letsencrypt), ("/var/www/letsencrypt", webroot),
                     ("/etc/nginx/snippets/studyshare-proxy.conf", PROXY_SNIPPET)):
        assert old in site, old
        site = site.replace(old, new)
    if not tls:  # before the first certificate: the port-80 server alone
        upstream, http, _ = site.split("\nserver {")
        site = upstream + "\nserver {" + http
    return site


class Https(http.client.HTTPSConnection):
    """HTTPS to NAME at 127.0.0.1 from a chosen loopback source address."""

    def __init__(self, port, root, source="127.0.0.1"):
        super().__init__(NAME, port, timeout=30, source_address=(source, 0),
                         context=ssl.create_default_context(cafile=root))

    def connect(self):
        raw = socket.create_connection(("127.0.0.1", self.port), self.timeout, self.source_address)
        self.sock = self._context.wrap_socket(raw, server_hostname=self.host)


def fetch(port, root, method, path, body=None, source="127.0.0.1"):
    conn = Https(port, root, source)
    try:
        conn.connect()
        # Taken now: http.client drops the socket once a "Connection: close"
        # answer (sent by workers that a reload retires) has been read.
        certificate = conn.sock.getpeercert(binary_form=True)
        data = json.dumps(body).encode() if body is not None else None
        conn.request(method, path, body=data, headers={"Content-Type": "application/json"} if data else {})
        resp = conn.getresponse()
        headers = {k.lower(): v for k, v in resp.getheaders()}
        return resp.status, headers, resp.read(), certificate
    finally:
        conn.close()


@pytest.fixture(scope="module")
def site(fixture_files, tmp_path_factory):
    folder = tmp_path_factory.mktemp("studyshare-tls")
    webroot = folder / "webroot"
    webroot.mkdir()
    https_port = free_port()
    store = folder / "shares.db"
    section = studyshare_section(store, None)
    section["TrustedProxies"] = ["127.0.0.1", "::1"]
    orthanc = make_orthanc({"StudyShare": section})
    orthanc.extra_config["StudyShare"]["PublicUrl"] = "https://%s:%d" % (NAME, https_port)
    started = []
    try:
        launch_with_studies(orthanc, fixture_files)
        # nginx's own port is the site's port 80 (pebble validates there).
        nginx = NginxProcess("", start=False)
        started.append(nginx)
        http_port = nginx.port
        dns = ChallTestSrv()
        started.append(dns)
        pebble = Pebble(http_port, dns.dns_port)
        started.append(pebble)
        certbot = Certbot(pebble, str(folder))
        letsencrypt = certbot.config_dir
        nginx.servers = render_site(https_port, http_port, orthanc.port, letsencrypt, str(webroot), tls=False)
        nginx.start()
        yield {"orthanc": orthanc, "pebble": pebble, "certbot": certbot, "nginx": nginx, "https": https_port,
               "webroot": str(webroot), "http": http_port, "folder": folder,
               "full_site": render_site(https_port, http_port, orthanc.port, letsencrypt, str(webroot))}
    finally:
        for process in reversed(started):
            process.cleanup()
        orthanc.cleanup()


def hook_environment(nginx):
    return {"NGINX_PID_FILE": nginx.pid_file, "NGINX_CONF": nginx.config_path, "NGINX_PREFIX": nginx.tmpdir}


def wait_for_tls(port, root, deadline=30):
    end = time.monotonic() + deadline
    while True:
        try:
            return fetch(port, root, "GET", "/share/")
        except (OSError, ssl.SSLError):
            if time.monotonic() > end:
                raise
            time.sleep(0.1)


def test_certificate_share_link_and_renewal_without_a_refused_request(site):
    pebble, certbot, nginx, port = site["pebble"], site["certbot"], site["nginx"], site["https"]

    # First certificate: HTTP-01 through the recipe's port-80 server.
    certbot.run("certonly", "--server", pebble.directory, "--agree-tos", "--register-unsafely-without-email",
                "--webroot", "-w", site["webroot"], "-d", NAME)
    assert os.path.isfile(certbot.live(NAME, "fullchain.pem"))
    nginx.reconfigure(site["full_site"])
    root = pebble.root_certificate(str(site["folder"] / "pebble-root.pem"))
    status, headers, _, first_certificate = wait_for_tls(port, root)
    assert status == 200
    assert headers.get("strict-transport-security", "").startswith("max-age=")
    assert "content-security-policy" in headers, "the plugin's CSP must pass through nginx"

    # Plain HTTP redirects to HTTPS, except the ACME challenge folder.
    conn = http.client.HTTPConnection("127.0.0.1", site["http"], timeout=10)
    conn.request("GET", "/share/", headers={"Host": NAME})
    resp = conn.getresponse()
    assert resp.status == 301 and resp.getheader("Location").startswith("https://%s" % NAME)
    conn.close()

    # A share link served over HTTPS through nginx to the plugin.
    orthanc = site["orthanc"]
    r = orthanc.api("POST", "/studyshare/shares",
                    json={"Resources": [{"Level": "Study", "OrthancId": orthanc.get_json("/studies")[0]}],
                          "ValidityDuration": 3600})
    assert r.status_code == 201, r.text
    share = r.json()
    assert share["Url"].startswith("https://%s:%d/" % (NAME, port)), share["Url"]
    landing = share["Url"].split(str(port), 1)[1].split("#")[0]
    status, _, _, _ = fetch(port, root, "GET", landing, source="127.0.0.6")
    assert status == 200
    status, _, body, _ = fetch(port, root, "POST", "/share/api/open", {"Token": share["Token"]}, source="127.0.0.6")
    assert status == 200, body
    study = json.loads(body)["Studies"][0]["OrthancId"]
    session = json.loads(body)["SessionToken"]
    conn = Https(port, root, "127.0.0.6")
    conn.request("GET", "/studies/%s" % study, headers={"Authorization": "Bearer " + session})
    assert conn.getresponse().status == 200
    conn.close()
    audit = orthanc.get_json("/studyshare/shares/%s/audit" % share["ID"])
    assert any(e["Event"] == "open" and e["ClientAddress"] == "127.0.0.6" for e in audit), audit

    # Forced renewal while clients keep coming: none may be refused.
    results = {"ok": 0, "failed": []}
    stop = threading.Event()

    def keep_requesting():
        while not stop.is_set():
            try:
                status, _, _, _ = fetch(port, root, "GET", "/share/")
                if status == 200:
                    results["ok"] += 1
                else:
                    results["failed"].append(status)
            except Exception as e:  # a refused or reset connection is a failure
                results["failed"].append(repr(e))

    client = threading.Thread(target=keep_requesting)
    client.start()
    started = time.monotonic()
    try:
        certbot.run("renew", "--force-renewal", "--no-random-sleep-on-renew", "--deploy-hook", RELOAD_HOOK, env=hook_environment(nginx))
        while True:
            _, _, _, served = fetch(port, root, "GET", "/share/")
            if served != first_certificate:
                break
            assert time.monotonic() - started < 120, "nginx still serves the old certificate"
            time.sleep(0.1)
        renewal_seconds = time.monotonic() - started
        time.sleep(0.5)  # a few requests on the new workers too
    finally:
        stop.set()
        client.join()
    print("full renewal (certbot renew + nginx reload until served): %.1f s, %d requests served meanwhile"
          % (renewal_seconds, results["ok"]))
    assert results["failed"] == [], results["failed"][:5]
    assert results["ok"] > 5, results
