#!/usr/bin/env bash
# Runs one libFuzzer target for a bounded time from seeds made now out of the project's inputs.
# A crash fails the test; the input is left in WORK/artifacts/ (copy it to regressions/TARGET/
# and fix the bug: from then on every build replays it).
#
# usage: run_fuzz.sh EXE TARGET SECONDS SOURCE_DIR CONFORMANCE_DIR WORK_DIR
set -euo pipefail
exe=$1 target=$2 seconds=$3 source=$4 conformance=$5 work=$6
here="$(cd "$(dirname "$0")" && pwd)"

rm -rf "$work"
mkdir -p "$work/seeds" "$work/corpus" "$work/artifacts"
/usr/bin/python3 "$here/make_corpus.py" "$source" "$conformance" "$work/seeds" >/dev/null
mkdir -p "$here/regressions/$target"

# -rss_limit_mb: the evaluation budgets keep memory far below this; -timeout: no input may hang.
"$exe" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=3072 -max_len=65536 \
  -dict="$here/knead.dict" -artifact_prefix="$work/artifacts/" -print_final_stats=1 \
  "$work/corpus" "$work/seeds/$target" "$here/regressions/$target" 2>"$work/log" || {
  tail -n 60 "$work/log"
  echo "fuzz.$target: crash; the input is in $work/artifacts/" >&2
  exit 1
}
runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$work/log" | grep -o '[0-9]*$' || echo '?')
echo "fuzz.$target: $runs executions in $seconds s, no crash"
