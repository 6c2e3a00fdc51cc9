#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Benchmark: what the StudyShare gate costs on Orthanc's throughput.

Starts two Orthanc processes loaded with the same sample studies, one
without the plugin (baseline) and one with it, and drives viewer-like GET
routes with wrk on loopback, alternating the two servers round after round
so that machine noise hits both alike. Prints, per route, the median
throughput of each, the ratio with/without, and p50/p99 latencies.

With --mode remote the gated Orthanc runs StudyShare in remote mode, asking
studyshare-service (started here, on the same store and key) about share
tokens, with its answers cached for WebServiceCacheSeconds (default 10).

Run: /usr/bin/python3 bench/gate_overhead.py [--rounds 3] [--duration 5] [--mode local|remote]
Not a test: it asserts nothing about speed.
"""

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "tests", "integration"))

from orthanc_harness import DICOMWEB_PLUGIN, WEBVIEWER_PLUGIN, OrthancProcess  # noqa: E402
from service_harness import ServiceProcess  # noqa: E402

PLUGIN = os.environ.get("STUDYSHARE_PLUGIN", os.path.join(ROOT, "build", "src", "plugin", "libStudyShare.so"))


def parse_wrk(output):
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))

    def latency(percent):
        match = re.search(r"^\s+%s%%\s+([\d.]+)(us|ms|s)\s*$" % percent, output, re.M)
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000.0 if unit == "us" else value * 1000.0 if unit == "s" else value

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {"rps": rps, "p50": latency(50), "p99": latency(99), "errors": int(errors.group(1)) if errors else 0}


def run_wrk(url, headers, duration, threads, connections):
    command = ["wrk", "-t%d" % threads, "-c%d" % connections, "-d%ds" % duration, "--latency"]
    for header in headers:
        command += ["-H", header]
    command.append(url)
    return parse_wrk(subprocess.run(command, check=True, capture_output=True, text=True).stdout)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=int, default=5, help="seconds per wrk run")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--mode", choices=("local", "remote"), default="local")
    args = parser.parse_args()

    samples = tempfile.mkdtemp(prefix="studyshare-bench-")
    subprocess.run(["bash", os.path.join(ROOT, "tests", "fixtures", "make_studies.sh"), samples],
                   check=True, capture_output=True)
    manifest = json.load(open(os.path.join(samples, "manifest.json")))
    study_uid = manifest["Studies"][0]["StudyInstanceUID"]

    quiet = {"HttpThreadsCount": 50}
    section = {"Secret": "b" * 48, "Store": {"Type": "sqlite", "Path": os.path.join(samples, "shares.db")}}
    service = None
    if args.mode == "remote":
        caller = ("orthanc", "bench-caller-pw-0123456789")
        service = ServiceProcess(settings={"USERS": json.dumps(dict([caller]))},
                                 config={"StudyShare": dict(section)}, store=False)
        section.update({"Mode": "remote", "WebService": service.url,
                        "WebServiceUsername": caller[0], "WebServicePassword": caller[1]})
    baseline = OrthancProcess(plugins=[DICOMWEB_PLUGIN, WEBVIEWER_PLUGIN], extra_config=quiet, verbose=False)
    gated = OrthancProcess(plugins=[DICOMWEB_PLUGIN, WEBVIEWER_PLUGIN, PLUGIN], verbose=False,
                           extra_config=dict(quiet, StudyShare=section))
    try:
        for server in (baseline, gated):
            server.upload_dir(os.path.join(samples, "synth"))
        study_id = gated.api("POST", "/tools/lookup", data=study_uid).json()[0]["ID"]
        instance_id = gated.get_json("/studies/%s/instances" % study_id)[0]["ID"]
        share = gated.api("POST", "/studyshare/shares",
                          json={"Resources": [{"Level": "Study", "OrthancId": study_id}], "ValidityDuration": 86400})
        token = share.json()["Token"]

        routes = [
            ("QIDO series of a study", "/dicom-web/studies/%s/series" % study_uid),
            ("instance preview (PNG)", "/instances/%s/preview" % instance_id),
            ("Web Viewer image", "/web-viewer/instances/jpeg95-%s_0" % instance_id),
        ]
        print("gate in %s mode; wrk -t%d -c%d -d%ds, %d alternating rounds, median of rounds"
              % (args.mode, args.threads, args.connections, args.duration, args.rounds))
        print("%-26s %12s %12s %7s %16s %16s" % ("route", "without req/s", "with req/s", "ratio",
                                                 "p50 w/o→with ms", "p99 w/o→with ms"))
        for name, path in routes:
            results = {"without": [], "with": []}
            for _ in range(args.rounds):
                results["without"].append(run_wrk(baseline.url + path, [], args.duration,
                                                  args.threads, args.connections))
                results["with"].append(run_wrk(gated.url + path, ["Authorization: Bearer " + token],
                                               args.duration, args.threads, args.connections))
            summary = {}
            for key, runs in results.items():
                if any(run["errors"] for run in runs):
                    raise SystemExit("%s: %s answered errors; the benchmark is invalid" % (name, key))
                summary[key] = {field: statistics.median(run[field] for run in runs)
                                for field in ("rps", "p50", "p99")}
            ratio = summary["with"]["rps"] / summary["without"]["rps"]
            print("%-26s %12.0f %12.0f %7.3f %16s %16s" % (
                name, summary["without"]["rps"], summary["with"]["rps"], ratio,
                "%.2f→%.2f" % (summary["without"]["p50"], summary["with"]["p50"]),
                "%.2f→%.2f" % (summary["without"]["p99"], summary["with"]["p99"])))
    finally:
        baseline.cleanup()
        gated.cleanup()
        if service is not None:
            service.cleanup()


if __name__ == "__main__":
    main()
