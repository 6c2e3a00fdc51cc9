#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Benchmark: what an inbox link costs on upload throughput.

One Orthanc with StudyShare. Per round and file size, N fresh DICOM files
(new UIDs, made with pydicom from a fixture CT slice) are uploaded twice:
through an inbox (POST /share/api/inbox/files with the inbox session, as the
upload page sends them) and straight to Orthanc (POST /instances with admin
credentials), each with --parallel requests in flight (the page sends 4).
The two sides alternate which goes first every round, so that the noise of a
shared machine hits both alike; the ratio inbox/direct is taken per round.
Every answer is checked (each file accepted, or stored by Orthanc). Prints,
per size, the medians and spreads (min–max) over the rounds of files/s and
MB/s of both sides and of the ratio, as a Markdown table (also written to
--markdown FILE).

Run: /usr/bin/python3 bench/inbox_upload.py [--rounds 5] [--files 100] [--parallel 4] [--markdown out.md]
Smoke: --rounds 1 --files 5. Not a test: it asserts nothing about speed.
"""

import argparse
import concurrent.futures
import io
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

import pydicom
import requests

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "tests", "integration"))

from inbox_files import fixture_file, fresh_uid  # noqa: E402
from orthanc_harness import OrthancProcess  # noqa: E402

PLUGIN = os.environ.get("STUDYSHARE_PLUGIN", os.path.join(ROOT, "build", "src", "plugin", "libStudyShare.so"))
SIZES = (("64×64 CT slice", 64), ("512×512 CT slice", 512))


def make_files(template, count, side):
    """``count`` DICOM files of one new study, each with new UIDs, pixel data of the given side."""
    ds = pydicom.dcmread(template)
    ds.StudyInstanceUID = fresh_uid()
    ds.SeriesInstanceUID = fresh_uid()
    ds.PatientName = "BENCH^INBOX"
    ds.Rows = ds.Columns = side
    pixels = os.urandom(side * side * 2)
    files = []
    for _ in range(count):
        ds.SOPInstanceUID = fresh_uid()
        ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
        ds.PixelData = pixels
        out = io.BytesIO()
        ds.save_as(out, write_like_original=False)
        files.append(out.getvalue())
    return files


class Uploader:
    """Sends files with a few requests in flight, one HTTP session per thread."""

    def __init__(self, parallel):
        self.pool = concurrent.futures.ThreadPoolExecutor(parallel)
        self.local = threading.local()

    def session(self):
        if not hasattr(self.local, "session"):
            self.local.session = requests.Session()
        return self.local.session

    def run(self, send, files):
        started = time.perf_counter()
        answers = list(self.pool.map(lambda data: send(self.session(), data), files))
        return time.perf_counter() - started, answers


def through_inbox(server):
    inbox = server.api("POST", "/studyshare/shares", json={"Kind": "Inbox", "ValidityDuration": 3600})
    inbox.raise_for_status()
    opened = requests.post(server.url + "/share/api/open", json={"Token": inbox.json()["Token"]}, timeout=60)
    opened.raise_for_status()
    headers = {"Authorization": "Bearer " + opened.json()["SessionToken"], "Content-Type": "application/dicom",
               "X-File-Name": "image.dcm"}

    def send(session, data):
        r = session.post(server.url + "/share/api/inbox/files", data=data, headers=headers, timeout=120)
        return r.status_code == 200 and r.json()["Accepted"] == 1

    return send


def direct(server):
    def send(session, data):
        r = session.post(server.url + "/instances", data=data, auth=server.admin_auth,
                         headers={"Content-Type": "application/dicom"}, timeout=120)
        return r.status_code == 200 and r.json()["Status"] == "Success"

    return send


def spread(values, digits):
    return "%.*f–%.*f" % (digits, min(values), digits, max(values))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--files", type=int, default=100, help="files per side, size and round")
    parser.add_argument("--parallel", type=int, default=4, help="requests in flight")
    parser.add_argument("--markdown", help="also write the table to this file")
    args = parser.parse_args()

    work = tempfile.mkdtemp(prefix="studyshare-bench-inbox-")
    subprocess.run(["bash", os.path.join(ROOT, "tests", "fixtures", "make_studies.sh"), work], check=True,
                   capture_output=True)
    template = fixture_file(work)
    section = {"Secret": "i" * 48, "Store": {"Type": "sqlite", "Path": os.path.join(work, "shares.db")}}
    server = OrthancProcess(plugins=[PLUGIN], extra_config={"StudyShare": section}, verbose=False, start=False)
    server.extra_config["StudyShare"]["PublicUrl"] = server.url
    uploader = Uploader(args.parallel)
    try:
        server.start()
        lines = [
            "%d files per side and round, %d in flight, %d interleaved rounds (the first side alternates); "
            "median (min–max) over the rounds; the ratio is taken per round" % (args.files, args.parallel,
                                                                               args.rounds),
            "",
            "| files | direct files/s | inbox files/s | direct MB/s | inbox MB/s | inbox/direct |",
            "|---|---|---|---|---|---|",
        ]
        print("\n".join(lines), flush=True)
        for name, side in SIZES:
            rates = {"direct": [], "inbox": []}
            megabytes = {"direct": [], "inbox": []}
            for round_index in range(args.rounds):
                order = ("direct", "inbox") if round_index % 2 == 0 else ("inbox", "direct")
                for key in order:
                    files = make_files(template, args.files, side)
                    send = through_inbox(server) if key == "inbox" else direct(server)
                    seconds, answers = uploader.run(send, files)
                    if not all(answers):
                        raise SystemExit("%s: %d of %d files were not stored; the benchmark is invalid"
                                         % (key, answers.count(False), len(answers)))
                    rates[key].append(len(files) / seconds)
                    megabytes[key].append(sum(len(f) for f in files) / seconds / 1e6)
            ratio = [i / d for i, d in zip(rates["inbox"], rates["direct"])]
            size_kb = len(make_files(template, 1, side)[0]) / 1024.0
            row = "| %s (%.0f KB) | %.0f (%s) | %.0f (%s) | %.1f (%s) | %.1f (%s) | %.2f (%.2f–%.2f) |" % (
                name, size_kb, statistics.median(rates["direct"]), spread(rates["direct"], 0),
                statistics.median(rates["inbox"]), spread(rates["inbox"], 0), statistics.median(megabytes["direct"]),
                spread(megabytes["direct"], 1), statistics.median(megabytes["inbox"]),
                spread(megabytes["inbox"], 1), statistics.median(ratio), min(ratio), max(ratio))
            lines.append(row)
            print(row, flush=True)
        if args.markdown:
            with open(args.markdown, "w") as out:
                out.write("\n".join(lines) + "\n")
    finally:
        uploader.pool.shutdown()
        server.cleanup()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
