#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Benchmark: throughput and latency of studyshare-service's token routes.

Starts studyshare-service on loopback with its own SQLite store, creates one
stone-viewer-publication token, and drives with wrk (keep-alive, a generated
Lua script per case):

  - GET /health: the baseline, the HTTP server's floor (no caller check, no
    token crypto; it does read the store once, uncached, and answers JSON);
  - POST /tokens/validate, granted: the exact body Orthanc's authorization
    plugin sends, for the study the token names;
  - POST /tokens/validate, refused: the same token, asked about another study
    (same parsing, signature check and store lookup; only the answer differs);
  - PUT /tokens/viewer-instant-link: token creation (one SQLite insert each).

The cases alternate round after round (the order rotates each round) so that
machine noise hits all alike; the table gives the median of the rounds for
req/s, p50 and p99, and req/s as a ratio to /health. Any non-2xx answer or
socket error reported by wrk invalidates the run, except under background
load, where a stalled service is what is measured and errors are counted.

--binary (repeatable) compares builds: each runs as its own service, and
every round measures each build in turn (the order rotates too). --idle N
and --trickle M keep N idle and M byte-a-second connections open against
the build being measured (bench/connection_load.py), reopened whenever the
service closes them.

Run: /usr/bin/python3 bench/token_service.py [--rounds 3] [--duration 5]
     [--threads 2] [--connections 16] [--service-threads N]
     [--binary PATH ...] [--idle N] [--trickle M] [--json OUT]
Not a test: it asserts nothing about speed.
"""

import argparse
import base64
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

import requests

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "tests", "integration"))

from service_harness import ServiceProcess, new_study  # noqa: E402

from connection_load import ConnectionLoad  # noqa: E402

SECRET = "bench-token-service-secret-0123456789-abcdefghij"
CALLER = ("orthanc", "bench-caller-pw-Zk42")
ORTHANC_ROOT = "http://pacs.example/orthanc/"
DEFAULT_JSON = os.path.join(tempfile.gettempdir(), "studyshare-bench-token-service.json")


def parse_wrk(output):
    match = re.search(r"Requests/sec:\s+([\d.]+)", output)
    if not match:
        raise RuntimeError("no Requests/sec in wrk's output:\n" + output)
    rps = float(match.group(1))

    def latency(percent):
        found = re.search(r"^\s+%s%%\s+([\d.]+)(us|ms|s|m)\s*$" % percent, output, re.M)
        if not found:
            raise RuntimeError("no %s%% latency in wrk's output:\n%s" % (percent, output))
        value, unit = float(found.group(1)), found.group(2)
        return {"us": value / 1000.0, "ms": value, "s": value * 1000.0, "m": value * 60000.0}[unit]

    requests_done = re.search(r"(\d+) requests in", output)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    socket_errors = dict(zip(("connect", "read", "write", "timeout"), map(int, sockets.groups()))) if sockets \
        else {"connect": 0, "read": 0, "write": 0, "timeout": 0}
    return {"rps": rps, "p50": latency(50), "p99": latency(99),
            "requests": int(requests_done.group(1)) if requests_done else 0,
            "non2xx": int(non2xx.group(1)) if non2xx else 0, "socket_errors": socket_errors}


def lua_string(text):
    """``text`` as a Lua string literal (every byte escaped in decimal: safe
    whatever the body holds)."""
    return '"' + "".join("\\%d" % b for b in text.encode()) + '"'


def write_script(folder, name, method, body, headers):
    lines = ["wrk.method = %s" % lua_string(method)]
    lines.append("wrk.body = %s" % (lua_string(body) if body is not None else "nil"))
    for key, value in headers.items():
        lines.append("wrk.headers[%s] = %s" % (lua_string(key), lua_string(value)))
    path = os.path.join(folder, name + ".lua")
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    return path


def run_wrk(url, script, duration, threads, connections):
    command = ["wrk", "-t%d" % threads, "-c%d" % connections, "-d%ds" % duration, "--latency",
               "-s", script, url]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    result = parse_wrk(output)
    result["output"] = output
    return result


def validation_body(study, token):
    """POST /tokens/validate exactly as Orthanc's authorization plugin sends it."""
    return {"dicom-uid": study.uid, "orthanc-id": study.oid, "level": "study", "method": "get",
            "token-key": "token", "token-value": token, "server-id": None}


def creation_body(studies, validity=3600):
    return {"resources": [{"dicom-uid": s.uid, "orthanc-id": s.oid, "level": "study"} for s in studies],
            "type": None, "validity-duration": validity}


