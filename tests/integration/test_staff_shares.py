# SPDX-License-Identifier: GPL-3.0-or-later
"""What staff read and change on a share through the admin API and the CLI
(issue 14): Uses counts every successful open; a share locked by wrong answers
says so ("State": "locked", "LockedUntil") until someone who may revoke it
unlocks it (POST /studyshare/shares/{id}/unlock, audited); a new access code
(POST /studyshare/shares/{id}/access-code) replaces the old one; the
server's DefaultValidityDuration is what the CLI proposes, while the API
keeps "absent means never"; `hash-password` on a terminal prompts without
echo; e-mails name the sender by its display name and give times in the
site's time zone, named in the text."""

import datetime
import json
import os
import pty
import re
import select
import signal
import subprocess
import time

import pytest
import requests

from conftest import REPO, SECRET, SHARER_USERS, STUDYSHARE_PLUGIN, argon2id_hash, launch_with_studies
from orthanc_harness import DICOMWEB_PLUGIN, WEBVIEWER_PLUGIN, OrthancProcess
from test_email import FROM, SmtpServer, bodies

CLI = os.environ.get("STUDYSHARE_CLI", os.path.join(REPO, "build", "src", "cli", "studyshare"))
MAX_FAILED_ATTEMPTS = 5  # the default: the env fixture does not set it


def open_share(env, **body):
    return requests.post(env.url + "/share/api/open", json=body, timeout=60)


def describe(env, share_id, auth=None):
    r = requests.get(env.url + "/studyshare/shares/" + share_id, auth=auth or env.admin_auth, timeout=60)
    assert r.status_code == 200, r.text
    return r.json()


def post(env, path, auth=None):
    return requests.post(env.url + path, auth=auth or env.admin_auth, timeout=60)


def events(env, share_id):
    r = requests.get(env.url + "/studyshare/shares/%s/audit" % share_id, auth=env.admin_auth, timeout=60)
    assert r.status_code == 200, r.text
    return r.json()


def run_cli(env, *args, stdin=None):
    if not os.access(CLI, os.X_OK):
        pytest.fail("studyshare CLI not built: %s" % CLI)
    child_env = {k: v for k, v in os.environ.items() if not k.startswith("STUDYSHARE_")}
    child_env.update({"NO_COLOR": "1", "STUDYSHARE_URL": env.url, "STUDYSHARE_USER": env.admin_auth[0],
                      "STUDYSHARE_PASSWORD": env.admin_auth[1]})
    return subprocess.run([CLI] + list(args), input=stdin, capture_output=True, text=True, env=child_env,
                          timeout=120)


# -------------------------------------------------------------------- Uses

def test_uses_count_every_successful_open_of_a_share_without_a_limit(env):
    share = env.create_share("A")
    assert describe(env, share["ID"])["Uses"] == 0
    for _ in range(3):
        assert open_share(env, Token=share["Token"]).status_code == 200
    assert describe(env, share["ID"])["Uses"] == 3
    listed = [s for s in env.list_shares() if s["ID"] == share["ID"]]
    assert listed[0]["Uses"] == 3 and listed[0]["MaxUses"] is None

    shown = run_cli(env, "show", share["ID"])
    assert shown.returncode == 0, shown.stderr
    assert re.search(r"^Uses:\s+3$", shown.stdout, re.M), shown.stdout


def test_failed_answers_do_not_count_as_uses(env):
    share = env.create_share("A", Password="pw-right")
    assert open_share(env, Token=share["Token"], Password="pw-wrong").status_code == 401
    assert open_share(env, Token=share["Token"], Password="pw-right").status_code == 200
    assert describe(env, share["ID"])["Uses"] == 1


# -------------------------------------------------------------------- locked, unlock

def lock(env, share):
    for i in range(MAX_FAILED_ATTEMPTS):
        r = open_share(env, Token=share["Token"], Password="wrong-%d" % i)
        assert r.status_code in (401, 423), r.text
    assert open_share(env, Token=share["Token"], Password="right-pw").json()["Error"] == "locked"


def test_a_locked_share_says_so_until_when_and_unlock_opens_it_again(env):
    share = env.create_share("A", Password="right-pw")
    fresh = describe(env, share["ID"])
    assert fresh["State"] == "active" and fresh["LockedUntil"] is None
    before = datetime.datetime.now(datetime.timezone.utc)
    lock(env, share)

    locked = describe(env, share["ID"])
    assert locked["State"] == "locked"
    until = datetime.datetime.fromisoformat(locked["LockedUntil"].replace("Z", "+00:00"))
    # The default lockout window is 900 s, counted from the wrong answers just sent.
    assert before + datetime.timedelta(seconds=880) < until <= before + datetime.timedelta(seconds=960), until
    assert [s["State"] for s in env.list_shares() if s["ID"] == share["ID"]] == ["locked"]

    r = post(env, "/studyshare/shares/%s/unlock" % share["ID"])
    assert r.status_code == 200, r.text
    assert r.json()["State"] == "active" and r.json()["LockedUntil"] is None
    unlock = [e for e in events(env, share["ID"]) if e["Event"] == "unlock"]
    assert len(unlock) == 1 and unlock[0]["Actor"] == "admin" and unlock[0]["Outcome"] == "success"
    assert open_share(env, Token=share["Token"], Password="right-pw").status_code == 200


