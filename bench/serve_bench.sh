#!/usr/bin/env bash
# Starts `knead serve` on a free loopback port, runs knead_serve_bench against it, stops it.
# usage: bench/serve_bench.sh KNEAD KNEAD_SERVE_BENCH [CLIENTS] [REQUESTS_PER_CLIENT] [SERVER_THREADS]
set -euo pipefail
knead=$1 bench=$2 clients=${3:-8} per_client=${4:-2000} threads=${5:-0}
here=$(cd "$(dirname "$0")" && pwd)
log=$(mktemp)
"$knead" serve --port 0 --threads "$threads" --access-log off 2>"$log" &
pid=$!
trap 'kill -TERM $pid 2>/dev/null || true; rm -f "$log"' EXIT
port=""
for _ in $(seq 1 100); do
  port=$(sed -n 's|.*listening on http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$log")
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "$port" ] || { cat "$log" >&2; exit 1; }
"$bench" "$port" "$here/../examples/fhir/patient_view_request.json" "$clients" "$per_client"
