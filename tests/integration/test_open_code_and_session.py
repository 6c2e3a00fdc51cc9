# SPDX-License-Identifier: GPL-3.0-or-later
"""POST /share/api/open, issue 14: the link's own end beside the session's,
the access code as a challenge of the link, the lockout's wait, and a tab
that presents its session again instead of spending a use."""

import concurrent.futures
import datetime
import json

import requests

from conftest import jwt_parts
from conftest import env_on_every_store

env = env_on_every_store()

LOCKOUT_SECONDS = 900   # the default of StudyShare.LockoutSeconds
MAX_FAILED = 5          # the default of StudyShare.MaxFailedAttempts


def open_share(env, body):
    return requests.post(env.url + "/share/api/open", data=json.dumps(body),
                         headers={"Content-Type": "application/json"}, timeout=60)


def parse_iso(text):
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))


def uses(env, share_id):
    r = env.admin_get("/studyshare/shares/" + share_id)
    assert r.status_code == 200, r.text
    return r.json()["Uses"]


def events(env, share_id):
    r = env.admin_get("/studyshare/shares/%s/audit" % share_id)
    assert r.status_code == 200, r.text
    return [(e["Event"], e["Outcome"]) for e in r.json()]


# ---------------------------------------------------------------- 1. validity

def test_the_answer_names_the_links_end_beside_the_sessions(env):
    week = 7 * 24 * 3600
    share = env.create_share("A", ValidityDuration=week)
    answer = open_share(env, {"Token": share["Token"]}).json()
    link_end = parse_iso(answer["ShareExpirationDate"])
    session_end = parse_iso(answer["ExpirationDate"])
    assert link_end == parse_iso(share["ExpirationDate"]), (answer, share)
    # The session is hours; the link is a week.
    assert link_end - session_end > datetime.timedelta(days=6), answer
    assert session_end.timestamp() == jwt_parts(answer["SessionToken"])[1]["exp"]


def test_a_link_that_never_expires_says_so_with_null(env):
    share = env.create_share("A", ValidityDuration=0)
    answer = open_share(env, {"Token": share["Token"]}).json()
    assert "ShareExpirationDate" in answer and answer["ShareExpirationDate"] is None, answer
    assert answer["ExpirationDate"]


# ---------------------------------------------------------------- 3. access code

def test_the_link_of_a_share_with_a_code_asks_for_the_code(env):
    share = env.create_share("A", AccessCode=True)
    r = open_share(env, {"Token": share["Token"]})
    assert r.status_code == 401, r.text
    assert r.json()["Error"] == "challenge-required"
    assert r.json()["Challenges"] == ["AccessCode"]

    r = open_share(env, {"Token": share["Token"], "AccessCode": "ZZZZZ-ZZZZZ-ZZZZ2"})
    assert r.status_code == 401 and r.json()["Error"] == "challenge-failed", r.text
    assert "AccessCode" in r.json()["Challenges"]
    r = open_share(env, {"Token": share["Token"], "AccessCode": "not even a code"})
    assert r.status_code == 401 and r.json()["Error"] == "challenge-failed", r.text

    typed = share["AccessCode"].lower().replace("-", " ")
    r = open_share(env, {"Token": share["Token"], "AccessCode": typed})
    assert r.status_code == 200, r.text
    assert env.get("/studies/" + env.study("A")["id"], token=r.json()["SessionToken"]).status_code == 200

    # The code alone, as typed at {PublicUrl}/share/, keeps working.
    r = open_share(env, {"AccessCode": share["AccessCode"]})
    assert r.status_code == 200, r.text
    assert ("challenge-failed", "challenge-failed") in events(env, share["ID"])


def test_code_and_password_are_asked_together_and_checked_together(env):
    share = env.create_share("A", AccessCode=True, Password="pw-Otter-5")
    r = open_share(env, {"Token": share["Token"]})
    assert r.json()["Challenges"] == ["AccessCode", "Password"], r.text
    # A right password with a wrong code opens nothing, and the other way round.
    assert open_share(env, {"Token": share["Token"], "AccessCode": "ZZZZZ-ZZZZZ-ZZZZ2",
                            "Password": "pw-Otter-5"}).json()["Error"] == "challenge-failed"
    assert open_share(env, {"Token": share["Token"], "AccessCode": share["AccessCode"],
                            "Password": "wrong"}).json()["Error"] == "challenge-failed"
    r = open_share(env, {"Token": share["Token"], "AccessCode": share["AccessCode"], "Password": "pw-Otter-5"})
    assert r.status_code == 200, r.text
    # Opened by the code, the code is not asked again: only the password is.
    r = open_share(env, {"AccessCode": share["AccessCode"]})
    assert r.json()["Challenges"] == ["Password"], r.text


