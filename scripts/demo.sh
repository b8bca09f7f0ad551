#!/usr/bin/env bash
# Set up and run the demo on the embedded default (SQLite, no server needed),
# ending with the web app serving the demo ledger on localhost.
# Usage: bash scripts/demo.sh [FOLDER] [--no-serve] [--port N] [--seed N]
#        (default FOLDER: a new ./rightsledger-demo[-N])
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
folder=
if [ $# -gt 0 ] && [ "${1#-}" = "$1" ]; then folder=$1; shift; fi
if [ -z "$folder" ]; then
  folder=rightsledger-demo
  n=2
  while [ -e "$folder" ]; do folder=rightsledger-demo-$n; n=$((n + 1)); done
fi
exec .venv/bin/rightsledger demo "$folder" "$@"
