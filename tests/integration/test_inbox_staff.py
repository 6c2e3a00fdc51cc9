# SPDX-License-Identifier: GPL-3.0-or-later
"""The staff side of inbox links against the real Orthanc of the `env` fixture:
`studyshare inbox create` (options, human and JSON output, bad input), how
`list`, `show` and `revoke` show inboxes, and Orthanc Explorer 2's
`PUT /auth/tokens/inbox-link` with the body its createToken sends."""

import base64
import json
import os
import subprocess

import pytest
import requests

from conftest import REPO, SHARER_USERS
from inbox_files import create_inbox, fixture_file, make_study, open_session, staff_view, upload

CLI = os.environ.get("STUDYSHARE_CLI", os.path.join(REPO, "build", "src", "cli", "studyshare"))
QR_CHARS = set("\u2588\u2580\u2584")


@pytest.fixture(scope="module")
def template(fixture_files):
    return fixture_file(fixture_files[0])


@pytest.fixture(scope="module")
def cli(env):
    if not os.access(CLI, os.X_OK):
        pytest.fail("studyshare CLI not built: %s (run cmake --build build)" % CLI)

    def run(*args):
        child_env = {k: v for k, v in os.environ.items() if not k.startswith("STUDYSHARE_")}
        child_env.update({"NO_COLOR": "1", "STUDYSHARE_URL": env.url, "STUDYSHARE_USER": env.admin_auth[0],
                          "STUDYSHARE_PASSWORD": env.admin_auth[1]})
        return subprocess.run([CLI] + list(args), capture_output=True, text=True, env=child_env, timeout=120)
    return run


def ok(result):
    assert result.returncode == 0, (result.returncode, result.stdout, result.stderr)
    return result


def uploaded_inbox(env, template, count=2, **fields):
    inbox = create_inbox(env, **fields)
    session = open_session(env, inbox["Token"])["SessionToken"]
    for data in make_study(template, count, description="PRIORS FROM CD"):
        r = upload(env, session, data)
        assert r.status_code == 200 and r.json()["Accepted"] == 1, r.text
    return inbox, session


# ------------------------------------------------------------------ studyshare inbox create

def test_cli_creates_an_inbox_with_every_option(env, cli):
    answer = json.loads(ok(cli("--json", "inbox", "create", "--days", "3", "--recipient", "Dr Who",
                               "--email", "who@example.org", "--note", "priors from St Mary's",
                               "--password", "s3cret-pw", "--code", "--max-uses", "4",
                               "--max-upload-bytes", "2G", "--max-file-bytes", "64MiB", "--max-files", "500")).stdout)
    stored = staff_view(env, answer["ID"])
    assert stored["Kind"] == "Inbox" and stored["Studies"] == []
    assert (stored["MaxUploadBytes"], stored["MaxFileBytes"], stored["MaxFiles"]) == (2 << 30, 64 << 20, 500)
    assert stored["Recipient"] == {"Name": "Dr Who", "Email": "who@example.org"}
    assert stored["Note"] == "priors from St Mary's"
    assert stored["HasPassword"] and stored["HasAccessCode"] and stored["MaxUses"] == 4
    assert stored["ExpirationDate"] is not None
    # the link opens an inbox once its password is given
    r = requests.post(env.url + "/share/api/open", json={"Token": answer["Token"]}, timeout=60)
    assert r.status_code == 401 and "Password" in r.json()["Challenges"]
    assert open_session(env, answer["Token"], Password="s3cret-pw", AccessCode=answer["AccessCode"])["Kind"] == "Inbox"


def test_cli_prints_the_link_limits_and_a_qr_code(env, cli):
    out = ok(cli("inbox", "create", "--days", "7", "--max-files", "20")).stdout
    assert "Inbox " in out and "created" in out
    [link] = [line.split()[-1] for line in out.splitlines() if line.startswith("Link:")]
    assert link.startswith(env.url + "/share/#token=")
    assert "Accepts:     4.0 GiB in all, 512.0 MiB per file, 20 files" in out
    assert "in 7 days" in out
    assert sum(1 for line in out.splitlines() if line.strip() and set(line) <= QR_CHARS | {" "}) > 10
    inbox_id = out.split()[1]
    assert staff_view(env, inbox_id)["MaxFiles"] == 20


@pytest.mark.parametrize("args, code, message", [
    (["--max-upload-bytes", "4X"], 2, "--max-upload-bytes must be a number of bytes"),
    (["--max-file-bytes", "3.5G"], 2, "--max-file-bytes must be a number of bytes"),
    (["--max-files", "0"], 2, "--max-files"),
    (["--days", "40000"], 2, "--days"),
    (["--max-file-bytes", "3T"], 1, "MaxFileBytes"),            # the server's limit: 2 GiB
    (["--email", "not an address"], 1, "Recipient.Email"),
    (["--max-upload-bytes", "99999999999999999T"], 2, "--max-upload-bytes"),
])
def test_cli_refuses_bad_input_and_stores_nothing(env, cli, args, code, message):
    before = len(env.list_shares())
    result = cli("inbox", "create", *args)
    assert result.returncode == code, (result.returncode, result.stdout, result.stderr)
    assert message in result.stderr, result.stderr
    assert result.stdout == ""
    assert len(env.list_shares()) == before


