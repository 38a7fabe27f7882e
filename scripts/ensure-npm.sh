#!/usr/bin/env bash
# Makes sure npm (with Node.js) is installed for the schema validators the
# tests use. Installs Debian's packages when it may (root with apt-get);
# otherwise says exactly what to install.
set -euo pipefail
if command -v npm >/dev/null 2>&1 && command -v node >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "npm is missing: installing Debian's nodejs and npm packages..." >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq nodejs npm >&2
  command -v npm >/dev/null 2>&1 && exit 0
fi
cat >&2 <<'MSG'
npm is missing, and this script cannot install it (it needs root and apt-get).
Install Node.js 18 or later with npm, then run make again:
  Debian/Ubuntu:  sudo apt-get install nodejs npm
MSG
exit 1
