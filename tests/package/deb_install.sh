#!/usr/bin/env bash
# The Debian package, as a clinic would use it: made by CPack from an existing build, unpacked
# into a temporary root (dpkg -x: no root rights needed), its knead command run from there
# without KNEAD_RULES (it finds the rules relative to itself), and an outside program built
# against it with pkg-config and with CMake.
# Usage: deb_install.sh SOURCE_DIR BUILD_DIR WORK_DIR VERSION
set -euo pipefail
src=$1 build=$2 work=$3 version=$4
rm -rf "$work"; mkdir -p "$work"
unset KNEAD_RULES

(cd "$build" && cpack -G DEB -B "$work/cpack" >"$work/cpack.log" 2>&1) || { cat "$work/cpack.log"; exit 1; }
deb=$(ls "$work"/cpack/knead_"$version"_*.deb)
echo "package: $(basename "$deb")"
dpkg-deb -f "$deb" Package Version Depends | sed 's/^/  /'
dpkg-deb -c "$deb" | awk '{print $6}' > "$work/contents"
for f in ./usr/bin/knead ./usr/include/knead/knead.hpp ./usr/include/knead/version.hpp \
         ./usr/include/knead/export.hpp ./usr/share/knead/rules/ruleset.json \
         ./usr/share/knead/rules/knead.ruleset.schema.json ./usr/share/doc/knead/LICENSE \
         ./usr/share/doc/knead/README.md ./usr/share/doc/knead/cli.md; do
  grep -qx "$f" "$work/contents" || { echo "missing from the package: $f"; exit 1; }
done
for pattern in '/libknead\.(a|so)$' '/pkgconfig/knead\.pc$' '/cmake/knead/kneadConfig\.cmake$'; do
  grep -Eq "$pattern" "$work/contents" || { echo "missing from the package: $pattern"; exit 1; }
done
if grep -q "Apache-2.0" "$src/LICENSE" || grep -q "Apache License" "$src/LICENSE"; then :; else
  echo "LICENSE is not the Apache licence the metadata names"; exit 1; fi
dpkg-deb -f "$deb" Description | grep -q "Apache-2.0" || { echo "the package does not name its licence"; exit 1; }

root="$work/root"
dpkg -x "$deb" "$root"
usr="$root/usr"

# The command, from the unpacked (moved) root, with its own rules.
"$usr/bin/knead" --version | grep -qx "knead $version"
"$usr/bin/knead" recommend --format json "$src/examples/patients/fibromyalgia_sleep.json" > "$work/result.json"
grep -q '"status"' "$work/result.json"
"$usr/bin/knead" validate > /dev/null

# pkg-config.
pcdir=$(dirname "$(grep -E '/pkgconfig/knead\.pc$' "$work/contents" | head -1)")
export PKG_CONFIG_PATH="$root/${pcdir#./}"
[ "$(pkg-config --modversion knead)" = "$version" ]
rulesdir=$(pkg-config --variable=rulesdir knead)
[ -f "$rulesdir/ruleset.json" ] || { echo "pkg-config rulesdir $rulesdir has no rules"; exit 1; }
# shellcheck disable=SC2046
c++ -std=c++17 -o "$work/consumer-pkg-config" "$src/tests/install/consumer/main.cpp" $(pkg-config --cflags --libs knead)
"$work/consumer-pkg-config" "$rulesdir"

# CMake.
cmake -S "$src/tests/install/consumer" -B "$work/consumer-cmake" -DCMAKE_PREFIX_PATH="$usr" \
      -DKNEAD_CONSUMER_MODE=find_package > "$work/consumer-cmake.log" 2>&1 || { cat "$work/consumer-cmake.log"; exit 1; }
cmake --build "$work/consumer-cmake" -j 2 >> "$work/consumer-cmake.log" 2>&1 || { cat "$work/consumer-cmake.log"; exit 1; }
"$work/consumer-cmake/consumer" "$rulesdir"
# The Python package in it, when built with Python: the library inside finds the rules installed
# beside it (through its own location, in this moved root).
site="$usr/lib/python3/dist-packages"
if [ -d "$site/knead" ]; then
  PYTHONPATH="$site" PYTHONDONTWRITEBYTECODE=1 /usr/bin/python3 -c '
import pathlib, knead
found = pathlib.Path(knead.RuleSet.default_path()).resolve()
assert found == (pathlib.Path(knead.__file__).parent / "rules").resolve(), found
print("python: knead", knead.__version__, "from", knead.__file__, "with", len(knead.default_rules()), "rules")'
fi
echo "the Debian package installs, runs, and builds consumers with pkg-config and CMake"
