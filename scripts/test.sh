#!/usr/bin/env bash
# The whole check, on a fresh machine: set up, start PostgreSQL if needed, lint,
# type-check, and run the full test suite on SQLite and PostgreSQL, browser
# tests in Debian's Chromium included.
# Fails when no test ran (pytest exit code 5).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/postgres.sh
# Chromium (browser tests), CJK fonts and poppler (PDF reports), from Debian
bash scripts/system-deps.sh

echo "== ruff"
.venv/bin/ruff check src tests benchmarks
.venv/bin/ruff format --check src tests benchmarks
echo "== mypy"
.venv/bin/mypy
echo "== docs"
.venv/bin/cog --check docs/cli.md
echo "== pytest (SQLite and PostgreSQL)"
set +e
.venv/bin/python -m pytest -n 2 -p no:cacheprovider "$@"
code=$?
set -e
if [ "$code" -eq 5 ]; then
  echo "pytest collected no tests: that is a failure here" >&2
  exit 1
fi
exit "$code"
