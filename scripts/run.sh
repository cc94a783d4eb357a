#!/usr/bin/env bash
# Installs what is missing, builds knead, and runs the main job on the shipped default rules.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc 2>/dev/null || echo 2)"
./build/release/examples/logic/knead_logic_example
