#!/usr/bin/env bash
# Set up and run the demo on the embedded default (SQLite, no server needed).
# Usage: bash scripts/demo.sh [FOLDER]   (default: a new ./rightsledger-demo[-N])
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
folder=${1:-}
if [ -z "$folder" ]; then
  folder=rightsledger-demo
  n=2
  while [ -e "$folder" ]; do folder=rightsledger-demo-$n; n=$((n + 1)); done
fi
exec .venv/bin/rightsledger demo "$folder"
