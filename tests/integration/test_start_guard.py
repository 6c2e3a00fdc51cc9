# SPDX-License-Identifier: GPL-3.0-or-later
"""deploy/guard/studyshare-guard against a real Orthanc 1.10.

Orthanc 1.10 starts when a plugin path is wrong (it logs an error and goes
on), and with "AuthenticationEnabled": false it then serves every study to
anyone: the guard must see that and stop it, and must let a correctly
configured Orthanc run.
"""

import json
import os
import signal
import socket
import subprocess
import time

import pytest
import requests

from conftest import SECRET, STUDYSHARE_PLUGIN
from orthanc_harness import ORTHANC_BINARY, free_port

HERE = os.path.dirname(os.path.abspath(__file__))
GUARD = os.path.join(os.path.dirname(os.path.dirname(HERE)), "deploy", "guard", "studyshare-guard")


def write_config(folder, port, plugin):
    config = {
        "Name": "GuardTest", "HttpPort": port, "RemoteAccessAllowed": False,
        "AuthenticationEnabled": False, "DicomServerEnabled": False,
        "StorageDirectory": str(folder / "storage"), "IndexDirectory": str(folder / "index"),
        "Plugins": [plugin],
        "StudyShare": {"Secret": SECRET, "PublicUrl": "http://127.0.0.1:%d" % port,
                       "Store": {"Type": "sqlite", "Path": str(folder / "shares.db")}},
    }
    path = folder / "orthanc.json"
    path.write_text(json.dumps(config))
    return str(path)


def typo_of(path):
    """The plugin path with one letter changed, as a site would mistype it."""
    head, name = os.path.split(path)
    return os.path.join(head, name.replace("Study", "Stdy"))


