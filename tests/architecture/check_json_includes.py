#!/usr/bin/env python3
"""Checks which public headers include all of nlohmann/json.hpp.

A header that only declares functions taking or returning JSON needs nlohmann/json_fwd.hpp; the
full header (some 25,000 lines) is for those that hold a JSON value as a member or use one in
inline code. FULL lists them, each with why; any other public header that includes json.hpp, or a
listed one that no longer does, fails the check, so the list stays exact and cannot creep. (That
each header still compiles alone is checked by building tests/architecture's knead_header_check.)

    check_json_includes.py [SOURCE_DIR]
"""
import pathlib
import re
import sys

FULL = {
    "knead/diff.hpp": "FieldChange and DiffPatient hold JSON values by value",
    "knead/fhir.hpp": "FhirReading holds the patient document by value",
    "knead/recommendation.hpp": "RuleTrace holds the failed clause by value",
    "knead/rule.hpp": "Rule holds its 'when' condition by value",
    "knead/logic/error.hpp": "logic::Error holds the thrown value by value",
    "knead/logic/value.hpp": "logic::Value owns a JSON value and reads it inline",
}
INCLUDE = re.compile(r'^\s*#\s*include\s+<nlohmann/json\.hpp>', re.M)


def problems(include_dir):
    out = []
    seen = set()
    for path in sorted(include_dir.rglob("*.hpp")):
        name = path.relative_to(include_dir).as_posix()
        seen.add(name)
        full = INCLUDE.search(path.read_text(encoding="utf-8")) is not None
        if full and name not in FULL:
            out.append(f"include/{name}: includes <nlohmann/json.hpp>; declare with <nlohmann/json_fwd.hpp>, or "
                       "list it in tests/architecture/check_json_includes.py with the reason it needs the full header")
        elif not full and name in FULL:
            out.append(f"include/{name}: no longer includes <nlohmann/json.hpp>; remove it from FULL in "
                       "tests/architecture/check_json_includes.py")
    for name in sorted(set(FULL) - seen):
        out.append(f"include/{name}: listed in FULL but does not exist")
    return out


def main(argv):
    root = pathlib.Path(argv[0] if argv else pathlib.Path(__file__).resolve().parents[2])
    found = problems(root / "include")
    for p in found:
        print(p)
    if found:
        return 1
    print(f"{len(FULL)} public headers include all of nlohmann/json.hpp, each for a member or inline use")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
