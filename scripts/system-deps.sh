#!/usr/bin/env bash
# Install the Debian packages that the browser tests and the PDF reports need,
# when they are missing:
#   chromium        the browser Playwright drives (never a downloaded one)
#   fonts-noto-cjk  Korean glyphs in pages, screenshots and PDFs
#   poppler-utils   pdftoppm, to render PDF reports to PNG in the tests
# Idempotent and quick when everything is present (one dpkg query per package).
# Uses sudo only when not root. Runs `apt-get update` only if the first install
# attempt fails (a fresh machine with empty package lists).
set -euo pipefail

packages=(chromium fonts-noto-cjk poppler-utils)

installed() {
  dpkg -s "$1" 2>/dev/null | grep -q '^Status: install ok installed$'
}

missing=()
for package in "${packages[@]}"; do
  if ! installed "$package"; then missing+=("$package"); fi
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "system-deps: all present (${packages[*]})"
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "system-deps: missing ${missing[*]}, and this is not a Debian-like system" \
    "(no apt-get): install them with your package manager" >&2
  exit 1
fi

as_root=()
if [ "$(id -u)" -ne 0 ]; then
  if ! command -v sudo >/dev/null 2>&1; then
    echo "system-deps: missing ${missing[*]}; run this script as root (no sudo)" >&2
    exit 1
  fi
  as_root=(sudo)
fi

apt_install() {
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y --no-install-recommends "${missing[@]}"
}

echo "system-deps: installing ${missing[*]}"
if ! apt_install; then
  echo "system-deps: install failed; refreshing the package lists (apt-get update)"
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update
  apt_install
fi

still=()
for package in "${missing[@]}"; do
  if ! installed "$package"; then still+=("$package"); fi
done
if [ ${#still[@]} -ne 0 ]; then
  echo "system-deps: still missing after install: ${still[*]}" >&2
  exit 1
fi
echo "system-deps: installed ${missing[*]}"
