#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The demo: installs what is missing, builds, starts Orthanc on 127.0.0.1
# with StudyShare, DICOMweb and the Web Viewer, loads sample studies, shares
# one of them and prints the link. Runs until Ctrl-C, then stops Orthanc.
#   STUDYSHARE_DEMO_PORT   HTTP port (default 8042)
#   STUDYSHARE_DEMO_DIR    where Orthanc keeps its data (default: a new temporary folder)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

scripts/setup.sh
echo "Building StudyShare..."
scripts/build.sh > build.log 2>&1 || { tail -40 build.log; exit 1; }

PORT="${STUDYSHARE_DEMO_PORT:-8042}"
DIR="${STUDYSHARE_DEMO_DIR:-$(mktemp -d /tmp/studyshare-demo.XXXXXX)}"
mkdir -p "$DIR"
URL="http://127.0.0.1:$PORT"
ADMIN_PASSWORD=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')

if curl -s -o /dev/null "$URL/"; then
  echo "Port $PORT is already in use; set STUDYSHARE_DEMO_PORT to another port." >&2
  exit 1
fi

cat > "$DIR/orthanc.json" <<JSON
{
  "Name": "StudyShare demo",
  "HttpPort": $PORT,
  "RemoteAccessAllowed": false,
  "AuthenticationEnabled": false,
  "DicomServerEnabled": false,
  "StorageDirectory": "$DIR/storage",
  "IndexDirectory": "$DIR/storage",
  "StableAge": 2,
  "RegisteredUsers": { "admin": "$ADMIN_PASSWORD" },
  "Plugins": [
    "/usr/share/orthanc/plugins/libOrthancDicomWeb.so",
    "/usr/share/orthanc/plugins/libOrthancWebViewer.so",
    "$ROOT/build/src/plugin/libStudyShare.so"
  ],
  "DicomWeb": { "Enable": true, "Root": "/dicom-web/", "EnableWado": true, "WadoRoot": "/wado" },
  "StudyShare": { "PublicUrl": "$URL" }
}
JSON
mkdir -p "$DIR/storage"

/usr/sbin/Orthanc "$DIR/orthanc.json" > "$DIR/orthanc.log" 2>&1 &
ORTHANC_PID=$!
stop() {
  if kill -0 "$ORTHANC_PID" 2>/dev/null; then
    echo; echo "Stopping Orthanc..."
    kill -TERM "$ORTHANC_PID" 2>/dev/null || true
    wait "$ORTHANC_PID" 2>/dev/null || true
  fi
}
trap stop EXIT
trap 'exit 0' INT TERM

for _ in $(seq 1 300); do
  if curl -s -o /dev/null -u "admin:$ADMIN_PASSWORD" "$URL/system"; then break; fi
  if ! kill -0 "$ORTHANC_PID" 2>/dev/null; then
    echo "Orthanc did not start; its log:" >&2; tail -30 "$DIR/orthanc.log" >&2; exit 1
  fi
  sleep 0.1
done

echo "Loading sample studies..."
tests/fixtures/make_studies.sh "$DIR/samples" > /dev/null
find "$DIR/samples" -name '*.dcm' -print0 | while IFS= read -r -d '' file; do
  curl -s -f -o /dev/null -u "admin:$ADMIN_PASSWORD" -X POST --data-binary "@$file" "$URL/instances"
done

STUDY_UID=$(jq -r '.Studies[0].StudyInstanceUID' "$DIR/samples/manifest.json")
SHARE=$(curl -s -f -u "admin:$ADMIN_PASSWORD" -H 'Content-Type: application/json' -X POST "$URL/studyshare/shares" \
  -d "{\"Resources\":[{\"Level\":\"Study\",\"DicomUid\":\"$STUDY_UID\"}],\"ValidityDuration\":604800,\"Permissions\":[\"View\",\"Download\"],\"Note\":\"demo\"}")
TOKEN=$(jq -r .Token <<<"$SHARE")
STUDY_ID=$(jq -r '.Studies[0].OrthancId' <<<"$SHARE")
SERIES_ID=$(curl -s -f -u "admin:$ADMIN_PASSWORD" "$URL/studies/$STUDY_ID" | jq -r '.Series[0]')

cat <<TEXT

StudyShare demo is running at $URL (data in $DIR)
  Staff:         admin / $ADMIN_PASSWORD   (HTTP Basic, or sign in at $URL/studyshare/staff/)
  Shared study:  $(jq -r '.Studies[0].PatientName + " — " + .Studies[0].StudyDescription' <<<"$SHARE"), valid 7 days

  Share link:    $(jq -r .Url <<<"$SHARE")
  Web Viewer:    $URL/web-viewer/app/viewer.html?series=$SERIES_ID&token=$TOKEN

  With the token, the study answers:
    curl -H "Authorization: Bearer $TOKEN" $URL/dicom-web/studies/$STUDY_UID/series
  and everything else is refused (403):
    curl -H "Authorization: Bearer $TOKEN" $URL/patients

Press Ctrl-C to stop.
TEXT
wait "$ORTHANC_PID"
