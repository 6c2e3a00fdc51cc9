# SPDX-License-Identifier: GPL-3.0-or-later
"""studyshare-service started as the Python service's replacement, with
only its environment (SECRET_KEY, USERS): no --config, no --store.  The
store goes to $STATE_DIRECTORY (systemd's StateDirectory=), created 0700
when missing; a folder that cannot be made is a clear error, not SQLite's."""

import os
import stat

from service_harness import CALLER_USERS, SECRET, Client, ServiceProcess, new_study


def environment(state):
    return {"SECRET_KEY": SECRET, "USERS": CALLER_USERS, "STATE_DIRECTORY": state}


def test_only_the_environment_puts_the_store_in_the_state_directory(tmp_path):
    state = tmp_path / "var-lib-studyshare"
    with ServiceProcess(settings=environment(str(state)), store=False) as svc:
        assert stat.S_IMODE(os.stat(state).st_mode) == 0o700
        assert Client(svc).token("viewer-instant-link", [new_study()])
        assert (state / "studyshare.db").is_file()
        assert str(state / "studyshare.db") in svc.log_text()


def test_a_state_directory_that_cannot_be_made_is_named(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    svc = ServiceProcess(settings=environment(str(blocker / "state")), store=False, start=False)
    try:
        svc.spawn()
        assert svc.wait_exit() == 2
        log = svc.log_text()
        assert str(blocker) in log and "STATE_DIRECTORY" in log, log
        assert "SQLite" not in log, log
    finally:
        svc.cleanup()
