#!/usr/bin/env bash
# Runs every fuzz target of the module for FUZZTIME each (default 30s) and
# prints one line per target: package, target, seconds, result. A crash
# leaves its input in the package's testdata/fuzz/TARGET/ folder: commit it
# as a regression test once fixed.
#
#   scripts/fuzz.sh [FUZZTIME]      (a duration such as 30s, or a count such as 3000x)
set -u
fuzztime=${1:-30s}
go=${GO:-go}
cd "$(dirname "$0")/.."
# Every func FuzzX in a _test.go file, as "dir FuzzX".
targets=$(grep -rl --include='*_test.go' '^func Fuzz' . | sort | while read -r f; do
  for t in $(sed -n 's/^func \(Fuzz[A-Za-z0-9_]*\)(.*/\1/p' "$f"); do echo "$(dirname "$f") $t"; done
done)
failed=0
total=0
printf '%-28s %-28s %8s  %s\n' package target seconds result
while read -r dir target; do
  [ -z "$dir" ] && continue
  start=$(date +%s)
  if out=$($go test "$dir" -run '^$' -fuzz "^${target}\$" -fuzztime "$fuzztime" -fuzzminimizetime 100x 2>&1); then
    result=ok
  else
    result=FAIL
    failed=$((failed + 1))
    echo "$out" | tail -20 >&2
  fi
  secs=$(( $(date +%s) - start ))
  total=$((total + secs))
  execs=$(echo "$out" | sed -n 's/.*execs: \([0-9]*\).*/\1/p' | tail -1)
  printf '%-28s %-28s %8s  %s %s\n' "${dir#./}" "$target" "$secs" "$result" "${execs:+($execs execs)}"
done <<< "$targets"
echo "total ${total}s, $failed failed"
[ "$failed" = 0 ]
