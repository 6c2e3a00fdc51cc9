# SPDX-License-Identifier: GPL-3.0-or-later
"""An offline ACME CA for tests: Debian's pebble, with pebble-challtestsrv
as its DNS server (every name resolves to 127.0.0.1), and certbot as the
client, as a site runs it (webroot HTTP-01), all in temporary folders on
loopback.  pebble's own HTTPS certificate is made here with openssl."""

import json
import os
import shutil
import socket
import subprocess

import requests

from process_harness import ManagedProcess, ProcessError, free_port

PEBBLE = shutil.which("pebble") or "/usr/bin/pebble"
CHALLTESTSRV = shutil.which("pebble-challtestsrv") or "/usr/bin/pebble-challtestsrv"
CERTBOT = shutil.which("certbot") or "/usr/bin/certbot"


class AcmeError(ProcessError):
    pass


def make_server_certificate(folder, name="127.0.0.1"):
    """A throwaway CA and a certificate for pebble's own HTTPS listener."""
    ca_key, ca_cert = os.path.join(folder, "ca.key"), os.path.join(folder, "ca.pem")
    key, csr, cert = (os.path.join(folder, n) for n in ("pebble.key", "pebble.csr", "pebble.pem"))
    ext = os.path.join(folder, "ext.cnf")
    with open(ext, "w") as f:
        f.write("subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n")

    def run(*args):
        subprocess.run(["openssl", *args], check=True, capture_output=True)

    run("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2",
        "-subj", "/CN=StudyShare test ACME CA", "-keyout", ca_key, "-out", ca_cert)
    run("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-subj", "/CN=" + name,
        "-keyout", key, "-out", csr)
    run("x509", "-req", "-in", csr, "-CA", ca_cert, "-CAkey", ca_key, "-CAcreateserial", "-days", "2",
        "-extfile", ext, "-out", cert)
    return ca_cert, cert, key


class ChallTestSrv(ManagedProcess):
    """pebble-challtestsrv as a DNS server only: A queries answer 127.0.0.1."""

    label = "pebble-challtestsrv"
    error = AcmeError

    def __init__(self, start=True):
        super().__init__("studyshare-challtestsrv-", "challtestsrv.log", startup_timeout=20.0)
        self.dns_port = free_port()
        self._enlist(start)

    def command(self):
        return [CHALLTESTSRV, "-defaultIPv4", "127.0.0.1", "-defaultIPv6", "",
                "-dns01", "127.0.0.1:%d" % self.dns_port, "-http01", "", "-https01", "", "-tlsalpn01", "",
                "-management", "127.0.0.1:%d" % self.port]

    def environment(self):
        return {"PATH": os.environ.get("PATH", "/usr/bin:/bin")}

    def _probe(self):
        try:
            with socket.create_connection((self.host, self.port), timeout=1):
                return None
        except OSError as e:
            return str(e)


class Pebble(ManagedProcess):
    """pebble answering ACME on https://127.0.0.1:port/dir; HTTP-01
    challenges are fetched on ``http_port`` (the site nginx's port 80)."""

    label = "pebble"
    error = AcmeError

    def __init__(self, http_port, dns_port, start=True):
        super().__init__("studyshare-pebble-", "pebble.log", startup_timeout=30.0)
        self.http_port = http_port
        self.dns_port = dns_port
        self.management_port = free_port()
        self.ca_cert, self.cert, self.key = make_server_certificate(self.tmpdir)
        self.directory = "https://127.0.0.1:%d/dir" % self.port
        self._enlist(start)

    def command(self):
        config = {"pebble": {
            "listenAddress": "127.0.0.1:%d" % self.port,
            "managementListenAddress": "127.0.0.1:%d" % self.management_port,
            "certificate": self.cert, "privateKey": self.key,
            "httpPort": self.http_port, "tlsPort": free_port(),
            "ocspResponderURL": "", "externalAccountBindingRequired": False}}
        path = os.path.join(self.tmpdir, "pebble.json")
        with open(path, "w") as f:
            json.dump(config, f)
        return [PEBBLE, "-config", path, "-dnsserver", "127.0.0.1:%d" % self.dns_port]

    def environment(self):
        # No random sleeps before validation, no deliberately rejected nonces.
        return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PEBBLE_VA_NOSLEEP": "1",
                "PEBBLE_WFE_NONCEREJECT": "0"}

    def _probe(self):
        r = requests.get(self.directory, verify=self.ca_cert, timeout=2)
        return None if r.status_code == 200 else "HTTP %d" % r.status_code

    def root_certificate(self, path):
        """The root that signs issued certificates (PEM), written to ``path``."""
        r = requests.get("https://127.0.0.1:%d/roots/0" % self.management_port, verify=self.ca_cert, timeout=10)
        r.raise_for_status()
        with open(path, "w") as f:
            f.write(r.text)
        return path


class Certbot:
    """certbot with its configuration, work and log folders in ``folder``."""

    def __init__(self, pebble, folder):
        self.pebble = pebble
        self.config_dir = os.path.join(folder, "letsencrypt")
        self.folder = folder

    def run(self, *args, env=None):
        command = [CERTBOT, *args, "--non-interactive", "--config-dir", self.config_dir,
                   "--work-dir", os.path.join(self.folder, "work"), "--logs-dir", os.path.join(self.folder, "logs")]
        environment = dict(os.environ)
        environment["REQUESTS_CA_BUNDLE"] = self.pebble.ca_cert
        environment.update(env or {})
        done = subprocess.run(command, capture_output=True, text=True, env=environment, timeout=300)
        if done.returncode != 0:
            raise AcmeError("certbot %s failed (%d)\n%s\n%s" % (args[0], done.returncode, done.stdout, done.stderr))
        return done

    def live(self, name, file):
        return os.path.join(self.config_dir, "live", name, file)
