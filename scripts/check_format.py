#!/usr/bin/env python3
"""Checks that the C++ lines changed since BASE follow .clang-format, without reformatting.

    scripts/check_format.py [--fix] [BASE]   (default: main, else HEAD~1)

"Since BASE" means since the merge base of HEAD and BASE, where the branch started: the lines
this branch and the working tree changed, never those BASE changed after the branch left it
(`check_format.py --fix main` leaves main's newer lines alone).

Only the changed lines are checked (as git clang-format does), so the check is cheap and never
asks anyone to reformat code they did not touch. Include sorting is left out: it regroups whole
include blocks, and much of the tree predates the configuration. Prints the changes clang-format
wants and exits 1; with --fix, formats those lines in place instead.
"""
import difflib
import os
import re
import shutil
import subprocess
import sys

EXTENSIONS = (".cpp", ".hpp", ".h", ".cc")
FOLDERS = ("src/", "include/", "examples/", "bindings/", "tests/", "bench/")


def git(*args):
    return subprocess.run(["git", *args], check=True, stdout=subprocess.PIPE, text=True).stdout


def default_base():
    for spec in (["merge-base", "HEAD", "main"], ["rev-parse", "HEAD~1"], ["rev-parse", "HEAD"]):
        try:
            return git(*spec).strip()
        except subprocess.CalledProcessError:
            continue
    return "HEAD"


def branch_start(base):
    """The merge base of HEAD and base; base itself when they share no history."""
    try:
        return git("merge-base", "HEAD", base).strip()
    except subprocess.CalledProcessError:
        return base


def changed_lines(base):
    """{file: [(first, last), ...]} of the lines added or changed since base (working tree)."""
    out = {}
    current = None
    diff = git("diff", "-M", "-U0", "--no-color", "--diff-filter=AMR", base, "--", *FOLDERS)
    for line in diff.splitlines():
        if line.startswith("+++ "):
            name = line[6:] if line.startswith("+++ b/") else None
            current = name if name and name.endswith(EXTENSIONS) else None
        elif current and line.startswith("@@"):
            m = re.match(r"@@ -\S+ \+(\d+)(?:,(\d+))? @@", line)
            first, count = int(m.group(1)), int(m.group(2) or "1")
            if count:
                out.setdefault(current, []).append((first, first + count - 1))
    return out


def main(argv):
    os.chdir(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
    fix = bool(argv) and argv[0] == "--fix"
    argv = argv[1:] if fix else argv
    if argv and argv[0] in ("-h", "--help"):
        print(__doc__.strip())
        return 0
    if argv and argv[0].startswith("-"):
        print(f"format: unknown option {argv[0]} (usage: scripts/check_format.py [--fix] [BASE])", file=sys.stderr)
        return 2
    base = argv[0] if argv else default_base()
    try:
        git("rev-parse", "--verify", "--quiet", base + "^{commit}")
    except subprocess.CalledProcessError:
        print(f"format: {base} names no commit", file=sys.stderr)
        return 2
    base = branch_start(base)
    binary = shutil.which("clang-format-14") or shutil.which("clang-format")
    if not binary:
        print("format: clang-format not found (apt-get install clang-format-14)", file=sys.stderr)
        return 2
    failed = 0
    files = changed_lines(base)
    for name, ranges in sorted(files.items()):
        args = [binary, "--style=file", "--sort-includes=false"] + [f"--lines={a}:{b}" for a, b in ranges] + [name]
        want = subprocess.run(args, check=True, stdout=subprocess.PIPE, text=True).stdout
        with open(name, encoding="utf-8") as f:
            have = f.read()
        if want != have and fix:
            with open(name, "w", encoding="utf-8") as f:
                f.write(want)
            print(f"format: formatted the changed lines of {name}")
        elif want != have:
            failed += 1
            diff = difflib.unified_diff(have.splitlines(True), want.splitlines(True), name, name + " (formatted)")
            sys.stdout.writelines(diff)
    if failed:
        print(f"format: {failed} file(s) have changed lines clang-format would format differently; "
              "fix with scripts/check_format.py --fix", file=sys.stderr)
        return 1
    print(f"format: the changed lines of {len(files)} file(s) since {base[:12]} are formatted")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
