#!/usr/bin/env python3
"""Fails when a shipped file refers to a document that is not in the repository.

A user only has the repository (or the installed package): the README, headers, sources, rules,
bindings, examples and docs must explain themselves, not point at planning documents kept
elsewhere. Usage: check_references.py SOURCE_DIR
"""
import pathlib
import re
import sys

SHIPPED = ["README.md", "include", "src", "rules", "bindings", "examples", "docs"]
SKIP_DIRS = {"__pycache__", ".ipynb_checkpoints", "build"}
TEXT_SUFFIXES = {".md", ".txt", ".hpp", ".cpp", ".h", ".in", ".json", ".py", ".pyi", ".ipynb",
                 ".toml", ".cfg", ".cmake", ".sh", ".rst", ""}

# Each pattern names a document outside the repository.
PATTERNS = [
    (re.compile(r"\bSPEC(\.md|'s|\s+sections?\b|\b)"), "the project's internal specification"),
    (re.compile(r"clinical[ -]brief", re.IGNORECASE), "the internal clinical brief"),
    (re.compile(r"\bthe brief\b", re.IGNORECASE), "the internal clinical brief"),
    (re.compile(r"(\.\./)+shared\b|\bshared/(conformance|bench|SPEC|STYLE)"), "a folder outside the repository"),
    (re.compile(r"STYLE\.md"), "the internal style guide"),
]


def shipped_files(root: pathlib.Path):
    for name in SHIPPED:
        path = root / name
        if path.is_file():
            yield path
        elif path.is_dir():
            for p in sorted(path.rglob("*")):
                if p.is_file() and not SKIP_DIRS.intersection(p.relative_to(root).parts) \
                        and p.suffix in TEXT_SUFFIXES:
                    yield p


def main() -> int:
    root = pathlib.Path(sys.argv[1]).resolve()
    problems = []
    count = 0
    for path in shipped_files(root):
        count += 1
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        for number, line in enumerate(text.splitlines(), start=1):
            for pattern, what in PATTERNS:
                match = pattern.search(line)
                if match:
                    problems.append(f"{path.relative_to(root)}:{number}:{match.start() + 1}: "
                                    f"refers to {what} ('{match.group(0)}'); say it in the "
                                    f"project's own words or point into docs/")
    for problem in problems:
        print(problem)
    if count < 50:
        print(f"only {count} shipped files found under {root}: wrong directory?")
        return 1
    print(f"{count} shipped files checked, {len(problems)} references outside the repository")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
