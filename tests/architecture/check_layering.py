#!/usr/bin/env python3
"""Checks that the folders of src/ follow the pipeline: each includes only from itself and below.

    parse -> load -> overlay -> check -> compile -> evaluate -> resolve -> render

The base folders (base, model, util, graph, diagnostic, logic) may be used by every stage; the
facades (rule_set, engine, lint, cases, diff, fhir) sit on top. knead::logic is a library of its own, so
logic and base must include nothing but themselves (the linker enforces it too). Prints one line
per offending include and exits 1; exits 0 when the layering holds.

    check_layering.py [SOURCE_DIR]
"""
import pathlib
import re
import sys

STAGES = ["parse", "load", "overlay", "check", "compile", "evaluate", "resolve", "render"]
BASE = {"base", "model", "util", "graph", "diagnostic", "logic"}
FACADES = {"rule_set", "engine", "lint", "cases", "diff", "fhir"}
# What a base folder may include besides itself.
BASE_ALLOWED = {
    "base": set(),
    "logic": {"base"},
    "util": {"base"},
    "graph": {"base"},
    "model": {"base", "util"},
    "diagnostic": {"base", "util"},
}
INCLUDE = re.compile(r'^\s*#\s*include\s+"([a-z_]+)/[^"]+"', re.M)


def level(folder):
    if folder in BASE:
        return -1
    if folder in FACADES:
        return len(STAGES)
    return STAGES.index(folder) if folder in STAGES else None


def problems(src):
    out = []
    for path in sorted(src.rglob("*")):
        if path.suffix not in (".cpp", ".hpp", ".def") or not path.is_file():
            continue
        folder = path.relative_to(src).parts[0]
        mine = level(folder)
        if mine is None:
            out.append(f"{path.relative_to(src.parent)}: folder '{folder}' has no place in the layering; add it to "
                       "tests/architecture/check_layering.py")
            continue
        text = path.read_text(encoding="utf-8")
        for m in INCLUDE.finditer(text):
            target = m.group(1)
            line = text.count("\n", 0, m.start()) + 1
            where = f"{path.relative_to(src.parent)}:{line}"
            if target == folder:
                continue
            if folder in BASE:
                if target not in BASE_ALLOWED[folder]:
                    out.append(f"{where}: base folder '{folder}' includes '{target}/'")
                continue
            theirs = level(target)
            if theirs is None:
                out.append(f"{where}: includes unknown folder '{target}/'")
            elif theirs > mine or (folder in FACADES and target in FACADES):
                out.append(f"{where}: '{folder}' includes '{target}/', a later stage of the pipeline")
    return out


def main(argv):
    root = pathlib.Path(argv[0] if argv else pathlib.Path(__file__).resolve().parents[2])
    found = problems(root / "src")
    for p in found:
        print(p)
    if found:
        print(f"{len(found)} include(s) against the pipeline's layering", file=sys.stderr)
        return 1
    print("layering holds: " + " -> ".join(STAGES))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
