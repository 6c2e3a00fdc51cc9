# SPDX-License-Identifier: GPL-3.0-or-later
"""Faults injected on purpose into a running Orthanc's SQLite share store.

The store lives on a small tmpfs the test mounts (it runs as root) and
unmounts, so the disk can really be filled. Each fault must end in a clean
refusal (a 503 JSON answer from the API and the recipients' routes, a 403
from the gate, the cause in the log), Orthanc still serving staff, nothing
that was stored lost, and recovery without a restart once the fault ends.

Read-only is injected the way it happens to an open file: the file system
turns read-only under it (ext4's reaction to an error, triggered through
sysfs on a loop-mounted ext2 image). A permission change would do nothing to
a file already open, and root ignores it anyway. The kernel lifts that state
only by unmounting, so recovery there is a restart after a remount.
"""

import contextlib
import errno
import os
import shutil
import sqlite3
import subprocess
import tempfile
import time

import pytest
import requests

from conftest import Env, launch_with_studies, make_orthanc, sharer_hashes, studyshare_section

STORE_DISK_BYTES = 4 * 1024 * 1024
BOUNDED_WAIT = 30  # seconds a refused request may take at most


@pytest.fixture(scope="module")
def store_disk():
    folder = tempfile.mkdtemp(prefix="studyshare-store-disk-")
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=%d,mode=0700" % STORE_DISK_BYTES,
                    "studyshare-test", folder], check=True)
    try:
        yield folder
    finally:
        subprocess.run(["umount", folder], check=True)
        os.rmdir(folder)


@pytest.fixture(scope="module")
def faulty(fixture_files, store_disk):
    _, users = sharer_hashes()
    section = studyshare_section(os.path.join(store_disk, "shares.db"), users)
    section["ShareCacheMilliseconds"] = 0  # every request reads the store itself
    orthanc = launch_with_studies(make_orthanc({"StudyShare": section}), fixture_files)
    try:
        e = Env(orthanc, fixture_files[1], {})
        e.load_ids()
        e.store_path = section["Store"]["Path"]
        yield e
    finally:
        orthanc.cleanup()


def create_share(env):
    body = {"Resources": [{"Level": "Study", "OrthancId": env.study("A")["id"]}], "ValidityDuration": 3600}
    started = time.monotonic()
    r = env.create_share_raw(body)
    assert time.monotonic() - started < BOUNDED_WAIT
    return r


def open_share(env, token):
    started = time.monotonic()
    r = env.request("POST", "/share/api/open", json={"Token": token})
    assert time.monotonic() - started < BOUNDED_WAIT
    return r


def assert_store_refusal(r):
    assert r.status_code == 503, (r.status_code, r.text)
    assert r.json()["Error"] == "store-unavailable"


def assert_orthanc_serves_staff(env):
    assert env.orthanc.running
    assert env.admin_get("/system").status_code == 200
    assert env.admin_get("/studies/" + env.study("A")["id"]).status_code == 200


def study_a(env, token):
    return env.get("/studies/" + env.study("A")["id"], token=token)


def share_ids(env):
    return {s["ID"] for s in env.list_shares()}


def backup(source, target):
    """A consistent copy through SQLite's backup API (the WAL included)."""
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


def test_deleted_store_refuses_until_a_backup_is_put_back(faulty, tmp_path):
    before = create_share(faulty).json()
    assert study_a(faulty, before["Token"]).status_code == 200
    saved = str(tmp_path / "backup.db")
    backup(faulty.store_path, saved)

    os.remove(faulty.store_path)
    assert_store_refusal(create_share(faulty))
    assert_store_refusal(open_share(faulty, before["Token"]))
    assert study_a(faulty, before["Token"]).status_code == 403
    assert "was deleted or moved while in use" in faulty.orthanc.log_tail(200)
    assert not os.path.exists(faulty.store_path)  # no empty store made in its place
    assert_orthanc_serves_staff(faulty)

    shutil.move(saved, faulty.store_path)
    assert study_a(faulty, before["Token"]).status_code == 200
    after = create_share(faulty)
    assert after.status_code == 201, after.text
    faulty.orthanc.restart()
    assert {before["ID"], after.json()["ID"]} <= share_ids(faulty)


def test_store_moved_away_and_back_keeps_everything(faulty):
    share = create_share(faulty).json()
    moved = faulty.store_path + ".moved"
    os.rename(faulty.store_path, moved)
    try:
        assert_store_refusal(create_share(faulty))
        assert_store_refusal(open_share(faulty, share["Token"]))
        assert study_a(faulty, share["Token"]).status_code == 403
        assert requests.get(faulty.url + "/share/", timeout=30).status_code == 200  # public pages still load
    finally:
        os.rename(moved, faulty.store_path)
    assert share["Token"] not in faulty.orthanc.log_text()
    assert study_a(faulty, share["Token"]).status_code == 200
    assert open_share(faulty, share["Token"]).status_code == 200
    assert share["ID"] in share_ids(faulty)


