# SPDX-License-Identifier: GPL-3.0-or-later
"""A real nginx (Debian's /usr/sbin/nginx) on loopback for tests.

    with NginxProcess(server_block) as nginx:
        requests.get(nginx.url + "/share/")

``server_block`` is the text of one or more ``server { ... }`` blocks in
which ``{port}`` stands for the harness's free port (and ``{tmpdir}`` for
its folder); the harness writes the surrounding ``nginx.conf`` (foreground,
logs, pid and temporary files in its own folder) and waits until the port
accepts connections.  ``reload()`` sends SIGHUP, as ``systemctl reload``
does.
"""

import os
import shutil
import signal
import socket

from process_harness import ManagedProcess, ProcessError

NGINX_BINARY = shutil.which("nginx") or "/usr/sbin/nginx"

MAIN_CONFIG = """\
daemon off;
master_process on;
worker_processes 1;
pid {tmpdir}/nginx.pid;
error_log {tmpdir}/error.log info;
{user}
events {{ worker_connections 256; }}
http {{
    access_log {tmpdir}/access.log;
    client_body_temp_path {tmpdir}/client_body;
    proxy_temp_path {tmpdir}/proxy;
    fastcgi_temp_path {tmpdir}/fastcgi;
    uwsgi_temp_path {tmpdir}/uwsgi;
    scgi_temp_path {tmpdir}/scgi;
{includes}
{servers}
}}
"""


class NginxError(ProcessError):
    pass


class NginxProcess(ManagedProcess):
    label = "nginx"
    error = NginxError

    def __init__(self, servers, includes=(), startup_timeout=20.0, start=True):
        """``servers``: server blocks (``{port}``, ``{tmpdir}`` substituted);
        ``includes``: files included at http level (e.g. the recipe's
        snippets)."""
        super().__init__("studyshare-nginx-", "nginx.log", startup_timeout=startup_timeout)
        self.servers = servers
        self.includes = list(includes)
        self.config_path = os.path.join(self.tmpdir, "nginx.conf")
        self._enlist(start)

    def substitute(self, text):
        return text.replace("{port}", str(self.port)).replace("{tmpdir}", self.tmpdir)

    def write_config(self):
        # Workers run as root only when the tests do: they read the test's files.
        user = "user root;" if os.geteuid() == 0 else ""
        config = MAIN_CONFIG.format(
            tmpdir=self.tmpdir, user=user,
            includes="\n".join("    include %s;" % path for path in self.includes),
            servers=self.substitute(self.servers))
        with open(self.config_path, "w") as f:
            f.write(config)

    def command(self):
        if not os.access(NGINX_BINARY, os.X_OK):
            raise NginxError("nginx not installed (scripts/setup.sh installs it)")
        self.write_config()
        return [NGINX_BINARY, "-p", self.tmpdir, "-e", os.path.join(self.tmpdir, "error.log"),
                "-c", self.config_path]

    def environment(self):
        return {"PATH": os.environ.get("PATH", "/usr/sbin:/usr/bin:/bin")}

    def _probe(self):
        try:
            with socket.create_connection((self.host, self.port), timeout=1):
                return None
        except OSError as e:  # refused: not listening yet
            return str(e)

    @property
    def pid_file(self):
        return os.path.join(self.tmpdir, "nginx.pid")

    def reload(self):
        """SIGHUP: nginx re-reads its configuration and certificates."""
        self.process.send_signal(signal.SIGHUP)

    def reconfigure(self, servers):
        """New server blocks, then a reload (as a site enables TLS once it
        has its first certificate)."""
        self.servers = servers
        self.write_config()
        self.reload()

    def error_log(self):
        try:
            with open(os.path.join(self.tmpdir, "error.log"), errors="replace") as f:
                return f.read()
        except OSError:
            return ""