def listening(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def wait_until_answering(url, process, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, "Orthanc exited"
        try:
            requests.get(url + "/system", timeout=2)
            return
        except requests.RequestException:
            time.sleep(0.2)
    pytest.fail("Orthanc did not answer on " + url)


class Started:
    """A process in its own session, killed with its group at the end."""

    def __init__(self, args, log):
        self.log_path = log
        self.log = open(log, "wb")
        self.process = subprocess.Popen(args, stdout=self.log, stderr=subprocess.STDOUT,
                                        stdin=subprocess.DEVNULL, start_new_session=True)

    def text(self):
        with open(self.log_path, errors="replace") as f:
            return f.read()

    def stop(self):
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.process.wait()
        self.log.close()


@pytest.fixture
def plugin():
    if not os.path.isfile(STUDYSHARE_PLUGIN):
        pytest.fail("StudyShare plugin not built: " + STUDYSHARE_PLUGIN)
    assert not os.path.exists(typo_of(STUDYSHARE_PLUGIN))
    return STUDYSHARE_PLUGIN


def test_guard_check_refuses_an_orthanc_whose_plugin_path_is_mistyped(tmp_path, plugin):
    port = free_port()
    url = "http://127.0.0.1:%d" % port
    orthanc = Started([ORTHANC_BINARY, write_config(tmp_path, port, typo_of(plugin))], str(tmp_path / "orthanc.log"))
    try:
        wait_until_answering(url, orthanc.process)
        # The danger the guard exists for: Orthanc runs, open to anyone.
        assert requests.get(url + "/patients", timeout=10).status_code == 200
        guard = subprocess.run([GUARD, "--url", url, "--timeout", "20"], capture_output=True, text=True, timeout=60)
        assert guard.returncode == 1, guard.stderr
        assert "not loaded" in guard.stderr, guard.stderr
    finally:
        orthanc.stop()


def test_guard_wrapper_stops_orthanc_started_with_a_mistyped_plugin_path(tmp_path, plugin):
    port = free_port()
    config = write_config(tmp_path, port, typo_of(plugin))
    wrapper = Started([GUARD, "--url", "http://127.0.0.1:%d" % port, "--timeout", "30", "--", ORTHANC_BINARY, config],
                      str(tmp_path / "guard.log"))
    try:
        assert wrapper.process.wait(timeout=90) == 1, wrapper.text()
        assert "stopping Orthanc" in wrapper.text(), wrapper.text()
        assert not listening(port), "Orthanc still serves after the guard refused it"
    finally:
        wrapper.stop()


def test_guard_wrapper_lets_a_guarded_orthanc_run_and_passes_signals(tmp_path, plugin):
    port = free_port()
    url = "http://127.0.0.1:%d" % port
    config = write_config(tmp_path, port, plugin)
    wrapper = Started([GUARD, "--url", url, "--timeout", "30", "--", ORTHANC_BINARY, config],
                      str(tmp_path / "guard.log"))
    try:
        deadline = time.monotonic() + 60
        while "studyshare-guard: OK" not in wrapper.text():
            assert wrapper.process.poll() is None, wrapper.text()
            assert time.monotonic() < deadline, wrapper.text()
            time.sleep(0.2)
        health = requests.get(url + "/studyshare/health", timeout=10)
        assert health.status_code == 200 and health.json()["Gate"] == "active", health.text
        assert health.json()["Store"] == "ok"
        assert requests.get(url + "/patients", timeout=10).status_code in (401, 403)
        # A supervisor's SIGTERM reaches Orthanc, which stops cleanly.
        wrapper.process.send_signal(signal.SIGTERM)
        assert wrapper.process.wait(timeout=60) == 0, wrapper.text()
        assert not listening(port)
    finally:
        wrapper.stop()


def test_guard_check_accepts_the_guarded_orthanc(tmp_path, plugin):
    port = free_port()
    url = "http://127.0.0.1:%d" % port
    orthanc = Started([ORTHANC_BINARY, write_config(tmp_path, port, plugin)], str(tmp_path / "orthanc.log"))
    try:
        guard = subprocess.run([GUARD, "--url", url, "--timeout", "30"], capture_output=True, text=True, timeout=90)
        assert guard.returncode == 0, guard.stderr + orthanc.text()
        assert "studyshare-guard: OK" in guard.stderr
    finally:
        orthanc.stop()


# ---- The plugin itself refuses configurations it cannot work with (issue 14).

def start_with(tmp_path, change):
    """Orthanc with the plugin on a configuration changed by ``change(config)``."""
    port = free_port()
    path = write_config(tmp_path, port, STUDYSHARE_PLUGIN)
    with open(path) as f:
        config = json.load(f)
    change(config)
    with open(path, "w") as f:
        json.dump(config, f)
    return port, Started([ORTHANC_BINARY, path], str(tmp_path / "orthanc.log"))


def assert_refused(orthanc, port, *words):
    try:
        code = orthanc.process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        pytest.fail("Orthanc kept running:\n" + orthanc.text()[-3000:])
    assert code != 0, orthanc.text()[-3000:]
    assert not listening(port)
    log = orthanc.text()
    assert "StudyShare refuses to start" in log, log[-3000:]
    line = [l for l in log.splitlines() if "StudyShare refuses to start" in l][0]
    for word in words:
        assert word in line, line


def test_orthanc_stops_when_remote_access_would_turn_its_own_authentication_on(tmp_path, plugin):
    # Orthanc 1.10 turns its login on when AuthenticationEnabled is absent
    # and RemoteAccessAllowed is true: every share link would answer 401.
    def implied(config):
        config["RemoteAccessAllowed"] = True
        del config["AuthenticationEnabled"]
    port, orthanc = start_with(tmp_path, implied)
    try:
        assert_refused(orthanc, port, "RemoteAccessAllowed", '"AuthenticationEnabled": false')
    finally:
        orthanc.stop()


def test_orthanc_stops_when_its_authentication_is_enabled(tmp_path, plugin):
    port, orthanc = start_with(tmp_path, lambda config: config.update(AuthenticationEnabled=True))
    try:
        assert_refused(orthanc, port, "'AuthenticationEnabled' to false")
    finally:
        orthanc.stop()


def test_remote_access_with_authentication_disabled_runs_the_gate(tmp_path, plugin):
    port, orthanc = start_with(tmp_path, lambda config: config.update(RemoteAccessAllowed=True))
    url = "http://127.0.0.1:%d" % port
    try:
        wait_until_answering(url, orthanc.process)
        health = requests.get(url + "/studyshare/health", timeout=10)
        assert health.status_code == 200 and health.json()["Gate"] == "active", health.text
        assert requests.get(url + "/patients", timeout=10).status_code in (401, 403)
    finally:
        orthanc.stop()


@pytest.mark.parametrize("name", ["Studyshare", "StudyShares", "StudyShar"])
def test_orthanc_stops_on_a_misspelt_studyshare_section(tmp_path, plugin, name):
    def misspell(config):
        config[name] = config.pop("StudyShare")
    port, orthanc = start_with(tmp_path, misspell)
    try:
        assert_refused(orthanc, port, "'%s'" % name, "'StudyShare'")
    finally:
        orthanc.stop()