def test_wrong_codes_lock_the_share_exactly_even_in_parallel(env):
    share = env.create_share("A", AccessCode=True)
    wrong = ["ZZZZZ-ZZZZZ-ZZZ%s%s" % (a, b) for a in "23456789" for b in "2345"][:20]
    with concurrent.futures.ThreadPoolExecutor(max_workers=10) as pool:
        answers = list(pool.map(lambda code: open_share(env, {"Token": share["Token"], "AccessCode": code}), wrong))
    errors = [a.json()["Error"] for a in answers]
    assert errors.count("challenge-failed") + errors.count("locked") == 20, errors
    # No more than MaxFailedAttempts answers were ever checked.
    assert events(env, share["ID"]).count(("challenge-failed", "challenge-failed")) == MAX_FAILED
    # The right code is refused while the share is locked.
    r = open_share(env, {"Token": share["Token"], "AccessCode": share["AccessCode"]})
    assert r.status_code == 423 and r.json()["Error"] == "locked", r.text


# ---------------------------------------------------------------- 4. how long to wait

def test_the_lockout_answer_says_how_long_to_wait(env):
    share = env.create_share("A", Password="right-answer")
    first = None
    for i in range(MAX_FAILED):
        r = open_share(env, {"Token": share["Token"], "Password": "guess-%d" % i})
        first = first or datetime.datetime.now(datetime.timezone.utc)
    assert r.status_code == 423, r.text
    answer = r.json()
    assert answer["Error"] == "locked"
    # Whole seconds, window inclusive: a failure at second t still counts at
    # t + LockoutSeconds, so the share opens at t + LockoutSeconds + 1.
    assert 0 < answer["RetryAfter"] <= LOCKOUT_SECONDS + 1, answer
    until = parse_iso(answer["LockedUntil"])
    # The first failure leaves the window LockoutSeconds after it was made.
    expected = first + datetime.timedelta(seconds=LOCKOUT_SECONDS)
    assert abs((until - expected).total_seconds()) <= 5, (until, expected)
    # Asked again later, the same end is given.
    again = open_share(env, {"Token": share["Token"], "Password": "right-answer"}).json()
    assert again["Error"] == "locked" and again["LockedUntil"] == answer["LockedUntil"], again


# ---------------------------------------------------------------- 2. the tab's session

def test_a_tab_that_presents_its_session_spends_no_use(env):
    share = env.create_share("A", MaxUses=2)
    opened = open_share(env, {"Token": share["Token"]}).json()
    session = opened["SessionToken"]
    assert uses(env, share["ID"]) == 1

    # A reload: the session alone brings the same answer back.
    r = open_share(env, {"SessionToken": session})
    assert r.status_code == 200, r.text
    resumed = r.json()
    assert resumed["SessionToken"] == session, "the same session, not a new one"
    assert resumed["ExpirationDate"] == opened["ExpirationDate"], "the session's end does not move"
    assert resumed["Studies"] == opened["Studies"]
    # A reopen of the link in the same tab.
    r = open_share(env, {"Token": share["Token"], "SessionToken": session})
    assert r.status_code == 200 and r.json()["SessionToken"] == session, r.text
    assert uses(env, share["ID"]) == 1
    assert ("resume", "success") in events(env, share["ID"])

    # Another tab, without the session, spends the second use; then the link is used up...
    assert open_share(env, {"Token": share["Token"]}).status_code == 200
    assert open_share(env, {"Token": share["Token"]}).json()["Error"] == "exhausted"
    # ...but the tab that holds a session still resumes it.
    assert open_share(env, {"Token": share["Token"], "SessionToken": session}).status_code == 200


def test_a_session_never_buys_a_use_of_another_share_or_outlives_revocation(env):
    first = env.create_share("A", MaxUses=1)
    other = env.create_share("A", MaxUses=1, Password="pw-Heron-3")
    session = open_share(env, {"Token": first["Token"]}).json()["SessionToken"]
    # Presented with another share's link, the session is ignored: that share
    # asks its challenge, and its open spends its own use.
    r = open_share(env, {"Token": other["Token"], "SessionToken": session})
    assert r.status_code == 401 and r.json()["Error"] == "challenge-required", r.text
    r = open_share(env, {"Token": other["Token"], "SessionToken": session, "Password": "pw-Heron-3"})
    assert r.status_code == 200 and r.json()["SessionToken"] != session, r.text
    assert uses(env, other["ID"]) == 1
    # A share token is not a session.
    assert open_share(env, {"SessionToken": first["Token"]}).json()["Error"] == "invalid"
    assert open_share(env, {"SessionToken": "garbage"}).status_code == 401
    # Revoked: the session cannot be resumed any more.
    assert env.admin("DELETE", "/studyshare/shares/" + first["ID"]).status_code == 200
    r = open_share(env, {"SessionToken": session})
    assert r.status_code == 410 and r.json()["Error"] == "revoked", r.text
