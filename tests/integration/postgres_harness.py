# SPDX-License-Identifier: GPL-3.0-or-later
"""A private PostgreSQL 15 cluster for tests: initdb in a temporary folder,
the server on a free loopback port, run as the ``postgres`` user when the
tests run as root (PostgreSQL refuses root).

    with PostgresCluster() as pg:
        pg.create_database("studyshare")
        conn = pg.connection("studyshare")   # a libpq connection string
        pg.stop(); pg.start()                # same data, same port

Missing binaries fail (``PostgresError``); set STUDYSHARE_SKIP_POSTGRES=1 to
skip the PostgreSQL tests on purpose.
"""

import os
import pwd
import shutil
import signal
import subprocess
import tempfile
import time

from process_harness import free_port

PG_BIN = os.environ.get("STUDYSHARE_PG_BIN", "/usr/lib/postgresql/15/bin")
STARTUP_TIMEOUT = 30.0


class PostgresError(RuntimeError):
    pass


def skip_requested():
    return os.environ.get("STUDYSHARE_SKIP_POSTGRES") == "1"


class PostgresCluster:
    def __init__(self, start=True):
        for tool in ("initdb", "postgres", "pg_isready", "psql"):
            if not os.path.exists(os.path.join(PG_BIN, tool)):
                raise PostgresError("PostgreSQL 15 not found in %s (install postgresql, or set "
                                    "STUDYSHARE_SKIP_POSTGRES=1 to skip on purpose)" % PG_BIN)
        self.tmpdir = tempfile.mkdtemp(prefix="studyshare-pg-")
        self.data = os.path.join(self.tmpdir, "data")
        self.log_path = os.path.join(self.tmpdir, "postgres.log")
        self.port = free_port()
        self.process = None
        self._user = None
        if os.geteuid() == 0:
            owner = pwd.getpwnam("postgres")
            os.chown(self.tmpdir, owner.pw_uid, owner.pw_gid)
            self._user = "postgres"
        self._run([os.path.join(PG_BIN, "initdb"), "-D", self.data, "-A", "trust", "-U", "postgres",
                   "--no-sync", "-E", "UTF8"])
        if start:
            try:
                self.start()
            except BaseException:
                self.cleanup()
                raise

    def _run(self, args, **kwargs):
        r = subprocess.run(args, user=self._user, cwd=self.tmpdir, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, **kwargs)
        if r.returncode != 0:
            raise PostgresError("%s failed: %s" % (" ".join(args), r.stdout.decode(errors="replace")))
        return r.stdout.decode(errors="replace")

    def start(self):
        log = open(self.log_path, "ab")
        self.process = subprocess.Popen(
            [os.path.join(PG_BIN, "postgres"), "-D", self.data, "-p", str(self.port), "-k", self.tmpdir,
             "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "max_connections=200"],
            user=self._user, cwd=self.tmpdir, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True)
        log.close()
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while True:
            if self.process.poll() is not None:
                raise PostgresError("postgres exited during startup\n" + self.log_tail())
            ready = subprocess.run([os.path.join(PG_BIN, "pg_isready"), "-q", "-h", "127.0.0.1", "-p",
                                    str(self.port)])
            if ready.returncode == 0:
                return self
            if time.monotonic() > deadline:
                raise PostgresError("postgres not ready\n" + self.log_tail())
            time.sleep(0.05)

    def stop(self):
        """Fast shutdown (SIGINT): clients are disconnected, data kept."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def cleanup(self):
        self.stop()
        if os.environ.get("STUDYSHARE_KEEP_TMP") != "1":
            shutil.rmtree(self.tmpdir, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.cleanup()
        return False

    def sql(self, statement, database="postgres"):
        return self._run([os.path.join(PG_BIN, "psql"), "-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1",
                          "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-d", database,
                          "-c", statement]).strip()

    def create_database(self, name):
        self.sql("CREATE DATABASE %s" % name)

    def connection(self, database):
        return "host=127.0.0.1 port=%d user=postgres dbname=%s" % (self.port, database)

    def log_tail(self, lines=40):
        try:
            with open(self.log_path, "rb") as f:
                return "\n".join(f.read().decode("utf-8", "replace").splitlines()[-lines:])
        except OSError:
            return ""
