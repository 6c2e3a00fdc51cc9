#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Profile: where an Orthanc with StudyShare spends its time on a gated route.

Starts one Orthanc with the DICOMweb and Web Viewer plugins and StudyShare,
loads the sample studies, creates a share, and records `perf record -g` on
the Orthanc process while wrk drives one route with the share token. Prints
the top of `perf report` by shared object, then by symbol, and the share of
samples inside the StudyShare plugin.

Run: /usr/bin/python3 bench/profile_preview.py [--route preview|webviewer|qido] [--duration 5]
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "tests", "integration"))

from orthanc_harness import DICOMWEB_PLUGIN, WEBVIEWER_PLUGIN, OrthancProcess  # noqa: E402

PLUGIN = os.environ.get("STUDYSHARE_PLUGIN", os.path.join(ROOT, "build", "src", "plugin", "libStudyShare.so"))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--route", choices=("preview", "webviewer", "qido"), default="preview")
    parser.add_argument("--duration", type=int, default=5)
    parser.add_argument("--lines", type=int, default=25, help="symbols to print")
    args = parser.parse_args()

    samples = tempfile.mkdtemp(prefix="studyshare-profile-")
    subprocess.run(["bash", os.path.join(ROOT, "tests", "fixtures", "make_studies.sh"), samples],
                   check=True, capture_output=True)
    study_uid = json.load(open(os.path.join(samples, "manifest.json")))["Studies"][0]["StudyInstanceUID"]
    section = {"Secret": "b" * 48, "Store": {"Type": "sqlite", "Path": os.path.join(samples, "shares.db")}}
    server = OrthancProcess(plugins=[DICOMWEB_PLUGIN, WEBVIEWER_PLUGIN, PLUGIN], verbose=False,
                            extra_config={"HttpThreadsCount": 50, "StudyShare": section})
    try:
        server.upload_dir(os.path.join(samples, "synth"))
        study_id = server.api("POST", "/tools/lookup", data=study_uid).json()[0]["ID"]
        instance_id = server.get_json("/studies/%s/instances" % study_id)[0]["ID"]
        token = server.api("POST", "/studyshare/shares", json={
            "Resources": [{"Level": "Study", "OrthancId": study_id}], "ValidityDuration": 86400}).json()["Token"]
        path = {"preview": "/instances/%s/preview" % instance_id,
                "webviewer": "/web-viewer/instances/jpeg95-%s_0" % instance_id,
                "qido": "/dicom-web/studies/%s/series" % study_uid}[args.route]
        data = os.path.join(samples, "perf.data")
        perf = subprocess.Popen(["perf", "record", "-g", "-F", "999", "-o", data, "-p", str(server.process.pid)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            subprocess.run(["wrk", "-t2", "-c16", "-d%ds" % args.duration, "-H", "Authorization: Bearer " + token,
                            server.url + path], check=True, capture_output=True)
        finally:
            perf.send_signal(2)
            perf.wait()
        for sort in ("dso", "dso,sym"):
            report = subprocess.run(["perf", "report", "-i", data, "--no-children", "--sort", sort, "--stdio",
                                     "-g", "none", "--percent-limit", "0.5"],
                                    check=True, capture_output=True, text=True).stdout
            rows = [line for line in report.splitlines() if line.strip() and not line.startswith("#")]
            print("== by %s" % sort)
            print("\n".join(rows[:args.lines]))
        children = subprocess.run(["perf", "report", "-i", data, "--children", "--sort", "sym", "--stdio",
                                   "-g", "none", "--percent-limit", "0.3"],
                                  check=True, capture_output=True, text=True).stdout
        print("== inclusive, StudyShare frames")
        print("\n".join(line for line in children.splitlines() if "studyshare" in line.lower())[:4000])
    finally:
        server.cleanup()


if __name__ == "__main__":
    main()
