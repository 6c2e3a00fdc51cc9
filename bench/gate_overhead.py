#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Benchmark: what the StudyShare gate costs on Orthanc's throughput.

Starts three Orthanc processes loaded with the same sample studies: one
without any filter plugin (the baseline), one with a filter plugin that
allows everything and does nothing (the floor: what Orthanc's filter call
costs by itself), and one with StudyShare. Per route and round, wrk drives
the three one after the other, in an order that rotates every round, so that
the noise of a shared machine hits all three alike; only ratios within a
round are meaningful. Prints, per route, the median and the spread (min–max)
over the rounds of each server's throughput, the ratios with/without and
with/floor, p50/p99 latencies and each server's resident memory at the end,
as a Markdown table (also written to --markdown FILE).

With --mode remote the gated Orthanc runs StudyShare in remote mode, asking
studyshare-service (started here, on the same store and key) about share
tokens, with its answers cached for WebServiceCacheSeconds (default 10).

With --store postgresql the gated Orthanc keeps its shares in a private
PostgreSQL 15 started here; with --store both a fourth Orthanc, gated on the
PostgreSQL store, joins the same interleaved rounds beside the SQLite one, so
the two stores' ratios come from one run.

Run: /usr/bin/python3 bench/gate_overhead.py [--rounds 5] [--duration 3] [--mode local|remote]
     [--store sqlite|postgresql|both] [--http-threads 50] [--markdown out.md]
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
from postgres_harness import PostgresCluster  # noqa: E402
from service_harness import ServiceProcess  # noqa: E402

BUILD = os.path.join(ROOT, "build")
PLUGIN = os.environ.get("STUDYSHARE_PLUGIN", os.path.join(BUILD, "src", "plugin", "libStudyShare.so"))
FLOOR_PLUGIN = os.environ.get("STUDYSHARE_ALLOW_ALL_PLUGIN", os.path.join(BUILD, "bench", "libAllowAllFilter.so"))
BASELINES = ("without", "floor")


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


def resident_megabytes(server):
    with open("/proc/%d/status" % server.process.pid) as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
    return float("nan")


def spread(values):
    return "%.0f–%.0f" % (min(values), max(values))


def summarize(name, results, gated):
    """Markdown rows: medians and spreads of the rounds of one route, one row
    per gated server (``gated``: its key, e.g. "with" or "with-pg")."""
    for key, runs in results.items():
        if any(run["errors"] for run in runs):
            raise SystemExit("%s: %s answered errors; the benchmark is invalid" % (name, key))
    rps = {key: [run["rps"] for run in runs] for key, runs in results.items()}
    median = {key: statistics.median(values) for key, values in rps.items()}
    floor_ratio = [f / b for f, b in zip(rps["floor"], rps["without"])]
    rows = []
    for key in gated:
        # Ratios are taken within each round (same moment, same noise), then the median.
        ratio = [w / b for w, b in zip(rps[key], rps["without"])]
        over_floor = [w / f for w, f in zip(rps[key], rps["floor"])]

        def latency(field):
            return "→".join("%.2f" % statistics.median(run[field] for run in results[k])
                            for k in BASELINES + (key,))

        rows.append("| %s (%s) | %.0f (%s) | %.0f (%s) | %.0f (%s) | %.3f (%.3f–%.3f) | %.3f | %.3f (%.3f–%.3f) "
                    "| %s | %s |" % (
                        name, STORE_LABELS[key], median["without"], spread(rps["without"]), median["floor"],
                        spread(rps["floor"]), median[key], spread(rps[key]), statistics.median(ratio),
                        min(ratio), max(ratio), statistics.median(floor_ratio), statistics.median(over_floor),
                        min(over_floor), max(over_floor), latency("p50"), latency("p99")))
    return rows


