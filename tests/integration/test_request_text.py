# SPDX-License-Identifier: GPL-3.0-or-later
"""Request-derived text that ends up stored or logged (issue 12, items 3, 7 and
12): a User-Agent that is not UTF-8 cannot break a share's audit trail, a
line break in a refused path cannot forge a log line, and a birth-date share
of several patients is refused at creation."""

import uuid

import requests
from conftest import env_on_every_store

env = env_on_every_store()


def audit(env, share_id):
    r = requests.get(env.url + "/studyshare/shares/%s/audit" % share_id, auth=env.admin_auth, timeout=60)
    assert r.status_code == 200, (r.status_code, r.text[:300])
    return r.json()


BAD_AGENTS = [b"Mozilla/5.0 \xff\xfe\xc0\xaf", b"\xed\xa0\x80 surrogate", b"cut \xe2\x82", b"\x80" * 600]


def test_non_utf8_user_agents_keep_the_audit_readable(env):
    share = env.create_share("A", Permissions=["View", "Download"])
    for agent in BAD_AGENTS:
        # An open (the recipients' API) and a download (the gate) both store the agent.
        r = requests.post(env.url + "/share/api/open", json={"Token": share["Token"]},
                          headers={"User-Agent": agent}, timeout=60)
        assert r.status_code == 200, r.text
        r = requests.get(env.url + "/instances/%s/file" % env.study("A")["series"][0]["instances"][0]["id"],
                         headers={"Authorization": "Bearer " + share["Token"], "User-Agent": agent}, timeout=60)
        assert r.status_code == 200
    events = audit(env, share["ID"])
    agents = [e["UserAgent"] for e in events if e["Event"] in ("open", "download")]
    assert len(agents) == 2 * len(BAD_AGENTS), events
    assert "Mozilla/5.0 \ufffd\ufffd\ufffd\ufffd" in agents
    assert all(len(a.encode()) <= 512 for a in agents)
    # The CLI and the shares page read the same answer.
    assert requests.get(env.url + "/studyshare/shares/%s" % share["ID"], auth=env.admin_auth,
                        timeout=60).status_code == 200


def test_a_line_break_in_a_refused_path_forges_no_log_line(env):
    marker = "FORGED-" + uuid.uuid4().hex
    for raw in ["/studies/x%0A" + marker + "%20granted", "/no-such-route%0D%0A" + marker,
                "/dicom-web/studies/1.2%0A" + marker + "/metadata", "/patients%1B[31m" + marker]:
        status, _, _ = env.raw("GET", raw)
        assert status in (403, 404), (raw, status)
    with open(env.orthanc.log_path, encoding="utf-8", errors="replace") as f:
        log = f.read().splitlines()
    ours = [line for line in log if "StudyShare: " in line and marker in line]
    assert len(ours) >= 4, "each refusal is logged on one line of its own"
    assert any("\\x0A" + marker in line for line in ours), ours
    # Orthanc's own verbose request log is not StudyShare's to escape; no line
    # that StudyShare wrote may continue on the next line.
    for previous, line in zip(log, log[1:]):
        if line.startswith(marker) or line.startswith("[31m" + marker):
            assert "StudyShare" not in previous, (previous, line)


def test_birth_date_share_of_two_patients_is_refused(env):
    a, c = env.study("A"), env.study("C")
    assert a["patient"] != c["patient"]
    before = len(env.list_shares())
    r = env.create_share_raw({"Resources": [{"Level": "Study", "OrthancId": a["id"]},
                                            {"Level": "Study", "OrthancId": c["id"]}],
                              "RequireBirthDate": True, "ValidityDuration": 600})
    assert r.status_code == 400, r.text
    assert "more than one patient" in r.json()["Message"]
    assert len(env.list_shares()) == before, "nothing stored"
