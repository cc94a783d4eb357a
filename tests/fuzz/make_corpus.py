#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets into OUT/<target>/, from inputs the project
already has, read in place: the shipped rules, the bad-input files, the case files, the example
patients and batch, and the shared JsonLogic conformance suites (when present).

usage: make_corpus.py SOURCE_DIR CONFORMANCE_DIR OUT_DIR
"""
import hashlib
import json
import pathlib
import sys


def main():
    source, conformance, out = (pathlib.Path(a) for a in sys.argv[1:4])
    seeds = {"rule_set": [], "logic": [], "patient": [], "batch_line": []}

    def add(target, text):
        if isinstance(text, str):
            text = text.encode("utf-8")
        seeds[target].append(text)

    rule_files = sorted((source / "rules").glob("*.json")) + sorted((source / "tests" / "bad_input").glob("*.json"))
    for f in rule_files:
        add("rule_set", f.read_bytes())

    patients = []
    for f in sorted((source / "examples" / "patients").glob("*.json")):
        patients.append(f.read_text(encoding="utf-8"))
    batch = source / "examples" / "patients" / "batch.jsonl"
    if batch.exists():
        patients += [line for line in batch.read_text(encoding="utf-8").splitlines() if line.strip()]
    for f in sorted((source / "tests" / "cases").glob("*.json")):
        try:
            cases = json.loads(f.read_text(encoding="utf-8"))
        except ValueError:
            continue
        for case in cases if isinstance(cases, list) else [cases]:
            if isinstance(case, dict) and "patient" in case:
                patients.append(json.dumps(case["patient"]))
    for p in patients:
        add("patient", p)
        try:
            add("batch_line", json.dumps(json.loads(p), ensure_ascii=False))
        except ValueError:
            add("batch_line", p)

    # The conditions of the shipped rules, against the example patients.
    datas = []
    for p in patients[:8]:
        try:
            datas.append(json.loads(p))
        except ValueError:
            pass
    for f in sorted((source / "rules").glob("*.json")):
        try:
            doc = json.loads(f.read_text(encoding="utf-8"))
        except ValueError:
            continue
        for i, rule in enumerate(doc.get("rules", []) if isinstance(doc, dict) else []):
            if isinstance(rule, dict) and "when" in rule:
                data = datas[i % len(datas)] if datas else {}
                add("logic", json.dumps({"rule": rule["when"], "data": data}))
    if conformance.is_dir():
        for f in sorted(conformance.rglob("*.json")):
            try:
                tests = json.loads(f.read_text(encoding="utf-8"))
            except ValueError:
                continue
            for t in tests if isinstance(tests, list) else []:
                if isinstance(t, dict) and "rule" in t:
                    add("logic", json.dumps({"rule": t["rule"], "data": t.get("data")}))

    for target, items in seeds.items():
        d = out / target
        d.mkdir(parents=True, exist_ok=True)
        for text in items:
            (d / hashlib.sha1(text).hexdigest()).write_bytes(text)
        print(f"{target}: {len(items)} seeds")


if __name__ == "__main__":
    main()
