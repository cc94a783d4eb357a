#!/bin/bash
# An installed knead finds its rules at <exe dir>/../share/knead/rules, wherever the prefix is;
# $KNEAD_RULES still wins.
# usage: check_installed_layout.sh KNEAD WORK_DIR
set -euo pipefail
knead=$1
work=$2
rm -rf "$work"
mkdir -p "$work/prefix/bin" "$work/prefix/share/knead/rules" "$work/other"
cp "$knead" "$work/prefix/bin/knead"
cat > "$work/prefix/share/knead/rules/ruleset.json" <<'EOF'
{
  "ruleset": "installed-layout",
  "version": "9.9.9",
  "concepts": {"modalities": [{"id": "massage", "pressure": "light"}]},
  "rules": [{"id": "always", "title": "always", "then": {"recommend": [{"modality": "massage"}]}}]
}
EOF
sed 's/installed-layout/from-env/' "$work/prefix/share/knead/rules/ruleset.json" > "$work/other/ruleset.json"

unset KNEAD_RULES
out=$(echo '{}' | "$work/prefix/bin/knead" recommend --format json -)
grep -q '"name": "installed-layout"' <<<"$out" || { echo "FAILED: installed rules not used: $out"; exit 1; }
out=$(echo '{}' | KNEAD_RULES="$work/other" "$work/prefix/bin/knead" recommend --format json -)
grep -q '"name": "from-env"' <<<"$out" || { echo "FAILED: KNEAD_RULES not used: $out"; exit 1; }
"$work/prefix/bin/knead" validate | grep -q "share/knead/rules: valid: 1 rule" || { echo "FAILED: validate default"; exit 1; }
rm -rf "$work"
echo "ok: installed layout"
