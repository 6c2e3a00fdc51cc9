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

Run: /usr/bin/python3 bench/pg_propagation.py [--revocations 200]
Not a test: it asserts nothing about speed.
"""

import argparse
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
from test_postgres_nodes import make_node  # noqa: E402


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100.0 * (len(ordered) - 1))))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--revocations", type=int, default=200)
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
        finally:
            for node in nodes:
                node.cleanup()
    print("revocation propagation node 2 -> node 1 over %d revocations (ms): p50 %.1f  p90 %.1f  p99 %.1f  "
          "max %.1f  mean %.1f" % (len(delays), percentile(delays, 50), percentile(delays, 90),
                                   percentile(delays, 99), max(delays), statistics.mean(delays)))


if __name__ == "__main__":
    main()