def check_answer(service, method, path, body, auth, expected):
    r = requests.request(method, service.url + path, data=json.dumps(body),
                         headers={"Content-Type": "application/json"}, auth=auth, timeout=30)
    if r.status_code != 200:
        raise SystemExit("%s %s answered HTTP %d: %s" % (method, path, r.status_code, r.text[:300]))
    answer = r.json()
    for key, value in expected.items():
        if answer.get(key) != value:
            raise SystemExit("%s %s answered %s; expected %s=%r" % (method, path, answer, key, value))
    return answer


def loadavg():
    return [round(x, 2) for x in os.getloadavg()]


def prepare(service, scripts, tag):
    """One token in ``service``'s store, the answers checked, and the wrk
    scripts of the four cases: [(name, path, script)]."""
    shared, other = new_study(), new_study()
    publication = creation_body([shared])
    publication["type"] = "stone-viewer-publication"
    token = check_answer(service, "PUT", "/tokens/stone-viewer-publication", publication, CALLER, {})["token"]
    granted_body = validation_body(shared, token)
    refused_body = validation_body(other, token)
    instant_body = creation_body([shared])
    instant_body["type"] = "viewer-instant-link"
    check_answer(service, "POST", "/tokens/validate", granted_body, CALLER, {"granted": True})
    check_answer(service, "POST", "/tokens/validate", refused_body, CALLER, {"granted": False})
    check_answer(service, "PUT", "/tokens/viewer-instant-link", instant_body, CALLER, {})

    authorization = "Basic " + base64.b64encode(("%s:%s" % CALLER).encode()).decode()
    headers = {"Content-Type": "application/json", "Authorization": authorization}
    cases = [
        ("GET /health (baseline)", "/health", write_script(scripts, tag + "-health", "GET", None, {})),
        ("POST /tokens/validate granted", "/tokens/validate",
         write_script(scripts, tag + "-granted", "POST", json.dumps(granted_body), headers)),
        ("POST /tokens/validate refused", "/tokens/validate",
         write_script(scripts, tag + "-refused", "POST", json.dumps(refused_body), headers)),
        ("PUT /tokens/viewer-instant-link", "/tokens/viewer-instant-link",
         write_script(scripts, tag + "-instant", "PUT", json.dumps(instant_body), headers)),
    ]
    checks = [(granted_body, {"granted": True}), (refused_body, {"granted": False})]
    return cases, checks


