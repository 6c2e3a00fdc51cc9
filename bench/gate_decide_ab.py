#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Interleaved A/B of two gate_decide_benchmark binaries (e.g. main's and a
branch's): rounds alternate which binary runs first, and each row reports the
median CPU time per decision, its spread and the median ratio taken within
each round, so the load of a shared machine falls on both sides alike."""
import argparse
import json
import statistics
import subprocess


def run(binary, min_time):
    out = subprocess.run([binary, f"--benchmark_min_time={min_time}", "--benchmark_format=json"],
                         check=True, capture_output=True, text=True).stdout
    rows = {}
    for b in json.loads(out)["benchmarks"]:
        rows[b["name"]] = (b["cpu_time"], b.get("allocs/op", float("nan")))
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--before", required=True)
    parser.add_argument("--after", required=True)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--min-time", default="0.3")
    args = parser.parse_args()

    before, after = [], []
    for i in range(args.rounds):
        order = [(args.before, before), (args.after, after)]
        for binary, results in order if i % 2 == 0 else reversed(order):
            results.append(run(binary, args.min_time))

    print(f"{args.rounds} interleaved rounds, order alternating; CPU ns per call, median (min–max); "
          "ratio after/before taken per round")
    print()
    print("| benchmark | before CPU ns | before allocs/op | after CPU ns | after allocs/op | after/before |")
    print("|---|---|---|---|---|---|")
    for name in before[0]:
        if name not in after[0]:
            continue
        b = [r[name][0] for r in before]
        a = [r[name][0] for r in after]
        ratios = [x / y for x, y in zip(a, b)]
        print(f"| `{name}` | {statistics.median(b):,.0f} ({min(b):,.0f}–{max(b):,.0f}) | {before[0][name][1]:.0f} "
              f"| {statistics.median(a):,.0f} ({min(a):,.0f}–{max(a):,.0f}) | {after[0][name][1]:.0f} "
              f"| {statistics.median(ratios):.2f} ({min(ratios):.2f}–{max(ratios):.2f}) |")


if __name__ == "__main__":
    main()
