#!/usr/bin/env bash
# Makes sure a Chromium is installed for the browser tests and the demo.
# Installs Debian's package when it may (root with apt-get); otherwise says
# exactly what to install. Prints the path of the binary on success.
set -euo pipefail

find_chrome() {
  if [ -n "${CHROME_PATH:-}" ] && [ -x "${CHROME_PATH}" ]; then echo "$CHROME_PATH"; return 0; fi
  for n in chromium chromium-browser google-chrome google-chrome-stable; do
    if command -v "$n" >/dev/null 2>&1; then command -v "$n"; return 0; fi
  done
  return 1
}

if p=$(find_chrome); then echo "$p"; exit 0; fi

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Chromium is missing: installing Debian's chromium package (about a minute)..." >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq chromium >&2
  if p=$(find_chrome); then echo "$p"; exit 0; fi
fi

cat >&2 <<'MSG'
Chromium is missing, and this script cannot install it (it needs root and apt-get).
Install it, then run make again:
  Debian/Ubuntu:  sudo apt-get install chromium
  or point CHROME_PATH at a Chrome or Chromium binary (version 120 or later).
MSG
exit 1
