# SPDX-License-Identifier: GPL-3.0-or-later
"""Smoke test of the integration harness and the DICOM fixtures, with plain
Orthanc (DICOMweb + Web Viewer plugins, no StudyShare plugin)."""

import io
import json
import os
import struct
import subprocess
import zlib

import pytest

from orthanc_harness import (DICOMWEB_PLUGIN, WEBVIEWER_PLUGIN, OrthancProcess,
                             free_port)

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
MAKE_STUDIES = os.path.join(REPO, "tests", "fixtures", "make_studies.sh")

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def fixtures(tmp_path_factory):
    out = tmp_path_factory.mktemp("fixtures")
    subprocess.run([MAKE_STUDIES, str(out)], check=True, stdout=subprocess.DEVNULL)
    with open(out / "manifest.json") as f:
        manifest = json.load(f)
    return out, manifest


@pytest.fixture(scope="module")
def orthanc(fixtures):
    out, _ = fixtures
    with OrthancProcess(plugins=[DICOMWEB_PLUGIN, WEBVIEWER_PLUGIN]) as o:
        answers = o.upload_dir(str(out))
        assert answers and all(a.get("Status") in ("Success", "AlreadyStored")
                               for a in answers), answers
        yield o


def png_pixels_vary(data):
    """True if the PNG's decoded pixels are not all one value."""
    try:
        from PIL import Image
    except ImportError:
        Image = None
    if Image is not None:
        img = Image.open(io.BytesIO(data))
        lo, hi = img.convert("L").getextrema()
        return hi > lo
    # Fallback without Pillow: inflate IDAT and look at the raw scanlines
    # (filter bytes included, good enough to tell a constant image apart).
    pos, idat = 8, b""
    while pos < len(data):
        length, ctype = struct.unpack(">I4s", data[pos:pos + 8])
        if ctype == b"IDAT":
            idat += data[pos + 8:pos + 8 + length]
        pos += 12 + length
    raw = zlib.decompress(idat)
    return len(set(raw)) > 2


def test_free_port_is_bindable():
    port = free_port()
    assert 1024 <= port <= 65535


def test_manifest_shape(fixtures):
    out, manifest = fixtures
    studies = {s["Key"]: s for s in manifest["Studies"]}
    assert set(studies) == {"A", "B", "C"}
    assert [len(s["SOPInstanceUIDs"]) for s in studies["A"]["Series"]] == [3, 3]
    assert [len(s["SOPInstanceUIDs"]) for s in studies["B"]["Series"]] == [2]
    assert [len(s["SOPInstanceUIDs"]) for s in studies["C"]["Series"]] == [1]
    for s in manifest["Studies"]:
        for rel in s["Files"]:
            assert os.path.isfile(out / rel)
    assert any(e["File"].endswith("CT_small.dcm") for e in manifest["Extra"])


def test_orthanc_has_fixtures(orthanc, fixtures):
    _, manifest = fixtures
    system = orthanc.get_json("/system")
    assert system["Version"].startswith("1.")
    patients = orthanc.get_json("/patients")
    assert len(patients) >= 2

    for expected in manifest["Studies"]:
        found = orthanc.api("POST", "/tools/find", json={
            "Level": "Study",
            "Query": {"StudyInstanceUID": expected["StudyInstanceUID"]},
            "Expand": True}).json()
        assert len(found) == 1, expected["StudyInstanceUID"]
        study = found[0]
        assert study["PatientMainDicomTags"]["PatientID"] == expected["PatientID"]
        assert study["MainDicomTags"]["StudyDescription"] == expected["StudyDescription"]
        assert study["MainDicomTags"]["StudyDate"] == expected["StudyDate"]

        series = orthanc.get_json("/studies/%s/series" % study["ID"])
        got = {s["MainDicomTags"]["SeriesInstanceUID"]: s for s in series}
        want = {s["SeriesInstanceUID"]: s for s in expected["Series"]}
        assert set(got) == set(want)
        for uid, s in want.items():
            instances = orthanc.get_json("/series/%s/instances" % got[uid]["ID"])
            assert sorted(i["MainDicomTags"]["SOPInstanceUID"] for i in instances) \
                == sorted(s["SOPInstanceUIDs"])

    p1 = orthanc.api("POST", "/tools/find", json={
        "Level": "Patient", "Query": {"PatientID": "SS-P1"}, "Expand": True}).json()
    assert len(p1) == 1 and len(p1[0]["Studies"]) == 2
    assert p1[0]["MainDicomTags"]["PatientBirthDate"] == "19800215"


def test_ct_preview_is_a_real_png(orthanc, fixtures):
    _, manifest = fixtures
    study_a = next(s for s in manifest["Studies"] if s["Key"] == "A")
    sop_uid = study_a["Series"][0]["SOPInstanceUIDs"][1]
    found = orthanc.api("POST", "/tools/lookup", data=sop_uid).json()
    assert len(found) == 1 and found[0]["Type"] == "Instance"
    r = orthanc.api("GET", "/instances/%s/preview" % found[0]["ID"])
    assert r.status_code == 200, r.text[:300]
    assert r.headers["Content-Type"].startswith("image/png")
    png = r.content
    assert png.startswith(PNG_SIGNATURE)
    width, height = struct.unpack(">II", png[16:24])
    assert (width, height) == (64, 64)
    assert png_pixels_vary(png)


def test_dicomweb_and_webviewer_plugins_loaded(orthanc, fixtures):
    _, manifest = fixtures
    plugins = orthanc.get_json("/plugins")
    assert "dicom-web" in plugins and "web-viewer" in plugins
    uid = manifest["Studies"][0]["StudyInstanceUID"]
    r = orthanc.api("GET", "/dicom-web/studies", params={"StudyInstanceUID": uid})
    assert r.status_code == 200 and len(r.json()) == 1


def test_restart_keeps_storage(orthanc):
    before = orthanc.get_json("/studies")
    pid = orthanc.pid
    orthanc.restart()
    assert orthanc.pid != pid
    assert sorted(orthanc.get_json("/studies")) == sorted(before)