def test_cli_inbox_needs_a_subcommand(cli):
    result = cli("inbox")
    assert result.returncode == 2 and "subcommand is required" in result.stderr


# ------------------------------------------------------------------ list, show, revoke

def test_list_and_show_say_what_an_inbox_received(env, cli, template):
    inbox, _ = uploaded_inbox(env, template, count=3, Note="cd of patient x")
    listed = ok(cli("list")).stdout.splitlines()
    assert listed[0].split()[:2] == ["ID", "KIND"]
    [row] = [line for line in listed if line.startswith(inbox["ID"])]
    assert row.split()[1] == "inbox" and "inbox: 1 study, 3 instances" in row
    share = env.create_share("A")
    [share_row] = [line for line in ok(cli("list")).stdout.splitlines() if line.startswith(share["ID"])]
    assert share_row.split()[1] == "share"

    shown = ok(cli("show", inbox["ID"])).stdout
    assert "Kind:        inbox" in shown
    assert "Accepts:     4.0 GiB in all, 512.0 MiB per file, 20000 files" in shown
    assert "Received:    3 instances" in shown
    [study] = staff_view(env, inbox["ID"])["Received"]["Studies"]
    assert "INBOX^TEST (INBOX-1)" in shown and "PRIORS FROM CD" in shown
    assert study["OrthancId"] in shown and study["StudyInstanceUID"] in shown
    assert "Permissions:" not in shown
    assert "Link:" in shown


def test_revoke_closes_an_inbox_and_says_so(env, cli, template):
    inbox, session = uploaded_inbox(env, template, count=1)
    out = ok(cli("revoke", inbox["ID"])).stdout
    assert out.startswith("Inbox %s closed" % inbox["ID"])
    [data] = make_study(template, 1)
    r = upload(env, session, data)
    assert r.status_code == 410 and r.json()["Error"] == "revoked"
    assert staff_view(env, inbox["ID"])["Received"]["Instances"] == 1  # what it received stays


# ------------------------------------------------------------------ Orthanc Explorer 2: inbox-link

def explorer_inbox(env, body, auth=None):
    # What Orthanc Explorer 2 1.14.1's createToken sends for a token type without resources.
    return requests.put(env.url + "/auth/tokens/inbox-link", json=body, auth=auth or env.admin_auth, timeout=60)


def test_explorer_inbox_link_is_an_inbox(env, template):
    r = explorer_inbox(env, {"Resources": [], "Type": "inbox-link", "ValidityDuration": 7 * 86400})
    assert r.status_code == 200, r.text
    answer = r.json()
    assert set(answer) == {"Token", "Url"}
    assert answer["Url"] == env.url + "/share/#token=" + answer["Token"]
    session = open_session(env, answer["Token"])
    assert session["Kind"] == "Inbox"
    [data] = make_study(template, 1)
    assert upload(env, session["SessionToken"], data).json()["Accepted"] == 1
    inbox_id = share_id_of(answer["Token"])
    [made] = [s for s in env.list_shares() if s["ID"] == inbox_id]
    assert made["Kind"] == "Inbox" and made["Received"]["Instances"] == 1
    assert made["CreatedBy"] == env.admin_auth[0]
    assert made["ExpirationDate"] is not None
    audit = env.admin_get("/studyshare/shares/%s/audit" % inbox_id).json()
    assert ("create", "success") in [(e["Event"], e["Outcome"]) for e in audit]


def share_id_of(token):
    """The share ID a token names (its jti), read from the token's payload."""
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))["jti"]


def test_explorer_inbox_link_of_a_sharer_is_the_sharers(env):
    name = sorted(SHARER_USERS)[0]
    r = explorer_inbox(env, {"Resources": [], "Type": "inbox-link", "ValidityDuration": 86400, "Id": "from OE2"},
                       auth=(name, SHARER_USERS[name]))
    assert r.status_code == 200, r.text
    inbox = staff_view(env, share_id_of(r.json()["Token"]))
    assert inbox["Kind"] == "Inbox" and inbox["CreatedBy"] == name and inbox["Note"] == "from OE2"
    assert inbox["ExpirationDate"] is not None


@pytest.mark.parametrize("body, message", [
    ({"Resources": [{"OrthancId": "x", "Level": "study"}], "Type": "inbox-link"}, "'Resources' must be empty"),
    ({"Resources": [], "Type": "viewer-instant-link"}, "the URL says inbox-link"),
    ({"Resources": [], "Type": "inbox-link", "ValidityDuration": "a week"}, "ValidityDuration"),
    ({"Resources": [], "Type": "inbox-link", "ValidityDuration": 86400, "Id": 5}, "'Id' must be a string"),
])
def test_explorer_inbox_link_refuses_bad_requests(env, body, message):
    before = len(env.list_shares())
    r = explorer_inbox(env, body)
    assert r.status_code == 400, r.text
    assert message in r.json()["Message"]
    assert len(env.list_shares()) == before


def test_explorer_inbox_link_needs_staff(env):
    r = requests.put(env.url + "/auth/tokens/inbox-link", json={"Resources": [], "Type": "inbox-link"}, timeout=60)
    assert r.status_code in (401, 403)
