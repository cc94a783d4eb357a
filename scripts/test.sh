#!/usr/bin/env bash
# Installs what is missing, builds everything with warnings as errors and runs every test; then
# builds with clang and the address and undefined-behaviour sanitizers (with the fuzz targets)
# and runs the tests there, each fuzz target for KNEAD_FUZZ_SECONDS; then builds the command and
# the unit tests with ThreadSanitizer and runs the tests that use threads; last, clang-tidy on the
# C++ files changed since main. Prints how long each step took.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc 2>/dev/null || echo 2)
timings=()

step() {
  local name=$1
  shift
  local start=$SECONDS
  "$@"
  timings+=("$(printf '%-28s %4d s' "$name" $((SECONDS - start)))")
}

step setup bash scripts/setup.sh

step "ci: configure" cmake --preset ci
step "ci: build" cmake --build --preset ci -j "$jobs"
step "ci: test" ctest --preset ci -j "$jobs"

step "asan-ubsan: configure" cmake --preset asan-ubsan
step "asan-ubsan: build" cmake --build --preset asan-ubsan -j "$jobs"
step "asan-ubsan: test and fuzz" ctest --preset asan-ubsan -j "$jobs"

step "tsan: configure" cmake --preset tsan
step "tsan: build" cmake --build --preset tsan -j "$jobs"
step "tsan: test" ctest --preset tsan -j "$jobs"

step "clang-tidy: changed files" bash scripts/check_tidy.sh

echo "test.sh: time per step"
printf '  %s\n' "${timings[@]}"
echo "  total                        $SECONDS s"
