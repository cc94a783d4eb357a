#!/usr/bin/env python3
"""Validate knead's shipped rule and case files against their JSON Schemas.

Usage: validate.py REPO_ROOT

Checks both schemas (rules/knead.ruleset.schema.json, rules/knead.cases.schema.json) with
Draft 2020-12, every rules/*.json (not *.schema.json) against the rule-set schema and every
tests/cases/*.json against the case schema, and that a few deliberately broken documents are
rejected, so that a schema too loose to catch anything fails here. Prints one line per check
and ends with "N passed, N failed"; exits 1 if anything failed, 77 if jsonschema is missing.
"""
import json
import sys
from pathlib import Path

try:
    import jsonschema
except ImportError:  # python3-jsonschema is installed by scripts/setup.sh
    print("skip: the jsonschema module is not installed (apt-get install python3-jsonschema)")
    sys.exit(77)

MAX_ERRORS = 5

EVIDENCE = {"grade": "low", "source": "ACP17"}

# Documents each schema must reject: (name, schema, document).
BROKEN = [
    ("rule set: unknown top-level key", "ruleset", {"rulez": []}),
    ("rule set: version is not semver", "ruleset", {"version": "1.0"}),
    ("rule set: id with upper case and a space", "ruleset",
     {"concepts": {"conditions": [{"id": "Low Back", "label": "x"}]}}),
    ("rule set: modality without pressure", "ruleset",
     {"concepts": {"modalities": [{"id": "swedish", "label": "Swedish"}]}}),
    ("rule set: self-care item without instructions", "ruleset",
     {"concepts": {"self_care": [{"id": "walking", "label": "Walking"}]}}),
    ("rule set: condition with a modality-only key", "ruleset",
     {"concepts": {"conditions": [{"id": "gout", "label": "Gout", "pressure": "light"}]}}),
    ("rule set: rule without evidence", "ruleset",
     {"rules": [{"id": "a", "title": "t", "then": {"recommend": [{"modality": "swedish"}]}}]}),
    ("rule set: avoid naming two targets", "ruleset",
     {"rules": [{"id": "a", "title": "t", "evidence": EVIDENCE, "then": {"avoid": [
         {"modality": "deep_tissue", "region": "neck", "level": "caution", "reason": "r"}]}}]}),
    ("rule set: avoid without a reason", "ruleset",
     {"rules": [{"id": "a", "title": "t", "evidence": EVIDENCE, "then": {"avoid": [
         {"modality": "deep_tissue", "level": "contraindicated"}]}}]}),
    ("rule set: pressure_max on a contraindication", "ruleset",
     {"rules": [{"id": "a", "title": "t", "evidence": EVIDENCE, "then": {"avoid": [
         {"modality": "deep_tissue", "level": "contraindicated", "pressure_max": "light", "reason": "r"}]}}]}),
    ("rule set: unknown referral urgency", "ruleset",
     {"rules": [{"id": "a", "title": "t", "evidence": EVIDENCE, "then": {"refer": {
         "to": "physician", "urgency": "asap", "reason": "r"}}}]}),
    ("rule set: misspelt operator in when", "ruleset",
     {"rules": [{"id": "a", "title": "t", "evidence": EVIDENCE, "when": {"conditon": "gout"},
                 "then": {"recommend": [{"modality": "swedish"}]}}]}),
    ("rule set: two operators in one object", "ruleset",
     {"rules": [{"id": "a", "title": "t", "evidence": EVIDENCE,
                 "when": {"condition": "gout", "goal": "workout_recovery"},
                 "then": {"recommend": [{"modality": "swedish"}]}}]}),
    ("rule set: unknown evidence grade", "ruleset",
     {"rules": [{"id": "a", "title": "t", "evidence": {"grade": "strong", "source": "x"},
                 "then": {"recommend": [{"modality": "swedish"}]}}]}),
    ("cases: case without expect", "cases", {"name": "n", "patient": {}}),
    ("cases: unknown expect key", "cases", {"name": "n", "patient": {}, "expect": {"top": "swedish"}}),
    ("cases: pain intensity above 10", "cases", {"name": "n", "patient": {"pain": {"intensity": 11}}, "expect": {}}),
    ("cases: unknown refer value", "cases", {"name": "n", "patient": {}, "expect": {"refer": "soon"}}),
    ("cases: code object without a code", "cases",
     {"name": "n", "patient": {"conditions": [{"system": "icd10cm"}]}, "expect": {}}),
]


def load_json(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def errors_of(validator, doc):
    errs = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
    return [f"{e.json_path}: {e.message[:160]}" for e in errs]


def main(argv):
    if len(argv) != 2:
        print("usage: validate.py REPO_ROOT", file=sys.stderr)
        return 2
    root = Path(argv[1]).resolve()
    rules_dir, cases_dir = root / "rules", root / "tests" / "cases"
    passed = failed = 0

    def report(ok, what, details=()):
        nonlocal passed, failed
        if ok:
            passed += 1
            print(f"PASS {what}")
        else:
            failed += 1
            print(f"FAIL {what}")
            for d in list(details)[:MAX_ERRORS]:
                print(f"     {d}")

    validators = {}
    for key, name in (("ruleset", "knead.ruleset.schema.json"), ("cases", "knead.cases.schema.json")):
        path = rules_dir / name
        try:
            schema = load_json(path)
            jsonschema.Draft202012Validator.check_schema(schema)
            validators[key] = jsonschema.Draft202012Validator(schema)
            report(True, f"schema {path.relative_to(root)}")
        except (OSError, ValueError, jsonschema.SchemaError) as e:
            report(False, f"schema {path.relative_to(root)}", [str(e).splitlines()[0]])
    if len(validators) != 2:
        print(f"{passed} passed, {failed} failed")
        return 1

    groups = [
        ("ruleset", sorted(p for p in rules_dir.glob("*.json") if not p.name.endswith(".schema.json"))),
        ("cases", sorted(cases_dir.glob("*.json"))),
    ]
    for key, files in groups:
        if not files:
            report(False, f"{key}: no files found", [])
        for path in files:
            rel = path.relative_to(root)
            try:
                doc = load_json(path)
            except (OSError, ValueError) as e:
                report(False, str(rel), [f"not JSON: {e}"])
                continue
            errs = errors_of(validators[key], doc)
            report(not errs, str(rel), errs)

    for name, key, doc in BROKEN:
        rejected = bool(errors_of(validators[key], doc))
        report(rejected, f"rejects {name}", [] if rejected else ["the schema accepted it"])

    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
