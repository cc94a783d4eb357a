#!/usr/bin/env bash
# Installs what is missing, builds knead, and runs the main job: a recommendation for an example
# patient with the shipped default rules. Pass another patient file to use it instead.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc 2>/dev/null || echo 2)"
./build/release/examples/cli/knead recommend "${1:-examples/patients/fibromyalgia_sleep.json}"
