#!/usr/bin/env python3
"""The JSON Schema and `knead validate` must accept and reject the same rule files.

Usage: agree.py KNEAD REPO_ROOT

Runs through both: every shipped rule file (the checker loads them as one rule set; the schema
checks each file), every tests/bad_input fixture, and a few documents where the two once
disagreed. A fixture whose fault is structural (a wrong type, an unknown key or operator, a
missing field, a bad id or enum, a range) must be rejected by both; one whose fault only a whole
rule set shows (unknown references, cycles, duplicates, includes, limits) must be rejected by the
checker and is listed as beyond the schema. Prints one line per document, ends with
"N passed, N failed"; exits 1 on a failure, 77 if jsonschema is missing.
"""
import json
import subprocess
import sys
import tempfile
from pathlib import Path

try:
    import jsonschema
except ImportError:
    print("skip: the jsonschema module is not installed (apt-get install python3-jsonschema)")
    sys.exit(77)

# Faults a schema for one file can see (not a duplicate key: the JSON reader keeps the last one).
STRUCTURAL = {"check.type", "check.enum", "check.required", "check.unknown_key", "check.id_format",
              "check.avoid_target", "check.pressure_max_on_veto", "check.range", "check.version_format",
              "logic.unknown_operator", "parse.syntax"}

EVIDENCE = {"grade": "low", "source": "s"}
CONCEPTS = {"conditions": [{"id": "fibromyalgia"}],
            "regions": [{"id": "body"}, {"id": "neck", "is_a": ["body"]}],
            "modalities": [{"id": "massage", "pressure": "medium"},
                           {"id": "swedish", "is_a": ["massage"], "pressure": "light"}]}


def rule(**extra):
    r = {"id": "r", "title": "t", "when": {"condition": "fibromyalgia"},
         "then": {"recommend": [{"modality": "swedish"}]}, "evidence": EVIDENCE}
    r.update(extra)
    return {k: v for k, v in r.items() if v is not None}


# (name, document, accepted?) where both must agree.
DOCUMENTS = [
    ("version 0.1", {"ruleset": "x", "version": "0.1", "concepts": CONCEPTS, "rules": [rule()]}, True),
    ("version 1", {"ruleset": "x", "version": "1", "concepts": CONCEPTS, "rules": [rule()]}, True),
    ("version v1.0", {"ruleset": "x", "version": "v1.0", "concepts": CONCEPTS, "rules": [rule()]}, False),
    ("a rule without evidence", {"ruleset": "x", "version": "1.0.0", "concepts": CONCEPTS,
                                 "rules": [rule(evidence=None)]}, True),
    ("pain_location in when", {"ruleset": "x", "version": "1.0.0", "concepts": CONCEPTS,
                               "rules": [rule(when={"pain_location": "neck"})]}, True),
    ("a concept without label", {"ruleset": "x", "version": "1.0.0", "concepts": CONCEPTS, "rules": [rule()]}, True),
    ("a lint acknowledgement", {"ruleset": "x", "version": "1.0.0", "concepts": CONCEPTS, "rules": [rule()],
                                "lint": {"accept": ["lint.veto_conflict"], "because": "by design"}}, True),
    ("a lint acknowledgement without a reason", {"ruleset": "x", "version": "1.0.0", "concepts": CONCEPTS,
                                                 "rules": [rule()], "lint": {"accept": ["lint.veto_conflict"]}}, False),
    ("an unknown lint code", {"ruleset": "x", "version": "1.0.0", "concepts": CONCEPTS, "rules": [rule()],
                              "lint": {"accept": ["lint.vetoes"], "because": "b"}}, False),
    ("a rule's own lint acknowledgement", {"ruleset": "x", "version": "1.0.0", "concepts": CONCEPTS,
                                           "rules": [rule(lint={"accept": ["lint.no_evidence"], "because": "b"})]}, True),
    ("an unknown operator", {"ruleset": "x", "version": "1.0.0", "concepts": CONCEPTS,
                             "rules": [rule(when={"greater_than": [{"var": "age"}, 65]})]}, False),
]


def checker_accepts(knead, path):
    run = subprocess.run([knead, "validate", str(path)], capture_output=True, text=True, timeout=60)
    codes = [line.rsplit("(", 1)[-1].rstrip(")") for line in run.stderr.splitlines() if ": error: " in line]
    return run.returncode == 0, codes


def schema_errors(validator, path):
    try:
        doc = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        return [f"not JSON: {e}"]
    try:
        return [f"{e.json_path}: {e.message[:120]}" for e in validator.iter_errors(doc)]
    except RecursionError:  # deeper than Python's stack: the checker's depth limit is the answer
        return ["nested too deeply for the schema validator"]


def main(argv):
    if len(argv) != 3:
        print("usage: agree.py KNEAD REPO_ROOT", file=sys.stderr)
        return 2
    knead, root = argv[1], Path(argv[2]).resolve()
    validator = jsonschema.Draft202012Validator(json.loads((root / "rules" / "knead.ruleset.schema.json").read_text()))
    passed = failed = 0

    def report(ok, what, details=()):
        nonlocal passed, failed
        passed, failed = passed + ok, failed + (not ok)
        print(("PASS " if ok else "FAIL ") + what)
        for d in list(details)[:5]:
            print(f"     {d}")

    ok, codes = checker_accepts(knead, root / "rules")
    report(ok, "checker accepts the shipped rules", codes)
    for path in sorted((root / "rules").glob("*.json")):
        if path.name.endswith(".schema.json"):
            continue
        errs = schema_errors(validator, path)
        report(not errs, f"schema accepts rules/{path.name}", errs)

    for path in sorted((root / "tests" / "bad_input").glob("*.json")):
        if path.name == "expected.json":
            continue
        accepted, codes = checker_accepts(knead, path)
        errs = schema_errors(validator, path)
        name = f"tests/bad_input/{path.name}"
        if accepted:
            # Only a file that is the innocent half of a fixture may pass the checker; then the
            # schema must accept it too.
            report(not errs, f"{name}: both accept", errs)
        elif STRUCTURAL & set(codes):
            report(bool(errs), f"{name}: both reject ({', '.join(sorted(set(codes)))})",
                   [] if errs else ["the schema accepted it"])
        else:
            report(True, f"{name}: checker rejects ({', '.join(sorted(set(codes)))}), beyond the schema")

    with tempfile.TemporaryDirectory() as tmp:
        for i, (name, doc, accepted) in enumerate(DOCUMENTS):
            path = Path(tmp) / f"doc{i}.json"
            path.write_text(json.dumps(doc), encoding="utf-8")
            checker_ok, codes = checker_accepts(knead, path)
            errs = schema_errors(validator, path)
            details = [f"checker: {'accepts' if checker_ok else 'rejects ' + ', '.join(codes)}",
                       f"schema: {'accepts' if not errs else 'rejects'}"] + errs
            agree = checker_ok == accepted and (not errs) == accepted
            report(agree, f"{name}: both {'accept' if accepted else 'reject'}", [] if agree else details)

    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