STORE_LABELS = {"with": "SQLite", "with-pg": "PostgreSQL"}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--duration", type=int, default=3, help="seconds per wrk run")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--http-threads", type=int, default=50, help="Orthanc's HttpThreadsCount")
    parser.add_argument("--mode", choices=("local", "remote"), default="local")
    parser.add_argument("--store", choices=("sqlite", "postgresql", "both"), default="sqlite",
                        help="the gated Orthanc's share store; both: one gated Orthanc on each")
    parser.add_argument("--markdown", help="also write the table to this file")
    args = parser.parse_args()

    samples = tempfile.mkdtemp(prefix="studyshare-bench-")
    subprocess.run(["bash", os.path.join(ROOT, "tests", "fixtures", "make_studies.sh"), samples],
                   check=True, capture_output=True)
    manifest = json.load(open(os.path.join(samples, "manifest.json")))
    study_uid = manifest["Studies"][0]["StudyInstanceUID"]

    quiet = {"HttpThreadsCount": args.http_threads}
    section = {"Secret": "b" * 48, "Store": {"Type": "sqlite", "Path": os.path.join(samples, "shares.db")}}
    service = None
    pg = None
    servers = {}
    gated = ["with"] if args.store != "postgresql" else []
    try:
        if args.store != "sqlite":
            if args.mode == "remote":
                raise SystemExit("--store postgresql is measured in local mode")
            pg = PostgresCluster()
            pg.create_database("studyshare")
            gated.append("with-pg")
        if args.mode == "remote":
            caller = ("orthanc", "bench-caller-pw-0123456789")
            service = ServiceProcess(settings={"USERS": json.dumps(dict([caller]))},
                                     config={"StudyShare": dict(section)}, store=False)
            section.update({"Mode": "remote", "WebService": service.url,
                            "WebServiceUsername": caller[0], "WebServicePassword": caller[1]})
        viewers = [DICOMWEB_PLUGIN, WEBVIEWER_PLUGIN]
        servers["without"] = OrthancProcess(plugins=viewers, extra_config=quiet, verbose=False)
        servers["floor"] = OrthancProcess(plugins=viewers + [FLOOR_PLUGIN], extra_config=quiet, verbose=False)
        if "with" in gated:
            servers["with"] = OrthancProcess(plugins=viewers + [PLUGIN], verbose=False,
                                             extra_config=dict(quiet, StudyShare=section))
        if "with-pg" in gated:
            pg_section = dict(section, Store={"Type": "postgresql", "Connection": pg.connection("studyshare")})
            servers["with-pg"] = OrthancProcess(plugins=viewers + [PLUGIN], verbose=False,
                                                extra_config=dict(quiet, StudyShare=pg_section))
        for server in servers.values():
            server.upload_dir(os.path.join(samples, "synth"))
        first = servers[gated[0]]
        study_id = first.api("POST", "/tools/lookup", data=study_uid).json()[0]["ID"]
        instance_id = first.get_json("/studies/%s/instances" % study_id)[0]["ID"]
        headers = {"without": [], "floor": []}
        for key in gated:
            share = servers[key].api("POST", "/studyshare/shares",
                                     json={"Resources": [{"Level": "Study", "OrthancId": study_id}],
                                           "ValidityDuration": 86400})
            headers[key] = ["Authorization: Bearer " + share.json()["Token"]]
        order_base = list(BASELINES) + gated

        routes = [
            ("QIDO series of a study", "/dicom-web/studies/%s/series" % study_uid),
            ("WADO-RS study metadata", "/dicom-web/studies/%s/metadata" % study_uid),
            ("instance preview (PNG)", "/instances/%s/preview" % instance_id),
            ("Web Viewer image", "/web-viewer/instances/jpeg95-%s_0" % instance_id),
        ]
        lines = [
            "gate in %s mode; wrk -t%d -c%d -d%ds; HttpThreadsCount %d; %d interleaved rounds (order rotates); "
            "req/s as median (min–max); ratios taken per round, median (min–max)"
            % (args.mode, args.threads, args.connections, args.duration, args.http_threads, args.rounds),
            "",
            "| route (store) | without req/s | allow-all req/s | StudyShare req/s | with/without | allow-all/without "
            "| with/allow-all | p50 ms w/o→floor→with | p99 ms w/o→floor→with |",
            "|---|---|---|---|---|---|---|---|---|",
        ]
        print("\n".join(lines), flush=True)
        for name, path in routes:
            results = {key: [] for key in order_base}
            for round_index in range(args.rounds):
                shift = round_index % len(order_base)
                for key in order_base[shift:] + order_base[:shift]:
                    results[key].append(run_wrk(servers[key].url + path, headers[key], args.duration,
                                                args.threads, args.connections))
            rows = summarize(name, results, gated)
            lines += rows
            print("\n".join(rows), flush=True)
        lines += ["", "Resident memory at the end (MB): " + ", ".join(
            "%s %.0f" % (key, resident_megabytes(servers[key])) for key in order_base)]
        print(lines[-1])
        if args.markdown:
            with open(args.markdown, "w") as out:
                out.write("\n".join(lines) + "\n")
    finally:
        for server in servers.values():
            server.cleanup()
        if service is not None:
            service.cleanup()
        if pg is not None:
            pg.cleanup()


if __name__ == "__main__":
    main()
