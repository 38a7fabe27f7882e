#!/usr/bin/env bash
# Makes sure Xvfb (a virtual X display) is installed for the tests of
# sessiontrace record's default mode, which opens a Chromium window.
# Installs Debian's xvfb package when it may (root with apt-get); otherwise
# says exactly what to install.
set -euo pipefail

if command -v Xvfb >/dev/null 2>&1; then exit 0; fi

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Xvfb is missing: installing Debian's xvfb package..." >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq xvfb >&2
  if command -v Xvfb >/dev/null 2>&1; then exit 0; fi
fi

cat >&2 <<'MSG'
Xvfb is missing, and this script cannot install it (it needs root and apt-get).
The tests of `sessiontrace record` open a Chromium window on a virtual display.
Install it, then run make again:
  Debian/Ubuntu:  sudo apt-get install xvfb
MSG
exit 1
