#!/usr/bin/env bash
# Makes sure the Debian-packaged stacks of `make conformance` are installed:
# PHP's command-line interpreter (php-cli, for php -S) and Flask for
# Debian's python3 (python3-flask). Installs them when it may (root with
# apt-get); otherwise says exactly what to install.
set -euo pipefail

missing=()
command -v php >/dev/null 2>&1 || missing+=(php-cli)
/usr/bin/python3 -c 'import flask' >/dev/null 2>&1 || missing+=(python3-flask)
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "conformance stacks missing: installing Debian's ${missing[*]}..." >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq "${missing[@]}" >&2
  command -v php >/dev/null 2>&1 && /usr/bin/python3 -c 'import flask' >/dev/null 2>&1 && exit 0
fi

cat >&2 <<MSG
The conformance tests need Debian packages that this script cannot install
(it needs root and apt-get): ${missing[*]}
Install them, then run make conformance again:
  Debian/Ubuntu:  sudo apt-get install ${missing[*]}
MSG
exit 1
