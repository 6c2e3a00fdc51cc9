#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# First start: a cluster whose superuser password is the mounted secret
# (scram-sha-256, no trust), with the databases both nodes use. Then
# PostgreSQL on the pod's loopback only.
set -eu
DATA=/var/lib/postgresql/data/cluster
BIN=/usr/lib/postgresql/15/bin
SECRET=/run/secrets/postgres-password
if [ ! -s "$DATA/PG_VERSION" ]; then
    [ -r "$SECRET" ] || { echo "postgres: $SECRET missing: mount the password" >&2; exit 1; }
    "$BIN/initdb" -D "$DATA" -U postgres --auth=scram-sha-256 --pwfile="$SECRET" -E UTF8 >/dev/null
    "$BIN/postgres" --single -D "$DATA" postgres >/dev/null <<SQL
CREATE DATABASE orthanc;
CREATE DATABASE studyshare;
SQL
fi
exec "$BIN/postgres" -D "$DATA" -c listen_addresses=127.0.0.1 -c port=5432
