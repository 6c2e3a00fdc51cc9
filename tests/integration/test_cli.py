# SPDX-License-Identifier: GPL-3.0-or-later
"""The `studyshare` command-line tool against the real Orthanc of the `env`
fixture: create (by Orthanc ID and by UID, human and JSON output, QR code),
list, show, revoke, audit, the offline commands, and bad arguments, wrong
credentials and unreachable servers (clear message, non-zero exit)."""

import ctypes
import datetime
import json
import os
import re
import subprocess

import pytest
import requests

from conftest import REPO, SHARER_USERS, _load_sodium
from orthanc_harness import free_port

CLI = os.environ.get("STUDYSHARE_CLI", os.path.join(REPO, "build", "src", "cli", "studyshare"))
ADMIN_PASSWORD = "admin-pw"
QR_CHARS = set("\u2588\u2580\u2584")
BIRTH_DATE_A = "19800215"  # patient SS-P1 in the fixtures


@pytest.fixture(scope="module")
def cli(env):
    if not os.access(CLI, os.X_OK):
        pytest.fail("studyshare CLI not built: %s (run cmake --build build)" % CLI)

    def run(*args, auth=True, stdin=None, extra_env=None):
        child_env = {k: v for k, v in os.environ.items() if not k.startswith("STUDYSHARE_")}
        child_env["NO_COLOR"] = "1"
        if auth:
            child_env.update({"STUDYSHARE_URL": env.url, "STUDYSHARE_USER": env.admin_auth[0],
                              "STUDYSHARE_PASSWORD": env.admin_auth[1]})
        child_env.update(extra_env or {})
        return subprocess.run([CLI] + list(args), input=stdin, capture_output=True, text=True,
                              env=child_env, timeout=120)
    return run


def ok(result):
    assert result.returncode == 0, (result.returncode, result.stdout, result.stderr)
    return result


def ok_json(result):
    return json.loads(ok(result).stdout)


def qr_lines(text):
    return [line for line in text.splitlines() if line.strip() and set(line) <= QR_CHARS | {" "}]


def open_share(env, body):
    return requests.post(env.url + "/share/api/open", json=body, timeout=60)


def server_share(env, share_id):
    r = env.admin_get("/studyshare/shares/" + share_id)
    assert r.status_code == 200, r.text
    return r.json()


# -- create -------------------------------------------------------------------

def test_create_by_orthanc_id_json(env, cli):
    share = ok_json(cli("--json", "create", "--study", env.study("A")["id"], "--days", "3"))
    assert share["ID"] and share["Token"] and share["Url"].startswith(env.url)
    stored = server_share(env, share["ID"])
    assert stored["State"] == "active" and stored["Permissions"] == ["View"]
    assert [s["OrthancId"] for s in stored["Studies"]] == [env.study("A")["id"]]
    expires = datetime.datetime.fromisoformat(stored["ExpirationDate"].replace("Z", "+00:00"))
    left = expires - datetime.datetime.now(datetime.timezone.utc)
    assert datetime.timedelta(days=3, minutes=-5) < left <= datetime.timedelta(days=3)
    # The token opens the study it names, and only that one.
    assert env.get("/studies/" + env.study("A")["id"], token=share["Token"]).status_code == 200
    assert env.get("/studies/" + env.study("C")["id"], token=share["Token"]).status_code == 403


def test_create_by_uid_with_options_and_json_after_the_command(env, cli):
    share = ok_json(cli("create", "--study", env.study("B")["uid"], "--days", "2", "--download",
                        "--note", "for Dr. Who", "--json"))
    stored = server_share(env, share["ID"])
    assert [s["OrthancId"] for s in stored["Studies"]] == [env.study("B")["id"]]
    assert stored["Permissions"] == ["View", "Download"]
    assert stored["Note"] == "for Dr. Who"
    assert env.get("/studies/" + env.study("B")["id"], token=share["Token"]).status_code == 200


def test_create_human_output_has_link_expiry_and_qr(env, cli):
    r = ok(cli("create", "--study", env.study("A")["id"], "--days", "7"))
    links = re.findall(r"^Link:\s+(\S+)$", r.stdout, re.M)
    assert len(links) == 1 and links[0].startswith(env.url + "/share/"), r.stdout
    assert re.search(r"^Expires:\s+in 7 days", r.stdout, re.M), r.stdout
    qr = qr_lines(r.stdout)
    assert len(qr) >= 10, r.stdout
    assert len({len(line) for line in qr}) == 1, "QR lines must all have the same width"
    modules = len(qr[0]) - 4  # a quiet zone of 2 modules on each side
    assert abs(2 * len(qr) - modules) <= 1, "half blocks: two rows of modules per line"
    # The link works.
    token = links[0].split("#token=", 1)[1]
    assert env.get("/studies/" + env.study("A")["id"], token=token).status_code == 200
    assert ADMIN_PASSWORD not in r.stdout + r.stderr


