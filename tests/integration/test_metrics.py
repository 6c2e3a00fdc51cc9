# SPDX-License-Identifier: GPL-3.0-or-later
"""GET /studyshare/metrics: Prometheus' text exposition format (checked by
a strict parser written here and by prometheus_client's own), counters that
move with the gate's decisions and recipients' opens, the JSON summary on
request, and staff only, as before."""

import math
import re

import pytest
import requests
from prometheus_client.parser import text_string_to_metric_families

NAME = re.compile(r"[a-zA-Z_:][a-zA-Z0-9_:]*$")
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\\\|\\"|\\n)*)"(,|$)')
SUFFIXES = {"counter": ("",), "gauge": ("",), "histogram": ("_bucket", "_sum", "_count")}


def parse_value(text):
    if text in ("+Inf", "-Inf", "NaN"):
        return float(text.replace("Inf", "inf"))
    assert re.fullmatch(r"-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?", text), text
    return float(text)


def strict_parse(text):
    """Families {name: {"type", "help", "samples": [(name, labels, value)]}}.
    Fails on anything the 0.0.4 format does not allow or Prometheus frowns
    on: a sample before its family's HELP and TYPE, a family declared twice
    or split, unknown types, bad names or label syntax, duplicate series,
    negative counters, histograms whose buckets do not add up."""
    assert text.endswith("\n") and "\r" not in text
    families, current, seen = {}, None, set()
    lines = text.split("\n")[:-1]
    i = 0
    while i < len(lines):
        line = lines[i]
        assert line, "empty line at %d" % (i + 1)
        if line.startswith("# HELP "):
            name, _, help_text = line[len("# HELP "):].partition(" ")
            assert NAME.match(name) and help_text, line
            assert name not in families, "family %s declared twice" % name
            type_line = lines[i + 1]
            assert type_line.startswith("# TYPE %s " % name), "TYPE must follow HELP: " + type_line
            kind = type_line.split(" ")[3]
            assert kind in SUFFIXES, type_line
            current = families[name] = {"type": kind, "help": help_text, "samples": []}
            current["name"] = name
            if kind == "counter":
                assert name.endswith("_total"), line
                current["names"] = {name}
            else:
                current["names"] = {name + suffix for suffix in SUFFIXES[kind]}
            i += 2
            continue
        assert not line.startswith("#"), line
        match = re.match(r"([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$", line)
        assert match, line
        sample, _, label_text, value = match.groups()
        assert current is not None, "sample before any family: " + line
        assert sample in current["names"], "%s outside its family %s" % (sample, current["name"])
        labels = {}
        rest = label_text or ""
        while rest:
            m = LABEL.match(rest)
            assert m, "bad labels: " + line
            assert m.group(1) not in labels, line
            labels[m.group(1)] = m.group(2).replace("\\n", "\n").replace('\\"', '"').replace("\\\\", "\\")
            rest = rest[m.end():]
        key = (sample, tuple(sorted(labels.items())))
        assert key not in seen, "duplicate series " + line
        seen.add(key)
        number = parse_value(value)
        if current["type"] == "counter":
            assert number >= 0, line
        current["samples"].append((sample, labels, number))
        i += 1
    for family in families.values():
        if family["type"] == "histogram":
            buckets = [(s[1]["le"], s[2]) for s in family["samples"] if s[0].endswith("_bucket")]
            bounds = [parse_value(le) for le, _ in buckets]
            assert bounds == sorted(bounds) and math.isinf(bounds[-1]), buckets
            counts = [c for _, c in buckets]
            assert counts == sorted(counts), buckets
            count = [s[2] for s in family["samples"] if s[0].endswith("_count")]
            assert count == [counts[-1]], family
    return families


@pytest.fixture(scope="module")
def token_a(env):
    return env.create_share("A")["Token"]


def scrape(env):
    r = env.admin_get("/studyshare/metrics")
    assert r.status_code == 200, r.text
    assert r.headers["Content-Type"].startswith("text/plain; version=0.0.4"), r.headers
    return r.text


def value(families, metric, sample=None, **labels):
    total = 0.0
    for name, sample_labels, number in families[metric]["samples"]:
        if name == (sample or metric) and all(sample_labels.get(k) == v for k, v in labels.items()):
            total += number
    return total


def test_the_text_format_parses_strictly_and_with_prometheus_client(env):
    text = scrape(env)
    families = strict_parse(text)
    for name in ("studyshare_gate_decisions_total", "studyshare_gate_decision_seconds", "studyshare_opens_total",
                 "studyshare_lockouts_total", "studyshare_access_code_failures_total",
                 "studyshare_open_store_errors_total", "studyshare_store_up", "studyshare_resolver_cache_entries"):
        assert name in families, name
    parsed = {f.name: f for f in text_string_to_metric_families(text)}
    # prometheus_client names counters without their _total suffix.
    assert parsed["studyshare_gate_decisions"].type == "counter"
    assert parsed["studyshare_gate_decision_seconds"].type == "histogram"
    assert parsed["studyshare_store_up"].samples[0].value == 1
    assert value(families, "studyshare_store_up") == 1


