#!/usr/bin/env bash
# Installs the Debian 12 packages knead needs, only those that are missing.
# Safe to run again: with everything present it installs nothing.
set -euo pipefail

packages=(
  build-essential cmake g++ git
  clang libfuzzer-14-dev          # the sanitizer build and the fuzz targets (libFuzzer)
  nlohmann-json3-dev              # JSON
  libboost-graph-dev              # include and is_a graphs
  libboost-program-options-dev    # the knead command
  libboost-dev libboost-system-dev   # knead serve (Boost.Beast and Boost.Asio, header-only)
  uuid-dev                        # RFC 4122 ids of CDS Hooks cards
  libssl-dev                      # SHA-256 through OpenSSL's EVP interface
  pkg-config dpkg-dev             # the Debian package and its consumer tests
  catch2                          # C++ tests (v2 on Debian 12)
  libbenchmark-dev                # bench/
  pybind11-dev python3-dev python3-pybind11 python3-pytest   # Python bindings
  python3-jsonschema              # schema test of the shipped rules
  python3-nbclient python3-nbformat python3-ipykernel        # notebook runs in tests
  python3-pandas python3-matplotlib python3-distributed      # notebook and Dask example
  clang-format-14 clang-tidy-14   # format check of changed lines, clang-tidy (scripts/check_*)
  python3-pip python3-setuptools python3-wheel python3-venv  # pip install . and the wheel test
  python3-mypy                    # stubtest of the Python stubs
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "setup: installing ${missing[*]}" >&2
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q >/dev/null
$sudo apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