def test_create_with_code_password_birth_date_and_use_limit(env, cli):
    r = ok(cli("create", "--study", env.study("A")["id"], "--days", "1", "--code", "--max-uses", "2",
               "--password", "share-pw-Quokka", "--birth-date"))
    assert "share-pw-Quokka" not in r.stdout + r.stderr, "the CLI must never print a password"
    codes = re.findall(r"^Access code:\s+(\S+)$", r.stdout, re.M)
    assert len(codes) == 1, r.stdout
    # It names the page where the recipient types the code.
    assert re.search(r"^Typed at:\s+%s/share/ " % re.escape(env.url), r.stdout, re.M), r.stdout
    share_id = re.search(r"^Share (\S+) created", r.stdout, re.M).group(1)
    stored = server_share(env, share_id)
    assert stored["HasAccessCode"] and stored["HasPassword"] and stored["RequireBirthDate"]
    assert stored["MaxUses"] == 2
    # The recipient opens it with the code and both challenges.
    r = open_share(env, {"AccessCode": codes[0]})
    assert r.status_code != 200 and set(r.json().get("Challenges", [])) == {"Password", "BirthDate"}, r.text
    r = open_share(env, {"AccessCode": codes[0], "Password": "share-pw-Quokka", "BirthDate": BIRTH_DATE_A})
    assert r.status_code == 200, r.text
    assert [s["OrthancId"] for s in r.json()["Studies"]] == [env.study("A")["id"]]


def test_flags_override_environment(env, cli):
    share = ok_json(cli("--url", env.url, "--user", "admin", "--password", ADMIN_PASSWORD, "--json",
                        "create", "--study", env.study("C")["id"], "--days", "1", auth=False))
    assert server_share(env, share["ID"])["CreatedBy"] == "admin"


# -- list, show, revoke, audit ----------------------------------------------------

def test_list_show_revoke_audit(env, cli):
    share = ok_json(cli("--json", "create", "--study", env.study("C")["id"], "--days", "5"))
    share_id, token = share["ID"], share["Token"]

    listing = ok(cli("list"))
    header = listing.stdout.splitlines()[0]
    for column in ("ID", "STUDY / PATIENT", "CREATED BY", "CREATED", "EXPIRES", "USES", "STATE"):
        assert column in header, header
    row = [line for line in listing.stdout.splitlines() if line.startswith(share_id + " ")]
    assert len(row) == 1 and "ROE^RICHARD" in row[0] and "active" in row[0], listing.stdout

    as_json = ok_json(cli("--json", "list", "--study", env.study("C")["id"]))
    assert share_id in [s["ID"] for s in as_json]
    assert all(s["Studies"][0]["OrthancId"] == env.study("C")["id"] for s in as_json)
    by_uid = ok_json(cli("--json", "list", "--study", env.study("C")["uid"]))
    assert sorted(s["ID"] for s in by_uid) == sorted(s["ID"] for s in as_json)

    shown = ok(cli("show", share_id))
    assert re.search(r"^ID:\s+%s$" % re.escape(share_id), shown.stdout, re.M), shown.stdout
    assert re.search(r"^State:\s+active$", shown.stdout, re.M)
    assert re.search(r"^Expires:\s+in 5 days", shown.stdout, re.M)
    assert re.search(r"^Link:\s+%s" % re.escape(env.url + "/share/"), shown.stdout, re.M)
    assert len(qr_lines(shown.stdout)) >= 10
    assert ok_json(cli("--json", "show", share_id))["ID"] == share_id

    assert env.get("/studies/" + env.study("C")["id"], token=token).status_code == 200
    revoked = ok(cli("revoke", share_id))
    assert share_id in revoked.stdout and "revoked" in revoked.stdout
    assert env.get("/studies/" + env.study("C")["id"], token=token).status_code == 403
    assert open_share(env, {"Token": token}).json()["Error"] == "revoked"
    assert server_share(env, share_id)["State"] == "revoked"
    assert re.search(r"^State:\s+revoked$", ok(cli("show", share_id)).stdout, re.M)

    active = ok_json(cli("--json", "list", "--active"))
    assert share_id not in [s["ID"] for s in active]
    assert all(s["State"] == "active" for s in active)

    trail = ok(cli("audit", share_id))
    lines = trail.stdout.splitlines()
    assert lines[0].split()[:4] == ["TIME", "EVENT", "OUTCOME", "ACTOR"], trail.stdout
    events = [line.split()[2] for line in lines[1:]]  # TIME is "YYYY-MM-DD HH:MM"
    assert "create" in events and "revoke" in events, trail.stdout
    assert [e["Event"] for e in ok_json(cli("--json", "audit", share_id))].count("revoke") == 1


def test_sharer_sees_and_revokes_only_its_own_shares(env, cli):
    if not env.sharer_hashes.get("alice"):
        pytest.skip("no Argon2id hashing available for the sharer users")
    alice = {"STUDYSHARE_USER": "alice", "STUDYSHARE_PASSWORD": SHARER_USERS["alice"]}
    admin_share = ok_json(cli("--json", "create", "--study", env.study("A")["id"], "--days", "1"))
    own = ok_json(cli("--json", "create", "--study", env.study("C")["id"], "--days", "1", extra_env=alice))
    assert server_share(env, own["ID"])["CreatedBy"] == "alice"
    listed = ok_json(cli("--json", "list", extra_env=alice))
    assert own["ID"] in [s["ID"] for s in listed]
    assert {s["CreatedBy"] for s in listed} == {"alice"}
    r = cli("revoke", admin_share["ID"], extra_env=alice)
    assert r.returncode == 1 and "no share" in r.stderr, r.stderr
    assert server_share(env, admin_share["ID"])["State"] == "active"
    ok(cli("revoke", own["ID"], extra_env=alice))
    assert server_share(env, own["ID"])["State"] == "revoked"


