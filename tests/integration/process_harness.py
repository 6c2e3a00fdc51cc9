# SPDX-License-Identifier: GPL-3.0-or-later
"""The lifecycle shared by the test harnesses for real server processes
(orthanc_harness.OrthancProcess, service_harness.ServiceProcess).

A ManagedProcess owns a temporary directory (unless given one) holding the
process's log and data, and a free port on 127.0.0.1.  ``start()`` spawns
the process and waits until it answers; ``stop()`` ends it but keeps the
directory, so ``restart()`` finds the same data and the log stays readable;
``cleanup()`` (and leaving the ``with`` block) also removes the directory,
unless STUDYSHARE_KEEP_TMP=1.

Only the standard library and ``requests`` are used.
"""

import atexit
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time

import requests

STOP_TIMEOUT = 10.0


# Harness objects not cleaned up yet; cleaned up (process stopped, temporary
# directory removed) when the interpreter exits, so that a crashed or
# interrupted test run leaves nothing behind.
_LIVE = set()


@atexit.register
def _cleanup_leftovers():
    for managed in list(_LIVE):
        try:
            managed.cleanup()
        except Exception:  # pragma: no cover - best effort at exit
            pass


def free_port(host="127.0.0.1"):
    """Return a TCP port on ``host`` that is free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


class ProcessError(RuntimeError):
    pass


class ManagedProcess:
    """A server process on loopback, in a temporary directory.

    Subclasses name themselves in ``label`` (for messages) and ``error`` (the
    exception raised), implement the hooks below, and call ``_enlist(start)``
    last in their ``__init__``, once the hooks have what they need."""

    label = "process"
    error = ProcessError
    tail_lines = 40

    def __init__(self, tmp_prefix, log_name, startup_timeout, tmpdir=None):
        self.startup_timeout = startup_timeout
        self._own_tmpdir = tmpdir is None
        self.tmpdir = tmpdir or tempfile.mkdtemp(prefix=tmp_prefix)
        os.makedirs(self.tmpdir, exist_ok=True)
        self.host = "127.0.0.1"
        self.port = free_port(self.host)
        self.url = "http://%s:%d" % (self.host, self.port)
        self.log_path = os.path.join(self.tmpdir, log_name)
        self.process = None
        self.returncode = None
        self._log_file = None

    def _enlist(self, start):
        _LIVE.add(self)
        if start:
            try:
                self.start()
            except BaseException:
                self.cleanup()
                raise

    # -- hooks ----------------------------------------------------------

    def command(self):
        """Check what the process needs, write its files, and return its
        argument list; called by every (re)start."""
        raise NotImplementedError

    def environment(self):
        """The process's environment variables (a dict)."""
        raise NotImplementedError

    def _probe(self):
        """One readiness request: None once the process serves, else what
        was answered (requests exceptions count as not ready)."""
        raise NotImplementedError

    # -- lifecycle ------------------------------------------------------

    def spawn(self):
        """Start the process without waiting for it to be ready."""
        if self.running:
            raise self.error("%s is already running (pid %d)" % (self.label, self.process.pid))
        args = self.command()
        self._log_file = open(self.log_path, "ab")
        self.returncode = None
        self.process = subprocess.Popen(
            args, stdin=subprocess.DEVNULL, stdout=self._log_file, stderr=subprocess.STDOUT,
            cwd=self.tmpdir, env=self.environment(), start_new_session=True)
        return self.process

    def start(self):
        """Start and wait until the process serves."""
        self.spawn()
        try:
            self._wait_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def _wait_ready(self):
        deadline = time.monotonic() + self.startup_timeout
        delay = 0.01
        while True:
            code = self.process.poll()
            if code is not None:
                raise self.error("%s exited with status %d during startup\n%s"
                                 % (self.label, code, self.log_tail()))
            try:
                last_error = self._probe()
            except requests.RequestException as e:
                last_error = str(e)
            if last_error is None:
                return
            if time.monotonic() > deadline:
                raise self.error("%s not ready after %.0f s (last: %s)\n%s"
                                 % (self.label, self.startup_timeout, last_error, self.log_tail()))
            try:  # wakes early if the process dies
                self.process.wait(timeout=delay)
            except subprocess.TimeoutExpired:
                pass
            delay = min(delay * 2, 0.2)

    def wait_exit(self, timeout=None):
        """Wait for the process to end by itself; returns its exit status
        (raises if it still runs after ``timeout``, by default the startup
        timeout: a process that refuses to start should not take longer)."""
        timeout = self.startup_timeout if timeout is None else timeout
        try:
            code = self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            raise self.error("%s still running after %.0f s\n%s" % (self.label, timeout, self.log_tail()))
        self._close_log()
        self.returncode = code
        return code

    @property
    def running(self):
        return self.process is not None and self.process.poll() is None

    @property
    def pid(self):
        return self.process.pid if self.process is not None else None

    def _close_log(self):
        if self._log_file is not None:
            self._log_file.close()
            self._log_file = None

    def stop(self, timeout=STOP_TIMEOUT):
        """SIGTERM, then SIGKILL after ``timeout``; keeps the directory (log
        and data). Returns the exit status (negative: killed by a signal),
        None if the process never ran."""
        proc = self.process
        if proc is None:
            return self.returncode
        if proc.poll() is None:
            try:
                proc.send_signal(signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                try:
                    proc.kill()
                except ProcessLookupError:
                    pass
                proc.wait()
        self._close_log()
        self.process = None
        self.returncode = proc.returncode
        return proc.returncode

    def restart(self):
        """Stop and start again with the same directory (data, log) and port."""
        self.stop()
        return self.start()

    def cleanup(self):
        """Stop, and delete the temporary directory if the harness created it
        (STUDYSHARE_KEEP_TMP=1 keeps it, to look at after a failure)."""
        self.stop()
        _LIVE.discard(self)
        if self._own_tmpdir and os.environ.get("STUDYSHARE_KEEP_TMP") != "1":
            shutil.rmtree(self.tmpdir, ignore_errors=True)

    def __enter__(self):
        if self.process is None:
            self.start()
        return self

    def __exit__(self, exc_type, exc, tb):
        self.cleanup()
        return False

    # -- log --------------------------------------------------------------

    def log_text(self):
        """The whole log, also after stop() ("" before the first start)."""
        try:
            with open(self.log_path, "rb") as f:
                return f.read().decode("utf-8", "replace")
        except OSError:
            return ""

    def log_tail(self, lines=None):
        lines = self.tail_lines if lines is None else lines
        tail = self.log_text().splitlines()[-lines:]
        return "----- %s (last %d lines) -----\n%s" % (self.log_path, len(tail), "\n".join(tail))
