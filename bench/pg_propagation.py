#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Benchmark: how fast a revocation on one node reaches another.

Starts a private PostgreSQL and two Orthanc nodes (orthanc-postgresql index
and storage, "Lock": false, the StudyShare plugin on one PostgreSQL store,
ShareCacheMilliseconds 60000 so only the store's notifications can explain
a fast refusal). For each of N shares: node 1 serves it (so it is in node
1's cache), node 2 revokes it, and node 1 is polled with the share token
until it refuses. The delay is measured from the revocation's answer; it
includes one polling request's round trip. Prints p50/p90/p99/max.

Then opens per second (POST /share/api/open of one unlimited share, each a
use count update and an audit insert in the store) with --clients parallel
clients, interleaved in rounds: all on node 1, then spread over both nodes.

Run: /usr/bin/python3 bench/pg_propagation.py [--revocations 200] [--rounds 3] [--seconds 5] [--clients 16]
Not a test: it asserts nothing about speed.
"""

import argparse
import concurrent.futures
import os
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "tests", "integration"))

import subprocess  # noqa: E402
import tempfile  # noqa: E402

from conftest import MAKE_STUDIES, Env, sharer_hashes  # noqa: E402
from postgres_harness import PostgresCluster  # noqa: E402
from test_postgres_nodes import make_node, open_share  # noqa: E402


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100.0 * (len(ordered) - 1))))]


def opens_per_second(envs, token, seconds, clients):
    """Opens per second by ``clients`` threads, client i on node i % len(envs)."""
    deadline = time.monotonic() + seconds

    def client(index):
        done = 0
        while time.monotonic() < deadline:
            r = open_share(envs[index % len(envs)], {"Token": token})
            if r.status_code != 200:
                raise SystemExit("open answered %d: %s" % (r.status_code, r.text))
            done += 1
        return done

    started = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(clients) as pool:
        total = sum(pool.map(client, range(clients)))
    return total / (time.monotonic() - started)


def measure_opens(one, two, args):
    token = one.create_share("A")["Token"]
    runs = {"node 1": [], "both nodes": []}
    for round_index in range(args.rounds):
        order = [("node 1", [one]), ("both nodes", [one, two])]
        for name, envs in order if round_index % 2 == 0 else reversed(order):
            runs[name].append(opens_per_second(envs, token, args.seconds, args.clients))
    ratios = [b / o for b, o in zip(runs["both nodes"], runs["node 1"])]
    print("opens/s with %d clients, %d interleaved rounds of %d s: node 1 alone %.0f (%.0f–%.0f), both nodes "
          "%.0f (%.0f–%.0f), both/one %.2f" % (
              args.clients, args.rounds, args.seconds, statistics.median(runs["node 1"]), min(runs["node 1"]),
              max(runs["node 1"]), statistics.median(runs["both nodes"]), min(runs["both nodes"]),
              max(runs["both nodes"]), statistics.median(ratios)))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--revocations", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3, help="rounds of the opens/s measure")
    parser.add_argument("--seconds", type=int, default=5, help="seconds per opens/s run")
    parser.add_argument("--clients", type=int, default=16)
    args = parser.parse_args()
    fixtures = tempfile.mkdtemp(prefix="studyshare-bench-fixtures-")
    subprocess.run([MAKE_STUDIES, fixtures], check=True, stdout=subprocess.DEVNULL)
    import json
    with open(os.path.join(fixtures, "manifest.json")) as f:
        manifest = json.load(f)
    _, users = sharer_hashes()
    with PostgresCluster() as pg:
        pg.create_database("orthanc")
        pg.create_database("studyshare")
        nodes = [make_node(pg, "node%d" % i, "studyshare", users) for i in (1, 2)]
        try:
            for node in nodes:
                node.start()
            nodes[0].upload_dir(fixtures)
            one, two = [Env(node, manifest, {}) for node in nodes]
            one.load_ids()
            two.load_ids()
            path = "/studies/" + one.study("A")["id"]
            delays = []
            for _ in range(args.revocations):
                share = one.create_share("A")
                assert one.get(path, token=share["Token"]).status_code == 200
                assert two.admin("DELETE", "/studyshare/shares/%s" % share["ID"]).status_code == 200
                start = time.monotonic()
                while one.get(path, token=share["Token"]).status_code == 200:
                    pass
                delays.append((time.monotonic() - start) * 1000)
            print("revocation propagation node 2 -> node 1 over %d revocations (ms): p50 %.1f  p90 %.1f  "
                  "p99 %.1f  max %.1f  mean %.1f" % (len(delays), percentile(delays, 50), percentile(delays, 90),
                                                     percentile(delays, 99), max(delays), statistics.mean(delays)),
                  flush=True)
            measure_opens(one, two, args)
        finally:
            for node in nodes:
                node.cleanup()


if __name__ == "__main__":
    main()