def run_case(service, name, path, script, args, round_index, loaded):
    """One wrk run. Without background load any error invalidates the
    benchmark; with it, a stalled service is what is measured, so errors
    are counted in the table instead."""
    try:
        run = run_wrk(service.url + path, script, args.duration, args.threads, args.connections)
    except RuntimeError as e:
        if not loaded:
            raise
        run = {"rps": 0.0, "p50": float("nan"), "p99": float("nan"), "requests": 0, "non2xx": 0,
               "socket_errors": {}, "output": str(e)}
    if not service.running:
        raise SystemExit("studyshare-service died during %s (round %d)\n%s"
                         % (name, round_index + 1, service.log_tail()))
    run["errors"] = run["non2xx"] + sum(run["socket_errors"].values())
    if run["errors"] and not loaded:
        raise SystemExit("%s (round %d): wrk reported %d non-2xx responses and socket errors %s; "
                         "the benchmark is invalid\n%s\n%s"
                         % (name, round_index + 1, run["non2xx"], run["socket_errors"], run["output"],
                            service.log_tail()))
    del run["output"]
    return run


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=int, default=5, help="seconds per wrk run")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections")
    parser.add_argument("--service-threads", type=int, default=None,
                        help="studyshare-service --threads (default: the service's own); a build with one "
                             "worker per connection needs at least --connections")
    parser.add_argument("--binary", action="append", default=None, metavar="PATH",
                        help="studyshare-service to measure; repeat to compare builds, interleaved round "
                             "by round (default: the harness's, build/src/service/studyshare-service)")
    parser.add_argument("--idle", type=int, default=0,
                        help="idle connections kept open against the service while it is measured")
    parser.add_argument("--trickle", type=int, default=0,
                        help="connections kept sending a request one byte a second while it is measured")
    parser.add_argument("--json", default=DEFAULT_JSON, metavar="OUT",
                        help="where to write the results (default %(default)s)")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk not found (Debian package 'wrk', see scripts/setup.sh)")
    binaries = [os.path.abspath(b) for b in args.binary] if args.binary else [None]
    loaded = bool(args.idle or args.trickle)
    if loaded:
        # The background sockets, in this process and in the service.
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        wanted = args.idle + args.trickle + 1024
        if soft < wanted:
            resource.setrlimit(resource.RLIMIT_NOFILE, (min(wanted, hard), hard))

    load_before = loadavg()
    service_args = [] if args.service_threads is None else ["--threads", str(args.service_threads)]
    scripts = tempfile.mkdtemp(prefix="studyshare-bench-wrk-")
    services = []
    try:
        setups = []
        for index, binary in enumerate(binaries):
            service = ServiceProcess(settings={"SECRET_KEY": SECRET, "USERS": json.dumps({CALLER[0]: CALLER[1]}),
                                               "PUBLIC_ORTHANC_ROOT": ORTHANC_ROOT},
                                     args=service_args, binary=binary)
            services.append(service)
            setups.append((service, *prepare(service, scripts, "b%d" % index)))

        print("studyshare-service --threads %s; wrk -t%d -c%d -d%ds --latency, %d rounds (rotating order), "
              "median of rounds; background: %d idle + %d trickling connections"
              % (args.service_threads or "(default)", args.threads, args.connections, args.duration, args.rounds,
                 args.idle, args.trickle))
        print("loadavg before: %s" % " ".join("%.2f" % x for x in load_before))
        results = [{name: [] for name, _, _ in cases} for _, cases, _ in setups]
        background = [[] for _ in setups]
        for round_index in range(args.rounds):
            order = list(range(len(setups)))
            order = order[round_index % len(order):] + order[:round_index % len(order)]
            for which in order:
                service, cases, _ = setups[which]
                shift = round_index % len(cases)
                with ConnectionLoad(service.port, args.idle, args.trickle) as load:
                    if loaded:
                        time.sleep(2)  # the trickling requests are under way
                    for name, path, script in cases[shift:] + cases[:shift]:
                        results[which][name].append(run_case(service, name, path, script, args, round_index,
                                                             loaded))
                    background[which].append(load.counts())

        report = {
            "benchmark": "studyshare-service token routes",
            "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "settings": {"rounds": args.rounds, "duration_s": args.duration, "wrk_threads": args.threads,
                         "wrk_connections": args.connections, "service_threads": args.service_threads,
                         "idle": args.idle, "trickle": args.trickle},
            "cpus": os.cpu_count(),
            "loadavg_before": load_before,
            "builds": [],
        }
        print()
        print("| build | case | req/s | p50 ms | p99 ms | ratio to /health | wrk errors |")
        print("|---|---|---:|---:|---:|---:|---:|")
        for (service, cases, checks), runs, counts in zip(setups, results, background):
            # The answers are still right after the load.
            for body, expected in checks:
                check_answer(service, "POST", "/tokens/validate", body, CALLER, expected)
            summary = {}
            for name, case_runs in runs.items():
                summary[name] = {field: statistics.median(run[field] for run in case_runs)
                                 for field in ("rps", "p50", "p99")}
                summary[name]["errors"] = sum(run["errors"] for run in case_runs)
            floor = summary[cases[0][0]]["rps"] or float("nan")
            for name, _, _ in cases:
                s = summary[name]
                s["ratio"] = s["rps"] / floor
                print("| %s | %s | %.0f | %.2f | %.2f | %.3f | %d |"
                      % (service.binary, name, s["rps"], s["p50"], s["p99"], s["ratio"], s["errors"]))
            logged_errors = [e for e in service.log_events() if e.get("level") in ("error", "warning")]
            report["builds"].append({
                "binary": service.binary,
                "shares_in_store": service.count_rows("shares"),
                "log_warnings_errors": logged_errors[:20],
                "background": counts,
                "cases": {name: {"path": path, "median": summary[name], "rounds": runs[name]}
                          for name, path, _ in cases},
            })
        report["loadavg_after"] = loadavg()
        print()
        print("loadavg after: %s" % " ".join("%.2f" % x for x in report["loadavg_after"]))
        if loaded:
            for build in report["builds"]:
                print("%s: background connections reopened after the service closed them: %s"
                      % (build["binary"], build["background"]))
        with open(args.json, "w") as f:
            json.dump(report, f, indent=2)
            f.write("\n")
        print("results written to %s" % args.json)
    finally:
        for service in services:
            service.cleanup()
        shutil.rmtree(scripts, ignore_errors=True)


if __name__ == "__main__":
    main()
