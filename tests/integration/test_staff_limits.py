# SPDX-License-Identifier: GPL-3.0-or-later
"""Staff sign-in limits on an Orthanc of their own (issue 12, items 4 and 5):
HTTP Basic is limited like the login page, per client address and per user,
even when the right password arrives inside a burst of wrong ones; and
parallel Basic requests naming a StudyShare user cannot make Orthanc take
gigabytes of Argon2id memory."""

import concurrent.futures

import pytest
import requests

from conftest import STUDYSHARE_PLUGIN, argon2id_hash
from orthanc_harness import DICOMWEB_PLUGIN, OrthancProcess

SECRET = "staff-limits-secret-0123456789-abcdefghijklmnopqrs"
SAM = ("sam", "sam-pw-for-limits")


def peak_memory_kib(orthanc):
    with open("/proc/%d/status" % orthanc.process.pid) as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    raise AssertionError("no VmHWM in /proc status")


def checked_failures(orthanc):
    with open(orthanc.log_path, encoding="utf-8", errors="replace") as f:
        return sum(1 for line in f if "StudyShare: deny" in line and "bad-staff-credentials" in line)


@pytest.fixture()
def limited():
    sam_hash = argon2id_hash(SAM[1])
    if not sam_hash:
        raise AssertionError("no Argon2id hash for the test user: libsodium is missing")
    config = {"StudyShare": {"Secret": SECRET, "StaffFailuresPerClientPerMinute": 5,
                             "StaffFailuresPerUserPerMinute": 1000,
                             "Users": {SAM[0]: {"PasswordHash": sam_hash, "Role": "sharer"}}}}
    with OrthancProcess(plugins=[DICOMWEB_PLUGIN, STUDYSHARE_PLUGIN], extra_config=config) as orthanc:
        yield orthanc


@pytest.mark.parametrize("user", ["admin", "sam"])
def test_basic_is_limited_like_the_login_page(limited, user):
    password = limited.admin_auth[1] if user == "admin" else SAM[1]
    url = limited.url + "/system"
    # Wrong passwords in parallel: the limit holds under concurrency.
    with concurrent.futures.ThreadPoolExecutor(max_workers=20) as pool:
        answers = list(pool.map(lambda i: requests.get(url, auth=(user, "guess-%d" % i), timeout=60).status_code,
                                range(40)))
    assert all(code == 403 for code in answers), answers
    # At most the limit was checked (the others were refused before any hash;
    # one refused as busy checked nothing and is not held against the client).
    assert checked_failures(limited) <= 5
    for i in range(5):
        assert requests.get(url, auth=(user, "more-%d" % i), timeout=60).status_code == 403
    assert checked_failures(limited) <= 5
    # Now the right password is refused too, through HTTP Basic and through the login page.
    assert requests.get(url, auth=(user, password), timeout=60).status_code == 403
    r = requests.post(limited.url + "/studyshare/api/login", json={"Username": user, "Password": password},
                      timeout=60)
    assert r.status_code == 503 and r.json()["Error"] == "rate-limited", r.text
    assert "staff-rate-limited" in open(limited.log_path, encoding="utf-8", errors="replace").read()


def test_login_failures_count_for_basic_too(limited):
    for i in range(5):
        r = requests.post(limited.url + "/studyshare/api/login", json={"Username": "admin", "Password": "x%d" % i},
                          timeout=60)
        assert r.status_code == 401, r.text
    assert requests.get(limited.url + "/system", auth=limited.admin_auth, timeout=60).status_code == 403


def test_parallel_basic_requests_do_not_exhaust_memory(limited):
    url = limited.url + "/studyshare/shares"
    before = peak_memory_kib(limited)
    # Every request is the right password; none is cached yet when they all arrive.
    with concurrent.futures.ThreadPoolExecutor(max_workers=32) as pool:
        answers = list(pool.map(lambda _: requests.get(url, auth=SAM, timeout=120).status_code, range(32)))
    grown_mib = (peak_memory_kib(limited) - before) / 1024
    # 4 Argon2id hashes of 64 MiB at most run at once (an unbounded burst took 1.5 GB).
    assert grown_mib < 4 * 64 + 128, (grown_mib, answers)
    assert answers.count(200) >= 1, answers
    assert set(answers) <= {200, 403}, answers  # 403: refused as busy, nothing held against the user
    # The success is remembered: a script sending Basic on every request keeps working.
    for _ in range(20):
        assert requests.get(url, auth=SAM, timeout=60).status_code == 200