def test_decisions_count_by_verdict_reason_and_family(env, token_a):
    before = strict_parse(scrape(env))
    assert env.get("/patients", token=token_a).status_code == 403
    assert env.get("/dicom-web/studies/%s/metadata" % env.study("A")["uid"], token=token_a).status_code == 200
    assert env.get("/no-such-family/x").status_code in (401, 403)
    after = strict_parse(scrape(env))
    decisions = "studyshare_gate_decisions_total"

    def delta(**labels):
        return value(after, decisions, **labels) - value(before, decisions, **labels)

    assert delta(verdict="deny", family="patients") >= 1
    assert delta(verdict="allow", reason="share-grant", family="dicom-web") >= 1
    assert delta(verdict="deny", reason="no-credentials", family="other") >= 1
    # Made-up paths do not make series of their own.
    labels = {s[1]["family"] for s in after[decisions]["samples"]}
    assert "no-such-family" not in labels
    histogram = "studyshare_gate_decision_seconds"
    assert value(after, histogram, histogram + "_count") >= value(before, histogram, histogram + "_count") + 3


def test_opens_lockouts_and_code_failures_are_counted(env):
    before = strict_parse(scrape(env))
    share = env.create_share("A", Password="right-horse-battery")
    url = env.url + "/share/api/open"
    assert requests.post(url, json={"Token": share["Token"], "Password": "right-horse-battery"},
                         timeout=60).status_code == 200
    codes = [requests.post(url, json={"Token": share["Token"], "Password": "wrong"}, timeout=60).status_code
             for _ in range(5)]
    assert codes == [401, 401, 401, 401, 423], codes
    code = requests.post(url, json={"AccessCode": "ZZZZ-ZZZZ-ZZZZ"}, timeout=60)
    assert code.status_code in (404, 503), code.text
    after = strict_parse(scrape(env))

    def delta(metric, **labels):
        return value(after, metric, **labels) - value(before, metric, **labels)

    assert delta("studyshare_opens_total", outcome="success") == 1
    assert delta("studyshare_opens_total", outcome="challenge-failed") == 4
    assert delta("studyshare_opens_total", outcome="locked") == 1
    assert delta("studyshare_lockouts_total") == 1
    if code.status_code == 404:  # other tests of the session may have used this minute's code guesses
        assert delta("studyshare_opens_total", outcome="invalid") == 1
        assert delta("studyshare_access_code_failures_total") == 1
    else:
        assert delta("studyshare_opens_total", outcome="rate-limited") == 1
    assert delta("studyshare_open_store_errors_total") == 0


def test_json_stays_available(env):
    for kwargs in ({"params": {"format": "json"}}, {"headers": {"Accept": "application/json"}}):
        r = env.admin_get("/studyshare/metrics", **kwargs)
        assert r.status_code == 200 and r.headers["Content-Type"].startswith("application/json"), kwargs
        body = r.json()
        assert set(body) >= {"Decisions", "ResolverCacheEntries", "Opens"}, body
        assert set(body["Decisions"]) == {"allow", "deny", "error"}
    # What Prometheus itself sends gets the text format.
    r = env.admin_get("/studyshare/metrics", headers={
        "Accept": "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5,*/*;q=0.1"})
    assert r.headers["Content-Type"].startswith("text/plain"), r.headers
    strict_parse(r.text)


@pytest.mark.parametrize("auth", [None, ("admin", "wrong")])
def test_metrics_stay_staff_only(env, auth, token_a):
    assert requests.get(env.url + "/studyshare/metrics", auth=auth, timeout=30).status_code in (401, 403)
    assert env.get("/studyshare/metrics", token=token_a).status_code == 403


def test_the_strict_parser_refuses_what_prometheus_would_not_take():
    good = "# HELP a_total A.\n# TYPE a_total counter\na_total 1\n"
    strict_parse(good)
    for bad in ("a_total 1\n" + good,                                   # sample before its family
                good + good,                                            # family twice
                good.replace("counter", "summary-ish"),                 # unknown type
                good.replace("a_total 1", 'a_total{x="1} 1'),           # broken label
                good.replace("a_total 1", "a_total 1\na_total 2"),      # duplicate series
                good.replace("a_total 1", "a_total -1"),                # negative counter
                good.replace("a_total 1", "b_total 1"),                 # outside its family
                good.replace("\n", "\r\n")):
        with pytest.raises(AssertionError):
            strict_parse(bad)
    assert strict_parse(good)["a_total"]["samples"] == [("a_total", {}, 1.0)]
