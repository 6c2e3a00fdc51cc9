# SPDX-License-Identifier: GPL-3.0-or-later
"""The printable access letter (issue 18, point 2) against a real Orthanc:
`studyshare create --letter FILE.pdf` writes one page whose QR code reads back
as the share's short link and whose text names the hospital, the study, the
access code and the link's end; GET /studyshare/letter/logo; the
StudyShare.Letter section refuses unknown keys."""

import json
import os
import shutil
import struct
import subprocess
import zlib

import pytest
import requests

from conftest import REPO, Env, launch_with_studies, make_orthanc, sharer_hashes, studyshare_section
from orthanc_harness import OrthancError

CLI = os.environ.get("STUDYSHARE_CLI", os.path.join(REPO, "build", "src", "cli", "studyshare"))
HOSPITAL = "Hôpital Saint-Exemple"
CONTACT = "Radiology front desk: +33 1 23 45 67 89 (weekdays 8:00-18:00)"
SCREENSHOT = os.path.join(REPO, "docs", "screenshots", "access-letter-pdf.png")
TOOLS = ("pdftotext", "pdftoppm", "pdfinfo", "zbarimg")


def tiny_png(width=96, height=32):
    """A real PNG (a blue bar), written by hand: no image library needed."""
    row = b"\x00" + b"\x17\x66\xc2" * width
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(row * height)) + chunk(b"IEND", b""))


@pytest.fixture(scope="module")
def letter_env(fixture_files, tmp_path_factory):
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing:
        pytest.fail("missing %s: run scripts/setup.sh (poppler-utils, zbar-tools)" % ", ".join(missing))
    if not os.access(CLI, os.X_OK):
        pytest.fail("studyshare CLI not built: %s" % CLI)
    folder = tmp_path_factory.mktemp("letter")
    logo = folder / "logo.png"
    logo.write_bytes(tiny_png())
    hashes, users = sharer_hashes()
    section = studyshare_section(folder / "shares.db", users)
    section["Letter"] = {"HospitalName": HOSPITAL, "Contact": CONTACT, "LogoFile": str(logo)}
    orthanc = launch_with_studies(make_orthanc({"StudyShare": section}), fixture_files)
    try:
        env = Env(orthanc, fixture_files[1], hashes)
        env.load_ids()
        env.logo = logo.read_bytes()
        yield env
    finally:
        orthanc.cleanup()


def run_cli(env, *args):
    child_env = {k: v for k, v in os.environ.items() if not k.startswith("STUDYSHARE_")}
    child_env.update({"NO_COLOR": "1", "STUDYSHARE_URL": env.url, "STUDYSHARE_USER": env.admin_auth[0],
                      "STUDYSHARE_PASSWORD": env.admin_auth[1]})
    return subprocess.run([CLI] + list(args), capture_output=True, text=True, env=child_env, timeout=120)


def flat(text):
    return " ".join(text.split())


def pdf_info(path):
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in out.splitlines())}


def share_count(env):
    return len(env.list_shares())


def test_cli_letter_is_one_page_whose_qr_code_is_the_short_link(letter_env, tmp_path):
    env = letter_env
    study = env.study("A")
    pdf = tmp_path / "letter.pdf"
    result = run_cli(env, "--json", "create", "--study", study["id"], "--code", "--days", "7", "--letter", str(pdf))
    assert result.returncode == 0, (result.stdout, result.stderr)
    share = json.loads(result.stdout)
    letter = share["Letter"]
    assert letter["HasLogo"] is True and letter["HospitalName"] == HOSPITAL, letter

    info = pdf_info(pdf)
    assert info["Pages"] == "1" and info["Page size"] == "595.276 x 841.89 pts (A4)", info

    text = flat(subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True,
                               check=True).stdout)
    description = [s for s in env.manifest["Studies"] if s["Key"] == "A"][0]["StudyDescription"]
    for expected in (HOSPITAL, CONTACT, share["AccessCode"], description, flat(letter["Validity"]),
                     letter["Title"]):
        assert expected in text, (expected, text)
    assert "2026" in letter["Validity"] or "2027" in letter["Validity"], letter

    subprocess.run(["pdftoppm", "-png", "-r", "150", "-singlefile", str(pdf), str(tmp_path / "page")], check=True)
    decoded = subprocess.run(["zbarimg", "--raw", "-q", str(tmp_path / "page.png")], capture_output=True, text=True)
    assert decoded.returncode == 0, decoded.stderr
    assert decoded.stdout.strip().splitlines() == [share["ShortUrl"]]

    # The short link on the letter, with its access code, opens the share.
    key = share["ShortUrl"].split("#", 1)[1]
    opened = requests.post(env.url + "/share/api/open", json={"Key": key, "AccessCode": share["AccessCode"]},
                           timeout=60)
    assert opened.status_code == 200, opened.text
    assert [s["OrthancId"] for s in opened.json()["Studies"]] == [study["id"]]

    # A small picture of the page for the documentation (read by a person).
    subprocess.run(["pdftoppm", "-png", "-r", "40", "-gray", "-singlefile", str(pdf), str(tmp_path / "small")],
                   check=True)
    shutil.copyfile(tmp_path / "small.png", SCREENSHOT)
    assert os.path.getsize(SCREENSHOT) < 150 * 1024