def test_only_who_may_revoke_a_share_may_unlock_it(env):
    alice = ("alice", SHARER_USERS["alice"])
    bob = ("bob", SHARER_USERS["bob"])
    share = env.create_share("A", auth=alice, Password="right-pw")
    lock(env, share)
    assert post(env, "/studyshare/shares/%s/unlock" % share["ID"], auth=bob).status_code == 404
    assert requests.post(env.url + "/studyshare/shares/%s/unlock" % share["ID"], timeout=60).status_code in (401, 403)
    assert post(env, "/studyshare/shares/nope/unlock").status_code == 404
    assert requests.get(env.url + "/studyshare/shares/%s/unlock" % share["ID"], auth=env.admin_auth,
                        timeout=60).status_code == 405
    assert describe(env, share["ID"])["State"] == "locked"
    r = post(env, "/studyshare/shares/%s/unlock" % share["ID"], auth=alice)
    assert r.status_code == 200 and r.json()["State"] == "active", r.text


# -------------------------------------------------------------------- link again, new access code

def test_the_link_can_be_fetched_again_and_the_access_code_replaced(env):
    share = env.create_share("A", AccessCode=True)
    again = describe(env, share["ID"])
    assert again["Url"] == share["Url"] and "AccessCode" not in again
    old = share["AccessCode"]

    r = post(env, "/studyshare/shares/%s/access-code" % share["ID"])
    assert r.status_code == 200, r.text
    new = r.json()["AccessCode"]
    assert re.fullmatch(r"[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{5}", new) and new != old
    assert open_share(env, AccessCode=old).status_code == 404
    assert open_share(env, AccessCode=new).status_code == 200
    assert "AccessCode" not in describe(env, share["ID"])
    assert [e["Actor"] for e in events(env, share["ID"]) if e["Event"] == "access-code"] == ["admin"]

    bob = ("bob", SHARER_USERS["bob"])
    assert post(env, "/studyshare/shares/%s/access-code" % share["ID"], auth=bob).status_code == 404
    without = env.create_share("A")
    r = post(env, "/studyshare/shares/%s/access-code" % without["ID"])
    assert r.status_code == 400 and "no access code" in r.json()["Message"], r.text


def test_shares_carry_the_accession_number(env):
    share = env.create_share("C")
    assert describe(env, share["ID"])["Studies"][0]["AccessionNumber"] == "ACC-C-0001"


# -------------------------------------------------------------------- DefaultValidityDuration

def test_the_cli_uses_the_default_validity_and_the_api_keeps_absent_as_never(env):
    me = requests.get(env.url + "/studyshare/api/me", auth=env.admin_auth, timeout=60).json()
    assert me["DefaultValidityDuration"] == 30 * 86400  # the default, within the env's 30-day maximum
    assert me["EmailEnabled"] is False

    made = run_cli(env, "--json", "create", "--study", env.study("A")["id"])
    assert made.returncode == 0, made.stderr
    share = json.loads(made.stdout)
    left = datetime.datetime.fromisoformat(share["ExpirationDate"].replace("Z", "+00:00")) - \
        datetime.datetime.now(datetime.timezone.utc)
    assert datetime.timedelta(days=30, minutes=-5) < left <= datetime.timedelta(days=30), left

    never = run_cli(env, "--json", "create", "--study", env.study("A")["id"], "--days", "0")
    assert never.returncode == 0, never.stderr
    assert json.loads(never.stdout)["ExpirationDate"] is None

    r = env.create_share_raw({"Resources": [{"Level": "Study", "OrthancId": env.study("A")["id"]}]})
    assert r.status_code == 201 and r.json()["ExpirationDate"] is None, r.text


def test_limit_errors_speak_in_days(env):
    r = env.create_share_raw({"Resources": [{"Level": "Study", "OrthancId": env.study("A")["id"]}],
                              "ValidityDuration": 90 * 86400})
    assert r.status_code == 400
    assert "at most 30 days" in r.json()["Message"] and "90 days asked" in r.json()["Message"], r.text
    assert "seconds" not in r.json()["Message"]


def test_a_default_validity_beyond_the_maximum_stops_orthanc(tmp_path):
    config = {"StudyShare": {"Secret": SECRET, "Store": {"Type": "sqlite", "Path": str(tmp_path / "s.db")},
                             "MaxValidityDuration": 86400, "DefaultValidityDuration": 7 * 86400}}
    orthanc = OrthancProcess(plugins=[STUDYSHARE_PLUGIN], extra_config=config, start=False)
    try:
        with pytest.raises(Exception):
            orthanc.start()
        assert "DefaultValidityDuration" in orthanc.log_text()
    finally:
        orthanc.cleanup()


# -------------------------------------------------------------------- hash-password on a terminal

