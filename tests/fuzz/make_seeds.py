#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Seeds the fuzz targets from the unit tests' tables: every request of
tests/unit/gate/GrammarCases.inc becomes a seed of fuzz_route_grammar and of
fuzz_dicom_query (its query), plus a signed token for fuzz_jwt.
Usage: make_seeds.py OUTPUT_DIR"""

import base64
import hashlib
import hmac
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
CASES = os.path.join(HERE, "..", "unit", "gate", "GrammarCases.inc")
METHODS = {"GET": 0, "HEAD": 1, "POST": 2, "PUT": 3, "DELETE": 4, "OTHER": 4}
PLACEHOLDERS = {
    "$PA": "a1b2c3d4-e5f60718-293a4b5c-6d7e8f90-a1b2c3d4", "$SA": "6b9e19d9-62094390-5f9ddb01-4a191ae7-e7c01c29",
    "$SB": "27f7126f-4f66fb14-03f4d5c5-9c2c2b5e-1f1b8e3a", "$SC": "d2b5a4f8-0c1e3a9b-77e6f1d0-3c4b5a69-8e7f6d5c",
    "$SU": "6B9E19D9-62094390-5F9DDB01-4A191AE7-E7C01C29", "$EA": "0f1e2d3c-4b5a6978-8796a5b4-c3d2e1f0-0f1e2d3c",
    "$EB": "1f1e2d3c-4b5a6978-8796a5b4-c3d2e1f0-0f1e2d3c", "$IA": "2f1e2d3c-4b5a6978-8796a5b4-c3d2e1f0-0f1e2d3c",
    "$IB": "3f1e2d3c-4b5a6978-8796a5b4-c3d2e1f0-0f1e2d3c", "$UA": "1.2.840.113619.2.55.3.604688119.868.1234567890.123",
    "$UB": "1.2.840.113619.2.55.3.604688119.868.1234567890.223", "$VA": "1.2.840.113619.2.55.3.6.124",
    "$VB": "1.2.840.113619.2.55.3.6.224", "$WA": "1.2.840.113619.2.55.3.6.125.1", "$WB": "1.2.840.113619.2.55.3.6.225.1",
}
ROW = re.compile(r'^(?:ROW|CUSTOM)\("([^"]*)",\s*"([A-Z]+)",\s*"((?:[^"\\]|\\.)*)",\s*"((?:[^"\\]|\\.)*)"')
FUZZ_SECRET = b"fuzzing-secret-0123456789-abcdefghijklmnopqrstuv"  # fuzz_jwt.cpp's key


def fill(text):
    for key in sorted(PLACEHOLDERS, key=len, reverse=True):
        text = text.replace(key, PLACEHOLDERS[key])
    return text.encode("latin-1", "replace").decode("unicode_escape").encode("latin-1", "replace")


def b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=")


def write(directory, name, data):
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, name), "wb") as f:
        f.write(data)


def main(out):
    count = 0
    with open(CASES, encoding="utf-8") as f:
        for line in f:
            match = ROW.match(line.strip())
            if not match:
                continue
            name, method, uri, query = match.groups()
            path, args = fill(uri), fill(query)
            request = path + (b"?" + args if args else b"")
            write(os.path.join(out, "fuzz_route_grammar"), name, bytes([METHODS.get(method, 0)]) + request)
            if args:
                write(os.path.join(out, "fuzz_dicom_query"), name, args)
            count += 1
    header = b64(json.dumps({"alg": "HS256", "typ": "studyshare+jwt", "kid": "k1"}).encode())
    payload = b64(json.dumps({"iss": "studyshare", "aud": "studyshare", "jti": "abc", "exp": 1767229200,
                              "iat": 1767225600, "typ": "share"}).encode())
    signature = b64(hmac.new(FUZZ_SECRET, header + b"." + payload, hashlib.sha256).digest())
    write(os.path.join(out, "fuzz_jwt"), "hs256", header + b"." + payload + b"." + signature)
    print("fuzz seeds: %d requests from GrammarCases.inc, 1 token" % count)


if __name__ == "__main__":
    main(sys.argv[1])