def test_unknown_share_ids_are_server_errors(cli):
    r = cli("show", "no-such-share-000000000")
    assert r.returncode == 1 and "404" in r.stderr and "no share" in r.stderr, r.stderr
    # An ID that begins with '-' (base64url IDs may) is still taken as an ID.
    r = cli("revoke", "-AbCdEfGhIjKlMnOpQrStUv")
    assert r.returncode == 1 and "no share" in r.stderr, r.stderr
    r = cli("audit", "--", "-AbCdEfGhIjKlMnOpQrStUv")
    assert r.returncode == 1 and "no share" in r.stderr, r.stderr


# -- errors --------------------------------------------------------------------

@pytest.mark.parametrize("args, words", [
    ([], "subcommand"),
    (["frobnicate"], "frobnicate"),
    (["create"], "--study"),
    (["create", "--study", "X", "--days", "abc"], "abc"),
    (["create", "--study", "not an id!"], "neither"),
    (["create", "--study", "1.2.3", "--max-uses", "0"], "max-uses"),
    (["show"], "id"),
    (["list", "--bogus"], "--bogus"),
])
def test_usage_errors_exit_2(cli, args, words):
    r = cli(*args)
    assert r.returncode == 2, (r.returncode, r.stdout, r.stderr)
    assert r.stderr.startswith("studyshare: ") and words.lower() in r.stderr.lower(), r.stderr
    assert r.stdout == ""


def test_unknown_study_shows_the_server_message(env, cli):
    r = cli("create", "--study", "1.2.3.4.5.6.7.8.9")
    assert r.returncode == 1, r
    assert "400" in r.stderr and "no study with StudyInstanceUID 1.2.3.4.5.6.7.8.9" in r.stderr, r.stderr
    r = cli("create", "--study", "00000000-11111111-22222222-33333333-44444444")
    assert r.returncode == 1 and "no study with Orthanc ID" in r.stderr, r.stderr


def test_server_validation_message_is_shown(env, cli):
    r = cli("create", "--study", env.study("A")["id"], "--days", "365")  # over MaxValidityDuration
    assert r.returncode == 1 and "exceeds the maximum" in r.stderr, r.stderr


def test_wrong_password_is_refused_and_never_printed(env, cli):
    r = cli("--password", "Wrong-Pw-Platypus", "list")
    assert r.returncode == 1, r
    assert re.search(r"40[13]", r.stderr), r.stderr
    assert "Wrong-Pw-Platypus" not in r.stdout + r.stderr
    r = cli("list", auth=False, extra_env={"STUDYSHARE_URL": env.url})
    assert r.returncode == 1 and re.search(r"40[13]", r.stderr), r.stderr


def test_unreachable_server(cli):
    url = "http://127.0.0.1:%d" % free_port()
    r = cli("--url", url, "--password", "Secret-Pw-Wombat", "list")
    assert r.returncode == 1, r
    assert "cannot reach " + url in r.stderr, r.stderr
    assert "Secret-Pw-Wombat" not in r.stdout + r.stderr
    r = cli("--url", "ftp://example.org", "list")
    assert r.returncode == 2 and "http" in r.stderr, r.stderr


# -- offline commands ------------------------------------------------------------

def test_hash_password_output_verifies(cli):
    r = ok(cli("hash-password", auth=False, stdin="Hash-Me-Pangolin\n"))
    digest = r.stdout.strip()
    assert digest.startswith("$argon2id$") and "Hash-Me-Pangolin" not in r.stdout
    sodium = _load_sodium()
    if sodium is None:
        pytest.skip("libsodium not available to verify the hash")
    verify = lambda pw: sodium.crypto_pwhash_str_verify(  # noqa: E731
        ctypes.c_char_p(digest.encode()), pw.encode(), ctypes.c_ulonglong(len(pw.encode())))
    assert verify("Hash-Me-Pangolin") == 0
    assert verify("hash-me-pangolin") != 0
    r = cli("hash-password", auth=False, stdin="")
    assert r.returncode == 2 and "standard input" in r.stderr


def test_gen_key(cli):
    secret = ok(cli("gen-key", auth=False)).stdout.strip()
    assert re.fullmatch(r"[A-Za-z0-9_-]{64}", secret), secret
    assert ok(cli("gen-key", auth=False)).stdout.strip() != secret
    pem = ok(cli("gen-key", "--eddsa", auth=False)).stdout
    assert pem.startswith("-----BEGIN PRIVATE KEY-----") and pem.rstrip().endswith("-----END PRIVATE KEY-----")
