#!/usr/bin/env bash
# Makes sure pdftotext and pdftoppm (Debian's poppler-utils) are installed:
# the tests of `sessiontrace report --format pdf` read the PDF's text and
# render its pages with them. Installs the package when it may (root with
# apt-get); otherwise says exactly what is missing and what to install.
set -euo pipefail

missing=()
for tool in pdftotext pdftoppm; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "${missing[*]} missing: installing Debian's poppler-utils..." >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq poppler-utils >&2
  command -v pdftotext >/dev/null 2>&1 && command -v pdftoppm >/dev/null 2>&1 && exit 0
fi

cat >&2 <<MSG
The PDF report tests need ${missing[*]}, which this script cannot install
(it needs root and apt-get). Install Debian's poppler-utils, then run make again:
  Debian/Ubuntu:  sudo apt-get install poppler-utils
  macOS:          brew install poppler
MSG
exit 1
