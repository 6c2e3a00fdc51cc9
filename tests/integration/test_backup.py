# SPDX-License-Identifier: GPL-3.0-or-later
"""studyshare backup (issue 14): a consistent copy of the SQLite store taken
while a real Orthanc with the plugin runs and writes, that a new Orthanc
then opens with every share."""

import os
import sqlite3
import subprocess
import threading

import pytest

from conftest import REPO, launch_with_studies, make_orthanc, studyshare_section

CLI = os.environ.get("STUDYSHARE_CLI", os.path.join(REPO, "build", "src", "cli", "studyshare"))


def backup(*args):
    if not os.access(CLI, os.X_OK):
        pytest.fail("studyshare CLI not built: " + CLI)
    return subprocess.run([CLI, "backup", *args], capture_output=True, text=True, timeout=120)


def store_path(env):
    return env.orthanc.extra_config["StudyShare"]["Store"]["Path"]


def test_backup_while_orthanc_writes_holds_every_share_and_reopens(env, tmp_path, fixture_files):
    before = [env.create_share("A", Note="backup %d" % i)["ID"] for i in range(14)]
    # A plain copy of the file alone misses what still sits in the -wal file.
    assert os.path.exists(store_path(env) + "-wal")

    stop = threading.Event()
    busy = threading.Event()
    written = []
    failures = []

    def keep_writing():
        while not stop.is_set():
            r = env.create_share_raw({"Resources": [{"Level": "Study", "OrthancId": env.study("B")["id"]}],
                                      "Note": "during the backup"})
            (written if r.status_code == 201 else failures).append(r.json().get("ID", r.text))
            if len(written) >= 3 or failures:
                busy.set()

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        assert busy.wait(timeout=60), "the writer is busy before the backup starts"
        target = str(tmp_path / "backup.db")
        r = backup("--store", store_path(env), "--to", target)
        during = len(written)
    finally:
        stop.set()
        writer.join()
    assert not failures, failures
    assert r.returncode == 0, r.stderr
    assert "backed up" in r.stdout and target in r.stdout, r.stdout
    assert during >= 3, "Orthanc was writing when the backup ran"

    # One self-contained, sound file.
    assert not os.path.exists(target + "-wal")
    with sqlite3.connect(target) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        ids = {row[0] for row in db.execute("SELECT id FROM shares")}
        shares = len(ids)
    assert set(before) <= ids
    assert "backed up %d shares" % shares in r.stdout, r.stdout

    # Restore: a new Orthanc on the copy lists the shares, and their links work.
    config = {"StudyShare": studyshare_section(target, {})}
    restored = launch_with_studies(make_orthanc(config), fixture_files)
    try:
        listed = restored.session.get(restored.url + "/studyshare/shares", timeout=30)
        assert listed.status_code == 200, listed.text
        assert set(before) <= {s["ID"] for s in listed.json()}
    finally:
        restored.cleanup()


def test_backup_refuses_to_overwrite_without_force(env, tmp_path):
    target = tmp_path / "kept.db"
    target.write_bytes(b"an older backup")
    r = backup("--store", store_path(env), "--to", str(target))
    assert r.returncode == 1
    assert "exists" in r.stderr and "--force" in r.stderr, r.stderr
    assert target.read_bytes() == b"an older backup"

    r = backup("--store", store_path(env), "--to", str(target), "--force")
    assert r.returncode == 0, r.stderr
    with sqlite3.connect(str(target)) as db:
        assert db.execute("SELECT COUNT(*) FROM shares").fetchone()[0] > 0


@pytest.mark.parametrize("case", ["missing store", "not a store", "no such folder", "usage"])
def test_backup_errors_are_clear_and_leave_nothing(env, tmp_path, case):
    target = tmp_path / "out" / "b.db" if case == "no such folder" else tmp_path / "b.db"
    if case == "missing store":
        r = backup("--store", str(tmp_path / "none.db"), "--to", str(target))
        expected = "no SQLite store at"
    elif case == "not a store":
        other = tmp_path / "other.db"
        sqlite3.connect(str(other)).execute("CREATE TABLE t (x)").connection.commit()
        r = backup("--store", str(other), "--to", str(target))
        expected = "not a StudyShare store"
    elif case == "no such folder":
        r = backup("--store", store_path(env), "--to", str(target))
        expected = "no folder"
    else:
        r = backup("--store", store_path(env))
        expected = "--to"
    assert r.returncode in (1, 2) and r.returncode != 0
    assert expected in r.stderr, r.stderr
    assert not target.exists()
    assert not [p for p in tmp_path.iterdir() if ".partial-" in p.name]