def test_cli_letter_on_us_letter_paper_in_human_output(letter_env, tmp_path):
    pdf = tmp_path / "letter.pdf"
    result = run_cli(letter_env, "create", "--study", letter_env.study("A")["id"], "--letter", str(pdf),
                     "--paper", "LETTER")
    assert result.returncode == 0, (result.stdout, result.stderr)
    assert "Letter:      %s" % pdf in result.stdout, result.stdout
    info = pdf_info(pdf)
    assert info["Pages"] == "1" and info["Page size"] == "612 x 792 pts (letter)", info


@pytest.mark.parametrize("args,words", [
    (["--paper", "a5"], "--paper must be a4 or letter"),
    (["--paper", ""], "--paper must be a4 or letter"),
])
def test_bad_paper_fails_before_anything_is_sent(letter_env, tmp_path, args, words):
    before = share_count(letter_env)
    pdf = tmp_path / "letter.pdf"
    result = run_cli(letter_env, "create", "--study", letter_env.study("A")["id"], "--letter", str(pdf), *args)
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert words in result.stderr, result.stderr
    assert not pdf.exists()
    assert share_count(letter_env) == before


def test_letter_in_an_unwritable_folder_fails_before_anything_is_sent(letter_env, tmp_path):
    before = share_count(letter_env)
    result = run_cli(letter_env, "create", "--study", letter_env.study("A")["id"], "--letter",
                     str(tmp_path / "no-such-folder" / "letter.pdf"))
    assert result.returncode == 2 and "cannot write in the folder" in result.stderr, result.stderr
    assert share_count(letter_env) == before


def test_api_letter_follows_the_recipient_s_language(letter_env):
    body = {"Resources": [{"Level": "Study", "OrthancId": letter_env.study("A")["id"]}], "ValidityDuration": 3600,
            "AccessCode": True, "RequireBirthDate": True, "Recipient": {"Language": "fr"}}
    r = letter_env.create_share_raw(body)
    assert r.status_code == 201, r.text
    # JSON is UTF-8 (RFC 8259); Orthanc 1.12 labels non-200 answers "application/json, text/plain",
    # which requests would read as Latin-1.
    share = json.loads(r.content.decode("utf-8"))
    letter = share["Letter"]
    assert letter["Language"] == "fr" and letter["Title"] == "Vos images médicales en ligne", letter
    assert letter["AccessCode"] == share["AccessCode"] and letter["QrLink"] == share["ShortUrl"]
    assert letter["Checks"] == ["La date de naissance du patient vous sera aussi demandée."]
    again = letter_env.admin_get("/studyshare/shares/" + share["ID"]).json()
    assert "Letter" not in again and "AccessCode" not in again


def test_logo_route_serves_the_configured_png_to_staff_only(letter_env):
    r = requests.get(letter_env.url + "/studyshare/letter/logo", auth=letter_env.admin_auth, timeout=30)
    assert r.status_code == 200 and r.headers["Content-Type"] == "image/png", r.text
    assert r.content == letter_env.logo
    anonymous = requests.get(letter_env.url + "/studyshare/letter/logo", timeout=30)
    assert anonymous.status_code in (401, 403)
    assert letter_env.logo not in anonymous.content


def test_logo_route_without_a_logo_is_404_json(env):
    r = requests.get(env.url + "/studyshare/letter/logo", auth=env.admin_auth, timeout=30)
    assert r.status_code == 404, r.text
    assert "LogoFile" in r.json()["Message"]


def test_unknown_letter_key_stops_the_plugin(tmp_path):
    section = studyshare_section(tmp_path / "shares.db", None)
    section["Letter"] = {"HospitalName": HOSPITAL, "Telephone": "123"}
    orthanc = make_orthanc({"StudyShare": section})
    try:
        with pytest.raises(OrthancError):
            orthanc.start()
        with open(orthanc.log_path, encoding="utf-8", errors="replace") as f:
            log = f.read()
        assert "unknown key 'StudyShare.Letter.Telephone'" in log, log[-3000:]
    finally:
        orthanc.cleanup()
