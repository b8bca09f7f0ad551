#!/usr/bin/env bash
# Make sure PostgreSQL answers at 127.0.0.1:5432 with a database `test`:
# start the local cluster if it is down, install it from Debian if it is missing.
set -euo pipefail

answers() { pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; }

if ! command -v pg_isready >/dev/null 2>&1; then
  echo "postgres: not installed; installing from Debian"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
if ! answers; then
  echo "postgres: not answering at 127.0.0.1:5432; starting the cluster"
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  for _ in $(seq 1 30); do answers && break; sleep 1; done
fi
if ! answers; then
  echo "postgres: still not answering at 127.0.0.1:5432" >&2
  exit 1
fi
if ! psql -h 127.0.0.1 -U postgres -d test -c 'select 1' >/dev/null 2>&1; then
  echo "postgres: creating database test"
  su postgres -c "createdb test" 2>/dev/null || psql -h 127.0.0.1 -U postgres -c 'create database test'
fi
echo "postgres: answering at 127.0.0.1:5432"
