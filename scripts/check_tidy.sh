#!/usr/bin/env bash
# Runs clang-tidy (the checks in .clang-tidy) on the C++ sources changed since BASE (default: the
# merge base with main, else HEAD~1), or on every source with --all. Needs a configured build
# with compile_commands.json (the ci and dev presets write one).
#   scripts/check_tidy.sh [--all] [BASE] [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
all=0
if [[ "${1:-}" == "--all" ]]; then all=1; shift; fi
base="${1:-$(git merge-base HEAD main 2>/dev/null || git rev-parse HEAD~1 2>/dev/null || git rev-parse HEAD)}"
build="${2:-build/ci}"
[[ -f "$build/compile_commands.json" ]] || build=build/dev
tidy=$(command -v clang-tidy-14 || command -v clang-tidy)
if [[ $all == 1 ]]; then
  mapfile -t files < <(git ls-files 'src/*.cpp' 'examples/*.cpp' 'bindings/python/src/*.cpp')
else
  mapfile -t files < <(git diff --name-only --diff-filter=d "$base" -- 'src/*.cpp' 'examples/*.cpp' 'bindings/python/src/*.cpp')
fi
if [[ ${#files[@]} == 0 ]]; then
  echo "tidy: no changed C++ sources since ${base:0:12}"
  exit 0
fi
echo "tidy: ${#files[@]} file(s)"
# GCC 12 compiles C++17 without a -std flag; clang-tidy-14 would assume C++14.
"$tidy" -p "$build" --quiet --extra-arg=-std=c++17 "${files[@]}"