def test_store_locked_by_another_process_refuses_writes_in_bounded_time(faulty):
    share = create_share(faulty).json()
    before = share_ids(faulty)
    holder = subprocess.Popen(
        ["/usr/bin/python3", "-c",
         "import sqlite3, sys\n"
         "db = sqlite3.connect(sys.argv[1], timeout=0, isolation_level=None)\n"
         "db.execute('BEGIN EXCLUSIVE')\n"
         "print('locked', flush=True)\n"
         "sys.stdin.read()\n", faulty.store_path],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        assert_store_refusal(create_share(faulty))
        assert_store_refusal(open_share(faulty, share["Token"]))
        assert "database is locked" in faulty.orthanc.log_tail(200)
        # Readers are not blocked by a writer in WAL mode.
        assert study_a(faulty, share["Token"]).status_code == 200
        assert_orthanc_serves_staff(faulty)
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)
    after = create_share(faulty)
    assert after.status_code == 201, after.text
    assert open_share(faulty, share["Token"]).status_code == 200
    assert before | {after.json()["ID"]} == share_ids(faulty)


def fill(folder):
    """Writes a file until the file system is full; returns its path."""
    path = os.path.join(folder, "filler")
    chunk = b"\0" * 65536
    with open(path, "wb") as f:
        try:
            while True:
                f.write(chunk)
                f.flush()
        except OSError as e:
            assert e.errno == errno.ENOSPC, e
    return path


def test_full_disk_refuses_and_loses_nothing(faulty, store_disk):
    share = create_share(faulty).json()
    stored = share_ids(faulty)
    filler = fill(store_disk)
    try:
        refused = 0
        for _ in range(500):  # a WAL can still have room: write until it has none
            r = create_share(faulty)
            if r.status_code == 201:
                stored.add(r.json()["ID"])
                continue
            assert_store_refusal(r)
            refused += 1
            break
        assert refused == 1, "the full disk never refused a share"
        assert "database or disk is full" in faulty.orthanc.log_tail(200)
        assert study_a(faulty, share["Token"]).status_code in (200, 403)
        assert_orthanc_serves_staff(faulty)
    finally:
        os.remove(filler)
    after = create_share(faulty)
    assert after.status_code == 201, after.text
    assert open_share(faulty, share["Token"]).status_code == 200
    stored.add(after.json()["ID"])
    faulty.orthanc.restart()
    assert share_ids(faulty) == stored


@contextlib.contextmanager
def loop_disk(megabytes=16):
    """An ext2 image mounted on a new folder with errors=remount-ro; yields
    (folder, remount) where remount() unmounts and mounts it again."""
    folder = tempfile.mkdtemp(prefix="studyshare-loop-disk-")
    image = folder + ".img"

    def mount():
        subprocess.run(["mount", "-o", "loop,errors=remount-ro", image, folder], check=True)

    def unmount():
        subprocess.run(["umount", folder], check=True)

    def remount():
        unmount()
        mount()

    try:
        subprocess.run(["truncate", "-s", "%dM" % megabytes, image], check=True)
        subprocess.run(["mkfs.ext2", "-q", "-F", image], check=True, stdout=subprocess.DEVNULL)
        mount()
        try:
            yield folder, remount
        finally:
            unmount()
    finally:
        os.rmdir(folder)
        if os.path.exists(image):
            os.remove(image)


def turn_read_only(folder):
    device = subprocess.run(["findmnt", "-n", "-o", "SOURCE", folder], check=True,
                            stdout=subprocess.PIPE, text=True).stdout.strip()
    with open("/sys/fs/ext4/%s/trigger_fs_error" % os.path.basename(device), "w") as f:
        f.write("StudyShare test: the share store's file system turns read-only")


def test_file_system_turned_read_only_refuses_and_loses_nothing(fixture_files):
    with loop_disk() as (folder, remount):
        _, users = sharer_hashes()
        section = studyshare_section(os.path.join(folder, "shares.db"), users)
        section["ShareCacheMilliseconds"] = 0
        orthanc = launch_with_studies(make_orthanc({"StudyShare": section}), fixture_files)
        try:
            e = Env(orthanc, fixture_files[1], {})
            e.load_ids()
            share = create_share(e).json()
            stored = share_ids(e)
            turn_read_only(folder)
            assert_store_refusal(create_share(e))
            assert_store_refusal(open_share(e, share["Token"]))
            assert study_a(e, share["Token"]).status_code == 200  # reading goes on
            assert "share store unavailable" in orthanc.log_tail(200)
            assert_orthanc_serves_staff(e)
            orthanc.stop()
            remount()
            orthanc.start()
            assert share_ids(e) == stored
            assert open_share(e, share["Token"]).status_code == 200
            assert create_share(e).status_code == 201
        finally:
            orthanc.cleanup()