def test_hash_password_on_a_terminal_prompts_twice_without_echo():
    if not os.access(CLI, os.X_OK):
        pytest.fail("studyshare CLI not built: %s" % CLI)
    pid, fd = pty.fork()
    if pid == 0:
        os.execv(CLI, [CLI, "hash-password"])
    seen = b""

    def read_until(pattern, timeout=20):
        nonlocal seen
        deadline = time.monotonic() + timeout
        while not re.search(pattern, seen):
            ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                raise AssertionError("no %r in %r" % (pattern, seen))
            try:
                chunk = os.read(fd, 1024)
            except OSError:
                chunk = b""
            if not chunk:
                raise AssertionError("the CLI ended before %r: %r" % (pattern, seen))
            seen += chunk

    try:
        read_until(rb"Password: ")
        os.write(fd, b"Terminal-Secret-77\n")
        read_until(rb"again: ")
        os.write(fd, b"Terminal-Secret-77\n")
        read_until(rb"\$argon2id\$[^\r\n]+")
    except BaseException:
        os.kill(pid, signal.SIGKILL)  # it may still wait for input: never hang the suite
        raise
    finally:
        _, status = os.waitpid(pid, 0)
        os.close(fd)
    assert os.waitstatus_to_exitcode(status) == 0
    assert b"Terminal-Secret-77" not in seen, "the password was echoed: %r" % seen


def test_hash_password_still_reads_a_pipe():
    r = subprocess.run([CLI, "hash-password"], input="piped-pw\n", capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and r.stdout.startswith("$argon2id$"), r.stderr
    assert "Password:" not in r.stderr


# -------------------------------------------------------------------- e-mail sender and time zone

@pytest.fixture(scope="module")
def mail_orthanc(tmp_path_factory, fixture_files):
    smtp = SmtpServer(tmp_path_factory.mktemp("smtp-staff")).start()
    store = tmp_path_factory.mktemp("studyshare-staff-mail")
    config = {"StudyShare": {
        "Secret": SECRET,
        "Store": {"Type": "sqlite", "Path": str(store / "shares.db")},
        "Smtp": {"Url": "smtp://127.0.0.1:%d" % smtp.port, "From": FROM, "TimeoutSeconds": 5},
        "Email": {"SenderName": "Radiology, Example Hospital", "TimeZone": "America/New_York"},
        "Users": {"carol": {"PasswordHash": argon2id_hash("carol-pw-3"), "Role": "sharer",
                            "DisplayName": "Dr Carol Example"}},
    }}
    orthanc = OrthancProcess(plugins=[DICOMWEB_PLUGIN, WEBVIEWER_PLUGIN, STUDYSHARE_PLUGIN],
                             extra_config=config, start=False)
    orthanc.extra_config["StudyShare"]["PublicUrl"] = orthanc.url
    try:
        launch_with_studies(orthanc, fixture_files)
        uid = fixture_files[1]["Studies"][0]["StudyInstanceUID"]
        orthanc.study_id = [m["ID"] for m in orthanc.api("POST", "/tools/lookup", data=uid).json()
                            if m["Type"] == "Study"][0]
        yield orthanc, smtp
    finally:
        orthanc.cleanup()
        smtp.stop()


def send(orthanc, to, auth, **fields):
    body = {"Resources": [{"Level": "Study", "OrthancId": orthanc.study_id}],
            "ExpirationDate": "2027-07-01T16:00:00Z", "Recipient": {"Email": to}}
    body.update(fields)
    r = requests.post(orthanc.url + "/studyshare/shares", json=body, auth=auth, timeout=60)
    assert r.status_code == 201 and r.json()["Email"]["Sent"] is True, r.text


def test_emails_name_the_sender_and_give_times_in_the_site_zone(mail_orthanc):
    orthanc, smtp = mail_orthanc
    send(orthanc, "by.carol@example.com", ("carol", "carol-pw-3"))
    send(orthanc, "by.admin@example.com", orthanc.admin_auth)
    carol = smtp.wait_for(lambda m: "by.carol@example.com" in str(m["To"]))
    admin = smtp.wait_for(lambda m: "by.admin@example.com" in str(m["To"]))
    assert carol and admin
    text, _ = bodies(carol[0])
    assert "Dr Carol Example has shared medical images" in text, text
    # 16:00 UTC on 1 July is 12:00 in New York (daylight saving time, UTC-04:00).
    assert "1 July 2027, 12:00 (America/New_York, UTC-04:00)" in text, text
    text, _ = bodies(admin[0])
    assert "Radiology, Example Hospital has shared medical images" in text, text


def test_an_unknown_time_zone_stops_orthanc(tmp_path):
    config = {"StudyShare": {"Secret": SECRET, "Store": {"Type": "sqlite", "Path": str(tmp_path / "s.db")},
                             "Email": {"TimeZone": "Europe/Atlantis"}}}
    orthanc = OrthancProcess(plugins=[STUDYSHARE_PLUGIN], extra_config=config, start=False)
    try:
        with pytest.raises(Exception):
            orthanc.start()
        assert "Europe/Atlantis" in orthanc.log_text()
    finally:
        orthanc.cleanup()
