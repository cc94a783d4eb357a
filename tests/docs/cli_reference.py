#!/usr/bin/env python3
"""docs/cli.md quotes every `--help` text of the knead command; this keeps them the same.

    cli_reference.py KNEAD DOCS/cli.md           # check: exit 1 and show what differs
    cli_reference.py KNEAD DOCS/cli.md --update  # rewrite the generated part of the page

The generated part lies between the markers below; the prose around it is kept as written.
"""
import difflib
import pathlib
import re
import subprocess
import sys

BEGIN = "<!-- BEGIN GENERATED: cli_reference.py --update -->"
END = "<!-- END GENERATED -->"


def run(knead: str, *args: str) -> str:
    done = subprocess.run([knead, *args], capture_output=True, text=True, timeout=60, check=False)
    if done.returncode != 0:
        raise SystemExit(f"'knead {' '.join(args)}' exited with {done.returncode}: {done.stderr.strip()}")
    return done.stdout


def commands(general_help: str) -> list:
    block = general_help.split("Commands:\n", 1)[1].split("\n\n", 1)[0]
    return [line.split()[0] for line in block.splitlines() if line.strip()]


def generated(knead: str) -> str:
    general = run(knead, "--help")
    parts = ["## `knead --help`\n", "```text\n" + general.rstrip("\n") + "\n```\n"]
    for name in commands(general):
        parts.append(f"## `knead {name}`\n")
        parts.append("```text\n" + run(knead, name, "--help").rstrip("\n") + "\n```\n")
    return "\n".join(parts)


def main() -> int:
    knead, page = sys.argv[1], pathlib.Path(sys.argv[2])
    update = "--update" in sys.argv[3:]
    text = page.read_text(encoding="utf-8")
    match = re.search(re.escape(BEGIN) + r"\n(.*?)" + re.escape(END), text, re.DOTALL)
    if not match:
        print(f"{page}: the markers of the generated part are missing ({BEGIN} ... {END})")
        return 1
    want = generated(knead)
    if match.group(1) == want:
        print(f"{page} quotes every --help text of {knead} as it is")
        return 0
    if update:
        page.write_text(text[:match.start(1)] + want + text[match.end(1):], encoding="utf-8")
        print(f"{page}: generated part rewritten")
        return 0
    diff = difflib.unified_diff(match.group(1).splitlines(), want.splitlines(),
                                "docs/cli.md", "knead --help", lineterm="", n=1)
    print("\n".join(diff))
    print(f"\n{page} differs from the --help texts; run: {sys.argv[0]} {knead} {page} --update")
    return 1


if __name__ == "__main__":
    sys.exit(main())
